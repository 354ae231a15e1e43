//! Location–allocation start for a fixed number of areas (Hess's own heuristic, solved exactly
//! at each step): take the k likeliest hubs of the LP relaxation, assign every unit to them
//! optimally (a small MIP: n·k columns, thresholds and contiguity included), move each hub to the
//! best hub of its area, and repeat until the hubs stay put. Tight size windows (±0.5 %) defeat
//! greedy constructions; this finds a start within a fraction of a percent of the optimum.

use super::heuristic::best_hub;
use super::shared_best::SharedBest;
use super::{solve, SolveOptions};
use crate::model::contiguity::{self, Cut};
use crate::problem::Problem;
use crate::solution::{areas_of, evaluate, Status};
use std::collections::BTreeSet;
use std::time::Instant;

/// Best partition found from the LP's hub values `y` (None when every attempt failed). With
/// `shared`, the best objective that allocations running beside this one have found: a
/// contiguous step that cannot beat it ends early.
pub fn location_allocation(p: &Problem, y: &[f64], k: usize, deadline: Instant, base: &SolveOptions, shared: Option<&SharedBest>) -> Option<(f64, Vec<usize>)> {
    location_allocation_with_cuts(p, y, k, deadline, base, shared, None).0
}

/// As `location_allocation`, with the memo of its allocations (the separator cuts they met and
/// the hub sets they bounded: see `Memo`); the hub set `settled` (that of a partition a local
/// search has settled on) counts as allocated.
pub fn location_allocation_with_cuts(p: &Problem, y: &[f64], k: usize, deadline: Instant, base: &SolveOptions, shared: Option<&SharedBest>, settled: Option<Vec<usize>>) -> (Option<(f64, Vec<usize>)>, Memo) {
    let mut memo = Memo { shared: shared.cloned(), tried: settled.into_iter().collect(), ..Memo::default() };
    let found = memo.run(p, y, k, deadline, base, None);
    memo.shared = None;
    (found, memo)
}

/// When a descent may start a step, and when every step must end. A step once started runs on to
/// `end_by`: a step cut part-way gives what HiGHS held at that instant, which depends on the
/// machine's speed, and so would the cuts and the partitions after it (on the Oklahoma counties
/// with contiguity, a second seed's step cut at its budget left cuts that made the contiguous
/// step take 2.1 s instead of 0.6 s, in about one run of three).
#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    pub start_by: Instant,
    pub end_by: Instant,
}

impl From<Instant> for Deadline {
    fn from(t: Instant) -> Deadline {
        Deadline { start_by: t, end_by: t }
    }
}

/// Location–allocation runs that remember the hub sets already allocated, so that a later run
/// (after probing, or from a MIP round's hubs) does not repeat an earlier one's steps.
#[derive(Debug, Clone, Default)]
pub struct Memo {
    tried: Vec<Vec<usize>>,
    tried_relaxed: Vec<Vec<usize>>,
    /// The separator cuts its allocations met: those of its contiguous allocations' cut rounds
    /// and those of its relaxed ends whose areas are not connected. A separator of the graph
    /// holds for every partition of it, so the search after the allocations starts from them.
    pub cuts: BTreeSet<Cut>,
    /// Hub sets whose exact allocation (contiguous where the scenario asks, nothing else held
    /// fixed) ended settled, each with HiGHS's bound: no partition that opens exactly these hubs
    /// costs less (the cutoff itself when nothing lay below it). The hub-set search skips a set
    /// whose bound reaches its incumbent (`hub_sets`): on Northern Ostrobothnia's defaults the
    /// allocation from the four-area LP's hubs is that proof, and took as long as the set's MIP.
    pub bounded: Vec<(Vec<usize>, f64)>,
    /// The best objective of allocations running beside this one.
    shared: Option<SharedBest>,
}

/// A relaxed descent's end (see `Memo::relaxed`): its objective and partition without
/// contiguity, the hubs it settled on, and whether its areas are connected anyway.
#[derive(Debug, Clone)]
pub struct Relaxed {
    pub objective: f64,
    pub hub_of: Vec<usize>,
    pub hubs: Vec<usize>,
    pub connected: bool,
}

