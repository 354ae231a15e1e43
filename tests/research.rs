//! Research mode: the Hess US county instances, the hess preset, export, generate.

mod common;

use alue::solve::SolveOptions;
use alue::{Instance, Problem, Scenario, Status};
use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// (state, file, n, k, L, U, optimum, optimum contiguous) from instances/hess/published.csv.
fn published() -> Vec<(String, String, usize, usize, f64, f64, f64, f64)> {
    let mut r = csv::Reader::from_path(root().join("instances/hess/published.csv")).unwrap();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            let f = |c: usize| x[c].parse::<f64>().unwrap();
            (x[0].to_string(), x[1].to_string(), f(2) as usize, f(3) as usize, f(4), f(5), f(6), f(8))
        })
        .collect()
}

fn hess(k: usize, contiguity: bool) -> Scenario {
    let mut sc = Scenario::preset("hess").unwrap();
    sc.set_arg(&format!("areas={k}")).unwrap();
    sc.set_arg(&format!("contiguity={contiguity}")).unwrap();
    sc
}

#[test]
fn every_state_loads_with_the_published_size_and_population_window() {
    for (state, file, n, k, lo, hi, _, _) in published() {
        let inst = Instance::load(Some(&root().join("instances/hess").join(&file))).unwrap();
        assert_eq!(inst.n(), n, "{state}");
        assert!(!inst.employment);
        let sc = hess(k, true);
        let p = Problem::new(&inst, &sc).unwrap();
        let t = p.thresholds.iter().find(|t| t.name == "population").unwrap();
        // MODEL.md's window in exact integer arithmetic: ⌈995·P/(1000k)⌉ and ⌊1005·P/(1000k)⌋.
        let pop: u64 = inst.units.iter().map(|u| u.values[0] as u64).sum();
        let d = 1000 * k as u64;
        let (l, u) = ((995 * pop).div_ceil(d) as f64, (1005 * pop / d) as f64);
        assert_eq!((t.min, t.max), (l, u), "{state}: L and U must be ⌈0.995·P/k⌉ and ⌊1.005·P/k⌋");
        // The published table agrees to one person (WV's U is 620 753 there, ⌊620 752.99⌋ here).
        assert!((l - lo).abs() <= 1.0 && (u - hi).abs() <= 1.0, "{state}: ({l}, {u}) vs published ({lo}, {hi})");
        assert_eq!(p.thresholds.len(), 1, "{state}: the hess preset has no labour-force threshold");
    }
}

/// Haversine written out here (R = 6371.0088 km), independent of the library's geo call.
fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2) + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().asin()
}

#[test]
fn new_mexico_is_solved_to_optimality_near_the_published_optimum() {
    let (_, file, _, k, lo, hi, opt, opt_c) = published().into_iter().find(|r| r.0 == "NM").unwrap();
    let inst = Instance::load(Some(&root().join("instances/hess").join(file))).unwrap();
    for (contiguity, reference) in [(false, opt), (true, opt_c)] {
        let sc = hess(k, contiguity);
        let p = Problem::new(&inst, &sc).unwrap();
        let r = alue::run_solve(&p, &SolveOptions::default()).unwrap();
        assert_eq!(r.status, Status::Optimal);
        let ev = r.evaluation.unwrap();
        assert_eq!(ev.areas.len(), k);
        // Recompute the Hess objective from the raw data: Σ population·round(km)²·10⁻⁶.
        let c = |i: usize| (inst.units[i].lat, inst.units[i].lon);
        let mine: f64 = (0..inst.n()).map(|i| inst.units[i].values[0] * km(c(i), c(ev.hub_of[i])).round().powi(2) * 1e-6).sum();
        assert!((mine - ev.objective).abs() < 1e-6 * mine, "{mine} vs {}", ev.objective);
        for a in &ev.areas {
            assert!(a.population >= lo && a.population <= hi, "area population {} outside [{lo}, {hi}]", a.population);
        }
        let diff = (ev.objective - reference) / reference;
        assert!(diff.abs() <= 0.005, "contiguity={contiguity}: {} vs published {reference} ({:.3} %)", ev.objective, 100.0 * diff);
        assert!(r.validation.unwrap().is_feasible());
    }
}

