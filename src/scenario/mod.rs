//! Scenario parameters: every MODEL.md parameter with its default and source, from TOML and `--set`.

use crate::error::{Error, Result};

mod graph;
pub mod params;
mod setting;
mod values;
pub use values::{MAX_PARAMETER, MIN_POSITIVE};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A (unit code, hub code) pair for fixed or forbidden assignments.
pub type Pair = (String, String);

/// Where each parameter was last set (`FILE:LINE` or `--set k=v`), so that an error found later
/// (an unknown unit code, say) names the file and line it came from. Not part of the scenario's
/// identity: two scenarios with the same values are equal wherever their values came from.
#[derive(Debug, Clone, Default)]
pub struct Origins(pub BTreeMap<String, String>);

impl PartialEq for Origins {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// All parameters of one scenario. Names are the stable scenario keys of MODEL.md.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scenario {
    /// Where each parameter was set (for messages only).
    #[serde(skip)]
    pub origins: Origins,
    /// The preset the scenario started from: `employment` (MODEL.md defaults) or `hess`.
    pub preset: String,
    /// Travel weight w(i) from this attribute (the Hess model: population); None: the employment
    /// formula w(i) = jobseekers·trips·2·(km_cost + time_value/speed).
    pub travel_attribute: Option<String>,
    /// Exponent q of the distance in the travel term.
    pub distance_exponent: f64,
    /// Round d(i,j) to whole km before it enters the travel term.
    pub round_km: bool,
    /// Factor applied to the travel term (10⁻⁶ in the Hess model).
    pub objective_scale: f64,
    /// Balance tolerances per attribute: every area's sum within [⌈(1−t)·P/k⌉, ⌊(1+t)·P/k⌋]
    /// (P the instance total, k the fixed number of areas).
    pub balance: BTreeMap<String, f64>,
    /// Jobseekers per adviser (FTE).
    pub caseload: f64,
    /// €/FTE·year.
    pub staff_cost: f64,
    /// €/area·year.
    pub admin_cost: f64,
    /// €/jobseeker·year.
    pub service_cost: f64,
    /// € per member of the labour force.
    pub funding_per_labour_force: f64,
    /// € per jobseeker.
    pub funding_per_jobseeker: f64,
    /// In-person visits per jobseeker and year.
    pub trips_per_jobseeker: f64,
    /// €/h of travelling time.
    pub time_value: f64,
    /// km/h between municipal centres.
    pub speed: f64,
    /// €/km driven.
    pub km_cost: f64,
    /// Road km per great-circle km.
    pub detour_factor: f64,
    /// Weight of travel in the objective.
    pub travel_weight: f64,
    /// Weight of the equalisation need in the objective.
    pub equalisation_weight: f64,
    /// Weight of the production cost in the objective.
    pub production_weight: f64,
    /// Minimum advisers of any area (FTE).
    pub min_staff: f64,
    /// Areas must be contiguous.
    pub contiguity: bool,
    /// Sea-only borders count as adjacency.
    pub sea_edges: bool,
    /// Join a disconnected graph's components by their closest pairs of units before solving (the
    /// research instances' convention; see `adjacency::join_components`).
    /// (Left out of the JSON when off, so that the scenario keys of earlier sweeps still match.)
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub connect_components: bool,
    /// Fixed number of areas.
    pub areas: Option<usize>,
    /// Least number of areas.
    pub min_areas: Option<usize>,
    /// Most number of areas.
    pub max_areas: Option<usize>,
    /// Units may only be served from hubs within this distance (km).
    pub max_distance_km: Option<f64>,
    /// Solver time limit (s).
    pub time_limit: f64,
    /// Relative MIP gap at which HiGHS may stop and call the result optimal.
    pub mip_gap: f64,
    /// HiGHS threads per solve.
    pub threads: usize,
    /// Lower thresholds per attribute: every area's sum ≥ value.
    pub min: BTreeMap<String, f64>,
    /// Upper thresholds per attribute: every area's sum ≤ value.
    pub max: BTreeMap<String, f64>,
    /// Units that may be hubs (None: all).
    pub hubs_allowed: Option<Vec<String>>,
    /// Units that must be hubs.
    pub hubs_forced: Vec<String>,
    /// Units that may not be hubs.
    pub hubs_forbidden: Vec<String>,
    /// Unit must be served from hub.
    pub fixed: Vec<Pair>,
    /// Unit may not be served from hub.
    pub forbidden: Vec<Pair>,
    /// A distance matrix CSV (code_a,code_b,km) to use instead of great-circle × detour.
    pub distance_matrix: Option<String>,
    /// Attribute by which an area's cost is shared among its members.
    pub cost_share_key: String,
    /// Year of the figures: 2022 (the instance's population, labour_force, jobseekers) or
    /// another year whose `ATTRIBUTE_YEAR` columns the instance carries (e.g. 2019).
    pub data_year: u32,
    /// Organiser model (MODEL.md): `independent` areas, each with its own administration, or
    /// `provincial` lead: one municipality sells management, administration and digital services
    /// to every area (`provincial_admin_cost` per area) and bears a `central_cost` itself.
    pub organiser: String,
    /// €/area·year of administration when the provincial lead provides it.
    pub provincial_admin_cost: f64,
    /// €/year borne by the provincial lead for the central services (a constant: reported, not optimised).
    pub central_cost: f64,
    /// Code of the provincial lead municipality.
    pub provincial_lead: String,
}

