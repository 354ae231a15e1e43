//! Writing files: atomically (a temporary file beside the target, renamed into place), CSV in
//! the dialect the user chose. On the lowest floor, so that every writer shares it.

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
