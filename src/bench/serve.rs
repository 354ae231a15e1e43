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
        super::median(&self.ms)
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
    let mut out = evaluates(&c, &base)?;
    let start_no = get(&c, &format!("{base}/api/instances/pohjois-pohjanmaa"))?["start"].clone();
    out.push(optimise(&c, &base, &start_no)?);
    out.push(mainland_page(&c, &base)?);
    out.extend(under_load(&c, &base, &start_no)?);
    out.push(cancel(&c, &base)?);
    out.extend(browser(&base)?);
    Ok(out)
}

type Client = reqwest::blocking::Client;

/// Evaluate after a move, on both instances.
fn evaluates(c: &Client, base: &str) -> Result<Vec<Figure>> {
    let mut out = Vec::new();
    for (inst, target) in [("pohjois-pohjanmaa", "≤ 50 ms"), ("finland", "≤ 300 ms")] {
        let start = get(c, &format!("{base}/api/instances/{inst}"))?["start"].clone();
        let plans = moves(&start, 31);
        post(c, &format!("{base}/api/evaluate"), &plans[0])?;
        let mut f = Figure { what: format!("evaluate after a move, {inst} (request → figures, tables and map back)"), ms: Vec::new(), target };
        for p in &plans[1..] {
            let t = Instant::now();
            let v = post(c, &format!("{base}/api/evaluate"), p)?;
            f.ms.push(ms(t));
            if v["html"]["map"].as_str().is_none_or(|m| m.is_empty()) {
                return Err(Error::Solver("bench serve: an evaluate came back without its map".into()));
            }
        }
        out.push(f);
    }
    Ok(out)
}

/// Optimise the default scenario, five times.
fn optimise(c: &Client, base: &str, start_no: &serde_json::Value) -> Result<Figure> {
    let mut f = Figure { what: "Optimise, default scenario (submit → proven optimum with its map back)".into(), ms: Vec::new(), target: "≤ 1 500 ms" };
    for _ in 0..5 {
        let t = Instant::now();
        let v = solve(c, base, start_no)?;
        f.ms.push(ms(t));
        if v["result"]["solution"]["status"] != json!("optimal") || v["result"]["html"]["map"].as_str().is_none() {
            return Err(Error::Solver(format!("bench serve: Optimise ended {}", v["state"])));
        }
    }
    Ok(f)
}

/// The mainland page with everything it loads and its first evaluate, five times.
fn mainland_page(c: &Client, base: &str) -> Result<Figure> {
    let mut f = Figure { what: "mainland page: HTML, style, scripts, data and the first evaluate (292 shapes)".into(), ms: Vec::new(), target: "≤ 2 000 ms" };
    for _ in 0..5 {
        let t = Instant::now();
        for a in ["/?instance=finland", "/assets/workbench.css", "/assets/svg-pan-zoom.min.js", "/assets/workbench.js"] {
            c.get(format!("{base}{a}")).send().and_then(|r| r.bytes()).map_err(http)?;
        }
        let start = get(c, &format!("{base}/api/instances/finland"))?["start"].clone();
        let v = post(c, &format!("{base}/api/evaluate"), &start)?;
        f.ms.push(ms(t));
        let shapes = v["html"]["map"].as_str().map(|m| m.matches("class=\"unit\"").count()).unwrap_or(0);
        if shapes != 292 {
            return Err(Error::Solver(format!("bench serve: the mainland map has {shapes} shapes")));
        }
    }
    Ok(f)
}