/// (key, default as text, where it comes from) for every documented parameter.
pub const SOURCES: &[(&str, &str, &str)] = &[
    ("min.labour_force", "20000", "Act 380/2023 (HE 207/2022): an area needs a labour force of at least 20 000"),
    ("contiguity", "true", "Act 380/2023: the area must be geographically contiguous"),
    ("sea_edges", "true", "sea borders count (Hailuoto reaches Oulu by ferry)"),
    ("connect_components", "false", "hess: true, the paper's convention for islands (zhelih/districting graph::connect): a disconnected graph's components are joined by their closest pairs of units, cheapest first"),
    ("caseload", "149", "KEHA national average, spring 2025 (Yle 2025-07-24); range 100–200"),
    ("staff_cost", "65000", "assumption: salary, side costs, premises, €/FTE·year"),
    ("admin_cost", "500000", "assumption: management, administration, digital services, €/area·year"),
    ("service_cost", "2112", "calibrated: 2025 pot − admin of 45 areas − staff at the real partition, ÷ national jobseekers 2022"),
    ("funding_per_labour_force", "125.54", "50 % of the 2025 pot 657 954 000 € ÷ mainland labour force 2 620 530 (2022)"),
    ("funding_per_jobseeker", "1322.72", "50 % of the pot ÷ mainland jobseekers 248 712.9 (2022 mean)"),
    ("trips_per_jobseeker", "4", "assumption: an in-person discussion every three months"),
    ("time_value", "15", "assumption: value of travelling time, €/h"),
    ("speed", "70", "assumption: average road speed between centres, km/h"),
    ("km_cost", "0.57", "assumption: 2024 tax-free kilometre allowance, €/km"),
    ("detour_factor", "1.3", "assumption: road km over great-circle km"),
    ("travel_weight", "1", "MODEL.md"),
    ("equalisation_weight", "1", "MODEL.md"),
    ("production_weight", "0", "MODEL.md"),
    ("min_staff", "0", "no minimum beyond the caseload (an area with jobseekers gets ≥ 1 FTE anyway)"),
    ("time_limit", "600", "seconds"),
    ("mip_gap", "1e-6", "relative gap at which HiGHS stops"),
    ("threads", "1", "one HiGHS thread per solve (repeatable); parallelism belongs in sweeps"),
    ("cost_share_key", "labour_force", "MODEL.md, After the solve"),
    ("data_year", "2022", "2022: the instance's population, labour_force, jobseekers; 2019: its *_2019 columns (data/SOURCES.md)"),
    ("organiser", "independent", "MODEL.md organiser models: independent areas (the 2025 decision) or provincial lead (seed 003)"),
    ("provincial_admin_cost", "250000", "assumption: half of admin_cost when the lead sells management, administration and digital services, €/area·year"),
    ("central_cost", "1000000", "assumption: the provincial lead's own central services, €/year (2 × admin_cost)"),
    ("provincial_lead", "564", "seed 003: Oulu (564) as the organiser for the whole province"),
    ("preset", "employment", "employment: the defaults above; hess: the research instances of MODEL.md"),
    ("travel_attribute", "none", "none: w(i) = jobseekers·trips·2·(km_cost + time_value/speed); hess: population"),
    ("distance_exponent", "1", "MODEL.md: q = 1 (employment), 2 (hess)"),
    ("round_km", "false", "MODEL.md: d rounded to whole km in the hess instances"),
    ("objective_scale", "1", "MODEL.md: 10⁻⁶ in the hess instances"),
    ("balance.ATTRIBUTE", "none", "MODEL.md: hess sets balance.population = 0.005, i.e. [⌈0.995·P/k⌉, ⌊1.005·P/k⌋]"),
];

