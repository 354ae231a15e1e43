//! Iterated local search for a partition with a fixed number of areas (a primal heuristic, as
//! HiGHS's `HighsPrimalHeuristics` holds several): from a feasible partition, descend by moving
//! boundary units between neighbouring areas (a hub too: its area then takes its best other
//! member as hub), exchanging two units across a border and re-choosing each area's hub; then
//! kick the best partition with a few random feasible moves and descend again, keeping what beats
//! it. Moves of single units alone stall where the minimums are tight: an area at its minimum can
//! give nothing away, and an area of one unit is stuck with it.
//!
//! Areas are bit sets with their sums kept, so a move is priced in constant time and its areas'
//! connectivity checked without allocating. The search is repeatable: a fixed number of kicks
//! from a fixed seed, never a clock (a sweep's results must not depend on the machine's speed); a
//! deadline only guards against a slow machine.

use crate::problem::Problem;
use crate::solution::area_cost_of_sums;
use std::time::Instant;

/// The largest graph the search takes (its areas are sets of at most 128 units); the split by
/// number of areas, which calls it, stops at 100.
pub const MAX_UNITS: usize = 128;

fn bit(i: usize) -> u128 {
    1u128 << i
}

/// The units of a set, in increasing order.
pub(super) fn units(mut mask: u128) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (mask != 0).then(|| {
            let i = mask.trailing_zeros() as usize;
            mask &= mask - 1;
            i
        })
    })
}

/// An area's sums: travel to its hub (weighted as in the objective's travel term), jobseekers,
/// funding, and each threshold's attribute.
#[derive(Clone, Default)]
struct Sums {
    travel: f64,
    jobseekers: f64,
    funding: f64,
    attrs: Vec<f64>,
}

/// The problem as the search sees it: each unit's neighbours as a set.
struct Graph<'p, 'a> {
    p: &'p Problem<'a>,
    nb: Vec<u128>,
}

impl Graph<'_, '_> {
    /// Whether the units of `mask` induce a connected subgraph (always, without contiguity).
    fn connected(&self, mask: u128) -> bool {
        if !self.p.sc.contiguity || mask == 0 {
            return true;
        }
        let first = mask.trailing_zeros() as usize;
        let (mut seen, mut stack, mut top) = (bit(first), [0u8; MAX_UNITS], 1);
        stack[0] = first as u8;
        while top > 0 {
            top -= 1;
            let mut new = self.nb[stack[top] as usize] & mask & !seen;
            seen |= new;
            while new != 0 {
                stack[top] = new.trailing_zeros() as u8;
                top += 1;
                new &= new - 1;
            }
        }
        seen == mask
    }

    fn sums(&self, hub: usize, mask: u128) -> Sums {
        let p = self.p;
        let mut s = Sums { attrs: vec![0.0; p.thresholds.len()], ..Sums::default() };
        for i in units(mask) {
            s = self.plus(s, hub, i, 1.0);
        }
        s
    }

    /// `s` with unit `i` added (`sign` 1) or taken away (−1), in an area with hub `hub`.
    fn plus(&self, mut s: Sums, hub: usize, i: usize, sign: f64) -> Sums {
        let p = self.p;
        s.travel += sign * p.travel[i][hub];
        s.jobseekers += sign * p.jobseekers[i];
        s.funding += sign * p.funding[i];
        for (a, t) in s.attrs.iter_mut().zip(&p.thresholds) {
            *a += sign * p.value(i, t.attr);
        }
        s
    }

    /// Whether the sums meet every threshold (minimum and maximum).
    fn ok(&self, s: &Sums) -> bool {
        s.attrs.iter().zip(&self.p.thresholds).all(|(&v, t)| v <= t.max + 1e-9 && v >= t.min - 1e-9)
    }

    fn cost(&self, s: &Sums) -> f64 {
        area_cost_of_sums(self.p, s.travel, s.jobseekers, s.funding)
    }

    /// The member of `mask` that serves it at least cost, with that cost: its forced hub if it has
    /// one, else any member every member may be served from (and every fixed member's hub).
    fn best_hub(&self, mask: u128) -> Option<(f64, usize)> {
        let p = self.p;
        let forced: Vec<usize> = units(mask).filter(|&j| p.forced_hub[j]).collect();
        if forced.len() > 1 || mask == 0 {
            return None;
        }
        // The area's sums that do not depend on its hub.
        let (jobseekers, funding) = units(mask).fold((0.0, 0.0), |(js, f), i| (js + p.jobseekers[i], f + p.funding[i]));
        units(mask)
            .filter(|&h| forced.first().is_none_or(|&f| f == h))
            .filter(|&h| units(mask).all(|i| p.allowed[i][h] && p.fixed[i].is_none_or(|f| f == h)))
            .map(|h| (area_cost_of_sums(p, units(mask).map(|i| p.travel[i][h]).sum(), jobseekers, funding), h))
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
    }
}

