//! Broken boundary polygons are repaired or refused by name, never silently mis-adjacent: a ring
//! with a spike is repaired (and the adjacency computed from it equals that of the clean square),
//! a bow-tie, an unclosed ring and a hole outside its shell are refused with exit 2, the file, the
//! unit and the reason, and nothing is written.

use std::path::Path;
use std::process::Command;

const UNITS: &str = "code,name,population,labour_force,jobseekers,lat,lon
a,A,30000,14000,900,64.5,25.5
b,B,20000,9000,800,64.5,26.5
c,C,25000,12000,1000,65.5,25.5
d,D,15000,7000,500,65.5,26.5
";

/// A 1° square with its lower-left corner at (lon, lat), as a GeoJSON ring.
fn square(lon: f64, lat: f64) -> Vec<[f64; 2]> {
    vec![[lon, lat], [lon + 1.0, lat], [lon + 1.0, lat + 1.0], [lon, lat + 1.0], [lon, lat]]
}

fn ring_json(r: &[[f64; 2]]) -> String {
    format!("[{}]", r.iter().map(|p| format!("[{}, {}]", p[0], p[1])).collect::<Vec<_>>().join(", "))
}

/// A FeatureCollection of the four squares a b / c d, with unit `a`'s rings replaced by `a_rings`.
fn geojson(a_rings: &[Vec<[f64; 2]>]) -> String {
    let feats: Vec<String> = [("a", 25.0, 64.0), ("b", 26.0, 64.0), ("c", 25.0, 65.0), ("d", 26.0, 65.0)]
        .iter()
        .map(|&(code, lon, lat)| {
            let rings = if code == "a" { a_rings.iter().map(|r| ring_json(r)).collect::<Vec<_>>().join(", ") } else { ring_json(&square(lon, lat)) };
            format!("{{\"type\": \"Feature\", \"properties\": {{\"code\": \"{code}\"}}, \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": [{rings}]}}}}")
        })
        .collect();
    format!("{{\"type\": \"FeatureCollection\", \"features\": [{}]}}", feats.join(", "))
}

fn run(dir: &Path, geo: &str) -> std::process::Output {
    let inst = dir.join("inst");
    std::fs::create_dir_all(&inst).unwrap();
    std::fs::write(inst.join("units.csv"), UNITS).unwrap();
    std::fs::write(inst.join("boundaries.geojson"), geo).unwrap();
    Command::new(env!("CARGO_BIN_EXE_alue"))
        .args(["solve"])
        .arg(&inst)
        .args(["--set", "min.labour_force=10000", "--out"])
        .arg(dir.join("out"))
        .output()
        .unwrap()
}

fn edges_of(dir: &Path) -> Vec<(String, String)> {
    let inst = alue::Instance::load(Some(&dir.join("inst"))).unwrap();
    let mut e: Vec<(String, String)> = inst.edges.iter().map(|e| (inst.units[e.a].code.clone(), inst.units[e.b].code.clone())).collect();
    e.sort();
    e
}

#[test]
fn a_spike_is_repaired_and_adjacency_is_that_of_the_clean_square() {
    let clean = tempfile::tempdir().unwrap();
    assert!(run(clean.path(), &geojson(&[square(25.0, 64.0)])).status.success());
    // The same square with a spike out of its right side, into b: (26, 64.5) → (26.5, 64.5) → back.
    let spiked = vec![[25.0, 64.0], [26.0, 64.0], [26.0, 64.5], [26.5, 64.5], [26.0, 64.5], [26.0, 65.0], [25.0, 65.0], [25.0, 64.0]];
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &geojson(&[spiked]));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let expect = vec![("a".to_string(), "b".to_string()), ("a".into(), "c".into()), ("b".into(), "d".into()), ("c".into(), "d".into())];
    assert_eq!(edges_of(clean.path()), expect);
    assert_eq!(edges_of(dir.path()), expect);
}

fn refused(a_rings: &[Vec<[f64; 2]>], expect: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &geojson(a_rings));
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for e in ["boundaries.geojson", "unit `a`"].iter().chain(expect) {
        assert!(err.contains(e), "expected `{e}` in: {err}");
    }
    assert!(!dir.path().join("out").exists(), "output written despite the error");
}

#[test]
fn a_bow_tie_is_refused_by_name() {
    // The square's top edge crossed over: (25, 64) → (26, 64) → (25, 65) → (26, 65) → back.
    refused(&[vec![[25.0, 64.0], [26.0, 64.0], [25.0, 65.0], [26.0, 65.0], [25.0, 64.0]]], &["not valid", "intersect"]);
}

#[test]
fn an_unclosed_ring_is_refused_by_name() {
    refused(&[vec![[25.0, 64.0], [26.0, 64.0], [26.0, 65.0], [25.0, 65.0]]], &["not closed"]);
}

#[test]
fn a_hole_outside_its_shell_is_refused_by_name() {
    let hole = vec![[27.5, 64.2], [27.7, 64.2], [27.7, 64.4], [27.5, 64.4], [27.5, 64.2]];
    refused(&[square(25.0, 64.0), hole], &["not valid", "interior ring"]);
}
