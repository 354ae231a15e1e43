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
    let mut v: Vec<Violation> = Vec::new();
    // The area being checked, recorded with each violation found meanwhile.
    let current = std::cell::Cell::new(None);
    let mut bad = |constraint: &'static str, detail: String| v.push(Violation { constraint, detail, area: current.get() });
    let name = |i: usize| format!("{} ({})", inst.units[i].name, inst.units[i].code);
    let code = |c: &str| inst.unit(c);
    if hub_of.len() != n || hub_of.iter().any(|&j| j >= n) {
        bad("assignment", format!("the partition must give one hub for each of the {n} units"));
        return Validation { violations: v, travel: f64::NAN, equalisation: f64::NAN, production: f64::NAN, objective: f64::NAN };
    }
    let mut hubs: Vec<usize> = hub_of.to_vec();
    hubs.sort_unstable();
    hubs.dedup();
    // 2. hubs
    for &j in &hubs {
        current.set(Some(j));
        if hub_of[j] != j {
            bad("hubs", format!("{} serves an area but is itself served from {}", name(j), name(hub_of[j])));
        }
        let allowed = sc.hubs_allowed.as_ref().is_none_or(|l| l.iter().any(|c| code(c) == Some(j)));
        if !allowed || sc.hubs_forbidden.iter().any(|c| code(c) == Some(j)) {
            bad("hubs", format!("{} is a hub but may not be one", name(j)));
        }
    }
    current.set(None);
    for c in &sc.hubs_forced {
        if let Some(j) = code(c) {
            if !hubs.contains(&j) {
                bad("hubs", format!("{} must be a hub but is not", name(j)));
            }
        }
    }
    for (a, b) in &sc.fixed {
        if let (Some(i), Some(j)) = (code(a), code(b)) {
            if hub_of[i] != j {
                bad("hubs", format!("{} must be served from {} but is served from {}", name(i), name(j), name(hub_of[i])));
            }
        }
    }
    for (a, b) in &sc.forbidden {
        if let (Some(i), Some(j)) = (code(a), code(b)) {
            if hub_of[i] == j {
                bad("hubs", format!("{} may not be served from {}", name(i), name(j)));
            }
        }
    }
    // Data for the remaining checks.
    let centres: Vec<(f64, f64)> = inst.units.iter().map(|u| (u.lat, u.lon)).collect();
    let dist = |i: usize, j: usize| -> f64 {
        match &inst.distances {
            Some(d) if sc.distance_matrix.is_none() => d[i][j],
            _ => crate::instance::distance::great_circle_km(centres[i].0, centres[i].1, centres[j].0, centres[j].1) * sc.detour_factor,
        }
    };
    let matrix = sc.distance_matrix.as_ref().and_then(|p| crate::text::read_text(std::path::Path::new(p)).ok()).and_then(|t| {
        let codes: Vec<String> = inst.units.iter().map(|u| u.code.clone()).collect();
        crate::instance::distance::parse_matrix("distance_matrix", &t, &codes).ok()
    });
    let d = |i: usize, j: usize| matrix.as_ref().map(|m| m[i][j]).unwrap_or_else(|| dist(i, j));
    let val = |i: usize, a: usize| inst.units[i].values[a];
    let graph = adjacency::neighbours(n, &inst.edges, sc.sea_edges);
    let (mut travel, mut equalisation, mut production) = (0.0, 0.0, 0.0);
    let per_km = sc.trips_per_jobseeker * 2.0 * (sc.km_cost + sc.time_value / sc.speed);
    // w(i): the employment formula, or an attribute (population in the Hess model).
    let weight_attr = match &sc.travel_attribute {
        Some(a) => match inst.attribute(a) {
            Some(x) => Some(x),
            None => {
                bad("objective", format!("unknown travel attribute `{a}`"));
                None
            }
        },
        None => None,
    };
    let w = |i: usize| weight_attr.map(|a| val(i, a)).unwrap_or_else(|| val(i, JOBSEEKERS) * per_km);
    let dq = |dij: f64| (if sc.round_km { dij.round() } else { dij }).powf(sc.distance_exponent) * sc.objective_scale;
    // Balance: [⌈(1−t)·P/k⌉, ⌊(1+t)·P/k⌋] with k the scenario's number of areas.
    let mut balance: Vec<(String, usize, f64, f64)> = Vec::new();
    for (attr, &t) in &sc.balance {
        match (inst.attribute(attr), sc.areas) {
            (Some(a), Some(k)) => {
                let total: f64 = (0..n).map(|i| val(i, a)).sum();
                let (lo, hi) = crate::scenario::balance_bounds(total, k, t);
                balance.push((attr.clone(), a, lo, hi));
            }
            (None, _) => bad("thresholds", format!("unknown attribute `{attr}`")),
            (_, None) => bad("thresholds", format!("balance.{attr} needs a fixed number of areas")),
        }
    }
    for &j in &hubs {
        let members: Vec<usize> = (0..n).filter(|&i| hub_of[i] == j).collect();
        current.set(Some(j));
        let label = format!("area of {} ({} units)", name(j), members.len());
        // 3. thresholds
        for (attr, &m) in &sc.min {
            match inst.attribute(attr) {
                Some(a) => {
                    let s: f64 = members.iter().map(|&i| val(i, a)).sum();
                    if s < m - 1e-6 {
                        bad("thresholds", format!("{label}: {attr} {s} < minimum {m}"));
                    }
                }
                None => bad("thresholds", format!("unknown attribute `{attr}`")),
            }
        }
        for (attr, &m) in &sc.max {
            if let Some(a) = inst.attribute(attr) {
                let s: f64 = members.iter().map(|&i| val(i, a)).sum();
                if s > m + 1e-6 {
                    bad("thresholds", format!("{label}: {attr} {s} > maximum {m}"));
                }
            }
        }
        for (attr, a, lo, hi) in &balance {
            let s: f64 = members.iter().map(|&i| val(i, *a)).sum();
            if s < lo - 1e-6 || s > hi + 1e-6 {
                bad("thresholds", format!("{label}: {attr} {s} outside the balance range {lo}…{hi}"));
            }
        }
        // 4. staffing
        let js: f64 = members.iter().map(|&i| val(i, JOBSEEKERS)).sum();
        let least = (js / sc.caseload - 1e-9).ceil().max(sc.min_staff.ceil());
        let s = advisers.map(|f| f(j)).unwrap_or(least);
        if s.fract() != 0.0 || sc.caseload * s < js - 1e-6 || s < sc.min_staff - 1e-9 {
            bad("staffing", format!("{label}: {s} advisers for {js} jobseekers at caseload {} (min_staff {})", sc.caseload, sc.min_staff));
        }
        // 5. equalisation: the need is what production costs beyond the funding.
        let cost = sc.area_admin_cost() + sc.staff_cost * s + sc.service_cost * js;
        let funding: f64 = members.iter().map(|&i| sc.funding_per_labour_force * val(i, LABOUR_FORCE) + sc.funding_per_jobseeker * val(i, JOBSEEKERS)).sum();
        production += cost;
        equalisation += (cost - funding).max(0.0);
        // 7. reach
        for &i in &members {
            let dij = d(i, j);
            if let Some(m) = sc.max_distance_km {
                if dij > m + 1e-9 {
                    bad("reach", format!("{} is {dij:.1} km from its hub {}, more than {m} km", name(i), name(j)));
                }
            }
            travel += w(i) * dq(dij);
        }
        // 8. contiguity: breadth-first search inside the area from the hub.
        if sc.contiguity {
            let mut seen = vec![false; n];
            seen[j] = true;
            let mut queue = vec![j];
            while let Some(u) = queue.pop() {
                for &w in &graph[u] {
                    if hub_of[w] == j && !seen[w] {
                        seen[w] = true;
                        queue.push(w);
                    }
                }
            }
            let cut_off: Vec<String> = members.iter().filter(|&&i| !seen[i]).map(|&i| name(i)).collect();
            if !cut_off.is_empty() {
                bad("contiguity", format!("{label}: not connected to the hub: {}", cut_off.join(", ")));
            }
        }
    }
    // 6. number of areas
    current.set(None);
    let k = hubs.len();
    let lo = sc.areas.or(sc.min_areas).unwrap_or(1);
    let hi = sc.areas.or(sc.max_areas).unwrap_or(n);
    if k < lo || k > hi {
        bad("number_of_areas", format!("{k} areas, but the scenario asks for {lo}…{hi}"));
    }
    let objective = sc.travel_weight * travel + sc.equalisation_weight * equalisation + sc.production_weight * production;
    Validation { violations: v, travel, equalisation, production, objective }
}

/// Compare a claimed objective (e.g. the solver's) with the validator's, relative tolerance 1e-6.
pub fn objective_agrees(validation: &Validation, claimed: f64) -> bool {
    (validation.objective - claimed).abs() <= 1e-6 * validation.objective.abs().max(1.0)
}
