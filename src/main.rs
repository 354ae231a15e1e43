//! The `alue` command line: a thin clap layer over the library. Exit codes: 0 done, 1 internal
//! error, 2 bad input (including a scenario shown infeasible before solving), 3 HiGHS proved the
//! scenario infeasible.

use alue::output::{terminal, write_all};
use alue::solve::SolveOptions;
use alue::{instance::Instance, scenario, Error, Problem, Scenario};
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "alue", version, about = "Exact optimisation of service-production areas (MODEL.md). With no command: solve the built-in Northern Ostrobothnia instance.")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// CSV dialect of every CSV file written: standard (`,`, decimal point) or excel-fi (`;`,
    /// decimal comma, UTF-8 with BOM: opens in a Finnish Excel with a double click).
    #[arg(long, global = true, default_value = "standard", value_parser = clap::builder::PossibleValuesParser::new(alue::output::CSV_DIALECTS))]
    csv: String,
}

#[derive(Args, Clone, Default)]
struct Common {
    /// Instance folder (units.csv, boundaries.geojson, …) or a networkx graph (.json); the built-in
    /// pohjois-pohjanmaa if omitted.
    instance: Option<PathBuf>,
    /// Start from a preset: employment (MODEL.md defaults) or hess (the research model: population
    /// weights, squared whole km, ×10⁻⁶, population within ±0.5 % of P/k; give --set areas=K).
    #[arg(long, value_parser = ["employment", "hess"])]
    preset: Option<String>,
    /// Scenario TOML file (keys as for --set; [min], [max] and [balance] tables); applied after --preset.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Set a parameter, e.g. --set caseload=120 --set min.labour_force=15000 (repeatable; overrides --scenario).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Write solution.json, areas.csv, municipalities.csv and areas.geojson into this folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Also write the HTML report: report.html in the --out folder (or the current folder).
    #[arg(long)]
    report: bool,
    /// Language of the report and map.svg: fi or en (default: fi for Finnish instances).
    #[arg(long, value_parser = ["fi", "en"])]
    lang: Option<String>,
    /// Show HiGHS's log.
    #[arg(long)]
    verbose: bool,
    /// No live progress line (it is drawn on stderr only when stderr is a terminal).
    #[arg(long)]
    quiet: bool,
    /// Write every progress snapshot as a JSON line on stderr (elapsed_s, phase, incumbent,
    /// bound, gap), whatever stderr is; `alue serve` reads them from its solves.
    #[arg(long)]
    progress_json: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Solve a scenario to proven optimality (or report the bound and gap reached).
    Solve {
        #[command(flatten)]
        common: Common,
        /// Do not compute a heuristic start (for measurements).
        #[arg(long)]
        no_heuristic: bool,
        /// Do not run the location–allocation start (for measurements).
        #[arg(long)]
        no_allocation: bool,
        /// Do not fix variables by LP reduced costs (for measurements).
        #[arg(long)]
        no_cost_fixing: bool,
        /// Do not check HiGHS's improving solutions for contiguity during a round (for measurements).
        #[arg(long)]
        no_harvest: bool,
        /// Do not apply the lightest-path reduction (for measurements).
        #[arg(long)]
        no_path_fixing: bool,
        /// Solve the staffing relaxation (continuous advisers) first and start from its partition and cuts (for measurements).
        #[arg(long)]
        staffing_relaxation: bool,
        /// Do not split the solve by the number of areas (for measurements).
        #[arg(long)]
        no_split: bool,
        /// Do not probe the candidate hubs against the incumbent (for measurements).
        #[arg(long)]
        no_probing: bool,
        /// Do not solve small bounded instances by enumerating their feasible areas (for measurements).
        #[arg(long)]
        no_enumeration: bool,
        /// Contiguity formulation: cuts (separator cuts, solve–separate–resolve), flow (plus a
        /// single-commodity flow, exact in one HiGHS round) or auto (cuts, then flow when the cut
        /// rounds keep finding disconnected areas).
        #[arg(long, default_value = "auto", value_parser = ["auto", "cuts", "flow"])]
        contiguity_model: String,
    },
    /// Evaluate a given partition (code,area,hub CSV): violations, figures and the gap to the optimum.
    Evaluate {
        #[command(flatten)]
        common: Common,
        /// The partition CSV (e.g. instances/pohjois-pohjanmaa-kainuu/partition-2025.csv).
        #[arg(long)]
        partition: Option<PathBuf>,
        /// Do not solve the scenario for comparison.
        #[arg(long)]
        no_compare: bool,
        /// Time limit of the comparison solve, s (default: the scenario's time_limit up to 100
        /// units, min(time_limit, 60) above).
        #[arg(long, value_name = "SECONDS")]
        compare_time_limit: Option<f64>,
    },
    /// List every scenario parameter with its default, unit and source, in groups.
    Params,
    /// The planners' workbench: a local web server with the map, the tables and Optimise.
    Serve {
        /// More instance folders or networkx files to offer (the built-in one and the shipped
        /// Finnish instances with boundaries are always listed).
        instances: Vec<PathBuf>,
        /// Port to listen on (0: any free port; the URL printed says which).
        #[arg(long, default_value_t = 8080)]
        port: u16,
        /// Address to bind; anything but loopback requires the access token printed at start.
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// Folder of saved plans.
        #[arg(long, default_value = "alue-plans")]
        workspace: PathBuf,
        /// Solves run at once (the others queue; default: the number of cores).
        #[arg(long)]
        solves: Option<usize>,
    },
    /// Run a benchmark suite (each case as its own `alue solve` process) and write BENCHMARKS.md.
    Bench {
        /// hess (10 US states with and without contiguity), tracts (12 census-tract states, each
        /// limited to max(3 × the paper's time, 10 s)), open (South Carolina k = 7, 10 min),
        /// generalisation (generated, seeds 101–110), pohjois-pohjanmaa, finland (10 min),
        /// ablation (each technique off), scaling (generated n = 50…400), limits (generated n = 3 000 and 10 000, 20 s),
        /// sweep, serve (workbench round trips) or all.
        #[arg(default_value = "hess", value_parser = clap::builder::PossibleValuesParser::new(alue::bench::SUITES))]
        suite: String,
        /// Repetitions of each case (the median wall time is reported; finland, ablation and scaling run once).
        #[arg(long, default_value_t = 3)]
        repeat: usize,
        /// The Markdown file to write.
        #[arg(long, default_value = "BENCHMARKS.md")]
        out: PathBuf,
    },
    /// Write a random planar instance (Delaunay adjacency, log-normal populations) for scaling studies.
    Generate {
        /// Number of units.
        #[arg(long)]
        n: usize,
        /// Random seed (same n and seed: same files).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Folder to write units.csv, adjacency.csv and SOURCES.md into.
        #[arg(long)]
        out: PathBuf,
    },
    /// Solve every scenario of a sweep spec in parallel; resumes where an earlier run stopped.
    Sweep {
        /// The sweep spec (TOML: instance, scenario, [set], [[axis]]; see instances/sweeps/).
        spec: PathBuf,
        /// Folder for sweep.json, results.jsonl, results.csv and the analysis files.
        #[arg(long)]
        out: PathBuf,
        /// Scenarios solved at once (default: the number of cores); each solve uses one HiGHS thread.
        #[arg(long)]
        jobs: Option<usize>,
        /// Run only shard I of N (0-based), e.g. --shard $SLURM_ARRAY_TASK_ID/16; join with alue merge.
        #[arg(long, value_name = "I/N")]
        shard: Option<String>,
        /// Do not start a scenario from its neighbour's partition (for measurements).
        #[arg(long)]
        no_warm_start: bool,
        /// No progress bar.
        #[arg(long)]
        quiet: bool,
    },
    /// Write the HTML report of a solve/evaluate folder (--out of alue solve) or a sweep folder:
    /// maps, per-area and per-municipality tables, parameters; optionally compared with a partition.
    Report {
        /// The folder (with solution.json, or with sweep.json).
        dir: PathBuf,
        /// A partition CSV (code,area,hub) to compare with, e.g. the real 2025 partition.
        #[arg(long)]
        compare: Option<PathBuf>,
        /// fi or en (default: fi for Finnish instances).
        #[arg(long, value_parser = ["fi", "en"])]
        lang: Option<String>,
        /// The HTML file to write (default: DIR/report.html).
        #[arg(long)]
        out: Option<PathBuf>,
        /// The instance, when the folder's recorded path no longer holds it.
        #[arg(long)]
        instance: Option<PathBuf>,
        /// Share each area's cost by this attribute instead of the scenario's cost_share_key.
        #[arg(long, value_parser = ["labour_force", "population", "jobseekers"])]
        share_key: Option<String>,
    },
    /// Recompute a sweep folder's analysis (Pareto fronts, partitions, hubs, co-assignment, flips).
    Analyse {
        /// The sweep folder.
        dir: PathBuf,
    },
    /// Join the folders of sweep shards into one (they must come from the same spec).
    Merge {
        /// Shard folders.
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// The merged folder.
        #[arg(long)]
        out: PathBuf,
        /// Merge even when scenarios are missing (they are listed).
        #[arg(long)]
        partial: bool,
    },
    /// Write the exact MIP of an instance and scenario (contiguity as a single-commodity flow) as MPS or LP.
    Export {
        #[command(flatten)]
        common: Common,
        /// mps or lp.
        #[arg(long, default_value = "mps", value_parser = ["mps", "lp"])]
        format: String,
        /// The model file to write (default: model.mps / model.lp).
        #[arg(long = "file")]
        file: Option<PathBuf>,
    },
}

