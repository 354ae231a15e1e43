//! One hub's subproblem of the bound over whole areas (`area_dual`): its units, the area cost,
//! the record of a search, the linear minorants that bound a node, and the search without
//! contiguity (units taken in or out in a fixed order); `area_dual_connected` grows connected
//! areas with the same pieces.

/// One unit as seen from one hub.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) unit: usize,
    /// Weighted travel to the hub, objective units.
    pub(super) travel: f64,
    pub(super) jobseekers: f64,
    pub(super) funding: f64,
    /// The value of each threshold's attribute.
    pub(super) attrs: Vec<f64>,
}

/// One hub's subproblem.
pub(super) struct Hub {
    pub(super) hub: usize,
    pub(super) own: Item,
    /// Units that must be in the area (fixed pairs).
    pub(super) must: Vec<Item>,
    /// Units that may join.
    pub(super) items: Vec<Item>,
}

/// The area cost's constants (MODEL.md, constraints 4 and 5 and the objective).
#[derive(Debug, Clone, Copy)]
pub(super) struct Costs {
    pub(super) admin: f64,
    pub(super) staff: f64,
    pub(super) service: f64,
    pub(super) caseload: f64,
    pub(super) min_staff: f64,
    pub(super) eq_w: f64,
    pub(super) prod_w: f64,
}

impl Costs {
    /// Whole advisers for `js` jobseekers (as `Problem::staff_needed`).
    pub(super) fn advisers(&self, js: f64) -> f64 {
        ((js / self.caseload) - 1e-9).ceil().max(self.min_staff).max(0.0)
    }

    /// A unit's cost in an area with advisers and equalisation at their per-jobseeker rates: the
    /// order in which the searches take units.
    pub(super) fn linear(&self, it: &Item, u: &[f64]) -> f64 {
        it.travel - u[it.unit] + (self.eq_w + self.prod_w) * (self.service + self.staff / self.caseload) * it.jobseekers - self.eq_w * it.funding
    }

    /// The area cost of MODEL.md from its sums (travel already weighted).
    pub(super) fn area(&self, travel: f64, js: f64, funding: f64) -> f64 {
        let production = self.admin + self.staff * self.advisers(js) + self.service * js;
        travel + self.eq_w * (production - funding).max(0.0) + self.prod_w * production
    }
}

/// What every hub's search needs: the area cost, the thresholds' windows, the node budget.
pub(super) struct Pricing {
    pub(super) costs: Costs,
    /// (min, max) of each threshold.
    pub(super) windows: Vec<(f64, f64)>,
    /// Nodes of each hub's search.
    pub(super) node_limit: usize,
}

/// The sums of a partial area.
#[derive(Debug, Clone)]
pub(super) struct Sums {
    pub(super) cost: f64,
    pub(super) travel: f64,
    pub(super) js: f64,
    pub(super) funding: f64,
    pub(super) attrs: Vec<f64>,
}

impl Sums {
    /// The sums of an empty area with `windows` thresholds.
    pub(super) fn zero(windows: usize) -> Sums {
        Sums { cost: 0.0, travel: 0.0, js: 0.0, funding: 0.0, attrs: vec![0.0; windows] }
    }

    pub(super) fn add(&mut self, it: &Item, u: &[f64]) {
        self.cost += it.travel - u[it.unit];
        self.travel += it.travel;
        self.js += it.jobseekers;
        self.funding += it.funding;
        for (a, v) in self.attrs.iter_mut().zip(&it.attrs) {
            *a += v;
        }
    }

    /// The sums without `it` (added with the same multipliers).
    pub(super) fn remove(&mut self, it: &Item, u: &[f64]) {
        self.cost -= it.travel - u[it.unit];
        self.travel -= it.travel;
        self.js -= it.jobseekers;
        self.funding -= it.funding;
        for (a, v) in self.attrs.iter_mut().zip(&it.attrs) {
            *a -= v;
        }
    }
}

