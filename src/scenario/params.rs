//! The scenario's parameters in the groups a planner looks for them in, each with its unit:
//! `alue params` prints them this way and the workbench's parameter panel shows the same groups.

use super::{Scenario, KEYS, SOURCES};

/// One group of parameters: a stable id and its keys, in display order.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    /// Stable id (also the key of the group's title in `report::lang`).
    pub id: &'static str,
    /// Heading in English (the workbench translates it through `report::lang`).
    pub title: &'static str,
    /// The parameter keys of the group.
    pub keys: &'static [&'static str],
}

/// Every scenario key, in exactly one group (a unit test checks this against `KEYS`).
pub const GROUPS: &[Group] = &[
    Group { id: "thresholds", title: "Thresholds", keys: &["min.labour_force", "min.ATTRIBUTE", "max.ATTRIBUTE", "balance.ATTRIBUTE", "min_staff"] },
    Group { id: "staffing_costs", title: "Staffing and costs", keys: &["caseload", "staff_cost", "admin_cost", "service_cost", "production_weight", "equalisation_weight"] },
    Group { id: "funding", title: "Funding", keys: &["funding_per_labour_force", "funding_per_jobseeker", "cost_share_key"] },
    Group { id: "travel", title: "Travel", keys: &["trips_per_jobseeker", "time_value", "speed", "km_cost", "detour_factor", "travel_weight", "travel_attribute", "distance_exponent", "round_km", "objective_scale", "distance_matrix"] },
    Group { id: "areas_hubs", title: "Areas and hubs", keys: &["contiguity", "sea_edges", "connect_components", "areas", "min_areas", "max_areas", "max_distance_km", "hubs_allowed", "hubs_forced", "hubs_forbidden", "fixed", "forbidden"] },
    Group { id: "organiser_data", title: "Organiser model and data", keys: &["organiser", "provincial_admin_cost", "central_cost", "provincial_lead", "data_year", "preset"] },
    Group { id: "solver", title: "Solver", keys: &["time_limit", "mip_gap", "threads"] },
];

/// The unit of a parameter's value ("" for dimensionless factors and switches).
pub fn unit(key: &str) -> &'static str {
    match key {
        "min.labour_force" | "min.ATTRIBUTE" | "max.ATTRIBUTE" => "persons",
        "balance.ATTRIBUTE" | "mip_gap" => "relative",
        "min_staff" => "FTE",
        "caseload" => "jobseekers/FTE",
        "staff_cost" => "€/FTE·year",
        "admin_cost" | "provincial_admin_cost" => "€/area·year",
        "service_cost" => "€/jobseeker·year",
        "funding_per_labour_force" => "€/person·year",
        "funding_per_jobseeker" => "€/jobseeker·year",
        "trips_per_jobseeker" => "visits/jobseeker·year",
        "time_value" => "€/h",
        "speed" => "km/h",
        "km_cost" => "€/km",
        "detour_factor" => "road km/great-circle km",
        "max_distance_km" => "km",
        "central_cost" => "€/year",
        "areas" | "min_areas" | "max_areas" => "areas",
        "time_limit" => "s",
        "threads" => "threads",
        "data_year" => "year",
        _ => "",
    }
}

/// A parameter's value in `sc` as text (`min.ATTRIBUTE`-style keys: the attributes set, as
/// `attr=value` pairs), for listings.
pub fn value_text(sc: &Scenario, key: &str) -> String {
    let table = sc.table();
    if let Some(prefix) = key.strip_suffix(".ATTRIBUTE") {
        let set: Vec<String> = table.iter().filter_map(|(k, v)| k.strip_prefix(prefix).and_then(|a| a.strip_prefix('.')).map(|a| format!("{a}={v}"))).collect();
        return if set.is_empty() { "none".into() } else { set.join(",") };
    }
    table.into_iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or_else(|| "none".into())
}

/// The default and source of a key as `SOURCES` gives them.
pub fn source(key: &str) -> Option<(&'static str, &'static str)> {
    SOURCES.iter().find(|(k, _, _)| *k == key).map(|(_, d, s)| (*d, *s))
}

/// `alue params`: every group with its keys, defaults, units and sources.
pub fn listing() -> String {
    let sc = Scenario::default();
    let mut out = String::new();
    for g in GROUPS {
        out.push_str(&format!("{}\n", g.title));
        for k in g.keys {
            let (default, src) = match source(k) {
                Some((d, s)) => (d.to_string(), s),
                None if k.ends_with(".ATTRIBUTE") => ("none".to_string(), "any attribute of the instance's units.csv, e.g. max.population=90000"),
                None => (value_text(&sc, k), ""),
            };
            let u = unit(k);
            out.push_str(&format!("  {k:<26} {default:<14} {:<24} {src}\n", if u.is_empty() { "–" } else { u }));
        }
        out.push('\n');
    }
    out.push_str(&format!("all keys: {}\n", KEYS.join(", ")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_in_exactly_one_group() {
        let mut all: Vec<&str> = KEYS.to_vec();
        all.extend(SOURCES.iter().map(|(k, _, _)| *k));
        all.sort_unstable();
        all.dedup();
        for k in &all {
            let n = GROUPS.iter().filter(|g| g.keys.contains(k)).count();
            assert_eq!(n, 1, "{k} is in {n} groups");
        }
        for g in GROUPS {
            for k in g.keys {
                assert!(all.contains(k), "group {} lists {k}, which is no scenario key", g.id);
            }
        }
    }

    #[test]
    fn values_follow_the_scenario() {
        let mut sc = Scenario::default();
        assert_eq!(value_text(&sc, "caseload"), "149.0");
        sc.set_arg("caseload=120").unwrap();
        sc.set_arg("max.population=90000").unwrap();
        assert_eq!(value_text(&sc, "caseload"), "120.0");
        assert_eq!(value_text(&sc, "max.ATTRIBUTE"), "population=90000.0");
    }
}
