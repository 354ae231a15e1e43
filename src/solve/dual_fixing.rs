//! Before the MIP, for the models the Lagrangian relaxation covers (see `lagrange`): ascend the
//! dual, build an incumbent from the hubs the dual opens (location–allocation), ascend again
//! towards the incumbent, and fix every pair and hub that no cheaper partition can use. The MIP
//! then runs on the reduced problem, which holds every partition cheaper than the incumbent.

use super::lagrange::{Ascent, Relaxation};
use super::outcome::{DualReport, Outcome, PROVEN_BY_DUAL};
use super::{allocation, columns, limits, primal, SolveOptions};
use crate::error::Result;
use crate::problem::Problem;
use crate::solution::Status;
use std::time::{Duration, Instant};

/// The reduced problem with its start.
pub struct Prepared<'a> {
    pub problem: Problem<'a>,
    pub start: Option<(f64, Vec<usize>)>,
    pub report: DualReport,
    /// The hub sets location–allocation tried, for the search after it to skip.
    pub allocated: allocation::Memo,
    /// Every hub set that may hold a partition cheaper than the start, with its bound on the
    /// dual (see `lagrange_hub_sets`), when there are few; None when they were not listed.
    pub sets: Option<Vec<(f64, Vec<usize>)>>,
}

/// Run the dual phase within a share of the time `limit` (s) counted from `t0`; None when the
/// relaxation does not cover the problem.
pub fn prepare<'a>(p: &Problem<'a>, opts: &SolveOptions, t0: Instant, limit: f64) -> Option<Prepared<'a>> {
    let mut rel = Relaxation::new(p, opts.parallel > 1)?;
    rel.whole = opts.lagrange_whole_units;
    let r0 = Instant::now();
    let at = |share: f64| t0 + Duration::from_secs_f64(share * limit);
    // The starts (and their local search) first, within a tenth of the limit, 0.2 s at least.
    let improve = || primal::improve_deadline(p.sc.time_limit).min(at(0.1).max(Instant::now() + Duration::from_millis(200)));
    let mut incumbent = primal::starts(p, opts, at(0.1), improve);
    let mut ascent = rel.start();
    let mut seeds = first_ascent(&rel, &mut ascent, at(FIRST_SHARE), opts.verbose, t0);
    tell(opts, "Lagrangian ascent", incumbent.as_ref(), &ascent);
    if opts.verbose {
        eprintln!("[alue] Lagrangian ascent: bound {:.6} after {} evaluations, start {:?}, t={:.2}s", ascent.best.as_ref().map_or(f64::NAN, |b| b.bound), ascent.evaluations, incumbent.as_ref().map(|(o, _)| *o), t0.elapsed().as_secs_f64());
    }
    // Location–allocation from the hubs the dual opens, then rounds of ascent and fixing; once
    // more if the dual, higher now, opens other hubs and they give a better partition.
    // The second pass's descents get at most as long as the first pass's took.
    let mut memo = allocation::Memo::default();
    let mut first_pass: Option<Duration> = None;
    for pass in 0..2 {
        let start = Instant::now();
        let (first, each) = match first_pass {
            None => (at(0.45), r0.elapsed().max(Duration::from_millis(500))),
            Some(d) => (at(0.55).min(start + d), d),
        };
        let improved = allocate(p, &rel, &ascent, std::mem::take(&mut seeds), &mut memo, (first, each), opts, &mut incumbent);
        first_pass.get_or_insert(start.elapsed().max(Duration::from_millis(500)));
        if pass > 0 && !improved {
            break;
        }
        tell(opts, "Lagrangian ascent", incumbent.as_ref(), &ascent);
        let ub = incumbent.as_ref().map(|(o, _)| *o).into_iter().chain(opts.cutoff).reduce(f64::min);
        let Some(ub) = ub.filter(|_| incumbent.is_some()) else { break };
        // The rounds take at most as long as the dual phase has so far: their gains shrink,
        // and the hub sets and the search after them finish the proof faster.
        let now = Instant::now();
        fixing_rounds(p, &mut rel, &mut ascent, ub, at(0.65).min(now + (now - r0)), opts, t0, incumbent.as_ref());
        if ascent.best.as_ref().is_some_and(|b| proves(b.bound, ub, p.sc.mip_gap)) {
            break;
        }
    }
    let ub = incumbent.as_ref().map(|(o, _)| *o).into_iter().chain(opts.cutoff).reduce(f64::min);
    let whole = whole_units(&mut rel, &mut ascent, ub, at(0.7));
    if opts.verbose {
        eprintln!("[alue] Lagrangian, knapsacks in whole units: bound {whole:?}, {} pairs and {} hubs fixed so far, t={:.2}s", rel.removed_pairs.len(), rel.removed_hubs.len(), t0.elapsed().as_secs_f64());
    }
    // A twentieth of the limit at most: what it closes the LP probing after it would mostly close too.
    probe_hubs(&mut rel, &mut ascent, ub, incumbent.as_ref(), at(0.8).min(Instant::now() + Duration::from_secs_f64(PROBE_SHARE * limit)), opts, t0);
    // Half the limit at most; a walk that its pace says would take longer gives up within half a
    // second, so that the search after it has the time.
    let sets = list_sets(&rel, &ascent, ub, at(0.85).min(Instant::now() + Duration::from_secs_f64(0.5 * limit)), opts, t0);
    // Once the relaxation bounds only the partitions cheaper than the incumbent, a bound above it
    // (∞ when nothing is left) says that none exists: the optimum is the incumbent's objective.
    let mut best_bound = ascent.best.as_ref().map_or(f64::NEG_INFINITY, |b| b.bound).max(whole.unwrap_or(f64::NEG_INFINITY));
    if let Some((obj, _)) = incumbent.as_ref() {
        best_bound = best_bound.min(*obj);
    }
    let pairs_before = p.allowed.iter().flatten().filter(|&&a| a).count();
    let mut q = p.clone();
    for &j in &rel.removed_hubs {
        q.allowed[j][j] = false;
    }
    for &(i, j) in &rel.removed_pairs {
        q.allowed[i][j] = false;
    }
    q.reduce();
    let closed_hubs = p.hubs().len() - q.hubs().len();
    let fixed_pairs = pairs_before - q.allowed.iter().flatten().filter(|&&a| a).count();
    if opts.verbose {
        eprintln!(
            "[alue] Lagrangian: bound {best_bound:.6} after {} evaluations, incumbent {:?}, {fixed_pairs} of {pairs_before} pairs and {closed_hubs} hubs fixed, t={:.2}s",
            ascent.evaluations,
            incumbent.as_ref().map(|(o, _)| *o),
            t0.elapsed().as_secs_f64()
        );
    }
    let report = DualReport { bound: best_bound, whole_units: whole, evaluations: ascent.evaluations, fixed_pairs, closed_hubs, pairs_before, seconds: r0.elapsed().as_secs_f64() };
    Some(Prepared { problem: q, start: incumbent, report, allocated: memo, sets })
}

