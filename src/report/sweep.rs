//! The report of a sweep folder: what was varied, the Pareto plot of travel against
//! equalisation, the co-assignment heat map and the distinct partitions with small maps and the
//! parameter values where each one is optimal.

use super::html::{ncell, page};
use super::lang::Lang;
use super::map::{self, MapOptions, Shapes};
use crate::instance::Instance;
use crate::sweep::analysis::{pareto_front, term, value_text};
use crate::sweep::results::{signature, Manifest, Record};
use std::collections::{BTreeMap, BTreeSet};
use maud::{html, Markup};

/// Small maps drawn for at most this many partitions (the rest are in partitions.csv).
pub const MAX_PARTITION_MAPS: usize = 12;

/// Tick values for an axis from `lo` to `hi`: about five round steps.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * mag).find(|&s| s >= raw).unwrap_or(10.0 * mag);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + 1e-9 * span {
        out.push(t);
        t += step;
    }
    out
}

/// Pareto plot (SVG): every solved scenario as a point, the non-dominated ones joined.
pub fn pareto_svg(lang: Lang, records: &[&Record]) -> Markup {
    let pts: Vec<(f64, f64)> = records.iter().map(|r| (term(r, "travel"), term(r, "equalisation"))).collect();
    let front = pareto_front(&pts);
    let (w, h, ml, mb, mt, mr) = (640.0, 400.0, 92.0, 46.0, 12.0, 16.0);
    let fin: Vec<&(f64, f64)> = pts.iter().filter(|p| p.0.is_finite() && p.1.is_finite()).collect();
    let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, f64::NEG_INFINITY, f64::INFINITY, f64::NEG_INFINITY);
    for p in &fin {
        x0 = x0.min(p.0);
        x1 = x1.max(p.0);
        y0 = y0.min(p.1);
        y1 = y1.max(p.1);
    }
    if fin.is_empty() {
        (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
    }
    let padx = ((x1 - x0) * 0.05).max(1.0);
    let pady = ((y1 - y0) * 0.05).max(1.0);
    let (x0, x1, y0, y1) = (x0 - padx, x1 + padx, y0 - pady, y1 + pady);
    let sx = |x: f64| ml + (x - x0) / (x1 - x0) * (w - ml - mr);
    let sy = |y: f64| h - mb - (y - y0) / (y1 - y0) * (h - mb - mt);
    let f1 = |x: f64| format!("{x:.1}");
    let on_front: BTreeSet<usize> = front.iter().copied().collect();
    let mut line = String::new();
    for &k in &front {
        line += &format!("{}{:.1} {:.1}", if line.is_empty() { "M" } else { "L" }, sx(pts[k].0), sy(pts[k].1));
    }
    html! {
        svg xmlns="http://www.w3.org/2000/svg" id="pareto" viewBox={"0 0 " (w) " " (h)} width=(w) height=(h) font-family="sans-serif" font-size="11" role="img" aria-label=(lang.t("pareto")) {
            rect x=(ml) y=(mt) width=(w - ml - mr) height=(h - mb - mt) fill="#fafafa" stroke="#999" {}
            @for t in ticks(x0, x1) {
                line x1=(f1(sx(t))) y1=(mt) x2=(f1(sx(t))) y2=(h - mb) stroke="#e2e2e2" {}
                text x=(f1(sx(t))) y=(h - mb + 14.0) text-anchor="middle" { (lang.eur(t, 0)) }
            }
            @for t in ticks(y0, y1) {
                line x1=(ml) y1=(f1(sy(t))) x2=(w - mr) y2=(f1(sy(t))) stroke="#e2e2e2" {}
                text x=(ml - 4.0) y=(f1(sy(t) + 4.0)) text-anchor="end" { (lang.eur(t, 0)) }
            }
            text x=(f1((ml + w - mr) / 2.0)) y=(h - 8.0) text-anchor="middle" font-weight="bold" { (lang.t("travel")) " (" (lang.t("per_year")) ")" }
            text transform={"translate(14 " (f1((mt + h - mb) / 2.0)) ") rotate(-90)"} text-anchor="middle" font-weight="bold" { (lang.t("equalisation")) " (" (lang.t("per_year")) ")" }
            @for (k, r) in records.iter().enumerate() {
                @let (x, y) = pts[k];
                @if x.is_finite() && y.is_finite() && !on_front.contains(&k) {
                    circle class="pt" cx=(f1(sx(x))) cy=(f1(sy(y))) r="2.4" fill="#9db7d5" fill-opacity=".6" { title { "#" (r.index) } }
                }
            }
            @if !line.is_empty() { path d=(line) fill="none" stroke="#c0392b" stroke-width="1.5" {} }
            @for &k in &front {
                @let r = records[k];
                @let axes: Vec<String> = r.axes.iter().map(|(a, v)| format!("{a}={}", value_text(v))).collect();
                circle class="front" cx=(f1(sx(pts[k].0))) cy=(f1(sy(pts[k].1))) r="4" fill="#c0392b" {
                    title { "#" (r.index) ": " (r.number_of_areas.unwrap_or(0)) " " (lang.t("areas").to_lowercase()) ", " (lang.eur(pts[k].0 + pts[k].1, 0)) "; " (axes.join(", ")) }
                }
            }
        }
    }
}

