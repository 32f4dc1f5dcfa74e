//! `seed-demo`: Khánh Hòa (56) with a few of its real communes, the former Ninh Thuận (58)
//! merged into it on 1 July 2025, residential areas, a school with classes, an enterprise with
//! departments, and one account per role. Idempotent.

use std::path::Path;

use bvantq_shared::pledge::Commitment;
use bvantq_shared::{PledgeKind, Role, UnitCode, UnitKind};
use chrono::{NaiveDate, NaiveDateTime};
use rand::Rng;

use crate::accounts::store::users::{self, NewUserRow};
use crate::auth::password;
use crate::infra::config::Argon2Cost;
use crate::infra::db::{self, DbConn};
use crate::pledges::store::campaigns::{self, TemplateRow};
use crate::units::tree::{self as unit_tree, ImportUnit};

/// The day the 2025 reform took effect: 34 provinces, no districts.
pub fn reform_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

fn code(s: &str) -> UnitCode {
    UnitCode::parse(s).unwrap_or_else(|_| unreachable!("seed codes are valid: {s}"))
}

fn unit(c: &str, kind: UnitKind, name: &str, full: &str, parent: Option<&str>) -> ImportUnit {
    ImportUnit {
        code: code(c),
        kind,
        name: name.into(),
        full_name: full.into(),
        parent: parent.map(code),
        valid_from: None,
        valid_to: None,
        replaced_by: None,
    }
}

pub fn demo_units() -> Vec<ImportUnit> {
    use UnitKind::*;
    let until = reform_day().pred_opt();
    let mut v = vec![
        unit("56", Province, "Khánh Hoà", "Tỉnh Khánh Hoà", None),
        unit(
            "22333",
            Commune,
            "Bắc Nha Trang",
            "Phường Bắc Nha Trang",
            Some("56"),
        ),
        unit(
            "22366",
            Commune,
            "Nha Trang",
            "Phường Nha Trang",
            Some("56"),
        ),
        unit("22420", Commune, "Cam Ranh", "Phường Cam Ranh", Some("56")),
        unit(
            "22759",
            Commune,
            "Phan Rang",
            "Phường Phan Rang",
            Some("56"),
        ),
        unit("22834", Commune, "Ninh Chử", "Phường Ninh Chử", Some("56")),
        unit("22870", Commune, "Ninh Phước", "Xã Ninh Phước", Some("56")),
        unit(
            "KD-22759-0001",
            ResidentialArea,
            "Khu phố 1",
            "Khu phố 1, phường Phan Rang",
            Some("22759"),
        ),
        unit(
            "KD-22759-0002",
            ResidentialArea,
            "Khu phố 2",
            "Khu phố 2, phường Phan Rang",
            Some("22759"),
        ),
        unit(
            "KD-22759-0003",
            ResidentialArea,
            "Khu phố 3",
            "Khu phố 3, phường Phan Rang",
            Some("22759"),
        ),
        unit(
            "KD-22333-0001",
            ResidentialArea,
            "Tổ dân phố 1",
            "Tổ dân phố 1, phường Bắc Nha Trang",
            Some("22333"),
        ),
        unit(
            "TH-22759-0001",
            School,
            "Trường THCS Lý Tự Trọng",
            "Trường THCS Lý Tự Trọng, phường Phan Rang",
            Some("22759"),
        ),
        unit(
            "LH-22759-0001",
            Class,
            "Lớp 6A",
            "Lớp 6A",
            Some("TH-22759-0001"),
        ),
        unit(
            "LH-22759-0002",
            Class,
            "Lớp 7A",
            "Lớp 7A",
            Some("TH-22759-0001"),
        ),
        unit(
            "LH-22759-0003",
            Class,
            "Lớp 8A",
            "Lớp 8A",
            Some("TH-22759-0001"),
        ),
        unit(
            "LH-22759-0004",
            Class,
            "Lớp 9A",
            "Lớp 9A",
            Some("TH-22759-0001"),
        ),
        unit(
            "DN-22759-0001",
            Enterprise,
            "Công ty TNHH Thủy sản Phan Rang",
            "Công ty TNHH Thủy sản Phan Rang",
            Some("22759"),
        ),
        unit(
            "PB-22759-0001",
            Department,
            "Phân xưởng chế biến",
            "Phân xưởng chế biến",
            Some("DN-22759-0001"),
        ),
        unit(
            "PB-22759-0002",
            Department,
            "Phòng Hành chính",
            "Phòng Hành chính",
            Some("DN-22759-0001"),
        ),
    ];
    // Ninh Thuận, the province of the first seed plan, was merged into Khánh Hòa.
    let mut nt = unit("58", Province, "Ninh Thuận", "Tỉnh Ninh Thuận", None);
    nt.valid_to = until;
    nt.replaced_by = Some(code("56"));
    v.push(nt);
    let mut district = unit(
        "582",
        District,
        "Phan Rang - Tháp Chàm",
        "Thành phố Phan Rang - Tháp Chàm",
        Some("58"),
    );
    district.valid_to = until;
    v.push(district);
    v
}

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
                kind: kind,
                version: 1,
                title_vi: vi.into(),
                title_en: Some(en.into()),
                commitments: serde_json::to_string(&commitments).unwrap_or_default(),
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
            kind: kind,
            year,
            title: format!("{title} năm {year}"),
            owner_unit: owner.into(),
            template_id: template.id,
            opens_on: NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
            closes_on: NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
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

