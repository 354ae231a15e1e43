//! The sweep specification (SPEC.toml): a base instance and scenario, and the axes to vary.
//!
//! ```toml
//! instance = "../pohjois-pohjanmaa"   # relative to the spec file; omitted: the built-in instance
//! scenario = "base.toml"              # optional scenario file, applied after `preset`
//! preset = "employment"               # optional
//! combine = "product"                 # product (default) or zip
//! [set]                               # applied to every scenario
//! time_limit = 120
//! [[axis]]
//! key = "min.labour_force"
//! from = 15000
//! to = 30000
//! step = 5000                         # or count = 4 (evenly spaced), or values = [...]
//! [[axis]]
//! name = "organiser"                  # a named scenario list
//! scenarios = [{ name = "independent" }, { name = "provincial", organiser = "provincial" }]
//! ```
//!
//! Axes with the same `group` are zipped (they move together and must have equal lengths); groups
//! are combined as a product, the last one varying fastest. `combine = "zip"` puts every axis in
//! one group.

use crate::error::{Error, Result};
use crate::scenario::Scenario;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One value of an axis: what it sets, and how it is shown.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AxisValue {
    /// Shown in tables (`15000`, `provincial`).
    pub label: String,
    /// The value in results (a number where the axis is numeric, else the label).
    pub value: serde_json::Value,
    /// (key, value as TOML text) pairs applied to the scenario.
    #[serde(skip)]
    pub sets: Vec<(String, toml::Value)>,
}

/// One axis of the sweep.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Axis {
    /// The parameter key, or the name of a named-scenario list.
    pub name: String,
    /// Values in order.
    pub values: Vec<AxisValue>,
    /// Zip group (axes of one group move together).
    pub group: String,
    /// True when every value is a number (ranges are shown as min–max).
    pub numeric: bool,
    /// Line of the spec file where the axis starts.
    #[serde(skip)]
    pub line: usize,
}

/// A parsed sweep specification.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The spec file as given (for messages).
    pub file: String,
    /// Instance folder or graph; None: the built-in Northern Ostrobothnia instance.
    pub instance: Option<PathBuf>,
    /// Preset the base scenario starts from.
    pub preset: String,
    /// Scenario file applied after the preset.
    pub scenario: Option<PathBuf>,
    /// Parameters set for every scenario, with the line they stand on.
    pub set: Vec<(String, toml::Value, usize)>,
    /// The axes in file order.
    pub axes: Vec<Axis>,
    /// Axis indices of each group, groups in order of first appearance.
    pub groups: Vec<Vec<usize>>,
}

/// One scenario of the sweep.
#[derive(Debug, Clone)]
pub struct Point {
    /// Position in the full sweep (0-based, product order, last group fastest).
    pub index: usize,
    /// Position along each group.
    pub coords: Vec<usize>,
    /// The scenario.
    pub scenario: Scenario,
}

fn line_of(text: &str, needle: &str, from_line: usize) -> usize {
    text.lines()
        .enumerate()
        .skip(from_line.saturating_sub(1))
        .find(|(_, l)| {
            let l = l.trim_start();
            l.starts_with(needle) && l[needle.len()..].trim_start().starts_with('=')
        })
        .map(|(k, _)| k + 1)
        .unwrap_or(from_line)
}

/// Flatten `{ min = { labour_force = 15000 } }` into `min.labour_force = 15000`.
fn flatten(prefix: &str, t: &toml::Table, out: &mut Vec<(String, toml::Value)>) {
    for (k, v) in t {
        let key = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
        match v {
            toml::Value::Table(inner) => flatten(&key, inner, out),
            other => out.push((key, other.clone())),
        }
    }
}

fn label(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(a) => a.iter().map(label).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

fn json_of(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::Integer(i) => serde_json::json!(i),
        toml::Value::Float(f) => serde_json::json!(f),
        toml::Value::Boolean(b) => serde_json::json!(b),
        other => serde_json::Value::String(label(other)),
    }
}

