//! The search over hub sets: branching on the choice of hubs, done in full when the choice is
//! small. After hub probing, every partition cheaper than the incumbent with K areas opens K of
//! the candidate hubs left, among them every hub probing forced open. When there are at most
//! `MAX_SETS` such sets, each set is bounded by the LP with exactly its hubs open (a hot-started
//! re-solve of the live relaxation that stops once it passes the incumbent), and each set whose
//! bound lies below the incumbent is solved exactly as the problem with its hubs fixed: a small
//! MIP whose contiguity rounds settle in a round or two, where the MIP over every hub at once
//! restarts its branch and bound after each disconnected solution. The optimum is the best set's.
//!
//! Before its MIP, a set below the incumbent by its LP is bounded again over whole areas
//! (`whole_area_bound`): its LP priced at HiGHS's duals falls apart by hub (`lp_parts`), and each
//! hub's part is raised to what the integer search of `area_dual` proves of that hub's best area
//! at the same prices (whole units against the thresholds, whole advisers, connected areas). A set
//! so lifted to the incumbent needs no MIP: on `min.labour_force=15000`'s four areas, 18 of the 20
//! sets their LPs leave below the incumbent.
//!
//! On the travel-only corner of Northern Ostrobothnia (two areas), probing leaves one hub forced
//! and ten free: ten sets, instead of five MIP rounds over all hubs.
//!
//! When probing has decided every hub (the defaults' three areas: three forced open, the rest
//! closed), that one set is the root's leaf and is settled as any other: its bound over whole
//! areas, its areas within the gap, and its MIP only when those fail.

use super::compact_model::Compact;
use super::lp_parts::{lp_parts, Parts};
use super::outcome::below;
use super::set_columns::{solve_set, Prices};
use super::state::Search;
use super::{Outcome, SolveOptions};
use crate::error::{Error, Result};
use crate::problem::Problem;
use crate::solution::Status;

/// The search runs when there are at most this many hub sets…
pub(super) const MAX_SETS: usize = 10_000;
/// …and gives up (the MIP rounds go on, HiGHS's branch and bound choosing the hubs) after this
/// many LPs of its tree without having bounded every set.
const MAX_LPS: usize = 2_000;

/// HiGHS's status when every hub set below the incumbent was settled (each by HiGHS: its LP or
/// its MIP with the hubs fixed).
pub const BY_HUB_SETS: &str = "Optimal (each hub set below the incumbent: LP, bound over whole areas, its areas within the gap or MIP)";

/// HiGHS's status when every hub set below the incumbent was settled by its dual bound
/// (`lagrange_hub_sets`) or by HiGHS's MIP with its hubs fixed.
pub const BY_DUAL_HUB_SETS: &str = "Optimal (each hub set below the incumbent: Lagrangian bound or MIP)";

/// The candidate hubs of the live model: (free, forced open).
fn candidates(s: &Search, c: &Compact) -> (Vec<usize>, Vec<usize>) {
    let opened = |j: usize| s.p.forced_hub[j] || c.hub_fixings.iter().any(|&(h, v)| h == j && v == 1.0);
    let (mut free, mut forced) = (Vec::new(), Vec::new());
    for j in s.p.hubs() {
        let Some(y) = c.vars.y(j) else { continue };
        if opened(j) {
            forced.push(j);
        } else if !c.fixed[y.col] {
            free.push(j);
        }
    }
    (free, forced)
}

/// n choose k, saturating.
fn choose(n: usize, k: usize) -> usize {
    if k > n {
        return 0;
    }
    (0..k.min(n - k)).fold(1usize, |acc, i| acc.saturating_mul(n - i) / (i + 1))
}

