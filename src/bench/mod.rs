//! `alue bench`: named suites of solves, each run as a separate `alue solve` process (so that
//! wall time and peak memory are the whole program's), repeated, and written up as Markdown
//! (`BENCHMARKS.md`). Suites: `hess` (the 10 US county instances with and without contiguity,
//! against the published optima), `pohjois-pohjanmaa`, `finland`, `ablation` (each speed-up
//! technique switched off in turn), `scaling` (generated instances, n = 50…400), `all`, and
//! `sweep` (throughput of `alue sweep` on 1 and 2 jobs, spliced into the report as its own section).

pub mod cases;
pub mod serve;

pub use cases::{suite, GENERALISATION, TECHNIQUES};

use crate::error::{Error, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// One benchmark case: the arguments of an `alue solve` run and what it is compared with.
#[derive(Debug, Clone)]
pub struct Case {
    /// Suite name.
    pub suite: String,
    /// Short label (state, instance name).
    pub label: String,
    /// Arguments after `alue solve`.
    pub args: Vec<String>,
    /// Number of units.
    pub n: usize,
    /// Number of areas when fixed.
    pub k: Option<usize>,
    /// Contiguity on.
    pub contiguity: bool,
    /// Published optimum to compare with.
    pub published: Option<f64>,
    /// Repetitions.
    pub repeat: usize,
    /// The technique switched off (ablation suite).
    pub off: Option<String>,
    /// The paper's time for this case, s (tract and open suites).
    pub paper_seconds: Option<f64>,
}

/// What one case measured.
#[derive(Debug, Clone)]
pub struct Measured {
    /// The case.
    pub case: Case,
    /// Status of the last run (optimal, feasible, time_limit, infeasible, error).
    pub status: String,
    /// Objective of the last run.
    pub objective: Option<f64>,
    /// Its unit.
    pub unit: String,
    /// Proven bound.
    pub bound: Option<f64>,
    /// Relative gap.
    pub gap: Option<f64>,
    /// Number of areas.
    pub areas: Option<usize>,
    /// Wall time of each run, s.
    pub walls: Vec<f64>,
    /// Largest peak resident memory over the runs, MB.
    pub peak_mb: Option<f64>,
    /// Error text when the run failed.
    pub error: Option<String>,
}

impl Measured {
    /// Median wall time, s.
    pub fn median(&self) -> f64 {
        median(&self.walls)
    }

    /// Difference to the published optimum, %.
    pub fn diff_percent(&self) -> Option<f64> {
        Some(100.0 * (self.objective? - self.case.published?) / self.case.published?)
    }
}

/// The median of some figures (NaN for none).
pub fn median(values: &[f64]) -> f64 {
    let mut w = values.to_vec();
    w.sort_by(f64::total_cmp);
    if w.is_empty() {
        f64::NAN
    } else if w.len() % 2 == 1 {
        w[w.len() / 2]
    } else {
        (w[w.len() / 2 - 1] + w[w.len() / 2]) / 2.0
    }
}

/// The suites `bench` knows.
pub const SUITES: &[&str] = &["hess", "tracts", "open", "generalisation", "pohjois-pohjanmaa", "finland", "ablation", "scaling", "limits", "sweep", "serve", "all"];

/// Run one case `repeat` times with the `alue` executable `exe`.
pub fn run(exe: &Path, case: &Case, work: &Path) -> Measured {
    let mut m = Measured { case: case.clone(), status: "error".into(), objective: None, unit: String::new(), bound: None, gap: None, areas: None, walls: Vec::new(), peak_mb: None, error: None };
    for rep in 0..case.repeat.max(1) {
        let out_dir = work.join(format!("run-{}-{rep}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out_dir);
        let t = Instant::now();
        let output = Command::new(exe).arg("solve").args(&case.args).arg("--out").arg(&out_dir).output();
        let wall = t.elapsed().as_secs_f64();
        let output = match output {
            Ok(o) => o,
            Err(e) => {
                m.error = Some(format!("cannot run {}: {e}", exe.display()));
                return m;
            }
        };
        let doc: Option<Value> = std::fs::read_to_string(out_dir.join("solution.json")).ok().and_then(|t| serde_json::from_str(&t).ok());
        let _ = std::fs::remove_dir_all(&out_dir);
        let Some(doc) = doc else {
            let err = String::from_utf8_lossy(&output.stderr).lines().next().unwrap_or("no solution.json").to_string();
            m.status = if output.status.code() == Some(2) && err.contains("infeasible") { "infeasible".into() } else { "error".into() };
            m.error = Some(err);
            m.walls.push(wall);
            continue;
        };
        m.walls.push(wall);
        m.status = doc["status"].as_str().unwrap_or("?").to_string();
        m.objective = doc["objective"].as_f64();
        m.bound = doc["bound"].as_f64();
        m.gap = doc["gap"].as_f64();
        m.unit = doc["unit"].as_str().unwrap_or("").to_string();
        m.areas = doc["number_of_areas"].as_u64().map(|x| x as usize);
        if let Some(mb) = doc["solver"]["peak_rss_mb"].as_f64() {
            m.peak_mb = Some(m.peak_mb.map_or(mb, |p: f64| p.max(mb)));
        }
    }
    m
}

fn f(x: Option<f64>, d: usize) -> String {
    x.map(|v| format!("{v:.d$}")).unwrap_or_else(|| "–".into())
}

/// The report's opening: what the figures mean.
pub const HEADER: &str = "# Benchmarks\n\nWritten by `alue bench` (each section names its command and machine). Every run is a \
    separate `alue solve` process (release build, one HiGHS thread); wall time is the whole process (reading, solving, \
    validating, writing), the median over the repetitions; peak memory is the process's peak resident set (VmHWM).\n\n";

/// One section of the report per suite in `results`, each delimited by `<!-- suite:NAME -->` …
/// `<!-- /suite:NAME -->` so that a later run of one suite replaces just its own section.
pub fn render_sections(results: &[Measured], machine: &str) -> Vec<(String, String)> {
    let suites: Vec<&str> = {
        let mut v: Vec<&str> = results.iter().map(|r| r.case.suite.as_str()).collect();
        v.dedup();
        v
    };
    let mut out = Vec::new();
    for suite in suites {
        let rows: Vec<&Measured> = results.iter().filter(|r| r.case.suite == suite).collect();
        let mut s = format!("<!-- suite:{suite} -->\n## {} (`alue bench {suite}`)\n\nMeasured on {machine}.\n\n", title(suite));
        s += &match suite {
            "hess" => hess_table(&rows),
            "tracts" | "open" => tract_table(&rows),
            "ablation" => ablation_table(&rows),
            _ => plain_table(&rows),
        };
        if let Some(r) = rows.iter().filter(|r| r.peak_mb.is_some()).max_by(|a, b| a.peak_mb.unwrap().total_cmp(&b.peak_mb.unwrap())) {
            s += &format!("\nLargest peak memory of this suite: {:.0} MB ({}, contiguity {}).\n", r.peak_mb.unwrap(), r.case.label, if r.case.contiguity { "yes" } else { "no" });
        }
        s += &format!("<!-- /suite:{suite} -->\n");
        out.push((suite.to_string(), s));
    }
    out
}

/// A suite's section title.
fn title(suite: &str) -> &str {
    match suite {
        "hess" => "Hess US county instances",
        "tracts" => "Hess US census-tract instances",
        "generalisation" => "Generated instances in the Hess model, seeds 101–110 (never tuned on), time limit 60 s",
        "open" => "Open instances (no districting found by the paper in 1 h)",
        "ablation" => "Each technique switched off",
        "pohjois-pohjanmaa" => "Northern Ostrobothnia, employment model",
        "finland" => "Mainland Finland, employment model, labour force ≥ 20 000",
        "scaling" => "Scaling on generated instances (employment defaults, seed 1; with contiguity at n = 200 and 400 also seeds 2–6, never tuned on; time limit 60 s)",
        "limits" => "Instances far beyond the compact MIP (generated, employment defaults, seed 1, time limit 20 s)",
        _ => suite,
    }
}

/// The county suite's table, with the published optima and the suite's totals.
fn hess_table(rows: &[&Measured]) -> String {
    let mut s = String::new();
    s += "Published optimum: Validi, Buchanan & Lykhovyd (2022), Gurobi (see `instances/hess/SOURCES.md`). \
          Objective in population·km²×10⁻⁶; our distances are computed from the graph's centres, so a difference \
          of a few tenths of a percent is expected.\n\n";
    s += "| state | n | k | contiguity | objective | published | diff % | status | bound | gap % | median wall s | runs | peak MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for r in rows {
        s += &format!("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} | {} |\n", r.case.label, r.case.n, r.case.k.unwrap_or(0),
            if r.case.contiguity { "yes" } else { "no" }, f(r.objective, 2), f(r.case.published, 2), f(r.diff_percent(), 2), r.status,
            f(r.bound, 2), f(r.gap.map(|g| 100.0 * g), 4), r.median(), r.walls.len(), f(r.peak_mb, 0));
    }
    let total: f64 = rows.iter().map(|r| r.median()).sum();
    let worst = rows.iter().map(|r| r.median()).fold(0.0, f64::max);
    let optimal = rows.iter().filter(|r| r.status == "optimal").count();
    let within = rows.iter().filter(|r| r.diff_percent().is_some_and(|d| d.abs() <= 0.5)).count();
    s += &format!("\n{optimal} of {} proven optimal; {within} of {} within 0.5 % of the published optimum; \
        slowest {worst:.2} s; the whole suite {total:.1} s (sum of medians).\n", rows.len(), rows.len());
    s
}

/// The tract (and open) suite's table, with the paper's times and the ratio to them.
fn tract_table(rows: &[&Measured]) -> String {
    let mut s = String::new();
    s += "Published: Validi, Buchanan & Lykhovyd (2022), Gurobi 8.1 with Lagrangian variable fixing, a workstation \
          (see `instances/hess-tracts/SOURCES.md`). Each case runs once with the time limit max(3 × the paper's time, 10 s) \
          (open cases: 600 s); ratio = our whole-process wall time ÷ the paper's time, for proven optima only.\n\n";
    s += "| state | n | k | contiguity | status | objective | published | diff % | bound | gap % | wall s | paper s | ratio | peak MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for r in rows {
        // A ratio only for a proven optimum: a run stopped at its limit has no time to compare.
        let ratio = r.case.paper_seconds.filter(|p| *p > 0.0 && r.status == "optimal").map(|p| r.median() / p);
        s += &format!("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} | {} | {} |\n", r.case.label, r.case.n, r.case.k.unwrap_or(0),
            if r.case.contiguity { "yes" } else { "no" }, r.status, f(r.objective, 2), f(r.case.published, 2), f(r.diff_percent(), 2),
            f(r.bound, 2), f(r.gap.map(|g| 100.0 * g), 4), r.median(), f(r.case.paper_seconds, 2), f(ratio, 1), f(r.peak_mb, 0));
    }
    let total: f64 = rows.iter().map(|r| r.median()).sum();
    let optimal = rows.iter().filter(|r| r.status == "optimal").count();
    let infeasible = rows.iter().filter(|r| r.status == "infeasible").count();
    let none = if infeasible > 0 { format!(", {infeasible} proven to have no districting at all (infeasible)") } else { String::new() };
    s += &format!("\n{optimal} of {} proven optimal{none}; the whole suite {total:.1} s.\n", rows.len());
    s
}

/// The ablation's table: one technique off per row.
fn ablation_table(rows: &[&Measured]) -> String {
    let mut s = String::new();
    s += "The same Hess cases with one technique off (time limit 60 s; compare with the Hess table, where all are on).\n\n";
    s += "| state | contiguity | switched off | status | objective | gap % | wall s |\n|---|---|---|---|---|---|---|\n";
    for r in rows {
        s += &format!("| {} | {} | {} | {} | {} | {} | {:.2} |\n", r.case.label, if r.case.contiguity { "yes" } else { "no" },
            r.case.off.as_deref().unwrap_or("–"), r.status, f(r.objective, 2), f(r.gap.map(|g| 100.0 * g), 4), r.median());
    }
    s
}

/// Any other suite's table.
fn plain_table(rows: &[&Measured]) -> String {
    let mut s = String::new();
    s += "| case | n | contiguity | status | objective | unit | areas | bound | gap % | median wall s | runs | peak MB |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
    for r in rows {
        s += &format!("| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2} | {} | {} |\n", r.case.label, r.case.n, if r.case.contiguity { "yes" } else { "no" },
            r.status, f(r.objective, 0), r.unit, r.areas.map(|a| a.to_string()).unwrap_or("–".into()), f(r.bound, 0),
            f(r.gap.map(|g| 100.0 * g), 4), r.median(), r.walls.len(), f(r.peak_mb, 0));
    }
    s
}

/// Put freshly rendered suite sections into an earlier report: each replaces the section of the
/// same suite, the others stay, and the sections come in the order of [`SUITES`]; the hand-written
/// notes and the sweep section (see [`carry_over`]) follow. A report without section markers (an
/// older one) keeps only its notes and sweep section.
pub fn merge(doc: &str, fresh: &[(String, String)]) -> String {
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut rest = doc;
    while let Some(a) = rest.find("<!-- suite:") {
        let name_end = rest[a..].find(" -->").map(|e| a + e);
        let Some(name_end) = name_end else { break };
        let name = rest[a + "<!-- suite:".len()..name_end].to_string();
        let close = format!("<!-- /suite:{name} -->\n");
        let Some(b) = rest[a..].find(&close).map(|e| a + e + close.len()) else { break };
        sections.push((name, rest[a..b].to_string()));
        rest = &rest[b..];
    }
    for (name, text) in fresh {
        match sections.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = text.clone(),
            None => sections.push((name.clone(), text.clone())),
        }
    }
    let rank = |n: &str| SUITES.iter().position(|s| *s == n).unwrap_or(SUITES.len());
    sections.sort_by_key(|(n, _)| rank(n));
    let mut out = String::from(HEADER);
    for (_, text) in &sections {
        out += text;
        out += "\n";
    }
    out += &carry_over(doc);
    out.trim_end_matches('\n').to_string() + "\n"
}

