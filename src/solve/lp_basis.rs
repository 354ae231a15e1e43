//! An LP's optimal basis carried from one HiGHS model to another built alike (HiGHS's warm
//! start across models). The split by the number of areas solves each count's LP first
//! (`count_bounds`), to order the counts and prune them; each count's subproblem then built its
//! own model and solved the same LP again from nothing in its first round. On an 80-scenario
//! sweep sample those first rounds took 2.9 s of 26.7 s. Handed the count's basis, the first
//! round starts at the optimum: one factorisation, no presolve, a few iterations at most.
//!
//! Both models come from `model::build` of the same problem with the number of areas fixed (the
//! count LP moves its one row Σ x(j,j) = K), so their columns and their own rows are the same,
//! in the same order. Their cut rows may differ: a cut row is matched by its cut, and a row the
//! count LP did not have starts basic. HiGHS checks the basis it is given; one that does not
//! fit is refused, and the model is then solved from nothing, as before.

use crate::model::contiguity::Cut;
use highs_sys::HighsInt;
use std::collections::BTreeMap;

/// HiGHS's basis status of a basic column or row.
const BASIC: HighsInt = highs_sys::kHighsBasisStatusBasic;

/// An optimal basis of one number of areas' LP.
#[derive(Debug, Clone, PartialEq)]
pub struct LpBasis {
    /// The number of areas of the LP it solved.
    pub count: usize,
    /// The status of each column.
    cols: Vec<HighsInt>,
    /// The status of each of the model's own rows (those `model::build` made).
    rows: Vec<HighsInt>,
    /// The status of each cut row, by its cut.
    cuts: BTreeMap<Cut, HighsInt>,
}

impl LpBasis {
    /// The basis of the solved model `m` of `count` areas, whose first `rows` rows are
    /// `model::build`'s and the rest the rows of `cuts`, in order (None when HiGHS has none).
    pub(super) fn read(m: &mut highs::SolvedModel, count: usize, rows: usize, cuts: &[Cut]) -> Option<LpBasis> {
        let ptr = m.as_mut_ptr();
        // SAFETY: the live model's pointer; the buffers are sized by its own counts.
        unsafe {
            let (ncol, nrow) = (highs_sys::Highs_getNumCol(ptr) as usize, highs_sys::Highs_getNumRow(ptr) as usize);
            if nrow != rows + cuts.len() {
                return None;
            }
            let (mut cols, mut all) = (vec![0 as HighsInt; ncol], vec![0 as HighsInt; nrow]);
            if highs_sys::Highs_getBasis(ptr, cols.as_mut_ptr(), all.as_mut_ptr()) == highs_sys::STATUS_ERROR {
                return None;
            }
            let cuts = cuts.iter().cloned().zip(all[rows..].iter().copied()).collect();
            all.truncate(rows);
            Some(LpBasis { count, cols, rows: all, cuts })
        }
    }

