//! The long commands of the command line: each loads, runs the library's pipeline and prints.

use super::live::{Live, Watchdog};
use super::summary::report;
use crate::{scenario_of, Common};
use alue::solve::SolveOptions;
use alue::{instance::Instance, Error, Problem};
use std::path::PathBuf;

/// `alue solve`: load, solve under the watchdog with the live line, report.
pub fn solve_command(common: &Common, opts: SolveOptions, path_fixing: bool) -> alue::Result<u8> {
    let sc = scenario_of(common)?;
    let inst = Instance::load(common.instance.as_deref())?;
    let inst = sc.instance(&inst)?;
    let p = Problem::with_path_fixing(&inst, &sc, path_fixing)?;
    let live = Live::start(common);
    let watch = Watchdog::default();
    let sink = watch.sink(live.sink());
    let limit = sc.time_limit;
    let result = std::thread::scope(|s| {
        let (done, stopped) = std::sync::mpsc::channel::<()>();
        s.spawn(|| watch.guard(stopped, limit, &p, common));
        let r = alue::run_solve(&p, &SolveOptions { progress: Some(sink), ..opts });
        let _ = done.send(());
        r
    });
    watch.claim_or_wait();
    drop(live);
    let result = result?;
    report(&result, &p, common)?;
    Ok(if result.status == alue::Status::Infeasible { 3 } else { 0 })
}

/// `alue bench`: run a suite, each case its own process, and write its section.
pub fn bench_command(suite: String, repeat: usize, out: PathBuf) -> alue::Result<u8> {
    let exe = std::env::current_exe().map_err(|e| Error::Solver(format!("cannot find the alue executable: {e}")))?;
    let work = tempfile::tempdir().map_err(|e| Error::Output { file: "temporary folder".into(), message: e.to_string() })?;
    if suite == "sweep" {
        // A twentieth of the 1 000-scenario spec (every twentieth chain), on 1 and 2 jobs.
        let spec = alue::bench::root().join("instances/sweeps/reform-1000.toml");
        let shard = "0/20";
        let runs = alue::bench::sweep_throughput(&exe, &spec, Some(shard), &[1, 2], work.path())?;
        let section = alue::bench::render_sweep(&runs, "instances/sweeps/reform-1000.toml", Some(shard), &alue::bench::machine());
        return write_section(&out, &section, alue::bench::splice);
    }
    if suite == "serve" {
        let figures = alue::bench::serve::measure(&exe, work.path())?;
        let section = alue::bench::serve::render(&figures, &alue::bench::machine());
        return write_section(&out, &section, alue::bench::serve::splice);
    }
    let cases = alue::bench::suite(&suite, &alue::bench::root(), work.path(), repeat)?;
    let mut results = Vec::new();
    for (k, case) in cases.iter().enumerate() {
        let m = alue::bench::run(&exe, case, work.path());
        eprintln!("[{}/{}] {} {} contiguity={}{}: {} {} ({:.2} s median of {})", k + 1, cases.len(), case.suite, case.label, case.contiguity,
            case.off.as_ref().map(|o| format!(" without {o}")).unwrap_or_default(), m.status,
            m.objective.map(|o| format!("{o:.2}")).unwrap_or_else(|| m.error.clone().unwrap_or_default()), m.median(), m.walls.len());
        results.push(m);
    }
    // Each suite run replaces its own section; the other suites, the notes and the sweep section stay.
    let earlier = std::fs::read_to_string(&out).unwrap_or_default();
    let doc = alue::bench::merge(&earlier, &alue::bench::render_sections(&results, &alue::bench::machine()));
    alue::output::write_atomic(&out, doc.as_bytes())?;
    println!("wrote      {}", out.display());
    Ok(if results.iter().any(|r| r.status == "error") { 1 } else { 0 })
}

/// Put `section` into the Markdown file `out` in place of its earlier version (`splice`), and print it.
fn write_section(out: &std::path::Path, section: &str, splice: fn(&str, &str) -> String) -> alue::Result<u8> {
    let doc = std::fs::read_to_string(out).unwrap_or_else(|_| "# Benchmarks\n".into());
    alue::output::write_atomic(out, splice(&doc, section).as_bytes())?;
    print!("{section}");
    println!("wrote      {}", out.display());
    Ok(0)
}

