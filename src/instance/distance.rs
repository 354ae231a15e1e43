//! Distances between unit centres: great-circle × detour factor, or a user-supplied matrix.

use super::table::Table;
use crate::error::{Error, Result};
use geo::{Distance, Haversine, Point};
use std::collections::HashMap;

/// Great-circle distance in km between two (lat, lon) points, Earth radius 6371.0088 km.
pub fn great_circle_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    Haversine.distance(Point::new(lon1, lat1), Point::new(lon2, lat2)) / 1000.0
}

/// A full symmetric n×n matrix of great-circle km between the given (lat, lon) centres. Rows of
/// the upper triangle are computed in parallel (rayon) and mirrored, so every entry is the same
/// float as `great_circle_km(i, j)` for i < j, whatever the number of threads.
pub fn great_circle_matrix(centres: &[(f64, f64)]) -> Vec<Vec<f64>> {
    use rayon::prelude::*;
    let n = centres.len();
    let mut d: Vec<Vec<f64>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut row = vec![0.0; n];
            for j in i + 1..n {
                row[j] = great_circle_km(centres[i].0, centres[i].1, centres[j].0, centres[j].1);
            }
            row
        })
        .collect();
    for i in 0..n {
        for j in 0..i {
            d[i][j] = d[j][i];
        }
    }
    d
}

/// Parse a distance CSV `code_a,code_b,km` (or `minutes`, or any third numeric column) into a
/// full matrix; each unordered pair must appear at least once, the diagonal is 0.
pub fn parse_matrix(file: &str, text: &str, codes: &[String]) -> Result<Vec<Vec<f64>>> {
    let index: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let table = Table::parse(file, text, "code_a,code_b,km")?;
    let header = &table.header;
    let (ca, cb) = (table.require(file, "code_a")?, table.require(file, "code_b")?);
    let cv = (0..header.len()).find(|&c| c != ca && c != cb).ok_or_else(|| Error::input(file, 1, "km", "a third column with the distance is required"))?;
    let field = header[cv].clone();
    let n = codes.len();
    let mut d = vec![vec![f64::NAN; n]; n];
    for (line, rec) in &table.rows {
        let line = *line;
        let lookup = |c: usize, f: &str| -> Result<usize> {
            let code = rec.get(c).unwrap_or("");
            index.get(code).copied().ok_or_else(|| Error::input(file, line, f, format!("unknown unit code `{code}`")))
        };
        let (a, b) = (lookup(ca, "code_a")?, lookup(cb, "code_b")?);
        let raw = rec.get(cv).unwrap_or("");
        let v: f64 = raw.parse().ok().filter(|v: &f64| v.is_finite() && *v >= 0.0).ok_or_else(|| Error::input(file, line, &field, format!("`{raw}` is not a non-negative number")))?;
        d[a][b] = v;
        if d[b][a].is_nan() || a == b {
            d[b][a] = v;
        }
    }
    for (i, row) in d.iter_mut().enumerate() {
        row[i] = 0.0;
    }
    for i in 0..n {
        for j in 0..n {
            if d[i][j].is_nan() {
                return Err(Error::file(file, format!("no distance for the pair {} – {}", codes[i], codes[j])));
            }
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = great_circle_km(60.0, 25.0, 61.0, 25.0);
        assert!((d - 111.19).abs() < 0.05, "{d}");
    }

    #[test]
    fn matrix_needs_every_pair() {
        let codes = vec!["a".to_string(), "b".to_string(), "c".to_string()];
        let e = parse_matrix("d.csv", "code_a,code_b,km\na,b,5\nb,c,7\n", &codes).unwrap_err().to_string();
        assert!(e.contains("a – c"), "{e}");
        let d = parse_matrix("d.csv", "code_a,code_b,km\na,b,5\nb,c,7\nc,a,9\n", &codes).unwrap();
        assert_eq!(d[2][0], 9.0);
        assert_eq!(d[0][2], 9.0);
    }
}
