//! `alue bench serve`: whole round trips from an HTTP client to a real `alue serve` process on
//! loopback, as the workbench page makes them: evaluate after a move, Optimise until the result
//! (with its map) is back, the mainland page with its data and 292-shape map, and the load cases
//! (50 concurrent evaluates, 10 concurrent solves, a cancel).

use crate::error::{Error, Result};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One measured figure.
pub struct Figure {
    /// What was timed.
    pub what: String,
    /// Every time, ms.
    pub ms: Vec<f64>,
    /// The target, as text.
    pub target: &'static str,
}

impl Figure {
    fn median(&self) -> f64 {
        let mut v = self.ms.clone();
        v.sort_by(f64::total_cmp);
        if v.is_empty() { f64::NAN } else if v.len() % 2 == 1 { v[v.len() / 2] } else { 0.5 * (v[v.len() / 2 - 1] + v[v.len() / 2]) }
    }
    fn max(&self) -> f64 {
        self.ms.iter().copied().fold(f64::NAN, f64::max)
    }
}

struct Server(Child, String);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(exe: &Path, work: &Path) -> Result<Server> {
    let err = |e: std::io::Error| Error::Solver(format!("cannot start alue serve: {e}"));
    let mut child = Command::new(exe).args(["serve", "--port", "0", "--workspace"]).arg(work.join("plans")).current_dir(super::root()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().map_err(err)?;
    let mut out = BufReader::new(child.stdout.take().ok_or_else(|| Error::Solver("no stdout".into()))?);
    let mut line = String::new();
    out.read_line(&mut line).map_err(err)?;
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
    let url = line.trim().strip_prefix("alue serve: ").ok_or_else(|| Error::Solver(format!("alue serve printed {line:?}")))?;
    Ok(Server(child, url.trim_end_matches('/').to_string()))
}

fn http(e: reqwest::Error) -> Error {
    Error::Solver(format!("bench serve: {e}"))
}

fn post(c: &reqwest::blocking::Client, url: &str, body: &Value) -> Result<Value> {
    let r = c.post(url).json(body).send().map_err(http)?;
    if !r.status().is_success() {
        return Err(Error::Solver(format!("bench serve: {url} answered {}", r.status())));
    }
    r.json().map_err(http)
}

fn get(c: &reqwest::blocking::Client, url: &str) -> Result<Value> {
    c.get(url).send().map_err(http)?.json().map_err(http)
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

/// Plans that each move one non-hub unit into another area.
fn moves(start: &Value, count: usize) -> Vec<Value> {
    let a = start["assignment"].as_object().cloned().unwrap_or_default();
    let hubs: Vec<String> = a.values().filter_map(|h| h.as_str().map(String::from)).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let units: Vec<String> = a.keys().filter(|c| !hubs.contains(c)).cloned().collect();
    (0..count).map(|k| {
        let mut p = start.clone();
        let u = &units[(k * 7) % units.len()];
        let hub = hubs.iter().cycle().skip(k).find(|h| a.get(u).and_then(|x| x.as_str()) != Some(h.as_str())).cloned().unwrap_or_default();
        p["assignment"][u] = json!(hub);
        p
    }).collect()
}

/// Submit a solve and wait (long poll) until it ends; the final view.
fn solve(c: &reqwest::blocking::Client, base: &str, plan: &Value) -> Result<Value> {
    let id = post(c, &format!("{base}/api/solve"), plan)?["job"].as_u64().unwrap_or(0);
    let mut after = -1i64;
    loop {
        let v = get(c, &format!("{base}/api/jobs/{id}?after={after}"))?;
        after = v["version"].as_i64().unwrap_or(after);
        if matches!(v["state"].as_str(), Some("done" | "cancelled" | "failed")) {
            return Ok(v);
        }
    }
}

/// Run every measurement against a fresh server.
pub fn measure(exe: &Path, work: &Path) -> Result<Vec<Figure>> {
    let s = start(exe, work)?;
    let base = s.1.clone();
    let c = reqwest::blocking::Client::builder().timeout(Duration::from_secs(900)).build().map_err(http)?;
    let mut out = Vec::new();
    for (inst, target) in [("pohjois-pohjanmaa", "≤ 50 ms"), ("finland", "≤ 300 ms")] {
        let start = get(&c, &format!("{base}/api/instances/{inst}"))?["start"].clone();
        let plans = moves(&start, 31);
        post(&c, &format!("{base}/api/evaluate"), &plans[0])?;
        let mut f = Figure { what: format!("evaluate after a move, {inst} (request → figures, tables and map back)"), ms: Vec::new(), target };
        for p in &plans[1..] {
            let t = Instant::now();
            let v = post(&c, &format!("{base}/api/evaluate"), p)?;
            f.ms.push(ms(t));
            if v["html"]["map"].as_str().is_none_or(|m| m.is_empty()) {
                return Err(Error::Solver("bench serve: an evaluate came back without its map".into()));
            }
        }
        out.push(f);
    }
    let start_no = get(&c, &format!("{base}/api/instances/pohjois-pohjanmaa"))?["start"].clone();
    let mut f = Figure { what: "Optimise, default scenario (submit → proven optimum with its map back)".into(), ms: Vec::new(), target: "≤ 1 500 ms" };
    for _ in 0..5 {
        let t = Instant::now();
        let v = solve(&c, &base, &start_no)?;
        f.ms.push(ms(t));
        if v["result"]["solution"]["status"] != json!("optimal") || v["result"]["html"]["map"].as_str().is_none() {
            return Err(Error::Solver(format!("bench serve: Optimise ended {}", v["state"])));
        }
    }
    out.push(f);
    let mut f = Figure { what: "mainland page: HTML, style, scripts, data and the first evaluate (292 shapes)".into(), ms: Vec::new(), target: "≤ 2 000 ms" };
    for _ in 0..5 {
        let t = Instant::now();
        for a in ["/?instance=finland", "/assets/workbench.css", "/assets/svg-pan-zoom.min.js", "/assets/workbench.js"] {
            c.get(format!("{base}{a}")).send().and_then(|r| r.bytes()).map_err(http)?;
        }
        let start = get(&c, &format!("{base}/api/instances/finland"))?["start"].clone();
        let v = post(&c, &format!("{base}/api/evaluate"), &start)?;
        f.ms.push(ms(t));
        let shapes = v["html"]["map"].as_str().map(|m| m.matches("class=\"unit\"").count()).unwrap_or(0);
        if shapes != 292 {
            return Err(Error::Solver(format!("bench serve: the mainland map has {shapes} shapes")));
        }
    }
    out.push(f);
    // Load: 50 evaluates at once, each answered.
    let plans = moves(&start_no, 50);
    let t = Instant::now();
    let each: Vec<Result<f64>> = std::thread::scope(|sc| {
        let hs: Vec<_> = plans.iter().map(|p| { let (c, base) = (c.clone(), base.clone()); sc.spawn(move || { let t = Instant::now(); post(&c, &format!("{base}/api/evaluate"), p).map(|_| ms(t)) }) }).collect();
        hs.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(Error::Solver("thread".into())))).collect()
    });
    let all = ms(t);
    let each: Vec<f64> = each.into_iter().collect::<Result<_>>()?;
    out.push(Figure { what: format!("50 concurrent evaluates (pohjois-pohjanmaa): each request; all 50 answered in {all:.0} ms"), ms: each, target: "all answered" });
    // Load: 10 solves at once, queued in the slots.
    let t = Instant::now();
    let each: Vec<Result<f64>> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..10).map(|k| {
            let (c, base) = (c.clone(), base.clone());
            let mut p = start_no.clone();
            p["scenario"] = json!({ "caseload": 130 + 10 * (k % 5) });
            sc.spawn(move || { let t = Instant::now(); solve(&c, &base, &p).and_then(|v| if v["state"] == json!("done") { Ok(ms(t)) } else { Err(Error::Solver(format!("a solve ended {}", v["state"]))) }) })
        }).collect();
        hs.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(Error::Solver("thread".into())))).collect()
    });
    let all = ms(t);
    let each: Vec<f64> = each.into_iter().collect::<Result<_>>()?;
    out.push(Figure { what: format!("10 concurrent solves (5 caseloads × 2): each until done; all 10 in {all:.0} ms"), ms: each, target: "all finish" });
    // Cancel a mainland solve once it runs.
    let fin = get(&c, &format!("{base}/api/instances/finland"))?["start"].clone();
    let mut f = Figure { what: "cancel of a running mainland solve (cancel → state cancelled, process gone)".into(), ms: Vec::new(), target: "≤ 1 000 ms" };
    for _ in 0..3 {
        let id = post(&c, &format!("{base}/api/solve"), &fin)?["job"].as_u64().unwrap_or(0);
        let t0 = Instant::now();
        while get(&c, &format!("{base}/api/jobs/{id}"))?["state"] != json!("running") && t0.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(500));
        let t = Instant::now();
        post(&c, &format!("{base}/api/jobs/{id}/cancel"), &json!({}))?;
        let mut after = -1i64;
        loop {
            let v = get(&c, &format!("{base}/api/jobs/{id}?after={after}"))?;
            after = v["version"].as_i64().unwrap_or(after);
            if v["state"] == json!("cancelled") {
                break;
            }
        }
        f.ms.push(ms(t));
    }
    out.push(f);
    Ok(out)
}

