//! Hub sets bounded on the dual (after the fixing rounds and probing of `dual_fixing`), for a
//! fixed number of areas K: every partition cheaper than the incumbent opens K of the candidate
//! hubs the dual left. Each set of K is bounded twice, both by weak duality:
//!
//! - at the best multipliers u of the assignment rows: Σ u + the values of the set's knapsacks
//!   (the dual's own bound when the set is the one it opens). A depth-first search over the
//!   candidates by increasing value walks the sets below the incumbent;
//! - with the set's hubs open and its size windows relaxed instead (a price π(j) per hub on the
//!   attribute): each unit then joins the hub j of the set where c(i,j) + π(j)·a(i) is least, so
//!   the dual function is a sum of minima over K hubs. Its maximum is the LP bound of the
//!   assignment to exactly these hubs; a subgradient ascent over the K prices approaches it.
//!
//! The walk's bound at the multipliers also adds, for the hubs chosen so far, the best matching
//! of them by their pair penalties (`hub_pairs`: two hubs that crowd each other, with the rows
//! of the pair kept): on Utah's tracts it cuts the 10.6 million sets below the incumbent at the
//! multipliers to 227, on Oklahoma's (five areas) more than 100 million to 49.
//!
//! The sets below the incumbent at the multipliers are counted first (a few nanoseconds each); the
//! walk is not begun past `MAX_WALKED` of them, and stops when more than `MAX_SOLVED` sets are left
//! below the incumbent by both bounds, at its deadline, or once its pace says it would pass it; otherwise the sets left are solved exactly, each as the problem with
//! its hubs fixed (`hub_sets::solve_listed`). This is the hub-set search of `hub_sets` without the
//! compact LP: on the Nebraska tracts (532 units, 15 000 pairs left after fixing) that LP took 3 s
//! by dual simplex, and its hub probing 2 s more. On New Mexico's (499 units, three areas), 142 643
//! sets lie below the incumbent at the multipliers and 60 by their windows as well; on Utah's (588
//! units, four areas), 10.6 million and 293, walked in 7 s.

use super::hub_pairs::Pairs;
use super::lagrange::{Dual, Relaxation};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Instant;

/// At most this many sets, left below the incumbent by both bounds, are solved as MIPs (as many as
/// the search over hub sets after the LP takes, `hub_sets::MAX_SETS`).
pub(super) const MAX_SOLVED: usize = super::hub_sets::MAX_SETS;
/// The walk is not begun when more sets than this lie below the incumbent at the multipliers (at a
/// microsecond or so each, more than its share of any limit here).
const MAX_WALKED: usize = 100_000_000;
/// A set's window dual is ascended until it reaches the limit, its step has halved `MAX_HALVINGS`
/// times (each after 10 evaluations without a gain), or `MAX_EVALS` evaluations.
const MAX_HALVINGS: u32 = 20;
const MAX_EVALS: usize = 1000;
/// Pair penalties are added up to this many free hubs in a set (the best matching of a set's
/// hubs is kept for each subset of them: 2^K entries).
const MAX_MATCHED: usize = 8;