/// The presets `preset` accepts.
pub const PRESETS: &[&str] = &["employment", "hess"];

/// Bounds [⌈(1−t)·P/k⌉, ⌊(1+t)·P/k⌋] of a balance tolerance `t` on a total `P` over `k` areas.
pub fn balance_bounds(total: f64, k: usize, t: f64) -> (f64, f64) {
    let mean = total / k as f64;
    // A relative 1e-12 keeps exact products such as 0.995·P/k from rounding the wrong way.
    (((1.0 - t) * mean * (1.0 - 1e-12)).ceil(), ((1.0 + t) * mean * (1.0 + 1e-12)).floor())
}

impl Default for Scenario {
    fn default() -> Self {
        Scenario {
            preset: "employment".to_string(),
            travel_attribute: None,
            distance_exponent: 1.0,
            round_km: false,
            objective_scale: 1.0,
            balance: BTreeMap::new(),
            caseload: 149.0,
            staff_cost: 65_000.0,
            admin_cost: 500_000.0,
            service_cost: 2_112.0,
            funding_per_labour_force: 125.54,
            funding_per_jobseeker: 1_322.72,
            trips_per_jobseeker: 4.0,
            time_value: 15.0,
            speed: 70.0,
            km_cost: 0.57,
            detour_factor: 1.3,
            travel_weight: 1.0,
            equalisation_weight: 1.0,
            production_weight: 0.0,
            min_staff: 0.0,
            contiguity: true,
            sea_edges: true,
            connect_components: false,
            areas: None,
            min_areas: None,
            max_areas: None,
            max_distance_km: None,
            time_limit: 600.0,
            mip_gap: 1e-6,
            threads: 1,
            min: BTreeMap::from([("labour_force".to_string(), 20_000.0)]),
            max: BTreeMap::new(),
            hubs_allowed: None,
            hubs_forced: Vec::new(),
            hubs_forbidden: Vec::new(),
            fixed: Vec::new(),
            forbidden: Vec::new(),
            distance_matrix: None,
            origins: Origins::default(),
            cost_share_key: "labour_force".to_string(),
            data_year: 2022,
            organiser: "independent".to_string(),
            provincial_admin_cost: 250_000.0,
            central_cost: 1_000_000.0,
            provincial_lead: "564".to_string(),
        }
    }
}

