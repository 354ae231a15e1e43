//! Solving: a set of methods around one search state, in the shape of HiGHS's `src/mip/`. The
//! coordinator below picks them for a problem, in this order:
//!
//! - `enumerate`: small graphs whose areas are bounded above: every feasible area listed, an
//!   exact cover search (`exact_cover`) for whether any partition exists, and a set
//!   partitioning solved;
//! - `split`: a free number of areas taking few values: one subproblem per number, each with a
//!   start improved by the iterated local search of `local_search` and by location–allocation
//!   (`allocation`), their LP bounds from `count_bounds` (and, with `area_dual` on, the
//!   Lagrangian over whole areas of `area_dual`, `area_dual_connected` and `area_pricing`);
//! - `dual_fixing` (with `lagrange`, its columns' knapsacks in `lagrange_column`, `ralg` and
//!   `subgradient`): models whose cost is travel alone: the Lagrangian bound, fixing against a
//!   multiplier-driven incumbent, hub probing on the dual (`lagrange_probing`), the hub sets
//!   bounded on the dual (`lagrange_hub_sets`, with the pair penalties of `hub_pairs`), then the
//!   reduced problem;
//! - `column_generation` (with `area_master`, `area_grow`, `area_moves`, `area_exact`,
//!   `area_dive`): large employment models with contiguity and time enough: a set-partitioning
//!   master over connected areas, priced per hub heuristically (grown areas, moves of the LP's
//!   areas) and exactly, whose Lagrangian bound replaces the compact rounds', and a dive over
//!   the master for a partition (its place in `compact`, after the start);
//! - `compact`: the compact MIP, round after round — a start (`primal`), LP rounds
//!   (`lp_relaxation`, `redcost`, `shrink`, `probing`), MIP rounds that add contiguity cuts (`mip_round`),
//!   all reading and writing the search state (`state`).
//!
//! The exact reductions live in `Problem`; HiGHS is reached through good_lp and `highs_api`.

pub mod allocation;
pub mod area_dual;
mod area_dual_connected;
mod area_list;
mod area_dive;
mod area_exact;
mod area_grow;
mod area_moves;
pub mod area_master;
mod area_pricing;
mod callback;
mod columns;
pub mod column_generation;
mod compact;
mod compact_model;
mod count_bounds;
pub mod dual_fixing;
mod enumerate;
mod exact_cover;
pub mod heuristic;
mod highs_api;
pub mod hub_pairs;
mod hub_sets;
pub use hub_sets::{set_bounds, BY_DUAL_HUB_SETS, BY_HUB_SETS};
pub use set_columns::BY_SET_COLUMNS;
pub mod knapsack;
pub mod lagrange;
mod lagrange_column;
mod lagrange_lazy;
pub mod lagrange_hub_sets;
pub mod lagrange_probing;
pub mod limits;
pub mod local_search;
mod lp_basis;
mod lp_parts;
mod lp_relaxation;
mod mip_round;
mod options;
mod paths;
mod outcome;
mod primal;
mod probing;
pub mod progress;
mod ralg;
pub mod recombine;
mod redcost;
pub mod shared_best;
mod set_columns;
mod shrink;
mod split;
mod subgradient;
mod state;

pub use options::SolveOptions;
pub use probing::closed_over_whole_areas;

/// How HiGHS's status begins when the exact cover search proved that no partition exists
/// (HiGHS did not run; see `exact_cover`).
pub const BY_EXACT_COVER: &str = "not run: exact cover";
pub use outcome::{bound_source, relative_gap, DualReport, Outcome, PROVEN_BY_AREA_DUAL, PROVEN_BY_DUAL};

use crate::error::{Error, Result};
use crate::problem::Problem;
use std::time::Instant;

/// Solve the problem to proven optimality within the scenario's time limit and gap.
pub fn solve(p: &Problem, opts: &SolveOptions) -> Result<Outcome> {
    let t0 = Instant::now();
    infeasible_before_solving(p)?;
    if let Some(o) = enumerate::try_solve(p, opts, t0) {
        return Ok(o);
    }
    if let Some(counts) = split::area_counts(p).filter(|_| opts.split_areas) {
        return split::solve_by_areas(p, opts, counts, t0);
    }
    if opts.lagrange {
        if let Some(prep) = dual_fixing::prepare(p, opts, t0, limits::time_limit(p, opts)) {
            return dual_fixing::finish(p, opts, prep, t0);
        }
    }
    compact::solve(state::Search::new(p, opts, t0))
}

/// An argument that no partition exists (see `explain`), naming the files the data came from:
/// a bad value or a missing border is in them.
fn infeasible_before_solving(p: &Problem) -> Result<()> {
    let Some(reason) = crate::explain::check(p) else { return Ok(()) };
    let adjacency = match &p.inst.adjacency_source {
        crate::instance::AdjacencySource::File(f) => f.clone(),
        crate::instance::AdjacencySource::Polygons => "the boundary polygons".into(),
    };
    Err(Error::Infeasible(format!("{reason} (units from {}, adjacency from {adjacency})", p.inst.units_file)))
}
