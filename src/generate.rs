//! `alue generate`: random planar instances for scaling studies. Points are scattered over a
//! rectangle in Finland's latitudes, adjacency is their Delaunay triangulation (planar, like
//! municipal borders), populations are log-normal (a few large towns, many small
//! municipalities), labour force and jobseekers are random shares of them. The same `n` and
//! `seed` give the same files on every machine.

use crate::error::{Error, Result};
use crate::files::write_atomic;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, LogNormal};
use spade::{DelaunayTriangulation, Point2, Triangulation};
use std::path::Path;

/// A generated instance as file texts.
pub struct Generated {
    /// units.csv.
    pub units: String,
    /// adjacency.csv (Delaunay edges).
    pub adjacency: String,
    /// SOURCES.md.
    pub sources: String,
}

/// Generate `n` units from `seed`.
pub fn generate(n: usize, seed: u64) -> Result<Generated> {
    if n < 3 {
        return Err(Error::scenario("--n", "n", format!("need at least 3 units, got {n}")));
    }
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    // A square of about 40 km per unit side length (area ∝ n), centred near 64.5° N 26° E.
    let side_km = 40.0 * (n as f64).sqrt();
    let (lat0, lon0) = (64.5_f64, 26.0_f64);
    let km_per_deg_lat = 111.2;
    let km_per_deg_lon = 111.2 * lat0.to_radians().cos();
    let pop: LogNormal<f64> = LogNormal::new(8.3, 1.1).map_err(|e| Error::Solver(e.to_string()))?;
    let mut tri: DelaunayTriangulation<Point2<f64>> = DelaunayTriangulation::new();
    let mut units = String::from("code,name,population,labour_force,jobseekers,lat,lon\n");
    let mut points = Vec::with_capacity(n);
    while points.len() < n {
        let (x, y) = (rng.random_range(0.0..side_km), rng.random_range(0.0..side_km));
        // Keep points at least 2 km apart so that no two centres coincide.
        if points.iter().any(|&(a, b): &(f64, f64)| (a - x).hypot(b - y) < 2.0) {
            continue;
        }
        points.push((x, y));
    }
    for (k, &(x, y)) in points.iter().enumerate() {
        let p: f64 = pop.sample(&mut rng).round().max(100.0);
        let lf = (p * rng.random_range(0.40..0.52)).round();
        let js = (lf * rng.random_range(0.05..0.14)).round();
        let lat = lat0 + (y - side_km / 2.0) / km_per_deg_lat;
        let lon = lon0 + (x - side_km / 2.0) / km_per_deg_lon;
        units += &format!("g{k:04},Unit {k},{p},{lf},{js},{lat:.6},{lon:.6}\n");
        tri.insert(Point2::new(x, y)).map_err(|e| Error::Solver(format!("triangulation failed: {e:?}")))?;
    }
    // Map triangulation vertices back to units by position (insertion order is kept by spade,
    // but matching coordinates does not rely on it).
    let index = |p: Point2<f64>| points.iter().position(|&(x, y)| x == p.x && y == p.y).expect("vertex is an input point");
    let mut edges: Vec<(usize, usize)> = tri
        .undirected_edges()
        .map(|e| {
            let [a, b] = e.vertices();
            let (a, b) = (index(a.position()), index(b.position()));
            (a.min(b), a.max(b))
        })
        .collect();
    edges.sort_unstable();
    edges.dedup();
    let mut adjacency = String::from("code_a,code_b,border_kind\n");
    for (a, b) in edges {
        adjacency += &format!("g{a:04},g{b:04},land\n");
    }
    let sources = format!(
        "# Generated instance\n\nMade by `alue generate --n {n} --seed {seed}`: {n} random points on a {side_km:.0} km square \
         (at least 2 km apart), Delaunay adjacency, log-normal populations (μ = 8.3, σ = 1.1, at least 100), \
         labour force 40–52 % of population, jobseekers 5–14 % of labour force. Synthetic data, no licence restrictions.\n"
    );
    Ok(Generated { units, adjacency, sources })
}

/// Write a generated instance into `dir` (units.csv, adjacency.csv, SOURCES.md).
pub fn write(dir: &Path, g: &Generated) -> Result<Vec<String>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output { file: dir.display().to_string(), message: e.to_string() })?;
    let mut out = Vec::new();
    for (name, text) in [("units.csv", &g.units), ("adjacency.csv", &g.adjacency), ("SOURCES.md", &g.sources)] {
        let path = dir.join(name);
        write_atomic(&path, text.as_bytes())?;
        out.push(path.display().to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_instance_and_planar_edge_count() {
        let a = generate(60, 7).unwrap();
        let b = generate(60, 7).unwrap();
        assert_eq!(a.units, b.units);
        assert_eq!(a.adjacency, b.adjacency);
        assert_ne!(a.units, generate(60, 8).unwrap().units);
        // A planar graph has at most 3n − 6 edges; a connected one at least n − 1.
        let m = a.adjacency.lines().count() - 1;
        assert!(m <= 3 * 60 - 6 && m >= 60 - 1, "{m} edges");
    }
}
