//! The workbench page: one maud template (escaping by construction) around the report's own
//! fragments, with its script, style and the map library embedded in the binary. The page asks
//! nothing of any host but its own (its Content-Security-Policy says so to the browser too).

use super::catalogue::{Catalogue, Entry};
use crate::report::html::{STYLE as REPORT_STYLE};
use crate::report::Lang;
use crate::scenario::params::{self, GROUPS};
use crate::Instance;
use maud::{html, Markup, DOCTYPE};

/// The page's script.
pub const SCRIPT: &str = include_str!("../../assets/workbench.js");
/// The page's own style (the report's style comes first).
pub const STYLE: &str = include_str!("../../assets/workbench.css");
/// svg-pan-zoom 3.6.2 (BSD-2-Clause, github.com/bumbu/svg-pan-zoom): pan and zoom of the map.
pub const PAN_ZOOM: &str = include_str!("../../assets/vendor/svg-pan-zoom.min.js");
/// Its licence.
pub const PAN_ZOOM_LICENSE: &str = include_str!("../../assets/vendor/svg-pan-zoom.LICENSE");

/// The report's style and the workbench's, as one file.
pub fn style() -> String {
    format!("{REPORT_STYLE}\n{STYLE}")
}

/// The years of data an instance carries: the base year and each `population_YEAR` column's.
pub fn years(inst: &Instance) -> Vec<u32> {
    let mut y = vec![crate::instance::BASE_YEAR];
    y.extend(inst.attributes.iter().filter_map(|a| a.strip_prefix("population_")).filter_map(|s| s.parse::<u32>().ok()));
    y.sort_unstable();
    y.dedup();
    y
}

/// The instance's attributes without the other years' columns (`population_2019`, …).
fn main_attributes(inst: &Instance) -> Vec<String> {
    let dated = |a: &str| a.rsplit_once('_').is_some_and(|(_, y)| y.len() == 4 && y.parse::<u32>().is_ok());
    inst.attributes.iter().filter(|a| !dated(a)).cloned().collect()
}

/// The workbench's own words, (Finnish, English).
fn w(lang: Lang, key: &str) -> &'static str {
    let (fi, en) = match key {
        "title" => ("Aluetyöpöytä", "Area workbench"),
        "instance" => ("Aineisto", "Instance"),
        "language" => ("Kieli", "Language"),
        "palette" => ("Värit", "Colours"),
        "distinct" => ("erottuvat", "distinct"),
        "colourblind" => ("värisokeille sopivat", "colour-blind safe"),
        "undo" => ("Kumoa", "Undo"),
        "redo" => ("Tee uudelleen", "Redo"),
        "optimise" => ("Optimoi", "Optimise"),
        "cancel" => ("Keskeytä", "Cancel"),
        "selected" => ("Valittu kunta", "Selected municipality"),
        "choose" => ("Valitse kunta", "Choose a municipality"),
        "move_to" => ("Siirrä alueelle", "Move to area"),
        "move" => ("Siirrä", "Move"),
        "new_area" => ("Uusi alue", "New area"),
        "lock" => ("Lukitse alueeseensa", "Lock in its area"),
        "make_hub" => ("Tee keskuskunnaksi", "Make it the hub"),
        "forbid_hub" => ("Kiellä keskuskuntana", "Forbid as hub"),
        "plans" => ("Tallennetut suunnitelmat", "Saved plans"),
        "plan_name" => ("Suunnitelman nimi", "Plan name"),
        "save" => ("Tallenna", "Save"),
        "compare_with" => ("Vertaa", "Compare with"),
        "nothing" => ("ei vertailua", "nothing"),
        "download" => ("Lataa", "Download"),
        "upload" => ("Tuo aluejako (CSV)", "Upload a partition (CSV)"),
        "parameters" => ("Parametrit", "Parameters"),
        "reset" => ("oletus", "default"),
        "status" => ("Tila", "Status"),
        "shortcuts" => ("Näppäimet: z kumoa, Z tee uudelleen, l lukitse, h keskuskunnaksi, f kiellä keskuskuntana, n uusi alue, o optimoi, Esc keskeytä; kartalla vieritys zoomaa ja vetäminen siirtää.",
                        "Keys: z undo, Z redo, l lock, h make hub, f forbid hub, n new area, o optimise, Esc cancel; on the map, scroll zooms and dragging pans."),
        "server_file" => ("palvelimen tiedosto: aseta komentorivillä", "a file on the server: set it on the command line"),
        "licence" => ("Kartan zoomaus: svg-pan-zoom (BSD-2-Clause)", "Map zoom: svg-pan-zoom (BSD-2-Clause)"),
        "thresholds" => ("Kynnysarvot", "Thresholds"),
        "staffing_costs" => ("Henkilöstö ja kustannukset", "Staffing and costs"),
        "funding" => ("Rahoitus", "Funding"),
        "travel" => ("Matkat", "Travel"),
        "areas_hubs" => ("Alueet ja keskuskunnat", "Areas and hubs"),
        "organiser_data" => ("Järjestämismalli ja aineisto", "Organiser model and data"),
        "solver" => ("Ratkaisija", "Solver"),
        _ => ("", ""),
    };
    if lang == Lang::Fi { fi } else { en }
}

