//! The live model without what is fixed away (HiGHS's presolve, for a model re-solved from its
//! basis). HiGHS presolves an LP only when it starts from nothing: re-solved from a basis, as
//! every probe, every hub-set LP and every LP round after the first are, it carries each column
//! fixed at zero and each row those columns leave redundant through every iteration. After the
//! first LP round of Northern Ostrobothnia's defaults, reduced-cost fixing has fixed half of the
//! assignment columns x(i,j). So, between rounds, the columns x(i,j) (i ≠ j) fixed at zero and
//! nonbasic are deleted from the model, and then the rows that no longer constrain anything
//! (their activity, over the bounds of the columns left, lies within their sides) whose slack is
//! basic: HiGHS keeps the basis valid through both deletions, and the next solve starts from it.
//!
//! The first n rows (the assignment rows, which `lp_parts` reads as such) are never deleted. A
//! hub column x(j,j) is never deleted either, fixed or not: the hub sets and probing read a hub's
//! state from its column. The model's variables (`Vars`) are renumbered to the columns left, and a
//! deleted pair has no column, as a pair the problem never allowed.

use super::highs_api::Lp;
use crate::model::Vars;
use highs_sys::HighsInt;

/// Shrink only when at least this share of the columns can go (each shrink makes HiGHS factor
/// its basis again).
const MIN_SHARE: f64 = 0.05;

/// HiGHS's basis status of a basic column or row…
const BASIC: HighsInt = highs_sys::kHighsBasisStatusBasic;
/// …and of a nonbasic one at its lower bound.
const AT_LOWER: HighsInt = highs_sys::kHighsBasisStatusLower;

/// Delete from the live model `m` (whose variables are `vars`, and `fixed` its columns fixed by the
/// search) the assignment columns fixed at zero and the rows this leaves redundant (see the
/// module's note); the number of columns and rows deleted. The model's solution is gone
/// afterwards (its basis is kept): solve it again before reading one.
pub(super) fn shrink(vars: &mut Vars, fixed: &mut Vec<bool>, m: &mut highs::Model) -> (usize, usize) {
    let ptr = m.as_mut_ptr();
    // SAFETY: the live model's pointer; every buffer is sized by its own counts.
    unsafe {
        let Some(lp) = Lp::read(ptr) else { return (0, 0) };
        let (mut col_status, mut row_status) = (vec![0 as HighsInt; lp.ncol], vec![0 as HighsInt; lp.nrow]);
        if highs_sys::Highs_getBasis(ptr, col_status.as_mut_ptr(), row_status.as_mut_ptr()) == highs_sys::STATUS_ERROR {
            return (0, 0);
        }
        let fixed_at_zero = |col: usize| lp.col_lower[col] == 0.0 && lp.col_upper[col] == 0.0;
        let mut gone = vec![false; lp.ncol];
        for (i, row) in vars.x.iter().enumerate() {
            for (j, x) in row.iter().enumerate() {
                let Some(x) = x.filter(|_| i != j) else { continue };
                // A closed hub serves no one (x(i,j) ≤ x(j,j)): its pairs are fixed at zero too.
                let closed = vars.y(j).is_some_and(|y| fixed_at_zero(y.col)) && col_status[x.col] == AT_LOWER;
                gone[x.col] = (fixed_at_zero(x.col) && col_status[x.col] != BASIC) || closed;
            }
        }
        let cols = gone.iter().filter(|&&g| g).count();
        if cols == 0 || (cols as f64) < MIN_SHARE * lp.ncol as f64 {
            return (0, 0);
        }
        let redundant = redundant_rows(&lp, &gone, vars.x.len());
        let mut row_mask: Vec<HighsInt> = (0..lp.nrow).map(|r| HighsInt::from(redundant[r] && row_status[r] == BASIC)).collect();
        let rows = row_mask.iter().filter(|&&d| d == 1).count();
        let mut col_mask: Vec<HighsInt> = gone.iter().map(|&g| HighsInt::from(g)).collect();
        if highs_sys::Highs_deleteColsByMask(ptr, col_mask.as_mut_ptr()) == highs_sys::STATUS_ERROR {
            // The model is as it was, or HiGHS could not say: renumber nothing.
            return (0, 0);
        }
        renumber(vars, fixed, &col_mask);
        // (Rows are not numbered anywhere: a deletion HiGHS refuses leaves them, redundant, in.)
        let rows = if rows > 0 && highs_sys::Highs_deleteRowsByMask(ptr, row_mask.as_mut_ptr()) != highs_sys::STATUS_ERROR { rows } else { 0 };
        (cols, rows)
    }
}

/// Which rows constrain nothing once the columns `gone` are out: every row past the first `keep`
/// whose least and greatest activity over the other columns' bounds lie within its sides.
fn redundant_rows(lp: &Lp, gone: &[bool], keep: usize) -> Vec<bool> {
    let (mut lo, mut hi) = (vec![0.0f64; lp.nrow], vec![0.0f64; lp.nrow]);
    for c in (0..lp.ncol).filter(|&c| !gone[c]) {
        for k in lp.start[c]..lp.start[c + 1] {
            let (r, a) = (lp.index[k] as usize, lp.value[k]);
            let (at_lo, at_hi) = (a * lp.col_lower[c], a * lp.col_upper[c]);
            // 0·∞ is 0: a zero coefficient moves nothing.
            let (small, large) = if a == 0.0 { (0.0, 0.0) } else if a > 0.0 { (at_lo, at_hi) } else { (at_hi, at_lo) };
            lo[r] += small;
            hi[r] += large;
        }
    }
    (0..lp.nrow).map(|r| r >= keep && lo[r] >= lp.row_lower[r] && hi[r] <= lp.row_upper[r]).collect()
}

