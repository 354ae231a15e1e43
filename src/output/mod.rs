//! Reports: terminal summary, solution.json, areas.csv, municipalities.csv, areas.geojson.
//! Files are written to a temporary file beside the target and renamed into place.

pub mod csv_files;
pub mod geojson_file;
pub mod json;
pub mod terminal;

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// How CSV files are written: `standard` (RFC 4180: `,` between fields, decimal point, UTF-8) or
/// `excel-fi` (what a Finnish Excel opens with a double click: `;` between fields, decimal comma,
/// UTF-8 with a byte-order mark). Every CSV alue writes goes through [`write_atomic`], which
/// applies the dialect set here; every CSV alue reads accepts both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CsvDialect {
    /// `,` and a decimal point.
    #[default]
    Standard,
    /// `;`, a decimal comma and a BOM.
    ExcelFi,
}

static CSV_DIALECT: std::sync::atomic::AtomicU8 = std::sync::atomic::AtomicU8::new(0);

/// The CSV names accepted by `--csv`.
pub const CSV_DIALECTS: &[&str] = &["standard", "excel-fi"];

/// Set the dialect of every CSV file this process writes from now on.
pub fn set_csv_dialect(d: CsvDialect) {
    CSV_DIALECT.store(if d == CsvDialect::ExcelFi { 1 } else { 0 }, std::sync::atomic::Ordering::SeqCst);
}

/// The dialect CSV files are written in.
pub fn csv_dialect() -> CsvDialect {
    if CSV_DIALECT.load(std::sync::atomic::Ordering::SeqCst) == 1 { CsvDialect::ExcelFi } else { CsvDialect::Standard }
}

pub use crate::text::decimal_comma;

/// A plain decimal number with a decimal point (`-12.5`): the fields the Finnish dialect rewrites.
fn decimal_point(f: &str) -> bool {
    let f = f.strip_prefix('-').unwrap_or(f);
    match f.split_once('.') {
        Some((a, b)) => !a.is_empty() && !b.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

/// Rewrite standard CSV bytes in the Finnish spreadsheet dialect.
pub fn to_excel_fi(bytes: &[u8]) -> std::result::Result<Vec<u8>, csv::Error> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(bytes);
    let mut w = csv::WriterBuilder::new().delimiter(b';').flexible(true).from_writer(vec![0xef, 0xbb, 0xbf]);
    for rec in r.records() {
        let rec = rec?;
        let fields: Vec<String> = rec.iter().map(|f| if decimal_point(f) { f.replace('.', ",") } else { f.to_string() }).collect();
        w.write_record(&fields)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

pub use crate::text::thousands;

/// Peak resident memory of this process so far, MB (Linux: VmHWM of /proc/self/status).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// Temporary files are created private (0600); outputs are ordinary files (0644 on Unix).
pub fn readable(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Write `bytes` to `path` atomically: a temporary file in the same folder, renamed into place.
/// A `.csv` file is written in the dialect of [`set_csv_dialect`].
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |e: std::io::Error| Error::Output { file: path.display().to_string(), message: e.to_string() };
    let converted;
    let bytes = if csv_dialect() == CsvDialect::ExcelFi && path.extension().is_some_and(|e| e == "csv") {
        converted = to_excel_fi(bytes).map_err(|e| Error::Output { file: path.display().to_string(), message: e.to_string() })?;
        &converted[..]
    } else {
        bytes
    };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(err)?;
    tmp.write_all(bytes).map_err(err)?;
    tmp.as_file().sync_all().map_err(err)?;
    readable(tmp.path()).map_err(err)?;
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
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
