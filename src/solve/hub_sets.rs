//! The search over hub sets: branching on the choice of hubs, done in full when the choice is
//! small. After hub probing, every partition cheaper than the incumbent with K areas opens K of
//! the candidate hubs left, among them every hub probing forced open. When there are at most
//! `MAX_SETS` such sets, each set is bounded by the LP with exactly its hubs open (a hot-started
//! re-solve of the live relaxation that stops once it passes the incumbent), and each set whose
//! bound lies below the incumbent is solved exactly as the problem with its hubs fixed: a small
//! MIP whose contiguity rounds settle in a round or two, where the MIP over every hub at once
//! restarts its branch and bound after each disconnected solution. The optimum is the best set's.
//!
//! On the travel-only corner of Northern Ostrobothnia (two areas), probing leaves one hub forced
//! and ten free: ten sets, instead of five MIP rounds over all hubs.

use super::compact_model::Compact;
use super::highs_api::m_status_optimal;
use super::state::Search;
use super::{solve, Outcome, SolveOptions};
use crate::error::{Error, Result};
use crate::problem::Problem;
use crate::solution::Status;

/// At most this many hub sets are searched one by one (each costs an LP re-solve, and the ones
/// below the incumbent a small MIP); above it HiGHS's branch and bound chooses the hubs.
pub(super) const MAX_SETS: usize = 256;

/// The candidate hubs of the live model: (free, forced open). None when probing has not run.
fn candidates(s: &Search, c: &Compact) -> (Vec<usize>, Vec<usize>) {
    let opened = |j: usize| s.p.forced_hub[j] || c.hub_fixings.iter().any(|&(h, v)| h == j && v == 1.0);
    let (mut free, mut forced) = (Vec::new(), Vec::new());
    for j in s.p.hubs() {
        let Some(y) = c.vars.y(j) else { continue };
        if opened(j) {
            forced.push(j);
        } else if !c.fixed[y.col] {
            free.push(j);
        }
    }
    (free, forced)
}

/// n choose k, saturating.
fn choose(n: usize, k: usize) -> usize {
    if k > n {
        return 0;
    }
    (0..k.min(n - k)).fold(1usize, |acc, i| acc.saturating_mul(n - i) / (i + 1))
}

/// Every k-subset of `items`, in lexicographic order.
fn subsets(items: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..k).collect();
    if k > items.len() {
        return out;
    }
    loop {
        out.push(idx.iter().map(|&i| items[i]).collect());
        let Some(pos) = (0..k).rev().find(|&p| idx[p] < items.len() - k + p) else { return out };
        idx[pos] += 1;
        for q in pos + 1..k {
            idx[q] = idx[q - 1] + 1;
        }
    }
}

/// Solve the problem by its hub sets when there are few (None: not applicable, the MIP rounds go
/// on). The model `m` is the live relaxation after probing.
pub(super) fn try_solve(s: &mut Search, c: &mut Compact, m: &mut highs::Model) -> Result<Option<Outcome>> {
    let (p, k) = (s.p, s.p.areas.0);
    if !s.opts.hub_sets || p.areas.0 != p.areas.1 || c.flow || !c.probed || c.hub_fixings.is_empty() {
        return Ok(None);
    }
    let Some(ub) = s.upper_bound() else { return Ok(None) };
    let (free, forced) = candidates(s, c);
    if forced.len() > k || choose(free.len(), k - forced.len()) > MAX_SETS {
        s.log(format_args!("hub sets: {} free candidates and {} forced for {k} hubs, too many sets", free.len(), forced.len()));
        return Ok(None);
    }
    let sets: Vec<Vec<usize>> = subsets(&free, k - forced.len()).into_iter().map(|mut h| {
        h.extend(&forced);
        h.sort_unstable();
        h
    }).collect();
    s.tell("hub sets");
    let mut open = bound_sets(m, c, &free, &forced, &sets, ub)?;
    s.log(format_args!("hub sets: {} sets of {k} hubs ({} free candidates, {} forced), {} below {ub:.2} by their LP", sets.len(), free.len(), forced.len(), open.len()));
    open.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut bound = f64::INFINITY;
    let mut timed_out = false;
    for (lb, set) in open {
        let ub = s.upper_bound().unwrap_or(f64::INFINITY);
        if lb >= ub - 1e-9 * ub.abs().max(1.0) {
            continue;
        }
        if s.left() <= 0.0 || timed_out {
            timed_out = true;
            bound = bound.min(lb);
            continue;
        }
        let (b, done) = solve_set(s, c, &set, lb, ub)?;
        bound = bound.min(b);
        timed_out |= !done;
    }
    let best = s.incumbent.as_ref().map(|(o, _)| *o);
    let bound = best.map_or(bound, |o| bound.min(o));
    if bound.is_finite() {
        s.raise_bound(bound);
    }
    let outcome = match (timed_out, &s.incumbent) {
        (true, _) => s.finish(Status::TimeLimit, "time limit (hub sets)".into()),
        (false, Some(_)) => s.finish(Status::Optimal, "Optimal".into()),
        // Nothing below the caller's cutoff.
        (false, None) => s.finish_with(Status::Infeasible, None, s.opts.cutoff, "Infeasible".into()),
    };
    Ok(Some(outcome))
}

