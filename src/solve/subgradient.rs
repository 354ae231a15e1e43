//! Plain subgradient ascent of a Lagrangian dual (the fallback of `lagrange` above the size
//! where the r-algorithm's n × n matrix is too large).

use std::time::Instant;

/// Polyak subgradient steps towards `target` (or a little above the best value while none is
/// known), halving the step factor when 15 steps bring no improvement.
pub(super) fn ascend(u: &mut [f64], target: Option<f64>, deadline: Instant, max_evals: usize, oracle: &mut impl FnMut(&[f64]) -> Option<(f64, Vec<f64>)>) {
    let (mut theta, mut stale, mut best) = (1.0, 0, f64::NEG_INFINITY);
    for _ in 0..max_evals {
        if Instant::now() >= deadline || theta < 1e-4 {
            break;
        }
        let Some((v, g)) = oracle(u) else { break };
        if v > best + 1e-9 * best.abs() {
            best = v;
            stale = 0;
        } else {
            stale += 1;
            if stale >= 15 {
                theta *= 0.5;
                stale = 0;
            }
        }
        let norm: f64 = g.iter().map(|x| x * x).sum();
        if norm < 1e-12 {
            break;
        }
        let aim = target.filter(|&t| t > best).unwrap_or(best + 0.01 * best.abs().max(1e-9));
        let t = theta * (aim - v) / norm;
        for (ui, gi) in u.iter_mut().zip(&g) {
            *ui += t * gi;
        }
    }
}