impl Memo {
    /// The best bound known on partitions that open exactly the hubs `set` (sorted).
    pub fn bound_of(&self, set: &[usize]) -> Option<f64> {
        self.bounded.iter().filter(|(s, _)| s == set).map(|(_, b)| *b).reduce(f64::max)
    }

    /// As `location_allocation`, skipping hub sets this memo has seen (None when nothing new was
    /// found). With contiguity, where `settles_first`, the hubs first settle on the relaxation
    /// without it (`relaxed`), and only the hubs it settles on are allocated with contiguity
    /// (`contiguous`); elsewhere the descent is contiguous from its first step. With a `cutoff`
    /// (the incumbent's objective), an allocation that cannot beat it ends early.
    pub fn run(&mut self, p: &Problem, y: &[f64], k: usize, deadline: impl Into<Deadline>, base: &SolveOptions, cutoff: Option<f64>) -> Option<(f64, Vec<usize>)> {
        let deadline = deadline.into();
        if p.sc.contiguity && settles_first(p) {
            let r = self.relaxed(p, y, k, deadline, base)?;
            return self.contiguous(p, r, deadline, base, cutoff);
        }
        let below = self.below(cutoff);
        let hubs = first_hubs(p, y, k)?;
        if p.sc.contiguity {
            return iterate(p, hubs, self.steps(true), deadline, base, &below);
        }
        // Without contiguity, with areas bounded above, the descent runs free of the cutoff: its
        // first steps from new hubs are often worse than the incumbent, and its end better. With
        // minimums only on a small graph, every step runs against it (see `settles_first`).
        let free = settles_first(p);
        let mut steps = self.steps(true);
        steps.live = steps.live.filter(|_| !free);
        iterate(p, hubs, steps, deadline, base, &|| if free { None } else { below() }).filter(|(obj, _)| below().is_none_or(|c| *obj < c))
    }

    /// The objective to beat: the least of `cutoff` and the shared best.
    fn below(&self, cutoff: Option<f64>) -> impl Fn() -> Option<f64> {
        let shared = self.shared.clone();
        move || match (cutoff, shared.as_ref().map(SharedBest::get).filter(|b| b.is_finite())) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The descent from the hubs likeliest by `y`, on the relaxation without contiguity (an
    /// assignment with size windows, solved in a fraction of the time of a contiguous one): None
    /// when its hubs were seen before or it found no allocation.
    pub fn relaxed(&mut self, p: &Problem, y: &[f64], k: usize, deadline: impl Into<Deadline>, base: &SolveOptions) -> Option<Relaxed> {
        let deadline = deadline.into();
        let hubs = first_hubs(p, y, k)?;
        let mut sc = p.sc.clone();
        sc.contiguity = false;
        let q = Problem { sc: &sc, ..p.clone() };
        let steps = Steps { tried: &mut self.tried_relaxed, cuts: &mut BTreeSet::new(), bounded: None, live: None };
        let (objective, hub_of) = iterate(&q, hubs, steps, deadline, base, &|| None)?;
        let hubs = crate::solution::areas_of(&hub_of).into_keys().collect();
        let cuts = contiguity::separate(p, &hub_of);
        let connected = cuts.is_empty();
        self.cuts.extend(cuts);
        Some(Relaxed { objective, hub_of, hubs, connected })
    }

    /// The contiguous descent from a relaxed one's hubs (None when these hubs were allocated with
    /// contiguity before, or nothing beats the cutoff). A relaxed end whose areas are connected is
    /// its own answer: the allocation to these hubs without contiguity is one with it too, as
    /// good (within `ALLOCATION_GAP`).
    pub fn contiguous(&mut self, p: &Problem, r: Relaxed, deadline: impl Into<Deadline>, base: &SolveOptions, cutoff: Option<f64>) -> Option<(f64, Vec<usize>)> {
        let deadline = deadline.into();
        let below = self.below(cutoff);
        if self.tried.contains(&r.hubs) {
            return None;
        }
        if r.connected {
            self.tried.push(r.hubs);
            return below().is_none_or(|c| r.objective < c).then_some((r.objective, r.hub_of));
        }
        // Else, on large graphs, the contiguous allocation keeps the relaxed one's interiors
        // (below). On small ones the whole allocation is cheap, and the restriction costs:
        // on the Oklahoma counties it left a start 15 % above the optimum.
        if p.n >= KEEP_INTERIORS_FROM {
            return iterate(&keep_interiors(p, &r.hub_of), r.hubs, self.steps(false), deadline, base, &below);
        }
        iterate(p, r.hubs, self.steps(true), deadline, base, &below)
    }

    /// What the steps of a contiguous descent read and write: the hub sets tried, the cuts met,
    /// (where the steps allocate the problem itself, `exact`) the sets bounded, and the best of
    /// the allocations beside it.
    fn steps(&mut self, exact: bool) -> Steps<'_> {
        Steps { tried: &mut self.tried, cuts: &mut self.cuts, bounded: exact.then_some(&mut self.bounded), live: self.shared.as_ref() }
    }
}

/// The memo's parts a descent's steps write (see `Memo`).
struct Steps<'m> {
    tried: &'m mut Vec<Vec<usize>>,
    cuts: &'m mut BTreeSet<Cut>,
    /// None where the steps allocate a restriction (`keep_interiors`), whose bounds are not the
    /// problem's.
    bounded: Option<&'m mut Vec<(Vec<usize>, f64)>>,
    /// The best that allocations beside it have found (`SolveOptions::shared_cutoff`).
    live: Option<&'m SharedBest>,
}

