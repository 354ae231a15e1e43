//! The compact model's search (HiGHS's `HighsSearch` around our rounds): a start, then LP rounds
//! (separation, reduced-cost fixing, hub probing), then MIP rounds that add contiguity separator
//! cuts until HiGHS's optimum is contiguous. The model and what has been fixed in it live in
//! `compact_model::Compact`; everything the methods share lives in the search state
//! (`state::Search`).

use super::compact_model::{Compact, Step, MAX_LP_ROUNDS};
use super::state::Search;
use super::{column_generation, heuristic, hub_sets, limits, lp_relaxation, mip_round, primal, probing, recombine, Outcome};
use crate::error::Result;
use crate::solution::{evaluate, Status};
use std::time::Duration;

/// The share of the time limit by which recombination of the start must end.
const RECOMBINE_SHARE: f64 = 0.4;

/// Recombine the incumbent (see `recombine`) until `share` of the limit.
fn recombine(s: &mut Search, share: f64) {
    if s.opts.recombination && !s.opts.no_heuristic {
        let until = s.at(share);
        let r = recombine::improve(s.p, &mut s.incumbent, until, s.opts);
        s.log(format_args!("recombination: {} unions re-solved, {} improvements, {:?} €/year", r.unions, r.improvements, s.incumbent.as_ref().map(|(o, _)| *o)));
        // What the watchdog reports if a later step overruns the limit.
        s.tell("recombination");
    }
}

/// Solve the compact model from the best start, round after round, until optimal or the limit.
pub(super) fn solve(mut s: Search) -> Result<Outcome> {
    s.incumbent = primal::starts(s.p, s.opts, s.at(0.1), || primal::improve_deadline(s.limit));
    let columns = column_generation::applies(s.p, s.opts);
    if !columns {
        recombine(&mut s, RECOMBINE_SHARE);
    }
    s.heuristic = s.incumbent.as_ref().map(|(o, _)| *o);
    s.log(format_args!("heuristic start {:?} €/year", s.heuristic));
    s.tell("heuristic start");
    limits::fault_stall();
    if let Some(why) = limits::too_large(s.pairs, s.left()) {
        return Ok(heuristic_only(s, why));
    }
    if columns {
        column_generation::improve(&mut s, recombine);
        return Ok(column_generation::finish(&s));
    }
    let (mut c, mut m) = Compact::build(&mut s)?;
    c.probed = !s.opts.probing || s.pairs > probing::MAX_PAIRS;
    loop {
        if s.left() <= 0.0 {
            return Ok(s.finish(Status::TimeLimit, "time limit".into()));
        }
        // Once, between the LP phase and the first MIP round.
        if c.lp_rounds >= MAX_LP_ROUNDS && s.rounds == 0 {
            if let Some(o) = hub_sets::try_solve(&mut s, &mut c, &mut m)? {
                return Ok(o);
            }
        }
        c.prepare(&s, &mut m)?;
        let step = if c.lp_rounds < MAX_LP_ROUNDS { lp_relaxation::round(&mut s, &mut c, m)? } else { mip_round::round(&mut s, &mut c, m)? };
        match step {
            Step::Next(next) => m = next,
            Step::Done(o) => return Ok(*o),
        }
    }
}

/// The outcome when the MIP is not built (see `limits`): the incumbent, improved by local search
/// until 90 % of the limit less 0.5 s for validation and output, status time_limit, no bound.
/// A solve under the scenario's limit counts it from the start of the process (reading a large
/// instance takes seconds); one given its own limit has had the time spent taken off already.
fn heuristic_only(mut s: Search, why: String) -> Outcome {
    let whole = s.opts.time_limit.is_none();
    if let Some((obj, h)) = s.incumbent.as_mut() {
        let before = if whole { (crate::machine::process_seconds() - s.t0.elapsed().as_secs_f64()).max(0.0) } else { 0.0 };
        heuristic::improve(s.p, h, s.t0 + Duration::from_secs_f64((0.9 * s.limit - 0.5 - before).max(0.0)));
        *obj = evaluate(s.p, h).objective;
    }
    s.bound = None;
    s.finish(Status::TimeLimit, why)
}