fn scenario_of(c: &Common) -> alue::Result<Scenario> {
    let mut sc = Scenario::preset(c.preset.as_deref().unwrap_or("employment"))?;
    if let Some(f) = &c.scenario {
        sc.apply_file(f)?;
    }
    for arg in &c.set {
        sc.set_arg(arg)?;
    }
    Ok(sc)
}

/// What `alue` with no command does: solve the built-in instance with the defaults.
fn default_command() -> Command {
    Command::Solve {
        common: Common::default(),
        no_heuristic: false,
        no_allocation: false,
        no_cost_fixing: false,
        no_harvest: false,
        no_path_fixing: false,
        staffing_relaxation: false,
        no_split: false,
        no_probing: false,
        no_enumeration: false,
        contiguity_model: "auto".into(),
    }
}

fn run(cli: Cli) -> alue::Result<u8> {
    alue::output::set_csv_dialect(if cli.csv == "excel-fi" { alue::output::CsvDialect::ExcelFi } else { alue::output::CsvDialect::Standard });
    let command = cli.command.unwrap_or_else(default_command);
    match command {
        Command::Serve { instances, port, host, workspace, solves } => {
            let exe = std::env::current_exe().map_err(|e| Error::Solver(format!("cannot find the alue executable: {e}")))?;
            let slots = solves.unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1));
            alue::serve::run(alue::serve::ServeOptions { instances, host, port, workspace, exe, slots })?;
            Ok(0)
        }
        Command::Params => {
            print!("{}", scenario::params::listing());
            Ok(0)
        }
        Command::Solve { common, no_heuristic, no_allocation, no_cost_fixing, no_harvest, no_path_fixing, staffing_relaxation, no_split, no_probing, no_enumeration, contiguity_model } => {
            let opts = SolveOptions {
                no_heuristic,
                verbose: common.verbose,
                flow: contiguity_model == "flow",
                auto_flow: contiguity_model == "auto",
                allocation: !no_allocation,
                cost_fixing: !no_cost_fixing,
                harvest: !no_harvest,
                staffing_relaxation,
                split_areas: !no_split,
                probing: !no_probing,
                enumeration: !no_enumeration,
                // A single solve may use every core for the split by the number of areas.
                parallel: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
                ..Default::default()
            };
            solve_command(&common, opts, !no_path_fixing)
        }
        Command::Bench { suite, repeat, out } => {
            bench_command(suite, repeat, out)
        }
        Command::Sweep { spec, out, jobs, shard, no_warm_start, quiet } => {
            sweep_command(spec, out, jobs, shard, no_warm_start, quiet)
        }
        Command::Report { dir, compare, lang, out, instance, share_key } => {
            let req = alue::report::ReportRequest { dir: dir.clone(), compare, lang: lang.as_deref().map(alue::report::Lang::parse).transpose()?, instance, share_key };
            let page = alue::report::build(&req)?;
            let out = out.unwrap_or_else(|| dir.join("report.html"));
            alue::output::write_atomic(&out, page.as_bytes())?;
            println!("wrote      {} ({:.0} kB)", out.display(), page.len() as f64 / 1024.0);
            Ok(0)
        }
        Command::Analyse { dir } => {
            let m = alue::sweep::results::Manifest::read(&dir)?;
            let records = alue::sweep::results::read_results(&dir.join("results.jsonl"), false)?;
            let (files, a) = alue::sweep::finish(&dir, &m, &records, false)?;
            print!("{}", a.text);
            for f in &files {
                println!("wrote      {f}");
            }
            Ok(0)
        }
        Command::Merge { dirs, out, partial } => {
            let (m, records, files, a) = alue::sweep::merge(&dirs, &out, partial)?;
            println!("merged     {} folder(s): {} of {} scenarios", dirs.len(), records.len(), m.total);
            print!("{}", a.text);
            for f in &files {
                println!("wrote      {f}");
            }
            Ok(0)
        }
        Command::Generate { n, seed, out } => {
            let g = alue::generate::generate(n, seed)?;
            for f in alue::generate::write(&out, &g)? {
                println!("wrote      {f}");
            }
            Ok(0)
        }
        Command::Export { common, format, file } => {
            export_command(common, format, file)
        }
        Command::Evaluate { common, partition, no_compare, compare_time_limit } => {
            evaluate_command(common, partition, no_compare, compare_time_limit)
        }
    }
}

