//! The solver's optimum equals brute-force enumeration of every partition (n ≤ 8), with and
//! without contiguity. The enumeration scores partitions with the validator only.

mod common;

use alue::solve::SolveOptions;
use alue::{run_solve, validate, Problem, Scenario, Status};
use common::enumerate::{brute_force, partitions};

fn check(rows: usize, cols: usize, seed: u64, contiguity: bool, min_lf: f64) {
    let inst = common::grid(rows, cols, seed);
    let mut sc = Scenario::default();
    sc.contiguity = contiguity;
    sc.min.insert("labour_force".into(), min_lf);
    let expected = brute_force(&inst, &sc);
    match Problem::new(&inst, &sc).and_then(|p| run_solve(&p, &SolveOptions::default())) {
        Ok(r) => {
            let got = r.evaluation.as_ref().map(|e| e.objective);
            match (expected, r.status) {
                (Some(e), Status::Optimal) => {
                    let g = got.unwrap();
                    assert!((g - e).abs() <= 1e-6 * e.max(1.0), "seed {seed} contiguity {contiguity}: solver {g} vs brute force {e}");
                }
                (None, Status::Infeasible) => {}
                (e, s) => panic!("seed {seed} contiguity {contiguity}: brute force {e:?}, solver status {s:?} objective {got:?}"),
            }
        }
        Err(alue::Error::Infeasible(why)) => assert!(expected.is_none(), "seed {seed}: solver says infeasible ({why}) but brute force found {expected:?}"),
        Err(e) => panic!("seed {seed}: {e}"),
    }
}

#[test]
fn partitions_are_counted_by_bell_numbers() {
    assert_eq!(partitions(4).len(), 15);
    assert_eq!(partitions(8).len(), 4140);
}

#[test]
fn optimum_equals_enumeration_with_contiguity() {
    for seed in 1..=6 {
        check(2, 4, seed, true, 20_000.0);
    }
    check(3, 2, 7, true, 12_000.0);
}

#[test]
fn optimum_equals_enumeration_without_contiguity() {
    for seed in 11..=15 {
        check(2, 4, seed, false, 20_000.0);
    }
}

/// Solve with and without the split by number of areas (two different searches: one HiGHS model
/// with the count free, or one subproblem per count pruned against the best so far). The split is
/// also solved with its subproblems two at a time (as the CLI does on two cores): the same status,
/// objective and bound, and the same partition on every run.
fn both_ways(inst: &alue::Instance, sc: &Scenario) -> (alue::solve::Outcome, alue::solve::Outcome) {
    let p = Problem::new(inst, sc).unwrap();
    let split = alue::solve::solve(&p, &SolveOptions::default()).unwrap();
    let direct = alue::solve::solve(&p, &SolveOptions { split_areas: false, ..Default::default() }).unwrap();
    let at_once = alue::solve::solve(&p, &SolveOptions { parallel: 2, ..Default::default() }).unwrap();
    let again = alue::solve::solve(&p, &SolveOptions { parallel: 2, ..Default::default() }).unwrap();
    assert_eq!(at_once.status, split.status);
    if let (Some(a), Some(b)) = (at_once.objective, split.objective) {
        assert!((a - b).abs() <= 1e-6 * b.abs().max(1.0), "subproblems at once {a} vs one by one {b}");
        let (x, y) = (at_once.bound.unwrap(), split.bound.unwrap());
        assert!((x - y).abs() <= 1e-6 * y.abs().max(1.0), "bounds {x} vs {y}");
    }
    assert_eq!(at_once.hub_of, again.hub_of, "the parallel split is repeatable");
    assert_eq!(at_once.objective, again.objective);
    (split, direct)
}

