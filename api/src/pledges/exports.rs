//! A campaign's pledges as files for its managers: CSV (UTF-8 with BOM) and XLSX, with Vietnamese
//! headers, the CCCD only as its last 4 digits, and no cell a spreadsheet would run.

use bvantq_shared::{PledgeChannel, PledgeStatus};
use rust_xlsxwriter::{Format, Workbook};

use crate::infra::error::ApiError;
use crate::infra::export::{csv_record, phone, xlsx_text};
use crate::pledges::store::campaigns::CampaignRow;
use crate::pledges::store::pledges::PledgeRow;

pub const HEADERS: [&str; 13] = [
    "Số biên nhận",
    "Đơn vị",
    "Họ và tên",
    "Ngày sinh",
    "CCCD (4 số cuối)",
    "Số điện thoại",
    "Địa chỉ",
    "Số nhân khẩu",
    "Người giám hộ",
    "Quan hệ",
    "Hình thức",
    "Trạng thái",
    "Thời điểm ký",
];

/// One line, in the order of [`HEADERS`].
fn line(p: &PledgeRow) -> [String; 13] {
    let channel = match p.channel {
        PledgeChannel::Paper => "Phiếu giấy",
        PledgeChannel::SelfSigned => "Trực tuyến",
    };
    [
        p.receipt.clone(),
        p.unit_code.clone(),
        p.full_name.clone(),
        p.birth_date.format("%d/%m/%Y").to_string(),
        p.cccd_last4
            .as_ref()
            .map(|l| format!("********{l}"))
            .unwrap_or_default(),
        p.phone.as_deref().map(phone).unwrap_or_default(),
        p.address.clone().unwrap_or_default(),
        p.members.map(|m| m.to_string()).unwrap_or_default(),
        p.guardian_name.clone().unwrap_or_default(),
        p.guardian_relation.clone().unwrap_or_default(),
        channel.into(),
        p.status.label_vi().to_string(),
        p.signed_at.format("%d/%m/%Y %H:%M").to_string(),
    ]
}

/// Each column's width in the workbook, in characters (an export is written row by row, so the
/// columns cannot be fitted to what they hold afterwards).
const WIDTHS: [f64; 13] = [
    14.0, 16.0, 24.0, 11.0, 16.0, 13.0, 36.0, 8.0, 24.0, 10.0, 11.0, 13.0, 16.0,
];

/// The start of the CSV: the byte-order mark and the header line.
pub fn csv_head() -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(HEADERS).map_err(ApiError::internal)?;
    w.into_inner().map_err(ApiError::internal)
}

/// The CSV lines of one page of pledges.
pub fn csv_lines(rows: &[PledgeRow]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for p in rows {
        let l = line(p);
        w.write_record(csv_record(l.iter().map(String::as_str)))
            .map_err(ApiError::internal)?;
    }
    w.into_inner().map_err(ApiError::internal)
}

/// A workbook, a sheet of pledges and a summary sheet with the counts, written into `out` page by
/// page: `next` gives the page after a pledge id (the first with `None`), a short page is the
/// last. The pledge sheet keeps one row in memory ("constant memory" mode, its rows in a
/// temporary file) and the workbook is zipped straight into `out`, so memory does not grow with
/// the campaign.
pub fn xlsx(
    campaign: &CampaignRow,
    mut next: impl FnMut(Option<&str>) -> Result<Vec<PledgeRow>, ApiError>,
    page: i64,
    out: std::fs::File,
) -> Result<std::fs::File, ApiError> {
    fn x(e: impl std::fmt::Display) -> ApiError {
        ApiError::internal(e)
    }
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = wb.add_worksheet_with_constant_memory().map_err(x)?;
    sheet.set_name("Danh sách cam kết").map_err(x)?;
    for (col, (h, w)) in HEADERS.iter().zip(WIDTHS).enumerate() {
        sheet.set_column_width(col as u16, w).map_err(x)?;
        sheet
            .write_string_with_format(0, col as u16, *h, &bold)
            .map_err(x)?;
    }
    let mut counts: [f64; 5] = [0.0; 5];
    let mut row = 0u32;
    let mut after: Option<String> = None;
    loop {
        let rows = next(after.as_deref())?;
        for p in &rows {
            row += 1;
            for (col, v) in line(p).iter().enumerate() {
                xlsx_text(sheet, row, col as u16, v, None).map_err(x)?;
            }
            counts[0] += 1.0;
            counts[match p.status {
                PledgeStatus::Valid => 1,
                PledgeStatus::Verified => 2,
                PledgeStatus::Void => 3,
                PledgeStatus::Disputed => 4,
            }] += 1.0;
        }
        after = rows.last().map(|p| p.id.clone());
        if (rows.len() as i64) < page {
            break;
        }
    }
    let summary = wb.add_worksheet();
    summary.set_name("Tổng hợp").map_err(x)?;
    let labels = [
        "Tổng số cam kết",
        "Hợp lệ",
        "Đã xác minh",
        "Đã hủy",
        "Đang tranh chấp",
    ];
    summary
        .write_string_with_format(0, 0, "Đợt cam kết", &bold)
        .map_err(x)?;
    let title = format!("{} ({})", campaign.title, campaign.code);
    xlsx_text(summary, 0, 1, &title, None).map_err(x)?;
    for (i, (label, n)) in labels.iter().zip(counts).enumerate() {
        summary
            .write_string_with_format(i as u32 + 1, 0, *label, &bold)
            .map_err(x)?;
        summary.write_number(i as u32 + 1, 1, n).map_err(x)?;
    }
    let mut out = std::io::BufWriter::new(out);
    wb.save_to_writer(&mut out).map_err(x)?;
    out.into_inner().map_err(|e| x(e.into_error()))
}
