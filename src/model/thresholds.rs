//! Constraint 3, size thresholds: m·x(j,j) ≤ Σ_i a(i)·x(i,j) ≤ M·x(j,j).

use super::Vars;
use crate::problem::Problem;
use good_lp::Constraint;

/// Both sides of every threshold for every candidate hub.
pub fn build(p: &Problem, v: &Vars) -> Vec<Constraint> {
    let mut rows = Vec::new();
    for t in &p.thresholds {
        for j in p.hubs() {
            let y = v.y(j).expect("candidate hub has x(j,j)");
            let sum = v.area_sum(j, |i| p.value(i, t.attr));
            if t.min > 0.0 {
                rows.push((sum.clone() - t.min * y.var).geq(0.0));
            }
            if t.max.is_finite() {
                rows.push((sum - t.max * y.var).leq(0.0));
            }
        }
    }
    rows
}
