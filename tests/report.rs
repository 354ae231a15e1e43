//! End-to-end tests of `alue report`: the default solve compared with the real 2025 partition,
//! opened in headless Chromium (no console message, no network request, 30 shapes per map, one
//! colour per area, totals equal to solution.json); Finnish and English pages that differ only in
//! words and number format; the Finnish spreadsheet CSV dialect read back; the mainland report's size.

use assert_cmd::Command;
use regex::Regex;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod common;
use common::browser::{browse, chromium};

fn alue() -> Command {
    Command::cargo_bin("alue").unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> String {
    let o = alue().args(args).output().unwrap();
    assert!(o.status.success(), "alue {args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Solve the built-in instance into `dir` and write its report compared with the real partition.
fn default_report(dir: &Path, lang: &str, name: &str) -> (PathBuf, Value) {
    if !dir.join("solution.json").exists() {
        run(&["solve", "--out", dir.to_str().unwrap()]);
    }
    let out = dir.join(name);
    let partition = root().join("instances/pohjois-pohjanmaa/partition-2025.csv");
    run(&["report", dir.to_str().unwrap(), "--compare", partition.to_str().unwrap(), "--lang", lang, "--out", out.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("solution.json")).unwrap()).unwrap();
    (out, doc)
}

/// The `<svg id=...>…</svg>` element of a page.
fn svg<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\"")).unwrap_or_else(|| panic!("no svg {id}"));
    let end = start + html[start..].find("</svg>").unwrap();
    &html[start..end]
}