/// Whether the hubs first settle on the relaxation without contiguity (`Memo::relaxed`) before
/// the contiguous descent. They do where a contiguous allocation is dear: areas bounded above
/// (a window such as Hess's ±0.5 %, where each contiguous step is a tight packing: on the
/// Kansas counties with contiguity, descending with contiguity from the start took 5.2 s instead
/// of 2.7 s) and large graphs (from `KEEP_INTERIORS_FROM` units, where the contiguous steps keep
/// the relaxed areas' interiors). With minimums only on a small graph, a contiguous step costs
/// about as much as a relaxed one, and the relaxed descent is a detour: on Northern Ostrobothnia
/// the defaults took 0.39 s instead of 0.49 s and caseload 130 0.31 s instead of 0.57 s
/// (medians of 5, BENCHMARKS.md's notes of 2026-12-06), with the same optima.
fn settles_first(p: &Problem) -> bool {
    p.n >= KEEP_INTERIORS_FROM || p.thresholds.iter().any(|t| t.max.is_finite())
}

/// The k hubs to start from: forced hubs first, then by LP value `y` (None when fewer than k
/// may be hubs).
fn first_hubs(p: &Problem, y: &[f64], k: usize) -> Option<Vec<usize>> {
    let mut order: Vec<usize> = (0..p.n).filter(|&j| p.allowed[j][j]).collect();
    order.sort_by(|&a, &b| y[b].total_cmp(&y[a]).then(a.cmp(&b)));
    if order.len() < k {
        return None;
    }
    let mut hubs: Vec<usize> = order.iter().copied().filter(|&j| p.forced_hub[j]).collect();
    hubs.extend(order.iter().copied().filter(|&j| !p.forced_hub[j]).take(k.saturating_sub(hubs.len())));
    hubs.sort_unstable();
    Some(hubs)
}

/// The size of graph from which `keep_interiors` applies (Validi, Buchanan & Lykhovyd's).
const KEEP_INTERIORS_FROM: usize = 200;

/// The problem with each unit inside its relaxed area kept there: a unit of the piece that holds
/// its hub, all of whose neighbours are in the same area, may be served by that hub alone. The
/// contiguous allocation then decides only the borders and the stray pieces. Validi, Buchanan &
/// Lykhovyd's contiguity heuristic fixes these interiors from 200 units up (zhelih/districting,
/// `ContiguityHeuristic`); a cut loop over every unit took 20 s and more at 800 units. A
/// heuristic's restriction: the search after it still holds every partition.
pub fn keep_interiors<'a>(p: &Problem<'a>, relaxed: &[usize]) -> Problem<'a> {
    let mut q = p.clone();
    for (j, members) in areas_of(relaxed) {
        let Some(piece) = crate::instance::adjacency::components(&p.nb, &members).into_iter().find(|c| c.contains(&j)) else { continue };
        for &i in piece.iter().filter(|&&i| i != j && p.nb[i].iter().all(|&v| relaxed[v] == j)) {
            for (h, a) in q.allowed[i].iter_mut().enumerate() {
                *a &= h == j;
            }
        }
    }
    q
}

