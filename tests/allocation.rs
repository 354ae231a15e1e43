//! Location–allocation's restriction for the contiguous step (`allocation::keep_interiors`),
//! checked against its definition recomputed here on a generated grid.

mod common;

use alue::solve::allocation::keep_interiors;
use alue::{Problem, Scenario};
use std::collections::VecDeque;

/// The Hess model with contiguity, `k` areas and population within ± `window` of P/k.
fn contiguous_hess(k: usize, window: f64) -> Scenario {
    let mut sc = Scenario::preset("hess").unwrap();
    sc.areas = Some(k);
    sc.balance.insert("population".into(), window);
    sc.contiguity = true;
    sc
}

/// The units of `area` reachable from `from` through units of `area` (breadth first).
fn reach(nb: &[Vec<usize>], area: &[bool], from: usize) -> Vec<bool> {
    let mut seen = vec![false; nb.len()];
    let mut queue = VecDeque::from([from]);
    seen[from] = true;
    while let Some(u) = queue.pop_front() {
        for &v in &nb[u] {
            if area[v] && !seen[v] {
                seen[v] = true;
                queue.push_back(v);
            }
        }
    }
    seen
}

#[test]
fn kept_interiors_are_the_units_whose_neighbours_all_share_their_hubs_piece() {
    let inst = common::grid(8, 8, 5);
    let sc = contiguous_hess(2, 0.9);
    let p = Problem::new(&inst, &sc).unwrap();
    let at = |row: usize, col: usize| inst.unit(&format!("u{row}{col}")).unwrap();
    let (west, east) = (at(3, 1), at(4, 6));
    // Columns 0–3 to the west hub, 4–7 to the east one, and a stray 2×2 block of the west area
    // inside the east half (a piece without its hub: none of it may be kept).
    let mut relaxed = vec![0; p.n];
    for row in 0..8 {
        for col in 0..8 {
            let stray = (1..3).contains(&row) && (5..7).contains(&col);
            relaxed[at(row, col)] = if col < 4 || stray { west } else { east };
        }
    }
    let q = keep_interiors(&p, &relaxed);
    let (mut kept, mut free) = (0, 0);
    for hub in [west, east] {
        let area: Vec<bool> = relaxed.iter().map(|&h| h == hub).collect();
        let piece = reach(&p.nb, &area, hub);
        for i in (0..p.n).filter(|&i| area[i]) {
            let interior = i != hub && piece[i] && p.nb[i].iter().all(|&v| relaxed[v] == hub);
            if interior {
                let left: Vec<usize> = (0..p.n).filter(|&j| q.allowed[i][j]).collect();
                assert_eq!(left, vec![hub], "unit {i}: an interior unit keeps its hub alone");
                kept += 1;
            } else {
                assert_eq!(q.allowed[i], p.allowed[i], "unit {i}: a border or stray unit keeps every choice");
                free += 1;
            }
        }
    }
    for row in 1..3 {
        for col in 5..7 {
            assert_eq!(q.allowed[at(row, col)], p.allowed[at(row, col)], "the stray block is free");
        }
    }
    assert!(kept >= 20 && free >= 20, "{kept} kept and {free} free: the grid tests little");
    for hub in [west, east] {
        assert_eq!(q.allowed[hub], p.allowed[hub], "a hub's own row is not restricted");
    }
}

