//! The HiGHS calls good_lp does not wrap: options, the live model's solution and reduced costs,
//! column bounds and added rows (the C API through highs-sys).

use crate::error::{Error, Result};
use crate::problem::Problem;

/// Options of every HiGHS solve of the search: threads, time left, gap, seed, and the switches
/// that keep HiGHS within the deadline on large models (`ALUE_HIGHS_OPTS` adds more).
pub(super) fn set_options(m: &mut highs::Model, p: &Problem, pairs: usize, time_left: f64, verbose: bool) -> Result<()> {
    let err = |k: &str| Error::Solver(format!("HiGHS rejected option {k}"));
    if verbose {
        m.try_set_option("output_flag", true).map_err(|_| err("output_flag"))?;
        m.try_set_option("log_to_console", true).map_err(|_| err("log_to_console"))?;
    } else {
        m.make_quiet();
    }
    m.try_set_option("threads", p.sc.threads as i32).map_err(|_| err("threads"))?;
    m.try_set_option("time_limit", time_left.max(0.01)).map_err(|_| err("time_limit"))?;
    m.try_set_option("mip_rel_gap", p.sc.mip_gap).map_err(|_| err("mip_rel_gap"))?;
    m.try_set_option("mip_abs_gap", 1e-6).map_err(|_| err("mip_abs_gap"))?;
    m.try_set_option("random_seed", 0).map_err(|_| err("random_seed"))?;
    // No restarts. On large models a restart re-runs presolve and the root, and HiGHS does not
    // look at the clock meanwhile (seen: > 10 min past a 600 s limit on mainland Finland). On
    // small ones our reduced-cost fixing and probing have already removed what a restart would
    // (the columns HiGHS's root finds inactive), and the restart repeats the root's cut rounds:
    // without it the default solve took 0.66 s instead of 1.15 s (3 runs each) and the county
    // suite 39.5 s instead of 47.0 s (one run each), on the machine of BENCHMARKS.md's notes of
    // 2026-12-02.
    m.try_set_option("mip_allow_restart", false).map_err(|_| err("mip_allow_restart"))?;
    // No RINS/RENS sub-MIPs. Their nested presolve neither checks the clock nor calls the
    // interrupt callback (seen: 20+ min in strengthenInequalities on mainland Finland), and on
    // small models they cost more than they find: our start is usually the optimum already (from
    // location–allocation), and HiGHS spent 0.7 s of a 1.7 s proof in 134 sub-MIPs on the
    // travel-only corner. Without them the default solve took 0.24 s instead of 0.36 s, the five
    // perturbed ones 0.19–0.32 s instead of 0.27–0.36 s (medians of 5) and the county suite
    // 17.2 s instead of 18.1 s (medians of 3), on the machine of BENCHMARKS.md's notes of
    // 2026-12-05; above 100 units they were off already.
    m.try_set_option("mip_heuristic_run_rins", false).map_err(|_| err("mip_heuristic_run_rins"))?;
    m.try_set_option("mip_heuristic_run_rens", false).map_err(|_| err("mip_heuristic_run_rens"))?;
    // HiGHS's MIP presolve (strengthenInequalities) neither checks the clock nor calls the
    // interrupt callback; on 400 units it ran for many minutes past a 60 s limit, and on mainland
    // Finland (85 000 pairs) past a 30 s limit for over 10 minutes. Above
    // LARGE_PAIRS assignment pairs the MIP runs without presolve so that the deadline holds.
    if pairs > LARGE_PAIRS {
        m.try_set_option("presolve", "off").map_err(|_| err("presolve"))?;
    }
    if let Ok(extra) = std::env::var("ALUE_HIGHS_OPTS") {
        for kv in extra.split(',').filter(|s| !s.is_empty()) {
            let (k, v) = kv.split_once('=').ok_or_else(|| err(kv))?;
            let ok = if let Ok(b) = v.parse::<bool>() {
                m.try_set_option(k, b).is_ok()
            } else if let Ok(i) = v.parse::<i32>() {
                m.try_set_option(k, i).is_ok()
            } else if let Ok(f) = v.parse::<f64>() {
                m.try_set_option(k, f).is_ok()
            } else {
                m.try_set_option(k, v).is_ok()
            };
            if !ok {
                return Err(err(k));
            }
        }
    }
    Ok(())
}

/// Above this many x(i,j) columns, HiGHS's presolve is switched off (see `set_options`).
const LARGE_PAIRS: usize = 20_000;

/// HiGHS says the model (an LP in relaxation mode) is solved to optimality.
pub(super) fn m_status_optimal(m: &highs::Model) -> bool {
    // SAFETY: read-only query of the live model's status.
    unsafe { highs_sys::Highs_getModelStatus(m.as_ptr() as *mut _) == highs_sys::MODEL_STATUS_OPTIMAL }
}

/// Primal values, reduced costs and objective of a solved LP.
pub(super) fn lp_solution(m: &highs::Model) -> (Vec<f64>, Vec<f64>, f64) {
    // SAFETY: the live model's pointer, read only.
    unsafe { lp_solution_at(m.as_ptr() as *mut _) }
}

/// As `lp_solution`, on a raw pointer to a live model (for code that drives HiGHS through it).
///
/// # Safety
/// `ptr` must point to a live HiGHS instance; the buffers are sized by its own counts.
pub(super) unsafe fn lp_solution_at(ptr: *mut std::ffi::c_void) -> (Vec<f64>, Vec<f64>, f64) {
    let s = solution_at(ptr);
    (s.col_value, s.col_dual, highs_sys::Highs_getObjectiveValue(ptr))
}

