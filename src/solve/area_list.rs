//! Every connected area of one hub whose value at multipliers u (its cost less Σ u over its
//! units, as in `area_dual`) is at most a limit: the areas a partition below the incumbent may
//! use, once the limit is the gap left by the other hubs' least values (`set_columns`).
//!
//! The areas are grown from the hub as `area_dual_connected` grows them (`Grown`): each node
//! takes a unit of the frontier in or out for good, so each connected area containing the hub
//! and its fixed units is met exactly once, at the node where its last unit came in. A node is
//! cut off when the minorant of `area_pricing` over the units still reachable, a lower bound on
//! every area below it, passes the limit. Within the node and column budget the list is
//! complete; past it the caller learns that it is not.

use super::area_dual_connected::{Grown, State};
use super::area_pricing::{minorant, Hub, Pricing, Sums};
use crate::instance::adjacency::components;
use std::time::Instant;

/// One listed area: its value at u and its units as a bit mask (units below 128).
#[derive(Debug, Clone, Copy)]
pub(super) struct Listed {
    pub value: f64,
    pub mask: u128,
}

/// What the lists of one hub set may spend in all.
pub(super) struct Budget {
    pub nodes: usize,
    pub columns: usize,
    pub until: Instant,
}

/// Every connected area of hub `h` within the thresholds whose value at `u` is at most `limit`,
/// leaving out the units `outside` (the other hubs of the set, each in its own area); None when
/// the budget ran out first.
pub(super) fn list(d: &Pricing, h: &Hub, u: &[f64], neighbours: &[Vec<usize>], limit: f64, outside: &[usize], budget: &mut Budget) -> Option<Vec<Listed>> {
    let (mut g, sums) = Grown::new(d, h, u, neighbours);
    for k in 0..g.items.len() {
        if outside.contains(&g.items[k].unit) {
            g.state[k] = State::Out;
        }
    }
    let mut s = Lister { d, u, g, neighbours, limit, budget, out: Vec::new(), check_connected: !h.must.is_empty() };
    s.node(&sums, true).then_some(s.out)
}

struct Lister<'a, 'b> {
    d: &'a Pricing,
    u: &'a [f64],
    g: Grown<'a>,
    neighbours: &'a [Vec<usize>],
    limit: f64,
    budget: &'b mut Budget,
    out: Vec<Listed>,
    /// Units fixed to the hub start the area beside it and need not touch it: each listed area
    /// is checked for being connected.
    check_connected: bool,
}

impl Lister<'_, '_> {
    /// False when the budget ran out.
    fn node(&mut self, sums: &Sums, fresh: bool) -> bool {
        if fresh && !self.emit(sums) {
            return false;
        }
        let Some(branch) = self.g.reachable() else { return true };
        let rest = std::mem::take(&mut self.g.rest);
        let lb = minorant(self.d, sums, &rest, self.u, self.limit);
        self.g.rest = rest;
        if lb.is_none_or(|lb| lb > self.limit) {
            return true;
        }
        if self.budget.nodes == 0 || (self.budget.nodes % 1024 == 0 && Instant::now() >= self.budget.until) {
            return false;
        }
        self.budget.nodes -= 1;
        let it = self.g.items[branch];
        let mut with = sums.clone();
        with.add(it, self.u);
        if self.d.fits_max(&with) {
            self.g.state[branch] = State::In;
            if !self.node(&with, true) {
                return false;
            }
        }
        self.g.state[branch] = State::Out;
        let done = self.node(sums, false);
        self.g.state[branch] = State::Free;
        done
    }

    /// List the area as it stands when it meets the thresholds and the limit (false when the
    /// column budget ran out).
    fn emit(&mut self, sums: &Sums) -> bool {
        let d = self.d;
        if !d.fits(sums) {
            return true;
        }
        let value = d.value(sums);
        if value > self.limit {
            return true;
        }
        let units = self.g.units_in();
        if self.check_connected && components(self.neighbours, &units).len() > 1 {
            return true;
        }
        if self.budget.columns == 0 {
            return false;
        }
        self.budget.columns -= 1;
        let mask = units.into_iter().fold(0u128, |m, i| m | 1u128 << i);
        self.out.push(Listed { value, mask });
        true
    }
}
