//! The scenario applied to the instance: distances, travel prices, funding, thresholds, which
//! hubs and assignments are possible. Shared by the model builder, the heuristics and `explain`.

use crate::error::{Error, Result};
use crate::instance::{adjacency, submatrix, Instance, JOBSEEKERS, LABOUR_FORCE};
use crate::scenario::Scenario;

/// One size threshold on an attribute: `min ≤ Σ a(i) ≤ max` for every area.
#[derive(Debug, Clone)]
pub struct Threshold {
    /// Attribute index.
    pub attr: usize,
    /// Attribute name.
    pub name: String,
    /// Lower bound (0 when absent).
    pub min: f64,
    /// Upper bound (∞ when absent).
    pub max: f64,
}

/// Everything the model needs, derived once from instance and scenario.
#[derive(Clone)]
pub struct Problem<'a> {
    /// The instance.
    pub inst: &'a Instance,
    /// The scenario.
    pub sc: &'a Scenario,
    /// Number of units.
    pub n: usize,
    /// d(i,j): km (great-circle × detour) or the supplied matrix.
    pub dist: Vec<Vec<f64>>,
    /// Travel cost of serving i from j, €/year: w(i)·d(i,j).
    pub travel: Vec<Vec<f64>>,
    /// Neighbour lists (sea edges per the scenario).
    pub nb: Vec<Vec<usize>>,
    /// Funding of each unit, €/year.
    pub funding: Vec<f64>,
    /// Jobseekers per unit.
    pub jobseekers: Vec<f64>,
    /// Size thresholds.
    pub thresholds: Vec<Threshold>,
    /// j may be a hub.
    pub can_hub: Vec<bool>,
    /// j must be a hub.
    pub forced_hub: Vec<bool>,
    /// allowed[i][j]: i may be served from j (scenario rules, reach, and exact reductions).
    pub allowed: Vec<Vec<bool>>,
    /// fixed[i] = Some(j): i must be served from j.
    pub fixed: Vec<Option<usize>>,
    /// Least and most number of areas.
    pub areas: (usize, usize),
    /// Attribute used to share an area's cost among its members.
    pub share_key: usize,
    /// The provincial lead that bears the central cost (organiser = provincial).
    pub lead: Option<usize>,
    /// Apply the lightest-path reduction (on by default; off only to measure its effect).
    pub path_fixing: bool,
    /// Build s(j) as a continuous variable (the staffing relaxation solved first; see `solve`).
    pub relax_staffing: bool,
}

/// Index of an attribute named by scenario parameter `key`; unknown names are scenario errors.
fn attribute_index(inst: &Instance, sc: &Scenario, key: &str, name: &str) -> Result<usize> {
    inst.attribute(name).ok_or_else(|| Error::scenario(&sc.origin(key), key, format!("unknown attribute `{name}`; the instance has {}", inst.attributes.join(", "))))
}

fn code_index(inst: &Instance, sc: &Scenario, key: &str, code: &str) -> Result<usize> {
    inst.unit(code).ok_or_else(|| Error::scenario(&sc.origin(key), key, format!("unknown unit code `{code}` (not in instance {})", inst.name)))
}

/// Distances d(i,j) used by the scenario: a matrix from the scenario, else the instance's, else
/// great-circle × detour factor.
pub fn distances(inst: &Instance, sc: &Scenario) -> Result<Vec<Vec<f64>>> {
    sc.distances(inst)
}

/// Least vertex-weighted path weight from any of `sources` to every unit, both ends included,
/// through units for which `inside` holds (∞ where none reaches). Dijkstra on vertex weights.
pub fn lightest_paths(nb: &[Vec<usize>], w: &[f64], sources: &[usize], inside: impl Fn(usize) -> bool) -> Vec<f64> {
    use std::cmp::Reverse;
    use std::collections::BinaryHeap;
    let mut dist = vec![f64::INFINITY; nb.len()];
    // Weights are ≥ 0; order by the bit pattern of non-negative floats (monotone).
    let mut heap = BinaryHeap::new();
    for &source in sources.iter().filter(|&&s| inside(s)) {
        dist[source] = w[source];
        heap.push(Reverse((w[source].to_bits(), source)));
    }
    while let Some(Reverse((bits, u))) = heap.pop() {
        if f64::from_bits(bits) > dist[u] {
            continue;
        }
        for &v in &nb[u] {
            let d = dist[u] + w[v];
            if inside(v) && d < dist[v] {
                dist[v] = d;
                heap.push(Reverse((d.to_bits(), v)));
            }
        }
    }
    dist
}

