//! Setting a scenario's parameters: one key at a time (`set`, `--set key=value`) or from a
//! TOML file, each value checked and its origin (file and line, or the argument) remembered.

use super::values::{boolean, count, list, number, pairs, positive};
use super::{Scenario, KEYS, ORGANISERS, PRESETS};
use crate::error::{Error, Result};
use std::path::Path;

impl Scenario {
    /// Set one parameter; `origin` names the file or `--set` in errors.
    pub fn set(&mut self, origin: &str, key: &str, v: &toml::Value) -> Result<()> {
        self.set_value(origin, key, v)?;
        self.origins.0.insert(key.to_string(), origin.to_string());
        Ok(())
    }

    /// The fields that take a plain number, with whether it must be positive.
    fn plain_number(&mut self, key: &str) -> Option<(&mut f64, bool)> {
        Some(match key {
            "caseload" => (&mut self.caseload, true),
            "speed" => (&mut self.speed, true),
            "detour_factor" => (&mut self.detour_factor, true),
            "time_limit" => (&mut self.time_limit, true),
            "objective_scale" => (&mut self.objective_scale, true),
            "staff_cost" => (&mut self.staff_cost, false),
            "admin_cost" => (&mut self.admin_cost, false),
            "service_cost" => (&mut self.service_cost, false),
            "funding_per_labour_force" => (&mut self.funding_per_labour_force, false),
            "funding_per_jobseeker" => (&mut self.funding_per_jobseeker, false),
            "trips_per_jobseeker" => (&mut self.trips_per_jobseeker, false),
            "time_value" => (&mut self.time_value, false),
            "km_cost" => (&mut self.km_cost, false),
            "travel_weight" => (&mut self.travel_weight, false),
            "equalisation_weight" => (&mut self.equalisation_weight, false),
            "production_weight" => (&mut self.production_weight, false),
            "min_staff" => (&mut self.min_staff, false),
            "provincial_admin_cost" => (&mut self.provincial_admin_cost, false),
            "central_cost" => (&mut self.central_cost, false),
            _ => return None,
        })
    }

    pub(super) fn set_value(&mut self, origin: &str, key: &str, v: &toml::Value) -> Result<()> {
        let o = origin;
        if let Some((field, must_be_positive)) = self.plain_number(key) {
            *field = if must_be_positive { positive(o, key, v)? } else { number(o, key, v)? };
            return Ok(());
        }
        match key {
            "contiguity" => self.contiguity = boolean(o, key, v)?,
            "sea_edges" => self.sea_edges = boolean(o, key, v)?,
            "connect_components" => self.connect_components = boolean(o, key, v)?,
            "areas" => self.areas = Some(count(o, key, v)?),
            "min_areas" => self.min_areas = Some(count(o, key, v)?),
            "max_areas" => self.max_areas = Some(count(o, key, v)?),
            "max_distance_km" => self.max_distance_km = Some(positive(o, key, v)?),
            "mip_gap" => {
                let g = number(o, key, v)?;
                if g >= 1.0 {
                    return Err(Error::scenario(o, key, format!("a relative gap must be < 1, got {g}")));
                }
                self.mip_gap = g
            }
            "threads" => self.threads = count(o, key, v)?,
            "hubs_allowed" => self.hubs_allowed = Some(list(o, key, v)?),
            "hubs_forced" => self.hubs_forced = list(o, key, v)?,
            "hubs_forbidden" => self.hubs_forbidden = list(o, key, v)?,
            "fixed" => self.fixed = pairs(o, key, v)?,
            "forbidden" => self.forbidden = pairs(o, key, v)?,
            "distance_exponent" => {
                let q = positive(o, key, v)?;
                if q > 4.0 {
                    return Err(Error::scenario(o, key, format!("expected an exponent in (0, 4] (MODEL.md uses 1 and 2), got {q}")));
                }
                self.distance_exponent = q
            }
            "round_km" => self.round_km = boolean(o, key, v)?,
            "data_year" => {
                let y = count(o, key, v)?;
                if !(1900..=2100).contains(&y) {
                    return Err(Error::scenario(o, key, format!("expected a year such as 2019 or 2022, got {y}")));
                }
                self.data_year = y as u32;
            }
            _ => {
                if self.set_text(o, key, v)? {
                    // Set.
                } else if let Some(attr) = key.strip_prefix("min.") {
                    self.set_threshold(o, key, attr, v, true)?;
                } else if let Some(attr) = key.strip_prefix("max.") {
                    self.set_threshold(o, key, attr, v, false)?;
                } else if let Some(attr) = key.strip_prefix("balance.") {
                    self.set_per_attribute(o, key, attr, v, "balance")?;
                } else {
                    return Err(Error::scenario(o, key, format!("unknown parameter; known: {}", KEYS.join(", "))));
                }
            }
        }
        Ok(())
    }

