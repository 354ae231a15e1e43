//! Solving: exact reductions (in `Problem`), a heuristic start, HiGHS through good_lp, and the
//! solve–separate–resolve loop that adds contiguity separator cuts until the optimum is contiguous.

pub mod allocation;
pub mod dual_fixing;
pub mod heuristic;
pub mod lagrange;
mod enumerate;
pub mod limits;
pub mod progress;
mod probing;
mod ralg;
mod split;

use crate::error::{Error, Result};
use crate::model::{self, contiguity};
use crate::problem::Problem;
use crate::solution::{evaluate, Status};
use highs::{HighsModelStatus, HighsSolutionStatus};
use std::time::Instant;

/// What the solve reached.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// optimal, time_limit or infeasible.
    pub status: Status,
    /// Best partition found (hub per unit), contiguous and feasible.
    pub hub_of: Option<Vec<usize>>,
    /// Its objective, €/year (recomputed from the data).
    pub objective: Option<f64>,
    /// Proven lower bound on the optimum, €/year.
    pub bound: Option<f64>,
    /// Relative gap (objective − bound)/objective.
    pub gap: Option<f64>,
    /// Wall time of the whole solve, s.
    pub seconds: f64,
    /// HiGHS solves in the separation loop.
    pub rounds: usize,
    /// Separator cuts added.
    pub cuts: usize,
    /// x(i,j) columns kept after reductions, of n².
    pub pairs: usize,
    /// Candidate hubs after reductions.
    pub hubs: usize,
    /// x(i,j) fixed to 0 by reduced costs against the incumbent.
    pub fixed_by_cost: usize,
    /// The objective of the heuristic start, €/year, if it found one.
    pub heuristic: Option<f64>,
    /// HiGHS's last model status, as HiGHS names it.
    pub highs_status: String,
    /// Every contiguity cut the solve added (a later solve of the same problem can start with them).
    pub cut_list: Vec<contiguity::Cut>,
    /// Wall time of the staffing-relaxation phase, s (0 when it did not run).
    pub relaxation_seconds: f64,
    /// The Lagrangian phase, when it ran (see `dual_fixing`).
    pub dual: Option<dual_fixing::DualReport>,
}

/// Options of a solve beyond the scenario.
#[derive(Debug, Clone)]
pub struct SolveOptions {
    /// A known partition to start from (e.g. a neighbouring scenario's optimum, or the real
    /// partition); it is repaired (pieces merged until every rule holds) before use.
    pub start: Option<Vec<usize>>,
    /// Skip the heuristic start (for measuring its effect).
    pub no_heuristic: bool,
    /// Print HiGHS's log.
    pub verbose: bool,
    /// Add the single-commodity flow formulation of contiguity from the start (exact in one round).
    pub flow: bool,
    /// Switch to the flow formulation when cut rounds keep finding violations.
    pub auto_flow: bool,
    /// With a fixed number of areas, run the location–allocation start after the first LP.
    pub allocation: bool,
    /// Time limit of this solve in s (None: the scenario's).
    pub time_limit: Option<f64>,
    /// Fix x(i,j) = 0 by LP reduced costs against the incumbent.
    pub cost_fixing: bool,
    /// Check every improving HiGHS solution for contiguity during MIP rounds.
    pub harvest: bool,
    /// With contiguity and integer staffing, first solve the model with continuous s(j), then
    /// start the exact solve from its contiguity cuts and its partition (off by default since
    /// the split by number of areas: it then cost more than it saved, 11 % on a sweep sample).
    pub staffing_relaxation: bool,
    /// Contiguity cuts known from an earlier solve on the same graph (a separator of the graph
    /// is valid for every scenario on it); added to the model before the first round.
    pub cuts: Vec<contiguity::Cut>,
    /// More candidate partitions (e.g. the optima of earlier scenarios of a sweep): the feasible
    /// one that is cheapest under this scenario becomes a start.
    pub pool: Vec<Vec<usize>>,
    /// Only partitions cheaper than this matter (€/year): HiGHS prunes against it, and a solve
    /// that finds none ends with status infeasible and bound = cutoff.
    pub cutoff: Option<f64>,
    /// When the number of areas is free and takes few values, solve one subproblem per number
    /// of areas (cheapest LP bound first, each pruned against the best partition so far); the
    /// relaxation of a fixed count is much tighter than that of a free one.
    pub split_areas: bool,
    /// Probe the candidate hubs against the incumbent before the MIP (see `probing`).
    pub probing: bool,
    /// On small graphs with areas bounded above, list every feasible area and solve the set
    /// partitioning instead (see `enumerate`).
    pub enumeration: bool,
    /// Where live snapshots of the search go (see `progress`); None: nowhere.
    pub progress: Option<progress::ProgressSink>,
    /// Subproblems of the split by the number of areas solved at once (each with one HiGHS
    /// thread; see `split`). 1 in sweeps, which already solve one scenario per core; the CLI's
    /// single solve uses every core.
    pub parallel: usize,
    /// For models the Lagrangian relaxation covers, bound and fix by it before the MIP (see
    /// `dual_fixing`).
    pub lagrange: bool,
}

impl Default for SolveOptions {
    fn default() -> Self {
        SolveOptions { start: None, no_heuristic: false, verbose: false, flow: false, auto_flow: true, allocation: true, time_limit: None, cost_fixing: true, harvest: true, staffing_relaxation: false, cuts: Vec::new(), pool: Vec::new(), cutoff: None, split_areas: true, probing: true, enumeration: true, progress: None, parallel: 1, lagrange: true }
    }
}

fn column_values(p: &Problem, vars: &model::Vars, hub_of: &[usize]) -> Vec<f64> {
    let mut cols = vec![0.0; vars.ncols];
    let ev = evaluate(p, hub_of);
    for (i, &j) in hub_of.iter().enumerate() {
        if let Some(x) = vars.x[i][j] {
            cols[x.col] = 1.0;
        }
    }
    for a in &ev.areas {
        if let Some(s) = vars.s[a.hub] {
            cols[s.col] = a.advisers;
        }
        if let Some(e) = vars.e[a.hub] {
            cols[e.col] = a.equalisation;
        }
    }
    cols
}

