//! Analysis of a finished sweep: Pareto front of travel against equalisation, cost by number of
//! areas, the distinct partitions with the parameter ranges where each is optimal, how often each
//! unit is a hub, the co-assignment matrix, and which parameter steps flip the partition.

use super::results::{signature, Manifest, Record};
use crate::text::thousands;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// The analysis: files to write and a summary to print.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Partition signature → id (1, 2, … in order of first appearance).
    pub partition_ids: BTreeMap<String, usize>,
    /// (file name, contents).
    pub files: Vec<(String, Vec<u8>)>,
    /// Readable summary.
    pub text: String,
    /// Indices of the records on the travel–equalisation Pareto front.
    pub pareto: Vec<usize>,
    /// (group's axis names, neighbour pairs compared, pairs whose partition differs).
    pub flips_by_axis: Vec<(String, usize, usize)>,
}

fn csv_bytes(rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.write_record(&r).expect("writing CSV to memory");
    }
    w.into_inner().expect("writing CSV to memory")
}

/// A record's term `k` (€/year), NaN when it has none.
pub(crate) fn term(r: &Record, k: &str) -> f64 {
    r.terms.as_ref().and_then(|t| t.get(k).copied()).unwrap_or(f64::NAN)
}

/// An axis value as shown: a string without quotes, anything else as JSON.
pub(crate) fn value_text(v: &serde_json::Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
}

/// Non-dominated points (minimising both coordinates), ties kept once; returns positions in `pts`.
pub fn pareto_front(pts: &[(f64, f64)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pts.len()).collect();
    order.sort_by(|&a, &b| pts[a].0.total_cmp(&pts[b].0).then(pts[a].1.total_cmp(&pts[b].1)).then(a.cmp(&b)));
    let mut out = Vec::new();
    let mut best_y = f64::INFINITY;
    let mut last: Option<(f64, f64)> = None;
    for k in order {
        let (x, y) = pts[k];
        if last == Some((x, y)) {
            continue;
        }
        if y < best_y {
            out.push(k);
            best_y = y;
            last = Some((x, y));
        }
    }
    out
}

/// Analyse the records of a sweep (or of a shard).
pub fn analyse(m: &Manifest, records: &[Record]) -> Analysis {
    let mut recs: Vec<&Record> = records.iter().collect();
    recs.sort_by_key(|r| r.index);
    let solved: Vec<&Record> = recs.iter().copied().filter(|r| !r.partition.is_empty()).collect();
    let names = m.units.iter().map(|(c, n)| (c.as_str(), n.as_str())).collect();
    let mut st = Study { m, solved, names, a: Analysis::default(), members: BTreeMap::new() };
    st.number_partitions();
    st.status_line(&recs);
    st.partitions();
    st.pareto();
    st.cost_by_areas();
    st.hubs_and_coassignment();
    st.flips();
    let _ = writeln!(st.a.text, "files      partitions.csv pareto.csv cost_by_areas.csv hubs.csv coassignment.csv flips.csv");
    st.a
}

/// One analysis under way: the manifest, the solved records by index, unit names by code, what
/// is written so far, and the records of each distinct partition by id.
struct Study<'m> {
    m: &'m Manifest,
    solved: Vec<&'m Record>,
    names: BTreeMap<&'m str, &'m str>,
    a: Analysis,
    members: BTreeMap<usize, Vec<&'m Record>>,
}

impl<'m> Study<'m> {
    fn name(&self, c: &str) -> String {
        self.names.get(c).copied().unwrap_or(c).to_string()
    }

    fn id_of(&self, r: &Record) -> Option<usize> {
        self.a.partition_ids.get(&signature(&r.partition)).copied()
    }

    fn unit(&self) -> String {
        self.m.unit.replace("EUR/year", "€/year")
    }

    /// Distinct partitions, numbered in order of first appearance.
    fn number_partitions(&mut self) {
        for r in self.solved.clone() {
            let next = self.a.partition_ids.len() + 1;
            let id = *self.a.partition_ids.entry(signature(&r.partition)).or_insert(next);
            self.members.entry(id).or_default().push(r);
        }
    }

    /// Status counts.
    fn status_line(&mut self, recs: &[&Record]) {
        let mut status: BTreeMap<&str, usize> = BTreeMap::new();
        for r in recs {
            *status.entry(r.status.as_str()).or_default() += 1;
        }
        let counts: Vec<String> = status.iter().map(|(s, k)| format!("{k} {s}")).collect();
        let _ = writeln!(self.a.text, "sweep      {} of {} scenarios: {}; {} distinct partitions", recs.len(), self.m.total, counts.join(", "), self.members.len());
    }

