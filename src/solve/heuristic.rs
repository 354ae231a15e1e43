//! A contiguity-preserving start: agglomerative construction, repair of a non-contiguous solution,
//! and local search (boundary moves, best hub per area). Gives HiGHS an incumbent and gives the
//! time-limited solve a valid partition to report.

use crate::instance::adjacency::components;
use crate::problem::Problem;
use crate::solution::{area_cost as cost, areas_of};
use std::time::Instant;

fn sums_ok(p: &Problem, members: &[usize], check_min: bool) -> bool {
    p.thresholds.iter().all(|t| {
        let s: f64 = members.iter().map(|&i| p.value(i, t.attr)).sum();
        s <= t.max + 1e-9 && (!check_min || s >= t.min - 1e-9)
    })
}

fn connected(p: &Problem, members: &[usize]) -> bool {
    !p.sc.contiguity || components(&p.nb, members).len() <= 1
}

/// Best hub for a set of members (None when no unit may serve all of them).
pub(crate) fn best_hub(p: &Problem, members: &[usize]) -> Option<usize> {
    if let Some(&f) = members.iter().find(|&&j| p.forced_hub[j]) {
        let ok = members.iter().all(|&i| p.allowed[i][f]) && members.iter().filter(|&&j| p.forced_hub[j]).count() == 1;
        return ok.then_some(f);
    }
    let fixed_hub = members.iter().find_map(|&i| p.fixed[i]);
    members
        .iter()
        .copied()
        .filter(|&j| fixed_hub.is_none_or(|f| f == j))
        .filter(|&j| members.iter().all(|&i| p.allowed[i][j]))
        .min_by(|&a, &b| {
            let ta: f64 = members.iter().map(|&i| p.travel[i][a]).sum();
            let tb: f64 = members.iter().map(|&i| p.travel[i][b]).sum();
            ta.total_cmp(&tb).then(a.cmp(&b))
        })
}

/// Is `hub_of` a feasible partition of the problem (thresholds, hubs, pairs, contiguity, count)?
pub fn feasible(p: &Problem, hub_of: &[usize]) -> bool {
    let areas = areas_of(hub_of);
    let k = areas.len();
    k >= p.areas.0
        && k <= p.areas.1
        && (0..p.n).all(|j| !p.forced_hub[j] || hub_of[j] == j)
        && areas.iter().all(|(&j, m)| hub_of[j] == j && m.iter().all(|&i| p.allowed[i][j]) && sums_ok(p, m, true) && connected(p, m))
}

/// The feasible partition of `pool` that costs least under this problem, with its objective.
pub fn cheapest<'a>(p: &Problem, pool: &'a [Vec<usize>]) -> Option<(f64, &'a Vec<usize>)> {
    pool.iter().filter(|h| h.len() == p.n && feasible(p, h)).map(|h| (crate::solution::evaluate(p, h).objective, h)).min_by(|a, b| a.0.total_cmp(&b.0))
}

/// Build a partition by merging neighbouring clusters, neediest first, cheapest merge first.
pub fn construct(p: &Problem, deadline: Instant) -> Option<Vec<usize>> {
    let mut clusters: Vec<Vec<usize>> = (0..p.n).map(|i| vec![i]).collect();
    // Fixed pairs start together.
    for i in 0..p.n {
        if let Some(j) = p.fixed[i] {
            let (ci, cj) = (clusters.iter().position(|c| c.contains(&i))?, clusters.iter().position(|c| c.contains(&j))?);
            if ci != cj {
                let moved = clusters[ci].clone();
                clusters[cj].extend(moved);
                clusters.remove(ci);
            }
        }
    }
    merge_up(p, clusters, deadline)
}

