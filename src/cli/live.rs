//! What a long solve shows while it runs (the live line) and the watchdog that holds its time limit.

use super::summary::report;
use crate::Common;
use alue::Problem;

/// The live progress line of a long solve: elapsed, phase, incumbent, bound and gap on stderr,
/// redrawn at least once a second, only when stderr is a terminal (and not with --quiet or
/// --verbose, whose log would interleave with it). Cleared when dropped.
pub struct Live {
    bar: Option<indicatif::ProgressBar>,
    /// Snapshots as JSON lines on stderr instead (--progress-json).
    json: bool,
}

impl Live {
    pub fn start(c: &Common) -> Live {
        use std::io::IsTerminal;
        if c.progress_json {
            return Live { bar: None, json: true };
        }
        if c.quiet || c.verbose || !std::io::stderr().is_terminal() {
            return Live { bar: None, json: false };
        }
        let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}").unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()));
        bar.set_message("reading");
        bar.enable_steady_tick(std::time::Duration::from_millis(250));
        Live { bar: Some(bar), json: false }
    }

    pub fn sink(&self) -> Option<alue::solve::progress::ProgressSink> {
        if self.json {
            return Some(alue::solve::progress::ProgressSink::new(|p| {
                let line = serde_json::json!({ "elapsed_s": alue::machine::process_seconds(), "phase": p.phase, "incumbent": p.incumbent, "bound": p.bound, "gap": p.gap() });
                eprintln!("{line}");
            }));
        }
        let bar = self.bar.clone()?;
        Some(alue::solve::progress::ProgressSink::new(move |p| {
            let f = |x: Option<f64>| x.map_or("–".to_string(), |v| alue::output::thousands(v, 0));
            let gap = p.gap().map_or("–".to_string(), |g| format!("{:.2} %", 100.0 * g));
            bar.set_message(format!("{} · incumbent {} · bound {} · gap {gap}", p.phase, f(p.incumbent), f(p.bound)));
        }))
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// The time limit holds even when HiGHS does not return: the search's progress snapshots leave
/// the best partition and bound here, and if the solve is still running 0.5 s past the limit
/// (counted from the start of the process) a second thread reports that partition, validated,
/// as `time_limit`, writes the outputs and ends the process.
#[derive(Default)]
pub struct Watchdog {
    best: std::sync::Arc<std::sync::Mutex<(Option<(f64, Vec<usize>)>, Option<f64>)>>,
    claimed: std::sync::Mutex<bool>,
}

impl Watchdog {
    /// A sink that records the snapshots, then passes them on.
    pub fn sink(&self, then: Option<alue::solve::progress::ProgressSink>) -> alue::solve::progress::ProgressSink {
        let best = self.best.clone();
        alue::solve::progress::ProgressSink::new(move |pr| {
            if let Ok(mut b) = best.lock() {
                if let (Some(o), Some(h)) = (pr.incumbent, &pr.partition) {
                    if b.0.as_ref().is_none_or(|(x, _)| o < *x) {
                        b.0 = Some((o, h.to_vec()));
                    }
                }
                b.1 = alue::solve::progress::either(b.1, pr.bound, f64::max);
            }
            if let Some(t) = &then {
                (t.0)(pr);
            }
        })
    }

    /// The first of the solve and the watchdog to claim the output writes it.
    pub fn claim(&self) -> bool {
        let mut c = self.claimed.lock().unwrap_or_else(|e| e.into_inner());
        !std::mem::replace(&mut *c, true)
    }

    /// After the solve: go on unless the watchdog is already writing (then it ends the process).
    pub fn claim_or_wait(&self) {
        if !self.claim() {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(60));
            }
        }
    }

    /// Wait for the solve; past `limit` + 0.5 s, report the best partition and exit.
    pub fn guard(&self, solved: std::sync::mpsc::Receiver<()>, limit: f64, p: &Problem, c: &Common) {
        let wait = (limit + 0.5 - alue::machine::process_seconds()).max(0.0);
        if !matches!(solved.recv_timeout(std::time::Duration::from_secs_f64(wait)), Err(std::sync::mpsc::RecvTimeoutError::Timeout)) || !self.claim() {
            return;
        }
        let (best, bound) = self.best.lock().map(|b| b.clone()).unwrap_or_default();
        eprintln!("\nalue: the solve had not returned {limit} s after the start (HiGHS was in a step that does not look at its clock); reporting the best partition it found");
        let code = match alue::run_stopped(p, best.as_ref(), bound, alue::machine::process_seconds()).and_then(|r| report(&r, p, c)) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                1
            }
        };
        alue::machine::exit_now(code);
    }
}
