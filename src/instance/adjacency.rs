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
