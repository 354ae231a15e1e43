//! Pairs of candidate hubs that crowd each other, for the walk over hub sets on the dual (see
//! `lagrange_hub_sets`). At the multipliers u, a set's bound adds its hubs' knapsack values as if
//! each area were alone: two hubs a few tracts apart both take the same units, and the bound sees
//! no harm in opening both. Near the dual's optimum many hubs have nearly the same value, and the
//! sets below the incumbent run into the hundreds of millions (Oklahoma's tracts, five areas: more
//! than 100 million with 214 candidate hubs left and 0.08 % between bound and incumbent).
//!
//! For a pair (j, h), the relaxation may keep the rows x(i,j) + x(i,h) ≤ 1, which every partition
//! satisfies: the two areas then share a subproblem, each unit in at most one of them, each within
//! its window, j's hub outside h's area and h's outside j's. With a price on each window, its dual
//! function at prices (λj, λh) is
//!   own(j) − u(j) + own(h) − u(h) + Σ_i min(0, c(i,j) − u(i) − λj·a(i), c(i,h) − u(i) − λh·a(i))
//!   + w(λj) + w(λh),
//! a lower bound for every choice of prices (weak duality). Its excess over the two knapsack
//! values is the pair's penalty δ(j,h) ≥ 0 when positive. For disjoint pairs of a set, the rows
//! of each pair are kept together and the bound adds every pair's δ: a set's bound at the
//! multipliers rises by the best matching of its hubs by δ.
//!
//! The prices are found by coordinate ascent from the knapsacks' own: with λh fixed, the best λj
//! is the price at which the units j takes (those where its term is below the other two) fill
//! its window, a weighted selection as for one knapsack. Two hubs whose knapsacks at the
//! multipliers share no unit (and neither takes the other's hub) have δ = 0 and are skipped.

use super::lagrange::{Dual, Relaxation};
use super::lagrange_column::fill_price;

/// Rounds of coordinate ascent on a pair's two prices.
const ROUNDS: usize = 4;
/// Pairs are priced among at most this many candidates (the table holds m² penalties).
const MAX_CANDIDATES: usize = 3000;

/// The penalties δ between candidate columns, by their positions in the walk's order.
pub struct Pairs {
    m: usize,
    delta: Vec<f64>,
}

impl Pairs {
    /// No penalties.
    pub fn none() -> Pairs {
        Pairs { m: 0, delta: Vec::new() }
    }

    /// δ of the candidates at positions a and b (0 when not priced).
    #[inline]
    pub fn get(&self, a: usize, b: usize) -> f64 {
        if self.m == 0 {
            0.0
        } else {
            self.delta[a * self.m + b]
        }
    }

    /// Whether the table holds penalties.
    #[inline]
    pub fn active(&self) -> bool {
        self.m > 0
    }

    /// The penalties of the pairs of `free` (value, column; sorted by value) that may lie in a
    /// set of `need` candidates below `limit` (with `base` added), at the dual `d`; none after
    /// `until`. `Pairs::none()` when no pair has a penalty (the walk then keeps no matching).
    pub fn price(rel: &Relaxation, d: &Dual, free: &[(f64, usize)], need: usize, base: f64, limit: f64, until: std::time::Instant, parallel: bool) -> Pairs {
        let m = free.len();
        if need < 2 || m > MAX_CANDIDATES {
            return Pairs::none();
        }
        let taken: Vec<Vec<u64>> = free.iter().map(|&(_, c)| taken_bits(rel, d, c)).collect();
        // The least a set pays beside a pair: the cheapest need − 2 values of the others.
        let cheapest = |a: usize, b: usize| free.iter().enumerate().filter(|&(t, _)| t != a && t != b).take(need - 2).map(|(_, x)| x.0).sum::<f64>();
        let mut live: Vec<(usize, usize)> = Vec::new();
        for a in 0..m {
            for b in a + 1..m {
                if base + free[a].0 + free[b].0 + cheapest(a, b) >= limit {
                    break;
                }
                let (ja, jb) = (rel.hub(free[a].1), rel.hub(free[b].1));
                let shared = taken[a].iter().zip(&taken[b]).any(|(x, y)| x & y != 0);
                if shared || bit(&taken[a], jb) || bit(&taken[b], ja) {
                    live.push((a, b));
                }
            }
        }
        let n = rel.units();
        let each = |scratch: &mut Scratch, &(a, b): &(usize, usize)| {
            if std::time::Instant::now() >= until {
                return (a, b, 0.0);
            }
            let (ca, cb) = (free[a].1, free[b].1);
            let g = pair_bound(rel, &d.u, (ca, d.price[ca]), (cb, d.price[cb]), scratch);
            (a, b, g - d.value[ca] - d.value[cb])
        };
        let found: Vec<(usize, usize, f64)> = if parallel {
            use rayon::prelude::*;
            live.par_iter().map_init(|| Scratch::new(n), each).collect()
        } else {
            let mut s = Scratch::new(n);
            live.iter().map(|x| each(&mut s, x)).collect()
        };
        if !found.iter().any(|x| x.2 > 0.0) {
            return Pairs::none();
        }
        let mut delta = vec![0.0; m * m];
        for (a, b, v) in found {
            if v > 0.0 {
                delta[a * m + b] = v;
                delta[b * m + a] = v;
            }
        }
        Pairs { m, delta }
    }
}

