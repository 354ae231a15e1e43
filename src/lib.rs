//! alue: exact optimisation of service-production areas.
//!
//! The pipeline runs one way: [`instance`] (units, geometry, adjacency, distances) →
//! [`scenario`] (parameters) → [`problem`] (the scenario applied to the data, exact reductions) →
//! [`model`] (MODEL.md's variables and constraints) → [`solve`] (HiGHS and the contiguity cut
//! loop) → [`solution`] (figures from the data) → [`validate`] (an independent check) →
//! [`output`] (terminal, JSON, CSV, GeoJSON, map.svg) and [`report`] (HTML pages in Finnish or English).

pub mod error;
pub mod bench;
pub mod explain;
pub mod files;
pub mod export;
pub mod generate;
pub mod instance;
pub mod machine;
pub mod model;
pub mod output;
pub mod problem;
pub mod report;
pub mod scenario;
pub mod serve;
pub mod solution;
pub mod solve;
pub mod sweep;
pub mod text;
pub mod validate;

pub use error::{Error, Result};
pub use instance::Instance;
pub use problem::Problem;
pub use scenario::Scenario;
pub use solution::{Evaluation, Status};
pub use validate::Validation;

use solution::PartitionFile;
use std::collections::BTreeMap;

/// What a run produced: the partition with its figures, its status and the validator's verdict.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// "solve" or "evaluate".
    pub kind: &'static str,
    /// Status of the partition reported.
    pub status: Status,
    /// The partition's figures (None when infeasible with nothing to show).
    pub evaluation: Option<Evaluation>,
    /// The validator's verdict on that partition.
    pub validation: Option<Validation>,
    /// Proven lower bound on the scenario's optimum, €/year.
    pub bound: Option<f64>,
    /// Relative gap between the reported objective and the bound.
    pub gap: Option<f64>,
    /// Wall time of the solve, s.
    pub seconds: f64,
    /// Details of the solve.
    pub outcome: Option<solve::Outcome>,
    /// Area names by hub index.
    pub area_names: BTreeMap<usize, String>,
    /// For `evaluate`: the scenario's optimum (or best bound) it is compared with.
    pub reference: Option<solve::Outcome>,
}

/// Validate a partition and insist that the validator agrees with the figures.
fn checked(inst: &Instance, sc: &Scenario, ev: &Evaluation) -> Result<Validation> {
    let advisers = |j: usize| ev.areas.iter().find(|a| a.hub == j).map(|a| a.advisers).unwrap_or(f64::NAN);
    let v = validate::validate(inst, sc, &ev.hub_of, Some(&advisers));
    if !validate::objective_agrees(&v, ev.objective) {
        return Err(Error::Solver(format!("internal check failed: the validator's objective {} € differs from the solution's {} €", v.objective, ev.objective)));
    }
    Ok(v)
}

fn default_names(inst: &Instance, hub_of: &[usize]) -> BTreeMap<usize, String> {
    solution::areas_of(hub_of).keys().map(|&j| (j, inst.units[j].name.clone())).collect()
}

/// Solve a scenario on an instance (`Problem::new(inst, sc)`); every result passes the validator
/// before it is returned.
pub fn run_solve(p: &Problem, opts: &solve::SolveOptions) -> Result<RunResult> {
    let (inst, sc) = (p.inst, p.sc);
    // The instance's real partition, repaired to the scenario's rules, is one more start.
    let mut opts = opts.clone();
    if opts.start.is_none() {
        opts.start = inst.partition_2025.as_ref().and_then(|(f, t)| solution::parse_partition(f, t, inst).ok()).map(|p| p.hub_of);
    }
    let outcome = solve::solve(p, &opts)?;
    let evaluation = outcome.hub_of.as_ref().map(|h| solution::evaluate(p, h));
    let validation = match &evaluation {
        Some(ev) => {
            let v = checked(inst, sc, ev)?;
            if !v.is_feasible() {
                let list: Vec<String> = v.violations.iter().map(|x| format!("{}: {}", x.constraint, x.detail)).collect();
                return Err(Error::Solver(format!("internal check failed: the solver's partition violates {}", list.join("; "))));
            }
            Some(v)
        }
        None => None,
    };
    let area_names = outcome.hub_of.as_ref().map(|h| default_names(inst, h)).unwrap_or_default();
    Ok(RunResult { kind: "solve", status: outcome.status, evaluation, validation, bound: outcome.bound, gap: outcome.gap, seconds: outcome.seconds, outcome: Some(outcome), area_names, reference: None })
}

/// The result of a solve stopped from outside at its time limit (the CLI's watchdog, when HiGHS
/// does not return in time): the best partition the search reported, validated, with status
/// `time_limit` and the best bound the search reported.
pub fn run_stopped(p: &Problem, best: Option<&(f64, Vec<usize>)>, bound: Option<f64>, seconds: f64) -> Result<RunResult> {
    let evaluation = best.map(|(_, h)| solution::evaluate(p, h));
    let validation = match &evaluation {
        Some(ev) => {
            let v = checked(p.inst, p.sc, ev)?;
            if !v.is_feasible() {
                return Err(Error::Solver("internal check failed: the search reported a partition that violates the constraints".into()));
            }
            Some(v)
        }
        None => None,
    };
    let objective = evaluation.as_ref().map(|e| e.objective);
    let bound = bound.map(|b| objective.map_or(b, |o| b.min(o)));
    let gap = solve::relative_gap(objective, bound);
    let area_names = best.map(|(_, h)| default_names(p.inst, h)).unwrap_or_default();
    Ok(RunResult { kind: "solve", status: Status::TimeLimit, evaluation, validation, bound, gap, seconds, outcome: None, area_names, reference: None })
}

/// Evaluate a given partition; with `compare` (the options of that solve), also solve the
/// scenario to report the difference.
pub fn run_evaluate(p: &Problem, part: &PartitionFile, compare: Option<&solve::SolveOptions>) -> Result<RunResult> {
    let (inst, sc) = (p.inst, p.sc);
    let ev = solution::evaluate(p, &part.hub_of);
    let v = checked(inst, sc, &ev)?;
    let status = if v.is_feasible() { Status::Feasible } else { Status::Infeasible };
    let reference = if let Some(opts) = compare {
        match solve::solve(p, &solve::SolveOptions { start: v.is_feasible().then(|| part.hub_of.clone()), ..opts.clone() }) {
            Ok(o) => Some(o),
            Err(Error::Infeasible(_)) => None,
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let (bound, gap) = match &reference {
        Some(r) => {
            let b = r.bound.map(|b| b.min(ev.objective));
            (b, b.map(|b| if ev.objective.abs() < 1e-9 { 0.0 } else { (ev.objective - b) / ev.objective.abs() }))
        }
        None => (None, None),
    };
    Ok(RunResult { kind: "evaluate", status, evaluation: Some(ev), validation: Some(v), bound, gap, seconds: 0.0, outcome: None, area_names: part.names.clone(), reference })
}