    /// Hand the basis to the model `m` (the same columns; `model::build`'s `rows` rows, then the
    /// rows of `cuts`, in order): true when HiGHS took it. A cut row the basis does not know
    /// starts basic; a basis that then does not have one basic variable per row is not offered.
    pub(super) fn give(&self, m: &mut highs::Model, rows: usize, cuts: &[Cut]) -> bool {
        let ptr = m.as_mut_ptr();
        let mut row_status = self.rows.clone();
        row_status.extend(cuts.iter().map(|c| self.cuts.get(c).copied().unwrap_or(BASIC)));
        let basic = self.cols.iter().chain(&row_status).filter(|&&s| s == BASIC).count();
        // SAFETY: the live model's pointer; both arrays have its numbers of columns and rows
        // (checked first).
        unsafe {
            let (ncol, nrow) = (highs_sys::Highs_getNumCol(ptr) as usize, highs_sys::Highs_getNumRow(ptr) as usize);
            if ncol != self.cols.len() || rows != self.rows.len() || nrow != row_status.len() || basic != nrow {
                return false;
            }
            highs_sys::Highs_setBasis(ptr, self.cols.as_ptr(), row_status.as_ptr()) != highs_sys::STATUS_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instance::Instance;
    use crate::model;
    use crate::problem::Problem;
    use crate::scenario::Scenario;
    use crate::solve::count_bounds::{lp_bounds, CountLp};
    use crate::solve::highs_api::{add_row_leq_zero, set_options};

    /// The LP of `q` (its number of areas fixed) with the rows of `cuts`, solved as a relaxation,
    /// from `basis` when given: (whether HiGHS took the basis, objective, simplex iterations).
    fn solve(q: &Problem, cuts: &[Cut], basis: Option<&LpBasis>) -> (bool, f64, i64) {
        let model::Built { highs: mut m, vars, rows, .. } = model::build(q, false);
        let added: Vec<Cut> = cuts.iter().filter(|c| vars.x[c.i][c.j].is_some()).cloned().collect();
        for c in &added {
            add_row_leq_zero(&mut m, &c.row(&vars)).unwrap();
        }
        set_options(&mut m, q, q.n * q.n, 60.0, false).unwrap();
        m.try_set_option("solve_relaxation", true).unwrap();
        let taken = basis.is_some_and(|b| b.give(&mut m, rows, &added));
        let solved = m.try_solve().unwrap();
        assert_eq!(solved.status(), highs::HighsModelStatus::Optimal);
        (taken, solved.objective_value(), solved.simplex_iteration_count())
    }

    /// The count LP's basis, handed to a model of the same count built alike (its cut rows in
    /// another order, and more of them), is taken, and the first LP then ends where a solve from
    /// nothing does, in a fraction of its iterations; a model with other columns refuses it.
    #[test]
    fn the_count_lps_basis_starts_the_subproblems_first_lp_at_its_optimum() {
        let inst = Instance::builtin().unwrap();
        let mut sc = Scenario::default();
        for arg in ["time_value=0", "trips_per_jobseeker=2"] {
            sc.set_arg(arg).unwrap();
        }
        let p = Problem::new(&inst, &sc).unwrap();
        let cuts = crate::solve::solve(&p, &Default::default()).unwrap().cut_list;
        assert!(cuts.len() >= 20, "only {} cuts", cuts.len());
        let (known, more) = (&cuts[..cuts.len() / 2], &cuts[..]);
        for k in [2, 3, 4] {
            let got = lp_bounds(&p, &[k], known, 60.0, f64::INFINITY, Some(k)).unwrap();
            let [CountLp::Solved(value, _, _, Some(basis))] = &got[..] else { panic!("count {k}: {got:?}") };
            let mut q = p.clone();
            q.areas = (k, k);
            // The same cuts, in the reverse order.
            let reversed: Vec<Cut> = known.iter().rev().cloned().collect();
            let (cold_taken, cold, cold_iterations) = solve(&q, &reversed, None);
            let (taken, warm, iterations) = solve(&q, &reversed, Some(basis));
            assert!(!cold_taken && taken, "count {k}: basis not taken");
            let tol = 1e-7 * cold.abs();
            assert!((warm - cold).abs() <= tol && (warm - value).abs() <= tol, "count {k}: {warm} from the basis, {cold} from nothing, {value} in the count LP");
            assert!(iterations * 10 <= cold_iterations.max(10), "count {k}: {iterations} iterations from the basis, {cold_iterations} from nothing");
            // More cuts than the count LP had: their rows start basic, and the LP still ends at its optimum.
            let (taken, warm_more, _) = solve(&q, more, Some(basis));
            let (_, cold_more, _) = solve(&q, more, None);
            assert!(taken && (warm_more - cold_more).abs() <= tol && warm_more >= cold - tol, "count {k}: {warm_more} against {cold_more}");
            // Other columns (the flow formulation adds some): refused.
            let model::Built { highs: mut m, rows, .. } = model::build(&q, true);
            assert!(!basis.give(&mut m, rows, &[]), "count {k}: a basis given to a model with other columns");
        }
    }
}