/// One `alue sweep` run of the throughput benchmark.
#[derive(Debug, Clone)]
pub struct SweepRun {
    /// Scenarios solved at once.
    pub jobs: usize,
    /// Scenarios solved.
    pub scenarios: usize,
    /// Wall time of the whole process, s.
    pub wall: f64,
    /// Records whose status is optimal.
    pub optimal: usize,
    /// Records that passed the validator.
    pub validated: usize,
}

/// Run `alue sweep SPEC [--shard S] --jobs J` in a fresh folder for each J and measure it.
pub fn sweep_throughput(exe: &Path, spec: &Path, shard: Option<&str>, jobs: &[usize], work: &Path) -> Result<Vec<SweepRun>> {
    let mut out = Vec::new();
    for &j in jobs {
        let dir = work.join(format!("sweep-{j}"));
        let _ = std::fs::remove_dir_all(&dir);
        let mut cmd = Command::new(exe);
        cmd.arg("sweep").arg(spec).arg("--out").arg(&dir).args(["--jobs", &j.to_string(), "--quiet"]);
        if let Some(s) = shard {
            cmd.args(["--shard", s]);
        }
        let t0 = Instant::now();
        let o = cmd.output().map_err(|e| Error::Solver(format!("cannot run {}: {e}", exe.display())))?;
        let wall = t0.elapsed().as_secs_f64();
        if !o.status.success() {
            return Err(Error::Solver(format!("alue sweep --jobs {j} failed: {}", String::from_utf8_lossy(&o.stderr))));
        }
        let recs = crate::sweep::results::read_results(&dir.join("results.jsonl"), false)?;
        out.push(SweepRun { jobs: j, scenarios: recs.len(), wall, optimal: recs.iter().filter(|r| r.status == "optimal").count(), validated: recs.iter().filter(|r| r.validated).count() });
        eprintln!("[sweep --jobs {j}] {} scenarios in {wall:.1} s", recs.len());
    }
    Ok(out)
}

