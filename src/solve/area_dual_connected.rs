//! One hub's subproblem of `area_dual` with contiguity (pieces from `area_pricing`): the area is grown from its hub as a
//! connected set. Each node takes a unit of the frontier (a free unit next to the area) in or
//! out for good; its bound is the minorant of `area_dual` over the free units still reachable
//! from the area through free units, since a connected completion can add no other.
//! `area_list` grows the same areas (`Grown`) to list them all.

use super::area_pricing::{minorant, Hub, Item, Pricing, Sums, Track};
use super::local_search::units;

#[derive(Clone, Copy, PartialEq)]
pub(super) enum State {
    Free,
    In,
    Out,
}

/// One hub's area as it is grown: its units (the hub first, then those fixed to it, then the
/// others), their neighbours among them, each one's state, and the order of the frontier.
pub(super) struct Grown<'a> {
    pub(super) items: Vec<&'a Item>,
    pub(super) nb: Vec<Vec<usize>>,
    /// The same neighbours as bit masks, when there are at most 128 items.
    nb_mask: Option<Vec<u128>>,
    pub(super) state: Vec<State>,
    /// Each item's cost with advisers and equalisation at their per-jobseeker rate (the order
    /// in which the frontier is taken).
    order_cost: Vec<f64>,
    /// Scratch of `reachable`: the units seen, the queue, and the reachable items.
    seen: Vec<bool>,
    queue: Vec<usize>,
    pub(super) rest: Vec<&'a Item>,
}

impl<'a> Grown<'a> {
    /// The hub and its fixed units in, the others free; and the sums of the units in.
    pub(super) fn new(d: &Pricing, h: &'a Hub, u: &[f64], neighbours: &[Vec<usize>]) -> (Grown<'a>, Sums) {
        let mut items: Vec<&Item> = vec![&h.own];
        items.extend(h.must.iter());
        items.extend(h.items.iter());
        let mut local = std::collections::HashMap::new();
        for (k, it) in items.iter().enumerate() {
            local.insert(it.unit, k);
        }
        let nb: Vec<Vec<usize>> = items.iter().map(|it| neighbours[it.unit].iter().filter_map(|v| local.get(v).copied()).collect()).collect();
        let order_cost = items.iter().map(|it| d.costs.linear(it, u)).collect();
        let mut state = vec![State::Free; items.len()];
        let mut sums = Sums::zero(d.windows.len());
        for (k, it) in items.iter().enumerate().take(1 + h.must.len()) {
            state[k] = State::In;
            sums.add(it, u);
        }
        let nb_mask = (items.len() <= 128).then(|| nb.iter().map(|v| v.iter().fold(0u128, |m, &k| m | 1 << k)).collect());
        (Grown { items, nb, nb_mask, state, order_cost, seen: Vec::new(), queue: Vec::new(), rest: Vec::new() }, sums)
    }

    /// The units in.
    pub(super) fn units_in(&self) -> Vec<usize> {
        (0..self.items.len()).filter(|&k| self.state[k] == State::In).map(|k| self.items[k].unit).collect()
    }

    /// `reachable` on bit masks (at most 128 items; `rest` then in the order of the items).
    fn reachable_by_masks(&mut self) -> Option<usize> {
        let Some(nbm) = self.nb_mask.as_deref() else { return None };
        let (mut inside, mut free) = (0u128, 0u128);
        for (k, st) in self.state.iter().enumerate() {
            match st {
                State::In => inside |= 1 << k,
                State::Free => free |= 1 << k,
                State::Out => {}
            }
        }
        let spread = |from: u128| units(from).fold(0u128, |m, k| m | nbm[k]);
        let frontier = spread(inside) & free;
        let (mut reach, mut new) = (frontier, frontier);
        while new != 0 {
            new = spread(new) & free & !reach;
            reach |= new;
        }
        self.rest.clear();
        self.rest.extend(units(reach).map(|k| self.items[k]));
        units(frontier).min_by(|&a, &b| self.order_cost[a].total_cmp(&self.order_cost[b]).then(a.cmp(&b)))
    }