    /// Parameter ranges where a partition is optimal, one per axis.
    fn ranges(&self, rs: &[&Record]) -> Vec<String> {
        self.m
            .axes
            .iter()
            .map(|ax| {
                let vals: Vec<&serde_json::Value> = rs.iter().filter_map(|r| r.axes.get(&ax.name)).collect();
                if ax.numeric {
                    let xs: Vec<f64> = vals.iter().filter_map(|v| v.as_f64()).collect();
                    let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
                    let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                    let distinct: BTreeSet<String> = vals.iter().map(|v| value_text(v)).collect();
                    let all = ax.values.len();
                    if lo == hi { format!("{lo}") } else { format!("{lo}–{hi} ({} of {all} values)", distinct.len()) }
                } else {
                    let distinct: Vec<String> = ax.values.iter().map(|v| v.label.clone()).filter(|l| vals.iter().any(|v| value_text(v) == *l)).collect();
                    distinct.join("|")
                }
            })
            .collect()
    }

    /// partitions.csv: each distinct partition, its areas and where it is optimal.
    fn partitions(&mut self) {
        let m = self.m;
        let mut rows = vec![{
            let mut h: Vec<String> = ["partition_id", "scenarios", "share_percent", "number_of_areas", "hubs", "areas"].map(String::from).to_vec();
            h.extend(m.axes.iter().map(|ax| format!("{} where optimal", ax.name)));
            h
        }];
        let solved = self.solved.len().max(1) as f64;
        let mut text = String::new();
        for (id, rs) in &self.members {
            let mut areas: BTreeMap<&str, Vec<String>> = BTreeMap::new();
            for (u, h) in &rs[0].partition {
                areas.entry(h.as_str()).or_default().push(self.name(u));
            }
            let hubs: Vec<String> = areas.keys().map(|h| self.name(h)).collect();
            let listed: Vec<String> = areas.iter().map(|(h, us)| format!("{}: {}", self.name(h), us.join(", "))).collect();
            let share = 100.0 * rs.len() as f64 / solved;
            let mut row = vec![id.to_string(), rs.len().to_string(), format!("{share:.1}"), areas.len().to_string(), hubs.join(" "), listed.join("; ")];
            let rg = self.ranges(rs);
            row.extend(rg.iter().cloned());
            if *id <= 8 {
                let where_: Vec<String> = m.axes.iter().zip(&rg).filter(|(ax, _)| ax.values.len() > 1).map(|(ax, r)| format!("{} {r}", ax.name)).collect();
                let _ = writeln!(text, "  #{id:<3} {:>5} scenarios ({share:>5.1} %), {} areas, hubs {}; where: {}", rs.len(), areas.len(), hubs.join(", "), where_.join(", "));
            }
            rows.push(row);
        }
        if self.members.len() > 8 {
            let _ = writeln!(text, "  … {} more in partitions.csv", self.members.len() - 8);
        }
        self.a.text.push_str(&text);
        self.a.files.push(("partitions.csv".into(), csv_bytes(rows)));
    }

    /// pareto.csv: the Pareto front of travel against equalisation.
    fn pareto(&mut self) {
        let (m, solved) = (self.m, &self.solved);
        let pts: Vec<(f64, f64)> = solved.iter().map(|r| (term(r, "travel"), term(r, "equalisation"))).collect();
        let front = pareto_front(&pts);
        let per = m.unit.replace('/', "_per_");
        let mut rows = vec![{
            let mut h: Vec<String> = vec!["index".into(), "key".into(), format!("travel_{per}"), format!("equalisation_{per}"), "number_of_areas".into(), "partition_id".into()];
            h.extend(m.axes.iter().map(|ax| ax.name.clone()));
            h
        }];
        let mut text = format!("pareto     travel against equalisation ({}), {} non-dominated point(s):\n", self.unit(), front.len());
        for &k in &front {
            let r = solved[k];
            let mut row = vec![r.index.to_string(), r.key.clone(), format!("{:.2}", pts[k].0), format!("{:.2}", pts[k].1), r.number_of_areas.unwrap_or(0).to_string(), self.id_of(r).map(|i| i.to_string()).unwrap_or_default()];
            row.extend(m.axes.iter().map(|ax| r.axes.get(&ax.name).map(value_text).unwrap_or_default()));
            rows.push(row);
        }
        for &k in front.iter().take(10) {
            let r = solved[k];
            let _ = writeln!(text, "  travel {:>12}  equalisation {:>12}  {} areas  partition #{}  (scenario {})", thousands(pts[k].0, 0), thousands(pts[k].1, 0), r.number_of_areas.unwrap_or(0), self.id_of(r).unwrap_or(0), r.index);
        }
        self.a.pareto = front.iter().map(|&k| solved[k].index).collect();
        self.a.text.push_str(&text);
        self.a.files.push(("pareto.csv".into(), csv_bytes(rows)));
    }

