//! What a sweep writes: `sweep.json` (the manifest), `results.jsonl` (one line per finished
//! scenario, appended as it finishes) and `results.csv` (the summary, written at the end).

use super::spec::Axis;
use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::path::Path;

/// The figures of one finished scenario: one line of `results.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Record {
    /// Position in the full sweep.
    pub index: usize,
    /// Stable scenario key: SHA-256 (first 16 hex digits) of the instance and the full scenario.
    pub key: String,
    /// The values of the sweep's axes.
    pub axes: serde_json::Map<String, serde_json::Value>,
    /// optimal, feasible, time_limit or infeasible.
    pub status: String,
    /// Objective of the partition (None when infeasible).
    pub objective: Option<f64>,
    /// Proven lower bound.
    pub bound: Option<f64>,
    /// Relative gap.
    pub gap: Option<f64>,
    /// Unit of objective, bound and terms.
    pub unit: String,
    /// The objective's terms (travel, equalisation, production, central).
    pub terms: Option<BTreeMap<String, f64>>,
    /// Number of areas.
    pub number_of_areas: Option<usize>,
    /// Unit code → hub code.
    pub partition: BTreeMap<String, String>,
    /// The validator found every constraint met and the same objective.
    pub validated: bool,
    /// Why the scenario is infeasible, when it is.
    pub message: Option<String>,
    /// Wall time of the solve, s (the only field that differs between runs).
    pub solve_seconds: f64,
    /// Every parameter of the scenario.
    pub parameters: serde_json::Value,
    /// Contiguity cuts (unit, hub, separator, as codes: if the unit is served from the hub, so is
    /// one of the separator) that this scenario's solve found and that its chain did not know
    /// yet. The later scenarios of the chain start with them; a resumed sweep reads them back so
    /// that it solves exactly as an uninterrupted one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cuts: Vec<(String, String, Vec<String>)>,
}

/// `sweep.json`: what the folder holds, so that a rerun resumes the same sweep, shards can be
/// merged and `alue analyse` needs nothing else.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Manifest {
    /// SHA-256 of the instance and every scenario key in order: equal specs, equal hash.
    pub spec_hash: String,
    /// The spec file it was made from.
    pub spec_file: String,
    /// Instance name.
    pub instance: String,
    /// Where the instance was loaded from (None: the built-in one); for maps in reports.
    #[serde(default)]
    pub instance_path: Option<String>,
    /// Scenarios in the whole sweep.
    pub total: usize,
    /// "i/n" when this folder holds one shard.
    pub shard: Option<String>,
    /// The axes.
    pub axes: Vec<Axis>,
    /// Axis indices per zip group.
    pub groups: Vec<Vec<usize>>,
    /// (code, name) of every unit, in instance order.
    pub units: Vec<(String, String)>,
    /// The objective's unit.
    pub unit: String,
}

impl Manifest {
    /// Length of each zip group.
    pub fn group_lengths(&self) -> Vec<usize> {
        self.groups.iter().map(|g| self.axes[g[0]].values.len()).collect()
    }

    /// Position along each group of a sweep index (last group fastest).
    pub fn coords(&self, index: usize) -> Vec<usize> {
        let lens = self.group_lengths();
        let mut c = vec![0; lens.len()];
        let mut r = index;
        for g in (0..lens.len()).rev() {
            c[g] = r % lens[g];
            r /= lens[g];
        }
        c
    }

    /// Read `DIR/sweep.json`.
    pub fn read(dir: &Path) -> Result<Manifest> {
        let path = dir.join("sweep.json");
        let text = crate::text::read_text(&path).map_err(|e| e.with_hint("; is this a sweep folder?"))?;
        serde_json::from_str(&text).map_err(|e| Error::input(&path.display().to_string(), e.line(), "-", e.to_string()))
    }
}

