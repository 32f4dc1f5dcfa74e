//! The November report (báo cáo) of a dashboard, as CSV and as XLSX.

use bvantq_shared::plan::Dashboard;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::infra::error::ApiError;
use crate::infra::export::{csv_cell, xlsx_text};
use crate::plans::service::{Cell, REPORT_HEADERS, report_lines};

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => csv_cell(s).into_owned(),
        Cell::Number(Some(n)) => n.to_string(),
        Cell::Number(None) => String::new(),
    }
}

/// UTF-8 with BOM, Vietnamese headers: one line per child, then the total.
pub fn csv(d: &Dashboard) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(REPORT_HEADERS).map_err(ApiError::internal)?;
    for line in report_lines(d) {
        w.write_record(line.iter().map(text))
            .map_err(ApiError::internal)?;
    }
    w.into_inner().map_err(ApiError::internal)
}

/// Sheet «Tổng hợp» (one row per child and the total) and sheet «Chỉ tiêu» (the plan's targets
/// beside the unit's figures).
pub fn xlsx(d: &Dashboard) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = wb.add_worksheet();
    sheet.set_name("Tổng hợp")?;
    for (col, h) in REPORT_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    let lines = report_lines(d);
    let last = lines.len();
    for (i, line) in lines.iter().enumerate() {
        let row = i as u32 + 1;
        for (col, c) in line.iter().enumerate() {
            let col = col as u16;
            match c {
                Cell::Text(s) if i + 1 == last => {
                    xlsx_text(sheet, row, col, s, Some(&bold))?;
                }
                Cell::Text(s) => {
                    xlsx_text(sheet, row, col, s, None)?;
                }
                Cell::Number(Some(n)) => {
                    sheet.write_number(row, col, *n)?;
                }
                Cell::Number(None) => {}
            }
        }
    }
    sheet.autofit();
    let t = wb.add_worksheet();
    t.set_name("Chỉ tiêu")?;
    for (col, h) in [
        "Chỉ tiêu",
        "Kế hoạch (tối thiểu)",
        "Kế hoạch (tối đa)",
        "Thực hiện",
        "Đạt",
    ]
    .iter()
    .enumerate()
    {
        t.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    match &d.plan {
        None => {
            t.write_string(1, 0, "Không có kế hoạch áp dụng cho kỳ này")?;
        }
        Some(plan) => {
            for (i, c) in d.unit.targets.iter().enumerate() {
                let row = i as u32 + 1;
                xlsx_text(t, row, 0, &c.label_vi, None)?;
                if let Some(v) = c.target_min {
                    t.write_number(row, 1, v)?;
                }
                if let Some(v) = c.target_max {
                    t.write_number(row, 2, v)?;
                }
                if let Some(v) = c.actual {
                    t.write_number(row, 3, v)?;
                }
                t.write_string(row, 4, if c.met { "Đạt" } else { "Không đạt" })?;
            }
            let row = d.unit.targets.len() as u32 + 2;
            t.write_string_with_format(row, 0, "Kế hoạch", &bold)?;
            xlsx_text(t, row, 1, &plan.title_vi, None)?;
        }
    }
    t.autofit();
    wb.save_to_buffer()
}