/// The BENCHMARKS.md section.
pub fn render(figures: &[Figure], machine: &str) -> String {
    let mut s = String::from("<!-- serve -->\n## Workbench round trips (`alue bench serve`)\n\n");
    s += &format!("A real `alue serve` process on loopback and an HTTP client (reqwest) making the requests the page makes, on {machine}; whole round trips, request sent to answer read (JSON with solution.json, the HTML fragments and the map). Browser layout and paint are not in these figures.\n\n");
    s += "| round trip | runs | median (ms) | max (ms) | target |\n|---|---:|---:|---:|---|\n";
    for f in figures {
        s += &format!("| {} | {} | {:.1} | {:.1} | {} |\n", f.what, f.ms.len(), f.median(), f.max(), f.target);
    }
    s += "<!-- /serve -->\n";
    s
}

/// Replace (or append) the serve section of a BENCHMARKS.md.
pub fn splice(doc: &str, section: &str) -> String {
    match (doc.find("<!-- serve -->"), doc.find("<!-- /serve -->")) {
        (Some(a), Some(b)) if b > a => format!("{}{}{}", &doc[..a], section, &doc[(b + "<!-- /serve -->\n".len()).min(doc.len())..]),
        _ => format!("{}\n{}", doc.trim_end_matches('\n').to_string() + "\n", section),
    }
}
