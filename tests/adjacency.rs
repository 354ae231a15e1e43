//! Adjacency computed from the boundary polygons equals the shared adjacency files, pair by pair
//! (the instances' adjacency.csv are copies of them; ../shared/data is used too when present).

use alue::instance::{adjacency, Instance};
use std::collections::BTreeSet;
use std::path::Path;

fn pairs_of(inst: &Instance, edges: &[adjacency::Edge]) -> BTreeSet<(String, String)> {
    edges.iter().map(|e| {
        let (a, b) = (inst.units[e.a].code.clone(), inst.units[e.b].code.clone());
        if a < b { (a, b) } else { (b, a) }
    }).collect()
}

fn check(folder: &str, shared: &str) {
    let inst = Instance::load(Some(Path::new(folder))).unwrap();
    let computed = pairs_of(&inst, &adjacency::from_polygons(inst.boundaries.as_ref().unwrap()));
    let from_file = pairs_of(&inst, &inst.edges);
    let missing: Vec<_> = from_file.difference(&computed).collect();
    let extra: Vec<_> = computed.difference(&from_file).collect();
    assert!(missing.is_empty() && extra.is_empty(), "{folder}: not found from polygons {missing:?}; found but not in the file {extra:?}");
    let shared_path = Path::new("..").join("shared").join("data").join(shared);
    if let Ok(text) = std::fs::read_to_string(&shared_path) {
        let codes: Vec<String> = inst.units.iter().map(|u| u.code.clone()).collect();
        let mut rdr = csv::Reader::from_reader(text.as_bytes());
        let theirs: BTreeSet<(String, String)> = rdr.records().map(|r| r.unwrap()).filter(|r| codes.contains(&r[0].to_string()) && codes.contains(&r[1].to_string()))
            .map(|r| if r[0] < r[1] { (r[0].to_string(), r[1].to_string()) } else { (r[1].to_string(), r[0].to_string()) }).collect();
        assert_eq!(theirs, computed, "{folder}: differs from {}", shared_path.display());
    }
}

#[test]
fn pohjois_pohjanmaa_matches_shared_adjacency() {
    check("instances/pohjois-pohjanmaa", "adjacency.csv");
}

#[test]
fn finland_matches_shared_adjacency() {
    check("instances/finland", "adjacency_finland.csv");
}

#[test]
fn builtin_instance_has_the_sea_edges() {
    let inst = Instance::builtin().unwrap();
    assert_eq!(inst.n(), 30);
    assert_eq!(inst.edges.iter().filter(|e| e.sea_only).count(), 4);
    // Without sea edges Hailuoto (072) is isolated.
    let h = inst.unit("072").unwrap();
    let nb = adjacency::neighbours(inst.n(), &inst.edges, false);
    assert!(nb[h].is_empty());
}
