//! A Lagrangian bound over whole areas for the employment model: the assignment rows
//! Σ_j x(i,j) = 1 relaxed with multipliers u(i), the problem falls apart by hub, and each hub's
//! subproblem keeps what the compact LP smooths away. An open hub pays the whole administration
//! cost, every unit is in or out, the advisers are whole (⌈jobseekers/caseload⌉, at least the
//! minimum) and the equalisation need is max(0, cost − funding) exactly; the size thresholds hold.
//! Contiguity is relaxed (the bound holds for every partition, connected or not).
//!
//! Each hub's subproblem is solved by a depth-first branch and bound over its units, at most a
//! node budget: the bound of every node cut off by the budget stands in for its subtree, so the
//! value returned is a lower bound whether or not the search finished. A node's bound minorises
//! the area cost by linear functions (max(0, z) ≥ θ·z for θ ∈ [0, 1]; the advisers at least those
//! of the units taken so far, or at least jobseekers/caseload) and relaxes the first unmet
//! minimum threshold to its LP (the greedy fractional knapsack).
//!
//! L(u) = Σ_i u(i) + the cheapest choice of open hubs (the count of areas and forced hubs
//! respected) of the hubs' values is a lower bound on the optimum for every u. The ascent is a
//! subgradient method with Polyak steps towards the incumbent, from the compact LP's duals of the
//! assignment rows.

use super::area_pricing::{Costs, Hub, Item, Pricing, Search, Sums};
use crate::problem::Problem;
use std::time::Instant;

/// The relaxation of one problem.
pub struct AreaDual {
    hubs: Vec<Hub>,
    pricing: Pricing,
    n: usize,
    areas: (usize, usize),
    forced: Vec<bool>,
    /// With contiguity, each hub's areas are grown as connected sets over these neighbours.
    neighbours: Option<Vec<Vec<usize>>>,
}

/// One evaluation: the bound (rounding margin taken off) and each open hub's area.
pub struct Evaluation {
    pub bound: f64,
    /// Each open hub with the units of its best area found (the subgradient's areas; empty
    /// when its search was cut off).
    pub areas: Vec<(usize, Vec<usize>)>,
}

impl AreaDual {
    /// The relaxation applies to `p`: employment terms, a caseload, non-negative weights,
    /// jobseekers and threshold attributes.
    pub fn covers(p: &Problem) -> bool {
        let sc = p.sc;
        if !sc.employment_terms() || !(sc.caseload > 0.0) || p.relax_staffing || [sc.travel_weight, sc.equalisation_weight, sc.production_weight, sc.staff_cost].iter().any(|w| !(*w >= 0.0)) {
            return false;
        }
        (0..p.n).all(|i| p.jobseekers[i] >= 0.0 && p.thresholds.iter().all(|t| p.value(i, t.attr) >= 0.0))
    }

    /// The relaxation of `p`, or None when it does not apply (see `covers`).
    pub fn new(p: &Problem) -> Option<AreaDual> {
        if !Self::covers(p) {
            return None;
        }
        let sc = p.sc;
        let attrs = |i: usize| p.thresholds.iter().map(|t| p.value(i, t.attr)).collect::<Vec<f64>>();
        let item = |i: usize, j: usize| Item { unit: i, travel: sc.travel_weight * p.travel[i][j], jobseekers: p.jobseekers[i], funding: p.funding[i], attrs: attrs(i) };
        let hubs = p
            .hubs()
            .into_iter()
            .map(|j| {
                let (must, items): (Vec<Item>, Vec<Item>) = (0..p.n).filter(|&i| i != j && p.allowed[i][j]).map(|i| item(i, j)).partition(|it| p.fixed[it.unit] == Some(j));
                Hub { hub: j, own: item(j, j), must, items }
            })
            .collect();
        let costs = Costs {
            admin: sc.area_admin_cost(),
            staff: sc.staff_cost,
            service: sc.service_cost,
            caseload: sc.caseload,
            min_staff: sc.min_staff.ceil(),
            eq_w: sc.equalisation_weight,
            prod_w: sc.production_weight,
        };
        let windows = p.thresholds.iter().map(|t| (t.min, t.max)).collect();
        let neighbours = p.sc.contiguity.then(|| p.nb.clone());
        Some(AreaDual { hubs, pricing: Pricing { costs, windows, node_limit: NODE_LIMIT }, n: p.n, areas: p.areas, forced: p.forced_hub.clone(), neighbours })
    }

