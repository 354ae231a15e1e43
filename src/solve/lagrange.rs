//! Lagrangian relaxation of the assignment rows Σ_j x(i,j) = 1 (multiplier u(i) per unit), for
//! the models whose cost is the travel term alone (the Hess model; no staffing or equalisation).
//!
//! With the rows relaxed, the problem falls apart by hub: hub j's area is a knapsack over the
//! units j may serve, each with cost c(i,j) − u(i), whose size Σ a(i) must lie in the window
//! [min, max] of the one threshold attribute, and the open hubs are the cheapest ones the count
//! of areas allows. Each knapsack is bounded through its LP dual: for any price λ on the
//! attribute, Σ_i min(0, c(i,j) − u(i) − λ·a(i)) + λ·(max or min) is a lower bound on it
//! (weak duality), and at the greedy's λ it equals the knapsack's LP optimum. The bound is
//! computed from that formula, so it holds for whatever multipliers the ascent reaches.
//!
//! The same prices bound every forced choice: serving i from j costs at least
//! max(0, c(i,j) − u(i) − λ(j)·a(i)) more, and opening a hub the ascent left closed costs its
//! value less that of the hub it displaces. Pairs and hubs whose forced bound exceeds the
//! incumbent are fixed to 0 (Lagrangian variable fixing, as in Validi, Buchanan & Lykhovyd,
//! Operations Research 2022), and HiGHS gets the much smaller model.

use super::lagrange_column::{knapsack, taken, Column};
use super::lagrange_lazy::{Lazy, Read};
use crate::problem::Problem;
use std::time::Instant;

/// The relaxation of one problem: its columns and the count of areas.
pub struct Relaxation {
    columns: Vec<Column>,
    n: usize,
    areas: (usize, usize),
    forced: Vec<bool>,
    /// Evaluate the columns on every core.
    parallel: bool,
    /// With contiguity, the graph: serving i from j then takes a path of j's units to i, and
    /// each unit on it adds its own forced cost.
    neighbours: Option<Vec<Vec<usize>>>,
    /// Evaluate each knapsack in whole units as well (see `knapsack`): the dual function of
    /// the relaxation that keeps x binary, at least the LP one.
    pub whole: bool,
    /// Pairs (unit, hub) and hubs `prune` removed.
    pub removed_pairs: Vec<(usize, usize)>,
    pub removed_hubs: Vec<usize>,
}

/// One evaluation of the dual function at multipliers u.
#[derive(Debug, Clone)]
pub struct Dual {
    /// L(u), a lower bound on the optimum (already lowered by the rounding margin).
    pub bound: f64,
    /// The multipliers.
    pub u: Vec<f64>,
    /// Value of each column's knapsack plus its hub's own term (∞ when its window is empty).
    pub value: Vec<f64>,
    /// Price of the attribute in each column's knapsack.
    pub price: Vec<f64>,
    /// Columns (indices into the relaxation's columns) open at u.
    pub open: Vec<usize>,
    /// Margin subtracted for rounding, in objective units.
    pub margin: f64,
    /// When `value` holds the knapsacks in whole units (see `whole_units`): their LP values,
    /// which the forced costs of `fixings` are measured from.
    pub lp_value: Option<Vec<f64>>,
    /// Every column was read: else the columns not open hold lower bounds on their values, and
    /// stale prices (the best dual of an ascent is read in full before it is handed out).
    pub complete: bool,
}

/// The ascent of the dual: the method's state, the best dual found, and the hub likelihoods.
#[derive(Clone)]
pub struct Ascent {
    /// The best dual found (of the relaxation as it was when it was found).
    pub best: Option<Dual>,
    /// How often each unit was an open hub over the ascent's last evaluations (decaying).
    pub hub_score: Vec<f64>,
    /// Evaluations of the dual function so far.
    pub evaluations: usize,
    /// What lets an evaluation skip columns.
    lazy: Lazy,
    /// The r-algorithm's state (up to `RALG_MAX_UNITS` units), else the subgradient point.
    method: Method,
}

#[derive(Clone)]
enum Method {
    Ralg(super::ralg::Ralg),
    Subgradient(Vec<f64>),
}

