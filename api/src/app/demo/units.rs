//! The demo units: Khánh Hòa with a few of its real communes, the former Ninh Thuận merged into
//! it (with a former district and two of the former wards Phan Rang was formed from), and the
//! platform's own units below them.

use bvantq_shared::{UnitCode, UnitKind};
use chrono::NaiveDate;

use crate::units::tree::ImportUnit;

/// The day the 2025 reform took effect: 34 provinces, no districts.
const REFORM_DAY: NaiveDate = match NaiveDate::from_ymd_opt(2025, 7, 1) {
    Some(d) => d,
    None => panic!("1 July 2025 is a date"),
};

pub fn reform_day() -> NaiveDate {
    REFORM_DAY
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
    // Two of the former wards Phường Phan Rang was formed from: through them the Ninh Thuận
    // plan follows Phan Rang (and not Nha Trang) for the periods it covers.
    for (c, name) in [("22762", "Đạo Long"), ("22765", "Đài Sơn")] {
        let mut ward = unit(c, Commune, name, &format!("Phường {name}"), Some("582"));
        ward.valid_to = until;
        ward.replaced_by = Some(code("22759"));
        v.push(ward);
    }
    v
}
