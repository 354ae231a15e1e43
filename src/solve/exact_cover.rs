//! Is there any partition at all into the enumerated areas? Exact cover (Knuth's Algorithm X)
//! over the areas as bit masks (the enumeration takes at most 64 units): the uncovered unit with
//! the fewest areas is covered by each area that fits in turn. Each branch is cut off as soon as
//! a connected piece of the uncovered units cannot be cut into whole areas: its total of a
//! bounded attribute must lie in [m·min, m·max] for some number m of areas, and those numbers
//! must add up to the areas still to place. An area is connected, so every area lies inside one
//! piece, and the argument is exact.
//!
//! Set partitioning by HiGHS answers the same question with costs; on the South Carolina
//! counties (46 units, 7 areas, 310 580 areas listed) it found nothing and proved nothing in
//! 10 minutes, where the cover search needs no LP at all.

use std::time::Instant;

/// What the cover search reached.
#[derive(Debug, Clone, PartialEq)]
pub enum Cover {
    /// A partition: indices of its areas.
    Found(Vec<usize>),
    /// Proven: no partition into these areas exists.
    Impossible,
    /// The deadline passed first.
    GaveUp,
}

/// The question: units (their neighbours as masks), areas (as masks), the number of areas, and
/// the one attribute whose window [min, max] every area meets.
pub struct Question<'a> {
    pub neighbours: &'a [u64],
    pub areas: &'a [u64],
    pub count: (usize, usize),
    pub value: &'a [f64],
    pub window: (f64, f64),
}

/// Search for a partition until `deadline`.
pub fn search(q: &Question, deadline: Instant) -> Cover {
    let n = q.neighbours.len();
    let mut by_unit: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (a, &m) in q.areas.iter().enumerate() {
        for (i, list) in by_unit.iter_mut().enumerate() {
            if m >> i & 1 == 1 {
                list.push(a);
            }
        }
    }
    let all = if n == 64 { u64::MAX } else { (1u64 << n) - 1 };
    let mut s = Search { q, by_unit, deadline, nodes: 0, chosen: Vec::new(), timed_out: false };
    if !s.splittable(all, 0) {
        return Cover::Impossible;
    }
    match s.visit(all) {
        true => Cover::Found(s.chosen),
        false if s.timed_out => Cover::GaveUp,
        false => Cover::Impossible,
    }
}

struct Search<'q, 'a> {
    q: &'q Question<'a>,
    by_unit: Vec<Vec<usize>>,
    deadline: Instant,
    nodes: usize,
    chosen: Vec<usize>,
    timed_out: bool,
}

impl Search<'_, '_> {
    /// Cover `left` (the uncovered units); true when a partition was found (in `chosen`).
    fn visit(&mut self, left: u64) -> bool {
        if left == 0 {
            return (self.q.count.0..=self.q.count.1).contains(&self.chosen.len());
        }
        self.nodes += 1;
        if self.nodes % 1024 == 0 && Instant::now() >= self.deadline {
            self.timed_out = true;
        }
        if self.timed_out || self.chosen.len() >= self.q.count.1 {
            return false;
        }
        let fits = |a: &usize| self.q.areas[*a] & !left == 0;
        // The uncovered unit with the fewest areas that fit.
        let mut best: Option<(usize, usize)> = None;
        for i in (0..self.by_unit.len()).filter(|&i| left >> i & 1 == 1) {
            let c = self.by_unit[i].iter().filter(|a| fits(a)).count();
            if best.is_none_or(|(_, b)| c < b) {
                best = Some((i, c));
            }
            if c == 0 {
                return false;
            }
        }
        let Some((i, _)) = best else { return false };
        let options: Vec<usize> = self.by_unit[i].iter().copied().filter(|a| fits(a)).collect();
        for a in options {
            let rest = left & !self.q.areas[a];
            self.chosen.push(a);
            if self.splittable(rest, self.chosen.len()) && self.visit(rest) {
                return true;
            }
            self.chosen.pop();
            if self.timed_out {
                return false;
            }
        }
        false
    }

    /// Can the units `left` still be cut into whole areas, `placed` areas being placed: each
    /// connected piece needs a number of areas its total allows, and the numbers must add up.
    fn splittable(&self, left: u64, placed: usize) -> bool {
        let (lo, hi) = self.q.window;
        let (mut least, mut most) = (0usize, 0usize);
        let mut rest = left;
        while rest != 0 {
            let piece = self.piece(rest, rest.trailing_zeros() as usize);
            rest &= !piece;
            let total: f64 = (0..self.q.neighbours.len()).filter(|&i| piece >> i & 1 == 1).map(|i| self.q.value[i]).sum();
            let tol = 1e-9 * total.abs().max(1.0);
            let fewest = if hi.is_finite() && hi > 0.0 { ((total - tol) / hi).ceil().max(1.0) as usize } else { 1 };
            let many = if lo > 0.0 { ((total + tol) / lo).floor() as usize } else { piece.count_ones() as usize };
            if fewest > many {
                return false;
            }
            least += fewest;
            most += many;
        }
        let (want_lo, want_hi) = (self.q.count.0.saturating_sub(placed), self.q.count.1.saturating_sub(placed));
        least <= want_hi && most >= want_lo
    }

