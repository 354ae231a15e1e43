//! areas.csv and municipalities.csv (units in the column names).

use crate::error::{Error, Result};
use crate::instance::{JOBSEEKERS, LABOUR_FORCE, POPULATION};
use crate::solution::Evaluation;
use crate::{Problem, RunResult};

fn finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner().map_err(|e| Error::Output { file: "csv".into(), message: e.to_string() })
}

fn werr(e: csv::Error) -> Error {
    Error::Output { file: "csv".into(), message: e.to_string() }
}

/// One row per area.
pub fn areas(r: &RunResult, ev: &Evaluation, p: &Problem) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "area", "hub", "hub_name", "members", "member_codes", "population", "labour_force", "jobseekers", "advisers_fte",
        "travel_eur_per_year", "production_cost_eur_per_year", "funding_eur_per_year", "equalisation_eur_per_year",
    ]).map_err(werr)?;
    for a in &ev.areas {
        let u = &p.inst.units[a.hub];
        let codes: Vec<&str> = a.members.iter().map(|&i| p.inst.units[i].code.as_str()).collect();
        w.write_record([
            r.area_names.get(&a.hub).cloned().unwrap_or_else(|| u.name.clone()),
            u.code.clone(),
            u.name.clone(),
            a.members.len().to_string(),
            codes.join(" "),
            format!("{}", a.population),
            format!("{}", a.labour_force),
            format!("{}", a.jobseekers),
            format!("{}", a.advisers),
            format!("{:.2}", a.travel),
            format!("{:.2}", a.production_cost),
            format!("{:.2}", a.funding),
            format!("{:.2}", a.equalisation),
        ]).map_err(werr)?;
    }
    finish(w)
}

/// One row per municipality: its area, funding, cost share and net payment.
pub fn municipalities(r: &RunResult, ev: &Evaluation, p: &Problem) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "code", "name", "hub", "hub_name", "area", "population", "labour_force", "jobseekers", "distance_to_hub_km",
        "travel_eur_per_year", "funding_eur_per_year", "share", "cost_share_eur_per_year", "equalisation_share_eur_per_year",
        "central_cost_eur_per_year", "net_payment_eur_per_year",
    ]).map_err(werr)?;
    for (i, f) in ev.units.iter().enumerate() {
        let u = &p.inst.units[i];
        let h = &p.inst.units[f.hub];
        w.write_record([
            u.code.clone(),
            u.name.clone(),
            h.code.clone(),
            h.name.clone(),
            r.area_names.get(&f.hub).cloned().unwrap_or_else(|| h.name.clone()),
            format!("{}", u.values[POPULATION]),
            format!("{}", u.values[LABOUR_FORCE]),
            format!("{}", u.values[JOBSEEKERS]),
            format!("{:.1}", f.distance),
            format!("{:.2}", f.travel),
            format!("{:.2}", f.funding),
            format!("{:.6}", f.share),
            format!("{:.2}", f.cost_share),
            format!("{:.2}", f.equalisation_share),
            format!("{:.2}", f.central_cost),
            format!("{:.2}", f.net_payment),
        ]).map_err(werr)?;
    }
    finish(w)
}
