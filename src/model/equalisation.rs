//! Constraint 5, equalisation: e(j) ≥ C(j) − Σ_i funding(i)·x(i,j), with C(j) the production cost.

use super::Vars;
use crate::problem::Problem;
use good_lp::{Constraint, Expression};

/// C(j) = admin_cost·x(j,j) (provincial_admin_cost under a provincial lead) + staff_cost·s(j) + service_cost·Σ_i jobseekers(i)·x(i,j).
pub fn production_cost(p: &Problem, v: &Vars, j: usize) -> Expression {
    let y = v.y(j).expect("candidate hub has x(j,j)");
    let s = v.s[j].expect("candidate hub has s(j)");
    let mut c = v.area_sum(j, |i| p.sc.service_cost * p.jobseekers[i]);
    c.add_mul(p.sc.area_admin_cost(), y.var);
    c.add_mul(p.sc.staff_cost, s.var);
    c
}

/// e(j) − C(j) + Σ funding·x ≥ 0 for every candidate hub.
pub fn build(p: &Problem, v: &Vars) -> Vec<Constraint> {
    p.hubs()
        .into_iter()
        .filter_map(|j| {
            let e = v.e[j]?;
            let funding = v.area_sum(j, |i| p.funding[i]);
            Some((Expression::from(e.var) - production_cost(p, v, j) + funding).geq(0.0))
        })
        .collect()
}
