//! The search state every method of the compact solve reads and writes (HiGHS's
//! `HighsMipSolverData`): the incumbent, the bound, the cut pool, the clock, the counters and the
//! progress sink. A method is a function of it; the coordinator (`compact`) orders them.

use super::outcome::Outcome;
use super::{allocation, limits, primal, SolveOptions};
use crate::model::contiguity;
use crate::problem::Problem;
use crate::solution::Status;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// The state of one solve of the compact model.
pub(super) struct Search<'a> {
    pub p: &'a Problem<'a>,
    pub opts: &'a SolveOptions,
    /// When the solve started.
    pub t0: Instant,
    /// Its time limit, s, counted from `t0`.
    pub limit: f64,
    /// When HiGHS is interrupted: the limit less the margin for validation and output.
    pub deadline: Instant,
    /// The best partition known (objective €/year, hub per unit): feasible and contiguous.
    pub incumbent: Option<(f64, Vec<usize>)>,
    /// The objective of the first incumbent (the heuristic start), reported in the outcome.
    pub heuristic: Option<f64>,
    /// The best proven lower bound on the optimum.
    pub bound: Option<f64>,
    /// Every contiguity cut the search has added (valid for the whole graph).
    pub cuts: CutPool,
    /// Cut rows added to the model.
    pub cuts_added: usize,
    /// MIP rounds solved.
    pub rounds: usize,
    /// x(i,j) fixed to 0 by reduced costs.
    pub fixed_by_cost: usize,
    /// x(i,j) columns the problem allows.
    pub pairs: usize,
    /// Candidate hubs left (probing closes some).
    pub hubs: usize,
    /// Wall time of the staffing relaxation, s.
    pub relaxation_seconds: f64,
    /// What column generation reached, when it ran.
    pub columns: Option<super::outcome::ColumnReport>,
    memo: allocation::Memo,
}

/// The contiguity cuts seen, each once.
#[derive(Default)]
pub(super) struct CutPool(HashSet<contiguity::Cut>);

impl CutPool {
    /// Add a cut; true if it is new.
    pub fn insert(&mut self, c: &contiguity::Cut) -> bool {
        !self.0.contains(c) && self.0.insert(c.clone())
    }

    pub fn iter(&self) -> impl Iterator<Item = &contiguity::Cut> {
        self.0.iter()
    }

    /// The cuts in a fixed order, so that a later solve that starts from them adds its rows in
    /// the same order.
    pub fn sorted(&self) -> Vec<contiguity::Cut> {
        let mut v: Vec<contiguity::Cut> = self.0.iter().cloned().collect();
        v.sort_unstable();
        v
    }
}