/// Maine in 2 contiguous areas, where contiguity nearly doubles the optimum: the enumeration of
/// feasible areas and the MIP with separator cuts (hub probing, location–allocation) are two
/// independent searches; they agree, and are within 0.5 % of the published optimum.
#[test]
fn maine_by_enumeration_and_by_the_mip_agree() {
    let (_, file, _, k, _, _, _, opt_c) = published().into_iter().find(|r| r.0 == "ME").unwrap();
    let inst = Instance::load(Some(&root().join("instances/hess").join(file))).unwrap();
    let sc = hess(k, true);
    let p = Problem::new(&inst, &sc).unwrap();
    let by_enumeration = alue::solve::solve(&p, &SolveOptions::default()).unwrap();
    assert!(by_enumeration.highs_status.contains("enumerated areas"), "{}", by_enumeration.highs_status);
    let by_mip = alue::solve::solve(&p, &SolveOptions { enumeration: false, ..Default::default() }).unwrap();
    assert!(by_mip.cuts > 0, "the MIP path should have needed contiguity cuts");
    for o in [&by_enumeration, &by_mip] {
        assert_eq!(o.status, Status::Optimal);
        let v = alue::validate::validate(&inst, &sc, o.hub_of.as_ref().unwrap(), None);
        assert!(v.is_feasible());
        assert!((v.objective - opt_c).abs() <= 0.005 * opt_c, "{} vs published {opt_c}", v.objective);
    }
    let (a, b) = (by_enumeration.objective.unwrap(), by_mip.objective.unwrap());
    assert!((a - b).abs() <= 1e-6 * b, "enumeration {a} vs MIP {b}");
}

#[test]
fn contiguity_can_make_a_state_infeasible_and_says_so() {
    // Maine in 4 areas: a partition exists without contiguity, none with it.
    let out = Command::cargo_bin("alue").unwrap()
        .args(["solve", root().join("instances/hess/county23.json").to_str().unwrap(), "--preset", "hess", "--set", "areas=4"])
        .assert().code(3);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("status     infeasible") && text.contains("population") && text.contains("contiguity true"), "{text}");
    let out = Command::cargo_bin("alue").unwrap()
        .args(["solve", root().join("instances/hess/county23.json").to_str().unwrap(), "--preset", "hess", "--set", "areas=4", "--set", "contiguity=false"])
        .assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("status     optimal"));
}

#[test]
fn a_graph_without_the_preset_or_with_bad_json_is_refused_clearly() {
    let f = root().join("instances/hess/county35.json");
    let out = Command::cargo_bin("alue").unwrap().args(["solve", f.to_str().unwrap()]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("--preset hess"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\"nodes\": [\n {\"id\": 0, \"TOTPOP\": 5, \"C_X\": -100, \"C_Y\": 40},\n ]}").unwrap();
    let out = Command::cargo_bin("alue").unwrap().args(["solve", bad.to_str().unwrap(), "--preset", "hess", "--set", "areas=1", "--out"]).arg(dir.path().join("o")).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("bad.json:3"), "{err}");
    assert!(!dir.path().join("o").exists(), "no output on bad input");
    let out = Command::cargo_bin("alue").unwrap().args(["solve", f.to_str().unwrap(), "--preset", "hess"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("areas=K"));
}

/// Solve an MPS/LP file with HiGHS directly (no alue code involved) and return the objective.
fn highs_objective(path: &Path) -> f64 {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    unsafe {
        let h = highs_sys::Highs_create();
        highs_sys::Highs_setBoolOptionValue(h, c"output_flag".as_ptr(), 0);
        highs_sys::Highs_setIntOptionValue(h, c"threads".as_ptr(), 1);
        assert_ne!(highs_sys::Highs_readModel(h, c.as_ptr()), highs_sys::STATUS_ERROR);
        assert_ne!(highs_sys::Highs_run(h), highs_sys::STATUS_ERROR);
        assert_eq!(highs_sys::Highs_getModelStatus(h), highs_sys::MODEL_STATUS_OPTIMAL);
        let v = highs_sys::Highs_getObjectiveValue(h);
        highs_sys::Highs_destroy(h);
        v
    }
}

#[test]
fn exported_models_solve_to_the_same_optimum_in_plain_highs() {
    let dir = tempfile::tempdir().unwrap();
    let inst = common::grid(3, 4, 11);
    for (contiguity, format) in [(true, alue::export::Format::Mps), (false, alue::export::Format::Lp)] {
        let mut sc = Scenario::default();
        sc.set_arg("min.labour_force=15000").unwrap();
        sc.set_arg(&format!("contiguity={contiguity}")).unwrap();
        let p = Problem::new(&inst, &sc).unwrap();
        let path = dir.path().join(format!("m.{}", format.extension()));
        alue::export::export(&p, format, &path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("x_u00_"), "columns are named");
        let ours = alue::run_solve(&p, &SolveOptions::default()).unwrap();
        assert_eq!(ours.status, Status::Optimal);
        let theirs = highs_objective(&path);
        let o = ours.evaluation.unwrap().objective;
        assert!((o - theirs).abs() <= 1e-5 * o.abs().max(1.0), "contiguity={contiguity}: alue {o} vs exported model {theirs}");
    }
}

#[test]
fn generated_instances_load_and_solve_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("g");
    Command::cargo_bin("alue").unwrap().args(["generate", "--n", "25", "--seed", "3", "--out"]).arg(&d).assert().success();
    let inst = Instance::load(Some(&d)).unwrap();
    assert_eq!(inst.n(), 25);
    // Delaunay adjacency of points in general position is connected.
    let nb = alue::instance::adjacency::neighbours(25, &inst.edges, true);
    assert_eq!(alue::instance::adjacency::components(&nb, &(0..25).collect::<Vec<_>>()).len(), 1);
    let out = Command::cargo_bin("alue").unwrap().args(["solve"]).arg(&d).args(["--set", "min.labour_force=10000", "--out"]).arg(dir.path().join("o")).assert().success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("validated"));
    let sol: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/solution.json")).unwrap()).unwrap();
    assert_eq!(sol["status"], "optimal");
    assert!(sol["solver"]["peak_rss_mb"].as_f64().unwrap() > 1.0);
}

