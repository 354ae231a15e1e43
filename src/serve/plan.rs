//! A plan: what the workbench holds and saves. The instance it is on, the scenario as the
//! parameters changed from the defaults (the same keys and messages as `--set`, with the locks
//! as `fixed`, `hubs_forced` and `hubs_forbidden`), and the partition as `solution.json`'s
//! `assignment` (unit code → hub code) with area names by hub code.
//!
//! A saved plan is one TOML file in the workspace, written atomically (a temporary file, synced,
//! renamed into place), so a crash leaves the old plan or the new one and never a torn file.

use crate::error::{Error, Result};
use crate::solution::PartitionFile;
use crate::{Instance, Scenario};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Scenario keys a plan may not set: they name files on the server's disk.
const SERVER_FILE_KEYS: &[&str] = &["distance_matrix"];

/// The plan as the API and the plan files carry it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// The instance's name, as the workbench lists it.
    pub instance: String,
    /// Parameters changed from the defaults: scenario key (`min.labour_force` style for the
    /// threshold tables) → value.
    #[serde(default)]
    pub scenario: BTreeMap<String, Value>,
    /// Hub code of every unit code.
    #[serde(default)]
    pub assignment: BTreeMap<String, String>,
    /// Area name by hub code (areas without one are named after their hub).
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// An error of a request, naming the field it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// `scenario.caseload`, `assignment.564`, `name`, …
    pub field: String,
    /// What is wrong.
    pub message: String,
}

impl FieldError {
    /// An error in `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "field `{}`: {}", self.field, self.message)
    }
}