/// The Markdown section of the sweep throughput benchmark.
pub fn render_sweep(runs: &[SweepRun], spec: &str, shard: Option<&str>, machine: &str) -> String {
    let mut s = String::from("<!-- sweep -->\n## Sweep throughput (`alue bench sweep`)\n\n");
    s += &format!("`alue sweep {spec}{} --jobs J` on {machine}, each a fresh folder, whole-process wall time; one HiGHS thread per scenario.\n\n",
        shard.map(|x| format!(" --shard {x}")).unwrap_or_default());
    s += "| jobs | scenarios | optimal | validated | wall s | scenarios/s | speed-up |\n|---|---|---|---|---|---|---|\n";
    let base = runs.first().map(|r| r.scenarios as f64 / r.wall).unwrap_or(1.0);
    for r in runs {
        let rate = r.scenarios as f64 / r.wall;
        s += &format!("| {} | {} | {} | {} | {:.1} | {:.2} | {:.2}× |\n", r.jobs, r.scenarios, r.optimal, r.validated, r.wall, rate, rate / base);
    }
    s += "<!-- /sweep -->\n";
    s
}

/// Put `section` (delimited by `<!-- sweep -->` … `<!-- /sweep -->`) into `doc`, replacing an
/// earlier one, or append it.
pub fn splice(doc: &str, section: &str) -> String {
    match (doc.find("<!-- sweep -->"), doc.find("<!-- /sweep -->")) {
        (Some(a), Some(b)) if b > a => format!("{}{}{}", &doc[..a], section, &doc[b + "<!-- /sweep -->\n".len().min(doc.len() - b)..]),
        _ => format!("{}\n{}", doc.trim_end_matches('\n').to_string() + "\n", section),
    }
}

