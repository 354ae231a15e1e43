//! The search's progress as a small interface: the solve reports snapshots (phase, incumbent,
//! bound) to a sink; the CLI draws them as a live line on a terminal, and any other front end (the
//! workbench) can stream the same figures. Every bound reported is a valid lower bound on the
//! whole scenario's optimum, and every incumbent a partition's objective, so the gap is honest.

use std::sync::Arc;

/// One snapshot of the search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// What the search is doing (`heuristic`, `LP round 3`, `MIP round 1: 1 200 nodes`, …).
    pub phase: String,
    /// Objective of the best partition found so far.
    pub incumbent: Option<f64>,
    /// A proven lower bound on the optimum.
    pub bound: Option<f64>,
    /// The partition (hub per unit) whose objective is `incumbent`, when the search holds it
    /// (a front end that must stop the search early can still report it).
    pub partition: Option<Arc<Vec<usize>>>,
}

impl Progress {
    /// Relative gap between incumbent and bound.
    pub fn gap(&self) -> Option<f64> {
        super::relative_gap(self.incumbent, self.bound)
    }
}

/// `f(a, b)` when both are known, else whichever is (the least of two incumbents, the greatest
/// of two bounds).
pub fn either(a: Option<f64>, b: Option<f64>, f: fn(f64, f64) -> f64) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) => Some(f(a, b)),
        (a, b) => a.or(b),
    }
}

/// Where snapshots go (cheap to clone; called from the solving thread).
#[derive(Clone)]
pub struct ProgressSink(pub Arc<dyn Fn(&Progress) + Send + Sync>);

impl std::fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressSink")
    }
}

impl ProgressSink {
    /// A sink calling `f`.
    pub fn new(f: impl Fn(&Progress) + Send + Sync + 'static) -> ProgressSink {
        ProgressSink(Arc::new(f))
    }

    /// Report a snapshot.
    pub fn report(&self, phase: impl Into<String>, incumbent: Option<f64>, bound: Option<f64>) {
        self.send(phase.into(), incumbent, bound, None);
    }

    /// Report a snapshot with the incumbent's partition.
    pub fn report_partition(&self, phase: impl Into<String>, incumbent: &Option<(f64, Vec<usize>)>, bound: Option<f64>) {
        let (o, h) = match incumbent {
            Some((o, h)) => (Some(*o), Some(Arc::new(h.clone()))),
            None => (None, None),
        };
        self.send(phase.into(), o, bound, h);
    }

    fn send(&self, phase: String, incumbent: Option<f64>, bound: Option<f64>, partition: Option<Arc<Vec<usize>>>) {
        let bound = bound.map(|b| incumbent.map_or(b, |o| b.min(o)));
        (self.0)(&Progress { phase, incumbent, bound, partition });
    }

    /// A sink for a subproblem: its phase prefixed, its bound (valid for the subproblem only, and
    /// at least `own`, its LP bound) combined with `rest` (the least bound of the other
    /// subproblems) into a bound of the whole, its incumbent with `best` (the best partition of
    /// the whole so far).
    pub fn sub(&self, prefix: String, own: f64, rest: f64, best: Option<f64>) -> ProgressSink {
        let outer = self.clone();
        ProgressSink::new(move |p: &Progress| {
            let b = p.bound.map_or(own, |b| b.max(own)).min(rest);
            let bound = b.is_finite().then_some(b);
            let incumbent = either(p.incumbent, best, f64::min);
            // The subproblem's partition goes along only when it is the whole's incumbent.
            let partition = p.partition.clone().filter(|_| incumbent == p.incumbent);
            outer.send(format!("{prefix}: {}", p.phase), incumbent, bound, partition);
        })
    }
}
