//! What a solve reports: the partition, its objective, the bound and how it was reached.

use crate::model::contiguity;
use crate::solution::Status;
use std::time::Instant;

/// What the solve reached.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// optimal, time_limit or infeasible.
    pub status: Status,
    /// Best partition found (hub per unit), contiguous and feasible.
    pub hub_of: Option<Vec<usize>>,
    /// Its objective, €/year (recomputed from the data).
    pub objective: Option<f64>,
    /// Proven lower bound on the optimum, €/year.
    pub bound: Option<f64>,
    /// Relative gap (objective − bound)/objective.
    pub gap: Option<f64>,
    /// Wall time of the whole solve, s.
    pub seconds: f64,
    /// HiGHS solves in the separation loop.
    pub rounds: usize,
    /// Separator cuts added.
    pub cuts: usize,
    /// x(i,j) columns kept after reductions, of n².
    pub pairs: usize,
    /// Candidate hubs after reductions.
    pub hubs: usize,
    /// x(i,j) fixed to 0 by reduced costs against the incumbent.
    pub fixed_by_cost: usize,
    /// The objective of the heuristic start, €/year, if it found one.
    pub heuristic: Option<f64>,
    /// HiGHS's last model status, as HiGHS names it.
    pub highs_status: String,
    /// Every contiguity cut the solve added (a later solve of the same problem can start with them).
    pub cut_list: Vec<contiguity::Cut>,
    /// Wall time of the staffing-relaxation phase, s (0 when it did not run).
    pub relaxation_seconds: f64,
    /// The Lagrangian phase, when it ran (see `dual_fixing`).
    pub dual: Option<DualReport>,
    /// Column generation over whole areas, when it ran (see `column_generation`).
    pub columns: Option<ColumnReport>,
}

/// What column generation reports (in `solution.json`; see `column_generation`).
#[derive(Debug, Clone)]
pub struct ColumnReport {
    /// The best Lagrangian bound of its exact pricing rounds, objective units (−∞ without one).
    pub bound: f64,
    /// The master LP's last value, objective units.
    pub master_lp: f64,
    /// Exact pricing found no more column: the master LP is the set-partitioning LP's optimum.
    pub converged: bool,
    /// Master LPs solved, exact pricing rounds, columns (areas) generated.
    pub lps: usize,
    pub exact_rounds: usize,
    pub columns: usize,
    /// The objective of the master's MIP over its columns, when it found a partition.
    pub partition: Option<f64>,
    /// Wall time, s.
    pub seconds: f64,
}

/// What the Lagrangian phase reports (in `solution.json`; see `dual_fixing`).
#[derive(Debug, Clone)]
pub struct DualReport {
    /// The Lagrangian bound, objective units (valid in floating point: rounding margin taken off).
    pub bound: f64,
    /// The bound with the knapsacks in whole units at the best multipliers, when it was higher
    /// than the dual with LP knapsacks.
    pub whole_units: Option<f64>,
    /// Evaluations of the dual function (one knapsack per candidate hub each).
    pub evaluations: usize,
    /// Pairs x(i,j) fixed to 0 by the dual against the incumbent.
    pub fixed_pairs: usize,
    /// Hubs closed by the dual.
    pub closed_hubs: usize,
    /// x(i,j) columns before the fixing.
    pub pairs_before: usize,
    /// Wall time of the dual phase, s.
    pub seconds: f64,
}

impl Outcome {
    /// An outcome with `incumbent` (objective, partition) and `bound` (never above the
    /// incumbent's objective), timed from `t0`; counters and reports empty.
    pub(super) fn of(status: Status, incumbent: Option<(f64, Vec<usize>)>, bound: Option<f64>, t0: Instant, highs_status: String) -> Outcome {
        let (objective, hub_of) = match incumbent {
            Some((o, h)) => (Some(o), Some(h)),
            None => (None, None),
        };
        let bound = match (bound, objective) {
            (Some(b), Some(o)) => Some(b.min(o)),
            (b, _) => b,
        };
        Outcome {
            status,
            hub_of,
            objective,
            bound,
            gap: relative_gap(objective, bound),
            seconds: t0.elapsed().as_secs_f64(),
            rounds: 0,
            cuts: 0,
            pairs: 0,
            hubs: 0,
            fixed_by_cost: 0,
            heuristic: None,
            highs_status,
            cut_list: Vec::new(),
            relaxation_seconds: 0.0,
            dual: None,
            columns: None,
        }
    }
}

/// HiGHS's status when the Lagrangian bound alone proved the incumbent optimal (HiGHS did not run).
pub const PROVEN_BY_DUAL: &str = "not run: the Lagrangian bound reaches the incumbent";

/// How HiGHS's status reads when the bound over whole areas (`area_dual`) of every number of
/// areas reached the incumbent (no MIP was solved).
pub const PROVEN_BY_AREA_DUAL: &str = "not run: the bound over whole areas reaches the incumbent";

/// Which method produced the final bound, in words that follow "proven by" (solution.json's
/// `bound_source`, the terminal's status line and solution.json's message all read it): the
/// Lagrangian relaxation (its bound is the final one), column generation, the search over hub
/// sets, the listing of areas, or HiGHS (the LP relaxation or its branch and bound, on the reduced
/// problem when the Lagrangian fixing ran).
pub fn bound_source(o: &Outcome) -> &'static str {
    match (&o.dual, o.bound) {
        (_, None) => "none",
        _ if o.highs_status == PROVEN_BY_AREA_DUAL => "lagrangian relaxation over whole areas",
        _ if o.highs_status == PROVEN_BY_DUAL => "lagrangian relaxation",
        (_, Some(b)) if o.columns.as_ref().is_some_and(|c| c.bound >= b - 1e-9 * b.abs()) => "column generation: the Lagrangian over whole connected areas at the set-partitioning master's duals, each hub priced exactly",
        _ if o.highs_status == super::BY_DUAL_HUB_SETS => "lagrangian bounds of the hub sets, and HiGHS on each set below the incumbent",
        _ if o.highs_status == super::BY_HUB_SETS => "HiGHS's LPs, and for each hub set below the incumbent its bound over whole areas, the listing of its areas within the gap, or HiGHS's MIP",
        _ if o.highs_status == super::BY_SET_COLUMNS => "the listing of every area within the gap and an exact cover search over them",
        _ if o.highs_status.starts_with(super::BY_EXACT_COVER) => "the listing of every connected area within the thresholds and an exact cover search over them",
        _ if o.highs_status.contains(super::enumerate::ENUMERATED) => "HiGHS's set partitioning over every connected area within the thresholds",
        (Some(d), Some(b)) if d.bound >= b - 1e-9 * b.abs() => "lagrangian relaxation",
        (Some(_), Some(_)) => "HiGHS, on the problem reduced by Lagrangian fixing",
        (None, Some(_)) => "HiGHS",
    }
}

/// `ub` less the tolerance below which an objective counts as cheaper (ties go: the incumbent
/// stays the answer if nothing cheaper exists).
pub(super) fn below(ub: f64) -> f64 {
    ub - 1e-9 * ub.abs().max(1.0)
}

/// Relative gap between an objective and its bound (0 for a zero objective, never negative).
pub fn relative_gap(objective: Option<f64>, bound: Option<f64>) -> Option<f64> {
    let (o, b) = (objective?, bound?);
    Some(if o.abs() < 1e-9 { 0.0 } else { ((o - b) / o.abs()).max(0.0) })
}
