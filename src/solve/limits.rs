//! What this machine allows: whether the compact MIP can be built and solved within the memory
//! and the time left. Building the model in good_lp + HiGHS costs about `BYTES_PER_PAIR` bytes and
//! `1 / PAIRS_PER_SECOND` s per assignment pair x(i,j) (measured on the 2-core development
//! machine: generated n = 3 000, 9 000 000 pairs, 7.1 GB peak and about 70 s to build). A model
//! that would take more than half the memory available, or more than half the time left just to
//! build, is not built: the solve then reports the heuristic's partition (improved by local search
//! for the rest of the limit), says in words why there is no bound, and never runs the machine
//! out of memory.

/// How the solver note of an outcome whose MIP was not built begins (outputs test for it).
pub const NOT_BUILT: &str = "MIP not built";

/// Peak memory per assignment pair while the model is built and solved, bytes.
pub const BYTES_PER_PAIR: f64 = 800.0;

/// Assignment pairs built per second (good_lp rows and columns handed to HiGHS).
pub const PAIRS_PER_SECOND: f64 = 130_000.0;

/// Why a model of `pairs` assignment pairs is not built with `seconds_left` of the limit, or None
/// when it fits.
pub fn too_large(pairs: usize, seconds_left: f64) -> Option<String> {
    let pairs_f = pairs as f64;
    if let Some(mem) = crate::machine::available_memory() {
        if pairs_f * BYTES_PER_PAIR > 0.5 * mem {
            return Some(format!(
                "{NOT_BUILT}: its {pairs} assignment pairs need about {:.1} GB, more than half of the {:.1} GB available; the partition is the heuristic's, with no bound from the MIP (give max_distance_km or a max threshold to shrink the model)",
                pairs_f * BYTES_PER_PAIR / 1e9,
                mem / 1e9
            ));
        }
    }
    let build = pairs_f / PAIRS_PER_SECOND;
    if build > 0.5 * seconds_left {
        return Some(format!(
            "{NOT_BUILT}: its {pairs} assignment pairs take about {build:.0} s to build, more than half of the {seconds_left:.0} s left of time_limit; the partition is the heuristic's, with no bound from the MIP (raise time_limit, or give max_distance_km or a max threshold to shrink the model)"
        ));
    }
    None
}

/// The time limit of a solve, s: the caller's, else the scenario's.
pub(super) fn time_limit(p: &crate::problem::Problem, opts: &super::SolveOptions) -> f64 {
    opts.time_limit.unwrap_or(p.sc.time_limit).max(0.0)
}

/// What a solve under the scenario's limit leaves for validation and output, s (1 % + 0.5 s), so
/// that the whole process keeps the limit; 0 for a solve given its own limit by its caller.
pub(super) fn output_margin(opts: &super::SolveOptions, limit: f64) -> f64 {
    if opts.time_limit.is_some() {
        0.0
    } else {
        0.01 * limit + 0.5
    }
}

/// Fault injection for the time-limit watchdog's test: with `ALUE_FAULT_STALL` set, the solve
/// stops here for good, as HiGHS does in the steps where it looks neither at its clock nor at
/// the interrupt callback.
pub(super) fn fault_stall() {
    if std::env::var_os("ALUE_FAULT_STALL").is_some() {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}
