//! The live progress line: on a pseudo-terminal (util-linux `script` gives the run one), a long
//! solve draws at least two distinct updates, each with elapsed time, phase, incumbent, bound and
//! gap; with stderr to a file there is none. The bound it shows never exceeds the final objective.

use std::process::Command;

/// The progress updates in a terminal transcript: the text between carriage returns / erase codes.
fn updates(transcript: &str) -> Vec<String> {
    let plain = regex::Regex::new(r"\x1b\[[0-9;?]*[A-Za-z]").unwrap().replace_all(transcript, "\n").to_string();
    let mut v: Vec<String> = plain.split(['\r', '\n']).map(str::trim).filter(|l| l.contains(" · incumbent ")).map(String::from).collect();
    v.dedup();
    v
}

#[test]
fn a_long_solve_shows_live_progress_on_a_terminal_only() {
    if Command::new("script").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "util-linux `script` is needed");
        eprintln!("skipped: no `script` command");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let alue = env!("CARGO_BIN_EXE_alue");
    // The travel-only corner: a few seconds of LP rounds, probing and MIP rounds.
    let args = "solve --set time_value=0 --set trips_per_jobseeker=2 --set time_limit=8";
    let log = dir.path().join("tty.log");
    let o = Command::new("script").args(["-q", "-e", "-c", &format!("{alue} {args} --out {}", dir.path().join("o").display())]).arg(&log).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let transcript = std::fs::read_to_string(&log).unwrap();
    let ups = updates(&transcript);
    assert!(ups.len() >= 2, "fewer than two progress updates on a terminal:\n{transcript}");
    let re = regex::Regex::new(r"^\S+\s+\d+s (.+) · incumbent (\S+(?: \S+)*) · bound (\S+(?: \S+)*) · gap (\S+(?: %)?)$").unwrap();
    let mut phases = std::collections::BTreeSet::new();
    for u in &ups {
        let c = re.captures(u).unwrap_or_else(|| panic!("an update without elapsed, phase, incumbent, bound and gap: `{u}`"));
        phases.insert(c[1].to_string());
    }
    assert!(phases.len() >= 2, "one phase only: {phases:?}");
    let sol: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("o/solution.json")).unwrap()).unwrap();
    let objective = sol["objective"].as_f64().unwrap();
    for u in &ups {
        let b = re.captures(u).unwrap()[3].replace(' ', "");
        if let Ok(b) = b.parse::<f64>() {
            assert!(b <= objective + 1.0, "shown bound {b} above the final objective {objective}: `{u}`");
        }
    }
    // stderr to a file: no progress at all.
    let err = dir.path().join("err.txt");
    let o = Command::new("sh").arg("-c").arg(format!("{alue} {args} 2> {}", err.display())).output().unwrap();
    assert!(o.status.success());
    let e = std::fs::read_to_string(&err).unwrap();
    assert!(!e.contains("incumbent"), "progress written to a file: {e}");
}