/// (unit, hub, column) of every x(i,j) column of the model.
fn x_columns(vars: &model::Vars) -> Vec<(usize, usize, usize)> {
    vars.x.iter().enumerate().flat_map(|(i, row)| row.iter().enumerate().filter_map(move |(j, v)| v.map(|v| (i, j, v.col)))).collect()
}

/// The hub of every unit in a column vector of the model (None when a unit has no hub).
fn hub_of_solution(n: usize, x_cols: &[(usize, usize, usize)], x: &[f64]) -> Option<Vec<usize>> {
    let mut hub_of = vec![usize::MAX; n];
    for &(i, j, c) in x_cols {
        if x.get(c).is_some_and(|&v| v > 0.5) {
            hub_of[i] = j;
        }
    }
    (!hub_of.contains(&usize::MAX)).then_some(hub_of)
}

fn set_options(m: &mut highs::Model, p: &Problem, pairs: usize, time_left: f64, verbose: bool) -> Result<()> {
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
    // On large models a restart re-runs presolve and the root, and HiGHS does not look at the
    // clock meanwhile (seen: > 10 min past a 600 s limit on mainland Finland).
    m.try_set_option("mip_allow_restart", p.n <= 100).map_err(|_| err("mip_allow_restart"))?;
    // The RINS/RENS sub-MIPs run a nested presolve that neither checks the clock nor calls the
    // interrupt callback (seen: 20+ min in strengthenInequalities on mainland Finland).
    m.try_set_option("mip_heuristic_run_rins", p.n <= 100).map_err(|_| err("mip_heuristic_run_rins"))?;
    m.try_set_option("mip_heuristic_run_rens", p.n <= 100).map_err(|_| err("mip_heuristic_run_rens"))?;
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

/// Solve the problem to proven optimality within the scenario's time limit and gap.
pub fn solve(p: &Problem, opts: &SolveOptions) -> Result<Outcome> {
    let t0 = Instant::now();
    if let Some(reason) = crate::explain::check(p) {
        // Name the data the argument rests on: a bad value or a missing border is in these files.
        let adjacency = match &p.inst.adjacency_source {
            crate::instance::AdjacencySource::File(f) => f.clone(),
            crate::instance::AdjacencySource::Polygons => "the boundary polygons".into(),
        };
        return Err(Error::Infeasible(format!("{reason} (units from {}, adjacency from {adjacency})", p.inst.units_file)));
    }
    if opts.enumeration && opts.cutoff.is_none() && enumerate::applicable(p) {
        let limit = opts.time_limit.unwrap_or(p.sc.time_limit).max(0.0);
        let give_up = t0 + std::time::Duration::from_secs_f64((0.05 * limit).min(2.0));
        if let Some(e) = enumerate::solve(p, give_up, limit - t0.elapsed().as_secs_f64(), opts.verbose) {
            let status = match (e.status, &e.hub_of) {
                (HighsModelStatus::Optimal, Some(_)) => Status::Optimal,
                (HighsModelStatus::Infeasible, _) => Status::Infeasible,
                _ => Status::TimeLimit,
            };
            let bound = match (status, e.objective) {
                (Status::Optimal, Some(o)) => Some(e.bound.map_or(o, |b| b.min(o))),
                _ => e.bound,
            };
            return Ok(Outcome {
                status,
                gap: relative_gap(e.objective, bound),
                hub_of: e.hub_of,
                objective: e.objective,
                bound,
                seconds: t0.elapsed().as_secs_f64(),
                rounds: 1,
                cuts: 0,
                pairs: pair_count(p),
                hubs: p.hubs().len(),
                fixed_by_cost: 0,
                heuristic: None,
                highs_status: format!("{:?} (set partitioning over {} enumerated areas)", e.status, e.areas),
                cut_list: Vec::new(),
                relaxation_seconds: 0.0,
                dual: None,
            });
        }
    }
    if opts.split_areas {
        if let Some(counts) = split::area_counts(p) {
            return split::solve_by_areas(p, opts, counts, t0);
        }
    }
    if opts.lagrange {
        if let Some(prep) = dual_fixing::prepare(p, opts, t0, opts.time_limit.unwrap_or(p.sc.time_limit).max(0.0)) {
            return after_dual(p, opts, prep, t0);
        }
    }
    let pairs = pair_count(p);
    // Candidate hubs left after the reductions (probing closes some).
    let hubs = std::cell::Cell::new(p.hubs().len());
    // Incumbent: the given start if feasible, else the heuristic, improved by local search.
    let mut incumbent: Option<(f64, Vec<usize>)> = None;
    let limit = opts.time_limit.unwrap_or(p.sc.time_limit).max(0.0);
    // Heuristics get a share of the time limit: 10 % for the start, 5 % (≥ 0.5 s) per later call.
    let start_budget = t0 + std::time::Duration::from_secs_f64(0.1 * limit);
    let budget = move || improve_deadline(limit);
    let offer = |cand: Option<Vec<usize>>, inc: &mut Option<(f64, Vec<usize>)>| {
        if let Some(mut h) = cand.filter(|h| heuristic::feasible(p, h)) {
            heuristic::improve(p, &mut h, budget());
            let obj = evaluate(p, &h).objective;
            if inc.as_ref().is_none_or(|(o, _)| obj < *o - 1e-9) {
                *inc = Some((obj, h));
            }
        }
    };
    offer(opts.start.as_ref().and_then(|h| heuristic::repair(p, h, start_budget)), &mut incumbent);
    if let Some((obj, h)) = heuristic::cheapest(p, &opts.pool) {
        if incumbent.as_ref().is_none_or(|(o, _)| obj < *o - 1e-9) {
            offer(Some(h.clone()), &mut incumbent);
        }
    }
    if !opts.no_heuristic {
        offer(heuristic::construct(p, start_budget), &mut incumbent);
    }
    let heuristic_objective = incumbent.as_ref().map(|(o, _)| *o);
    if opts.verbose {
        eprintln!("[alue] heuristic start {:?} €/year at t={:.2}s", heuristic_objective, t0.elapsed().as_secs_f64());
    }
    let tell = |phase: String, inc: &Option<(f64, Vec<usize>)>, bound: Option<f64>| {
        if let Some(s) = &opts.progress {
            s.report_partition(phase, inc, bound);
        }
    };
    tell("heuristic start".into(), &incumbent, None);
    fault_stall();
    if let Some(why) = limits::too_large(pairs, limit - t0.elapsed().as_secs_f64()) {
        return Ok(heuristic_only(p, incumbent, (t0, opts.time_limit.is_none()), limit, pairs, heuristic_objective, why));
    }

    // The staffing relaxation (run once, when a first MIP round ends on a disconnected solution):
    // with s(j) continuous the same model solves many times faster (the rounding
    // ⌈jobseekers/caseload⌉ is what makes HiGHS branch). Its partition, evaluated with whole
    // advisers, is a start for the exact rounds, and its contiguity cuts are valid for them.
    let relaxation_seconds = std::cell::Cell::new(0.0);
    let mut relaxation_pending = opts.staffing_relaxation && !p.relax_staffing && p.sc.contiguity && p.sc.employment_terms() && p.sc.staff_cost != 0.0;
    let mut flow_on = opts.flow && p.sc.contiguity;
    let mut fixed_cols: Vec<bool> = Vec::new();
    let model::Built { highs: mut highs_model, vars: mut built_vars } = model::build(p, flow_on);
    fixed_cols.resize(built_vars.ncols, false);
    let (mut rounds, mut cuts_added, mut lp_rounds, mut fixed_by_cost) = (0, 0, 0, 0);
    // Hubs fixed by probing (unit, value), kept to re-apply if the model is rebuilt.
    let mut hub_fixings: Vec<(usize, f64)> = Vec::new();
    let mut probed = !opts.probing || pairs > PROBING_MAX_PAIRS;
    let mut la_memo = allocation::Memo::default();
    // Location–allocation from hub values `y` (see `allocation`), its partition offered as the
    // incumbent; `from` says in the log where the hub values came from.
    let mut allocate_from = |y: &[f64], o: &SolveOptions, until: Instant, cutoff: Option<f64>, from: &str, inc: &mut Option<(f64, Vec<usize>)>| {
        if let Some((obj, h)) = la_memo.run(p, y, p.areas.0, until, o, cutoff) {
            offer(Some(h), inc);
            if opts.verbose {
                eprintln!("[alue] location–allocation {from} {obj:.2} at t={:.2}s", t0.elapsed().as_secs_f64());
            }
        }
    };
    let mut bound: Option<f64> = None;
    let seen_cuts_cell: std::cell::RefCell<std::collections::HashSet<contiguity::Cut>> = Default::default();
    if p.sc.contiguity {
        for c in opts.cuts.iter().filter(|c| built_vars.x[c.i][c.j].is_some()) {
            if seen_cuts_cell.borrow_mut().insert(c.clone()) {
                add_row_leq_zero(&mut highs_model, &c.row(&built_vars))?;
                cuts_added += 1;
            }
        }
    }

    // 1 % + 0.5 s are left for validation and output, so that the whole run keeps the limit.
    let margin = if opts.time_limit.is_some() { 0.0 } else { 0.01 * limit + 0.5 };
    let deadline = t0 + std::time::Duration::from_secs_f64((limit - margin).max(0.0));
    let harvested: std::rc::Rc<std::cell::RefCell<Harvested>> = Default::default();
    // Boxed so that its address stays fixed while HiGHS holds a pointer to it.
    let mut state = Box::new(CallbackState { deadline, harvest: None, stop: false, live: None });
    let finish = |status: Status, inc: Option<(f64, Vec<usize>)>, bound: Option<f64>, rounds, cuts, fixed_by_cost, highs_status: String| {
        let (objective, hub_of) = match inc {
            Some((o, h)) => (Some(o), Some(h)),
            None => (None, None),
        };
        let bound = match (bound, objective) {
            (Some(b), Some(o)) => Some(b.min(o)),
            (b, _) => b,
        };
        let gap = relative_gap(objective, bound);
        // Sorted, so that a later solve that starts from them adds its rows in a fixed order.
        let mut cut_list: Vec<contiguity::Cut> = seen_cuts_cell.borrow().iter().cloned().collect();
        cut_list.sort_unstable();
        Outcome { status, hub_of, objective, bound, gap, seconds: t0.elapsed().as_secs_f64(), rounds, cuts, pairs, hubs: hubs.get(), fixed_by_cost, heuristic: heuristic_objective, highs_status, cut_list, relaxation_seconds: relaxation_seconds.get(), dual: None }
    };
    loop {
        let left = limit - t0.elapsed().as_secs_f64();
        if left <= 0.0 {
            return Ok(finish(Status::TimeLimit, incumbent, bound, rounds, cuts_added, fixed_by_cost, "time limit".into()));
        }
        set_options(&mut highs_model, p, pairs, left, opts.verbose)?;
        // HiGHS looks at its time limit too rarely on large models (seen: minutes late on
        // mainland Finland); an interrupt callback enforces the deadline.
        state.stop = false;
        state.harvest = None;
        if lp_rounds >= MAX_LP_ROUNDS && p.sc.contiguity && opts.harvest {
            let cols = x_columns(&built_vars);
            let store = harvested.clone();
            let n = p.n;
            state.harvest = Some(Box::new(move |x: &[f64]| {
                let Some(hub_of) = hub_of_solution(n, &cols, x) else { return false };
                let cuts = contiguity::separate(p, &hub_of);
                let mut st = store.borrow_mut();
                if cuts.is_empty() {
                    st.feasible.push(hub_of);
                    false
                } else {
                    st.cuts.extend(cuts);
                    true
                }
            }));
        }
        set_callback(&mut highs_model, &mut state)?;
        if let Some(c) = opts.cutoff {
            highs_model.try_set_option("objective_bound", c).map_err(|_| Error::Solver("HiGHS rejected objective_bound".into()))?;
        }
        if lp_rounds < MAX_LP_ROUNDS {
            // Strengthen the relaxation first: separate cuts at LP solutions (cheap rounds), and
            // fix x(i,j) = 0 where the LP bound plus the reduced cost exceeds the incumbent.
            highs_model.try_set_option("solve_relaxation", true).map_err(|_| Error::Solver("HiGHS rejected solve_relaxation".into()))?;
            let solved = highs_model.try_solve().map_err(|e| Error::Solver(format!("HiGHS failed: {e:?}")))?;
            lp_rounds += 1;
            let mut m: highs::Model = solved.into();
            let mut added = 0;
            if m_status_optimal(&m) {
                let (cols, duals, lp_obj) = lp_solution(&m);
                bound = Some(bound.map_or(lp_obj, |b: f64| b.max(lp_obj)));
                // A fixed number of areas with tight windows: location–allocation from the LP's hubs.
                let has_max = p.thresholds.iter().any(|t| t.max.is_finite());
                if lp_rounds == 1 && opts.allocation && !opts.no_heuristic && p.areas.0 == p.areas.1 && (incumbent.is_none() || has_max) {
                    let y = hub_values(p, &built_vars, &cols);
                    let alloc_budget = t0 + std::time::Duration::from_secs_f64(0.2 * limit);
                    allocate_from(&y, opts, alloc_budget.min(deadline), None, "start", &mut incumbent);
                }
                let ub = upper_bound(&incumbent, opts.cutoff).filter(|_| opts.cost_fixing);
                fixed_by_cost += fix_by_reduced_cost(&mut m, &built_vars, &cols, &duals, lp_obj, ub, &mut fixed_cols);
                if let Some(c) = opts.cutoff.filter(|&c| lp_obj >= c - 1e-7 * c.abs()) {
                    if incumbent.is_none() {
                        // The relaxation already costs the cutoff: no partition below it.
                        return Ok(finish(Status::Infeasible, None, Some(c), rounds, cuts_added, fixed_by_cost, "LP bound above cutoff".into()));
                    }
                }
                if p.sc.contiguity {
                    let x: Vec<Vec<f64>> = built_vars.x.iter().map(|row| row.iter().map(|v| v.map_or(0.0, |v| cols[v.col])).collect()).collect();
                    for c in contiguity::separate_fractional(p, &x, 0.02) {
                        if seen_cuts_cell.borrow_mut().insert(c.clone()) {
                            add_row_leq_zero(&mut m, &c.row(&built_vars))?;
                            cuts_added += 1;
                            added += 1;
                        }
                    }
                }
            }
            tell(format!("LP round {lp_rounds}"), &incumbent, bound);
            if opts.verbose {
                eprintln!("[alue] LP round {lp_rounds}: bound {bound:?}, {fixed_by_cost} pairs fixed by reduced cost, {added} cut(s), t={:.2}s", t0.elapsed().as_secs_f64());
            }
            if added == 0 || t0.elapsed().as_secs_f64() > 0.25 * limit {
                lp_rounds = MAX_LP_ROUNDS;
                // The reduced-cost fixing changed bounds: solve the LP again (hot start) first.
                // SAFETY: the live model, in relaxation mode.
                if !probed && unsafe { highs_sys::Highs_run(m.as_mut_ptr()) } != highs_sys::STATUS_ERROR && m_status_optimal(&m) {
                    probed = true;
                    let probe_deadline = (t0 + std::time::Duration::from_secs_f64(0.3 * limit)).min(deadline);
                    let (mut cols, _, _) = lp_solution(&m);
                    // Passes until nothing more is fixed: each closed hub raises the others' bounds,
                    // and the LP over the hubs left is a new start for location–allocation.
                    let mut last_ub = f64::INFINITY;
                    for _ in 0..6 {
                        let Some(ub) = upper_bound(&incumbent, opts.cutoff) else { break };
                        // A pass against the same bound closes little more and re-solves every
                        // surviving probe in full: another pass only when the incumbent improved.
                        if ub >= last_ub {
                            break;
                        }
                        last_ub = ub;
                        let y = hub_values(p, &built_vars, &cols);
                        tell("hub probing".into(), &incumbent, bound);
                        let done = probing::pass(&mut m, p, &built_vars, &y, ub, &mut fixed_cols, probe_deadline);
                        let closed = done.fixings.iter().filter(|f| f.1 == 0.0).count();
                        hubs.set(hubs.get() - closed);
                        if opts.verbose {
                            eprintln!("[alue] hub probing: {} LPs, {closed} hub(s) closed, {} opened against {ub:.2}, t={:.2}s", done.lps, done.fixings.len() - closed, t0.elapsed().as_secs_f64());
                        }
                        if done.fixings.is_empty() {
                            break;
                        }
                        hub_fixings.extend(done.fixings);
                        // SAFETY: the live model, in relaxation mode.
                        unsafe { highs_sys::Highs_run(m.as_mut_ptr()) };
                        if !m_status_optimal(&m) {
                            // Infeasible: no partition beats the incumbent; the MIP round will say so.
                            break;
                        }
                        let (c, duals, lp_obj) = lp_solution(&m);
                        cols = c;
                        bound = Some(bound.map_or(lp_obj, |b: f64| b.max(lp_obj)));
                        if opts.allocation && !opts.no_heuristic && p.areas.0 == p.areas.1 {
                            let y = hub_values(p, &built_vars, &cols);
                            let alloc_budget = t0 + std::time::Duration::from_secs_f64(0.2 * limit);
                            allocate_from(&y, opts, alloc_budget.min(deadline), Some(ub), "after probing", &mut incumbent);
                        }
                        let ub = upper_bound(&incumbent, opts.cutoff).filter(|_| opts.cost_fixing);
                        fixed_by_cost += fix_by_reduced_cost(&mut m, &built_vars, &cols, &duals, lp_obj, ub, &mut fixed_cols);
                    }
                }
            }
            m.try_set_option("solve_relaxation", false).map_err(|_| Error::Solver("HiGHS rejected solve_relaxation".into()))?;
            highs_model = m;
            continue;
        }
        if let Some((_, h)) = &incumbent {
            let cols = column_values(p, &built_vars, h);
            highs_model.try_set_solution(Some(&cols), None, None, None).map_err(|e| Error::Solver(format!("cannot pass the start: {e:?}")))?;
        }
        tell(format!("MIP round {}", rounds + 1), &incumbent, bound);
        // HiGHS's own incumbent is a partition of the full model only when every round is exact
        // (no contiguity, or the flow formulation); its dual bound is a bound of a relaxation.
        state.live = opts.progress.clone().map(|sink| LiveProgress {
            sink,
            phase: format!("MIP round {}", rounds + 1),
            incumbent: incumbent.as_ref().map(|(o, _)| *o),
            bound,
            exact: !p.sc.contiguity || flow_on,
            last: Instant::now(),
        });
        if opts.verbose {
            eprintln!("[alue] MIP round {} starts at t={:.2}s", rounds + 1, t0.elapsed().as_secs_f64());
        }
        let solved = highs_model.try_solve().map_err(|e| Error::Solver(format!("HiGHS failed: {e:?}")))?;
        rounds += 1;
        if opts.verbose {
            eprintln!("[alue] MIP round {rounds} ends at t={:.2}s", t0.elapsed().as_secs_f64());
        }
        let status = solved.status();
        let highs_status = format!("{status:?}");
        // Solutions HiGHS found on the way: connected ones are candidates, the others gave cuts.
        let (harvested_cuts, harvested_feasible, stopped) = {
            let mut st = harvested.borrow_mut();
            (std::mem::take(&mut st.cuts), std::mem::take(&mut st.feasible), state.stop && Instant::now() < deadline)
        };
        for h in harvested_feasible {
            offer(Some(h), &mut incumbent);
        }
        match status {
            HighsModelStatus::Infeasible if !stopped => {
                // With an incumbent, "infeasible" can only mean that the reduced-cost fixing left no
                // partition better than it: the incumbent is optimal.
                if let Some((ub, _)) = &incumbent {
                    let ub = *ub;
                    return Ok(finish(Status::Optimal, incumbent, Some(ub), rounds, cuts_added, fixed_by_cost, highs_status));
                }
                return Ok(finish(Status::Infeasible, None, opts.cutoff, rounds, cuts_added, fixed_by_cost, highs_status));
            }
            HighsModelStatus::Optimal | HighsModelStatus::ReachedTimeLimit | HighsModelStatus::ReachedInterrupt | HighsModelStatus::ReachedIterationLimit | HighsModelStatus::Unknown | HighsModelStatus::ReachedSolutionLimit => {}
            other => return Err(Error::Solver(format!("HiGHS ended with status {other:?}"))),
        }
        let round_bound = solved.double_info_value(c"mip_dual_bound").ok().filter(|b| b.is_finite());
        if let Some(b) = round_bound {
            bound = Some(bound.map_or(b, |old: f64| old.max(b)));
        }
        if let (Some(c), None, HighsModelStatus::Optimal) = (opts.cutoff, incumbent.as_ref(), status) {
            // With objective_bound, HiGHS reports "optimal" on a solution at or above the bound
            // when it has proved that none lies below; this round's model is a relaxation of the
            // full one (fewer contiguity cuts), so no partition is cheaper than the cutoff.
            let obj = solved.objective_value();
            if solved.primal_solution_status() != HighsSolutionStatus::Feasible || obj >= c - 1e-7 * c.abs() {
                return Ok(finish(Status::Infeasible, None, Some(c), rounds, cuts_added, fixed_by_cost, highs_status));
            }
        }
        let has_solution = solved.primal_solution_status() == HighsSolutionStatus::Feasible;
        let mut new_cuts = Vec::new();
        if has_solution {
            let sol = solved.get_solution();
            let hub_of = hub_of_solution(p.n, &x_columns(&built_vars), sol.columns())
                .ok_or_else(|| Error::Solver("HiGHS returned a solution that leaves a unit unassigned".into()))?;
            new_cuts = if p.sc.contiguity { contiguity::separate(p, &hub_of) } else { Vec::new() };
            if stopped && new_cuts.is_empty() {
                // Interrupted on a disconnected solution: HiGHS's current best may be connected
                // but is not proven optimal yet.
                offer(Some(hub_of.clone()), &mut incumbent);
            }
            if opts.verbose {
                let ev = evaluate(p, &hub_of);
                eprintln!("[alue] round {rounds}: HiGHS {status:?}, objective {:.0}, bound {:?}, {} cut(s), t={:.2}s", ev.objective, round_bound, new_cuts.len(), t0.elapsed().as_secs_f64());
                for c in new_cuts.iter().filter(|c| c.j == hub_of[c.i]) {
                    eprintln!("[alue]   {} cut off from hub {} by {:?}", p.inst.units[c.i].name, p.inst.units[c.j].name, c.sep.iter().map(|&k| p.inst.units[k].name.as_str()).collect::<Vec<_>>());
                }
            }
            if new_cuts.is_empty() && !stopped {
                // Contiguous: a feasible partition of the full model.
                offer(Some(hub_of), &mut incumbent);
                if status == HighsModelStatus::Optimal {
                    return Ok(finish(Status::Optimal, incumbent, bound, rounds, cuts_added, fixed_by_cost, highs_status));
                }
            } else if !new_cuts.is_empty() {
                offer(heuristic::repair(p, &hub_of, budget()), &mut incumbent);
                if opts.allocation && !opts.no_heuristic && p.areas.0 == p.areas.1 {
                    // The best contiguous partition around this solution's hubs (an exact small MIP).
                    let y: Vec<f64> = (0..p.n).map(|j| if hub_of[j] == j { 1.0 } else { 0.0 }).collect();
                    // The cuts found so far hold for the allocation too (separators of the same graph).
                    let with_cuts = SolveOptions { cuts: seen_cuts_cell.borrow().iter().chain(&new_cuts).cloned().collect(), ..opts.clone() };
                    let cutoff = incumbent.as_ref().map(|(o, _)| *o);
                    allocate_from(&y, &with_cuts, budget().min(deadline), cutoff, &format!("from round {rounds}'s hubs"), &mut incumbent);
                }
            }
        }
        new_cuts.extend(harvested_cuts);
        if status != HighsModelStatus::Optimal && !stopped {
            return Ok(finish(Status::TimeLimit, incumbent, bound, rounds, cuts_added, fixed_by_cost, highs_status));
        }
        if relaxation_pending && !new_cuts.is_empty() {
            relaxation_pending = false;
            let mut q = p.clone();
            q.relax_staffing = true;
            let left = (limit - t0.elapsed().as_secs_f64()).max(0.0);
            let sub = SolveOptions { time_limit: Some(0.25 * left), verbose: false, start: incumbent.as_ref().map(|(_, h)| h.clone()), progress: None, ..opts.clone() };
            let r0 = Instant::now();
            if let Ok(o) = solve(&q, &sub) {
                offer(o.hub_of.clone(), &mut incumbent);
                new_cuts.extend(o.cut_list);
            }
            relaxation_seconds.set(r0.elapsed().as_secs_f64());
            if opts.verbose {
                eprintln!("[alue] staffing relaxation: incumbent {:?} €/year, {:.2} s, t={:.2}s", incumbent.as_ref().map(|(o, _)| *o), relaxation_seconds.get(), t0.elapsed().as_secs_f64());
            }
        }
        let mut m: highs::Model = solved.into();
        if !flow_on && rounds >= FLOW_AFTER_ROUNDS && opts.auto_flow && !new_cuts.is_empty() {
            // Many rounds: the flow formulation settles contiguity in one more round.
            flow_on = true;
            let rebuilt = model::build(p, true);
            m = rebuilt.highs;
            built_vars = rebuilt.vars;
            for c in seen_cuts_cell.borrow().iter() {
                add_row_leq_zero(&mut m, &c.row(&built_vars))?;
            }
            lp_rounds = 0;
            fixed_cols = vec![false; built_vars.ncols];
            fixed_by_cost = 0;
            probing::reapply(&mut m, &built_vars, &hub_fixings, &mut fixed_cols);
        }
        for c in new_cuts {
            if seen_cuts_cell.borrow_mut().insert(c.clone()) {
                add_row_leq_zero(&mut m, &c.row(&built_vars))?;
                cuts_added += 1;
            }
        }
        highs_model = m;
    }
}

/// The MIP on the problem the dual phase reduced, started from its incumbent; the bound is the
/// better of the dual's and the MIP's (the reduced problem holds every cheaper partition).
fn after_dual(p: &Problem, opts: &SolveOptions, prep: dual_fixing::Prepared, t0: Instant) -> Result<Outcome> {
    let limit = opts.time_limit.unwrap_or(p.sc.time_limit).max(0.0);
    // The outer margin (validation and output), which the inner solve with its own limit omits.
    let margin = if opts.time_limit.is_some() { 0.0 } else { 0.01 * limit + 0.5 };
    let left = (limit - margin - t0.elapsed().as_secs_f64()).max(0.0);
    if let Some((obj, h)) = prep.start.as_ref().filter(|(o, _)| dual_fixing::proves(prep.report.bound, *o, p.sc.mip_gap)) {
        // The Lagrangian bound reaches the incumbent: proven optimal without the MIP.
        let bound = prep.report.bound.min(*obj);
        return Ok(Outcome {
            status: Status::Optimal,
            hub_of: Some(h.clone()),
            objective: Some(*obj),
            bound: Some(bound),
            gap: relative_gap(Some(*obj), Some(bound)),
            seconds: t0.elapsed().as_secs_f64(),
            rounds: 0,
            cuts: 0,
            pairs: pair_count(&prep.problem),
            hubs: prep.problem.hubs().len(),
            fixed_by_cost: 0,
            heuristic: Some(*obj),
            highs_status: PROVEN_BY_DUAL.into(),
            cut_list: Vec::new(),
            relaxation_seconds: 0.0,
            dual: Some(prep.report),
        });
    }
    let sub = SolveOptions { lagrange: false, start: prep.start.as_ref().map(|(_, h)| h.clone()), pool: Vec::new(), time_limit: Some(left), ..opts.clone() };
    let mut o = solve(&prep.problem, &sub)?;
    let dual = prep.report.bound;
    o.bound = Some(o.bound.map_or(dual, |b| b.max(dual)));
    if let (Some(b), Some(obj)) = (o.bound, o.objective) {
        o.bound = Some(b.min(obj));
    }
    o.gap = relative_gap(o.objective, o.bound);
    o.seconds = t0.elapsed().as_secs_f64();
    o.dual = Some(prep.report);
    Ok(o)
}

/// HiGHS's status when the Lagrangian bound alone proved the incumbent optimal (HiGHS did not run).
pub const PROVEN_BY_DUAL: &str = "not run: the Lagrangian bound reaches the incumbent";

/// Which method produced the final bound: the Lagrangian relaxation (its bound is the final
/// one), or HiGHS (the LP relaxation or its branch and bound, on the reduced problem when the
/// Lagrangian fixing ran).
pub fn bound_source(o: &Outcome) -> &'static str {
    match (&o.dual, o.bound) {
        (_, None) => "none",
        (Some(d), Some(b)) if d.bound >= b - 1e-9 * b.abs() => "lagrangian relaxation",
        (Some(_), Some(_)) => "HiGHS, on the problem reduced by Lagrangian fixing",
        (None, Some(_)) => "HiGHS",
    }
}