impl Relaxation {
    /// The relaxation of `p`, or None when it does not apply: employment terms in the cost,
    /// thresholds on more than one attribute, negative attribute values, or fixed pairs.
    pub fn new(p: &Problem, parallel: bool) -> Option<Relaxation> {
        if p.sc.employment_terms() || p.fixed.iter().any(Option::is_some) {
            return None;
        }
        let attr = p.thresholds.first().map(|t| t.attr);
        if p.thresholds.iter().any(|t| Some(t.attr) != attr) {
            return None;
        }
        let (min, max) = p.thresholds.iter().fold((f64::NEG_INFINITY, f64::INFINITY), |(lo, hi), t| (lo.max(t.min), hi.min(t.max)));
        let a = |i: usize| attr.map_or(0.0, |k| p.value(i, k));
        if (0..p.n).any(|i| !(a(i) >= 0.0) || !a(i).is_finite()) {
            return None;
        }
        let tw = p.sc.travel_weight;
        let columns = p
            .hubs()
            .into_iter()
            .map(|j| Column {
                hub: j,
                items: {
                    let mut v: Vec<(usize, f64, f64)> = (0..p.n).filter(|&i| i != j && p.allowed[i][j]).map(|i| (i, tw * p.travel[i][j], a(i))).collect();
                    v.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
                    v
                },
                own_cost: tw * p.travel[j][j],
                lo: min - a(j),
                hi: max - a(j),
                hint: std::sync::atomic::AtomicU64::new(0),
            })
            .collect();
        Some(Relaxation { columns, n: p.n, areas: p.areas, forced: p.forced_hub.clone(), parallel, neighbours: p.sc.contiguity.then(|| p.nb.clone()), whole: false, removed_pairs: Vec::new(), removed_hubs: Vec::new() })
    }

    /// The hub of column `c`.
    pub fn hub(&self, c: usize) -> usize {
        self.columns[c].hub
    }

    /// Evaluate the dual function at u, reading every column when `all`, else only those that
    /// `lazy` cannot place above the open ones (see `lagrange_lazy`); with `want_subgradient`,
    /// also return the subgradient.
    fn evaluate(&self, u: &[f64], want_subgradient: bool, lazy: &mut Lazy, all: bool) -> (Dual, Option<Vec<f64>>) {
        let forced = self.forced_of();
        let (each, complete) = self.read(u, &forced, lazy, all);
        let value: Vec<f64> = each.iter().map(|e| e.value).collect();
        let price: Vec<f64> = each.iter().map(|e| e.price).collect();
        let lp_value = self.whole.then(|| each.iter().map(|e| e.lp_value).collect::<Vec<f64>>());
        let mut scale: f64 = each.iter().map(|e| e.scale).sum();
        let open = select(&value, &forced, self.areas);
        let mut bound: f64 = u.iter().sum();
        scale += u.iter().map(|x| x.abs()).sum::<f64>();
        let open = match open {
            Some(o) => o,
            None => {
                let d = Dual { bound: f64::INFINITY, u: u.to_vec(), value, price, open: Vec::new(), margin: 0.0, lp_value, complete };
                return (d, None);
            }
        };
        bound += open.iter().map(|&c| value[c]).sum::<f64>();
        // Each term carries a rounding error below 2⁻⁵² of its size; the sum of n² of them, well
        // below 10⁻¹⁰ of the sum of their sizes.
        let margin = 1e-10 * scale + 1e-12;
        let g = want_subgradient.then(|| {
            let mut g = vec![1.0; self.n];
            for &c in &open {
                let col = &self.columns[c];
                g[col.hub] -= 1.0;
                match &each[c].whole {
                    Some(sel) => sel.iter().for_each(|&k| g[col.items[k].0] -= 1.0),
                    None => taken(col, u, price[c]).into_iter().for_each(|(i, x)| g[i] -= x),
                }
            }
            g
        });
        (Dual { bound: bound - margin, u: u.to_vec(), value, price, open, margin, lp_value, complete }, g)
    }