/// One hub search's record, shared by both searches: the best area found, the least bound of
/// the nodes the budget cut off, the nodes spent, and the cutoff.
pub(super) struct Track {
    best: f64,
    best_set: Vec<usize>,
    floor: f64,
    nodes: usize,
    cutoff: f64,
}

impl Track {
    /// A record starting from a known area (`value`, `set`; ∞ and empty for none).
    pub(super) fn new(cutoff: f64, value: f64, set: Vec<usize>) -> Track {
        Track { best: value, best_set: set, floor: f64::INFINITY, nodes: 0, cutoff }
    }

    /// Offer the area as it stands (its units given by `set`, asked only when it is better).
    pub(super) fn offer(&mut self, d: &Pricing, sums: &Sums, set: impl FnOnce() -> Vec<usize>) {
        if d.fits(sums) {
            let v = d.value(sums);
            if v < self.best {
                self.best = v;
                self.best_set = set();
            }
        }
    }

    /// Where the bound prunes: the best area's value or the cutoff.
    pub(super) fn stop(&self) -> f64 {
        self.best.min(self.cutoff)
    }

    /// Whether a node of bound `lb` is to be branched on: not pruned, and within the budget
    /// (beyond it, its bound stands in for its subtree).
    pub(super) fn branch(&mut self, lb: f64, limit: usize) -> bool {
        let stop = self.stop();
        if stop == f64::NEG_INFINITY || stop.is_finite() && lb >= stop - 1e-9 * stop.abs() {
            return false;
        }
        self.nodes += 1;
        if self.nodes > limit {
            self.floor = self.floor.min(lb);
            return false;
        }
        true
    }

    /// The hub's value (a lower bound on its subproblem; the cutoff, with no area, when the
    /// search was cut off there) and its best area.
    pub(super) fn result(self) -> (f64, Vec<usize>) {
        let value = self.best.min(self.floor);
        if value > self.cutoff {
            return (self.cutoff, Vec::new());
        }
        (value, self.best_set)
    }
}

impl Pricing {
    /// The sums stay within every window's maximum.
    pub(super) fn fits_max(&self, sums: &Sums) -> bool {
        self.windows.iter().zip(&sums.attrs).all(|(&(_, hi), &a)| a <= hi + 1e-9)
    }

    /// The sums lie within every window: an area that meets every threshold.
    pub(super) fn fits(&self, sums: &Sums) -> bool {
        self.windows.iter().zip(&sums.attrs).all(|(&(lo, hi), &a)| a >= lo - 1e-9 && a <= hi + 1e-9)
    }

    /// The value of the area with these sums: its cost (MODEL.md) less Σ u over its units.
    pub(super) fn value(&self, sums: &Sums) -> f64 {
        self.costs.area(sums.travel, sums.js, sums.funding) - (sums.travel - sums.cost)
    }
}

/// One hub's branch and bound at multipliers u.
pub(super) struct Search<'a> {
    d: &'a Pricing,
    items: Vec<&'a Item>,
    u: &'a [f64],
    track: Track,
}

impl<'a> Search<'a> {
    /// The hub's value (a lower bound on its subproblem; ∞ when it has no feasible area) and
    /// the best area found.
    pub(super) fn run(d: &'a Pricing, h: &'a Hub, u: &'a [f64], cutoff: f64) -> (f64, Vec<usize>) {
        let mut root = Sums::zero(d.windows.len());
        root.add(&h.own, u);
        for it in &h.must {
            root.add(it, u);
        }
        let mut items: Vec<&Item> = h.items.iter().collect();
        let c = d.costs;
        items.sort_by(|a, b| c.linear(a, u).total_cmp(&c.linear(b, u)).then(a.unit.cmp(&b.unit)));
        let mut s = Search { d, items, u, track: Track::new(cutoff, f64::INFINITY, Vec::new()) };
        let mut taken = vec![h.hub];
        taken.extend(h.must.iter().map(|it| it.unit));
        s.node(&root, 0, &mut taken);
        s.track.result()
    }

