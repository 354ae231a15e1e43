//! The values a scenario parameter takes: numbers within the range that keeps every sum finite,
//! booleans, unit-code lists and UNIT:HUB pairs, each refused with the key and where it was set;
//! and the same rules applied to a whole scenario read back from a file (`Scenario::check`).

use super::{Pair, Scenario, PRESETS};
use crate::error::{Error, Result};

pub(super) fn number(origin: &str, key: &str, v: &toml::Value) -> Result<f64> {
    let x = match v {
        toml::Value::Integer(i) => *i as f64,
        toml::Value::Float(f) => *f,
        toml::Value::String(s) => s.trim().parse::<f64>().map_err(|_| Error::scenario(origin, key, format!("expected a number, got `{s}`")))?,
        other => return Err(Error::scenario(origin, key, format!("expected a number, got `{other}`"))),
    };
    if !x.is_finite() || x < 0.0 {
        return Err(Error::scenario(origin, key, format!("expected a finite number ≥ 0, got {x}")));
    }
    // Far above any real price, count or limit, and small enough that sums and products over
    // thousands of units stay finite (a 1e308 cost would make the objective infinite).
    if x > MAX_PARAMETER {
        return Err(Error::scenario(origin, key, format!("expected a number ≤ {MAX_PARAMETER:e}, got {x:e}")));
    }
    Ok(x)
}

/// Largest value any numeric parameter takes.
pub const MAX_PARAMETER: f64 = 1e12;

/// Least value of a parameter that must be positive (a divisor such as caseload or speed).
pub const MIN_POSITIVE: f64 = 1e-6;

pub(super) fn positive(origin: &str, key: &str, v: &toml::Value) -> Result<f64> {
    let x = number(origin, key, v)?;
    if x < MIN_POSITIVE {
        return Err(Error::scenario(origin, key, format!("must be ≥ {MIN_POSITIVE:e} (a positive number), got {x}")));
    }
    Ok(x)
}

pub(super) fn count(origin: &str, key: &str, v: &toml::Value) -> Result<usize> {
    let x = number(origin, key, v)?;
    if x.fract() != 0.0 || x < 1.0 {
        return Err(Error::scenario(origin, key, format!("expected a whole number ≥ 1, got {x}")));
    }
    Ok(x as usize)
}

pub(super) fn boolean(origin: &str, key: &str, v: &toml::Value) -> Result<bool> {
    match v {
        toml::Value::Boolean(b) => Ok(*b),
        toml::Value::String(s) if matches!(s.as_str(), "true" | "on" | "yes") => Ok(true),
        toml::Value::String(s) if matches!(s.as_str(), "false" | "off" | "no") => Ok(false),
        other => Err(Error::scenario(origin, key, format!("expected true or false, got `{other}`"))),
    }
}

pub(super) fn list(origin: &str, key: &str, v: &toml::Value) -> Result<Vec<String>> {
    let items: Vec<String> = match v {
        toml::Value::Array(a) => a.iter().map(|x| match x {
            toml::Value::String(s) => Ok(s.clone()),
            toml::Value::Integer(i) => Ok(i.to_string()),
            other => Err(Error::scenario(origin, key, format!("expected unit codes, got `{other}`"))),
        }).collect::<Result<_>>()?,
        toml::Value::String(s) => s.split(',').map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
        toml::Value::Integer(i) => vec![i.to_string()],
        other => return Err(Error::scenario(origin, key, format!("expected a list of unit codes, got `{other}`"))),
    };
    Ok(items)
}

pub(super) fn pairs(origin: &str, key: &str, v: &toml::Value) -> Result<Vec<Pair>> {
    list(origin, key, v)?
        .into_iter()
        .map(|p| match p.split_once(':') {
            Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => Ok((a.trim().to_string(), b.trim().to_string())),
            _ => Err(Error::scenario(origin, key, format!("expected UNIT:HUB pairs, got `{p}`"))),
        })
        .collect()
}

impl Scenario {
    /// Check a scenario that did not come through `set` (read back from a `solution.json`):
    /// every number in the range `set` allows, the preset and organiser known. `origin` names
    /// the file in errors.
    pub fn check(&self, origin: &str) -> Result<()> {
        use toml::Value::{Float, String as Text};
        if !PRESETS.contains(&self.preset.as_str()) {
            return Err(Error::scenario(origin, "preset", format!("unknown preset `{}`", self.preset)));
        }
        let mut probe = Scenario::default();
        let numbers = [
            ("caseload", self.caseload), ("staff_cost", self.staff_cost), ("admin_cost", self.admin_cost), ("service_cost", self.service_cost),
            ("funding_per_labour_force", self.funding_per_labour_force), ("funding_per_jobseeker", self.funding_per_jobseeker),
            ("trips_per_jobseeker", self.trips_per_jobseeker), ("time_value", self.time_value), ("speed", self.speed), ("km_cost", self.km_cost),
            ("detour_factor", self.detour_factor), ("travel_weight", self.travel_weight), ("equalisation_weight", self.equalisation_weight),
            ("production_weight", self.production_weight), ("min_staff", self.min_staff), ("time_limit", self.time_limit), ("mip_gap", self.mip_gap),
            ("threads", self.threads as f64), ("distance_exponent", self.distance_exponent), ("objective_scale", self.objective_scale),
            ("data_year", self.data_year as f64), ("provincial_admin_cost", self.provincial_admin_cost), ("central_cost", self.central_cost),
        ];
        for (k, x) in numbers {
            probe.set_value(origin, k, &Float(x))?;
        }
        let optional = [("areas", self.areas.map(|a| a as f64)), ("min_areas", self.min_areas.map(|a| a as f64)), ("max_areas", self.max_areas.map(|a| a as f64)), ("max_distance_km", self.max_distance_km)];
        for (k, x) in optional {
            if let Some(x) = x {
                probe.set_value(origin, k, &Float(x))?;
            }
        }
        for (table, map) in [("min", &self.min), ("max", &self.max), ("balance", &self.balance)] {
            for (attr, &x) in map {
                probe.set_value(origin, &format!("{table}.{attr}"), &Float(x))?;
            }
        }
        probe.set_value(origin, "organiser", &Text(self.organiser.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_accepts_what_set_makes_and_refuses_what_set_would() {
        for preset in PRESETS {
            let mut s = Scenario::preset(preset).unwrap();
            s.set_arg("areas=3").unwrap();
            s.set_arg("max_distance_km=250").unwrap();
            s.check("f").unwrap();
        }
        for bad in [|s: &mut Scenario| s.caseload = f64::NAN, |s: &mut Scenario| s.admin_cost = 1e308, |s: &mut Scenario| s.speed = 0.0, |s: &mut Scenario| {
            s.min.insert("labour_force".into(), -1.0);
        }] {
            let mut s = Scenario::default();
            bad(&mut s);
            let e = s.check("solution.json").unwrap_err().to_string();
            assert!(e.starts_with("solution.json"), "{e}");
        }
    }
}
