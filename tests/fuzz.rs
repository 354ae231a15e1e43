//! Mutation fuzzing of every reader, through the CLI exactly as a user runs it and in-process.
//!
//! Each reader starts from a real shipped file (the built-in instance's units, adjacency, boundaries
//! and 2025 partition, a distance matrix of its municipalities, New Mexico's county graph, a
//! scenario, a 4-scenario sweep spec, and the `solution.json`, `sweep.json` and `results.jsonl` of
//! real runs). A mutant is that file changed by one operator (sometimes two): bytes flipped or cut,
//! lines dropped, duplicated or swapped, a field emptied, a number replaced by `NaN`, `inf`, `1e308`,
//! `-0` or a 10 000-digit string, the text re-encoded as Latin-1 or UTF-16 with a BOM, CRLF line
//! ends, a BOM in the middle, or a deeply nested value.
//!
//! Every CLI run must end with exit 0, 2 or 3 within 5 s under a 4 GiB address-space limit; never a
//! panic. On exit 2 the message names the file and nothing is written (the case folder is unchanged,
//! byte for byte); on exit 3 the outputs are complete and say `status: infeasible`.
//!
//! `ALUE_FUZZ_CLI` (mutants per reader through the CLI, default 300) and `ALUE_FUZZ_CASES`
//! (in-process reader calls per reader, default 200) scale the runs, `ALUE_FUZZ_READER=units`
//! (say) runs one reader only; the by-hand run of the README
//! uses `ALUE_FUZZ_CASES=100000 cargo test --release --test fuzz in_process`.

use proptest::prelude::*;

use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn env_usize(k: &str, default: usize) -> usize {
    std::env::var(k).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

// ---------------------------------------------------------------------------------------------
// Mutation operators.

/// The mutation operators, applied by name so that their use can be counted.
const OPS: &[&str] = &[
    "flip", "cut", "drop_line", "dup_line", "swap_lines", "empty_field", "nan", "inf", "huge", "neg_zero", "long_digits", "latin1", "utf16", "crlf", "bom_middle",
    "deep_nest",
];

/// Byte ranges of number tokens (`-12.5`, `1e3`, `064`) in the text.
fn numbers(t: &[u8]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut k = 0;
    while k < t.len() {
        let starts = t[k].is_ascii_digit() && (k == 0 || !(t[k - 1].is_ascii_alphanumeric() || t[k - 1] == b'_'));
        if starts {
            let s = if k > 0 && t[k - 1] == b'-' { k - 1 } else { k };
            let mut e = k;
            while e < t.len() && (t[e].is_ascii_digit() || t[e] == b'.' || ((t[e] == b'e' || t[e] == b'E') && e + 1 < t.len() && (t[e + 1].is_ascii_digit() || t[e + 1] == b'-'))) {
                e += 1;
                if e < t.len() && t[e - 1].eq_ignore_ascii_case(&b'e') && t[e] == b'-' {
                    e += 1;
                }
            }
            v.push((s, e));
            k = e;
        } else {
            k += 1;
        }
    }
    v
}

/// Byte ranges of field-like tokens: numbers, words and quoted strings' contents.
fn fields(t: &[u8]) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let mut k = 0;
    while k < t.len() {
        if t[k].is_ascii_alphanumeric() || t[k] >= 0x80 || t[k] == b'.' || t[k] == b'-' {
            let s = k;
            while k < t.len() && (t[k].is_ascii_alphanumeric() || t[k] >= 0x80 || t[k] == b'.' || t[k] == b'-' || t[k] == b'_') {
                k += 1;
            }
            v.push((s, k));
        } else {
            k += 1;
        }
    }
    v
}