/// The parts of an earlier report that a suite run does not produce and must not lose: the
/// hand-written notes (`<!-- notes -->` … `<!-- /notes -->`) and everything from the sweep section
/// (`<!-- sweep -->`) to the end, which `alue bench sweep` and the whole-sweep measurement write.
pub fn carry_over(doc: &str) -> String {
    let mut kept = String::new();
    if let (Some(a), Some(b)) = (doc.find("<!-- notes -->"), doc.find("<!-- /notes -->")) {
        if b > a {
            kept += &doc[a..b + "<!-- /notes -->".len()];
            kept += "\n\n";
        }
    }
    if let Some(a) = doc.find("<!-- sweep -->") {
        kept += &doc[a..];
    }
    kept
}

/// A line about the machine: cores and CPU model (Linux), for the report header.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let cpu = std::fs::read_to_string("/proc/cpuinfo").ok().and_then(|t| t.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split(':').nth(1)).map(|s| s.trim().to_string())).unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo").ok().and_then(|t| t.lines().next().and_then(|l| l.split_whitespace().nth(1)).and_then(|k| k.parse::<f64>().ok())).map(|kb| format!(", {:.0} GiB", kb / 1048576.0)).unwrap_or_default();
    format!("{cores} cores ({cpu}{mem})")
}

