//! The iterated local search of the starts (`solve::local_search`): on small grids its partitions
//! are feasible by the validator, never worse than where it started, the same on every run, and
//! mostly the optimum that brute force finds for their number of areas; the area cost it keeps
//! equals the validator's figures.

mod common;

use alue::solution::{area_cost, area_figures, area_objective};
use alue::solve::{heuristic, local_search};
use alue::{validate, Problem, Scenario};
use common::enumerate::brute_force;
use std::time::{Duration, Instant};

fn scenario(contiguity: bool, areas: Option<usize>) -> Scenario {
    let mut sc = Scenario::default();
    sc.contiguity = contiguity;
    sc.min.insert("labour_force".into(), 12_000.0);
    sc.areas = areas;
    sc
}

/// (instances where the search reached brute force's optimum for its number of areas, instances).
fn run(contiguity: bool, seeds: std::ops::RangeInclusive<u64>) -> (usize, usize) {
    let (mut hits, mut total) = (0, 0);
    for seed in seeds {
        let inst = common::grid(2, 4, seed);
        let free = scenario(contiguity, None);
        let p = Problem::new(&inst, &free).unwrap();
        let far = Instant::now() + Duration::from_secs(60);
        let Some(start) = heuristic::construct(&p, far) else { continue };
        let k = start.iter().enumerate().filter(|&(i, &j)| i == j).count();
        let fixed = scenario(contiguity, Some(k));
        let q = Problem::new(&inst, &fixed).unwrap();
        let before = validate::validate(&inst, &fixed, &start, None);
        assert!(before.is_feasible(), "seed {seed}: the start must be feasible");
        let found = local_search::search(&q, &start, local_search::kicks(q.n), far);
        assert_eq!(found, local_search::search(&q, &start, local_search::kicks(q.n), far), "seed {seed}: the same on every run");
        let after = validate::validate(&inst, &fixed, &found, None);
        assert!(after.is_feasible(), "seed {seed} contiguity {contiguity}: infeasible partition {found:?}");
        assert!(after.objective <= before.objective + 1e-6 * before.objective, "seed {seed}: {} worse than the start's {}", after.objective, before.objective);
        let best = brute_force(&inst, &fixed).expect("the start is feasible");
        assert!(after.objective >= best - 1e-6 * best, "seed {seed}: below the optimum?");
        hits += usize::from(after.objective <= best + 1e-6 * best);
        total += 1;
    }
    (hits, total)
}

#[test]
fn local_search_is_feasible_monotone_and_mostly_optimal_with_contiguity() {
    let (hits, total) = run(true, 1..=10);
    assert!(total >= 8 && hits * 10 >= total * 9, "{hits} optima of {total}");
}

#[test]
fn local_search_is_feasible_monotone_and_mostly_optimal_without_contiguity() {
    let (hits, total) = run(false, 21..=30);
    assert!(total >= 8 && hits * 10 >= total * 9, "{hits} optima of {total}");
}

#[test]
fn area_cost_equals_the_figures_objective() {
    let inst = common::grid(3, 3, 5);
    let sc = scenario(true, None);
    let p = Problem::new(&inst, &sc).unwrap();
    for mask in 1u32..(1 << 9) {
        let members: Vec<usize> = (0..9).filter(|&i| mask & (1 << i) != 0).collect();
        for &hub in &members {
            let a = area_cost(&p, hub, &members);
            let b = area_objective(&p, &area_figures(&p, hub, &members));
            assert_eq!(a.to_bits(), b.to_bits(), "members {members:?} hub {hub}");
        }
    }
}
