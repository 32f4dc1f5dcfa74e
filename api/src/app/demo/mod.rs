//! `seed-demo`: Khánh Hòa (56) with a few of its real communes, the former Ninh Thuận (58)
//! merged into it on 1 July 2025, residential areas, a school with classes, an enterprise with
//! departments, and one account per role. Idempotent.

use std::path::Path;

use bvantq_shared::Role;
use chrono::NaiveDateTime;
use rand::Rng;

use crate::accounts::store::users::{self, NewUserRow};
use crate::auth::password;
use crate::infra::config::Argon2Cost;
use crate::infra::db::{self, DbConn};
use crate::units::tree::{self as unit_tree};

mod pledges;
mod records;
mod tips;
mod units;

pub use pledges::*;
pub use records::*;
pub use tips::*;
pub use units::*;

/// The demo ward (Phường Phan Rang), where the demo campaigns and tips are.
pub const DEMO_COMMUNE: &str = "22759";

/// A demo account: username, role, scope unit.
pub const DEMO_ACCOUNTS: [(&str, Role, &str, &str); 11] = [
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
        "truongca.phanrang",
        Role::CommuneHead,
        "22759",
        "Đỗ Văn Trưởng",
    ),
    ("csdt.khanhhoa", Role::Investigator, "56", "Võ Thị Điều Tra"),
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
    (
        "totruong.kp1",
        Role::AreaHead,
        "KD-22759-0001",
        "Ngô Văn Khu",
    ),
    (
        "chutich.phanrang",
        Role::CommuneLeader,
        "22759",
        "Huỳnh Thị Chủ",
    ),
    (
        "sogd.khanhhoa",
        Role::EducationOfficer,
        "56",
        "Lâm Thị Giáo",
    ),
    ("gvcn.6a", Role::FormTeacher, "LH-22759-0001", "Đặng Thu Hà"),
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
    #[error("demo records: {0}")]
    Records(String),
    #[error("demo template: {0}")]
    Json(#[from] serde_json::Error),
    #[error("no 1 January or 31 December in year {0}")]
    Year(i32),
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
    seed_plan(conn, now)?;
    seed_demo_records(conn, now)?;
    let campaign_lines: Vec<String> = seed_campaigns(conn, now)?
        .into_iter()
        .map(|(code, title)| format!("campaign {code}: {title} — /k/{code}"))
        .collect();
    let file = data_dir.join("demo-logins.txt");
    // The accounts of an earlier run stay (their passwords are shown only there); its campaign
    // lines are written afresh.
    let mut lines: Vec<String> = match std::fs::read_to_string(&file) {
        Ok(s) => s
            .lines()
            .filter(|l| !l.starts_with("campaign "))
            .map(str::to_string)
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(SeedError::Io(file.display().to_string(), e)),
    };
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
                role,
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

/// The demo province's plan for 2026–2030, so the dashboard of today's period has targets. It is
/// labelled as demo data, not a province's document: its figures are those of the Ninh Thuận plan
/// (seed 000), which the province's own 2021–2025 history carries.
fn seed_plan(conn: &mut DbConn, now: NaiveDateTime) -> Result<(), SeedError> {
    use bvantq_shared::plan::versions::PlanStatus;
    use bvantq_shared::plan::{Group, Metric, Target};
    const ID: &str = "demo-khanh-hoa-2026-2030";
    if crate::plans::store::by_id(conn, ID)?.is_some() {
        return Ok(());
    }
    crate::plans::store::insert(
        conn,
        &crate::plans::store::PlanRow {
            id: ID.into(),
            province_code: "56".into(),
            from_period: 2026,
            to_period: 2030,
            title_vi:
                "Kế hoạch mẫu giai đoạn 2026–2030 (dữ liệu trình diễn, không phải văn bản của tỉnh)"
                    .into(),
            title_en: "Sample plan 2026–2030 (demo data, not a province's document)".into(),
            source: None,
            status: PlanStatus::Published,
            supersedes: None,
            created_by: "demo".into(),
            created_at: now,
            published_by: Some("demo".into()),
            published_at: Some(now),
        },
    )?;
    let t = |metric, group, min, max, of_safe| Target {
        metric,
        group,
        min,
        max,
        of_safe,
        label_vi: None,
        label_en: None,
    };
    crate::plans::store::set_targets(
        conn,
        ID,
        &[
            t(Metric::SafePercent, Group::Commune, Some(95.0), None, false),
            t(
                Metric::SafePercent,
                Group::RuralCommune,
                Some(100.0),
                None,
                false,
            ),
            t(
                Metric::GoodOrBetterPercent,
                Group::Commune,
                Some(75.0),
                Some(80.0),
                true,
            ),
            t(Metric::WeakCount, Group::Commune, None, Some(0.0), false),
            t(
                Metric::SafePercent,
                Group::ResidentialArea,
                Some(90.0),
                None,
                false,
            ),
            t(
                Metric::SafePercent,
                Group::Organisation,
                Some(95.0),
                None,
                false,
            ),
            t(
                Metric::PledgePercent,
                Group::Household,
                Some(100.0),
                None,
                false,
            ),
            // Seed 002, II.2: "Hằng năm, có trên 50% cơ quan, doanh nghiệp, cơ sở giáo dục, 80% số
            // khu dân cư, xã, phường, thị trấn xây dựng mới hoặc duy trì hoạt động có hiệu quả ít
            // nhất 01 mô hình «Tự phòng, tự quản, tự bảo vệ về ANTT»".
            t(
                Metric::ModelPercent,
                Group::ResidentialArea,
                Some(80.0),
                None,
                false,
            ),
            t(
                Metric::ModelPercent,
                Group::Organisation,
                Some(50.0),
                None,
                false,
            ),
            t(
                Metric::TeamPercent,
                Group::ResidentialArea,
                Some(100.0),
                None,
                false,
            ),
            t(
                Metric::TipsOnTimePercent,
                Group::All,
                Some(100.0),
                None,
                false,
            ),
            // A target the platform does not count: the province enters its figure (demo
            // wording).
            Target {
                label_vi: Some("Khu dân cư có camera an ninh (%)".into()),
                label_en: Some("Residential areas with security cameras (%)".into()),
                ..t(Metric::Manual, Group::All, Some(60.0), None, false)
            },
        ],
    )?;
    Ok(())
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
