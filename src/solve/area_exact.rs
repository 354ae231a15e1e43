//! Exact pricing of one hub's areas, contiguity relaxed: the hub's subproblem of the bound over
//! whole areas as a small MIP in HiGHS (a binary per unit that may join, whole advisers, the
//! equalisation need max(0, cost − funding), the thresholds). HiGHS's dual bound is a lower
//! bound on every area of the hub, connected or not.

use super::area_pricing::{Hub, Item, Pricing};
use highs::{RowProblem, Sense};

/// A lower bound on min over the hub's areas of (cost − Σ u over its units), HiGHS's dual bound
/// less a margin (−∞ when HiGHS gives none; +∞ when no area meets the thresholds), and the best
/// area HiGHS found (sorted units) with its value at u.
pub(super) fn price(d: &Pricing, h: &Hub, u: &[f64], time_left: f64, neighbours: Option<&[Vec<usize>]>, cutoff: f64, cuts: &mut Vec<(usize, Vec<usize>)>) -> (f64, Option<(f64, Vec<usize>)>) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs_f64(time_left.max(0.0));
    let keep = reachable_below(d, h, u, neighbours, cutoff);
    let mut rounds = 0;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now()).as_secs_f64();
        let (mut bound, best, chosen) = price_with(d, h, u, left, cuts, cutoff, &keep);
        if bound == f64::NEG_INFINITY || bound.is_nan() {
            // HiGHS gave no bound in its time: the branch and bound of `area_pricing` with its
            // node budget gives one (weaker, contiguity relaxed).
            let b = super::area_pricing::Search::run(d, h, u, cutoff).0;
            bound = b - 1e-7 * b.abs() - 1e-6;
        }
        rounds += 1;
        let (Some(nb), Some(chosen)) = (neighbours, chosen) else { return (bound, best) };
        let found = separate(h, &chosen, nb);
        if found.is_empty() || rounds >= MAX_ROUNDS || left <= 0.0 {
            // A disconnected best area is no column; its bound still holds.
            return (bound, if found.is_empty() { best } else { None });
        }
        cuts.extend(found);
    }
}

/// Which of the hub's items can be in an area of value below `cutoff`. Two linear minorants of
/// an area's value (the equalisation need at least 0, or at least its linear part with advisers
/// at jobseekers/caseload) are sums over its units; for an area holding unit i the sum is at
/// least that of the fixed units, plus every negative term of the others, plus the positive
/// terms along the lightest path from the fixed units to i (with contiguity, the area holds
/// one; without, i alone). A unit whose bound reaches the cutoff under either is left out.
fn reachable_below(d: &Pricing, h: &Hub, u: &[f64], neighbours: Option<&[Vec<usize>]>, cutoff: f64) -> Vec<bool> {
    if !cutoff.is_finite() {
        return vec![true; h.items.len()];
    }
    let c = d.costs;
    let all: Vec<&Item> = std::iter::once(&h.own).chain(&h.must).chain(&h.items).collect();
    let fixed = 1 + h.must.len();
    let mut keep = vec![true; h.items.len()];
    let forms: [(Box<dyn Fn(&Item) -> f64>, f64); 2] = [
        (Box::new(|it: &Item| it.travel - u[it.unit] + c.prod_w * c.service * it.jobseekers), c.prod_w * c.admin),
        (Box::new(|it: &Item| c.linear(it, u)), (c.eq_w + c.prod_w) * c.admin),
    ];
    for (w, constant) in forms {
        let weights: Vec<f64> = all.iter().map(|it| w(it)).collect();
        let base = constant + weights[..fixed].iter().sum::<f64>() + weights[fixed..].iter().map(|x| x.min(0.0)).sum::<f64>();
        let scale: f64 = constant.abs() + weights.iter().map(|x| x.abs()).sum::<f64>();
        // Each item's positive term (none for the fixed ones), then the path to it.
        let positive: Vec<f64> = weights.iter().enumerate().map(|(k, x)| if k < fixed { 0.0 } else { x.max(0.0) }).collect();
        let path: Vec<f64> = match neighbours {
            Some(nb) => {
                let mut w = vec![0.0; nb.len()];
                let mut mine = vec![false; nb.len()];
                for (it, &x) in all.iter().zip(&positive) {
                    w[it.unit] = x;
                    mine[it.unit] = true;
                }
                let sources: Vec<usize> = all[..fixed].iter().map(|it| it.unit).collect();
                let dist = crate::problem::lightest_paths(nb, &w, &sources, |v| mine[v]);
                all.iter().map(|it| dist[it.unit]).collect()
            }
            None => positive,
        };
        for k in 0..h.items.len() {
            if base + path[fixed + k] >= cutoff + 1e-9 * scale + 1e-6 {
                keep[k] = false;
            }
        }
    }
    keep
}

