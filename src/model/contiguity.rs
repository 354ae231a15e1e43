//! Constraint 8, contiguity. A vertex-separator ("cut") formulation: if unit i is served from hub j
//! and a set C of units separates i from j in the graph, some unit of C must be served from j too:
//! x(i,j) ≤ Σ_{k∈C} x(k,j). The model starts with the separators N(i) (every non-hub member has a
//! neighbour in its area); `separate` finds violated minimal separators in an integer solution.

use super::Vars;
use crate::instance::adjacency::components;
use crate::problem::Problem;
use good_lp::{Constraint, Expression};

/// One separator cut: x(i,j) ≤ Σ_{k ∈ sep} x(k,j).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cut {
    /// The unit cut off from its hub.
    pub i: usize,
    /// The hub.
    pub j: usize,
    /// Units that separate i from j (none of them served from j in the violating solution).
    pub sep: Vec<usize>,
}

impl Cut {
    /// The cut as (column, coefficient) pairs of a row `≤ 0`.
    pub fn row(&self, v: &Vars) -> Vec<(usize, f64)> {
        let mut row = vec![(v.x[self.i][self.j].expect("cut on a model pair").col, 1.0)];
        row.extend(self.sep.iter().filter_map(|&k| v.x[k][self.j]).map(|x| (x.col, -1.0)));
        row
    }
}

/// The neighbourhood separators: x(i,j) ≤ Σ_{k ∈ N(i)} x(k,j) for i not adjacent to j.
pub fn initial(p: &Problem, v: &Vars) -> Vec<Constraint> {
    let mut rows = Vec::new();
    for j in p.hubs() {
        for i in 0..p.n {
            let Some(x) = v.x[i][j] else { continue };
            if i == j || p.nb[i].contains(&j) {
                continue;
            }
            let mut e = Expression::from(x.var);
            for &k in &p.nb[i] {
                if let Some(xk) = v.x[k][j] {
                    e.add_mul(-1.0, xk.var);
                }
            }
            rows.push(e.leq(0.0));
        }
    }
    rows
}

/// Violated separator cuts of a partition given as hub per unit (empty when every area is connected).
/// For each piece of an area that does not hold the hub, the separator is the piece's outer
/// neighbourhood, shrunk to the units that touch the hub's side (a minimal-type separator).
pub fn separate(p: &Problem, hub_of: &[usize]) -> Vec<Cut> {
    let mut cuts = Vec::new();
    let mut hubs: Vec<usize> = hub_of.to_vec();
    hubs.sort_unstable();
    hubs.dedup();
    for &j in &hubs {
        let members: Vec<usize> = (0..p.n).filter(|&i| hub_of[i] == j).collect();
        let pieces = components(&p.nb, &members);
        if pieces.len() <= 1 {
            continue;
        }
        let servable: Vec<bool> = (0..p.n).map(|k| p.allowed[k][j]).collect();
        for piece in pieces.iter().filter(|c| !c.contains(&j)) {
            let in_piece: Vec<bool> = (0..p.n).map(|k| piece.contains(&k)).collect();
            let mut boundary: Vec<usize> = piece.iter().flat_map(|&u| p.nb[u].iter().copied()).filter(|&k| !in_piece[k] && servable[k]).collect();
            boundary.sort_unstable();
            boundary.dedup();
            // Units reachable from j without crossing the boundary or the piece.
            let blocked: Vec<bool> = (0..p.n).map(|k| in_piece[k] || boundary.contains(&k) || !servable[k]).collect();
            let mut side = vec![false; p.n];
            side[j] = true;
            let mut stack = vec![j];
            while let Some(u) = stack.pop() {
                for &w in &p.nb[u] {
                    if !blocked[w] && !side[w] {
                        side[w] = true;
                        stack.push(w);
                    }
                }
            }
            let sep: Vec<usize> = boundary.into_iter().filter(|&k| k == j || p.nb[k].iter().any(|&w| side[w])).collect();
            for &i in piece {
                cuts.push(Cut { i, j, sep: sep.clone() });
            }
        }
    }
    cuts
}
