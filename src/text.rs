//! Reading input files as text, on the lowest floor so that every reader shares it: UTF-8 (with or
//! without a byte-order mark) and UTF-16 with a byte-order mark (as Excel's "Unicode text" saves)
//! are decoded; any other bytes are refused with the line and column of the first bad byte and a
//! hint (Latin-1 / Windows-1252 is what an old Excel export looks like). Files above a size limit
//! are refused before they are read whole. Also the small text helpers several floors need: the
//! CSV dialect's decimal comma and numbers with spaces between thousands.

use crate::error::{Error, Result};
use std::path::Path;

/// Largest input file read, bytes (1 GiB): far above any real instance (mainland Finland's
/// boundaries are 3 MB), below what would exhaust the machine once parsed.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Read a file as text (see the module comment); errors name the file.
pub fn read_text(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| Error::file(path, format!("cannot read: {e}")))?;
    if meta.is_dir() {
        return Err(Error::file(path, "is a folder, not a file"));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(Error::file(path, format!("too large: {} bytes (at most {} bytes are read)", meta.len(), MAX_INPUT_BYTES)));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::file(path, format!("cannot read: {e}")))?;
    decode(&path.display().to_string(), bytes)
}

/// Decode the bytes of `file` as text (see the module comment).
pub fn decode(file: &str, bytes: Vec<u8>) -> Result<String> {
    let utf16 = |b: &[u8], le: bool| -> Result<String> {
        if b.len() % 2 != 0 {
            return Err(Error::file(file, "UTF-16 text with an odd number of bytes (the file is cut)"));
        }
        let units = b.chunks_exact(2).map(|c| if le { u16::from_le_bytes([c[0], c[1]]) } else { u16::from_be_bytes([c[0], c[1]]) });
        char::decode_utf16(units).collect::<std::result::Result<String, _>>().map_err(|e| Error::file(file, format!("broken UTF-16 text: {e}")))
    };
    match bytes.as_slice() {
        [0xff, 0xfe, rest @ ..] => return utf16(rest, true),
        [0xfe, 0xff, rest @ ..] => return utf16(rest, false),
        _ => {}
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            if let Some(k) = s.find('\u{0}') {
                let line = s[..k].matches('\n').count() + 1;
                return Err(Error::input(file, line, "-", "a NUL byte: this is binary data or UTF-16 text without a byte-order mark; save the file as UTF-8"));
            }
            Ok(s)
        }
        Err(e) => {
            let b = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line = b[..at].iter().filter(|&&c| c == b'\n').count() + 1;
            let col = at - b[..at].iter().rposition(|&c| c == b'\n').map_or(0, |p| p + 1) + 1;
            Err(Error::input(file, line, "-", format!("not UTF-8 text: byte 0x{:02X} at column {col} (Latin-1 / Windows-1252, as an old Excel export writes, looks like this); save the file as UTF-8", b[at])))
        }
    }
}

/// Format a number with spaces between thousands and `decimals` decimals.
pub fn thousands(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return format!("{x}");
    }
    let s = format!("{:.*}", decimals, x.abs());
    let (int, frac) = s.split_once('.').map(|(a, b)| (a.to_string(), Some(b.to_string()))).unwrap_or((s.clone(), None));
    let mut out = String::new();
    for (k, ch) in int.chars().enumerate() {
        if k > 0 && (int.len() - k) % 3 == 0 {
            out.push(' ');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(&f);
    }
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '−');
    }
    out
}

/// A plain decimal number with a decimal comma (`-12,5`), as the Finnish CSV dialect writes it.
pub fn decimal_comma(f: &str) -> bool {
    let f = f.strip_prefix('-').unwrap_or(f);
    match f.split_once(',') {
        Some((a, b)) => !a.is_empty() && !b.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_utf16_and_refuses_latin1_with_its_place() {
        assert_eq!(decode("f", b"\xef\xbb\xbfa,b\n".to_vec()).unwrap(), "a,b\n");
        let le: Vec<u8> = [0xff, 0xfe].into_iter().chain("Ä,b\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(decode("f", le).unwrap(), "Ä,b\n");
        let be: Vec<u8> = [0xfe, 0xff].into_iter().chain("Ä,b\n".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(decode("f", be).unwrap(), "Ä,b\n");
        let e = decode("units.csv", b"code,name\n1,P\xe4\n".to_vec()).unwrap_err().to_string();
        assert!(e.starts_with("units.csv:2:") && e.contains("0xE4") && e.contains("column 4"), "{e}");
        assert!(decode("f", b"a\0b".to_vec()).is_err());
        assert!(decode("f", vec![0xff, 0xfe, 0x41]).is_err());
    }
}