impl<'a> Search<'a> {
    /// A search with no incumbent and no bound yet, timed from `t0`.
    pub fn new(p: &'a Problem<'a>, opts: &'a SolveOptions, t0: Instant) -> Search<'a> {
        let limit = limits::time_limit(p, opts);
        let deadline = t0 + Duration::from_secs_f64((limit - limits::output_margin(opts, limit)).max(0.0));
        Search {
            p,
            opts,
            t0,
            limit,
            deadline,
            incumbent: None,
            heuristic: None,
            bound: None,
            cuts: CutPool::default(),
            cuts_added: 0,
            rounds: 0,
            fixed_by_cost: 0,
            pairs: super::columns::pair_count(p),
            hubs: p.hubs().len(),
            relaxation_seconds: 0.0,
            columns: None,
            memo: opts.allocated.clone(),
        }
    }

    /// The bound an earlier allocation proved on partitions that open exactly `set` (see
    /// `allocation::Memo::bounded`).
    pub fn allocated_bound(&self, set: &[usize]) -> Option<f64> {
        self.memo.bound_of(set)
    }

    /// Seconds of the limit left.
    pub fn left(&self) -> f64 {
        self.limit - self.t0.elapsed().as_secs_f64()
    }

    /// `share` of the limit after the start.
    pub fn at(&self, share: f64) -> Instant {
        self.t0 + Duration::from_secs_f64(share * self.limit)
    }

    /// Offer a candidate partition: if feasible, it is improved by local search and kept when it
    /// beats the incumbent.
    pub fn offer(&mut self, cand: Option<Vec<usize>>) {
        primal::offer(self.p, &mut self.incumbent, cand, primal::improve_deadline(self.limit));
    }

    /// Raise the bound to `b`.
    pub fn raise_bound(&mut self, b: f64) {
        self.bound = Some(self.bound.map_or(b, |old| old.max(b)));
    }

    /// The best objective known: the incumbent's or the cutoff, whichever is lower.
    pub fn upper_bound(&self) -> Option<f64> {
        self.incumbent.as_ref().map(|(o, _)| *o).into_iter().chain(self.cutoff()).reduce(f64::min)
    }

    /// Only partitions cheaper than this matter: the caller's cutoff, or the best the solves
    /// beside this one have found (`SolveOptions::shared_cutoff`), whichever is lower.
    pub fn cutoff(&self) -> Option<f64> {
        let beside = self.opts.shared_cutoff.as_ref().map(|b| b.get()).filter(|b| b.is_finite());
        self.opts.cutoff.into_iter().chain(beside).reduce(f64::min)
    }

    /// Send a snapshot to the progress sink.
    pub fn tell(&self, phase: impl Into<String>) {
        if let Some(s) = &self.opts.progress {
            s.report_partition(phase, &self.incumbent, self.bound);
        }
    }

    /// Print a line of the verbose log, with the time since the start.
    pub fn log(&self, what: std::fmt::Arguments) {
        if self.opts.verbose {
            eprintln!("[alue] {what}, t={:.2}s", self.t0.elapsed().as_secs_f64());
        }
    }

    /// Location–allocation from hub values `y` (see `allocation`) until `until`, with options `o`
    /// (the search's, or with more cuts); its partition is offered as the incumbent. `from` says
    /// in the log where the hub values came from.
    pub fn allocate_from(&mut self, y: &[f64], o: &SolveOptions, until: Instant, cutoff: Option<f64>, from: &str) {
        if let Some((obj, h)) = self.memo.run(self.p, y, self.p.areas.0, until, o, cutoff) {
            self.offer(Some(h));
            self.log(format_args!("location–allocation {from} {obj:.2}"));
        }
    }

    /// The separator cuts location–allocation has met since the last call (valid for the whole
    /// graph), each handed out once.
    pub fn take_allocation_cuts(&mut self) -> Vec<contiguity::Cut> {
        std::mem::take(&mut self.memo.cuts).into_iter().collect()
    }

    /// Location–allocation applies: a fixed number of areas and heuristics on.
    pub fn allocation_on(&self) -> bool {
        self.opts.allocation && !self.opts.no_heuristic && self.p.areas.0 == self.p.areas.1
    }

    /// The outcome with the search's incumbent and bound.
    pub fn finish(&self, status: Status, highs_status: String) -> Outcome {
        self.finish_with(status, self.incumbent.clone(), self.bound, highs_status)
    }

    /// The outcome with a given partition and bound, and the search's counters.
    pub fn finish_with(&self, status: Status, incumbent: Option<(f64, Vec<usize>)>, bound: Option<f64>, highs_status: String) -> Outcome {
        Outcome {
            rounds: self.rounds,
            cuts: self.cuts_added,
            pairs: self.pairs,
            hubs: self.hubs,
            fixed_by_cost: self.fixed_by_cost,
            heuristic: self.heuristic,
            cut_list: self.cuts.sorted(),
            relaxation_seconds: self.relaxation_seconds,
            columns: self.columns.clone(),
            ..Outcome::of(status, incumbent, bound, self.t0, highs_status)
        }
    }
}
