//! Splitting the solve by the number of areas. When the number of areas is free, the LP
//! relaxation opens fractions of many hubs (each paying a fraction of the administration cost and
//! serving a fraction of its neighbours), and its bound is weak: 3–4 % below the optimum on
//! Northern Ostrobothnia at high thresholds. With the count fixed to K, Σ x(j,j) = K makes the
//! relaxation much tighter. So the solve becomes one subproblem per K: every K's LP bound first,
//! then the subproblems in order of their bounds, each pruned against the best partition so far
//! (HiGHS's objective_bound), and K whose LP bound already exceeds it skipped. The optimum is the
//! best of the subproblems; the bound is the least of their bounds.

use super::count_bounds::{self, CountLp};
use super::primal::{self, improve_deadline};
use super::state::Search;
use super::{allocation, heuristic, local_search, solve, Outcome, SolveOptions};
use crate::error::{Error, Result};
use crate::problem::Problem;
use crate::solution::{evaluate, Status};
use std::collections::BTreeMap;
use std::time::Instant;

/// Split only when the number of areas takes at most this many values…
const MAX_COUNTS: usize = 12;
/// …on instances of at most this many units (on larger ones each subproblem is a hard MIP of its own).
pub(super) const MAX_UNITS: usize = 100;

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

/// The number of areas of a partition (its hubs, each serving itself).
fn areas_in(hub_of: &[usize]) -> usize {
    hub_of.iter().enumerate().filter(|&(i, &j)| i == j).count()
}

/// The problem with its number of areas fixed to `k`.
fn with_count<'a>(p: &Problem<'a>, k: usize) -> Problem<'a> {
    let mut q = p.clone();
    q.areas = (k, k);
    q
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

/// The split's own state beside the search state: a start per number of areas, the numbers in
/// the order they are solved with their LP bounds and hub values, and each one's bound once done.
#[derive(Default)]
struct Split {
    starts: BTreeMap<usize, Vec<usize>>,
    order: Vec<(f64, usize)>,
    hub_values: BTreeMap<usize, Vec<f64>>,
    /// The LP duals of the assignment rows per number of areas (where the area dual starts).
    duals: BTreeMap<usize, Vec<f64>>,
    /// The optimal basis of each number of areas' LP (where its subproblem's first LP starts).
    bases: BTreeMap<usize, std::sync::Arc<super::lp_basis::LpBasis>>,
    bounds: Vec<f64>,
    /// Each number of areas' location–allocation memo (hub sets tried and bounded), handed to its
    /// subproblem.
    memos: BTreeMap<usize, allocation::Memo>,
    timed_out: bool,
    highs_status: String,
    /// The bound over whole areas raised some number's bound.
    by_dual: bool,
}

/// HiGHS's status while no subproblem has been solved.
const NONE_SOLVED: &str = "no subproblem solved";

/// With a pool of partitions given, the kicks of the start's iterated local search are this
/// fraction of those without (see `starts`).
const POOL_KICK_SHARE: usize = 5;