/// Fault injection for the time-limit watchdog's test: with `ALUE_FAULT_STALL` set, the solve
/// stops here for good, as HiGHS does in the steps where it looks neither at its clock nor at
/// the interrupt callback.
fn fault_stall() {
    if std::env::var_os("ALUE_FAULT_STALL").is_some() {
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
}

/// The outcome when the MIP is not built (see `limits`): the heuristic's partition, improved by
/// local search until the limit (less the output margin), status time_limit, no bound.
/// `(t0, whole)`: the solve's start, and whether its limit is the scenario's, counted from the
/// start of the process (a caller that passes its own limit has already taken off the time spent).
fn heuristic_only(p: &Problem, mut incumbent: Option<(f64, Vec<usize>)>, (t0, whole): (Instant, bool), limit: f64, pairs: usize, heuristic: Option<f64>, why: String) -> Outcome {
    if let Some((obj, h)) = incumbent.as_mut() {
        // Until 90 % of the limit less 0.5 s for validation and output, counted from the start of
        // the process (reading a large instance takes seconds).
        let before = if whole { (crate::machine::process_seconds() - t0.elapsed().as_secs_f64()).max(0.0) } else { 0.0 };
        heuristic::improve(p, h, t0 + std::time::Duration::from_secs_f64((0.9 * limit - 0.5 - before).max(0.0)));
        *obj = evaluate(p, h).objective;
    }
    let (objective, hub_of) = match incumbent {
        Some((o, h)) => (Some(o), Some(h)),
        None => (None, None),
    };
    Outcome { status: Status::TimeLimit, hub_of, objective, bound: None, gap: None, seconds: t0.elapsed().as_secs_f64(), rounds: 0, cuts: 0, pairs, hubs: p.hubs().len(), fixed_by_cost: 0, heuristic, highs_status: why, cut_list: Vec::new(), relaxation_seconds: 0.0, dual: None }
}

/// The best objective known: the incumbent's or the caller's cutoff, whichever is lower.
fn upper_bound(incumbent: &Option<(f64, Vec<usize>)>, cutoff: Option<f64>) -> Option<f64> {
    incumbent.as_ref().map(|(o, _)| *o).into_iter().chain(cutoff).reduce(f64::min)
}

/// The LP value of every unit's hub variable x(j,j) (0 where it has none).
fn hub_values(p: &Problem, vars: &model::Vars, cols: &[f64]) -> Vec<f64> {
    (0..p.n).map(|j| vars.y(j).map_or(0.0, |v| cols[v.col])).collect()
}

/// Number of x(i,j) columns the problem allows.
fn pair_count(p: &Problem) -> usize {
    p.allowed.iter().flatten().filter(|&&a| a).count()
}

/// When a local search started now must end: 5 % of the time limit, at least 0.5 s.
fn improve_deadline(limit: f64) -> Instant {
    Instant::now() + std::time::Duration::from_secs_f64((0.05 * limit).max(0.5))
}

/// (objective − bound)/|objective|, 0 for a zero objective.
/// Relative gap between an objective and its bound (0 for a zero objective, never negative).
pub fn relative_gap(objective: Option<f64>, bound: Option<f64>) -> Option<f64> {
    let (o, b) = (objective?, bound?);
    Some(if o.abs() < 1e-9 { 0.0 } else { ((o - b) / o.abs()).max(0.0) })
}

/// What the harvester collected during one MIP round.
#[derive(Default)]
struct Harvested {
    cuts: Vec<contiguity::Cut>,
    feasible: Vec<Vec<usize>>,
}

/// What the HiGHS callback sees: the deadline, and during MIP rounds with contiguity a harvester
/// that checks every improving solution HiGHS finds (HiGHS has no lazy constraints: a
/// disconnected improving solution yields separator cuts and stops the round so that they can be
/// added; a connected one is a feasible partition of the full model).
struct CallbackState<'a> {
    deadline: Instant,
    harvest: Option<Box<dyn FnMut(&[f64]) -> bool + 'a>>,
    stop: bool,
    live: Option<LiveProgress>,
}

