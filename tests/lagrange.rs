//! The Lagrangian relaxation of the Hess model (travel only, a population window, k areas)
//! against brute force on small generated graphs: its bound never exceeds the optimum, its
//! fixing against the optimum never removes a pair of an optimal partition, and the solve with
//! it (the default) and without it reach the brute-force optimum, with and without contiguity.

mod common;

use alue::solve::lagrange::Relaxation;
use alue::solve::SolveOptions;
use alue::{validate, Problem, Scenario, Status};
use std::time::{Duration, Instant};

/// Every set partition of 0..n with exactly k blocks, as block labels (restricted growth).
fn partitions(n: usize, k: usize) -> Vec<Vec<usize>> {
    fn rec(i: usize, used: usize, k: usize, a: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if i == a.len() {
            if used == k {
                out.push(a.clone());
            }
            return;
        }
        if k - used > a.len() - i {
            return;
        }
        for b in 0..(used + 1).min(k) {
            a[i] = b;
            rec(i + 1, used.max(b + 1), k, a, out);
        }
    }
    let mut out = Vec::new();
    rec(0, 0, k, &mut vec![0; n], &mut out);
    out
}

/// Is `block` connected in the graph `nb`?
fn connected(nb: &[Vec<usize>], block: &[usize]) -> bool {
    let mut seen = vec![block[0]];
    let mut stack = vec![block[0]];
    while let Some(u) = stack.pop() {
        for &v in &nb[u] {
            if block.contains(&v) && !seen.contains(&v) {
                seen.push(v);
                stack.push(v);
            }
        }
    }
    seen.len() == block.len()
}

/// The optimum and an optimal hub per unit by enumeration: every partition into k blocks, each
/// block with the population window, connected if asked, served from its cheapest member.
fn brute_force(p: &Problem, k: usize) -> Option<(f64, Vec<usize>)> {
    let n = p.n;
    let c = |i: usize, j: usize| p.sc.travel_weight * p.travel[i][j];
    let t = &p.thresholds[0];
    let mut best: Option<(f64, Vec<usize>)> = None;
    for labels in partitions(n, k) {
        let mut cost = 0.0;
        let mut hub_of = vec![0; n];
        let mut ok = true;
        for b in 0..k {
            let block: Vec<usize> = (0..n).filter(|&i| labels[i] == b).collect();
            let size: f64 = block.iter().map(|&i| p.value(i, t.attr)).sum();
            if size < t.min - 1e-9 || size > t.max + 1e-9 || (p.sc.contiguity && !connected(&p.nb, &block)) {
                ok = false;
                break;
            }
            let (v, h) = block.iter().map(|&h| (block.iter().map(|&i| c(i, h)).sum::<f64>(), h)).min_by(|a, b| a.0.total_cmp(&b.0)).unwrap();
            cost += v;
            block.iter().for_each(|&i| hub_of[i] = h);
        }
        if ok && best.as_ref().is_none_or(|(b, _)| cost < *b) {
            best = Some((cost, hub_of));
        }
    }
    best
}

/// The Hess model on a generated grid: k areas, population within ±`spread` of P/k.
fn scenario(k: usize, spread: f64, contiguity: bool) -> Scenario {
    let mut sc = Scenario::preset("hess").unwrap();
    sc.areas = Some(k);
    sc.balance.insert("population".into(), spread);
    sc.contiguity = contiguity;
    sc
}

/// Of the instances whose compact LP bound lies below the optimum: how many, on how many the
/// whole-unit bound is strictly above that LP bound, and on how many it is not below it.
#[derive(Default, Debug)]
struct Counts {
    below: usize,
    above: usize,
    not_below: usize,
    /// Hubs that probing on the dual closed against the optimum (none of them optimal).
    closed_by_probing: usize,
    /// Solves settled by the hub sets on the dual (`lagrange_hub_sets`).
    by_dual_sets: usize,
}

/// The LP bound of the compact model (HiGHS, relaxation).
fn compact_lp(p: &Problem) -> f64 {
    let mut m = alue::model::build(p, false).highs;
    m.make_quiet();
    // One thread, as every solve of alue's: HiGHS's thread scheduler is per process.
    m.try_set_option("threads", 1).unwrap();
    m.try_set_option("solve_relaxation", true).unwrap();
    m.try_solve().unwrap().objective_value()
}

