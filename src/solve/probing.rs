//! Hub probing, a bound-based reduction: for a candidate hub j, solve the LP relaxation with
//! hub j forced open (x(j,j) = 1). When even that relaxation costs at least the best known
//! partition, no cheaper partition has a hub at j, and x(j,j) is fixed to 0 for the rest of the
//! solve. Likewise a hub whose closing (x(j,j) = 0) lifts the bound to the incumbent must be open.
//! This is strong branching on the hub variables done once, up front: on the Hess instances the
//! root LP opens many hubs fractionally, and most of them cannot be part of a cheaper partition.
//! Every closed hub also removes its n assignment columns from the MIP.
//!
//! Before the LPs, the bound over whole areas closes what it can without any
//! (`close_over_whole_areas`): the live LP priced at HiGHS's duals, split by hub (`lp_parts`),
//! each hub's part raised to the integer search of `area_dual`, and for each hub the cheapest
//! choice of areas that opens it. On Northern Ostrobothnia it closes most of what the LPs would
//! (18 of 19 on the defaults' three areas) and some they cannot.

use super::columns::hub_values;
use super::compact_model::Compact;
use super::highs_api::{fix_column, lp_solution, resolve};
use super::state::Search;
use crate::model::Vars;
use crate::problem::Problem;
use std::time::Instant;

/// Above this many x(i,j) columns, hub probing is skipped (each probe is an LP of that size).
pub(super) const MAX_PAIRS: usize = 20_000;

/// Passes over the hubs until nothing more is fixed, at most `MAX_PASSES`, until 30 % of the
/// limit: each closed hub raises the others' bounds, and the LP over the hubs left is a new start
/// for location–allocation. The model `m` is in relaxation mode, solved.
pub(super) fn passes(s: &mut Search, c: &mut Compact, m: &mut highs::Model) {
    let until = s.at(0.3).min(s.deadline);
    let (mut cols, _, _) = lp_solution(m);
    let mut last_ub = f64::INFINITY;
    for _ in 0..MAX_PASSES {
        let Some(ub) = s.upper_bound() else { break };
        // A pass against the same bound closes little more and re-solves every surviving probe
        // in full: another pass only when the incumbent improved.
        if ub >= last_ub {
            break;
        }
        last_ub = ub;
        let y = hub_values(s.p, &c.vars, &cols);
        s.tell("hub probing");
        let done = pass(m, s.p, &c.vars, &y, ub, &mut c.fixed, until);
        let closed = done.fixings.iter().filter(|f| f.1 == 0.0).count();
        s.hubs -= closed;
        s.log(format_args!("hub probing: {} LPs, {closed} hub(s) closed, {} opened against {ub:.2}", done.lps, done.fixings.len() - closed));
        if done.fixings.is_empty() {
            break;
        }
        c.hub_fixings.extend(done.fixings);
        if !resolve(m) {
            // Infeasible: no partition beats the incumbent; the MIP round will say so.
            break;
        }
        let (cc, duals, lp_obj) = lp_solution(m);
        cols = cc;
        s.raise_bound(lp_obj);
        if s.allocation_on() {
            let y = hub_values(s.p, &c.vars, &cols);
            s.allocate_from(&y, s.opts, s.at(0.2).min(s.deadline), Some(ub), "after probing");
        }
        c.fix_by_cost(s, m, &cols, &duals, lp_obj);
    }
}

/// At most this many probing passes.
const MAX_PASSES: usize = 6;

/// What one probing pass did.
#[derive(Debug, Default, Clone)]
pub struct Pass {
    /// Hubs fixed: (unit, 0 for closed or 1 for open).
    pub fixings: Vec<(usize, f64)>,
    /// LPs solved.
    pub lps: usize,
}

/// Does the LP with the hub column `col` fixed to `value` cost at least the `objective_bound` set
/// on the model (or is it infeasible)? The dual simplex stops as soon as its objective, a lower
/// bound on the LP's, passes the bound, so most successful probes are cheap. The column's bounds
/// are left at [0, 1]. False when the LP ended otherwise (e.g. at the deadline).
fn probe(m: &mut highs::Model, col: usize, value: f64, ub: f64) -> bool {
    let ptr = m.as_mut_ptr();
    let c = col as highs_sys::HighsInt;
    // SAFETY: `ptr` is the live model's and `col` one of its columns.
    unsafe {
        highs_sys::Highs_changeColBounds(ptr, c, value, value);
        highs_sys::Highs_run(ptr);
        let status = highs_sys::Highs_getModelStatus(ptr);
        let above = match status {
            highs_sys::MODEL_STATUS_OBJECTIVE_BOUND | highs_sys::MODEL_STATUS_INFEASIBLE => true,
            highs_sys::MODEL_STATUS_OPTIMAL => highs_sys::Highs_getObjectiveValue(ptr) >= ub,
            _ => false,
        };
        highs_sys::Highs_changeColBounds(ptr, c, 0.0, 1.0);
        above
    }
}

