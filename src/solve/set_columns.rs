//! A hub set settled by its columns, without a MIP: the issue's "enumerate every column whose
//! reduced cost is within the gap, then solve that set partitioning", for one set of open hubs.
//!
//! With the hubs of the set fixed open and the assignment rows priced at u (the set's LP duals),
//! every partition costs Σ u(i) + Σ over its hubs of (its area's cost − Σ u over the area), and
//! each hub's term is at least v(j), a lower bound on its best area at u (its LP part or the
//! integer search of `area_dual`, whichever is larger). So in a partition below the incumbent's
//! `ub`, hub j's area has a value of at most
//!
//!   v(j) + gap,   gap = ub − Σ u(i) − Σ_j v(j),
//!
//! and `area_list` lists every connected area within that, hub by hub, the hubs with fewest units
//! first; the least value listed then replaces v(j), which narrows the gap for the hubs after it.
//! The hub with the most units is not listed: its area is what the others leave (`Rest`). The
//! cover search takes one listed area per listed hub, disjoint, the cheapest first and cut off by
//! the least values of the hubs still open, and the units left as the last hub's area when that is
//! one of its areas: the cheapest partition of the set below `ub`, or proof that there is none.
//! Each area is connected and meets every threshold, and its cost is MODEL.md's, so the partition
//! is the set's optimum; it is checked against the model before it is returned.
//!
//! When the lists or the cover would pass their budgets (a wide gap, large areas) the set goes to
//! its MIP as before. On the sweep's scenarios some sets' MIPs needed up to seven contiguity
//! rounds, each a new branch and bound in HiGHS; here contiguity costs nothing more.

use super::area_dual::AreaDual;
use super::area_list::{list, Budget, Listed};
use super::area_pricing::{Pricing, Sums};
use super::{Outcome, SolveOptions};
use crate::error::Result;
use crate::instance::adjacency::components;
use crate::problem::Problem;
use crate::solution::{evaluate, Status};
use std::time::Instant;

/// The prices of one set's LP: the duals u(i) of its assignment rows and, for each of its hubs,
/// a lower bound on its best area at u.
#[derive(Debug, Clone)]
pub(super) struct Prices {
    pub u: Vec<f64>,
    pub values: Vec<(usize, f64)>,
}

/// What the columns settled.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Settled {
    /// No partition of the set costs less than `ub`.
    Nothing,
    /// The set's cheapest partition (objective, hub per unit), below `ub`.
    Best(f64, Vec<usize>),
}

/// HiGHS's status when the columns settled a set (HiGHS did not run).
pub const BY_SET_COLUMNS: &str = "not run: every area within the gap listed, exact cover";

/// Areas listed for one set, at most (in all its hubs).
const MAX_COLUMNS: usize = 200_000;
/// Nodes of the listing searches, at most (in all the set's hubs). A node costs one to two µs on
/// this machine; a set whose MIP settles in one round takes 10–50 ms, one that needs several rounds
/// up to 2 s. With three large areas (labour force ≥ 30 000), the lists took 15 000–50 000 nodes
/// and lost to one-round MIPs; the sets that needed several rounds listed in under 2 000.
const MAX_NODES: usize = 10_000;
/// Nodes of the cover search, at most.
const MAX_COVER_NODES: usize = 1_000_000;

/// Solve the problem `q` of one hub set (its hubs fixed open) against the cutoff of `opts`: by its
/// columns when `prices` are known and the budgets hold, else by `solve` (its MIP).
pub(super) fn solve_set(q: &Problem, prices: Option<&Prices>, opts: &SolveOptions) -> Result<Outcome> {
    let t0 = Instant::now();
    let beside = opts.shared_cutoff.as_ref().map(|b| b.get());
    let ub = opts.cutoff.into_iter().chain(beside).fold(f64::INFINITY, f64::min);
    let until = t0 + std::time::Duration::from_secs_f64(opts.time_limit.unwrap_or(f64::INFINITY).clamp(0.0, 1e6));
    if let Some(pr) = prices.filter(|_| opts.set_columns && ub.is_finite()) {
        match settle(q, pr, ub, until) {
            Some(Settled::Best(obj, h)) => return Ok(Outcome::of(Status::Optimal, Some((obj, h)), Some(obj), t0, BY_SET_COLUMNS.into())),
            Some(Settled::Nothing) => return Ok(Outcome::of(Status::Infeasible, None, Some(ub), t0, BY_SET_COLUMNS.into())),
            None => {}
        }
    }
    super::solve(q, opts)
}