    /// Each column's evaluation at u: those `lazy` says to read (every one when `all`), the others
    /// at their lower bound with their last price and scale; and whether every column was read.
    /// `forced`: whether each column's hub is forced open.
    fn read(&self, u: &[f64], forced: &[bool], lazy: &mut Lazy, all: bool) -> (Vec<Evaluated>, bool) {
        lazy.step(u);
        let run = |cs: &[usize]| -> Vec<(usize, Evaluated)> {
            if self.parallel {
                use rayon::prelude::*;
                cs.par_iter().map(|&c| (c, self.column(&self.columns[c], u))).collect()
            } else {
                cs.iter().map(|&c| (c, self.column(&self.columns[c], u))).collect()
            }
        };
        let m = self.columns.len();
        let lows: Vec<(f64, Option<Read>)> = self.columns.iter().map(|col| lazy.lower(col.hub, u)).collect();
        let mut got: Vec<Option<Evaluated>> = (0..m).map(|_| None).collect();
        if all {
            got = run(&(0..m).collect::<Vec<_>>()).into_iter().map(|(_, e)| Some(e)).collect();
        } else {
            let lower: Vec<f64> = lows.iter().map(|l| l.0).collect();
            let most = self.areas.1;
            run(&Lazy::first(&lower, forced, most)).into_iter().for_each(|(c, e)| got[c] = Some(e));
            let values: Vec<Option<f64>> = got.iter().map(|e| e.as_ref().map(|e| e.value)).collect();
            run(&Lazy::after(&lower, &values, forced, most)).into_iter().for_each(|(c, e)| got[c] = Some(e));
        }
        let complete = got.iter().all(Option::is_some);
        let each = got
            .into_iter()
            .zip(&lows)
            .zip(&self.columns)
            .map(|((e, &(lower, last)), col)| match e {
                Some(e) => {
                    lazy.record(col.hub, u, e.value, e.price, e.scale);
                    e
                }
                None => {
                    let last = last.expect("a column never read is read");
                    Evaluated { value: lower, price: last.price, scale: last.scale, lp_value: lower, whole: None }
                }
            })
            .collect();
        (each, complete)
    }

    /// One column at u: its LP knapsack and, in whole mode, its knapsack in whole units (the
    /// value is the higher; the subgradient takes the whole units' selection when the search
    /// was exact).
    fn column(&self, col: &Column, u: &[f64]) -> Evaluated {
        let (lp, price, scale) = knapsack(col, u);
        let mut e = Evaluated { value: lp, price, scale, lp_value: lp, whole: None };
        if self.whole && lp.is_finite() {
            let k = super::knapsack::Knapsack::new(col.items.iter().map(|&(i, cost, a)| (cost - u[i], a)));
            let (s, sel) = k.solve_taking(col.lo, col.hi, WHOLE_NODES);
            e.value = (col.own_cost + s.bound - u[col.hub]).max(lp);
            e.scale += col.items.iter().map(|&(i, cost, _)| cost.abs() + u[i].abs()).sum::<f64>();
            e.whole = sel.filter(|_| s.exact && e.value > lp);
        }
        e
    }

    fn forced_of(&self) -> Vec<bool> {
        self.columns.iter().map(|c| self.forced[c.hub]).collect()
    }

    /// A new ascent from the initial multipliers.
    pub fn start(&self) -> Ascent {
        let u0 = self.initial_multipliers();
        let method = if self.n <= RALG_MAX_UNITS {
            // Steps of a tenth of the multipliers' size in each coordinate.
            let mean = u0.iter().map(|x| x.abs()).sum::<f64>() / self.n.max(1) as f64;
            Method::Ralg(super::ralg::Ralg::new(u0, 0.1 * mean.max(1e-9) * (self.n as f64).sqrt()))
        } else {
            Method::Subgradient(u0)
        };
        Ascent { best: None, hub_score: vec![0.0; self.n], evaluations: 0, lazy: Lazy::default(), method }
    }

    /// Go on with the ascent for at most `evals` evaluations or until `deadline`; `target` (the
    /// incumbent's objective) steers the subgradient steps.
    pub fn ascend(&self, a: &mut Ascent, target: Option<f64>, deadline: Instant, evals: usize) {
        let Ascent { best, hub_score, evaluations, lazy, method } = a;
        let mut oracle = |u: &[f64]| {
            *evaluations += 1;
            let (d, g) = self.evaluate(u, true, lazy, false);
            let g = g?;
            for s in hub_score.iter_mut() {
                *s *= 0.9;
            }
            for &c in &d.open {
                hub_score[self.columns[c].hub] += 1.0;
            }
            let value = d.bound;
            if best.as_ref().is_none_or(|b| d.bound > b.bound) {
                *best = Some(d);
            }
            Some((value, g))
        };
        match method {
            Method::Ralg(r) => {
                r.run(&super::ralg::Settings { max_evals: evals, deadline }, &mut oracle);
            }
            Method::Subgradient(u) => super::subgradient::ascend(u, target, deadline, evals, &mut oracle),
        }
        // What is done with the best dual after the ascent reads every column's value and price.
        if a.best.as_ref().is_some_and(|b| !b.complete) {
            self.rebase(a);
        }
    }

