//! The HiGHS callback: the deadline (an interrupt), live progress from inside a MIP round, and
//! the harvester that checks HiGHS's improving solutions for contiguity.

use super::progress;
use crate::error::{Error, Result};
use crate::model::contiguity;
use std::time::Instant;

/// What the harvester collected during one MIP round.
#[derive(Default)]
pub(super) struct Harvested {
    pub cuts: Vec<contiguity::Cut>,
    pub feasible: Vec<Vec<usize>>,
}

/// What the HiGHS callback sees: the deadline, and during MIP rounds with contiguity a harvester
/// that checks every improving solution HiGHS finds (HiGHS has no lazy constraints: a
/// disconnected improving solution yields separator cuts and stops the round so that they can be
/// added; a connected one is a feasible partition of the full model).
/// Checks one improving solution (the column values); true stops the round.
pub(super) type Harvester<'a> = Box<dyn FnMut(&[f64]) -> bool + 'a>;

pub(super) struct CallbackState<'a> {
    pub deadline: Instant,
    pub harvest: Option<Harvester<'a>>,
    pub stop: bool,
    pub live: Option<LiveProgress>,
    /// The best objective of the solves beside this one (`SolveOptions::shared_cutoff`)…
    pub beat: Option<super::shared_best::SharedBest>,
    /// …the cutoff the round started with…
    pub round_cutoff: f64,
    /// …and whether the best beside fell below it (the round was interrupted, to start again
    /// against the lower cutoff: HiGHS's objective_bound cannot change during a solve).
    pub tightened: bool,
}

impl CallbackState<'_> {
    /// A state with the deadline and, if given, the shared cutoff; nothing else yet.
    pub fn new(deadline: Instant, beat: Option<super::shared_best::SharedBest>) -> Self {
        CallbackState { deadline, harvest: None, stop: false, live: None, beat, round_cutoff: f64::INFINITY, tightened: false }
    }

    /// The best beside has fallen below the round's cutoff (by more than a rounding).
    fn cutoff_fell(&self) -> bool {
        self.beat.as_ref().is_some_and(|b| b.get() < self.round_cutoff - 1e-9 * self.round_cutoff.abs().max(1.0))
    }
}

/// Progress reported from inside a MIP round (a few times a second).
pub(super) struct LiveProgress {
    pub sink: progress::ProgressSink,
    pub phase: String,
    pub incumbent: Option<f64>,
    /// The best bound known when the round started (HiGHS's own restarts lower each round).
    pub bound: Option<f64>,
    /// HiGHS's incumbent is a partition of the full model (the round is exact).
    pub exact: bool,
    pub last: Instant,
}

impl LiveProgress {
    fn report(&mut self, o: &highs_sys::HighsCallbackDataOut) {
        if self.last.elapsed().as_secs_f64() < 0.25 {
            return;
        }
        self.last = Instant::now();
        let finite = |x: f64| (x.is_finite() && x.abs() < 1e29).then_some(x);
        let inc = progress::either(self.incumbent, finite(o.mip_primal_bound).filter(|_| self.exact), f64::min);
        // A bound never passes the incumbent: past HiGHS's objective_bound its dual bound only says
        // that nothing lies below that limit.
        let bound = progress::either(self.bound, finite(o.mip_dual_bound), f64::max).map(|b| inc.map_or(b, |i| b.min(i)));
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
        if kind == highs_sys::kHighsCallbackMipInterrupt as std::os::raw::c_int {
            if let (Some(live), false) = (state.live.as_mut(), out.is_null()) {
                live.report(&*out);
            }
            // (Only MIPs: an LP round runs to its end.)
            state.tightened |= state.cutoff_fell();
        }
        if !data_in.is_null() && (state.stop || state.tightened || Instant::now() >= state.deadline) {
            (*data_in).user_interrupt = 1;
        }
    }
}

/// Register the callback on the live model, with the harvester's kind only when it is set.
pub(super) fn set_callback(m: &mut highs::Model, state: &mut CallbackState) -> Result<()> {
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
