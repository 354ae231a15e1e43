//! Recombination of neighbouring areas (`solve::recombine`) and the restricted problem it solves
//! (`Problem::restrict`), checked by brute force on a generated grid of 144 units: the restricted
//! problem prices every area as the whole problem does, and after recombination no union of two
//! touching areas (up to 10 units) can be re-cut, or merged, into anything cheaper.

mod common;

use alue::instance::adjacency::components;
use alue::solution::{area_figures, area_objective, areas_of, evaluate};
use alue::solve::{heuristic, recombine, SolveOptions};
use alue::{Problem, Scenario};
use std::time::{Duration, Instant};

fn setup() -> (alue::Instance, Scenario) {
    (common::grid(9, 16, 7), Scenario::preset("employment").unwrap())
}

#[test]
fn the_restricted_problem_prices_each_area_as_the_whole_problem_does() {
    let (inst, sc) = setup();
    let p = Problem::new(&inst, &sc).unwrap();
    let hub_of = heuristic::construct(&p, Instant::now() + Duration::from_secs(10)).expect("a start");
    let areas = areas_of(&hub_of);
    let hubs: Vec<usize> = areas.keys().copied().collect();
    for pair in hubs.windows(2) {
        let mut members: Vec<usize> = pair.iter().flat_map(|h| areas[h].iter().copied()).collect();
        members.sort_unstable();
        let sub_inst = inst.subset(&members);
        let q = p.restrict(&members, &sub_inst, (1, members.len()));
        let local: Vec<usize> = members.iter().map(|&i| members.binary_search(&hub_of[i]).unwrap()).collect();
        let whole: f64 = pair.iter().map(|&h| area_objective(&p, &area_figures(&p, h, &areas[&h]))).sum();
        let part = evaluate(&q, &local).objective;
        assert!((part - whole).abs() <= 1e-9 * whole.abs(), "areas {pair:?}: {part} restricted, {whole} in the whole problem");
        for (a, &i) in members.iter().enumerate() {
            for (b, &j) in members.iter().enumerate() {
                assert!(!q.allowed[a][b] || p.allowed[i][j], "pair ({i}, {j}) allowed only in the restriction");
            }
            let nb: Vec<usize> = q.nb[a].iter().map(|&v| members[v]).collect();
            assert!(nb.iter().all(|v| p.nb[i].contains(v)) && p.nb[i].iter().filter(|v| members.contains(v)).count() == nb.len(), "unit {i}: neighbours differ");
        }
    }
}

/// The cheapest feasible partition that re-cuts `members` (a union of two touching areas of
/// `hub_of`) into one or two connected areas, every other unit kept, by brute force.
fn best_recut(p: &Problem, hub_of: &[usize], members: &[usize]) -> f64 {
    let m = members.len();
    let mut best = f64::INFINITY;
    let mut cand = hub_of.to_vec();
    for mask in 0u32..(1 << (m - 1)) {
        // Unit members[m − 1] is always in the second part (or alone in the single area: mask 0).
        let in_a = |k: usize| k < m - 1 && mask & (1 << k) != 0;
        let a: Vec<usize> = (0..m).filter(|&k| in_a(k)).map(|k| members[k]).collect();
        let b: Vec<usize> = (0..m).filter(|&k| !in_a(k)).map(|k| members[k]).collect();
        if components(&p.nb, &b).len() != 1 || (!a.is_empty() && components(&p.nb, &a).len() != 1) {
            continue;
        }
        for &hb in &b {
            for ha in a.iter().copied().chain(a.is_empty().then_some(usize::MAX)) {
                a.iter().for_each(|&i| cand[i] = ha);
                b.iter().for_each(|&i| cand[i] = hb);
                if heuristic::feasible(p, &cand) {
                    best = best.min(evaluate(p, &cand).objective);
                }
            }
        }
    }
    best
}

#[test]
fn after_recombination_no_union_of_two_touching_areas_recuts_cheaper() {
    let (inst, sc) = setup();
    let p = Problem::new(&inst, &sc).unwrap();
    let start = heuristic::construct(&p, Instant::now() + Duration::from_secs(10)).expect("a start");
    let before = alue::validate::validate(&inst, &sc, &start, None);
    assert!(before.is_feasible());
    let mut inc = Some((evaluate(&p, &start).objective, start.clone()));
    let done = recombine::improve(&p, &mut inc, Instant::now() + Duration::from_secs(300), &SolveOptions::default());
    let (obj, hub_of) = inc.unwrap();
    let after = alue::validate::validate(&inst, &sc, &hub_of, None);
    assert!(after.is_feasible(), "{:?}", after.violations);
    assert!((after.objective - obj).abs() <= 1e-6 * obj, "claimed {obj}, validated {}", after.objective);
    assert!(done.improvements > 0 && after.objective < before.objective, "{done:?}: {} → {}", before.objective, after.objective);
    let areas = areas_of(&hub_of);
    let mut checked = 0;
    for (&a, ma) in &areas {
        for (&b, mb) in areas.range(a + 1..) {
            let touch = ma.iter().any(|&u| p.nb[u].iter().any(|&v| hub_of[v] == b));
            if !touch || ma.len() + mb.len() > 10 {
                continue;
            }
            let mut members: Vec<usize> = ma.iter().chain(mb).copied().collect();
            members.sort_unstable();
            let best = best_recut(&p, &hub_of, &members);
            assert!(best >= obj - 1e-6 * obj, "areas {a} and {b}: a re-cut costs {best}, the recombined partition {obj}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} unions small enough to check");
}
