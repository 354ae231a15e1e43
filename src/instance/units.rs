//! The units CSV: one row per municipality (or county) with its attributes and centre point.

use super::table::Table;
use crate::error::{Error, Result};
use std::collections::HashMap;

/// Columns every units CSV must have; any further numeric column becomes an attribute.
pub const REQUIRED: [&str; 7] = ["code", "name", "population", "labour_force", "jobseekers", "lat", "lon"];
/// Attributes every instance carries, in this order at the front of `Units::attributes`.
pub const CORE_ATTRIBUTES: [&str; 3] = ["population", "labour_force", "jobseekers"];

/// One unit: a municipality with its centre and attribute values.
#[derive(Debug, Clone)]
pub struct Unit {
    /// Stable identifier (Statistics Finland municipality number, or a county id).
    pub code: String,
    /// Human name.
    pub name: String,
    /// Latitude of the centre, WGS84 degrees.
    pub lat: f64,
    /// Longitude of the centre, WGS84 degrees.
    pub lon: f64,
    /// Attribute values, indexed like `Units::attributes`.
    pub values: Vec<f64>,
    /// Text columns that are not numeric (kept for output, not used by the model).
    pub text: Vec<(String, String)>,
}

/// The parsed units table.
#[derive(Debug, Clone)]
pub struct Units {
    /// Attribute names; the first three are population, labour_force, jobseekers.
    pub attributes: Vec<String>,
    /// The units in file order.
    pub units: Vec<Unit>,
}

/// Largest attribute value read (a unit's population, labour force, …): far above any real
/// figure, small enough that sums over any instance stay exact to a euro.
pub const MAX_ATTRIBUTE: f64 = 1e12;

/// Parse a units CSV given as text; `file` names it in error messages.
pub fn parse_units(file: &str, text: &str) -> Result<Units> {
    let table = Table::parse(file, text, "with columns code,name,population,labour_force,jobseekers,lat,lon")?;
    let header = &table.header;
    let col = |name: &str| table.col(name);
    for name in REQUIRED {
        table.require(file, name)?;
    }
    let rows = &table.rows;
    if rows.is_empty() {
        return Err(Error::file(file, "the file has a header but no units"));
    }
    // Extra columns: numeric attributes when every value parses, text otherwise.
    let mut attributes: Vec<String> = CORE_ATTRIBUTES.iter().map(|s| s.to_string()).collect();
    let mut text_cols = Vec::new();
    for (c, h) in header.iter().enumerate() {
        if REQUIRED.contains(&h.as_str()) {
            continue;
        }
        let numeric = rows.iter().all(|(_, r)| r.get(c).map(|v| v.parse::<f64>().map(|x| x.is_finite()).unwrap_or(false)).unwrap_or(false));
        if numeric {
            attributes.push(h.clone());
        } else {
            text_cols.push(c);
        }
    }
    let attr_cols: Vec<usize> = attributes.iter().map(|a| col(a).unwrap()).collect();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut units = Vec::with_capacity(rows.len());
    for (line, rec) in rows {
        let line = *line;
        let get = |name: &str| rec.get(col(name).unwrap()).unwrap_or("");
        let code = get("code").to_string();
        if code.is_empty() {
            return Err(Error::input(file, line, "code", "empty code"));
        }
        if let Some(prev) = seen.insert(code.clone(), line) {
            return Err(Error::input(file, line, "code", format!("duplicate code `{code}` (first on line {prev})")));
        }
        let number = |name: &str, c: usize| -> Result<f64> {
            let raw = rec.get(c).unwrap_or("");
            let v: f64 = raw.parse().map_err(|_| Error::input(file, line, name, format!("`{raw}` is not a number")))?;
            if !v.is_finite() {
                return Err(Error::input(file, line, name, format!("`{raw}` is not a finite number")));
            }
            Ok(v)
        };
        let lat = number("lat", col("lat").unwrap())?;
        let lon = number("lon", col("lon").unwrap())?;
        if !(-90.0..=90.0).contains(&lat) {
            return Err(Error::input(file, line, "lat", format!("latitude {lat} is outside −90…90 degrees")));
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(Error::input(file, line, "lon", format!("longitude {lon} is outside −180…180 degrees")));
        }
        let mut values = Vec::with_capacity(attributes.len());
        for (a, &c) in attributes.iter().zip(&attr_cols) {
            let v = number(a, c)?;
            if v < 0.0 {
                return Err(Error::input(file, line, a, format!("negative value {v}; attributes must be ≥ 0")));
            }
            if v > MAX_ATTRIBUTE {
                return Err(Error::input(file, line, a, format!("value {v:e} is above {MAX_ATTRIBUTE:e}, more than any real population or count")));
            }
            values.push(v);
        }
        let text = text_cols.iter().map(|&c| (header[c].clone(), rec.get(c).unwrap_or("").to_string())).collect();
        units.push(Unit { code, name: get("name").to_string(), lat, lon, values, text });
    }
    Ok(Units { attributes, units })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "code,name,population,labour_force,jobseekers,lat,lon\n";

    #[test]
    fn extra_numeric_column_becomes_attribute() {
        let text = HEAD.replace("lon\n", "lon,area,kind\n") + "1,A,10,5,1,60,25,3.5,x\n";
        let u = parse_units("u.csv", &text).unwrap();
        assert_eq!(u.attributes, vec!["population", "labour_force", "jobseekers", "area"]);
        assert_eq!(u.units[0].values, vec![10.0, 5.0, 1.0, 3.5]);
        assert_eq!(u.units[0].text, vec![("kind".to_string(), "x".to_string())]);
    }

    #[test]
    fn errors_name_line_and_field() {
        let e = parse_units("u.csv", &format!("{HEAD}1,A,10,5,1,60,25\n2,B,10,-5,1,60,25\n")).unwrap_err().to_string();
        assert!(e.contains("u.csv:3") && e.contains("labour_force") && e.contains("negative"), "{e}");
    }
}