    /// cost_by_areas.csv: cost ranges against the number of areas.
    fn cost_by_areas(&mut self) {
        let mut by_k: BTreeMap<usize, Vec<&Record>> = BTreeMap::new();
        for r in &self.solved {
            by_k.entry(r.number_of_areas.unwrap_or(0)).or_default().push(r);
        }
        let u = self.m.unit.replace('/', "_per_");
        let mut rows = vec![vec!["number_of_areas".into(), "scenarios".into(), "partitions".into(), format!("production_min_{u}"), format!("production_max_{u}"), format!("travel_min_{u}"), format!("travel_max_{u}"), format!("equalisation_min_{u}"), format!("equalisation_max_{u}"), format!("objective_min_{u}"), "pareto_cost_areas".into()]];
        let cheapest: Vec<(f64, f64)> = by_k.iter().map(|(&k, rs)| (k as f64, rs.iter().map(|r| term(r, "production") + term(r, "travel")).fold(f64::INFINITY, f64::min))).collect();
        let front_k: BTreeSet<usize> = pareto_front(&cheapest).into_iter().collect();
        let mut text = format!("areas      number of areas: scenarios, production cost range ({})\n", self.unit());
        for (pos, (k, rs)) in by_k.iter().enumerate() {
            let mm = |f: &dyn Fn(&Record) -> f64| {
                let xs: Vec<f64> = rs.iter().map(|r| f(r)).collect();
                (xs.iter().copied().fold(f64::INFINITY, f64::min), xs.iter().copied().fold(f64::NEG_INFINITY, f64::max))
            };
            let (p0, p1) = mm(&|r| term(r, "production"));
            let (t0, t1) = mm(&|r| term(r, "travel"));
            let (e0, e1) = mm(&|r| term(r, "equalisation"));
            let (o0, _) = mm(&|r| r.objective.unwrap_or(f64::NAN));
            let parts: BTreeSet<usize> = rs.iter().filter_map(|r| self.id_of(r)).collect();
            rows.push(vec![k.to_string(), rs.len().to_string(), parts.len().to_string(), format!("{p0:.2}"), format!("{p1:.2}"), format!("{t0:.2}"), format!("{t1:.2}"), format!("{e0:.2}"), format!("{e1:.2}"), format!("{o0:.2}"), front_k.contains(&pos).to_string()]);
            let _ = writeln!(text, "  {k:>3} areas: {:>5} scenarios, {:>3} partitions, production {} … {}", rs.len(), parts.len(), thousands(p0, 0), thousands(p1, 0));
        }
        self.a.text.push_str(&text);
        self.a.files.push(("cost_by_areas.csv".into(), csv_bytes(rows)));
    }

    /// hubs.csv and coassignment.csv: how often each unit is a hub, and each pair shares an area.
    fn hubs_and_coassignment(&mut self) {
        let m = self.m;
        let n = m.units.len();
        let pos: BTreeMap<&str, usize> = m.units.iter().enumerate().map(|(k, (c, _))| (c.as_str(), k)).collect();
        let mut hub_count = vec![0usize; n];
        let mut together = vec![vec![0usize; n]; n];
        for r in &self.solved {
            let hub_idx: Vec<Option<usize>> = m.units.iter().map(|(c, _)| r.partition.get(c).and_then(|h| pos.get(h.as_str()).copied())).collect();
            for h in hub_idx.iter().flatten().collect::<BTreeSet<_>>() {
                hub_count[*h] += 1;
            }
            for i in 0..n {
                for j in 0..n {
                    if hub_idx[i].is_some() && hub_idx[i] == hub_idx[j] {
                        together[i][j] += 1;
                    }
                }
            }
        }
        let s = self.solved.len().max(1) as f64;
        let mut rows = vec![["code", "name", "hub_in_scenarios", "hub_share_percent"].map(String::from).to_vec()];
        for (k, (c, nm)) in m.units.iter().enumerate() {
            rows.push(vec![c.clone(), nm.clone(), hub_count[k].to_string(), format!("{:.1}", 100.0 * hub_count[k] as f64 / s)]);
        }
        self.a.files.push(("hubs.csv".into(), csv_bytes(rows)));
        let mut order: Vec<usize> = (0..n).filter(|&k| hub_count[k] > 0).collect();
        order.sort_by_key(|&k| std::cmp::Reverse(hub_count[k]));
        let hubs: Vec<String> = order.iter().take(8).map(|&k| format!("{} {:.0} %", m.units[k].1, 100.0 * hub_count[k] as f64 / s)).collect();
        let _ = writeln!(self.a.text, "hubs       {}", hubs.join(", "));
        let mut rows = vec![{
            let mut h = vec!["code".to_string(), "name".to_string()];
            h.extend(m.units.iter().map(|(c, _)| c.clone()));
            h
        }];
        for (i, (c, nm)) in m.units.iter().enumerate() {
            let mut row = vec![c.clone(), nm.clone()];
            row.extend((0..n).map(|j| format!("{:.4}", together[i][j] as f64 / s)));
            rows.push(row);
        }
        self.a.files.push(("coassignment.csv".into(), csv_bytes(rows)));
    }