/// `alue solve`: load, solve under the watchdog with the live line, report.
fn solve_command(common: &Common, opts: SolveOptions, path_fixing: bool) -> alue::Result<u8> {
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
fn bench_command(suite: String, repeat: usize, out: PathBuf) -> alue::Result<u8> {
    let exe = std::env::current_exe().map_err(|e| Error::Solver(format!("cannot find the alue executable: {e}")))?;
    let work = tempfile::tempdir().map_err(|e| Error::Output { file: "temporary folder".into(), message: e.to_string() })?;
    if suite == "sweep" {
        // A twentieth of the 1 000-scenario spec (every twentieth chain), on 1 and 2 jobs.
        let spec = alue::bench::root().join("instances/sweeps/reform-1000.toml");
        let shard = "0/20";
        let runs = alue::bench::sweep_throughput(&exe, &spec, Some(shard), &[1, 2], work.path())?;
        let section = alue::bench::render_sweep(&runs, "instances/sweeps/reform-1000.toml", Some(shard), &alue::bench::machine());
        let doc = std::fs::read_to_string(&out).unwrap_or_else(|_| "# Benchmarks\n".into());
        alue::output::write_atomic(&out, alue::bench::splice(&doc, &section).as_bytes())?;
        print!("{section}");
        println!("wrote      {}", out.display());
        return Ok(0);
    }
    if suite == "serve" {
        let figures = alue::bench::serve::measure(&exe, work.path())?;
        let section = alue::bench::serve::render(&figures, &alue::bench::machine());
        let doc = std::fs::read_to_string(&out).unwrap_or_else(|_| "# Benchmarks\n".into());
        alue::output::write_atomic(&out, alue::bench::serve::splice(&doc, &section).as_bytes())?;
        print!("{section}");
        println!("wrote      {}", out.display());
        return Ok(0);
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

/// `alue sweep`: prepare, run (resuming what the folder holds) and analyse.
fn sweep_command(spec: PathBuf, out: PathBuf, jobs: Option<usize>, shard: Option<String>, no_warm_start: bool, quiet: bool) -> alue::Result<u8> {
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
fn export_command(common: Common, format: String, file: Option<PathBuf>) -> alue::Result<u8> {
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
fn evaluate_command(common: Common, partition: Option<PathBuf>, no_compare: bool, compare_time_limit: Option<f64>) -> alue::Result<u8> {
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

/// The live progress line of a long solve: elapsed, phase, incumbent, bound and gap on stderr,
/// redrawn at least once a second, only when stderr is a terminal (and not with --quiet or
/// --verbose, whose log would interleave with it). Cleared when dropped.
struct Live {
    bar: Option<indicatif::ProgressBar>,
    /// Snapshots as JSON lines on stderr instead (--progress-json).
    json: bool,
}

impl Live {
    fn start(c: &Common) -> Live {
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

    fn sink(&self) -> Option<alue::solve::progress::ProgressSink> {
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
struct Watchdog {
    best: std::sync::Arc<std::sync::Mutex<(Option<(f64, Vec<usize>)>, Option<f64>)>>,
    claimed: std::sync::Mutex<bool>,
}

impl Watchdog {
    /// A sink that records the snapshots, then passes them on.
    fn sink(&self, then: Option<alue::solve::progress::ProgressSink>) -> alue::solve::progress::ProgressSink {
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
    fn claim(&self) -> bool {
        let mut c = self.claimed.lock().unwrap_or_else(|e| e.into_inner());
        !std::mem::replace(&mut *c, true)
    }

    /// After the solve: go on unless the watchdog is already writing (then it ends the process).
    fn claim_or_wait(&self) {
        if !self.claim() {
            loop {
                std::thread::sleep(std::time::Duration::from_secs(60));
            }
        }
    }

    /// Wait for the solve; past `limit` + 0.5 s, report the best partition and exit.
    fn guard(&self, solved: std::sync::mpsc::Receiver<()>, limit: f64, p: &Problem, c: &Common) {
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
        std::process::exit(code);
    }
}

/// Print the summary and, with `--out`, write the output files; with `--report`, the HTML page.
fn report(result: &alue::RunResult, p: &Problem, c: &Common) -> alue::Result<()> {
    print!("{}", terminal::render(result, p));
    let lang = match &c.lang {
        Some(l) => alue::report::Lang::parse(l)?,
        None => alue::report::default_lang(p.inst),
    };
    let page = c.report.then(|| alue::report::html::render(lang, result, p, None));
    if let Some(dir) = &c.out {
        for f in write_all(dir, result, p, lang)? {
            println!("wrote      {f}");
        }
    }
    if let Some(page) = page {
        let path = c.out.clone().unwrap_or_default().join("report.html");
        alue::output::write_atomic(&path, page.as_bytes())?;
        println!("wrote      {}", path.display());
    }
    Ok(())
}

fn main() -> ExitCode {
    alue::machine::mark_process_start();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
    }
}