fn number(v: &toml::Value) -> Option<f64> {
    match v {
        toml::Value::Integer(i) => Some(*i as f64),
        toml::Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Values of a `from`/`to` range with `step` or `count`.
fn range(err: &dyn Fn(String) -> Error, t: &toml::Table) -> Result<Vec<toml::Value>> {
    let get = |k: &str| -> Result<Option<f64>> {
        match t.get(k) {
            None => Ok(None),
            Some(v) => number(v).map(Some).ok_or_else(|| err(format!("`{k}` must be a number, got `{v}`"))),
        }
    };
    let from = get("from")?.ok_or_else(|| err("a range needs `from`".into()))?;
    let to = get("to")?.ok_or_else(|| err("a range needs `to`".into()))?;
    if from > to {
        return Err(err(format!("reversed range: from {from} > to {to}")));
    }
    let integers = ["from", "to", "step"].iter().all(|k| !matches!(t.get(*k), Some(toml::Value::Float(_))));
    let xs: Vec<f64> = match (get("step")?, get("count")?) {
        (Some(_), Some(_)) => return Err(err("give `step` or `count`, not both".into())),
        (None, None) => return Err(err("a range needs `step` or `count`".into())),
        (Some(step), None) => {
            if step <= 0.0 || !step.is_finite() {
                return Err(err(format!("`step` must be positive, got {step}")));
            }
            let n = ((to - from) / step + 1e-9).floor() as usize + 1;
            if n > 1_000_000 {
                return Err(err(format!("the range has {n} values; more than 1 000 000")));
            }
            (0..n).map(|k| from + k as f64 * step).collect()
        }
        (None, Some(c)) => {
            if c < 1.0 || c.fract() != 0.0 {
                return Err(err(format!("`count` must be a positive whole number, got {c}")));
            }
            let c = c as usize;
            if c == 1 && from != to {
                return Err(err("`count = 1` needs from = to".into()));
            }
            (0..c).map(|k| if c == 1 { from } else { from + (to - from) * k as f64 / (c - 1) as f64 }).collect()
        }
    };
    Ok(xs
        .into_iter()
        .map(|x| {
            // Ten significant digits: 0.1 + 2·0.1 is shown and applied as 0.3.
            let x = format!("{:.10e}", x).parse::<f64>().unwrap_or(x);
            if integers && x.fract() == 0.0 && x.abs() < 9e15 { toml::Value::Integer(x as i64) } else { toml::Value::Float(x) }
        })
        .collect())
}

impl Spec {
    /// Read and check a spec file.
    pub fn load(path: &Path) -> Result<Spec> {
        let text = crate::text::read_text(std::path::Path::new(path))?;
        Spec::parse(&path.display().to_string(), path.parent().unwrap_or(Path::new(".")), &text)
    }

    /// Parse a spec given as text; relative paths are resolved from `dir`.
    pub fn parse(file: &str, dir: &Path, text: &str) -> Result<Spec> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            let line = e.span().map(|s| text[..s.start].lines().count().max(1)).unwrap_or(0);
            Error::input(file, line, "-", e.message().to_string())
        })?;
        let at = |key: &str| line_of(text, key, 1);
        let string = |key: &str| -> Result<Option<String>> {
            match table.get(key) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(Error::input(file, at(key), key, format!("expected a string, got `{other}`"))),
            }
        };
        for key in table.keys() {
            if !["instance", "scenario", "preset", "combine", "set", "axis", "description"].contains(&key.as_str()) {
                return Err(Error::input(file, at(key), key, "unknown key; a spec has instance, scenario, preset, combine, description, [set] and [[axis]]"));
            }
        }
        let instance = string("instance")?.map(|s| dir.join(s));
        let scenario = string("scenario")?.map(|s| dir.join(s));
        let preset = string("preset")?.unwrap_or_else(|| "employment".into());
        Scenario::preset(&preset).map_err(|e| Error::input(file, at("preset"), "preset", e.to_string()))?;
        let zip_all = match string("combine")?.as_deref() {
            None | Some("product") => false,
            Some("zip") => true,
            Some(other) => return Err(Error::input(file, at("combine"), "combine", format!("expected product or zip, got `{other}`"))),
        };
        let mut set = Vec::new();
        if let Some(v) = table.get("set") {
            let toml::Value::Table(t) = v else { return Err(Error::input(file, at("set"), "set", "expected a table [set]")) };
            let mut flat = Vec::new();
            flatten("", t, &mut flat);
            let set_line = text.lines().position(|l| l.trim() == "[set]").map(|p| p + 1).unwrap_or(1);
            for (k, v) in flat {
                let leaf = k.rsplit('.').next().unwrap_or(&k).to_string();
                set.push((k, v, line_of(text, &leaf, set_line)));
            }
        }
        let axis_lines: Vec<usize> = text.lines().enumerate().filter(|(_, l)| l.trim() == "[[axis]]").map(|(k, _)| k + 1).collect();
        let mut axes = Vec::new();
        match table.get("axis") {
            None => {}
            Some(toml::Value::Array(list)) => {
                for (a, v) in list.iter().enumerate() {
                    let line = axis_lines.get(a).copied().unwrap_or_else(|| at("axis"));
                    let toml::Value::Table(t) = v else { return Err(Error::input(file, line, "axis", "expected [[axis]] tables")) };
                    axes.push(Spec::axis(file, line, a, t, zip_all)?);
                }
            }
            Some(_) => return Err(Error::input(file, at("axis"), "axis", "expected [[axis]] tables")),
        }
        if axes.is_empty() {
            return Err(Error::file(file, "the spec has no [[axis]]; a sweep varies at least one parameter"));
        }
        for (a, ax) in axes.iter().enumerate() {
            if let Some(b) = axes[..a].iter().position(|b| b.name == ax.name) {
                return Err(Error::input(file, ax.line, "axis", format!("axis `{}` is given twice (also at line {})", ax.name, axes[b].line)));
            }
        }
        let groups = Spec::groups(file, &axes)?;
        let spec = Spec { file: file.to_string(), instance, preset, scenario, set, axes, groups };
        if spec.len() > 10_000_000 {
            return Err(Error::file(file, format!("the sweep has {} scenarios; more than 10 000 000", spec.len())));
        }
        Ok(spec)
    }

    /// The axes zipped together, by group in the order of their first axis; their lengths must agree.
    fn groups(file: &str, axes: &[Axis]) -> Result<Vec<Vec<usize>>> {
        let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
        for (a, ax) in axes.iter().enumerate() {
            match groups.iter_mut().find(|(g, _)| *g == ax.group) {
                Some((_, v)) => v.push(a),
                None => groups.push((ax.group.clone(), vec![a])),
            }
        }
        for (g, members) in &groups {
            let first = &axes[members[0]];
            for &m in &members[1..] {
                if axes[m].values.len() != first.values.len() {
                    return Err(Error::input(file, axes[m].line, "group", format!(
                        "zipped axes must have equal lengths: `{}` has {} values, `{}` has {} (group `{g}`)",
                        first.name, first.values.len(), axes[m].name, axes[m].values.len())));
                }
            }
        }
        Ok(groups.into_iter().map(|(_, v)| v).collect())
    }

    fn axis(file: &str, line: usize, a: usize, t: &toml::Table, zip_all: bool) -> Result<Axis> {
        let err = |field: &str, m: String| Error::input(file, line, field, m);
        for k in t.keys() {
            if !["key", "name", "values", "from", "to", "step", "count", "scenarios", "group"].contains(&k.as_str()) {
                return Err(err(k, "unknown axis field; an axis has key or name, and values, from/to/step, from/to/count or scenarios, and an optional group".into()));
            }
        }
        let text_field = |k: &str| -> Result<Option<String>> {
            match t.get(k) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(err(k, format!("expected a string, got `{other}`"))),
            }
        };
        let key = text_field("key")?;
        let group = if zip_all { "all".to_string() } else { text_field("group")?.unwrap_or_else(|| format!("axis{a}")) };
        let has_range = t.contains_key("from") || t.contains_key("to") || t.contains_key("step") || t.contains_key("count");
        let kinds = [t.contains_key("values"), has_range, t.contains_key("scenarios")].iter().filter(|&&b| b).count();
        if kinds != 1 {
            return Err(err("values", "give exactly one of: values = [...], a range (from, to, step or count), scenarios = [...]".into()));
        }
        let (name, values) = if let Some(s) = t.get("scenarios") {
            if key.is_some() {
                return Err(err("key", "a named scenario list has `name`, not `key` (each scenario sets its own keys)".into()));
            }
            let name = text_field("name")?.ok_or_else(|| err("name", "a named scenario list needs `name`".into()))?;
            let toml::Value::Array(list) = s else { return Err(err("scenarios", "expected a list of tables, e.g. [{ name = \"a\", caseload = 120 }]".into())) };
            let mut values = Vec::new();
            for item in list {
                let toml::Value::Table(st) = item else { return Err(err("scenarios", format!("expected a table, got `{item}`"))) };
                let Some(toml::Value::String(label)) = st.get("name") else { return Err(err("scenarios", "every named scenario needs name = \"…\"".into())) };
                let mut rest = st.clone();
                rest.remove("name");
                let mut sets = Vec::new();
                flatten("", &rest, &mut sets);
                if values.iter().any(|v: &AxisValue| v.label == *label) {
                    return Err(err("scenarios", format!("the name `{label}` is used twice")));
                }
                values.push(AxisValue { label: label.clone(), value: serde_json::Value::String(label.clone()), sets });
            }
            (name, values)
        } else {
            let key = key.ok_or_else(|| err("key", "an axis needs `key` (the parameter, e.g. caseload or min.labour_force)".into()))?;
            if t.contains_key("name") {
                return Err(err("name", "`name` is for named scenario lists; this axis has `key`".into()));
            }
            let raw = if let Some(v) = t.get("values") {
                match v {
                    toml::Value::Array(a) => a.clone(),
                    other => return Err(err("values", format!("expected a list, got `{other}`"))),
                }
            } else {
                range(&|m| err("from", m), t)?
            };
            let values = raw.iter().map(|v| AxisValue { label: label(v), value: json_of(v), sets: vec![(key.clone(), v.clone())] }).collect();
            (key, values)
        };
        if values.is_empty() {
            return Err(err("values", format!("axis `{name}` has no values")));
        }
        let numeric = values.iter().all(|v| v.value.is_number());
        Ok(Axis { name, values, group, numeric, line })
    }

    /// Number of scenarios.
    pub fn len(&self) -> usize {
        self.groups.iter().map(|g| self.axes[g[0]].values.len()).product()
    }

    /// True when the sweep has no scenario (never, after `parse`).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Length of each group.
    pub fn group_lengths(&self) -> Vec<usize> {
        self.groups.iter().map(|g| self.axes[g[0]].values.len()).collect()
    }

    /// The base scenario: preset, scenario file, then `[set]`.
    pub fn base(&self) -> Result<Scenario> {
        let mut sc = Scenario::preset(&self.preset)?;
        if let Some(f) = &self.scenario {
            sc.apply_file(f)?;
        }
        for (k, v, line) in &self.set {
            sc.set(&format!("{}:{line} [set]", self.file), k, v)?;
        }
        Ok(sc)
    }

    /// Every scenario of the sweep, in index order; a value that does not fit its parameter is
    /// reported with the spec's file, line and axis.
    pub fn points(&self) -> Result<Vec<Point>> {
        let base = self.base()?;
        let lens = self.group_lengths();
        let total = self.len();
        let mut out = Vec::with_capacity(total);
        for index in 0..total {
            let mut coords = vec![0; lens.len()];
            let mut r = index;
            for g in (0..lens.len()).rev() {
                coords[g] = r % lens[g];
                r /= lens[g];
            }
            let mut sc = base.clone();
            for (g, members) in self.groups.iter().enumerate() {
                for &a in members {
                    let ax = &self.axes[a];
                    let v = &ax.values[coords[g]];
                    for (k, x) in &v.sets {
                        sc.set(&format!("{}:{} axis `{}` value `{}`", self.file, ax.line, ax.name, v.label), k, x)?;
                    }
                }
            }
            out.push(Point { index, coords, scenario: sc });
        }
        Ok(out)
    }

    /// The axis values of a point, by axis name.
    pub fn axis_values(&self, coords: &[usize]) -> serde_json::Map<String, serde_json::Value> {
        let mut m = serde_json::Map::new();
        for (g, members) in self.groups.iter().enumerate() {
            for &a in members {
                m.insert(self.axes[a].name.clone(), self.axes[a].values[coords[g]].value.clone());
            }
        }
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Spec> {
        Spec::parse("s.toml", Path::new("."), text)
    }

    #[test]
    fn product_zip_and_ranges() {
        let s = parse("[[axis]]\nkey = \"caseload\"\nfrom = 100\nto = 200\nstep = 50\n[[axis]]\nkey = \"min.labour_force\"\nvalues = [15000, 20000]\n").unwrap();
        assert_eq!(s.len(), 6);
        let p = s.points().unwrap();
        // The last axis varies fastest.
        assert_eq!((p[1].scenario.caseload, p[1].scenario.min["labour_force"]), (100.0, 20000.0));
        assert_eq!((p[5].scenario.caseload, p[5].scenario.min["labour_force"]), (200.0, 20000.0));
        let z = parse("combine = \"zip\"\n[[axis]]\nkey = \"km_cost\"\nfrom = 0.1\nto = 0.3\ncount = 3\n[[axis]]\nkey = \"time_value\"\nvalues = [1, 2, 3]\n").unwrap();
        assert_eq!(z.len(), 3);
        let p = z.points().unwrap();
        assert_eq!((p[2].scenario.km_cost, p[2].scenario.time_value), (0.3, 3.0));
        assert_eq!(p[1].scenario.km_cost, 0.2);
    }

    #[test]
    fn named_scenarios_and_groups() {
        let s = parse("[[axis]]\nname = \"organiser\"\nscenarios = [{ name = \"independent\" }, { name = \"provincial\", organiser = \"provincial\", min = { labour_force = 15000 } }]\n").unwrap();
        let p = s.points().unwrap();
        assert_eq!(p[1].scenario.organiser, "provincial");
        assert_eq!(p[1].scenario.min["labour_force"], 15000.0);
        assert_eq!(p[0].scenario.organiser, "independent");
    }

    #[test]
    fn bad_specs_are_named() {
        let cases = [
            ("[[axis]]\nkey = \"casload\"\nvalues = [1]\n", "unknown parameter"),
            ("[[axis]]\nkey = \"caseload\"\nvalues = []\n", "no values"),
            ("[[axis]]\nkey = \"caseload\"\nfrom = 200\nto = 100\nstep = 10\n", "reversed range"),
            ("[[axis]]\nkey = \"caseload\"\nvalues = [\"many\"]\n", "expected a number"),
            ("[[axis]]\nkey = \"caseload\"\nfrom = 1\nto = 2\nstep = 0\n", "positive"),
            ("[[axis]]\nkey = \"caseload\"\nvalues = [1]\ngroup = \"g\"\n[[axis]]\nkey = \"speed\"\nvalues = [1, 2]\ngroup = \"g\"\n", "equal lengths"),
            ("instance = 3\n[[axis]]\nkey = \"caseload\"\nvalues = [1]\n", "expected a string"),
            ("combine = \"cross\"\n[[axis]]\nkey = \"caseload\"\nvalues = [1]\n", "product or zip"),
            ("[set]\ncaseload = 100\n", "no [[axis]]"),
            ("[[axis]]\nkey = \"caseload\"\nvalues = [1]\nstep = 3\n", "exactly one of"),
        ];
        for (text, want) in cases {
            let e = parse(text).and_then(|s| s.points().map(|_| ())).unwrap_err().to_string();
            assert!(e.contains(want) && e.contains("s.toml"), "{text:?}: {e}");
        }
        let e = parse("\n[[axis]]\nkey = \"caseload\"\nvalues = [\"many\"]\n").and_then(|s| s.points().map(|_| ())).unwrap_err().to_string();
        assert!(e.contains("s.toml:2"), "{e}");
    }
}