/// Solve `p` as one subproblem per number of areas in `counts`.
pub(super) fn solve_by_areas(p: &Problem, opts: &SolveOptions, counts: Vec<usize>, t0: Instant) -> Result<Outcome> {
    let mut s = Search::new(p, opts, t0);
    let mut sp = Split { highs_status: NONE_SOLVED.into(), ..Split::default() };
    for c in &opts.cuts {
        s.cuts.insert(c);
    }
    starts(&mut s, &mut sp, &counts);
    s.tell("heuristic start");
    s.log(format_args!("heuristic start {:?} €/year, starts for {:?} area(s)", s.heuristic, sp.starts.keys().collect::<Vec<_>>()));
    order_by_lp_bound(&s, &mut sp, &counts)?;
    s.log(format_args!("LP bounds of {} numbers of areas", counts.len()));
    // Skipped when a pool of partitions is given (a sweep's chain): its partitions are usually
    // already close, and the allocation then costs more than it saves (8 % on a sweep sample).
    let allocate = opts.allocation && !opts.no_heuristic && opts.pool.is_empty();
    // With two threads or more, each number of areas' allocation runs in one task with its
    // subproblem (see `allocate_and_solve`).
    let pipelined = allocate && opts.parallel > 1 && !opts.area_dual;
    if allocate && !pipelined {
        // The incumbent's own number of areas first: its allocation sets the cutoff of the rest.
        incumbent_first(&s, &mut sp);
        allocate_per_count(&mut s, &mut sp);
        s.log(format_args!("after location–allocation per number of areas: {:?} €/year", s.incumbent.as_ref().map(|(o, _)| *o)));
    }
    if opts.area_dual {
        dual_bounds(&mut s, &mut sp);
    }
    // The least bound is a bound of the whole.
    s.bound = sp.order.first().map(|(b, _)| *b).filter(|b| b.is_finite());
    s.tell("location–allocation");
    // The incumbent's own number of areas first: its subproblem most likely holds the optimum,
    // and the others are then pruned against a good cutoff.
    incumbent_first(&s, &mut sp);
    s.log(format_args!("LP bound per number of areas: {:?}", sp.order.iter().map(|(b, k)| (*k, b.round())).collect::<Vec<_>>()));
    if pipelined {
        allocate_and_solve(&mut s, &mut sp)?;
    } else {
        subproblems(&mut s, &mut sp)?;
    }
    let bound = sp.bounds.iter().copied().fold(f64::INFINITY, f64::min);
    let status = match (&s.incumbent, sp.timed_out) {
        (None, false) => Status::Infeasible,
        (Some(_), false) => Status::Optimal,
        _ => Status::TimeLimit,
    };
    let bound = if s.incumbent.is_some() { Some(bound) } else { bound.is_finite().then_some(bound) };
    if status == Status::Optimal && sp.highs_status == NONE_SOLVED && sp.by_dual {
        sp.highs_status = super::PROVEN_BY_AREA_DUAL.into();
    }
    Ok(s.finish_with(status, s.incumbent.clone(), bound, sp.highs_status))
}

/// Move the incumbent's number of areas to the front of `sp.order` (the rest stay in order).
fn incumbent_first(s: &Search, sp: &mut Split) {
    if let Some((_, h)) = &s.incumbent {
        let k = areas_in(h);
        if let Some(pos) = sp.order.iter().position(|&(_, c)| c == k) {
            let first = sp.order.remove(pos);
            sp.order.insert(0, first);
        }
    }
}

/// A relative tolerance for comparing objectives.
fn tol(v: f64) -> f64 {
    1e-9 * v.abs().max(1.0)
}

/// The best objective known: the incumbent's, else the caller's cutoff, else ∞.
fn best(s: &Search) -> f64 {
    s.incumbent.as_ref().map(|(o, _)| *o).or(s.cutoff()).unwrap_or(f64::INFINITY)
}

/// Keep (obj, h) as the incumbent when it beats it.
fn keep(s: &mut Search, obj: f64, h: &[usize]) {
    if s.incumbent.as_ref().is_none_or(|(o, _)| obj < *o - tol(*o)) {
        s.incumbent = Some((obj, h.to_vec()));
    }
}

/// The best start (see `primal::starts`), merged or split to each number of areas and improved
/// (local search, then the iterated local search of `local_search`, every number at once): a start
/// for each subproblem, and often a better incumbent.
fn starts(s: &mut Search, sp: &mut Split, counts: &[usize]) {
    let (p, limit) = (s.p, s.limit);
    s.incumbent = primal::starts(p, s.opts, s.at(0.1), || improve_deadline(limit));
    // With a pool of earlier optima (a sweep's chain), a fifth of the kicks. The pool's partitions
    // are usually close, but where the optimum has moved they start far above it (8.7 % on one
    // scenario of the 80-scenario sample: 1.9 s, against 0.14 s alone from the kicked start), and
    // the proof pays for the poor cutoff. Every kick costs each scenario, though: on the reform
    // sweep all of them (300) were slower than none, a fifth 0.92 of none's time (BENCHMARKS.md,
    // notes of 2026-12-08), and on a held-out sweep between its values 0.95.
    let kicks = if s.opts.pool.is_empty() { local_search::kicks(p.n) } else { local_search::kicks(p.n) / POOL_KICK_SHARE };
    if let Some((_, best)) = s.incumbent.clone() {
        let start = |k: usize| {
            let q = with_count(p, k);
            let mut h = heuristic::to_count(&q, &best)?;
            heuristic::improve(&q, &mut h, improve_deadline(limit));
            Some(if kicks > 0 { local_search::search(&q, &h, kicks, improve_deadline(limit)) } else { h })
        };
        let mut done = at_once(s.opts.parallel, counts.to_vec(), start);
        for &k in counts {
            if let Some(h) = done.remove(&k).unwrap_or_else(|| start(k)) {
                keep(s, evaluate(p, &h).objective, &h);
                sp.starts.insert(k, h);
            }
        }
    }
    s.heuristic = s.incumbent.as_ref().map(|(o, _)| *o);
}

