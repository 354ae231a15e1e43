//! The compact model between rounds (beside the search state): the live HiGHS model's
//! variables, what has been fixed in it, and the phase; built once, rebuilt with the flow
//! formulation when cut rounds keep finding violations.

use super::callback::{set_callback, CallbackState, Harvested};
use super::columns::{hub_of_solution, x_columns};
use super::highs_api::{add_row_leq_zero, fix_column, set_options};
use super::state::Search;
use super::{redcost, Outcome};
use crate::error::{Error, Result};
use crate::model::{self, contiguity};
use std::cell::RefCell;
use std::rc::Rc;

/// At most this many LP rounds of fractional contiguity separation before the MIP.
pub(super) const MAX_LP_ROUNDS: usize = 30;

/// The compact model between rounds: its variables, the columns fixed, and the phase.
pub(super) struct Compact<'a> {
    pub vars: model::Vars,
    /// Columns fixed (by reduced cost or probing) in the live model.
    pub fixed: Vec<bool>,
    /// The single-commodity flow formulation of contiguity is in the model.
    pub flow: bool,
    /// LP rounds solved (MAX_LP_ROUNDS once the LP phase is over).
    pub lp_rounds: usize,
    /// Hub probing has run (or is not wanted).
    pub probed: bool,
    /// Hubs fixed by probing (unit, value), re-applied if the model is rebuilt.
    pub hub_fixings: Vec<(usize, f64)>,
    /// The staffing relaxation is still to run (see `mip_round`).
    pub relaxation_pending: bool,
    /// What the harvester collected in the last MIP round.
    pub harvested: Rc<RefCell<Harvested>>,
    /// Boxed so that its address stays fixed while HiGHS holds a pointer to it.
    pub callback: Box<CallbackState<'a>>,
}

/// What a round leaves: the model for the next round, or the solve's outcome.
pub(super) enum Step {
    Next(highs::Model),
    Done(Box<Outcome>),
}

impl<'a> Compact<'a> {
    /// Build the model, with the caller's contiguity cuts that apply to it.
    pub fn build(s: &mut Search<'a>) -> Result<(Compact<'a>, highs::Model)> {
        let (p, opts) = (s.p, s.opts);
        let flow = opts.flow && p.sc.contiguity;
        let model::Built { highs: mut m, vars, rows, .. } = model::build(p, flow);
        let mut added = Vec::new();
        if p.sc.contiguity {
            for cut in opts.cuts.iter().filter(|c| vars.x[c.i][c.j].is_some()) {
                if s.cuts.insert(cut) {
                    add_row_leq_zero(&mut m, &cut.row(&vars))?;
                    s.cuts_added += 1;
                    added.push(cut.clone());
                }
            }
        }
        // The first LP round starts from the split's basis of this number of areas.
        if let Some(b) = opts.lp_basis.as_ref().filter(|b| p.areas == (b.count, b.count) && !flow) {
            b.give(&mut m, rows, &added);
        }
        let c = Compact {
            fixed: vec![false; vars.ncols],
            vars,
            flow,
            lp_rounds: 0,
            probed: false,
            hub_fixings: Vec::new(),
            relaxation_pending: opts.staffing_relaxation && !p.relax_staffing && p.sc.contiguity && p.sc.employment_terms() && p.sc.staff_cost != 0.0,
            harvested: Rc::default(),
            callback: Box::new(CallbackState::new(s.deadline, opts.shared_cutoff.clone())),
        };
        Ok((c, m))
    }

