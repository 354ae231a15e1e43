//! Column generation over whole areas, for large employment models: the set-partitioning
//! master (`area_master`) solved as an LP; its duals priced per hub, first by growing areas
//! (`area_grow`), and when that finds nothing, exactly (`area_exact`: each hub's MIP, connected
//! by separator cuts kept from round to round). An exact round gives the Lagrangian bound over
//! whole areas at the master's duals,
//!
//!   L(u) = Σ_i u(i) + the cheapest choice of open hubs (count and forced hubs respected) of
//!          the hubs' lower bounds v(j) ≥ min over j's connected areas of cost − Σ u,
//!
//! valid for every u, and the connected areas it finds as columns. At the end the master is
//! solved as a MIP over its columns (price and branch): a partition of connected areas.

use super::area_dual::AreaDual;
use super::area_grow::grow;
use super::area_master::{Column, Duals, Master};
use super::area_pricing::{Hub, Pricing, Sums};
use super::outcome::ColumnReport;
use super::state::Search;
use super::Outcome;
use crate::solution::Status;
use crate::problem::Problem;
use rayon::prelude::*;
use std::time::Instant;

/// What a run of column generation reached.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The master LP's last value (€/year; a bound only once exact pricing finds no column).
    pub lp: f64,
    /// The best Lagrangian bound of an exact pricing round (€/year; −∞ without one).
    pub bound: f64,
    /// Master LPs solved, exact pricing rounds, columns held.
    pub iterations: usize,
    pub exact_rounds: usize,
    pub columns: usize,
    /// Exact pricing found no column: the master LP is the set-partitioning LP's optimum.
    pub converged: bool,
}

/// Column generation applies: switched on, heuristics on (it starts from the incumbent's areas),
/// more units than the split by number of areas takes, contiguity (without it the pricing has no
/// paths to prune by and the compact rounds bounded better: generated n = 200, 2.6 % against
/// 3.3 % at 60 s), at least `SECONDS_PER_UNIT` of the limit per unit (its pricing converged in
/// about 0.15 s per unit on generated n = 200; at n = 400 in 60 s it had not, and its bound was
/// below the compact rounds' on five of six seeds), and an employment model that the bound over
/// whole areas covers.
pub(super) fn applies(p: &Problem, opts: &super::SolveOptions) -> bool {
    let limit = super::limits::time_limit(p, opts);
    opts.columns && !opts.no_heuristic && p.sc.contiguity && p.n > super::split::MAX_UNITS && limit >= SECONDS_PER_UNIT * p.n as f64 && AreaDual::covers(p)
}

/// The least time limit per unit (s) at which column generation runs (see `applies`).
pub const SECONDS_PER_UNIT: f64 = 0.25;

