//! `alue serve` over HTTP, as a script or the page drives it: the figures equal the library's
//! and the CLI's, bad requests get the right status and leave the workspace alone, a token guards
//! a non-loopback bind, it answers under load, queues and cancels solves, and a `kill -9` during a
//! save never leaves a torn plan.

mod common;

use alue::solution::PartitionFile;
use alue::{Instance, Problem, Scenario};
use common::server::{snapshot, start_plan, Server};
use reqwest::blocking::Client;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

fn post(c: &Client, url: &str, body: &Value) -> (u16, Value) {
    let r = c.post(url).json(body).send().unwrap();
    let status = r.status().as_u16();
    (status, r.json().unwrap_or(Value::Null))
}

fn raw(c: &Client, method: reqwest::Method, url: &str, body: Vec<u8>) -> (u16, Value) {
    let r = c.request(method, url).header("content-type", "application/json").body(body).send().unwrap();
    let status = r.status().as_u16();
    (status, r.json().unwrap_or(Value::Null))
}

/// The plan with `unit` moved into the area served from `hub`.
fn moved(plan: &Value, unit: &str, hub: &str) -> Value {
    let mut p = plan.clone();
    p["assignment"][unit] = json!(hub);
    p
}

/// A plan's partition as the library reads it.
fn partition(inst: &Instance, plan: &Value) -> PartitionFile {
    let mut hub_of = vec![0; inst.n()];
    for (code, hub) in plan["assignment"].as_object().unwrap() {
        hub_of[inst.unit(code).unwrap()] = inst.unit(hub.as_str().unwrap()).unwrap();
    }
    PartitionFile { hub_of, names: BTreeMap::new() }
}

fn write_csv(plan: &Value, path: &Path) {
    let mut s = String::from("code,area,hub\n");
    for (code, hub) in plan["assignment"].as_object().unwrap() {
        let hub = hub.as_str().unwrap();
        s.push_str(&format!("{code},area {hub},{hub}\n"));
    }
    std::fs::write(path, s).unwrap();
}

