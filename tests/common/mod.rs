//! Helpers shared by the integration tests: small generated instances.
#![allow(dead_code)]

pub mod browser;
pub mod enumerate;
pub mod server;

use alue::instance::{Instance, InstanceFiles};

/// A deterministic pseudo-random generator (64-bit LCG), so tests need no extra crate.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }
}

/// A grid instance of `rows × cols` units with random attributes; rook adjacency plus some diagonals.
pub fn grid(rows: usize, cols: usize, seed: u64) -> Instance {
    let mut r = Lcg(seed);
    let mut units = String::from("code,name,population,labour_force,jobseekers,lat,lon\n");
    for a in 0..rows {
        for b in 0..cols {
            let lf = r.range(2_000.0, 16_000.0).round();
            let js = (lf * r.range(0.04, 0.14)).round();
            let pop = (lf * r.range(1.8, 2.4)).round();
            let lat = 64.0 + 0.35 * a as f64 + r.range(-0.1, 0.1);
            let lon = 25.0 + 0.7 * b as f64 + r.range(-0.2, 0.2);
            units += &format!("u{a}{b},Unit {a}-{b},{pop},{lf},{js},{lat:.5},{lon:.5}\n");
        }
    }
    let mut adj = String::from("code_a,code_b,border_kind\n");
    for a in 0..rows {
        for b in 0..cols {
            if b + 1 < cols {
                adj += &format!("u{a}{b},u{a}{},land\n", b + 1);
            }
            if a + 1 < rows {
                adj += &format!("u{a}{b},u{}{b},land\n", a + 1);
            }
            if a + 1 < rows && b + 1 < cols && r.next() < 0.3 {
                adj += &format!("u{a}{b},u{}{},sea_only\n", a + 1, b + 1);
            }
        }
    }
    let files = InstanceFiles {
        name: format!("grid{rows}x{cols}-{seed}"),
        units: ("units.csv".into(), units),
        boundaries: None,
        adjacency: Some(("adjacency.csv".into(), adj)),
        distances: None,
        partition: None,
    };
    Instance::from_files(files, None).expect("generated instance loads")
}
