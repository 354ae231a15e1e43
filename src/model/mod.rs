//! MODEL.md as code: variables, one builder per constraint family (named as in MODEL.md), the
//! objective, and the hand-over to HiGHS.

pub mod assignment;
pub mod contiguity;
pub mod equalisation;
pub mod hubs;
pub mod objective;
pub mod staffing;
pub mod thresholds;

use crate::problem::Problem;
use good_lp::{variable, Constraint, Expression, ProblemVariables, SolverModel, Variable};

/// A model variable together with its HiGHS column index.
#[derive(Debug, Clone, Copy)]
pub struct Var {
    /// The good_lp variable.
    pub var: Variable,
    /// Column in the HiGHS model (creation order).
    pub col: usize,
}

/// The decision variables of MODEL.md.
pub struct Vars {
    /// x(i,j): unit i served from hub j (only for allowed pairs).
    pub x: Vec<Vec<Option<Var>>>,
    /// s(j): advisers (FTE) of the area of hub j (None when the objective has no employment terms).
    pub s: Vec<Option<Var>>,
    /// e(j): equalisation need of the area of hub j, €/year.
    pub e: Vec<Option<Var>>,
    /// f_j(u,v): flow of hub j's commodity on arc u→v (only with the flow formulation).
    pub flow: Vec<(usize, usize, usize, Var)>,
    /// Number of columns.
    pub ncols: usize,
}

impl Vars {
    /// Create the variables; pairs not allowed by the problem get no column.
    pub fn create(p: &Problem, pv: &mut ProblemVariables, with_flow: bool) -> Vars {
        let mut col = 0;
        let mut add = |pv: &mut ProblemVariables, def: good_lp::VariableDefinition| {
            let v = Var { var: pv.add(def), col };
            col += 1;
            v
        };
        let mut x = vec![vec![None; p.n]; p.n];
        for (i, row) in x.iter_mut().enumerate() {
            for (j, slot) in row.iter_mut().enumerate() {
                if p.allowed[i][j] {
                    *slot = Some(add(pv, variable().binary()));
                }
            }
        }
        let hubs = p.hubs();
        let mut s = vec![None; p.n];
        let mut e = vec![None; p.n];
        // Staffing and equalisation only exist when they enter the objective (not in the Hess model).
        if p.sc.employment_terms() {
            for &j in &hubs {
                s[j] = Some(add(pv, if p.relax_staffing { variable().min(0) } else { variable().integer().min(0) }));
            }
            for &j in &hubs {
                e[j] = Some(add(pv, variable().min(0)));
            }
        }
        let mut flow = Vec::new();
        if with_flow {
            for &j in &hubs {
                for u in (0..p.n).filter(|&u| p.allowed[u][j]) {
                    for &v in p.nb[u].iter().filter(|&&v| v != j && p.allowed[v][j]) {
                        flow.push((j, u, v, add(pv, variable().min(0))));
                    }
                }
            }
        }
        Vars { x, s, e, flow, ncols: col }
    }

    /// x(j,j), the hub indicator, when j may be a hub.
    pub fn y(&self, j: usize) -> Option<Var> {
        self.x[j][j]
    }

    /// Σ_i coef(i)·x(i,j) over the units that may join hub j.
    pub fn area_sum(&self, j: usize, coef: impl Fn(usize) -> f64) -> Expression {
        let mut e = Expression::from(0.0);
        for (i, row) in self.x.iter().enumerate() {
            if let Some(v) = row[j] {
                e.add_mul(coef(i), v.var);
            }
        }
        e
    }
}

/// The built model: HiGHS model plus the column map.
pub struct Built {
    /// HiGHS model, options not yet set.
    pub highs: highs::Model,
    /// Variable columns.
    pub vars: Vars,
    /// The number of rows built (the separation loop adds its cuts after them).
    pub rows: usize,
    /// The row of constraint 6, Σ_j x(j,j) = K, when the number of areas is fixed to K.
    pub count_row: Option<usize>,
}

/// Build the whole MIP of MODEL.md (contiguity by its initial rows, plus the single-commodity flow
/// rows when `with_flow`; the separation loop adds more cuts).
pub fn build(p: &Problem, with_flow: bool) -> Built {
    let mut pv = ProblemVariables::new();
    let vars = Vars::create(p, &mut pv, with_flow && p.sc.contiguity);
    let objective = objective::build(p, &vars);
    let mut rows: Vec<Constraint> = Vec::new();
    rows.extend(assignment::build(p, &vars));
    rows.extend(hubs::build(p, &vars));
    rows.extend(thresholds::build(p, &vars));
    rows.extend(staffing::build(p, &vars));
    rows.extend(equalisation::build(p, &vars));
    let before = rows.len();
    rows.extend(hubs::number_of_areas(p, &vars));
    let count_row = (p.areas.0 == p.areas.1 && rows.len() == before + 1).then_some(before);
    if p.sc.contiguity {
        rows.extend(contiguity::initial(p, &vars));
        rows.extend(contiguity::flow(p, &vars));
    }
    let mut problem = pv.minimise(objective).using(good_lp::solvers::highs::highs);
    let n_rows = rows.len();
    for c in rows {
        problem = problem.with(c);
    }
    Built { highs: problem.into_inner(), vars, rows: n_rows, count_row }
}
