//! Constraint 2, hubs (only hubs serve; forced hubs; fixed pairs) and constraint 6, number of areas.
//! Forbidden hubs and pairs have no variable at all (see `Problem::allowed`).

use super::Vars;
use crate::problem::Problem;
use good_lp::{Constraint, Expression};

/// x(i,j) ≤ x(j,j); x(j,j) = 1 for forced hubs; x(i,j) = 1 for fixed pairs.
pub fn build(p: &Problem, v: &Vars) -> Vec<Constraint> {
    let mut rows = Vec::new();
    for j in 0..p.n {
        let Some(y) = v.y(j) else { continue };
        for i in 0..p.n {
            if let (true, Some(x)) = (i != j, v.x[i][j]) {
                rows.push((Expression::from(x.var) - y.var).leq(0.0));
            }
        }
        if p.forced_hub[j] {
            rows.push(Expression::from(y.var).eq(1.0));
        }
    }
    for (i, f) in p.fixed.iter().enumerate() {
        if let Some(x) = f.and_then(|j| v.x[i][j]) {
            rows.push(Expression::from(x.var).eq(1.0));
        }
    }
    rows
}

/// p_min ≤ Σ_j x(j,j) ≤ p_max: one row Σ_j x(j,j) = K when the number is fixed to K (whose
/// right-hand side `count_bounds` moves from one K to the next).
pub fn number_of_areas(p: &Problem, v: &Vars) -> Vec<Constraint> {
    let mut e = Expression::from(0.0);
    for j in 0..p.n {
        if let Some(y) = v.y(j) {
            e.add_mul(1.0, y.var);
        }
    }
    let (lo, hi) = p.areas;
    if lo == hi {
        return vec![e.eq(lo as f64)];
    }
    let mut rows = Vec::new();
    if lo > 1 {
        rows.push(e.clone().geq(lo as f64));
    }
    if hi < p.n {
        rows.push(e.leq(hi as f64));
    }
    rows
}
