//! The demo pledge templates (household, student, worker) and the demo ward's campaigns.

use bvantq_shared::PledgeKind;
use bvantq_shared::pledge::Commitment;
use chrono::{NaiveDate, NaiveDateTime};

use super::*;
use crate::infra::db::{self, DbConn};
use crate::pledges::store::campaigns::{self, TemplateRow};

fn c(vi: &str, en: &str) -> Commitment {
    Commitment {
        vi: vi.into(),
        en: Some(en.into()),
    }
}

/// One realistic template per audience (no national template exists; admins edit these).
pub fn demo_templates() -> Vec<(PledgeKind, &'static str, &'static str, Vec<Commitment>)> {
    vec![
        (
            PledgeKind::Household,
            "Bản cam kết của hộ gia đình tham gia phong trào Toàn dân bảo vệ an ninh Tổ quốc",
            "Household pledge to take part in the movement All people protect national security",
            vec![
                c(
                    "Không sử dụng, tàng trữ, mua bán trái phép chất ma túy; vận động người thân không vi phạm.",
                    "Not to use, keep or trade illegal drugs, and to urge relatives not to.",
                ),
                c(
                    "Không tham gia đánh bạc, cá độ, mại dâm, cho vay nặng lãi và các tệ nạn xã hội khác.",
                    "Not to take part in gambling, betting, prostitution, loan-sharking or other social evils.",
                ),
                c(
                    "Không tàng trữ, sử dụng trái phép vũ khí, vật liệu nổ, công cụ hỗ trợ, pháo.",
                    "Not to keep or use weapons, explosives, support tools or fireworks illegally.",
                ),
                c(
                    "Chấp hành pháp luật về trật tự, an toàn giao thông; không giao xe cho người chưa đủ tuổi điều khiển.",
                    "To obey traffic law and not to give motorbikes to under-age children.",
                ),
                c(
                    "Tố giác, cung cấp kịp thời cho cơ quan Công an tội phạm và hành vi vi phạm pháp luật.",
                    "To report crimes and law violations to the police promptly.",
                ),
                c(
                    "Giúp đỡ người lầm lỗi sau khi chấp hành án phạt tù, cai nghiện trở về tái hòa nhập cộng đồng.",
                    "To help people back from prison or rehab reintegrate into the community.",
                ),
                c(
                    "Tham gia các mô hình tự phòng, tự quản, tự bảo vệ về an ninh, trật tự ở khu dân cư.",
                    "To take part in the residential area's self-managed security models.",
                ),
            ],
        ),
        (
            PledgeKind::Student,
            "Bản cam kết của học sinh thực hiện phong trào Toàn dân bảo vệ an ninh Tổ quốc",
            "Student pledge for the movement All people protect national security",
            vec![
                c(
                    "Không sử dụng, tàng trữ, mua bán chất ma túy, thuốc lá điện tử và các chất kích thích.",
                    "Not to use, keep or trade drugs, e-cigarettes or stimulants.",
                ),
                c(
                    "Không tham gia đánh nhau, bạo lực học đường; không mang hung khí, pháo nổ vào trường.",
                    "Not to fight or take part in school violence; not to bring weapons or fireworks to school.",
                ),
                c(
                    "Không đánh bạc, cá độ, kể cả trên mạng; không chia sẻ thông tin sai sự thật trên mạng xã hội.",
                    "Not to gamble or bet, including online; not to share false information on social networks.",
                ),
                c(
                    "Chấp hành luật giao thông; không điều khiển xe máy khi chưa đủ tuổi, đội mũ bảo hiểm khi đi xe.",
                    "To obey traffic law; not to ride motorbikes under age; to wear a helmet.",
                ),
                c(
                    "Báo cho thầy cô, gia đình, Công an khi phát hiện hành vi vi phạm pháp luật.",
                    "To tell teachers, family or the police about law violations.",
                ),
            ],
        ),
        (
            PledgeKind::Worker,
            "Bản cam kết của cán bộ, công nhân viên tham gia phong trào Toàn dân bảo vệ an ninh Tổ quốc",
            "Worker pledge for the movement All people protect national security",
            vec![
                c(
                    "Chấp hành nội quy, quy chế bảo vệ an ninh, trật tự và bí mật của cơ quan, doanh nghiệp.",
                    "To follow the unit's rules on security, order and confidentiality.",
                ),
                c(
                    "Không sử dụng, tàng trữ, mua bán ma túy; không đánh bạc, cá độ, cho vay nặng lãi.",
                    "Not to use, keep or trade drugs; not to gamble, bet or lend at usurious rates.",
                ),
                c(
                    "Không tham gia đình công, lãn công trái pháp luật; giải quyết tranh chấp theo quy định.",
                    "Not to join illegal strikes; to settle disputes lawfully.",
                ),
                c(
                    "Chấp hành quy định phòng cháy, chữa cháy và an toàn lao động.",
                    "To follow fire prevention and work safety rules.",
                ),
                c(
                    "Phát hiện, tố giác kịp thời tội phạm và hành vi vi phạm pháp luật.",
                    "To detect and report crimes and violations promptly.",
                ),
            ],
        ),
    ]
}