/// Solve the problem by its hub sets when there are few (None: not applicable, the MIP rounds go
/// on). The model `m` is the live relaxation after probing.
pub(super) fn try_solve(s: &mut Search, c: &mut Compact, m: &mut highs::Model) -> Result<Option<Outcome>> {
    let (p, k) = (s.p, s.p.areas.0);
    if !s.opts.hub_sets || p.areas.0 != p.areas.1 || c.flow || !c.probed {
        return Ok(None);
    }
    let Some(ub) = s.upper_bound() else { return Ok(None) };
    let (free, forced) = candidates(s, c);
    let sets = if forced.len() > k { 0 } else { choose(free.len(), k - forced.len()) };
    // No set: the MIP round says that nothing lies below the incumbent. One set is searched as
    // the leaf of its root: its bound over whole areas or its areas within the gap often settle it
    // without the MIP.
    if sets == 0 || sets > MAX_SETS {
        s.log(format_args!("hub sets: {} free candidates and {} forced for {k} hubs, {sets} sets: not searched", free.len(), forced.len()));
        return Ok(None);
    }
    s.tell("hub sets");
    let Some((leaves, (lps, pruned))) = bound_sets(m, (s.p, c), &free, &forced, k - forced.len(), ub)? else {
        s.log(format_args!("hub sets: {sets} sets of {k} hubs, not all bounded within {MAX_LPS} LPs"));
        return Ok(None);
    };
    let below_lp = leaves.len();
    let p = s.p;
    let dropped = fixed_pairs(c);
    let t = std::time::Instant::now();
    let (mut open, mut by_allocation) = (Vec::new(), 0);
    for Leaf { bound, set, parts } in leaves {
        // A set whose allocation has bounded it (`allocation::Memo::bounded`) takes that bound.
        let lb = s.allocated_bound(&set).map_or(bound, |b| bound.max(b));
        if lb >= below(ub) {
            by_allocation += 1;
            continue;
        }
        let (whole, prices) = match &parts {
            Some(parts) if s.left() > 0.0 => whole_area_bound(&restricted(p, Some(&dropped), &set), parts),
            _ => (f64::NEG_INFINITY, None),
        };
        open.push((lb.max(whole), set, prices));
    }
    let by_areas = below_lp - by_allocation - open.iter().filter(|(lb, ..)| *lb < below(ub)).count();
    open.retain(|(lb, ..)| *lb < below(ub));
    s.log(format_args!("hub sets: {sets} sets of {k} hubs ({} free candidates, {} forced), {below_lp} below {ub:.2} by their LP ({by_allocation} bounded by an allocation, {by_areas} over whole areas in {:.3} s), {lps} LPs, {pruned} nodes cut off by the root's bound over whole areas", free.len(), forced.len(), t.elapsed().as_secs_f64()));
    open.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(Some(settle(s, &|set: &[usize]| restricted(p, Some(&dropped), set), &open)?))
}

/// The bound over whole areas of the problem `q` with exactly one set's hubs open, from its LP's
/// `parts` (`lp_parts`): Σ u(i) and, for each hub, the larger of two lower bounds on its best area
/// at those prices, its LP part and the integer search of `area_dual` (whole units, whole
/// advisers, connected areas, each threshold met), less a rounding margin. −∞ when the relaxation
/// over whole areas does not cover the model; ∞ when a hub has no area at all. With it, the
/// prices behind it, from which `set_columns` may settle the set.
fn whole_area_bound(q: &Problem, parts: &Parts) -> (f64, Option<Prices>) {
    let Some(d) = super::area_dual::AreaDual::new(q) else { return (f64::NEG_INFINITY, None) };
    let raised = parts.raised(&d);
    // Every hub of `q` is one of the set's, and open.
    let bound = raised.bound(&(0..raised.values.len()).collect::<Vec<_>>());
    (bound, Some(Prices { u: parts.u.clone(), values: raised.values }))
}

/// The LP bound and the bound over whole areas of the problem with exactly the hubs `set`
/// (sorted) open, as the search takes them (for tests and measurements): the LP of that problem's
/// model, its parts by hub and `whole_area_bound`. None when the LP has no optimum.
pub fn set_bounds(p: &Problem, set: &[usize]) -> Option<(f64, f64)> {
    let mut q = p.with_exactly_hubs(set);
    q.reduce();
    let crate::model::Built { highs: mut m, vars, .. } = crate::model::build(&q, false);
    m.make_quiet();
    m.try_set_option("solve_relaxation", true).ok()?;
    let mut solved = m.try_solve().ok()?;
    if solved.status() != highs::HighsModelStatus::Optimal {
        return None;
    }
    let lp = solved.objective_value();
    // SAFETY: the solved instance of the model `vars` describes.
    let parts = unsafe { lp_parts(solved.as_mut_ptr(), &vars, &q) }?;
    Some((lp, whole_area_bound(&q, &parts).0))
}