/// Every count's LP bound (∞ when its LP, or a simple argument, shows it infeasible), the counts
/// in the order of their bounds, and their LPs' hub values.
fn order_by_lp_bound(s: &Search, sp: &mut Split, counts: &[usize]) -> Result<()> {
    let first = s.incumbent.as_ref().map(|(_, h)| areas_in(h));
    let lps = count_bounds::lp_bounds(s.p, counts, &s.cuts.sorted(), s.left().max(0.01), best(s), first)?;
    for (&k, lp) in counts.iter().zip(lps) {
        let lp = if crate::explain::check(&with_count(s.p, k)).is_some() { CountLp::Infeasible } else { lp };
        sp.order.push((lp.bound(), k));
        match lp {
            CountLp::Solved(_, y, u, basis) => {
                sp.hub_values.insert(k, y);
                sp.duals.insert(k, u);
                if let Some(b) = basis {
                    sp.bases.insert(k, b);
                }
            }
            // No hub values: location–allocation starts from the hubs' order alone.
            CountLp::Unknown => drop(sp.hub_values.insert(k, vec![0.0; s.p.n])),
            CountLp::Infeasible | CountLp::Above(_) => {}
        }
    }
    sp.order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Ok(())
}

/// Location–allocation from each promising count's LP hubs: a good partition per count, so that
/// the subproblems are pruned against a cutoff close to the optimum. In parallel: every count
/// below the incumbent at once (the same partitions whatever the timing; merged in the order of
/// the bounds, as the sequential loop takes them).
fn allocate_per_count(s: &mut Search, sp: &mut Split) {
    let until = s.at(0.2);
    let ub0 = s.incumbent.as_ref().map_or(f64::INFINITY, |(o, _)| *o);
    // The numbers of areas allocated side by side share their best objective: a contiguous
    // step that cannot beat it ends early. On Northern Ostrobothnia with caseload 180, staff cost
    // 55 000 €/year and admin cost 500 000 €/year, five areas' contiguous steps took 14 s for a
    // start 18 % above the four areas' one, found in 0.2 s.
    let shared = super::shared_best::SharedBest::new(ub0);
    let (p, opts, limit) = (s.p, s.opts, s.limit);
    let (hub_values, settled) = (&sp.hub_values, settled_hubs(sp));
    let allocate = |k: usize| allocate_count(p, opts, limit, k, (&hub_values[&k], settled.get(&k).cloned()), until, &shared);
    let mut early = at_once(opts.parallel, sp.order.iter().filter(|(lb, _)| *lb < ub0 - tol(ub0)).map(|&(_, k)| k).collect(), allocate);
    for &(lb, k) in &sp.order {
        let ub = s.incumbent.as_ref().map_or(f64::INFINITY, |(o, _)| *o);
        let (found, mut memo) = match early.remove(&k) {
            Some(found) => found,
            None if lb >= ub - tol(ub) || Instant::now() >= until => continue,
            None => allocate(k),
        };
        std::mem::take(&mut memo.cuts).iter().for_each(|c| {
            s.cuts.insert(c);
        });
        sp.memos.insert(k, memo);
        let Some((obj, h)) = found else { continue };
        keep(s, obj, &h);
        if sp.starts.get(&k).is_none_or(|st| obj < evaluate(p, st).objective - tol(obj)) {
            sp.starts.insert(k, h);
        }
    }
}