/// A JSON value as the TOML value `--set` would have parsed.
fn toml_value(field: &str, v: &Value) -> std::result::Result<toml::Value, FieldError> {
    Ok(match v {
        Value::Bool(b) => toml::Value::Boolean(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => toml::Value::String(s.clone()),
        Value::Array(a) => toml::Value::Array(a.iter().map(|x| toml_value(field, x)).collect::<std::result::Result<_, _>>()?),
        Value::Null => return Err(FieldError::new(field, "null is not a value (leave the key out for its default)")),
        Value::Object(_) => return Err(FieldError::new(field, "expected a number, a string, true/false or a list")),
    })
}

/// `v` as the text of a `--set KEY=VALUE` argument.
fn set_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(a) => a.iter().map(set_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

impl Plan {
    /// The scenario: the defaults with every change applied (`preset` first, as a scenario
    /// file applies it); a bad key or value is refused with `--set`'s message.
    pub fn scenario(&self) -> std::result::Result<Scenario, FieldError> {
        let mut sc = Scenario::default();
        let order = self.scenario.iter().filter(|(k, _)| k.as_str() == "preset").chain(self.scenario.iter().filter(|(k, _)| k.as_str() != "preset"));
        for (key, v) in order {
            let field = format!("scenario.{key}");
            if SERVER_FILE_KEYS.contains(&key.as_str()) {
                return Err(FieldError::new(field, format!("`{key}` names a file on the server and cannot be set from the workbench; use alue solve --set {key}=…")));
            }
            let value = toml_value(&field, v)?;
            let origin = format!("--set {key}={}", set_text(v));
            sc.set(&origin, key, &value).map_err(|e| FieldError::new(&field, e.to_string()))?;
        }
        Ok(sc)
    }

    /// The partition on `inst`: every unit exactly once, every hub a unit in its own area.
    pub fn partition(&self, inst: &Instance) -> std::result::Result<PartitionFile, FieldError> {
        let mut hub_of = vec![usize::MAX; inst.n()];
        for (code, hub) in &self.assignment {
            let field = format!("assignment.{code}");
            let i = inst.unit(code).ok_or_else(|| FieldError::new(&field, format!("unit `{code}` is not in instance {}", inst.name)))?;
            let j = inst.unit(hub).ok_or_else(|| FieldError::new(&field, format!("hub `{hub}` is not in instance {}", inst.name)))?;
            hub_of[i] = j;
        }
        if let Some(i) = hub_of.iter().position(|&h| h == usize::MAX) {
            return Err(FieldError::new("assignment", format!("unit `{}` ({}) has no hub", inst.units[i].code, inst.units[i].name)));
        }
        for (i, &j) in hub_of.iter().enumerate() {
            if hub_of[j] != j {
                let (u, h) = (&inst.units[i].code, &inst.units[j].code);
                return Err(FieldError::new(format!("assignment.{u}"), format!("hub `{h}` is itself served from `{}`: a hub is in its own area", inst.units[hub_of[j]].code)));
            }
        }
        let mut names = BTreeMap::new();
        for (hub, name) in &self.names {
            let j = inst.unit(hub).ok_or_else(|| FieldError::new(format!("names.{hub}"), format!("hub `{hub}` is not in instance {}", inst.name)))?;
            if hub_of[j] == j && !name.trim().is_empty() {
                names.insert(j, name.trim().to_string());
            }
        }
        for (i, &j) in hub_of.iter().enumerate() {
            if i == j {
                names.entry(j).or_insert_with(|| inst.units[j].name.clone());
            }
        }
        Ok(PartitionFile { hub_of, names })
    }

    /// The plan of a partition on `inst`.
    pub fn from_partition(instance: &str, inst: &Instance, part: &PartitionFile, scenario: BTreeMap<String, Value>) -> Plan {
        let code = |i: usize| inst.units[i].code.clone();
        Plan {
            instance: instance.to_string(),
            scenario,
            assignment: part.hub_of.iter().enumerate().map(|(i, &j)| (code(i), code(j))).collect(),
            names: part.names.iter().map(|(&j, n)| (code(j), n.clone())).collect(),
        }
    }

    /// The scenario changes as a scenario file (`alue solve --scenario FILE` reads it; the
    /// threshold keys go into their `[min]`, `[max]` and `[balance]` tables).
    pub fn scenario_toml(&self) -> std::result::Result<String, FieldError> {
        let mut top = toml::Table::new();
        for (key, v) in &self.scenario {
            let value = toml_value(&format!("scenario.{key}"), v)?;
            match key.split_once('.') {
                Some((table, attr)) => {
                    let t = top.entry(table.to_string()).or_insert_with(|| toml::Value::Table(toml::Table::new()));
                    if let toml::Value::Table(t) = t {
                        t.insert(attr.to_string(), value);
                    }
                }
                None => {
                    top.insert(key.clone(), value);
                }
            }
        }
        toml::to_string(&top).map_err(|e| FieldError::new("scenario", e.to_string()))
    }

    /// The partition as the `code,area,hub` CSV that `alue evaluate --partition` reads.
    pub fn partition_csv(&self, inst: &Instance, part: &PartitionFile) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["code", "area", "hub"]);
        for (i, &j) in part.hub_of.iter().enumerate() {
            let area = part.names.get(&j).cloned().unwrap_or_else(|| inst.units[j].name.clone());
            let _ = w.write_record([inst.units[i].code.as_str(), area.as_str(), inst.units[j].code.as_str()]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// A plan as its file holds it: the plan and the name it was saved under.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// The plan's name (also its file name, without `.toml`).
    pub name: String,
    /// Seconds since 1970 when it was saved.
    #[serde(default)]
    pub saved: u64,
    /// The plan.
    pub plan: Plan,
}

/// Check a plan name: 1–80 characters of letters, digits, spaces and `-_.,()`, not starting
/// with a dot; so that it is a file name inside the workspace and nothing else.
pub fn check_name(name: &str) -> std::result::Result<(), FieldError> {
    let bad = |m: &str| Err(FieldError::new("name", format!("plan name `{}`: {m}", name.chars().take(80).collect::<String>())));
    if name.is_empty() || name.chars().count() > 80 {
        return bad("must have 1 to 80 characters");
    }
    if name.contains('/') || name.contains('\\') || name.contains("..") {
        return bad("may not contain `/`, `\\` or `..`");
    }
    if name.starts_with('.') || name.starts_with(' ') || name.ends_with(' ') {
        return bad("may not start with a dot or start or end with a space");
    }
    if let Some(c) = name.chars().find(|c| !(c.is_alphanumeric() || " -_.,()".contains(*c))) {
        return bad(&format!("may not contain `{}`; use letters, digits, spaces and -_.,()", c.escape_default()));
    }
    Ok(())
}

/// The folder of saved plans.
#[derive(Debug, Clone)]
pub struct Workspace {
    dir: PathBuf,
}

/// One saved plan in a listing.
#[derive(Debug, Clone, Serialize)]
pub struct PlanEntry {
    /// Its name.
    pub name: String,
    /// Its instance.
    pub instance: String,
    /// Seconds since 1970 when it was saved.
    pub saved: u64,
}

impl Workspace {
    /// Open (and create) the workspace folder; temporary files left by a save that was killed
    /// are removed (the plan they were to replace is intact).
    pub fn open(dir: &Path) -> Result<Workspace> {
        std::fs::create_dir_all(dir).map_err(|e| Error::file(dir, format!("cannot create the workspace folder: {e}")))?;
        for e in std::fs::read_dir(dir).map_err(|e| Error::file(dir, e.to_string()))?.flatten() {
            if e.file_name().to_string_lossy().starts_with(".tmp") {
                let _ = std::fs::remove_file(e.path());
            }
        }
        Ok(Workspace { dir: dir.to_path_buf() })
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> std::result::Result<PathBuf, FieldError> {
        check_name(name)?;
        Ok(self.dir.join(format!("{name}.toml")))
    }

    /// Every saved plan, by name.
    pub fn list(&self) -> Vec<PlanEntry> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            let file = e.file_name().to_string_lossy().to_string();
            let Some(name) = file.strip_suffix(".toml") else { continue };
            if check_name(name).is_err() {
                continue;
            }
            if let Ok(Some(f)) = self.load(name) {
                out.push(PlanEntry { name: name.to_string(), instance: f.plan.instance, saved: f.saved });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// The plan saved as `name` (None: there is none).
    pub fn load(&self, name: &str) -> std::result::Result<Option<PlanFile>, FieldError> {
        let path = self.path(name)?;
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(FieldError::new("name", format!("{}: {e}", path.display()))),
        };
        toml::from_str(&text).map(Some).map_err(|e| FieldError::new("name", format!("{}: {}", path.display(), e.message())))
    }

    /// Save `plan` as `name`, replacing any plan of that name atomically.
    pub fn save(&self, name: &str, plan: &Plan) -> std::result::Result<PlanFile, FieldError> {
        let path = self.path(name)?;
        let saved = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let file = PlanFile { name: name.to_string(), saved, plan: plan.clone() };
        let text = toml::to_string(&file).map_err(|e| FieldError::new("plan", e.to_string()))?;
        let text = format!("# An alue plan (alue serve). The scenario holds the parameters changed from the defaults.\n{text}");
        crate::output::write_atomic(&path, text.as_bytes()).map_err(|e| FieldError::new("name", e.to_string()))?;
        Ok(file)
    }

    /// Delete the plan `name`; false when there was none.
    pub fn delete(&self, name: &str) -> std::result::Result<bool, FieldError> {
        let path = self.path(name)?;
        match std::fs::remove_file(&path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(FieldError::new("name", format!("{}: {e}", path.display()))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_workspace() {
        for bad in ["", "../x", "a/b", "a\\b", "..", ".hidden", "x\0y", "a\nb", " lead", &"x".repeat(81)] {
            assert!(check_name(bad).is_err(), "{bad:?} accepted");
        }
        for good in ["Oulu 2025", "plan-1_b", "Siikalatva (Oulu)", "Pyhäjärvi"] {
            assert!(check_name(good).is_ok(), "{good:?} refused");
        }
    }

    #[test]
    fn scenario_changes_apply_as_set_does() {
        let mut plan = Plan { instance: "x".into(), ..Default::default() };
        plan.scenario.insert("caseload".into(), Value::from(120));
        plan.scenario.insert("min.labour_force".into(), Value::from(15000));
        let sc = plan.scenario().unwrap();
        let mut expected = Scenario::default();
        expected.set_arg("caseload=120").unwrap();
        expected.set_arg("min.labour_force=15000").unwrap();
        assert_eq!(sc, expected);
        // The scenario file says the same.
        let mut from_file = Scenario::default();
        from_file.apply_toml("plan.toml", &plan.scenario_toml().unwrap()).unwrap();
        assert_eq!(from_file, expected);
        plan.scenario.insert("caseload".into(), Value::from(0));
        let e = plan.scenario().unwrap_err();
        assert_eq!(e.field, "scenario.caseload");
        let cli = Scenario::default().set_arg("caseload=0").unwrap_err().to_string();
        assert_eq!(e.message, cli, "the same message as --set");
        plan.scenario.clear();
        plan.scenario.insert("distance_matrix".into(), Value::from("/etc/passwd"));
        assert_eq!(plan.scenario().unwrap_err().field, "scenario.distance_matrix");
    }
}