/// The method in the compact solve: column generation from the incumbent's areas until
/// `FIRST` of the limit (or until it converges); `polish` (recombination) until `POLISH`; then,
/// when it has not converged, column generation again from where it stopped until `SECOND`;
/// then the master's MIP over its columns and the incumbent's, enriched around them and from the
/// incumbent, for `MIP` of the limit, again while it improves (`Generation::close`); then
/// recombination until the end, and pricing again for the bound when recombination ends early.
/// The bound raises the search's; the MIP's partitions are offered as the incumbent.
pub(super) fn improve(s: &mut Search, polish: impl Fn(&mut Search, f64)) {
    let Some((_, h)) = s.incumbent.clone() else { return };
    let t = Instant::now();
    // The compact LP first: early exact rounds bound less, and a short limit may end before
    // pricing does (mainland Finland at 30 s: 27.4 M€ from one round, about 29.4 M€ from the LP).
    let compact = compact_lp(s.p, LP * s.limit);
    if let Some((b, _)) = &compact {
        s.raise_bound(*b);
        s.log(format_args!("column generation: the compact LP bound {b:.2} first"));
    }
    let Some(dual) = AreaDual::new(s.p) else { return };
    let pricer = Pricer::new(s.p, &dual);
    let mut gen = Generation::new(&pricer, &h);
    // The compact LP's duals of its assignment rows: the first centre of the smoothing (see
    // `Generation::run`), until an exact round's bound replaces them.
    gen.center = compact.map(|(value, unit)| Duals { value, unit, count: 0.0, forced: vec![0.0; s.p.n] });
    gen.advance(s, &pricer, FIRST);
    gen.dive(s, &pricer, POLISH);
    // Once converged, the bound is the set-partitioning LP's: the time left goes to the partition.
    polish(s, if gen.g.converged { SECOND } else { POLISH });
    if !gen.g.converged && Instant::now() < s.at(SECOND) {
        gen.advance(s, &pricer, SECOND);
    }
    let partition = gen.close(s, &pricer);
    // What the master's MIP leaves of the limit goes to recombination of its partition.
    // (Its unions' MIPs end near their deadline, not on it: a margin of 2 % of the limit.)
    let deadline_share = s.deadline.saturating_duration_since(s.t0).as_secs_f64() / s.limit.max(f64::MIN_POSITIVE);
    polish(s, deadline_share - 0.02);
    // Recombination stops once no union improves, often well before the end (mainland Finland:
    // 97 s of 600 s unused): pricing goes on with what is left, for the bound.
    if !gen.g.converged && Instant::now() < s.at(deadline_share - 0.02) {
        gen.advance(s, &pricer, deadline_share - 0.02);
    }
    let g = &gen.g;
    s.log(format_args!(
        "column generation: {} LPs, {} exact rounds, {} columns, master LP {:.2}{}, bound {:.2}, best partition of the columns {:?}",
        g.iterations,
        g.exact_rounds,
        gen.m.columns.len(),
        g.lp,
        if g.converged { " (converged)" } else { "" },
        g.bound,
        partition
    ));
    s.columns = Some(ColumnReport { bound: g.bound, master_lp: g.lp, converged: g.converged, lps: g.iterations, exact_rounds: g.exact_rounds, columns: gen.m.columns.len(), partition, seconds: t.elapsed().as_secs_f64() });
    s.tell("column generation");
}

/// The compact model's LP relaxation (free count, its initial contiguity rows, no cuts), solved
/// in at most `time` s: a bound and the duals of its assignment rows (the first n), or None.
fn compact_lp(p: &Problem, time: f64) -> Option<(f64, Vec<f64>)> {
    let crate::model::Built { highs: mut m, .. } = crate::model::build(p, false);
    super::highs_api::set_options(&mut m, p, super::columns::pair_count(p), time, false).ok()?;
    m.try_set_option("solve_relaxation", true).ok()?;
    let mut solved = m.try_solve().ok()?;
    let bound = (solved.status() == highs::HighsModelStatus::Optimal).then(|| solved.objective_value()).filter(|b| b.is_finite())?;
    // SAFETY: the solved instance; its rows begin with the n assignment rows (`model::build`).
    let rd = unsafe { super::highs_api::solution_at(solved.as_mut_ptr()).row_dual };
    Some((bound, rd.get(..p.n)?.to_vec()))
}

/// The most of the time limit the compact LP may take.
const LP: f64 = 0.1;

/// Shares of the time limit (see `improve`): pricing until the first, the master's MIP for the
/// second (at the end), recombination until the third, pricing again until the fourth
/// (recombination until then, once converged). The compact model's rounds do not follow: on these sizes its bound is
/// below this one, and HiGHS's rounds on it do not end at the limit. The master's MIP had 8 %
/// from 90 % until HiGHS's clock was read right (`Master::set_time`): it then ended on its limit
/// with the incumbent at generated n = 200 seed 1, where 15 % from 80 % lets it finish twice.
const FIRST: f64 = 0.5;
const MIP: f64 = 0.15;
const DIVE: f64 = 0.15;
const POLISH: f64 = 0.7;
const SECOND: f64 = 0.8;

/// How HiGHS's status reads after column generation: HiGHS solved the master and each hub's
/// pricing, not the compact model.
pub const BY_COLUMNS: &str = "column generation: HiGHS on the master LP and on each hub's pricing";

/// The outcome after `improve`: optimal when the bound reaches the incumbent (within the
/// scenario's gap), else time limit with the bound.
pub(super) fn finish(s: &Search) -> Outcome {
    let proven = match (&s.incumbent, s.bound) {
        (Some((o, _)), Some(b)) => b >= o - s.p.sc.mip_gap * o.abs() - 1e-9 * o.abs().max(1.0),
        _ => false,
    };
    s.finish(if proven { Status::Optimal } else { Status::TimeLimit }, BY_COLUMNS.into())
}

/// A partition found: its objective (€/year) and the hub of every unit.
pub type Found = Option<(f64, Vec<usize>)>;

