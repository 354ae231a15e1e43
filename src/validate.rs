//! The validator: a second, independent reading of MODEL.md. Given instance, scenario and a
//! partition it checks every constraint by name and recomputes every cost term from the data.
//! It never uses `model/` or `problem.rs`, so that the two readings must agree.

use crate::instance::{adjacency, Instance, JOBSEEKERS, LABOUR_FORCE};
use crate::scenario::Scenario;
use serde::Serialize;

/// One violated constraint.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Violation {
    /// The MODEL.md constraint family: assignment, hubs, thresholds, staffing, equalisation,
    /// number_of_areas, reach, contiguity, objective.
    pub constraint: &'static str,
    /// What is wrong, naming the units.
    pub detail: String,
    /// The area it concerns, by hub (None: the partition as a whole), for marking it on a map.
    #[serde(skip)]
    pub area: Option<usize>,
}

/// The validator's verdict and its own figures.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// Every violation found (empty: the partition is feasible).
    pub violations: Vec<Violation>,
    /// Travel T, €/year.
    pub travel: f64,
    /// Σ e(j), €/year.
    pub equalisation: f64,
    /// Σ C(j), €/year.
    pub production: f64,
    /// The weighted objective, €/year.
    pub objective: f64,
}

impl Validation {
    /// No constraint is violated.
    pub fn is_feasible(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Check `hub_of` (the hub of every unit; `advisers` per hub when the caller reports them)
/// against every constraint and recompute the objective.
pub fn validate(inst: &Instance, sc: &Scenario, hub_of: &[usize], advisers: Option<&dyn Fn(usize) -> f64>) -> Validation {
    let n = inst.n();
    let mut c = Check { inst, sc, hub_of, violations: Vec::new(), area: None };
    if hub_of.len() != n || hub_of.iter().any(|&j| j >= n) {
        c.bad("assignment", format!("the partition must give one hub for each of the {n} units"));
        return Validation { violations: c.violations, travel: f64::NAN, equalisation: f64::NAN, production: f64::NAN, objective: f64::NAN };
    }
    let mut hubs: Vec<usize> = hub_of.to_vec();
    hubs.sort_unstable();
    hubs.dedup();
    c.hubs(&hubs);
    let travel_of = c.travel_terms();
    let balance = c.balance();
    let graph = adjacency::neighbours(n, &inst.edges, sc.sea_edges);
    let (mut travel, mut equalisation, mut production) = (0.0, 0.0, 0.0);
    for &j in &hubs {
        let members: Vec<usize> = (0..n).filter(|&i| hub_of[i] == j).collect();
        c.area = Some(j);
        let label = format!("area of {} ({} units)", c.name(j), members.len());
        c.thresholds(&label, &members, &balance);
        let (cost, need) = c.staffing_and_need(&label, j, &members, advisers);
        production += cost;
        equalisation += need;
        travel += c.reach_and_travel(j, &members, &travel_of);
        if sc.contiguity {
            c.contiguity(&label, j, &members, &graph);
        }
    }
    c.area = None;
    c.number_of_areas(hubs.len());
    let objective = sc.travel_weight * travel + sc.equalisation_weight * equalisation + sc.production_weight * production;
    Validation { violations: c.violations, travel, equalisation, production, objective }
}

/// One validation's inputs and what it has found so far; `area` is the area being checked,
/// recorded with each violation found meanwhile.
struct Check<'a> {
    inst: &'a Instance,
    sc: &'a Scenario,
    hub_of: &'a [usize],
    violations: Vec<Violation>,
    area: Option<usize>,
}

/// An attribute's balance range: (name, index, least, most).
type Balance = Vec<(String, usize, f64, f64)>;

/// Each unit's travel: its distance to any hub (km) and its weight w(i), and the distance term
/// of the objective.
struct TravelTerms<'a> {
    distance: Box<dyn Fn(usize, usize) -> f64 + 'a>,
    weight: Vec<f64>,
}

impl<'a> Check<'a> {
    fn bad(&mut self, constraint: &'static str, detail: String) {
        self.violations.push(Violation { constraint, detail, area: self.area });
    }

    fn name(&self, i: usize) -> String {
        format!("{} ({})", self.inst.units[i].name, self.inst.units[i].code)
    }

    fn code(&self, c: &str) -> Option<usize> {
        self.inst.unit(c)
    }

    fn val(&self, i: usize, a: usize) -> f64 {
        self.inst.units[i].values[a]
    }