    /// Options, callback and cutoff for the next round. In MIP rounds with contiguity, the
    /// harvester checks every improving solution HiGHS finds: HiGHS has no lazy constraints, so
    /// a disconnected one gives separator cuts and stops the round.
    pub fn prepare(&mut self, s: &Search<'a>, m: &mut highs::Model) -> Result<()> {
        let p = s.p;
        set_options(m, p, s.pairs, s.left(), s.opts.verbose)?;
        self.callback.stop = false;
        self.callback.harvest = None;
        if self.lp_rounds >= MAX_LP_ROUNDS && p.sc.contiguity && s.opts.harvest {
            let cols = x_columns(&self.vars);
            let store = self.harvested.clone();
            self.callback.harvest = Some(Box::new(move |x: &[f64]| {
                let Some(hub_of) = hub_of_solution(p.n, &cols, x) else { return false };
                let cuts = contiguity::separate(p, &hub_of);
                let mut st = store.borrow_mut();
                if cuts.is_empty() {
                    st.feasible.push(hub_of);
                    false
                } else {
                    st.cuts.extend(cuts);
                    true
                }
            }));
        }
        // HiGHS looks at its time limit too rarely on large models (seen: minutes late on
        // mainland Finland); the interrupt callback enforces the deadline.
        set_callback(m, &mut self.callback)?;
        self.callback.tightened = false;
        self.callback.round_cutoff = s.cutoff().unwrap_or(f64::INFINITY);
        if let Some(c) = s.cutoff() {
            m.try_set_option("objective_bound", c).map_err(|_| Error::Solver("HiGHS rejected objective_bound".into()))?;
        }
        Ok(())
    }

    /// Whether column values `cols` (a partition's) keep every fixing of the live model: the
    /// hubs probing fixed, and the pairs fixed to 0 by reduced cost.
    pub fn keeps_fixings(&self, cols: &[f64]) -> bool {
        let hub_ok = self.hub_fixings.iter().all(|&(j, v)| self.vars.y(j).is_none_or(|y| (cols[y.col] - v).abs() < 0.5));
        let hubs: std::collections::HashSet<usize> = self.hub_fixings.iter().filter_map(|&(j, _)| self.vars.y(j)).map(|y| y.col).collect();
        hub_ok && self.vars.x.iter().flatten().flatten().all(|x| !self.fixed[x.col] || hubs.contains(&x.col) || cols[x.col] < 0.5)
    }

    /// Fix x(i,j) = 0 by the LP's reduced costs against the best objective known.
    pub fn fix_by_cost(&mut self, s: &mut Search, m: &mut highs::Model, cols: &[f64], duals: &[f64], lp_obj: f64) {
        let ub = s.upper_bound().filter(|_| s.opts.cost_fixing);
        s.fixed_by_cost += redcost::fix_by_reduced_cost(m, &self.vars, cols, duals, lp_obj, ub, &mut self.fixed);
    }

    /// Add the cuts not in the pool yet to the model; how many were new.
    pub fn add_cuts(&self, s: &mut Search, m: &mut highs::Model, cuts: &[contiguity::Cut]) -> Result<usize> {
        let mut added = 0;
        // A cut from elsewhere (an allocation's) may be on a pair this model has fixed away.
        for cut in cuts.iter().filter(|c| self.vars.x[c.i][c.j].is_some()) {
            if s.cuts.insert(cut) {
                add_row_leq_zero(m, &cut.row(&self.vars))?;
                added += 1;
            }
        }
        s.cuts_added += added;
        Ok(added)
    }

    /// Rebuild the model with the flow formulation (which settles contiguity in one more round),
    /// with every cut of the pool and the hubs probing fixed again; the LP phase starts again.
    pub fn switch_to_flow(&mut self, s: &mut Search) -> Result<highs::Model> {
        self.flow = true;
        let model::Built { highs: mut m, vars, .. } = model::build(s.p, true);
        self.vars = vars;
        for cut in s.cuts.sorted() {
            add_row_leq_zero(&mut m, &cut.row(&self.vars))?;
        }
        self.lp_rounds = 0;
        self.fixed = vec![false; self.vars.ncols];
        s.fixed_by_cost = 0;
        for &(j, v) in &self.hub_fixings {
            if let Some(y) = self.vars.y(j) {
                fix_column(&mut m, y.col, v, &mut self.fixed);
            }
        }
        Ok(m)
    }
}