/// A leaf of `bound_sets`: a hub set below the cutoff by its LP, that LP's value and its parts
/// by hub (None when the model does not split).
struct Leaf {
    bound: f64,
    set: Vec<usize>,
    parts: Option<Parts>,
}

/// Solve the problem `p` by the hub sets `sets` (with their bounds; every set that may hold a
/// partition cheaper than `start`'s, as `lagrange_hub_sets` lists them), each with its hubs fixed,
/// from the partition `start` (objective, hub per unit).
pub(super) fn solve_listed(p: &Problem, opts: &SolveOptions, start: (f64, Vec<usize>), sets: &[(f64, Vec<usize>)]) -> Result<Outcome> {
    let mut s = Search::new(p, opts, std::time::Instant::now());
    for cut in &opts.cuts {
        s.cuts.insert(cut);
    }
    s.heuristic = Some(start.0);
    s.incumbent = Some(start);
    s.log(format_args!("hub sets on the dual: {} below {:.2}", sets.len(), s.heuristic.unwrap_or(f64::NAN)));
    s.tell("hub sets");
    let sets: Vec<Open> = sets.iter().map(|(lb, set)| (*lb, set.clone(), None)).collect();
    let o = settle(&mut s, &|set: &[usize]| restricted(p, None, set), &sets)?;
    Ok(Outcome { highs_status: if o.status == Status::Optimal { BY_DUAL_HUB_SETS.into() } else { o.highs_status }, ..o })
}

/// Solve the sets `open` (sorted by bound) and conclude: optimal when each was settled, else the
/// least bound of those the clock stopped.
fn settle<'a>(s: &mut Search<'a>, restrict: &Restrict<'a, '_>, open: &[Open]) -> Result<Outcome> {
    let (bound, timed_out) = if s.opts.parallel > 1 && open.len() > 1 { solve_sets_at_once(s, restrict, open)? } else { solve_sets(s, restrict, open)? };
    let best = s.incumbent.as_ref().map(|(o, _)| *o);
    let bound = best.map_or(bound, |o| bound.min(o));
    if bound.is_finite() {
        s.raise_bound(bound);
    }
    let outcome = match (timed_out, &s.incumbent) {
        (true, _) => s.finish(Status::TimeLimit, "time limit (hub sets)".into()),
        (false, Some(_)) => s.finish(Status::Optimal, BY_HUB_SETS.into()),
        // Nothing below the caller's cutoff.
        (false, None) => s.finish_with(Status::Infeasible, None, s.cutoff(), "Infeasible".into()),
    };
    Ok(outcome)
}