/// The repository root to find `instances/` in: the current folder if it has one, else the
/// crate's source folder (for `cargo run`).
pub fn root() -> PathBuf {
    let here = PathBuf::from(".");
    if here.join("instances/hess/published.csv").exists() {
        here
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hess_suite_has_every_state_twice_with_published_optima() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        let cases = suite("hess", &root, &std::env::temp_dir(), 1).unwrap();
        assert_eq!(cases.len(), 20);
        assert!(cases.iter().all(|c| c.published.is_some_and(|p| p > 1000.0) && c.k.is_some()));
        assert_eq!(cases.iter().filter(|c| c.contiguity).count(), 10);
        assert!(suite("nope", &root, &std::env::temp_dir(), 1).is_err());
    }

    #[test]
    fn splice_replaces_the_sweep_section() {
        let doc = "# B\n\ntext\n";
        let once = splice(doc, "<!-- sweep -->\nA\n<!-- /sweep -->\n");
        assert!(once.starts_with("# B\n\ntext\n") && once.contains("\nA\n"));
        let twice = splice(&(once.clone() + "tail\n"), "<!-- sweep -->\nB\n<!-- /sweep -->\n");
        assert!(twice.contains("\nB\n") && !twice.contains("\nA\n") && twice.ends_with("tail\n"), "{twice}");
    }

    #[test]
    fn a_suite_run_keeps_the_notes_and_the_sweep_section() {
        let doc = "# B\n\n| t |\n\n<!-- notes -->\nN1\n<!-- /notes -->\n\nmore\n<!-- sweep -->\nS\n<!-- /sweep -->\ntail\n";
        let kept = carry_over(doc);
        assert!(kept.starts_with("<!-- notes -->\nN1\n<!-- /notes -->\n\n<!-- sweep -->\nS\n"), "{kept}");
        assert!(kept.ends_with("tail\n") && !kept.contains("| t |") && !kept.contains("more"));
        assert_eq!(carry_over("# B\n| t |\n"), "");
    }

    #[test]
    fn a_suite_run_replaces_only_its_own_section() {
        let case = |suite: &str, label: &str| Case { suite: suite.into(), label: label.into(), args: vec![], n: 5, k: None, contiguity: true, published: None, repeat: 1, off: None, paper_seconds: None };
        let m = |suite: &str, label: &str, obj: f64| Measured { case: case(suite, label), status: "optimal".into(), objective: Some(obj), unit: "EUR/year".into(), bound: Some(obj), gap: Some(0.0), areas: Some(2), walls: vec![1.0], peak_mb: Some(10.0), error: None };
        let first = merge("", &render_sections(&[m("scaling", "gen A", 111.0), m("finland", "fin B", 222.0)], "test machine"));
        assert!(first.starts_with(HEADER) && first.contains("gen A") && first.contains("fin B"));
        // The suites come in the order of SUITES, whatever order they ran in.
        assert!(first.find("fin B").unwrap() < first.find("gen A").unwrap(), "{first}");
        let with_notes = first.clone() + "\n<!-- notes -->\nmy note\n<!-- /notes -->\n\n<!-- sweep -->\nS\n<!-- /sweep -->\ntail\n";
        let second = merge(&with_notes, &render_sections(&[m("scaling", "gen C", 333.0)], "test machine"));
        assert!(second.contains("gen C") && !second.contains("gen A"), "the scaling section is replaced: {second}");
        assert!(second.contains("fin B"), "the finland section stays: {second}");
        assert!(second.contains("my note") && second.ends_with("tail\n") && second.matches("<!-- suite:").count() == 2, "{second}");
        // Merging is stable: the same fresh sections give the same report.
        assert_eq!(merge(&second, &render_sections(&[m("scaling", "gen C", 333.0)], "test machine")), second);
        // An older report without markers keeps only its notes and sweep section.
        let old = merge("# Benchmarks\n\n## Old table\n| x |\n<!-- sweep -->\nS\n<!-- /sweep -->\n", &render_sections(&[m("finland", "fin D", 1.0)], "m"));
        assert!(!old.contains("Old table") && old.contains("fin D") && old.contains("<!-- sweep -->\nS\n"), "{old}");
    }

    #[test]
    fn median_of_runs() {
        let c = Case { suite: "s".into(), label: "l".into(), args: vec![], n: 1, k: None, contiguity: false, published: Some(100.0), repeat: 3, off: None, paper_seconds: None };
        let m = Measured { case: c, status: "optimal".into(), objective: Some(100.4), unit: String::new(), bound: None, gap: None, areas: None, walls: vec![3.0, 1.0, 2.0], peak_mb: None, error: None };
        assert_eq!(m.median(), 2.0);
        assert!((m.diff_percent().unwrap() - 0.4).abs() < 1e-9);
    }
}
