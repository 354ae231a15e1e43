//! Heuristic pricing by local moves: the areas one unit away from an area the master's LP uses
//! (one neighbouring unit in, or one unit out), with the thresholds and connectedness kept.
//! When growing from the hubs finds nothing, these often still price out: the LP's areas sit
//! where the duals are, and the tail of column generation moves them a unit at a time.

use super::area_grow::{connected, local_items, unmet, value};
use super::area_pricing::{Hub, Pricing, Sums};

/// The areas one move from `units` (hub `h`'s area, sorted) whose value at u is below its own
/// plus `slack` (€/year; 0: those worth more than it): (value, sorted units), value = cost − Σ u.
pub(super) fn moves(d: &Pricing, h: &Hub, units: &[usize], u: &[f64], nb: &[Vec<usize>], n: usize, slack: f64) -> Vec<(f64, Vec<usize>)> {
    let (items, local) = local_items(h, n);
    if units.iter().any(|&i| local[i] == usize::MAX) {
        return Vec::new();
    }
    let fixed = 1 + h.must.len();
    let mut inside = vec![false; items.len()];
    let mut sums = Sums::zero(d.windows.len());
    for &i in units {
        inside[local[i]] = true;
        sums.add(items[local[i]], u);
    }
    let v0 = value(d, &sums) + slack;
    let mut out = Vec::new();
    let mut frontier: Vec<usize> = units.iter().flat_map(|&i| nb[i].iter().map(|&v| local[v])).filter(|&k| k != usize::MAX && !inside[k]).collect();
    frontier.sort_unstable();
    frontier.dedup();
    for k in frontier {
        let mut s = sums.clone();
        s.add(items[k], u);
        if d.fits_max(&s) && unmet(d, &s).is_none() && value(d, &s) < v0 - 1e-9 {
            out.push((value(d, &s), with(units, items[k].unit, true)));
        }
    }
    let members: Vec<usize> = (fixed..items.len()).filter(|&k| inside[k]).collect();
    for k in members {
        let mut s = sums.clone();
        s.remove(items[k], u);
        if unmet(d, &s).is_some() || value(d, &s) >= v0 - 1e-9 {
            continue;
        }
        inside[k] = false;
        if connected(&items, &inside, nb, &local) {
            out.push((value(d, &s), with(units, items[k].unit, false)));
        }
        inside[k] = true;
    }
    out
}

/// `units` with `i` added or taken out, sorted.
fn with(units: &[usize], i: usize, add: bool) -> Vec<usize> {
    let mut v: Vec<usize> = units.iter().copied().filter(|&x| x != i).collect();
    if add {
        v.push(i);
        v.sort_unstable();
    }
    v
}