/// Every key `set` accepts (plus `min.ATTRIBUTE` and `max.ATTRIBUTE`).
pub const KEYS: &[&str] = &[
    "caseload", "staff_cost", "admin_cost", "service_cost", "funding_per_labour_force", "funding_per_jobseeker",
    "trips_per_jobseeker", "time_value", "speed", "km_cost", "detour_factor", "travel_weight", "equalisation_weight",
    "production_weight", "min_staff", "contiguity", "sea_edges", "connect_components", "areas", "min_areas", "max_areas", "max_distance_km",
    "time_limit", "mip_gap", "threads", "hubs_allowed", "hubs_forced", "hubs_forbidden", "fixed", "forbidden",
    "distance_matrix", "cost_share_key", "min.ATTRIBUTE", "max.ATTRIBUTE", "preset", "travel_attribute",
    "distance_exponent", "round_km", "objective_scale", "balance.ATTRIBUTE", "data_year", "organiser",
    "provincial_admin_cost", "central_cost", "provincial_lead",
];

/// The organiser models `organiser` accepts.
pub const ORGANISERS: &[&str] = &["independent", "provincial"];

impl Scenario {
    /// A scenario that starts from a preset (`employment` or `hess`).
    pub fn preset(name: &str) -> Result<Scenario> {
        let mut s = Scenario::default();
        s.apply_preset("--preset", name)?;
        Ok(s)
    }

    /// Reset to a preset's values. `hess` is MODEL.md's research model: w(i) = population, q = 2,
    /// d = great-circle km rounded to whole km (no detour), objective × 10⁻⁶, population within
    /// [⌈0.995·P/k⌉, ⌊1.005·P/k⌋], no staffing or equalisation terms; set `areas` for k.
    pub fn apply_preset(&mut self, origin: &str, name: &str) -> Result<()> {
        let mut s = Scenario::default();
        match name {
            "employment" => {}
            "hess" => {
                s.preset = "hess".into();
                s.travel_attribute = Some("population".into());
                s.distance_exponent = 2.0;
                s.round_km = true;
                s.objective_scale = 1e-6;
                s.detour_factor = 1.0;
                s.equalisation_weight = 0.0;
                s.production_weight = 0.0;
                // No staffing or equalisation terms: their prices are zero, so are the terms.
                s.admin_cost = 0.0;
                s.staff_cost = 0.0;
                s.service_cost = 0.0;
                s.funding_per_labour_force = 0.0;
                s.funding_per_jobseeker = 0.0;
                s.min.clear();
                s.balance.insert("population".into(), 0.005);
                s.cost_share_key = "population".into();
                s.connect_components = true;
            }
            other => return Err(Error::scenario(origin, "preset", format!("unknown preset `{other}`; known: {}", PRESETS.join(", ")))),
        }
        // Solver settings are not part of a preset.
        s.time_limit = self.time_limit;
        s.threads = self.threads;
        s.mip_gap = self.mip_gap;
        *self = s;
        Ok(())
    }

    /// The employment terms (staffing, equalisation, production) enter the objective.
    pub fn employment_terms(&self) -> bool {
        self.equalisation_weight != 0.0 || self.production_weight != 0.0
    }

    /// Unit of the objective and of the travel term, for people: `€/year`, or e.g.
    /// `population·km²×10⁻⁶` in the Hess model.
    pub fn objective_unit(&self) -> String {
        match &self.travel_attribute {
            Some(a) => {
                let q = match self.distance_exponent {
                    x if x == 1.0 => String::new(),
                    x if x == 2.0 => "²".into(),
                    x => format!("^{x}"),
                };
                let scale = if self.objective_scale == 1.0 { String::new() } else if self.objective_scale == 1e-6 { "×10⁻⁶".into() } else { format!("×{}", self.objective_scale) };
                format!("{a}·km{q}{scale}")
            }
            None => "€/year".into(),
        }
    }

    /// The same unit in ASCII for files (`EUR/year`, `population*km^2*1e-06`).
    pub fn objective_unit_ascii(&self) -> String {
        match &self.travel_attribute {
            None => "EUR/year".into(),
            Some(a) => format!("{a}*km^{}*{:e}", self.distance_exponent, self.objective_scale),
        }
    }

