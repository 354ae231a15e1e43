//! Splitting the solve by the number of areas. When the number of areas is free, the LP
//! relaxation opens fractions of many hubs (each paying a fraction of the administration cost and
//! serving a fraction of its neighbours), and its bound is weak: 3–4 % below the optimum on
//! Northern Ostrobothnia at high thresholds. With the count fixed to K, Σ x(j,j) = K makes the
//! relaxation much tighter. So the solve becomes one subproblem per K: every K's LP bound first,
//! then the subproblems in order of their bounds, each pruned against the best partition so far
//! (HiGHS's objective_bound), and K whose LP bound already exceeds it skipped. The optimum is the
//! best of the subproblems; the bound is the least of their bounds.

use super::{heuristic, improve_deadline, pair_count, relative_gap, set_options, solve, Outcome, SolveOptions};
use crate::error::{Error, Result};
use crate::model;
use crate::problem::Problem;
use crate::solution::{evaluate, Status};
use std::time::Instant;

/// Split only when the number of areas takes at most this many values…
const MAX_COUNTS: usize = 12;
/// …on instances of at most this many units (on larger ones each subproblem is a hard MIP of its own).
const MAX_UNITS: usize = 100;

/// The numbers of areas a feasible partition can have, when splitting pays (None otherwise).
pub(super) fn area_counts(p: &Problem) -> Option<Vec<usize>> {
    let (mut lo, mut hi) = p.areas;
    if lo == hi || p.n > MAX_UNITS {
        return None;
    }
    let hubs = p.hubs().len();
    hi = hi.min(hubs);
    lo = lo.max(p.forced_hub.iter().filter(|&&f| f).count()).max(1);
    for t in &p.thresholds {
        let total: f64 = (0..p.n).map(|i| p.value(i, t.attr)).sum();
        if t.min > 0.0 {
            hi = hi.min(((total + 1e-9) / t.min).floor() as usize);
        }
        if t.max.is_finite() && t.max > 0.0 {
            lo = lo.max(((total - 1e-9) / t.max).ceil() as usize);
        }
    }
    if lo > hi || hi - lo + 1 > MAX_COUNTS || hi == lo {
        return None;
    }
    Some((lo..=hi).collect())
}

/// The problem with its number of areas fixed to `k`.
fn with_count<'a>(p: &Problem<'a>, k: usize) -> Problem<'a> {
    let mut q = p.clone();
    q.areas = (k, k);
    q
}

/// The LP bound of the model with its contiguity cuts for each number of areas in `counts`
/// with the LP's hub values x(j,j) (None when that LP is infeasible): one model, its Σ x(j,j) row
/// moved from count to count.
fn lp_bounds(p: &Problem, counts: &[usize], cuts: &[model::contiguity::Cut], limit: f64) -> Result<Vec<Option<(f64, Vec<f64>)>>> {
    let model::Built { highs: mut m, vars } = model::build(p, false);
    if p.sc.contiguity {
        for c in cuts.iter().filter(|c| vars.x[c.i][c.j].is_some()) {
            super::add_row_leq_zero(&mut m, &c.row(&vars))?;
        }
    }
    let hubs: Vec<highs_sys::HighsInt> = (0..p.n).filter_map(|j| vars.y(j)).map(|y| y.col as highs_sys::HighsInt).collect();
    let ones = vec![1.0; hubs.len()];
    // SAFETY: the live model's pointer; index and value arrays of equal length.
    let row = unsafe {
        let ptr = m.as_mut_ptr();
        if highs_sys::Highs_addRow(ptr, 0.0, p.n as f64, hubs.len() as highs_sys::HighsInt, hubs.as_ptr(), ones.as_ptr()) == highs_sys::STATUS_ERROR {
            return Err(Error::Solver("HiGHS refused the row of the number of areas".into()));
        }
        highs_sys::Highs_getNumRow(ptr) - 1
    };
    set_options(&mut m, p, pair_count(p), limit, false)?;
    m.try_set_option("solve_relaxation", true).map_err(|_| Error::Solver("HiGHS rejected solve_relaxation".into()))?;
    let mut out = Vec::new();
    for &k in counts {
        // SAFETY: `row` is a row of this model.
        unsafe { highs_sys::Highs_changeRowBounds(m.as_mut_ptr(), row, k as f64, k as f64) };
        let solved = m.try_solve().map_err(|e| Error::Solver(format!("HiGHS failed: {e:?}")))?;
        out.push(match solved.status() {
            highs::HighsModelStatus::Optimal => {
                let cols = solved.get_solution();
                let y = (0..p.n).map(|j| vars.y(j).map_or(0.0, |v| cols.columns()[v.col])).collect();
                Some((solved.objective_value(), y))
            }
            highs::HighsModelStatus::Infeasible => None,
            // Unknown or time limit: no bound beyond the trivial one.
            _ => Some((f64::NEG_INFINITY, vec![0.0; p.n])),
        });
        m = solved.into();
    }
    Ok(out)
}