/// An area as a move leaves it: its hub, units and cost.
struct Area {
    hub: usize,
    mask: u128,
    cost: f64,
}

/// A partition being searched: the hub of each unit, each hub's units, sums and cost.
#[derive(Clone)]
struct Areas {
    hub_of: Vec<usize>,
    mask: Vec<u128>,
    sums: Vec<Sums>,
    cost: Vec<f64>,
}

impl Areas {
    fn new(g: &Graph, hub_of: &[usize]) -> Areas {
        let n = hub_of.len();
        let mut mask = vec![0u128; n];
        for (i, &j) in hub_of.iter().enumerate() {
            mask[j] |= bit(i);
        }
        let sums: Vec<Sums> = (0..n).map(|j| g.sums(j, mask[j])).collect();
        let cost = (0..n).map(|j| if mask[j] == 0 { 0.0 } else { g.cost(&sums[j]) }).collect();
        Areas { hub_of: hub_of.to_vec(), mask, sums, cost }
    }

    fn total(&self) -> f64 {
        self.cost.iter().sum()
    }

    fn hubs(&self) -> Vec<usize> {
        (0..self.mask.len()).filter(|&j| self.mask[j] != 0).collect()
    }

    /// Put `area` in place of the area keyed `old` (its sums recomputed in full).
    fn set(&mut self, g: &Graph, old: usize, area: Area) {
        if area.hub != old {
            self.mask[old] = 0;
            self.cost[old] = 0.0;
        }
        units(area.mask).for_each(|k| self.hub_of[k] = area.hub);
        self.sums[area.hub] = g.sums(area.hub, area.mask);
        self.cost[area.hub] = g.cost(&self.sums[area.hub]);
        self.mask[area.hub] = area.mask;
    }

    /// The areas unit `i` may move to: those of its neighbours (every other area without
    /// contiguity) whose hub may serve it.
    fn targets(&self, g: &Graph, i: usize) -> Vec<usize> {
        let from = self.hub_of[i];
        let mut t: Vec<usize> = if g.p.sc.contiguity { units(g.nb[i]).map(|v| self.hub_of[v]).collect() } else { self.hubs() };
        t.retain(|&h| h != from && g.p.allowed[i][h]);
        t.sort_unstable();
        t.dedup();
        t
    }

    /// What is left of unit `i`'s area when `i` leaves it (a new hub, the best of the rest, when
    /// `i` was the hub); None when `i` may not leave (fixed, a forced hub, alone, or the rest
    /// would break a minimum or fall apart).
    fn leave(&self, g: &Graph, i: usize) -> Option<Area> {
        let (p, from) = (g.p, self.hub_of[i]);
        let rest = self.mask[from] & !bit(i);
        if p.fixed[i].is_some() || (i == from && p.forced_hub[i]) || rest == 0 || !g.connected(rest) {
            return None;
        }
        if i == from {
            let (cost, hub) = g.best_hub(rest)?;
            return g.ok(&g.sums(hub, rest)).then_some(Area { hub, mask: rest, cost });
        }
        let sums = g.plus(self.sums[from].clone(), from, i, -1.0);
        g.ok(&sums).then(|| Area { hub: from, mask: rest, cost: g.cost(&sums) })
    }

    /// Area `t` with unit `i` joined (None when that breaks a maximum).
    fn join(&self, g: &Graph, i: usize, t: usize) -> Option<Area> {
        let sums = g.plus(self.sums[t].clone(), t, i, 1.0);
        g.ok(&sums).then(|| Area { hub: t, mask: self.mask[t] | bit(i), cost: g.cost(&sums) })
    }

    /// The change of cost when the areas keyed `a` and `b` become `x` and `y`.
    fn delta(&self, a: usize, b: usize, x: &Area, y: &Area) -> f64 {
        x.cost + y.cost - self.cost[a] - self.cost[b]
    }

    /// Move each unit to the neighbouring area where it saves most, while any move saves.
    fn moves(&mut self, g: &Graph, eps: f64) -> bool {
        let mut better = false;
        for i in 0..g.p.n {
            let Some(left) = self.leave(g, i) else { continue };
            let from = self.hub_of[i];
            let best = self.targets(g, i).into_iter().filter_map(|t| self.join(g, i, t)).map(|y| (self.delta(from, y.hub, &left, &y), y)).min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((_, joined)) = best.filter(|(d, _)| *d < -eps) {
                self.set(g, from, left);
                self.set(g, joined.hub, joined);
                better = true;
            }
        }
        better
    }

    /// Give each area the member hub that costs least (see `Graph::best_hub`).
    fn rehub(&mut self, g: &Graph, eps: f64) -> bool {
        let mut better = false;
        for j in self.hubs() {
            if let Some((c, h)) = g.best_hub(self.mask[j]).filter(|&(c, h)| h != j && c < self.cost[j] - eps) {
                self.set(g, j, Area { hub: h, mask: self.mask[j], cost: c });
                better = true;
            }
        }
        better
    }