/// The concrete keys of a group on `inst`: `min.ATTRIBUTE` and its kin become one key per
/// attribute the instance has.
fn keys(inst: &Instance, keys: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in keys {
        match k.strip_suffix(".ATTRIBUTE") {
            Some(table) => {
                for a in main_attributes(inst) {
                    let key = format!("{table}.{a}");
                    if !out.contains(&key) {
                        out.push(key);
                    }
                }
            }
            None => {
                if !out.iter().any(|o| o == k) {
                    out.push(k.to_string());
                }
            }
        }
    }
    out
}

/// What kind of input a key takes.
fn input(inst: &Instance, key: &str, lang: Lang) -> Markup {
    let id = format!("p-{key}");
    let select = |options: Vec<String>| html! {
        select id=(id) data-key=(key) data-kind="text" { @for o in options { option value=(o) { (o) } } }
    };
    match key {
        "contiguity" | "sea_edges" | "round_km" => html! { input type="checkbox" id=(id) data-key=(key) data-kind="bool"; },
        "preset" => select(crate::scenario::PRESETS.iter().map(|s| s.to_string()).collect()),
        "organiser" => select(crate::scenario::ORGANISERS.iter().map(|s| s.to_string()).collect()),
        "cost_share_key" => select(main_attributes(inst)),
        "travel_attribute" => select(std::iter::once("none".to_string()).chain(main_attributes(inst)).collect()),
        "data_year" => select(years(inst).iter().map(|y| y.to_string()).collect()),
        "distance_matrix" => html! { input type="text" id=(id) disabled title=(w(lang, "server_file")) placeholder=(w(lang, "server_file")); },
        "hubs_allowed" | "hubs_forced" | "hubs_forbidden" | "fixed" | "forbidden" | "provincial_lead" => html! { input type="text" id=(id) data-key=(key) data-kind="text" spellcheck="false"; },
        _ => html! { input type="text" inputmode="decimal" id=(id) data-key=(key) data-kind="number" spellcheck="false"; },
    }
}