    /// Each hub's subproblem, the area cost and thresholds, and the neighbours (with contiguity).
    pub(super) fn parts(&self) -> (&[Hub], &Pricing, Option<&[Vec<usize>]>) {
        (&self.hubs, &self.pricing, self.neighbours.as_deref())
    }

    /// Set the node budget of each hub's search (2 000 by default).
    pub fn set_node_limit(&mut self, nodes: usize) {
        self.pricing.node_limit = nodes;
    }

    /// L(u) and the areas behind it (bound −∞ when no choice of hubs is feasible).
    pub fn evaluate(&self, u: &[f64], parallel: bool) -> Evaluation {
        self.evaluate_with(u, parallel, &mut vec![Vec::new(); self.hubs.len()])
    }

    /// As `evaluate`, each hub's search starting from its area in `hints` (the last
    /// evaluation's, updated here). One by one (not `parallel`), the hubs go cheapest hint
    /// first, and each search stops at the value above which its hub cannot be chosen (see
    /// `cutoff`); that value stands in for a higher one, which keeps L(u) a lower bound.
    pub fn evaluate_with(&self, u: &[f64], parallel: bool, hints: &mut [Vec<usize>]) -> Evaluation {
        let solve = |c: usize, cutoff: f64, hint: &[usize]| self.hub_search(c, u, cutoff, hint);
        let each: Vec<(f64, Vec<usize>)> = if parallel {
            use rayon::prelude::*;
            (0..self.hubs.len()).into_par_iter().map(|c| solve(c, f64::INFINITY, &hints[c])).collect()
        } else {
            let mut order: Vec<(f64, usize)> = (0..self.hubs.len()).map(|c| (self.hint_value(c, u, &hints[c]), c)).collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let mut each = vec![(f64::INFINITY, Vec::new()); self.hubs.len()];
            let mut found: Vec<f64> = Vec::new();
            for (_, c) in order {
                let forced = self.forced[self.hubs[c].hub];
                let cut = if forced { f64::INFINITY } else { self.cutoff(&found) };
                each[c] = solve(c, cut, &hints[c]);
                if !forced {
                    let at = found.partition_point(|&v| v < each[c].0);
                    found.insert(at, each[c].0);
                }
            }
            each
        };
        for (hint, e) in hints.iter_mut().zip(&each).filter(|(_, e)| !e.1.is_empty()) {
            if !e.1.is_empty() {
                *hint = e.1.clone();
            }
        }
        let value: Vec<f64> = each.iter().map(|e| e.0).collect();
        let forced: Vec<bool> = self.hubs.iter().map(|h| self.forced[h.hub]).collect();
        // A hub cut off at its stand-in value (no area of its own found below it) gives way to
        // a hub of the same value that has one: the choice is the same sum, and its areas are
        // the subgradient's.
        let order: Vec<f64> = each.iter().map(|e| if e.1.is_empty() && e.0.is_finite() { e.0 + 1e-9 * e.0.abs().max(1.0) } else { e.0 }).collect();
        let Some(open) = super::lagrange::select(&order, &forced, self.areas) else {
            // No feasible choice of hubs: no partition exists.
            return Evaluation { bound: f64::INFINITY, areas: Vec::new() };
        };
        let sum: f64 = u.iter().sum::<f64>() + open.iter().map(|&c| value[c]).sum::<f64>();
        // Each value sums at most n + 1 terms of size at most its area's costs and multipliers.
        let scale: f64 = u.iter().map(|x| x.abs()).sum::<f64>() + open.iter().map(|&c| value[c].abs()).sum::<f64>();
        // (Twice: the order of choice may nudge a value by 10⁻⁹ of it.)
        let margin = 2e-9 * scale + 1e-9;
        Evaluation { bound: sum - margin, areas: open.iter().map(|&c| (self.hubs[c].hub, each[c].1.clone())).collect() }
    }

    /// The search of the hub at `c` at u (see `evaluate_with`): its value and best area.
    fn hub_search(&self, c: usize, u: &[f64], cutoff: f64, hint: &[usize]) -> (f64, Vec<usize>) {
        let h = &self.hubs[c];
        match &self.neighbours {
            Some(nb) => super::area_dual_connected::run(&self.pricing, h, u, nb, cutoff, hint),
            None => Search::run(&self.pricing, h, u, cutoff),
        }
    }

