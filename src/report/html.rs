//! The report of one partition as a self-contained HTML page: status, map, per-area and
//! per-municipality tables, the scenario's parameters with their sources and, with a second
//! partition, the comparison (maps side by side, differences per term and municipality, moves).
//! Every figure cell carries its exact value in `data-value` so that tools and tests can read it.
//! The page is a maud template: every name, code and number is escaped by construction.

use super::lang::Lang;
use super::map::{self, MapOptions, Shapes};
use crate::instance::LABOUR_FORCE;
use crate::solution::Evaluation;
use crate::{Problem, RunResult, Status};
use std::collections::BTreeMap;
use maud::{html, Markup, PreEscaped, DOCTYPE};

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
pub fn ncell(text: &str, value: f64) -> Markup {
    ncell_class(text, value, "n")
}

/// As `ncell`, with another class (e.g. `n pos`).
fn ncell_class(text: &str, value: f64, class: &str) -> Markup {
    html! {
        @if value.is_finite() { td class=(class) data-value=(value) { (text) } } @else { td class=(class) { (text) } }
    }
}

/// A heading cell; a trailing `(unit)` goes on a line of its own.
fn th(text: &str, numeric: bool) -> Markup {
    let class = numeric.then_some("n");
    html! {
        th class=[class] {
            @match text.rsplit_once(" (") {
                Some((label, unit)) if unit.ends_with(')') => { (label) br; small { "(" (unit) } }
                _ => { (text) }
            }
        }
    }
}