/// Merge clusters until every one meets the thresholds, has a hub and is contiguous, and the
/// number of areas is within range; None when no merge can get there before the deadline.
/// The neediest cluster merges with the neighbour (any cluster without contiguity, up to
/// `ALL_PAIRS` clusters) that adds least cost. Each cluster's need and cost are kept, and
/// neighbours are found through a unit → cluster index, so a merge costs about the size of the
/// clusters involved rather than of the whole instance (thousands of units stay fast).
fn merge_up(p: &Problem, clusters: Vec<Vec<usize>>, deadline: Instant) -> Option<Vec<usize>> {
    const ALL_PAIRS: usize = 400;
    let need = |c: &[usize]| -> f64 {
        let mut r = f64::INFINITY;
        for t in p.thresholds.iter().filter(|t| t.min > 0.0) {
            r = r.min(c.iter().map(|&i| p.value(i, t.attr)).sum::<f64>() / t.min);
        }
        if best_hub(p, c).is_none() || !connected(p, c) {
            r = r.min(0.0);
        }
        r
    };
    let base = |c: &[usize]| best_hub(p, c).map(|h| cost(p, h, c)).unwrap_or(0.0);
    let mut slots: Vec<Option<Vec<usize>>> = clusters.into_iter().map(Some).collect();
    let mut cid = vec![usize::MAX; p.n];
    for (k, c) in slots.iter().enumerate() {
        c.iter().flatten().for_each(|&i| cid[i] = k);
    }
    let mut needs: Vec<f64> = slots.iter().map(|c| need(c.as_deref().unwrap_or(&[]))).collect();
    let mut costs: Vec<f64> = slots.iter().map(|c| base(c.as_deref().unwrap_or(&[]))).collect();
    let mut live = slots.len();
    loop {
        if Instant::now() >= deadline {
            return None;
        }
        let needy = (0..slots.len()).filter(|&a| slots[a].is_some() && needs[a] < 1.0 - 1e-12).min_by(|&a, &b| needs[a].total_cmp(&needs[b]));
        let sources: Vec<usize> = match needy {
            Some(a) => vec![a],
            None if live > p.areas.1 => (0..slots.len()).filter(|&a| slots[a].is_some()).collect(),
            None => break,
        };
        let mut best: Option<(f64, usize, usize)> = None;
        for &a in &sources {
            let ca = slots[a].as_ref().expect("a live cluster");
            let mut cands: Vec<usize> = if !p.sc.contiguity && live <= ALL_PAIRS {
                (0..slots.len()).filter(|&b| b != a && slots[b].is_some()).collect()
            } else {
                ca.iter().flat_map(|&u| p.nb[u].iter().map(|&v| cid[v])).filter(|&b| b != a).collect()
            };
            cands.sort_unstable();
            cands.dedup();
            for b in cands {
                let cb = slots[b].as_ref().expect("a live cluster");
                let merged: Vec<usize> = ca.iter().chain(cb).copied().collect();
                if !sums_ok(p, &merged, false) {
                    continue;
                }
                let Some(h) = best_hub(p, &merged) else { continue };
                let delta = cost(p, h, &merged) - costs[a] - costs[b];
                if best.is_none_or(|(d, _, _)| delta < d) {
                    best = Some((delta, a, b));
                }
            }
        }
        let (_, a, b) = best?;
        let moved = slots[a].take().expect("a live cluster");
        moved.iter().for_each(|&i| cid[i] = b);
        let cb = slots[b].as_mut().expect("a live cluster");
        cb.extend(moved);
        needs[b] = need(cb);
        costs[b] = base(cb);
        live -= 1;
    }
    let mut hub_of = vec![0; p.n];
    for c in slots.iter().flatten() {
        let h = best_hub(p, c)?;
        for &i in c {
            hub_of[i] = h;
        }
    }
    feasible(p, &hub_of).then_some(hub_of)
}

/// Make a (possibly non-contiguous or too small) assignment feasible: every connected piece of an
/// area becomes a cluster, and clusters are merged as in `construct` until all meet the rules.
pub fn repair(p: &Problem, hub_of: &[usize], deadline: Instant) -> Option<Vec<usize>> {
    let mut clusters = Vec::new();
    for members in areas_of(hub_of).into_values() {
        if p.sc.contiguity {
            clusters.extend(components(&p.nb, &members));
        } else {
            clusters.push(members);
        }
    }
    merge_up(p, clusters, deadline)
}

/// Local search on a feasible partition: move boundary units and re-choose hubs while it pays.
pub fn improve(p: &Problem, hub_of: &mut [usize], deadline: Instant) {
    for _round in 0..50 {
        if Instant::now() >= deadline {
            return;
        }
        let mut better = false;
        // Best hub of each area.
        for (j, members) in areas_of(hub_of) {
            if let Some(h) = best_hub(p, &members) {
                if h != j && cost(p, h, &members) < cost(p, j, &members) - 1e-6 {
                    members.iter().for_each(|&i| hub_of[i] = h);
                    better = true;
                }
            }
        }
        // Single-unit moves across area borders.
        for i in 0..p.n {
            if Instant::now() >= deadline {
                return;
            }
            let from = hub_of[i];
            if i == from || p.fixed[i].is_some() {
                continue;
            }
            let mut targets: Vec<usize> = p.nb[i].iter().map(|&k| hub_of[k]).filter(|&t| t != from && p.allowed[i][t]).collect();
            if !p.sc.contiguity {
                targets = areas_of(hub_of).keys().copied().filter(|&t| t != from && p.allowed[i][t]).collect();
            }
            targets.sort_unstable();
            targets.dedup();
            let src: Vec<usize> = (0..p.n).filter(|&k| hub_of[k] == from && k != i).collect();
            if !sums_ok(p, &src, true) || !connected(p, &src) {
                continue;
            }
            let before_src = cost(p, from, &(0..p.n).filter(|&k| hub_of[k] == from).collect::<Vec<_>>());
            let after_src = cost(p, from, &src);
            for t in targets {
                let dst_old: Vec<usize> = (0..p.n).filter(|&k| hub_of[k] == t).collect();
                let mut dst = dst_old.clone();
                dst.push(i);
                if !sums_ok(p, &dst, true) {
                    continue;
                }
                let delta = after_src + cost(p, t, &dst) - before_src - cost(p, t, &dst_old);
                if delta < -1e-6 {
                    hub_of[i] = t;
                    better = true;
                    break;
                }
            }
        }
        better |= Instant::now() < deadline && merge_areas(p, hub_of);
        better |= Instant::now() < deadline && split_areas(p, hub_of);
        if !better {
            break;
        }
    }
}