    /// Each hub with its value at u, searched with no cutoff: a lower bound on the least cost
    /// less Σ u of its areas (∞ when it has none).
    pub fn hub_values(&self, u: &[f64]) -> Vec<(usize, f64)> {
        self.hub_values_of(u, |_| true)
    }

    /// As `hub_values`, for the hubs `wanted` keeps only.
    pub fn hub_values_of(&self, u: &[f64], wanted: impl Fn(usize) -> bool) -> Vec<(usize, f64)> {
        (0..self.hubs.len()).filter(|&c| wanted(self.hubs[c].hub)).map(|c| (self.hubs[c].hub, self.hub_search(c, u, f64::INFINITY, &[]).0)).collect()
    }

    /// The value above which a hub that is not forced cannot be chosen, given the values `found`
    /// (increasing) of the hubs that are not forced: the (lo − forced)-th least, or a negative
    /// one among the (hi − forced) least.
    fn cutoff(&self, found: &[f64]) -> f64 {
        let forced = self.hubs.iter().filter(|h| self.forced[h.hub]).count();
        let nth = |m: usize| if m == 0 { f64::NEG_INFINITY } else { found.get(m - 1).copied().unwrap_or(f64::INFINITY) };
        nth(self.areas.0.saturating_sub(forced)).max(nth(self.areas.1.saturating_sub(forced)).min(0.0))
    }

    /// The value of hub c's area `hint` at u (∞ without one).
    fn hint_value(&self, c: usize, u: &[f64], hint: &[usize]) -> f64 {
        if hint.is_empty() {
            return f64::INFINITY;
        }
        let h = &self.hubs[c];
        let mut sums = Sums::zero(self.pricing.windows.len());
        for it in std::iter::once(&h.own).chain(&h.must).chain(&h.items).filter(|it| hint.contains(&it.unit)) {
            sums.add(it, u);
        }
        self.pricing.value(&sums)
    }

    /// The best bound of an ascent (Shor's r-algorithm, see `ralg`) from `u` towards `target`
    /// (it stops there), at most `max_evals` evaluations or until `deadline`, or once `STALL`
    /// evaluations have raised the bound by less than `STALL_GAIN` of it; with the number of
    /// evaluations and a partition when the areas of an evaluation partition the units (the
    /// subgradient is then zero: the bound is that partition's cost).
    pub fn ascend(&self, u: Vec<f64>, target: f64, deadline: Instant, max_evals: usize, parallel: bool) -> Ascent {
        let mean = u.iter().map(|x| x.abs()).sum::<f64>() / self.n.max(1) as f64;
        let mut r = super::ralg::Ralg::new(u, 0.1 * mean.max(1.0) * (self.n as f64).sqrt());
        let mut out = Ascent { bound: f64::NEG_INFINITY, evaluations: 0, partition: None };
        let settings = super::ralg::Settings { max_evals, deadline };
        let mut hints = vec![Vec::new(); self.hubs.len()];
        let mut history: Vec<f64> = Vec::new();
        r.run(&settings, |u| {
            out.evaluations += 1;
            let e = self.evaluate_with(u, parallel, &mut hints);
            out.bound = out.bound.max(e.bound);
            history.push(out.bound);
            let stalled = history.len() > STALL && out.bound - history[history.len() - 1 - STALL] < STALL_GAIN * out.bound.abs();
            if !e.bound.is_finite() || out.bound >= target || stalled {
                return None;
            }
            let mut g = vec![1.0; self.n];
            let mut hub_of = vec![usize::MAX; self.n];
            for (hub, area) in &e.areas {
                area.iter().for_each(|&i| {
                    g[i] -= 1.0;
                    hub_of[i] = *hub;
                });
            }
            if g.iter().all(|&x| x == 0.0) {
                out.partition = Some(hub_of);
                return None;
            }
            Some((e.bound, g))
        });
        out
    }
}

/// What an ascent reached.
#[derive(Debug, Clone)]
pub struct Ascent {
    pub bound: f64,
    pub evaluations: usize,
    /// A partition whose areas the dual chose (each its hub's best area, every unit in one).
    pub partition: Option<Vec<usize>>,
}

/// An ascent ends when the last `STALL` evaluations raised its bound by less than `STALL_GAIN`
/// of it.
const STALL: usize = 20;
const STALL_GAIN: f64 = 1e-5;

/// Nodes of each hub's search.
const NODE_LIMIT: usize = 2000;

