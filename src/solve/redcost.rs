//! Reduced-cost fixing against the incumbent (HiGHS's `HighsRedcostFixing`, done once per LP
//! round on the compact model's relaxation).

use super::highs_api::fix_column;
use crate::model;

/// Reduced-cost fixing: an x(i,j) at 0 in the LP whose reduced cost exceeds the gap between the
/// upper bound `ub` (the best objective known) and the LP bound `lp_obj` cannot be 1 in any
/// partition better than that; fix it to 0. Returns the count (0 without an upper bound).
pub(super) fn fix_by_reduced_cost(m: &mut highs::Model, vars: &model::Vars, cols: &[f64], duals: &[f64], lp_obj: f64, ub: Option<f64>, already: &mut [bool]) -> usize {
    let Some(ub) = ub else { return 0 };
    let gap = ub - lp_obj + 1e-7 * ub.abs();
    let mut fixed = 0;
    for x in vars.x.iter().flatten().flatten() {
        if cols[x.col] < 1e-9 && duals[x.col] > gap && !already[x.col] {
            fix_column(m, x.col, 0.0, already);
            fixed += 1;
        }
    }
    fixed
}
