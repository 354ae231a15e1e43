//! The LP bound of each number of areas, for the split by count (`split`). The LP's optimal value
//! v(K) as a function of the right-hand side K of its one row Σ x(j,j) = K is convex (the value
//! function of a linear programme is convex in its right-hand side; the contiguity cut rows are
//! the same for every K), and its feasible K form an interval. So after two neighbouring counts,
//! with v(K) − v(K−1) = s > 0, every count K + m further on bounds at v(K) + m·s; once that passes
//! the incumbent, the counts beyond are not solved: they cannot hold a cheaper partition. One LP
//! alone argues as much: the dual λ of its row Σ x(j,j) = K stays feasible for every right-hand
//! side, so v(K′) ≥ v(K) + λ·(K′ − K) (on Northern Ostrobothnia's travel-only corner, the two
//! areas' λ puts three areas above the incumbent without their LP). The LPs start at the
//! incumbent's count and walk outwards, up then down.

use super::columns::pair_count;
use super::highs_api::{add_row_leq_zero, set_options};
use super::lp_basis::LpBasis;
use crate::error::{Error, Result};
use crate::model;
use crate::problem::Problem;

/// What is known of one number of areas' LP.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum CountLp {
    /// Solved: its optimal value, hub values x(j,j), duals of the assignment rows and optimal
    /// basis (for the count's subproblem to start from).
    Solved(f64, Vec<f64>, Vec<f64>, Option<std::sync::Arc<LpBasis>>),
    /// Its LP is infeasible, or lies beyond a count whose LP is (no partition has this count).
    Infeasible,
    /// Not solved to optimality in time: no bound beyond the trivial one.
    Unknown,
    /// Not solved: convexity bounds it below by this value, at or above the incumbent.
    Above(f64),
}

impl CountLp {
    /// Its lower bound (∞ when no partition has this count).
    pub fn bound(&self) -> f64 {
        match self {
            CountLp::Solved(b, ..) | CountLp::Above(b) => *b,
            CountLp::Infeasible => f64::INFINITY,
            CountLp::Unknown => f64::NEG_INFINITY,
        }
    }
}

/// The LP bound of every count in `counts` (increasing, consecutive), each found or argued (see
/// the module's note) against the incumbent's objective `ub` (∞: every LP is solved). `first` is
/// the count to start from (the incumbent's).
pub(super) fn lp_bounds(p: &Problem, counts: &[usize], cuts: &[model::contiguity::Cut], limit: f64, ub: f64, first: Option<usize>) -> Result<Vec<CountLp>> {
    if counts.is_empty() {
        return Ok(Vec::new());
    }
    let start = first.and_then(|k| counts.iter().position(|&c| c == k)).unwrap_or(0);
    let mut lp = CountModel::new(p, counts[start], cuts, limit)?;
    let mut out: Vec<Option<CountLp>> = vec![None; counts.len()];
    // Each solved count's row dual (the down walk starts where the up walk did).
    let mut duals: Vec<Option<f64>> = vec![None; counts.len()];
    let up: Vec<usize> = (start..counts.len()).collect();
    let down: Vec<usize> = (0..=start).rev().collect();
    for path in [up, down] {
        let mut walk = Walk::default();
        // Along the up walk the count rises by one a step, along the down walk it falls.
        let direction = if path.len() > 1 && path[1] < path[0] { -1.0 } else { 1.0 };
        for (m, &at) in path.iter().enumerate() {
            let known = match out[at].take().or_else(|| walk.argued(ub)) {
                Some(known) => known,
                None => {
                    let (known, dual) = lp.solve(p, counts[at])?;
                    duals[at] = dual;
                    known
                }
            };
            walk.step(m, &known, duals[at].map(|d| d * direction));
            out[at] = Some(known);
        }
    }
    Ok(out.into_iter().map(|o| o.unwrap_or(CountLp::Unknown)).collect())
}

/// One walk outwards from the first count: the last two LP values met on it, and whether it has
/// left the interval of feasible counts.
#[derive(Default)]
struct Walk {
    /// (position on the walk, value) of the last two solved counts, latest last.
    last: Vec<(usize, f64)>,
    /// (position, value, slope along the walk) of the last solved count whose row dual is known.
    tangent: Option<(usize, f64, f64)>,
    feasible_seen: bool,
    beyond: bool,
    /// The position of the next step.
    next: usize,
}

impl Walk {
    /// The next count's bound when convexity (or the end of the feasible interval) gives it
    /// without solving, and it is at or above `ub`.
    fn argued(&self, ub: f64) -> Option<CountLp> {
        if self.beyond {
            return Some(CountLp::Infeasible);
        }
        let b = self.by_chord().into_iter().chain(self.by_tangent()).reduce(f64::max)?;
        (b >= ub).then_some(CountLp::Above(b))
    }

