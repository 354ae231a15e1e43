//! The live relaxation's bound split by hub, for `hub_sets`: its Lagrangian with every row
//! priced at HiGHS's duals. Priced so, the LP falls apart into the assignment rows' prices Σ u(i)
//! and one part per hub (its columns x(·,j), s(j), e(j) and the rows on them alone). A part is a
//! lower bound on its hub's best area at those prices (cost less Σ u over the area): every whole
//! area is a point of the hub's rows. The integer search of `area_dual` gives a second lower bound
//! on the same value; the larger of the two, summed over a set's hubs, bounds the set.
//!
//! Each part is the weak dual of its rows, valid for any multipliers: a row's multiplier of the
//! wrong sign for its finite side is taken as zero, and a column takes the end of its bounds at
//! which its reduced cost is least. The advisers s(j) and the need e(j) have no upper bound in the
//! model; every area's optimal point lies below the bounds `implied_upper` gives them.

use super::highs_api::{solution_at, Lp};
use crate::model::Vars;
use crate::problem::Problem;

/// The assignment rows' prices and each hub's part (indexed by unit; −∞ where the model has no
/// part for it), with the magnitude of the terms summed (for a rounding margin), and the bounds
/// of each hub's column x(j,j) as the LP held them.
pub(super) struct Parts {
    pub u: Vec<f64>,
    pub hub: Vec<f64>,
    pub scale: f64,
    pub hub_bounds: Vec<(f64, f64)>,
}

/// Each hub's part raised to the integer search of `area_dual` at the same prices.
pub(super) struct Raised {
    /// (hub, the larger of its LP part and its search's value) for each hub of the relaxation.
    pub values: Vec<(usize, f64)>,
    usum: f64,
    scale: f64,
}

impl Parts {
    /// Each hub of `d` (built on the same problem) at the larger of two lower bounds on its best
    /// area at these prices: its LP part, and what `d`'s integer search proves (whole units
    /// against the thresholds, whole advisers, connected areas).
    pub(super) fn raised(&self, d: &super::area_dual::AreaDual) -> Raised {
        self.raised_of(d, |_| true)
    }

    /// As `raised`, for the hubs `wanted` keeps only.
    pub(super) fn raised_of(&self, d: &super::area_dual::AreaDual, wanted: impl Fn(usize) -> bool) -> Raised {
        let values: Vec<(usize, f64)> = d.hub_values_of(&self.u, wanted).into_iter().map(|(j, v)| (j, v.max(self.hub[j]))).collect();
        let scale = self.scale + values.iter().map(|v| v.1).filter(|v| v.is_finite()).map(f64::abs).sum::<f64>();
        Raised { values, usum: self.u.iter().sum(), scale }
    }
}

impl Raised {
    /// The bound with the hubs `open` (indices into `values`): Σ u(i) plus their values, less a
    /// rounding margin (each part sums at most a few thousand products; 2·10⁻⁹ of their
    /// magnitude covers the rounding).
    pub(super) fn bound(&self, open: &[usize]) -> f64 {
        self.base() + open.iter().map(|&o| self.values[o].1).sum::<f64>()
    }

    /// The bound with no hub open: Σ u(i) less the rounding margin (add the open hubs' values).
    pub(super) fn base(&self) -> f64 {
        self.usum - (2e-9 * self.scale + 1e-9)
    }

    /// Each unit's value as a hub (−∞ where the relaxation has none: it bounds nothing).
    pub(super) fn by_hub(&self, n: usize) -> Vec<f64> {
        let mut v = vec![f64::NEG_INFINITY; n];
        for &(j, value) in &self.values {
            v[j] = value;
        }
        v
    }
}

/// The live LP's parts with the hubs `wanted` keeps raised to the integer search of `area_dual`
/// at `nodes` per hub (`Parts::raised`): None when the relaxation over whole areas does not cover
/// `p` or the model does not split.
///
/// # Safety
/// As for `lp_parts`.
pub(super) unsafe fn raised_at(ptr: *mut std::ffi::c_void, vars: &Vars, p: &Problem, nodes: usize, wanted: impl Fn(usize) -> bool) -> Option<(Parts, Raised)> {
    let mut d = super::area_dual::AreaDual::new(p)?;
    d.set_node_limit(nodes);
    let parts = lp_parts(ptr, vars, p)?;
    let raised = parts.raised_of(&d, wanted);
    Some((parts, raised))
}

/// Who a column or row belongs to.
#[derive(Clone, Copy, PartialEq)]
enum Owner {
    Nobody,
    Hub(usize),
    /// A row over the columns of two hubs or more (the count of areas): priced at zero.
    Shared,
}