/// data-area → fills of the unit shapes of one map.
fn fills(map: &str) -> (usize, BTreeMap<String, BTreeSet<String>>) {
    let re = Regex::new(r#"<path class="unit" data-code="([^"]+)" data-area="([^"]+)" fill="([^"]+)""#).unwrap();
    let mut by_area: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut n = 0;
    for c in re.captures_iter(map) {
        n += 1;
        by_area.entry(c[2].to_string()).or_default().insert(c[3].to_string());
    }
    (n, by_area)
}

/// The data-value numbers of the `tr class="total"` row of table `id`.
fn total_row(html: &str, id: &str) -> Vec<f64> {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no table {id}"));
    let table = &html[start..start + html[start..].find("</table>").unwrap()];
    let row_start = table.find("<tr class=\"total\"").expect("a total row");
    let row = &table[row_start..row_start + table[row_start..].find("</tr>").unwrap()];
    Regex::new(r#"data-value="([^"]+)""#).unwrap().captures_iter(row).map(|c| c[1].parse().unwrap()).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn default_report_opens_in_chromium_with_its_totals() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("solve");
    let (page, doc) = default_report(&dir, "fi", "report.html");
    let html = std::fs::read_to_string(&page).unwrap();

    // Self-contained: nothing to fetch.
    for bad in ["<link", "src=", "@import", "url(", "href=\"http", "<iframe"] {
        assert!(!html.contains(bad), "the report refers to an outside resource: {bad}");
    }

    let Some(chromium) = chromium() else { return };
    // The harness sees console messages and requests: a page with both is caught.
    let bad = tmp.path().join("bad.html");
    std::fs::write(&bad, "<!DOCTYPE html><html><body><img src=\"http://192.0.2.1/x.png\"><script>console.error('boom'); undefinedFunction();</script></body></html>").unwrap();
    let b = browse(&chromium, &bad, tmp.path(), None);
    assert_eq!(b.console.len(), 2, "{:?}", b.console);
    assert_eq!(b.requests, vec!["http://192.0.2.1/x.png".to_string()]);

    let shot = tmp.path().join("report.png");
    let b = browse(&chromium, &page, tmp.path(), Some(&shot));
    assert!(b.console.is_empty(), "console messages: {:?}", b.console);
    assert!(b.requests.is_empty(), "network requests: {:?}", b.requests);
    assert!(std::fs::metadata(&shot).unwrap().len() > 20_000, "screenshot too small");
    if std::env::var_os("ALUE_SAVE_SCREENSHOT").is_some() {
        std::fs::copy(&shot, root().join("docs/report.png")).unwrap();
    }
    let dom = &b.dom;
    assert!(dom.contains("lang=\"fi\""));

    // Maps: one shape per municipality, one colour per area, different areas different colours.
    let areas = doc["number_of_areas"].as_u64().unwrap() as usize;
    let (n, by_area) = fills(svg(dom, "map-main"));
    assert_eq!(n, 30);
    assert_eq!(by_area.len(), areas);
    assert!(by_area.values().all(|f| f.len() == 1), "{by_area:?}");
    let distinct: BTreeSet<&String> = by_area.values().flatten().collect();
    assert_eq!(distinct.len(), areas);
    let assignment = doc["assignment"].as_object().unwrap();
    for hub in by_area.keys() {
        assert!(assignment.values().any(|h| h.as_str() == Some(hub)), "{hub} is no hub in solution.json");
    }
    let (n, by_area) = fills(svg(dom, "map-compare"));
    assert_eq!(n, 30);
    assert_eq!(by_area.len(), 4, "the real partition's four areas");
    assert!(by_area.values().all(|f| f.len() == 1));
    assert!(svg(dom, "map-main").contains("class=\"ferry\""), "Hailuoto's ferry link is drawn");

    // Totals equal solution.json.
    let terms = &doc["terms"];
    let t = |k: &str| terms[k].as_f64().unwrap();
    let a = total_row(dom, "areas");
    // labour force, jobseekers, advisers, travel, production, funding, equalisation
    assert_eq!(a.len(), 7);
    let areas_json = doc["areas"].as_array().unwrap();
    let sum = |k: &str| areas_json.iter().map(|x| x[k].as_f64().unwrap()).sum::<f64>();
    assert!(close(a[0], sum("labour_force")) && close(a[1], sum("jobseekers")) && close(a[2], sum("advisers_fte")));
    assert!(close(a[3], t("travel")), "{} vs {}", a[3], t("travel"));
    assert!(close(a[4], t("production")));
    assert!(close(a[5], sum("funding_eur_per_year")));
    assert!(close(a[6], t("equalisation")));
    let m = total_row(dom, "municipalities");
    // key total, funding, cost share, equalisation share, net payment
    assert_eq!(m.len(), 5);
    assert!(close(m[1], sum("funding_eur_per_year")) && close(m[2], t("production")) && close(m[3], t("equalisation")));
    assert!(close(m[4], t("production") + t("central") - sum("funding_eur_per_year")));
    let objective: f64 = Regex::new(r#"id="objective" data-value="([^"]+)""#).unwrap().captures(dom).unwrap()[1].parse().unwrap();
    assert!(close(objective, doc["objective"].as_f64().unwrap()));
    assert!(dom.contains(&format!("data-status=\"{}\"", doc["status"].as_str().unwrap())));
    // The comparison: the real partition breaks the threshold (Kuusamo + Taivalkoski), and its
    // terms' differences add up to the objectives' difference.
    assert!(dom.contains("id=\"compare-status\">ei käypä"));
    assert!(dom.contains("labour_force 8086 &lt; minimum 20000"), "the violated threshold is named");
    let diff = |term: &str| -> Vec<f64> {
        let start = dom.find(&format!("data-term=\"{term}\"")).unwrap();
        let row = &dom[start..start + dom[start..].find("</tr>").unwrap()];
        Regex::new(r#"data-value="([^"]+)""#).unwrap().captures_iter(row).map(|c| c[1].parse().unwrap()).collect()
    };
    let obj = diff("objective");
    assert!(close(obj[0], doc["objective"].as_f64().unwrap()));
    assert!(close(obj[2], obj[1] - obj[0]));
    let moved = Regex::new(r#"<tr data-code="(\d+)"><td>[^<]+</td><td><span class="sw""#).unwrap().captures_iter(dom).count();
    assert!(moved > 0 && moved < 30);
}

/// Numbers of a text as the language writes them, sign included.
fn numbers(text: &str, lang: &str) -> Vec<f64> {
    let re = if lang == "fi" { Regex::new(r"(−)?(?:€)?(\d+(?:\u{a0}\d{3})*(?:,\d+)?)").unwrap() } else { Regex::new(r"(−)?(?:€)?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)").unwrap() };
    re.captures_iter(text)
        .map(|c| {
            let digits = if lang == "fi" { c[2].replace('\u{a0}', "").replace(',', ".") } else { c[2].replace(',', "") };
            let x: f64 = digits.parse().unwrap();
            if c.get(1).is_some() { -x } else { x }
        })
        .collect()
}

/// Split a page into tags and the text between them.
fn tokens(html: &str) -> Vec<(bool, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if lt > 0 {
            out.push((false, rest[..lt].to_string()));
        }
        let gt = lt + rest[lt..].find('>').unwrap();
        out.push((true, rest[lt..=gt].to_string()));
        rest = &rest[gt + 1..];
    }
    if !rest.is_empty() {
        out.push((false, rest.to_string()));
    }
    out
}

#[test]
fn finnish_and_english_reports_differ_only_in_words_and_number_format() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("solve");
    let (fi, _) = default_report(&dir, "fi", "fi.html");
    let (en, _) = default_report(&dir, "en", "en.html");
    let (fi, en) = (std::fs::read_to_string(fi).unwrap(), std::fs::read_to_string(en).unwrap());
    let (tf, te) = (tokens(&fi), tokens(&en));
    assert_eq!(tf.len(), te.len(), "the same elements in both");
    let attr = Regex::new(r#" (lang|aria-label)="[^"]*""#).unwrap();
    let (mut words_differ, mut numbers_seen) = (0, 0);
    for ((is_tag, a), (_, b)) in tf.iter().zip(&te) {
        if *is_tag {
            assert_eq!(attr.replace_all(a, ""), attr.replace_all(b, ""), "tags differ");
            continue;
        }
        if a == b {
            continue;
        }
        let (na, nb) = (numbers(a, "fi"), numbers(b, "en"));
        assert_eq!(na, nb, "numbers differ: {a:?} vs {b:?}");
        numbers_seen += na.len();
        words_differ += 1;
    }
    assert!(numbers_seen > 300, "{numbers_seen}");
    assert!(words_differ > 50, "{words_differ}");
    // Finnish: € after the number with a no-break space and a decimal comma; English: € first.
    assert!(fi.contains("\u{a0}€") && fi.contains("0,57") && !fi.contains("€1"));
    assert!(en.contains("€1") && en.contains("0.57"));
}

#[test]
fn excel_dialect_is_written_and_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("solve");
    run(&["solve", "--csv", "excel-fi", "--out", dir.to_str().unwrap()]);
    let bytes = std::fs::read(dir.join("municipalities.csv")).unwrap();
    assert_eq!(&bytes[..3], &[0xef, 0xbb, 0xbf], "UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("code;name;hub;") && !header.contains(','));
    let row = text.lines().nth(1).unwrap();
    assert!(Regex::new(r";\d+,\d{2};").unwrap().is_match(row), "decimal comma: {row}");
    // The same file is a valid partition for alue evaluate: the optimum is found again.
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("solution.json")).unwrap()).unwrap();
    let out = tmp.path().join("eval");
    run(&["evaluate", "--partition", dir.join("municipalities.csv").to_str().unwrap(), "--no-compare", "--csv", "excel-fi", "--out", out.to_str().unwrap()]);
    let ev: Value = serde_json::from_str(&std::fs::read_to_string(out.join("solution.json")).unwrap()).unwrap();
    assert!(close(ev["objective"].as_f64().unwrap(), doc["objective"].as_f64().unwrap()));
    assert_eq!(ev["assignment"], doc["assignment"]);
}

#[test]
fn mainland_report_stays_small() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("finland");
    let inst = root().join("instances/finland");
    run(&["evaluate", inst.to_str().unwrap(), "--no-compare", "--out", dir.to_str().unwrap()]);
    let page = dir.join("report.html");
    run(&["report", dir.to_str().unwrap(), "--compare", inst.join("partition-2025.csv").to_str().unwrap(), "--lang", "en"]);
    let size = std::fs::metadata(&page).unwrap().len();
    assert!(size < 2_000_000, "{size} bytes");
    let html = std::fs::read_to_string(&page).unwrap();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("solution.json")).unwrap()).unwrap();
    let (n, by_area) = fills(svg(&html, "map-main"));
    assert_eq!(n, doc["assignment"].as_object().unwrap().len());
    assert_eq!(by_area.len(), doc["number_of_areas"].as_u64().unwrap() as usize);
    let distinct: BTreeSet<&String> = by_area.values().flatten().collect();
    assert_eq!(distinct.len(), by_area.len(), "every area its own colour");
    assert!(dir.join("map.svg").exists());
}

#[test]
fn report_errors_name_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let o = alue().args(["report", tmp.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("solution.json"));
    std::fs::write(tmp.path().join("solution.json"), "{\"status\": \"optimal\",\n \"scenario\": 3}").unwrap();
    let o = alue().args(["report", tmp.path().to_str().unwrap()]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("scenario"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!tmp.path().join("report.html").exists(), "no partial output");
}
