//! areas.geojson: one dissolved (multi)polygon per area with its figures, for QGIS.

use crate::instance::geometry::dissolve;
use crate::solution::Evaluation;
use crate::{Problem, RunResult};
use serde_json::json;

/// Render the FeatureCollection.
pub fn render(r: &RunResult, ev: &Evaluation, p: &Problem) -> String {
    let polys = p.inst.boundaries.as_ref().expect("caller checks boundaries");
    let features: Vec<geojson::Feature> = ev
        .areas
        .iter()
        .map(|a| {
            let shape = dissolve(a.members.iter().filter_map(|&i| polys[i].as_ref()));
            let props = json!({
                "area": r.area_names.get(&a.hub).cloned().unwrap_or_else(|| p.inst.units[a.hub].name.clone()),
                "hub": p.inst.units[a.hub].code,
                "hub_name": p.inst.units[a.hub].name,
                "members": a.members.iter().map(|&i| p.inst.units[i].code.clone()).collect::<Vec<_>>().join(" "),
                "population": a.population,
                "labour_force": a.labour_force,
                "jobseekers": a.jobseekers,
                "advisers_fte": a.advisers,
                "travel_eur_per_year": a.travel,
                "production_cost_eur_per_year": a.production_cost,
                "funding_eur_per_year": a.funding,
                "equalisation_eur_per_year": a.equalisation,
            });
            geojson::Feature {
                bbox: None,
                geometry: Some(geojson::Geometry::from(&shape)),
                id: None,
                properties: props.as_object().cloned(),
                foreign_members: None,
            }
        })
        .collect();
    let fc = geojson::FeatureCollection { bbox: None, features, foreign_members: None };
    geojson::GeoJson::from(fc).to_string() + "\n"
}
