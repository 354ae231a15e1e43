//! What-if sweeps: many scenarios of one instance, solved in parallel (rayon, one HiGHS thread
//! per solve), written as each finishes, resumable after any interruption, shardable across
//! machines, and analysed (Pareto fronts, distinct partitions, hubs, co-assignment, flips).
//!
//! Determinism: scenarios are grouped into fixed chains of neighbours along the last axis; a
//! chain is solved in order, each scenario warm-started from the previous one's partition. The
//! chains do not depend on the number of threads or on interruptions (a resumed chain starts
//! from the stored partition of its last finished scenario), so neither do the results.

pub mod analysis;
pub mod results;
pub mod spec;

use crate::error::{Error, Result};
use crate::instance::Instance;
use crate::files::write_atomic;
use crate::problem::Problem;
use crate::solve::SolveOptions;
use results::{Appender, Manifest, Record};
use sha2::{Digest, Sha256};
use spec::{Point, Spec};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Scenarios per warm-start chain (a fixed number, so that the chains, and with them the results,
/// do not depend on the number of threads).
pub const CHAIN: usize = 10;

/// Options of a sweep run.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// Scenarios solved at once (rayon threads).
    pub jobs: usize,
    /// Run only shard i of n (0-based): chains c with c mod n = i.
    pub shard: Option<(usize, usize)>,
    /// Start each scenario from the previous partition of its chain.
    pub warm_start: bool,
    /// Show a progress bar on standard error.
    pub progress: bool,
}

impl Default for SweepOptions {
    fn default() -> Self {
        SweepOptions { jobs: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), shard: None, warm_start: true, progress: false }
    }
}

/// A spec with its instance loaded and every scenario built and checked.
pub struct Prepared {
    /// The spec.
    pub spec: Spec,
    /// The instance per data year.
    pub years: BTreeMap<String, Instance>,
    /// Every scenario.
    pub points: Vec<Point>,
    /// Scenario key per point.
    pub keys: Vec<String>,
    /// Warm-start chain per point.
    pub chain: Vec<usize>,
    /// Scenarios shown infeasible before solving, with the reason.
    pub infeasible: Vec<(usize, String)>,
    /// The manifest (without shard).
    pub manifest: Manifest,
}

fn hex(d: &[u8]) -> String {
    d.iter().map(|b| format!("{b:02x}")).collect()
}

/// A digest of the instance's data (codes, names, centres, attributes, adjacency).
pub fn fingerprint(inst: &Instance) -> String {
    let mut h = Sha256::new();
    h.update(inst.name.as_bytes());
    for u in &inst.units {
        h.update(format!("|{}|{}|{}|{}|{:?}", u.code, u.name, u.lat, u.lon, u.values).as_bytes());
    }
    for e in &inst.edges {
        h.update(format!("|{}-{}-{}", e.a, e.b, e.sea_only).as_bytes());
    }
    if let Some(d) = &inst.distances {
        h.update(format!("{d:?}").as_bytes());
    }
    hex(&h.finalize())
}

/// The stable key of a scenario on an instance: the first 16 hex digits of SHA-256 over the
/// instance fingerprint and the scenario's parameters as JSON.
pub fn scenario_key(fingerprint: &str, sc: &crate::Scenario) -> String {
    let mut h = Sha256::new();
    h.update(fingerprint.as_bytes());
    h.update(serde_json::to_string(sc).expect("scenario serialises").as_bytes());
    hex(&h.finalize())[..16].to_string()
}

fn describe(axes: &serde_json::Map<String, serde_json::Value>) -> String {
    axes.iter().map(|(k, v)| format!("{k}={}", v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))).collect::<Vec<_>>().join(", ")
}

