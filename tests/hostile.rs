//! Escaping everywhere: an instance whose municipality names, area names, folder name and sweep
//! axis values hold `<script>`, an `onerror` image, `&`, both quotes, a CDATA breaker and
//! right-to-left text. In report.html, map.svg, the comparison report and the sweep report each
//! name comes back from headless Chromium's DOM as one text node (its escaped text is there, and
//! no element was made of it), and Chromium logs no console message (so no script ran) and makes
//! no network request.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::browser::{browse, chromium};

/// Names that would run a script, make a request or break the markup if not escaped.
const HOSTILE: &[&str] = &[
    "<script>console.log('PWNED-1')</script>",
    "<img src=\"http://example.invalid/x.png\" onerror=\"console.log('PWNED-2')\">",
    "Tom & Jerry \"quoted\" 'single'",
    "\u{202e}lapsuoR\u{202c} مدينة",
    "]]><svg onload=\"console.log('PWNED-5')\"></svg>",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn alue(args: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_alue")).args(args).output().unwrap();
    assert!(o.status.success(), "alue {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// Text as the DOM serialiser writes a text node (`&`, `<`, `>` escaped; no-break spaces too).
fn as_text_node(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\u{a0}', "&nbsp;")
}

/// The built-in instance copied under a hostile folder name, with hostile names on the first
/// units (CSV written by the csv crate, so quotes and commas are quoted), and a 2025 partition
/// whose area names are hostile.
fn hostile_instance(dir: &Path) -> PathBuf {
    let inst = dir.join("inst <b>&\"'");
    std::fs::create_dir_all(&inst).unwrap();
    let src = root().join("instances/pohjois-pohjanmaa");
    for f in ["adjacency.csv", "boundaries.geojson", "SOURCES.md"] {
        std::fs::copy(src.join(f), inst.join(f)).unwrap();
    }
    let mut rd = csv::Reader::from_path(src.join("units.csv")).unwrap();
    let header = rd.headers().unwrap().clone();
    let name_col = header.iter().position(|h| h == "name").unwrap();
    let mut w = csv::Writer::from_path(inst.join("units.csv")).unwrap();
    w.write_record(&header).unwrap();
    for (k, r) in rd.records().enumerate() {
        let r = r.unwrap();
        let row: Vec<String> = r.iter().enumerate().map(|(c, v)| if c == name_col && k < HOSTILE.len() { HOSTILE[k].to_string() } else { v.to_string() }).collect();
        w.write_record(&row).unwrap();
    }
    w.flush().unwrap();
    let mut rd = csv::Reader::from_path(src.join("partition-2025.csv")).unwrap();
    let mut w = csv::Writer::from_path(dir.join("plan.csv")).unwrap();
    w.write_record(["code", "area", "hub"]).unwrap();
    let mut areas: Vec<String> = Vec::new();
    for r in rd.records() {
        let r = r.unwrap();
        if !areas.contains(&r[1].to_string()) {
            areas.push(r[1].to_string());
        }
        let k = areas.iter().position(|a| a == &r[1]).unwrap();
        w.write_record([&r[0], &format!("{} {}", HOSTILE[k % HOSTILE.len()], k), &r[2]]).unwrap();
    }
    w.flush().unwrap();
    inst
}

/// Load `page` in Chromium and check every hostile name came back as text, nothing ran and
/// nothing was fetched; `names` are the names the page must show.
fn check_page(chromium: &Path, page: &Path, work: &Path, names: &[String]) {
    let b = browse(chromium, page, work, None);
    assert!(b.console.is_empty(), "{}: console messages (a script ran?): {:?}", page.display(), b.console);
    assert!(b.requests.is_empty(), "{}: network requests: {:?}", page.display(), b.requests);
    for n in names {
        assert!(b.dom.contains(&as_text_node(n)), "{}: `{n}` is not in the page as text", page.display());
    }
    for bad in ["<script>console", "<img src=\"http://example.invalid", "<svg onload"] {
        assert!(!b.dom.contains(bad), "{}: `{bad}` became an element", page.display());
    }
}

#[test]
fn hostile_names_stay_inert_text_in_every_page() {
    let Some(chromium) = chromium() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let inst = hostile_instance(tmp.path());
    let out = tmp.path().join("out");
    let (i, o) = (inst.to_str().unwrap(), out.to_str().unwrap());
    alue(&["solve", i, "--out", o, "--report", "--lang", "en"]);
    let names: Vec<String> = HOSTILE.iter().map(|s| s.to_string()).collect();
    let folder = inst.file_name().unwrap().to_string_lossy().to_string();
    // The report: every hostile municipality name (table rows and map labels) and the folder name.
    check_page(&chromium, &out.join("report.html"), tmp.path(), &[names.clone(), vec![folder.clone()]].concat());
    // map.svg alone (an XML document: a bad escape would not even parse).
    check_page(&chromium, &out.join("map.svg"), tmp.path(), &names);
    // The comparison with a partition whose area names are hostile.
    let cmp = tmp.path().join("compare.html");
    alue(&["report", o, "--compare", tmp.path().join("plan.csv").to_str().unwrap(), "--out", cmp.to_str().unwrap()]);
    let areas: Vec<String> = (0..4).map(|k| format!("{} {k}", HOSTILE[k])).collect();
    check_page(&chromium, &cmp, tmp.path(), &[names.clone(), areas].concat());
    // A sweep whose named-scenario axis has hostile names, and its report.
    let spec = tmp.path().join("spec.toml");
    let axis_names = ["<script>console.log('PWNED-6')</script>", "a & b \"c\""];
    std::fs::write(
        &spec,
        format!(
            "instance = {:?}\n[set]\ncontiguity = false\n[[axis]]\nname = \"hostile\"\nscenarios = [{{ name = {:?} }}, {{ name = {:?}, caseload = 120 }}]\n",
            inst.display().to_string(),
            axis_names[0],
            axis_names[1]
        ),
    )
    .unwrap();
    let sweep = tmp.path().join("sweep");
    alue(&["sweep", spec.to_str().unwrap(), "--out", sweep.to_str().unwrap(), "--quiet"]);
    let page = tmp.path().join("sweep.html");
    alue(&["report", sweep.to_str().unwrap(), "--out", page.to_str().unwrap()]);
    let mut expect = names.clone();
    expect.extend(axis_names.iter().map(|s| s.to_string()));
    check_page(&chromium, &page, tmp.path(), &expect);
}
