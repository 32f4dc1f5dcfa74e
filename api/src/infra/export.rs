//! Spreadsheet exports that cannot run anything: every text cell that a spreadsheet would read as
//! a formula (one starting with `=`, `+`, `-`, `@`, a tab or a carriage return — the OWASP rule
//! for CSV injection) gets a leading apostrophe in CSV, and is written as quoted text in XLSX.
//! Citizen-typed text (an address, a guardian's relation, a unit's name) reaches these files.

use std::borrow::Cow;

use actix_web::http::header::{CONTENT_DISPOSITION, HeaderName, HeaderValue};
use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use crate::infra::error::ApiError;

/// Whether a spreadsheet would take `s` for a formula.
pub fn is_formula_like(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A CSV cell: `s`, or `'s` when a spreadsheet would run it.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if is_formula_like(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A CSV record of safe cells.
pub fn csv_record<'a>(cells: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    cells
        .into_iter()
        .map(|c| csv_cell(c).into_owned())
        .collect()
}

/// Writes text that stays text: a formula-like value gets the quote prefix (shown as typed,
/// never evaluated, in Excel and LibreOffice alike). `format` is the cell's own format, if any.
pub fn xlsx_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    match (is_formula_like(s), format) {
        (false, None) => sheet.write_string(row, col, s).map(|_| ()),
        (false, Some(f)) => sheet.write_string_with_format(row, col, s, f).map(|_| ()),
        (true, f) => {
            let quoted = f.cloned().unwrap_or_default().set_quote_prefix();
            sheet
                .write_string_with_format(row, col, s, &quoted)
                .map(|_| ())
        }
    }
}

/// A phone number as people write it in Vietnam (`0987 654 321` → `0987654321`): a stored
/// `+84…` would start with `+` and be read as a formula.
pub fn phone(e164: &str) -> String {
    match e164.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => e164.to_string(),
    }
}

/// The media type of an XLSX workbook.
pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The header that makes a browser save the answer as the file `name` (an error for a name a
/// header cannot carry; ours are codes and digits).
pub fn disposition(name: &str) -> Result<(HeaderName, HeaderValue), ApiError> {
    let value = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(ApiError::internal)?;
    Ok((CONTENT_DISPOSITION, value))
}

/// A file to download: its type, its name, its bytes.
pub fn attachment(content_type: &str, name: &str, bytes: Vec<u8>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised() {
        for bad in [
            "=1+1",
            "+84",
            "-2",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "=HYPERLINK(\"x\")",
        ] {
            assert_eq!(csv_cell(bad), format!("'{bad}"), "{bad:?}");
        }
        for ok in ["Nguyễn Văn An", "12 Lê Lợi", "", "a=b", "0987654321"] {
            assert_eq!(csv_cell(ok), ok);
        }
        assert_eq!(phone("+84987654321"), "0987654321");
    }
}
