//! A MIP round of the compact model: HiGHS's branch and bound from the incumbent, its solution
//! checked for contiguity (separator cuts when it is not, a repaired partition and an allocation
//! from its hubs as new incumbents), and the harvest of the solutions HiGHS found on the way.
//! HiGHS has no lazy constraints, so a round that finds a disconnected optimum adds its cuts and
//! the next round solves again.

use super::callback::LiveProgress;
use super::columns::{column_values, hub_of_solution, x_columns};
use super::compact_model::{Compact, Step};
use super::state::Search;
use super::{heuristic, primal, SolveOptions};
use crate::error::{Error, Result};
use crate::model::contiguity;
use crate::solution::{evaluate, Status};
use highs::{HighsModelStatus, HighsSolutionStatus};
use std::time::Instant;

/// After this many MIP rounds with violated contiguity, add the flow formulation.
const FLOW_AFTER_ROUNDS: usize = 25;

/// One MIP round on the model `m` (handed back, with the new cuts, for the next round).
pub(super) fn round(s: &mut Search, c: &mut Compact, mut m: highs::Model) -> Result<Step> {
    start_from_incumbent(s, c, &mut m)?;
    let phase = format!("MIP round {}", s.rounds + 1);
    s.tell(phase.clone());
    // HiGHS's own incumbent is a partition of the full model only when every round is exact
    // (no contiguity, or the flow formulation); its dual bound is a bound of a relaxation.
    c.callback.live = s.opts.progress.clone().map(|sink| LiveProgress { sink, phase, incumbent: s.incumbent.as_ref().map(|(o, _)| *o), bound: s.bound, exact: !s.p.sc.contiguity || c.flow, last: Instant::now() });
    s.log(format_args!("MIP round {} starts", s.rounds + 1));
    let solved = m.try_solve().map_err(|e| Error::Solver(format!("HiGHS failed: {e:?}")))?;
    s.rounds += 1;
    s.log(format_args!("MIP round {} ends", s.rounds));
    let status = solved.status();
    let highs_status = format!("{status:?}");
    // Solutions HiGHS found on the way: connected ones are candidates, the others gave cuts.
    let (harvested_cuts, harvested_feasible) = {
        let mut st = c.harvested.borrow_mut();
        (std::mem::take(&mut st.cuts), std::mem::take(&mut st.feasible))
    };
    let stopped = c.callback.stop && Instant::now() < s.deadline;
    for h in harvested_feasible {
        s.offer(Some(h));
    }
    if c.callback.tightened && Instant::now() < s.deadline {
        // A solve beside this one found better than the round's cutoff: the next round starts
        // against it (HiGHS's objective_bound holds for a whole solve).
        s.log(format_args!("MIP round {}: the best found beside fell to {:?}, starting again against it", s.rounds, s.cutoff()));
        let mut m: highs::Model = solved.into();
        c.add_cuts(s, &mut m, &harvested_cuts)?;
        return Ok(Step::Next(m));
    }
    if let Some(o) = settled(s, &solved, status, stopped)? {
        return Ok(Step::Done(Box::new(o)));
    }
    let mut new_cuts = Vec::new();
    if solved.primal_solution_status() == HighsSolutionStatus::Feasible {
        let hub_of = hub_of_solution(s.p.n, &x_columns(&c.vars), solved.get_solution().columns())
            .ok_or_else(|| Error::Solver("HiGHS returned a solution that leaves a unit unassigned".into()))?;
        new_cuts = if s.p.sc.contiguity { contiguity::separate(s.p, &hub_of) } else { Vec::new() };
        use_solution(s, hub_of, &new_cuts);
        if new_cuts.is_empty() && !stopped && status == HighsModelStatus::Optimal {
            // Contiguous and optimal: a partition of the full model, and the answer.
            return Ok(Step::Done(Box::new(s.finish(Status::Optimal, highs_status))));
        }
    }
    new_cuts.extend(harvested_cuts);
    if status != HighsModelStatus::Optimal && !stopped {
        return Ok(Step::Done(Box::new(s.finish(Status::TimeLimit, highs_status))));
    }
    if c.relaxation_pending && !new_cuts.is_empty() {
        c.relaxation_pending = false;
        new_cuts.extend(staffing_relaxation(s));
    }
    let mut m: highs::Model = solved.into();
    if !c.flow && s.rounds >= FLOW_AFTER_ROUNDS && s.opts.auto_flow && !new_cuts.is_empty() {
        // Many rounds: the flow formulation settles contiguity in one more round.
        m = c.switch_to_flow(s)?;
    }
    // The cut rounds of the allocation from this round's hubs met separators of their own.
    new_cuts.extend(s.take_allocation_cuts());
    c.add_cuts(s, &mut m, &new_cuts)?;
    Ok(Step::Next(m))
}

