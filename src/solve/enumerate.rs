//! Exact solve by enumerating every feasible area (Garfinkel & Nemhauser 1970): when every area
//! is bounded above by a threshold (e.g. the Hess preset's ±0.5 % population window) and the
//! graph is small, the connected unit sets that fit the thresholds can be listed outright. Each
//! gets its cost with its best hub; a set-partitioning MIP (every unit in exactly one area, the
//! number of areas in range) picks the cheapest partition. Contiguity holds by construction, so
//! there is no separation loop at all; this wins where the contiguous optimum lies far above the
//! assignment model's relaxation (Maine, k = 2: 19 071 against a relaxation near 11 500).
//!
//! The listing stops (and the caller falls back to the MIP) as soon as it passes `max_sets`
//! candidate sets or its deadline.

use super::heuristic::best_hub;
use super::{limits, Outcome, SolveOptions};
use crate::problem::Problem;
use crate::solution::{area_figures, area_objective, Status};
use super::exact_cover::{self, Cover};
use highs::{ColProblem, HighsModelStatus, HighsSolutionStatus, Sense};
use std::time::Instant;

/// At most this many connected sets are visited before the enumeration gives up.
const MAX_SETS: usize = 300_000;

/// …and at most this many when the areas are small (see `max_sets`).
const MAX_SETS_SMALL_AREAS: usize = 20_000_000;

/// Areas of at most this many units on average (units per area at the least count) are small.
const SMALL_AREA_UNITS: usize = 8;

/// How many connected sets the listing may visit. Their number grows exponentially with the
/// units an area holds, so the listing is given room only where areas are small: there it ends
/// in about a second at most, where areas of 11–22 units (New Mexico, Idaho, West Virginia
/// counties) would take seconds to give up. With few units per area the compact model's
/// relaxation is at its weakest, and the listing is worth most: it settled South Carolina's
/// counties (46 units, 7 areas) in under a second, which the paper's models left open after an
/// hour.
fn max_sets(p: &Problem) -> usize {
    if p.n <= SMALL_AREA_UNITS * p.areas.1.max(1) { MAX_SETS_SMALL_AREAS } else { MAX_SETS }
}

/// What the listing may still spend: connected sets visited so far, the most it may visit
/// (`max_sets`), and its deadline.
struct Budget {
    visited: usize,
    most: usize,
    deadline: Instant,
}

/// A feasible area: members (sorted), hub, objective contribution.
struct Area {
    members: Vec<usize>,
    hub: usize,
    cost: f64,
}

/// What the set-partitioning solve reached.
pub struct Enumerated {
    /// Feasible areas listed.
    pub areas: usize,
    /// HiGHS's status and the best partition (hub per unit) with its objective and bound.
    pub status: HighsModelStatus,
    pub hub_of: Option<Vec<usize>>,
    pub objective: Option<f64>,
    pub bound: Option<f64>,
    /// The exact cover search proved that no partition exists (HiGHS did not run).
    pub proven_by_cover: bool,
}

/// Can the problem be enumerated at all: contiguity on, and some threshold bounds every area above.
pub fn applicable(p: &Problem) -> bool {
    p.sc.contiguity && p.thresholds.iter().any(|t| t.max.is_finite()) && p.n <= 64
}

/// List the feasible areas (None when there are too many or the deadline passes).
fn list(p: &Problem, deadline: Instant) -> Option<Vec<Area>> {
    let bounded: Vec<(usize, f64)> = p.thresholds.iter().filter(|t| t.max.is_finite()).map(|t| (t.attr, t.max)).collect();
    let mut areas = Vec::new();
    let mut budget = Budget { visited: 0, most: max_sets(p), deadline };
    // ESU (Wernicke 2006): every connected set is generated once, from its least unit v, by
    // extending with units > v that are exclusive neighbours of the unit just added.
    for v in 0..p.n {
        let mut sums: Vec<f64> = bounded.iter().map(|&(a, _)| p.value(v, a)).collect();
        if sums.iter().zip(&bounded).any(|(s, &(_, max))| *s > max + 1e-9) {
            continue;
        }
        let mut near = vec![0u32; p.n]; // how many set members (plus the set) each unit touches
        let mut sub = vec![v];
        for &u in &p.nb[v] {
            near[u] += 1;
        }
        near[v] += 1;
        let ext: Vec<usize> = p.nb[v].iter().copied().filter(|&u| u > v).collect();
        if !extend(p, v, &mut sub, ext, &mut near, &mut sums, &bounded, &mut areas, &mut budget) {
            return None;
        }
    }
    Some(areas)
}