fn lines(t: &[u8]) -> Vec<Vec<u8>> {
    t.split_inclusive(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

fn replace(t: &[u8], (s, e): (usize, usize), with: &[u8]) -> Vec<u8> {
    [&t[..s], with, &t[e..]].concat()
}

/// Apply operator `op` to `t`; `json`/`toml` choose the deep-nesting form.
fn mutate(t: &[u8], op: &str, rng: &mut impl Rng, kind: Kind) -> Vec<u8> {
    let pick = |rng: &mut dyn rand::RngCore, v: &[(usize, usize)]| -> Option<(usize, usize)> { (!v.is_empty()).then(|| v[rng.random_range(0..v.len())]) };
    let number_with = |rng: &mut dyn rand::RngCore, with: &[u8]| match pick(rng, &numbers(t)) {
        Some(r) => replace(t, r, with),
        None => t.to_vec(),
    };
    match op {
        "flip" => {
            let mut v = t.to_vec();
            for _ in 0..rng.random_range(1..4) {
                if !v.is_empty() {
                    let k = rng.random_range(0..v.len());
                    v[k] ^= 1 << rng.random_range(0..8);
                }
            }
            v
        }
        "cut" => t[..rng.random_range(0..=t.len())].to_vec(),
        "drop_line" | "dup_line" | "swap_lines" | "bom_middle" => {
            let mut ls = lines(t);
            if ls.is_empty() {
                return t.to_vec();
            }
            let a = rng.random_range(0..ls.len());
            match op {
                "drop_line" => {
                    ls.remove(a);
                }
                "dup_line" => {
                    let l = ls[a].clone();
                    ls.insert(a, l);
                }
                "swap_lines" => {
                    let b = rng.random_range(0..ls.len());
                    ls.swap(a, b);
                }
                _ => {
                    let a = rng.random_range(1..=ls.len()).min(ls.len() - 1).max(if ls.len() > 1 { 1 } else { 0 });
                    ls[a].splice(0..0, "\u{feff}".bytes());
                }
            }
            ls.concat()
        }
        "empty_field" => match pick(rng, &fields(t)) {
            Some(r) => replace(t, r, b""),
            None => t.to_vec(),
        },
        "nan" => number_with(rng, b"NaN"),
        "inf" => {
            let w: &[u8] = if rng.random_bool(0.5) { b"inf" } else { b"-inf" };
            number_with(rng, w)
        }
        "huge" => {
            let w: &[u8] = if rng.random_bool(0.5) { b"1e308" } else { b"-1e308" };
            number_with(rng, w)
        }
        "neg_zero" => number_with(rng, b"-0"),
        "long_digits" => {
            let digits: String = (0..10_000).map(|k| if k == 0 { '9' } else { char::from(b'0' + (k % 10) as u8) }).collect();
            number_with(rng, digits.as_bytes())
        }
        "latin1" => String::from_utf8_lossy(t).chars().map(|c| if (c as u32) < 256 { c as u8 } else { b'?' }).collect(),
        "utf16" => [0xff, 0xfe].into_iter().chain(String::from_utf8_lossy(t).encode_utf16().flat_map(u16::to_le_bytes)).collect(),
        "crlf" => String::from_utf8_lossy(t).replace("\r\n", "\n").replace('\n', "\r\n").into_bytes(),
        "deep_nest" => {
            let depth = 10_000;
            match kind {
                Kind::Json => number_with(rng, format!("{}1{}", "[".repeat(depth), "]".repeat(depth)).as_bytes()),
                Kind::Toml => {
                    let mut v = t.to_vec();
                    let at = lines(t).first().map_or(0, Vec::len);
                    let nest = format!("deep = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
                    v.splice(at..at, nest.bytes());
                    v
                }
                Kind::Csv => number_with(rng, format!("\"{}\"", "[".repeat(depth)).as_bytes()),
            }
        }
        _ => unreachable!("unknown operator {op}"),
    }
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    Csv,
    Json,
    Toml,
}

/// The k-th mutant of `base`: operators in turn (so each is used evenly), every fifth stacks a
/// second one; deterministic in (seed, k).
fn mutant(base: &[u8], kind: Kind, seed: u64, k: usize, used: &mut BTreeMap<&'static str, usize>) -> Vec<u8> {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed ^ (k as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let op = OPS[k % OPS.len()];
    *used.entry(op).or_default() += 1;
    let mut m = mutate(base, op, &mut rng, kind);
    if k % 5 == 4 {
        let op2 = OPS[rng.random_range(0..OPS.len())];
        *used.entry(op2).or_default() += 1;
        m = mutate(&m, op2, &mut rng, kind);
    }
    m
}

// ---------------------------------------------------------------------------------------------
// Base files.

/// The real files each reader starts from, made once per test process.
struct Bases {
    _dir: tempfile::TempDir,
    distance: Vec<u8>,
    solution: PathBuf,
    sweep: PathBuf,
}

fn alue_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_alue"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

const SCENARIO: &str = "# A scenario touching thresholds, costs, hubs and reach.
caseload = 149
staff_cost = 65000
admin_cost = 500000
max_distance_km = 400
hubs_forbidden = [\"069\"]
cost_share_key = \"population\"
data_year = 2022

[min]
labour_force = 20000
";

const SPEC: &str = "description = \"fuzz base: 4 scenarios\"
[set]
time_limit = 1
contiguity = false

[[axis]]
key = \"caseload\"
values = [149, 120]

[[axis]]
key = \"min.labour_force\"
values = [20000, 25000]
";

fn bases() -> &'static Bases {
    static B: std::sync::OnceLock<Bases> = std::sync::OnceLock::new();
    B.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let inst = alue::Instance::builtin().unwrap();
        let mut d = String::from("code_a,code_b,km\n");
        for (i, a) in inst.units.iter().enumerate() {
            for b in &inst.units[i + 1..] {
                d += &format!("{},{},{:.1}\n", a.code, b.code, 1.3 * alue::instance::distance::great_circle_km(a.lat, a.lon, b.lat, b.lon));
            }
        }
        let solution = dir.path().join("solution");
        let o = Command::new(alue_bin()).args(["solve", "--set", "time_limit=20", "--out"]).arg(&solution).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let spec = dir.path().join("spec.toml");
        std::fs::write(&spec, SPEC).unwrap();
        let sweep = dir.path().join("sweep");
        let o = Command::new(alue_bin()).arg("sweep").arg(&spec).arg("--out").arg(&sweep).args(["--quiet", "--jobs", "2"]).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        Bases { _dir: dir, distance: d.into_bytes(), solution, sweep }
    })
}

// ---------------------------------------------------------------------------------------------
// One reader, its base file and how a user feeds it to alue.

#[derive(Clone, Copy, Debug, PartialEq)]
enum Reader {
    Units,
    Adjacency,
    Distance,
    Partition,
    Boundaries,
    Networkx,
    Scenario,
    SweepSpec,
    SolutionJson,
    SweepJson,
    ResultsJsonl,
}

const READERS: &[Reader] = &[
    Reader::Units,
    Reader::Adjacency,
    Reader::Distance,
    Reader::Partition,
    Reader::Boundaries,
    Reader::Networkx,
    Reader::Scenario,
    Reader::SweepSpec,
    Reader::SolutionJson,
    Reader::SweepJson,
    Reader::ResultsJsonl,
];

impl Reader {
    fn kind(self) -> Kind {
        match self {
            Reader::Boundaries | Reader::Networkx | Reader::SolutionJson | Reader::SweepJson | Reader::ResultsJsonl => Kind::Json,
            Reader::Scenario | Reader::SweepSpec => Kind::Toml,
            _ => Kind::Csv,
        }
    }

    fn base(self) -> Vec<u8> {
        let b = bases();
        let pp = root().join("instances/pohjois-pohjanmaa");
        match self {
            Reader::Units => std::fs::read(pp.join("units.csv")).unwrap(),
            Reader::Adjacency => std::fs::read(pp.join("adjacency.csv")).unwrap(),
            Reader::Distance => b.distance.clone(),
            Reader::Partition => std::fs::read(pp.join("partition-2025.csv")).unwrap(),
            Reader::Boundaries => std::fs::read(pp.join("boundaries.geojson")).unwrap(),
            Reader::Networkx => std::fs::read(root().join("instances/hess/county35.json")).unwrap(),
            Reader::Scenario => SCENARIO.as_bytes().to_vec(),
            Reader::SweepSpec => SPEC.as_bytes().to_vec(),
            Reader::SolutionJson => std::fs::read(b.solution.join("solution.json")).unwrap(),
            Reader::SweepJson => std::fs::read(b.sweep.join("sweep.json")).unwrap(),
            Reader::ResultsJsonl => std::fs::read(b.sweep.join("results.jsonl")).unwrap(),
        }
    }

    /// Lay out a case folder with the mutant in place; returns (the mutated file, the alue
    /// arguments, the --out path whose contents are checked). `solve` picks the solve path for
    /// readers that have both.
    fn setup(self, case: &Path, mutant: &[u8], solve: bool) -> (PathBuf, Vec<String>, Option<PathBuf>) {
        let b = bases();
        let s = |p: &Path| p.display().to_string();
        let inst = case.join("inst");
        let out = case.join("out");
        let limit = ["--set".to_string(), "time_limit=2".to_string()];
        let pp = root().join("instances/pohjois-pohjanmaa");
        let needs_inst = matches!(self, Reader::Units | Reader::Adjacency | Reader::Distance | Reader::Partition | Reader::Boundaries | Reader::Scenario);
        if needs_inst {
            copy_dir(&pp, &inst);
        }
        let run_instance = |extra: Vec<String>| -> Vec<String> {
            let mut a = if solve { vec!["solve".into(), s(&inst)] } else { vec!["evaluate".into(), s(&inst), "--partition".into(), s(&inst.join("partition-2025.csv")), "--no-compare".into()] };
            a.extend(extra);
            a.extend(limit.iter().cloned());
            a.extend(["--out".into(), s(&out)]);
            a
        };
        let write = |p: &Path| {
            std::fs::write(p, mutant).unwrap();
            p.to_path_buf()
        };
        match self {
            Reader::Units => (write(&inst.join("units.csv")), run_instance(vec![]), Some(out.clone())),
            Reader::Adjacency => (write(&inst.join("adjacency.csv")), run_instance(vec![]), Some(out.clone())),
            Reader::Boundaries => {
                // Without adjacency.csv the adjacency comes from the polygons.
                std::fs::remove_file(inst.join("adjacency.csv")).unwrap();
                (write(&inst.join("boundaries.geojson")), run_instance(vec![]), Some(out.clone()))
            }
            Reader::Distance => {
                let f = write(&case.join("distances.csv"));
                (f.clone(), run_instance(vec!["--set".into(), format!("distance_matrix={}", s(&f))]), Some(out.clone()))
            }
            Reader::Partition => {
                let f = write(&case.join("plan.csv"));
                let mut a = if solve { vec!["solve".into(), s(&inst), "--set".into(), "min.labour_force=15000".into()] } else { vec!["evaluate".into(), s(&inst), "--partition".into(), s(&f), "--no-compare".into()] };
                a.extend(limit.iter().cloned());
                a.extend(["--out".into(), s(&out)]);
                if solve {
                    // The plan as the instance's own 2025 partition (a start for the solve).
                    return (write(&inst.join("partition-2025.csv")), a, Some(out.clone()));
                }
                (f, a, Some(out.clone()))
            }
            Reader::Scenario => {
                let f = write(&case.join("scenario.toml"));
                (f.clone(), run_instance(vec!["--scenario".into(), s(&f)]), Some(out.clone()))
            }
            Reader::Networkx => {
                let f = write(&case.join("county35.json"));
                let mut a = vec!["solve".into(), s(&f), "--preset".into(), "hess".into(), "--set".into(), "areas=2".into()];
                a.extend(limit.iter().cloned());
                a.extend(["--out".into(), s(&out)]);
                (f, a, Some(out.clone()))
            }
            Reader::SweepSpec => {
                let f = write(&case.join("spec.toml"));
                (f.clone(), vec!["sweep".into(), s(&f), "--out".into(), s(&out), "--quiet".into(), "--jobs".into(), "2".into()], Some(out.clone()))
            }
            Reader::SolutionJson => {
                let dir = case.join("run");
                copy_dir(&b.solution, &dir);
                let f = write(&dir.join("solution.json"));
                let html = case.join("report.html");
                (f, vec!["report".into(), s(&dir), "--out".into(), s(&html)], Some(html))
            }
            Reader::SweepJson | Reader::ResultsJsonl => {
                let dir = case.join("sweep");
                copy_dir(&b.sweep, &dir);
                let f = write(&dir.join(if self == Reader::SweepJson { "sweep.json" } else { "results.jsonl" }));
                // In turn: analyse (rewrites the folder's analysis), merge, report.
                let h = mutant.len() % 3;
                match h {
                    0 => (f, vec!["analyse".into(), s(&dir)], None),
                    1 => (f, vec!["merge".into(), s(&dir), "--out".into(), s(&out), "--partial".into()], Some(out.clone())),
                    _ => (f, vec!["report".into(), s(&dir), "--out".into(), s(&case.join("report.html"))], Some(case.join("report.html"))),
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running one mutant through the CLI.

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut m = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                m.insert(p.clone(), std::fs::read(&p).unwrap_or_default());
            }
        }
    }
    m
}

/// What one CLI run gave.
struct Outcome {
    code: Option<i32>,
    seconds: f64,
    problem: Option<String>,
}

const HANG: Duration = Duration::from_secs(30);
const LIMIT_SECONDS: f64 = 5.0;

fn run_case(reader: Reader, mutant: &[u8], solve: bool) -> Outcome {
    let case = tempfile::tempdir().unwrap();
    let (file, args, out) = reader.setup(case.path(), mutant, solve);
    let before = snapshot(case.path());
    let t0 = Instant::now();
    // A 4 GiB address-space limit, as the issue asks.
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 4194304 && exec \"$0\" \"$@\"")
        .arg(alue_bin())
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let reader_thread = std::thread::spawn(move || {
        let mut s = String::new();
        use std::io::Read;
        let _ = std::io::BufReader::new(stderr).take(1 << 20).read_to_string(&mut s);
        s
    });
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break Some(st);
        }
        if t0.elapsed() > HANG {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let seconds = t0.elapsed().as_secs_f64();
    let err = reader_thread.join().unwrap();
    let code = status.and_then(|s| s.code());
    let name = file.file_name().unwrap().to_string_lossy().to_string();
    let problem = match code {
        None => Some(format!("hung or killed by a signal after {seconds:.1} s")),
        Some(c) if !matches!(c, 0 | 2 | 3) => Some(format!("exit {c}: {err}")),
        _ if err.contains("panicked") => Some(format!("panic: {err}")),
        _ if seconds > LIMIT_SECONDS => Some(format!("took {seconds:.1} s")),
        Some(2) if !err.contains(&name) => Some(format!("exit 2 without naming {name}: {err}")),
        Some(2) if snapshot(case.path()) != before => Some(format!("exit 2 but files changed: {err}")),
        Some(3) => match out.as_ref().map(|o| std::fs::read_to_string(o.join("solution.json"))) {
            Some(Ok(j)) if j.contains("\"status\": \"infeasible\"") && ["areas.csv", "municipalities.csv"].iter().all(|f| out.as_ref().unwrap().join(f).exists()) => None,
            _ => Some(format!("exit 3 without complete outputs saying infeasible: {err}")),
        },
        _ => None,
    };
    Outcome { code, seconds, problem }
}

/// The tally of one reader's CLI mutants.
#[derive(Default)]
struct Tally {
    tried: usize,
    by_code: BTreeMap<String, usize>,
    slowest: f64,
    problems: Vec<String>,
}

fn fuzz_reader_cli(reader: Reader, n: usize, used: &Mutex<BTreeMap<&'static str, usize>>) -> Tally {
    let base = reader.base();
    let mut mutants = Vec::with_capacity(n);
    {
        let mut u = used.lock().unwrap();
        for k in 0..n {
            mutants.push(mutant(&base, reader.kind(), 0xa1_0e ^ reader as u64, k, &mut u));
        }
    }
    let tally = Mutex::new(Tally::default());
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| loop {
                let k = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if k >= n {
                    break;
                }
                // Every tenth instance mutant goes through a solve (exit 3 is possible there).
                let solve = k % 10 == 9;
                let o = run_case(reader, &mutants[k], solve);
                let mut t = tally.lock().unwrap();
                t.tried += 1;
                *t.by_code.entry(o.code.map_or("signal".into(), |c| c.to_string())).or_default() += 1;
                t.slowest = t.slowest.max(o.seconds);
                if let Some(p) = o.problem {
                    if t.problems.len() < 5 {
                        let dump = std::env::temp_dir().join(format!("alue-fuzz-{reader:?}-{k}"));
                        let _ = std::fs::write(&dump, &mutants[k]);
                        t.problems.push(format!("{reader:?} mutant {k} (saved as {}): {p}", dump.display()));
                    }
                }
            });
        }
    });
    tally.into_inner().unwrap()
}