/// A small disconnected graph: three islands of four units (equal populations, so each of the two
/// areas must hold six units, and so span two islands). The hess preset joins the islands by their
/// closest pairs (connect_components); the exported MPS carries the joined edges and plain HiGHS
/// solves it to alue's optimum; solution.json and the terminal name the added edges.
#[test]
fn islands_are_joined_and_the_export_carries_the_joined_edges() {
    let dir = tempfile::tempdir().unwrap();
    let mut nodes = Vec::new();
    let mut adjacency = Vec::new();
    for island in 0..3 {
        for k in 0..4 {
            let id = island * 4 + k;
            let (x, y) = (-100.0 + 0.5 * island as f64 + 0.02 * (k % 2) as f64, 40.0 + 0.02 * (k / 2) as f64 + 0.003 * island as f64);
            nodes.push(serde_json::json!({"id": id, "TOTPOP": 1000, "C_X": x, "C_Y": y, "GEOID10": format!("u{id:02}")}));
            let nb: Vec<serde_json::Value> = (0..4).filter(|&m| m != k && (m % 2 == k % 2 || m / 2 == k / 2)).map(|m| serde_json::json!({"id": island * 4 + m})).collect();
            adjacency.push(serde_json::Value::from(nb));
        }
    }
    let g = dir.path().join("islands.json");
    std::fs::write(&g, serde_json::json!({"directed": false, "multigraph": false, "graph": [], "nodes": nodes, "adjacency": adjacency}).to_string()).unwrap();
    let inst = Instance::load(Some(&g)).unwrap();
    let mut sc = Scenario::preset("hess").unwrap();
    sc.set_arg("areas=2").unwrap();
    assert!(sc.connect_components);
    let joined = sc.instance(&inst).unwrap().into_owned();
    // Two edges, each the closest pair of whole km between two islands.
    let island = |i: usize| i / 4;
    assert_eq!(joined.joined.len(), 2, "{:?}", joined.joined);
    let km = |i: usize, j: usize| alue::instance::distance::great_circle_km(inst.units[i].lat, inst.units[i].lon, inst.units[j].lat, inst.units[j].lon).round();
    for &(a, b, d) in &joined.joined {
        assert_ne!(island(a), island(b));
        let closest = (0..12).flat_map(|i| (0..12).map(move |j| (i, j))).filter(|&(i, j)| island(i) == island(a) && island(j) == island(b)).map(|(i, j)| km(i, j)).fold(f64::INFINITY, f64::min);
        assert_eq!(d, closest, "({a}, {b}) is not a closest pair of its islands");
    }
    assert!(joined.joined.iter().any(|&(a, b, _)| island(a).min(island(b)) == 0 && island(a).max(island(b)) == 1));
    assert!(joined.joined.iter().any(|&(a, b, _)| island(a).min(island(b)) == 1 && island(a).max(island(b)) == 2), "the islands 0–2 are the farthest apart");
    let p = Problem::new(&joined, &sc).unwrap();
    let ours = alue::run_solve(&p, &SolveOptions::default()).unwrap();
    assert_eq!(ours.status, Status::Optimal);
    // Without the join the islands cannot be split into two contiguous areas of six.
    let mut off = sc.clone();
    off.set_arg("connect_components=false").unwrap();
    let alone = off.instance(&inst).unwrap().into_owned();
    assert!(alone.joined.is_empty());
    assert!(alue::run_solve(&Problem::new(&alone, &off).unwrap(), &SolveOptions::default()).map_or(true, |r| r.status == Status::Infeasible));
    // The CLI: export, terminal and solution.json.
    let mps = dir.path().join("m.mps");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_alue")).args(["export", g.to_str().unwrap(), "--preset", "hess", "--set", "areas=2", "--format", "mps", "--file", mps.to_str().unwrap()]).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(&mps).unwrap();
    for &(a, b, _) in &joined.joined {
        let (ca, cb) = (&inst.units[a].code, &inst.units[b].code);
        assert!(text.contains(&format!("_{ca}_{cb}")) || text.contains(&format!("_{cb}_{ca}")), "no flow column on the joined edge {ca}–{cb}");
    }
    let theirs = highs_objective(&mps);
    let o = ours.evaluation.unwrap().objective;
    assert!((o - theirs).abs() <= 1e-5 * o.abs().max(1.0), "alue {o} vs exported model {theirs}");
    let out = dir.path().join("out");
    let r = std::process::Command::new(env!("CARGO_BIN_EXE_alue")).args(["solve", g.to_str().unwrap(), "--preset", "hess", "--set", "areas=2", "--out", out.to_str().unwrap()]).output().unwrap();
    let terminal = String::from_utf8_lossy(&r.stdout);
    assert!(terminal.contains("joined     2 edge(s)"), "{terminal}");
    let sol: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("solution.json")).unwrap()).unwrap();
    assert_eq!(sol["joined_edges"].as_array().unwrap().len(), 2);
    assert_eq!(sol["status"], "optimal");
    assert!((sol["objective"].as_f64().unwrap() - o).abs() <= 1e-9 * o.abs());
}

