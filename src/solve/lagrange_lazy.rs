//! Which columns an evaluation of the dual (see `lagrange`) must read at all.
//!
//! The bound takes the knapsacks of the open hubs only, the cheapest few; the subgradient too.
//! A column's knapsack value v(u) = min_x Σ_i (c(i,j) − u(i))·x(i) + … is concave in u and
//! falls by at most the rise of the multipliers it can take, each x(i) lying in [0, 1]:
//! v(u′) ≥ v(u) − (u′(j) − u(j)) − Σ_i max(0, u′(i) − u(i)). Keeping, for every column, its
//! value at the last point where it was read and the positive drift of the multipliers since
//! (summed over the evaluations between, a triangle inequality), each column has a lower bound at
//! the new point without being read. Only the columns whose lower bound could place them among
//! the cheapest are read: at most the count of areas first, then every one whose lower bound lies
//! at or below the dearest of those. A column left unread lies strictly above every open one, so
//! the selection, the bound and the subgradient are those of reading every column.
//!
//! On Oklahoma's 1 046 tracts a quarter of the columns are read per evaluation in the first
//! ascent (BENCHMARKS.md).

/// A column as last read: its value, the drift then, its hub's multiplier, its price and the size
/// of its terms (for the rounding margin of a bound that does not read it).
#[derive(Debug, Clone, Copy)]
pub(super) struct Read {
    pub value: f64,
    drift: f64,
    u_hub: f64,
    pub price: f64,
    pub scale: f64,
}

/// The chain of evaluated points of one ascent and what each column was when last read.
#[derive(Debug, Clone, Default)]
pub struct Lazy {
    /// The last point evaluated (empty before the first).
    last: Vec<f64>,
    /// Σ over the evaluations so far of Σ_i max(0, u(i) − last u(i)).
    drift: f64,
    /// By hub unit.
    reads: Vec<Option<Read>>,
}

impl Lazy {
    /// Move the chain to the point `u` (every evaluation of the ascent passes through here).
    pub(super) fn step(&mut self, u: &[f64]) {
        if self.last.len() == u.len() {
            self.drift += u.iter().zip(&self.last).map(|(a, b)| (a - b).max(0.0)).sum::<f64>();
            self.last.copy_from_slice(u);
        } else {
            self.last = u.to_vec();
            self.reads = vec![None; u.len()];
        }
    }

    /// A lower bound on the value at the current point of the column of hub `j` (−∞ if never
    /// read), and its last read.
    pub(super) fn lower(&self, j: usize, u: &[f64]) -> (f64, Option<Read>) {
        let Some(r) = self.reads.get(j).copied().flatten() else { return (f64::NEG_INFINITY, None) };
        if !r.value.is_finite() {
            // An empty window does not depend on u.
            return (r.value, Some(r));
        }
        let fall = (self.drift - r.drift) + (u[j] - r.u_hub);
        // Far more than the rounding of these few sums.
        let slack = 1e-9 * (r.value.abs() + (self.drift - r.drift).abs() + u[j].abs() + r.u_hub.abs()) + 1e-12;
        (r.value - fall - slack, Some(r))
    }

    /// Record that the column of hub `j` was read at the current point.
    pub(super) fn record(&mut self, j: usize, u: &[f64], value: f64, price: f64, scale: f64) {
        if let Some(slot) = self.reads.get_mut(j) {
            *slot = Some(Read { value, drift: self.drift, u_hub: u[j], price, scale });
        }
    }

    /// The columns to read, given the lower bound of each and whether it is forced open, when at
    /// most `most` are open: the forced ones and the `most` (less the forced) lowest others, with
    /// every column never read; then `more(threshold)` gives the rest to read once the dearest
    /// of those is known (see `after`).
    pub(super) fn first(lower: &[f64], forced: &[bool], most: usize) -> Vec<usize> {
        let need = most.saturating_sub(forced.iter().filter(|&&f| f).count());
        let mut rest: Vec<usize> = (0..lower.len()).filter(|&c| !forced[c]).collect();
        rest.sort_by(|&a, &b| lower[a].total_cmp(&lower[b]).then(a.cmp(&b)));
        let mut read: Vec<usize> = (0..lower.len()).filter(|&c| forced[c]).collect();
        for (k, &c) in rest.iter().enumerate() {
            if k < need || lower[c] == f64::NEG_INFINITY {
                read.push(c);
            } else {
                break;
            }
        }
        read
    }

    /// After the first reads: the dearest value the selection can reach (the `most`-th lowest
    /// value read among the columns not forced; −∞ when none is wanted, +∞ when too few were
    /// read), and the unread columns whose lower bound does not exceed it.
    pub(super) fn after(lower: &[f64], values: &[Option<f64>], forced: &[bool], most: usize) -> Vec<usize> {
        let need = most.saturating_sub(forced.iter().filter(|&&f| f).count());
        let threshold = if need == 0 {
            f64::NEG_INFINITY
        } else {
            let mut read: Vec<f64> = (0..lower.len()).filter(|&c| !forced[c]).filter_map(|c| values[c]).filter(|v| v.is_finite()).collect();
            if read.len() < need {
                f64::INFINITY
            } else {
                read.select_nth_unstable_by(need - 1, f64::total_cmp);
                read[need - 1]
            }
        };
        (0..lower.len()).filter(|&c| values[c].is_none() && lower[c] <= threshold).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_bound_falls_by_the_drift_and_the_hubs_rise() {
        let mut l = Lazy::default();
        l.step(&[1.0, 2.0, 3.0]);
        l.record(0, &[1.0, 2.0, 3.0], 10.0, 0.5, 20.0);
        // Unit 1 rises by 2, unit 2 falls by 1, the hub (unit 0) rises by 0.5.
        l.step(&[1.5, 4.0, 2.0]);
        let (lo, r) = l.lower(0, &[1.5, 4.0, 2.0]);
        // Drift 0.5 + 2 = 2.5, the hub's own rise 0.5 more: 10 − 3 = 7, less the slack.
        assert!(lo < 7.0 && lo > 7.0 - 1e-6, "{lo}");
        assert_eq!(r.unwrap().price, 0.5);
        // Another step back down: the drift only grows.
        l.step(&[1.0, 2.0, 3.0]);
        let (lo, _) = l.lower(0, &[1.0, 2.0, 3.0]);
        // Drift 2.5 + 1 (unit 2 back up), the hub back where it was read: 10 − 3.5.
        assert!(lo < 6.5 && lo > 6.5 - 1e-6, "{lo}");
        assert_eq!(l.lower(1, &[1.0, 2.0, 3.0]).0, f64::NEG_INFINITY);
    }

    #[test]
    fn reads_every_column_that_could_be_among_the_cheapest() {
        // Four columns, two open at most; column 3 forced.
        let lower = [5.0, 1.0, 9.0, 100.0];
        let forced = [false, false, false, true];
        assert_eq!(Lazy::first(&lower, &forced, 2), vec![3, 1]);
        // Column 1 reads 6: the one open column not forced may cost 6, and column 0 (lower 5)
        // could beat it; column 2 (lower 9) cannot.
        let values = [None, Some(6.0), None, Some(50.0)];
        assert_eq!(Lazy::after(&lower, &values, &forced, 2), vec![0]);
        // Never read: always read.
        let lower = [f64::NEG_INFINITY, 3.0, f64::NEG_INFINITY];
        assert_eq!(Lazy::first(&lower, &[false; 3], 1), vec![0, 2]);
    }
}
