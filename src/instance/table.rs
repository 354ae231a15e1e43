//! Reading the CSV files of an instance: BOM, empty file, header, and rows with their line
//! numbers, so that every error can name file, line and field.

use crate::error::{Error, Result};

/// A parsed CSV file.
pub struct Table {
    /// Column names.
    pub header: Vec<String>,
    /// Data rows with their line numbers in the file.
    pub rows: Vec<(usize, csv::StringRecord)>,
}

impl Table {
    /// Parse `text`; `expected` describes the header for the empty-file message.
    pub fn parse(file: &str, text: &str, expected: &str) -> Result<Table> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(Error::file(file, format!("the file is empty; expected a header {expected}")));
        }
        // The Finnish spreadsheet dialect (`;` between fields, decimal comma), as `--csv excel-fi`
        // writes and Excel saves, is read as well: a header with `;` and no `,` selects it.
        let first = text.lines().next().unwrap_or("");
        let excel = first.contains(';') && !first.contains(',');
        let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).delimiter(if excel { b';' } else { b',' }).from_reader(text.as_bytes());
        let header = reader.headers().map_err(|e| Error::file(file, format!("cannot read the header: {e}")))?.iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| match r {
                Ok(rec) if excel => {
                    let mut out: csv::StringRecord = rec.iter().map(|f| if crate::text::decimal_comma(f) { f.replace(',', ".") } else { f.to_string() }).collect();
                    out.set_position(rec.position().cloned());
                    Ok((rec.position().map_or(0, |p| p.line() as usize), out))
                }
                Ok(rec) => Ok((rec.position().map_or(0, |p| p.line() as usize), rec)),
                Err(e) => Err(Error::input(file, e.position().map_or(0, |p| p.line() as usize), "-", format!("malformed CSV row: {e}"))),
            })
            .collect::<Result<_>>()?;
        Ok(Table { header, rows })
    }

    /// Index of a column.
    pub fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// Index of a required column, or an error on line 1 naming it.
    pub fn require(&self, file: &str, name: &str) -> Result<usize> {
        self.col(name).ok_or_else(|| Error::input(file, 1, name, format!("required column `{name}` is missing (header: {})", self.header.join(","))))
    }
}
