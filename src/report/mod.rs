//! Negotiation-ready reports: one self-contained HTML page (inline SVG maps, tables, style and a
//! few lines of script; no network access) per solve folder or sweep folder, in Finnish or
//! English, and a standalone `map.svg` for slides.
//!
//! A solve folder's report is rebuilt from its `solution.json` (instance path, scenario,
//! assignment, status, bound, gap): the figures are recomputed from the data by the same
//! evaluation and validator as `alue evaluate`, so the page and the JSON cannot drift apart.

pub mod html;
pub mod lang;
pub mod map;
pub mod sweep;

use crate::error::{Error, Result};
use crate::solution::PartitionFile;
use crate::{Instance, Problem, RunResult, Scenario, Status};
pub use lang::Lang;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The language a report of `inst` defaults to: Finnish for the Finnish instances (the built-in
/// one and those that ship a 2025 partition of Finnish municipalities), English otherwise.
pub fn default_lang(inst: &Instance) -> Lang {
    if inst.employment && (inst.dir.is_none() || inst.partition_2025.is_some()) {
        Lang::Fi
    } else {
        Lang::En
    }
}

/// A solve or evaluate run read back from its `solution.json`.
#[derive(Debug, Clone)]
pub struct SavedRun {
    /// The instance, with the scenario's data year applied.
    pub inst: Instance,
    /// The scenario.
    pub sc: Scenario,
    /// Hub per unit.
    pub hub_of: Vec<usize>,
    /// Area names by hub.
    pub names: BTreeMap<usize, String>,
    /// Status as written.
    pub status: Status,
    /// Bound and gap as written.
    pub bound: Option<f64>,
    /// Relative gap as written.
    pub gap: Option<f64>,
    /// Solve time as written, s.
    pub seconds: f64,
    /// "solve" or "evaluate".
    pub kind: &'static str,
}

/// Load the instance a folder's JSON names: its path, or the built-in one.
fn instance_of(file: &str, name: &str, path: Option<&str>, over: Option<&Path>) -> Result<Instance> {
    if let Some(p) = over {
        return Instance::load(Some(p));
    }
    match path {
        Some(p) => Instance::load(Some(Path::new(p))).map_err(|e| Error::file(file, format!("cannot load its instance `{p}` ({e}); give --instance"))),
        None if name == crate::instance::BUILTIN => Instance::builtin(),
        None => Err(Error::file(file, format!("does not say where instance `{name}` is; give --instance"))),
    }
}

impl SavedRun {
    /// Read `DIR/solution.json`; `instance` overrides the instance path it records.
    pub fn read(dir: &Path, instance: Option<&Path>) -> Result<SavedRun> {
        let path = dir.join("solution.json");
        let file = path.display().to_string();
        let text = crate::text::read_text(&path).map_err(|e| e.with_hint(&format!(" (is {} a folder written by alue solve --out?)", dir.display())))?;
        let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| Error::input(&file, e.line(), "json", e.to_string()))?;
        let field = |k: &str| doc.get(k).ok_or_else(|| Error::file(&file, format!("has no `{k}`")));
        let sc: Scenario = serde_json::from_value(field("scenario")?.clone()).map_err(|e| Error::file(&file, format!("field `scenario`: {e}")))?;
        sc.check(&format!("{file}: field `scenario`"))?;
        let name = field("instance")?.as_str().unwrap_or_default().to_string();
        let inst = instance_of(&file, &name, doc.get("instance_path").and_then(|v| v.as_str()), instance)?;
        let inst = sc.instance(&inst)?.into_owned();
        let status_text = field("status")?.as_str().unwrap_or_default();
        let status = Status::parse(status_text).ok_or_else(|| Error::file(&file, format!("field `status`: `{status_text}` is not a status")))?;
        let assignment = field("assignment")?.as_object().cloned().unwrap_or_default();
        if assignment.is_empty() {
            return Err(Error::file(&file, format!("holds no partition (status {status_text}): there is nothing to report")));
        }
        let mut hub_of = vec![usize::MAX; inst.n()];
        for (code, hub) in &assignment {
            let i = inst.unit(code).ok_or_else(|| Error::file(&file, format!("field `assignment`: unit `{code}` is not in instance {}", inst.name)))?;
            let h = hub.as_str().and_then(|h| inst.unit(h)).ok_or_else(|| Error::file(&file, format!("field `assignment`: hub `{hub}` of `{code}` is not in instance {}", inst.name)))?;
            hub_of[i] = h;
        }
        if let Some(i) = hub_of.iter().position(|&h| h == usize::MAX) {
            return Err(Error::file(&file, format!("field `assignment`: unit `{}` has no hub", inst.units[i].code)));
        }
        let mut names = BTreeMap::new();
        for a in doc.get("areas").and_then(|v| v.as_array()).into_iter().flatten() {
            if let (Some(h), Some(n)) = (a.get("hub").and_then(|v| v.as_str()).and_then(|h| inst.unit(h)), a.get("area").and_then(|v| v.as_str())) {
                names.insert(h, n.to_string());
            }
        }
        let num = |k: &str| doc.get(k).and_then(|v| v.as_f64());
        let kind = if doc.get("kind").and_then(|v| v.as_str()) == Some("evaluate") { "evaluate" } else { "solve" };
        Ok(SavedRun { inst, sc, hub_of, names, status, bound: num("bound"), gap: num("gap"), seconds: num("solve_seconds").unwrap_or(0.0), kind })
    }

    /// The run's figures recomputed from the data (and validated), with its recorded status.
    pub fn result(&self, p: &Problem) -> Result<RunResult> {
        let part = PartitionFile { hub_of: self.hub_of.clone(), names: self.names.clone() };
        let mut r = crate::run_evaluate(p, &part, None)?;
        r.kind = self.kind;
        r.status = self.status;
        r.bound = self.bound;
        r.gap = self.gap;
        r.seconds = self.seconds;
        Ok(r)
    }
}

