//! The set-partitioning master over whole areas, in HiGHS through its C API: one row per unit
//! (Σ λ over the columns that hold it = 1), one for the number of areas (p_min ≤ Σ λ ≤ p_max)
//! and one per forced hub (Σ λ over its columns = 1); one column per area, at its cost. Solved as
//! an LP and re-solved warm as columns are added (column generation), or as a MIP over the
//! columns it holds (a partition of connected areas, when every column is connected).

use std::collections::HashMap;
use std::ffi::{c_void, CString};

/// One area: its hub, its units (sorted, the hub among them) and its cost (€/year).
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub hub: usize,
    pub units: Vec<usize>,
    pub cost: f64,
}

/// The master's LP optimum: its value, the duals of the unit rows, of the count row and of each
/// hub's forced row (0 where the hub is not forced).
#[derive(Debug, Clone)]
pub struct Duals {
    pub value: f64,
    pub unit: Vec<f64>,
    pub count: f64,
    pub forced: Vec<f64>,
}

impl Duals {
    /// The point `t` of the way from these duals to `other` (the value is not a master's).
    pub fn towards(&self, other: &Duals, t: f64) -> Duals {
        let mix = |a: f64, b: f64| a + t * (b - a);
        Duals {
            value: mix(self.value, other.value),
            unit: self.unit.iter().zip(&other.unit).map(|(&a, &b)| mix(a, b)).collect(),
            count: mix(self.count, other.count),
            forced: self.forced.iter().zip(&other.forced).map(|(&a, &b)| mix(a, b)).collect(),
        }
    }

    /// The reduced cost of an area of `hub` with the given cost and units.
    pub fn reduced_cost(&self, hub: usize, cost: f64, units: &[usize]) -> f64 {
        cost - units.iter().map(|&i| self.unit[i]).sum::<f64>() - self.count - self.forced[hub]
    }
}

/// The master problem.
pub struct Master {
    ptr: *mut c_void,
    n: usize,
    /// The row of each forced hub.
    forced_row: Vec<Option<usize>>,
    pub columns: Vec<Column>,
    seen: HashMap<(usize, Vec<usize>), usize>,
}

// SAFETY: the HiGHS instance is owned by the Master alone and used from one thread at a time.
unsafe impl Send for Master {}

impl Drop for Master {
    fn drop(&mut self) {
        // SAFETY: created by Highs_create in `new`, destroyed once.
        unsafe { highs_sys::Highs_destroy(self.ptr) };
    }
}

impl Master {
    /// An empty master for `n` units, `areas` = (p_min, p_max) and the forced hubs.
    pub fn new(n: usize, areas: (usize, usize), forced: &[bool]) -> Master {
        // SAFETY: a fresh instance; every option name is a valid C string.
        let ptr = unsafe { highs_sys::Highs_create() };
        let set_bool = |k: &str, v: bool| {
            let k = CString::new(k).expect("option name");
            unsafe { highs_sys::Highs_setBoolOptionValue(ptr, k.as_ptr(), v as highs_sys::HighsInt) };
        };
        set_bool("output_flag", false);
        set_bool("mip_allow_restart", false);
        // As in every MIP of the search: RINS/RENS sub-MIPs do not look at the clock.
        set_bool("mip_heuristic_run_rins", false);
        set_bool("mip_heuristic_run_rens", false);
        let set_int = |k: &str, v: i32| {
            let k = CString::new(k).expect("option name");
            unsafe { highs_sys::Highs_setIntOptionValue(ptr, k.as_ptr(), v as highs_sys::HighsInt) };
        };
        set_int("threads", 1);
        set_int("random_seed", 0);
        let forced_hubs: Vec<usize> = (0..n).filter(|&j| forced.get(j).copied().unwrap_or(false)).collect();
        let mut lower = vec![1.0; n];
        let mut upper = vec![1.0; n];
        lower.push(areas.0 as f64);
        upper.push(areas.1 as f64);
        let mut forced_row = vec![None; n];
        for (k, &j) in forced_hubs.iter().enumerate() {
            forced_row[j] = Some(n + 1 + k);
            lower.push(1.0);
            upper.push(1.0);
        }
        let starts = vec![0 as highs_sys::HighsInt; lower.len()];
        // SAFETY: rows without entries; the arrays have num_new_row elements.
        unsafe { highs_sys::Highs_addRows(ptr, lower.len() as highs_sys::HighsInt, lower.as_ptr(), upper.as_ptr(), 0, starts.as_ptr(), std::ptr::null(), std::ptr::null()) };
        Master { ptr, n, forced_row, columns: Vec::new(), seen: HashMap::new() }
    }