/// Rhode Island's tracts (244 units, two islands joined by the paper's convention) with and without
/// contiguity, end to end through the CLI: proven optimal, validated, within 0.5 % of the published
/// optimum, with the Lagrangian phase reported in solution.json (a bound no higher than the
/// objective, most pairs fixed) and its line on the terminal.
#[test]
fn rhode_island_tracts_are_proven_optimal_through_the_lagrangian_phase() {
    let dir = tempfile::tempdir().unwrap();
    let file = root().join("instances/hess-tracts/tract44.json");
    let mut r = csv::Reader::from_path(root().join("instances/hess-tracts/published.csv")).unwrap();
    let headers = r.headers().unwrap().clone();
    let row = r.records().map(|x| x.unwrap()).find(|x| &x[0] == "RI").unwrap();
    let col = |name: &str| row[headers.iter().position(|h| h == name).unwrap()].parse::<f64>().unwrap();
    for (contiguity, published) in [(false, col("optimum_no_contiguity")), (true, col("optimum_contiguous"))] {
        let out = dir.path().join(format!("ri-{contiguity}"));
        let run = Command::cargo_bin("alue")
            .unwrap()
            .args(["solve", file.to_str().unwrap(), "--preset", "hess", "--set", "areas=2", "--set"])
            .arg(format!("contiguity={contiguity}"))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&run.get_output().stdout).to_string();
        assert!(stdout.contains("dual       Lagrangian bound"), "{stdout}");
        let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("solution.json")).unwrap()).unwrap();
        assert_eq!(doc["status"], "optimal", "contiguity={contiguity}");
        assert_eq!(doc["validated"], true);
        let obj = doc["objective"].as_f64().unwrap();
        assert!((obj - published).abs() <= 0.005 * published, "contiguity={contiguity}: {obj} against the published {published}");
        let lr = &doc["solver"]["lagrangian"];
        let bound = lr["bound"].as_f64().unwrap();
        assert!(bound <= obj * (1.0 + 1e-9), "Lagrangian bound {bound} above the optimum {obj}");
        assert!(bound >= 0.99 * obj, "Lagrangian bound {bound} is far below the optimum {obj}");
        let (fixed, before) = (lr["fixed_pairs"].as_u64().unwrap(), lr["pairs_before"].as_u64().unwrap());
        assert!(fixed * 10 >= before * 9, "only {fixed} of {before} pairs fixed");
        assert!(doc["solver"]["bound_source"].is_string());
    }
}