/// Progress reported from inside a MIP round (a few times a second).
struct LiveProgress {
    sink: progress::ProgressSink,
    phase: String,
    incumbent: Option<f64>,
    /// The best bound known when the round started (HiGHS's own restarts lower each round).
    bound: Option<f64>,
    /// HiGHS's incumbent is a partition of the full model (the round is exact).
    exact: bool,
    last: Instant,
}

impl LiveProgress {
    fn report(&mut self, o: &highs_sys::HighsCallbackDataOut) {
        if self.last.elapsed().as_secs_f64() < 0.25 {
            return;
        }
        self.last = Instant::now();
        let finite = |x: f64| (x.is_finite() && x.abs() < 1e29).then_some(x);
        let inc = progress::either(self.incumbent, finite(o.mip_primal_bound).filter(|_| self.exact), f64::min);
        let bound = progress::either(self.bound, finite(o.mip_dual_bound), f64::max);
        self.sink.report(format!("{}: {} nodes", self.phase, o.mip_node_count), inc, bound);
    }
}

unsafe extern "C" fn callback(
    kind: std::os::raw::c_int,
    _message: *const std::os::raw::c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    data_in: *mut highs_sys::HighsCallbackDataIn,
    user: *mut std::os::raw::c_void,
) {
    // SAFETY: `user` is the boxed CallbackState of `solve`, alive while HiGHS runs; HiGHS passes
    // a valid `out` (and for interrupt callbacks a valid `data_in`) or null.
    unsafe {
        if user.is_null() {
            return;
        }
        let state = &mut *(user as *mut CallbackState);
        if kind == highs_sys::kHighsCallbackMipImprovingSolution as std::os::raw::c_int {
            if let (Some(h), false) = (state.harvest.as_mut(), out.is_null()) {
                let o = &*out;
                if !o.mip_solution.is_null() && o.mip_solution_size > 0 {
                    let x = std::slice::from_raw_parts(o.mip_solution, o.mip_solution_size as usize);
                    if h(x) {
                        state.stop = true;
                    }
                }
            }
            return;
        }
        if kind == highs_sys::kHighsCallbackMipInterrupt as std::os::raw::c_int && !out.is_null() {
            if let Some(live) = state.live.as_mut() {
                live.report(&*out);
            }
        }
        if !data_in.is_null() && (state.stop || Instant::now() >= state.deadline) {
            (*data_in).user_interrupt = 1;
        }
    }
}

