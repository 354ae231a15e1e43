//! One hub's column of the Lagrangian relaxation (see `lagrange`) and its knapsack at given
//! multipliers: the LP optimum of the units it takes within its window, bounded by weak duality.
//!
//! An evaluation of the dual reads every column, and at tract scale every column holds a
//! thousand units: the knapsack reads the column's units once, keeps the few that can matter at
//! prices up to a quarter above the last one (those that lower the cost, and those whose cost per unit of
//! attribute is below that price) in a small buffer of its thread, and finds the price and the
//! value from that buffer; it reads the column again only when the price has risen past it.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

/// One hub's column: the units it may serve, their costs and attribute values.
pub(super) struct Column {
    pub hub: usize,
    /// (unit, cost c(i,j) in objective units, attribute value a(i)); the hub itself excluded.
    pub items: Vec<(usize, f64, f64)>,
    /// c(j,j).
    pub own_cost: f64,
    /// The window on the attribute left for the other units: [min − a(j), max − a(j)].
    pub lo: f64,
    pub hi: f64,
    /// The price of the last evaluation (bits of an f64; 0 at first), where the next one
    /// starts looking.
    pub hint: AtomicU64,
}

/// A unit kept for the price search: reduced cost c(i,j) − u(i), attribute value, and the size
/// of its terms |c(i,j)| + |u(i)| for the rounding margin.
type Kept = (f64, f64, f64);