/// The first ascent, before any incumbent: in chunks of `CHUNK_EVALS` evaluations until a chunk
/// raises the bound by less than `STALL` of it or ends with the same hubs open as the one before,
/// `MAX_EVALS` in all, or `until`. (Every evaluation before the first incumbent is of the whole
/// relaxation; after it, fixing makes them cheaper.) The hubs the
/// dual opens seed location–allocation, and they are good only once the dual has settled: on a
/// 1 046-unit graph, the hubs after 300 evaluations gave a start 80 % above the optimum, those
/// after 1 200 one within 0.01 % of it. Returns the hubs open at the end of each chunk, latest
/// first (other seeds for location–allocation).
fn first_ascent(rel: &Relaxation, a: &mut Ascent, until: Instant, verbose: bool, t0: Instant) -> Vec<Vec<usize>> {
    let bound = |a: &Ascent| a.best.as_ref().map_or(f64::NEG_INFINITY, |b| b.bound);
    let mut seeds: Vec<Vec<usize>> = Vec::new();
    while a.evaluations < MAX_EVALS && Instant::now() < until {
        let before = bound(a);
        rel.ascend(a, None, until, CHUNK_EVALS);
        if verbose {
            eprintln!("[alue] first ascent: bound {:.6} after {} evaluations, t={:.2}s", bound(a), a.evaluations, t0.elapsed().as_secs_f64());
        }
        let mut settled = bound(a) - before < STALL * bound(a).abs();
        if let Some(b) = a.best.as_ref() {
            let open = open_hubs(rel, b);
            // The same hubs open at the end of two chunks: the seed is what it will be.
            settled |= seeds.last() == Some(&open);
            if !seeds.contains(&open) {
                seeds.push(open);
            }
        }
        if settled {
            break;
        }
    }
    seeds.reverse();
    seeds
}

/// The bound proves the incumbent optimal within the relative gap `gap`.
pub fn proves(bound: f64, incumbent: f64, gap: f64) -> bool {
    bound >= incumbent - gap * incumbent.abs()
}

