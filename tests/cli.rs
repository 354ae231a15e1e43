//! End-to-end tests of the `alue` command: bad input (one test per case: message names file,
//! line and field; exit code 2; no output file) and the documented outputs of solve and evaluate.

use assert_cmd::Command;
use std::path::Path;

const UNITS: &str = "code,name,population,labour_force,jobseekers,lat,lon
a,A,30000,14000,900,64.0,25.0
b,B,20000,9000,800,64.0,25.6
c,C,25000,12000,1000,64.3,25.0
d,D,15000,7000,500,64.3,25.6
";
const ADJ: &str = "code_a,code_b\na,b\na,c\nb,d\nc,d\n";

fn alue() -> Command {
    Command::cargo_bin("alue").unwrap()
}

/// Write an instance folder with the given files; returns the temp dir holding `inst/` and `out/`.
fn instance(units: &str, adj: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("inst");
    std::fs::create_dir(&inst).unwrap();
    std::fs::write(inst.join("units.csv"), units).unwrap();
    std::fs::write(inst.join("adjacency.csv"), adj).unwrap();
    dir
}

/// Run solve on a broken instance and check exit code 2, the message parts, and no output.
fn rejects(units: &str, adj: &str, extra: &[&str], expect: &[&str]) {
    let dir = instance(units, adj);
    let out = dir.path().join("out");
    let mut cmd = alue();
    cmd.arg("solve").arg(dir.path().join("inst")).arg("--out").arg(&out).args(extra);
    let o = cmd.output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    for e in expect {
        assert!(err.contains(e), "expected `{e}` in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(), "output written despite the error");
}

#[test]
fn the_good_instance_solves() {
    let dir = instance(UNITS, ADJ);
    let out = dir.path().join("out");
    alue().arg("solve").arg(dir.path().join("inst")).arg("--out").arg(&out).assert().success();
    assert!(out.join("solution.json").exists());
}

#[test]
fn missing_column() {
    rejects(&UNITS.replace(",jobseekers", ",jobs"), ADJ, &[], &["units.csv:1", "jobseekers", "missing"]);
}

#[test]
fn duplicate_code() {
    rejects(&UNITS.replace("b,B,", "a,B,"), ADJ, &[], &["units.csv:3", "code", "duplicate"]);
}

#[test]
fn adjacency_names_unknown_code() {
    rejects(UNITS, "code_a,code_b\na,b\na,zz\n", &[], &["adjacency.csv:3", "code_b", "zz"]);
}

#[test]
fn negative_value() {
    rejects(&UNITS.replace("9000", "-9000"), ADJ, &[], &["units.csv:3", "labour_force", "negative"]);
}

#[test]
fn non_numeric_value() {
    rejects(&UNITS.replace("25000", "many"), ADJ, &[], &["units.csv:4", "population", "not a number"]);
}

#[test]
fn nan_coordinate() {
    rejects(&UNITS.replace("64.3,25.6", "NaN,25.6"), ADJ, &[], &["units.csv:5", "lat", "finite"]);
}

#[test]
fn out_of_range_coordinate() {
    rejects(&UNITS.replace("64.3,25.6", "64.3,250.6"), ADJ, &[], &["units.csv:5", "lon", "outside"]);
}

#[test]
fn empty_file() {
    rejects("", ADJ, &[], &["units.csv", "empty"]);
}

#[test]
fn unknown_set_key() {
    rejects(UNITS, ADJ, &["--set", "caseloda=120"], &["--set caseloda=120", "caseloda", "unknown parameter"]);
}

#[test]
fn bad_set_value() {
    rejects(UNITS, ADJ, &["--set", "caseload=lots"], &["--set caseload=lots", "caseload", "expected a number"]);
}

#[test]
fn bad_scenario_file_value() {
    let dir = instance(UNITS, ADJ);
    let f = dir.path().join("s.toml");
    std::fs::write(&f, "caseload = 120\ncontiguity = \"maybe\"\n").unwrap();
    let o = alue().arg("solve").arg(dir.path().join("inst")).arg("--scenario").arg(&f).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("s.toml:2") && err.contains("contiguity"), "{err}");
}

#[test]
fn threshold_nobody_can_meet() {
    rejects(UNITS, ADJ, &["--set", "min.labour_force=50000"], &["infeasible", "labour_force", "42 000", "50 000", "min.labour_force"]);
}

#[test]
fn units_cut_off_from_every_hub_are_named() {
    // Only a may be a hub, and c and d are more than 40 km (× detour) from it.
    rejects(UNITS, ADJ, &["--set", "min.labour_force=10000", "--set", "hubs_allowed=a", "--set", "max_distance_km=40"], &["no hub can serve", "C + D"]);
}

#[test]
fn default_solve_writes_validated_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = alue().current_dir(dir.path()).arg("solve").arg("--out").arg(&out).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout.contains("status     optimal") && stdout.contains("validated"), "{stdout}");
    let sol: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("solution.json")).unwrap()).unwrap();
    assert_eq!(sol["status"], "optimal");
    assert_eq!(sol["validated"], true);
    for k in ["objective", "bound", "gap", "solve_seconds"] {
        assert!(sol[k].is_number(), "{k}");
    }
    let t = &sol["terms"];
    let obj = sol["objective"].as_f64().unwrap();
    let sum = t["travel"].as_f64().unwrap() + t["equalisation"].as_f64().unwrap();
    assert!((obj - sum).abs() < 1e-6 * obj, "objective {obj} ≠ travel + equalisation {sum}");
    assert!(sol["gap"].as_f64().unwrap() <= 1e-6);
    // Every area meets the labour-force threshold.
    for a in sol["areas"].as_array().unwrap() {
        assert!(a["labour_force"].as_f64().unwrap() >= 20_000.0);
    }
    // Per municipality: the net payments add up to Σ C(j) − Σ funding.
    let mut rdr = csv::Reader::from_path(out.join("municipalities.csv")).unwrap();
    let headers = rdr.headers().unwrap().clone();
    for c in ["code", "name", "hub", "area", "funding_eur_per_year", "cost_share_eur_per_year", "net_payment_eur_per_year"] {
        assert!(headers.iter().any(|h| h == c), "municipalities.csv lacks {c}");
    }
    let col = |n: &str| headers.iter().position(|h| h == n).unwrap();
    let (mut net, mut funding, mut rows) = (0.0, 0.0, 0);
    for r in rdr.records() {
        let r = r.unwrap();
        net += r[col("net_payment_eur_per_year")].parse::<f64>().unwrap();
        funding += r[col("funding_eur_per_year")].parse::<f64>().unwrap();
        rows += 1;
    }
    assert_eq!(rows, 30);
    let production = t["production"].as_f64().unwrap();
    assert!((net - (production - funding)).abs() < 1.0, "net {net} vs {production} − {funding}");
    let gj: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("areas.geojson")).unwrap()).unwrap();
    assert_eq!(gj["features"].as_array().unwrap().len(), sol["areas"].as_array().unwrap().len());
    assert!(Path::new(&out.join("areas.csv")).exists());
}