/// The hub sets below `limit` by both bounds, as (bound, hubs sorted), by increasing bound; None
/// when the count of areas is free, when more than `MAX_SOLVED` are left, or at `until`. With
/// `parallel`, the walk runs on every core.
pub fn below(rel: &Relaxation, d: &Dual, limit: f64, until: Instant, parallel: bool) -> Option<Vec<(f64, Vec<usize>)>> {
    let (k, most) = rel.areas();
    if k != most || !d.bound.is_finite() {
        return None;
    }
    let scale: f64 = (0..rel.columns()).map(|c| column_scale(rel, c, &d.u, d.price[c])).sum::<f64>() + d.u.iter().map(|x| x.abs()).sum::<f64>();
    let margin = d.margin + 1e-10 * scale + 1e-12;
    let mut base: f64 = d.u.iter().sum::<f64>() - margin;
    let mut forced = Vec::new();
    let mut free: Vec<(f64, usize)> = Vec::new();
    for c in 0..rel.columns() {
        if rel.is_forced(rel.hub(c)) {
            if !d.value[c].is_finite() {
                return Some(Vec::new());
            }
            base += d.value[c];
            forced.push(c);
        } else if d.value[c].is_finite() {
            free.push((d.value[c], c));
        }
    }
    if forced.len() > k || free.len() < k - forced.len() {
        return Some(Vec::new());
    }
    free.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let need = k - forced.len();
    // The pairs, within a quarter of the walk's time (the pairs left unpriced add nothing).
    let now = Instant::now();
    let price_until = now + until.saturating_duration_since(now) / 4;
    let pairs = if need <= MAX_MATCHED { Pairs::price(rel, d, &free, need, base, limit, price_until, parallel) } else { Pairs::none() };
    // A count that takes more than a quarter of the walk's time foretells a walk (slower a set)
    // past it.
    let now = Instant::now();
    let count_until = now + until.saturating_duration_since(now) / 4;
    let total = count_sets(&free, &pairs, need, base, limit, MAX_WALKED, count_until);
    if total >= MAX_WALKED || Instant::now() >= count_until {
        return None;
    }
    let costs = Costs::new(rel, forced.iter().copied().chain(free.iter().map(|x| x.1)));
    let (count, stop, done) = (AtomicUsize::new(0), AtomicBool::new(false), AtomicUsize::new(0));
    let pace = Pace { start: Instant::now(), until, total, done: &done };
    let w = Walk { free: &free, forced: &forced, pairs: &pairs, base, need, limit, pace: &pace, costs: &costs, count: &count, stop: &stop };
    let found: Vec<(f64, Vec<usize>)> = if need == 0 {
        w.subtree(None)
    } else {
        // The subtrees of the first choice (their cheapest completions rise with t), on every core
        // when `parallel`: the sets left do not depend on the order they are found in.
        let firsts: Vec<usize> = (0..=free.len() - need).take_while(|&t| least(&free, t, need, base) < limit).collect();
        if parallel {
            use rayon::prelude::*;
            firsts.into_par_iter().flat_map_iter(|t| w.subtree(Some(t))).collect()
        } else {
            firsts.into_iter().flat_map(|t| w.subtree(Some(t))).collect()
        }
    };
    if stop.load(Ordering::Relaxed) {
        return None;
    }
    let mut left: Vec<(f64, Vec<usize>)> = found.into_iter().map(|(b, cols)| (b, cols.iter().map(|&c| rel.hub(c)).collect())).collect();
    for (_, hubs) in left.iter_mut() {
        hubs.sort_unstable();
    }
    left.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Some(left)
}

/// The size of every term of column `c`'s value at multipliers `u` and price `price`, for a
/// rounding margin (an upper bound on what the relaxation's knapsacks, LP or whole, sum).
fn column_scale(rel: &Relaxation, c: usize, u: &[f64], price: f64) -> f64 {
    let (lo, hi) = rel.window(c);
    let lam = price.abs();
    rel.own_cost(c).abs() + u[rel.hub(c)].abs() + lam * lo.abs().max(hi.abs()) + rel.items(c).iter().map(|&(i, cost, a)| cost.abs() + u[i].abs() + lam * a).sum::<f64>()
}

/// The least bound at the multipliers of a set that takes `need` more of `free` (sorted by value)
/// from position `t` on, added to `sum`: the next `need` values.
fn least(free: &[(f64, usize)], t: usize, need: usize, sum: f64) -> f64 {
    sum + free[t..t + need].iter().map(|x| x.0).sum::<f64>()
}

/// The sets of `need` more candidates of `free` (sorted by value) from position `from` on whose
/// bound at the multipliers lies below `limit`, depth first: their values added to `sum`, plus the
/// best matching by their pair penalties of everything chosen (`chosen`; `penalty` for those chosen
/// so far). `leaf(bound, positions chosen)` is called for each; when it returns false the descent
/// ends, and so does this (false).
#[allow(clippy::too_many_arguments)]
fn descend(free: &[(f64, usize)], pairs: &Pairs, chosen: &mut Matching, from: usize, need: usize, sum: f64, penalty: f64, limit: f64, leaf: &mut dyn FnMut(f64, &[usize]) -> bool) -> bool {
    if need == 0 {
        return leaf(sum + penalty, &chosen.pos);
    }
    for t in from..(free.len() + 1).saturating_sub(need) {
        let least = least(free, t, need, sum);
        // The cheapest completions rise with t, and the matching only grows.
        if least + penalty >= limit {
            break;
        }
        let pen = chosen.push(pairs, t);
        let go_on = least + pen >= limit || descend(free, pairs, chosen, t + 1, need - 1, sum + free[t].0, pen, limit, leaf);
        chosen.pop();
        if !go_on {
            return false;
        }
    }
    true
}

