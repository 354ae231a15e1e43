//! The best objective shared between solves on several threads (part of the search state: each
//! search reads it as a cutoff through `Search::cutoff`, and its MIP callback interrupts a round
//! when it falls below the round's cutoff; see `SolveOptions::shared_cutoff`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// The least objective found so far by solves running side by side (location–allocation starts,
/// hub sets two at a time, the numbers of areas of `split`): objectives ≥ 0, whose bit patterns
/// order as their values.
#[derive(Debug, Clone)]
pub struct SharedBest(Arc<AtomicU64>);

impl SharedBest {
    pub fn new(v: f64) -> SharedBest {
        SharedBest(Arc::new(AtomicU64::new(v.max(0.0).to_bits())))
    }

    pub fn get(&self) -> f64 {
        f64::from_bits(self.0.load(Ordering::Relaxed))
    }

    /// Lower it to `v` if `v` is less.
    pub fn offer(&self, v: f64) {
        if v >= 0.0 {
            self.0.fetch_min(v.to_bits(), Ordering::Relaxed);
        }
    }
}
