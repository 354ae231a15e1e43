//! What the workbench shows of a partition: `solution.json` (the same document `alue evaluate`
//! and `alue solve` write) and the report's sections as HTML fragments, from the report's own
//! renderer, so the workbench, `report.html` and `map.svg` cannot disagree.

use super::catalogue::Entry;
use super::error::ApiError;
use super::plan::{FieldError, Plan, Workspace};
use crate::report::html::{self, Comparison, Look};
use crate::report::map::Palette;
use crate::report::Lang;
use crate::{Problem, RunResult};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// An evaluate request: a plan and how to show it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewRequest {
    /// The instance's name.
    pub instance: String,
    /// Parameters changed from the defaults.
    #[serde(default)]
    pub scenario: BTreeMap<String, Value>,
    /// Hub code of every unit code.
    #[serde(default)]
    pub assignment: BTreeMap<String, String>,
    /// Area names by hub code.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// `fi` or `en` (default: the instance's language).
    #[serde(default)]
    pub lang: Option<String>,
    /// `distinct` or `colourblind`.
    #[serde(default)]
    pub palette: Option<String>,
    /// Compare with `2025` (the real partition) or `plan:NAME` (a saved plan).
    #[serde(default)]
    pub compare: Option<String>,
}

impl ViewRequest {
    /// The plan part.
    pub fn plan(&self) -> Plan {
        Plan { instance: self.instance.clone(), scenario: self.scenario.clone(), assignment: self.assignment.clone(), names: self.names.clone() }
    }

    /// Language and colours.
    pub fn look(&self, entry: &Entry) -> Result<Look, ApiError> {
        let lang = match self.lang.as_deref() {
            None | Some("") => crate::report::default_lang(&entry.inst),
            Some(l) => Lang::parse(l).map_err(|_| FieldError::new("lang", format!("`{l}` is not a language: fi or en")))?,
        };
        let palette = Palette::parse(self.palette.as_deref().unwrap_or("")).ok_or_else(|| FieldError::new("palette", "expected distinct or colourblind"))?;
        Ok(Look { lang, palette, map_width: super::catalogue::MAP_WIDTH })
    }
}

/// The comparison partition a request names, evaluated under the plan's scenario.
fn comparison(entry: &Entry, p: &Problem, ws: &Workspace, which: &str, lang: Lang) -> Result<(String, RunResult), ApiError> {
    let (label, part) = if which == "2025" {
        let part = entry.partition_2025.clone().ok_or_else(|| ApiError::not_found(format!("instance {} has no 2025 partition", entry.name)))?;
        (lang.t("partition_2025").to_string(), part)
    } else if let Some(name) = which.strip_prefix("plan:") {
        let f = ws.load(name)?.ok_or_else(|| ApiError::not_found(format!("no saved plan `{name}`")))?;
        if f.plan.instance != entry.name {
            return Err(FieldError::new("compare", format!("plan `{name}` is on instance {}, not {}", f.plan.instance, entry.name)).into());
        }
        (name.to_string(), f.plan.partition(&entry.inst)?)
    } else {
        return Err(FieldError::new("compare", format!("`{which}`: expected 2025 or plan:NAME")).into());
    };
    let r = crate::run_evaluate(p, &part, None).map_err(ApiError::library)?;
    Ok((label, r))
}

/// The response of a partition's run: `solution` (solution.json), `html` (the fragments) and the
/// areas the validator finds fault with (`violated_areas`, hub codes) for the map.
pub fn render(entry: &Entry, r: &RunResult, p: &Problem, look: Look, compare: Option<&(String, RunResult)>) -> Value {
    let solution: Value = serde_json::from_str(&crate::output::json::render(r, p)).unwrap_or(Value::Null);
    let violated: Vec<String> = r.validation.iter().flat_map(|v| v.violations.iter()).filter_map(|v| v.area).map(|h| p.inst.units[h].code.clone()).collect();
    let html = match &r.evaluation {
        Some(ev) => {
            let c = compare.map(|(label, result)| Comparison { label: label.clone(), result });
            let s = html::sections(look, r, p, ev, c.as_ref(), Some(&entry.shapes));
            json!({
                "facts": s.facts.into_string(), "violations": s.violations.into_string(), "map": s.map.into_string(),
                "compare_map": s.compare_map.map(|m| m.into_string()), "areas": s.areas.into_string(),
                "municipalities": s.municipalities.into_string(), "compare": s.compare.map(|m| m.into_string()),
                "parameters": s.parameters.into_string(),
            })
        }
        None => json!({ "facts": html::facts(look.lang, r, p).into_string(), "violations": html::violations_list(look.lang, r).into_string() }),
    };
    json!({ "solution": solution, "html": html, "violated_areas": violated })
}

/// Evaluate a request's plan as `alue evaluate --no-compare` does.
pub fn evaluate(entry: &Entry, req: &ViewRequest, ws: &Workspace) -> Result<Value, ApiError> {
    let look = req.look(entry)?;
    let plan = req.plan();
    let sc = plan.scenario()?;
    let inst = sc.instance(&entry.inst).map_err(|e| FieldError::new("scenario.data_year", e.to_string()))?;
    let part = plan.partition(&inst)?;
    let p = Problem::new(&inst, &sc).map_err(|e| match e {
        crate::Error::Scenario { ref key, .. } => ApiError::field(FieldError::new(format!("scenario.{key}"), e.to_string())),
        e => ApiError::library(e),
    })?;
    let r = crate::run_evaluate(&p, &part, None).map_err(ApiError::library)?;
    let cmp = req.compare.as_deref().filter(|c| !c.is_empty()).map(|c| comparison(entry, &p, ws, c, look.lang)).transpose()?;
    Ok(render(entry, &r, &p, look, cmp.as_ref()))
}