/// How many sets of `need` of `free` lie below `limit` at the multipliers (`base` added), counted
/// up to `cap` or until `until` (the walk without its window bounds: a few nanoseconds a set).
fn count_sets(free: &[(f64, usize)], pairs: &Pairs, need: usize, base: f64, limit: f64, cap: usize, until: Instant) -> usize {
    let mut n = 0;
    descend(free, pairs, &mut Matching::default(), 0, need, base, 0.0, limit, &mut |_, _| {
        n += 1;
        n < cap && !(n % 4096 == 0 && Instant::now() >= until)
    });
    n
}

/// The candidates chosen along a walk (their positions) and, for every subset of them, the best
/// matching by the pair penalties (`hub_pairs`): what the pairs add to a set's bound.
#[derive(Default)]
struct Matching {
    pos: Vec<usize>,
    best: Vec<f64>,
}

impl Matching {
    /// Choose position `t`; returns the best matching of everything chosen.
    fn push(&mut self, pairs: &Pairs, t: usize) -> f64 {
        let m = self.pos.len();
        self.pos.push(t);
        if !pairs.active() {
            return 0.0;
        }
        let size = 1usize << m;
        if self.best.len() < 2 * size {
            self.best.resize(2 * size, 0.0);
        }
        for mask in 0..size {
            let mut v = self.best[mask];
            let mut rest = mask;
            while rest != 0 {
                let s = rest.trailing_zeros() as usize;
                rest &= rest - 1;
                let d = pairs.get(self.pos[s], t);
                if d > 0.0 {
                    v = v.max(d + self.best[mask & !(1 << s)]);
                }
            }
            self.best[mask | size] = v;
        }
        self.best[2 * size - 1]
    }

    fn pop(&mut self) {
        self.pos.pop();
    }
}

/// The walk over the sets by their bound at the multipliers (`descend`), each set below the limit
/// then bounded by its window dual: what the walks of the first choices share.
struct Walk<'a> {
    free: &'a [(f64, usize)],
    forced: &'a [usize],
    pairs: &'a Pairs,
    /// Σ u and the forced hubs' values, less the rounding margin; the free hubs to choose.
    base: f64,
    need: usize,
    limit: f64,
    pace: &'a Pace<'a>,
    costs: &'a Costs,
    /// Sets left by every walk so far.
    count: &'a AtomicUsize,
    /// More than `MAX_SOLVED` left, or the clock.
    stop: &'a AtomicBool,
}

impl Walk<'_> {
    /// The sets below the limit by both bounds, as (bound, columns): those whose cheapest free
    /// candidate is at position `first`, or all (None).
    fn subtree(&self, first: Option<usize>) -> Vec<(f64, Vec<usize>)> {
        let (mut left, mut leaves, mut cols) = (Vec::new(), 0usize, Vec::new());
        let mut leaf = |sum: f64, chosen: &[usize]| {
            leaves += 1;
            if self.stop.load(Ordering::Relaxed) || (leaves % 256 == 0 && self.pace.late()) {
                self.stop.store(true, Ordering::Relaxed);
                return false;
            }
            cols.clear();
            cols.extend(self.forced.iter().copied().chain(chosen.iter().map(|&t| self.free[t].1)));
            let bound = sum.max(window_bound(self.costs, &cols, self.limit));
            if bound < self.limit {
                left.push((bound, cols.clone()));
                if self.count.fetch_add(1, Ordering::Relaxed) + 1 > MAX_SOLVED {
                    self.stop.store(true, Ordering::Relaxed);
                    return false;
                }
            }
            true
        };
        let mut chosen = Matching::default();
        match first {
            Some(t) => {
                chosen.push(self.pairs, t);
                descend(self.free, self.pairs, &mut chosen, t + 1, self.need - 1, self.base + self.free[t].0, 0.0, self.limit, &mut leaf);
            }
            None => {
                descend(self.free, self.pairs, &mut chosen, 0, self.need, self.base, 0.0, self.limit, &mut leaf);
            }
        }
        left
    }
}