/// Column generation alone (for tests and measurements): from the areas of `start` (a
/// partition, or empty) until `deadline`, then a dive over the master, then the master's MIP
/// over its columns; what it reached, the dive's partition and the MIP's. None when the model
/// is not one it covers.
pub fn generate(p: &Problem, start: &[usize], deadline: Instant) -> Option<(Generated, Found, Found)> {
    let dual = AreaDual::new(p)?;
    let pricer = Pricer::new(p, &dual);
    let mut gen = Generation::new(&pricer, start);
    gen.run(&pricer, deadline, false, &|_| {});
    let dived = gen.dive_until(&pricer, deadline);
    let left = deadline.saturating_duration_since(Instant::now()).as_secs_f64().max(1.0);
    let partition = gen.m.solve_mip(left, None, &[]).map(|(obj, chosen)| (obj, gen.hub_of(p.n, &chosen)));
    Some((gen.g, dived, partition))
}

/// A column generation in progress: the master, each hub's separator cuts (kept from one exact
/// round to the next), the duals of the best bound and what it has reached.
struct Generation {
    m: Master,
    pools: Vec<Vec<(usize, Vec<usize>)>>,
    /// The duals of the best bound: exact rounds price between them and the master's (Wentges's
    /// smoothing), which takes fewer rounds than pricing at the master's duals alone; a round
    /// that adds nothing there prices at the master's own next.
    center: Option<Duals>,
    smooth: bool,
    g: Generated,
    t0: Instant,
}

impl Generation {
    /// A master with the areas of `start` (a partition, or empty: then artificial columns keep
    /// the LP feasible until areas come in; with a start they only slow it, since its duals
    /// then price whole regions as one area).
    fn new(pricing: &Pricer, start: &[usize]) -> Generation {
        let p = pricing.p;
        let mut m = Master::new(p.n, p.areas, &p.forced_hub);
        let start = pricing.columns_of(start).unwrap_or_default();
        if start.is_empty() {
            m.add_artificial(pricing.big());
        }
        for c in start {
            m.add(c);
        }
        let g = Generated { lp: f64::INFINITY, bound: f64::NEG_INFINITY, iterations: 0, exact_rounds: 0, columns: 0, converged: false };
        Generation { m, pools: vec![Vec::new(); pricing.hubs.len()], center: None, smooth: true, g, t0: Instant::now() }
    }

    /// Generate until `share` of the search's limit; its bound raises the search's.
    fn advance(&mut self, s: &mut Search, pricing: &Pricer, share: f64) {
        let sink = s.opts.progress.clone();
        let ub = s.incumbent.as_ref().map(|(o, _)| *o);
        let report = |b: f64| {
            if let Some(sink) = &sink {
                sink.report("column generation", ub, b.is_finite().then_some(b));
            }
        };
        self.run(pricing, s.at(share), s.opts.verbose, &report);
        if self.g.bound.is_finite() {
            s.raise_bound(self.g.bound);
        }
        s.tell("column generation");
    }

    /// Dive over the master (`area_dive`) for at most `DIVE` of the limit (and not past
    /// `share`); its partition is offered to the search.
    fn dive(&mut self, s: &mut Search, pricing: &Pricer, share: f64) {
        let t = Instant::now();
        let found = self.dive_until(pricing, (t + std::time::Duration::from_secs_f64(DIVE * s.limit)).min(s.at(share)));
        s.log(format_args!("column generation: a dive over the master: {:?} in {:.2} s, {} columns", found.as_ref().map(|x| x.0), t.elapsed().as_secs_f64(), self.m.columns.len()));
        if let Some((_, hub_of)) = found {
            s.offer(Some(hub_of));
        }
    }

    /// A dive until `deadline`: its partition (objective, hub of every unit).
    fn dive_until(&mut self, pricing: &Pricer, deadline: Instant) -> Found {
        let price = |d: &Duals, covered: &[bool], m: &mut Master| pricing.heuristic(d, d, covered, m);
        let chosen = super::area_dive::dive(&mut self.m, &price, &|covered: &[bool]| pricing.hole(covered), pricing.big(), pricing.nb, deadline)?;
        Some((self.m.partition_cost(&chosen)?, self.hub_of(pricing.p.n, &chosen)))
    }