/// (instances with a feasible partition, instances where the bound was strictly within 10⁻⁹ of
/// the optimum, the whole-unit bound against the compact LP's).
fn property(seeds: std::ops::Range<u64>, contiguity: bool) -> (usize, usize, Counts) {
    let (mut feasible, mut tight, mut counts) = (0, 0, Counts::default());
    for seed in seeds {
        let (rows, cols, k) = [(2, 4, 2), (3, 3, 3), (2, 5, 2), (3, 3, 2)][seed as usize % 4];
        let inst = common::grid(rows, cols, seed);
        let sc = scenario(k, [0.08, 0.15, 0.25][seed as usize % 3], contiguity);
        let Ok(p) = Problem::new(&inst, &sc) else { continue };
        let Some((opt, hub_of)) = brute_force(&p, k) else { continue };
        feasible += 1;
        // The optimum recomputed by the validator: the brute force scores what MODEL.md scores.
        let v = validate::validate(&inst, &sc, &hub_of, None);
        assert!(v.is_feasible() && (v.objective - opt).abs() <= 1e-9 * opt.abs().max(1.0), "seed {seed}: brute force {opt} vs validator {}", v.objective);
        let rel = Relaxation::new(&p, false).expect("the Hess model is covered");
        let mut a = rel.start();
        rel.ascend(&mut a, Some(opt), Instant::now() + Duration::from_secs(5), 600);
        let d = a.best.expect("an evaluation");
        assert!(d.bound <= opt + 1e-9 * opt.abs().max(1.0), "seed {seed} contiguity {contiguity}: bound {} above the optimum {opt}", d.bound);
        tight += usize::from(d.bound >= opt - 1e-9 * opt.abs().max(1.0));
        // In whole units: never above the optimum, never below the LP-knapsack dual, and
        // compared with the compact model's LP bound.
        let w = rel.whole_units(&d, 100_000, Instant::now() + Duration::from_secs(5));
        assert!(w.bound <= opt + 1e-9 * opt.abs().max(1.0), "seed {seed} contiguity {contiguity}: whole-unit bound {} above the optimum {opt}", w.bound);
        assert!(w.bound >= d.bound - 1e-9 * opt.abs().max(1.0), "seed {seed}: whole-unit bound {} below the LP-knapsack dual {}", w.bound, d.bound);
        let lp = compact_lp(&p);
        let tol = 1e-7 * opt.abs().max(1.0);
        if lp < opt - tol {
            counts.below += 1;
            counts.above += usize::from(w.bound > lp + tol);
            counts.not_below += usize::from(w.bound >= lp - 1e-6 * opt.abs().max(1.0));
        }
        // The ascent evaluating in whole units throughout: still a bound.
        let mut whole = Relaxation::new(&p, false).unwrap();
        whole.whole = true;
        let mut aw = whole.start();
        whole.ascend(&mut aw, Some(opt), Instant::now() + Duration::from_secs(5), 300);
        let bw = aw.best.expect("an evaluation").bound;
        assert!(bw <= opt + 1e-9 * opt.abs().max(1.0), "seed {seed} contiguity {contiguity}: whole-unit ascent bound {bw} above the optimum {opt}");
        let f = rel.fixings(&w, opt);
        for (i, &j) in hub_of.iter().enumerate() {
            assert!(!f.pairs.contains(&(i, j)) && !f.hubs.contains(&j), "seed {seed} contiguity {contiguity}: whole-unit fixing removed the optimal pair ({i}, {j})");
        }
        // Fixing against the optimum keeps every pair of the optimal partition.
        let f = rel.fixings(&d, opt);
        for (i, &j) in hub_of.iter().enumerate() {
            assert!(!f.pairs.contains(&(i, j)), "seed {seed} contiguity {contiguity}: the optimal pair ({i}, {j}) was fixed to 0");
            assert!(!f.hubs.contains(&j), "seed {seed} contiguity {contiguity}: the optimal hub {j} was closed");
        }
        // Hub probing on the dual against the optimum, keeping no hub: it may close any hub but
        // those of the optimal partition (whose forced bound is at most the optimum).
        let mut probed = Relaxation::new(&p, false).unwrap();
        let mut ap = probed.start();
        probed.ascend(&mut ap, Some(opt), Instant::now() + Duration::from_secs(5), 600);
        let pr = alue::solve::lagrange_probing::probe(&mut probed, &mut ap, opt, &[], Instant::now() + Duration::from_secs(5));
        for &j in &hub_of {
            assert!(!probed.removed_hubs.contains(&j), "seed {seed} contiguity {contiguity}: probing closed the optimal hub {j}");
        }
        assert_eq!(pr.closed, probed.removed_hubs.len(), "seed {seed}: probing reports what it removed");
        counts.closed_by_probing += pr.closed;
        // The solve with the relaxation and without it: the brute-force optimum, proven.
        // Two threads as a single `alue solve` has them (the hub sets on the dual walked and solved
        // on both).
        for (lagrange, parallel) in [(true, 1), (true, 2), (false, 1)] {
            let o = alue::solve::solve(&p, &SolveOptions { lagrange, parallel, enumeration: false, ..Default::default() }).unwrap();
            assert_eq!(o.status, Status::Optimal, "seed {seed} contiguity {contiguity} lagrange {lagrange}");
            let got = o.objective.unwrap();
            assert!((got - opt).abs() <= 1e-6 * opt.abs().max(1.0), "seed {seed} contiguity {contiguity} lagrange {lagrange}: {got} vs brute force {opt}");
            assert!(o.bound.unwrap() <= opt + 1e-6 * opt.abs().max(1.0), "seed {seed}: bound {:?} above the optimum {opt}", o.bound);
            assert_eq!(o.dual.is_some(), lagrange, "seed {seed}: the dual phase ran iff asked");
            counts.by_dual_sets += usize::from(o.highs_status == alue::solve::BY_DUAL_HUB_SETS);
        }
    }
    (feasible, tight, counts)
}