#[allow(clippy::too_many_arguments)]
fn extend(
    p: &Problem,
    v: usize,
    sub: &mut Vec<usize>,
    mut ext: Vec<usize>,
    near: &mut [u32],
    sums: &mut [f64],
    bounded: &[(usize, f64)],
    areas: &mut Vec<Area>,
    budget: &mut Budget,
) -> bool {
    budget.visited += 1;
    if budget.visited > budget.most || (budget.visited % 4096 == 0 && Instant::now() >= budget.deadline) {
        return false;
    }
    if let Some(a) = area(p, sub) {
        areas.push(a);
    }
    while let Some(w) = ext.pop() {
        if sums.iter().zip(bounded).any(|(s, &(a, max))| s + p.value(w, a) > max + 1e-9) {
            continue;
        }
        // Exclusive neighbours of w: not in the set and not next to it.
        let mut next = ext.clone();
        next.extend(p.nb[w].iter().copied().filter(|&u| u > v && near[u] == 0));
        for (s, &(a, _)) in sums.iter_mut().zip(bounded) {
            *s += p.value(w, a);
        }
        sub.push(w);
        near[w] += 1;
        for &u in &p.nb[w] {
            near[u] += 1;
        }
        let ok = extend(p, v, sub, next, near, sums, bounded, areas, budget);
        for &u in &p.nb[w] {
            near[u] -= 1;
        }
        near[w] -= 1;
        sub.pop();
        for (s, &(a, _)) in sums.iter_mut().zip(bounded) {
            *s -= p.value(w, a);
        }
        if !ok {
            return false;
        }
    }
    true
}

/// The set as an area if it meets every threshold and some unit may serve all of it.
fn area(p: &Problem, sub: &[usize]) -> Option<Area> {
    let fits = p.thresholds.iter().all(|t| {
        let s: f64 = sub.iter().map(|&i| p.value(i, t.attr)).sum();
        s >= t.min - 1e-9 && s <= t.max + 1e-9
    });
    if !fits {
        return None;
    }
    let hub = best_hub(p, sub)?;
    // Units fixed to a hub outside the set cannot be in it.
    if sub.iter().any(|&i| p.fixed[i].is_some_and(|f| f != hub)) {
        return None;
    }
    let mut members = sub.to_vec();
    members.sort_unstable();
    let cost = area_objective(p, &area_figures(p, hub, &members));
    Some(Area { members, hub, cost })
}

/// The solve by enumeration, when it applies and the listing ends within 5 % of the limit (at
/// most 2 s); None otherwise (the caller goes on with the MIP).
pub(super) fn try_solve(p: &Problem, opts: &SolveOptions, t0: Instant) -> Option<Outcome> {
    if !opts.enumeration || opts.cutoff.is_some() || !applicable(p) {
        return None;
    }
    let limit = limits::time_limit(p, opts);
    let give_up = t0 + std::time::Duration::from_secs_f64((0.05 * limit).min(2.0));
    let e = solve(p, give_up, limit - t0.elapsed().as_secs_f64(), opts.verbose)?;
    let status = match (e.status, &e.hub_of) {
        (HighsModelStatus::Optimal, Some(_)) => Status::Optimal,
        (HighsModelStatus::Infeasible, _) => Status::Infeasible,
        _ => Status::TimeLimit,
    };
    let incumbent = e.objective.zip(e.hub_of);
    let bound = match (status, &incumbent) {
        (Status::Optimal, Some((o, _))) => Some(e.bound.map_or(*o, |b| b.min(*o))),
        _ => e.bound,
    };
    let highs_status = match e.proven_by_cover {
        true => format!("{} over {} enumerated areas proved that no partition exists", super::BY_EXACT_COVER, e.areas),
        false => format!("{:?} (set partitioning over {} {ENUMERATED})", e.status, e.areas),
    };
    Some(Outcome { rounds: usize::from(!e.proven_by_cover), pairs: super::columns::pair_count(p), hubs: p.hubs().len(), ..Outcome::of(status, incumbent, bound, t0, highs_status) })
}

/// What HiGHS's status names when it solved the set partitioning over the enumerated areas.
pub(super) const ENUMERATED: &str = "enumerated areas";

