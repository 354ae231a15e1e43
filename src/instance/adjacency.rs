//! Adjacency: pairs of units whose boundaries share a line of positive length.
//! Computed from the polygons, or read from a user's adjacency CSV (which then overrides).

use super::table::Table;
use crate::error::{Error, Result};
use geo::coordinate_position::CoordPos;
use geo::dimensions::Dimensions;
use geo::{BoundingRect, MultiPolygon, Relate};
use std::collections::{BTreeSet, HashMap};

/// One undirected adjacency between units `a < b` (indices into the instance's units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    /// Smaller unit index.
    pub a: usize,
    /// Larger unit index.
    pub b: usize,
    /// The units touch only across sea (e.g. an island reached by ferry).
    pub sea_only: bool,
}

impl Edge {
    /// An edge with its ends ordered.
    pub fn new(i: usize, j: usize, sea_only: bool) -> Edge {
        Edge { a: i.min(j), b: i.max(j), sea_only }
    }
}

/// Adjacent pairs among `polygons`: boundaries meet in a line (dimension 1), not only in points.
/// Units without a polygon get no edges.
pub fn from_polygons(polygons: &[Option<MultiPolygon<f64>>]) -> Vec<Edge> {
    let boxes: Vec<Option<geo::Rect<f64>>> = polygons.iter().map(|p| p.as_ref().and_then(|p| p.bounding_rect())).collect();
    let eps = 1e-9;
    let mut edges = Vec::new();
    for i in 0..polygons.len() {
        let (Some(pi), Some(bi)) = (&polygons[i], boxes[i]) else { continue };
        for j in i + 1..polygons.len() {
            let (Some(pj), Some(bj)) = (&polygons[j], boxes[j]) else { continue };
            let overlap = bi.min().x <= bj.max().x + eps && bj.min().x <= bi.max().x + eps && bi.min().y <= bj.max().y + eps && bj.min().y <= bi.max().y + eps;
            if !overlap {
                continue;
            }
            let m = pi.relate(pj);
            if m.get(CoordPos::OnBoundary, CoordPos::OnBoundary) == Dimensions::OneDimensional {
                edges.push(Edge::new(i, j, false));
            }
        }
    }
    edges
}

/// Parse an adjacency CSV (`code_a,code_b[,border_kind]`, kind `land` or `sea_only`).
pub fn parse_adjacency(file: &str, text: &str, codes: &[String]) -> Result<Vec<Edge>> {
    let index: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let table = Table::parse(file, text, "code_a,code_b[,border_kind]")?;
    let (ca, cb) = (table.require(file, "code_a")?, table.require(file, "code_b")?);
    let ck = table.col("border_kind");
    let mut set = BTreeSet::new();
    for (line, rec) in &table.rows {
        let line = *line;
        let lookup = |c: usize, field: &str| -> Result<usize> {
            let code = rec.get(c).unwrap_or("");
            index.get(code).copied().ok_or_else(|| Error::input(file, line, field, format!("unknown unit code `{code}`")))
        };
        let (a, b) = (lookup(ca, "code_a")?, lookup(cb, "code_b")?);
        if a == b {
            return Err(Error::input(file, line, "code_b", "a unit cannot be adjacent to itself"));
        }
        let sea_only = match ck.map(|c| rec.get(c).unwrap_or("")) {
            None | Some("") | Some("land") => false,
            Some("sea_only") | Some("sea") => true,
            Some(other) => return Err(Error::input(file, line, "border_kind", format!("`{other}` is not `land` or `sea_only`"))),
        };
        set.insert(Edge::new(a, b, sea_only));
    }
    Ok(set.into_iter().collect())
}

/// The edges that join a disconnected graph (the paper's convention, zhelih/districting
/// `graph::connect`): for each pair of components the closest pair of units under `d` (whole km),
/// ties to the lowest (i, j); then those pairs cheapest first (ties again by (i, j)), Kruskal-style,
/// each one that joins two components not yet joined, until the graph is connected. The
/// components are those of the graph the scenario uses (sea-only edges only with `sea_edges`).
/// Returns (i, j, km) with i < j, in the order added.
pub fn join_components(n: usize, edges: &[Edge], sea_edges: bool, d: impl Fn(usize, usize) -> f64) -> Vec<(usize, usize, f64)> {
    let nb = neighbours(n, edges, sea_edges);
    let mut comp = vec![usize::MAX; n];
    let mut count = 0;
    for s in 0..n {
        if comp[s] != usize::MAX {
            continue;
        }
        comp[s] = count;
        let mut stack = vec![s];
        while let Some(u) = stack.pop() {
            for &v in &nb[u] {
                if comp[v] == usize::MAX {
                    comp[v] = count;
                    stack.push(v);
                }
            }
        }
        count += 1;
    }
    if count <= 1 {
        return Vec::new();
    }
    // Closest pair per pair of components: (km, i, j), least first.
    let mut best: std::collections::BTreeMap<(usize, usize), (f64, usize, usize)> = Default::default();
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (comp[i].min(comp[j]), comp[i].max(comp[j]));
            if a == b {
                continue;
            }
            let km = d(i, j).round();
            let e = best.entry((a, b)).or_insert((km, i, j));
            if (km, i, j) < *e {
                *e = (km, i, j);
            }
        }
    }
    let mut candidates: Vec<(f64, usize, usize, usize, usize)> = best.into_iter().map(|((a, b), (km, i, j))| (km, i, j, a, b)).collect();
    candidates.sort_by(|x, y| x.0.total_cmp(&y.0).then((x.1, x.2).cmp(&(y.1, y.2))));
    let mut parent: Vec<usize> = (0..count).collect();
    fn root(parent: &mut [usize], x: usize) -> usize {
        let mut r = x;
        while parent[r] != r {
            r = parent[r];
        }
        let mut y = x;
        while parent[y] != r {
            let next = parent[y];
            parent[y] = r;
            y = next;
        }
        r
    }
    let mut out = Vec::new();
    for (km, i, j, a, b) in candidates {
        let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
            out.push((i, j, km));
            if out.len() == count - 1 {
                break;
            }
        }
    }
    out
}

