//! End-to-end tests of `alue sweep`, `alue merge` and `alue analyse` on the built-in Northern
//! Ostrobothnia instance: a run killed with SIGKILL half-way and resumed equals an uninterrupted
//! run (on another number of threads), shards run as separate processes and merged equal the
//! single run, every result passes the validator, and bad specs are refused before any solve.

use alue::sweep::results::{read_results, Record};
use alue::sweep::spec::Spec;
use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// 12 scenarios, each solved in about a second: 2 thresholds × 3 caseloads × 2 admin costs.
const SPEC: &str = "
description = \"test sweep\"
[set]
time_limit = 300
[[axis]]
key = \"min.labour_force\"
values = [20000, 25000]
[[axis]]
key = \"admin_cost\"
values = [400000, 600000]
[[axis]]
key = \"caseload\"
from = 120
to = 200
step = 40
";

fn alue() -> Command {
    Command::cargo_bin("alue").unwrap()
}

fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("alue")
}

fn lines_of(path: &Path) -> usize {
    std::fs::read_to_string(path).map(|t| t.lines().count()).unwrap_or(0)
}

/// The records without what is measured (solve_seconds) or path-dependent within the scenario's
/// mip_gap (HiGHS's final dual bound and the gap); both are checked separately.
fn comparable(dir: &Path) -> Vec<Record> {
    let mut v = read_results(&dir.join("results.jsonl"), false).unwrap();
    for r in &mut v {
        r.solve_seconds = 0.0;
        let (o, b) = (r.objective.unwrap(), r.bound.unwrap());
        assert!(b <= o + 1e-6 && (o - b) <= 1e-6 * o.abs() + 1e-6, "scenario {}: bound {b} not within mip_gap of {o}", r.index);
        r.bound = None;
        r.gap = None;
    }
    v
}

/// Equal records, and on a difference the first differing record in full.
fn same_records(a: &Path, b: &Path) {
    let (x, y) = (comparable(a), comparable(b));
    assert_eq!(x.len(), y.len());
    for (r, s) in x.iter().zip(&y) {
        assert_eq!(r, s, "scenario {} differs", r.index);
    }
}

/// results.csv without its solve_seconds, bound and gap columns.
fn csv_without_times(dir: &Path) -> Vec<Vec<String>> {
    let mut rd = csv::Reader::from_path(dir.join("results.csv")).unwrap();
    let h = rd.headers().unwrap().clone();
    let skip: Vec<usize> = h.iter().enumerate().filter(|(_, c)| *c == "solve_seconds" || c.starts_with("bound") || c.starts_with("gap")).map(|(k, _)| k).collect();
    assert_eq!(skip.len(), 3);
    let mut rows = vec![h.iter().map(String::from).collect::<Vec<_>>()];
    for r in rd.records() {
        let r = r.unwrap();
        rows.push(r.iter().enumerate().filter(|(k, _)| !skip.contains(k)).map(|(_, c)| c.to_string()).collect());
    }
    rows
}

fn same_analysis(a: &Path, b: &Path) {
    for f in ["partitions.csv", "pareto.csv", "cost_by_areas.csv", "hubs.csv", "coassignment.csv", "flips.csv"] {
        assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f} differs");
    }
    assert_eq!(csv_without_times(a), csv_without_times(b));
}

/// Every result re-checked by the library's validator against the scenario rebuilt from the spec.
fn validate_all(spec: &Path, dir: &Path) {
    validate_records(spec, dir, true);
}

/// The validator on every record of a folder (all of the spec's scenarios when `complete`).
fn validate_records(spec: &Path, dir: &Path, complete: bool) {
    let spec = Spec::load(spec).unwrap();
    let points = spec.points().unwrap();
    let base = alue::Instance::builtin().unwrap();
    let records = read_results(&dir.join("results.jsonl"), false).unwrap();
    if complete {
        assert_eq!(records.len(), points.len());
    }
    assert!(!records.is_empty());
    for r in &records {
        let sc = &points[r.index].scenario;
        assert_eq!(r.parameters, serde_json::to_value(sc).unwrap(), "scenario {}", r.index);
        let inst = base.for_year(sc.data_year).unwrap();
        assert_eq!(r.status, "optimal", "scenario {}", r.index);
        let hub_of: Vec<usize> = inst.units.iter().map(|u| inst.unit(&r.partition[&u.code]).unwrap()).collect();
        let v = alue::validate::validate(&inst, sc, &hub_of, None);
        assert!(v.is_feasible(), "scenario {}: {:?}", r.index, v.violations);
        assert!(alue::validate::objective_agrees(&v, r.objective.unwrap()), "scenario {}: {} vs {}", r.index, v.objective, r.objective.unwrap());
        assert!(r.validated);
        assert!(r.bound.unwrap() <= r.objective.unwrap() * (1.0 + 1e-6));
    }
}