/// HiGHS's start and heuristics for a round. The incumbent is HiGHS's start when it keeps the
/// model's fixings (probing may have fixed open a hub it lacks). Else HiGHS starts from nothing,
/// pruned at the incumbent, and the LP rounds' solution is cleared: HiGHS would take it (or a
/// start that breaks a fixing) for a user's start and first solve the MIP with its integral
/// columns fixed (`completeSolutionFromDiscreteAssignment`), whose bound, seen by the callback,
/// is that restricted MIP's, not the round's.
fn start_from_incumbent(s: &Search, c: &Compact, m: &mut highs::Model) -> Result<()> {
    // (A partition on a pair `shrink` deleted has no columns: no start.)
    let has_columns = |h: &[usize]| h.iter().enumerate().all(|(i, &j)| c.vars.x[i][j].is_some());
    let start = s.incumbent.as_ref().filter(|(_, h)| has_columns(h)).map(|(_, h)| column_values(s.p, &c.vars, h)).filter(|cols| c.keeps_fixings(cols));
    if let Some(cols) = &start {
        m.try_set_solution(Some(cols), None, None, None).map_err(|e| Error::Solver(format!("cannot pass the start: {e:?}")))?;
    } else {
        // SAFETY: the live model's pointer.
        unsafe { highs_sys::Highs_clearSolver(m.as_mut_ptr()) };
        if let Some(ub) = s.upper_bound() {
            m.try_set_option("objective_bound", ub).map_err(|_| Error::Solver("HiGHS rejected objective_bound".into()))?;
        }
    }
    // Feasibility jump looks for a first feasible solution and runs whether or not one is given
    // (HighsMipSolver::run); with a start it only costs time. It took 14 % of the default solve's
    // cycles in a profile; the wall time it saves there is about 2 %, within the noise. With a
    // cutoff (a hub set's or an allocation step's MIP against the best known) it is off too:
    // there it can only find what beats the cutoff, mostly nothing, and took 7 % of the cycles
    // at labour force ≥ 15 000 (paired medians of 7: 0.86-0.96 of the time on the small solves).
    m.try_set_option("mip_heuristic_run_feasibility_jump", s.incumbent.is_none() && s.cutoff().is_none()).map_err(|_| Error::Solver("HiGHS rejected mip_heuristic_run_feasibility_jump".into()))?;
    Ok(())
}

/// What HiGHS's status and bound settle before the solution is looked at: infeasibility (with an
/// incumbent: nothing cheaper, so it is optimal), an error status, or a cutoff nothing beats.
/// Raises the bound to the round's.
fn settled(s: &mut Search, solved: &highs::SolvedModel, status: HighsModelStatus, stopped: bool) -> Result<Option<super::Outcome>> {
    let highs_status = format!("{status:?}");
    match status {
        HighsModelStatus::Infeasible if !stopped => {
            // With an incumbent below the cutoff, "infeasible" can only mean that the
            // reduced-cost fixing left no partition better than it: the incumbent is optimal.
            // Otherwise nothing lies below the cutoff (the incumbent, if any, is not below it).
            return Ok(Some(nothing_below_limit(s, None, highs_status)));
        }
        HighsModelStatus::Optimal | HighsModelStatus::ReachedTimeLimit | HighsModelStatus::ReachedInterrupt | HighsModelStatus::ReachedIterationLimit | HighsModelStatus::Unknown | HighsModelStatus::ReachedSolutionLimit => {}
        other => return Err(Error::Solver(format!("HiGHS ended with status {other:?}"))),
    }
    // HiGHS prunes at objective_bound (the cutoff, or the incumbent when it is not the start):
    // past it, its dual bound only says that nothing lies below that limit.
    let limit = s.upper_bound();
    let round_bound = solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite()).map(|b| limit.map_or(b, |l| b.min(l)));
    if let Some(b) = round_bound {
        s.raise_bound(b);
    }
    s.log(format_args!("round {}: HiGHS {status:?}, bound {round_bound:?}", s.rounds));
    if let (Some(limit), HighsModelStatus::Optimal) = (limit, status) {
        // HiGHS reports "optimal" on a solution at or above the limit when it has proved that
        // none lies below; this round's model is a relaxation of the full one (fewer contiguity
        // cuts), so no partition is cheaper than the limit either: the incumbent is optimal if
        // it is below the cutoff, and otherwise nothing is.
        let obj = solved.objective_value();
        if solved.primal_solution_status() != HighsSolutionStatus::Feasible || obj >= limit - 1e-7 * limit.abs() {
            return Ok(Some(nothing_below_limit(s, s.bound, highs_status)));
        }
    }
    Ok(None)
}