/// Units ordered so that co-assigned units sit together: by area in the most frequent partition.
fn heat_order(m: &Manifest, records: &[&Record]) -> Vec<usize> {
    let mut count: BTreeMap<String, (usize, &Record)> = BTreeMap::new();
    for r in records {
        count.entry(signature(&r.partition)).or_insert((0, r)).0 += 1;
    }
    let mut order: Vec<usize> = (0..m.units.len()).collect();
    if let Some((_, r)) = count.values().max_by_key(|(c, r)| (*c, std::cmp::Reverse(r.index))) {
        order.sort_by_key(|&k| (r.partition.get(&m.units[k].0).cloned().unwrap_or_default(), m.units[k].1.clone()));
    }
    order
}

/// Co-assignment heat map (SVG): cell (i, j) darker the more often i and j share an area.
pub fn heat_svg(lang: Lang, m: &Manifest, records: &[&Record]) -> Markup {
    let n = m.units.len();
    let mut together = vec![vec![0usize; n]; n];
    for r in records {
        let hub: Vec<Option<&String>> = m.units.iter().map(|(c, _)| r.partition.get(c)).collect();
        let mut by_hub: BTreeMap<&String, Vec<usize>> = BTreeMap::new();
        for (k, h) in hub.iter().enumerate() {
            if let Some(h) = h {
                by_hub.entry(*h).or_default().push(k);
            }
        }
        for members in by_hub.values() {
            for &a in members {
                for &b in members {
                    together[a][b] += 1;
                }
            }
        }
    }
    let total = records.len().max(1) as f64;
    let order = heat_order(m, records);
    let cell = if n <= 40 { 14.0 } else if n <= 100 { 6.0 } else { 2.4 };
    let labels = n <= 60;
    let margin = if labels { 110.0 } else { 10.0 };
    let size = margin + cell * n as f64 + 10.0;
    let f1 = |x: f64| format!("{x:.1}");
    let cells: Vec<(usize, usize, f64)> = order.iter().enumerate().flat_map(|(a, &i)| order.iter().enumerate().map(move |(b, &j)| (a, b, (i, j)))).filter_map(|(a, b, (i, j))| {
        let share = together[i][j] as f64 / total;
        (share > 0.0).then_some((a, b, share))
    }).collect();
    // White (never) to dark blue (always).
    let fill = |share: f64| {
        let t = share.clamp(0.0, 1.0);
        let c = |lo: f64, hi: f64| (lo + (hi - lo) * t).round() as u8;
        format!("#{:02x}{:02x}{:02x}", c(240.0, 8.0), c(245.0, 48.0), c(255.0, 107.0))
    };
    html! {
        svg xmlns="http://www.w3.org/2000/svg" id="coassignment" viewBox={"0 0 " (format!("{size:.0}")) " " (format!("{size:.0}"))} width=(format!("{size:.0}")) height=(format!("{size:.0}")) font-family="sans-serif" font-size="9" role="img" aria-label=(lang.t("coassignment")) {
            @if labels {
                @for (a, &i) in order.iter().enumerate() {
                    text x=(f1(margin - 4.0)) y=(f1(margin + cell * a as f64 + cell * 0.75)) text-anchor="end" { (m.units[i].1) }
                    text transform={"translate(" (f1(margin + cell * a as f64 + cell * 0.7)) " " (f1(margin - 4.0)) ") rotate(-90)"} { (m.units[i].1) }
                }
            }
            @for &(a, b, share) in &cells {
                rect x=(f1(margin + cell * b as f64)) y=(f1(margin + cell * a as f64)) width=(cell) height=(cell) fill=(fill(share)) {
                    @if labels { title { (m.units[order[a]].1) " – " (m.units[order[b]].1) ": " (lang.pct(100.0 * share, 0)) } }
                }
            }
            rect x=(margin) y=(margin) width=(f1(cell * n as f64)) height=(f1(cell * n as f64)) fill="none" stroke="#999" {}
        }
    }
}

