//! Primal heuristics around the search (HiGHS's `HighsPrimalHeuristics`): the starts (the
//! caller's partition, the pool of earlier optima, the constructive heuristic), how a candidate
//! is offered as the incumbent.

use super::{heuristic, SolveOptions};
use crate::problem::Problem;
use crate::solution::evaluate;
use std::time::{Duration, Instant};

/// When a local search started now must end: 5 % of the time limit, at least 0.5 s.
pub(super) fn improve_deadline(limit: f64) -> Instant {
    Instant::now() + Duration::from_secs_f64((0.05 * limit).max(0.5))
}

/// Offer a candidate partition: if feasible, improve it by local search until `improve_until`
/// and keep it when it beats the incumbent `inc`.
pub(super) fn offer(p: &Problem, inc: &mut Option<(f64, Vec<usize>)>, cand: Option<Vec<usize>>, improve_until: Instant) {
    if let Some(mut h) = cand.filter(|h| heuristic::feasible(p, h)) {
        heuristic::improve(p, &mut h, improve_until);
        let obj = evaluate(p, &h).objective;
        if inc.as_ref().is_none_or(|(o, _)| obj < *o - 1e-9) {
            *inc = Some((obj, h));
        }
    }
}

/// The best start: the caller's partition (repaired until `until`), the cheapest of the pool if
/// it beats that, and the constructive heuristic's (until `until`), each improved by local
/// search until `improve()` (called when each improvement begins).
pub(super) fn starts(p: &Problem, opts: &SolveOptions, until: Instant, improve: impl Fn() -> Instant) -> Option<(f64, Vec<usize>)> {
    let mut inc = None;
    offer(p, &mut inc, opts.start.as_ref().and_then(|h| heuristic::repair(p, h, until)), improve());
    if let Some((obj, h)) = heuristic::cheapest(p, &opts.pool) {
        if inc.as_ref().is_none_or(|(o, _)| obj < *o - 1e-9) {
            offer(p, &mut inc, Some(h.clone()), improve());
        }
    }
    if !opts.no_heuristic {
        offer(p, &mut inc, heuristic::construct(p, until), improve());
    }
    inc
}
