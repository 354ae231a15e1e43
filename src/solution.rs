//! A partition with its figures per area and per municipality, and the cost sharing of MODEL.md
//! "After the solve". Figures are computed from the data, not read from the solver.

use crate::error::{Error, Result};
use crate::instance::table::Table;
use crate::instance::{Instance, JOBSEEKERS, LABOUR_FORCE, POPULATION};
use crate::problem::Problem;
use serde::Serialize;
use std::collections::BTreeMap;

/// How a result stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// HiGHS proved optimality (within the scenario's mip_gap) and every area is contiguous.
    Optimal,
    /// A valid partition, not proven optimal.
    Feasible,
    /// No partition satisfies the scenario.
    Infeasible,
    /// The time limit stopped the solve; the best partition found (if any) and bound are given.
    TimeLimit,
}

impl Status {
    /// The status named by `as_str`'s word.
    pub fn parse(s: &str) -> Option<Status> {
        [Status::Optimal, Status::Feasible, Status::Infeasible, Status::TimeLimit].into_iter().find(|x| x.as_str() == s)
    }

    /// The word used in outputs.
    pub fn as_str(&self) -> &'static str {
        match self {
            Status::Optimal => "optimal",
            Status::Feasible => "feasible",
            Status::Infeasible => "infeasible",
            Status::TimeLimit => "time_limit",
        }
    }
}

/// Figures of one area.
#[derive(Debug, Clone, Serialize)]
pub struct AreaFigures {
    /// Hub unit index.
    #[serde(skip)]
    pub hub: usize,
    /// Member unit indices, hub included.
    #[serde(skip)]
    pub members: Vec<usize>,
    /// Σ population.
    pub population: f64,
    /// Σ labour force.
    pub labour_force: f64,
    /// Σ jobseekers.
    pub jobseekers: f64,
    /// Advisers, FTE: max(⌈jobseekers/caseload⌉, min_staff).
    pub advisers: f64,
    /// Travel cost of the members to the hub, €/year.
    pub travel: f64,
    /// Production cost C(j), €/year.
    pub production_cost: f64,
    /// Σ funding, €/year.
    pub funding: f64,
    /// Equalisation need e(j) = max(0, C(j) − funding), €/year.
    pub equalisation: f64,
}

/// Figures of one unit in its area.
#[derive(Debug, Clone, Serialize)]
pub struct UnitFigures {
    /// Hub unit index.
    #[serde(skip)]
    pub hub: usize,
    /// Funding, €/year.
    pub funding: f64,
    /// Share of the area under the cost-sharing key (0…1).
    pub share: f64,
    /// share·C(j), €/year.
    pub cost_share: f64,
    /// share·e(j), €/year.
    pub equalisation_share: f64,
    /// The provincial lead's central cost, €/year (0 for every other unit).
    pub central_cost: f64,
    /// share·C(j) − funding (+ the central cost for the provincial lead), €/year (positive: pays in).
    pub net_payment: f64,
    /// Travel cost to the hub, €/year.
    pub travel: f64,
    /// Distance to the hub (km, or the matrix's unit).
    pub distance: f64,
}

/// The objective's terms, €/year (unweighted).
#[derive(Debug, Clone, Copy, Serialize, Default)]
pub struct Terms {
    /// T, travel.
    pub travel: f64,
    /// Σ e(j), equalisation need.
    pub equalisation: f64,
    /// Σ C(j), production cost.
    pub production: f64,
    /// The provincial lead's central cost (a constant outside the objective; 0 for independent areas).
    pub central: f64,
}

/// A partition (hub per unit) with all its figures.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Hub of every unit.
    pub hub_of: Vec<usize>,
    /// Areas, ordered by hub index.
    pub areas: Vec<AreaFigures>,
    /// Per unit.
    pub units: Vec<UnitFigures>,
    /// The terms.
    pub terms: Terms,
    /// The weighted objective, €/year.
    pub objective: f64,
}

/// Figures of one area with the given members and hub.
pub fn area_figures(p: &Problem, hub: usize, members: &[usize]) -> AreaFigures {
    let sum = |a: usize| members.iter().map(|&i| p.value(i, a)).sum::<f64>();
    let jobseekers = sum(JOBSEEKERS);
    let advisers = p.staff_needed(jobseekers);
    let production_cost = production_cost(p, jobseekers);
    let funding: f64 = members.iter().map(|&i| p.funding[i]).sum();
    AreaFigures {
        hub,
        members: members.to_vec(),
        population: sum(POPULATION),
        labour_force: sum(LABOUR_FORCE),
        jobseekers,
        advisers,
        travel: members.iter().map(|&i| p.travel[i][hub]).sum(),
        production_cost,
        funding,
        equalisation: (production_cost - funding).max(0.0),
    }
}

/// The weighted objective contribution of one area, €/year.
pub fn area_objective(p: &Problem, a: &AreaFigures) -> f64 {
    p.sc.travel_weight * a.travel + p.sc.equalisation_weight * a.equalisation + p.sc.production_weight * a.production_cost
}

/// `area_objective` of `area_figures(p, hub, members)`, summed in the same order, without building
/// the figures (a local search evaluates thousands of areas).
pub fn area_cost(p: &Problem, hub: usize, members: &[usize]) -> f64 {
    let jobseekers: f64 = members.iter().map(|&i| p.value(i, JOBSEEKERS)).sum();
    let funding: f64 = members.iter().map(|&i| p.funding[i]).sum();
    let travel: f64 = members.iter().map(|&i| p.travel[i][hub]).sum();
    area_cost_of_sums(p, travel, jobseekers, funding)
}

