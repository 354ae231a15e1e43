//! Dual graphs in networkx's adjacency JSON (`nodes`, `adjacency`), as used by the US county
//! districting benchmarks: population `TOTPOP`, centre `C_X` (longitude) / `C_Y` (latitude), or
//! the Census internal point `INTPTLON10` / `INTPTLAT10` where a file lacks `C_X` / `C_Y`.

use super::units::Unit;
use super::Edge;
use crate::error::{Error, Result};
use serde_json::Value;
use std::collections::HashMap;

/// Units and edges read from a networkx adjacency JSON.
#[derive(Debug)]
pub struct Graph {
    /// The units (population as the only attribute that is not zero).
    pub units: Vec<Unit>,
    /// Adjacent pairs (i < j).
    pub edges: Vec<Edge>,
}

/// Population field names tried in order.
const POPULATION: [&str; 3] = ["TOTPOP", "POP10", "population"];

fn field<'a>(file: &str, k: usize, node: &'a Value, names: &[&str]) -> Result<&'a Value> {
    names.iter().find_map(|n| node.get(n)).ok_or_else(|| {
        Error::file(file, format!("nodes[{k}]: field `{}` is missing", names.join("` / `")))
    })
}

fn number(file: &str, k: usize, node: &Value, names: &[&str]) -> Result<f64> {
    let v = field(file, k, node, names)?;
    let x = match v {
        Value::Number(x) => x.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    match x {
        Some(x) if x.is_finite() => Ok(x),
        _ => Err(Error::file(file, format!("nodes[{k}]: field `{}`: `{v}` is not a finite number", names[0]))),
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(x) => Some(x.to_string()),
        _ => None,
    }
}

/// Parse the JSON text; `file` names it in errors. Units keep the file's node order; the code is
/// `GEOID10` when present, else the node `id`.
pub fn parse(file: &str, text_in: &str) -> Result<Graph> {
    let doc: Value = serde_json::from_str(text_in)
        .map_err(|e| Error::input(file, e.line(), "-", format!("not valid JSON: {e}")))?;
    let nodes = doc.get("nodes").and_then(Value::as_array).ok_or_else(|| Error::file(file, "no `nodes` array: expected networkx adjacency JSON (nodes, adjacency)"))?;
    let adjacency = doc.get("adjacency").and_then(Value::as_array).ok_or_else(|| Error::file(file, "no `adjacency` array: expected networkx adjacency JSON (nodes, adjacency)"))?;
    if nodes.is_empty() {
        return Err(Error::file(file, "the graph has no nodes"));
    }
    if adjacency.len() != nodes.len() {
        return Err(Error::file(file, format!("{} nodes but {} adjacency lists", nodes.len(), adjacency.len())));
    }
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut units = Vec::with_capacity(nodes.len());
    let mut seen_codes: HashMap<String, usize> = HashMap::new();
    for (k, node) in nodes.iter().enumerate() {
        let id = text(node.get("id")).ok_or_else(|| Error::file(file, format!("nodes[{k}]: field `id` is missing")))?;
        if index.insert(id.clone(), k).is_some() {
            return Err(Error::file(file, format!("nodes[{k}]: duplicate id `{id}`")));
        }
        let code = text(node.get("GEOID10")).unwrap_or_else(|| id.clone());
        if let Some(prev) = seen_codes.insert(code.clone(), k) {
            return Err(Error::file(file, format!("nodes[{k}]: code `{code}` repeats nodes[{prev}]")));
        }
        let name = text(node.get("NAME10")).or_else(|| text(node.get("NAME"))).unwrap_or_else(|| code.clone());
        let pop = number(file, k, node, &POPULATION)?;
        if pop < 0.0 {
            return Err(Error::file(file, format!("nodes[{k}]: field `TOTPOP`: negative population {pop}")));
        }
        if pop > super::units::MAX_ATTRIBUTE {
            return Err(Error::file(file, format!("nodes[{k}]: field `TOTPOP`: population {pop:e} is above {:e}", super::units::MAX_ATTRIBUTE)));
        }
        // The centre: C_X/C_Y, else the Census internal point INTPTLON10/INTPTLAT10 (MS has no C_X).
        let lon = number(file, k, node, &["C_X", "INTPTLON10"])?;
        let lat = number(file, k, node, &["C_Y", "INTPTLAT10"])?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(Error::file(file, format!("nodes[{k}]: C_X/C_Y ({lon}, {lat}) is not a longitude/latitude")));
        }
        units.push(Unit { code, name, lat, lon, values: vec![pop, 0.0, 0.0], text: Vec::new() });
    }
    let mut edges = Vec::new();
    for (k, list) in adjacency.iter().enumerate() {
        let list = list.as_array().ok_or_else(|| Error::file(file, format!("adjacency[{k}]: expected a list of neighbours")))?;
        for nb in list {
            let id = text(nb.get("id")).ok_or_else(|| Error::file(file, format!("adjacency[{k}]: a neighbour has no `id`")))?;
            let j = *index.get(&id).ok_or_else(|| Error::file(file, format!("adjacency[{k}]: neighbour id `{id}` is not a node")))?;
            if j != k {
                edges.push(Edge { a: k.min(j), b: k.max(j), sea_only: false });
            }
        }
    }
    edges.sort_by_key(|e| (e.a, e.b));
    edges.dedup_by_key(|e| (e.a, e.b));
    Ok(Graph { units, edges })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_nodes_and_symmetric_edges() {
        let t = r#"{"nodes":[{"id":0,"TOTPOP":5,"C_X":-100.0,"C_Y":40.0,"NAME10":"A"},{"id":1,"TOTPOP":7,"C_X":-101.0,"C_Y":40.5}],
                    "adjacency":[[{"id":1}],[{"id":0}]]}"#;
        let g = parse("g.json", t).unwrap();
        assert_eq!(g.units.len(), 2);
        assert_eq!(g.units[0].name, "A");
        assert_eq!(g.units[1].values[0], 7.0);
        assert_eq!(g.edges.len(), 1);
    }

    #[test]
    fn errors_name_the_node_and_field() {
        let t = r#"{"nodes":[{"id":0,"C_X":-100.0,"C_Y":40.0}],"adjacency":[[]]}"#;
        let e = parse("g.json", t).unwrap_err().to_string();
        assert!(e.contains("g.json") && e.contains("nodes[0]") && e.contains("TOTPOP"), "{e}");
        let e = parse("g.json", "{\n\"nodes\": [,]}").unwrap_err().to_string();
        assert!(e.contains("g.json:2"), "{e}");
        let t = r#"{"nodes":[{"id":0,"TOTPOP":1,"C_X":-100.0,"C_Y":40.0}],"adjacency":[[{"id":9}]]}"#;
        assert!(parse("g.json", t).unwrap_err().to_string().contains("`9`"));
    }
}