/// The demo ward (Phường Phan Rang), where the demo campaigns and tips are.
pub const DEMO_COMMUNE: &str = "22759";

/// A demo account: username, role, scope unit.
pub const DEMO_ACCOUNTS: [(&str, Role, &str, &str); 5] = [
    ("admin", Role::Admin, "56", "Quản Trị Viên"),
    (
        "tinh.khanhhoa",
        Role::ProvinceOfficer,
        "56",
        "Trần Văn Tỉnh",
    ),
    (
        "congan.phanrang",
        Role::WardOfficer,
        "22759",
        "Nguyễn Văn Phường",
    ),
    (
        "truong.lytutrong",
        Role::SchoolAdmin,
        "TH-22759-0001",
        "Lê Thị Trường",
    ),
    (
        "dn.thuysan",
        Role::OrgAdmin,
        "DN-22759-0001",
        "Phạm Văn Doanh",
    ),
];

fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..14)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("{0}")]
    Import(#[from] unit_tree::ImportError),
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("password hashing: {0}")]
    Hash(String),
    #[error("cannot write {0}: {1}")]
    Io(String, std::io::Error),
    #[error("demo tip: {0}")]
    Tip(String),
}

/// Loads the demo data. New demo accounts get `password` if given (`BVANTQ_DEMO_PASSWORD`),
/// else a random one; the logins are written to `DATA_DIR/demo-logins.txt` (mode 0600) so every
/// start can print them. Existing accounts are left as they are.
pub fn seed_demo(
    conn: &mut DbConn,
    data_dir: &Path,
    password: Option<&str>,
    cost: Argon2Cost,
    now: NaiveDateTime,
) -> Result<Vec<String>, SeedError> {
    unit_tree::import(conn, &demo_units(), now)?;
    seed_templates(conn, now)?;
    let campaign_lines: Vec<String> = seed_campaigns(conn, now)?
        .into_iter()
        .map(|(code, title)| format!("campaign {code}: {title} — /k/{code}"))
        .collect();
    let file = data_dir.join("demo-logins.txt");
    let mut lines: Vec<String> = std::fs::read_to_string(&file)
        .map(|s| {
            s.lines()
                .filter(|l| !l.starts_with("campaign "))
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let mut created = false;
    for (username, role, scope, name) in DEMO_ACCOUNTS {
        if users::by_username(conn, username)?.is_some() {
            continue;
        }
        let pw = password.map(str::to_string).unwrap_or_else(random_password);
        let hash = password::hash(&pw, cost).map_err(SeedError::Hash)?;
        users::insert(
            conn,
            &NewUserRow {
                id: db::new_id(),
                username: username.into(),
                display_name: name.into(),
                password_hash: hash,
                role: role,
                scope_unit: scope.into(),
                phone: None,
                citizen_id_hmac: None,
                citizen_id_last4: None,
                active: true,
                created_at: now,
                updated_at: now,
            },
        )?;
        lines.retain(|l| !l.starts_with(&format!("{username} ")));
        lines.push(format!("{username} {pw} {} {scope}", role.as_str()));
        created = true;
    }
    if created {
        write_private(&file, &(lines.join("\n") + "\n"))?;
    }
    lines.extend(campaign_lines);
    Ok(lines)
}

fn write_private(path: &Path, text: &str) -> Result<(), SeedError> {
    let io = |e| SeedError::Io(path.display().to_string(), e);
    if let Some(d) = path.parent() {
        std::fs::create_dir_all(d).map_err(io)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path).map_err(io)?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(io)
}

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
