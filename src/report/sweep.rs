//! The report of a sweep folder: what was varied, the Pareto plot of travel against
//! equalisation, the co-assignment heat map and the distinct partitions with small maps and the
//! parameter values where each one is optimal.

use super::html::{ncell, page_end, page_start};
use super::lang::Lang;
use super::map::{self, esc, MapOptions, Shapes};
use crate::instance::Instance;
use crate::sweep::analysis::{pareto_front, term, value_text};
use crate::sweep::results::{signature, Manifest, Record};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

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
pub fn pareto_svg(lang: Lang, records: &[&Record]) -> String {
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
    let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"pareto\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"{}\">", esc(lang.t("pareto")));
    let _ = write!(s, "<rect x=\"{ml}\" y=\"{mt}\" width=\"{}\" height=\"{}\" fill=\"#fafafa\" stroke=\"#999\"/>", w - ml - mr, h - mb - mt);
    for t in ticks(x0, x1) {
        let x = sx(t);
        let _ = write!(s, "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#e2e2e2\"/><text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>", mt, h - mb, h - mb + 14.0, esc(&lang.eur(t, 0)));
    }
    for t in ticks(y0, y1) {
        let y = sy(t);
        let _ = write!(s, "<line x1=\"{ml}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#e2e2e2\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>", w - mr, ml - 4.0, y + 4.0, esc(&lang.eur(t, 0)));
    }
    let _ = write!(s, "<text x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\">{} ({})</text>", (ml + w - mr) / 2.0, h - 8.0, esc(lang.t("travel")), esc(lang.t("per_year")));
    let _ = write!(s, "<text transform=\"translate(14 {:.1}) rotate(-90)\" text-anchor=\"middle\" font-weight=\"bold\">{} ({})</text>", (mt + h - mb) / 2.0, esc(lang.t("equalisation")), esc(lang.t("per_year")));
    let on_front: BTreeSet<usize> = front.iter().copied().collect();
    for (k, r) in records.iter().enumerate() {
        let (x, y) = pts[k];
        if !x.is_finite() || !y.is_finite() || on_front.contains(&k) {
            continue;
        }
        let _ = write!(s, "<circle class=\"pt\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.4\" fill=\"#9db7d5\" fill-opacity=\".6\"><title>#{}</title></circle>", sx(x), sy(y), r.index);
    }
    let mut line = String::new();
    for &k in &front {
        let _ = write!(line, "{}{:.1} {:.1}", if line.is_empty() { "M" } else { "L" }, sx(pts[k].0), sy(pts[k].1));
    }
    if !line.is_empty() {
        let _ = write!(s, "<path d=\"{line}\" fill=\"none\" stroke=\"#c0392b\" stroke-width=\"1.5\"/>");
    }
    for &k in &front {
        let r = records[k];
        let axes: Vec<String> = r.axes.iter().map(|(a, v)| format!("{a}={}", value_text(v))).collect();
        let _ = write!(s, "<circle class=\"front\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#c0392b\"><title>#{}: {} {}, {}; {}</title></circle>", sx(pts[k].0), sy(pts[k].1), r.index,
            r.number_of_areas.unwrap_or(0), lang.t("areas").to_lowercase(), lang.eur(pts[k].0 + pts[k].1, 0), axes.join(", "));
    }
    s.push_str("</svg>");
    s
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
pub fn heat_svg(lang: Lang, m: &Manifest, records: &[&Record]) -> String {
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
    let mut s = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"coassignment\" viewBox=\"0 0 {size:.0} {size:.0}\" width=\"{size:.0}\" height=\"{size:.0}\" font-family=\"sans-serif\" font-size=\"9\" role=\"img\" aria-label=\"{}\">", esc(lang.t("coassignment")));
    for (a, &i) in order.iter().enumerate() {
        if labels {
            let y = margin + cell * a as f64 + cell * 0.75;
            let _ = write!(s, "<text x=\"{:.1}\" y=\"{y:.1}\" text-anchor=\"end\">{}</text>", margin - 4.0, esc(&m.units[i].1));
            let x = margin + cell * a as f64 + cell * 0.7;
            let _ = write!(s, "<text transform=\"translate({x:.1} {:.1}) rotate(-90)\">{}</text>", margin - 4.0, esc(&m.units[i].1));
        }
        for (b, &j) in order.iter().enumerate() {
            let share = together[i][j] as f64 / total;
            if share <= 0.0 {
                continue;
            }
            // White (never) to dark blue (always).
            let t = share.clamp(0.0, 1.0);
            let c = |lo: f64, hi: f64| (lo + (hi - lo) * t).round() as u8;
            let fill = format!("#{:02x}{:02x}{:02x}", c(240.0, 8.0), c(245.0, 48.0), c(255.0, 107.0));
            let _ = write!(s, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\"", margin + cell * b as f64, margin + cell * a as f64);
            if labels {
                let _ = write!(s, "><title>{} – {}: {}</title></rect>", esc(&m.units[i].1), esc(&m.units[j].1), lang.pct(100.0 * share, 0));
            } else {
                s.push_str("/>");
            }
        }
    }
    let _ = write!(s, "<rect x=\"{margin}\" y=\"{margin}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"none\" stroke=\"#999\"/></svg>", cell * n as f64, cell * n as f64);
    s
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
    let mut s = page_start(lang, &title);
    let _ = write!(s, "<header><h1>{}</h1><p>{}: <b>{}</b> · {}</p></header>", esc(lang.t("sweep_title")), esc(lang.t("instance")), esc(&m.instance), esc(&m.spec_file));
    let mut status: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &recs {
        *status.entry(r.status.as_str()).or_default() += 1;
    }
    let _ = write!(s, "<dl class=\"facts\"><dt>{}</dt><dd id=\"scenario-count\" data-value=\"{}\">{} {} {}</dd>", esc(lang.t("scenarios")), recs.len(), recs.len(), esc(lang.t("of")), m.total);
    for (k, c) in &status {
        let _ = write!(s, "<dt>{}</dt><dd>{c}</dd>", esc(&crate::Status::parse(k).map(|st| lang.t(st.as_str()).to_string()).unwrap_or_else(|| k.to_string())));
    }
    s.push_str("</dl>");
    // Axes.
    let _ = write!(s, "<h2>{}</h2><table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>", esc(lang.t("axes")), esc(lang.t("axis")), esc(lang.t("values")));
    for ax in &m.axes {
        let vals: Vec<String> = ax.values.iter().map(|v| match v.value.as_f64() {
            Some(x) if ax.numeric => if x.fract() == 0.0 { lang.num(x, 0) } else { lang.num(x, 2) },
            _ => v.label.clone(),
        }).collect();
        let _ = write!(s, "<tr><td>{}</td><td>{}</td></tr>", esc(&ax.name), esc(&vals.join("; ")));
    }
    s.push_str("</tbody></table>");
    // Pareto.
    let _ = write!(s, "<h2>{}</h2>{}<p class=\"note\">{}</p>", esc(lang.t("pareto")), pareto_svg(lang, &solved), esc(lang.t("pareto_note")));
    // Co-assignment.
    let _ = write!(s, "<h2>{}</h2>{}<p class=\"note\">{}</p>", esc(lang.t("coassignment")), heat_svg(lang, m, &solved), esc(lang.t("coassignment_note")));
    // Partitions.
    let mut groups: Vec<(String, Vec<&Record>)> = Vec::new();
    let mut at: BTreeMap<String, usize> = BTreeMap::new();
    for r in &solved {
        let sig = signature(&r.partition);
        let k = *at.entry(sig.clone()).or_insert_with(|| {
            groups.push((sig, Vec::new()));
            groups.len() - 1
        });
        groups[k].1.push(r);
    }
    let _ = write!(s, "<h2>{} ({})</h2>", esc(lang.t("partitions")), groups.len());
    let code_pos: BTreeMap<&str, usize> = inst.units.iter().enumerate().map(|(k, u)| (u.code.as_str(), k)).collect();
    let shapes = Shapes::new(inst, 300.0, 0.4);
    let mut ranked: Vec<(usize, &(String, Vec<&Record>))> = groups.iter().enumerate().collect();
    ranked.sort_by_key(|(id, g)| (std::cmp::Reverse(g.1.len()), *id));
    s.push_str("<div class=\"maps\">");
    for (id, (_, rs)) in ranked.iter().take(MAX_PARTITION_MAPS) {
        let r0 = rs[0];
        let hub_of: Option<Vec<usize>> = inst.units.iter().map(|u| r0.partition.get(&u.code).and_then(|h| code_pos.get(h.as_str()).copied())).collect();
        let share = 100.0 * rs.len() as f64 / solved.len().max(1) as f64;
        let _ = write!(s, "<figure class=\"partition\" data-partition=\"{}\">", id + 1);
        if let Some(hub_of) = hub_of {
            let colours = map::area_colours(inst, &hub_of);
            let names: BTreeMap<usize, String> = hub_of.iter().map(|&h| (h, inst.units[h].name.clone())).collect();
            s.push_str(&map::render(inst, &shapes, &hub_of, &colours, &names, lang, &MapOptions { id: format!("partition-{}", id + 1), title: format!("{} #{}", lang.t("partition"), id + 1), labels: false, legend: false, standalone: false }));
        }
        let _ = write!(s, "<figcaption><b>#{}</b>: {} {} ({}), {} {}", id + 1, rs.len(), esc(&lang.t("scenarios").to_lowercase()), esc(&lang.pct(share, 1)), r0.number_of_areas.unwrap_or(0), esc(&lang.t("areas").to_lowercase()));
        let _ = write!(s, "<br>{}:<ul>", esc(lang.t("where_optimal")));
        for (name, text) in where_optimal(lang, m, rs) {
            let _ = write!(s, "<li>{}: {}</li>", esc(&name), esc(&text));
        }
        s.push_str("</ul></figcaption></figure>");
    }
    s.push_str("</div>");
    if groups.len() > MAX_PARTITION_MAPS {
        let _ = write!(s, "<p class=\"note\">{}</p>", esc(lang.t("more_partitions")));
    }
    // Table of all partitions.
    let _ = write!(s, "<table class=\"sortable\" id=\"partitions\"><thead><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th>{}</th></tr></thead><tbody>",
        esc(lang.t("partition")), esc(lang.t("scenarios")), esc(lang.t("share_of_scenarios")), esc(lang.t("number_of_areas")), esc(lang.t("where_optimal")));
    for (id, (_, rs)) in &ranked {
        let share = rs.len() as f64 / solved.len().max(1) as f64;
        let w: Vec<String> = where_optimal(lang, m, rs).into_iter().map(|(a, t)| format!("{a}: {t}")).collect();
        let k = rs[0].number_of_areas.unwrap_or(0) as f64;
        let _ = write!(s, "<tr><td>#{}</td>{}{}{}<td>{}</td></tr>", id + 1, ncell(&lang.num(rs.len() as f64, 0), rs.len() as f64), ncell(&lang.pct(100.0 * share, 1), share), ncell(&lang.num(k, 0), k), esc(&w.join("; ")));
    }
    s.push_str("</tbody></table>");
    s.push_str(&page_end(lang, inst.employment));
    s
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