/// `alue sweep`: prepare, run (resuming what the folder holds) and analyse.
pub fn sweep_command(spec: PathBuf, out: PathBuf, jobs: Option<usize>, shard: Option<String>, no_warm_start: bool, quiet: bool) -> alue::Result<u8> {
    let shard = shard.as_deref().map(alue::sweep::parse_shard).transpose()?;
    let spec = alue::sweep::spec::Spec::load(&spec)?;
    let prep = alue::sweep::prepare(spec)?;
    let mut opts = alue::sweep::SweepOptions { shard, warm_start: !no_warm_start, progress: !quiet, ..Default::default() };
    if let Some(j) = jobs {
        opts.jobs = j;
    }
    let mine = prep.points.len();
    eprintln!("sweep      {} scenarios on {}{}, {} at a time{}", mine, prep.manifest.instance,
        shard.map(|(i, n)| format!(", shard {i}/{n}")).unwrap_or_default(), opts.jobs,
        if prep.infeasible.is_empty() { String::new() } else { format!("; {} infeasible before solving", prep.infeasible.len()) });
    let s = alue::sweep::run(&prep, &out, &opts)?;
    println!("solved     {} scenario(s) in {:.1} s wall ({:.2} scenarios/s); {} found done in {} (resumed); {} in this run",
        s.solved, s.seconds, s.solved as f64 / s.seconds.max(1e-9), s.resumed, out.display(), s.scenarios);
    let invalid = s.records.iter().filter(|r| !r.validated && r.status != "infeasible").count();
    print!("{}", s.analysis.text);
    for f in &s.files {
        println!("wrote      {f}");
    }
    if invalid > 0 {
        return Err(Error::Solver(format!("{invalid} result(s) did not pass the validator")));
    }
    Ok(0)
}

/// `alue export`: the exact model as MPS or LP.
pub fn export_command(common: Common, format: String, file: Option<PathBuf>) -> alue::Result<u8> {
    let sc = scenario_of(&common)?;
    let inst = Instance::load(common.instance.as_deref())?;
    let inst = sc.instance(&inst)?;
    let p = Problem::new(&inst, &sc)?;
    let fmt = if format == "lp" { alue::export::Format::Lp } else { alue::export::Format::Mps };
    let path = file.unwrap_or_else(|| PathBuf::from(format!("model.{}", fmt.extension())));
    alue::export::export(&p, fmt, &path)?;
    println!("wrote      {} (the exact model: {} units, contiguity {}, objective unit {})", path.display(), inst.n(),
        if sc.contiguity { "as a single-commodity flow" } else { "off" }, sc.objective_unit());
    Ok(0)
}

/// `alue evaluate`: a given partition, validated, with the comparison solve.
pub fn evaluate_command(common: Common, partition: Option<PathBuf>, no_compare: bool, compare_time_limit: Option<f64>) -> alue::Result<u8> {
    let sc = scenario_of(&common)?;
    let inst = Instance::load(common.instance.as_deref())?;
    let inst = sc.instance(&inst)?;
    let (file, text) = match &partition {
        Some(f) => (f.display().to_string(), alue::text::read_text(std::path::Path::new(f))?),
        None => inst.partition_2025.clone().ok_or_else(|| Error::file(inst.name.clone(), "no --partition given and the instance has no partition-2025.csv"))?,
    };
    let part = alue::solution::parse_partition(&file, &text, &inst)?;
    let p = Problem::new(&inst, &sc)?;
    let limit = match compare_time_limit {
        Some(t) if !(t.is_finite() && t > 0.0) => return Err(Error::scenario("--compare-time-limit", "compare_time_limit", format!("`{t}` is not a positive number of seconds"))),
        Some(t) => t,
        None if inst.n() <= 100 => sc.time_limit,
        None => sc.time_limit.min(60.0),
    };
    let live = Live::start(&common);
    let opts = SolveOptions { time_limit: Some(limit), progress: live.sink(), parallel: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), ..Default::default() };
    let result = alue::run_evaluate(&p, &part, (!no_compare).then_some(&opts));
    drop(live);
    let result = result?;
    println!("partition  {file}");
    report(&result, &p, &common)?;
    Ok(0)
}