fn cli_json(args: &[&str], out: &Path) -> Value {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_alue")).args(args).arg("--out").arg(out).arg("--quiet").output().unwrap();
    assert!(o.status.code().is_some_and(|c| c == 0 || c == 3), "alue {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&std::fs::read_to_string(out.join("solution.json")).unwrap()).unwrap()
}

#[test]
fn evaluate_after_a_move_equals_alue_evaluate() {
    let ws = tempfile::tempdir().unwrap();
    let s = Server::start(ws.path(), &[]);
    let c = Client::new();
    let plan = moved(&start_plan(&s.base, "pohjois-pohjanmaa"), "791", "564");
    let (status, v) = post(&c, &format!("{}/api/evaluate", s.base), &plan);
    assert_eq!(status, 200, "{v}");
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("p.csv");
    write_csv(&plan, &csv);
    let cli = cli_json(&["evaluate", "--partition", csv.to_str().unwrap(), "--no-compare"], &dir.path().join("out"));
    let sol = &v["solution"];
    for k in ["status", "objective", "terms", "number_of_areas", "assignment", "validated", "violations", "scenario"] {
        assert_eq!(sol[k], cli[k], "{k} differs from alue evaluate");
    }
    let strip = |a: &Value| a.as_array().unwrap().iter().map(|x| { let mut x = x.clone(); x.as_object_mut().unwrap().remove("area"); x }).collect::<Vec<_>>();
    assert_eq!(strip(&sol["areas"]), strip(&cli["areas"]), "per-area figures differ");
    // The fragments carry the same objective.
    let facts = v["html"]["facts"].as_str().unwrap();
    assert!(facts.contains(&format!("data-value=\"{}\"", sol["objective"].as_f64().unwrap())), "{facts}");
    assert!(v["html"]["map"].as_str().unwrap().contains("data-code=\"791\" data-area=\"564\""));
}

#[test]
fn bad_requests_get_their_status_and_leave_the_workspace_alone() {
    let ws = tempfile::tempdir().unwrap();
    let s = Server::start(ws.path(), &[]);
    let c = Client::new();
    let b = &s.base;
    let plan = start_plan(b, "pohjois-pohjanmaa");
    assert_eq!(raw(&c, reqwest::Method::PUT, &format!("{b}/api/plans/keep"), serde_json::to_vec(&plan).unwrap()).0, 200);
    let before = snapshot(ws.path());
    let outside = ws.path().parent().unwrap().join("evil.toml");
    let eval = format!("{b}/api/evaluate");
    // Malformed JSON: 400 with where it broke.
    let (st, e) = raw(&c, reqwest::Method::POST, &eval, b"{\"instance\": \"pohjois-pohjanmaa\",".to_vec());
    assert_eq!(st, 400);
    assert!(e["error"].as_str().unwrap().contains("line 1 column"), "{e}");
    // An unknown key: 400 naming it.
    let mut p = plan.clone();
    p["colour"] = json!("red");
    let (st, e) = post(&c, &eval, &p);
    assert_eq!(st, 400);
    assert!(e["error"].as_str().unwrap().contains("unknown field `colour`"), "{e}");
    // An unknown scenario key and an out-of-range value: 400 naming the field, --set's message.
    let mut p = plan.clone();
    p["scenario"] = json!({"caseloda": 150});
    let (st, e) = post(&c, &eval, &p);
    assert_eq!((st, e["field"].as_str()), (400, Some("scenario.caseloda")), "{e}");
    p["scenario"] = json!({"caseload": -5});
    let (st, e) = post(&c, &eval, &p);
    assert_eq!((st, e["field"].as_str()), (400, Some("scenario.caseload")), "{e}");
    let cli = std::process::Command::new(env!("CARGO_BIN_EXE_alue")).args(["evaluate", "--no-compare", "--set", "caseload=-5"]).output().unwrap();
    let cli_msg = String::from_utf8_lossy(&cli.stderr).to_string();
    let msg = e["error"].as_str().unwrap();
    let core = msg.rsplit("parameter `caseload`: ").next().unwrap();
    assert!(cli_msg.contains(core), "server `{msg}` vs --set `{cli_msg}`");
    assert_eq!(raw(&c, reqwest::Method::PUT, &format!("{b}/api/plans/keep"), serde_json::to_vec(&p).unwrap()).0, 400, "a bad plan is not saved");
    // A unit in no area, a hub outside its area.
    let mut p = plan.clone();
    p["assignment"].as_object_mut().unwrap().remove("791");
    assert_eq!(post(&c, &eval, &p).0, 400);
    let p = moved(&plan, "564", "678");
    let (st, e) = post(&c, &eval, &p);
    assert_eq!((st, e["field"].as_str().map(|f| f.starts_with("assignment."))), (400, Some(true)), "{e}");
    // A file on the server is not a workbench parameter.
    let mut p = plan.clone();
    p["scenario"] = json!({"distance_matrix": "/etc/passwd"});
    assert_eq!(post(&c, &eval, &p).0, 400);
    // Oversized body: 413.
    let mut big = b"{\"instance\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 3 << 20));
    big.extend(b"\"}");
    // Its own client: the server answers 413 without reading the rest and closes that
    // connection, which a pooled client would otherwise try to reuse.
    let (st, e) = raw(&Client::new(), reqwest::Method::POST, &eval, big);
    assert_eq!(st, 413, "{e}");
    // Plan names with path separators or `..`, plain and encoded.
    for name in ["..%2Fevil", "..%2F..%2Fevil", "%2E%2E%2Fevil", "a%5Cb", ".hidden"] {
        let (st, e) = raw(&c, reqwest::Method::PUT, &format!("{b}/api/plans/{name}"), serde_json::to_vec(&plan).unwrap());
        assert_eq!(st, 400, "{name}: {e}");
        assert_eq!(e["field"], json!("name"));
        assert_eq!(c.get(format!("{b}/api/plans/{name}")).send().unwrap().status().as_u16(), 400, "{name}");
        assert_eq!(c.delete(format!("{b}/api/plans/{name}")).send().unwrap().status().as_u16(), 400, "{name}");
    }
    assert!(!outside.exists());
    // Unknown instance, plan, job, route: 404.
    let mut p = plan.clone();
    p["instance"] = json!("atlantis");
    assert_eq!(post(&c, &eval, &p).0, 404);
    assert_eq!(c.get(format!("{b}/api/instances/atlantis")).send().unwrap().status().as_u16(), 404);
    assert_eq!(c.get(format!("{b}/?instance=atlantis")).send().unwrap().status().as_u16(), 404);
    assert_eq!(c.get(format!("{b}/api/plans/nothing")).send().unwrap().status().as_u16(), 404);
    assert_eq!(c.get(format!("{b}/api/jobs/999")).send().unwrap().status().as_u16(), 404);
    assert_eq!(c.get(format!("{b}/etc/passwd")).send().unwrap().status().as_u16(), 404);
    assert_eq!(snapshot(ws.path()), before, "the workspace changed");
    // The server is still there.
    assert_eq!(post(&c, &eval, &plan).0, 200);
}

#[test]
fn a_non_loopback_bind_needs_the_token() {
    let ws = tempfile::tempdir().unwrap();
    let s = Server::start(ws.path(), &["--host", "0.0.0.0"]);
    let token = s.url.split("?token=").nth(1).expect("the URL carries the token").to_string();
    assert_eq!(token.len(), 32);
    let c = Client::new();
    let b = &s.base;
    for url in [format!("{b}/"), format!("{b}/api/instances"), format!("{b}/assets/workbench.js"), format!("{b}/api/plans")] {
        assert_eq!(c.get(&url).send().unwrap().status().as_u16(), 403, "{url} without token");
        let wrong = format!("{url}{}token=0123456789abcdef0123456789abcdef", if url.contains('?') { "&" } else { "?" });
        assert_eq!(c.get(&wrong).send().unwrap().status().as_u16(), 403, "{url} with a wrong token");
    }
    let r = c.get(format!("{b}/?token={token}")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let cookie = r.headers().get("set-cookie").unwrap().to_str().unwrap().to_string();
    assert!(cookie.starts_with(&format!("alue_token={token}")), "{cookie}");
    assert_eq!(c.get(format!("{b}/api/instances")).header("x-alue-token", &token).send().unwrap().status().as_u16(), 200);
    assert_eq!(c.get(format!("{b}/assets/workbench.js")).header("cookie", format!("alue_token={token}")).send().unwrap().status().as_u16(), 200);
    let plan = start_plan(&format!("{b}"), "pohjois-pohjanmaa");
    assert!(plan.is_null(), "no start plan without the token");
    assert_eq!(c.put(format!("{b}/api/plans/x")).body("{}").send().unwrap().status().as_u16(), 403);
    assert!(snapshot(ws.path()).is_empty());
}

#[test]
fn fifty_concurrent_evaluates_are_all_answered_correctly() {
    let ws = tempfile::tempdir().unwrap();
    let s = Server::start(ws.path(), &[]);
    let plan = start_plan(&s.base, "pohjois-pohjanmaa");
    let inst = Instance::builtin().unwrap();
    let sc = Scenario::default();
    let p = Problem::new(&inst, &sc).unwrap();
    let hubs: Vec<String> = plan["assignment"].as_object().unwrap().values().map(|h| h.as_str().unwrap().to_string()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let codes: Vec<String> = plan["assignment"].as_object().unwrap().keys().filter(|c| !hubs.contains(c)).cloned().collect();
    let plans: Vec<Value> = (0..50).map(|k| moved(&plan, &codes[k % codes.len()], &hubs[(k / codes.len() + k) % hubs.len()])).collect();
    let expected: Vec<f64> = plans.iter().map(|pl| alue::run_evaluate(&p, &partition(&inst, pl), None).unwrap().evaluation.unwrap().objective).collect();
    let got: Vec<(u16, f64)> = std::thread::scope(|sc| {
        let hs: Vec<_> = plans.iter().map(|pl| {
            let url = format!("{}/api/evaluate", s.base);
            sc.spawn(move || {
                let (st, v) = post(&Client::new(), &url, pl);
                (st, v["solution"]["objective"].as_f64().unwrap_or(f64::NAN))
            })
        }).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (k, ((st, o), e)) in got.iter().zip(&expected).enumerate() {
        assert_eq!(*st, 200, "request {k}");
        assert_eq!(o, e, "request {k}: the server's objective differs from run_evaluate's");
    }
}

/// Poll a job until `done`, `cancelled` or `failed`; every view seen.
fn wait_job(c: &Client, base: &str, id: u64, limit: Duration) -> Vec<Value> {
    let t = Instant::now();
    let mut views = Vec::new();
    let mut after: i64 = -1;
    while t.elapsed() < limit {
        let v: Value = c.get(format!("{base}/api/jobs/{id}?after={after}")).send().unwrap().json().unwrap();
        after = v["version"].as_i64().unwrap();
        let state = v["state"].as_str().unwrap().to_string();
        views.push(v);
        if matches!(state.as_str(), "done" | "cancelled" | "failed") {
            return views;
        }
    }
    panic!("job {id} did not end within {limit:?}");
}

#[test]
fn ten_concurrent_solves_queue_and_all_finish() {
    let ws = tempfile::tempdir().unwrap();
    let s = Server::start(ws.path(), &["--solves", "2"]);
    let plan = start_plan(&s.base, "pohjois-pohjanmaa");
    let c = Client::new();
    let caseloads = [130, 140, 150, 160, 170, 130, 140, 150, 160, 170];
    let ids: Vec<u64> = caseloads.iter().map(|&k| {
        let mut p = plan.clone();
        p["scenario"] = json!({ "caseload": k });
        let (st, v) = post(&c, &format!("{}/api/solve", s.base), &p);
        assert_eq!(st, 202, "{v}");
        v["job"].as_u64().unwrap()
    }).collect();
    let first: Value = c.get(format!("{}/api/jobs/{}", s.base, ids[9])).send().unwrap().json().unwrap();
    assert_eq!(first["state"], json!("queued"), "the tenth waits while two run");
    assert!(first["ahead"].as_u64().unwrap() >= 1, "{first}");
    let results: Vec<Value> = std::thread::scope(|sc| {
        let hs: Vec<_> = ids.iter().map(|&id| { let base = s.base.clone(); sc.spawn(move || wait_job(&Client::new(), &base, id, Duration::from_secs(300))) }).collect();
        hs.into_iter().map(|h| h.join().unwrap().pop().unwrap()).collect()
    });
    for (k, r) in results.iter().enumerate() {
        assert_eq!(r["state"], json!("done"), "job {k}: {r}");
        assert_eq!(r["result"]["solution"]["status"], json!("optimal"), "job {k}");
    }
    for k in 0..5 {
        assert_eq!(results[k]["result"]["solution"]["objective"], results[k + 5]["result"]["solution"]["objective"], "the same scenario, the same optimum");
    }
    let dir = tempfile::tempdir().unwrap();
    let cli = cli_json(&["solve", "--set", "caseload=130"], dir.path());
    assert_eq!(results[0]["result"]["solution"]["objective"], cli["objective"], "equals alue solve --set caseload=130");
}

/// The children of a process.
fn children(pid: u32) -> Vec<u32> {
    let o = std::process::Command::new("ps").args(["--ppid", &pid.to_string(), "-o", "pid="]).output().unwrap();
    String::from_utf8_lossy(&o.stdout).split_whitespace().filter_map(|s| s.parse().ok()).collect()
}

#[test]
fn a_cancelled_solve_stops_within_a_second() {
    let ws = tempfile::tempdir().unwrap();
    let s = Server::start(ws.path(), &[]);
    let c = Client::new();
    // Mainland Finland runs for minutes (README: "Where it is slow").
    let plan = start_plan(&s.base, "finland");
    let (st, v) = post(&c, &format!("{}/api/solve", s.base), &plan);
    assert_eq!(st, 202, "{v}");
    let id = v["job"].as_u64().unwrap();
    let t = Instant::now();
    loop {
        let v: Value = c.get(format!("{}/api/jobs/{id}", s.base)).send().unwrap().json().unwrap();
        if v["state"] == json!("running") && v["progress"].is_object() {
            break;
        }
        assert!(t.elapsed() < Duration::from_secs(60), "the solve did not start: {v}");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(children(s.pid()).len(), 1, "one alue solve runs");
    let t = Instant::now();
    assert_eq!(c.post(format!("{}/api/jobs/{id}/cancel", s.base)).send().unwrap().status().as_u16(), 200);
    let last = wait_job(&c, &s.base, id, Duration::from_secs(5)).pop().unwrap();
    let took = t.elapsed();
    assert_eq!(last["state"], json!("cancelled"), "{last}");
    assert!(took < Duration::from_secs(1), "cancel took {took:?}");
    assert!(children(s.pid()).is_empty(), "the solve process is gone");
}

#[test]
fn kill_9_during_a_save_leaves_the_old_plan_or_the_new() {
    let ws = tempfile::tempdir().unwrap();
    let mut rng = common::Lcg(17);
    let mut saw_temp = 0;
    let mut kept = 0;
    let mut plan: Option<Value> = None;
    for round in 0..50 {
        let s = Server::start(ws.path(), &[]);
        let base = s.base.clone();
        let template = plan.get_or_insert_with(|| start_plan(&base, "finland")).clone();
        let stop = std::sync::atomic::AtomicBool::new(false);
        let delay = Duration::from_millis(30 + (rng.next() * 120.0) as u64);
        let (acked, tried) = std::thread::scope(|sc| {
            let h = sc.spawn(|| {
                let c = Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
                let (mut acked, mut tried) = (None, 0);
                for rev in 0.. {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    let mut p = template.clone();
                    let r = (round * 100_000 + rev) as f64;
                    p["scenario"] = json!({ "caseload": 100.0 + r });
                    tried = 100 + round * 100_000 + rev;
                    match c.put(format!("{base}/api/plans/kept")).json(&p).send() {
                        Ok(res) if res.status().is_success() => acked = Some(tried),
                        _ => break,
                    }
                }
                (acked, tried)
            });
            std::thread::sleep(delay);
            let mut s = s;
            let _ = s.child.kill();
            let _ = s.child.wait();
            stop.store(true, std::sync::atomic::Ordering::SeqCst);
            h.join().unwrap()
        });
        let files: Vec<String> = std::fs::read_dir(ws.path()).unwrap().flatten().map(|e| e.file_name().to_string_lossy().to_string()).collect();
        if files.iter().any(|f| f.starts_with(".tmp")) {
            saw_temp += 1;
        }
        let path = ws.path().join("kept.toml");
        if path.exists() {
            let text = std::fs::read_to_string(&path).unwrap();
            let f: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("round {round}: a torn plan file: {e}"));
            let caseload = f["plan"]["scenario"]["caseload"].as_float().unwrap() as usize;
            assert_eq!(f["plan"]["assignment"].as_table().unwrap().len(), 292, "round {round}: the whole assignment");
            if let Some(a) = acked {
                assert!(caseload >= a && caseload <= tried, "round {round}: plan {caseload} is neither the last saved ({a}) nor the one being saved ({tried})");
            }
            kept += 1;
        }
    }
    assert!(kept >= 40, "saves got through in most rounds ({kept})");
    assert!(saw_temp >= 1, "no kill landed while a temporary file existed (saw {saw_temp} of 50)");
    eprintln!("kill -9 during save: 50 rounds, {saw_temp} kills left a temporary file, {kept} plans intact");
}

#[test]
fn a_plan_compares_with_the_2025_partition_and_a_saved_plan() {
    let ws = tempfile::tempdir().unwrap();
    let s = Server::start(ws.path(), &[]);
    let c = Client::new();
    let start = start_plan(&s.base, "pohjois-pohjanmaa");
    let plan = moved(&start, "791", "564");
    assert_eq!(raw(&c, reqwest::Method::PUT, &format!("{}/api/plans/start", s.base), serde_json::to_vec(&start).unwrap()).0, 200);
    let listed: Value = c.get(format!("{}/api/plans", s.base)).send().unwrap().json().unwrap();
    assert_eq!(listed["plans"][0]["name"], json!("start"));
    for which in ["2025", "plan:start"] {
        let mut req = plan.clone();
        req["compare"] = json!(which);
        let (st, v) = post(&c, &format!("{}/api/evaluate", s.base), &req);
        assert_eq!(st, 200, "{which}: {v}");
        let html = &v["html"];
        assert!(html["compare_map"].as_str().unwrap().contains("id=\"map-compare\""), "{which}: no second map");
        let cmp = html["compare"].as_str().unwrap();
        assert!(cmp.contains("id=\"compare-terms\"") && cmp.contains("data-code=\"791\""), "{which}: Siikalatva is listed as moved");
    }
    // The start plan is the real 2025 partition: the same comparison either way.
    let fetched: Value = c.get(format!("{}/api/plans/start", s.base)).send().unwrap().json().unwrap();
    assert_eq!(fetched["plan"], start);
    let mut bad = plan.clone();
    bad["compare"] = json!("plan:missing");
    assert_eq!(post(&c, &format!("{}/api/evaluate", s.base), &bad).0, 404);
    // Downloads: the partition evaluates to the same objective through the CLI.
    let csv = c.post(format!("{}/api/download/partition.csv", s.base)).json(&plan).send().unwrap().text().unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.csv"), &csv).unwrap();
    let toml = c.post(format!("{}/api/download/scenario.toml", s.base)).json(&json!({"instance": "pohjois-pohjanmaa", "scenario": {"caseload": 130, "min.labour_force": 15000}, "assignment": plan["assignment"]})).send().unwrap().text().unwrap();
    std::fs::write(dir.path().join("s.toml"), &toml).unwrap();
    let cli = cli_json(&["evaluate", "--partition", dir.path().join("p.csv").to_str().unwrap(), "--scenario", dir.path().join("s.toml").to_str().unwrap(), "--no-compare"], &dir.path().join("out"));
    let mut req = plan.clone();
    req["scenario"] = json!({"caseload": 130, "min.labour_force": 15000});
    let (_, v) = post(&c, &format!("{}/api/evaluate", s.base), &req);
    assert_eq!(v["solution"]["objective"], cli["objective"], "the downloaded partition and scenario give the page's figures");
    let page = c.post(format!("{}/api/download/report.html", s.base)).json(&plan).send().unwrap().text().unwrap();
    assert!(page.starts_with("<!DOCTYPE html>") && page.contains(&format!("data-value=\"{}\"", plan_objective(&c, &s.base, &plan))), "report.html holds the plan's objective");
    // Upload: a partition CSV becomes the plan's assignment.
    let up: Value = c.post(format!("{}/api/upload/pohjois-pohjanmaa", s.base)).body(csv).send().unwrap().json().unwrap();
    assert_eq!(up["assignment"], plan["assignment"]);
    let (st, e) = raw(&c, reqwest::Method::POST, &format!("{}/api/upload/pohjois-pohjanmaa", s.base), b"code,area,hub\n999,x,999\n".to_vec());
    assert_eq!(st, 400);
    assert!(e["error"].as_str().unwrap().contains("uploaded partition:2: field `code`"), "the line and field are named: {e}");
}

fn plan_objective(c: &Client, base: &str, plan: &Value) -> f64 {
    post(c, &format!("{base}/api/evaluate"), plan).1["solution"]["objective"].as_f64().unwrap()
}