fn set_callback(m: &mut highs::Model, state: &mut CallbackState) -> Result<()> {
    let ptr = m.as_mut_ptr();
    // SAFETY: the state outlives every solve of this model (it is owned by `solve`).
    unsafe {
        highs_sys::Highs_setCallback(ptr, Some(callback), state as *mut CallbackState as *mut std::os::raw::c_void);
        let mut kinds = vec![highs_sys::kHighsCallbackMipInterrupt, highs_sys::kHighsCallbackSimplexInterrupt, highs_sys::kHighsCallbackIpmInterrupt];
        if state.harvest.is_some() {
            kinds.push(highs_sys::kHighsCallbackMipImprovingSolution);
        } else {
            highs_sys::Highs_stopCallback(ptr, highs_sys::kHighsCallbackMipImprovingSolution);
        }
        for kind in kinds {
            if highs_sys::Highs_startCallback(ptr, kind) == highs_sys::STATUS_ERROR {
                return Err(Error::Solver("HiGHS refused the callback".into()));
            }
        }
    }
    Ok(())
}

/// Above this many x(i,j) columns, HiGHS's presolve is switched off (see `set_options`).
const LARGE_PAIRS: usize = 20_000;

/// After this many MIP rounds with violated contiguity, add the flow formulation.
const FLOW_AFTER_ROUNDS: usize = 25;