/// The parameter panel: every parameter in its group, with default, unit and source; the script
/// fills in the plan's values and marks the changed ones.
fn parameter_panel(inst: &Instance, lang: Lang) -> Markup {
    let sc = crate::Scenario::default();
    html! {
        div id="params" {
            @for g in GROUPS {
                details open[g.id == "thresholds" || g.id == "staffing_costs"] data-group=(g.id) {
                    summary { (w(lang, g.id)) }
                    table class="params" {
                        tbody {
                            @for k in keys(inst, g.keys) {
                                @let generic = k.split_once('.').map(|(t, _)| format!("{t}.ATTRIBUTE"));
                                @let src = lang.source(&k).or_else(|| generic.as_deref().and_then(|g| lang.source(g))).unwrap_or("");
                                @let default = params::source(&k).map(|(d, _)| d.to_string()).unwrap_or_else(|| params::value_text(&sc, &k));
                                @let unit = params::unit(&k).to_string();
                                @let unit = if unit.is_empty() { generic.as_deref().map(params::unit).unwrap_or("").to_string() } else { unit };
                                tr data-row=(k) {
                                    td { label for={"p-" (k)} { code { (k) } } }
                                    td { (input(inst, &k, lang)) }
                                    td class="unit" { (unit) }
                                    td class="default" { (default) }
                                    td { button type="button" class="reset" data-reset=(k) title=(w(lang, "reset")) { "↺" } }
                                    td class="src" { (src) }
                                }
                                tr class="perr" data-error-for=(k) hidden { td colspan="6" {} }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The whole page for one instance.
pub fn render(catalogue: &Catalogue, e: &Entry, lang: Lang, token: Option<&str>) -> String {
    let q = |l: &str| match token {
        Some(t) => format!("?instance={}&lang={l}&token={t}", e.name),
        None => format!("?instance={}&lang={l}", e.name),
    };
    let mut units: Vec<(String, String)> = e.inst.units.iter().map(|u| (u.name.clone(), u.code.clone())).collect();
    units.sort();
    html! {
        (DOCTYPE)
        html lang=(lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                @if let Some(t) = token { meta name="alue-token" content=(t); }
                title { (w(lang, "title")) " – " (e.name) }
                link rel="stylesheet" href="/assets/workbench.css";
                link rel="icon" href="data:,";
            }
            body data-instance=(e.name) data-lang=(lang.code()) {
                (header_bar(catalogue, e, lang, &q))
                div class="bar tools" {
                    button type="button" id="undo" aria-keyshortcuts="z" { (w(lang, "undo")) }
                    button type="button" id="redo" aria-keyshortcuts="Shift+Z" { (w(lang, "redo")) }
                    button type="button" id="optimise" class="primary" aria-keyshortcuts="o" { (w(lang, "optimise")) }
                    button type="button" id="cancel" hidden { (w(lang, "cancel")) }
                    output id="progress" aria-live="polite" {}
                }
                main class="grid" {
                    section id="left" {
                        div id="maps" class="maps" { figure id="map-box" {} figure id="compare-map-box" hidden {} }
                        p class="note" { (w(lang, "shortcuts")) }
                    }
                    (side_panel(e, lang, &units))
                }
                h2 { (lang.t("areas")) }
                div id="areas" {}
                h2 { (lang.t("municipalities")) }
                div id="municipalities" {}
                div id="compare-box" {}
                h2 { (w(lang, "parameters")) }
                (parameter_panel(&e.inst, lang))
                footer { "alue " (env!("CARGO_PKG_VERSION")) ". " (w(lang, "licence")) ": " a href="/assets/LICENSES.txt" { "LICENSES.txt" } "." }
                script src="/assets/svg-pan-zoom.min.js" {}
                script src="/assets/workbench.js" {}
            }
        }
    }
    .into_string()
}

/// The top bar: title, instance, language and palette.
fn header_bar(catalogue: &Catalogue, e: &Entry, lang: Lang, q: &dyn Fn(&str) -> String) -> Markup {
    html! {
        header class="bar" {
            h1 { (w(lang, "title")) }
            label { (w(lang, "instance")) " "
                select id="instance" {
                    @for x in catalogue.all() {
                        option value=(x.name) selected[x.name == e.name] { (x.name) " (" (x.inst.n()) ")" }
                    }
                }
            }
            span class="langs" { (w(lang, "language")) ": "
                a id="lang-fi" href=(q("fi")) aria-current=[(lang == Lang::Fi).then_some("true")] { "suomi" } " · "
                a id="lang-en" href=(q("en")) aria-current=[(lang == Lang::En).then_some("true")] { "English" }
            }
            label { (w(lang, "palette")) " "
                select id="palette" {
                    option value="distinct" { (w(lang, "distinct")) }
                    option value="colourblind" { (w(lang, "colourblind")) }
                }
            }
        }
    }
}

/// The side panel: the selected unit's tools, the status, plans, comparison and files.
fn side_panel(e: &Entry, lang: Lang, units: &[(String, String)]) -> Markup {
    html! {
        aside id="side" {
            section {
                h2 { (w(lang, "selected")) }
                select id="unit" aria-label=(w(lang, "choose")) {
                    option value="" { "– " (w(lang, "choose")) " –" }
                    @for (name, code) in units { option value=(code) { (name) " (" (code) ")" } }
                }
                p id="sel-info" {}
                div class="row" {
                    select id="move-to" aria-label=(w(lang, "move_to")) {}
                    button type="button" id="move" { (w(lang, "move")) }
                    button type="button" id="new-area" aria-keyshortcuts="n" { (w(lang, "new_area")) }
                }
                div class="row" {
                    button type="button" id="lock" aria-pressed="false" aria-keyshortcuts="l" { (w(lang, "lock")) }
                    button type="button" id="make-hub" aria-keyshortcuts="h" { (w(lang, "make_hub")) }
                    button type="button" id="forbid-hub" aria-pressed="false" aria-keyshortcuts="f" { (w(lang, "forbid_hub")) }
                }
            }
            section {
                h2 { (w(lang, "status")) }
                p id="error" role="alert" hidden {}
                div id="facts" {}
                div id="violations" {}
            }
            section {
                h2 { (w(lang, "plans")) }
                div class="row" {
                    input type="text" id="plan-name" aria-label=(w(lang, "plan_name")) placeholder=(w(lang, "plan_name"));
                    button type="button" id="save" { (w(lang, "save")) }
                }
                ul id="plan-list" {}
                label { (w(lang, "compare_with")) " "
                    select id="compare" { option value="" { (w(lang, "nothing")) } @if e.partition_2025.is_some() { option value="2025" { (lang.t("partition_2025")) } } }
                }
                div class="row" { (w(lang, "download")) ": "
                    button type="button" data-download="partition.csv" { "partition.csv" }
                    button type="button" data-download="scenario.toml" { "scenario.toml" }
                    button type="button" data-download="report.html" { "report.html" }
                }
                label { (w(lang, "upload")) " " input type="file" id="upload" accept=".csv,text/csv"; }
            }
        }
    }
}