/// `f` of every item, `threads` at a time, by item (empty when `threads` ≤ 1: the caller then
/// runs them one by one, each against what the earlier ones found).
fn at_once<T: Send>(threads: usize, items: Vec<usize>, f: impl Fn(usize) -> T + Sync) -> std::collections::BTreeMap<usize, T> {
    if threads <= 1 || items.len() <= 1 {
        return Default::default();
    }
    use rayon::prelude::*;
    let run = || items.par_iter().map(|&i| (i, f(i))).collect::<Vec<_>>().into_iter().collect();
    match rayon::ThreadPoolBuilder::new().num_threads(threads.min(items.len())).build() {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    }
}

/// Solve `p` as one subproblem per number of areas in `counts`.
pub(super) fn solve_by_areas(p: &Problem, opts: &SolveOptions, counts: Vec<usize>, t0: Instant) -> Result<Outcome> {
    let limit = opts.time_limit.unwrap_or(p.sc.time_limit).max(0.0);
    let left = |t0: Instant| limit - t0.elapsed().as_secs_f64();
    let tol = |v: f64| 1e-9 * v.abs().max(1.0);
    // The best partition known: the start (repaired), the pool and the heuristic.
    let start_budget = t0 + std::time::Duration::from_secs_f64(0.1 * limit);
    let mut candidates: Vec<Vec<usize>> = Vec::new();
    if let Some((_, h)) = heuristic::cheapest(p, &opts.pool) {
        candidates.push(h.clone());
    }
    if let Some(h) = opts.start.as_ref().and_then(|h| heuristic::repair(p, h, start_budget)) {
        candidates.push(h);
    }
    if !opts.no_heuristic {
        if let Some(h) = heuristic::construct(p, start_budget) {
            candidates.push(h);
        }
    }
    let mut incumbent: Option<(f64, Vec<usize>)> = None;
    // Keep (obj, h) when it beats the incumbent.
    let keep = |inc: &mut Option<(f64, Vec<usize>)>, obj: f64, h: &[usize]| {
        if inc.as_ref().is_none_or(|(o, _)| obj < *o - tol(*o)) {
            *inc = Some((obj, h.to_vec()));
        }
    };
    for mut h in candidates.into_iter().filter(|h| h.len() == p.n && heuristic::feasible(p, h)) {
        heuristic::improve(p, &mut h, improve_deadline(limit));
        keep(&mut incumbent, evaluate(p, &h).objective, &h);
    }
    // The best partition known, merged or split to each number of areas and improved: a start
    // for each subproblem, and often a better incumbent.
    let mut starts: std::collections::BTreeMap<usize, Vec<usize>> = Default::default();
    if let Some((_, best)) = incumbent.clone() {
        for &k in &counts {
            let q = with_count(p, k);
            if let Some(mut h) = heuristic::to_count(&q, &best) {
                heuristic::improve(&q, &mut h, improve_deadline(limit));
                keep(&mut incumbent, evaluate(p, &h).objective, &h);
                starts.insert(k, h);
            }
        }
    }
    let heuristic_objective = incumbent.as_ref().map(|(o, _)| *o);
    let tell = |phase: &str, inc: &Option<(f64, Vec<usize>)>, bound: Option<f64>| {
        if let Some(s) = &opts.progress {
            s.report_partition(phase, inc, bound);
        }
    };
    tell("heuristic start", &incumbent, None);
    if opts.verbose {
        eprintln!("[alue] heuristic start {heuristic_objective:?} €/year, starts for {:?} area(s), t={:.2}s", starts.keys().collect::<Vec<_>>(), t0.elapsed().as_secs_f64());
    }
    let mut cuts: Vec<model::contiguity::Cut> = opts.cuts.clone();
    // Every K's LP bound (∞ when its LP, or a simple argument, shows it infeasible).
    let lps = lp_bounds(p, &counts, &cuts, left(t0).max(0.01))?;
    let mut order: Vec<(f64, usize)> = Vec::new();
    let mut hub_values: std::collections::BTreeMap<usize, Vec<f64>> = Default::default();
    for (&k, lp) in counts.iter().zip(lps) {
        let lp = if crate::explain::check(&with_count(p, k)).is_some() { None } else { lp };
        order.push((lp.as_ref().map_or(f64::INFINITY, |(b, _)| *b), k));
        if let Some((_, y)) = lp {
            hub_values.insert(k, y);
        }
    }
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    // Location–allocation from each promising K's LP hubs: a good partition per K, so that the
    // subproblems are pruned against a cutoff close to the optimum.
    // Skipped when a pool of partitions is given (a sweep's chain): its partitions are usually
    // already close, and the allocation then costs more than it saves (8 % on a sweep sample).
    if opts.allocation && !opts.no_heuristic && opts.pool.is_empty() {
        let alloc_deadline = t0 + std::time::Duration::from_secs_f64(0.2 * limit);
        let allocate = |k: usize| {
            let q = with_count(p, k);
            let (_, mut h) = super::allocation::location_allocation(&q, &hub_values[&k], k, alloc_deadline, opts)?;
            heuristic::improve(&q, &mut h, improve_deadline(limit));
            Some(h)
        };
        // In parallel: every K below the incumbent at once (the same partitions whatever the
        // timing; merged below in the order of the bounds, as the sequential loop takes them).
        let ub0 = incumbent.as_ref().map_or(f64::INFINITY, |(o, _)| *o);
        let mut early = at_once(opts.parallel, order.iter().filter(|(lb, _)| *lb < ub0 - tol(ub0)).map(|&(_, k)| k).collect(), |k| allocate(k));
        for &(lb, k) in &order {
            let ub = incumbent.as_ref().map_or(f64::INFINITY, |(o, _)| *o);
            let found = match early.remove(&k) {
                Some(found) => found,
                None if lb >= ub - tol(ub) || Instant::now() >= alloc_deadline => continue,
                None => allocate(k),
            };
            let Some(h) = found else { continue };
            let obj = evaluate(p, &h).objective;
            keep(&mut incumbent, obj, &h);
            if starts.get(&k).is_none_or(|s| obj < evaluate(p, s).objective - tol(obj)) {
                starts.insert(k, h);
            }
        }
        if opts.verbose {
            eprintln!("[alue] after location–allocation per number of areas: {:?} €/year, t={:.2}s", incumbent.as_ref().map(|(o, _)| *o), t0.elapsed().as_secs_f64());
        }
    }
    tell("location–allocation", &incumbent, order.first().map(|(b, _)| *b).filter(|b| b.is_finite()));
    // The incumbent's own number of areas first: its subproblem most likely holds the optimum,
    // and the others are then pruned against a good cutoff.
    if let Some((_, h)) = &incumbent {
        let k = h.iter().enumerate().filter(|&(i, &j)| i == j).count();
        if let Some(pos) = order.iter().position(|&(_, c)| c == k) {
            let first = order.remove(pos);
            order.insert(0, first);
        }
    }
    if opts.verbose {
        eprintln!("[alue] LP bound per number of areas: {:?}, t={:.2}s", order.iter().map(|(b, k)| (*k, b.round())).collect::<Vec<_>>(), t0.elapsed().as_secs_f64());
    }
    let (mut rounds, mut cuts_added, mut fixed_by_cost, mut relaxation_seconds) = (0, 0, 0, 0.0);
    let mut bounds: Vec<f64> = Vec::new();
    let mut timed_out = false;
    let mut highs_status = String::from("no subproblem solved");
    let pairs = pair_count(p);
    let hubs = p.hubs().len();
    // The options of subproblem `at` (k areas, LP bound lb) against the best partition so far;
    // `done` are the bounds of the subproblems before it.
    let sub_options = |at: usize, lb: f64, k: usize, incumbent: &Option<(f64, Vec<usize>)>, cuts: &[model::contiguity::Cut], done: &[f64]| {
        let ub = incumbent.as_ref().map(|(o, _)| *o).or(opts.cutoff).unwrap_or(f64::INFINITY);
        let mut pool = opts.pool.clone();
        if let Some((_, h)) = incumbent {
            pool.push(h.clone());
        }
        SolveOptions {
            start: starts.get(&k).cloned(),
            pool,
            cuts: cuts.to_vec(),
            cutoff: ub.is_finite().then_some(ub),
            split_areas: false,
            allocation: false,
            parallel: 1,
            time_limit: Some(left(t0).max(0.0)),
            // Its bound holds for k areas only: with the others' (solved, or their LP bounds) it
            // is a bound of the whole.
            progress: opts.progress.as_ref().map(|s| {
                let rest = done.iter().chain(order[at + 1..].iter().map(|(b, _)| b)).copied().fold(f64::INFINITY, f64::min);
                s.sub(format!("{k} areas"), lb, rest, incumbent.as_ref().map(|(o, _)| *o))
            }),
            ..opts.clone()
        }
    };
    // In parallel: every subproblem whose bound is below the incumbent at once, each against the
    // incumbent as it is now (so the same results whatever the timing), taken in order below.
    let ub0 = incumbent.as_ref().map(|(o, _)| *o).or(opts.cutoff).unwrap_or(f64::INFINITY);
    let todo: Vec<usize> = (0..order.len()).filter(|&at| order[at].0 < ub0 - tol(ub0)).collect();
    // (None when no time is left for it: the loop below then records its LP bound.)
    let mut early = at_once(opts.parallel, todo, |at| {
        let (lb, k) = order[at];
        (left(t0) > 0.0).then(|| solve(&with_count(p, k), &sub_options(at, lb, k, &incumbent, &cuts, &[])))
    });
    for (at, &(lb, k)) in order.iter().enumerate() {
        let ub = incumbent.as_ref().map(|(o, _)| *o).or(opts.cutoff).unwrap_or(f64::INFINITY);
        let solved = match early.remove(&at).flatten() {
            Some(r) => r,
            None => {
                if lb >= ub - tol(ub) || left(t0) <= 0.0 {
                    timed_out |= lb < ub - tol(ub);
                    bounds.push(lb);
                    continue;
                }
                solve(&with_count(p, k), &sub_options(at, lb, k, &incumbent, &cuts, &bounds))
            }
        };
        let o = match solved {
            Ok(o) => o,
            Err(Error::Infeasible(_)) => {
                bounds.push(f64::INFINITY);
                continue;
            }
            Err(e) => return Err(e),
        };
        if opts.verbose {
            eprintln!("[alue] {k} area(s): {:?}, objective {:?}, bound {:?}, {:.2} s, t={:.2}s", o.status, o.objective.map(f64::round), o.bound.map(f64::round), o.seconds, t0.elapsed().as_secs_f64());
        }
        rounds += o.rounds;
        cuts_added += o.cuts;
        fixed_by_cost += o.fixed_by_cost;
        relaxation_seconds += o.relaxation_seconds;
        highs_status = o.highs_status.clone();
        for c in o.cut_list {
            if !cuts.contains(&c) {
                cuts.push(c);
            }
        }
        let found = o.objective.zip(o.hub_of);
        match o.status {
            Status::Optimal => {
                // An optimum at or above the cutoff only shows that nothing below it exists.
                let (obj, h) = found.ok_or_else(|| Error::Solver("an optimal subproblem without a partition".into()))?;
                bounds.push(obj.min(ub));
                if obj < ub - tol(ub) {
                    keep(&mut incumbent, obj, &h);
                }
            }
            Status::Infeasible => bounds.push(o.bound.unwrap_or(f64::INFINITY)),
            _ => {
                timed_out = true;
                bounds.push(o.bound.unwrap_or(lb).max(lb));
                if let Some((obj, h)) = found.filter(|(obj, _)| *obj < ub - tol(ub)) {
                    keep(&mut incumbent, obj, &h);
                }
            }
        }
    }
    let bound = bounds.iter().copied().fold(f64::INFINITY, f64::min);
    let (objective, hub_of) = match incumbent {
        Some((o, h)) => (Some(o), Some(h)),
        None => (None, None),
    };
    let status = match (&objective, timed_out) {
        (None, false) => Status::Infeasible,
        (Some(_), false) => Status::Optimal,
        _ => Status::TimeLimit,
    };
    let bound = match objective {
        Some(o) => Some(bound.min(o)),
        None => bound.is_finite().then_some(bound),
    };
    let gap = relative_gap(objective, bound);
    cuts.sort_unstable();
    Ok(Outcome {
        status,
        hub_of,
        objective,
        bound,
        gap,
        seconds: t0.elapsed().as_secs_f64(),
        rounds,
        cuts: cuts_added,
        pairs,
        hubs,
        fixed_by_cost,
        heuristic: heuristic_objective,
        highs_status,
        cut_list: cuts,
        relaxation_seconds,
        dual: None,
    })
}
