//! The Lagrangian bound over whole areas (`solve::area_dual`) never exceeds the optimum, at any
//! multipliers and any node budget: checked against brute-force enumeration of every partition
//! (n ≤ 8, without contiguity, whose optimum is at most the contiguous one).

mod common;

use alue::solve::area_dual::AreaDual;
use alue::{Problem, Scenario};
use common::enumerate::brute_force;

#[test]
fn the_bound_never_exceeds_the_enumerated_optimum() {
    below_the_optimum(false);
}

/// With contiguity the areas are grown as connected sets: a different search, checked against
/// the contiguous optimum.
#[test]
fn the_connected_bound_never_exceeds_the_enumerated_contiguous_optimum() {
    below_the_optimum(true);
}

fn below_the_optimum(contiguity: bool) {
    let mut checked = 0;
    let mut above_zero_multipliers = 0;
    for seed in 1..=12u64 {
        let inst = common::grid(2, 4, seed);
        let mut sc = Scenario::default();
        sc.contiguity = contiguity;
        sc.min.insert("labour_force".into(), [12_000.0, 20_000.0, 30_000.0][seed as usize % 3]);
        sc.caseload = [60.0, 149.0, 400.0][(seed as usize / 3) % 3];
        if seed % 4 == 0 {
            sc.areas = Some(2);
        }
        let Some(opt) = brute_force(&inst, &sc) else { continue };
        let p = Problem::new(&inst, &sc).unwrap();
        let mut d = AreaDual::new(&p).expect("the employment model");
        let mut r = common::Lcg(seed);
        for trial in 0..20 {
            d.set_node_limit([1, 3, 2000][trial % 3]);
            let scale = [0.0, 1e4, 1e5, 1e6][trial % 4];
            let u: Vec<f64> = (0..p.n).map(|_| scale * (r.next() - 0.3)).collect();
            let b = d.evaluate(&u, false).bound;
            assert!(b <= opt + 1e-7 * opt.abs(), "seed {seed} trial {trial}: bound {b} above the optimum {opt}");
            checked += 1;
        }
        // The ascent towards the optimum stays below it as well.
        d.set_node_limit(2000);
        let b = d.ascend(vec![0.0; p.n], opt, std::time::Instant::now() + std::time::Duration::from_secs(5), 300, false).bound;
        assert!(b <= opt + 1e-7 * opt.abs(), "seed {seed}: ascent {b} above the optimum {opt}");
        above_zero_multipliers += usize::from(b > d.evaluate(&vec![0.0; p.n], false).bound);
    }
    assert!(checked >= 100, "{checked} checks");
    assert!(above_zero_multipliers > 0, "the ascent never rose");
}

#[test]
fn the_searches_cut_off_at_the_choice_of_hubs_give_the_same_bound() {
    for seed in 1..=6u64 {
        let inst = common::grid(3, 4, seed);
        let mut sc = Scenario::default();
        sc.contiguity = seed % 2 == 0;
        sc.min.insert("labour_force".into(), 20_000.0);
        if seed % 3 == 0 {
            sc.areas = Some(2);
        }
        let p = Problem::new(&inst, &sc).unwrap();
        let d = AreaDual::new(&p).unwrap();
        let mut r = common::Lcg(seed);
        let mut hints = vec![Vec::new(); p.hubs().len()];
        for trial in 0..10 {
            let u: Vec<f64> = (0..p.n).map(|_| 1e5 * (r.next() - 0.3)).collect();
            let full = d.evaluate(&u, true).bound;
            let cut = d.evaluate_with(&u, false, &mut hints).bound;
            assert!((full - cut).abs() <= 1e-6 * full.abs().max(1.0), "seed {seed} trial {trial}: {full} against {cut}");
        }
    }
}


/// End to end: the solve with the bound over whole areas in the split (`--area-dual`) gives the
/// enumerated optimum, with and without contiguity, and says what proved it.
#[test]
fn the_solve_with_the_area_dual_gives_the_enumerated_optimum() {
    let mut by_dual = 0;
    for seed in 1..=8u64 {
        let inst = common::grid(2, 4, seed);
        let mut sc = Scenario::default();
        sc.contiguity = seed % 2 == 0;
        sc.min.insert("labour_force".into(), [12_000.0, 20_000.0][seed as usize % 2]);
        let expected = brute_force(&inst, &sc);
        let p = Problem::new(&inst, &sc).unwrap();
        let opts = alue::solve::SolveOptions { area_dual: true, ..Default::default() };
        match alue::run_solve(&p, &opts) {
            Ok(r) => {
                let e = expected.unwrap_or_else(|| panic!("seed {seed}: solver found {:?}, brute force nothing", r.status));
                assert_eq!(r.status, alue::Status::Optimal, "seed {seed}");
                let got = r.evaluation.as_ref().unwrap().objective;
                assert!((got - e).abs() <= 1e-6 * e.max(1.0), "seed {seed}: {got} against {e}");
                let o = r.outcome.as_ref().unwrap();
                assert!(o.bound.unwrap() <= e + 1e-7 * e, "seed {seed}: bound {:?} above the optimum {e}", o.bound);
                by_dual += usize::from(o.highs_status == alue::solve::PROVEN_BY_AREA_DUAL);
            }
            Err(alue::Error::Infeasible(_)) => assert!(expected.is_none(), "seed {seed}"),
            Err(e) => panic!("seed {seed}: {e}"),
        }
    }
    assert!(by_dual > 0, "the bound over whole areas proved none of the 8");
}