/// The LP bound of each hub set: the live relaxation with the set's hubs fixed open and the other
/// free candidates closed, re-solved hot against `ub` (HiGHS's dual simplex stops once its
/// objective passes it). The sets whose bound lies below `ub`, with their bounds.
fn bound_sets(m: &mut highs::Model, c: &Compact, free: &[usize], forced: &[usize], sets: &[Vec<usize>], ub: f64) -> Result<Vec<(f64, Vec<usize>)>> {
    let err = |k: &str| Error::Solver(format!("HiGHS rejected option {k}"));
    m.try_set_option("solve_relaxation", true).map_err(|_| err("solve_relaxation"))?;
    // Ties go too: the incumbent stays the answer if nothing cheaper exists.
    let cut = ub - 1e-9 * ub.abs().max(1.0);
    let ptr = m.as_mut_ptr();
    let col = |j: usize| c.vars.y(j).expect("a candidate hub has a column").col as highs_sys::HighsInt;
    let mut open = Vec::new();
    // SAFETY: `ptr` is the live model's and every column a hub column of it.
    unsafe {
        highs_sys::Highs_setDoubleOptionValue(ptr, c"objective_bound".as_ptr(), cut);
        for set in sets {
            for &j in free.iter().chain(forced) {
                let v = if set.binary_search(&j).is_ok() { 1.0 } else { 0.0 };
                highs_sys::Highs_changeColBounds(ptr, col(j), v, v);
            }
            highs_sys::Highs_run(ptr);
            let lb = match highs_sys::Highs_getModelStatus(ptr) {
                highs_sys::MODEL_STATUS_OBJECTIVE_BOUND | highs_sys::MODEL_STATUS_INFEASIBLE => continue,
                highs_sys::MODEL_STATUS_OPTIMAL => highs_sys::Highs_getObjectiveValue(ptr),
                // No LP answer: the set is searched with no bound of its own.
                _ => f64::NEG_INFINITY,
            };
            if lb < cut {
                open.push((lb, set.clone()));
            }
        }
        for &j in free {
            highs_sys::Highs_changeColBounds(ptr, col(j), 0.0, 1.0);
        }
        for &j in forced {
            highs_sys::Highs_changeColBounds(ptr, col(j), 1.0, 1.0);
        }
        highs_sys::Highs_setDoubleOptionValue(ptr, c"objective_bound".as_ptr(), f64::INFINITY);
    }
    // The model goes on to the MIP rounds if this search does not settle the problem.
    if !m_status_optimal(m) {
        super::highs_api::resolve(m);
    }
    m.try_set_option("solve_relaxation", false).map_err(|_| err("solve_relaxation"))?;
    Ok(open)
}

/// The problem with exactly the hubs of `set` open, without the pairs the search has fixed away.
fn restricted<'a>(p: &Problem<'a>, c: &Compact, set: &[usize]) -> Problem<'a> {
    let mut q = p.clone();
    for (i, row) in q.allowed.iter_mut().enumerate() {
        for (j, a) in row.iter_mut().enumerate() {
            let fixed_away = c.vars.x[i][j].is_some_and(|x| c.fixed[x.col]) && i != j;
            *a &= set.binary_search(&j).is_ok() && !fixed_away;
        }
    }
    for &j in set {
        q.forced_hub[j] = true;
    }
    q.reduce();
    q
}

/// Solve one hub set against `ub` (its LP bound `lb`): its bound, and whether it was settled
/// (optimal or nothing below `ub`) rather than stopped by the clock. A cheaper partition becomes
/// the incumbent.
fn solve_set(s: &mut Search, c: &Compact, set: &[usize], lb: f64, ub: f64) -> Result<(f64, bool)> {
    let q = restricted(s.p, c, set);
    let opts = SolveOptions {
        no_heuristic: true,
        allocation: false,
        lagrange: false,
        enumeration: false,
        split_areas: false,
        probing: false,
        hub_sets: false,
        recombination: false,
        parallel: 1,
        time_limit: Some(s.left().max(0.0)),
        verbose: false,
        start: None,
        cutoff: Some(ub),
        pool: Vec::new(),
        progress: None,
        allocated: Default::default(),
        cuts: if s.p.sc.contiguity { s.cuts.sorted() } else { Vec::new() },
        ..s.opts.clone()
    };
    let o = match solve(&q, &opts) {
        Ok(o) => o,
        // A simple argument shows the set cannot hold a partition.
        Err(Error::Infeasible(_)) => return Ok((f64::INFINITY, true)),
        Err(e) => return Err(e),
    };
    s.rounds += o.rounds;
    for cut in &o.cut_list {
        s.cuts.insert(cut);
    }
    s.log(format_args!("hub set {:?}: {:?}, objective {:?}, bound {:?} (LP {lb:.2}), {:.2} s", set, o.status, o.objective, o.bound, o.seconds));
    let found = o.objective.zip(o.hub_of);
    Ok(match o.status {
        Status::Optimal => {
            let (obj, h) = found.ok_or_else(|| Error::Solver("an optimal hub set without a partition".into()))?;
            if obj < ub - 1e-9 * ub.abs().max(1.0) {
                s.offer(Some(h));
            }
            (obj.min(ub), true)
        }
        Status::Infeasible => (o.bound.unwrap_or(f64::INFINITY).max(ub), true),
        _ => {
            if let Some((obj, h)) = found.filter(|(obj, _)| *obj < ub) {
                let _ = obj;
                s.offer(Some(h));
            }
            (o.bound.unwrap_or(lb).max(lb), false)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subsets_are_every_choice_once() {
        let items = [2, 5, 7, 9, 11];
        for k in 0..=5 {
            let all = subsets(&items, k);
            assert_eq!(all.len(), choose(5, k), "k = {k}");
            let mut seen = std::collections::BTreeSet::new();
            for s in &all {
                assert_eq!(s.len(), k);
                assert!(s.windows(2).all(|w| w[0] < w[1]));
                assert!(seen.insert(s.clone()));
            }
        }
        assert!(subsets(&items, 6).is_empty());
        assert_eq!(choose(30, 15), 155_117_520);
    }
}
