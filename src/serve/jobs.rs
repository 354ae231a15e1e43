//! The solve queue. Each Optimise runs `alue solve` as a child process of this binary, with the
//! plan's scenario file; at most `slots` run at once and the rest wait in order. The child streams
//! the engine's progress snapshots (`--progress-json`: elapsed, phase, incumbent, bound, gap) on
//! stderr; cancel kills it, so a cancelled solve stops at once, and a crash or a runaway solve
//! cannot take the server down. The result is read back from the `solution.json` it writes, so
//! the workbench shows exactly what `alue solve --set …` prints.

use super::catalogue::Entry;
use super::view;
use crate::report::html::Look;
use crate::report::SavedRun;
use crate::Problem;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::io::AsyncBufReadExt;
use tokio::sync::{watch, Semaphore};

/// Finished jobs kept for their results.
const KEEP: usize = 200;

/// What a client sees of a job.
#[derive(Debug, Clone, Serialize, Default)]
pub struct JobView {
    /// The job's id.
    pub id: u64,
    /// `queued`, `running`, `done`, `cancelled` or `failed`.
    pub state: &'static str,
    /// Bumped on every change (long polls wait for a higher one).
    pub version: u64,
    /// Jobs ahead of this one while it is queued.
    pub ahead: usize,
    /// Seconds since the solve started (0 while queued).
    pub elapsed_s: f64,
    /// The engine's latest snapshot: `phase`, `incumbent`, `bound`, `gap` (None before the first).
    pub progress: Option<Value>,
    /// When done: the same response as an evaluate (solution.json and fragments).
    pub result: Option<Value>,
    /// When failed: why.
    pub error: Option<String>,
}

struct Job {
    tx: watch::Sender<JobView>,
    cancel: watch::Sender<bool>,
    queued_at: u64,
}

/// Every job, and the slots they run in.
pub struct Jobs {
    exe: PathBuf,
    work: tempfile::TempDir,
    slots: Arc<Semaphore>,
    next: AtomicU64,
    jobs: Mutex<BTreeMap<u64, Arc<Job>>>,
    ticket: AtomicU64,
    served: Arc<AtomicU64>,
}

/// What a job solves.
pub struct SolveInput {
    /// The instance.
    pub entry: Arc<Entry>,
    /// The scenario file's text.
    pub scenario_toml: String,
    /// How to show the result.
    pub look: Look,
}

impl Jobs {
    /// A queue running `exe solve` (this binary) in `slots` slots.
    pub fn new(exe: PathBuf, slots: usize) -> std::io::Result<Jobs> {
        Ok(Jobs { exe, work: tempfile::tempdir()?, slots: Arc::new(Semaphore::new(slots.max(1))), next: AtomicU64::new(1), jobs: Mutex::default(), ticket: AtomicU64::new(0), served: Arc::default() })
    }

    /// Queue a solve; returns its id.
    pub fn submit(&self, input: SolveInput) -> u64 {
        let id = self.next.fetch_add(1, Ordering::SeqCst);
        let (tx, _) = watch::channel(JobView { id, state: "queued", ..Default::default() });
        let (cancel, cancel_rx) = watch::channel(false);
        let job = Arc::new(Job { tx, cancel, queued_at: self.ticket.fetch_add(1, Ordering::SeqCst) });
        {
            let mut jobs = self.jobs.lock().unwrap_or_else(|e| e.into_inner());
            jobs.insert(id, job.clone());
            while jobs.len() > KEEP {
                let Some(old) = jobs.iter().find(|(_, j)| matches!(j.tx.borrow().state, "done" | "cancelled" | "failed")).map(|(k, _)| *k) else { break };
                jobs.remove(&old);
            }
        }
        let dir = self.work.path().join(format!("job-{id}"));
        let (exe, slots, served) = (self.exe.clone(), self.slots.clone(), self.served.clone());
        tokio::spawn(async move {
            let outcome = run(&job, exe, dir.clone(), slots, cancel_rx, input, served).await;
            let _ = std::fs::remove_dir_all(&dir);
            job.tx.send_modify(|v| {
                v.version += 1;
                match outcome {
                    Ok(Some(result)) => {
                        v.state = "done";
                        v.result = Some(result);
                    }
                    Ok(None) => v.state = "cancelled",
                    Err(e) => {
                        v.state = "failed";
                        v.error = Some(e);
                    }
                }
            });
        });
        id
    }

    fn get(&self, id: u64) -> Option<Arc<Job>> {
        self.jobs.lock().unwrap_or_else(|e| e.into_inner()).get(&id).cloned()
    }