/// Above this many x(i,j) columns, hub probing is skipped (each probe is an LP of that size).
const PROBING_MAX_PAIRS: usize = 20_000;

/// At most this many LP rounds of fractional contiguity separation before the MIP.
const MAX_LP_ROUNDS: usize = 30;

fn m_status_optimal(m: &highs::Model) -> bool {
    // SAFETY: read-only query of the live model's status.
    unsafe { highs_sys::Highs_getModelStatus(m.as_ptr() as *mut _) == highs_sys::MODEL_STATUS_OPTIMAL }
}

/// Primal values, reduced costs and objective of a solved LP.
fn lp_solution(m: &highs::Model) -> (Vec<f64>, Vec<f64>, f64) {
    // SAFETY: buffers sized by the model's own column and row counts.
    unsafe {
        let ptr = m.as_ptr() as *mut _;
        let ncol = highs_sys::Highs_getNumCol(ptr) as usize;
        let nrow = highs_sys::Highs_getNumRow(ptr) as usize;
        let (mut cv, mut cd, mut rv, mut rd) = (vec![0.0; ncol], vec![0.0; ncol], vec![0.0; nrow], vec![0.0; nrow]);
        highs_sys::Highs_getSolution(ptr, cv.as_mut_ptr(), cd.as_mut_ptr(), rv.as_mut_ptr(), rd.as_mut_ptr());
        (cv, cd, highs_sys::Highs_getObjectiveValue(ptr))
    }
}