#[test]
fn splitting_by_number_of_areas_keeps_the_optimum() {
    for seed in 21..=26 {
        let inst = common::grid(2, 4, seed);
        let mut sc = Scenario::default();
        sc.min.insert("labour_force".into(), 15_000.0);
        let expected = brute_force(&inst, &sc);
        let (split, direct) = both_ways(&inst, &sc);
        assert_eq!(split.status, direct.status, "seed {seed}");
        if let Some(e) = expected {
            for o in [&split, &direct] {
                assert_eq!(o.status, Status::Optimal, "seed {seed}");
                let got = o.objective.unwrap();
                assert!((got - e).abs() <= 1e-6 * e, "seed {seed}: {got} vs brute force {e}");
                assert!(o.bound.unwrap() <= got + 1e-6 * got && o.bound.unwrap() >= got - 1e-6 * got, "seed {seed}: bound {:?}", o.bound);
            }
        }
    }
    // Northern Ostrobothnia at thresholds where the relaxation with a free count is weakest.
    let inst = alue::Instance::builtin().unwrap();
    for (min_lf, caseload, admin) in [(30_000.0, 120.0, 400_000.0), (27_500.0, 150.0, 600_000.0)] {
        let mut sc = Scenario::default();
        sc.min.insert("labour_force".into(), min_lf);
        sc.caseload = caseload;
        sc.admin_cost = admin;
        let (split, direct) = both_ways(&inst, &sc);
        assert_eq!((split.status, direct.status), (Status::Optimal, Status::Optimal));
        let (a, b) = (split.objective.unwrap(), direct.objective.unwrap());
        assert!((a - b).abs() <= 1e-6 * b, "threshold {min_lf}: split {a} vs direct {b}");
        let ev = alue::solution::evaluate(&Problem::new(&inst, &sc).unwrap(), split.hub_of.as_ref().unwrap());
        assert!((ev.objective - a).abs() <= 1e-6 * a);
    }
}

/// Enumeration of feasible areas (used when every area is bounded above), hub probing and the
/// location–allocation starts are exact: with each switched off in turn the solver reaches the
/// same optimum, and it equals brute force; an infeasible window is infeasible every way.
#[test]
fn enumeration_and_probing_keep_the_optimum() {
    let mut solved = 0;
    for seed in 31..=40 {
        let inst = common::grid(2, 4, seed);
        let mut sc = Scenario::default();
        sc.areas = Some(2);
        sc.min.insert("labour_force".into(), 25_000.0);
        sc.max.insert("labour_force".into(), 50_000.0);
        let expected = brute_force(&inst, &sc);
        let p = Problem::new(&inst, &sc).unwrap();
        let ways = [
            ("enumeration", SolveOptions::default()),
            ("MIP with probing", SolveOptions { enumeration: false, ..Default::default() }),
            ("MIP without probing or allocation", SolveOptions { enumeration: false, probing: false, allocation: false, ..Default::default() }),
        ];
        for (name, opts) in ways {
            match (alue::solve::solve(&p, &opts), expected) {
                (Ok(o), Some(e)) => {
                    assert_eq!(o.status, Status::Optimal, "seed {seed}, {name}");
                    let got = o.objective.unwrap();
                    assert!((got - e).abs() <= 1e-6 * e, "seed {seed}, {name}: {got} vs brute force {e}");
                    let v = validate::validate(&inst, &sc, o.hub_of.as_ref().unwrap(), None);
                    assert!(v.is_feasible(), "seed {seed}, {name}: the solution breaks a rule");
                }
                (Ok(o), None) => assert_eq!(o.status, Status::Infeasible, "seed {seed}, {name}"),
                (Err(alue::Error::Infeasible(_)), None) => {}
                (r, e) => panic!("seed {seed}, {name}: brute force {e:?}, solver {:?}", r.map(|o| (o.status, o.objective))),
            }
        }
        solved += usize::from(expected.is_some());
    }
    assert!(solved >= 4, "only {solved} of the 10 grids are feasible: the test would not test much");
}

