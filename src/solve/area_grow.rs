//! Heuristic pricing of whole areas: one hub's area grown greedily at multipliers u, then
//! trimmed. The area starts as the hub and the units fixed to it; while a minimum threshold is
//! unmet, the unit that meets the most of the deficit per unit of added cost joins (the cheapest
//! first when it lowers the cost); once every minimum holds, units join while they lower the
//! value. Then units leave while that lowers the value (the hub, fixed units, thresholds and,
//! with contiguity, connectedness kept). The value is the area's cost less Σ u over its units.

use super::area_pricing::{Hub, Item, Pricing, Sums};

/// The value of an area's sums at the multipliers they were summed with.
pub(super) fn value(d: &Pricing, s: &Sums) -> f64 {
    d.costs.area(s.travel, s.js, s.funding) - (s.travel - s.cost)
}

pub(super) fn unmet(d: &Pricing, s: &Sums) -> Option<(usize, f64)> {
    d.windows.iter().zip(&s.attrs).enumerate().map(|(t, (&(lo, _), &a))| (t, lo - a)).find(|&(_, def)| def > 1e-9)
}

/// Hub `h`'s items (its own first, then the fixed units, then those that may join) and the
/// local index of every unit among them (usize::MAX for the others).
pub(super) fn local_items(h: &Hub, n: usize) -> (Vec<&Item>, Vec<usize>) {
    let items: Vec<&Item> = std::iter::once(&h.own).chain(&h.must).chain(&h.items).collect();
    let mut local = vec![usize::MAX; n];
    items.iter().enumerate().for_each(|(k, it)| local[it.unit] = k);
    (items, local)
}

/// Hub `h`'s best area found at u (value, sorted units), or None when none meets the thresholds.
/// `neighbours` (all units') makes the areas connected.
pub(super) fn grow(d: &Pricing, h: &Hub, u: &[f64], neighbours: Option<&[Vec<usize>]>, n: usize) -> Option<(f64, Vec<usize>)> {
    let (items, local) = local_items(h, n);
    let fixed = 1 + h.must.len();
    let mut inside = vec![false; items.len()];
    let mut sums = Sums::zero(d.windows.len());
    for (k, it) in items.iter().enumerate().take(fixed) {
        inside[k] = true;
        sums.add(it, u);
    }
    let frontier = |inside: &[bool]| -> Vec<usize> {
        match neighbours {
            None => (0..items.len()).filter(|&k| !inside[k]).collect(),
            Some(nb) => {
                let mut f: Vec<usize> = (0..items.len()).filter(|&k| inside[k]).flat_map(|k| nb[items[k].unit].iter().map(|&v| local[v])).filter(|&k| k != usize::MAX && !inside[k]).collect();
                f.sort_unstable();
                f.dedup();
                f
            }
        }
    };
    let mut best: Option<(f64, Vec<bool>)> = None;
    loop {
        let v0 = value(d, &sums);
        let deficit = unmet(d, &sums);
        if deficit.is_none() && best.as_ref().is_none_or(|(b, _)| v0 < *b) {
            best = Some((v0, inside.clone()));
        }
        let mut pick: Option<(f64, usize, Sums)> = None;
        for k in frontier(&inside) {
            let mut s = sums.clone();
            s.add(items[k], u);
            if !d.fits_max(&s) {
                continue;
            }
            let delta = value(d, &s) - v0;
            let score = match deficit {
                None => delta,
                Some((t, def)) => {
                    let a = items[k].attrs[t].min(def);
                    if delta < 0.0 {
                        delta - 1e30
                    } else if a > 0.0 {
                        delta / a
                    } else {
                        continue;
                    }
                }
            };
            if pick.as_ref().is_none_or(|(b, bk, _)| score < *b || score == *b && k < *bk) {
                pick = Some((score, k, s));
            }
        }
        match pick {
            Some((score, k, s)) if deficit.is_some() || score < -1e-9 => {
                inside[k] = true;
                sums = s;
            }
            _ => break,
        }
    }
    let (_, mut inside) = best?;
    let sums = trim(d, &items, fixed, &mut inside, u, neighbours.map(|nb| (nb, local.as_slice())));
    let mut units: Vec<usize> = (0..items.len()).filter(|&k| inside[k]).map(|k| items[k].unit).collect();
    units.sort_unstable();
    Some((value(d, &sums), units))
}

/// Take out of the area (`inside`) the units whose leaving lowers its value, the most first,
/// keeping the fixed ones, the thresholds and (with the neighbours and the local index) its
/// connectedness; the area's sums.
fn trim(d: &Pricing, items: &[&Item], fixed: usize, inside: &mut [bool], u: &[f64], graph: Option<(&[Vec<usize>], &[usize])>) -> Sums {
    let mut sums = Sums::zero(d.windows.len());
    (0..items.len()).filter(|&k| inside[k]).for_each(|k| sums.add(items[k], u));
    loop {
        let v0 = value(d, &sums);
        let mut pick: Option<(f64, usize, Sums)> = None;
        for k in fixed..items.len() {
            if !inside[k] {
                continue;
            }
            let mut s = sums.clone();
            s.remove(items[k], u);
            let delta = value(d, &s) - v0;
            if delta < -1e-9 && unmet(d, &s).is_none() && pick.as_ref().is_none_or(|(b, _, _)| delta < *b) {
                inside[k] = false;
                let connected = graph.is_none_or(|(nb, local)| connected(items, inside, nb, local));
                inside[k] = true;
                if connected {
                    pick = Some((delta, k, s));
                }
            }
        }
        let Some((_, k, s)) = pick else { return sums };
        inside[k] = false;
        sums = s;
    }
}

/// The units inside are connected (through units inside).
pub(super) fn connected(items: &[&Item], inside: &[bool], nb: &[Vec<usize>], local: &[usize]) -> bool {
    let mut seen = vec![false; items.len()];
    let mut stack = vec![0usize];
    seen[0] = true;
    let mut count = 1;
    while let Some(k) = stack.pop() {
        for &v in &nb[items[k].unit] {
            let w = local[v];
            if w != usize::MAX && inside[w] && !seen[w] {
                seen[w] = true;
                count += 1;
                stack.push(w);
            }
        }
    }
    count == inside.iter().filter(|&&b| b).count()
}