/// Load the instance, build every scenario and check it: a parameter that does not fit, a
/// scenario the model refuses, or a sweep whose every scenario is infeasible is rejected here,
/// before any solve.
pub fn prepare(spec: Spec) -> Result<Prepared> {
    let base = Instance::load(spec.instance.as_deref())?;
    let points = spec.points()?;
    let mut years = BTreeMap::new();
    for p in &points {
        if let std::collections::btree_map::Entry::Vacant(v) = years.entry(p.scenario.graph_key()) {
            v.insert(p.scenario.instance(&base).map_err(|e| Error::file(&spec.file, format!("scenario {} ({}): {e}", p.index, describe(&spec.axis_values(&p.coords)))))?.into_owned());
        }
    }
    let fp = fingerprint(&base);
    let mut keys = Vec::with_capacity(points.len());
    let mut infeasible = Vec::new();
    let mut first_of_key: HashMap<String, usize> = HashMap::new();
    for p in &points {
        let inst = &years[&p.scenario.graph_key()];
        let problem = Problem::new(inst, &p.scenario).map_err(|e| Error::file(&spec.file, format!("scenario {} ({}): {e}", p.index, describe(&spec.axis_values(&p.coords)))))?;
        if let Some(reason) = crate::explain::check(&problem) {
            infeasible.push((p.index, reason));
        }
        let key = scenario_key(&fp, &p.scenario);
        if let Some(&q) = first_of_key.get(&key) {
            return Err(Error::file(&spec.file, format!(
                "scenarios {q} ({}) and {} ({}) are the same scenario; every scenario of a sweep must differ",
                describe(&spec.axis_values(&points[q].coords)), p.index, describe(&spec.axis_values(&p.coords)))));
        }
        first_of_key.insert(key.clone(), p.index);
        keys.push(key);
    }
    if infeasible.len() == points.len() {
        let (i, reason) = &infeasible[0];
        return Err(Error::Infeasible(format!(
            "every one of the {} scenarios of {} is infeasible, e.g. scenario {i} ({}): {reason}",
            points.len(), spec.file, describe(&spec.axis_values(&points[*i].coords)))));
    }
    // Chains: runs of at most CHAIN neighbours along the last group.
    let mut chain = Vec::with_capacity(points.len());
    let mut c = 0;
    for p in &points {
        let pos = *p.coords.last().expect("a point has coordinates");
        if p.index > 0 && pos % CHAIN == 0 {
            c += 1;
        }
        chain.push(c);
    }
    let mut h = Sha256::new();
    h.update(fp.as_bytes());
    for k in &keys {
        h.update(k.as_bytes());
    }
    let sc0 = &points[0].scenario;
    let manifest = Manifest {
        spec_hash: hex(&h.finalize())[..32].to_string(),
        spec_file: spec.file.clone(),
        instance: base.name.clone(),
        instance_path: spec.instance.as_ref().map(|d| std::fs::canonicalize(d).unwrap_or_else(|_| d.clone()).display().to_string()),
        total: points.len(),
        shard: None,
        axes: spec.axes.clone(),
        groups: spec.groups.clone(),
        units: base.units.iter().map(|u| (u.code.clone(), u.name.clone())).collect(),
        unit: sc0.objective_unit_ascii(),
    };
    Ok(Prepared { spec, years, points, keys, chain, infeasible, manifest })
}

/// What a sweep run did.
#[derive(Debug)]
pub struct Summary {
    /// Scenarios of this run (the shard's, or all).
    pub scenarios: usize,
    /// Found finished in the folder (resumed).
    pub resumed: usize,
    /// Solved now.
    pub solved: usize,
    /// Wall time of the solves, s.
    pub seconds: f64,
    /// All records of this run's scenarios, in index order.
    pub records: Vec<Record>,
    /// Files written at the end.
    pub files: Vec<String>,
    /// The analysis, printed at the end.
    pub analysis: analysis::Analysis,
}