#[test]
fn every_reader_survives_mutants_through_the_cli() {
    let n = env_usize("ALUE_FUZZ_CLI", 300);
    let used = Mutex::new(BTreeMap::new());
    let only = std::env::var("ALUE_FUZZ_READER").ok();
    let mut report = String::from("reader | mutants | exit 0 | exit 2 | exit 3 | other | slowest s\n");
    let mut problems = Vec::new();
    for &r in READERS {
        if only.as_deref().is_some_and(|o| !format!("{r:?}").eq_ignore_ascii_case(o)) {
            continue;
        }
        let t = fuzz_reader_cli(r, n, &used);
        let c = |k: &str| t.by_code.get(k).copied().unwrap_or(0);
        let other = t.tried - c("0") - c("2") - c("3");
        report += &format!("{r:?} | {} | {} | {} | {} | {other} | {:.2}\n", t.tried, c("0"), c("2"), c("3"), t.slowest);
        problems.extend(t.problems);
        // The fuzzing reaches past the header: at least a tenth of the mutants are accepted.
        if n >= 100 && c("0") * 10 < t.tried {
            problems.push(format!("{r:?}: only {} of {} mutants accepted (exit 0)", c("0"), t.tried));
        }
    }
    eprintln!("{report}operators used: {:?}", used.lock().unwrap());
    if let Ok(f) = std::env::var("ALUE_FUZZ_REPORT") {
        std::fs::write(f, format!("{report}operators used: {:?}\n", used.lock().unwrap())).unwrap();
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    if only.is_none() && n >= 300 {
        for op in OPS {
            assert!(used.lock().unwrap().get(op).copied().unwrap_or(0) >= 100, "operator {op} used fewer than 100 times");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// In-process: the library's readers called directly on mutants (no panic; errors name the file).

/// Ok(true): accepted; Ok(false): refused with a message naming the file; Err: what went wrong.
fn read_in_process(reader: Reader, bytes: Vec<u8>, scratch: &Path) -> Result<bool, String> {
    use alue::instance::{adjacency, distance, geometry, networkx, units};
    let inst = alue::Instance::builtin().unwrap();
    let codes: Vec<String> = inst.units.iter().map(|u| u.code.clone()).collect();
    let file = match reader {
        Reader::Units => "units.csv",
        Reader::Adjacency => "adjacency.csv",
        Reader::Distance => "distances.csv",
        Reader::Partition => "plan.csv",
        Reader::Boundaries => "boundaries.geojson",
        Reader::Networkx => "county35.json",
        Reader::Scenario => "scenario.toml",
        Reader::SweepSpec => "spec.toml",
        Reader::SolutionJson => "solution.json",
        Reader::SweepJson => "sweep.json",
        Reader::ResultsJsonl => "results.jsonl",
    };
    let named = |e: alue::Error| -> String { e.to_string() };
    let text = || alue::text::decode(file, bytes.clone()).map_err(named);
    let r: Result<(), String> = match reader {
        Reader::Units => text().and_then(|t| units::parse_units(file, &t).map(|_| ()).map_err(named)),
        Reader::Adjacency => text().and_then(|t| adjacency::parse_adjacency(file, &t, &codes).map(|_| ()).map_err(named)),
        Reader::Distance => text().and_then(|t| distance::parse_matrix(file, &t, &codes).map(|_| ()).map_err(named)),
        Reader::Partition => text().and_then(|t| alue::solution::parse_partition(file, &t, &inst).map(|_| ()).map_err(named)),
        Reader::Boundaries => text().and_then(|t| geometry::parse_boundaries(file, &t, &codes).map(|_| ()).map_err(named)),
        Reader::Networkx => text().and_then(|t| networkx::parse(file, &t).map(|_| ()).map_err(named)),
        Reader::Scenario => text().and_then(|t| alue::Scenario::default().apply_toml(file, &t).map_err(named)),
        Reader::SweepSpec => text().and_then(|t| alue::sweep::spec::Spec::parse(file, scratch, &t).and_then(|s| s.points().map(|_| ())).map_err(named)),
        Reader::SolutionJson | Reader::SweepJson | Reader::ResultsJsonl => {
            let dir = scratch.join("d");
            std::fs::create_dir_all(&dir).unwrap();
            let b = bases();
            let src = if reader == Reader::SolutionJson { &b.solution } else { &b.sweep };
            for f in ["solution.json", "sweep.json", "results.jsonl"] {
                if src.join(f).exists() {
                    std::fs::copy(src.join(f), dir.join(f)).unwrap();
                }
            }
            std::fs::write(dir.join(file), &bytes).unwrap();
            match reader {
                Reader::SolutionJson => alue::report::SavedRun::read(&dir, None).map(|_| ()).map_err(named),
                Reader::SweepJson => alue::sweep::results::Manifest::read(&dir).map(|_| ()).map_err(named),
                _ => alue::sweep::results::read_results(&dir.join(file), false).map(|_| ()).map_err(named),
            }
        }
    };
    match r {
        Err(e) if !e.contains(file) => Err(format!("the error does not name {file}: {e}")),
        Err(_) => Ok(false),
        Ok(()) => Ok(true),
    }
}

/// At least 2 000 in-process reader calls (200 per reader by default), drawn by proptest: none
/// panics, every error names its file. Prints per reader how many were accepted and refused.
#[test]
fn in_process_readers_never_panic() {
    use proptest::test_runner::{Config, TestRunner};
    let per_reader = env_usize("ALUE_FUZZ_CASES", 200);
    let tally: Mutex<BTreeMap<String, (usize, usize)>> = Mutex::new(BTreeMap::new());
    let scratch = tempfile::tempdir().unwrap();
    let only = std::env::var("ALUE_FUZZ_READER").ok();
    for (r, &reader) in READERS.iter().enumerate() {
        if only.as_deref().is_some_and(|o| !format!("{reader:?}").eq_ignore_ascii_case(o)) {
            continue;
        }
        let base = reader.base();
        let mut runner = TestRunner::new(Config { cases: per_reader as u32, failure_persistence: None, ..Config::default() });
        let t0 = Instant::now();
        let result = runner.run(&(0usize..1_000_000, any::<u64>()), |(k, seed)| {
            let mut used = BTreeMap::new();
            let m = mutant(&base, reader.kind(), seed, k, &mut used);
            let res = read_in_process(reader, m, &scratch.path().join(r.to_string()));
            let mut t = tally.lock().unwrap();
            let e = t.entry(format!("{reader:?}")).or_default();
            match &res {
                Ok(true) => e.0 += 1,
                _ => e.1 += 1,
            }
            prop_assert!(res.is_ok(), "{:?}: {}", reader, res.unwrap_err());
            Ok(())
        });
        let (ok, err) = tally.lock().unwrap().get(&format!("{reader:?}")).copied().unwrap_or_default();
        eprintln!("{reader:?}: {} in-process calls, {ok} accepted, {err} refused, {:.1} s", ok + err, t0.elapsed().as_secs_f64());
        if let Err(e) = result {
            panic!("{reader:?}: {e}");
        }
    }
}