/// Allocate, move each hub to its area's best, repeat until the hubs stay put (or were tried).
/// `cutoff` gives the objective to beat at each step (None: none). The steps' cut rounds start
/// from `steps.cuts` and add theirs to it. With `steps.live`, a step's MIP starts again against that best when it falls, and
/// ends when nothing in it is cheaper.
fn iterate(p: &Problem, mut hubs: Vec<usize>, mut steps: Steps, deadline: Deadline, base: &SolveOptions, cutoff: &dyn Fn() -> Option<f64>) -> Option<(f64, Vec<usize>)> {
    let mut best: Option<(f64, Vec<usize>)> = None;
    for step in 0..12 {
        if steps.tried.contains(&hubs) || Instant::now() >= deadline.start_by {
            break;
        }
        steps.tried.push(hubs.clone());
        let t = Instant::now();
        let (found, bound) = allocate(p, &hubs, steps.cuts, deadline.end_by, base, cutoff(), steps.live);
        if let (Some(b), Some(bounded)) = (bound, steps.bounded.as_deref_mut()) {
            bounded.push((hubs.clone(), b));
        }
        let Some(hub_of) = found else { break };
        let obj = evaluate(p, &hub_of).objective;
        if base.verbose {
            eprintln!("[alue] location–allocation step {step}{}: objective {obj:.2} ({:.2} s)", if p.sc.contiguity { "" } else { " without contiguity" }, t.elapsed().as_secs_f64());
        }
        if best.as_ref().is_none_or(|(b, _)| obj < *b - 1e-9) {
            best = Some((obj, hub_of.clone()));
        }
        // Each area's best hub among its members.
        let mut next: Vec<usize> = areas_of(&hub_of)
            .into_iter()
            .map(|(j, members)| if p.forced_hub[j] { j } else { best_hub(p, &members).unwrap_or(j) })
            .collect();
        next.sort_unstable();
        hubs = next;
    }
    best
}

/// The relative gap at which an allocation step stops. A step is a heuristic's: the hubs move
/// after it, and what it leaves is found by the search after. Solving each step to 10⁻⁶ cost
/// seconds of branching apiece at 1 000 units (HiGHS closing the last 10⁻⁴); Hess's heuristic
/// as Validi, Buchanan & Lykhovyd run it (zhelih/districting, `HessHeuristic`) stops at 5·10⁻⁴.
const ALLOCATION_GAP: f64 = 5e-4;

/// The assignment of all units to exactly these hubs, optimal within `ALLOCATION_GAP` (None if
/// there is none in time); with contiguity its cut rounds start from `cuts` and add theirs. Beside
/// it, HiGHS's bound on every such assignment when the solve ended settled (optimal within the
/// gap, or nothing below the cutoff).
fn allocate(p: &Problem, hubs: &[usize], cuts: &mut BTreeSet<Cut>, deadline: Instant, base: &SolveOptions, cutoff: Option<f64>, live: Option<&SharedBest>) -> (Option<Vec<usize>>, Option<f64>) {
    let mut sc = p.sc.clone();
    sc.mip_gap = sc.mip_gap.max(ALLOCATION_GAP);
    let mut q = Problem { sc: &sc, ..p.with_exactly_hubs(hubs) };
    q.reduce();
    let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64();
    let known = if p.sc.contiguity { base.cuts.iter().chain(cuts.iter()).cloned().collect() } else { Vec::new() };
    let opts = SolveOptions { no_heuristic: true, allocation: false, lagrange: false, enumeration: false, time_limit: Some(left), verbose: false, start: None, cutoff, pool: Vec::new(), progress: None, allocated: Memo::default(), cuts: known, shared_cutoff: live.cloned(), ..base.clone() };
    let o = match solve(&q, &opts) {
        Ok(o) => o,
        // A simple argument shows that no assignment to these hubs exists.
        Err(crate::error::Error::Infeasible(_)) => return (None, Some(f64::INFINITY)),
        Err(_) => return (None, None),
    };
    cuts.extend(o.cut_list);
    let bound = o.bound.filter(|_| matches!(o.status, Status::Optimal | Status::Infeasible));
    (o.hub_of.filter(|_| matches!(o.status, Status::Optimal | Status::TimeLimit)), bound)
}