/// Settle the set of `q` (every candidate hub of `q` open) against `ub` by its columns, or None
/// when the method does not apply or a budget ran out.
pub(super) fn settle(q: &Problem, prices: &Prices, ub: f64, until: Instant) -> Option<Settled> {
    if !q.sc.contiguity || q.n > 128 {
        return None;
    }
    let d = AreaDual::new(q)?;
    let (hubs, pricing, neighbours) = d.parts();
    let neighbours = neighbours?;
    let set: Vec<usize> = hubs.iter().map(|h| h.hub).collect();
    if set.is_empty() || q.areas != (set.len(), set.len()) || set.iter().any(|&j| !q.forced_hub[j]) || prices.u.len() != q.n {
        return None;
    }
    let mut least: Vec<f64> = set.iter().map(|&j| prices.values.iter().find(|x| x.0 == j).map_or(f64::NEG_INFINITY, |x| x.1)).collect();
    if least.iter().any(|x| !x.is_finite()) {
        return None;
    }
    // The values sum a few thousand terms of these magnitudes: a generous rounding margin, which
    // lists a few areas more and never one less.
    let margin = 1e-8 * (prices.u.iter().map(|x| x.abs()).sum::<f64>() + least.iter().map(|x| x.abs()).sum::<f64>() + ub.abs()) + 1e-6;
    let target = super::outcome::below(ub) - prices.u.iter().sum::<f64>() + margin;
    // The hub with the most units it may take is not listed: its area is what the others leave.
    // The others are listed in order of their units, fewest first.
    let mut order: Vec<usize> = (0..set.len()).collect();
    order.sort_by_key(|&c| (hubs[c].items.len(), c));
    let last = order.pop()?;
    let mut budget = Budget { nodes: MAX_NODES, columns: MAX_COLUMNS, until };
    let mut lists: Vec<Vec<Listed>> = vec![Vec::new(); set.len()];
    for &c in &order {
        let others: f64 = least.iter().enumerate().filter(|&(o, _)| o != c).map(|(_, x)| x).sum();
        let outside: Vec<usize> = set.iter().copied().filter(|&j| j != hubs[c].hub).collect();
        lists[c] = list(pricing, &hubs[c], &prices.u, neighbours, target - others, &outside, &mut budget)?;
        if lists[c].is_empty() {
            return Some(Settled::Nothing);
        }
        // The least value listed is the hub's least: a narrower gap for the hubs after it.
        least[c] = lists[c].iter().map(|a| a.value).fold(f64::INFINITY, f64::min);
    }
    let total: f64 = least.iter().sum();
    for &c in &order {
        let room = target - (total - least[c]);
        lists[c].retain(|a| a.value <= room);
        lists[c].sort_by(|a, b| a.value.total_cmp(&b.value));
    }
    let all = if q.n == 128 { u128::MAX } else { (1u128 << q.n) - 1 };
    let rest = Rest::new(q, pricing, &hubs[last], &prices.u, neighbours);
    let mut cover = Cover { lists: &lists, order: &order, least: &least, rest, all, best: target, pick: vec![usize::MAX; set.len()], best_pick: None, nodes: MAX_COVER_NODES };
    if !cover.visit(0, 0, 0.0, total) {
        return None;
    }
    let Some((pick, rest_mask)) = cover.best_pick else { return Some(Settled::Nothing) };
    let mut h = vec![usize::MAX; q.n];
    for (c, l) in lists.iter().enumerate() {
        let mask = if c == last { rest_mask } else { l[pick[c]].mask };
        (0..q.n).filter(|&i| mask >> i & 1 == 1).for_each(|i| h[i] = set[c]);
    }
    // The model's own checks: every threshold, contiguity, the pairs allowed.
    if h.contains(&usize::MAX) || !super::heuristic::feasible(q, &h) || !crate::model::contiguity::separate(q, &h).is_empty() {
        return None;
    }
    let obj = evaluate(q, &h).objective;
    Some(if obj < super::outcome::below(ub) { Settled::Best(obj, h) } else { Settled::Nothing })
}

