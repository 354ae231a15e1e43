//! Column generation over whole areas (`solve::column_generation`), the method alone, against
//! brute-force enumeration of every partition (with and without contiguity) and against the
//! compact model's LP: its bound never exceeds the optimum, at convergence it is never below the
//! compact LP's, and it is above it where that one leaves a gap.

mod common;

use alue::solve::column_generation::generate;
use alue::{validate, Problem, Scenario};
use common::enumerate::brute_force;
use std::time::{Duration, Instant};

/// The compact model's LP relaxation (free count, its initial contiguity rows, no cuts).
fn compact_lp(p: &Problem) -> f64 {
    let mut m = alue::model::build(p, false).highs;
    m.make_quiet();
    m.set_option("solve_relaxation", true);
    m.set_option("threads", 1);
    let s = m.solve();
    assert_eq!(s.status(), highs::HighsModelStatus::Optimal);
    s.objective_value()
}

/// A varied employment scenario for instance number `k`.
fn scenario(k: u64) -> Scenario {
    let mut sc = Scenario::default();
    sc.contiguity = k % 2 == 0;
    sc.min.insert("labour_force".into(), [12_000.0, 16_000.0, 20_000.0, 30_000.0][(k / 2) as usize % 4]);
    sc.caseload = [60.0, 149.0, 400.0][(k / 8) as usize % 3];
    sc.admin_cost = [100_000.0, 500_000.0, 900_000.0][(k / 24) as usize % 3];
    if k % 7 == 3 {
        sc.areas = Some(2);
    }
    sc
}

struct Tally {
    instances: usize,
    feasible: usize,
    lp_below_optimum: usize,
    strictly_above_lp: usize,
    partition_optimal: usize,
    dived: usize,
}

/// 200 random small instances (6 units on 2 × 3 and 3 × 2 grids, 8 on 2 × 4).
fn check_all() -> Tally {
    let mut t = Tally { instances: 0, feasible: 0, lp_below_optimum: 0, strictly_above_lp: 0, partition_optimal: 0, dived: 0 };
    for k in 0..200u64 {
        let inst = match k % 10 {
            0..=3 => common::grid(2, 3, 1000 + k),
            4..=6 => common::grid(3, 2, 1000 + k),
            _ => common::grid(2, 4, 1000 + k),
        };
        let sc = scenario(k);
        t.instances += 1;
        let opt = brute_force(&inst, &sc);
        let p = Problem::new(&inst, &sc).unwrap();
        let Some((g, dived, partition)) = generate(&p, &[], Instant::now() + Duration::from_secs(20)) else { panic!("instance {k}: the employment model is covered") };
        let Some(opt) = opt else {
            // No partition exists: the method finds none either.
            assert!(partition.is_none() && dived.is_none(), "instance {k}: a partition where brute force found none");
            continue;
        };
        t.feasible += 1;
        let tol = 1e-7 * opt.abs().max(1.0);
        assert!(g.converged, "instance {k}: column generation did not converge: bound {} LP {} rounds {}", g.bound, g.lp, g.exact_rounds);
        assert!(g.bound <= opt + tol, "instance {k}: bound {} above the optimum {opt}", g.bound);
        assert!(g.bound <= g.lp + tol, "instance {k}: bound {} above the master LP {}", g.bound, g.lp);
        let lp = compact_lp(&p);
        assert!(g.bound >= lp - 1e-6 * lp.abs().max(1.0), "instance {k}: bound {} below the compact LP {lp}", g.bound);
        if lp < opt - tol {
            t.lp_below_optimum += 1;
            t.strictly_above_lp += usize::from(g.bound > lp + 1e-6 * lp.abs().max(1.0));
        }
        // The dive and the master's MIP give partitions of connected areas that the validator
        // accepts, at the cost they claim, never below the optimum.
        for (what, found) in [("dive", &dived), ("MIP", &partition)] {
            let Some((obj, hub_of)) = found else { continue };
            let v = validate::validate(&inst, &sc, hub_of, None);
            assert!(v.is_feasible(), "instance {k}, {what}: {:?}", v.violations);
            assert!((v.objective - obj).abs() <= 1e-6 * obj.abs().max(1.0), "instance {k}, {what}: {obj} against the validator's {}", v.objective);
            assert!(*obj >= opt - tol, "instance {k}, {what}: {obj} below the optimum {opt}");
        }
        t.dived += usize::from(dived.is_some());
        let Some((obj, _)) = partition else { continue };
        t.partition_optimal += usize::from(obj <= opt + 1e-6 * opt.abs().max(1.0));
    }
    t
}

#[test]
fn the_bound_lies_between_the_compact_lp_and_the_enumerated_optimum() {
    let t = check_all();
    eprintln!(
        "{} instances, {} feasible; LP below the optimum on {}, the column bound strictly above it on {}; the columns' MIP optimal on {}; the dive found a partition on {}",
        t.instances, t.feasible, t.lp_below_optimum, t.strictly_above_lp, t.partition_optimal, t.dived
    );
    assert!(t.feasible >= 100, "too few feasible instances: {}", t.feasible);
    assert!(t.lp_below_optimum >= 20, "too few instances with an LP gap: {}", t.lp_below_optimum);
    assert!(2 * t.strictly_above_lp >= t.lp_below_optimum, "strictly above the LP on {} of {}", t.strictly_above_lp, t.lp_below_optimum);
    // Price and branch is a heuristic in general; on these small instances it finds the
    // enumerated optimum nearly always.
    assert!(10 * t.partition_optimal >= 9 * t.feasible, "the columns' MIP optimal on {} of {}", t.partition_optimal, t.feasible);
    // The dive is a heuristic too: it finds a partition on most feasible instances.
    assert!(2 * t.dived >= t.feasible, "the dive found a partition on {} of {}", t.dived, t.feasible);
}