/// Where a set of scenarios lies along each axis: min–max of numeric axes, the labels of others.
fn where_optimal(lang: Lang, m: &Manifest, rs: &[&Record]) -> Vec<(String, String)> {
    m.axes
        .iter()
        .filter(|ax| ax.values.len() > 1)
        .map(|ax| {
            let vals: Vec<&serde_json::Value> = rs.iter().filter_map(|r| r.axes.get(&ax.name)).collect();
            let distinct: BTreeSet<String> = vals.iter().map(|v| value_text(v)).collect();
            let text = if ax.numeric {
                let xs: Vec<f64> = vals.iter().filter_map(|v| v.as_f64()).collect();
                let lo = xs.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let f = |x: f64| if x.fract() == 0.0 { lang.num(x, 0) } else { lang.num(x, 2) };
                if lo == hi { f(lo) } else { format!("{}–{} ({} {} {})", f(lo), f(hi), distinct.len(), lang.t("of"), ax.values.len()) }
            } else {
                ax.values.iter().map(|v| v.label.clone()).filter(|l| distinct.contains(l)).collect::<Vec<_>>().join(", ")
            };
            (ax.name.clone(), text)
        })
        .collect()
}

/// The whole sweep report. `inst` gives the geometry of the small maps.
pub fn render(lang: Lang, m: &Manifest, records: &[Record], inst: &Instance) -> String {
    let mut recs: Vec<&Record> = records.iter().collect();
    recs.sort_by_key(|r| r.index);
    let solved: Vec<&Record> = recs.iter().copied().filter(|r| !r.partition.is_empty()).collect();
    let title = format!("{} – {}", lang.t("sweep_title"), m.instance);
    let mut status: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &recs {
        *status.entry(r.status.as_str()).or_default() += 1;
    }
    let number = |ax: &crate::sweep::spec::Axis, v: &crate::sweep::spec::AxisValue| match v.value.as_f64() {
        Some(x) if ax.numeric => if x.fract() == 0.0 { lang.num(x, 0) } else { lang.num(x, 2) },
        _ => v.label.clone(),
    };
    let body = html! {
        header { h1 { (lang.t("sweep_title")) } p { (lang.t("instance")) ": " b { (m.instance) } " · " (m.spec_file) } }
        dl class="facts" {
            dt { (lang.t("scenarios")) }
            dd id="scenario-count" data-value=(recs.len()) { (recs.len()) " " (lang.t("of")) " " (m.total) }
            @for (k, c) in &status {
                dt { (crate::Status::parse(k).map(|st| lang.t(st.as_str()).to_string()).unwrap_or_else(|| k.to_string())) }
                dd { (c) }
            }
        }
        h2 { (lang.t("axes")) }
        table {
            thead { tr { th { (lang.t("axis")) } th { (lang.t("values")) } } }
            tbody { @for ax in &m.axes { tr { td { (ax.name) } td { (ax.values.iter().map(|v| number(ax, v)).collect::<Vec<_>>().join("; ")) } } } }
        }
        h2 { (lang.t("pareto")) }
        (pareto_svg(lang, &solved))
        p class="note" { (lang.t("pareto_note")) }
        h2 { (lang.t("coassignment")) }
        (heat_svg(lang, m, &solved))
        p class="note" { (lang.t("coassignment_note")) }
        (partitions(lang, m, &solved, inst))
    };
    page(lang, &title, inst.employment, body)
}