/// The hub left unlisted: its area is the units the others leave, when that is one of its areas.
struct Rest<'a> {
    d: &'a Pricing,
    u: &'a [f64],
    /// Each unit as the hub sees it (None: it may not join).
    item: Vec<Option<&'a super::area_pricing::Item>>,
    /// The hub and its fixed units.
    must: u128,
    neighbours: &'a [Vec<usize>],
}

impl<'a> Rest<'a> {
    fn new(q: &Problem, d: &'a Pricing, h: &'a super::area_pricing::Hub, u: &'a [f64], neighbours: &'a [Vec<usize>]) -> Rest<'a> {
        let mut item = vec![None; q.n];
        let mut must = 1u128 << h.hub;
        for it in std::iter::once(&h.own).chain(&h.must).chain(&h.items) {
            item[it.unit] = Some(it);
        }
        h.must.iter().for_each(|it| must |= 1u128 << it.unit);
        Rest { d, u, item, must, neighbours }
    }

    /// The value of the area `mask` at u, when it is one of the hub's areas (its units allowed,
    /// its fixed units in, connected, within the thresholds).
    fn value(&self, mask: u128) -> Option<f64> {
        if mask & self.must != self.must {
            return None;
        }
        let mut sums = Sums::zero(self.d.windows.len());
        let mut units = Vec::new();
        for (i, it) in self.item.iter().enumerate().filter(|&(i, _)| mask >> i & 1 == 1) {
            sums.add((*it)?, self.u);
            units.push(i);
        }
        (self.d.fits(&sums) && components(self.neighbours, &units).len() == 1).then(|| self.d.value(&sums))
    }
}

/// The cover search: one listed area for each hub of `order` in turn, disjoint, then the units
/// left as the last hub's area, at the least total value.
struct Cover<'l> {
    lists: &'l [Vec<Listed>],
    order: &'l [usize],
    /// Each hub's least value (a bound on what it adds while its area is not chosen).
    least: &'l [f64],
    rest: Rest<'l>,
    all: u128,
    /// The least total found (at first the target: only covers below it matter).
    best: f64,
    pick: Vec<usize>,
    /// The best choice found, and the last hub's area in it.
    best_pick: Option<(Vec<usize>, u128)>,
    nodes: usize,
}

