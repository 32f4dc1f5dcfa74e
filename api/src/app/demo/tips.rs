//! The demo ward's tips, so the officer console has a queue to work.

use bvantq_shared::tip::indicator::IndicatorRequest;
use chrono::NaiveDateTime;

use super::*;
use crate::infra::db::DbConn;

/// The demo commune's tips: three reports of the kinds a ward sees (one with a life in danger,
/// one with contact details), so the officer console has a queue to work. Added once, when the
/// demo commune has no tip; the receipt codes are returned to be shown that one time (only
/// their hashes are kept).
pub fn seed_demo_tips(
    conn: &mut DbConn,
    cfg: &crate::infra::config::Config,
    now: NaiveDateTime,
) -> Result<Vec<String>, SeedError> {
    use diesel::prelude::*;

    use crate::infra::db::schema::tips;
    let existing: i64 = tips::table
        .filter(tips::commune_code.eq(DEMO_COMMUNE))
        .count()
        .get_result(conn)?;
    if existing > 0 {
        return Ok(Vec::new());
    }
    let demo = [
        (
            "violence",
            "Nhà số 14 hẻm 7 thường xuyên có tiếng đánh đập, tối qua nghe tiếng trẻ em kêu cứu.",
            "Hẻm 7 đường Thống Nhất",
            true,
            None,
        ),
        (
            "drugs",
            "Nhóm thanh niên tụ tập sử dụng ma túy ở bãi đất trống cuối đường Lê Duẩn, thường sau 22 giờ.",
            "Cuối đường Lê Duẩn",
            false,
            None,
        ),
        (
            "fraud",
            "Có người gọi điện giả danh công an, yêu cầu chuyển tiền để «xác minh tài khoản».",
            "Qua điện thoại",
            false,
            Some(("Trần Thị Mai", "0905000111")),
        ),
    ];
    let mut out = Vec::new();
    for (category, description, place, danger, contact) in demo {
        // The fraud tip names the caller's number and the account he asked for, as a reporter
        // would (a number of the 0868 range, an account number made up for the demo).
        let indicators = if category == "fraud" {
            vec![
                IndicatorRequest {
                    kind: "phone".into(),
                    value: "0868 555 012".into(),
                    note: None,
                },
                IndicatorRequest {
                    kind: "bank_account".into(),
                    value: "0071 0000 12345".into(),
                    note: Some("Vietcombank".into()),
                },
            ]
        } else {
            Vec::new()
        };
        let req = bvantq_shared::tip::TipRequest {
            category: category.into(),
            description: description.into(),
            commune_code: DEMO_COMMUNE.into(),
            place: Some(place.into()),
            danger_to_life: danger,
            anonymous: contact.is_none(),
            contact: contact.map(|(name, phone)| bvantq_shared::tip::ContactRequest {
                name: Some(name.into()),
                phone: Some(phone.into()),
            }),
            indicators,
            ..Default::default()
        };
        let vn_now = now + chrono::TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS);
        let new = req
            .parse(vn_now)
            .map_err(|e| SeedError::Tip(format!("{e:?}")))?;
        let receipt = crate::tips::service::submit(conn, cfg, &new, &[], now)
            .map_err(|e| SeedError::Tip(e.to_string()))?;
        out.push(format!(
            "demo tip ({category}): receipt code {} — follow it at /theo-doi",
            receipt.receipt_code
        ));
    }
    Ok(out)
}