/// Loads and publishes the demo templates once (version 1 of each kind).
pub fn seed_templates(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), SeedError> {
    for (kind, vi, en, commitments) in demo_templates() {
        if !campaigns::templates(conn, Some(kind), &[None], false)?.is_empty() {
            continue;
        }
        campaigns::insert_template(
            conn,
            &TemplateRow {
                id: db::new_id(),
                kind,
                version: 1,
                title_vi: vi.into(),
                title_en: Some(en.into()),
                commitments: serde_json::to_string(&commitments)?,
                published_at: Some(now),
                created_by: "seed".into(),
                created_at: now,
                owner_unit: None,
                retired_at: None,
            },
        )?;
    }
    Ok(())
}

/// One open campaign per audience in the demo commune, so the form has something to sign.
/// Returns `(code, title)` of each demo campaign.
pub fn seed_campaigns(
    conn: &mut DbConn,
    now: NaiveDateTime,
) -> Result<Vec<(String, String)>, SeedError> {
    use chrono::Datelike;
    let year = now.year();
    let plans: [(PledgeKind, &str, &[&str], &str); 3] = [
        (
            PledgeKind::Household,
            "22759",
            &["KD-22759-0001", "KD-22759-0002", "KD-22759-0003"],
            "Cam kết hộ gia đình phường Phan Rang",
        ),
        (
            PledgeKind::Student,
            "TH-22759-0001",
            &[
                "LH-22759-0001",
                "LH-22759-0002",
                "LH-22759-0003",
                "LH-22759-0004",
            ],
            "Cam kết học sinh Trường THCS Lý Tự Trọng",
        ),
        (
            PledgeKind::Worker,
            "DN-22759-0001",
            &["PB-22759-0001", "PB-22759-0002"],
            "Cam kết CBCNV Công ty TNHH Thủy sản Phan Rang",
        ),
    ];
    let mut out = Vec::new();
    for (kind, owner, units, title) in plans {
        let existing = campaigns::list_under(
            conn,
            &format!("/56/22759/{}", if owner == "22759" { "" } else { owner }),
            Some(year),
        )?;
        if let Some(c) = existing
            .iter()
            .find(|c| c.kind == kind && c.owner_unit == owner)
        {
            out.push((c.code.clone(), c.title.clone()));
            continue;
        }
        let Some(template) = campaigns::templates(conn, Some(kind), &[None], true)?
            .into_iter()
            .find(|t| t.published_at.is_some())
        else {
            continue;
        };
        let id = db::new_id();
        let row = campaigns::CampaignRow {
            id: id.clone(),
            code: crate::pledges::service::campaigns::new_campaign_code().to_string(),
            kind,
            year,
            title: format!("{title} năm {year}"),
            owner_unit: owner.into(),
            template_id: template.id,
            opens_on: NaiveDate::from_ymd_opt(year, 1, 1).ok_or(SeedError::Year(year))?,
            closes_on: NaiveDate::from_ymd_opt(year, 12, 31).ok_or(SeedError::Year(year))?,
            created_by: "seed".into(),
            created_at: now,
        };
        let unit_rows: Vec<campaigns::CampaignUnitRow> = units
            .iter()
            .map(|u| campaigns::CampaignUnitRow {
                campaign_id: id.clone(),
                unit_code: (*u).into(),
                declared_expected: None,
            })
            .collect();
        campaigns::insert_campaign(conn, &row, &unit_rows)?;
        out.push((row.code, row.title));
    }
    Ok(out)
}