    fn node(&mut self, sums: &Sums, k: usize, taken: &mut Vec<usize>) {
        let d = self.d;
        self.track.offer(d, sums, || taken.clone());
        if k >= self.items.len() {
            return;
        }
        let Some(lb) = minorant(d, sums, &self.items[k..], self.u, self.track.stop()) else { return };
        if !self.track.branch(lb, d.node_limit) {
            return;
        }
        let it = self.items[k];
        let mut with = sums.clone();
        with.add(it, self.u);
        if d.fits_max(&with) {
            taken.push(it.unit);
            self.node(&with, k + 1, taken);
            taken.pop();
        }
        self.node(sums, k + 1, taken);
    }
}

/// A lower bound on every area that adds units of `rest` to `sums` (None: none is feasible):
/// the best of the linear minorants (θ ∈ {0, ½, 1}; advisers at least those already needed, or
/// at least jobseekers/caseload), each with the first unmet minimum threshold relaxed to its LP.
pub(super) fn minorant(d: &Pricing, sums: &Sums, rest: &[&Item], u: &[f64], stop: f64) -> Option<f64> {
    let c = d.costs;
    let deficit = d.windows.iter().zip(&sums.attrs).enumerate().map(|(t, (&(lo, _), &a))| (t, lo - a)).find(|&(_, def)| def > 1e-9);
    if let Some((t, def)) = deficit {
        if rest.iter().map(|it| it.attrs[t]).sum::<f64>() < def - 1e-9 {
            return None;
        }
    }
    let base_advisers = c.advisers(sums.js);
    let mut best = f64::NEG_INFINITY;
    // The minorants likeliest to reach `stop` (where the caller prunes) first; it stops there.
    for theta in [1.0, 0.0, 0.5] {
        let w = c.eq_w * theta + c.prod_w;
        for per_jobseeker in [true, false] {
            let (staff_const, staff_rate) = if per_jobseeker { (c.staff * (sums.js / c.caseload - 1e-9), c.staff / c.caseload) } else { (c.staff * base_advisers, 0.0) };
            let constant = sums.cost + w * (c.admin + staff_const + c.service * sums.js) - c.eq_w * theta * sums.funding;
            let r = |it: &Item| it.travel - u[it.unit] + w * (c.service + staff_rate) * it.jobseekers - c.eq_w * theta * it.funding;
            best = best.max(constant + knapsack_lp(rest, r, deficit));
            if best >= stop {
                return Some(best);
            }
        }
    }
    Some(best)
}

/// min Σ r(i)·z(i) over z ∈ [0, 1] with Σ a_t(i)·z(i) ≥ deficit (when one is given): every
/// negative r taken, then the cheapest per unit of attribute until the deficit is met.
pub(super) fn knapsack_lp(items: &[&Item], r: impl Fn(&Item) -> f64, deficit: Option<(usize, f64)>) -> f64 {
    let mut v = 0.0;
    let mut need = deficit.map_or(0.0, |(_, d)| d);
    for it in items {
        let ri = r(it);
        if ri < 0.0 {
            v += ri;
            need -= deficit.map_or(0.0, |(t, _)| it.attrs[t]);
        }
    }
    // The deficit left (most nodes have none): the rest by price per unit of attribute, in a
    // buffer kept per thread (this runs at every node of the areas' searches).
    let Some((t, _)) = deficit.filter(|_| need > 0.0) else { return v };
    RATIOS.with_borrow_mut(|rest| {
        rest.clear();
        rest.extend(items.iter().map(|it| (r(it), it.attrs[t])).filter(|&(ri, a)| ri >= 0.0 && a > 0.0).map(|(ri, a)| (ri / a, ri, a)));
        rest.sort_by(|x, y| x.0.total_cmp(&y.0));
        for &(_, ri, a) in rest.iter() {
            if need <= 0.0 {
                break;
            }
            let z = (need / a).min(1.0);
            v += z * ri;
            need -= z * a;
        }
    });
    v
}

thread_local! {
    /// `knapsack_lp`'s buffer: (price per unit of attribute, price, attribute) of each item left.
    static RATIOS: std::cell::RefCell<Vec<(f64, f64, f64)>> = const { std::cell::RefCell::new(Vec::new()) };
}