    /// The area column `c`'s knapsack takes at the dual `d`: its hub and the units it takes at
    /// least half of.
    pub fn area(&self, d: &Dual, c: usize) -> Vec<usize> {
        let col = &self.columns[c];
        let mut a: Vec<usize> = taken(col, &d.u, d.price[c]).into_iter().filter(|&(_, x)| x >= 0.5).map(|(i, _)| i).collect();
        a.push(col.hub);
        a
    }

    /// The count of areas (least, most).
    pub fn areas(&self) -> (usize, usize) {
        self.areas
    }

    /// The number of units.
    pub fn units(&self) -> usize {
        self.n
    }

    /// Column `c`'s items: (unit, cost, attribute), its hub excluded.
    pub fn items(&self, c: usize) -> &[(usize, f64, f64)] {
        &self.columns[c].items
    }

    /// Column `c`'s hub's own cost c(j,j).
    pub fn own_cost(&self, c: usize) -> f64 {
        self.columns[c].own_cost
    }

    /// Column `c`'s window on the attribute for the units other than its hub.
    pub fn window(&self, c: usize) -> (f64, f64) {
        (self.columns[c].lo, self.columns[c].hi)
    }

    /// The number of the relaxation's columns.
    pub fn columns(&self) -> usize {
        self.columns.len()
    }

    /// The best dual of `a` evaluated again, after `prune` changed the relaxation (its value can
    /// only rise: the relaxation lost choices).
    pub fn rebase(&self, a: &mut Ascent) {
        if let Some(b) = a.best.take() {
            a.best = Some(self.evaluate(&b.u, false, &mut a.lazy, true).0);
        }
    }

    /// u(i) = cost of serving i from its nearest allowed hub other than itself (a unit is
    /// worth at least that much to any area that is not its own).
    fn initial_multipliers(&self) -> Vec<f64> {
        let mut u = vec![f64::INFINITY; self.n];
        for col in &self.columns {
            for &(i, c, _) in &col.items {
                u[i] = u[i].min(c);
            }
        }
        u.iter().map(|&x| if x.is_finite() { x } else { 0.0 }).collect()
    }

    /// The dual `d` with each column's knapsack solved in whole units (see `knapsack`; at most
    /// `node_limit` nodes each, none after `deadline`): every value at least its LP value, the
    /// open hubs chosen again, the bound recomputed with a rounding margin for the new sums.
    pub fn whole_units(&self, d: &Dual, node_limit: usize, deadline: Instant) -> Dual {
        let solve = |(c, col): (usize, &Column)| {
            if !d.value[c].is_finite() || Instant::now() >= deadline {
                return d.value[c];
            }
            let k = super::knapsack::Knapsack::new(col.items.iter().map(|&(i, cost, a)| (cost - d.u[i], a)));
            (col.own_cost + k.solve(col.lo, col.hi, node_limit).bound - d.u[col.hub]).max(d.value[c])
        };
        let value: Vec<f64> = if self.parallel {
            use rayon::prelude::*;
            self.columns.par_iter().enumerate().map(solve).collect()
        } else {
            self.columns.iter().enumerate().map(solve).collect()
        };
        let Some(open) = select(&value, &self.forced_of(), self.areas) else {
            return Dual { bound: f64::INFINITY, value, open: Vec::new(), lp_value: Some(d.lp_value.clone().unwrap_or_else(|| d.value.clone())), ..d.clone() };
        };
        // Each whole-unit value sums at most all its column's terms.
        let scale: f64 = open.iter().map(|&c| self.columns[c].own_cost.abs() + self.columns[c].items.iter().map(|&(i, cost, _)| cost.abs() + d.u[i].abs()).sum::<f64>()).sum::<f64>() + d.u.iter().map(|x| x.abs()).sum::<f64>();
        let margin = d.margin + 1e-10 * scale + 1e-12;
        // Never below d's own bound, which holds as well.
        let bound = (d.u.iter().sum::<f64>() + open.iter().map(|&c| value[c]).sum::<f64>() - margin).max(d.bound);
        Dual { bound, value, open, margin, lp_value: Some(d.lp_value.clone().unwrap_or_else(|| d.value.clone())), ..d.clone() }
    }

