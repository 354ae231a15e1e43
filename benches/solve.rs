//! Criterion benchmarks: building the model and solving the built-in instance, plus building a
//! Hess state. Run with `cargo bench` (the suite tables come from `alue bench`, see BENCHMARKS.md).

use alue::solve::SolveOptions;
use alue::{Instance, Problem, Scenario};
use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;

fn default_instance(c: &mut Criterion) {
    let inst = Instance::builtin().unwrap();
    let sc = Scenario::default();
    c.bench_function("pohjois-pohjanmaa: problem + model build", |b| {
        b.iter(|| {
            let p = Problem::new(&inst, &sc).unwrap();
            alue::model::build(&p, false).vars.ncols
        })
    });
    let mut g = c.benchmark_group("solve");
    g.sample_size(10);
    g.bench_function("pohjois-pohjanmaa: solve with defaults", |b| {
        b.iter(|| {
            let p = Problem::new(&inst, &sc).unwrap();
            alue::run_solve(&p, &SolveOptions::default()).unwrap().evaluation.unwrap().objective
        })
    });
    g.finish();
}

fn hess_build(c: &mut Criterion) {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("instances/hess/county40.json");
    let inst = Instance::load(Some(&file)).unwrap();
    let mut sc = Scenario::preset("hess").unwrap();
    sc.set_arg("areas=5").unwrap();
    c.bench_function("hess OK (77 counties): problem + model build with flow", |b| {
        b.iter(|| {
            let p = Problem::new(&inst, &sc).unwrap();
            alue::model::build(&p, true).vars.ncols
        })
    });
}

criterion_group!(benches, default_instance, hess_build);
criterion_main!(benches);
