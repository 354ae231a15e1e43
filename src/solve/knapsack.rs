//! The knapsack of one hub in whole units: min Σ r(i)·x(i) subject to lo ≤ Σ a(i)·x(i) ≤ hi,
//! x binary, by depth-first branch and bound over the units in order of r/a, each node bounded
//! by its LP (the greedy, from prefix sums in O(log n)). Where the LP of the Lagrangian phase
//! takes a fraction of one unit to fill the window exactly, this prices the area in whole
//! units; its value is never below the LP's, and it is a lower bound even when the search stops
//! at its node limit (the least bound of the nodes left open is then taken).

/// A knapsack over items (cost r, size a ≥ 0) with the window [lo, hi] on the size.
pub struct Knapsack {
    /// Cost of the items taken whatever the window (size 0, negative cost), and their indices.
    base: f64,
    base_items: Vec<usize>,
    /// Items of positive size by increasing r/a: (r, a, index in the input).
    items: Vec<(f64, f64, usize)>,
    /// Prefix sums of sizes and costs over `items`.
    size: Vec<f64>,
    cost: Vec<f64>,
    /// The first item of non-negative cost (those before it lower the objective).
    first_positive: usize,
}

/// What the search reached.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Solved {
    /// A lower bound on the optimum (the optimum itself when `exact`); +∞ when no selection fits.
    pub bound: f64,
    /// The search ended before its node limit.
    pub exact: bool,
}

impl Knapsack {
    pub fn new(items: impl IntoIterator<Item = (f64, f64)>) -> Knapsack {
        let (mut base, mut base_items) = (0.0, Vec::new());
        let mut v: Vec<(f64, f64, usize)> = Vec::new();
        for (idx, (r, a)) in items.into_iter().enumerate() {
            if a > 0.0 {
                v.push((r, a, idx));
            } else if r < 0.0 {
                base += r;
                base_items.push(idx);
            }
        }
        v.sort_by(|x, y| (x.0 / x.1).total_cmp(&(y.0 / y.1)).then(x.2.cmp(&y.2)));
        let (mut size, mut cost) = (vec![0.0; v.len() + 1], vec![0.0; v.len() + 1]);
        for (k, &(r, a, _)) in v.iter().enumerate() {
            size[k + 1] = size[k] + a;
            cost[k + 1] = cost[k] + r;
        }
        let first_positive = v.iter().position(|x| x.0 >= 0.0).unwrap_or(v.len());
        Knapsack { base, base_items, items: v, size, cost, first_positive }
    }

    /// The LP optimum over items k.. with the window [lo, hi] (already less what is taken),
    /// whether it is integral, and the end e of the items it takes whole (k..e, in order); None
    /// when no fraction of them fits.
    fn lp(&self, k: usize, lo: f64, hi: f64) -> Option<(f64, bool, usize)> {
        let m = self.items.len();
        if hi < 0.0 || self.size[m] - self.size[k] < lo {
            return None;
        }
        let z = self.first_positive.max(k);
        let neg = self.size[z] - self.size[k];
        // Fill from item k in ratio order up to size `to`, within [k, end).
        let fill = |to: f64, end: usize| -> (f64, bool, usize) {
            let target = self.size[k] + to;
            // The first t with size[t + 1] > target: items k..t whole, item t in part.
            let t = self.size[k..=end].partition_point(|&s| s <= target) + k - 1;
            if t >= end {
                return (self.cost[end] - self.cost[k], true, end);
            }
            let part = (target - self.size[t]) / self.items[t].1;
            (self.cost[t] - self.cost[k] + part * self.items[t].0, part <= 0.0, t)
        };
        Some(if neg > hi {
            fill(hi, z)
        } else if neg >= lo {
            (self.cost[z] - self.cost[k], true, z)
        } else {
            fill(lo, m)
        })
    }

    /// Solve within `node_limit` nodes.
    pub fn solve(&self, lo: f64, hi: f64, node_limit: usize) -> Solved {
        self.solve_taking(lo, hi, node_limit).0
    }