/// The whole page around `body`: head with style, footer, the sorting script.
pub fn page(lang: Lang, title: &str, attribution: bool, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={"alue " (env!("CARGO_PKG_VERSION"))};
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (body)
                footer {
                    (lang.t("generated")) " " span { "alue " (env!("CARGO_PKG_VERSION")) }
                    @if attribution { ". " (lang.t("attribution")) " " span { "CC BY 4.0" } "." }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
    .into_string()
        + "\n"
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
pub fn facts(lang: Lang, r: &RunResult, p: &Problem) -> Markup {
    let unit = if p.sc.objective_unit() == "€/year" { lang.t("per_year").to_string() } else { p.sc.objective_unit() };
    let ev = r.evaluation.as_ref();
    html! {
        dl class="facts" {
            dt { (lang.t("status")) }
            dd { span class={"status-" (r.status.as_str())} id="status" data-status=(r.status.as_str()) { (status_word(lang, r.status)) } }
            @if let Some(ev) = ev {
                dt { (lang.t("objective")) }
                dd { span id="objective" data-value=(ev.objective) { (lang.eur(ev.objective, 0)) } " (" (unit) ")" }
            }
            dt { (lang.t("bound")) }
            dd { @if let Some(b) = r.bound { span id="bound" data-value=(b) { (lang.eur(b, 0)) } } @else { "–" } }
            dt { (lang.t("gap")) }
            dd { @if let Some(g) = r.gap { span id="gap" data-value=(g) { (lang.pct(100.0 * g, 4)) } } @else { "–" } }
            @if r.seconds > 0.0 {
                dt { (lang.t("solve_time")) }
                dd { (lang.unit(r.seconds, 2, "s")) }
            }
            dt { (lang.t("data_year")) }
            dd { (p.sc.data_year) }
            @if let Some(ev) = ev {
                dt { (lang.t("number_of_areas")) }
                dd { (ev.areas.len()) }
            }
            dt { (lang.t("share_key")) }
            dd { (key_label(lang, &p.sc.cost_share_key)) }
            @if let Some(v) = &r.validation {
                dt { (lang.t("validated")) }
                dd { (if v.is_feasible() { lang.t("yes") } else { lang.t("no") }) }
            }
        }
    }
}

/// A colour swatch.
fn swatch(colour: Option<&String>) -> Markup {
    html! { span class="sw" style={"background:" (colour.map(String::as_str).unwrap_or("#ccc"))} {} }
}

/// Per-area table with totals.
fn areas_table(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, colours: &BTreeMap<usize, String>, id: &str) -> Markup {
    let heads = [("area", false), ("hub", false), ("members", false), ("labour_force", true), ("jobseekers", true), ("advisers", true), ("travel", true), ("production_cost", true), ("funding", true), ("equalisation", true)];
    let label = |h: &str, n: bool| if n && !matches!(h, "labour_force" | "jobseekers" | "advisers") { format!("{} ({})", lang.t(h), lang.t("per_year")) } else { lang.t(h).to_string() };
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
    let vals = |a: &crate::solution::AreaFigures| [a.labour_force, a.jobseekers, a.advisers, a.travel, a.production_cost, a.funding, a.equalisation];
    let mut tot = [0.0f64; 7];
    for a in &areas {
        vals(a).iter().enumerate().for_each(|(k, v)| tot[k] += v);
    }
    html! {
        table class="sortable areas" id=(id) {
            thead { tr { @for (h, n) in heads { (th(&label(h, n), n)) } } }
            tbody {
                @for a in &areas {
                    @let members: Vec<String> = a.members.iter().map(|&i| p.inst.units[i].name.clone()).collect();
                    tr data-area=(p.inst.units[a.hub].code) {
                        td { (swatch(colours.get(&a.hub))) (area_name(r, p, a.hub)) }
                        td { (p.inst.units[a.hub].name) }
                        td class="members" { (members.join(", ")) }
                        @for (k, v) in vals(a).iter().enumerate() { (cell(k, *v)) }
                    }
                }
                tr class="total" {
                    td { (lang.t("total")) } td {} td {}
                    @for (k, v) in tot.iter().enumerate() { (cell(k, *v)) }
                }
            }
        }
    }
}

/// Money cells of a municipality row: funding, cost share, equalisation share, central (when
/// any unit bears it), net payment.
fn money(lang: Lang, vals: &[f64; 5], central: bool) -> Markup {
    html! {
        @for (t, v) in vals.iter().enumerate() {
            @if t != 3 || central { (ncell(&lang.eur(*v, 0), *v)) }
        }
    }
}

/// Per-municipality money table: grouped by area, largest net payment first, subtotals and total.
fn municipalities_table(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, id: &str) -> Markup {
    let key = key_index(p);
    let central = ev.units.iter().any(|u| u.central_cost != 0.0);
    let yearly = |h: &str| format!("{} ({})", lang.t(h), lang.t("per_year"));
    let mut order: Vec<usize> = (0..p.inst.n()).collect();
    order.sort_by(|&a, &b| {
        area_name(r, p, ev.units[a].hub).cmp(&area_name(r, p, ev.units[b].hub)).then(ev.units[b].net_payment.total_cmp(&ev.units[a].net_payment)).then(a.cmp(&b))
    });
    // Runs of one area in `order`.
    let mut groups: Vec<&[usize]> = Vec::new();
    let mut k = 0;
    while k < order.len() {
        let end = (k..order.len()).find(|&e| ev.units[order[e]].hub != ev.units[order[k]].hub).unwrap_or(order.len());
        groups.push(&order[k..end]);
        k = end;
    }
    let vals = |i: usize| {
        let f = &ev.units[i];
        [f.funding, f.cost_share, f.equalisation_share, f.central_cost, f.net_payment]
    };
    let sum = |is: &[usize]| is.iter().fold([0.0f64; 5], |mut acc, &i| {
        vals(i).iter().enumerate().for_each(|(t, v)| acc[t] += v);
        acc
    });
    let ksum: f64 = p.inst.units.iter().map(|u| u.values[key]).sum();
    html! {
        table class="sortable municipalities" id=(id) {
            thead { tr {
                (th(lang.t("code"), false)) (th(lang.t("municipality"), false)) (th(lang.t("area"), false))
                (th(&key_label(lang, &p.sc.cost_share_key), true)) (th(lang.t("share"), true))
                @for h in ["funding", "cost_share", "equalisation"] { (th(&yearly(h), true)) }
                @if central { (th(&yearly("central"), true)) }
                (th(&yearly("net_payment"), true))
            } }
            tbody {
                @for g in &groups {
                    @let hub = ev.units[g[0]].hub;
                    @for &i in g.iter() {
                        @let u = &p.inst.units[i];
                        tr data-code=(u.code) {
                            td { (u.code) } td { (u.name) } td { (area_name(r, p, hub)) }
                            (ncell(&lang.num(u.values[key], 0), u.values[key]))
                            (ncell(&lang.pct(100.0 * ev.units[i].share, 1), ev.units[i].share))
                            (money(lang, &vals(i), central))
                        }
                    }
                    tr class="subtotal" {
                        td {} td { (lang.t("total")) ": " (area_name(r, p, hub)) } td {} td {} td {}
                        (money(lang, &sum(g), central))
                    }
                }
                tr class="total" {
                    td {} td { (lang.t("total")) } td {}
                    (ncell(&lang.num(ksum, 0), ksum))
                    td {}
                    (money(lang, &sum(&order), central))
                }
            }
        }
        p class="note" { (lang.t("net_note")) }
    }
}

/// The scenario's parameters: value, default and source; changed values in bold.
pub fn parameters_table(lang: Lang, sc: &crate::Scenario) -> Markup {
    let defaults = crate::Scenario::preset(&sc.preset).unwrap_or_default().table();
    let default_of: BTreeMap<String, String> = defaults.into_iter().collect();
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
    html! {
        table class="parameters" id="parameters" {
            thead { tr { (th(lang.t("parameter"), false)) (th(lang.t("value"), true)) (th(lang.t("default"), true)) (th(lang.t("source"), false)) } }
            tbody {
                @for (k, v) in sc.table() {
                    @let d = default_of.get(&k).cloned().unwrap_or_else(|| "–".into());
                    tr class=[(d != v).then_some("changed")] {
                        td { (k) }
                        td class="n" { (show(&k, &v)) }
                        td class="n" { (if d == "–" { d.clone() } else { show(&k, &d) }) }
                        td { (lang.source(&k).unwrap_or("")) }
                    }
                }
            }
        }
    }
}

pub fn violations_list(lang: Lang, r: &RunResult) -> Markup {
    let Some(v) = r.validation.as_ref().filter(|v| !v.violations.is_empty()) else { return html! {} };
    html! {
        table class="violations" {
            thead { tr { (th(lang.t("constraint"), false)) (th(lang.t("detail"), false)) } }
            tbody { @for x in &v.violations { tr { td { (lang.constraint(x.constraint)) } td { (x.detail) } } } }
        }
    }
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
    let title = format!("{} – {}", lang.t("title"), inst.name);
    let body = html! {
        header { h1 { (lang.t("title")) } p { (lang.t("instance")) ": " b { (inst.name) } } }
        (facts(lang, r, p))
        (violations_list(lang, r))
        @if let Some(ev) = r.evaluation.as_ref() { (partition_sections(lang, r, p, ev, compare)) }
    };
    page(lang, &title, inst.employment, body)
}

/// The parts of a report with a partition, each rendered once: the report page lays them out
/// one after another, and the workbench swaps them into its page as fragments, so the two cannot
/// disagree.
pub struct Sections {
    /// Status, objective, bound, gap and the other facts.
    pub facts: Markup,
    /// The validator's violations (empty markup when there are none).
    pub violations: Markup,
    /// The partition's map.
    pub map: Markup,
    /// The compared partition's map, coloured to match.
    pub compare_map: Option<Markup>,
    /// The per-area table.
    pub areas: Markup,
    /// The per-municipality money table.
    pub municipalities: Markup,
    /// The comparison: terms, moves and net differences.
    pub compare: Option<Markup>,
    /// The scenario's parameters with their sources.
    pub parameters: Markup,
}

/// How the sections are drawn.
#[derive(Debug, Clone, Copy)]
pub struct Look {
    /// Language.
    pub lang: Lang,
    /// Area colours.
    pub palette: map::Palette,
    /// Width of one map, px.
    pub map_width: f64,
}

impl Look {
    /// The report's look: default colours, a wider map when there is no comparison.
    pub fn report(lang: Lang, comparing: bool) -> Look {
        Look { lang, palette: map::Palette::Distinct, map_width: if comparing { MAP_WIDTH } else { MAP_WIDTH * 1.25 } }
    }
}

/// Render every section of a partition's report (`ev` is `r`'s evaluation); `shapes` are the
/// projected shapes for `look.map_width` (None: computed here).
pub fn sections(look: Look, r: &RunResult, p: &Problem, ev: &Evaluation, compare: Option<&Comparison>, shapes: Option<&Shapes>) -> Sections {
    let (lang, inst) = (look.lang, p.inst);
    let own;
    let shapes = match shapes {
        Some(s) => s,
        None => {
            own = Shapes::new(inst, look.map_width, 0.35);
            &own
        }
    };
    let colours = map::area_colours_in(inst, &ev.hub_of, look.palette, &BTreeMap::new());
    let labels = inst.n() <= 60;
    let main_title = if compare.is_some() { lang.t("this_solution").to_string() } else { String::new() };
    let map = map::render(inst, shapes, &ev.hub_of, &colours, &r.area_names, lang, &MapOptions { id: "map-main".into(), title: main_title, labels, legend: true, standalone: false });
    let other = compare.and_then(|c| c.result.evaluation.as_ref().map(|cev| (c, cev)));
    let compare_colours = other.map(|(_, cev)| map::matched_colours_in(inst, &colours, &ev.hub_of, &cev.hub_of, look.palette)).unwrap_or_default();
    let compare_map = other.map(|(c, cev)| map::render(inst, shapes, &cev.hub_of, &compare_colours, &c.result.area_names, lang, &MapOptions { id: "map-compare".into(), title: c.label.clone(), labels, legend: true, standalone: false }));
    Sections {
        facts: facts(lang, r, p),
        violations: violations_list(lang, r),
        map,
        compare_map,
        areas: areas_table(lang, r, p, ev, &colours, "areas"),
        municipalities: municipalities_table(lang, r, p, ev, "municipalities"),
        compare: compare.map(|c| comparison(lang, r, p, ev, c, &colours, &compare_colours)),
        parameters: parameters_table(lang, p.sc),
    }
}

/// Maps, tables, the comparison and the parameters of a report with a partition.
fn partition_sections(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, compare: Option<&Comparison>) -> Markup {
    let s = sections(Look::report(lang, compare.is_some()), r, p, ev, compare, None);
    html! {
        h2 { (lang.t("map")) }
        div class="maps" {
            figure { (s.map) }
            @if let Some(m) = s.compare_map { figure { (m) } }
        }
        h2 { (lang.t("areas")) }
        (s.areas)
        h2 { (lang.t("municipalities")) }
        (s.municipalities)
        @if let Some(c) = s.compare { (c) }
        h2 { (lang.t("parameters")) }
        (s.parameters)
    }
}

fn comparison(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, c: &Comparison, main_colours: &BTreeMap<usize, String>, colours: &BTreeMap<usize, String>) -> Markup {
    let cr = c.result;
    html! {
        h2 { (lang.t("compare")) ": " (c.label) }
        p { (lang.t("status")) ": " span class={"status-" (cr.status.as_str())} id="compare-status" { (status_word(lang, cr.status)) } }
        (violations_list(lang, cr))
        @if let Some(cev) = &cr.evaluation {
            (compare_terms(lang, ev, cev, c))
            (moves(lang, r, p, ev, cr, cev, main_colours, colours))
            (net_differences(lang, r, p, ev, cev, c))
        }
    }
}

/// The objective's terms of both partitions and their difference.
fn compare_terms(lang: Lang, ev: &Evaluation, cev: &Evaluation, c: &Comparison) -> Markup {
    let rows = [
        ("travel", ev.terms.travel, cev.terms.travel),
        ("equalisation", ev.terms.equalisation, cev.terms.equalisation),
        ("production", ev.terms.production, cev.terms.production),
        ("central", ev.terms.central, cev.terms.central),
        ("objective", ev.objective, cev.objective),
    ];
    let diff_head = format!("{} ({} − {})", lang.t("difference"), c.label, lang.t("this_solution"));
    html! {
        table id="compare-terms" {
            thead { tr { (th(lang.t("terms"), false)) (th(lang.t("this_solution"), true)) (th(&c.label, true)) (th(&diff_head, true)) } }
            tbody {
                @for (k, a, b) in rows {
                    @let d = b - a;
                    tr class=[(k == "objective").then_some("total")] data-term=(k) {
                        td { (lang.t(k)) }
                        (ncell(&lang.eur(a, 0), a)) (ncell(&lang.eur(b, 0), b))
                        (ncell_class(&lang.eur(d, 0), d, if d > 0.5 { "n pos" } else if d < -0.5 { "n neg" } else { "n " }))
                    }
                }
            }
        }
    }
}

/// The municipalities that change area (areas matched by overlap).
#[allow(clippy::too_many_arguments)]
fn moves(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, cr: &RunResult, cev: &Evaluation, main_colours: &BTreeMap<usize, String>, colours: &BTreeMap<usize, String>) -> Markup {
    let matching = map::match_areas(p.inst, &ev.hub_of, &cev.hub_of);
    let moved: Vec<usize> = (0..p.inst.n()).filter(|&i| matching.get(&cev.hub_of[i]).copied().flatten() != Some(ev.hub_of[i])).collect();
    html! {
        h2 { (lang.t("moves")) }
        @if moved.is_empty() {
            p id="moves" { (lang.t("no_moves")) }
        } @else {
            table id="moves" {
                thead { tr { (th(lang.t("municipality"), false)) (th(lang.t("from_area"), false)) (th(lang.t("to_area"), false)) } }
                tbody {
                    @for &i in &moved {
                        tr data-code=(p.inst.units[i].code) {
                            td { (p.inst.units[i].name) }
                            td { (swatch(colours.get(&cev.hub_of[i]))) (area_name(cr, p, cev.hub_of[i])) }
                            td { (swatch(main_colours.get(&ev.hub_of[i]))) (area_name(r, p, ev.hub_of[i])) }
                        }
                    }
                }
            }
        }
    }
}

/// Every municipality's net payment under both partitions, largest increase first.
fn net_differences(lang: Lang, r: &RunResult, p: &Problem, ev: &Evaluation, cev: &Evaluation, c: &Comparison) -> Markup {
    let mut order: Vec<usize> = (0..p.inst.n()).collect();
    order.sort_by(|&a, &b| (cev.units[b].net_payment - ev.units[b].net_payment).total_cmp(&(cev.units[a].net_payment - ev.units[a].net_payment)).then(a.cmp(&b)));
    let ta: f64 = ev.units.iter().map(|u| u.net_payment).sum();
    let tb: f64 = cev.units.iter().map(|u| u.net_payment).sum();
    let eur = |x: f64| ncell(&lang.eur(x, 0), x);
    html! {
        h2 { (lang.t("net_diff")) }
        table class="sortable" id="compare-municipalities" {
            thead { tr {
                (th(lang.t("municipality"), false)) (th(lang.t("area"), false))
                (th(&format!("{}: {}", lang.t("net_payment"), lang.t("this_solution")), true))
                (th(&format!("{}: {}", lang.t("net_payment"), c.label), true))
                (th(lang.t("difference"), true))
            } }
            tbody {
                @for i in order {
                    @let (a, b) = (ev.units[i].net_payment, cev.units[i].net_payment);
                    tr data-code=(p.inst.units[i].code) {
                        td { (p.inst.units[i].name) } td { (area_name(r, p, ev.hub_of[i])) }
                        (eur(a)) (eur(b)) (eur(b - a))
                    }
                }
                tr class="total" { td { (lang.t("total")) } td {} (eur(ta)) (eur(tb)) (eur(tb - ta)) }
            }
        }
    }
}