/// The best dual with its knapsacks in whole units (see `knapsack`), when that raises its bound;
/// what it fixes against `ub` leaves the relaxation (and the best dual is evaluated again).
fn whole_units(rel: &mut Relaxation, a: &mut Ascent, ub: Option<f64>, until: Instant) -> Option<f64> {
    let best = a.best.as_ref()?;
    let w = rel.whole_units(best, KNAPSACK_NODES, until);
    if w.bound <= best.bound {
        return None;
    }
    if let Some(ub) = ub {
        if rel.prune(&w, ub) > 0 {
            rel.rebase(a);
        }
    }
    Some(w.bound)
}

/// Hub probing on the dual against the incumbent (see `lagrange_probing`), until `until`.
fn probe_hubs(rel: &mut Relaxation, a: &mut Ascent, ub: Option<f64>, incumbent: Option<&(f64, Vec<usize>)>, until: Instant, opts: &SolveOptions, t0: Instant) {
    let (Some(ub), Some((_, h)), true) = (ub, incumbent, opts.lagrange_probing) else { return };
    let keep: Vec<usize> = crate::solution::areas_of(h).into_keys().collect();
    let pr = super::lagrange_probing::probe(rel, a, ub, &keep, until);
    if opts.verbose {
        eprintln!("[alue] Lagrangian hub probing: {} probed, {} closed, t={:.2}s", pr.probed, pr.closed, t0.elapsed().as_secs_f64());
    }
}

/// The hub sets below the incumbent's objective `ub` by their dual bounds (see
/// `lagrange_hub_sets`), from the best multipliers with whole-unit knapsacks; None when they are
/// not listed (hub sets off, no incumbent, too many, or `until`).
fn list_sets(rel: &Relaxation, a: &Ascent, ub: Option<f64>, until: Instant, opts: &SolveOptions, t0: Instant) -> Option<Vec<(f64, Vec<usize>)>> {
    let (Some(ub), Some(best), true) = (ub, a.best.as_ref(), opts.hub_sets) else { return None };
    let w = rel.whole_units(best, KNAPSACK_NODES, until);
    let sets = super::lagrange_hub_sets::below(rel, &w, super::outcome::below(ub), until, opts.parallel > 1);
    if opts.verbose {
        eprintln!("[alue] hub sets on the dual: {:?} below {ub:.2}, t={:.2}s", sets.as_ref().map(Vec::len), t0.elapsed().as_secs_f64());
    }
    sets
}

/// The share of the time limit Lagrangian hub probing may take.
const PROBE_SHARE: f64 = 0.05;

/// Nodes of each whole-unit knapsack's search (beyond them its LP bound stands).
const KNAPSACK_NODES: usize = 2000;

/// The first ascent's chunk of evaluations, the gain per chunk below which it has settled, and
/// its share of the time limit.
const CHUNK_EVALS: usize = 100;
const STALL: f64 = 1e-4;
const FIRST_SHARE: f64 = 0.3;

/// Evaluations of the dual in all, and per fixing round.
const MAX_EVALS: usize = 50_000;
const ROUND_EVALS: usize = 250;

fn tell(opts: &SolveOptions, phase: &str, inc: Option<&(f64, Vec<usize>)>, a: &Ascent) {
    if let Some(s) = &opts.progress {
        s.report_partition(phase, &inc.cloned(), a.best.as_ref().map(|b| b.bound));
    }
}