    /// 2. hubs: every hub serves itself and may be one; forced hubs, fixed and forbidden pairs.
    fn hubs(&mut self, hubs: &[usize]) {
        let (sc, hub_of) = (self.sc, self.hub_of);
        for &j in hubs {
            self.area = Some(j);
            if hub_of[j] != j {
                self.bad("hubs", format!("{} serves an area but is itself served from {}", self.name(j), self.name(hub_of[j])));
            }
            let allowed = sc.hubs_allowed.as_ref().is_none_or(|l| l.iter().any(|c| self.code(c) == Some(j)));
            if !allowed || sc.hubs_forbidden.iter().any(|c| self.code(c) == Some(j)) {
                self.bad("hubs", format!("{} is a hub but may not be one", self.name(j)));
            }
        }
        self.area = None;
        for c in &sc.hubs_forced {
            if let Some(j) = self.code(c).filter(|j| !hubs.contains(j)) {
                self.bad("hubs", format!("{} must be a hub but is not", self.name(j)));
            }
        }
        for (a, b) in &sc.fixed {
            if let (Some(i), Some(j)) = (self.code(a), self.code(b)) {
                if hub_of[i] != j {
                    self.bad("hubs", format!("{} must be served from {} but is served from {}", self.name(i), self.name(j), self.name(hub_of[i])));
                }
            }
        }
        for (a, b) in &sc.forbidden {
            if let (Some(i), Some(j)) = (self.code(a), self.code(b)) {
                if hub_of[i] == j {
                    self.bad("hubs", format!("{} may not be served from {}", self.name(i), self.name(j)));
                }
            }
        }
    }

