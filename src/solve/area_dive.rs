//! Diving over the set-partitioning master: a primal heuristic for column generation. From the
//! master's LP optimum, the columns at (nearly) 1 and the largest fractional column that leaves
//! no hole (a part of the units left that no area fits in) are fixed at 1; the LP is re-solved
//! with heuristic pricing of areas that avoid the units already covered, and so on until the
//! LP's optimum is a partition.
//! - Artificial columns keep the LP feasible. When pricing cannot cover a unit without them, the
//!   fixed areas around it are freed and forbidden (`release`); an LP that fails undoes the last
//!   step and forbids its pick (`undo`). Both a few times at most.
//! - A dive that is stuck ends in the master's MIP with the fixings it holds (`complete`).
//! - Every bound is freed again at the end: the master is as it was, with the columns the dive
//!   priced in (they help the master's MIP later).

use super::area_master::{Duals, Master};
use std::time::Instant;

/// Pricing during a dive: add columns that price out at the duals and hold no covered unit;
/// the number added.
pub(super) type Price<'a> = dyn Fn(&Duals, &[bool], &mut Master) -> usize + 'a;

/// Whether the units left (not covered) hold a part that no area fits in.
pub(super) type Hole<'a> = dyn Fn(&[bool]) -> bool + 'a;

/// Dive from the master's LP until `deadline`: the columns of a partition, or None.
/// Artificial columns at cost `big` keep the LP feasible after a fix, so that pricing sees duals
/// that ask for the units left; they are switched off again at the end unless the master had
/// them before.
pub(super) fn dive(m: &mut Master, price: &Price, hole: &Hole, big: f64, neighbours: Option<&[Vec<usize>]>, deadline: Instant) -> Option<Vec<usize>> {
    let mut artificial: Vec<usize> = (0..m.columns.len()).filter(|&c| m.columns[c].hub == usize::MAX).collect();
    let had = !artificial.is_empty();
    if !had {
        let first = m.columns.len();
        m.add_artificial(big);
        artificial = (first..m.columns.len()).collect();
    }
    let mut d = Dive { covered: vec![false; m.units()], fixed: Vec::new(), touched: Vec::new(), backtracks: 0, artificial };
    let found = d.run(m, price, hole, neighbours, deadline);
    for &c in &d.touched {
        m.set_bounds(c, 0.0, f64::INFINITY);
    }
    for &c in &d.artificial {
        m.set_bounds(c, 0.0, if had { f64::INFINITY } else { 0.0 });
    }
    found
}

/// The dive's state: units covered by fixed columns, the fixed columns by step (the step's
/// fractional pick last), every column whose bounds changed, backtracks taken, the artificial
/// columns.
struct Dive {
    covered: Vec<bool>,
    fixed: Vec<Vec<usize>>,
    touched: Vec<usize>,
    backtracks: usize,
    artificial: Vec<usize>,
}

/// Columns at or above this value are fixed with the step's pick.
const NEARLY_ONE: f64 = 0.99;

/// Pricing rounds per step (each a re-solve of the LP).
const PRICE_ROUNDS: usize = 5;

/// Pricing rounds per step while the LP needs an artificial column.
const SHORT_ROUNDS: usize = 20;

/// Infeasible steps undone before the dive gives up.
const BACKTRACKS: usize = 10;

/// A dive that is stuck ends in the master's MIP over its columns with the fixings it holds.
fn complete(m: &mut Master, left: f64) -> Option<Vec<usize>> {
    m.solve_mip(left.min(COMPLETE_SECONDS), None, &[]).map(|(_, chosen)| chosen)
}

/// The most seconds of that MIP.
const COMPLETE_SECONDS: f64 = 2.0;