/// Reduced-cost fixing: an x(i,j) at 0 in the LP whose reduced cost exceeds the gap between the
/// upper bound `ub` (the best objective known) and the LP bound `lp_obj` cannot be 1 in any
/// partition better than that; fix it to 0. Returns the count (0 without an upper bound).
fn fix_by_reduced_cost(m: &mut highs::Model, vars: &model::Vars, cols: &[f64], duals: &[f64], lp_obj: f64, ub: Option<f64>, already: &mut [bool]) -> usize {
    let Some(ub) = ub else { return 0 };
    let gap = ub - lp_obj + 1e-7 * ub.abs();
    let mut fixed = 0;
    for x in vars.x.iter().flatten().flatten() {
        if cols[x.col] < 1e-9 && duals[x.col] > gap && !already[x.col] {
            fix_column(m, x.col, 0.0, already);
            fixed += 1;
        }
    }
    fixed
}

/// Fix column `col` of the live model to `value` and mark it fixed.
pub(super) fn fix_column(m: &mut highs::Model, col: usize, value: f64, fixed: &mut [bool]) {
    // SAFETY: `col` is a column of the live model.
    unsafe { highs_sys::Highs_changeColBounds(m.as_mut_ptr(), col as highs_sys::HighsInt, value, value) };
    fixed[col] = true;
}

/// Add the row Σ coef·x ≤ 0 to a HiGHS model through the C API.
fn add_row_leq_zero(m: &mut highs::Model, row: &[(usize, f64)]) -> Result<()> {
    let idx: Vec<highs_sys::HighsInt> = row.iter().map(|&(c, _)| c as highs_sys::HighsInt).collect();
    let val: Vec<f64> = row.iter().map(|&(_, v)| v).collect();
    // SAFETY: the pointer is the live model's; idx/val have the same length, given as num_nz.
    let status = unsafe { highs_sys::Highs_addRow(m.as_mut_ptr(), f64::NEG_INFINITY, 0.0, idx.len() as highs_sys::HighsInt, idx.as_ptr(), val.as_ptr()) };
    if status == highs_sys::STATUS_ERROR {
        return Err(Error::Solver("HiGHS refused a contiguity cut".into()));
    }
    Ok(())
}