/// The hubs each number of areas' start settled on: they need no allocation of their own.
fn settled_hubs(sp: &Split) -> BTreeMap<usize, Vec<usize>> {
    sp.starts.iter().map(|(&k, h)| (k, crate::solution::areas_of(h).into_keys().collect())).collect()
}

/// Location–allocation for `k` areas from its LP's hub values (with the hub set its start
/// settled on, which counts as allocated), against the best objective of the allocations beside
/// it (`shared`, lowered by what this one finds): its partition, improved by local search, and
/// its memo (the separator cuts its allocations met, valid for the graph, and the hub sets they
/// bounded).
fn allocate_count(p: &Problem, opts: &SolveOptions, limit: f64, k: usize, (y, settled): (&[f64], Option<Vec<usize>>), until: Instant, shared: &super::shared_best::SharedBest) -> (Option<(f64, Vec<usize>)>, allocation::Memo) {
    let q = with_count(p, k);
    let (found, memo) = allocation::location_allocation_with_cuts(&q, y, k, until, opts, Some(shared), settled);
    let found = found.map(|(_, mut h)| {
        heuristic::improve(&q, &mut h, improve_deadline(limit));
        let obj = evaluate(&q, &h).objective;
        shared.offer(obj);
        (obj, h)
    });
    (found, memo)
}

/// What one task of `allocate_and_solve` gives: its allocation's partition and cuts, the cutoff
/// its subproblem started from, and the subproblem's outcome (None when no time was left).
type Task = (Option<(f64, Vec<usize>)>, Vec<crate::model::contiguity::Cut>, f64, Option<Result<Outcome>>);

/// With two threads or more: each number of areas below the incumbent is one task, its
/// location–allocation and then its subproblem (from the better of its start and what the
/// allocation found, with the hub sets the allocation bounded), so that one number's allocation
/// runs beside another's subproblem. On the defaults of Northern Ostrobothnia the four areas'
/// allocation took 0.11 s while the other thread waited for it. The tasks share their best
/// objective, a cutoff of every allocation and subproblem; their outcomes are taken in order,
/// as `subproblems` takes them.
fn allocate_and_solve(s: &mut Search, sp: &mut Split) -> Result<()> {
    let ub0 = best(s);
    let shared = super::shared_best::SharedBest::new(ub0);
    let until = s.at(0.2);
    let todo: Vec<usize> = (0..sp.order.len()).filter(|&at| sp.order[at].0 < ub0 - gap(s, ub0)).collect();
    let settled = settled_hubs(sp);
    // A task alone has every thread (its hub sets two at a time).
    let threads = if todo.len() == 1 { s.opts.parallel } else { 1 };
    let task = |at: usize| -> Task {
        let k = sp.order[at].1;
        let (found, mut memo) = allocate_count(s.p, s.opts, s.limit, k, (&sp.hub_values[&k], settled.get(&k).cloned()), until, &shared);
        let ub = shared.get();
        // The better of the start and the allocation's partition.
        let start = match (sp.starts.get(&k), &found) {
            (Some(st), Some((obj, _))) if evaluate(s.p, st).objective <= *obj => Some(st.clone()),
            (st, found) => found.as_ref().map(|(_, h)| h.clone()).or_else(|| st.cloned()),
        };
        // The cuts go to the subproblem's options (and to the whole), not again through its memo.
        let cuts: Vec<_> = std::mem::take(&mut memo.cuts).into_iter().collect();
        let base = sub_options(s, sp, at, &[], threads);
        let opts = SolveOptions { start, cutoff: Some(ub), shared_cutoff: Some(shared.clone()), cuts: base.cuts.iter().chain(&cuts).cloned().collect(), allocated: memo, ..base };
        let outcome = (s.left() > 0.0).then(|| solve(&with_count(s.p, k), &opts));
        if let Some(Ok(o)) = &outcome {
            if let (Status::Optimal, Some(obj)) = (o.status, o.objective) {
                shared.offer(obj);
            }
        }
        (found, cuts, ub, outcome)
    };
    let mut done = at_once(s.opts.parallel, todo.clone(), task);
    // (A single task runs here: `at_once` leaves it to the caller.)
    for at in todo {
        done.entry(at).or_insert_with(|| task(at));
    }
    for at in 0..sp.order.len() {
        let (lb, k) = sp.order[at];
        let Some((found, cuts, ub, outcome)) = done.remove(&at) else {
            // Its bound reached the incumbent (within the scenario's gap): nothing cheaper there.
            sp.bounds.push(lb);
            continue;
        };
        cuts.iter().for_each(|c| {
            s.cuts.insert(c);
        });
        if let Some((obj, h)) = found {
            keep(s, obj, &h);
        }
        match outcome {
            Some(Ok(o)) => absorb(s, sp, o, lb, ub, k)?,
            Some(Err(Error::Infeasible(_))) => sp.bounds.push(f64::INFINITY),
            Some(Err(e)) => return Err(e),
            None => {
                sp.timed_out = true;
                sp.bounds.push(lb);
            }
        }
    }
    Ok(())
}