    /// Pairs (unit, hub) and hubs that no partition cheaper than `ub` uses, by the dual `d`.
    pub fn fixings(&self, d: &Dual, ub: f64) -> Fixings {
        debug_assert!(d.complete, "fixing from a dual not read in full");
        let mut f = Fixings::default();
        // Only what exceeds the incumbent by more than the rounding of both sides is fixed.
        let limit = ub + 1e-9 * ub.abs() + d.margin;
        let open_cost = self.open_cost(d);
        for (c, col) in self.columns.iter().enumerate() {
            if !d.value[c].is_finite() || d.bound + open_cost[c] > limit {
                if !self.forced[col.hub] {
                    f.hubs.push(col.hub);
                }
                continue;
            }
            let rc: Vec<(usize, f64)> = col.items.iter().map(|&(i, cost, a)| (i, (cost - d.u[i] - d.price[c] * a).max(0.0))).collect();
            let extra = match &self.neighbours {
                Some(nb) => super::paths::path_costs(nb, col.hub, &rc, self.n),
                None => rc,
            };
            // A forced pair costs its LP forced cost over the LP value; the whole-unit value
            // already holds part of that.
            let gain = d.lp_value.as_ref().map_or(0.0, |lp| (d.value[c] - lp[c]).max(0.0));
            for (i, e) in extra {
                if d.bound + open_cost[c] + (e - gain).max(0.0) > limit {
                    f.pairs.push((i, col.hub));
                }
            }
        }
        f
    }

    /// Remove what `fixings(d, ub)` fixes from the relaxation (it then bounds the partitions
    /// cheaper than `ub`, the only ones that matter); returns how many pairs and hubs went.
    pub fn prune(&mut self, d: &Dual, ub: f64) -> usize {
        let f = self.fixings(d, ub);
        self.remove(f)
    }

    /// Force hub `j` open, or release it (for probing it: see `lagrange_probing`).
    pub fn set_forced(&mut self, j: usize, on: bool) {
        self.forced[j] = on;
    }

    /// Whether hub `j` is forced open.
    pub fn is_forced(&self, j: usize) -> bool {
        self.forced[j]
    }

    /// Remove the pairs and hubs of `f` from the relaxation; returns how many went.
    pub fn remove(&mut self, f: Fixings) -> usize {
        let gone = f.pairs.len() + f.hubs.len();
        let mut pairs: std::collections::HashSet<(usize, usize)> = f.pairs.iter().copied().collect();
        let hubs: std::collections::HashSet<usize> = f.hubs.iter().copied().collect();
        for col in self.columns.iter_mut() {
            if hubs.contains(&col.hub) {
                self.removed_pairs.extend(col.items.iter().map(|&(i, _, _)| (i, col.hub)));
                continue;
            }
            col.items.retain(|&(i, _, _)| !pairs.remove(&(i, col.hub)));
        }
        self.removed_pairs.extend(f.pairs);
        self.columns.retain(|c| !hubs.contains(&c.hub));
        self.removed_hubs.extend(f.hubs);
        gone
    }

    /// For each column, what opening its hub adds to the bound (0 for the open ones): its value
    /// less that of the open hub it displaces when the count of areas is at its most.
    fn open_cost(&self, d: &Dual) -> Vec<f64> {
        let is_open: Vec<bool> = {
            let mut v = vec![false; self.columns.len()];
            d.open.iter().for_each(|&c| v[c] = true);
            v
        };
        let at_most = d.open.len() >= self.areas.1;
        let worst = d.open.iter().filter(|&&c| !self.forced[self.columns[c].hub]).map(|&c| d.value[c]).fold(f64::NEG_INFINITY, f64::max);
        (0..self.columns.len())
            .map(|c| {
                if is_open[c] {
                    0.0
                } else {
                    // Opening it either displaces the dearest open hub or, below the most, adds to them.
                    let swap = if worst.is_finite() { d.value[c] - worst } else { f64::INFINITY };
                    let add = if at_most { f64::INFINITY } else { d.value[c] };
                    swap.min(add).max(0.0)
                }
            })
            .collect()
    }
}