#[test]
fn the_bound_and_the_fixing_hold_against_brute_force_without_contiguity() {
    let (feasible, _, c) = property(0..100, false);
    assert!(feasible >= 50, "only {feasible} of 100 instances are feasible: the test would test little");
    whole_units_beat_the_lp(&c);
}

#[test]
fn the_bound_and_the_fixing_hold_against_brute_force_with_contiguity() {
    let (feasible, _, c) = property(100..200, true);
    assert!(feasible >= 40, "only {feasible} of 100 instances are feasible: the test would test little");
    whole_units_beat_the_lp(&c);
}

/// Where the compact LP bound is below the optimum, the whole-unit bound is strictly above it on
/// at least half of the instances and below it (by more than the ascent's tolerance) on none.
fn whole_units_beat_the_lp(c: &Counts) {
    eprintln!("whole-unit bound against the compact LP: {c:?}");
    assert!(c.below >= 10, "{c:?}: too few instances with an LP gap to judge");
    assert!(2 * c.above >= c.below, "{c:?}: strictly above the LP bound on fewer than half");
    assert_eq!(c.not_below, c.below, "{c:?}: below the LP bound somewhere");
    assert!(c.closed_by_probing > 0, "{c:?}: probing on the dual closed no hub anywhere: the test would test little");
    assert!(c.by_dual_sets > 0, "{c:?}: no solve went through the hub sets on the dual: the test would test little");
}

/// For each hub set of k units, the least cost of a partition with exactly those hubs (each block
/// holds one of them and is served from it), within the population window, by enumeration;
/// contiguity ignored (the set bounds ignore it too, so this is the stronger check).
fn per_set_optima(p: &Problem, k: usize) -> std::collections::BTreeMap<Vec<usize>, f64> {
    let c = |i: usize, j: usize| p.sc.travel_weight * p.travel[i][j];
    let t = &p.thresholds[0];
    let mut best = std::collections::BTreeMap::new();
    for labels in partitions(p.n, k) {
        let blocks: Vec<Vec<usize>> = (0..k).map(|b| (0..p.n).filter(|&i| labels[i] == b).collect()).collect();
        let fits = |b: &Vec<usize>| {
            let size: f64 = b.iter().map(|&i| p.value(i, t.attr)).sum();
            size >= t.min - 1e-9 && size <= t.max + 1e-9
        };
        if !blocks.iter().all(fits) {
            continue;
        }
        // Every choice of one hub per block.
        let mut choice = vec![0usize; k];
        loop {
            let mut hubs: Vec<usize> = (0..k).map(|b| blocks[b][choice[b]]).collect();
            let cost: f64 = (0..k).map(|b| blocks[b].iter().map(|&i| c(i, hubs[b])).sum::<f64>()).sum();
            hubs.sort_unstable();
            let e = best.entry(hubs).or_insert(f64::INFINITY);
            *e = f64::min(*e, cost);
            let mut b = 0;
            while b < k && choice[b] + 1 == blocks[b].len() {
                choice[b] = 0;
                b += 1;
            }
            if b == k {
                break;
            }
            choice[b] += 1;
        }
    }
    best
}

