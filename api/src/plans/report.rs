//! The November report (báo cáo) of a dashboard, as CSV and as XLSX.

use bvantq_shared::plan::Dashboard;
use bvantq_shared::plan::submission::AnnualReport;
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

/// Sheet «Tổng hợp» (one row per child and the total), sheet «Chỉ tiêu» (the plan's targets
/// beside the unit's figures), sheet «Khen thưởng» (the awards decided for the year) and sheet
/// «Công nhận» (the assessments approved, with their recognition decisions).
pub fn xlsx(d: &Dashboard) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    dashboard_sheets(&mut wb, d)?;
    wb.save_to_buffer()
}

/// An annual report as sent: sheet «Báo cáo» (the unit, the year, the version, when it was sent
/// against its day, the figures the unit entered, its note), then the dashboard's sheets as they
/// stood at sending.
pub fn annual_xlsx(r: &AnnualReport) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let s = wb.add_worksheet();
    s.set_name("Báo cáo")?;
    xlsx_text(
        s,
        0,
        0,
        &format!("Báo cáo tổng kết năm {} — {}", r.year, r.unit_name),
        Some(&bold),
    )?;
    let head: [(&str, String); 5] = [
        ("Mã đơn vị", r.unit_code.clone()),
        ("Phiên bản", r.version.to_string()),
        ("Gửi lúc (giờ Việt Nam)", vn_time(r.sent_at)),
        ("Hạn gửi", r.due_on.format("%d/%m/%Y").to_string()),
        ("Tình trạng", r.state.label_vi().to_string()),
    ];
    for (i, (k, v)) in head.iter().enumerate() {
        let row = i as u32 + 2;
        s.write_string_with_format(row, 0, *k, &bold)?;
        xlsx_text(s, row, 1, v, None)?;
    }
    let mut row = head.len() as u32 + 3;
    s.write_string_with_format(row, 0, "Số liệu đơn vị nhập", &bold)?;
    s.write_string_with_format(row, 1, "Số lượng", &bold)?;
    for f in &r.figures {
        row += 1;
        s.write_string(row, 0, f.figure.label_vi())?;
        s.write_number(row, 1, f.value as f64)?;
    }
    if let Some(note) = &r.note {
        row += 2;
        s.write_string_with_format(row, 0, "Ghi chú", &bold)?;
        xlsx_text(s, row, 1, note, None)?;
    }
    s.autofit();
    dashboard_sheets(&mut wb, &r.dashboard)?;
    wb.save_to_buffer()
}

/// A moment as Vietnam's clock shows it.
fn vn_time(at: chrono::NaiveDateTime) -> String {
    (at + chrono::TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS))
        .format("%H:%M %d/%m/%Y")
        .to_string()
}

fn dashboard_sheets(wb: &mut Workbook, d: &Dashboard) -> Result<(), XlsxError> {
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
    awards_sheet(wb, d)?;
    recognitions_sheet(wb, d)?;
    deadlines_sheet(wb, d)
}

/// Sheet «Thời hạn»: each deadline of the year the records decide (registration, recognition,
/// classification) with how many units owe it, how many have done it, and the units still
/// missing with why.
fn deadlines_sheet(wb: &mut Workbook, d: &Dashboard) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let k = wb.add_worksheet();
    k.set_name("Thời hạn")?;
    for (col, h) in [
        "Việc",
        "Hạn",
        "Tình trạng",
        "Phải thực hiện",
        "Đã thực hiện",
        "Chờ quyết định",
        "Đơn vị còn thiếu",
        "Lý do",
    ]
    .iter()
    .enumerate()
    {
        k.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    let mut row = 0u32;
    for line in &d.deadlines {
        row += 1;
        let e = &line.entry;
        xlsx_text(k, row, 0, &e.label_vi, Some(&bold))?;
        k.write_string(row, 1, e.due_on.format("%d/%m/%Y").to_string())?;
        k.write_string(row, 2, e.state.label_vi())?;
        k.write_number(row, 3, line.owed as f64)?;
        k.write_number(row, 4, line.done as f64)?;
        k.write_number(row, 5, line.awaiting_decision as f64)?;
        for m in &line.missing {
            row += 1;
            xlsx_text(
                k,
                row,
                6,
                &format!("{} ({})", m.unit_name, m.unit_code),
                None,
            )?;
            k.write_string(row, 7, m.missing.label_vi())?;
        }
        let listed = line.missing.len() as i64;
        let missing = line.owed - line.done;
        if missing > listed {
            row += 1;
            k.write_string(row, 6, format!("… và {} đơn vị khác", missing - listed))?;
        }
    }
    k.autofit();
    Ok(())
}