/// The search over hub sets (after hub probing, every choice of hubs bounded by its LP and the
/// ones below the incumbent solved with their hubs fixed) reaches the brute-force optimum, as does
/// the solve without it; and it does run (settles some of these instances by itself).
#[test]
fn the_search_over_hub_sets_keeps_the_optimum() {
    let mut by_sets = 0;
    let mut cases = 0;
    for seed in 51..=62 {
        for (k, contiguity) in [(2, true), (3, true), (2, false), (3, false)] {
            let inst = common::grid(2, 4, seed);
            let mut sc = Scenario::default();
            sc.areas = Some(k);
            sc.contiguity = contiguity;
            sc.min.insert("labour_force".into(), 8_000.0);
            let Some(expected) = brute_force(&inst, &sc) else { continue };
            let p = Problem::new(&inst, &sc).unwrap();
            let ways = [
                ("hub sets", SolveOptions::default()),
                // Two sets at a time, each interrupted once its bound reaches what the other found.
                ("hub sets two at a time", SolveOptions { parallel: 2, ..Default::default() }),
                // Each set by its MIP, not by its areas within the gap (`set_columns`).
                ("hub sets by their MIPs", SolveOptions { set_columns: false, ..Default::default() }),
                ("no hub sets", SolveOptions { hub_sets: false, ..Default::default() }),
            ];
            for (name, opts) in ways {
                let o = alue::solve::solve(&p, &opts).unwrap();
                assert_eq!(o.status, Status::Optimal, "seed {seed}, k {k}, contiguity {contiguity}, {name}");
                let got = o.objective.unwrap();
                assert!((got - expected).abs() <= 1e-6 * expected, "seed {seed}, k {k}, contiguity {contiguity}, {name}: {got} vs brute force {expected}");
                assert!(validate::validate(&inst, &sc, o.hub_of.as_ref().unwrap(), None).is_feasible());
                assert!(o.bound.unwrap() <= expected * (1.0 + 1e-9), "the bound passes the optimum");
                if name == "hub sets two at a time" && o.highs_status == alue::solve::BY_HUB_SETS {
                    by_sets += 1;
                }
                assert!(name != "no hub sets" || o.highs_status != alue::solve::BY_HUB_SETS, "switched off, yet it ran");
            }
            cases += 1;
        }
    }
    assert!(cases >= 20, "only {cases} feasible cases");
    assert!(by_sets * 4 >= cases, "the hub sets settled {by_sets} of {cases}: the test would not test them");
}

/// A cutoff shared with solves running beside this one (`SolveOptions::shared_cutoff`) only
/// ends a search that cannot beat it: above the brute-force optimum the solve still finds the
/// optimum; below it, the solve finds nothing cheaper, and ends early (infeasible, bound = the
/// shared value) on some instances.
#[test]
fn a_shared_cutoff_never_cuts_off_the_optimum() {
    use alue::solve::shared_best::SharedBest;
    let (mut cases, mut ended_early) = (0, 0);
    for seed in 51..=62 {
        for k in [2, 3] {
            let inst = common::grid(2, 4, seed);
            let mut sc = Scenario::default();
            sc.areas = Some(k);
            sc.min.insert("labour_force".into(), 8_000.0);
            let Some(expected) = brute_force(&inst, &sc) else { continue };
            let p = Problem::new(&inst, &sc).unwrap();
            // The MIP itself decides: no enumeration, hub sets, probing or starts around it.
            let bare = SolveOptions { enumeration: false, hub_sets: false, probing: false, allocation: false, no_heuristic: true, ..Default::default() };
            let above = alue::solve::solve(&p, &SolveOptions { shared_cutoff: Some(SharedBest::new(expected * (1.0 + 1e-4))), ..bare.clone() }).unwrap();
            assert_eq!(above.status, Status::Optimal, "seed {seed}, k {k}");
            assert!((above.objective.unwrap() - expected).abs() <= 1e-6 * expected, "seed {seed}, k {k}: {:?} vs {expected}", above.objective);
            let low = expected * (1.0 - 1e-3);
            let below = alue::solve::solve(&p, &SolveOptions { shared_cutoff: Some(SharedBest::new(low)), ..bare }).unwrap();
            match below.status {
                Status::Infeasible => {
                    ended_early += 1;
                    assert!(below.bound.unwrap() <= expected, "seed {seed}, k {k}: bound {:?} passes the optimum {expected}", below.bound);
                }
                Status::Optimal => assert!((below.objective.unwrap() - expected).abs() <= 1e-6 * expected),
                s => panic!("seed {seed}, k {k}: {s:?}"),
            }
            cases += 1;
        }
    }
    assert!(cases >= 10, "only {cases} feasible cases");
    assert!(ended_early > 0, "the shared cutoff never ended a search early in {cases} cases");
}