    /// Solve within `node_limit` nodes, with the best selection found (indices into the input
    /// items; None when none fits or none was found).
    pub fn solve_taking(&self, lo: f64, hi: f64, node_limit: usize) -> (Solved, Option<Vec<usize>>) {
        let lo = lo.max(0.0);
        let Some((root, integral, end)) = self.lp(0, lo, hi) else { return (Solved { bound: f64::INFINITY, exact: true }, None) };
        if integral {
            return (Solved { bound: self.base + root, exact: true }, Some(self.selection(&[], usize::MAX, 0, end)));
        }
        // Included items as a tree: (parent, item); nodes name their last inclusion.
        let mut taken: Vec<(usize, usize)> = Vec::new();
        let mut best = (f64::INFINITY, usize::MAX, 0, 0);
        // Open nodes: (first undecided item, size taken, cost taken, LP bound, last inclusion).
        let mut stack: Vec<(usize, f64, f64, f64, usize)> = vec![(0, 0.0, 0.0, root, usize::MAX)];
        let mut nodes = 0;
        while let Some((k, s, c, b, path)) = stack.pop() {
            if b >= best.0 {
                continue;
            }
            nodes += 1;
            if nodes > node_limit {
                let open = stack.iter().map(|x| x.3).fold(b, f64::min);
                let found = best.0.is_finite().then(|| self.selection(&taken, best.1, best.2, best.3));
                return (Solved { bound: self.base + best.0.min(open), exact: false }, found);
            }
            let (r, a, _) = self.items[k];
            let mut children = Vec::with_capacity(2);
            for take in [false, true] {
                let (s2, c2) = if take { (s + a, c + r) } else { (s, c) };
                if s2 > hi {
                    continue;
                }
                let path2 = if take {
                    taken.push((path, k));
                    taken.len() - 1
                } else {
                    path
                };
                if k + 1 == self.items.len() {
                    if s2 >= lo && c2 < best.0 {
                        best = (c2, path2, 0, 0);
                    }
                    continue;
                }
                if let Some((v, integral, end)) = self.lp(k + 1, lo - s2, hi - s2) {
                    let bound = c2 + v;
                    if integral && bound < best.0 {
                        best = (bound, path2, k + 1, end);
                    } else if !integral && bound < best.0 {
                        children.push((k + 1, s2, c2, bound, path2));
                    }
                }
            }
            // The child with the lower bound is explored first.
            children.sort_by(|x, y| y.3.total_cmp(&x.3));
            stack.extend(children);
        }
        let found = best.0.is_finite().then(|| self.selection(&taken, best.1, best.2, best.3));
        (Solved { bound: self.base + best.0, exact: true }, found)
    }

    /// The input indices of a selection: the items on the inclusion path ending at `path`, the
    /// items from..to (in ratio order), and the free ones.
    fn selection(&self, taken: &[(usize, usize)], mut path: usize, from: usize, to: usize) -> Vec<usize> {
        let mut out = self.base_items.clone();
        while path != usize::MAX {
            out.push(self.items[taken[path].1].2);
            path = taken[path].0;
        }
        out.extend(self.items[from..to].iter().map(|x| x.2));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every subset, for comparison.
    fn brute(items: &[(f64, f64)], lo: f64, hi: f64) -> f64 {
        let mut best = f64::INFINITY;
        for mask in 0u32..(1 << items.len()) {
            let (mut s, mut c) = (0.0, 0.0);
            for (k, &(r, a)) in items.iter().enumerate() {
                if mask >> k & 1 == 1 {
                    s += a;
                    c += r;
                }
            }
            if s >= lo.max(0.0) - 1e-9 && s <= hi + 1e-9 {
                best = best.min(c);
            }
        }
        best
    }

    #[test]
    fn the_search_agrees_with_every_subset() {
        let mut x: u64 = 7;
        let mut next = || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) as f64 / (1u64 << 31) as f64
        };
        for case in 0..400 {
            let n = 1 + case % 12;
            let items: Vec<(f64, f64)> = (0..n).map(|_| (20.0 * next() - 8.0, (10.0 * next()).floor())).collect();
            let total: f64 = items.iter().map(|x| x.1).sum();
            let lo = total * next() * 0.8;
            let hi = lo + total * 0.3 * next();
            let want = brute(&items, lo, hi);
            let (got, sel) = Knapsack::new(items.iter().copied()).solve_taking(lo, hi, 1_000_000);
            assert!(got.exact);
            if let Some(sel) = &sel {
                // The selection is one that fits and costs the optimum.
                let size: f64 = sel.iter().map(|&i| items[i].1).sum();
                let cost: f64 = sel.iter().map(|&i| items[i].0).sum();
                assert!(size >= lo.max(0.0) - 1e-9 && size <= hi + 1e-9, "case {case}: selection of size {size} outside [{lo}, {hi}]");
                assert!((cost - got.bound).abs() <= 1e-9 * cost.abs().max(1.0), "case {case}: selection costs {cost}, bound {}", got.bound);
            } else {
                assert!(want.is_infinite(), "case {case}: no selection where one fits");
            }
            if want.is_finite() {
                assert!((got.bound - want).abs() <= 1e-9 * want.abs().max(1.0), "case {case}: {} vs {want} ({items:?}, [{lo}, {hi}])", got.bound);
            } else {
                assert!(got.bound.is_infinite(), "case {case}: {} where nothing fits", got.bound);
            }
            // Stopped early, the search still bounds the optimum from below.
            let early = Knapsack::new(items.iter().copied()).solve(lo, hi, 2);
            assert!(early.bound <= want + 1e-9 * want.abs().max(1.0), "case {case}: early bound {} above {want}", early.bound);
        }
    }

    #[test]
    fn a_window_between_two_units_costs_the_whole_unit() {
        // The LP takes half of the second unit (cost 1 + 0.5·4 = 3); whole units: 1 + 4 = 5.
        let k = Knapsack::new([(1.0, 2.0), (4.0, 2.0)]);
        assert_eq!(k.solve(3.0, 10.0, 100), Solved { bound: 5.0, exact: true });
    }
}