#[test]
fn evaluate_the_real_partition_with_kainuu() {
    let o = alue().arg("evaluate").arg("instances/pohjois-pohjanmaa-kainuu").arg("--partition").arg("instances/pohjois-pohjanmaa-kainuu/partition-2025.csv").output().unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(s.contains("status     feasible"), "{s}");
    assert!(s.contains("scenario optimum") && s.contains("more ("), "{s}");
}

#[test]
fn evaluate_names_violations_of_the_region_only_partition() {
    // Without Kainuu, Kuusamo + Taivalkoski fall short of 20 000.
    let o = alue().arg("evaluate").arg("--no-compare").output().unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert!(s.contains("status     infeasible") && s.contains("thresholds") && s.contains("Kuusamo") && s.contains("8086"), "{s}");
}

#[test]
fn infeasibility_proven_by_highs_is_reported() {
    // Two areas of ≥ 20 000: only {a,d} + {b,c} balance, and a–d do not border each other.
    let dir = instance(UNITS, ADJ);
    let out = dir.path().join("out");
    let o = alue().arg("solve").arg(dir.path().join("inst")).args(["--set", "areas=2", "--out"]).arg(&out).output().unwrap();
    let s = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(3), "{s}");
    assert!(s.contains("status     infeasible") && s.contains("HiGHS proved"), "{s}");
    let sol: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("solution.json")).unwrap()).unwrap();
    assert_eq!(sol["status"], "infeasible");
    // Without contiguity the same scenario is feasible.
    alue().arg("solve").arg(dir.path().join("inst")).args(["--set", "areas=2", "--set", "contiguity=false"]).assert().success();
}

// Regression tests for what the mutation fuzzing (tests/fuzz.rs) found.

#[test]
fn a_huge_scenario_number_is_refused_not_a_panic() {
    // caseload = 1e308 panicked in good_lp; admin_cost = 1e308 made the objective infinite.
    for set in ["caseload=1e308", "admin_cost=1e308", "speed=1e-300", "distance_exponent=100"] {
        rejects(UNITS, ADJ, &["--set", set], &[set.split('=').next().unwrap()]);
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), "caseload = 149\nadmin_cost = 1e308\n").unwrap();
    let o = alue().arg("solve").arg("--scenario").arg(dir.path().join("s.toml")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("s.toml:2") && err.contains("admin_cost") && err.contains("1e12"), "{err}");
}

