//! `alue serve` as the tests run it: the real binary on a free port, its URL read from the first
//! line it prints, killed when dropped.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct Server {
    pub child: Child,
    /// The URL printed (with `?token=` on a non-loopback bind).
    pub url: String,
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    pub workspace: PathBuf,
}

impl Server {
    /// Start `alue serve --port 0 --workspace WS ARGS…` and wait for its URL.
    pub fn start(workspace: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_alue"))
            .args(["serve", "--port", "0", "--workspace"])
            .arg(workspace)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("alue serve starts");
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
        // Keep reading, so that the server never writes to a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let url = line.trim().strip_prefix("alue serve: ").unwrap_or_else(|| panic!("unexpected first line {line:?}")).to_string();
        let rest = url.strip_prefix("http://").unwrap();
        let port = rest.split(['/', ':']).nth(1).unwrap().to_string();
        Server { child, base: format!("http://127.0.0.1:{port}"), url, workspace: workspace.to_path_buf() }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every file of a folder with its bytes (to show a request left it unchanged).
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir).map(|r| r.flatten().map(|e| (e.file_name().to_string_lossy().to_string(), std::fs::read(e.path()).unwrap_or_default())).collect()).unwrap_or_default();
    out.sort();
    out
}

/// The built-in instance's start plan as the server gives it.
pub fn start_plan(base: &str, instance: &str) -> serde_json::Value {
    let v: serde_json::Value = reqwest::blocking::get(format!("{base}/api/instances/{instance}")).unwrap().json().unwrap();
    v["start"].clone()
}