    /// The master's MIP over its columns from the incumbent's (objective `ub`, areas `own`),
    /// against it, for `MIP` of the limit; its partition, when better, is offered to the search. Its objective.
    fn mip(&mut self, s: &mut Search, (ub, own): (f64, &[Column])) -> Option<f64> {
        let start: Vec<usize> = own.iter().map(|c| self.m.index(c.clone())).collect();
        let t = Instant::now();
        // (HiGHS looks at its clock between steps: a margin of a tenth of what is left.)
        let time = (MIP * s.limit).min(0.9 * s.deadline.saturating_duration_since(t).as_secs_f64());
        let found = self.m.solve_mip(time, Some(ub), &start);
        s.log(format_args!("column generation: the master's MIP over {} columns: {:?} in {:.2} s (limit {time:.2} s)", self.m.columns.len(), found.as_ref().map(|x| x.0), t.elapsed().as_secs_f64()));
        let (obj, chosen) = found?;
        s.offer(Some(self.hub_of(s.p.n, &chosen)));
        Some(obj)
    }

    /// The master's MIP over its columns, enriched first (`enrich`), and again around each
    /// better partition it finds while a share of the limit is left: a local search by MIP
    /// over the areas near the incumbent's. The best objective it found.
    fn close(&mut self, s: &mut Search, pricing: &Pricer) -> Option<f64> {
        let objective = |s: &Search| s.incumbent.as_ref().map_or(f64::INFINITY, |(o, _)| *o);
        let mut best: Option<f64> = None;
        loop {
            let before = objective(s);
            // The incumbent and its areas as columns, which both steps take in.
            let Some((ub, h)) = s.incumbent.clone() else { return best };
            let own = pricing.columns_of(&h).unwrap_or_default();
            self.enrich(s, pricing, (ub, &own));
            if let Some(o) = self.mip(s, (ub, &own)) {
                best = Some(best.map_or(o, |b| b.min(o)));
            }
            if objective(s) >= before - 1e-9 * before.abs() || s.left() < MIP * s.limit / 2.0 {
                return best;
            }
        }
    }

    /// Before the master's MIP: the LP re-solved, and the areas one move from its columns and
    /// from the incumbent's (`own`) whose reduced cost is within the gap added (`Pricer::enrich`).
    fn enrich(&mut self, s: &mut Search, pricing: &Pricer, (ub, own): (f64, &[Column])) {
        let t = Instant::now();
        let left = s.deadline.saturating_duration_since(t).as_secs_f64();
        let Some(duals) = self.m.solve_lp(left) else { return };
        let added = pricing.enrich(&duals, &mut self.m, own, (ub - duals.value).max(0.0));
        s.log(format_args!("column generation: {added} columns one move from the LP's and the incumbent's, within the gap, in {:.2} s", t.elapsed().as_secs_f64()));
    }

    /// The hub of every unit in a choice of columns.
    fn hub_of(&self, n: usize, chosen: &[usize]) -> Vec<usize> {
        let mut hub_of = vec![usize::MAX; n];
        chosen.iter().for_each(|&c| self.m.columns[c].units.iter().for_each(|&i| hub_of[i] = self.m.columns[c].hub));
        hub_of
    }

    /// Heuristic pricing at the master's duals `duals`: grown areas at the smoothed point between
    /// the centre and them (Wentges), then, when none of those prices out at the master's
    /// duals, at the duals themselves, then moves of the LP's areas; the number added. The
    /// smoothed point damps the master's degenerate duals: from a partition's areas alone the
    /// LP stays at the partition's cost while the areas grown at its duals come in (generated
    /// n = 200: the first exact round at 3.5 s with 3 157 columns instead of 7.2 s with 5 756).
    fn price_heuristically(&mut self, pricing: &Pricer, duals: &Duals) -> usize {
        let none = vec![false; pricing.p.n];
        let mut added = match (&self.center, self.smooth) {
            (Some(c), true) => pricing.heuristic(&c.towards(duals, 1.0 - SMOOTHING), duals, &none, &mut self.m),
            _ => 0,
        };
        if added == 0 {
            added = pricing.heuristic(duals, duals, &none, &mut self.m);
        }
        if added == 0 {
            added = pricing.local(duals, &mut self.m);
        }
        added
    }

