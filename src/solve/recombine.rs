//! Recombination of neighbouring areas, an exact large-neighbourhood search (HiGHS's
//! `HighsPrimalHeuristics` has RINS and RENS; this is the districting kind, as in ReCom, but
//! solved exactly): take two neighbouring areas of the incumbent, solve the problem on their
//! units alone to optimality (`Problem::restrict`, the whole pipeline, any number of areas the
//! count allows), and keep the better partition. Local moves of one unit cannot pass a threshold
//! that binds; a union of two areas can be cut anew along any line, or kept as one area, or made
//! three.
//!
//! A union re-solved without gain is remembered by its units (its subproblem depends on nothing
//! else), so that a pass after an improvement re-solves only the unions that changed. The result
//! is checked against the whole problem's rules before it becomes the incumbent.

use super::{heuristic, solve, SolveOptions};
use crate::problem::Problem;
use crate::solution::{areas_of, evaluate};
use std::collections::{BTreeSet, HashSet};
use std::time::Instant;

/// Below this many units the whole MIP is solved about as fast as its pieces: recombination runs
/// on larger problems, and re-solves unions of at most this many units (which then never
/// recombine in turn).
const FROM_UNITS: usize = 100;

/// The most areas one union joins. Four was tried on mainland Finland (10 min): unions of four
/// took the whole share of the limit for 0.05 % off the incumbent (31 870 679 against 31 885 311
/// €/year), and the MIP, with less time left, ended on a lower bound (gap 5.6 % against 4.75 %).
const MAX_GROUP: usize = 3;

/// The longest one union may take (a union that takes longer is left as it is).
const UNION_LIMIT: f64 = 5.0;

/// Counts of one recombination run, for the log.
#[derive(Debug, Default, Clone, Copy)]
pub struct Recombined {
    pub unions: usize,
    pub improvements: usize,
}

/// Improve the incumbent `inc` of a problem above `FROM_UNITS` units by re-solving unions of
/// neighbouring areas, two at a time and, when no pair gains, three (connected groups in the graph
/// of areas); after each gain back to pairs. It ends when no union of up to
/// `MAX_GROUP` areas gains, or at `deadline`. Returns what it did.
pub fn improve(p: &Problem, inc: &mut Option<(f64, Vec<usize>)>, deadline: Instant, opts: &SolveOptions) -> Recombined {
    let mut run = Run { p, opts, deadline, settled: HashSet::new(), done: Recombined::default() };
    let Some((_, start)) = inc.as_ref().filter(|_| p.n > FROM_UNITS) else { return run.done };
    let mut hub_of = start.clone();
    let mut size = 2;
    while size <= MAX_GROUP && Instant::now() < deadline {
        match run.first_gain(&hub_of, size) {
            Some((members, better)) => {
                for (&i, h) in members.iter().zip(better) {
                    hub_of[i] = h;
                }
                run.done.improvements += 1;
                size = 2;
                if let Some(sink) = &opts.progress {
                    sink.report_partition(format!("recombination: {} unions re-solved", run.done.unions), &Some((evaluate(p, &hub_of).objective, hub_of.clone())), None);
                }
            }
            None => size += 1,
        }
    }
    if heuristic::feasible(p, &hub_of) {
        let obj = evaluate(p, &hub_of).objective;
        if inc.as_ref().is_none_or(|(o, _)| obj < *o - 1e-9 * o.abs().max(1.0)) {
            *inc = Some((obj, hub_of));
        }
    }
    run.done
}

/// One recombination run: the problem, its options and deadline, the unions re-solved without
/// gain, and the counts.
struct Run<'p, 'a> {
    p: &'p Problem<'a>,
    opts: &'p SolveOptions,
    deadline: Instant,
    settled: HashSet<Vec<usize>>,
    done: Recombined,
}

