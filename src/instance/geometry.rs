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
        let g: geo::Geometry<f64> = geom.clone().try_into().map_err(|e| Error::input(file, 0, &field, format!("unit `{code}`: bad geometry: {e}")))?;
        let mp = match g {
            geo::Geometry::Polygon(p) => MultiPolygon(vec![p]),
            geo::Geometry::MultiPolygon(mp) => mp,
            _ => return Err(Error::input(file, 0, &field, format!("unit `{code}`: geometry must be a Polygon or MultiPolygon"))),
        };
        if out[i].is_some() {
            return Err(Error::input(file, 0, &field, format!("unit `{code}` appears twice")));
        }
        out[i] = Some(mp);
    }
    Ok(out)
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