/// Location–allocation (Hess's descent) from several seeds, while time is left: the hubs of
/// nearly disjoint areas at the best dual (see `disjoint`), the hubs open there, then `earlier`
/// hub sets (the dual's open hubs on its way up), at most `SEEDS` in all. True if it improved
/// the incumbent. Only a fixed number of areas. One seed's descent can end in a poor local
/// optimum that another's avoids, and none is best everywhere: on the West Virginia counties the
/// disjoint seed ends 8 % above the optimum, an earlier dual's hubs at it. The first seed runs
/// until `first`; the others start within `each` of the first's start and run for `each` at
/// most (the caller gives as long as the dual phase has taken so far: the seeds cost in
/// proportion to the ascent, not to the time limit).
#[allow(clippy::too_many_arguments)]
fn allocate(p: &Problem, rel: &Relaxation, a: &Ascent, earlier: Vec<Vec<usize>>, memo: &mut allocation::Memo, (first, each): (Instant, Duration), opts: &SolveOptions, incumbent: &mut Option<(f64, Vec<usize>)>) -> bool {
    let k = p.areas.0;
    if p.areas.0 != p.areas.1 || opts.no_heuristic {
        return false;
    }
    let Some(best) = a.best.as_ref() else { return false };
    let mut seeds: Vec<Vec<usize>> = Vec::new();
    for mut seed in [disjoint(rel, best, k), open_hubs(rel, best)].into_iter().chain(earlier) {
        seed.sort_unstable();
        if !seeds.contains(&seed) {
            seeds.push(seed);
        }
    }
    let base = scores(rel, a);
    let more = Instant::now() + each;
    // When the n-th descent may run, and until when it may start steps (a step started in time
    // may run on for one more budget; None: no time left, or the incumbent proven).
    let slot = |n: usize, incumbent: &Option<(f64, Vec<usize>)>| {
        let now = Instant::now();
        let over = now >= first || (n > 0 && now >= more) || incumbent.as_ref().is_some_and(|(o, _)| proves(best.bound, *o, p.sc.mip_gap));
        (!over).then(|| if n == 0 { first.into() } else { allocation::Deadline { start_by: first.min(now + each), end_by: first.min(now + 2 * each) } })
    };
    let mut improved = false;
    let mut keep = |found: Option<(f64, Vec<usize>)>, incumbent: &mut Option<(f64, Vec<usize>)>| {
        if let Some((obj, h)) = found.filter(|(obj, _)| incumbent.as_ref().is_none_or(|(o, _)| *obj < *o - 1e-9)) {
            *incumbent = Some((obj, h));
            improved = true;
        }
    };
    // With contiguity, every seed's relaxed descent comes first: one whose areas are connected is
    // a partition at once, and the contiguous descents after it (the costly part) run against it,
    // the most promising first.
    let mut relaxed = Vec::new();
    for (n, seed) in seeds.into_iter().take(SEEDS).enumerate() {
        let Some(until) = slot(n, incumbent) else { break };
        let mut y = base.clone();
        for &j in &seed {
            y[j] += 1e9;
        }
        if !p.sc.contiguity {
            let cutoff = incumbent.as_ref().map(|(o, _)| *o);
            keep(memo.run(p, &y, k, until, opts, cutoff), incumbent);
        } else if let Some(r) = memo.relaxed(p, &y, k, until, opts) {
            relaxed.push(r);
        }
    }
    relaxed.sort_by(|a, b| (!a.connected).cmp(&!b.connected).then(a.objective.total_cmp(&b.objective)));
    for (n, r) in relaxed.into_iter().enumerate() {
        let Some(until) = slot(n, incumbent) else { break };
        // Its contiguous allocation costs at least its relaxed one: nothing to gain.
        if incumbent.as_ref().is_some_and(|(o, _)| !r.connected && r.objective >= *o) {
            continue;
        }
        let cutoff = incumbent.as_ref().map(|(o, _)| *o);
        keep(memo.contiguous(p, r, until, opts, cutoff), incumbent);
    }
    improved
}

/// The most seeds one location–allocation pass descends from.
const SEEDS: usize = 8;

/// Rounds of ascent, each followed by fixing against the incumbent's objective `ub`; what is
/// fixed leaves the relaxation, so that the next round is cheaper and its bound higher. Ends when
/// the bound proves the incumbent optimal, a round gains less than 10⁻⁶ of `ub`, or at `until`.
#[allow(clippy::too_many_arguments)]
fn fixing_rounds(p: &Problem, rel: &mut Relaxation, ascent: &mut Ascent, ub: f64, until: Instant, opts: &SolveOptions, t0: Instant, incumbent: Option<&(f64, Vec<usize>)>) {
    let mut last = f64::NEG_INFINITY;
    while ascent.evaluations < MAX_EVALS && Instant::now() < until {
        let Some(best) = ascent.best.as_ref() else { break };
        if proves(best.bound, ub, p.sc.mip_gap) || best.bound - last < 1e-6 * ub.abs() {
            break;
        }
        last = best.bound;
        if rel.prune(best, ub) > 0 {
            rel.rebase(ascent);
        }
        if ascent.best.as_ref().is_some_and(|b| proves(b.bound, ub, p.sc.mip_gap)) {
            break;
        }
        rel.ascend(ascent, Some(ub), until, ROUND_EVALS);
        if opts.verbose {
            eprintln!("[alue] Lagrangian round: bound {:.6} after {} evaluations, {} pairs and {} hubs fixed so far, t={:.2}s", ascent.best.as_ref().map_or(f64::NAN, |b| b.bound), ascent.evaluations, rel.removed_pairs.len(), rel.removed_hubs.len(), t0.elapsed().as_secs_f64());
        }
        tell(opts, "Lagrangian fixing", incumbent, ascent);
    }
}