impl Run<'_, '_> {
    /// The first union of `size` neighbouring areas, not settled before, that gains when
    /// re-solved: its units and their new hubs. The unions re-solved without gain join
    /// `settled`. With `opts.parallel` > 1 that many unions are re-solved at once and the first
    /// gain in order is taken, so the result does not depend on the number of threads.
    fn first_gain(&mut self, hub_of: &[usize], size: usize) -> Option<(Vec<usize>, Vec<usize>)> {
        use rayon::prelude::*;
        let areas = areas_of(hub_of);
        let unions: Vec<Vec<usize>> = groups(self.p, hub_of, size)
            .into_iter()
            .map(|group| {
                let mut members: Vec<usize> = group.iter().flat_map(|h| areas[h].iter().copied()).collect();
                members.sort_unstable();
                members
            })
            .filter(|members| members.len() <= FROM_UNITS && !self.settled.contains(members))
            .collect();
        let others = areas.len() - size;
        let threads = self.opts.parallel.max(1);
        for batch in unions.chunks(threads) {
            if Instant::now() >= self.deadline {
                return None;
            }
            self.done.unions += batch.len();
            let solved: Vec<Option<Vec<usize>>> = if threads > 1 {
                batch.par_iter().map(|m| self.resolve(hub_of, m, others)).collect()
            } else {
                batch.iter().map(|m| self.resolve(hub_of, m, others)).collect()
            };
            let mut gain = None;
            for (members, better) in batch.iter().zip(solved) {
                match better {
                    Some(b) if gain.is_none() => gain = Some((members.clone(), b)),
                    // A later gain of the same batch is not taken (its union is tried again).
                    Some(_) => {}
                    None => {
                        self.settled.insert(members.clone());
                    }
                }
            }
            if gain.is_some() {
                return gain;
            }
        }
        None
    }

    /// The union `members` of neighbouring areas solved on its own, with `others` areas outside
    /// it: the new hub of each member (global indices) when it beats the current assignment.
    fn resolve(&self, hub_of: &[usize], members: &[usize], others: usize) -> Option<Vec<usize>> {
        let (p, opts) = (self.p, self.opts);
        let lo = p.areas.0.saturating_sub(others).max(1);
        let hi = p.areas.1.saturating_sub(others).min(members.len());
        if lo > hi {
            return None;
        }
        let inst = p.inst.subset(members);
        let q = p.restrict(members, &inst, (lo, hi));
        let at = |g: usize| members.binary_search(&g).ok();
        let start: Vec<usize> = members.iter().map(|&i| at(hub_of[i])).collect::<Option<_>>()?;
        let current = evaluate(&q, &start).objective;
        let left = self.deadline.saturating_duration_since(Instant::now()).as_secs_f64().min(UNION_LIMIT);
        if left <= 0.0 {
            return None;
        }
        let sub = SolveOptions { start: Some(start), time_limit: Some(left), verbose: false, progress: None, parallel: 1, cuts: Vec::new(), pool: Vec::new(), cutoff: None, shared_cutoff: None, ..opts.clone() };
        let h = solve(&q, &sub).ok()?.hub_of?;
        let obj = evaluate(&q, &h).objective;
        (obj < current - 1e-9 * current.abs().max(1.0) && heuristic::feasible(&q, &h)).then(|| h.iter().map(|&k| members[k]).collect())
    }
}

/// The sets of `size` (2 or more) hubs whose areas form a connected group of touching areas,
/// each once, in order: the pairs of touching areas, each group grown by one touching area at a
/// time.
fn groups(p: &Problem, hub_of: &[usize], size: usize) -> Vec<Vec<usize>> {
    let mut touch: std::collections::BTreeMap<usize, BTreeSet<usize>> = Default::default();
    for i in 0..p.n {
        for &v in &p.nb[i] {
            let (a, b) = (hub_of[i], hub_of[v]);
            if a != b {
                touch.entry(a).or_default().insert(b);
                touch.entry(b).or_default().insert(a);
            }
        }
    }
    let mut level: BTreeSet<Vec<usize>> = touch.iter().flat_map(|(&a, next)| next.iter().filter(move |&&b| b > a).map(move |&b| vec![a, b])).collect();
    for _ in 2..size {
        let mut grown = BTreeSet::new();
        for g in &level {
            for &c in g.iter().flat_map(|h| &touch[h]).filter(|c| !g.contains(c)) {
                let mut bigger = g.clone();
                bigger.push(c);
                bigger.sort_unstable();
                grown.insert(bigger);
            }
        }
        level = grown;
    }
    level.into_iter().collect()
}
