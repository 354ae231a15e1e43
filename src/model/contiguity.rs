//! Constraint 8, contiguity. A vertex-separator ("cut") formulation: if unit i is served from hub j
//! and a set C of units separates i from j in the graph, some unit of C must be served from j too:
//! x(i,j) ≤ Σ_{k∈C} x(k,j). The model starts with the separators N(i) (every non-hub member has a
//! neighbour in its area); `separate` finds violated minimal separators in an integer solution.

use super::Vars;
use crate::instance::adjacency::components;
use crate::problem::Problem;
use good_lp::{Constraint, Expression};

/// One separator cut: x(i,j) ≤ Σ_{k ∈ sep} x(k,j).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
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

/// The single-commodity flow rows (Shirabe): hub j sends one unit of its own commodity to every
/// member, through members only: inflow − outflow = x(i,j), f_j(u,v) ≤ M_j·x(u,j) and ≤ M_j·x(v,j).
pub fn flow(p: &Problem, v: &Vars) -> Vec<Constraint> {
    let mut rows = Vec::new();
    if v.flow.is_empty() {
        return rows;
    }
    let mut balance: Vec<Vec<Expression>> = vec![vec![Expression::from(0.0); p.n]; p.n];
    for &(j, a, b, f) in &v.flow {
        let m = (0..p.n).filter(|&k| p.allowed[k][j]).count() as f64 - 1.0;
        balance[j][b].add_mul(1.0, f.var);
        balance[j][a].add_mul(-1.0, f.var);
        rows.push((Expression::from(f.var) - m * v.x[b][j].expect("flow into a member").var).leq(0.0));
        if a != j {
            rows.push((Expression::from(f.var) - m * v.x[a][j].expect("flow out of a member").var).leq(0.0));
        }
    }
    for j in p.hubs() {
        for i in (0..p.n).filter(|&i| i != j && p.allowed[i][j]) {
            let e = std::mem::replace(&mut balance[j][i], Expression::from(0.0));
            rows.push((e - v.x[i][j].unwrap().var).eq(0.0));
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
        for piece in pieces.iter().filter(|c| !c.contains(&j)) {
            let in_piece: Vec<bool> = (0..p.n).map(|k| piece.contains(&k)).collect();
            let mut boundary: Vec<usize> = piece.iter().flat_map(|&u| p.nb[u].iter().copied()).filter(|&k| !in_piece[k]).collect();
            boundary.sort_unstable();
            boundary.dedup();
            // Units reachable from j without crossing the piece or its boundary.
            let blocked: Vec<bool> = (0..p.n).map(|k| in_piece[k] || boundary.contains(&k)).collect();
            let side = reachable(p, j, &blocked);
            let sep: Vec<usize> = boundary.into_iter().filter(|&k| p.nb[k].iter().any(|&w| side[w])).collect();
            // The separator cuts the piece off from every hub on j's side, not only from j.
            for h in (0..p.n).filter(|&h| side[h] && p.allowed[h][h]) {
                for &i in piece.iter().filter(|&&i| p.allowed[i][h]) {
                    cuts.push(Cut { i, j: h, sep: sep.clone() });
                }
            }
        }
    }
    cuts
}

fn reachable(p: &Problem, from: usize, blocked: &[bool]) -> Vec<bool> {
    let mut side = vec![false; p.n];
    side[from] = true;
    let mut stack = vec![from];
    while let Some(u) = stack.pop() {
        for &w in &p.nb[u] {
            if !blocked[w] && !side[w] {
                side[w] = true;
                stack.push(w);
            }
        }
    }
    side
}

/// Violated separator cuts of a fractional point `x[i][j]` (the LP relaxation): for each pair
/// with x(i,j) > 0, a minimum vertex cut between i and j with capacities x(k,j); the cut is
/// returned when its capacity is below x(i,j) − `tolerance`.
pub fn separate_fractional(p: &Problem, x: &[Vec<f64>], tolerance: f64) -> Vec<Cut> {
    let mut cuts = Vec::new();
    for j in p.hubs() {
        if x[j][j] < 1e-6 {
            continue;
        }
        for i in 0..p.n {
            if i == j || x[i][j] < tolerance || p.nb[i].contains(&j) {
                continue;
            }
            let cap: Vec<f64> = (0..p.n).map(|k| if k == i || k == j { f64::INFINITY } else { x[k][j] }).collect();
            let (flow, source_side) = min_vertex_cut(&p.nb, &cap, i, j);
            if flow < x[i][j] - tolerance {
                let sep: Vec<usize> = (0..p.n).filter(|&k| k != i && source_side[2 * k] && !source_side[2 * k + 1]).collect();
                cuts.push(Cut { i, j, sep });
            }
        }
    }
    cuts
}

/// Maximum flow from s to t with vertex capacities (vertex k split into 2k → 2k+1); returns the
/// flow value and the vertices of the split graph reachable from s in the residual graph.
fn min_vertex_cut(nb: &[Vec<usize>], cap: &[f64], s: usize, t: usize) -> (f64, Vec<bool>) {
    let n = nb.len();
    // Arcs: (to, capacity), with the reverse arc at index ^ 1.
    let mut to: Vec<usize> = Vec::new();
    let mut c: Vec<f64> = Vec::new();
    let mut adj: Vec<Vec<usize>> = vec![Vec::new(); 2 * n];
    let arc = |a: usize, b: usize, cap: f64, to: &mut Vec<usize>, c: &mut Vec<f64>, adj: &mut Vec<Vec<usize>>| {
        adj[a].push(to.len());
        to.push(b);
        c.push(cap);
        adj[b].push(to.len());
        to.push(a);
        c.push(0.0);
    };
    for k in 0..n {
        arc(2 * k, 2 * k + 1, cap[k], &mut to, &mut c, &mut adj);
        for &w in &nb[k] {
            arc(2 * k + 1, 2 * w, f64::INFINITY, &mut to, &mut c, &mut adj);
        }
    }
    let (src, sink) = (2 * s + 1, 2 * t);
    let mut flow = 0.0;
    loop {
        let mut prev: Vec<Option<usize>> = vec![None; 2 * n];
        let mut seen = vec![false; 2 * n];
        seen[src] = true;
        let mut queue = std::collections::VecDeque::from([src]);
        while let Some(u) = queue.pop_front() {
            for &a in &adj[u] {
                let v = to[a];
                if !seen[v] && c[a] > 1e-12 {
                    seen[v] = true;
                    prev[v] = Some(a);
                    queue.push_back(v);
                }
            }
        }
        if !seen[sink] {
            return (flow, seen);
        }
        let mut push = f64::INFINITY;
        let mut v = sink;
        while let Some(a) = prev[v] {
            push = push.min(c[a]);
            v = to[a ^ 1];
        }
        if !push.is_finite() {
            return (f64::INFINITY, seen);
        }
        let mut v = sink;
        while let Some(a) = prev[v] {
            c[a] -= push;
            c[a ^ 1] += push;
            v = to[a ^ 1];
        }
        flow += push;
    }
}
