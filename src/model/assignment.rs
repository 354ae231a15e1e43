//! Constraint 1, assignment: every unit in exactly one area.

use super::Vars;
use crate::problem::Problem;
use good_lp::{Constraint, Expression};

/// Σ_j x(i,j) = 1 for every unit i.
pub fn build(p: &Problem, v: &Vars) -> Vec<Constraint> {
    (0..p.n)
        .map(|i| {
            let mut e = Expression::from(0.0);
            for x in v.x[i].iter().flatten() {
                e.add_mul(1.0, x.var);
            }
            e.eq(1.0)
        })
        .collect()
}