/// Renumber the model's variables after HiGHS deleted columns: `mask` holds each old column's new
/// index, or −1 for a deleted one (whose pair then has no column).
fn renumber(vars: &mut Vars, fixed: &mut Vec<bool>, mask: &[HighsInt]) {
    let new = |col: usize| usize::try_from(mask[col]).ok();
    for x in vars.x.iter_mut().flatten() {
        *x = x.and_then(|mut v| new(v.col).map(|col| {
            v.col = col;
            v
        }));
    }
    for v in vars.s.iter_mut().chain(vars.e.iter_mut()).flatten() {
        v.col = new(v.col).expect("only assignment columns are deleted");
    }
    for f in &mut vars.flow {
        f.3.col = new(f.3.col).expect("only assignment columns are deleted");
    }
    let mut kept = vec![false; mask.iter().filter(|&&m| m >= 0).count()];
    for (old, &m) in mask.iter().enumerate() {
        if let Ok(m) = usize::try_from(m) {
            kept[m] = fixed[old];
        }
    }
    *fixed = kept;
    vars.ncols = fixed.len();
}

#[cfg(test)]
mod on_the_builtin_instance {
    use super::*;
    use crate::instance::Instance;
    use crate::problem::Problem;
    use crate::scenario::Scenario;
    use crate::solve::highs_api::{lp_solution, resolve};
    use crate::solve::redcost::fix_by_reduced_cost;

    /// The objective of the live model, solved as an LP (relaxation) or as the MIP.
    fn solve(m: &mut highs::Model, relaxation: bool) -> f64 {
        m.try_set_option("solve_relaxation", relaxation).unwrap();
        assert!(resolve(m), "optimal");
        lp_solution(m).2
    }

    /// Fixed by reduced cost against 1 % above the LP, the model keeps its LP value and its MIP
    /// optimum after the shrink, and every column left keeps its cost and bounds under its new
    /// number; the shrink does delete columns and rows.
    #[test]
    fn a_shrunk_model_keeps_its_lp_value_its_optimum_and_its_columns() {
        let inst = Instance::builtin().unwrap();
        for (set, k) in [(&[][..], 3), (&["min.labour_force=15000"][..], 4), (&["time_value=0", "trips_per_jobseeker=2"][..], 2)] {
            let mut sc = Scenario::default();
            for arg in set {
                sc.set_arg(arg).unwrap();
            }
            let mut p = Problem::new(&inst, &sc).unwrap();
            p.areas = (k, k);
            let crate::model::Built { highs: mut m, mut vars, .. } = crate::model::build(&p, false);
            m.make_quiet();
            let root = solve(&mut m, true);
            let (cols, duals, _) = lp_solution(&m);
            let mut fixed = vec![false; vars.ncols];
            let n_fixed = fix_by_reduced_cost(&mut m, &vars, &cols, &duals, root, Some(root * 1.01), &mut fixed);
            let (lp, mip) = (solve(&mut m, true), solve(&mut m, false));
            solve(&mut m, true);
            // SAFETY: the live model.
            let before = unsafe { Lp::read(m.as_mut_ptr()) }.unwrap();
            let old: Vec<(usize, usize, usize)> = crate::solve::columns::x_columns(&vars);
            let (s_old, e_old): (Vec<_>, Vec<_>) = (vars.s.clone(), vars.e.clone());
            let (gone_cols, gone_rows) = shrink(&mut vars, &mut fixed, &mut m);
            assert!(n_fixed > 0 && gone_cols > 0 && gone_rows > 0, "{set:?}: {n_fixed} fixed, {gone_cols} columns and {gone_rows} rows deleted");
            let after = unsafe { Lp::read(m.as_mut_ptr()) }.unwrap();
            assert_eq!((after.ncol, after.nrow), (before.ncol - gone_cols, before.nrow - gone_rows));
            assert_eq!(vars.ncols, after.ncol);
            let same = |o: usize, c: usize| before.cost[o] == after.cost[c] && before.col_lower[o] == after.col_lower[c] && before.col_upper[o] == after.col_upper[c];
            for (i, j, o) in old {
                match vars.x[i][j] {
                    Some(x) => assert!(same(o, x.col), "{set:?}: x({i},{j}) moved from {o} to {}", x.col),
                    None => assert!(before.col_upper[o] == 0.0 || vars.y(j).is_some_and(|y| after.col_upper[y.col] == 0.0), "{set:?}: x({i},{j}) deleted but free"),
                }
            }
            for (a, b) in s_old.iter().zip(&vars.s).chain(e_old.iter().zip(&vars.e)) {
                if let (Some(a), Some(b)) = (a, b) {
                    assert!(same(a.col, b.col), "{set:?}: s/e moved from {} to {}", a.col, b.col);
                }
            }
            let tol = 1e-7 * lp.abs();
            let (lp2, mip2) = (solve(&mut m, true), solve(&mut m, false));
            assert!((lp2 - lp).abs() <= tol, "{set:?}: LP {lp2} after against {lp} before");
            assert!((mip2 - mip).abs() <= tol, "{set:?}: MIP {mip2} after against {mip} before");
        }
    }
}
