//! Shor's r-algorithm (subgradient method with space dilation in the direction of the difference
//! of successive subgradients), in Stetsyuk's "ralgb5" form with an adaptive step: it maximises a
//! concave non-smooth function, here the Lagrangian dual, far faster than plain subgradient
//! steps (the zig-zag between two faces is dilated away). Validi, Buchanan & Lykhovyd use the
//! same method for the Hess model's dual.

use std::time::Instant;

/// Settings of one run.
pub struct Settings {
    /// Stop after this many evaluations of the function.
    pub max_evals: usize,
    /// Stop at this instant.
    pub deadline: Instant,
}

/// Dilation coefficient, step decrease after a one-step line search, step increase every
/// `GROW_EVERY` steps of one line search (Stetsyuk's recommended values).
const ALPHA: f64 = 4.0;
const SHRINK: f64 = 0.9;
const GROW: f64 = 1.1;
const GROW_EVERY: usize = 3;

/// The state of the method: the point, the space transformation B (row-major n × n, the
/// identity at the start), the step and the last subgradient of −f. It outlives one run, so that
/// a caller can change the function between runs (e.g. drop terms that no longer matter) and go
/// on with the metric it has learnt.
#[derive(Clone)]
pub struct Ralg {
    /// The current point.
    pub x: Vec<f64>,
    b: Vec<f64>,
    h: f64,
}

impl Ralg {
    /// Start at `x` with initial step `step`.
    pub fn new(x: Vec<f64>, step: f64) -> Ralg {
        let n = x.len();
        let mut b = vec![0.0; n * n];
        (0..n).for_each(|i| b[i * n + i] = 1.0);
        Ralg { x, b, h: step }
    }

    /// Maximise `f` from the current point; `oracle(x)` returns f(x) and a supergradient (None:
    /// stop). The caller keeps the best point (the method does not ascend monotonically).
    /// Returns the evaluations used.
    pub fn run(&mut self, s: &Settings, mut oracle: impl FnMut(&[f64]) -> Option<(f64, Vec<f64>)>) -> usize {
        let n = self.x.len();
        let Some((_, g0)) = oracle(&self.x) else { return 1 };
        let mut evals = 1;
        // Minimise −f: its subgradient is −g.
        let mut g: Vec<f64> = g0.iter().map(|v| -v).collect();
        while evals < s.max_evals && Instant::now() < s.deadline {
            let bg = transpose_times(&self.b, n, &g);
            let norm = dot(&bg, &bg).sqrt();
            if !(norm > 1e-14) {
                break;
            }
            let dx: Vec<f64> = times(&self.b, n, &bg).into_iter().map(|v| v / norm).collect();
            // Step along −dx until the directional derivative turns.
            let mut steps = 0;
            let g_new = loop {
                for (xi, di) in self.x.iter_mut().zip(&dx) {
                    *xi -= self.h * di;
                }
                steps += 1;
                if steps % GROW_EVERY == 0 {
                    self.h *= GROW;
                }
                let Some((_, gx)) = oracle(&self.x) else { return evals };
                evals += 1;
                let gx: Vec<f64> = gx.iter().map(|v| -v).collect();
                if dot(&dx, &gx) <= 0.0 || evals >= s.max_evals || steps > 200 {
                    break gx;
                }
            };
            if steps == 1 {
                self.h *= SHRINK;
            }
            self.dilate(&g_new, &g);
            g = g_new;
        }
        evals
    }

    /// B ← B + (1/α − 1)·(Bξ)ξᵀ with ξ the normalised Bᵀ(g_new − g_old).
    fn dilate(&mut self, g_new: &[f64], g_old: &[f64]) {
        let n = self.x.len();
        let diff: Vec<f64> = g_new.iter().zip(g_old).map(|(a, b)| a - b).collect();
        let r = transpose_times(&self.b, n, &diff);
        let rn = dot(&r, &r).sqrt();
        if rn > 1e-14 {
            let xi: Vec<f64> = r.iter().map(|v| v / rn).collect();
            let bxi = times(&self.b, n, &xi);
            let c = 1.0 / ALPHA - 1.0;
            for i in 0..n {
                let bi = c * bxi[i];
                let row = &mut self.b[i * n..(i + 1) * n];
                for (bij, xj) in row.iter_mut().zip(&xi) {
                    *bij += bi * xj;
                }
            }
        }
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// B·v.
fn times(b: &[f64], n: usize, v: &[f64]) -> Vec<f64> {
    (0..n).map(|i| dot(&b[i * n..(i + 1) * n], v)).collect()
}

/// Bᵀ·v.
fn transpose_times(b: &[f64], n: usize, v: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; n];
    for (i, &vi) in v.iter().enumerate() {
        if vi != 0.0 {
            for (o, bij) in out.iter_mut().zip(&b[i * n..(i + 1) * n]) {
                *o += vi * bij;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maximises_a_piecewise_linear_concave_function() {
        // f(x) = −|x₀ − 3| − 10·|x₁ + 1| − |x₀ + x₁ − 2|, maximum 0 at... none: at (3, −1) it is
        // −|3 − 1 − 2| = 0, so the maximum is 0 at (3, −1).
        let f = |x: &[f64]| {
            let v = -(x[0] - 3.0).abs() - 10.0 * (x[1] + 1.0).abs() - (x[0] + x[1] - 2.0).abs();
            let s = |t: f64| if t > 0.0 { 1.0 } else { -1.0 };
            let g = vec![-s(x[0] - 3.0) - s(x[0] + x[1] - 2.0), -10.0 * s(x[1] + 1.0) - s(x[0] + x[1] - 2.0)];
            Some((v, g))
        };
        let settings = Settings { max_evals: 2000, deadline: Instant::now() + std::time::Duration::from_secs(5) };
        let mut best = (f64::NEG_INFINITY, vec![]);
        let mut r = Ralg::new(vec![0.0, 0.0], 1.0);
        r.run(&settings, |x| {
            let (v, g) = f(x)?;
            if v > best.0 {
                best = (v, x.to_vec());
            }
            Some((v, g))
        });
        let (v, x) = best;
        assert!(v > -1e-4, "value {v} at {x:?}");
        assert!((x[0] - 3.0).abs() < 1e-3 && (x[1] + 1.0).abs() < 1e-3, "{x:?}");
    }
}