/// One pass over the candidate hubs of the LP relaxation held by `m` (the model must be in
/// relaxation mode): close every hub whose forced opening costs at least `ub`, and open every
/// hub with LP value ≥ ½ whose closing does. `y` is the LP's hub values, `fixed` marks columns
/// already fixed (updated). Stops at `deadline`.
pub fn pass(
    m: &mut highs::Model,
    p: &Problem,
    vars: &Vars,
    y: &[f64],
    ub: f64,
    fixed: &mut [bool],
    deadline: Instant,
) -> Pass {
    // Ties are closed too: the incumbent itself stays the answer if nothing cheaper exists.
    let ub = ub - 1e-9 * ub.abs().max(1.0);
    // SAFETY: the live model; the option exists in every HiGHS version highs-sys builds.
    unsafe { highs_sys::Highs_setDoubleOptionValue(m.as_mut_ptr(), c"objective_bound".as_ptr(), ub) };
    let mut done = Pass::default();
    // SAFETY: the live model, solved (see `passes`), and `vars` its variables.
    for j in unsafe { close_over_whole_areas(m.as_mut_ptr(), p, vars, ub) } {
        let col = vars.y(j).expect("a closed hub has a column").col;
        fix_column(m, col, 0.0, fixed);
        done.fixings.push((j, 0.0));
    }
    for j in p.hubs() {
        if Instant::now() >= deadline {
            break;
        }
        let Some(v) = vars.y(j) else { continue };
        if fixed[v.col] || p.forced_hub[j] {
            continue;
        }
        // Open it; if that costs the incumbent, close it. A hub the LP mostly opens: close it;
        // if that costs the incumbent, open it.
        let tries: &[(f64, f64)] = if y[j] >= 0.5 { &[(1.0, 0.0), (0.0, 1.0)] } else { &[(1.0, 0.0)] };
        for &(probed, fixed_to) in tries {
            done.lps += 1;
            if probe(m, v.col, probed, ub) {
                fix_column(m, v.col, fixed_to, fixed);
                done.fixings.push((j, fixed_to));
                break;
            }
        }
    }
    // SAFETY: as above; +∞ is HiGHS's default (no bound).
    unsafe { highs_sys::Highs_setDoubleOptionValue(m.as_mut_ptr(), c"objective_bound".as_ptr(), f64::INFINITY) };
    done
}

/// The node budget of each hub's integer search in `close_over_whole_areas`: a hub's LP part
/// stands in where the search ends early. On Northern Ostrobothnia's defaults and its labour
/// force thresholds of 15 000 and 22 500, 300 nodes closed what 2 000 did but 3 of 202 hubs, in
/// 0.013–0.020 s per pass instead of 0.024–0.082 s (50 nodes: 0.005 s, but a third fewer hubs).
pub(super) const CLOSING_NODES: usize = 300;

/// The hubs `close_over_whole_areas` closes against `ub` at the root LP of `p`'s model, nothing
/// fixed yet (for tests and measurements).
pub fn closed_over_whole_areas(p: &Problem, ub: f64) -> Vec<usize> {
    let crate::model::Built { highs: mut m, vars, .. } = crate::model::build(p, false);
    m.make_quiet();
    if m.try_set_option("solve_relaxation", true).is_err() {
        return Vec::new();
    }
    let Ok(mut solved) = m.try_solve() else { return Vec::new() };
    if solved.status() != highs::HighsModelStatus::Optimal {
        return Vec::new();
    }
    // SAFETY: the solved instance, of the model `vars` describes.
    unsafe { close_over_whole_areas(solved.as_mut_ptr(), p, &vars, ub) }
}

/// The candidate hubs (not yet fixed) that cannot be open in a partition cheaper than `ub`, by
/// the bound over whole areas at the live LP's duals (`m` solved, in relaxation mode): Σ u(i) plus,
/// with the hub forced open, the cheapest admissible choice of open hubs, each at the larger of its
/// LP part and its integer search's value (`Parts::raised`, `lagrange::select`; a hub fixed open is
/// forced, one fixed closed is out). Empty when the model is not one the relaxation over whole
/// areas covers.
///
/// # Safety
/// `ptr` must be a live HiGHS instance holding the model `vars` describes, just solved.
unsafe fn close_over_whole_areas(ptr: *mut std::ffi::c_void, p: &Problem, vars: &Vars, ub: f64) -> Vec<usize> {
    // (Any multipliers give a valid bound; an optimal LP's give a strong one.)
    if highs_sys::Highs_getModelStatus(ptr) != highs_sys::MODEL_STATUS_OPTIMAL {
        return Vec::new();
    }
    let Some((parts, mut raised)) = super::lp_parts::raised_at(ptr, vars, p, CLOSING_NODES, |_| true) else { return Vec::new() };
    // The hubs that may be open (a column fixed closed is out), and those forced open.
    raised.values.retain(|&(j, _)| vars.y(j).is_some() && parts.hub_bounds[j].1 > 0.5);
    let values: Vec<f64> = raised.values.iter().map(|h| h.1).collect();
    let forced: Vec<bool> = raised.values.iter().map(|&(j, _)| p.forced_hub[j] || parts.hub_bounds[j].0 > 0.5).collect();
    let mut closed = Vec::new();
    for (c, &(j, _)) in raised.values.iter().enumerate() {
        if forced[c] {
            continue;
        }
        let mut with_j = forced.clone();
        with_j[c] = true;
        if super::lagrange::select(&values, &with_j, p.areas).map_or(f64::INFINITY, |open| raised.bound(&open)) >= ub {
            closed.push(j);
        }
    }
    closed
}
