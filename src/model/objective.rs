//! The objective, €/year: travel_weight·T + equalisation_weight·Σ e(j) + production_weight·Σ C(j).

use super::{equalisation::production_cost, Vars};
use crate::problem::Problem;
use good_lp::Expression;

/// The linear objective over the model's variables.
pub fn build(p: &Problem, v: &Vars) -> Expression {
    let sc = p.sc;
    let mut obj = Expression::from(0.0);
    for i in 0..p.n {
        for j in 0..p.n {
            if let Some(x) = v.x[i][j] {
                obj.add_mul(sc.travel_weight * p.travel[i][j], x.var);
            }
        }
    }
    for j in p.hubs().into_iter().filter(|_| sc.employment_terms()) {
        obj.add_mul(sc.equalisation_weight, v.e[j].expect("candidate hub has e(j)").var);
        if sc.production_weight != 0.0 {
            obj += sc.production_weight * production_cost(p, v, j);
        }
    }
    obj
}