/// 50 evaluates at once, each answered; then 10 solves at once, queued in the slots.
fn under_load(c: &Client, base: &str, start_no: &serde_json::Value) -> Result<Vec<Figure>> {
    let plans = moves(start_no, 50);
    let t = Instant::now();
    let each: Vec<Result<f64>> = std::thread::scope(|sc| {
        let hs: Vec<_> = plans.iter().map(|p| { let (c, base) = (c.clone(), base.to_string()); sc.spawn(move || { let t = Instant::now(); post(&c, &format!("{base}/api/evaluate"), p).map(|_| ms(t)) }) }).collect();
        hs.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(Error::Solver("thread".into())))).collect()
    });
    let all = ms(t);
    let each: Vec<f64> = each.into_iter().collect::<Result<_>>()?;
    let evaluates = Figure { what: format!("50 concurrent evaluates (pohjois-pohjanmaa): each request; all 50 answered in {all:.0} ms"), ms: each, target: "all answered" };
    let t = Instant::now();
    let each: Vec<Result<f64>> = std::thread::scope(|sc| {
        let hs: Vec<_> = (0..10).map(|k| {
            let (c, base) = (c.clone(), base.to_string());
            let mut p = start_no.clone();
            p["scenario"] = json!({ "caseload": 130 + 10 * (k % 5) });
            sc.spawn(move || { let t = Instant::now(); solve(&c, &base, &p).and_then(|v| if v["state"] == json!("done") { Ok(ms(t)) } else { Err(Error::Solver(format!("a solve ended {}", v["state"]))) }) })
        }).collect();
        hs.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(Error::Solver("thread".into())))).collect()
    });
    let all = ms(t);
    let each: Vec<f64> = each.into_iter().collect::<Result<_>>()?;
    let solves = Figure { what: format!("10 concurrent solves (5 caseloads × 2): each until done; all 10 in {all:.0} ms"), ms: each, target: "all finish" };
    Ok(vec![evaluates, solves])
}

/// Cancel a mainland solve once it runs, three times.
fn cancel(c: &Client, base: &str) -> Result<Figure> {
    let fin = get(c, &format!("{base}/api/instances/finland"))?["start"].clone();
    let mut f = Figure { what: "cancel of a running mainland solve (cancel → state cancelled, process gone)".into(), ms: Vec::new(), target: "≤ 1 000 ms" };
    for _ in 0..3 {
        let id = post(c, &format!("{base}/api/solve"), &fin)?["job"].as_u64().unwrap_or(0);
        let t0 = Instant::now();
        while get(c, &format!("{base}/api/jobs/{id}"))?["state"] != json!("running") && t0.elapsed() < Duration::from_secs(60) {
            std::thread::sleep(Duration::from_millis(20));
        }
        std::thread::sleep(Duration::from_millis(500));
        let t = Instant::now();
        post(c, &format!("{base}/api/jobs/{id}/cancel"), &json!({}))?;
        let mut after = -1i64;
        loop {
            let v = get(c, &format!("{base}/api/jobs/{id}?after={after}"))?;
            after = v["version"].as_i64().unwrap_or(after);
            if v["state"] == json!("cancelled") {
                break;
            }
        }
        f.ms.push(ms(t));
    }
    Ok(f)
}