    /// An artificial column per row at cost `big` (a unit's, the count's, a forced hub's): the
    /// LP is then feasible from the start, and they leave it as areas cheaper than `big` come in.
    /// A MIP solution that keeps one is no partition.
    pub fn add_artificial(&mut self, big: f64) {
        // SAFETY: the row count of the live model.
        let rows = unsafe { highs_sys::Highs_getNumRow(self.ptr) } as usize;
        for r in 0..rows {
            let idx = [r as highs_sys::HighsInt];
            // SAFETY: one entry in row r of the live model.
            unsafe { highs_sys::Highs_addCol(self.ptr, big, 0.0, f64::INFINITY, 1, idx.as_ptr(), [1.0].as_ptr()) };
            self.columns.push(Column { hub: usize::MAX, units: if r < self.n { vec![r] } else { Vec::new() }, cost: big });
        }
    }

    /// Add a column unless the master holds it already; true if added.
    pub fn add(&mut self, c: Column) -> bool {
        let before = self.columns.len();
        self.index(c) == before
    }

    /// The index of a column, added if the master does not hold it yet.
    pub fn index(&mut self, c: Column) -> usize {
        if let Some(&k) = self.seen.get(&(c.hub, c.units.clone())) {
            return k;
        }
        self.seen.insert((c.hub, c.units.clone()), self.columns.len());
        let mut idx: Vec<highs_sys::HighsInt> = c.units.iter().map(|&i| i as highs_sys::HighsInt).collect();
        idx.push(self.n as highs_sys::HighsInt);
        if let Some(r) = self.forced_row[c.hub] {
            idx.push(r as highs_sys::HighsInt);
        }
        let val = vec![1.0; idx.len()];
        // SAFETY: idx/val have num_new_nz elements, every index a row of the model.
        unsafe { highs_sys::Highs_addCol(self.ptr, c.cost, 0.0, f64::INFINITY, idx.len() as highs_sys::HighsInt, idx.as_ptr(), val.as_ptr()) };
        self.columns.push(c);
        self.columns.len() - 1
    }

    /// Solve the LP (warm from the last basis); None unless HiGHS reports it optimal.
    pub fn solve_lp(&mut self, time_left: f64) -> Option<Duals> {
        self.set_time(time_left);
        // SAFETY: the live instance; buffers sized by its own counts.
        unsafe {
            let ncol = highs_sys::Highs_getNumCol(self.ptr) as usize;
            let integrality = vec![0 as highs_sys::HighsInt; ncol];
            if ncol > 0 {
                highs_sys::Highs_changeColsIntegralityByRange(self.ptr, 0, ncol as highs_sys::HighsInt - 1, integrality.as_ptr());
            }
            let run = || highs_sys::Highs_run(self.ptr) != highs_sys::STATUS_ERROR && highs_sys::Highs_getModelStatus(self.ptr) == highs_sys::MODEL_STATUS_OPTIMAL;
            // A warm start that ends in a solve error (seen in dives, columns fixed at 1 beside
            // artificial ones) is retried once from scratch.
            if !run() && highs_sys::Highs_getModelStatus(self.ptr) == highs_sys::MODEL_STATUS_SOLVE_ERROR && { highs_sys::Highs_clearSolver(self.ptr); !run() } {
                return None;
            }
            if highs_sys::Highs_getModelStatus(self.ptr) != highs_sys::MODEL_STATUS_OPTIMAL {
                return None;
            }
            let rd = super::highs_api::solution_at(self.ptr).row_dual;
            let forced = (0..self.n).map(|j| self.forced_row[j].map_or(0.0, |r| rd[r])).collect();
            Some(Duals { value: highs_sys::Highs_getObjectiveValue(self.ptr), unit: rd[..self.n].to_vec(), count: rd[self.n], forced })
        }
    }

    /// Solve as a MIP over the columns held (from `start`, a set of column indices, when given):
    /// the chosen columns and HiGHS's objective, or None when it found no solution.
    pub fn solve_mip(&mut self, time_left: f64, cutoff: Option<f64>, start: &[usize]) -> Option<(f64, Vec<usize>)> {
        self.set_time(time_left);
        // SAFETY: the live instance; buffers sized by its own counts.
        unsafe {
            let ncol = highs_sys::Highs_getNumCol(self.ptr) as usize;
            if ncol == 0 {
                return None;
            }
            let integrality = vec![1 as highs_sys::HighsInt; ncol];
            highs_sys::Highs_changeColsIntegralityByRange(self.ptr, 0, ncol as highs_sys::HighsInt - 1, integrality.as_ptr());
            let k = CString::new("objective_bound").expect("option name");
            highs_sys::Highs_setDoubleOptionValue(self.ptr, k.as_ptr(), cutoff.unwrap_or(f64::INFINITY));
            if !start.is_empty() {
                let mut x = vec![0.0; ncol];
                start.iter().for_each(|&c| x[c] = 1.0);
                highs_sys::Highs_setSolution(self.ptr, x.as_ptr(), std::ptr::null(), std::ptr::null(), std::ptr::null());
            }
            highs_sys::Highs_run(self.ptr);
            highs_sys::Highs_setDoubleOptionValue(self.ptr, k.as_ptr(), f64::INFINITY);
            let cv = super::highs_api::solution_at(self.ptr).col_value;
            let chosen: Vec<usize> = (0..ncol).filter(|&c| cv[c] > 0.5).collect();
            self.partition_cost(&chosen).map(|cost| (cost, chosen))
        }
    }