/// The parts at the live model's current bounds and duals (`ptr`, just solved to optimality),
/// whose variables are `vars` and whose first rows are the assignment rows of `p`'s units.
///
/// # Safety
/// `ptr` must be a live HiGHS instance holding the model `vars` describes.
pub(super) unsafe fn lp_parts(ptr: *mut std::ffi::c_void, vars: &Vars, p: &Problem) -> Option<Parts> {
    let lp = Lp::read(ptr)?;
    let n = p.n;
    let mut col_owner = vec![Owner::Nobody; lp.ncol];
    let mut upper = lp.col_upper.clone();
    for j in 0..n {
        for i in 0..n {
            if let Some(x) = vars.x[i][j] {
                col_owner[x.col] = Owner::Hub(j);
            }
        }
        for (v, bound) in [(vars.s[j], implied_upper(p, vars, j).0), (vars.e[j], implied_upper(p, vars, j).1)] {
            if let Some(v) = v {
                col_owner[v.col] = Owner::Hub(j);
                upper[v.col] = upper[v.col].min(bound);
            }
        }
    }
    // Each row's owner, and its multiplier (the assignment rows' as they are).
    let mut row_owner = vec![Owner::Nobody; lp.nrow];
    for c in 0..lp.ncol {
        for k in lp.start[c]..lp.start[c + 1] {
            let r = lp.index[k] as usize;
            row_owner[r] = match (row_owner[r], col_owner[c]) {
                (Owner::Nobody, o) => o,
                (o, Owner::Nobody) => o,
                (a, b) if a == b => a,
                _ => Owner::Shared,
            };
        }
    }
    let dual = solution_at(ptr).row_dual;
    let (mut hub, mut scale) = (vec![0.0; n], 0.0);
    let mut y = vec![0.0; lp.nrow];
    for r in 0..lp.nrow {
        if r < n {
            y[r] = dual[r];
            continue;
        }
        let Owner::Hub(j) = row_owner[r] else { continue };
        // The side the multiplier prices must be finite.
        let v = dual[r];
        let (term, keep) = if v > 0.0 && lp.row_lower[r].is_finite() { (v * lp.row_lower[r], true) } else if v < 0.0 && lp.row_upper[r].is_finite() { (v * lp.row_upper[r], true) } else { (0.0, false) };
        if keep {
            y[r] = v;
            hub[j] += term;
            scale += term.abs();
        }
    }
    let mut global = lp.offset;
    for c in 0..lp.ncol {
        let mut d = lp.cost[c];
        for k in lp.start[c]..lp.start[c + 1] {
            d -= lp.value[k] * y[lp.index[k] as usize];
        }
        let end = if d > 0.0 { lp.col_lower[c] } else if d < 0.0 { upper[c] } else { 0.0 };
        let term = if d == 0.0 { 0.0 } else { d * end };
        if term.is_finite() {
            scale += (lp.cost[c] * end).abs() + term.abs();
        }
        match col_owner[c] {
            Owner::Hub(j) => hub[j] += term,
            _ => global += term,
        }
    }
    // What belongs to no hub (an objective constant, a column of nobody's) is not in the areas'
    // values: a model with any is not split.
    if global != 0.0 {
        return None;
    }
    let u = dual[..n].to_vec();
    scale += u.iter().map(|v| v.abs()).sum::<f64>();
    // A hub with no columns has no part.
    for (j, h) in hub.iter_mut().enumerate() {
        if vars.y(j).is_none() || !h.is_finite() {
            *h = f64::NEG_INFINITY;
        }
    }
    let hub_bounds = (0..n).map(|j| vars.y(j).map_or((0.0, 0.0), |y| (lp.col_lower[y.col], lp.col_upper[y.col]))).collect();
    Some(Parts { u, hub, scale, hub_bounds })
}

/// Upper bounds on s(j) and e(j) that every area's optimal point meets: the advisers of all the
/// jobseekers hub j may serve, and the production cost with them.
fn implied_upper(p: &Problem, vars: &Vars, j: usize) -> (f64, f64) {
    let js: f64 = (0..p.n).filter(|&i| vars.x[i][j].is_some()).map(|i| p.jobseekers[i].max(0.0)).sum();
    let advisers = p.staff_needed(js);
    let sc = p.sc;
    (advisers, sc.area_admin_cost().abs() + sc.staff_cost.abs() * advisers + sc.service_cost.abs() * js)
}
