//! An LP round of the compact model (HiGHS's `HighsLpRelaxation` and `HighsSeparation`): solve
//! the relaxation, raise the bound, start location–allocation from its hubs (first round), fix
//! by reduced costs, and separate contiguity cuts at the fractional solution. When a round adds
//! no cut (or a quarter of the limit is gone) the LP phase ends with hub probing.

use super::columns::hub_values;
use super::compact_model::{Compact, Step, MAX_LP_ROUNDS};
use super::highs_api::{lp_solution, m_status_optimal, resolve};
use super::probing;
use super::state::Search;
use crate::error::{Error, Result};
use crate::model::contiguity;
use crate::solution::Status;

/// Minimum violation of a fractional separator cut.
const MIN_VIOLATION: f64 = 0.02;

/// One LP round on the model `m` (handed back for the next round).
pub(super) fn round(s: &mut Search, c: &mut Compact, mut m: highs::Model) -> Result<Step> {
    m.try_set_option("solve_relaxation", true).map_err(|_| Error::Solver("HiGHS rejected solve_relaxation".into()))?;
    let solved = m.try_solve().map_err(|e| Error::Solver(format!("HiGHS failed: {e:?}")))?;
    c.lp_rounds += 1;
    let mut m: highs::Model = solved.into();
    let mut added = 0;
    if m_status_optimal(&m) {
        let (cols, duals, lp_obj) = lp_solution(&m);
        s.raise_bound(lp_obj);
        // A fixed number of areas with tight windows: location–allocation from the LP's hubs.
        let has_max = s.p.thresholds.iter().any(|t| t.max.is_finite());
        if c.lp_rounds == 1 && s.allocation_on() && (s.incumbent.is_none() || has_max) {
            let y = hub_values(s.p, &c.vars, &cols);
            s.allocate_from(&y, s.opts, s.at(0.2).min(s.deadline), None, "start");
        }
        c.fix_by_cost(s, &mut m, &cols, &duals, lp_obj);
        if let Some(cut) = s.cutoff().filter(|&cut| lp_obj >= cut - 1e-7 * cut.abs()) {
            if s.incumbent.is_none() {
                // The relaxation already costs the cutoff: no partition below it.
                return Ok(Step::Done(Box::new(s.finish_with(Status::Infeasible, None, Some(cut), "LP bound above cutoff".into()))));
            }
        }
        if s.p.sc.contiguity {
            let x: Vec<Vec<f64>> = c.vars.x.iter().map(|row| row.iter().map(|v| v.map_or(0.0, |v| cols[v.col])).collect()).collect();
            added = c.add_cuts(s, &mut m, &contiguity::separate_fractional(s.p, &x, MIN_VIOLATION))?;
            // And the separators location–allocation met (valid for the whole graph).
            let met = s.take_allocation_cuts();
            added += c.add_cuts(s, &mut m, &met)?;
        }
        drop_fixed(s, c, &mut m);
    }
    s.tell(format!("LP round {}", c.lp_rounds));
    s.log(format_args!("LP round {}: bound {:?}, {} pairs fixed by reduced cost, {added} cut(s)", c.lp_rounds, s.bound, s.fixed_by_cost));
    if added == 0 || s.t0.elapsed().as_secs_f64() > 0.25 * s.limit {
        c.lp_rounds = MAX_LP_ROUNDS;
        // The reduced-cost fixing changed bounds: solve the LP again (hot start) first.
        if !c.probed && resolve(&mut m) {
            c.probed = true;
            probing::passes(s, c, &mut m);
            drop_fixed(s, c, &mut m);
        }
    }
    m.try_set_option("solve_relaxation", false).map_err(|_| Error::Solver("HiGHS rejected solve_relaxation".into()))?;
    Ok(Step::Next(m))
}

/// Delete what is fixed away from the live model (see `shrink`).
fn drop_fixed(s: &Search, c: &mut Compact, m: &mut highs::Model) {
    if s.opts.shrink {
        let (cols, rows) = super::shrink::shrink(&mut c.vars, &mut c.fixed, m);
        if cols > 0 {
            s.log(format_args!("shrink: {cols} columns and {rows} rows deleted"));
        }
    }
}