    /// The connected piece of `within` that holds unit `start`.
    fn piece(&self, within: u64, start: usize) -> u64 {
        let mut seen = 1u64 << start;
        let mut frontier = seen;
        while frontier != 0 {
            let i = frontier.trailing_zeros() as usize;
            frontier &= frontier - 1;
            let new = self.q.neighbours[i] & within & !seen;
            seen |= new;
            frontier |= new;
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A path of units 0–1–2–3 with values 1, 1, 1, 1 and areas of total 2.
    fn path() -> (Vec<u64>, Vec<f64>) {
        (vec![0b0010, 0b0101, 0b1010, 0b0100], vec![1.0; 4])
    }

    #[test]
    fn a_path_of_four_cuts_into_two_pairs_and_not_into_a_middle_pair() {
        let (nb, v) = path();
        let far = Instant::now() + std::time::Duration::from_secs(10);
        // Areas {0,1}, {1,2}, {2,3}: the partition is {0,1} + {2,3}.
        let areas = [0b0011, 0b0110, 0b1100];
        let q = Question { neighbours: &nb, areas: &areas, count: (2, 2), value: &v, window: (2.0, 2.0) };
        assert_eq!(search(&q, far), Cover::Found(vec![0, 2]));
        // Without {2,3}, only {1,2} covers 2 and leaves 0 and 3 alone: impossible.
        let areas = [0b0011, 0b0110];
        let q = Question { neighbours: &nb, areas: &areas, count: (2, 2), value: &v, window: (2.0, 2.0) };
        assert_eq!(search(&q, far), Cover::Impossible);
        // Three areas of total 2 cannot share a total of 4.
        let areas = [0b0011, 0b0110, 0b1100];
        let q = Question { neighbours: &nb, areas: &areas, count: (3, 3), value: &v, window: (2.0, 2.0) };
        assert_eq!(search(&q, far), Cover::Impossible);
    }

    /// A random graph on `n` units: a path through all (so that it is connected) and a few
    /// chords; values 1–9.
    fn random(n: usize, seed: u64) -> (Vec<u64>, Vec<f64>) {
        let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut nb = vec![0u64; n];
        let join = |nb: &mut Vec<u64>, a: usize, b: usize| {
            nb[a] |= 1 << b;
            nb[b] |= 1 << a;
        };
        for i in 1..n {
            join(&mut nb, i - 1, i);
        }
        for _ in 0..n / 2 {
            let (a, b) = ((next() % n as u64) as usize, (next() % n as u64) as usize);
            if a != b {
                join(&mut nb, a, b);
            }
        }
        let v = (0..n).map(|_| (1 + next() % 9) as f64).collect();
        (nb, v)
    }

    fn connected(nb: &[u64], m: u64) -> bool {
        let start = m.trailing_zeros();
        let mut seen = 1u64 << start;
        loop {
            let grown = (0..nb.len()).filter(|&i| seen >> i & 1 == 1).fold(seen, |s, i| s | (nb[i] & m));
            if grown == seen {
                return seen == m;
            }
            seen = grown;
        }
    }

    /// Whether `left` splits into exactly `k` of `areas`, by trying every area that holds its
    /// least unit (no pruning at all).
    fn brute(areas: &[u64], left: u64, k: usize) -> bool {
        if left == 0 {
            return k == 0;
        }
        if k == 0 {
            return false;
        }
        let low = left & left.wrapping_neg();
        areas.iter().any(|&a| a & low != 0 && a & !left == 0 && brute(areas, left & !a, k - 1))
    }

    #[test]
    fn the_search_agrees_with_brute_force_on_random_graphs() {
        let far = Instant::now() + std::time::Duration::from_secs(60);
        let (mut found, mut impossible) = (0, 0);
        for seed in 0..300u64 {
            let n = 5 + (seed % 7) as usize;
            let (nb, v) = random(n, seed);
            let k = 2 + (seed % 3) as usize;
            let total: f64 = v.iter().sum();
            // A window around total/k, narrow on some seeds, wide on others.
            let slack = [0.0, 0.05, 0.15, 0.3][(seed % 4) as usize] * total / k as f64;
            let window = (total / k as f64 - slack, total / k as f64 + slack);
            let all = (1u64 << n) - 1;
            let areas: Vec<u64> = (1..=all)
                .filter(|&m| {
                    let s: f64 = (0..n).filter(|&i| m >> i & 1 == 1).map(|i| v[i]).sum();
                    s >= window.0 - 1e-9 && s <= window.1 + 1e-9 && connected(&nb, m)
                })
                .collect();
            let q = Question { neighbours: &nb, areas: &areas, count: (k, k), value: &v, window };
            let expected = brute(&areas, all, k);
            match search(&q, far) {
                Cover::Found(chosen) => {
                    assert!(expected, "seed {seed}: a cover where brute force finds none");
                    let union = chosen.iter().fold(0u64, |u, &a| {
                        assert_eq!(u & areas[a], 0, "seed {seed}: areas overlap");
                        u | areas[a]
                    });
                    assert_eq!((union, chosen.len()), (all, k), "seed {seed}: not a partition into {k}");
                    found += 1;
                }
                Cover::Impossible => {
                    assert!(!expected, "seed {seed}: declared impossible, but brute force finds a partition");
                    impossible += 1;
                }
                Cover::GaveUp => panic!("seed {seed}: gave up"),
            }
        }
        // Both answers occur often enough for the comparison to mean something.
        assert!(found >= 30 && impossible >= 30, "found {found}, impossible {impossible}");
    }
}