/// The distinct partitions: small maps of the most frequent ones and a table of all.
fn partitions(lang: Lang, m: &Manifest, solved: &[&Record], inst: &Instance) -> Markup {
    let mut groups: Vec<(String, Vec<&Record>)> = Vec::new();
    let mut at: BTreeMap<String, usize> = BTreeMap::new();
    for r in solved {
        let sig = signature(&r.partition);
        let k = *at.entry(sig.clone()).or_insert_with(|| {
            groups.push((sig, Vec::new()));
            groups.len() - 1
        });
        groups[k].1.push(r);
    }
    let code_pos: BTreeMap<&str, usize> = inst.units.iter().enumerate().map(|(k, u)| (u.code.as_str(), k)).collect();
    let shapes = Shapes::new(inst, 300.0, 0.4);
    let mut ranked: Vec<(usize, &(String, Vec<&Record>))> = groups.iter().enumerate().collect();
    ranked.sort_by_key(|(id, g)| (std::cmp::Reverse(g.1.len()), *id));
    let share_of = |rs: &[&Record]| rs.len() as f64 / solved.len().max(1) as f64;
    html! {
        h2 { (lang.t("partitions")) " (" (groups.len()) ")" }
        div class="maps" {
            @for (id, (_, rs)) in ranked.iter().take(MAX_PARTITION_MAPS) {
                @let r0 = rs[0];
                @let hub_of: Option<Vec<usize>> = inst.units.iter().map(|u| r0.partition.get(&u.code).and_then(|h| code_pos.get(h.as_str()).copied())).collect();
                figure class="partition" data-partition=(id + 1) {
                    @if let Some(hub_of) = hub_of {
                        @let colours = map::area_colours(inst, &hub_of);
                        @let names: BTreeMap<usize, String> = hub_of.iter().map(|&h| (h, inst.units[h].name.clone())).collect();
                        (map::render(inst, &shapes, &hub_of, &colours, &names, lang, &MapOptions { id: format!("partition-{}", id + 1), title: format!("{} #{}", lang.t("partition"), id + 1), labels: false, legend: false, standalone: false }))
                    }
                    figcaption {
                        b { "#" (id + 1) } ": " (rs.len()) " " (lang.t("scenarios").to_lowercase()) " (" (lang.pct(100.0 * share_of(rs), 1)) "), " (r0.number_of_areas.unwrap_or(0)) " " (lang.t("areas").to_lowercase())
                        br;
                        (lang.t("where_optimal")) ":"
                        ul { @for (name, text) in where_optimal(lang, m, rs) { li { (name) ": " (text) } } }
                    }
                }
            }
        }
        @if groups.len() > MAX_PARTITION_MAPS { p class="note" { (lang.t("more_partitions")) } }
        table class="sortable" id="partitions" {
            thead { tr { th { (lang.t("partition")) } th class="n" { (lang.t("scenarios")) } th class="n" { (lang.t("share_of_scenarios")) } th class="n" { (lang.t("number_of_areas")) } th { (lang.t("where_optimal")) } } }
            tbody {
                @for (id, (_, rs)) in &ranked {
                    @let w: Vec<String> = where_optimal(lang, m, rs).into_iter().map(|(a, t)| format!("{a}: {t}")).collect();
                    @let k = rs[0].number_of_areas.unwrap_or(0) as f64;
                    tr {
                        td { "#" (id + 1) }
                        (ncell(&lang.num(rs.len() as f64, 0), rs.len() as f64)) (ncell(&lang.pct(100.0 * share_of(rs), 1), share_of(rs))) (ncell(&lang.num(k, 0), k))
                        td { (w.join("; ")) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_inside() {
        let t = ticks(1234.0, 98765.0);
        assert!(t.len() >= 4 && t.len() <= 11, "{t:?}");
        assert!(t.iter().all(|&x| (1234.0..=98765.0).contains(&x)));
        assert!(t.windows(2).all(|w| ((w[1] - w[0]) - (t[1] - t[0])).abs() < 1e-6));
    }
}
