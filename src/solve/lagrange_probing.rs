//! Lagrangian hub probing (after the fixing rounds of `dual_fixing`): each candidate hub that the
//! incumbent leaves closed is forced open in a copy of the relaxation, and the dual is ascended a
//! few steps from the best multipliers. Every value of the dual function is a lower bound (weak
//! duality), so a hub whose forced bound exceeds the incumbent's objective opens in no cheaper
//! partition and is closed. This is hub probing (`probing`) done on the dual instead of the
//! compact LP: no LP solve per hub, and the whole-unit knapsacks stay whole.

use super::lagrange::{Ascent, Fixings, Relaxation};
use std::time::Instant;

/// What probing did: hubs probed and closed.
#[derive(Debug, Default, Clone, Copy)]
pub struct Probed {
    pub probed: usize,
    pub closed: usize,
}

/// Probe the candidate hubs outside `keep` (the incumbent's hubs, which a partition of value
/// `ub` opens) against `ub`, dearest column first, until `until` or until `STALL_PROBES` probes
/// in a row close nothing (the dearest close first; on a generated 800-unit graph 1 of 205
/// closed in 15 s that the MIP then lacked); the hubs closed leave `rel` and the best dual of
/// `a` is evaluated again.
pub fn probe(rel: &mut Relaxation, a: &mut Ascent, ub: f64, keep: &[usize], until: Instant) -> Probed {
    let Some(best) = a.best.as_ref() else { return Probed::default() };
    let mut order: Vec<usize> = (0..rel.columns()).filter(|&c| !rel.is_forced(rel.hub(c)) && !keep.contains(&rel.hub(c))).collect();
    order.sort_by(|&x, &y| best.value[y].total_cmp(&best.value[x]).then(x.cmp(&y)));
    let mut out = Probed::default();
    let mut closed = Vec::new();
    let mut since = 0;
    for c in order {
        if Instant::now() >= until || since >= STALL_PROBES {
            break;
        }
        out.probed += 1;
        since += 1;
        if closes(rel, a, rel.hub(c), ub, until) {
            closed.push(rel.hub(c));
            since = 0;
        }
    }
    out.closed = closed.len();
    if !closed.is_empty() {
        rel.remove(Fixings { pairs: Vec::new(), hubs: closed });
        rel.rebase(a);
    }
    out
}

/// Whether the dual with hub `j` forced open rises above `ub` (by more than the rounding of both
/// sides) within `PROBE_EVALS` evaluations from the best multipliers of `a` (on a copy of `a`;
/// `rel` is as before when it returns).
fn closes(rel: &mut Relaxation, a: &Ascent, j: usize, ub: f64, until: Instant) -> bool {
    rel.set_forced(j, true);
    let mut b = a.clone();
    rel.rebase(&mut b);
    let above = |b: &Ascent| b.best.as_ref().is_some_and(|d| d.bound > ub + 1e-9 * ub.abs() + d.margin);
    if !above(&b) {
        rel.ascend(&mut b, Some(ub), until, PROBE_EVALS);
    }
    rel.set_forced(j, false);
    above(&b)
}

/// Evaluations of the dual per probed hub.
const PROBE_EVALS: usize = 40;

/// Probes in a row that close nothing before probing stops.
const STALL_PROBES: usize = 10;