/// The margin within which a bound counts as reaching `ub`: the scenario's gap, at least a
/// relative 10⁻⁹.
fn gap(s: &Search, ub: f64) -> f64 {
    tol(ub).max(s.p.sc.mip_gap * ub.abs())
}

/// The bound over whole areas (`area_dual`) of every number of areas whose LP bound lies below
/// the incumbent, from its LP's duals: a number whose bound reaches the incumbent (within the
/// scenario's gap) needs no MIP. All at once, each against the incumbent as it is now (the same
/// results whatever the timing); a partition the dual finds is offered as the incumbent.
fn dual_bounds(s: &mut Search, sp: &mut Split) {
    let Some(ub) = s.incumbent.as_ref().map(|(o, _)| *o) else { return };
    let (p, gap, until) = (s.p, s.p.sc.mip_gap, s.at(0.3));
    let todo: Vec<usize> = sp.order.iter().filter(|(lb, k)| *lb < ub - gap * ub.abs() && sp.duals.contains_key(k)).map(|&(_, k)| k).collect();
    let duals = &sp.duals;
    let ascend = |k: usize| {
        let q = with_count(p, k);
        let d = super::area_dual::AreaDual::new(&q)?;
        Some(d.ascend(duals[&k].clone(), ub - gap * ub.abs(), until, DUAL_EVALS, false))
    };
    let threads = s.opts.parallel.max(1).min(todo.len().max(1));
    let mut done = at_once(threads, todo.clone(), ascend);
    for k in todo {
        let Some(a) = done.remove(&k).unwrap_or_else(|| ascend(k)) else { continue };
        s.log(format_args!("{k} area(s): bound over whole areas {:.2} after {} evaluations", a.bound, a.evaluations));
        if let Some(h) = a.partition.filter(|h| crate::model::contiguity::separate(p, h).is_empty()) {
            keep(s, evaluate(p, &h).objective, &h);
        }
        if let Some(entry) = sp.order.iter_mut().find(|(_, c)| *c == k) {
            sp.by_dual |= a.bound > entry.0;
            entry.0 = entry.0.max(a.bound);
        }
    }
    sp.order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
}

/// The most evaluations of one number of areas' dual ascent.
const DUAL_EVALS: usize = 300;