/// The hub sets on the dual (`lagrange_hub_sets`) against enumeration: each set's window bound
/// is never above the least cost of a partition with exactly its hubs; the sets listed below a
/// limit hold every set whose least cost lies below it, each with a bound not above that cost.
#[test]
fn hub_set_bounds_hold_against_brute_force() {
    use alue::solve::hub_pairs::{pair_bound, Scratch};
    use alue::solve::lagrange_hub_sets::{below, window_bound, Costs};
    let (mut listed, mut checked, mut strict) = (0, 0, 0);
    let (mut pairs_checked, mut pairs_gained) = (0, 0);
    for seed in 300..360u64 {
        let (rows, cols, k) = [(2, 4, 2), (3, 3, 3), (2, 5, 2), (3, 3, 2)][seed as usize % 4];
        let inst = common::grid(rows, cols, seed);
        let sc = scenario(k, [0.08, 0.15, 0.25][seed as usize % 3], false);
        let Ok(p) = Problem::new(&inst, &sc) else { continue };
        let per_set = per_set_optima(&p, k);
        let Some(opt) = per_set.values().copied().reduce(f64::min) else { continue };
        let tol = 1e-9 * opt.abs().max(1.0);
        let rel = Relaxation::new(&p, false).expect("the Hess model is covered");
        let col_of = |j: usize| (0..rel.columns()).find(|&c| rel.hub(c) == j);
        let costs = Costs::new(&rel, 0..rel.columns());
        for (set, &least) in &per_set {
            let cols: Vec<usize> = set.iter().map(|&j| col_of(j).expect("every unit may be a hub")).collect();
            let b = window_bound(&costs, &cols, f64::INFINITY);
            assert!(b <= least + tol, "seed {seed}: set {set:?} window bound {b} above its least cost {least}");
            checked += 1;
        }
        let mut a = rel.start();
        rel.ascend(&mut a, Some(opt), Instant::now() + Duration::from_secs(5), 600);
        let w = rel.whole_units(a.best.as_ref().expect("an evaluation"), 100_000, Instant::now() + Duration::from_secs(5));
        // A limit a little above the optimum, so that some sets lie below it.
        let limit = opt * 1.02;
        // Each pair of a set, with its rows kept together, and the other hubs' knapsacks.
        let d = a.best.as_ref().expect("an evaluation");
        let mut scratch = Scratch::new(p.n);
        for (set, &least) in &per_set {
            let cols: Vec<usize> = set.iter().map(|&j| col_of(j).expect("every unit may be a hub")).collect();
            for x in 0..cols.len() {
                for y in x + 1..cols.len() {
                    let (cx, cy) = (cols[x], cols[y]);
                    let g = pair_bound(&rel, &d.u, (cx, d.price[cx]), (cy, d.price[cy]), &mut scratch);
                    let others: f64 = cols.iter().filter(|&&c| c != cx && c != cy).map(|&c| d.value[c]).sum();
                    let b = d.u.iter().sum::<f64>() + g + others - d.margin;
                    assert!(b <= least + tol, "seed {seed}: set {set:?}, pair ({}, {}): bound {b} above its least cost {least}", rel.hub(cx), rel.hub(cy));
                    pairs_checked += 1;
                    pairs_gained += usize::from(g > d.value[cx] + d.value[cy] + tol);
                }
            }
        }
        let Some(sets) = below(&rel, &w, limit, Instant::now() + Duration::from_secs(5), seed % 2 == 0) else { continue };
        listed += 1;
        for (set, &least) in per_set.iter().filter(|(_, &l)| l < limit) {
            let got = sets.iter().find(|(_, s)| s == set);
            assert!(got.is_some(), "seed {seed}: set {set:?} of least cost {least} below {limit} not listed");
            assert!(got.unwrap().0 <= least + tol, "seed {seed}: set {set:?} listed with bound {} above its least cost {least}", got.unwrap().0);
        }
        strict += sets.iter().filter(|(b, _)| *b > opt + tol).count();
    }
    eprintln!("hub set bounds: {checked} sets checked, {listed} instances listed, {strict} listed sets bounded above the optimum; {pairs_checked} pairs bounded, {pairs_gained} above their two knapsacks");
    assert!(checked >= 500 && listed >= 20 && strict > 0, "{checked} sets, {listed} listings, {strict} bounded above the optimum: the test would test little");
    assert!(pairs_checked >= 500 && pairs_gained * 10 >= pairs_checked, "{pairs_checked} pairs, {pairs_gained} gained: the test would test little");
}

#[test]
fn enumeration_counts_partitions_by_stirling_numbers() {
    // S(8, 2) = 127, S(9, 3) = 3025.
    assert_eq!(partitions(8, 2).len(), 127);
    assert_eq!(partitions(9, 3).len(), 3025);
}
