//! The report of one partition as a self-contained HTML page: status, map, per-area and
//! per-municipality tables, the scenario's parameters with their sources and, with a second
//! partition, the comparison (maps side by side, differences per term and municipality, moves).
//! Every figure cell carries its exact value in `data-value` so that tools and tests can read it.

use super::lang::Lang;
use super::map::{self, esc, MapOptions, Shapes};
use crate::instance::LABOUR_FORCE;
use crate::solution::Evaluation;
use crate::{Problem, RunResult, Status};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Width of a single map, px (two maps side by side when comparing).
pub const MAP_WIDTH: f64 = 560.0;

/// The page's style: screen and print.
pub const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;margin:24px auto;max-width:1180px;padding:0 16px;color:#1b1b1b;line-height:1.35}\
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;margin:1.4em 0 .5em;border-bottom:2px solid #ddd;padding-bottom:.2em}\
table{border-collapse:collapse;font-size:.82em;margin:.4em 0 1em;width:100%}th,td{padding:3px 5px;border-bottom:1px solid #e3e3e3;vertical-align:top}\
th{text-align:left;background:#f3f3f3;cursor:pointer;user-select:none}td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\
td.members{min-width:16em}th small{font-weight:normal;color:#555}tr.total td{font-weight:bold;border-top:2px solid #888;background:#fafafa}tr.subtotal td{font-style:italic;background:#fbfbfb}\
.sw{display:inline-block;width:.9em;height:.9em;border:1px solid #555;margin-right:.4em;vertical-align:-.1em}\
.maps{display:flex;flex-wrap:wrap;gap:16px}.maps figure{margin:0}figcaption{font-size:.85em;color:#444}\
dl.facts{display:grid;grid-template-columns:max-content auto;gap:2px 16px;font-size:.92em}dt{color:#555}dd{margin:0}\
.status-optimal{color:#1a6b1a;font-weight:bold}.status-feasible,.status-time_limit{color:#8a5a00;font-weight:bold}.status-infeasible{color:#a11;font-weight:bold}\
.pos{color:#a11}.neg{color:#1a6b1a}.note{font-size:.85em;color:#555}.changed{font-weight:bold}\
footer{margin-top:2em;font-size:.8em;color:#666}\
@media print{body{margin:0;max-width:none}table{font-size:.68em}td.members{min-width:9em}th,td{padding:2px 3px}h2{break-after:avoid}tr{break-inside:avoid}.maps{flex-wrap:nowrap}.maps svg{max-width:100%;height:auto}th{cursor:auto}}\
@page{size:A4;margin:12mm}";

/// Click a column heading to sort a table by it (numbers by their exact value); totals stay last.
pub const SCRIPT: &str = "document.querySelectorAll('table.sortable').forEach(function(t){var hs=t.tHead?t.tHead.rows[0].cells:[];\
Array.prototype.forEach.call(hs,function(h,c){h.addEventListener('click',function(){var b=t.tBodies[0];if(!b)return;\
var rows=Array.prototype.filter.call(b.rows,function(r){return !r.classList.contains('total')&&!r.classList.contains('subtotal');});\
var asc=h.getAttribute('data-sort')!=='asc';Array.prototype.forEach.call(hs,function(x){x.removeAttribute('data-sort');});h.setAttribute('data-sort',asc?'asc':'desc');\
rows.sort(function(a,b){var x=a.cells[c],y=b.cells[c];if(!x||!y)return 0;var u=x.getAttribute('data-value'),v=y.getAttribute('data-value');\
var r=(u!==null&&v!==null)?(parseFloat(u)-parseFloat(v)):x.textContent.localeCompare(y.textContent);return asc?r:-r;});\
Array.prototype.forEach.call(b.querySelectorAll('tr.subtotal'),function(r){r.remove();});var tot=b.querySelector('tr.total');\
rows.forEach(function(r){b.insertBefore(r,tot);});});});});";

/// A table cell holding a number: its formatted text and its exact value.
pub fn ncell(text: &str, value: f64) -> String {
    if value.is_finite() {
        format!("<td class=\"n\" data-value=\"{value}\">{}</td>", esc(text))
    } else {
        format!("<td class=\"n\">{}</td>", esc(text))
    }
}

/// A heading cell; a trailing `(unit)` goes on a line of its own.
fn th(text: &str, numeric: bool) -> String {
    let body = match text.rsplit_once(" (") {
        Some((label, unit)) if unit.ends_with(')') => format!("{}<br><small>({}</small>", esc(label), esc(unit)),
        _ => esc(text),
    };
    format!("<th{}>{body}</th>", if numeric { " class=\"n\"" } else { "" })
}

/// Page head and the opening of the body.
pub fn page_start(lang: Lang, title: &str) -> String {
    format!("<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"generator\" content=\"alue {}\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        lang.code(), env!("CARGO_PKG_VERSION"), esc(title))
}

/// The footer, the script and the end of the page.
pub fn page_end(lang: Lang, attribution: bool) -> String {
    format!("<footer>{} <span>alue {}</span>{}</footer><script>{SCRIPT}</script></body></html>\n", esc(lang.t("generated")), env!("CARGO_PKG_VERSION"),
        if attribution { format!(". {} <span>CC BY 4.0</span>.", esc(lang.t("attribution"))) } else { String::new() })
}

fn status_word(lang: Lang, s: Status) -> &'static str {
    lang.t(s.as_str())
}

/// Decimals for a parameter value: whole numbers without, others as written.
fn auto(lang: Lang, x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        lang.num(x, 0)
    } else if x.abs() < 1e-3 {
        // Small tolerances (mip_gap) read best as written.
        format!("{x:e}")
    } else {
        let d = (1..=6).find(|&d| ((x * 10f64.powi(d)).round() / 10f64.powi(d) - x).abs() < 1e-9).unwrap_or(6) as usize;
        lang.num(x, d)
    }
}

fn area_name(r: &RunResult, p: &Problem, hub: usize) -> String {
    r.area_names.get(&hub).cloned().unwrap_or_else(|| p.inst.units[hub].name.clone())
}

fn key_index(p: &Problem) -> usize {
    p.inst.attributes.iter().position(|a| *a == p.sc.cost_share_key).unwrap_or(LABOUR_FORCE)
}

fn key_label(lang: Lang, key: &str) -> String {
    match key {
        "labour_force" => lang.t("labour_force").to_string(),
        "population" => lang.t("population").to_string(),
        "jobseekers" => lang.t("jobseekers").to_string(),
        other => other.to_string(),
    }
}

/// The facts at the top: status, objective, bound, gap, time, year, validation.
fn facts(lang: Lang, r: &RunResult, p: &Problem) -> String {
    let unit = if p.sc.objective_unit() == "€/year" { lang.t("per_year").to_string() } else { p.sc.objective_unit() };
    let ev = r.evaluation.as_ref();
    let mut s = String::from("<dl class=\"facts\">");
    let mut row = |k: &str, v: String| {
        let _ = write!(s, "<dt>{}</dt><dd>{v}</dd>", esc(k));
    };
    row(lang.t("status"), format!("<span class=\"status-{}\" id=\"status\" data-status=\"{}\">{}</span>", r.status.as_str(), r.status.as_str(), esc(status_word(lang, r.status))));
    if let Some(ev) = ev {
        row(lang.t("objective"), format!("<span id=\"objective\" data-value=\"{}\">{}</span> ({})", ev.objective, esc(&lang.eur(ev.objective, 0)), esc(&unit)));
    }
    row(lang.t("bound"), r.bound.map(|b| format!("<span id=\"bound\" data-value=\"{b}\">{}</span>", esc(&lang.eur(b, 0)))).unwrap_or_else(|| "–".into()));
    row(lang.t("gap"), r.gap.map(|g| format!("<span id=\"gap\" data-value=\"{g}\">{}</span>", esc(&lang.pct(100.0 * g, 4)))).unwrap_or_else(|| "–".into()));
    if r.seconds > 0.0 {
        row(lang.t("solve_time"), esc(&lang.unit(r.seconds, 2, "s")));
    }
    row(lang.t("data_year"), p.sc.data_year.to_string());
    if let Some(ev) = ev {
        row(lang.t("number_of_areas"), ev.areas.len().to_string());
    }
    row(lang.t("share_key"), esc(&key_label(lang, &p.sc.cost_share_key)));
    if let Some(v) = &r.validation {
        row(lang.t("validated"), esc(if v.is_feasible() { lang.t("yes") } else { lang.t("no") }));
    }
    s.push_str("</dl>");
    s
}

/// Per-area table with totals.
fn areas_table(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, colours: &BTreeMap<usize, String>, id: &str) -> String {
    let mut s = format!("<table class=\"sortable areas\" id=\"{id}\"><thead><tr>");
    for (h, n) in [("area", false), ("hub", false), ("members", false), ("labour_force", true), ("jobseekers", true), ("advisers", true), ("travel", true), ("production_cost", true), ("funding", true), ("equalisation", true)] {
        let label = if n && !matches!(h, "labour_force" | "jobseekers" | "advisers") { format!("{} ({})", lang.t(h), lang.t("per_year")) } else { lang.t(h).to_string() };
        s.push_str(&th(&label, n));
    }
    s.push_str("</tr></thead><tbody>");
    let mut areas: Vec<_> = ev.areas.iter().collect();
    areas.sort_by_key(|a| area_name(r, p, a.hub));
    // labour force, jobseekers, advisers, then € columns.
    let cell = |k: usize, v: f64| {
        let text = match k {
            0 | 1 => lang.num(v, 0),
            2 => lang.num(v, 2),
            _ => lang.eur(v, 0),
        };
        ncell(&text, v)
    };
    let mut tot = [0.0f64; 7];
    for a in areas {
        let members: Vec<String> = a.members.iter().map(|&i| p.inst.units[i].name.clone()).collect();
        let _ = write!(s, "<tr data-area=\"{}\"><td><span class=\"sw\" style=\"background:{}\"></span>{}</td><td>{}</td><td class=\"members\">{}</td>",
            esc(&p.inst.units[a.hub].code), colours.get(&a.hub).map(String::as_str).unwrap_or("#ccc"), esc(&area_name(r, p, a.hub)), esc(&p.inst.units[a.hub].name), esc(&members.join(", ")));
        let vals = [a.labour_force, a.jobseekers, a.advisers, a.travel, a.production_cost, a.funding, a.equalisation];
        for (k, v) in vals.iter().enumerate() {
            tot[k] += v;
            s.push_str(&cell(k, *v));
        }
        s.push_str("</tr>");
    }
    let _ = write!(s, "<tr class=\"total\"><td>{}</td><td></td><td></td>", esc(lang.t("total")));
    for (k, v) in tot.iter().enumerate() {
        s.push_str(&cell(k, *v));
    }
    s.push_str("</tr></tbody></table>");
    s
}

/// Per-municipality money table: grouped by area, largest net payment first, subtotals and total.
fn municipalities_table(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, id: &str) -> String {
    let key = key_index(p);
    let central = ev.units.iter().any(|u| u.central_cost != 0.0);
    let mut s = format!("<table class=\"sortable municipalities\" id=\"{id}\"><thead><tr>");
    s.push_str(&th(lang.t("code"), false));
    s.push_str(&th(lang.t("municipality"), false));
    s.push_str(&th(lang.t("area"), false));
    s.push_str(&th(&key_label(lang, &p.sc.cost_share_key), true));
    s.push_str(&th(lang.t("share"), true));
    for h in ["funding", "cost_share", "equalisation"] {
        s.push_str(&th(&format!("{} ({})", lang.t(h), lang.t("per_year")), true));
    }
    if central {
        s.push_str(&th(&format!("{} ({})", lang.t("central"), lang.t("per_year")), true));
    }
    s.push_str(&th(&format!("{} ({})", lang.t("net_payment"), lang.t("per_year")), true));
    s.push_str("</tr></thead><tbody>");
    let mut order: Vec<usize> = (0..p.inst.n()).collect();
    order.sort_by(|&a, &b| {
        area_name(r, p, ev.units[a].hub).cmp(&area_name(r, p, ev.units[b].hub)).then(ev.units[b].net_payment.total_cmp(&ev.units[a].net_payment)).then(a.cmp(&b))
    });
    let money = |s: &mut String, vals: &[f64]| {
        for v in vals {
            s.push_str(&ncell(&lang.eur(*v, 0), *v));
        }
    };
    let mut tot = [0.0f64; 5];
    let mut sub = [0.0f64; 5];
    let mut k = 0;
    while k < order.len() {
        let hub = ev.units[order[k]].hub;
        sub.iter_mut().for_each(|x| *x = 0.0);
        while k < order.len() && ev.units[order[k]].hub == hub {
            let i = order[k];
            let (u, f) = (&p.inst.units[i], &ev.units[i]);
            let _ = write!(s, "<tr data-code=\"{}\"><td>{}</td><td>{}</td><td>{}</td>", esc(&u.code), esc(&u.code), esc(&u.name), esc(&area_name(r, p, hub)));
            s.push_str(&ncell(&lang.num(u.values[key], 0), u.values[key]));
            s.push_str(&ncell(&lang.pct(100.0 * f.share, 1), f.share));
            let vals = [f.funding, f.cost_share, f.equalisation_share, f.central_cost, f.net_payment];
            for (t, v) in vals.iter().enumerate() {
                sub[t] += v;
                tot[t] += v;
            }
            money(&mut s, &vals[..3]);
            if central {
                money(&mut s, &vals[3..4]);
            }
            money(&mut s, &vals[4..]);
            s.push_str("</tr>");
            k += 1;
        }
        let _ = write!(s, "<tr class=\"subtotal\"><td></td><td>{}: {}</td><td></td><td></td><td></td>", esc(lang.t("total")), esc(&area_name(r, p, hub)));
        money(&mut s, &sub[..3]);
        if central {
            money(&mut s, &sub[3..4]);
        }
        money(&mut s, &sub[4..]);
        s.push_str("</tr>");
    }
    let _ = write!(s, "<tr class=\"total\"><td></td><td>{}</td><td></td>", esc(lang.t("total")));
    let ksum: f64 = p.inst.units.iter().map(|u| u.values[key]).sum();
    s.push_str(&ncell(&lang.num(ksum, 0), ksum));
    s.push_str("<td></td>");
    money(&mut s, &tot[..3]);
    if central {
        money(&mut s, &tot[3..4]);
    }
    money(&mut s, &tot[4..]);
    s.push_str("</tr></tbody></table>");
    let _ = write!(s, "<p class=\"note\">{}</p>", esc(lang.t("net_note")));
    s
}

/// The scenario's parameters: value, default and source; changed values in bold.
pub fn parameters_table(lang: Lang, sc: &crate::Scenario) -> String {
    let defaults = crate::Scenario::preset(&sc.preset).unwrap_or_default().table();
    let default_of: BTreeMap<String, String> = defaults.into_iter().collect();
    let mut s = format!("<table class=\"parameters\" id=\"parameters\"><thead><tr>{}{}{}{}</tr></thead><tbody>", th(lang.t("parameter"), false), th(lang.t("value"), true), th(lang.t("default"), true), th(lang.t("source"), false));
    // Numbers in the language's format; codes such as "091" stay as written.
    let show = |k: &str, v: &str| -> String {
        let code_like = v.len() > 1 && v.starts_with('0') && v.as_bytes()[1].is_ascii_digit();
        match v {
            "true" => return lang.t("yes").to_string(),
            "false" => return lang.t("no").to_string(),
            "none" | "[]" => return "–".to_string(),
            _ => {}
        }
        match v.parse::<f64>() {
            Ok(x) if !code_like && !matches!(k, "data_year" | "provincial_lead") => auto(lang, x),
            _ => v.to_string(),
        }
    };
    for (k, v) in sc.table() {
        let d = default_of.get(&k).cloned().unwrap_or_else(|| "–".into());
        let changed = d != v;
        let _ = write!(s, "<tr{}><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>", if changed { " class=\"changed\"" } else { "" },
            esc(&k), esc(&show(&k, &v)), esc(&if d == "–" { d.clone() } else { show(&k, &d) }), esc(lang.source(&k).unwrap_or("")));
    }
    s.push_str("</tbody></table>");
    s
}

fn violations_list(lang: Lang, r: &RunResult) -> String {
    let Some(v) = &r.validation else { return String::new() };
    if v.violations.is_empty() {
        return String::new();
    }
    let mut s = format!("<table class=\"violations\"><thead><tr>{}{}</tr></thead><tbody>", th(lang.t("constraint"), false), th(lang.t("detail"), false));
    for x in &v.violations {
        let _ = write!(s, "<tr><td>{}</td><td>{}</td></tr>", esc(&lang.constraint(x.constraint)), esc(&x.detail));
    }
    s.push_str("</tbody></table>");
    s
}

/// A partition compared with the report's own.
pub struct Comparison<'a> {
    /// What it is called (the file name).
    pub label: String,
    /// Its figures under the same scenario.
    pub result: &'a RunResult,
}

/// The whole report of one partition, optionally compared with another.
pub fn render(lang: Lang, r: &RunResult, p: &Problem, compare: Option<&Comparison>) -> String {
    let inst = p.inst;
    let ev = r.evaluation.as_ref();
    let title = format!("{} – {}", lang.t("title"), inst.name);
    let mut s = page_start(lang, &title);
    let _ = write!(s, "<header><h1>{}</h1><p>{}: <b>{}</b></p></header>", esc(lang.t("title")), esc(lang.t("instance")), esc(&inst.name));
    s.push_str(&facts(lang, r, p));
    s.push_str(&violations_list(lang, r));
    let Some(ev) = ev else {
        s.push_str(&page_end(lang, inst.employment));
        return s;
    };
    let width = if compare.is_some() { MAP_WIDTH } else { MAP_WIDTH * 1.25 };
    let shapes = Shapes::new(inst, width, 0.35);
    let colours = map::area_colours(inst, &ev.hub_of);
    let labels = inst.n() <= 60;
    let _ = write!(s, "<h2>{}</h2><div class=\"maps\"><figure>", esc(lang.t("map")));
    let main_title = if compare.is_some() { lang.t("this_solution").to_string() } else { String::new() };
    s.push_str(&map::render(inst, &shapes, &ev.hub_of, &colours, &r.area_names, lang, &MapOptions { id: "map-main".into(), title: main_title, labels, legend: true, standalone: false }));
    s.push_str("</figure>");
    let mut compare_colours = BTreeMap::new();
    if let Some(c) = compare {
        if let Some(cev) = &c.result.evaluation {
            compare_colours = map::matched_colours(inst, &colours, &ev.hub_of, &cev.hub_of);
            s.push_str("<figure>");
            s.push_str(&map::render(inst, &shapes, &cev.hub_of, &compare_colours, &c.result.area_names, lang, &MapOptions { id: "map-compare".into(), title: c.label.clone(), labels, legend: true, standalone: false }));
            s.push_str("</figure>");
        }
    }
    s.push_str("</div>");
    let _ = write!(s, "<h2>{}</h2>", esc(lang.t("areas")));
    s.push_str(&areas_table(lang, r, p, ev, &colours, "areas"));
    let _ = write!(s, "<h2>{}</h2>", esc(lang.t("municipalities")));
    s.push_str(&municipalities_table(lang, r, p, ev, "municipalities"));
    if let Some(c) = compare {
        s.push_str(&comparison(lang, r, p, ev, c, &colours, &compare_colours));
    }
    let _ = write!(s, "<h2>{}</h2>", esc(lang.t("parameters")));
    s.push_str(&parameters_table(lang, p.sc));
    s.push_str(&page_end(lang, inst.employment));
    s
}

fn comparison(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, c: &Comparison, main_colours: &BTreeMap<usize, String>, colours: &BTreeMap<usize, String>) -> String {
    let mut s = format!("<h2>{}: {}</h2>", esc(lang.t("compare")), esc(&c.label));
    let cr = c.result;
    let _ = write!(s, "<p>{}: <span class=\"status-{}\" id=\"compare-status\">{}</span></p>", esc(lang.t("status")), cr.status.as_str(), esc(status_word(lang, cr.status)));
    s.push_str(&violations_list(lang, cr));
    let Some(cev) = &cr.evaluation else { return s };
    // Terms.
    let _ = write!(s, "<table id=\"compare-terms\"><thead><tr>{}{}{}{}</tr></thead><tbody>", th(lang.t("terms"), false), th(lang.t("this_solution"), true), th(&c.label, true), th(&format!("{} ({} − {})", lang.t("difference"), c.label, lang.t("this_solution")), true));
    let rows = [
        ("travel", ev.terms.travel, cev.terms.travel),
        ("equalisation", ev.terms.equalisation, cev.terms.equalisation),
        ("production", ev.terms.production, cev.terms.production),
        ("central", ev.terms.central, cev.terms.central),
        ("objective", ev.objective, cev.objective),
    ];
    for (k, a, b) in rows {
        let d = b - a;
        let _ = write!(s, "<tr{} data-term=\"{k}\"><td>{}</td>{}{}", if k == "objective" { " class=\"total\"" } else { "" }, esc(lang.t(k)), ncell(&lang.eur(a, 0), a), ncell(&lang.eur(b, 0), b));
        let _ = write!(s, "{}</tr>", ncell(&lang.eur(d, 0), d).replacen("class=\"n\"", &format!("class=\"n {}\"", if d > 0.5 { "pos" } else if d < -0.5 { "neg" } else { "" }), 1));
    }
    s.push_str("</tbody></table>");
    // Moves, by matched areas.
    let matching = map::match_areas(p.inst, &ev.hub_of, &cev.hub_of);
    let moved: Vec<usize> = (0..p.inst.n()).filter(|&i| matching.get(&cev.hub_of[i]).copied().flatten() != Some(ev.hub_of[i])).collect();
    let _ = write!(s, "<h2>{}</h2>", esc(lang.t("moves")));
    if moved.is_empty() {
        let _ = write!(s, "<p id=\"moves\">{}</p>", esc(lang.t("no_moves")));
    } else {
        let _ = write!(s, "<table id=\"moves\"><thead><tr>{}{}{}</tr></thead><tbody>", th(lang.t("municipality"), false), th(lang.t("from_area"), false), th(lang.t("to_area"), false));
        for &i in &moved {
            let _ = write!(s, "<tr data-code=\"{}\"><td>{}</td><td><span class=\"sw\" style=\"background:{}\"></span>{}</td><td><span class=\"sw\" style=\"background:{}\"></span>{}</td></tr>",
                esc(&p.inst.units[i].code), esc(&p.inst.units[i].name), colours.get(&cev.hub_of[i]).map(String::as_str).unwrap_or("#ccc"), esc(&area_name(cr, p, cev.hub_of[i])),
                main_colours.get(&ev.hub_of[i]).map(String::as_str).unwrap_or("#ccc"), esc(&area_name(r, p, ev.hub_of[i])));
        }
        s.push_str("</tbody></table>");
    }
    // Net payment per municipality.
    let _ = write!(s, "<h2>{}</h2><table class=\"sortable\" id=\"compare-municipalities\"><thead><tr>{}{}{}{}{}</tr></thead><tbody>", esc(lang.t("net_diff")),
        th(lang.t("municipality"), false), th(lang.t("area"), false),
        th(&format!("{}: {}", lang.t("net_payment"), lang.t("this_solution")), true), th(&format!("{}: {}", lang.t("net_payment"), c.label), true), th(lang.t("difference"), true));
    let mut order: Vec<usize> = (0..p.inst.n()).collect();
    order.sort_by(|&a, &b| (cev.units[b].net_payment - ev.units[b].net_payment).total_cmp(&(cev.units[a].net_payment - ev.units[a].net_payment)).then(a.cmp(&b)));
    let (mut ta, mut tb) = (0.0, 0.0);
    for i in order {
        let (a, b) = (ev.units[i].net_payment, cev.units[i].net_payment);
        ta += a;
        tb += b;
        let _ = write!(s, "<tr data-code=\"{}\"><td>{}</td><td>{}</td>{}{}{}</tr>", esc(&p.inst.units[i].code), esc(&p.inst.units[i].name), esc(&area_name(r, p, ev.hub_of[i])),
            ncell(&lang.eur(a, 0), a), ncell(&lang.eur(b, 0), b), ncell(&lang.eur(b - a, 0), b - a));
    }
    let _ = write!(s, "<tr class=\"total\"><td>{}</td><td></td>{}{}{}</tr></tbody></table>", esc(lang.t("total")), ncell(&lang.eur(ta, 0), ta), ncell(&lang.eur(tb, 0), tb), ncell(&lang.eur(tb - ta, 0), tb - ta));
    s
}