/// Read `results.jsonl`; a last line cut short by a kill is dropped (and cut from the file when
/// `repair`), and repeated keys are kept once.
pub fn read_results(path: &Path, repair: bool) -> Result<Vec<Record>> {
    let Ok(bytes) = std::fs::read(path) else { return Ok(Vec::new()) };
    let complete = match bytes.iter().rposition(|&b| b == b'\n') {
        Some(p) => p + 1,
        None => 0,
    };
    if complete < bytes.len() && repair {
        let f = std::fs::OpenOptions::new().write(true).open(path).map_err(|e| Error::file(path, format!("cannot repair: {e}")))?;
        f.set_len(complete as u64).map_err(|e| Error::file(path, format!("cannot repair: {e}")))?;
    }
    let text = String::from_utf8_lossy(&bytes[..complete]);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let r: Record = serde_json::from_str(line).map_err(|e| Error::input(&path.display().to_string(), k + 1, "-", format!("not a result line: {e}")))?;
        if seen.insert(r.key.clone()) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Appends one line per finished scenario; a single write per line, so a kill leaves at most
/// one partial line (dropped on resume).
pub struct Appender {
    file: std::fs::File,
    path: String,
}

impl Appender {
    /// Open (create) `results.jsonl` for appending.
    pub fn open(path: &Path) -> Result<Appender> {
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(|e| Error::Output { file: path.display().to_string(), message: e.to_string() })?;
        Ok(Appender { file, path: path.display().to_string() })
    }

    /// Append a record as one line.
    pub fn append(&mut self, r: &Record) -> Result<()> {
        let mut line = serde_json::to_string(r).map_err(|e| Error::Output { file: self.path.clone(), message: e.to_string() })?;
        line.push('\n');
        self.file.write_all(line.as_bytes()).map_err(|e| Error::Output { file: self.path.clone(), message: e.to_string() })
    }
}

/// The final `results.jsonl`: every record in index order.
pub fn jsonl(records: &[Record]) -> Vec<u8> {
    let mut v = records.to_vec();
    v.sort_by_key(|r| r.index);
    let mut out = Vec::new();
    for r in &v {
        out.extend(serde_json::to_string(r).expect("a record serialises").as_bytes());
        out.push(b'\n');
    }
    out
}

fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map(|x| format!("{x:.decimals$}")).unwrap_or_default()
}

/// `results.csv`: one row per scenario with its axis values, status, objective, terms, areas,
/// hubs and partition id.
pub fn csv(m: &Manifest, records: &[Record], partition_ids: &BTreeMap<String, usize>) -> Result<Vec<u8>> {
    let werr = |e: csv::Error| Error::Output { file: "results.csv".into(), message: e.to_string() };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["index".into(), "key".into()];
    header.extend(m.axes.iter().map(|a| a.name.clone()));
    let u = &m.unit;
    for h in ["status", "objective", "bound", "gap", "travel", "equalisation", "production", "central"] {
        header.push(match h {
            "status" => h.into(),
            "gap" => "gap_percent".into(),
            _ => format!("{h}_{}", u.replace('/', "_per_").replace('*', "_")),
        });
    }
    header.extend(["number_of_areas", "hubs", "partition_id", "validated", "solve_seconds", "message"].map(String::from));
    w.write_record(&header).map_err(werr)?;
    let mut v = records.to_vec();
    v.sort_by_key(|r| r.index);
    for r in &v {
        let mut row = vec![r.index.to_string(), r.key.clone()];
        for a in &m.axes {
            row.push(match r.axes.get(&a.name) {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(x) => x.to_string(),
                None => String::new(),
            });
        }
        let term = |k: &str| r.terms.as_ref().and_then(|t| t.get(k).copied());
        let hubs: std::collections::BTreeSet<&String> = r.partition.values().collect();
        row.extend([
            r.status.clone(),
            opt(r.objective, 2),
            opt(r.bound, 2),
            opt(r.gap.map(|g| g * 100.0), 4),
            opt(term("travel"), 2),
            opt(term("equalisation"), 2),
            opt(term("production"), 2),
            opt(term("central"), 2),
            r.number_of_areas.map(|k| k.to_string()).unwrap_or_default(),
            hubs.into_iter().cloned().collect::<Vec<_>>().join(" "),
            partition_ids.get(&signature(&r.partition)).map(|k| k.to_string()).unwrap_or_default(),
            r.validated.to_string(),
            format!("{:.3}", r.solve_seconds),
            r.message.clone().unwrap_or_default(),
        ]);
        w.write_record(&row).map_err(werr)?;
    }
    w.into_inner().map_err(|e| Error::Output { file: "results.csv".into(), message: e.to_string() })
}

/// A canonical text of a partition (unit:hub pairs in code order), equal for equal partitions.
pub fn signature(partition: &BTreeMap<String, String>) -> String {
    partition.iter().map(|(u, h)| format!("{u}:{h}")).collect::<Vec<_>>().join(" ")
}