/// The LP bound of each hub set, by a depth-first search over the choices (free[t] for t in
/// increasing order): a node has chosen some free candidates and passed over the ones before its
/// last choice, and its LP (the live relaxation with the chosen hubs fixed open, those passed over
/// closed, the rest free) bounds every set below it; a node whose bound reaches `ub` is cut off
/// with all of them (HiGHS's dual simplex stops once its objective passes `ub`). A candidate whose
/// reduced cost at a node lifts that node's bound to `ub` is closed in the node's whole subtree
/// (reduced-cost fixing, as in HiGHS's own search), without an LP of its own. The leaves are the
/// sets, each with its own LP; returned are those below `ub` (`Leaf`), the number of LPs solved,
/// and the number of nodes cut off before their LP by the root's bound over whole areas
/// (`Tree::root_bound`).
fn bound_sets(m: &mut highs::Model, (p, c): (&Problem, &Compact), free: &[usize], forced: &[usize], need: usize, ub: f64) -> Result<Option<(Vec<Leaf>, (usize, usize))>> {
    let err = |k: &str| Error::Solver(format!("HiGHS rejected option {k}"));
    m.try_set_option("solve_relaxation", true).map_err(|_| err("solve_relaxation"))?;
    let cut = below(ub);
    let cols: Vec<highs_sys::HighsInt> = free.iter().map(|&j| c.vars.y(j).expect("a candidate hub has a column").col as highs_sys::HighsInt).collect();
    let mut tree = Tree { ptr: m.as_mut_ptr(), cols: &cols, free, forced, need, cut, closed: vec![false; free.len()], open: Vec::new(), lps: 0, p, vars: &c.vars, split: super::area_dual::AreaDual::covers(p), root: None, pruned: 0 };
    // SAFETY: `ptr` is the live model's and every column a hub column of it.
    unsafe {
        highs_sys::Highs_setDoubleOptionValue(tree.ptr, c"objective_bound".as_ptr(), cut);
        // The root: every candidate free (its reduced costs close some for the whole search).
        let mut closed_here = Vec::new();
        if need == 0 {
            // The forced hubs are the one set: the root is its leaf.
            if let Some(bound) = tree.lp(&[], 0, true) {
                tree.leaf(&[], bound);
            }
        } else if let Some(lb) = tree.lp(&[], 0, false) {
            if lb.is_finite() {
                tree.close_by_reduced_cost(0, &mut closed_here);
                tree.root = tree.root_values();
            }
            tree.children(&mut Vec::new(), 0);
        }
        for &col in &cols {
            highs_sys::Highs_changeColBounds(tree.ptr, col, 0.0, 1.0);
        }
        highs_sys::Highs_setDoubleOptionValue(tree.ptr, c"objective_bound".as_ptr(), f64::INFINITY);
    }
    let (open, lps, pruned) = (tree.open, tree.lps, tree.pruned);
    let complete = lps <= MAX_LPS;
    m.try_set_option("solve_relaxation", false).map_err(|_| err("solve_relaxation"))?;
    Ok(complete.then_some((open, (lps, pruned))))
}

/// The depth-first search of `bound_sets` on the live model.
struct Tree<'t> {
    ptr: *mut std::ffi::c_void,
    cols: &'t [highs_sys::HighsInt],
    free: &'t [usize],
    forced: &'t [usize],
    need: usize,
    cut: f64,
    /// Candidates closed by reduced cost on the path to the current node.
    closed: Vec<bool>,
    open: Vec<Leaf>,
    lps: usize,
    p: &'t Problem<'t>,
    vars: &'t crate::model::Vars,
    /// The leaves' LPs are split by hub (`lp_parts`): the bound over whole areas covers the model.
    split: bool,
    /// The root LP's bound over whole areas: Σ u(i) less the rounding margin, and each hub's value
    /// (`lp_parts`, `Parts::raised`), which bound every node before its LP.
    root: Option<(f64, Vec<f64>)>,
    /// Nodes that bound cut off without an LP.
    pruned: usize,
}