#[test]
fn a_scenario_read_back_from_solution_json_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let run = dir.path().join("run");
    alue().arg("solve").args(["--out"]).arg(&run).assert().success();
    let path = run.join("solution.json");
    let mut doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    doc["scenario"]["admin_cost"] = serde_json::json!(1e308);
    std::fs::write(&path, serde_json::to_string(&doc).unwrap()).unwrap();
    let html = dir.path().join("r.html");
    let o = alue().arg("report").arg(&run).arg("--out").arg(&html).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("solution.json") && err.contains("admin_cost"), "{err}");
    assert!(!html.exists());
}

#[test]
fn errors_found_after_parsing_name_the_file_they_came_from() {
    // An unknown hub code in a scenario file: the file and line of the key.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), "caseload = 149\nhubs_forbidden = [\"nope\"]\n").unwrap();
    let o = alue().arg("solve").arg("--scenario").arg(dir.path().join("s.toml")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("s.toml:2") && err.contains("hubs_forbidden") && err.contains("nope"), "{err}");
    // A code the adjacency names but units.csv lacks: both files.
    rejects(&UNITS.replace("d,D,15000,7000,500,64.3,25.6\n", ""), ADJ, &[], &["adjacency.csv", "units.csv", "`d`"]);
    // An infeasibility that a dropped border causes names the adjacency it rests on.
    rejects(UNITS, "code_a,code_b\na,b\na,c\nb,c\n", &["--set", "min.labour_force=13000"], &["infeasible", "adjacency.csv"]);
    // A value no real unit has.
    rejects(&UNITS.replace("30000,14000", "1e300,14000"), ADJ, &[], &["units.csv:2", "population", "above"]);
}

#[test]
fn latin1_and_utf16_units_files() {
    // UTF-16 with a BOM (Excel's "Unicode text") is read; Latin-1 is refused with line and column.
    let utf16: Vec<u8> = [0xff, 0xfe].into_iter().chain(UNITS.replace("A,30000", "Ä,30000").encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let dir = instance("", ADJ);
    std::fs::write(dir.path().join("inst/units.csv"), &utf16).unwrap();
    alue().arg("solve").arg(dir.path().join("inst")).args(["--set", "min.labour_force=10000"]).assert().success();
    let latin1: Vec<u8> = UNITS.replace("A,30000", "\u{c4},30000").chars().map(|c| c as u32 as u8).collect();
    std::fs::write(dir.path().join("inst/units.csv"), &latin1).unwrap();
    let o = alue().arg("solve").arg(dir.path().join("inst")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("units.csv:2") && err.contains("not UTF-8") && err.contains("0xC4"), "{err}");
}

/// Every switch `alue solve` offers for measurements takes another way through the solve (no
/// Lagrangian phase, whole units throughout its ascent, no probing, no location–allocation, the
/// flow formulation, …); each must prove the same optimum as the default, with and without
/// contiguity, on a generated instance.
#[test]
fn measurement_switches_prove_the_same_optimum() {
    let dir = tempfile::tempdir().unwrap();
    let inst = dir.path().join("g");
    alue().args(["generate", "--n", "36", "--seed", "11", "--out"]).arg(&inst).assert().success();
    let solve = |contiguity: bool, extra: &[&str], tag: &str| -> f64 {
        let out = dir.path().join(format!("out-{contiguity}-{tag}"));
        let c = format!("contiguity={contiguity}");
        alue().arg("solve").arg(&inst).args(["--preset", "hess", "--set", "areas=3", "--set", &c, "--quiet", "--out"]).arg(&out).args(extra).assert().success();
        let s: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("solution.json")).unwrap()).unwrap();
        assert_eq!(s["status"], "optimal", "{extra:?} contiguity {contiguity}");
        assert_eq!(s["validated"], true, "{extra:?} contiguity {contiguity}");
        s["objective"].as_f64().unwrap()
    };
    let switches: [&[&str]; 10] = [&["--no-lagrange"], &["--lagrange-whole-units"], &["--no-probing"], &["--no-allocation"], &["--no-cost-fixing"], &["--no-shrink"], &["--no-set-columns"], &["--no-heuristic"], &["--contiguity-model", "flow"], &["--contiguity-model", "cuts"]];
    for contiguity in [false, true] {
        let reference = solve(contiguity, &[], "default");
        for (k, sw) in switches.iter().enumerate() {
            let got = solve(contiguity, sw, &k.to_string());
            assert!((got - reference).abs() <= 1e-6 * reference.abs().max(1.0), "{sw:?} contiguity {contiguity}: {got} against {reference}");
        }
    }
}
