//! `seed-demo`: Khánh Hòa (56) with a few of its real communes, the former Ninh Thuận (58)
//! merged into it on 1 July 2025, residential areas, a school with classes, an enterprise with
//! departments, and one account per role. Idempotent.

use std::path::Path;

use bvantq_shared::{Role, UnitCode, UnitKind};
use chrono::{NaiveDate, NaiveDateTime};
use rand::Rng;

use crate::auth::password;
use crate::config::Argon2Cost;
use crate::db::users::{self, NewUserRow};
use crate::db::{self, DbConn};
use crate::unit_tree::{self, ImportUnit};

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
    let file = data_dir.join("demo-logins.txt");
    let mut lines: Vec<String> = std::fs::read_to_string(&file)
        .map(|s| s.lines().map(str::to_string).collect())
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
                role: role.as_str().into(),
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