/// A WebDriver session on Debian's chromedriver and headless Chromium (plain JSON over HTTP).
struct Browser {
    driver: Child,
    url: String,
    http: reqwest::blocking::Client,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.http.delete(&self.url).send();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    fn start() -> Result<Option<Browser>> {
        let exe = Path::new("/usr/bin/chromedriver");
        if !exe.exists() || !Path::new("/usr/bin/chromium").exists() {
            return Ok(None);
        }
        let io = |e: std::io::Error| Error::Solver(format!("bench serve: {e}"));
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(io)?.port();
        let driver = Command::new(exe).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().map_err(io)?;
        let t = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() && t.elapsed() < Duration::from_secs(20) {
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().map_err(io)?;
        let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(120)).build().map_err(http)?;
        let args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1400,1500"];
        let mut args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args}}}});
        let mut b = Browser { driver, url: String::new(), http: client, _profile: profile };
        let v: Value = b.http.post(format!("http://127.0.0.1:{port}/session")).json(&caps).send().map_err(http)?.json().map_err(http)?;
        let id = v["value"]["sessionId"].as_str().ok_or_else(|| Error::Solver(format!("bench serve: chromedriver answered {v}")))?;
        b.url = format!("http://127.0.0.1:{port}/session/{id}");
        Ok(Some(b))
    }

    fn goto(&self, url: &str) -> Result<()> {
        self.http.post(format!("{}/url", self.url)).json(&json!({ "url": url })).send().map_err(http)?;
        Ok(())
    }

    fn js(&self, script: &str) -> Result<Value> {
        let v: Value = self.http.post(format!("{}/execute/sync", self.url)).json(&json!({ "script": script, "args": [] })).send().map_err(http)?.json().map_err(http)?;
        Ok(v["value"].clone())
    }

    /// Wait until the page has shown more than `after` results; (count, ms since navigation then).
    fn shown_after(&self, after: i64) -> Result<(i64, f64)> {
        let t = Instant::now();
        loop {
            let v = self.js("return [document.body.hasAttribute('aria-busy') ? -1 : +(document.body.dataset.shown || 0), +(document.body.dataset.shownAt || 0)]")?;
            let n = v[0].as_i64().unwrap_or(-1);
            if n > after {
                return Ok((n, v[1].as_f64().unwrap_or(f64::NAN)));
            }
            if t.elapsed() > Duration::from_secs(120) {
                return Err(Error::Solver("bench serve: the page showed nothing in 120 s".into()));
            }
            // The page records when it showed the result; polling rarely keeps the browser idle.
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// In headless Chromium: the mainland page from navigation until its map is in the page, and
/// Optimise from the click until the result's map is (empty when chromedriver is missing).
pub fn browser(base: &str) -> Result<Vec<Figure>> {
    let Some(b) = Browser::start()? else { return Ok(Vec::new()) };
    let mut load = Figure { what: "in Chromium: the mainland page, navigation → its 292-shape map in the page".into(), ms: Vec::new(), target: "≤ 2 000 ms" };
    for _ in 0..5 {
        b.goto(&format!("{base}/?instance=finland"))?;
        let (_, at) = b.shown_after(0)?;
        load.ms.push(at);
    }
    let mut opt = Figure { what: "in Chromium: Optimise of the default scenario, click → the proven optimum's map in the page".into(), ms: Vec::new(), target: "≤ 1 500 ms" };
    b.goto(&format!("{base}/?instance=pohjois-pohjanmaa"))?;
    b.js("localStorage.clear(); return 0")?;
    b.goto(&format!("{base}/?instance=pohjois-pohjanmaa"))?;
    let (mut n, _) = b.shown_after(0)?;
    for _ in 0..5 {
        let t0 = b.js("document.getElementById('optimise').click(); return performance.now()")?.as_f64().unwrap_or(f64::NAN);
        let (m, at) = b.shown_after(n)?;
        n = m;
        if b.js("return document.getElementById('status').dataset.status")? != json!("optimal") {
            return Err(Error::Solver("bench serve: Optimise in the page did not end optimal".into()));
        }
        opt.ms.push(at - t0);
        // Back to the 2025 partition, so that every Optimise starts from the same plan.
        b.js("document.getElementById('undo').click(); return 0")?;
        n = b.shown_after(n)?.0;
    }
    Ok(vec![load, opt])
}

/// The BENCHMARKS.md section.
pub fn render(figures: &[Figure], machine: &str) -> String {
    let mut s = String::from("<!-- serve -->\n## Workbench round trips (`alue bench serve`)\n\n");
    s += &format!("A real `alue serve` process on loopback and an HTTP client (reqwest) making the requests the page makes, on {machine}; whole round trips, request sent to answer read (JSON with solution.json, the HTML fragments and the map). The rows marked \"in Chromium\" are timed in headless Debian Chromium through chromedriver, from the page's own clock (`performance.now()` when the result is in the page).\n\n");
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