impl Dive {
    fn run(&mut self, m: &mut Master, price: &Price, hole: &Hole, neighbours: Option<&[Vec<usize>]>, deadline: Instant) -> Option<Vec<usize>> {
        let left = || deadline.saturating_duration_since(Instant::now()).as_secs_f64();
        let mut rounds = 0;
        while left() > 0.0 {
            let Some(duals) = m.solve_lp(left()) else {
                if left() <= 0.0 {
                    return None;
                }
                if !self.undo(m) {
                    return complete(m, left());
                }
                continue;
            };
            let x = m.values();
            let short = self.artificial.iter().any(|&c| x[c] > 1e-6);
            if rounds < if short { SHORT_ROUNDS } else { PRICE_ROUNDS } && price(&duals, &self.covered, m) > 0 {
                rounds += 1;
                continue;
            }
            rounds = 0;
            if short {
                if !self.release(m, &x, neighbours) {
                    return complete(m, left());
                }
                continue;
            }
            let free: Vec<usize> = (0..x.len()).filter(|&c| x[c] > 1e-6 && !self.is_fixed(c)).collect();
            if free.iter().all(|&c| x[c] >= 1.0 - 1e-6) {
                let chosen: Vec<usize> = (0..x.len()).filter(|&c| x[c] > 0.5).collect();
                return m.partition_cost(&chosen).map(|_| chosen);
            }
            let mut step: Vec<usize> = free.iter().copied().filter(|&c| x[c] >= NEARLY_ONE).collect();
            // The largest fractional column that leaves no hole no area fits in.
            let mut order: Vec<usize> = free.into_iter().filter(|&c| x[c] < NEARLY_ONE).collect();
            order.sort_by(|&a, &b| x[b].total_cmp(&x[a]).then(m.columns[a].cost.total_cmp(&m.columns[b].cost)));
            let base = self.with(m, &self.covered, &step);
            match order.into_iter().filter(|&c| m.columns[c].units.iter().all(|&i| !base[i])).find(|&c| !hole(&self.with(m, &base, &[c]))) {
                Some(pick) => step.push(pick),
                None if !hole(&base) && !step.is_empty() => {}
                None => {
                    if !self.undo(m) {
                        return complete(m, left());
                    }
                    continue;
                }
            }
            self.fix(m, step);
        }
        None
    }

    /// `covered` and the units of `columns`.
    fn with(&self, m: &Master, covered: &[bool], columns: &[usize]) -> Vec<bool> {
        let mut v = covered.to_vec();
        columns.iter().for_each(|&c| m.columns[c].units.iter().for_each(|&i| v[i] = true));
        v
    }

    fn is_fixed(&self, c: usize) -> bool {
        self.fixed.iter().any(|s| s.contains(&c))
    }

    fn fix(&mut self, m: &mut Master, step: Vec<usize>) {
        for &c in &step {
            m.set_bounds(c, 1.0, 1.0);
            m.columns[c].units.iter().for_each(|&i| self.covered[i] = true);
            self.touched.push(c);
        }
        self.fixed.push(step);
    }

    /// The LP (values `x`) still needs artificial columns: free every fixed step with a column
    /// next to a unit left uncovered and forbid those columns (the last step without the graph);
    /// false when nothing was freed or backtracks ran out.
    fn release(&mut self, m: &mut Master, x: &[f64], neighbours: Option<&[Vec<usize>]>) -> bool {
        let Some(nb) = neighbours else { return self.undo(m) };
        if self.backtracks == BACKTRACKS {
            return false;
        }
        let mut near = vec![false; self.covered.len()];
        for &c in self.artificial.iter().filter(|&&c| x[c] > 1e-6) {
            for &i in &m.columns[c].units {
                near[i] = true;
                nb[i].iter().for_each(|&v| near[v] = true);
            }
        }
        let (freed, kept): (Vec<Vec<usize>>, Vec<Vec<usize>>) = std::mem::take(&mut self.fixed).into_iter().partition(|step| step.iter().any(|&c| m.columns[c].units.iter().any(|&i| near[i])));
        self.fixed = kept;
        if freed.is_empty() {
            return false;
        }
        self.backtracks += 1;
        // The columns that closed the hole in are forbidden, so that the dive does not close it again.
        for &c in freed.iter().flatten() {
            let closing = m.columns[c].units.iter().any(|&i| near[i]);
            m.set_bounds(c, 0.0, if closing { 0.0 } else { f64::INFINITY });
        }
        self.cover(m);
        true
    }

    /// Mark the units of the fixed columns covered.
    fn cover(&mut self, m: &Master) {
        self.covered.iter_mut().for_each(|v| *v = false);
        for &c in self.fixed.iter().flatten() {
            m.columns[c].units.iter().for_each(|&i| self.covered[i] = true);
        }
    }

    /// Undo the last step and forbid its pick; false when there is none or backtracks ran out.
    fn undo(&mut self, m: &mut Master) -> bool {
        if self.backtracks == BACKTRACKS {
            return false;
        }
        let Some(step) = self.fixed.pop() else { return false };
        self.backtracks += 1;
        for &c in &step {
            m.set_bounds(c, 0.0, f64::INFINITY);
        }
        if let Some(&pick) = step.last() {
            m.set_bounds(pick, 0.0, 0.0);
        }
        self.cover(m);
        true
    }
}
