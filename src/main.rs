//! The `alue` command line: a thin clap layer over the library. Exit codes: 0 done, 1 internal
//! error, 2 bad input (including a scenario shown infeasible before solving), 3 HiGHS proved the
//! scenario infeasible.

mod cli;

use cli::commands::{bench_command, evaluate_command, export_command, solve_command, sweep_command};
use alue::solve::SolveOptions;
use alue::{scenario, Error, Scenario};
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

/// The solve's techniques, each of which can be switched off for measurements.
#[derive(clap::Args)]
struct Techniques {
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
    /// Keep the columns fixed at zero, and the rows they leave redundant, in the live LP (for measurements).
    #[arg(long)]
    no_shrink: bool,
    /// Solve every hub set by its MIP, not by listing its areas within the gap and an exact cover (for measurements).
    #[arg(long)]
    no_set_columns: bool,
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
    /// Do not bound and fix by the Lagrangian relaxation before the MIP (for measurements).
    #[arg(long)]
    no_lagrange: bool,
    /// Do not probe the candidate hubs on the Lagrangian dual before the MIP (for measurements).
    #[arg(long)]
    no_lagrange_probing: bool,
    /// Do not search the choices of hubs one by one after hub probing, even when few are left
    /// (for measurements).
    #[arg(long)]
    no_hub_sets: bool,
    /// Do not improve the start by re-solving unions of neighbouring areas (for measurements).
    #[arg(long)]
    no_recombination: bool,
    /// Solve every hub's knapsack in whole units throughout the Lagrangian ascent, not only at
    /// its end (a higher bound per evaluation, at a higher cost; for measurements).
    #[arg(long)]
    lagrange_whole_units: bool,
    /// Bound each number of areas by the Lagrangian over whole areas (whole advisers, whole
    /// units, exact equalisation, connected areas) before its MIP, which is skipped when that
    /// bound reaches the incumbent (employment model, split by number of areas; for measurements).
    #[arg(long)]
    area_dual: bool,
    /// Do not run column generation over whole areas on large employment models (for
    /// measurements).
    #[arg(long)]
    no_columns: bool,
    /// Contiguity formulation: cuts (separator cuts, solve–separate–resolve), flow (plus a
    /// single-commodity flow, exact in one HiGHS round) or auto (cuts, then flow when the cut
    /// rounds keep finding disconnected areas).
    #[arg(long, default_value = "auto", value_parser = ["auto", "cuts", "flow"])]
    contiguity_model: String,
}

impl Default for Techniques {
    fn default() -> Self {
        Techniques {
            no_heuristic: false,
            no_allocation: false,
            no_cost_fixing: false,
            no_harvest: false,
            no_path_fixing: false,
            no_shrink: false,
            no_set_columns: false,
            staffing_relaxation: false,
            no_split: false,
            no_probing: false,
            no_enumeration: false,
            no_lagrange: false,
            no_lagrange_probing: false,
            no_recombination: false,
            no_hub_sets: false,
            lagrange_whole_units: false,
            area_dual: false,
            no_columns: false,
            contiguity_model: "auto".into(),
        }
    }
}

impl Techniques {
    /// The solve options these switches give.
    fn options(&self, verbose: bool) -> SolveOptions {
        SolveOptions {
            no_heuristic: self.no_heuristic,
            verbose,
            flow: self.contiguity_model == "flow",
            auto_flow: self.contiguity_model == "auto",
            allocation: !self.no_allocation,
            cost_fixing: !self.no_cost_fixing,
            shrink: !self.no_shrink,
            set_columns: !self.no_set_columns,
            harvest: !self.no_harvest,
            staffing_relaxation: self.staffing_relaxation,
            split_areas: !self.no_split,
            probing: !self.no_probing,
            enumeration: !self.no_enumeration,
            lagrange: !self.no_lagrange,
            lagrange_probing: !self.no_lagrange_probing,
            recombination: !self.no_recombination,
            hub_sets: !self.no_hub_sets,
            lagrange_whole_units: self.lagrange_whole_units,
            area_dual: self.area_dual,
            columns: !self.no_columns,
            // A single solve may use every core for the split by the number of areas.
            parallel: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
            ..Default::default()
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Solve a scenario to proven optimality (or report the bound and gap reached).
    Solve {
        #[command(flatten)]
        common: Common,
        #[command(flatten)]
        techniques: Techniques,
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
    Command::Solve { common: Common::default(), techniques: Techniques::default() }
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
        Command::Solve { common, techniques } => solve_command(&common, techniques.options(common.verbose), !techniques.no_path_fixing),
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