    /// flips.csv: which parameter steps flip the partition (neighbours one step apart along one
    /// group of axes).
    fn flips(&mut self) {
        let m = self.m;
        let lens = m.group_lengths();
        let mut stride = vec![1usize; lens.len()];
        for g in (0..lens.len().saturating_sub(1)).rev() {
            stride[g] = stride[g + 1] * lens[g + 1];
        }
        let by_index: BTreeMap<usize, &Record> = self.solved.iter().map(|r| (r.index, *r)).collect();
        let mut rows = vec![["axis", "from", "to", "other_axes", "partition_from", "partition_to", "areas_from", "areas_to", "moved"].map(String::from).to_vec()];
        for (g, group) in m.groups.iter().enumerate() {
            let axis_names: Vec<&str> = group.iter().map(|&x| m.axes[x].name.as_str()).collect();
            let label = axis_names.join("+");
            let (mut pairs, mut flips) = (0, 0);
            for r in &self.solved {
                let c = m.coords(r.index);
                if c[g] + 1 >= lens[g] {
                    continue;
                }
                let Some(q) = by_index.get(&(r.index + stride[g])) else { continue };
                pairs += 1;
                if signature(&r.partition) == signature(&q.partition) {
                    continue;
                }
                flips += 1;
                let vals = |coord: usize| group.iter().map(|&x| m.axes[x].values[coord].label.clone()).collect::<Vec<_>>().join("+");
                let others: Vec<String> = m.axes.iter().filter(|ax| !axis_names.contains(&ax.name.as_str())).map(|ax| format!("{}={}", ax.name, r.axes.get(&ax.name).map(value_text).unwrap_or_default())).collect();
                let moved: Vec<String> = r.partition.iter().filter(|(u, h)| q.partition.get(*u) != Some(h)).map(|(u, h)| format!("{}: {}→{}", self.name(u), self.name(h), q.partition.get(u).map(|x| self.name(x)).unwrap_or_default())).collect();
                rows.push(vec![label.clone(), vals(c[g]), vals(c[g] + 1), others.join(" "), self.id_of(r).unwrap_or(0).to_string(), self.id_of(q).unwrap_or(0).to_string(), r.number_of_areas.unwrap_or(0).to_string(), q.number_of_areas.unwrap_or(0).to_string(), moved.join("; ")]);
            }
            self.a.flips_by_axis.push((label, pairs, flips));
        }
        self.a.files.push(("flips.csv".into(), csv_bytes(rows)));
        let flips: Vec<String> = self.a.flips_by_axis.iter().map(|(l, p, f)| format!("{l} {f} of {p} steps")).collect();
        let _ = writeln!(self.a.text, "flips      partition changes per one-step move along an axis: {}", flips.join("; "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pareto_front_keeps_only_non_dominated_points() {
        let pts = [(1.0, 5.0), (2.0, 3.0), (2.0, 4.0), (3.0, 3.0), (4.0, 1.0), (1.0, 5.0), (0.5, 9.0)];
        let f = pareto_front(&pts);
        let got: Vec<(f64, f64)> = f.iter().map(|&k| pts[k]).collect();
        assert_eq!(got, vec![(0.5, 9.0), (1.0, 5.0), (2.0, 3.0), (4.0, 1.0)]);
        // Every point not on the front is dominated by one on it.
        for (k, p) in pts.iter().enumerate() {
            if !f.contains(&k) {
                assert!(got.iter().any(|q| q.0 <= p.0 && q.1 <= p.1), "{p:?}");
            }
        }
    }
}
