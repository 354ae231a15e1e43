//! The validator catches each kind of violation, naming the constraint of MODEL.md.

mod common;

use alue::validate::validate;
use alue::Scenario;

/// A 2×3 grid: units u00 u01 u02 / u10 u11 u12 (indices 0..6), rook adjacency.
fn setup() -> (alue::Instance, Scenario) {
    let inst = common::grid(2, 3, 42);
    let mut sc = Scenario::default();
    sc.min.clear();
    (inst, sc)
}

fn constraints(inst: &alue::Instance, sc: &Scenario, hub_of: &[usize]) -> Vec<&'static str> {
    validate(inst, sc, hub_of, None).violations.iter().map(|v| v.constraint).collect()
}

#[test]
fn a_good_partition_passes_and_costs_add_up() {
    let (inst, sc) = setup();
    let hub_of = [0, 0, 2, 0, 2, 2];
    let v = validate(&inst, &sc, &hub_of, None);
    assert!(v.is_feasible(), "{:?}", v.violations);
    assert!((v.objective - (v.travel + v.equalisation)).abs() < 1e-6);
    assert!(v.travel > 0.0);
}

#[test]
fn catches_assignment() {
    let (inst, sc) = setup();
    assert_eq!(constraints(&inst, &sc, &[0, 0, 0]), vec!["assignment"]);
    assert_eq!(constraints(&inst, &sc, &[0, 0, 0, 0, 0, 9]), vec!["assignment"]);
}

#[test]
fn catches_hub_rules() {
    let (inst, mut sc) = setup();
    // Unit 1 serves unit 0 but is itself served from 2.
    assert!(constraints(&inst, &sc, &[1, 2, 2, 2, 2, 2]).contains(&"hubs"));
    sc.hubs_forbidden = vec!["u00".into()];
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["hubs"]);
    let (_, mut sc) = setup();
    sc.hubs_forced = vec!["u12".into()];
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["hubs"]);
    let (_, mut sc) = setup();
    sc.fixed = vec![("u01".into(), "u02".into())];
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["hubs"]);
    let (_, mut sc) = setup();
    sc.forbidden = vec![("u01".into(), "u00".into())];
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["hubs"]);
    let (_, mut sc) = setup();
    sc.hubs_allowed = Some(vec!["u11".into()]);
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["hubs"]);
}

#[test]
fn catches_thresholds_both_ways() {
    let (inst, mut sc) = setup();
    sc.min.insert("labour_force".into(), 1e9);
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["thresholds"]);
    let (_, mut sc) = setup();
    sc.max.insert("population".into(), 1.0);
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["thresholds"]);
}

#[test]
fn catches_staffing() {
    let (inst, sc) = setup();
    let none = |_: usize| 0.0;
    let v = validate(&inst, &sc, &[0; 6], Some(&none));
    assert_eq!(v.violations.iter().map(|v| v.constraint).collect::<Vec<_>>(), vec!["staffing"]);
    let half = |_: usize| 1.5;
    assert!(validate(&inst, &sc, &[0; 6], Some(&half)).violations.iter().any(|v| v.constraint == "staffing"));
}

#[test]
fn catches_number_of_areas() {
    let (inst, mut sc) = setup();
    sc.areas = Some(2);
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["number_of_areas"]);
    sc.areas = None;
    sc.max_areas = Some(1);
    assert_eq!(constraints(&inst, &sc, &[0, 0, 2, 0, 2, 2]), vec!["number_of_areas"]);
}

#[test]
fn catches_reach() {
    let (inst, mut sc) = setup();
    sc.max_distance_km = Some(1.0);
    // Five units are farther than 1 km from hub u00, each named.
    assert_eq!(constraints(&inst, &sc, &[0; 6]), vec!["reach"; 5]);
}

#[test]
fn catches_contiguity_and_respects_the_switches() {
    let (inst, mut sc) = setup();
    // u00 and u02 together without u01: not connected.
    let hub_of = [0, 1, 0, 1, 1, 1];
    assert_eq!(constraints(&inst, &sc, &hub_of), vec!["contiguity"]);
    sc.contiguity = false;
    assert!(constraints(&inst, &sc, &hub_of).is_empty());
}

#[test]
fn equalisation_is_cost_beyond_funding() {
    let (inst, mut sc) = setup();
    sc.funding_per_labour_force = 0.0;
    sc.funding_per_jobseeker = 0.0;
    sc.travel_weight = 0.0;
    let v = validate(&inst, &sc, &[0; 6], None);
    // Without funding the whole production cost is the need.
    assert!((v.equalisation - v.production).abs() < 1e-6 && v.production > sc.admin_cost);
    assert!((v.objective - v.equalisation).abs() < 1e-6);
}