    /// A parameter whose value is text (a file, a name, a code); false when `key` is not one.
    fn set_text(&mut self, o: &str, key: &str, v: &toml::Value) -> Result<bool> {
        match key {
            "distance_matrix" => match v {
                toml::Value::String(s) => self.distance_matrix = Some(s.clone()),
                other => return Err(Error::scenario(o, key, format!("expected a file path, got `{other}`"))),
            },
            "preset" => match v {
                toml::Value::String(s) => self.apply_preset(o, s)?,
                other => return Err(Error::scenario(o, key, format!("expected one of {}, got `{other}`", PRESETS.join(", ")))),
            },
            "travel_attribute" => match v {
                toml::Value::String(s) if s == "none" => self.travel_attribute = None,
                toml::Value::String(s) => self.travel_attribute = Some(s.clone()),
                other => return Err(Error::scenario(o, key, format!("expected an attribute name, got `{other}`"))),
            },
            "organiser" => match v {
                toml::Value::String(s) if ORGANISERS.contains(&s.as_str()) => self.organiser = s.clone(),
                other => return Err(Error::scenario(o, key, format!("expected one of {}, got `{}`", ORGANISERS.join(", "), other.as_str().map(str::to_string).unwrap_or_else(|| other.to_string())))),
            },
            "provincial_lead" => match v {
                toml::Value::String(s) => self.provincial_lead = s.clone(),
                toml::Value::Integer(i) => self.provincial_lead = i.to_string(),
                other => return Err(Error::scenario(o, key, format!("expected a unit code, got `{other}`"))),
            },
            "cost_share_key" => match v {
                toml::Value::String(s) => self.cost_share_key = s.clone(),
                other => return Err(Error::scenario(o, key, format!("expected an attribute name, got `{other}`"))),
            },
            _ => return Ok(false),
        }
        Ok(true)
    }

    fn set_threshold(&mut self, o: &str, key: &str, attr: &str, v: &toml::Value, lower: bool) -> Result<()> {
        self.set_per_attribute(o, key, attr, v, if lower { "min" } else { "max" })
    }

    /// Set `min.ATTR`, `max.ATTR` or `balance.ATTR` (a tolerance < 1); `none` (or `off`) removes
    /// the entry, e.g. --set min.labour_force=none.
    fn set_per_attribute(&mut self, o: &str, key: &str, attr: &str, v: &toml::Value, table: &str) -> Result<()> {
        if attr.is_empty() {
            let example = if table == "balance" { "balance.population" } else { "min.labour_force" };
            return Err(Error::scenario(o, key, format!("name the attribute, e.g. {example}")));
        }
        let map = match table {
            "min" => &mut self.min,
            "max" => &mut self.max,
            _ => &mut self.balance,
        };
        if matches!(v, toml::Value::String(s) if s == "none" || s == "off") {
            map.remove(attr);
            return Ok(());
        }
        let x = number(o, key, v)?;
        if table == "balance" && x >= 1.0 {
            return Err(Error::scenario(o, key, format!("a tolerance must be < 1, got {x}")));
        }
        map.insert(attr.to_string(), x);
        Ok(())
    }

    /// Apply a `--set key=value` argument.
    pub fn set_arg(&mut self, arg: &str) -> Result<()> {
        let origin = format!("--set {arg}");
        let (key, raw) = arg.split_once('=').ok_or_else(|| Error::scenario(&origin, arg, "expected key=value"))?;
        let key = key.trim();
        let raw = raw.trim();
        let value = format!("v = {raw}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("v"))
            .filter(|v| !matches!(v, toml::Value::Table(_) | toml::Value::Datetime(_)))
            .unwrap_or_else(|| toml::Value::String(raw.to_string()));
        self.set(&origin, key, &value)
    }

    /// Apply a TOML scenario file (keys as in `set`; `[min]` and `[max]` tables for thresholds;
    /// a `preset` key, wherever it stands, is applied first).
    pub fn apply_toml(&mut self, file: &str, text: &str) -> Result<()> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map(|s| text[..s.start].lines().count().max(1)).unwrap_or(0);
            Error::input(file, line, "-", e.message().to_string())
        })?;
        let line_of = |key: &str| {
            text.lines()
                .position(|l| {
                    let l = l.trim_start();
                    l.starts_with(key) && l[key.len()..].trim_start().starts_with('=')
                })
                .map(|p| p + 1)
                .unwrap_or(0)
        };
        // A preset resets everything, so it comes first wherever the file puts it.
        if let Some(v) = table.get("preset") {
            self.set(&format!("{file}:{}", line_of("preset")), "preset", v)?;
        }
        for (key, value) in table.iter().filter(|(k, _)| k.as_str() != "preset") {
            match (key.as_str(), value) {
                ("min" | "max" | "balance", toml::Value::Table(t)) => {
                    match key.as_str() {
                        "min" => self.min.clear(),
                        "max" => self.max.clear(),
                        _ => self.balance.clear(),
                    }
                    for (attr, v) in t {
                        let origin = format!("{file}:{}", line_of(attr));
                        self.set(&origin, &format!("{key}.{attr}"), v)?;
                    }
                }
                _ => {
                    let origin = format!("{file}:{}", line_of(key));
                    self.set(&origin, key, value)?;
                }
            }
        }
        Ok(())
    }

    /// Load a scenario file on top of the defaults.
    pub fn from_file(path: &Path) -> Result<Scenario> {
        let mut s = Scenario::default();
        s.apply_file(path)?;
        Ok(s)
    }

    /// Apply a scenario file on top of this scenario.
    pub fn apply_file(&mut self, path: &Path) -> Result<()> {
        let text = crate::text::read_text(std::path::Path::new(path))?;
        self.apply_toml(&path.display().to_string(), &text)
    }
}