    /// Price and re-solve until no column prices out exactly, or `deadline`; `report` hears
    /// each new bound.
    fn run(&mut self, pricing: &Pricer, deadline: Instant, verbose: bool, report: &dyn Fn(f64)) {
        let left = || deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        while left() > 0.0 && !self.g.converged {
            let Some(duals) = self.m.solve_lp(left()) else { break };
            self.g.iterations += 1;
            self.g.lp = duals.value;
            if self.price_heuristically(pricing, &duals) > 0 {
                continue;
            }
            let at = match (&self.center, self.smooth) {
                (Some(c), true) => c.towards(&duals, 1.0 - SMOOTHING),
                _ => duals.clone(),
            };
            let (bound, added, proven) = pricing.exact(&at, &duals, &mut self.m, &mut self.pools, deadline);
            self.g.exact_rounds += 1;
            if bound > self.g.bound {
                self.g.bound = bound;
                self.center = Some(at.clone());
                report(bound);
            }
            if verbose {
                eprintln!("[alue] column generation: master LP {:.2}, exact round {}{}: bound {bound:.2}, {added} columns added, {} columns, {:.2} s", duals.value, self.g.exact_rounds, if self.smooth && self.center.is_some() { " (smoothed)" } else { "" }, self.m.columns.len(), self.t0.elapsed().as_secs_f64());
            }
            // Converged: the bound has reached the LP (to 10⁻⁶; what is left is degenerate
            // pivoting), or an exact round at the master's own duals found no column and every
            // hub's pricing ended within its time (when one did not, nothing is known to price
            // out but the LP is not proven: pricing stops, not converged).
            let at_master = !self.smooth || at.unit == duals.unit;
            if self.g.bound >= self.g.lp - 1e-6 * self.g.lp.abs() || added == 0 && at_master {
                self.g.converged = left() > 0.0 && (self.g.bound >= self.g.lp - 1e-6 * self.g.lp.abs() || proven);
                break;
            }
            self.smooth = added > 0;
        }
        self.g.columns = self.m.columns.len();
    }
}

/// The hubs' pricing problems.
struct Pricer<'a> {
    p: &'a Problem<'a>,
    hubs: &'a [Hub],
    d: &'a Pricing,
    nb: Option<&'a [Vec<usize>]>,
    zero: Vec<f64>,
    /// Each unit's threshold attributes (empty for a unit no hub may take) and whether it is a
    /// candidate hub: what `hole` sums.
    attrs: Vec<Vec<f64>>,
    is_hub: Vec<bool>,
    /// Each candidate hub's index in `hubs`.
    index: std::collections::HashMap<usize, usize>,
}