/// A feasible partition with a number of areas in the problem's range, made from `hub_of` by
/// merging the cheapest neighbouring pairs or splitting the cheapest areas (None when that fails).
pub fn to_count(p: &Problem, hub_of: &[usize]) -> Option<Vec<usize>> {
    let mut h = hub_of.to_vec();
    for _ in 0..p.n {
        let k = areas_of(&h).len();
        let moved = if k > p.areas.1 {
            merge_two(p, &mut h, true)
        } else if k < p.areas.0 {
            split_one(p, &mut h, true)
        } else {
            break;
        };
        if !moved {
            return None;
        }
    }
    feasible(p, &h).then_some(h)
}

/// Merge two neighbouring areas when one area costs less than both (e.g. one administration).
fn merge_areas(p: &Problem, hub_of: &mut [usize]) -> bool {
    merge_two(p, hub_of, false)
}

/// Merge the two neighbouring areas whose merger pays most (with `force`, costs least, even when
/// it does not pay).
fn merge_two(p: &Problem, hub_of: &mut [usize], force: bool) -> bool {
    let areas = areas_of(hub_of);
    if areas.len() <= p.areas.0 && !force {
        return false;
    }
    let mut best: Option<(f64, usize, usize, usize)> = None;
    for (&a, ma) in &areas {
        for (&b, mb) in areas.range(a + 1..) {
            if p.sc.contiguity && !ma.iter().any(|&u| p.nb[u].iter().any(|&v| hub_of[v] == b)) {
                continue;
            }
            let merged: Vec<usize> = ma.iter().chain(mb).copied().collect();
            if !sums_ok(p, &merged, true) {
                continue;
            }
            let Some(h) = best_hub(p, &merged) else { continue };
            let delta = cost(p, h, &merged) - cost(p, a, ma) - cost(p, b, mb);
            if (force || delta < -1e-6) && best.is_none_or(|(d, ..)| delta < d) {
                best = Some((delta, a, b, h));
            }
        }
    }
    let Some((_, a, b, h)) = best else { return false };
    for x in hub_of.iter_mut() {
        if *x == a || *x == b {
            *x = h;
        }
    }
    true
}

/// Split an area in two around a second hub (members go to the nearer hub, then contiguity is
/// restored) when the two areas cost less than the one.
fn split_areas(p: &Problem, hub_of: &mut [usize]) -> bool {
    split_one(p, hub_of, false)
}

/// Split the area whose split pays most (with `force`, costs least, even when it does not pay).
fn split_one(p: &Problem, hub_of: &mut [usize], force: bool) -> bool {
    let areas = areas_of(hub_of);
    if areas.len() >= p.areas.1 && !force {
        return false;
    }
    let mut best: Option<(f64, usize, Vec<usize>)> = None;
    for (&j, members) in &areas {
        let base = cost(p, j, members);
        for &h in members.iter().filter(|&&h| h != j && p.allowed[h][h] && p.fixed[h].is_none_or(|f| f == h)) {
            let Some((a, b)) = split_at(p, members, j, h) else { continue };
            let delta = cost(p, j, &a) + cost(p, h, &b) - base;
            if (force || delta < -1e-6) && best.as_ref().is_none_or(|(d, ..)| delta < *d) {
                best = Some((delta, h, b));
            }
        }
    }
    let Some((_, h, b)) = best else { return false };
    b.iter().for_each(|&i| hub_of[i] = h);
    true
}

fn split_at(p: &Problem, members: &[usize], j: usize, h: usize) -> Option<(Vec<usize>, Vec<usize>)> {
    let mut to_h: Vec<bool> = vec![false; p.n];
    for &m in members {
        let forced = p.fixed[m];
        to_h[m] = m == h || (m != j && forced != Some(j) && (forced == Some(h) || p.travel[m][h] < p.travel[m][j]) && p.allowed[m][h]);
    }
    for _ in 0..2 {
        let a: Vec<usize> = members.iter().copied().filter(|&m| !to_h[m]).collect();
        for piece in components(&p.nb, &a).into_iter().filter(|c| !c.contains(&j) && p.sc.contiguity) {
            piece.iter().for_each(|&m| to_h[m] = true);
        }
        let b: Vec<usize> = members.iter().copied().filter(|&m| to_h[m]).collect();
        for piece in components(&p.nb, &b).into_iter().filter(|c| !c.contains(&h) && p.sc.contiguity) {
            piece.iter().for_each(|&m| to_h[m] = false);
        }
    }
    let a: Vec<usize> = members.iter().copied().filter(|&m| !to_h[m]).collect();
    let b: Vec<usize> = members.iter().copied().filter(|&m| to_h[m]).collect();
    let ok = |hub: usize, part: &[usize]| part.iter().all(|&m| p.allowed[m][hub] && p.fixed[m].is_none_or(|f| f == hub)) && sums_ok(p, part, true) && connected(p, part);
    (ok(j, &a) && ok(h, &b)).then_some((a, b))
}
