//! What a caller can ask of a solve beyond the scenario.

use super::progress;
use crate::model::contiguity;

/// Options of a solve beyond the scenario.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// A known partition to start from (e.g. a neighbouring scenario's optimum, or the real
    /// partition); it is repaired (pieces merged until every rule holds) before use.
    pub start: Option<Vec<usize>>,
    /// Skip the heuristic start (for measuring its effect).
    pub no_heuristic: bool,
    /// Print HiGHS's log.
    pub verbose: bool,
    /// Add the single-commodity flow formulation of contiguity from the start (exact in one round).
    pub flow: bool,
    /// Switch to the flow formulation when cut rounds keep finding violations.
    pub auto_flow: bool,
    /// With a fixed number of areas, run the location–allocation start after the first LP.
    pub allocation: bool,
    /// Time limit of this solve in s (None: the scenario's).
    pub time_limit: Option<f64>,
    /// Fix x(i,j) = 0 by LP reduced costs against the incumbent.
    pub cost_fixing: bool,
    /// Check every improving HiGHS solution for contiguity during MIP rounds.
    pub harvest: bool,
    /// With contiguity and integer staffing, first solve the model with continuous s(j), then
    /// start the exact solve from its contiguity cuts and its partition (off by default since
    /// the split by number of areas: it then cost more than it saved, 11 % on a sweep sample).
    pub staffing_relaxation: bool,
    /// Contiguity cuts known from an earlier solve on the same graph (a separator of the graph
    /// is valid for every scenario on it); added to the model before the first round.
    pub cuts: Vec<contiguity::Cut>,
    /// More candidate partitions (e.g. the optima of earlier scenarios of a sweep): the feasible
    /// one that is cheapest under this scenario becomes a start.
    pub pool: Vec<Vec<usize>>,
    /// Only partitions cheaper than this matter (€/year): HiGHS prunes against it, and a solve
    /// that finds none ends with status infeasible and bound = cutoff.
    pub cutoff: Option<f64>,
    /// When the number of areas is free and takes few values, solve one subproblem per number
    /// of areas (cheapest LP bound first, each pruned against the best partition so far); the
    /// relaxation of a fixed count is much tighter than that of a free one.
    pub split_areas: bool,
    /// Probe the candidate hubs against the incumbent before the MIP (see `probing`).
    pub probing: bool,
    /// On small graphs with areas bounded above, list every feasible area and solve the set
    /// partitioning instead (see `enumerate`).
    pub enumeration: bool,
    /// Where live snapshots of the search go (see `progress`); None: nowhere.
    pub progress: Option<progress::ProgressSink>,
    /// Subproblems of the split by the number of areas solved at once (each with one HiGHS
    /// thread; see `split`). 1 in sweeps, which already solve one scenario per core; the CLI's
    /// single solve uses every core.
    pub parallel: usize,
    /// For models the Lagrangian relaxation covers, bound and fix by it before the MIP (see
    /// `dual_fixing`).
    pub lagrange: bool,
    /// After the Lagrangian fixing, probe each candidate hub on the dual (see `lagrange_probing`).
    pub lagrange_probing: bool,
    /// On large graphs, improve the start by re-solving unions of neighbouring areas exactly
    /// (see `recombine`).
    pub recombination: bool,
    /// In the Lagrangian ascent, solve every hub's knapsack in whole units at each evaluation
    /// (see `lagrange::Relaxation::whole`), not only at the best multipliers at its end.
    pub lagrange_whole_units: bool,
    /// In the split by number of areas (employment model), bound every number below the
    /// incumbent by the Lagrangian over whole areas (`area_dual`) before its MIP; a number whose
    /// bound reaches the incumbent needs none. Off by default: it pays on the defaults and costs
    /// on nearby scenarios (BENCHMARKS.md, notes of 2026-12-03).
    pub area_dual: bool,
    /// On large employment models, column generation over whole connected areas before the
    /// compact model's rounds: a bound that prices whole areas, and a partition from its columns
    /// (see `column_generation`).
    pub columns: bool,
    /// After hub probing, with a fixed number of areas and at most `hub_sets::MAX_SETS` choices of
    /// hubs left, bound each choice by its LP and solve the ones below the incumbent with their
    /// hubs fixed (see `hub_sets`) instead of the MIP rounds over every hub.
    pub hub_sets: bool,
    /// Hub sets already allocated (by the Lagrangian phase before this solve): location–allocation
    /// skips them, since their partitions are already offered.
    pub allocated: super::allocation::Memo,
    /// The best objective found by solves running beside this one (€/year, lowered as they
    /// find better): it is a cutoff too (`Search::cutoff`), and a MIP round is interrupted when
    /// it falls, to start again against it; a solve that finds nothing cheaper ends as with
    /// `cutoff` (status infeasible, bound = that value). For solves of the same
    /// objective only: a subproblem whose objective is a part of the whole's sets it to None.
    pub shared_cutoff: Option<super::shared_best::SharedBest>,
    /// Delete the columns fixed at zero and the rows they leave redundant from the live model
    /// between LP rounds (see `shrink`).
    pub shrink: bool,
    /// An optimal basis of this problem's LP, from a model built alike (the split's LP of the
    /// same number of areas): the first LP round starts from it (see `lp_basis`).
    pub lp_basis: Option<std::sync::Arc<super::lp_basis::LpBasis>>,
    /// Settle a hub set by listing every connected area within the gap and an exact cover,
    /// before its MIP (see `set_columns`).
    pub set_columns: bool,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions { start: None, no_heuristic: false, verbose: false, flow: false, auto_flow: true, allocation: true, time_limit: None, cost_fixing: true, harvest: true, staffing_relaxation: false, cuts: Vec::new(), pool: Vec::new(), cutoff: None, split_areas: true, probing: true, enumeration: true, progress: None, parallel: 1, lagrange: true, lagrange_probing: true, recombination: true, lagrange_whole_units: false, area_dual: false, columns: true, hub_sets: true, allocated: super::allocation::Memo::default(), shared_cutoff: None, shrink: true, lp_basis: None, set_columns: true }
    }
}