    /// Decimals worth printing for objective values.
    pub fn objective_decimals(&self) -> usize {
        if self.travel_attribute.is_some() { 2 } else { 0 }
    }

    /// Where parameter `key` was set (`scenario` when it has its default).
    pub fn origin(&self, key: &str) -> String {
        self.origins.0.get(key).cloned().unwrap_or_else(|| "scenario".to_string())
    }

    /// Administration cost of one area, €/year: `admin_cost`, or `provincial_admin_cost` under a
    /// provincial lead.
    pub fn area_admin_cost(&self) -> f64 {
        if self.organiser == "provincial" { self.provincial_admin_cost } else { self.admin_cost }
    }

    /// The provincial lead's central cost, €/year (0 for independent areas).
    pub fn central_cost(&self) -> f64 {
        if self.organiser == "provincial" { self.central_cost } else { 0.0 }
    }

    /// Weight w(i)/jobseeker of travel: € per jobseeker per km of one-way distance.
    pub fn travel_euro_per_jobseeker_km(&self) -> f64 {
        self.trips_per_jobseeker * 2.0 * (self.km_cost + self.time_value / self.speed)
    }

    /// The distance term of travel: d (rounded to whole km when `round_km`) to the power q, times
    /// `objective_scale`.
    pub fn travel_distance(&self, d: f64) -> f64 {
        let d = if self.round_km { d.round() } else { d };
        let dq = if self.distance_exponent == 1.0 { d } else if self.distance_exponent == 2.0 { d * d } else { d.powf(self.distance_exponent) };
        dq * self.objective_scale
    }

    /// The parameters as (key, value) text pairs for reports.
    pub fn table(&self) -> Vec<(String, String)> {
        let v = serde_json::to_value(self).expect("scenario serialises");
        let mut out = Vec::new();
        if let serde_json::Value::Object(m) = v {
            for (k, v) in m {
                match v {
                    serde_json::Value::Object(t) => {
                        for (a, x) in t {
                            out.push((format!("{k}.{a}"), x.to_string()));
                        }
                    }
                    serde_json::Value::Null => out.push((k, "none".into())),
                    other => out.push((k, other.to_string().trim_matches('"').to_string())),
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_overrides_and_checks() {
        let mut s = Scenario::default();
        s.set_arg("caseload=120").unwrap();
        s.set_arg("contiguity=false").unwrap();
        s.set_arg("min.labour_force=15000").unwrap();
        s.set_arg("fixed=072:564").unwrap();
        s.set_arg("hubs_allowed=564,678").unwrap();
        assert_eq!(s.caseload, 120.0);
        assert!(!s.contiguity);
        assert_eq!(s.min["labour_force"], 15000.0);
        assert_eq!(s.fixed, vec![("072".to_string(), "564".to_string())]);
        assert_eq!(s.hubs_allowed, Some(vec!["564".to_string(), "678".to_string()]));
        assert!(s.set_arg("caseload=abc").unwrap_err().to_string().contains("caseload"));
        assert!(s.set_arg("casload=1").unwrap_err().to_string().contains("unknown parameter"));
        assert!(s.set_arg("speed=0").is_err());
        assert!(s.set_arg("caseload=nan").is_err());
    }

    #[test]
    fn toml_file_with_thresholds_and_line_numbers() {
        let mut s = Scenario::default();
        s.apply_toml("s.toml", "caseload = 100\n[min]\npopulation = 5000\n").unwrap();
        assert_eq!(s.caseload, 100.0);
        assert!(!s.min.contains_key("labour_force"));
        assert_eq!(s.min["population"], 5000.0);
        let e = Scenario::default().apply_toml("s.toml", "caseload = 100\nspeed = \"fast\"\n").unwrap_err().to_string();
        assert!(e.contains("s.toml:2") && e.contains("speed"), "{e}");
    }
}