/// Solve one scenario into a record; infeasible scenarios are records too.
fn solve_point(inst: &Instance, point: &Point, key: &str, axes: serde_json::Map<String, serde_json::Value>, start: Option<Vec<usize>>, carried: &Carried) -> Result<Record> {
    let sc = &point.scenario;
    let p = Problem::new(inst, sc)?;
    let known = carried.cuts.get(&p.nb).cloned().unwrap_or_default();
    let t0 = std::time::Instant::now();
    let mut rec = Record {
        index: point.index,
        key: key.to_string(),
        axes,
        status: "infeasible".into(),
        objective: None,
        bound: None,
        gap: None,
        unit: sc.objective_unit_ascii(),
        terms: None,
        number_of_areas: None,
        partition: BTreeMap::new(),
        validated: false,
        message: None,
        solve_seconds: 0.0,
        parameters: serde_json::to_value(sc).expect("scenario serialises"),
        cuts: Vec::new(),
    };
    let opts = SolveOptions { start, cuts: known.iter().cloned().collect(), pool: carried.pool.clone(), ..Default::default() };
    match crate::run_solve(&p, &opts) {
        Ok(r) => {
            // The chain takes in the new cuts (and the partition) through `Carried::absorb`, from
            // the record, as a resumed chain does.
            if let Some(o) = &r.outcome {
                let code = |u: usize| inst.units[u].code.clone();
                for c in o.cut_list.iter().filter(|c| !known.contains(c)) {
                    rec.cuts.push((code(c.i), code(c.j), c.sep.iter().map(|&k| code(k)).collect()));
                }
            }
            rec.status = r.status.as_str().to_string();
            rec.bound = r.bound;
            rec.gap = r.gap;
            if let Some(ev) = &r.evaluation {
                rec.objective = Some(ev.objective);
                rec.terms = Some(BTreeMap::from([
                    ("travel".to_string(), ev.terms.travel),
                    ("equalisation".to_string(), ev.terms.equalisation),
                    ("production".to_string(), ev.terms.production),
                    ("central".to_string(), ev.terms.central),
                ]));
                rec.number_of_areas = Some(ev.areas.len());
                rec.partition = ev.hub_of.iter().enumerate().map(|(i, &j)| (inst.units[i].code.clone(), inst.units[j].code.clone())).collect();
            }
            rec.validated = r.validation.as_ref().is_some_and(|v| v.is_feasible());
            if r.status == crate::Status::Infeasible {
                rec.message = Some("HiGHS proved that no partition meets every constraint".into());
            }
            rec.solve_seconds = r.seconds;
        }
        Err(Error::Infeasible(reason)) => {
            rec.message = Some(reason);
            rec.solve_seconds = t0.elapsed().as_secs_f64();
        }
        Err(e) => return Err(e),
    }
    Ok(rec)
}

/// What a chain carries from one scenario to the next: the contiguity cuts found so far, per
/// graph (a separator of a graph is valid for every scenario on that graph), and the distinct
/// partitions found so far (each a candidate start).
#[derive(Default)]
struct Carried {
    cuts: HashMap<Vec<Vec<usize>>, std::collections::BTreeSet<crate::model::contiguity::Cut>>,
    pool: Vec<Vec<usize>>,
}

impl Carried {
    /// Take in what a finished scenario found: its record's new cuts and its partition (the same
    /// for a scenario just solved and one read back from results.jsonl).
    fn absorb(&mut self, inst: &Instance, sc: &crate::Scenario, r: &Record) {
        let nb = crate::instance::adjacency::neighbours(inst.n(), &inst.edges, sc.sea_edges);
        let cuts = self.cuts.entry(nb).or_default();
        for (i, j, sep) in &r.cuts {
            let (Some(i), Some(j)) = (inst.unit(i), inst.unit(j)) else { continue };
            let Some(sep) = sep.iter().map(|k| inst.unit(k)).collect::<Option<Vec<usize>>>() else { continue };
            cuts.insert(crate::model::contiguity::Cut { i, j, sep });
        }
        if let Some(h) = hub_of_record(inst, r) {
            if !self.pool.contains(&h) {
                self.pool.push(h);
            }
        }
    }
}

fn hub_of_record(inst: &Instance, r: &Record) -> Option<Vec<usize>> {
    if r.partition.len() != inst.n() {
        return None;
    }
    inst.units.iter().map(|u| r.partition.get(&u.code).and_then(|h| inst.unit(h))).collect()
}