    /// The number of units (rows that every partition covers once).
    pub fn units(&self) -> usize {
        self.n
    }

    /// The column values of the last solve.
    pub fn values(&self) -> Vec<f64> {
        // SAFETY: the live instance.
        unsafe { super::highs_api::solution_at(self.ptr).col_value }
    }

    /// Set column `c`'s bounds (a dive fixes a column at 1 or forbids it at 0; [0, ∞) frees it).
    pub fn set_bounds(&mut self, c: usize, lower: f64, upper: f64) {
        // SAFETY: c is a column of the live model.
        unsafe { highs_sys::Highs_changeColBounds(self.ptr, c as highs_sys::HighsInt, lower, upper) };
    }

    /// The cost of a choice of columns when it is a partition of the units by real areas.
    pub fn partition_cost(&self, chosen: &[usize]) -> Option<f64> {
        let mut covered = vec![0usize; self.n];
        chosen.iter().for_each(|&c| self.columns[c].units.iter().for_each(|&i| covered[i] += 1));
        let real = chosen.iter().all(|&c| self.columns[c].hub != usize::MAX);
        (real && !chosen.is_empty() && covered.iter().all(|&k| k == 1)).then(|| chosen.iter().map(|&c| self.columns[c].cost).sum())
    }

    /// The next run's time limit: `time_left` from now. HiGHS's LP runs measure their limit
    /// against its run clock, which adds up every run of the instance (not its life: the clock
    /// stands between runs), and its MIP runs against a clock of their own from 0; with the
    /// clocks zeroed before each run, both measure from the run's start. (A limit of the
    /// instance's age plus `time_left` let the master's MIP run on for seconds past the search's
    /// limit: 4.8 s for 1.6 s asked, and past the watchdog at generated n = 200.)
    fn set_time(&mut self, time_left: f64) {
        let k = CString::new("time_limit").expect("option name");
        // SAFETY: the live instance; a valid option name.
        unsafe {
            highs_sys::Highs_zeroAllClocks(self.ptr);
            highs_sys::Highs_setDoubleOptionValue(self.ptr, k.as_ptr(), time_left.max(0.01));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What HiGHS will measure the next run against: its time limit and its run clock.
    fn limit_and_clock(m: &Master) -> (f64, f64) {
        let k = CString::new("time_limit").expect("option name");
        let mut limit = 0.0;
        // SAFETY: the live instance; a valid option name and a place for a double.
        let clock = unsafe {
            highs_sys::Highs_getDoubleOptionValue(m.ptr, k.as_ptr(), &mut limit);
            highs_sys::Highs_getRunTime(m.ptr)
        };
        (limit, clock)
    }

    /// A run given t seconds gets t from its start, however old the instance and however long
    /// its earlier runs: the limit is t and the run clock (which HiGHS's LPs measure against, and
    /// which adds up every run) starts at 0. (The limit was the instance's age plus t: a MIP,
    /// on a clock of its own from 0, then ran for that age too.)
    #[test]
    fn each_run_gets_the_time_it_is_given_from_its_start() {
        let mut m = Master::new(3, (1, 3), &[false; 3]);
        m.add_artificial(100.0);
        for (hub, units, cost) in [(0, vec![0, 1], 5.0), (2, vec![2], 3.0), (1, vec![1, 2], 4.0), (0, vec![0], 2.0)] {
            m.add(Column { hub, units, cost });
        }
        assert!(m.solve_lp(5.0).is_some());
        std::thread::sleep(std::time::Duration::from_millis(300));
        m.set_time(0.2);
        let (limit, clock) = limit_and_clock(&m);
        assert!((limit - 0.2).abs() < 1e-12, "time_limit {limit} s for a run given 0.2 s");
        assert!(clock < 0.01, "the run clock starts at {clock} s");
        let (obj, chosen) = m.solve_mip(0.2, None, &[]).expect("a partition of the columns");
        // {0} + {1, 2} at 2 + 4 against {0, 1} + {2} at 5 + 3.
        assert_eq!(obj, 6.0);
        assert_eq!(m.partition_cost(&chosen), Some(6.0));
    }
}