/// A live model's solution: column values and duals, row duals.
pub(super) struct Solution {
    pub col_value: Vec<f64>,
    pub col_dual: Vec<f64>,
    pub row_dual: Vec<f64>,
}

/// The solution of the live model at `ptr`.
///
/// # Safety
/// `ptr` must point to a live HiGHS instance; the buffers are sized by its own counts.
pub(super) unsafe fn solution_at(ptr: *mut std::ffi::c_void) -> Solution {
    let ncol = highs_sys::Highs_getNumCol(ptr) as usize;
    let nrow = highs_sys::Highs_getNumRow(ptr) as usize;
    let (mut cv, mut cd, mut rv, mut rd) = (vec![0.0; ncol], vec![0.0; ncol], vec![0.0; nrow], vec![0.0; nrow]);
    highs_sys::Highs_getSolution(ptr, cv.as_mut_ptr(), cd.as_mut_ptr(), rv.as_mut_ptr(), rd.as_mut_ptr());
    Solution { col_value: cv, col_dual: cd, row_dual: rd }
}

/// Fix column `col` of the live model to `value` and mark it fixed.
pub(super) fn fix_column(m: &mut highs::Model, col: usize, value: f64, fixed: &mut [bool]) {
    // SAFETY: `col` is a column of the live model.
    unsafe { highs_sys::Highs_changeColBounds(m.as_mut_ptr(), col as highs_sys::HighsInt, value, value) };
    fixed[col] = true;
}

/// Add the row Σ coef·x ≤ 0 to a HiGHS model through the C API.
pub(super) fn add_row_leq_zero(m: &mut highs::Model, row: &[(usize, f64)]) -> Result<()> {
    let idx: Vec<highs_sys::HighsInt> = row.iter().map(|&(c, _)| c as highs_sys::HighsInt).collect();
    let val: Vec<f64> = row.iter().map(|&(_, v)| v).collect();
    // SAFETY: the pointer is the live model's; idx/val have the same length, given as num_nz.
    let status = unsafe { highs_sys::Highs_addRow(m.as_mut_ptr(), f64::NEG_INFINITY, 0.0, idx.len() as highs_sys::HighsInt, idx.as_ptr(), val.as_ptr()) };
    if status == highs_sys::STATUS_ERROR {
        return Err(Error::Solver("HiGHS refused a contiguity cut".into()));
    }
    Ok(())
}

/// Solve the live model (in relaxation mode) again from its basis; true if it is optimal.
pub(super) fn resolve(m: &mut highs::Model) -> bool {
    // SAFETY: the live model, in relaxation mode.
    unsafe { highs_sys::Highs_run(m.as_mut_ptr()) != highs_sys::STATUS_ERROR && m_status_optimal(m) }
}

/// The live model's LP, column-wise.
pub(super) struct Lp {
    pub ncol: usize,
    pub nrow: usize,
    pub offset: f64,
    pub cost: Vec<f64>,
    pub col_lower: Vec<f64>,
    pub col_upper: Vec<f64>,
    pub row_lower: Vec<f64>,
    pub row_upper: Vec<f64>,
    pub start: Vec<usize>,
    pub index: Vec<highs_sys::HighsInt>,
    pub value: Vec<f64>,
}

impl Lp {
    /// # Safety
    /// `ptr` must point to a live HiGHS instance.
    pub(super) unsafe fn read(ptr: *mut std::ffi::c_void) -> Option<Lp> {
        let ncol = highs_sys::Highs_getNumCol(ptr) as usize;
        let nrow = highs_sys::Highs_getNumRow(ptr) as usize;
        let nnz = highs_sys::Highs_getNumNz(ptr) as usize;
        let (mut nc, mut nr, mut nz, mut sense, mut offset) = (0 as highs_sys::HighsInt, 0 as highs_sys::HighsInt, 0 as highs_sys::HighsInt, 0 as highs_sys::HighsInt, 0.0);
        let (mut cost, mut col_lower, mut col_upper) = (vec![0.0; ncol], vec![0.0; ncol], vec![0.0; ncol]);
        let (mut row_lower, mut row_upper) = (vec![0.0; nrow], vec![0.0; nrow]);
        let (mut start, mut index, mut value) = (vec![0 as highs_sys::HighsInt; ncol + 1], vec![0 as highs_sys::HighsInt; nnz], vec![0.0; nnz]);
        let mut integrality = vec![0 as highs_sys::HighsInt; ncol];
        let status = highs_sys::Highs_getLp(
            ptr,
            highs_sys::kHighsMatrixFormatColwise,
            &mut nc,
            &mut nr,
            &mut nz,
            &mut sense,
            &mut offset,
            cost.as_mut_ptr(),
            col_lower.as_mut_ptr(),
            col_upper.as_mut_ptr(),
            row_lower.as_mut_ptr(),
            row_upper.as_mut_ptr(),
            start.as_mut_ptr(),
            index.as_mut_ptr(),
            value.as_mut_ptr(),
            integrality.as_mut_ptr(),
        );
        // A minimisation, as every model of the search is.
        if status == highs_sys::STATUS_ERROR || nc as usize != ncol || nr as usize != nrow || nz as usize != nnz || sense != 1 {
            return None;
        }
        start[ncol] = nnz as highs_sys::HighsInt;
        let start = start.into_iter().map(|s| s as usize).collect();
        Some(Lp { ncol, nrow, offset, cost, col_lower, col_upper, row_lower, row_upper, start, index, value })
    }
}