    /// The next count's bound by convexity through the last two solved counts (when they are
    /// neighbours and rising).
    fn by_chord(&self) -> Option<f64> {
        let [(m0, v0), (m1, v1)] = self.last[..] else { return None };
        if m1 != m0 + 1 || v1 <= v0 {
            return None;
        }
        let steps = (self.next - m1) as f64;
        // The LP values are HiGHS's, optimal within its tolerances: a relative 10⁻⁷ of each,
        // taken off for every step, keeps the extrapolation below the true convex bound.
        let slack = 1e-7 * (v0.abs() + v1.abs() + 1.0) * (steps + 1.0);
        Some(v1 + steps * (v1 - v0) - slack)
    }

    /// The next count's bound by the last solved count's row dual (its dual solution priced at
    /// the next right-hand side). HiGHS's duals are feasible within its tolerances: a relative
    /// 10⁻⁶ of the terms is taken off.
    fn by_tangent(&self) -> Option<f64> {
        let (m1, v1, slope) = self.tangent?;
        let steps = (self.next - m1) as f64;
        let slack = 1e-6 * (v1.abs() + (slope * steps).abs() + 1.0);
        Some(v1 + slope * steps - slack).filter(|_| slope > 0.0)
    }

    /// Record what the count at position `m` of the walk turned out to be (with its row dual's
    /// slope along the walk, when solved).
    fn step(&mut self, m: usize, known: &CountLp, slope: Option<f64>) {
        self.next = m + 1;
        match known {
            CountLp::Solved(v, ..) if v.is_finite() => {
                self.feasible_seen = true;
                self.last.push((m, *v));
                if self.last.len() > 2 {
                    self.last.remove(0);
                }
                self.tangent = slope.filter(|s| s.is_finite()).map(|s| (m, *v, s));
            }
            // Past the end of the interval of feasible counts: every count beyond is infeasible.
            CountLp::Infeasible => self.beyond = self.feasible_seen,
            CountLp::Above(_) => {}
            _ => {
                self.last.clear();
                self.tangent = None;
            }
        }
    }
}

/// The compact model's LP with its contiguity cuts, built with the number of areas fixed, whose
/// row Σ x(j,j) = K is moved from count to count (each solve warm from the one before).
struct CountModel {
    m: Option<highs::Model>,
    vars: model::Vars,
    /// The row of the number of areas.
    row: highs_sys::HighsInt,
    /// The number of rows `model::build` made (the cut rows follow).
    rows: usize,
    /// The cuts whose rows follow, in order.
    cuts: Vec<model::contiguity::Cut>,
}

impl CountModel {
    /// The model of `p` with its number of areas fixed to `k` (any count: `solve` moves it).
    fn new(p: &Problem, k: usize, cuts: &[model::contiguity::Cut], limit: f64) -> Result<CountModel> {
        let mut q = p.clone();
        q.areas = (k, k);
        let model::Built { highs: mut m, vars, rows, count_row } = model::build(&q, false);
        let row = count_row.ok_or_else(|| Error::Solver("the model has no row of the number of areas".into()))? as highs_sys::HighsInt;
        let mut added = Vec::new();
        if p.sc.contiguity {
            for c in cuts.iter().filter(|c| vars.x[c.i][c.j].is_some()) {
                add_row_leq_zero(&mut m, &c.row(&vars))?;
                added.push(c.clone());
            }
        }
        set_options(&mut m, p, pair_count(p), limit, false)?;
        m.try_set_option("solve_relaxation", true).map_err(|_| Error::Solver("HiGHS rejected solve_relaxation".into()))?;
        // No presolve: it runs before the first count's LP only (the others start from the
        // basis before them), and on the 80-scenario sweep sample the first LPs took 1.3–1.5 s
        // without it against 2.0–2.2 s with it.
        m.try_set_option("presolve", "off").map_err(|_| Error::Solver("HiGHS rejected presolve".into()))?;
        Ok(CountModel { m: Some(m), vars, row, rows, cuts: added })
    }