#[test]
fn killed_resumed_sharded_and_merged_runs_equal_one_uninterrupted_run() {
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec.toml");
    std::fs::write(&spec, SPEC).unwrap();
    let whole = tmp.path().join("whole");

    // 1. Uninterrupted, two scenarios at a time.
    let out = alue().args(["sweep", spec.to_str().unwrap(), "--out", whole.to_str().unwrap(), "--jobs", "2", "--quiet"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("12 of 12 scenarios: 12 optimal"), "{text}");
    assert!(text.contains("pareto") && text.contains("flips"), "{text}");
    assert_eq!(lines_of(&whole.join("results.jsonl")), 12);
    validate_all(&spec, &whole);
    // The records are in index order with distinct keys.
    let recs = comparable(&whole);
    assert!(recs.windows(2).all(|w| w[0].index + 1 == w[1].index));
    let keys: std::collections::BTreeSet<&String> = recs.iter().map(|r| &r.key).collect();
    assert_eq!(keys.len(), 12);

    // 2. One thread, killed with SIGKILL after a few results, a torn last line added, then resumed.
    let killed = tmp.path().join("killed");
    let mut child = std::process::Command::new(bin())
        .args(["sweep", spec.to_str().unwrap(), "--out", killed.to_str().unwrap(), "--jobs", "1", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while lines_of(&killed.join("results.jsonl")) < 4 {
        assert!(t0.elapsed() < Duration::from_secs(240), "no progress");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let before = lines_of(&killed.join("results.jsonl"));
    assert!((4..12).contains(&before), "{before} lines before the kill");
    let mut f = std::fs::OpenOptions::new().append(true).open(killed.join("results.jsonl")).unwrap();
    std::io::Write::write_all(&mut f, b"{\"index\":11,\"key\":\"torn").unwrap();
    drop(f);
    let out = alue().args(["sweep", spec.to_str().unwrap(), "--out", killed.to_str().unwrap(), "--jobs", "1", "--quiet"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("solved     {} scenario(s)", 12 - before)), "{text}");
    assert!(text.contains(&format!("{before} found done")), "{text}");
    assert_eq!(lines_of(&killed.join("results.jsonl")), 12, "no duplicates, nothing missing");
    same_records(&killed, &whole);
    same_analysis(&killed, &whole);

    // 3. A second run on a finished folder solves nothing and changes nothing.
    let out = alue().args(["sweep", spec.to_str().unwrap(), "--out", killed.to_str().unwrap(), "--quiet"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("solved     0 scenario(s)"));
    assert_eq!(comparable(&killed), comparable(&whole));

    // 4. Three shards as separate processes, at the same time, then merged.
    let shards: Vec<PathBuf> = (0..3).map(|i| tmp.path().join(format!("shard{i}"))).collect();
    let children: Vec<_> = shards
        .iter()
        .enumerate()
        .map(|(i, d)| {
            std::process::Command::new(bin())
                .args(["sweep", spec.to_str().unwrap(), "--out", d.to_str().unwrap(), "--shard", &format!("{i}/3"), "--jobs", "1", "--quiet"])
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let counts: Vec<usize> = shards.iter().map(|d| lines_of(&d.join("results.jsonl"))).collect();
    assert_eq!(counts.iter().sum::<usize>(), 12, "{counts:?}");
    assert!(counts.iter().all(|&c| c < 12), "{counts:?}");
    let merged = tmp.path().join("merged");
    // An incomplete merge is refused unless --partial.
    let o = alue().args(["merge", shards[0].to_str().unwrap(), shards[1].to_str().unwrap(), "--out", merged.to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("missing"));
    let mut args = vec!["merge".to_string()];
    args.extend(shards.iter().map(|d| d.display().to_string()));
    args.extend(["--out".into(), merged.display().to_string()]);
    let o = alue().args(&args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    same_records(&merged, &whole);
    same_analysis(&merged, &whole);

    // 5. alue analyse recomputes the same analysis files.
    for f in ["partitions.csv", "flips.csv"] {
        std::fs::remove_file(merged.join(f)).unwrap();
    }
    let o = alue().args(["analyse", merged.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success());
    same_analysis(&merged, &whole);

    // 5b. alue report draws the sweep: Pareto plot, heat map of 30 × 30 (cells only where a
    // pair ever shares an area), one small map per distinct partition (all 30 units each).
    let html_path = merged.join("report.html");
    let o = alue().args(["report", merged.to_str().unwrap(), "--lang", "en"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(&html_path).unwrap();
    let partitions = csv::Reader::from_path(merged.join("partitions.csv")).unwrap().records().count();
    assert!(html.contains("id=\"pareto\"") && html.contains("id=\"coassignment\""));
    assert_eq!(html.matches("<figure class=\"partition\"").count(), partitions.min(alue::report::sweep::MAX_PARTITION_MAPS));
    assert_eq!(html.matches("<path class=\"unit\"").count(), 30 * partitions.min(alue::report::sweep::MAX_PARTITION_MAPS));
    let front = csv::Reader::from_path(merged.join("pareto.csv")).unwrap().records().count();
    assert_eq!(html.matches("<circle class=\"front\"").count(), front);

    // 6. Another spec into a used folder, and shards of different specs, are refused.
    let other = tmp.path().join("other.toml");
    std::fs::write(&other, SPEC.replace("[20000, 25000]", "[20000, 30000]")).unwrap();
    let o = alue().args(["sweep", other.to_str().unwrap(), "--out", whole.to_str().unwrap(), "--quiet"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("another sweep"), "{}", String::from_utf8_lossy(&o.stderr));
    let o2 = tmp.path().join("o2");
    let o = alue().args(["sweep", other.to_str().unwrap(), "--out", o2.to_str().unwrap(), "--shard", "0/6", "--quiet"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = alue().args(["merge", whole.to_str().unwrap(), o2.to_str().unwrap(), "--out", tmp.path().join("m2").to_str().unwrap(), "--partial"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("different sweep"), "{}", String::from_utf8_lossy(&o.stderr));
}

/// Run `alue sweep` on a spec text; expect exit 2 with every fragment in the message and no output folder.
fn refused(spec: &str, expect: &[&str]) {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("bad.toml");
    std::fs::write(&f, spec).unwrap();
    let out = tmp.path().join("out");
    let o = alue().args(["sweep", f.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for e in expect {
        assert!(err.contains(e), "expected `{e}` in: {err}");
    }
    assert!(!out.exists(), "nothing is written for a refused spec");
}

#[test]
fn unknown_parameter_is_refused_with_file_and_line() {
    refused("[[axis]]\nkey = \"caseload\"\nvalues = [100]\n\n[[axis]]\nkey = \"casload\"\nvalues = [1, 2]\n", &["bad.toml:5", "casload", "unknown parameter"]);
}

#[test]
fn empty_and_reversed_ranges_are_refused() {
    refused("[[axis]]\nkey = \"caseload\"\nvalues = []\n", &["bad.toml:1", "no values"]);
    refused("[[axis]]\nkey = \"min.labour_force\"\nfrom = 30000\nto = 15000\nstep = 5000\n", &["bad.toml:1", "reversed range"]);
}

#[test]
fn wrong_type_is_refused() {
    refused("[[axis]]\nkey = \"contiguity\"\nvalues = [true, 3]\n", &["bad.toml:1", "contiguity", "value `3`"]);
    refused("[[axis]]\nkey = \"hubs_allowed\"\nvalues = [[\"564\", \"999\"]]\n", &["bad.toml", "999"]);
}

#[test]
fn a_sweep_whose_every_scenario_is_infeasible_is_refused_before_solving() {
    refused(
        "[[axis]]\nkey = \"min.labour_force\"\nvalues = [200000, 300000]\n",
        &["every one of the 2 scenarios", "labour_force", "200 000"],
    );
}

#[test]
fn some_infeasible_scenarios_are_results_with_their_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("s.toml");
    // 200 000 exceeds the region's labour force of 189 174; 100 000 leaves one area.
    std::fs::write(&f, "[[axis]]\nkey = \"min.labour_force\"\nvalues = [100000, 200000]\n").unwrap();
    let out = tmp.path().join("out");
    let o = alue().args(["sweep", f.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = read_results(&out.join("results.jsonl"), false).unwrap();
    assert_eq!(r.len(), 2);
    assert_eq!(r[1].status, "infeasible");
    assert!(r[1].message.as_deref().unwrap().contains("200 000"), "{:?}", r[1].message);
    assert!(r[1].partition.is_empty() && r[1].objective.is_none());
    assert_eq!(r[0].number_of_areas, Some(1));
}

/// Re-validate a finished sweep folder by hand, e.g. the 1 000-scenario run:
/// `ALUE_SPEC=instances/sweeps/reform-1000.toml ALUE_SWEEP_DIR=/tmp/A cargo test --release --test sweep -- --ignored`
#[test]
#[ignore]
fn validate_a_sweep_folder() {
    let spec = std::env::var("ALUE_SPEC").expect("set ALUE_SPEC");
    let dir = std::env::var("ALUE_SWEEP_DIR").expect("set ALUE_SWEEP_DIR");
    validate_records(Path::new(&spec), Path::new(&dir), false);
}