impl Tree<'_> {
    /// The children of the node that has chosen `chosen` (indices into `free`) and decided every
    /// candidate before `next`.
    unsafe fn children(&mut self, chosen: &mut Vec<usize>, next: usize) {
        let left = self.need - chosen.len();
        for t in next..self.free.len() {
            if self.free.len() - t < left || self.lps > MAX_LPS {
                break;
            }
            if self.closed[t] {
                continue;
            }
            chosen.push(t);
            let leaf = chosen.len() == self.need;
            if self.root_bound(chosen, t + 1) >= self.cut {
                self.pruned += 1;
                chosen.pop();
                continue;
            }
            match self.lp(chosen, t + 1, leaf) {
                Some(lb) if leaf => self.leaf(chosen, lb),
                Some(lb) => {
                    let mut closed_here = Vec::new();
                    if lb.is_finite() {
                        self.close_by_reduced_cost(t + 1, &mut closed_here);
                    }
                    self.children(chosen, t + 1);
                    closed_here.into_iter().for_each(|u| self.closed[u] = false);
                }
                None => {}
            }
            chosen.pop();
        }
    }

    /// Keep the set of the forced hubs and the `chosen` ones as a leaf below the cutoff, with its
    /// LP's value `bound` and (when the model splits) the LP's parts by hub.
    ///
    /// # Safety
    /// As for `lp`, whose solve this reads.
    unsafe fn leaf(&mut self, chosen: &[usize], bound: f64) {
        let mut set: Vec<usize> = chosen.iter().map(|&i| self.free[i]).chain(self.forced.iter().copied()).collect();
        set.sort_unstable();
        let parts = if self.split { lp_parts(self.ptr, self.vars, self.p) } else { None };
        self.open.push(Leaf { bound, set, parts });
    }

    /// The bound over whole areas at the root LP's duals (see `root_values`).
    ///
    /// # Safety
    /// As for `lp`.
    unsafe fn root_values(&self) -> Option<(f64, Vec<f64>)> {
        // Only the candidates' values are read.
        let (_, raised) = super::lp_parts::raised_at(self.ptr, self.vars, self.p, super::probing::CLOSING_NODES, |j| self.free.contains(&j) || self.forced.contains(&j))?;
        Some((raised.base(), raised.by_hub(self.p.n)))
    }

    /// A lower bound on every set below the node that has chosen `chosen` and decided every
    /// candidate before `next`, by the root LP's bound over whole areas: Σ u(i), the values of the
    /// forced and chosen hubs, and the least values the choices left can add (−∞ without it).
    /// Each hub's value bounds its best area at the root's prices from below, and a hub left
    /// closed adds nothing, so every partition with one of these sets costs at least this.
    fn root_bound(&self, chosen: &[usize], next: usize) -> f64 {
        let Some((base, v)) = &self.root else { return f64::NEG_INFINITY };
        let fixed: f64 = self.forced.iter().copied().chain(chosen.iter().map(|&i| self.free[i])).map(|j| v[j]).sum();
        let mut rest: Vec<f64> = (next..self.free.len()).filter(|&u| !self.closed[u]).map(|u| v[self.free[u]]).collect();
        let more = self.need - chosen.len();
        if rest.len() < more {
            return f64::INFINITY;
        }
        rest.sort_by(f64::total_cmp);
        base + fixed + rest[..more].iter().sum::<f64>()
    }

    /// After a node's LP (optimal, objective below the cutoff): close every undecided candidate
    /// from `next` on whose reduced cost lifts the node's bound to the cutoff (opening it costs at
    /// least its reduced cost), noting which in `closed_here`. A margin of 10⁻⁶ of the cutoff
    /// covers the LP's tolerances.
    unsafe fn close_by_reduced_cost(&mut self, next: usize, closed_here: &mut Vec<usize>) {
        let (cv, cd, z) = super::highs_api::lp_solution_at(self.ptr);
        let margin = 1e-6 * self.cut.abs().max(1.0);
        for u in next..self.free.len() {
            let col = self.cols[u] as usize;
            if !self.closed[u] && cv[col] < 1e-9 && z + cd[col] >= self.cut + margin {
                self.closed[u] = true;
                closed_here.push(u);
            }
        }
    }

    /// The LP of a node (every candidate before `next` decided; all decided at a leaf): its
    /// bound when below the cutoff, None when it reaches it.
    unsafe fn lp(&mut self, chosen: &[usize], next: usize, leaf: bool) -> Option<f64> {
        for (i, &col) in self.cols.iter().enumerate() {
            let (lo, hi) = if chosen.contains(&i) {
                (1.0, 1.0)
            } else if i < next || leaf || self.closed[i] {
                (0.0, 0.0)
            } else {
                (0.0, 1.0)
            };
            highs_sys::Highs_changeColBounds(self.ptr, col, lo, hi);
        }
        self.lps += 1;
        highs_sys::Highs_run(self.ptr);
        let lb = match highs_sys::Highs_getModelStatus(self.ptr) {
            highs_sys::MODEL_STATUS_OBJECTIVE_BOUND | highs_sys::MODEL_STATUS_INFEASIBLE => return None,
            highs_sys::MODEL_STATUS_OPTIMAL => highs_sys::Highs_getObjectiveValue(self.ptr),
            // No LP answer: the node is searched with no bound of its own.
            _ => f64::NEG_INFINITY,
        };
        (lb < self.cut).then_some(lb)
    }
}