/// The outcome when HiGHS has shown that nothing lies below the limit it pruned at: the
/// incumbent, optimal, if it is below the cutoff (its bound `proven` capped at its objective,
/// or the objective itself); otherwise nothing below the cutoff, status infeasible.
fn nothing_below_limit(s: &Search, proven: Option<f64>, highs_status: String) -> super::Outcome {
    let cut = s.cutoff();
    match s.incumbent.as_ref().filter(|(o, _)| cut.is_none_or(|c| *o < c)) {
        Some(&(ub, _)) => s.finish_with(Status::Optimal, s.incumbent.clone(), Some(proven.map_or(ub, |b| b.min(ub))), highs_status),
        None => s.finish_with(Status::Infeasible, None, cut, highs_status),
    }
}

/// The round's solution `hub_of` as a source of incumbents: itself when contiguous; else its
/// repair, and the best contiguous allocation around its hubs (an exact small MIP, with every
/// cut known so far).
fn use_solution(s: &mut Search, hub_of: Vec<usize>, new_cuts: &[contiguity::Cut]) {
    if s.opts.verbose {
        eprintln!("[alue] round {}: objective {:.0}, {} cut(s)", s.rounds, evaluate(s.p, &hub_of).objective, new_cuts.len());
        for c in new_cuts.iter().filter(|c| c.j == hub_of[c.i]) {
            let name = |k: usize| s.p.inst.units[k].name.as_str();
            eprintln!("[alue]   {} cut off from hub {} by {:?}", name(c.i), name(c.j), c.sep.iter().map(|&k| name(k)).collect::<Vec<_>>());
        }
    }
    if new_cuts.is_empty() {
        s.offer(Some(hub_of));
        return;
    }
    s.offer(heuristic::repair(s.p, &hub_of, primal::improve_deadline(s.limit)));
    if s.allocation_on() {
        let y: Vec<f64> = (0..s.p.n).map(|j| if hub_of[j] == j { 1.0 } else { 0.0 }).collect();
        // The cuts found so far hold for the allocation too (separators of the same graph).
        let with_cuts = SolveOptions { cuts: s.cuts.iter().chain(new_cuts).cloned().collect(), ..s.opts.clone() };
        let cutoff = s.incumbent.as_ref().map(|(o, _)| *o);
        let until = primal::improve_deadline(s.limit).min(s.deadline);
        s.allocate_from(&y, &with_cuts, until, cutoff, &format!("from round {}'s hubs", s.rounds));
    }
}

/// The staffing relaxation (once, when a first MIP round ends on a disconnected solution): with
/// s(j) continuous the same model solves many times faster (the rounding
/// ⌈jobseekers/caseload⌉ is what makes HiGHS branch). Its partition, evaluated with whole
/// advisers, is a start for the exact rounds; its contiguity cuts are returned (valid for them).
fn staffing_relaxation(s: &mut Search) -> Vec<contiguity::Cut> {
    let mut q = s.p.clone();
    q.relax_staffing = true;
    // (The hub sets allocations bounded are the exact model's: no bound of the relaxation.)
    let sub = SolveOptions { time_limit: Some(0.25 * s.left().max(0.0)), verbose: false, start: s.incumbent.as_ref().map(|(_, h)| h.clone()), progress: None, shared_cutoff: None, allocated: Default::default(), ..s.opts.clone() };
    let r0 = Instant::now();
    let mut cuts = Vec::new();
    if let Ok(o) = super::solve(&q, &sub) {
        s.offer(o.hub_of.clone());
        cuts = o.cut_list;
    }
    s.relaxation_seconds = r0.elapsed().as_secs_f64();
    s.log(format_args!("staffing relaxation: incumbent {:?} €/year, {:.2} s", s.incumbent.as_ref().map(|(o, _)| *o), s.relaxation_seconds));
    cuts
}
