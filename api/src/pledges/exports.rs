//! A campaign's pledges as files for its managers: CSV (UTF-8 with BOM) and XLSX, with Vietnamese
//! headers, the CCCD only as its last 4 digits, and no cell a spreadsheet would run.

use bvantq_shared::{PledgeChannel, PledgeStatus};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

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

pub fn csv(rows: &[PledgeRow]) -> Result<Vec<u8>, ApiError> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(HEADERS).map_err(ApiError::internal)?;
    for p in rows {
        let l = line(p);
        w.write_record(csv_record(l.iter().map(String::as_str)))
            .map_err(ApiError::internal)?;
    }
    w.into_inner().map_err(ApiError::internal)
}

/// A workbook: a sheet of pledges and a summary sheet with the counts.
pub fn xlsx(campaign: &CampaignRow, rows: &[PledgeRow]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = wb.add_worksheet();
    sheet.set_name("Danh sách cam kết")?;
    for (col, h) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *h, &bold)?;
    }
    for (i, p) in rows.iter().enumerate() {
        for (col, v) in line(p).iter().enumerate() {
            xlsx_text(sheet, i as u32 + 1, col as u16, v, None)?;
        }
    }
    sheet.autofit();
    let summary = wb.add_worksheet();
    summary.set_name("Tổng hợp")?;
    let count = |s: PledgeStatus| rows.iter().filter(|p| p.status == s).count() as f64;
    let lines: [(&str, f64); 5] = [
        ("Tổng số cam kết", rows.len() as f64),
        ("Hợp lệ", count(PledgeStatus::Valid)),
        ("Đã xác minh", count(PledgeStatus::Verified)),
        ("Đã hủy", count(PledgeStatus::Void)),
        ("Đang tranh chấp", count(PledgeStatus::Disputed)),
    ];
    summary.write_string_with_format(0, 0, "Đợt cam kết", &bold)?;
    xlsx_text(
        summary,
        0,
        1,
        &format!("{} ({})", campaign.title, campaign.code),
        None,
    )?;
    for (i, (label, n)) in lines.iter().enumerate() {
        summary.write_string_with_format(i as u32 + 1, 0, *label, &bold)?;
        summary.write_number(i as u32 + 1, 1, *n)?;
    }
    wb.save_to_buffer()
}
