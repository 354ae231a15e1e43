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
    /// Show HiGHS's log.
    #[arg(long)]
    verbose: bool,
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
    },
    /// List every scenario parameter with its default and source.
    Params,
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

fn run(cli: Cli) -> alue::Result<u8> {
    let command = cli.command.unwrap_or(Command::Solve { common: Common::default(), no_heuristic: false, contiguity_model: "auto".into() });
    match command {
        Command::Params => {
            for (k, v, src) in scenario::SOURCES {
                println!("{k:<26} {v:<14} {src}");
            }
            println!("\nall keys: {}", scenario::KEYS.join(", "));
            Ok(0)
        }
        Command::Solve { common, no_heuristic, contiguity_model } => {
            let sc = scenario_of(&common)?;
            let inst = Instance::load(common.instance.as_deref())?;
            let opts = SolveOptions { no_heuristic, verbose: common.verbose, flow: contiguity_model == "flow", auto_flow: contiguity_model == "auto", ..Default::default() };
            let p = Problem::new(&inst, &sc)?;
            let result = alue::run_solve(&p, &opts)?;
            report(&result, &p, common.out.as_deref())?;
            Ok(if result.status == alue::Status::Infeasible { 3 } else { 0 })
        }
        Command::Evaluate { common, partition, no_compare } => {
            let sc = scenario_of(&common)?;
            let inst = Instance::load(common.instance.as_deref())?;
            let (file, text) = match &partition {
                Some(f) => (f.display().to_string(), std::fs::read_to_string(f).map_err(|e| Error::file(f, format!("cannot read: {e}")))?),
                None => inst.partition_2025.clone().ok_or_else(|| Error::file(inst.name.clone(), "no --partition given and the instance has no partition-2025.csv"))?,
            };
            let part = alue::solution::parse_partition(&file, &text, &inst)?;
            let p = Problem::new(&inst, &sc)?;
            let result = alue::run_evaluate(&p, &part, !no_compare)?;
            println!("partition  {file}");
            report(&result, &p, common.out.as_deref())?;
            Ok(0)
        }
    }
}

/// Print the summary and, with `--out`, write the output files.
fn report(result: &alue::RunResult, p: &Problem, out: Option<&std::path::Path>) -> alue::Result<()> {
    print!("{}", terminal::render(result, p));
    if let Some(dir) = out {
        for f in write_all(dir, result, p)? {
            println!("wrote      {f}");
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(if e.is_bad_input() { 2 } else { 1 })
        }
    }
}