/// Cut rounds of one hub's pricing at most.
const MAX_ROUNDS: usize = 30;

/// Separator cuts of a chosen set (items' indices, hub excluded) that is not connected to the
/// hub: for each piece away from the hub, each of its items needs one of the items on the
/// piece's boundary that touch the hub's side.
fn separate(h: &Hub, chosen: &[bool], nb: &[Vec<usize>]) -> Vec<(usize, Vec<usize>)> {
    // Local index: 0 = the hub, 1.. = must, then items (as in price_with's order: fixed first).
    let all: Vec<&Item> = std::iter::once(&h.own).chain(&h.must).chain(&h.items).collect();
    let fixed = 1 + h.must.len();
    let mut local = std::collections::HashMap::new();
    for (k, it) in all.iter().enumerate() {
        local.insert(it.unit, k);
    }
    let inside: Vec<bool> = (0..all.len()).map(|k| k < fixed || chosen[k - fixed]).collect();
    let comp = |start: usize, ok: &dyn Fn(usize) -> bool| -> Vec<bool> {
        let mut seen = vec![false; all.len()];
        let mut stack = vec![start];
        seen[start] = true;
        while let Some(k) = stack.pop() {
            for w in nb[all[k].unit].iter().filter_map(|v| local.get(v).copied()) {
                if !seen[w] && ok(w) {
                    seen[w] = true;
                    stack.push(w);
                }
            }
        }
        seen
    };
    let main = comp(0, &|w| inside[w]);
    let mut done = main.clone();
    let mut cuts = Vec::new();
    for k in 0..all.len() {
        if !inside[k] || done[k] {
            continue;
        }
        let piece = comp(k, &|w| inside[w]);
        (0..all.len()).filter(|&w| piece[w]).for_each(|w| done[w] = true);
        // The piece's boundary among the hub's units, and which of it the hub's side reaches.
        let boundary: Vec<usize> = (0..all.len()).filter(|&w| !piece[w] && nb[all[w].unit].iter().filter_map(|v| local.get(v)).any(|&x| piece[x])).collect();
        let blocked = |w: usize| piece[w] || boundary.contains(&w);
        let side = comp(0, &|w| !blocked(w));
        let sep: Vec<usize> = boundary.into_iter().filter(|&w| w >= fixed && nb[all[w].unit].iter().filter_map(|v| local.get(v)).any(|&x| side[x])).map(|w| w - fixed).collect();
        for w in (0..all.len()).filter(|&w| piece[w] && w >= fixed) {
            cuts.push((w - fixed, sep.clone()));
        }
    }
    cuts
}