/// The weighted objective of an area from its sums: travel to its hub (€/year), jobseekers and
/// funding (€/year), as `area_figures` and `area_objective` compute it.
pub fn area_cost_of_sums(p: &Problem, travel: f64, jobseekers: f64, funding: f64) -> f64 {
    let sc = p.sc;
    let production_cost = production_cost(p, jobseekers);
    sc.travel_weight * travel + sc.equalisation_weight * (production_cost - funding).max(0.0) + sc.production_weight * production_cost
}

/// An area's production cost (MODEL.md, constraint 5's first three terms), €/year, from its
/// jobseekers: administration, whole advisers and service.
fn production_cost(p: &Problem, jobseekers: f64) -> f64 {
    let sc = p.sc;
    sc.area_admin_cost() + sc.staff_cost * p.staff_needed(jobseekers) + sc.service_cost * jobseekers
}

/// Members of each hub's area.
pub fn areas_of(hub_of: &[usize]) -> BTreeMap<usize, Vec<usize>> {
    let mut m: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &j) in hub_of.iter().enumerate() {
        m.entry(j).or_default().push(i);
    }
    m
}

/// Evaluate a partition from the data.
pub fn evaluate(p: &Problem, hub_of: &[usize]) -> Evaluation {
    let areas: Vec<AreaFigures> = areas_of(hub_of).iter().map(|(&j, m)| area_figures(p, j, m)).collect();
    let mut units = Vec::with_capacity(p.n);
    for i in 0..p.n {
        let a = areas.iter().find(|a| a.hub == hub_of[i]).expect("every hub has an area");
        let key_total: f64 = a.members.iter().map(|&k| p.value(k, p.share_key)).sum();
        let share = if key_total > 0.0 { p.value(i, p.share_key) / key_total } else { 1.0 / a.members.len() as f64 };
        units.push(UnitFigures {
            hub: hub_of[i],
            funding: p.funding[i],
            share,
            cost_share: share * a.production_cost,
            equalisation_share: share * a.equalisation,
            central_cost: if p.lead == Some(i) { p.sc.central_cost() } else { 0.0 },
            net_payment: share * a.production_cost - p.funding[i] + if p.lead == Some(i) { p.sc.central_cost() } else { 0.0 },
            travel: p.travel[i][hub_of[i]],
            distance: p.dist[i][hub_of[i]],
        });
    }
    let terms = Terms {
        travel: areas.iter().map(|a| a.travel).sum(),
        equalisation: areas.iter().map(|a| a.equalisation).sum(),
        production: areas.iter().map(|a| a.production_cost).sum(),
        central: p.sc.central_cost(),
    };
    let objective = areas.iter().map(|a| area_objective(p, a)).sum();
    Evaluation { hub_of: hub_of.to_vec(), areas, units, terms, objective }
}

/// A partition read from CSV (`code,area,hub`), with the area names it gives.
#[derive(Debug, Clone)]
pub struct PartitionFile {
    /// Hub of every unit.
    pub hub_of: Vec<usize>,
    /// Area name per hub index.
    pub names: BTreeMap<usize, String>,
}

/// Parse a partition CSV: every unit exactly once; every area names one hub that is its member.
pub fn parse_partition(file: &str, text: &str, inst: &Instance) -> Result<PartitionFile> {
    let table = Table::parse(file, text, "code,area,hub")?;
    let cols = [table.require(file, "code")?, table.require(file, "area")?, table.require(file, "hub")?];
    let mut hub_code_of_area: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut area_of: Vec<Option<(String, usize)>> = vec![None; inst.n()];
    for (line, rec) in &table.rows {
        let line = *line;
        let (code, area, hub) = (rec.get(cols[0]).unwrap_or(""), rec.get(cols[1]).unwrap_or(""), rec.get(cols[2]).unwrap_or(""));
        let i = inst.unit(code).ok_or_else(|| Error::input(file, line, "code", format!("unknown unit code `{code}` (not in {})", inst.units_file)))?;
        if area.is_empty() {
            return Err(Error::input(file, line, "area", "empty area name"));
        }
        if let Some((_, prev)) = &area_of[i] {
            return Err(Error::input(file, line, "code", format!("unit `{code}` appears twice (first on line {prev})")));
        }
        if !hub.is_empty() {
            match hub_code_of_area.get(area) {
                Some((h, l)) if h != hub => return Err(Error::input(file, line, "hub", format!("area `{area}` has hub `{h}` on line {l} and `{hub}` here"))),
                _ => {
                    hub_code_of_area.insert(area.to_string(), (hub.to_string(), line));
                }
            }
        }
        area_of[i] = Some((area.to_string(), line));
    }
    if let Some(i) = area_of.iter().position(Option::is_none) {
        return Err(Error::file(file, format!("unit `{}` ({}) of {} is in no area", inst.units[i].code, inst.units[i].name, inst.units_file)));
    }
    let mut hub_of = vec![0; inst.n()];
    let mut names = BTreeMap::new();
    for (i, a) in area_of.iter().enumerate() {
        let (area, line) = a.as_ref().unwrap();
        let (hub, hline) = hub_code_of_area.get(area).ok_or_else(|| Error::input(file, *line, "hub", format!("area `{area}` names no hub")))?;
        let j = inst.unit(hub).ok_or_else(|| Error::input(file, *hline, "hub", format!("hub `{hub}` is not a unit of the instance")))?;
        let hub_area = &area_of[j].as_ref().unwrap().0;
        if hub_area != area {
            return Err(Error::input(file, *hline, "hub", format!("hub `{hub}` of area `{area}` belongs to area `{hub_area}`")));
        }
        hub_of[i] = j;
        names.insert(j, area.clone());
    }
    Ok(PartitionFile { hub_of, names })
}