    /// The distances (the scenario's matrix, the instance's, or great circles times the detour
    /// factor) and the travel weights: the employment formula, or an attribute (population in
    /// the Hess model).
    fn travel_terms(&mut self) -> TravelTerms<'a> {
        let (inst, sc) = (self.inst, self.sc);
        let centres: Vec<(f64, f64)> = inst.units.iter().map(|u| (u.lat, u.lon)).collect();
        let given = inst.distances.as_ref().filter(|_| sc.distance_matrix.is_none());
        let matrix = sc.distance_matrix.as_ref().and_then(|p| crate::text::read_text(std::path::Path::new(p)).ok()).and_then(|t| {
            let codes: Vec<String> = inst.units.iter().map(|u| u.code.clone()).collect();
            crate::instance::distance::parse_matrix("distance_matrix", &t, &codes).ok()
        });
        let detour = sc.detour_factor;
        let distance = Box::new(move |i: usize, j: usize| match (&matrix, given) {
            (Some(m), _) => m[i][j],
            (None, Some(d)) => d[i][j],
            _ => crate::instance::distance::great_circle_km(centres[i].0, centres[i].1, centres[j].0, centres[j].1) * detour,
        });
        let per_km = sc.trips_per_jobseeker * 2.0 * (sc.km_cost + sc.time_value / sc.speed);
        let attr = match &sc.travel_attribute {
            Some(a) => match inst.attribute(a) {
                Some(x) => Some(x),
                None => {
                    self.bad("objective", format!("unknown travel attribute `{a}`"));
                    None
                }
            },
            None => None,
        };
        let weight = (0..inst.n()).map(|i| attr.map(|a| self.val(i, a)).unwrap_or_else(|| self.val(i, JOBSEEKERS) * per_km)).collect();
        TravelTerms { distance, weight }
    }

    /// Balance: [⌈(1−t)·P/k⌉, ⌊(1+t)·P/k⌋] for each balanced attribute, with k the scenario's
    /// number of areas.
    fn balance(&mut self) -> Balance {
        let (inst, sc) = (self.inst, self.sc);
        let mut balance = Vec::new();
        for (attr, &t) in &sc.balance {
            match (inst.attribute(attr), sc.areas) {
                (Some(a), Some(k)) => {
                    let total: f64 = (0..inst.n()).map(|i| self.val(i, a)).sum();
                    let (lo, hi) = crate::scenario::balance_bounds(total, k, t);
                    balance.push((attr.clone(), a, lo, hi));
                }
                (None, _) => self.bad("thresholds", format!("unknown attribute `{attr}`")),
                (_, None) => self.bad("thresholds", format!("balance.{attr} needs a fixed number of areas")),
            }
        }
        balance
    }

    /// 3. thresholds: the minimums, maximums and balance ranges of one area.
    fn thresholds(&mut self, label: &str, members: &[usize], balance: &Balance) {
        let (inst, sc) = (self.inst, self.sc);
        let sum = |a: usize| members.iter().map(|&i| inst.units[i].values[a]).sum::<f64>();
        for (attr, &m) in &sc.min {
            match inst.attribute(attr) {
                Some(a) if sum(a) < m - 1e-6 => self.bad("thresholds", format!("{label}: {attr} {} < minimum {m}", sum(a))),
                Some(_) => {}
                None => self.bad("thresholds", format!("unknown attribute `{attr}`")),
            }
        }
        for (attr, &m) in &sc.max {
            if let Some(a) = inst.attribute(attr).filter(|&a| sum(a) > m + 1e-6) {
                self.bad("thresholds", format!("{label}: {attr} {} > maximum {m}", sum(a)));
            }
        }
        for (attr, a, lo, hi) in balance {
            let s = sum(*a);
            if s < lo - 1e-6 || s > hi + 1e-6 {
                self.bad("thresholds", format!("{label}: {attr} {s} outside the balance range {lo}…{hi}"));
            }
        }
    }

    /// 4. staffing (whole advisers, enough for the caseload, at least the minimum) and 5.
    /// equalisation: the area's production cost and its need, what it costs beyond the funding.
    fn staffing_and_need(&mut self, label: &str, j: usize, members: &[usize], advisers: Option<&dyn Fn(usize) -> f64>) -> (f64, f64) {
        let sc = self.sc;
        let js: f64 = members.iter().map(|&i| self.val(i, JOBSEEKERS)).sum();
        let least = (js / sc.caseload - 1e-9).ceil().max(sc.min_staff.ceil());
        let s = advisers.map(|f| f(j)).unwrap_or(least);
        if s.fract() != 0.0 || sc.caseload * s < js - 1e-6 || s < sc.min_staff - 1e-9 {
            self.bad("staffing", format!("{label}: {s} advisers for {js} jobseekers at caseload {} (min_staff {})", sc.caseload, sc.min_staff));
        }
        let cost = sc.area_admin_cost() + sc.staff_cost * s + sc.service_cost * js;
        let funding: f64 = members.iter().map(|&i| sc.funding_per_labour_force * self.val(i, LABOUR_FORCE) + sc.funding_per_jobseeker * self.val(i, JOBSEEKERS)).sum();
        (cost, (cost - funding).max(0.0))
    }

    /// 7. reach: every member within the distance limit of its hub; returns the area's travel.
    fn reach_and_travel(&mut self, j: usize, members: &[usize], t: &TravelTerms) -> f64 {
        let sc = self.sc;
        let dq = |dij: f64| (if sc.round_km { dij.round() } else { dij }).powf(sc.distance_exponent) * sc.objective_scale;
        let mut travel = 0.0;
        for &i in members {
            let dij = (t.distance)(i, j);
            if let Some(m) = sc.max_distance_km.filter(|&m| dij > m + 1e-9) {
                self.bad("reach", format!("{} is {dij:.1} km from its hub {}, more than {m} km", self.name(i), self.name(j)));
            }
            travel += t.weight[i] * dq(dij);
        }
        travel
    }

    /// 8. contiguity: breadth-first search inside the area from the hub.
    fn contiguity(&mut self, label: &str, j: usize, members: &[usize], graph: &[Vec<usize>]) {
        let mut seen = vec![false; self.inst.n()];
        seen[j] = true;
        let mut queue = vec![j];
        while let Some(u) = queue.pop() {
            for &w in &graph[u] {
                if self.hub_of[w] == j && !seen[w] {
                    seen[w] = true;
                    queue.push(w);
                }
            }
        }
        let cut_off: Vec<String> = members.iter().filter(|&&i| !seen[i]).map(|&i| self.name(i)).collect();
        if !cut_off.is_empty() {
            self.bad("contiguity", format!("{label}: not connected to the hub: {}", cut_off.join(", ")));
        }
    }

    /// 6. number of areas.
    fn number_of_areas(&mut self, k: usize) {
        let sc = self.sc;
        let lo = sc.areas.or(sc.min_areas).unwrap_or(1);
        let hi = sc.areas.or(sc.max_areas).unwrap_or(self.inst.n());
        if k < lo || k > hi {
            self.bad("number_of_areas", format!("{k} areas, but the scenario asks for {lo}…{hi}"));
        }
    }
}

/// Compare a claimed objective (e.g. the solver's) with the validator's, relative tolerance 1e-6.
pub fn objective_agrees(validation: &Validation, claimed: f64) -> bool {
    (validation.objective - claimed).abs() <= 1e-6 * validation.objective.abs().max(1.0)
}