/// The options of subproblem `at` (k areas, LP bound lb) against the best partition so far;
/// `done` are the bounds of the subproblems before it.
fn sub_options(s: &Search, sp: &Split, at: usize, done: &[f64], parallel: usize) -> SolveOptions {
    let (lb, k) = sp.order[at];
    let ub = best(s);
    let mut pool = s.opts.pool.clone();
    if let Some((_, h)) = &s.incumbent {
        pool.push(h.clone());
    }
    SolveOptions {
        start: sp.starts.get(&k).cloned(),
        allocated: sp.memos.get(&k).cloned().unwrap_or_default(),
        pool,
        lp_basis: sp.bases.get(&k).cloned(),
        cuts: s.cuts.sorted(),
        cutoff: ub.is_finite().then_some(ub),
        split_areas: false,
        allocation: false,
        parallel,
        time_limit: Some(s.left().max(0.0)),
        // Its bound holds for k areas only: with the others' (solved, or their LP bounds) it
        // is a bound of the whole.
        progress: s.opts.progress.as_ref().map(|sink| {
            let rest = done.iter().chain(sp.order[at + 1..].iter().map(|(b, _)| b)).copied().fold(f64::INFINITY, f64::min);
            sink.sub(format!("{k} areas"), lb, rest, s.incumbent.as_ref().map(|(o, _)| *o))
        }),
        ..s.opts.clone()
    }
}

/// Solve the subproblems in order, each pruned against the best partition so far. In parallel:
/// every subproblem whose bound is below the incumbent at once, each against the incumbent as it
/// is now (so the same results whatever the timing), taken in order.
fn subproblems(s: &mut Search, sp: &mut Split) -> Result<()> {
    let ub0 = best(s);
    let todo: Vec<usize> = (0..sp.order.len()).filter(|&at| sp.order[at].0 < ub0 - gap(s, ub0)).collect();
    // (None when no time is left for it: the loop below then records its LP bound.)
    let mut early = {
        let (s, sp) = (&*s, &*sp);
        at_once(s.opts.parallel, todo, |at| (s.left() > 0.0).then(|| solve(&with_count(s.p, sp.order[at].1), &sub_options(s, sp, at, &[], 1))))
    };
    for at in 0..sp.order.len() {
        let (lb, k) = sp.order[at];
        let ub = best(s);
        let solved = match early.remove(&at).flatten() {
            Some(r) => r,
            // A bound within the scenario's gap of the incumbent: no cheaper partition there.
            None if lb >= ub - gap(s, ub) || s.left() <= 0.0 => {
                sp.timed_out |= lb < ub - gap(s, ub);
                sp.bounds.push(lb);
                continue;
            }
            // One at a time: the subproblem has every thread.
            None => solve(&with_count(s.p, k), &sub_options(s, sp, at, &sp.bounds, s.opts.parallel)),
        };
        match solved {
            Ok(o) => absorb(s, sp, o, lb, ub, k)?,
            Err(Error::Infeasible(_)) => sp.bounds.push(f64::INFINITY),
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Take a subproblem's outcome into the whole: its counters and cuts, its partition when it beats
/// `ub` (the best known when it started), and its bound.
fn absorb(s: &mut Search, sp: &mut Split, o: Outcome, lb: f64, ub: f64, k: usize) -> Result<()> {
    s.log(format_args!("{k} area(s): {:?}, objective {:?}, bound {:?}, {:.2} s", o.status, o.objective.map(f64::round), o.bound.map(f64::round), o.seconds));
    s.rounds += o.rounds;
    s.cuts_added += o.cuts;
    s.fixed_by_cost += o.fixed_by_cost;
    s.relaxation_seconds += o.relaxation_seconds;
    sp.highs_status = o.highs_status.clone();
    for c in &o.cut_list {
        s.cuts.insert(c);
    }
    let found = o.objective.zip(o.hub_of);
    match o.status {
        Status::Optimal => {
            // An optimum at or above the cutoff only shows that nothing below it exists.
            let (obj, h) = found.ok_or_else(|| Error::Solver("an optimal subproblem without a partition".into()))?;
            sp.bounds.push(obj.min(ub));
            if obj < ub - tol(ub) {
                keep(s, obj, &h);
            }
        }
        Status::Infeasible => sp.bounds.push(o.bound.unwrap_or(f64::INFINITY)),
        _ => {
            sp.timed_out = true;
            sp.bounds.push(o.bound.unwrap_or(lb).max(lb));
            if let Some((obj, h)) = found.filter(|(obj, _)| *obj < ub - tol(ub)) {
                keep(s, obj, &h);
            }
        }
    }
    Ok(())
}
