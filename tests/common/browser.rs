//! Headless Debian Chromium for the page tests: install it when missing, load a page, and read
//! back the DOM, the console messages and the network requests the page made.
#![allow(dead_code)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Debian's Chromium, installed when missing (as root, as CI runs); None when it cannot be had
/// outside CI (the test then says so and passes; in CI it must run).
pub fn chromium() -> Option<PathBuf> {
    let path = PathBuf::from("/usr/bin/chromium");
    if !path.exists() {
        let _ = std::process::Command::new("sh").args(["-c", "apt-get install -y chromium >/dev/null 2>&1 || (apt-get update >/dev/null 2>&1 && apt-get install -y chromium >/dev/null 2>&1)"]).status();
    }
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("CI").is_none(), "Chromium is missing and could not be installed (apt-get install chromium)");
    eprintln!("SKIPPED: no /usr/bin/chromium on this machine (CI installs it)");
    None
}

/// What headless Chromium saw of a page: the DOM after load, console messages, and the
/// network requests the page made (from Chromium's net log, page loads being those whose
/// isolation key is the file:// page).
pub struct Browsed {
    pub dom: String,
    pub console: Vec<String>,
    pub requests: Vec<String>,
}

pub fn browse(chromium: &Path, page: &Path, work: &Path, screenshot: Option<&Path>) -> Browsed {
    let profile = tempfile::tempdir_in(work).unwrap();
    let netlog = work.join(format!("{}.netlog.json", page.file_name().unwrap().to_string_lossy()));
    let common = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"];
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    let o = std::process::Command::new(chromium)
        .args(common)
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--enable-logging=stderr", "--v=0"])
        .arg(format!("--log-net-log={}", netlog.display()))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    assert!(o.status.success(), "chromium: {}", String::from_utf8_lossy(&o.stderr));
    let console = String::from_utf8_lossy(&o.stderr).lines().filter(|l| l.contains(":CONSOLE")).map(String::from).collect();
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&netlog).unwrap()).unwrap();
    let mut requests = BTreeSet::new();
    for e in log["events"].as_array().unwrap() {
        let p = &e["params"];
        if let (Some(url), Some(key)) = (p["url"].as_str(), p["network_isolation_key"].as_str()) {
            if key.contains("file://") && !url.starts_with("file:") && !url.starts_with("data:") {
                requests.insert(url.to_string());
            }
        }
    }
    if let Some(shot) = screenshot {
        let profile = tempfile::tempdir_in(work).unwrap();
        let o = std::process::Command::new(chromium)
            .args(common)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .args(["--window-size=1240,1900".to_string(), format!("--screenshot={}", shot.display()), url])
            .output()
            .unwrap();
        assert!(o.status.success(), "chromium screenshot: {}", String::from_utf8_lossy(&o.stderr));
    }
    Browsed { dom: String::from_utf8_lossy(&o.stdout).to_string(), console, requests: requests.into_iter().collect() }
}