#[test]
fn a_shared_best_is_the_least_offered_and_stops_allocations_that_cannot_beat_it() {
    use alue::solve::allocation::location_allocation;
    use alue::solve::shared_best::SharedBest;
    let b = SharedBest::new(5.0);
    b.offer(7.0);
    assert_eq!(b.get(), 5.0);
    b.offer(3.0);
    b.offer(-1.0);
    assert_eq!(b.get(), 3.0);

    let inst = common::grid(6, 6, 11);
    let sc = contiguous_hess(3, 0.5);
    let p = Problem::new(&inst, &sc).unwrap();
    let opts = alue::solve::SolveOptions::default();
    let y: Vec<f64> = (0..p.n).map(|j| (j % 7) as f64).collect();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let (obj, h) = location_allocation(&p, &y, 3, deadline, &opts, None).expect("an allocation on the grid");
    // The partition is one of the scenario's: recomputed, it costs what was reported.
    assert!((alue::solution::evaluate(&p, &h).objective - obj).abs() <= 1e-9 * obj.abs());
    // Beside allocations that found nothing, the same answer.
    let same = location_allocation(&p, &y, 3, deadline, &opts, Some(&SharedBest::new(f64::INFINITY))).map(|x| x.0);
    assert_eq!(same, Some(obj));
    // Beside one that found a partition costing 0, nothing can beat it: nothing comes back.
    assert!(location_allocation(&p, &y, 3, deadline, &opts, Some(&SharedBest::new(0.0))).is_none());
}

#[test]
fn the_cuts_location_allocation_keeps_separate_their_unit_from_their_hub_in_the_graph() {
    use alue::solve::allocation::location_allocation_with_cuts;
    // West Virginia's counties (k = 3, population within ±0.5 %): the relaxed ends of its
    // allocations are often not connected.
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("instances/hess/county54.json");
    let inst = alue::Instance::from_networkx(&file).unwrap();
    let sc = contiguous_hess(3, 0.005);
    let p = Problem::new(&inst, &sc).unwrap();
    let mut seen = 0;
    for seed in 0..4 {
        let y: Vec<f64> = (0..p.n).map(|j| ((j * 7 + 3 * seed) % 11) as f64).collect();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let (_, memo) = location_allocation_with_cuts(&p, &y, 3, deadline, &alue::solve::SolveOptions::default(), None, None);
        let cuts = memo.cuts;
        for c in &cuts {
            // Recomputed here: with the separator's units removed, the unit cannot reach the hub,
            // so every connected area that holds both holds a unit of the separator too.
            let open: Vec<bool> = (0..p.n).map(|k| !c.sep.contains(&k)).collect();
            assert!(open[c.i] && open[c.j], "seed {seed}: the separator {:?} holds its own ends {} / {}", c.sep, c.i, c.j);
            assert!(!reach(&p.nb, &open, c.i)[c.j], "seed {seed}: {:?} does not separate unit {} from hub {}", c.sep, c.i, c.j);
        }
        seen += cuts.len();
    }
    assert!(seen > 0, "no allocation met a cut: the test would test nothing");
}

/// With minimums only on a small graph (the employment model on a region), the descent is
/// contiguous from its first step (no relaxed descent before it). Its end must still be a
/// partition of the scenario (the validator's verdict, contiguity included) whose cost is the
/// optimum for its own hubs within the allocation's gap, recomputed here by solving the problem
/// with exactly those hubs to optimality.
#[test]
fn without_upper_bounds_the_contiguous_descent_ends_in_an_exact_allocation_to_its_hubs() {
    use alue::solve::allocation::location_allocation;
    use alue::solve::SolveOptions;
    let inst = common::grid(5, 6, 23);
    let mut sc = Scenario::default();
    sc.contiguity = true;
    sc.areas = Some(3);
    sc.min.insert("labour_force".into(), 30_000.0);
    let p = Problem::new(&inst, &sc).unwrap();
    assert!(p.thresholds.iter().all(|t| !t.max.is_finite()) && p.n < 200, "the case is one without the relaxed descent");
    let mut seen = 0;
    for seed in 0..4 {
        let y: Vec<f64> = (0..p.n).map(|j| ((j * 5 + 7 * seed) % 13) as f64).collect();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let Some((obj, h)) = location_allocation(&p, &y, 3, deadline, &SolveOptions::default(), None) else { continue };
        seen += 1;
        let v = alue::validate::validate(&inst, &sc, &h, None);
        assert!(v.violations.is_empty(), "seed {seed}: the allocation breaks the model: {:?}", v.violations);
        assert!((v.objective - obj).abs() <= 1e-6 * obj.abs().max(1.0), "seed {seed}: reported {obj}, recomputed {}", v.objective);
        let hubs: Vec<usize> = (0..p.n).filter(|&i| h[i] == i).collect();
        assert_eq!(hubs.len(), 3, "seed {seed}: three areas asked for");
        let mut q = p.with_exactly_hubs(&hubs);
        q.reduce();
        let r = alue::run_solve(&q, &SolveOptions::default()).unwrap();
        assert_eq!(r.status, alue::Status::Optimal, "seed {seed}: the fixed-hub problem is solved");
        let best = r.evaluation.unwrap().objective;
        assert!(obj >= best - 1e-6 * best.abs(), "seed {seed}: {obj} below the optimum {best} for its hubs");
        assert!(obj <= best * (1.0 + 1e-3), "seed {seed}: {obj} more than the allocation's gap above the optimum {best} for its hubs");
    }
    assert!(seen >= 3, "only {seed_count} descents found a partition: the test tests little", seed_count = seen);
}

