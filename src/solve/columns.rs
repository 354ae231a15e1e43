//! Between partitions and the compact model's columns: a partition as a MIP start, a solution
//! as a partition, the LP's hub values, and how many x(i,j) columns the problem allows.

use crate::model;
use crate::problem::Problem;
use crate::solution::evaluate;

/// The model's column values of a partition (x, advisers s(j), equalisation e(j)): a MIP start.
pub(super) fn column_values(p: &Problem, vars: &model::Vars, hub_of: &[usize]) -> Vec<f64> {
    let mut cols = vec![0.0; vars.ncols];
    let ev = evaluate(p, hub_of);
    for (i, &j) in hub_of.iter().enumerate() {
        if let Some(x) = vars.x[i][j] {
            cols[x.col] = 1.0;
        }
    }
    for a in &ev.areas {
        if let Some(s) = vars.s[a.hub] {
            cols[s.col] = a.advisers;
        }
        if let Some(e) = vars.e[a.hub] {
            cols[e.col] = a.equalisation;
        }
    }
    cols
}

/// (unit, hub, column) of every x(i,j) column of the model.
pub(super) fn x_columns(vars: &model::Vars) -> Vec<(usize, usize, usize)> {
    vars.x.iter().enumerate().flat_map(|(i, row)| row.iter().enumerate().filter_map(move |(j, v)| v.map(|v| (i, j, v.col)))).collect()
}

/// The hub of every unit in a column vector of the model (None when a unit has no hub).
pub(super) fn hub_of_solution(n: usize, x_cols: &[(usize, usize, usize)], x: &[f64]) -> Option<Vec<usize>> {
    let mut hub_of = vec![usize::MAX; n];
    for &(i, j, c) in x_cols {
        if x.get(c).is_some_and(|&v| v > 0.5) {
            hub_of[i] = j;
        }
    }
    (!hub_of.contains(&usize::MAX)).then_some(hub_of)
}

/// The LP value of every unit's hub variable x(j,j) (0 where it has none).
pub(super) fn hub_values(p: &Problem, vars: &model::Vars, cols: &[f64]) -> Vec<f64> {
    (0..p.n).map(|j| vars.y(j).map_or(0.0, |v| cols[v.col])).collect()
}

/// Number of x(i,j) columns the problem allows.
pub(super) fn pair_count(p: &Problem) -> usize {
    p.allowed.iter().flatten().filter(|&&a| a).count()
}
