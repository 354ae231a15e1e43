//! The workbench in a real browser: Debian's Chromium, headless, driven through chromedriver
//! (WebDriver) by fantoccini. It loads the page (no console error, no request to another host),
//! moves Siikalatva and finds the totals of `alue evaluate`, undoes the move with the keyboard,
//! locks two municipalities and optimises to `alue solve --set fixed=…`, saves the plan, reloads
//! and finds it listed (and the unsaved plan restored), and switches to English with the same
//! numbers. With ALUE_SCREENSHOTS=DIR it saves its screenshots there (docs/ holds them).

mod common;

use common::server::Server;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's chromedriver (installed when missing, as CI runs as root); None outside CI when it
/// cannot be had.
fn chromedriver() -> Option<PathBuf> {
    common::browser::chromium()?;
    let path = PathBuf::from("/usr/bin/chromedriver");
    if !path.exists() {
        let _ = Command::new("sh").args(["-c", "apt-get install -y chromium-driver >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y chromium-driver >/dev/null 2>&1)"]).status();
    }
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "chromedriver is missing (apt-get install chromium-driver)");
    eprintln!("SKIPPED: no /usr/bin/chromedriver (CI installs it)");
    None
}

struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_driver(exe: &Path) -> Driver {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(exe).arg(format!("--port={port}")).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let t = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(t.elapsed() < Duration::from_secs(20), "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver(child, port)
}

async fn js(c: &Client, script: &str) -> Value {
    c.execute(script, vec![]).await.unwrap()
}

/// Wait until the page has shown more than `after` results and is not busy; returns the count.
async fn shown_after(c: &Client, after: u64) -> u64 {
    let t = Instant::now();
    loop {
        let v = js(c, "return document.body.hasAttribute('aria-busy') ? -1 : +(document.body.dataset.shown || 0)").await;
        if let Some(n) = v.as_i64().filter(|&n| n > after as i64) {
            return n as u64;
        }
        assert!(t.elapsed() < Duration::from_secs(60), "the page showed no new result; error: {}", js(c, "return document.getElementById('error').textContent").await);
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
}

async fn shown(c: &Client) -> u64 {
    js(c, "return +(document.body.dataset.shown || 0)").await.as_u64().unwrap_or(0)
}

async fn objective(c: &Client) -> f64 {
    js(c, "return +document.getElementById('objective').dataset.value").await.as_f64().unwrap()
}

/// Every number of the per-municipality table, by unit code and column (exact values).
async fn money(c: &Client) -> Value {
    js(c, "var o={};document.querySelectorAll('#municipalities tr[data-code]').forEach(function(r){o[r.dataset.code]=Array.prototype.map.call(r.querySelectorAll('td[data-value]'),function(td){return +td.dataset.value;});});return o;").await
}

/// The totals row of the areas table.
async fn area_totals(c: &Client) -> Vec<f64> {
    let v = js(c, "return Array.prototype.map.call(document.querySelectorAll('#areas tr.total td[data-value]'),function(td){return +td.dataset.value;})").await;
    v.as_array().unwrap().iter().map(|x| x.as_f64().unwrap()).collect()
}

async fn press(c: &Client, key: char) {
    let keys = KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
    c.perform_actions(keys).await.unwrap();
}

async fn shot(c: &Client, name: &str) {
    if let Some(dir) = std::env::var_os("ALUE_SCREENSHOTS") {
        let png = c.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(Path::new(&dir).join(name), png).unwrap();
    }
}

/// The console messages Chromium logged at level SEVERE (chromedriver's log endpoint).
async fn console_errors(c: &Client, driver_port: u16) -> Vec<String> {
    let sid = c.session_id().await.unwrap().unwrap();
    let url = format!("http://127.0.0.1:{driver_port}/session/{sid}/se/log");
    let v: Value = tokio::task::spawn_blocking(move || reqwest::blocking::Client::new().post(url).json(&json!({"type": "browser"})).send().unwrap().json().unwrap()).await.unwrap();
    assert!(v["value"].is_array(), "chromedriver's log endpoint answered {v}");
    v["value"].as_array().cloned().unwrap_or_default().iter().filter(|e| e["level"] == json!("SEVERE")).map(|e| e["message"].to_string()).collect()
}

fn cli(args: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_alue")).args(args).arg("--out").arg(dir.path()).arg("--quiet").output().unwrap();
    assert!(o.status.success(), "alue {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&std::fs::read_to_string(dir.path().join("solution.json")).unwrap()).unwrap()
}

/// The plan the page holds (from its browser storage).
async fn page_plan(c: &Client) -> Value {
    js(c, "return JSON.parse(localStorage.getItem('alue.plan.' + document.body.dataset.instance)).plan").await
}

fn partition_csv(plan: &Value, path: &Path) {
    let mut s = String::from("code,area,hub\n");
    for (code, hub) in plan["assignment"].as_object().unwrap() {
        s.push_str(&format!("{code},a{},{}\n", hub.as_str().unwrap(), hub.as_str().unwrap()));
    }
    std::fs::write(path, s).unwrap();
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(1.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workbench_in_a_real_browser() {
    let Some(driver_exe) = chromedriver() else { return };
    let ws = tempfile::tempdir().unwrap();
    let server = Server::start(ws.path(), &[]);
    let driver = start_driver(&driver_exe);
    let profile = tempfile::tempdir().unwrap();
    let caps: serde_json::Map<String, Value> = serde_json::from_value(json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1400,1500", format!("--user-data-dir={}", profile.path().display())],
        },
        "goog:loggingPrefs": { "browser": "ALL" },
    })).unwrap();
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new()).capabilities(caps).connect(&format!("http://127.0.0.1:{}", driver.1)).await.expect("a WebDriver session");

    // Load: no console error, no request to any other host.
    c.goto(&server.url).await.unwrap();
    let mut n = shown_after(&c, 0).await;
    let o0 = objective(&c).await;
    let money0 = money(&c).await;
    let urls = js(&c, "return performance.getEntriesByType('resource').map(function(e){return e.name;}).concat([location.href])").await;
    for u in urls.as_array().unwrap() {
        assert!(u.as_str().unwrap().starts_with(&server.base), "a request to another host: {u}");
    }
    assert!(urls.as_array().unwrap().len() >= 4, "the page fetched its script, style and data: {urls}");
    let errors = console_errors(&c, driver.1).await;
    assert!(errors.is_empty(), "console errors: {errors:?}");

    // Move Siikalatva (791) into the Oulu area (hub 564): the totals of alue evaluate.
    c.find(Locator::Id("unit")).await.unwrap().select_by_value("791").await.unwrap();
    c.find(Locator::Id("move-to")).await.unwrap().select_by_value("564").await.unwrap();
    c.find(Locator::Id("move")).await.unwrap().click().await.unwrap();
    n = shown_after(&c, n).await;
    let plan = page_plan(&c).await;
    assert_eq!(plan["assignment"]["791"], json!("564"));
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("moved.csv");
    partition_csv(&plan, &csv);
    let evaluated = cli(&["evaluate", "--partition", csv.to_str().unwrap(), "--no-compare"]);
    let o1 = objective(&c).await;
    assert_eq!(o1, evaluated["objective"].as_f64().unwrap(), "the page's objective is alue evaluate's");
    let totals = area_totals(&c).await;
    let areas = evaluated["areas"].as_array().unwrap();
    let sum = |k: &str| areas.iter().map(|a| a[k].as_f64().unwrap()).sum::<f64>();
    let expected = [sum("labour_force"), sum("jobseekers"), sum("advisers_fte"), sum("travel_eur_per_year"), sum("production_cost_eur_per_year"), sum("funding_eur_per_year"), sum("equalisation_eur_per_year")];
    assert_eq!(totals.len(), expected.len());
    for (t, e) in totals.iter().zip(expected) {
        assert!(close(*t, e), "area totals {totals:?} vs alue evaluate {expected:?}");
    }
    assert!(js(&c, "return document.querySelector('#map-box path[data-code=\"791\"]').getAttribute('data-area')").await == json!("564"));
    shot(&c, "workbench.png").await;

    // Undo with the keyboard (z): the totals are back to their values before the move.
    js(&c, "document.activeElement && document.activeElement.blur && document.activeElement.blur(); return 0").await;
    press(&c, 'z').await;
    n = shown_after(&c, n).await;
    assert_eq!(objective(&c).await, o0, "undo restores the objective");
    assert_eq!(money(&c).await, money0, "undo restores every municipality's figures");
    assert_eq!(page_plan(&c).await["assignment"]["791"], json!("678"));

    // Lock Siikalatva and Pyhäjärvi in their areas, optimise: alue solve --set fixed=… .
    let plan = page_plan(&c).await;
    let mut fixed = Vec::new();
    for code in ["791", "626"] {
        c.find(Locator::Id("unit")).await.unwrap().select_by_value(code).await.unwrap();
        c.find(Locator::Id("lock")).await.unwrap().click().await.unwrap();
        n = shown_after(&c, n).await;
        fixed.push(format!("{code}:{}", plan["assignment"][code].as_str().unwrap()));
    }
    assert_eq!(page_plan(&c).await["scenario"]["fixed"], json!(fixed));
    c.find(Locator::Id("optimise")).await.unwrap().click().await.unwrap();
    shown_after(&c, n).await;
    let status = js(&c, "return document.getElementById('status').dataset.status").await;
    assert_eq!(status, json!("optimal"), "progress: {}", js(&c, "return document.getElementById('progress').textContent").await);
    let solved = cli(&["solve", "--set", &format!("fixed={}", fixed.join(","))]);
    let o2 = objective(&c).await;
    assert_eq!(o2, solved["objective"].as_f64().unwrap(), "Optimise finds alue solve's optimum");
    assert_eq!(page_plan(&c).await["assignment"], solved["assignment"], "and its partition");
    let progress = js(&c, "return document.getElementById('progress').textContent").await;
    assert!(progress.as_str().unwrap().contains("valmis"), "{progress}");
    shot(&c, "workbench-optimised.png").await;
    let money2 = money(&c).await;

    // Save, reload: the plan is listed, and the unsaved state is back from browser storage.
    c.find(Locator::Id("plan-name")).await.unwrap().send_keys("Lukitut 791 ja 626").await.unwrap();
    c.find(Locator::Id("save")).await.unwrap().click().await.unwrap();
    let t = Instant::now();
    while js(&c, "return !!document.querySelector('#plan-list li[data-plan=\"Lukitut 791 ja 626\"]')").await != json!(true) {
        assert!(t.elapsed() < Duration::from_secs(10), "the saved plan is not listed");
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    assert!(ws.path().join("Lukitut 791 ja 626.toml").exists());
    c.refresh().await.unwrap();
    shown_after(&c, 0).await;
    assert!(js(&c, "return !!document.querySelector('#plan-list li[data-plan=\"Lukitut 791 ja 626\"]')").await == json!(true), "listed after a reload");
    assert_eq!(objective(&c).await, o2, "the plan survives the reload");

    // English: the same numbers, in English format.
    let fi_text = js(&c, "return document.getElementById('objective').textContent").await;
    c.find(Locator::Id("lang-en")).await.unwrap().click().await.unwrap();
    let t = Instant::now();
    while js(&c, "return document.documentElement.lang").await != json!("en") {
        assert!(t.elapsed() < Duration::from_secs(10));
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    shown_after(&c, 0).await;
    assert_eq!(objective(&c).await, o2);
    assert_eq!(money(&c).await, money2, "every municipality's figures are the same in English");
    let en_text = js(&c, "return document.getElementById('objective').textContent").await;
    assert_ne!(fi_text, en_text, "numbers are formatted per language ({fi_text} / {en_text})");
    shot(&c, "workbench-en.png").await;
    let errors = console_errors(&c, driver.1).await;
    assert!(errors.is_empty(), "console errors: {errors:?}");
    let _ = shown(&c).await;
    c.close().await.unwrap();
}