    /// The two areas after unit `i` and unit `k` exchange them, if both stay feasible (hubs and
    /// fixed units stay).
    fn exchange(&self, g: &Graph, i: usize, k: usize) -> Option<(Area, Area)> {
        let (p, a, b) = (g.p, self.hub_of[i], self.hub_of[k]);
        if a == b || i == a || k == b || p.fixed[i].is_some() || p.fixed[k].is_some() || !p.allowed[i][b] || !p.allowed[k][a] {
            return None;
        }
        let side = |own: usize, out: usize, inn: usize| {
            let mask = (self.mask[own] & !bit(out)) | bit(inn);
            let sums = g.plus(g.plus(self.sums[own].clone(), own, out, -1.0), own, inn, 1.0);
            (g.ok(&sums) && g.connected(mask)).then(|| Area { hub: own, mask, cost: g.cost(&sums) })
        };
        Some((side(a, i, k)?, side(b, k, i)?))
    }

    /// Make the exchange of two units that saves most, if any saves; with contiguity, each unit
    /// must border the other's area.
    fn swaps(&mut self, g: &Graph, eps: f64) -> bool {
        let mut best: Option<(f64, Area, Area)> = None;
        for i in 0..g.p.n {
            for k in i + 1..g.p.n {
                let (a, b) = (self.hub_of[i], self.hub_of[k]);
                if a == b || (g.p.sc.contiguity && (g.nb[i] & self.mask[b] == 0 || g.nb[k] & self.mask[a] == 0)) {
                    continue;
                }
                if let Some((x, y)) = self.exchange(g, i, k) {
                    let d = self.delta(a, b, &x, &y);
                    if d < -eps && best.as_ref().is_none_or(|b| d < b.0) {
                        best = Some((d, x, y));
                    }
                }
            }
        }
        let Some((_, x, y)) = best else { return false };
        let (a, b) = (x.hub, y.hub);
        self.set(g, a, x);
        self.set(g, b, y);
        true
    }

    fn descend(&mut self, g: &Graph, eps: f64, deadline: Instant) {
        for _ in 0..100 {
            let better = self.rehub(g, eps) | self.moves(g, eps) || self.swaps(g, eps);
            if !better || Instant::now() >= deadline {
                break;
            }
        }
    }

    /// Up to `count` random feasible moves and exchanges, whatever they cost.
    fn kick(&mut self, g: &Graph, rng: &mut Rng, count: usize) {
        let mut done = 0;
        for _ in 0..20 * count {
            if done == count {
                break;
            }
            let i = rng.below(g.p.n);
            let from = self.hub_of[i];
            if rng.below(2) == 0 {
                let others: Vec<usize> = (0..g.p.n).filter(|&k| self.hub_of[k] != from && (!g.p.sc.contiguity || g.nb[i] & bit(k) != 0)).collect();
                let Some(&k) = others.get(rng.below(others.len().max(1))) else { continue };
                if let Some((x, y)) = self.exchange(g, i, k) {
                    let (a, b) = (x.hub, y.hub);
                    self.set(g, a, x);
                    self.set(g, b, y);
                    done += 1;
                }
                continue;
            }
            let targets = self.targets(g, i);
            let Some(&t) = targets.get(rng.below(targets.len().max(1))) else { continue };
            if let (Some(left), Some(joined)) = (self.leave(g, i), self.join(g, i, t)) {
                self.set(g, from, left);
                self.set(g, t, joined);
                done += 1;
            }
        }
    }
}

/// A small repeatable generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n.max(1)
    }
}

/// The kicks of a search on `n` units: 300, fewer from 100 units (a kick's descent costs about n).
pub fn kicks(n: usize) -> usize {
    (30_000 / n.max(1)).min(300)
}

/// The best partition found from the feasible partition `start` by `kicks` kicks of 2–5 random
/// moves each, every one followed by a descent (the start's own descent first); never worse than
/// `start`. Stops early at `deadline`; on graphs of more than `MAX_UNITS` units, `start` itself.
pub fn search(p: &Problem, start: &[usize], kicks: usize, deadline: Instant) -> Vec<usize> {
    if p.n > MAX_UNITS {
        return start.to_vec();
    }
    let nb = p.nb.iter().map(|v| v.iter().fold(0u128, |m, &k| m | bit(k))).collect();
    let g = Graph { p, nb };
    let mut best = Areas::new(&g, start);
    let eps = 1e-9 * best.total().abs().max(1.0);
    best.descend(&g, eps, deadline);
    if best.hubs().len() < 2 {
        return best.hub_of;
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for kick in 0..kicks {
        if Instant::now() >= deadline {
            break;
        }
        let mut cand = best.clone();
        cand.kick(&g, &mut rng, 2 + kick % 4);
        cand.descend(&g, eps, deadline);
        if cand.total() < best.total() - eps {
            best = cand;
        }
    }
    best.hub_of
}