/// Parse `i/n` (0 ≤ i < n).
pub fn parse_shard(s: &str) -> Result<(usize, usize)> {
    let bad = || Error::scenario("--shard", "shard", format!("expected i/n with 0 ≤ i < n, e.g. 0/4, got `{s}`"));
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (usize, usize) = (i.trim().parse().map_err(|_| bad())?, n.trim().parse().map_err(|_| bad())?);
    if n == 0 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// Write the final files of a folder whose scenarios are all done: `results.jsonl` in index
/// order (with `rewrite_jsonl`), `results.csv` and the analysis files.
pub fn finish(dir: &Path, m: &Manifest, records: &[Record], rewrite_jsonl: bool) -> Result<(Vec<String>, analysis::Analysis)> {
    let a = analysis::analyse(m, records);
    let mut files = Vec::new();
    let mut put = |name: &str, bytes: &[u8]| -> Result<()> {
        let path = dir.join(name);
        write_atomic(&path, bytes)?;
        files.push(path.display().to_string());
        Ok(())
    };
    if rewrite_jsonl {
        put("results.jsonl", &results::jsonl(records))?;
    }
    put("results.csv", &results::csv(m, records, &a.partition_ids)?)?;
    for (name, bytes) in &a.files {
        put(name, bytes)?;
    }
    Ok((files, a))
}

fn check_manifest(dir: &Path, m: &Manifest) -> Result<()> {
    let path = dir.join("sweep.json");
    if path.exists() {
        let old = Manifest::read(dir)?;
        if old.spec_hash != m.spec_hash {
            return Err(Error::file(&path, format!(
                "this folder holds another sweep (spec {} on {}, {} scenarios); give another --out, or delete the folder to start over",
                old.spec_file, old.instance, old.total)));
        }
        if old.shard != m.shard {
            return Err(Error::file(&path, format!("this folder holds shard {} of the sweep, not {}", old.shard.as_deref().unwrap_or("all"), m.shard.as_deref().unwrap_or("all"))));
        }
        return Ok(());
    }
    write_atomic(&path, serde_json::to_string_pretty(m).expect("manifest serialises").as_bytes())
}

/// Run (or resume) a prepared sweep into `dir`.
pub fn run(prep: &Prepared, dir: &Path, opts: &SweepOptions) -> Result<Summary> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Output { file: dir.display().to_string(), message: e.to_string() })?;
    let mut manifest = prep.manifest.clone();
    manifest.shard = opts.shard.map(|(i, n)| format!("{i}/{n}"));
    check_manifest(dir, &manifest)?;
    let mine: Vec<usize> = (0..prep.points.len()).filter(|&k| opts.shard.is_none_or(|(i, n)| prep.chain[k] % n == i)).collect();
    let jsonl = dir.join("results.jsonl");
    let mut done = finished(prep, &jsonl)?;
    let resumed = mine.iter().filter(|k| done.contains_key(k)).count();
    let mut chains: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for &k in &mine {
        chains.entry(prep.chain[k]).or_default().push(k);
    }
    let chains: Vec<Vec<usize>> = chains.into_values().collect();
    let bar = progress_bar(mine.len(), resumed, opts.progress);
    let shared = Shared { appender: Mutex::new(Appender::open(&jsonl)?), fresh: Mutex::new(Vec::new()), failures: Mutex::new(Vec::new()), bar };
    let t0 = std::time::Instant::now();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(opts.jobs.max(1)).build().map_err(|e| Error::Solver(format!("cannot start {} threads: {e}", opts.jobs)))?;
    pool.install(|| {
        use rayon::prelude::*;
        chains.par_iter().for_each(|chain| run_chain(prep, opts, chain, &done, &shared));
    });
    shared.bar.finish_and_clear();
    let seconds = t0.elapsed().as_secs_f64();
    let failures = shared.failures.into_inner().expect("failures lock");
    if !failures.is_empty() {
        let list: Vec<String> = failures.iter().take(5).map(|(k, e)| format!("scenario {k} ({}): {e}", describe(&prep.spec.axis_values(&prep.points[*k].coords)))).collect();
        return Err(Error::Solver(format!(
            "{} scenario(s) failed; every finished scenario is kept in {} and a rerun solves only what is missing: {}",
            failures.len(), jsonl.display(), list.join("; "))));
    }
    let fresh = shared.fresh.into_inner().expect("records lock");
    let solved = fresh.len();
    for r in fresh {
        done.insert(r.index, r);
    }
    let records: Vec<Record> = mine.iter().filter_map(|k| done.get(k).cloned()).collect();
    let (files, analysis) = finish(dir, &manifest, &records, true)?;
    Ok(Summary { scenarios: mine.len(), resumed, solved, seconds, records, files, analysis })
}

/// The records already in `results.jsonl` that belong to this sweep (a key and index it has).
fn finished(prep: &Prepared, jsonl: &Path) -> Result<BTreeMap<usize, Record>> {
    let index_of: HashMap<&str, usize> = prep.keys.iter().enumerate().map(|(k, s)| (s.as_str(), k)).collect();
    let mut done = BTreeMap::new();
    for r in results::read_results(jsonl, true)? {
        if index_of.get(r.key.as_str()) == Some(&r.index) {
            done.insert(r.index, r);
        }
    }
    Ok(done)
}

/// The sweep's progress bar on stderr (hidden when `show` is false), from `resumed` of `len`.
fn progress_bar(len: usize, resumed: usize, show: bool) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::with_draw_target(Some(len as u64), if show { indicatif::ProgressDrawTarget::stderr() } else { indicatif::ProgressDrawTarget::hidden() });
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} scenarios · {per_sec} · elapsed {elapsed} · ETA {eta}")
            .expect("a valid template")
            .progress_chars("█▉ "),
    );
    bar.set_position(resumed as u64);
    bar.reset_eta();
    bar
}