/// Enumerate and solve (None when the enumeration gave up).
pub fn solve(p: &Problem, deadline: Instant, time_limit: f64, verbose: bool) -> Option<Enumerated> {
    let t = Instant::now();
    let Some(areas) = list(p, deadline) else {
        if verbose {
            eprintln!("[alue] enumeration: more than {} connected sets or past its deadline; gave up after {:.2} s", max_sets(p), t.elapsed().as_secs_f64());
        }
        return None;
    };
    if verbose {
        eprintln!("[alue] enumeration: {} feasible areas in {:.2} s", areas.len(), t.elapsed().as_secs_f64());
    }
    // Whether any partition exists at all, by exact cover: a proof that none does ends here;
    // a partition found is the MIP's start.
    let cover = cover(p, &areas, time_limit, t);
    if verbose {
        eprintln!("[alue] exact cover over the areas: {:?} in {:.2} s", cover.as_ref().map(|c| match c { Cover::Found(_) => "a partition", Cover::Impossible => "no partition exists", Cover::GaveUp => "gave up" }), t.elapsed().as_secs_f64());
    }
    if cover == Some(Cover::Impossible) {
        return Some(Enumerated { areas: areas.len(), status: HighsModelStatus::Infeasible, hub_of: None, objective: None, bound: None, proven_by_cover: true });
    }
    let mut pb = ColProblem::new();
    let rows: Vec<highs::Row> = (0..p.n).map(|_| pb.add_row(1.0..=1.0)).collect();
    let count = pb.add_row(p.areas.0 as f64..=p.areas.1 as f64);
    // Forced hubs: the areas around each must include one with it as hub.
    let forced: Vec<(usize, highs::Row)> = (0..p.n).filter(|&j| p.forced_hub[j]).map(|j| (j, pb.add_row(1.0..=1.0))).collect();
    for a in &areas {
        let mut factors: Vec<(highs::Row, f64)> = a.members.iter().map(|&i| (rows[i], 1.0)).collect();
        factors.push((count, 1.0));
        factors.extend(forced.iter().filter(|(j, _)| *j == a.hub).map(|&(_, r)| (r, 1.0)));
        pb.add_integer_column(a.cost, 0.0..=1.0, factors);
    }
    let mut m = pb.optimise(Sense::Minimise);
    super::highs_api::set_options(&mut m, p, super::columns::pair_count(p), (time_limit - t.elapsed().as_secs_f64()).max(0.01), verbose).ok()?;
    if let Some(Cover::Found(chosen)) = &cover {
        let mut cols = vec![0.0; areas.len()];
        chosen.iter().for_each(|&a| cols[a] = 1.0);
        m.try_set_solution(Some(&cols), None, None, None).ok()?;
    }
    let solved = m.try_solve().ok()?;
    let status = solved.status();
    let bound = solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite());
    let (mut hub_of, mut objective) = (None, None);
    if solved.primal_solution_status() == HighsSolutionStatus::Feasible {
        let z = solved.get_solution();
        let mut h = vec![usize::MAX; p.n];
        for (a, &v) in areas.iter().zip(z.columns()) {
            if v > 0.5 {
                for &i in &a.members {
                    h[i] = a.hub;
                }
            }
        }
        if h.iter().all(|&j| j != usize::MAX) {
            objective = Some(crate::solution::evaluate(p, &h).objective);
            hub_of = Some(h);
        }
    }
    Some(Enumerated { areas: areas.len(), status, hub_of, objective, bound, proven_by_cover: false })
}

/// The exact cover search over the listed areas (see `exact_cover`), within a quarter of the time
/// left from `t` (None when it does not apply: more than 64 units, or no threshold bounding
/// areas on both sides that the pruning could use).
fn cover(p: &Problem, areas: &[Area], time_limit: f64, t: Instant) -> Option<Cover> {
    if p.n > 64 {
        return None;
    }
    let th = p.thresholds.iter().find(|th| th.max.is_finite())?;
    let neighbours: Vec<u64> = (0..p.n).map(|i| p.nb[i].iter().fold(0u64, |m, &v| m | 1 << v)).collect();
    let masks: Vec<u64> = areas.iter().map(|a| a.members.iter().fold(0u64, |m, &i| m | 1 << i)).collect();
    let value: Vec<f64> = (0..p.n).map(|i| p.value(i, th.attr)).collect();
    let q = exact_cover::Question { neighbours: &neighbours, areas: &masks, count: p.areas, value: &value, window: (th.min, th.max) };
    let left = (time_limit - t.elapsed().as_secs_f64()).max(0.0);
    Some(exact_cover::search(&q, Instant::now() + std::time::Duration::from_secs_f64(0.25 * left)))
}