/// The walk's clock: it gives up at `until`, or as soon as the pace so far says it would pass it.
struct Pace<'a> {
    start: Instant,
    until: Instant,
    /// Sets to visit in all, and visited by every walk so far (in steps of 256).
    total: usize,
    done: &'a AtomicUsize,
}

impl Pace<'_> {
    /// 256 more sets visited: is the walk past its deadline, or on course to pass it? (Judged once
    /// a twentieth of the sets or 0.5 s has gone by. The pace is steady: on a generated 500-unit
    /// graph, 22.6 million sets, it projected 12.0–12.7 s all along and took 11.8 s.)
    fn late(&self) -> bool {
        let done = self.done.fetch_add(256, Ordering::Relaxed) + 256;
        let now = Instant::now();
        let spent = now.duration_since(self.start).as_secs_f64();
        let judged = done >= self.total / 20 || spent >= 0.5;
        let budget = self.until.saturating_duration_since(self.start).as_secs_f64();
        now >= self.until || (judged && spent * self.total as f64 / done as f64 > budget)
    }
}

/// The costs c(i,j) of the candidate columns, dense (∞ where the pair is not allowed), with the
/// units' attribute values, each hub's own cost and window: what a set's window dual reads.
pub struct Costs {
    /// Per column of the relaxation (None when not a candidate): c(i, its hub) per unit.
    cost: Vec<Option<Vec<f64>>>,
    attr: Vec<f64>,
    hub: Vec<usize>,
    own: Vec<f64>,
    window: Vec<(f64, f64)>,
}

impl Costs {
    /// The dense costs of the columns `cols` of `rel`.
    pub fn new(rel: &Relaxation, cols: impl Iterator<Item = usize>) -> Costs {
        let n = rel.units();
        let m = rel.columns();
        let mut c = Costs { cost: vec![None; m], attr: vec![0.0; n], hub: (0..m).map(|c| rel.hub(c)).collect(), own: (0..m).map(|c| rel.own_cost(c)).collect(), window: (0..m).map(|c| rel.window(c)).collect() };
        for col in cols {
            let mut row = vec![f64::INFINITY; n];
            for &(i, cost, a) in rel.items(col) {
                row[i] = cost;
                c.attr[i] = a;
            }
            c.cost[col] = Some(row);
        }
        c
    }
}

/// The bound of the assignment to exactly the hubs of columns `cols` with their size windows
/// relaxed (see the module's doc): the best of its subgradient steps, ∞ when some unit
/// can join none of them; it stops once it reaches `limit`.
pub fn window_bound(costs: &Costs, cols: &[usize], limit: f64) -> f64 {
    let rows: Vec<&[f64]> = cols.iter().map(|&c| costs.cost[c].as_deref().expect("a candidate column")).collect();
    let hubs: Vec<usize> = cols.iter().map(|&c| costs.hub[c]).collect();
    let own: f64 = cols.iter().map(|&c| costs.own[c]).sum();
    let windows: Vec<(f64, f64)> = cols.iter().map(|&c| costs.window[c]).collect();
    let mut pi = vec![0.0; cols.len()];
    let mut best = f64::NEG_INFINITY;
    let mut step = 1.0;
    let mut since = 0;
    let mut halvings = 0;
    let mut load = vec![0.0; cols.len()];
    let mut sub = vec![0.0; cols.len()];
    for _ in 0..MAX_EVALS {
        let g = evaluate(costs, &rows, &hubs, own, &windows, &pi, &mut load, &mut sub);
        if g > best {
            best = g;
            since = 0;
        } else {
            since += 1;
            if since >= 10 {
                step /= 2.0;
                since = 0;
                halvings += 1;
            }
        }
        let norm: f64 = sub.iter().map(|s| s * s).sum();
        if best >= limit || norm == 0.0 || halvings >= MAX_HALVINGS {
            break;
        }
        // Polyak's step towards the limit (a percent above the value when the limit is far).
        let target = limit.min(g + 0.01 * g.abs() + 1e-9);
        let t = step * (target - g).max(1e-9 * g.abs()) / norm;
        pi.iter_mut().zip(&sub).for_each(|(p, s)| *p += t * s);
    }
    best
}