    /// The job's view once its version is above `after` (or after `wait`); None: no such job.
    pub async fn view(&self, id: u64, after: Option<i64>, wait: std::time::Duration) -> Option<JobView> {
        let job = self.get(id)?;
        let mut rx = job.tx.subscribe();
        if let Some(after) = after {
            let _ = tokio::time::timeout(wait, rx.wait_for(|v| v.version as i64 > after)).await;
        }
        let mut v = rx.borrow().clone();
        if v.state == "queued" {
            let served = self.served.load(Ordering::SeqCst);
            v.ahead = job.queued_at.saturating_sub(served) as usize;
        }
        Some(v)
    }

    /// Cancel a job (queued or running); None: no such job.
    pub fn cancel(&self, id: u64) -> Option<()> {
        let job = self.get(id)?;
        let _ = job.cancel.send(true);
        Some(())
    }
}

fn is_cancelled(rx: &watch::Receiver<bool>) -> bool {
    *rx.borrow()
}

/// Resolves when the job is cancelled (never, if its sender is gone).
async fn cancelled(rx: &mut watch::Receiver<bool>) {
    let hit = rx.wait_for(|c| *c).await.is_ok();
    if !hit {
        std::future::pending::<()>().await;
    }
}

/// Wait for a slot, run the child, read its result; Ok(None) when cancelled.
async fn run(job: &Job, exe: PathBuf, dir: PathBuf, slots: Arc<Semaphore>, mut cancel: watch::Receiver<bool>, input: SolveInput, served: Arc<AtomicU64>) -> Result<Option<Value>, String> {
    let permit = tokio::select! {
        p = slots.acquire_owned() => p.map_err(|e| e.to_string())?,
        _ = cancelled(&mut cancel) => { served.fetch_add(1, Ordering::SeqCst); return Ok(None) }
    };
    served.fetch_add(1, Ordering::SeqCst);
    let _permit = permit;
    if is_cancelled(&cancel) {
        return Ok(None);
    }
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let scenario = dir.join("scenario.toml");
    std::fs::write(&scenario, &input.scenario_toml).map_err(|e| e.to_string())?;
    let out = dir.join("out");
    let mut cmd = tokio::process::Command::new(&exe);
    cmd.arg("solve");
    if let Some(p) = &input.entry.path {
        cmd.arg(p);
    }
    cmd.arg("--scenario").arg(&scenario).arg("--out").arg(&out).arg("--quiet").arg("--progress-json");
    cmd.stdin(std::process::Stdio::null()).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::piped()).kill_on_drop(true);
    let t0 = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {}: {e}", exe.display()))?;
    job.tx.send_modify(|v| {
        v.state = "running";
        v.version += 1;
    });
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let mut lines = tokio::io::BufReader::new(stderr).lines();
    let mut text: Vec<String> = Vec::new();
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(l)) => match serde_json::from_str::<Value>(&l) {
                    Ok(p) if p.is_object() => job.tx.send_modify(|v| {
                        v.version += 1;
                        v.elapsed_s = t0.elapsed().as_secs_f64();
                        v.progress = Some(p);
                    }),
                    _ => {
                        text.push(l);
                        if text.len() > 40 { text.remove(0); }
                    }
                },
                _ => break,
            },
            _ = cancelled(&mut cancel) => {
                let _ = child.kill().await;
                return Ok(None);
            }
        }
    }
    let status = tokio::select! {
        s = child.wait() => s.map_err(|e| e.to_string())?,
        _ = cancelled(&mut cancel) => { let _ = child.kill().await; return Ok(None) }
    };
    let message = text.join("\n").trim().to_string();
    match status.code() {
        Some(0) | Some(3) => {
            let entry = input.entry.clone();
            let look = input.look;
            tokio::task::spawn_blocking(move || read_result(&entry, &out, look)).await.map_err(|e| e.to_string())?.map(Some)
        }
        Some(2) if message.contains("infeasible before solving") => Ok(Some(serde_json::json!({
            "solution": { "status": "infeasible", "partition_found": false, "message": message.trim_start_matches("error: ") },
        }))),
        _ => Err(if message.is_empty() { format!("alue solve ended with {status}") } else { message }),
    }
}

/// The solve's `solution.json`, and when it holds a partition the fragments of that partition.
fn read_result(entry: &Entry, out: &std::path::Path, look: Look) -> Result<Value, String> {
    let text = std::fs::read_to_string(out.join("solution.json")).map_err(|e| format!("the solve wrote no solution.json: {e}"))?;
    let solution: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if solution.get("partition_found") != Some(&Value::Bool(true)) {
        return Ok(serde_json::json!({ "solution": solution }));
    }
    let saved = SavedRun::read(out, entry.path.as_deref()).map_err(|e| e.to_string())?;
    let p = Problem::new(&saved.inst, &saved.sc).map_err(|e| e.to_string())?;
    let r = saved.result(&p).map_err(|e| e.to_string())?;
    let mut v = view::render(entry, &r, &p, look, None);
    // The solve's own document, with its solver details, rather than the re-evaluation's.
    v["solution"] = solution;
    Ok(v)
}
