//! Hub sets bounded on the dual (after the fixing rounds and probing of `dual_fixing`), for a
//! fixed number of areas K: every partition cheaper than the incumbent opens K of the candidate
//! hubs the dual left. Each set of K is bounded twice, both by weak duality:
//!
//! - at the best multipliers u of the assignment rows: Σ u + the values of the set's knapsacks
//!   (the dual's own bound when the set is the one it opens). A depth-first search over the
//!   candidates by increasing value lists the sets below the incumbent, up to `MAX_SETS`;
//! - with the set's hubs open and its size windows relaxed instead (a price π(j) per hub on the
//!   attribute): each unit then joins the hub j of the set where c(i,j) + π(j)·a(i) is least, so
//!   the dual function is a sum of minima over K hubs. Its maximum is the LP bound of the
//!   assignment to exactly these hubs; a subgradient ascent over the K prices approaches it.
//!
//! The sets whose bound lies below the incumbent are then solved exactly, each as the problem with
//! its hubs fixed (`hub_sets::solve_listed`). This is the hub-set search of `hub_sets` without the
//! compact LP: on the Nebraska tracts (532 units, 15 000 pairs left after fixing) that LP took 3 s
//! by dual simplex, and its hub probing 2 s more.

use super::lagrange::{Dual, Relaxation};
use std::time::Instant;

/// At most this many sets are bounded on the dual…
const MAX_SETS: usize = 20_000;
/// …and at most this many of them, left below the incumbent, are solved as MIPs.
pub(super) const MAX_SOLVED: usize = 64;
/// Evaluations of a set's window dual.
const SET_EVALS: usize = 150;

/// The hub sets below `limit` by both bounds, as (bound, hubs sorted), by increasing bound; None
/// when the count of areas is free, when there are more than `MAX_SETS` by the first bound or
/// more than `MAX_SOLVED` by both, or at `until`.
pub fn below(rel: &Relaxation, d: &Dual, limit: f64, until: Instant) -> Option<Vec<(f64, Vec<usize>)>> {
    let sets = by_multipliers(rel, d, limit)?;
    let mut left = Vec::new();
    for (b, cols) in sets {
        if Instant::now() >= until {
            return None;
        }
        let w = window_bound(rel, &cols, limit);
        let bound = b.max(w);
        if bound < limit {
            left.push((bound, cols.iter().map(|&c| rel.hub(c)).collect::<Vec<usize>>()));
            if left.len() > MAX_SOLVED {
                return None;
            }
        }
    }
    for (_, hubs) in left.iter_mut() {
        hubs.sort_unstable();
    }
    left.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Some(left)
}

/// The sets (as columns of `rel`) whose bound at the multipliers of `d` lies below `limit`, with
/// that bound. The rounding margin covers every column's terms, whichever set is summed.
fn by_multipliers(rel: &Relaxation, d: &Dual, limit: f64) -> Option<Vec<(f64, Vec<usize>)>> {
    let (k, most) = rel.areas();
    if k != most || !d.bound.is_finite() {
        return None;
    }
    let scale: f64 = (0..rel.columns()).map(|c| rel.column_scale(c, &d.u, d.price[c])).sum::<f64>() + d.u.iter().map(|x| x.abs()).sum::<f64>();
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
    let mut out = Vec::new();
    if !search(&free, 0, k - forced.len(), base, limit, &mut forced.clone(), &mut out) {
        return None;
    }
    Some(out)
}

/// The sets of `need` more of `free` (sorted by value) from position `from` on, added to
/// `chosen`, whose sum with `sum` lies below `limit`, into `out`; false once there are more than
/// `MAX_SETS`.
fn search(free: &[(f64, usize)], from: usize, need: usize, sum: f64, limit: f64, chosen: &mut Vec<usize>, out: &mut Vec<(f64, Vec<usize>)>) -> bool {
    if need == 0 {
        out.push((sum, chosen.clone()));
        return out.len() <= MAX_SETS;
    }
    for t in from..free.len() {
        if free.len() - t < need {
            break;
        }
        // The cheapest completion from t on: the next `need` values, sorted.
        let least: f64 = sum + free[t..t + need].iter().map(|x| x.0).sum::<f64>();
        if least >= limit {
            break;
        }
        chosen.push(free[t].1);
        let ok = search(free, t + 1, need - 1, sum + free[t].0, limit, chosen, out);
        chosen.pop();
        if !ok {
            return false;
        }
    }
    true
}

