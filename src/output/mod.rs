//! Reports: terminal summary, solution.json, areas.csv, municipalities.csv, areas.geojson.
//! Files are written to a temporary file beside the target and renamed into place.

pub mod csv_files;
pub mod geojson_file;
pub mod json;
pub mod terminal;

use crate::error::{Error, Result};
use std::path::Path;

pub use crate::files::{csv_dialect, readable, set_csv_dialect, to_excel_fi, write_atomic, CsvDialect, CSV_DIALECTS};
pub use crate::text::{decimal_comma, thousands};

/// Peak resident memory of this process so far, MB (Linux: VmHWM of /proc/self/status).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Write all output files of a run into `dir` (created if missing); `lang` is map.svg's language. Every file is rendered
/// before the first is written, so a failure leaves no partial set.
pub fn write_all(dir: &Path, r: &crate::RunResult, p: &crate::Problem, lang: crate::report::Lang) -> Result<Vec<String>> {
    let mut files: Vec<(&str, Vec<u8>)> = vec![("solution.json", json::render(r, p).into_bytes())];
    if let Some(ev) = &r.evaluation {
        files.push(("areas.csv", csv_files::areas(r, ev, p)?));
        files.push(("municipalities.csv", csv_files::municipalities(r, ev, p)?));
        if p.inst.boundaries.is_some() {
            files.push(("areas.geojson", geojson_file::render(r, ev, p).into_bytes()));
            if let Some(svg) = crate::report::map_file(r, p, lang) {
                files.push(("map.svg", svg.into_bytes()));
            }
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::Output { file: dir.display().to_string(), message: e.to_string() })?;
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        write_atomic(&path, &bytes)?;
        written.push(path.display().to_string());
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    #[test]
    fn excel_dialect_rewrites_decimals_only() {
        let out = super::to_excel_fi(b"code,name,x,y\n091,\"Helsinki, city\",12.5,-3\n").unwrap();
        assert_eq!(&out[..3], &[0xef, 0xbb, 0xbf]);
        assert_eq!(String::from_utf8(out[3..].to_vec()).unwrap(), "code;name;x;y\n091;Helsinki, city;12,5;-3\n");
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(super::thousands(1234567.891, 2), "1 234 567.89");
        assert_eq!(super::thousands(-20000.0, 0), "−20 000");
        assert_eq!(super::thousands(999.0, 0), "999");
    }
}
