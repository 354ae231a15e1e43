//! Boundary polygons from GeoJSON, matched to units by the `code` property, and dissolved areas.

use crate::error::{Error, Result};
use geo::{MultiPolygon, Polygon};
use std::collections::HashMap;

/// Parse a GeoJSON FeatureCollection; returns one (multi)polygon per unit code found.
/// Features whose code is not among `codes` are ignored (a national file can serve a region).
pub fn parse_boundaries(file: &str, text: &str, codes: &[String]) -> Result<Vec<Option<MultiPolygon<f64>>>> {
    let gj: geojson::GeoJson = text.parse().map_err(|e| Error::file(file, format!("not valid GeoJSON: {e}")))?;
    let fc = match gj {
        geojson::GeoJson::FeatureCollection(fc) => fc,
        _ => return Err(Error::file(file, "expected a FeatureCollection")),
    };
    let index: HashMap<&str, usize> = codes.iter().enumerate().map(|(i, c)| (c.as_str(), i)).collect();
    let mut out: Vec<Option<MultiPolygon<f64>>> = vec![None; codes.len()];
    for (k, feature) in fc.features.iter().enumerate() {
        let field = format!("features[{k}].properties.code");
        let code = match feature.property("code") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => return Err(Error::input(file, 0, &field, "feature has no `code` property naming its unit")),
        };
        let Some(&i) = index.get(code.as_str()) else { continue };
        let geom = feature.geometry.as_ref().ok_or_else(|| Error::input(file, 0, &field, format!("unit `{code}` has no geometry")))?;
        check_rings(&geom.value).map_err(|m| Error::input(file, 0, &field, format!("unit `{code}`: {m}")))?;
        let g: geo::Geometry<f64> = geom.clone().try_into().map_err(|e| Error::input(file, 0, &field, format!("unit `{code}`: bad geometry: {e}")))?;
        let mp = match g {
            geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
            geo::Geometry::MultiPolygon(mp) => mp,
            _ => return Err(Error::input(file, 0, &field, format!("unit `{code}`: geometry must be a Polygon or MultiPolygon"))),
        };
        let mp = repaired(mp).map_err(|m| Error::input(file, 0, &field, format!("unit `{code}`: {m}; fix the polygon (QGIS: Fix geometries) or give adjacency.csv")))?;
        if out[i].is_some() {
            return Err(Error::input(file, 0, &field, format!("unit `{code}` appears twice")));
        }
        out[i] = Some(mp);
    }
    Ok(out)
}

/// Rings as written: closed (first position = last), at least four positions, finite longitude
/// and latitude in range. An unclosed ring is refused, not closed silently: it is what a cut file
/// looks like, and closing it would draw (and make adjacent) another shape.
fn check_rings(v: &geojson::Value) -> std::result::Result<(), String> {
    let polygons: Vec<&Vec<Vec<Vec<f64>>>> = match v {
        geojson::Value::Polygon(p) => vec![p],
        geojson::Value::MultiPolygon(mp) => mp.iter().collect(),
        _ => return Ok(()),
    };
    for (m, rings) in polygons.iter().enumerate() {
        if rings.is_empty() {
            return Err(format!("polygon {m} has no ring"));
        }
        for (r, ring) in rings.iter().enumerate() {
            if let Some(p) = ring.iter().find(|p| p.len() < 2 || !p[0].is_finite() || !p[1].is_finite() || p[0].abs() > 180.0 || p[1].abs() > 90.0) {
                return Err(format!("ring {r} of polygon {m} has the position {p:?}, not a longitude and latitude"));
            }
            if ring.len() < 4 {
                return Err(format!("ring {r} of polygon {m} has {} positions; a closed ring needs at least 4", ring.len()));
            }
            if ring.first().map(|p| &p[..2]) != ring.last().map(|p| &p[..2]) {
                return Err(format!("ring {r} of polygon {m} is not closed (its first and last positions differ)"));
            }
        }
    }
    Ok(())
}

/// Remove spikes (a vertex where the ring turns straight back: a → b → a) and repeated points,
/// then insist on a valid polygon (OGC rules: no self-intersection such as a bow-tie, holes
/// inside their shell). A spike is repaired; anything else invalid is refused with the reason.
fn repaired(mp: MultiPolygon<f64>) -> std::result::Result<MultiPolygon<f64>, String> {
    use geo::algorithm::Validation;
    let despike = |ring: &geo::LineString<f64>| -> geo::LineString<f64> {
        let mut pts: Vec<geo::Coord<f64>> = ring.0.clone();
        pts.pop(); // the closing point
        loop {
            let n = pts.len();
            if n < 3 {
                break;
            }
            let bad = (0..n).find(|&k| {
                let (prev, cur, next) = (pts[(k + n - 1) % n], pts[k], pts[(k + 1) % n]);
                cur == next || prev == next
            });
            match bad {
                // a → b → a: drop b and the second a; a repeated point: drop it.
                Some(k) if pts[k] == pts[(k + 1) % n] => {
                    pts.remove(k);
                }
                Some(k) => {
                    let next = (k + 1) % n;
                    pts.remove(k.max(next));
                    pts.remove(k.min(next));
                }
                None => break,
            }
        }
        geo::LineString::from(pts)
    };
    let mut out = Vec::with_capacity(mp.0.len());
    for (m, p) in mp.0.into_iter().enumerate() {
        let p = Polygon::new(despike(p.exterior()), p.interiors().iter().map(despike).collect());
        if let Err(e) = p.check_validation() {
            return Err(format!("polygon {m} is not valid: {e}"));
        }
        out.push(p);
    }
    Ok(MultiPolygon(out))
}

/// The union of the given polygons: the outline of one area for maps.
pub fn dissolve<'a>(parts: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> MultiPolygon<f64> {
    let polys: Vec<Polygon<f64>> = parts.into_iter().flat_map(|mp| mp.0.iter().cloned()).collect();
    geo::algorithm::bool_ops::unary_union(polys.iter())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Area};

    #[test]
    fn dissolve_two_squares_is_one_rectangle() {
        let sq = |x: f64| MultiPolygon(vec![polygon![(x: x, y: 0.0), (x: x + 1.0, y: 0.0), (x: x + 1.0, y: 1.0), (x: x, y: 1.0)]]);
        let (a, b) = (sq(0.0), sq(1.0));
        let d = dissolve([&a, &b]);
        assert_eq!(d.0.len(), 1);
        assert!((d.unsigned_area() - 2.0).abs() < 1e-9);
    }
}