/// One column's evaluation: the value (whole units or LP), the LP's price and value, the size of
/// the terms for the rounding margin, and the whole-unit selection (indices into the column's
/// items) when it gives the value exactly.
struct Evaluated {
    value: f64,
    price: f64,
    scale: f64,
    lp_value: f64,
    whole: Option<Vec<usize>>,
}

/// Nodes of each whole-unit knapsack's search within an evaluation.
const WHOLE_NODES: usize = 500;

/// Above this many units the dual is ascended by subgradient steps (the r-algorithm's matrix
/// has n² entries).
const RALG_MAX_UNITS: usize = 2500;

/// What the dual fixes.
#[derive(Debug, Default)]
pub struct Fixings {
    /// (unit, hub) pairs fixed to 0.
    pub pairs: Vec<(usize, usize)>,
    /// Hubs closed.
    pub hubs: Vec<usize>,
}

/// The cheapest selection of open columns: the forced ones, then the cheapest up to the least
/// count, then any further negative ones up to the most (None when too few are feasible).
pub(super) fn select(value: &[f64], forced: &[bool], (lo, hi): (usize, usize)) -> Option<Vec<usize>> {
    let mut open: Vec<usize> = (0..value.len()).filter(|&c| forced[c]).collect();
    if open.iter().any(|&c| !value[c].is_finite()) || open.len() > hi {
        return None;
    }
    let mut rest: Vec<usize> = (0..value.len()).filter(|&c| !forced[c] && value[c].is_finite()).collect();
    rest.sort_by(|&a, &b| value[a].total_cmp(&value[b]).then(a.cmp(&b)));
    for c in rest {
        if open.len() >= hi || (open.len() >= lo && value[c] >= 0.0) {
            break;
        }
        open.push(c);
    }
    (open.len() >= lo).then_some(open)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Along an ascent on a generated 150-unit graph with four areas, the lazy evaluation
    /// gives the bound, the open hubs and the subgradient of reading every column, and every
    /// column it leaves unread holds a value at most the one read in full.
    #[test]
    fn lazy_reads_give_the_dual_of_full_reads() {
        let dir = tempfile::tempdir().unwrap();
        crate::generate::write(dir.path(), &crate::generate::generate(150, 11).unwrap()).unwrap();
        let inst = crate::instance::Instance::load(Some(dir.path())).unwrap();
        let mut sc = crate::scenario::Scenario::preset("hess").unwrap();
        sc.areas = Some(4);
        sc.balance.insert("population".into(), 0.1);
        sc.contiguity = false;
        let p = Problem::new(&inst, &sc).unwrap();
        let rel = Relaxation::new(&p, false).unwrap();
        let Method::Ralg(mut r) = rel.start().method else { panic!("150 units take the r-algorithm") };
        let (mut lazy, mut evals, mut unread) = (Lazy::default(), 0, 0);
        r.run(&super::super::ralg::Settings { max_evals: 300, deadline: Instant::now() + std::time::Duration::from_secs(30) }, |u| {
            let (d, g) = rel.evaluate(u, true, &mut lazy, false);
            let (f, gf) = rel.evaluate(u, true, &mut Lazy::default(), true);
            assert!(f.complete);
            assert!((d.bound - f.bound).abs() <= 1e-9 * f.bound.abs().max(1.0), "bound {} against {}", d.bound, f.bound);
            assert_eq!(d.open, f.open);
            assert_eq!(g, gf);
            for c in 0..rel.columns() {
                assert!(d.value[c] <= f.value[c], "column {c}: {} above its value {}", d.value[c], f.value[c]);
                unread += usize::from(d.value[c] != f.value[c]);
            }
            evals += 1;
            Some((d.bound, g?))
        });
        // The test has teeth only if columns were left unread.
        assert!(evals >= 100 && unread > 10 * evals, "{unread} columns unread in {evals} evaluations");
    }

    #[test]
    fn selection_respects_forced_hubs_and_counts() {
        let v = [3.0, -1.0, -2.0, 5.0, f64::INFINITY];
        assert_eq!(select(&v, &[false; 5], (1, 5)), Some(vec![2, 1]));
        assert_eq!(select(&v, &[false; 5], (3, 3)), Some(vec![2, 1, 0]));
        assert_eq!(select(&v, &[false, false, false, true, false], (2, 2)), Some(vec![3, 2]));
        assert_eq!(select(&v, &[false; 5], (5, 5)), None);
    }
}