impl<'a> Pricer<'a> {
    fn new(p: &'a Problem<'a>, dual: &'a AreaDual) -> Pricer<'a> {
        let (hubs, d, nb) = dual.parts();
        let mut attrs = vec![Vec::new(); p.n];
        hubs.iter().flat_map(|h| std::iter::once(&h.own).chain(&h.must).chain(&h.items)).for_each(|it| attrs[it.unit] = it.attrs.clone());
        let mut is_hub = vec![false; p.n];
        hubs.iter().for_each(|h| is_hub[h.hub] = true);
        let index = hubs.iter().enumerate().map(|(c, h)| (h.hub, c)).collect();
        Pricer { p, hubs, d, nb, zero: vec![0.0; p.n], attrs, is_hub, index }
    }

    /// An area's cost (€/year) from its hub's items.
    fn cost(&self, c: usize, units: &[usize]) -> f64 {
        let h = &self.hubs[c];
        let mut s = Sums::zero(self.d.windows.len());
        for it in std::iter::once(&h.own).chain(&h.must).chain(&h.items).filter(|it| units.binary_search(&it.unit).is_ok()) {
            s.add(it, &self.zero);
        }
        self.d.costs.area(s.travel, s.js, s.funding)
    }

    /// Whether the units not covered hold a connected part (all of them without contiguity)
    /// that no area fits in: one without a candidate hub, or below a minimum threshold.
    fn hole(&self, covered: &[bool]) -> bool {
        let left: Vec<usize> = (0..self.p.n).filter(|&i| !covered[i]).collect();
        let parts = match self.nb {
            Some(nb) => crate::instance::adjacency::components(nb, &left),
            None => vec![left],
        };
        parts.into_iter().filter(|part| !part.is_empty()).any(|part| {
            let sum: Vec<f64> = (0..self.d.windows.len()).map(|t| part.iter().map(|&i| self.attrs[i].get(t).copied().unwrap_or(0.0)).sum()).collect();
            !part.iter().any(|&i| self.is_hub[i]) || self.d.windows.iter().zip(&sum).any(|(&(lo, _), &s)| s < lo - 1e-9)
        })
    }

    /// An artificial column's cost: above every partition's (every unit at its dearest hub, an
    /// area each).
    fn big(&self) -> f64 {
        let c = &self.d.costs;
        let mut dearest = vec![0.0f64; self.p.n];
        for it in self.hubs.iter().flat_map(|h| std::iter::once(&h.own).chain(&h.must).chain(&h.items)) {
            dearest[it.unit] = dearest[it.unit].max(it.travel.abs() + c.service * it.jobseekers + it.funding.abs() + c.staff * (it.jobseekers / c.caseload + 1.0 + c.min_staff));
        }
        1e3 + dearest.iter().sum::<f64>() + self.p.n as f64 * c.admin
    }

    /// The columns of a partition (None when one of its hubs is not a candidate).
    fn columns_of(&self, hub_of: &[usize]) -> Option<Vec<Column>> {
        if hub_of.contains(&usize::MAX) {
            return None;
        }
        crate::solution::areas_of(hub_of)
            .into_iter()
            .map(|(j, units)| {
                let c = self.hubs.iter().position(|h| h.hub == j)?;
                Some(Column { hub: j, cost: self.cost(c, &units), units })
            })
            .collect()
    }

    /// Add the area of hub c when it prices out at the master's duals; true if added.
    fn offer(&self, m: &mut Master, duals: &Duals, c: usize, units: Vec<usize>) -> bool {
        let hub = self.hubs[c].hub;
        let eps = 1e-7 * duals.value.abs().max(1.0);
        let cost = self.cost(c, &units);
        duals.reduced_cost(hub, cost, &units) < -eps && m.add(Column { hub, units, cost })
    }

    /// Grow an area per hub at the duals, avoiding the covered units (a dive's; none otherwise);
    /// the number of columns added.
    fn heuristic(&self, duals: &Duals, master: &Duals, covered: &[bool], m: &mut Master) -> usize {
        let u: Vec<f64> = duals.unit.iter().zip(covered).map(|(&v, &c)| if c { AVOID } else { v }).collect();
        let open = |h: &Hub| !covered[h.hub] && h.must.iter().all(|it| !covered[it.unit]);
        let found: Vec<(usize, f64, Vec<usize>)> = (0..self.hubs.len()).into_par_iter().filter(|&c| open(&self.hubs[c])).filter_map(|c| grow(self.d, &self.hubs[c], &u, self.nb, self.p.n).map(|(v, s)| (c, v, s))).collect();
        found.into_iter().filter(|(_, _, s)| s.iter().all(|&i| !covered[i])).filter(|(c, _, s)| self.offer(m, master, *c, s.clone())).count()
    }

    /// The areas the master's LP uses (x > 10⁻⁶), as their hubs' indices and units.
    fn used_areas(&self, m: &Master) -> Vec<(usize, Vec<usize>)> {
        let x = m.values();
        (0..x.len()).filter(|&k| x[k] > 1e-6).filter_map(|k| Some((*self.index.get(&m.columns[k].hub)?, m.columns[k].units.clone()))).collect()
    }

    /// The areas one move from each of `areas` (`area_moves`) whose reduced cost at `duals` is at
    /// most `slack(area)` above the area's own, the best `take` of each.
    fn near(&self, areas: &[(usize, Vec<usize>)], duals: &Duals, nb: &[Vec<usize>], slack: impl Fn(usize, &[usize]) -> f64 + Sync, take: usize) -> Vec<(usize, Vec<usize>)> {
        areas
            .par_iter()
            .flat_map_iter(|(c, units)| {
                let c = *c;
                let mut v = super::area_moves::moves(self.d, &self.hubs[c], units, &duals.unit, nb, self.p.n, slack(c, units));
                v.sort_by(|a, b| a.0.total_cmp(&b.0));
                v.into_iter().take(take).map(move |(_, s)| (c, s))
            })
            .collect()
    }

    /// The areas one move from those the LP uses, the best `MOVES` of each that price out; the
    /// number added.
    fn local(&self, duals: &Duals, m: &mut Master) -> usize {
        let Some(nb) = self.nb else { return 0 };
        let found = self.near(&self.used_areas(m), duals, nb, |_, _| 0.0, MOVES);
        found.into_iter().filter(|(c, s)| self.offer(m, duals, *c, s.clone())).count()
    }

    /// Columns for the master's MIP: the areas one move from those the LP uses and from
    /// `extra` (a partition's columns) whose reduced cost at the master's duals is at most
    /// `slack` (€/year; an area in a partition cheaper than one costing `slack` more than the
    /// LP has a reduced cost of at most that), the best `ENRICH` of each; the number added.
    fn enrich(&self, duals: &Duals, m: &mut Master, extra: &[Column], slack: f64) -> usize {
        let Some(nb) = self.nb else { return 0 };
        let mut areas = self.used_areas(m);
        areas.extend(extra.iter().filter_map(|c| Some((*self.index.get(&c.hub)?, c.units.clone()))));
        let room = |c: usize, units: &[usize]| (slack - duals.reduced_cost(self.hubs[c].hub, self.cost(c, units), units)).max(0.0);
        let found = self.near(&areas, duals, nb, room, ENRICH);
        found.into_iter().filter(|(c, s)| {
            let hub = self.hubs[*c].hub;
            let cost = self.cost(*c, s);
            duals.reduced_cost(hub, cost, s) <= slack && m.add(Column { hub, units: s.clone(), cost })
        }).count()
    }

    /// Price every hub exactly at `duals`: the Lagrangian bound there (−∞ when a hub has no
    /// bound), the number of connected columns added (those that price out at the master's
    /// duals), and whether every hub's pricing ended before its time limit. Each hub's MIP is cut off where it would not be chosen (its bound is then that
    /// value).
    fn exact(&self, duals: &Duals, master: &Duals, m: &mut Master, pools: &mut [Vec<(usize, Vec<usize>)>], deadline: Instant) -> (f64, usize, bool) {
        let left = || deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        let each: Vec<(f64, Option<(f64, Vec<usize>)>, bool)> = pools
            .par_iter_mut()
            .enumerate()
            .map(|(c, pool)| {
                let cutoff = duals.count + duals.forced[self.hubs[c].hub];
                let (given, t) = (left().min(HUB_SECONDS), Instant::now());
                let (v, best) = super::area_exact::price(self.d, &self.hubs[c], &duals.unit, given, self.nb, cutoff, pool);
                (v, best, t.elapsed().as_secs_f64() < 0.9 * given)
            })
            .collect();
        let proven = each.iter().all(|e| e.2);
        let values: Vec<f64> = each.iter().map(|e| e.0).collect();
        let forced: Vec<bool> = self.hubs.iter().map(|h| self.p.forced_hub[h.hub]).collect();
        let bound = lagrangian(&duals.unit, &values, &forced, self.p.areas);
        let added = each.into_iter().enumerate().filter_map(|(c, e)| e.1.map(|x| (c, x.1))).filter(|(c, s)| self.offer(m, master, *c, s.clone())).count();
        (bound, added, proven)
    }
}

/// The moves of each area the LP uses that `local` offers.
const MOVES: usize = 2;

/// The moves of each area that `enrich` adds.
const ENRICH: usize = 10;

/// The multiplier of a unit a dive has covered: growing areas avoid it.
const AVOID: f64 = -1e12;

/// The weight of the best bound's duals in the point an exact round prices at.
const SMOOTHING: f64 = 0.5;

/// The most seconds of one hub's exact pricing in a round (beyond it, HiGHS's dual bound stands).
const HUB_SECONDS: f64 = 5.0;

/// L(u) = Σ u + the cheapest admissible choice of the hubs' lower bounds, less a rounding margin
/// (−∞ when a bound is missing, +∞ when no choice is admissible).
pub(super) fn lagrangian(u: &[f64], values: &[f64], forced: &[bool], areas: (usize, usize)) -> f64 {
    if values.iter().any(|v| v.is_nan() || *v == f64::NEG_INFINITY) {
        return f64::NEG_INFINITY;
    }
    let Some(open) = super::lagrange::select(values, forced, areas) else { return f64::INFINITY };
    let sum = u.iter().sum::<f64>() + open.iter().map(|&c| values[c]).sum::<f64>();
    let scale = u.iter().map(|x| x.abs()).sum::<f64>() + open.iter().map(|&c| values[c].abs()).sum::<f64>();
    sum - 1e-9 * scale - 1e-9
}