thread_local! {
    /// The units one knapsack keeps, and the keys (cost per unit of attribute, attribute) of its
    /// price search.
    static BUFFERS: RefCell<(Vec<Kept>, Vec<(f64, f64)>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// The knapsack of one column at multipliers u: (bound, price λ, size of its terms for the
/// rounding margin). The greedy by cost per unit of attribute gives the LP optimum's price;
/// the bound is then computed by the weak-duality formula, valid for that price whatever its
/// rounding: for any λ, Σ_i min(0, c(i,j) − u(i) − λ·a(i)) + λ·(min or max) is at most the
/// knapsack's LP optimum.
pub(super) fn knapsack(col: &Column, u: &[f64]) -> (f64, f64, f64) {
    if col.hi < 0.0 {
        return (f64::INFINITY, 0.0, 0.0);
    }
    BUFFERS.with(|b| {
        let (kept, keys) = &mut *b.borrow_mut();
        let cap = CAP * f64::from_bits(col.hint.load(Ordering::Relaxed)) + 1e-12;
        // The units that lower the cost, and those below the price cap.
        kept.clear();
        kept.reserve(col.items.len());
        let mut size = 0.0;
        for &(i, c, a) in &col.items {
            let r = c - u[i];
            if r < 0.0 {
                if a > 0.0 {
                    size += a;
                }
                kept.push((r, a, c.abs() + u[i].abs()));
            } else if r <= cap * a {
                kept.push((r, a, c.abs() + u[i].abs()));
            }
        }
        let Some(lambda) = price(col, u, kept, keys, size) else { return (f64::INFINITY, 0.0, 0.0) };
        // Every unit with r − λ·a < 0 is kept when λ ≤ cap; past it, the column is read again.
        let (sum, scale) = if lambda <= cap { sum_below(kept.iter().copied(), lambda) } else { sum_below(col.items.iter().map(|&(i, c, a)| (c - u[i], a, c.abs() + u[i].abs())), lambda) };
        let window = if lambda < 0.0 { lambda * col.hi } else { lambda * col.lo.max(0.0) };
        // u(j) enters through the hub's own item: the relaxed row of j counts x(j,j) too.
        let v = col.own_cost + sum + window - u[col.hub];
        (v, lambda, col.own_cost.abs() + scale + u[col.hub].abs() + window.abs())
    })
}

/// Σ min(0, r − λ·a) over the units, and the size of the terms taken.
fn sum_below(units: impl Iterator<Item = Kept>, lambda: f64) -> (f64, f64) {
    let (mut sum, mut scale) = (0.0, 0.0);
    for (r, a, s) in units {
        let t = r - lambda * a;
        if t < 0.0 {
            sum += t;
            scale += s + (lambda * a).abs();
        }
    }
    (sum, scale)
}

/// The price of the attribute at the LP optimum of the knapsack, from the units `kept` (those
/// with r < 0, of attribute `size` in all, and those with r ≤ cap·a); None if the window cannot
/// be reached by all the column's units together.
fn price(col: &Column, u: &[f64], kept: &[Kept], keys: &mut Vec<(f64, f64)>, size: f64) -> Option<f64> {
    let lo = col.lo.max(0.0);
    keys.clear();
    if size > col.hi {
        keys.extend(kept.iter().filter(|k| k.0 < 0.0 && k.1 > 0.0).map(|k| (k.0 / k.1, k.1)));
        return Some(fill_price(keys, 0.0, col.hi).unwrap_or(0.0).min(0.0));
    }
    if size >= lo {
        return Some(0.0);
    }
    // Short of the least size: the others by cost per unit of attribute. The multipliers move
    // little between evaluations, so the kept units (up to `CAP` times the last price) are tried
    // first; the price they reach is exact when they reach the size (every unit below it is
    // among them).
    let hint = f64::from_bits(col.hint.load(Ordering::Relaxed));
    let p = match near_hint(kept, keys, size, lo, hint) {
        Some(p) => p,
        None => {
            keys.clear();
            keys.extend(col.items.iter().filter(|&&(i, c, a)| c - u[i] >= 0.0 && a > 0.0).map(|&(i, c, a)| ((c - u[i]) / a, a)));
            fill_price(keys, size, lo)?
        }
    };
    col.hint.store(p.max(0.0).to_bits(), Ordering::Relaxed);
    Some(p.max(0.0))
}

/// The price at which the kept units with r ≥ 0, taken by increasing r/a from size `from`,
/// reach size `to` (None if they never do). The price moves little from one evaluation to the
/// next: the units in a band around the last price `hint` are selected among alone, once the
/// weight below the band says the price lies in it.
fn near_hint(kept: &[Kept], keys: &mut Vec<(f64, f64)>, from: f64, to: f64, hint: f64) -> Option<f64> {
    let (lo, hi) = (hint * (1.0 - BAND), hint * (1.0 + BAND));
    keys.reserve(kept.len());
    if hint > 0.0 {
        let mut below = 0.0;
        for &(r, a, _) in kept {
            if r >= 0.0 && a > 0.0 {
                let key = r / a;
                if key < lo {
                    below += a;
                } else if key < hi {
                    keys.push((key, a));
                }
            }
        }
        if below < to - from {
            if let Some(p) = fill_price(keys, from + below, to) {
                return Some(p);
            }
        }
        keys.clear();
    }
    for &(r, a, _) in kept {
        if r >= 0.0 && a > 0.0 {
            keys.push((r / a, a));
        }
    }
    fill_price(keys, from, to)
}

/// The relative width of the band around the last price where `near_hint` looks first.
const BAND: f64 = 0.05;

/// The units up to `CAP` times the last price are kept: beyond it, the column is read again.
const CAP: f64 = 1.25;

/// The ratio at which units taken by increasing ratio, from size `from`, reach size `to` (None if
/// they never do): a weighted selection, linear in the number of units (no sort).
pub(super) fn fill_price(items: &mut [(f64, f64)], from: f64, to: f64) -> Option<f64> {
    let mut need = to - from;
    let total: f64 = items.iter().map(|x| x.1).sum();
    if total < need {
        return None;
    }
    let mut slice = items;
    loop {
        if slice.is_empty() {
            return None;
        }
        let mid = slice.len() / 2;
        slice.select_nth_unstable_by(mid, |x, y| x.0.total_cmp(&y.0));
        let below: f64 = slice[..mid].iter().map(|x| x.1).sum();
        let (ratio, a) = slice[mid];
        if below >= need && mid > 0 {
            slice = &mut slice[..mid];
        } else if below + a >= need {
            return Some(ratio);
        } else {
            need -= below + a;
            slice = &mut slice[mid + 1..];
        }
    }
}

/// The units the knapsack takes at price λ, with their fractions (the marginal ones fill the
/// window exactly), for the subgradient.
pub(super) fn taken(col: &Column, u: &[f64], lambda: f64) -> Vec<(usize, f64)> {
    let mut inside: Vec<(usize, f64)> = Vec::new();
    let mut marginal: Vec<(usize, f64)> = Vec::new();
    let mut size = 0.0;
    for &(i, c, a) in &col.items {
        let r = c - u[i] - lambda * a;
        if r < -1e-12 * c.abs().max(1.0) {
            inside.push((i, 1.0));
            size += a;
        } else if r <= 1e-12 * c.abs().max(1.0) && a > 0.0 {
            marginal.push((i, a));
        }
    }
    let need = if lambda > 0.0 { col.lo.max(0.0) - size } else if lambda < 0.0 { col.hi - size } else { 0.0 };
    let mut left = need.max(0.0);
    for (i, a) in marginal {
        if left <= 0.0 {
            break;
        }
        let x = (left / a).min(1.0);
        inside.push((i, x));
        left -= x * a;
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(items: Vec<(usize, f64, f64)>, lo: f64, hi: f64) -> Column {
        Column { hub: 0, items, own_cost: 0.0, lo, hi, hint: Default::default() }
    }

    #[test]
    fn knapsack_bound_is_the_lp_optimum_of_a_hand_worked_window() {
        // Units 1–3 of size 2, 3, 4 with costs −4, −3, 8 (u = 0): the window [6, 7] takes 1 and 2
        // (size 5, cost −7) and then a quarter of unit 3 (cost 8/4 = 2): the LP optimum is −5.
        let col = column(vec![(1, -4.0, 2.0), (2, -3.0, 3.0), (3, 8.0, 4.0)], 6.0, 7.0);
        let (v, lambda, _) = knapsack(&col, &[0.0; 4]);
        assert!((lambda - 2.0).abs() < 1e-12, "price {lambda}");
        assert!((v - -5.0).abs() < 1e-12, "value {v}");
        // Again, from the price just found (the kept units now reach the window at once).
        let (v, _, _) = knapsack(&col, &[0.0; 4]);
        assert!((v - -5.0).abs() < 1e-12, "value {v}");
        // The window [1, 2] holds only unit 1 whole; the LP takes unit 1 (ratio −2) alone: −4.
        let col = column(vec![(1, -4.0, 2.0), (2, -3.0, 3.0), (3, 8.0, 4.0)], 1.0, 2.0);
        let (v, _, _) = knapsack(&col, &[0.0; 4]);
        assert!((v - -4.0).abs() < 1e-12, "value {v}");
        // Unreachable window.
        let col = column(vec![(1, 1.0, 2.0)], 5.0, 6.0);
        assert!(knapsack(&col, &[0.0; 2]).0.is_infinite());
    }

    #[test]
    fn knapsack_from_a_stale_price_agrees_with_a_fresh_one() {
        // Ten units of growing cost: a price hint far below (and far above) the new price must
        // give the same value as no hint.
        let items: Vec<(usize, f64, f64)> = (1..=10).map(|i| (i, (i * i) as f64, 1.0 + (i % 3) as f64)).collect();
        for (lo, hi) in [(5.0, 6.0), (12.0, 14.0), (0.0, 3.0)] {
            let fresh = knapsack(&column(items.clone(), lo, hi), &[0.0; 11]);
            for hint in [1e-6, 0.5, 100.0] {
                let col = column(items.clone(), lo, hi);
                col.hint.store(f64::to_bits(hint), Ordering::Relaxed);
                let got = knapsack(&col, &[0.0; 11]);
                assert!((got.0 - fresh.0).abs() < 1e-9 && (got.1 - fresh.1).abs() < 1e-9, "window [{lo}, {hi}], hint {hint}: {got:?} against {fresh:?}");
            }
        }
    }
}