/// Sheet «Công nhận»: the assessments approved for the year, each with its recognition decision
/// (TT 124 arts. 9–10); the score column says when the scorecard is provisional.
fn recognitions_sheet(wb: &mut Workbook, d: &Dashboard) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let k = wb.add_worksheet();
    k.set_name("Công nhận")?;
    for (col, h) in [
        "Mã đơn vị",
        "Tên đơn vị",
        "Loại đơn vị",
        "Đạt tiêu chuẩn «An toàn về ANTT»",
        "Xếp loại",
        "Điểm",
        "Thang điểm",
        "Số quyết định công nhận",
        "Ngày quyết định",
        "Người ký",
    ]
    .iter()
    .enumerate()
    {
        k.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    if d.recognitions.is_empty() {
        k.write_string(
            1,
            0,
            "Chưa có kết quả đánh giá nào được phê duyệt trong năm",
        )?;
    }
    for (i, r) in d.recognitions.iter().enumerate() {
        let row = i as u32 + 1;
        xlsx_text(k, row, 0, &r.unit_code, None)?;
        xlsx_text(k, row, 1, &r.unit_name, None)?;
        k.write_string(row, 2, r.unit_kind.label_vi())?;
        k.write_string(
            row,
            3,
            if r.recognised {
                "Đạt"
            } else {
                "Không đạt"
            },
        )?;
        k.write_string(row, 4, r.classification.map_or("", |c| c.label_vi()))?;
        if let Some(score) = r.score {
            k.write_number(row, 5, f64::from(score))?;
        }
        k.write_string(
            row,
            6,
            if r.score_provisional {
                "Tạm tính (chưa có văn bản nguồn)"
            } else {
                "Của tỉnh"
            },
        )?;
        match (&r.decision, r.recognised) {
            (Some(dec), _) => {
                xlsx_text(k, row, 7, &dec.number, None)?;
                k.write_string(row, 8, dec.date.format("%d/%m/%Y").to_string())?;
                xlsx_text(k, row, 9, &dec.signer, None)?;
            }
            (None, true) => {
                k.write_string(row, 7, "Phê duyệt trước khi ghi quyết định")?;
            }
            (None, false) => {}
        }
    }
    k.autofit();
    Ok(())
}

/// Sheet «Khen thưởng»: the awards decided for the year, with their decisions.
fn awards_sheet(wb: &mut Workbook, d: &Dashboard) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    let k = wb.add_worksheet();
    k.set_name("Khen thưởng")?;
    for (col, h) in [
        "Mã đơn vị",
        "Tên đơn vị",
        "Hình thức khen thưởng",
        "Số quyết định",
        "Ngày quyết định",
        "Người ký",
    ]
    .iter()
    .enumerate()
    {
        k.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    if d.awards.is_empty() {
        k.write_string(1, 0, "Không có khen thưởng nào được quyết định trong năm")?;
    }
    for (i, a) in d.awards.iter().enumerate() {
        let row = i as u32 + 1;
        xlsx_text(k, row, 0, &a.unit_code, None)?;
        xlsx_text(k, row, 1, &a.unit_name, None)?;
        k.write_string(row, 2, a.award.label_vi())?;
        xlsx_text(k, row, 3, &a.decision.number, None)?;
        k.write_string(row, 4, a.decision.date.format("%d/%m/%Y").to_string())?;
        xlsx_text(k, row, 5, &a.decision.signer, None)?;
    }
    k.autofit();
    Ok(())
}