impl Cover<'_> {
    /// Choose the area of `order[at]` and the hubs after it, the units `covered` taken by areas
    /// worth `acc`, the hubs not yet given one worth at least `open`. False when the node budget ran out.
    fn visit(&mut self, at: usize, covered: u128, acc: f64, open: f64) -> bool {
        if at == self.order.len() {
            let left = self.all & !covered;
            if let Some(v) = self.rest.value(left).filter(|v| acc + v < self.best) {
                self.best = acc + v;
                self.best_pick = Some((self.pick.clone(), left));
            }
            return true;
        }
        if self.nodes == 0 {
            return false;
        }
        self.nodes -= 1;
        let c = self.order[at];
        let others = open - self.least[c];
        for k in 0..self.lists[c].len() {
            let a = self.lists[c][k];
            if acc + a.value + others >= self.best {
                break;
            }
            if a.mask & covered != 0 {
                continue;
            }
            self.pick[c] = k;
            if !self.visit(at + 1, covered | a.mask, acc + a.value, others) {
                return false;
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::contiguity::separate;

    /// The cheapest partition of `q` (its hubs fixed open) by trying every assignment of the
    /// other units to them, checked by the heuristic's feasibility test and the separator search.
    fn brute(q: &Problem, set: &[usize]) -> Option<f64> {
        let free: Vec<usize> = (0..q.n).filter(|i| !set.contains(i)).collect();
        let mut best: Option<f64> = None;
        for code in 0..set.len().pow(free.len() as u32) {
            let mut h: Vec<usize> = (0..q.n).collect();
            let mut c = code;
            for &i in &free {
                h[i] = set[c % set.len()];
                c /= set.len();
            }
            if super::super::heuristic::feasible(q, &h) && separate(q, &h).is_empty() {
                let obj = evaluate(q, &h).objective;
                best = Some(best.map_or(obj, |b: f64| b.min(obj)));
            }
        }
        best
    }

    /// On generated instances of nine units, for every set of two or three hubs, at multipliers
    /// from zero to large: against a cutoff above the brute-force optimum of the set the columns
    /// find that optimum; against the optimum itself they find nothing; a set with no partition
    /// gives nothing. The lower bounds handed in are the integer search's at a small budget.
    #[test]
    fn the_columns_agree_with_brute_force_on_every_hub_set() {
        let (mut found, mut nothing) = (0, 0);
        for seed in 1..=4u64 {
            let dir = tempfile::tempdir().unwrap();
            crate::generate::write(dir.path(), &crate::generate::generate(9, seed).unwrap()).unwrap();
            let inst = crate::instance::Instance::load(Some(dir.path())).unwrap();
            let lf = inst.total(inst.attribute("labour_force").unwrap());
            for k in [2usize, 3] {
                let mut sc = crate::scenario::Scenario::default();
                sc.min.insert("labour_force".into(), lf / (k as f64 + 1.5));
                let p = Problem::new(&inst, &sc).unwrap();
                let hubs = p.hubs();
                let mut sets: Vec<Vec<usize>> = Vec::new();
                for (x, &a) in hubs.iter().enumerate() {
                    for (y, &b) in hubs.iter().enumerate().skip(x + 1) {
                        if k == 2 {
                            sets.push(vec![a, b]);
                        } else {
                            hubs.iter().skip(y + 1).for_each(|&c| sets.push(vec![a, b, c]));
                        }
                    }
                }
                for (t, set) in sets.iter().enumerate() {
                    let mut q = p.with_exactly_hubs(set);
                    q.reduce();
                    let scale = [0.0, 1e4, 1e5, 1e6][t % 4];
                    let u: Vec<f64> = (0..q.n).map(|i| scale * (((i * 7 + t * 3) % 11) as f64 / 11.0 - 0.3)).collect();
                    let mut d = AreaDual::new(&q).unwrap();
                    d.set_node_limit(3);
                    let prices = Prices { values: d.hub_values(&u), u };
                    let until = Instant::now() + std::time::Duration::from_secs(10);
                    match brute(&q, set) {
                        Some(opt) => {
                            let got = settle(&q, &prices, opt + 1.0 + 1e-6 * opt.abs(), until);
                            let Some(Settled::Best(obj, h)) = got else { panic!("seed {seed}, set {set:?}: {got:?}, brute force {opt}") };
                            assert!((obj - opt).abs() <= 1e-6 * opt.abs(), "seed {seed}, set {set:?}: {obj} against brute force {opt}");
                            assert!(super::super::heuristic::feasible(&q, &h) && separate(&q, &h).is_empty());
                            assert_eq!(settle(&q, &prices, opt, until), Some(Settled::Nothing), "seed {seed}, set {set:?}: below its optimum");
                            found += 1;
                        }
                        None => {
                            assert_eq!(settle(&q, &prices, 1e12, until), Some(Settled::Nothing), "seed {seed}, set {set:?}: no partition");
                            nothing += 1;
                        }
                    }
                }
            }
        }
        assert!(found >= 40 && nothing >= 5, "{found} sets with a partition, {nothing} without: the test would test little");
    }
}