fn bit(bits: &[u64], i: usize) -> bool {
    bits[i / 64] >> (i % 64) & 1 == 1
}

/// The units column `c`'s LP knapsack takes at `d` (with the marginal ones), as bits.
fn taken_bits(rel: &Relaxation, d: &Dual, c: usize) -> Vec<u64> {
    let mut bits = vec![0u64; rel.units().div_ceil(64)];
    for &(i, cost, a) in rel.items(c) {
        let r = cost - d.u[i] - d.price[c] * a;
        if r <= 1e-9 * cost.abs().max(1.0) {
            bits[i / 64] |= 1 << (i % 64);
        }
    }
    bits
}

/// Per-thread work space: the two columns' reduced costs by unit (∞ where a column may not
/// serve the unit) and the keys of a price search.
pub struct Scratch {
    r: [Vec<f64>; 2],
    keys: Vec<(f64, f64)>,
}

impl Scratch {
    pub fn new(n: usize) -> Scratch {
        Scratch { r: [vec![f64::INFINITY; n], vec![f64::INFINITY; n]], keys: Vec::new() }
    }
}

/// A lower bound on the pair subproblem of two columns (column, starting price) at multipliers
/// `u` (see the module's doc), less its rounding margin; ∞ when the two areas cannot both reach
/// their windows.
pub fn pair_bound(rel: &Relaxation, u: &[f64], (c1, p1): (usize, f64), (c2, p2): (usize, f64), s: &mut Scratch) -> f64 {
    let cols = [c1, c2];
    let hubs = [rel.hub(c1), rel.hub(c2)];
    // Reduced costs; neither area may take the other's hub.
    for k in 0..2 {
        for &(i, cost, _) in rel.items(cols[k]) {
            if i != hubs[1 - k] {
                s.r[k][i] = cost - u[i];
            }
        }
    }
    let mut price = [p1, p2];
    let mut best = f64::NEG_INFINITY;
    'rounds: for _ in 0..ROUNDS {
        for k in 0..2 {
            match best_price(rel, cols[k], k, price[1 - k], s) {
                Some(p) => price[k] = p,
                None => {
                    best = f64::INFINITY;
                    break 'rounds;
                }
            }
        }
        best = best.max(value(rel, u, cols, hubs, price, s));
    }
    for k in 0..2 {
        for &(i, _, _) in rel.items(cols[k]) {
            s.r[k][i] = f64::INFINITY;
        }
    }
    best
}

/// The best price of side `k`'s window with the other side's price fixed at `other`: the units
/// whose term on side k is below both 0 and the other side's fill its window (None when all of
/// its units together cannot).
fn best_price(rel: &Relaxation, c: usize, k: usize, other: f64, s: &mut Scratch) -> Option<f64> {
    let (lo, hi) = rel.window(c);
    let lo = lo.max(0.0);
    if hi < lo {
        return None;
    }
    s.keys.clear();
    let mut below = 0.0;
    for &(i, _, a) in rel.items(c) {
        let r = s.r[k][i];
        if !r.is_finite() || a <= 0.0 {
            continue;
        }
        let o = s.r[1 - k][i];
        let m = if o.is_finite() { (o - other * a).min(0.0) } else { 0.0 };
        let key = (r - m) / a;
        if key < 0.0 {
            below += a;
        }
        s.keys.push((key, a));
    }
    if below > hi {
        s.keys.retain(|x| x.0 < 0.0);
        return Some(fill_price(&mut s.keys, 0.0, hi).unwrap_or(0.0).min(0.0));
    }
    if below >= lo {
        return Some(0.0);
    }
    s.keys.retain(|x| x.0 >= 0.0);
    fill_price(&mut s.keys, below, lo).map(|p| p.max(0.0))
}

/// The pair's dual function at `price`, less its rounding margin.
fn value(rel: &Relaxation, u: &[f64], cols: [usize; 2], hubs: [usize; 2], price: [f64; 2], s: &Scratch) -> f64 {
    let mut g = 0.0;
    let mut scale = 0.0;
    for k in 0..2 {
        let (lo, hi) = rel.window(cols[k]);
        let w = if price[k] < 0.0 { price[k] * hi } else { price[k] * lo.max(0.0) };
        g += rel.own_cost(cols[k]) - u[hubs[k]] + w;
        scale += rel.own_cost(cols[k]).abs() + u[hubs[k]].abs() + w.abs();
    }
    for k in 0..2 {
        for &(i, cost, a) in rel.items(cols[k]) {
            let mine = s.r[k][i];
            if !mine.is_finite() {
                continue;
            }
            let o = s.r[1 - k][i];
            // A unit both sides may take is counted once, on the first side.
            if k == 1 && o.is_finite() {
                continue;
            }
            let t = (mine - price[k] * a).min(if o.is_finite() { o - price[1 - k] * a } else { f64::INFINITY }).min(0.0);
            g += t;
            scale += cost.abs() + u[i].abs() + (price[0] * a).abs() + (price[1] * a).abs();
        }
    }
    g - (1e-10 * scale + 1e-12)
}