/// One MIP of `price`, with separator cuts z(i) ≤ Σ z(sep) (items' indices): the bound, the best
/// area and which items it takes.
fn price_with(d: &Pricing, h: &Hub, u: &[f64], time_left: f64, cuts: &[(usize, Vec<usize>)], cutoff: f64, keep: &[bool]) -> (f64, Option<(f64, Vec<usize>)>, Option<Vec<bool>>) {
    let c = d.costs;
    let fixed: Vec<&Item> = std::iter::once(&h.own).chain(&h.must).collect();
    let (mut t0, mut j0, mut f0) = (0.0, 0.0, 0.0);
    let mut a0 = vec![0.0; d.windows.len()];
    for it in &fixed {
        t0 += it.travel - u[it.unit];
        j0 += it.jobseekers;
        f0 += it.funding;
        a0.iter_mut().zip(&it.attrs).for_each(|(a, v)| *a += v);
    }
    let mut pb = RowProblem::default();
    let z: Vec<highs::Col> = h.items.iter().zip(keep).map(|(it, &k)| pb.add_integer_column(it.travel - u[it.unit] + c.prod_w * c.service * it.jobseekers, 0.0..=if k { 1.0 } else { 0.0 })).collect();
    let s = pb.add_integer_column(c.prod_w * c.staff, c.min_staff.max(0.0)..);
    for (t, &(lo, hi)) in d.windows.iter().enumerate() {
        let row: Vec<(highs::Col, f64)> = z.iter().zip(&h.items).map(|(&zc, it)| (zc, it.attrs[t])).collect();
        pb.add_row((lo - a0[t])..=(hi - a0[t]), &row);
    }
    for (i, sep) in cuts {
        let mut row: Vec<(highs::Col, f64)> = vec![(z[*i], 1.0)];
        row.extend(sep.iter().map(|&k| (z[k], -1.0)));
        pb.add_row(..=0.0, &row);
    }
    // caseload·s ≥ jobseekers
    let mut row: Vec<(highs::Col, f64)> = z.iter().zip(&h.items).map(|(&zc, it)| (zc, -it.jobseekers)).collect();
    row.push((s, c.caseload));
    pb.add_row(j0.., &row);
    if c.eq_w > 0.0 {
        let e = pb.add_column(c.eq_w, 0.0..);
        // e − staff·s − Σ (service·J − funding)·z ≥ admin + service·J0 − F0
        let mut row: Vec<(highs::Col, f64)> = z.iter().zip(&h.items).map(|(&zc, it)| (zc, -(c.service * it.jobseekers - it.funding))).collect();
        row.push((s, -c.staff));
        row.push((e, 1.0));
        pb.add_row((c.admin + c.service * j0 - f0).., &row);
    }
    let constant = t0 + c.prod_w * (c.admin + c.service * j0);
    let mut m = pb.optimise(Sense::Minimise);
    m.make_quiet();
    let _ = m.try_set_option("threads", 1);
    let _ = m.try_set_option("time_limit", time_left.max(0.01));
    let _ = m.try_set_option("mip_rel_gap", 1e-6);
    let _ = m.try_set_option("mip_abs_gap", 1e-3);
    let _ = m.try_set_option("random_seed", 0);
    if cutoff.is_finite() {
        let _ = m.try_set_option("objective_bound", cutoff - constant);
    }
    let solved = m.solve();
    // The terms' sizes, for a rounding margin.
    let scale: f64 = h.items.iter().map(|it| (it.travel - u[it.unit]).abs() + c.service * it.jobseekers + it.funding).sum::<f64>() + constant.abs() + c.admin + c.staff * c.min_staff;
    let margin = 1e-9 * scale + 1e-6;
    use highs::HighsModelStatus as S;
    let has_solution = solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible && solved.objective_value() + constant < cutoff;
    match solved.status() {
        // No area below the cutoff (HiGHS prunes at `objective_bound`), or none at all.
        S::Infeasible | S::ObjectiveBound if !has_solution => return (if cutoff.is_finite() { cutoff - margin } else { f64::INFINITY }, None, None),
        S::Optimal | S::ReachedTimeLimit | S::ReachedIterationLimit | S::ReachedSolutionLimit | S::Infeasible | S::ObjectiveBound => {}
        _ => return (f64::NEG_INFINITY, None, None),
    }
    let lb = solved.double_info_value(c"mip_dual_bound").ok().filter(|b| !b.is_nan()).unwrap_or(f64::NEG_INFINITY);
    let bound = (lb + constant).min(cutoff) - margin;
    if !has_solution {
        return (bound, None, None);
    }
    let sol = solved.get_solution();
    let cols = sol.columns();
    let mut units: Vec<usize> = fixed.iter().map(|it| it.unit).collect();
    units.extend(h.items.iter().zip(cols).filter(|(_, &v)| v > 0.5).map(|(it, _)| it.unit));
    units.sort_unstable();
    let value = solved.objective_value() + constant;
    let chosen = cols[..h.items.len()].iter().map(|&v| v > 0.5).collect();
    (bound, value.is_finite().then_some((value, units)), Some(chosen))
}