/// What the chains of a sweep share: the results file, the new records, the failures, the bar.
struct Shared {
    appender: Mutex<Appender>,
    fresh: Mutex<Vec<Record>>,
    failures: Mutex<Vec<(usize, Error)>>,
    bar: indicatif::ProgressBar,
}

/// Solve one chain of scenarios in order, each warm-started from the one before (`done` holds
/// the records of an earlier run, which are taken, not solved again); every record is appended
/// to the results file as soon as it is solved.
fn run_chain(prep: &Prepared, opts: &SweepOptions, chain: &[usize], done: &BTreeMap<usize, Record>, shared: &Shared) {
    let mut prev: Option<Vec<usize>> = None;
    let mut carried = Carried::default();
    for &k in chain {
        let point = &prep.points[k];
        let inst = &prep.years[&point.scenario.graph_key()];
        if let Some(r) = done.get(&k) {
            if let Some(h) = hub_of_record(inst, r) {
                prev = Some(h);
            }
            carried.absorb(inst, &point.scenario, r);
            continue;
        }
        let start = if opts.warm_start { prev.clone() } else { None };
        match solve_point(inst, point, &prep.keys[k], prep.spec.axis_values(&point.coords), start, &carried) {
            Ok(rec) => {
                carried.absorb(inst, &point.scenario, &rec);
                if let Some(h) = hub_of_record(inst, &rec) {
                    prev = Some(h);
                }
                let written = shared.appender.lock().expect("appender lock").append(&rec);
                if let Err(e) = written {
                    shared.failures.lock().expect("failures lock").push((k, e));
                    return;
                }
                shared.fresh.lock().expect("records lock").push(rec);
                shared.bar.inc(1);
            }
            Err(e) => {
                shared.failures.lock().expect("failures lock").push((k, e));
                shared.bar.inc(1);
            }
        }
    }
}

/// Join shard folders into one: the same sweep (equal spec hash) is required, each scenario is
/// taken once, and the result equals a single run's files. With `partial`, missing scenarios are
/// allowed (and reported).
pub fn merge(dirs: &[PathBuf], out: &Path, partial: bool) -> Result<(Manifest, Vec<Record>, Vec<String>, analysis::Analysis)> {
    let first = dirs.first().ok_or_else(|| Error::file("merge", "name at least one sweep folder"))?;
    let mut m = Manifest::read(first)?;
    let mut by_index: BTreeMap<usize, Record> = BTreeMap::new();
    for d in dirs {
        let mi = Manifest::read(d)?;
        if mi.spec_hash != m.spec_hash {
            return Err(Error::file(d.join("sweep.json"), format!(
                "a different sweep than {} (spec {} on {} with {} scenarios, not {} on {} with {}); merge only shards of one spec",
                first.display(), mi.spec_file, mi.instance, mi.total, m.spec_file, m.instance, m.total)));
        }
        for r in results::read_results(&d.join("results.jsonl"), false)? {
            if let Some(old) = by_index.get(&r.index) {
                if old.key != r.key {
                    return Err(Error::file(d.join("results.jsonl"), format!("scenario {} has key {} here but {} elsewhere", r.index, r.key, old.key)));
                }
                continue;
            }
            by_index.insert(r.index, r);
        }
    }
    let missing: Vec<usize> = (0..m.total).filter(|k| !by_index.contains_key(k)).collect();
    if !missing.is_empty() && !partial {
        let shown: Vec<String> = missing.iter().take(10).map(|k| k.to_string()).collect();
        return Err(Error::file(out, format!(
            "{} of {} scenarios are missing from the folders given (e.g. {}); run the missing shards, or pass --partial",
            missing.len(), m.total, shown.join(", "))));
    }
    std::fs::create_dir_all(out).map_err(|e| Error::Output { file: out.display().to_string(), message: e.to_string() })?;
    m.shard = None;
    let path = out.join("sweep.json");
    if path.exists() && Manifest::read(out)?.spec_hash != m.spec_hash {
        return Err(Error::file(&path, "this folder holds another sweep; give another --out"));
    }
    write_atomic(&path, serde_json::to_string_pretty(&m).expect("manifest serialises").as_bytes())?;
    let records: Vec<Record> = by_index.into_values().collect();
    let (files, a) = finish(out, &m, &records, true)?;
    Ok((m, records, files, a))
}