/// The bound of the assignment to exactly the hubs of columns `cols` with their size windows
/// relaxed (see the module's doc): the best of `SET_EVALS` subgradient steps, ∞ when some unit
/// can join none of them; it stops once it reaches `limit`.
pub fn window_bound(rel: &Relaxation, cols: &[usize], limit: f64) -> f64 {
    let Some(set) = SetDual::new(rel, cols) else { return f64::INFINITY };
    let mut pi = vec![0.0; cols.len()];
    let mut best = f64::NEG_INFINITY;
    let mut step = 1.0;
    let mut since = 0;
    for _ in 0..SET_EVALS {
        let (g, sub) = set.evaluate(&pi);
        if g > best {
            best = g;
            since = 0;
        } else {
            since += 1;
            if since >= 10 {
                step /= 2.0;
                since = 0;
            }
        }
        let norm: f64 = sub.iter().map(|s| s * s).sum();
        if best >= limit || norm == 0.0 {
            break;
        }
        // Polyak's step towards the limit.
        let t = step * (limit - g).max(1e-9 * limit.abs()) / norm;
        pi.iter_mut().zip(&sub).for_each(|(p, s)| *p += t * s);
    }
    best
}

/// The window dual of one hub set: per unit outside the set, its options (position in the set,
/// cost, attribute); per hub, its own cost and window for the others.
struct SetDual {
    options: Vec<Vec<(usize, f64, f64)>>,
    own: f64,
    windows: Vec<(f64, f64)>,
}

impl SetDual {
    fn new(rel: &Relaxation, cols: &[usize]) -> Option<SetDual> {
        let hubs: Vec<usize> = cols.iter().map(|&c| rel.hub(c)).collect();
        let mut options: Vec<Vec<(usize, f64, f64)>> = vec![Vec::new(); rel.units()];
        for (t, &c) in cols.iter().enumerate() {
            for &(i, cost, a) in rel.items(c) {
                if !hubs.contains(&i) {
                    options[i].push((t, cost, a));
                }
            }
        }
        let mut kept = Vec::new();
        for (i, o) in options.into_iter().enumerate() {
            if hubs.contains(&i) {
                continue;
            }
            if o.is_empty() {
                return None;
            }
            kept.push(o);
        }
        let own = cols.iter().map(|&c| rel.own_cost(c)).sum();
        Some(SetDual { options: kept, own, windows: cols.iter().map(|&c| rel.window(c)).collect() })
    }

    /// The dual function at prices `pi`, less its rounding margin, and a subgradient.
    fn evaluate(&self, pi: &[f64]) -> (f64, Vec<f64>) {
        let mut load = vec![0.0; pi.len()];
        let mut g = self.own;
        let mut scale = self.own.abs();
        for o in &self.options {
            let (mut best, mut at, mut size) = (f64::INFINITY, 0, 0.0);
            for &(t, cost, a) in o {
                let v = cost + pi[t] * a;
                if v < best {
                    (best, at, size) = (v, t, a);
                }
                scale += cost.abs() + (pi[t] * a).abs();
            }
            g += best;
            load[at] += size;
        }
        let mut sub = vec![0.0; pi.len()];
        for (t, &(lo, hi)) in self.windows.iter().enumerate() {
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
        (g - (1e-10 * scale + 1e-12), sub)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_lists_every_set_below_the_limit() {
        // Values 1, 2, 4, 8 (columns 0–3), two of them, limit 7 from 0: {0,1} 3, {0,2} 5, {1,2} 6.
        let free = [(1.0, 0), (2.0, 1), (4.0, 2), (8.0, 3)];
        let mut out = Vec::new();
        assert!(search(&free, 0, 2, 0.0, 7.0, &mut Vec::new(), &mut out));
        let sets: Vec<Vec<usize>> = out.iter().map(|(_, s)| s.clone()).collect();
        assert_eq!(sets, vec![vec![0, 1], vec![0, 2], vec![1, 2]]);
        assert_eq!(out.iter().map(|x| x.0).collect::<Vec<f64>>(), vec![3.0, 5.0, 6.0]);
    }
}