/// Evaluate a comparison partition (`code,area,hub` CSV) under the report's scenario.
pub fn comparison_result(p: &Problem, file: &Path) -> Result<RunResult> {
    let text = crate::text::read_text(std::path::Path::new(file))?;
    let part = crate::solution::parse_partition(&file.display().to_string(), &text, p.inst)?;
    crate::run_evaluate(p, &part, None)
}

/// What `alue report` was asked for.
#[derive(Debug, Clone, Default)]
pub struct ReportRequest {
    /// A solve/evaluate folder or a sweep folder.
    pub dir: PathBuf,
    /// A partition CSV to compare with (solve folders only).
    pub compare: Option<PathBuf>,
    /// Language (None: the instance's default).
    pub lang: Option<Lang>,
    /// Override the instance path recorded in the folder.
    pub instance: Option<PathBuf>,
    /// Override the cost-sharing key (labour_force, population or jobseekers).
    pub share_key: Option<String>,
}

/// Build the report a request asks for; returns the HTML page.
pub fn build(req: &ReportRequest) -> Result<String> {
    if req.dir.join("sweep.json").exists() {
        if req.compare.is_some() {
            return Err(Error::scenario("--compare", "compare", "applies to a solve folder, not to a sweep folder"));
        }
        let m = crate::sweep::results::Manifest::read(&req.dir)?;
        let records = crate::sweep::results::read_results(&req.dir.join("results.jsonl"), false)?;
        let inst = instance_of(&req.dir.join("sweep.json").display().to_string(), &m.instance, m.instance_path.as_deref(), req.instance.as_deref())?;
        let lang = req.lang.unwrap_or_else(|| default_lang(&inst));
        return Ok(sweep::render(lang, &m, &records, &inst));
    }
    let saved = SavedRun::read(&req.dir, req.instance.as_deref())?;
    let mut sc = saved.sc.clone();
    if let Some(k) = &req.share_key {
        sc.set("--share-key", "cost_share_key", &toml::Value::String(k.clone()))?;
    }
    let p = Problem::new(&saved.inst, &sc)?;
    let r = saved.result(&p)?;
    let lang = req.lang.unwrap_or_else(|| default_lang(&saved.inst));
    let cmp = match &req.compare {
        Some(f) => Some((f.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default(), comparison_result(&p, f)?)),
        None => None,
    };
    let c = cmp.as_ref().map(|(label, result)| html::Comparison { label: label.clone(), result });
    Ok(html::render(lang, &r, &p, c.as_ref()))
}

/// The standalone `map.svg` of a run (None when the run has no partition).
pub fn map_file(r: &RunResult, p: &Problem, lang: Lang) -> Option<String> {
    let ev = r.evaluation.as_ref()?;
    let shapes = map::Shapes::new(p.inst, 800.0, 0.35);
    let colours = map::area_colours(p.inst, &ev.hub_of);
    let o = map::MapOptions { id: "map".into(), title: format!("{} – {}", lang.t("title"), p.inst.name), labels: p.inst.n() <= 60, legend: true, standalone: true };
    Some(map::render(p.inst, &shapes, &ev.hub_of, &colours, &r.area_names, lang, &o).into_string() + "\n")
}
