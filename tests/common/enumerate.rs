//! Brute force for the tests: every set partition of the units, scored by the validator only.

use alue::{validate, Scenario};

/// Every set partition of 0..n as a block label per element (restricted growth strings).
pub fn partitions(n: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut a = vec![0usize; n];
    fn rec(k: usize, max: usize, a: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        if k == a.len() {
            out.push(a.clone());
            return;
        }
        for b in 0..=max + 1 {
            a[k] = b;
            rec(k + 1, max.max(b), a, out);
        }
    }
    if n > 0 {
        rec(1, 0, &mut a, &mut out);
    }
    out
}

/// The best objective over all partitions and all hub choices, by the validator; None if none is feasible.
pub fn brute_force(inst: &alue::Instance, sc: &Scenario) -> Option<f64> {
    let n = inst.n();
    let mut best: Option<f64> = None;
    for labels in partitions(n) {
        let k = labels.iter().max().unwrap() + 1;
        let blocks: Vec<Vec<usize>> = (0..k).map(|b| (0..n).filter(|&i| labels[i] == b).collect()).collect();
        // The hub only changes its own area's travel (every unit may be a hub here), so the best
        // hub of each block is found by trying each member with the other blocks fixed.
        let mut hub_of: Vec<usize> = (0..n).map(|i| blocks[labels[i]][0]).collect();
        for block in &blocks {
            let mut best_hub = (f64::INFINITY, block[0]);
            for &h in block {
                block.iter().for_each(|&i| hub_of[i] = h);
                let v = validate::validate(inst, sc, &hub_of, None);
                if v.objective < best_hub.0 {
                    best_hub = (v.objective, h);
                }
            }
            block.iter().for_each(|&i| hub_of[i] = best_hub.1);
        }
        let v = validate::validate(inst, sc, &hub_of, None);
        if v.is_feasible() && best.is_none_or(|b| v.objective < b) {
            best = Some(v.objective);
        }
    }
    best
}