impl<'a> Problem<'a> {
    /// Derive the problem; unknown codes or attributes are scenario errors.
    pub fn new(inst: &'a Instance, sc: &'a Scenario) -> Result<Problem<'a>> {
        Problem::with_path_fixing(inst, sc, true)
    }

    /// As `new`, with the lightest-path reduction on or off (for measurements).
    pub fn with_path_fixing(inst: &'a Instance, sc: &'a Scenario, path_fixing: bool) -> Result<Problem<'a>> {
        let n = inst.n();
        if !inst.employment && sc.travel_attribute.is_none() {
            return Err(Error::scenario(&sc.origin("preset"), "preset", format!("instance {} has population only (no labour_force or jobseekers), which the employment model needs: use --preset hess (and --set areas=K)", inst.name)));
        }
        // Distances, travel and the allowed pairs are dense n × n (17 bytes a pair): refuse an
        // instance whose matrices alone would take more than half the memory available.
        let dense = 17.0 * (n as f64) * (n as f64);
        if let Some(mem) = crate::machine::available_memory().filter(|&m| dense > 0.5 * m) {
            return Err(Error::file(&inst.units_file, format!("{n} units need {:.1} GB for the n × n distance and travel matrices, more than half of the {:.1} GB available on this machine", dense / 1e9, mem / 1e9)));
        }
        let dist = distances(inst, sc)?;
        let jobseekers = inst.values(JOBSEEKERS);
        let weight: Vec<f64> = match &sc.travel_attribute {
            None => jobseekers.iter().map(|js| js * sc.travel_euro_per_jobseeker_km()).collect(),
            Some(a) => {
                inst.values(attribute_index(inst, sc, "travel_attribute", a)?)
            }
        };
        let travel = (0..n).map(|i| (0..n).map(|j| weight[i] * sc.travel_distance(dist[i][j])).collect()).collect();
        let lf = inst.values(LABOUR_FORCE);
        let funding = (0..n).map(|i| sc.funding_per_labour_force * lf[i] + sc.funding_per_jobseeker * jobseekers[i]).collect();
        let thresholds = thresholds(inst, sc)?;
        let share_key = inst.attribute(&sc.cost_share_key).ok_or_else(|| Error::scenario(&sc.origin("cost_share_key"), "cost_share_key", format!("unknown attribute `{}`", sc.cost_share_key)))?;
        let lead = if sc.organiser == "provincial" { Some(code_index(inst, sc, "provincial_lead", &sc.provincial_lead)?) } else { None };
        let Rules { can_hub, forced_hub, allowed, fixed } = rules(inst, sc, &dist)?;
        let lo = sc.areas.or(sc.min_areas).unwrap_or(1);
        let hi = sc.areas.or(sc.max_areas).unwrap_or(n);
        if lo > hi {
            return Err(Error::scenario(&sc.origin("min_areas"), "min_areas", format!("min_areas {lo} exceeds max_areas {hi}")));
        }
        let nb = adjacency::neighbours(n, &inst.edges, sc.sea_edges);
        let mut p = Problem { inst, sc, n, dist, travel, nb, funding, jobseekers, thresholds, can_hub, forced_hub, allowed, fixed, areas: (lo, hi), share_key, lead, path_fixing, relax_staffing: false };
        p.reduce();
        Ok(p)
    }

    /// Exact reductions: a hub whose largest possible area misses a lower threshold cannot be a
    /// hub; with contiguity, a unit not connected to j through units j may serve cannot join j,
    /// nor can one whose lightest path to j already exceeds an upper threshold.
    pub fn reduce(&mut self) {
        // (maximum, attribute values) of every upper threshold, for the lightest-path reduction.
        let capped: Vec<(f64, Vec<f64>)> = self.thresholds.iter().filter(|t| t.max.is_finite()).map(|t| (t.max, self.inst.values(t.attr))).collect();
        // Components of the whole graph, for the hubs that may serve every unit (then j's reach is
        // its component, found once instead of once per hub: thousands of units stay fast).
        let all: Vec<usize> = (0..self.n).collect();
        let mut comp_of = vec![0; self.n];
        let whole = if self.sc.contiguity { adjacency::components(&self.nb, &all) } else { vec![all.clone()] };
        for (k, c) in whole.iter().enumerate() {
            c.iter().for_each(|&i| comp_of[i] = k);
        }
        loop {
            let mut changed = false;
            for j in 0..self.n {
                if !self.allowed[j][j] {
                    for i in 0..self.n {
                        if self.allowed[i][j] {
                            self.allowed[i][j] = false;
                            changed = true;
                        }
                    }
                    continue;
                }
                let members: Vec<usize> = (0..self.n).filter(|&i| self.allowed[i][j]).collect();
                let reach: Vec<usize> = if members.len() == self.n {
                    whole[comp_of[j]].clone()
                } else if self.sc.contiguity {
                    adjacency::components(&self.nb, &members).into_iter().find(|c| c.contains(&j)).unwrap_or_default()
                } else {
                    members.clone()
                };
                let mut reached = vec![false; self.n];
                reach.iter().for_each(|&i| reached[i] = true);
                for &i in &members {
                    if !reached[i] {
                        self.allowed[i][j] = false;
                        changed = true;
                    }
                }
                // With contiguity the area of j holds a path from i to j: if every such path
                // (through units j may serve) already exceeds an upper threshold, i cannot join j.
                if self.sc.contiguity && self.path_fixing {
                    for (max, w) in &capped {
                        let path = lightest_paths(&self.nb, w, &[j], |u| self.allowed[u][j]);
                        for &i in &members {
                            if self.allowed[i][j] && path[i] > max + 1e-9 {
                                self.allowed[i][j] = false;
                                changed = true;
                            }
                        }
                    }
                }
                let short = self.thresholds.iter().any(|t| reach.iter().map(|&i| self.inst.units[i].values[t.attr]).sum::<f64>() < t.min - 1e-9);
                if short && !self.forced_hub[j] {
                    self.allowed[j][j] = false;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Attribute value of unit i.
    pub fn value(&self, i: usize, attr: usize) -> f64 {
        self.inst.units[i].values[attr]
    }

    /// The problem on `members` alone (a union of whole areas: no unit of it is fixed to a hub
    /// outside it), over `inst`, which must be `self.inst.subset(members)`; its number of areas
    /// within `areas`. Every pair, hub and threshold rule carries over, and the exact reductions
    /// run again on the smaller graph.
    pub fn restrict<'b>(&self, members: &[usize], inst: &'b Instance, areas: (usize, usize)) -> Problem<'b>
    where
        'a: 'b,
    {
        let mut at = vec![usize::MAX; self.n];
        members.iter().enumerate().for_each(|(k, &i)| at[i] = k);
        let pick = |v: &Vec<bool>| members.iter().map(|&i| v[i]).collect();
        let mut q = Problem {
            inst,
            sc: self.sc,
            n: members.len(),
            dist: submatrix(&self.dist, members),
            travel: submatrix(&self.travel, members),
            nb: members.iter().map(|&i| self.nb[i].iter().filter(|&&v| at[v] != usize::MAX).map(|&v| at[v]).collect()).collect(),
            funding: members.iter().map(|&i| self.funding[i]).collect(),
            jobseekers: members.iter().map(|&i| self.jobseekers[i]).collect(),
            thresholds: self.thresholds.clone(),
            can_hub: pick(&self.can_hub),
            forced_hub: pick(&self.forced_hub),
            allowed: submatrix(&self.allowed, members),
            fixed: members.iter().map(|&i| self.fixed[i].map(|j| at[j]).filter(|&j| j != usize::MAX)).collect(),
            areas,
            share_key: self.share_key,
            lead: self.lead.map(|l| at[l]).filter(|&l| l != usize::MAX),
            path_fixing: self.path_fixing,
            relax_staffing: false,
        };
        q.reduce();
        q
    }

    /// The problem with exactly the hubs `hubs` (sorted) open: every other hub closed, these
    /// forced, their number fixed. Not reduced yet: a caller may remove more pairs first.
    pub fn with_exactly_hubs(&self, hubs: &[usize]) -> Problem<'a> {
        let mut q = self.clone();
        for row in q.allowed.iter_mut() {
            for (j, a) in row.iter_mut().enumerate() {
                *a &= hubs.binary_search(&j).is_ok();
            }
        }
        for &j in hubs {
            q.forced_hub[j] = true;
        }
        q.areas = (hubs.len(), hubs.len());
        q
    }

    /// Candidate hubs after reductions.
    pub fn hubs(&self) -> Vec<usize> {
        (0..self.n).filter(|&j| self.allowed[j][j]).collect()
    }

    /// Least advisers an area with `js` jobseekers needs.
    pub fn staff_needed(&self, js: f64) -> f64 {
        ((js / self.sc.caseload) - 1e-9).ceil().max(self.sc.min_staff.ceil()).max(0.0)
    }
}

/// The thresholds of MODEL.md on each attribute: min.ATTR, max.ATTR and balance.ATTR merged into
/// one window per attribute.
fn thresholds(inst: &Instance, sc: &Scenario) -> Result<Vec<Threshold>> {
    let mut thresholds: Vec<Threshold> = Vec::new();
    for (name, &v) in sc.min.iter().map(|(k, v)| (k, v)) {
        let attr = attribute_index(inst, sc, &format!("min.{name}"), name)?;
        thresholds.push(Threshold { attr, name: name.clone(), min: v, max: f64::INFINITY });
    }
    for (name, &v) in &sc.max {
        let attr = attribute_index(inst, sc, &format!("max.{name}"), name)?;
        match thresholds.iter_mut().find(|t| t.attr == attr) {
            Some(t) => t.max = v,
            None => thresholds.push(Threshold { attr, name: name.clone(), min: 0.0, max: v }),
        }
    }
    for (name, &tol) in &sc.balance {
        let attr = attribute_index(inst, sc, &format!("balance.{name}"), name)?;
        let k = sc.areas.ok_or_else(|| Error::scenario(&sc.origin(&format!("balance.{name}")), &format!("balance.{name}"), "a balance tolerance needs a fixed number of areas: add --set areas=K"))?;
        let (lo, hi) = crate::scenario::balance_bounds(inst.total(attr), k, tol);
        match thresholds.iter_mut().find(|t| t.attr == attr) {
            Some(t) => {
                t.min = t.min.max(lo);
                t.max = t.max.min(hi);
            }
            None => thresholds.push(Threshold { attr, name: name.clone(), min: lo, max: hi }),
        }
    }
    for t in &thresholds {
        if t.min > t.max {
            return Err(Error::scenario(&sc.origin(&format!("min.{}", t.name)), &format!("min.{}", t.name), format!("min {} exceeds max {}", t.min, t.max)));
        }
    }
    Ok(thresholds)
}

/// Which units may be hubs, which must be, and which pairs (unit, hub) are allowed or fixed.
struct Rules {
    can_hub: Vec<bool>,
    forced_hub: Vec<bool>,
    allowed: Vec<Vec<bool>>,
    fixed: Vec<Option<usize>>,
}

/// The hub rules and the allowed pairs of a scenario: hubs_allowed, hubs_forbidden,
/// hubs_forced, max_distance_km, forbidden and fixed pairs.
fn rules(inst: &Instance, sc: &Scenario, dist: &[Vec<f64>]) -> Result<Rules> {
    let n = inst.n();
    let mut can_hub = vec![sc.hubs_allowed.is_none(); n];
    for c in sc.hubs_allowed.iter().flatten() {
        can_hub[code_index(inst, sc, "hubs_allowed", c)?] = true;
    }
    for c in &sc.hubs_forbidden {
        can_hub[code_index(inst, sc, "hubs_forbidden", c)?] = false;
    }
    let mut forced_hub = vec![false; n];
    for c in &sc.hubs_forced {
        let j = code_index(inst, sc, "hubs_forced", c)?;
        if !can_hub[j] {
            return Err(Error::scenario(&sc.origin("hubs_forced"), "hubs_forced", format!("`{c}` is forced to be a hub but is not allowed to be one")));
        }
        forced_hub[j] = true;
    }
    let mut allowed: Vec<Vec<bool>> = (0..n).map(|i| (0..n).map(|j| can_hub[j] && sc.max_distance_km.is_none_or(|m| i == j || dist[i][j] <= m)).collect()).collect();
    for (a, b) in &sc.forbidden {
        let (i, j) = (code_index(inst, sc, "forbidden", a)?, code_index(inst, sc, "forbidden", b)?);
        allowed[i][j] = false;
    }
    let mut fixed = vec![None; n];
    for (a, b) in &sc.fixed {
        let (i, j) = (code_index(inst, sc, "fixed", a)?, code_index(inst, sc, "fixed", b)?);
        if !can_hub[j] {
            return Err(Error::scenario(&sc.origin("fixed"), "fixed", format!("`{a}` is fixed to `{b}`, which may not be a hub")));
        }
        if let Some(prev) = fixed[i] {
            if prev != j {
                return Err(Error::scenario(&sc.origin("fixed"), "fixed", format!("`{a}` is fixed to two hubs")));
            }
        }
        fixed[i] = Some(j);
        for (k, a) in allowed[i].iter_mut().enumerate() {
            *a = k == j;
        }
    }
    Ok(Rules { can_hub, forced_hub, allowed, fixed })
}