    /// The LP with Σ x(j,j) = k, and (when solved) the dual of that row.
    fn solve(&mut self, p: &Problem, k: usize) -> Result<(CountLp, Option<f64>)> {
        let mut m = self.m.take().ok_or_else(|| Error::Solver("the LP of the number of areas was lost".into()))?;
        // SAFETY: `row` is a row of this model.
        unsafe { highs_sys::Highs_changeRowBounds(m.as_mut_ptr(), self.row, k as f64, k as f64) };
        let mut solved = m.try_solve().map_err(|e| Error::Solver(format!("HiGHS failed: {e:?}")))?;
        let known = match solved.status() {
            highs::HighsModelStatus::Optimal => {
                let basis = LpBasis::read(&mut solved, k, self.rows, &self.cuts).map(std::sync::Arc::new);
                let sol = solved.get_solution();
                let y = (0..p.n).map(|j| self.vars.y(j).map_or(0.0, |v| sol.columns()[v.col])).collect();
                let dual = sol.dual_rows().get(self.row as usize).copied();
                (CountLp::Solved(solved.objective_value(), y, sol.dual_rows()[..p.n].to_vec(), basis), dual)
            }
            highs::HighsModelStatus::Infeasible => (CountLp::Infeasible, None),
            _ => (CountLp::Unknown, None),
        };
        self.m = Some(solved.into());
        Ok(known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk over given LP values (None: infeasible): which positions it argues instead of
    /// solving, against `ub`.
    fn walk(values: &[Option<f64>], ub: f64) -> Vec<CountLp> {
        let mut w = Walk::default();
        let mut out = Vec::new();
        for (m, v) in values.iter().enumerate() {
            let known = w.argued(ub).unwrap_or(match v {
                Some(v) => CountLp::Solved(*v, Vec::new(), Vec::new(), None),
                None => CountLp::Infeasible,
            });
            w.step(m, &known, None);
            out.push(known);
        }
        out
    }

    #[test]
    fn convexity_prunes_only_counts_whose_extrapolation_passes_the_incumbent() {
        // Convex values 10, 12, 15, 19: after 10 and 12 the next is argued ≥ 14 (< ub 14.5: solved),
        // after 12 and 15 the next ≥ 18 ≥ 14.5: argued, not solved.
        let got = walk(&[Some(10.0), Some(12.0), Some(15.0), Some(19.0), Some(30.0)], 14.5);
        assert!(matches!(got[2], CountLp::Solved(v, ..) if v == 15.0));
        let CountLp::Above(b3) = got[3] else { panic!("{got:?}") };
        let CountLp::Above(b4) = got[4] else { panic!("{got:?}") };
        assert!(b3 <= 18.0 && b3 > 17.99 && b4 <= 21.0 && b4 > 20.99, "{b3} {b4}");
        // A decreasing stretch argues nothing.
        let got = walk(&[Some(20.0), Some(15.0), Some(12.0)], 1.0);
        assert!(got.iter().all(|k| matches!(k, CountLp::Solved(..))));
        // Infeasible after a feasible count: every count beyond is too; infeasible first: no inference.
        let got = walk(&[Some(5.0), None, Some(1.0)], f64::INFINITY);
        assert_eq!(got[2], CountLp::Infeasible);
        let got = walk(&[None, Some(1.0)], f64::INFINITY);
        assert!(matches!(got[1], CountLp::Solved(..)));
    }

    #[test]
    fn a_rising_row_dual_argues_the_counts_beyond_alone() {
        // One solved count, value 10 with slope 3 along the walk: the next is argued ≥ 13 − slack
        // against ub 12.5, the one after ≥ 16 − slack; a falling slope argues nothing.
        let mut w = Walk::default();
        w.step(0, &CountLp::Solved(10.0, Vec::new(), Vec::new(), None), Some(3.0));
        let Some(CountLp::Above(b)) = w.argued(12.5) else { panic!("not argued") };
        assert!(b < 13.0 && b > 12.99, "{b}");
        assert_eq!(w.argued(13.5), None);
        w.step(1, &CountLp::Above(b), None);
        let Some(CountLp::Above(b)) = w.argued(15.5) else { panic!("not argued two steps on") };
        assert!(b < 16.0 && b > 15.99, "{b}");
        let mut w = Walk::default();
        w.step(0, &CountLp::Solved(10.0, Vec::new(), Vec::new(), None), Some(-3.0));
        assert_eq!(w.argued(0.0), None);
    }
}

#[cfg(test)]
mod on_the_builtin_instance {
    use super::*;
    use crate::instance::Instance;
    use crate::scenario::Scenario;

    /// Every count argued without solving has a bound at or below its LP's true value (all LPs
    /// solved), and at or above the incumbent given; the solved ones are the same LPs.
    #[test]
    fn argued_bounds_lie_below_the_solved_lps() {
        let inst = Instance::builtin().unwrap();
        for set in [&[][..], &["min.labour_force=15000"], &["time_value=0", "trips_per_jobseeker=2"]] {
            let mut sc = Scenario::default();
            for arg in set {
                sc.set_arg(arg).unwrap();
            }
            let p = Problem::new(&inst, &sc).unwrap();
            let counts: Vec<usize> = (1..=9).collect();
            let all = lp_bounds(&p, &counts, &[], 60.0, f64::INFINITY, Some(3)).unwrap();
            assert!(all.iter().all(|k| !matches!(k, CountLp::Above(_))));
            let least = all.iter().map(CountLp::bound).fold(f64::INFINITY, f64::min);
            let ub = least * 1.01;
            let some = lp_bounds(&p, &counts, &[], 60.0, ub, Some(3)).unwrap();
            let mut argued = 0;
            for (k, (a, s)) in all.iter().zip(&some).enumerate() {
                match s {
                    CountLp::Above(b) => {
                        argued += 1;
                        assert!(*b >= ub && *b <= a.bound() + 1e-9 * a.bound().abs(), "count {}: argued {b}, LP {a:?}", k + 1);
                    }
                    _ => assert!((s.bound() - a.bound()).abs() <= 1e-6 * a.bound().abs().max(1.0) || s.bound() == a.bound(), "count {}: {s:?} against {a:?}", k + 1),
                }
            }
            assert!(argued > 0, "nothing argued against {ub} ({all:?})");
        }
    }
}