/// A set to settle: its bound, its hubs (sorted) and its LP's prices when known.
type Open = (f64, Vec<usize>, Option<Prices>);

/// The problem with exactly the hubs of a set open (built when the set is taken up: a problem holds
/// its n × n distances, and up to a thousand sets wait).
type Restrict<'a, 'f> = dyn Fn(&[usize]) -> Problem<'a> + Sync + 'f;

/// Which pairs (i, j) the live model has fixed away (fixed at zero, or deleted by `shrink`; a
/// pair the problem never allowed has no column either, and stays out whatever this says).
fn fixed_pairs(c: &Compact) -> Vec<Vec<bool>> {
    c.vars.x.iter().map(|row| row.iter().map(|x| x.is_none_or(|x| c.fixed[x.col])).collect()).collect()
}

/// The problem with exactly the hubs of `set` open, without the pairs the search has fixed away
/// (`dropped`, when it has fixed any).
fn restricted<'a>(p: &Problem<'a>, dropped: Option<&[Vec<bool>]>, set: &[usize]) -> Problem<'a> {
    let mut q = p.with_exactly_hubs(set);
    for (i, row) in q.allowed.iter_mut().enumerate() {
        for (j, a) in row.iter_mut().enumerate() {
            *a &= i == j || !dropped.is_some_and(|d| d[i][j]);
        }
    }
    q.reduce();
    q
}

/// Solve the sets below the incumbent one by one, in order of their LP bounds, each against the
/// best partition so far: the least bound among them, and whether the clock stopped one.
fn solve_sets<'a>(s: &mut Search<'a>, restrict: &Restrict<'a, '_>, open: &[Open]) -> Result<(f64, bool)> {
    let (mut bound, mut timed_out) = (f64::INFINITY, false);
    for (lb, set, prices) in open {
        let ub = s.upper_bound().unwrap_or(f64::INFINITY);
        if *lb >= below(ub) {
            continue;
        }
        if s.left() <= 0.0 || timed_out {
            timed_out = true;
            bound = bound.min(*lb);
            continue;
        }
        let o = solve_set(&restrict(set), prices.as_ref(), &set_options(s, ub, s.left().max(0.0), None));
        let (b, done) = absorb(s, set, *lb, ub, o)?;
        bound = bound.min(b);
        timed_out |= !done;
    }
    Ok((bound, timed_out))
}

/// What became of one set solved beside others.
enum SetRun {
    /// Its LP bound reached the best found before it was taken up.
    Pruned,
    /// No time was left for it.
    NoTime,
    /// Solved against `ub`, the best known when it was taken up.
    Solved { ub: f64, outcome: Result<Outcome> },
}

/// As `solve_sets`, `s.opts.parallel` sets at a time: each thread takes the next set in order with
/// the best objective found so far, and a set's MIP starts again against a better one the sets
/// beside it find (`SolveOptions::shared_cutoff`). The outcomes are then taken in order, as `solve_sets` takes
/// them. On the travel-only corner of Northern Ostrobothnia, eleven sets below the incumbent.
fn solve_sets_at_once<'a>(s: &mut Search<'a>, restrict: &Restrict<'a, '_>, open: &[Open]) -> Result<(f64, bool)> {
    let ub0 = s.upper_bound().unwrap_or(f64::INFINITY);
    let best = super::shared_best::SharedBest::new(ub0);
    let until = std::time::Instant::now() + std::time::Duration::from_secs_f64(s.left().max(0.0));
    let base = set_options(s, ub0, 0.0, Some(best.clone()));
    let next = std::sync::Mutex::new(0usize);
    let runs: Vec<std::sync::Mutex<Option<SetRun>>> = open.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let work = || loop {
        // The set and the best known are taken together: a set sees only what sets before it found.
        let (at, ub) = {
            let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
            if *n >= open.len() {
                return;
            }
            *n += 1;
            (*n - 1, best.get())
        };
        let left = until.saturating_duration_since(std::time::Instant::now()).as_secs_f64();
        let run = if open[at].0 >= below(ub) {
            SetRun::Pruned
        } else if left <= 0.0 {
            SetRun::NoTime
        } else {
            let outcome = solve_set(&restrict(&open[at].1), open[at].2.as_ref(), &SolveOptions { cutoff: Some(ub), time_limit: Some(left), ..base.clone() });
            if let Ok(o) = &outcome {
                if let (Status::Optimal, Some(obj)) = (o.status, o.objective) {
                    best.offer(obj);
                }
            }
            SetRun::Solved { ub, outcome }
        };
        *runs[at].lock().unwrap_or_else(|e| e.into_inner()) = Some(run);
    };
    std::thread::scope(|scope| {
        for _ in 1..s.opts.parallel.min(open.len()) {
            scope.spawn(work);
        }
        work();
    });
    let (mut bound, mut timed_out) = (f64::INFINITY, false);
    for ((lb, set, _), run) in open.iter().zip(runs) {
        match run.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(SetRun::Pruned) => {}
            Some(SetRun::NoTime) | None => {
                timed_out = true;
                bound = bound.min(*lb);
            }
            Some(SetRun::Solved { ub, outcome }) => {
                let (b, done) = absorb(s, set, *lb, ub, outcome)?;
                bound = bound.min(b);
                timed_out |= !done;
            }
        }
    }
    Ok((bound, timed_out))
}