/// The scenario of the brute-force tests on small grids: `k` areas, each with at least
/// `labour_force` of it, contiguous or not.
fn grid_scenario(contiguity: bool, labour_force: f64, k: usize) -> Scenario {
    let mut sc = Scenario::default();
    sc.contiguity = contiguity;
    sc.min.insert("labour_force".into(), labour_force);
    sc.areas = Some(k);
    sc
}

/// The least objective, by the validator, of the assignments of every unit to exactly the hubs
/// `set` (each hub serving itself); None if none is feasible.
fn best_with_hubs(inst: &alue::Instance, sc: &Scenario, set: &[usize]) -> Option<f64> {
    let n = inst.n();
    let others: Vec<usize> = (0..n).filter(|i| !set.contains(i)).collect();
    let mut best: Option<f64> = None;
    for code in 0..set.len().pow(others.len() as u32) {
        let mut hub_of: Vec<usize> = (0..n).collect();
        let mut c = code;
        for &i in &others {
            hub_of[i] = set[c % set.len()];
            c /= set.len();
        }
        let v = alue::validate::validate(inst, sc, &hub_of, None);
        if v.is_feasible() && best.is_none_or(|b| v.objective < b) {
            best = Some(v.objective);
        }
    }
    best
}

#[test]
fn the_hub_sets_an_allocation_bounds_hold_no_cheaper_partition() {
    use alue::solve::allocation::location_allocation_with_cuts;
    use alue::solve::shared_best::SharedBest;
    // Every bound the memo keeps, against brute force over the assignments to its hubs: with no
    // cutoff (the steps' own bounds) and against brute force's optimum (nothing lies below it,
    // so each step's bound is the cutoff itself).
    let mut checked = 0;
    for seed in 1..=6 {
        let inst = common::grid(2, 4, seed);
        for (k, contiguity) in [(2, true), (3, true), (2, false)] {
            let sc = grid_scenario(contiguity, 12_000.0, k);
            let p = Problem::new(&inst, &sc).unwrap();
            let Some(opt) = common::enumerate::brute_force(&inst, &sc) else { continue };
            for cutoff in [None, Some(opt)] {
                let shared = cutoff.map(SharedBest::new);
                let y: Vec<f64> = (0..p.n).map(|j| ((j * 5 + seed as usize) % 7) as f64).collect();
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
                let (_, memo) = location_allocation_with_cuts(&p, &y, k, deadline, &alue::solve::SolveOptions::default(), shared.as_ref(), None);
                for (set, bound) in &memo.bounded {
                    let best = best_with_hubs(&inst, &sc, set);
                    assert!(best.is_none_or(|b| b >= bound - 1e-6 * bound.abs()), "seed {seed}, {k} areas, hubs {set:?}: bound {bound} above the best assignment {best:?}");
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 10, "only {checked} bounds kept: the test would test little");
}

/// Every set of `k` of the hubs `hubs`, each sorted.
fn sets_of(hubs: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut sets: Vec<Vec<usize>> = vec![Vec::new()];
    for _ in 0..k {
        sets = sets.iter().flat_map(|s| hubs.iter().filter(|&&h| s.last().is_none_or(|&l| h > l)).map(move |&h| [s.clone(), vec![h]].concat())).collect();
    }
    sets
}

/// The bound over whole areas of a hub set (its LP split by hub, each hub's part raised to what
/// the integer search proves of its best area) never passes the cheapest assignment to those
/// hubs (brute force), never lies below the set's LP, and lies strictly above it on some sets.
#[test]
fn a_hub_sets_bound_over_whole_areas_lies_between_its_lp_and_its_best_assignment() {
    let (mut checked, mut above_lp) = (0, 0);
    for seed in 1..=8 {
        let inst = common::grid(2, 4, seed);
        for (k, contiguity) in [(2, true), (3, true), (2, false), (3, false)] {
            let sc = grid_scenario(contiguity, 8_000.0, k);
            let p = Problem::new(&inst, &sc).unwrap();
            let sets = sets_of(&p.hubs(), k);
            for set in sets {
                let Some((lp, whole)) = alue::solve::set_bounds(&p, &set) else { continue };
                let best = best_with_hubs(&inst, &sc, &set);
                assert!(best.is_none_or(|b| whole <= b + 1e-9 * b.abs()), "seed {seed}, hubs {set:?}: bound {whole} above the best assignment {best:?}");
                assert!(whole >= lp - 1e-6 * lp.abs().max(1.0), "seed {seed}, hubs {set:?}: bound {whole} below the LP {lp}");
                above_lp += usize::from(whole > lp + 1e-6 * lp.abs().max(1.0));
                checked += 1;
            }
        }
    }
    assert!(checked >= 50, "only {checked} sets bounded: the test would test little");
    assert!(above_lp * 5 >= checked, "the bound rose above the LP on only {above_lp} of {checked} sets");
}

/// Hub probing's first step closes, at the root LP's duals, each hub whose opening the bound over
/// whole areas prices at the incumbent (`closed_over_whole_areas`). No hub it closes opens a
/// partition cheaper than that incumbent (brute force over every hub set holding it and every
/// assignment to that set), at the optimum and at 2 % and 10 % above it; and it closes some.
#[test]
fn hubs_closed_over_whole_areas_open_no_cheaper_partition() {
    let (mut checked, mut closed_some) = (0, 0);
    for seed in 1..=6 {
        let inst = common::grid(2, 4, seed);
        for (k, contiguity) in [(2, true), (3, true), (2, false)] {
            let sc = grid_scenario(contiguity, 8_000.0, k);
            let p = Problem::new(&inst, &sc).unwrap();
            let Some(opt) = common::enumerate::brute_force(&inst, &sc) else { continue };
            // The cheapest partition opening each hub, over every set of k hubs that holds it.
            let sets = sets_of(&p.hubs(), k);
            let best_open = |j: usize| sets.iter().filter(|s| s.contains(&j)).filter_map(|s| best_with_hubs(&inst, &sc, s)).reduce(f64::min);
            for ub in [opt, opt * 1.02, opt * 1.1] {
                let closed = alue::solve::closed_over_whole_areas(&p, ub);
                for &j in &closed {
                    let b = best_open(j);
                    assert!(b.is_none_or(|b| b >= ub * (1.0 - 1e-9)), "seed {seed}, {k} areas, contiguity {contiguity}: hub {j} closed against {ub}, yet it opens a partition of {b:?}");
                }
                closed_some += usize::from(!closed.is_empty());
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "only {checked} cases");
    assert!(closed_some * 3 >= checked, "hubs closed in only {closed_some} of {checked} cases: the test would test little");
}