/// Hub likelihood for location–allocation, below the seed's hubs: how often the ascent opened
/// each hub lately, ties broken towards the cheapest knapsack there.
fn scores(rel: &Relaxation, a: &Ascent) -> Vec<f64> {
    let mut y = a.hub_score.clone();
    let Some(best) = a.best.as_ref() else { return y };
    let finite: Vec<f64> = best.value.iter().copied().filter(|v| v.is_finite()).collect();
    let (lo, hi) = finite.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
    for (c, v) in best.value.iter().enumerate() {
        if v.is_finite() && hi > lo {
            y[rel.hub(c)] += 1e-3 * (hi - v) / (hi - lo);
        }
    }
    y
}

/// The hubs open at the dual `d`, in increasing order.
fn open_hubs(rel: &Relaxation, d: &super::lagrange::Dual) -> Vec<usize> {
    let mut open: Vec<usize> = d.open.iter().map(|&c| rel.hub(c)).collect();
    open.sort_unstable();
    open
}

/// Up to `k` hubs whose areas at the dual `d` barely overlap: the columns by increasing value,
/// each kept when at most half of its area is in the areas kept before it. The dual's own open
/// columns are the k cheapest, and they may all crowd into one region, each taking what the
/// others take (the relaxed rows let a unit join several areas); a partition takes disjoint
/// areas, and this picks them as a partition would.
fn disjoint(rel: &Relaxation, d: &super::lagrange::Dual, k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rel.columns()).filter(|&c| d.value[c].is_finite()).collect();
    order.sort_by(|&a, &b| d.value[a].total_cmp(&d.value[b]).then(a.cmp(&b)));
    let mut covered = vec![false; d.u.len()];
    let mut hubs = Vec::new();
    for c in order {
        if hubs.len() >= k {
            break;
        }
        let area = rel.area(d, c);
        if covered[rel.hub(c)] || 2 * area.iter().filter(|&&i| covered[i]).count() > area.len() {
            continue;
        }
        area.iter().for_each(|&i| covered[i] = true);
        hubs.push(rel.hub(c));
    }
    hubs
}

/// After the dual phase: the incumbent when the bound proves it optimal (HiGHS does not run), else
/// the MIP on the reduced problem from the incumbent, which holds every cheaper partition; the
/// bound is the better of the dual's and the MIP's.
pub(super) fn finish(p: &Problem, opts: &SolveOptions, prep: Prepared, t0: Instant) -> Result<Outcome> {
    let limit = limits::time_limit(p, opts);
    // The outer margin (validation and output), which the inner solve with its own limit omits.
    let left = (limit - limits::output_margin(opts, limit) - t0.elapsed().as_secs_f64()).max(0.0);
    if let Some((obj, h)) = prep.start.as_ref().filter(|(o, _)| proves(prep.report.bound, *o, p.sc.mip_gap)) {
        let (pairs, hubs) = (columns::pair_count(&prep.problem), prep.problem.hubs().len());
        let proven = Outcome::of(Status::Optimal, Some((*obj, h.clone())), Some(prep.report.bound), t0, PROVEN_BY_DUAL.into());
        return Ok(Outcome { pairs, hubs, heuristic: Some(*obj), dual: Some(prep.report), ..proven });
    }
    // Its start comes from location–allocation, an exact descent of its own; recombination is
    // not measured on the Hess model and stays off there.
    // The cuts the allocations met hold for the whole graph: the MIP starts from them (moved out
    // of the memo, so that its rounds do not offer them again).
    let mut allocated = prep.allocated;
    let cuts = opts.cuts.iter().cloned().chain(std::mem::take(&mut allocated.cuts)).collect();
    let sub = SolveOptions { lagrange: false, recombination: false, start: prep.start.as_ref().map(|(_, h)| h.clone()), pool: Vec::new(), time_limit: Some(left), cuts, allocated, ..opts.clone() };
    let mut o = match (&prep.sets, &prep.start) {
        (Some(sets), Some(start)) => super::hub_sets::solve_listed(&prep.problem, &sub, start.clone(), sets)?,
        _ => super::solve(&prep.problem, &sub)?,
    };
    let dual = prep.report.bound;
    o.bound = Some(o.bound.map_or(dual, |b| b.max(dual)));
    if let (Some(b), Some(obj)) = (o.bound, o.objective) {
        o.bound = Some(b.min(obj));
    }
    o.gap = super::relative_gap(o.objective, o.bound);
    o.seconds = t0.elapsed().as_secs_f64();
    o.dual = Some(prep.report);
    Ok(o)
}