    /// The free units reachable from the area through free units (into `rest`), and the one of
    /// them next to the area to branch on (None when there is none).
    pub(super) fn reachable(&mut self) -> Option<usize> {
        if self.nb_mask.is_some() {
            return self.reachable_by_masks();
        }
        let n = self.items.len();
        self.seen.clear();
        self.seen.resize(n, false);
        self.queue.clear();
        self.rest.clear();
        for k in (0..n).filter(|&k| self.state[k] == State::In) {
            self.seen[k] = true;
            self.queue.push(k);
        }
        let mut branch: Option<usize> = None;
        let mut at = 0;
        while at < self.queue.len() {
            let k = self.queue[at];
            at += 1;
            for &v in &self.nb[k] {
                if !self.seen[v] && self.state[v] == State::Free {
                    self.seen[v] = true;
                    // Found from the area itself: on its frontier.
                    if self.state[k] == State::In && branch.is_none_or(|b| self.order_cost[v].total_cmp(&self.order_cost[b]).then(v.cmp(&b)).is_lt()) {
                        branch = Some(v);
                    }
                    self.rest.push(self.items[v]);
                    self.queue.push(v);
                }
            }
        }
        branch
    }
}

struct Search<'a> {
    d: &'a Pricing,
    u: &'a [f64],
    g: Grown<'a>,
    track: Track,
}

/// The hub's value (a lower bound on its connected subproblem) and the best area found.
pub(super) fn run(d: &Pricing, h: &Hub, u: &[f64], neighbours: &[Vec<usize>], cutoff: f64, hint: &[usize]) -> (f64, Vec<usize>) {
    let (g, sums) = Grown::new(d, h, u, neighbours);
    // The last evaluation's area first (connected and within the windows: found by this search).
    let mut track = Track::new(cutoff, f64::INFINITY, Vec::new());
    if !hint.is_empty() {
        let mut at = Sums::zero(d.windows.len());
        g.items.iter().filter(|it| hint.contains(&it.unit)).for_each(|it| at.add(it, u));
        track = Track::new(cutoff, d.value(&at), hint.to_vec());
    }
    let mut s = Search { d, u, g, track };
    s.node(&sums);
    s.track.result()
}

impl<'a> Search<'a> {
    fn node(&mut self, sums: &Sums) {
        let d = self.d;
        let g = &self.g;
        self.track.offer(d, sums, || g.units_in());
        let Some(branch) = self.g.reachable() else { return };
        let rest = std::mem::take(&mut self.g.rest);
        let lb = minorant(d, sums, &rest, self.u, self.track.stop());
        self.g.rest = rest;
        let Some(lb) = lb else { return };
        if !self.track.branch(lb, d.node_limit) {
            return;
        }
        let it = self.g.items[branch];
        let mut with = sums.clone();
        with.add(it, self.u);
        if d.fits_max(&with) {
            self.g.state[branch] = State::In;
            self.node(&with);
        }
        self.g.state[branch] = State::Out;
        self.node(sums);
        self.g.state[branch] = State::Free;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk on bit masks and the walk over a queue find the same free units reachable from
    /// the area and the same unit to branch on, for every hub of generated instances and random
    /// states of their units (a small xorshift, so that the test is repeatable).
    #[test]
    fn masks_and_queue_reach_the_same_units() {
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng
        };
        let (mut compared, mut branched) = (0, 0);
        for (n, seed) in [(20usize, 1u64), (40, 2), (60, 3)] {
            let dir = tempfile::tempdir().unwrap();
            crate::generate::write(dir.path(), &crate::generate::generate(n, seed).unwrap()).unwrap();
            let inst = crate::instance::Instance::load(Some(dir.path())).unwrap();
            let sc = crate::scenario::Scenario::default();
            let p = crate::problem::Problem::new(&inst, &sc).unwrap();
            let d = super::super::area_dual::AreaDual::new(&p).unwrap();
            let (hubs, pricing, nb) = d.parts();
            let nb = nb.unwrap();
            let u = vec![0.0; p.n];
            for h in hubs {
                for _ in 0..20 {
                    let (mut g, _) = Grown::new(pricing, h, &u, nb);
                    assert!(g.nb_mask.is_some());
                    for k in 1 + h.must.len()..g.items.len() {
                        g.state[k] = match next() % 4 {
                            0 => State::In,
                            1 => State::Out,
                            _ => State::Free,
                        };
                    }
                    let by_masks = g.reachable();
                    let mut masked: Vec<usize> = g.rest.iter().map(|it| it.unit).collect();
                    let mask = g.nb_mask.take();
                    let by_queue = g.reachable();
                    let mut queued: Vec<usize> = g.rest.iter().map(|it| it.unit).collect();
                    g.nb_mask = mask;
                    masked.sort_unstable();
                    queued.sort_unstable();
                    assert_eq!(by_masks, by_queue, "hub {}: branch", h.hub);
                    assert_eq!(masked, queued, "hub {}: reachable units", h.hub);
                    compared += 1;
                    branched += usize::from(by_masks.is_some());
                }
            }
        }
        assert!(compared >= 1000 && branched * 4 >= compared, "{compared} states, {branched} with a branch: the test would test little");
    }
}