/// The options of a set's solve against `ub` with `left` seconds: the exact MIP of the set alone.
fn set_options(s: &Search, ub: f64, left: f64, shared: Option<super::shared_best::SharedBest>) -> SolveOptions {
    SolveOptions {
        no_heuristic: true,
        allocation: false,
        lagrange: false,
        enumeration: false,
        split_areas: false,
        probing: false,
        hub_sets: false,
        recombination: false,
        parallel: 1,
        time_limit: Some(left),
        verbose: false,
        start: None,
        cutoff: Some(ub),
        pool: Vec::new(),
        progress: None,
        allocated: Default::default(),
        cuts: if s.p.sc.contiguity { s.cuts.sorted() } else { Vec::new() },
        shared_cutoff: shared,
        // The split's basis is of the whole count's model, not of a set's.
        lp_basis: None,
        ..s.opts.clone()
    }
}

/// Take one set's outcome (solved against `ub`, its LP bound `lb`) into the search: its bound,
/// and whether it was settled (optimal or nothing below `ub`) rather than stopped by the clock.
/// A cheaper partition becomes the incumbent.
fn absorb(s: &mut Search, set: &[usize], lb: f64, ub: f64, o: Result<Outcome>) -> Result<(f64, bool)> {
    let o = match o {
        Ok(o) => o,
        // A simple argument shows the set cannot hold a partition.
        Err(Error::Infeasible(_)) => return Ok((f64::INFINITY, true)),
        Err(e) => return Err(e),
    };
    s.rounds += o.rounds;
    for cut in &o.cut_list {
        s.cuts.insert(cut);
    }
    s.log(format_args!("hub set {:?}: {:?}, objective {:?}, bound {:?} (set bound {lb:.2}), {} round(s), {:.2} s", set, o.status, o.objective, o.bound, o.rounds, o.seconds));
    let found = o.objective.zip(o.hub_of);
    Ok(match o.status {
        Status::Optimal => {
            let (obj, h) = found.ok_or_else(|| Error::Solver("an optimal hub set without a partition".into()))?;
            if obj < below(ub) {
                s.offer(Some(h));
            }
            (obj.min(ub), true)
        }
        // Nothing below `ub`, or below the best the sets beside it found since (its bound).
        Status::Infeasible => (o.bound.unwrap_or(ub).min(ub), true),
        _ => {
            if let Some((_, h)) = found.filter(|(obj, _)| *obj < ub) {
                s.offer(Some(h));
            }
            (o.bound.unwrap_or(lb).max(lb), false)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::choose;

    #[test]
    fn choose_counts_subsets() {
        assert_eq!(choose(5, 0), 1);
        assert_eq!(choose(5, 2), 10);
        assert_eq!(choose(13, 4), 715);
        assert_eq!(choose(3, 4), 0);
        assert_eq!(choose(30, 15), 155_117_520);
    }
}
