//! Constraint 4, staffing: caseload·s(j) ≥ Σ_i jobseekers(i)·x(i,j) and s(j) ≥ min_staff·x(j,j).

use super::Vars;
use crate::problem::Problem;
use good_lp::{Constraint, Expression};

/// The staffing rows of every candidate hub.
pub fn build(p: &Problem, v: &Vars) -> Vec<Constraint> {
    let mut rows = Vec::new();
    for j in p.hubs() {
        let Some(s) = v.s[j] else { continue };
        let y = v.y(j).expect("candidate hub has x(j,j)");
        let load = v.area_sum(j, |i| p.jobseekers[i]);
        rows.push((p.sc.caseload * s.var - load).geq(0.0));
        if p.sc.min_staff > 0.0 {
            rows.push((Expression::from(s.var) - p.sc.min_staff.ceil() * y.var).geq(0.0));
        }
    }
    rows
}