/// Neighbour lists of the graph, leaving out sea-only edges unless `sea_edges`.
pub fn neighbours(n: usize, edges: &[Edge], sea_edges: bool) -> Vec<Vec<usize>> {
    let mut nb = vec![Vec::new(); n];
    for e in edges.iter().filter(|e| sea_edges || !e.sea_only) {
        nb[e.a].push(e.b);
        nb[e.b].push(e.a);
    }
    for l in &mut nb {
        l.sort_unstable();
        l.dedup();
    }
    nb
}

/// Connected components of the graph restricted to `members` (indices), each sorted.
pub fn components(nb: &[Vec<usize>], members: &[usize]) -> Vec<Vec<usize>> {
    let n = nb.len();
    let mut inside = vec![false; n];
    for &m in members {
        inside[m] = true;
    }
    let mut seen = vec![false; n];
    let mut comps = Vec::new();
    for &s in members {
        if seen[s] {
            continue;
        }
        let mut comp = vec![s];
        seen[s] = true;
        let mut k = 0;
        while k < comp.len() {
            let u = comp[k];
            k += 1;
            for &v in &nb[u] {
                if inside[v] && !seen[v] {
                    seen[v] = true;
                    comp.push(v);
                }
            }
        }
        comp.sort_unstable();
        comps.push(comp);
    }
    comps
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn sq(x: f64, y: f64) -> Option<MultiPolygon<f64>> {
        Some(MultiPolygon(vec![polygon![(x: x, y: y), (x: x + 1.0, y: y), (x: x + 1.0, y: y + 1.0), (x: x, y: y + 1.0)]]))
    }

    #[test]
    fn shared_side_is_adjacent_corner_is_not() {
        // 0 and 1 share a side; 0 and 2 touch at a corner only; 3 is far away.
        let polys = vec![sq(0.0, 0.0), sq(1.0, 0.0), sq(1.0, 1.0), sq(5.0, 5.0)];
        let e = from_polygons(&polys);
        assert_eq!(e, vec![Edge::new(0, 1, false), Edge::new(1, 2, false)]);
    }

    #[test]
    fn components_split_on_missing_edges() {
        let nb = neighbours(4, &[Edge::new(0, 1, false), Edge::new(2, 3, true)], false);
        assert_eq!(components(&nb, &[0, 1, 2, 3]), vec![vec![0, 1], vec![2], vec![3]]);
    }
}

#[cfg(test)]
mod join_tests {
    use super::*;

    /// Four components A = {0, 1}, B = {2, 3}, C = {4, 5}, D = {6, 7}, worked by hand:
    /// - A–B: d(0,2) = d(1,3) = 10, a tie: the lower pair (0, 2);
    /// - B–C: d(2,5) = 10.4 rounds to 10, tying d(3,4) = 10: the lower pair (2, 5);
    /// - A–C: (1, 4) at 12; A–D: (0, 6) at 15; C–D: d(4,7) = d(5,6) = 20: (4, 7); B–D: 100, (2, 6).
    /// Kruskal: (0,2) at 10 joins A and B; (2,5) at 10 (after (0,2) by index) joins C; (1,4) at 12 is
    /// inside the joined part and is skipped; (0,6) at 15 joins D, and the graph is connected.
    #[test]
    fn four_components_are_joined_as_worked_by_hand() {
        let edges: Vec<Edge> = [(0, 1), (2, 3), (4, 5), (6, 7)].iter().map(|&(a, b)| Edge { a, b, sea_only: false }).collect();
        let d = |i: usize, j: usize| -> f64 {
            let (a, b) = (i.min(j), i.max(j));
            match (a, b) {
                (0, 2) | (1, 3) | (3, 4) => 10.0,
                (2, 5) => 10.4,
                (1, 4) => 12.0,
                (0, 6) => 15.0,
                (4, 7) | (5, 6) => 20.0,
                _ => 100.0,
            }
        };
        assert_eq!(join_components(8, &edges, true, d), vec![(0, 2, 10.0), (2, 5, 10.0), (0, 6, 15.0)]);
        // A connected graph gains nothing.
        let mut all = edges.clone();
        all.extend([(1, 2), (3, 4), (5, 6)].iter().map(|&(a, b)| Edge { a, b, sea_only: false }));
        assert!(join_components(8, &all, true, d).is_empty());
        // Without sea edges, a sea-only border does not connect: it is joined like any other gap.
        let mut sea = edges.clone();
        sea.push(Edge { a: 1, b: 2, sea_only: true });
        assert_eq!(join_components(8, &sea, true, d).len(), 2);
        assert_eq!(join_components(8, &sea, false, d).len(), 3);
    }
}