/// The window dual of the set (rows of costs, hubs, own costs, windows) at prices `pi`, less its
/// rounding margin (∞ when some unit can join no hub of the set); its subgradient into `sub`.
#[allow(clippy::too_many_arguments)]
fn evaluate(costs: &Costs, rows: &[&[f64]], hubs: &[usize], own: f64, windows: &[(f64, f64)], pi: &[f64], load: &mut [f64], sub: &mut [f64]) -> f64 {
    load.iter_mut().for_each(|x| *x = 0.0);
    let mut g = own;
    let mut scale = own.abs();
    for (i, &a) in costs.attr.iter().enumerate() {
        if hubs.contains(&i) {
            continue;
        }
        let (mut best, mut at) = (f64::INFINITY, usize::MAX);
        for (t, row) in rows.iter().enumerate() {
            let v = row[i] + pi[t] * a;
            if row[i].is_finite() && (at == usize::MAX || v < best) {
                (best, at) = (v, t);
            }
        }
        // No hub of the set may serve unit i.
        if at == usize::MAX {
            return f64::INFINITY;
        }
        g += best;
        scale += rows[at][i].abs() + (pi[at] * a).abs();
        load[at] += a;
    }
    for (t, &(lo, hi)) in windows.iter().enumerate() {
        g -= if pi[t] >= 0.0 { pi[t] * hi } else { pi[t] * lo };
        scale += (pi[t] * hi).abs() + (pi[t] * lo).abs();
        sub[t] = if pi[t] > 0.0 || (pi[t] == 0.0 && load[t] > hi) {
            load[t] - hi
        } else if pi[t] < 0.0 || load[t] < lo {
            load[t] - lo
        } else {
            0.0
        };
    }
    // Each term's rounding error is below 2⁻⁵² of its size.
    g - (1e-10 * scale + 1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_lists_every_set_below_the_limit() {
        // Values 1, 2, 4, 8 (columns 0–3), two of them, limit 7 from 0: {0,1} 3, {0,2} 5, {1,2} 6.
        // No unit to assign: each set's window bound is its hubs' own costs, 0.
        let free = [(1.0, 0), (2.0, 1), (4.0, 2), (8.0, 3)];
        let costs = Costs { cost: vec![Some(Vec::new()); 4], attr: Vec::new(), hub: vec![0, 1, 2, 3], own: vec![0.0; 4], window: vec![(0.0, 1.0); 4] };
        let (count, stop) = (AtomicUsize::new(0), AtomicBool::new(false));
        let done = AtomicUsize::new(0);
        let pace = Pace { start: Instant::now(), until: Instant::now() + std::time::Duration::from_secs(5), total: 3, done: &done };
        let pairs = Pairs::none();
        let w = Walk { free: &free, forced: &[], pairs: &pairs, base: 0.0, need: 2, limit: 7.0, pace: &pace, costs: &costs, count: &count, stop: &stop };
        let left = w.subtree(None);
        let sets: Vec<Vec<usize>> = left.iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(sets, vec![vec![0, 1], vec![0, 2], vec![1, 2]]);
        assert_eq!(left.iter().map(|x| x.0).collect::<Vec<f64>>(), vec![3.0, 5.0, 6.0]);
        // The first choice's subtrees together hold the same sets.
        let by_first: Vec<Vec<usize>> = (0..3).flat_map(|t| w.subtree(Some(t))).map(|(_, s)| s).collect();
        assert_eq!(by_first, sets);
        let far = Instant::now() + std::time::Duration::from_secs(5);
        assert_eq!(count_sets(&free, &pairs, 2, 0.0, 7.0, 100, far), 3);
        assert_eq!(count_sets(&free, &pairs, 2, 0.0, 100.0, 100, far), 6);
    }
}

