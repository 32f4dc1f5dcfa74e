//! The 2025 arrangement of provinces (sắp xếp đơn vị hành chính cấp tỉnh): 63 provinces became 34.
//!
//! Source: Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành
//! chính cấp tỉnh, art. 1, which lists 23 arrangements ("Nhập tỉnh Bình Phước và tỉnh Đồng Nai
//! thành tỉnh mới có tên gọi là tỉnh Đồng Nai…") in the order of the approved phương án, and 11
//! provinces that stay as they were; the new provinces' authorities work from 1 July 2025.
//! [`FormerProvince::item`] is the arrangement's number in that list (items 1–10 checked against
//! the published phương án; 11–23 follow its north-to-south order). Codes are the General Statistics Office's province codes
//! (Quyết định 124/2004/QĐ-TTg): each new province kept the code of one of the provinces it was
//! formed from, so 29 codes ended on 30 June 2025 — those are [`FORMER_PROVINCES`].
//!
//! A plan made for a former province applies to the communes of its successor that came from it;
//! the import of the official list loads these rows as the units' history (`replaced_by`).

/// A province that ceased to exist on 1 July 2025 and the province it became part of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormerProvince {
    /// GSO code of the former province.
    pub code: &'static str,
    /// Its name as the 2004 list writes it, without the "Tỉnh" prefix.
    pub name: &'static str,
    /// Its full name.
    pub full_name: &'static str,
    /// The code of the new province it was merged into (one of the 34).
    pub successor: &'static str,
    /// The number of the arrangement (1–23) in art. 1 of Nghị quyết 202/2025/QH15 that merges it.
    pub item: u8,
}

const fn p(
    code: &'static str,
    name: &'static str,
    full_name: &'static str,
    successor: &'static str,
    item: u8,
) -> FormerProvince {
    FormerProvince {
        code,
        name,
        full_name,
        successor,
        item,
    }
}

/// The last day a former province existed (its successor's authorities took over the next day).
pub const LAST_DAY: (i32, u32, u32) = (2025, 6, 30);

/// The 29 former provinces, with the arrangement that merged each.
pub const FORMER_PROVINCES: [FormerProvince; 29] = [
    p("02", "Hà Giang", "Tỉnh Hà Giang", "08", 1),
    p("06", "Bắc Kạn", "Tỉnh Bắc Kạn", "19", 3),
    p("10", "Lào Cai", "Tỉnh Lào Cai", "15", 2),
    p("17", "Hoà Bình", "Tỉnh Hoà Bình", "25", 4),
    p("26", "Vĩnh Phúc", "Tỉnh Vĩnh Phúc", "25", 4),
    p("27", "Bắc Ninh", "Tỉnh Bắc Ninh", "24", 5),
    p("30", "Hải Dương", "Tỉnh Hải Dương", "31", 7),
    p("34", "Thái Bình", "Tỉnh Thái Bình", "33", 6),
    p("35", "Hà Nam", "Tỉnh Hà Nam", "37", 8),
    p("36", "Nam Định", "Tỉnh Nam Định", "37", 8),
    p("45", "Quảng Trị", "Tỉnh Quảng Trị", "44", 9),
    p("49", "Quảng Nam", "Tỉnh Quảng Nam", "48", 10),
    p("54", "Phú Yên", "Tỉnh Phú Yên", "66", 15),
    p("58", "Ninh Thuận", "Tỉnh Ninh Thuận", "56", 13),
    p("60", "Bình Thuận", "Tỉnh Bình Thuận", "68", 14),
    p("62", "Kon Tum", "Tỉnh Kon Tum", "51", 11),
    p("64", "Gia Lai", "Tỉnh Gia Lai", "52", 12),
    p("67", "Đắk Nông", "Tỉnh Đắk Nông", "68", 14),
    p("70", "Bình Phước", "Tỉnh Bình Phước", "75", 17),
    p("72", "Tây Ninh", "Tỉnh Tây Ninh", "80", 18),
    p("74", "Bình Dương", "Tỉnh Bình Dương", "79", 16),
    p(
        "77",
        "Bà Rịa - Vũng Tàu",
        "Tỉnh Bà Rịa - Vũng Tàu",
        "79",
        16,
    ),
    p("83", "Bến Tre", "Tỉnh Bến Tre", "86", 20),
    p("84", "Trà Vinh", "Tỉnh Trà Vinh", "86", 20),
    p("87", "Đồng Tháp", "Tỉnh Đồng Tháp", "82", 21),
    p("89", "An Giang", "Tỉnh An Giang", "91", 23),
    p("93", "Hậu Giang", "Tỉnh Hậu Giang", "92", 19),
    p("94", "Sóc Trăng", "Tỉnh Sóc Trăng", "92", 19),
    p("95", "Bạc Liêu", "Tỉnh Bạc Liêu", "96", 22),
];

/// Codes a new province kept from a *different* former province: before 1 July 2025 the code
/// named the second province (the new province took the seat and the code of the partner whose
/// name it did not keep). A plan filed under such a code before the reform is read as the new
/// province's own.
pub const CODES_KEPT_FROM_PARTNER: [(&str, &str); 7] = [
    ("15", "Yên Bái"),
    ("24", "Bắc Giang"),
    ("44", "Quảng Bình"),
    ("52", "Bình Định"),
    ("80", "Long An"),
    ("82", "Tiền Giang"),
    ("91", "Kiên Giang"),
];

/// The 11 provinces the resolution leaves as they were (Hà Nội, Cao Bằng, Điện Biên, Lai Châu, Sơn
/// La, Lạng Sơn, Quảng Ninh, Thanh Hoá, Nghệ An, Hà Tĩnh, Huế).
pub const UNCHANGED: [&str; 11] = [
    "01", "04", "11", "12", "14", "20", "22", "38", "40", "42", "46",
];

/// The former province `code`, if it is one.
pub fn former(code: &str) -> Option<&'static FormerProvince> {
    FORMER_PROVINCES.iter().find(|f| f.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// The 34 provinces after the reform (the official list of 25 July 2026 in `shared/data`).
    const NEW_34: [&str; 34] = [
        "01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37",
        "38", "40", "42", "44", "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82",
        "86", "91", "92", "96",
    ];

    #[test]
    fn sixty_three_became_thirty_four() {
        let former: BTreeSet<&str> = FORMER_PROVINCES.iter().map(|f| f.code).collect();
        let new: BTreeSet<&str> = NEW_34.iter().copied().collect();
        assert_eq!(former.len(), 29);
        assert!(
            former.is_disjoint(&new),
            "a former code is still a province"
        );
        assert_eq!(former.len() + new.len(), 63);
        for f in &FORMER_PROVINCES {
            assert!(
                new.contains(f.successor),
                "{} merged into {}",
                f.code,
                f.successor
            );
            assert!(crate::UnitCode::parse(f.code).is_ok() && f.full_name.ends_with(f.name));
        }
        // 23 new provinces were formed from more than one, 11 stayed as they were.
        let merged: BTreeSet<&str> = FORMER_PROVINCES.iter().map(|f| f.successor).collect();
        assert_eq!(merged.len(), 23);
        let items: BTreeSet<u8> = FORMER_PROVINCES.iter().map(|f| f.item).collect();
        assert_eq!(items, (1..=23).collect());
        for u in UNCHANGED {
            assert!(new.contains(u) && !merged.contains(u), "{u} is unchanged");
        }
        assert_eq!(merged.len() + UNCHANGED.len(), 34);
        for (code, _) in CODES_KEPT_FROM_PARTNER {
            assert!(merged.contains(code), "{code} is a merged province's code");
        }
    }

    /// Item 17: "Nhập tỉnh Bình Phước và tỉnh Đồng Nai thành tỉnh mới có tên gọi là tỉnh Đồng Nai";
    /// item 13: "Nhập tỉnh Ninh Thuận và tỉnh Khánh Hòa … tỉnh Khánh Hòa"; item 16: "Nhập tỉnh Bà
    /// Rịa - Vũng Tàu, tỉnh Bình Dương và Thành phố Hồ Chí Minh … Thành phố Hồ Chí Minh".
    #[test]
    fn binh_phuoc_went_to_dong_nai_and_ninh_thuan_to_khanh_hoa() {
        assert_eq!(former("70").map(|f| f.successor), Some("75"));
        assert_eq!(former("58").map(|f| f.successor), Some("56"));
        assert_eq!(former("75"), None);
        let hcm: Vec<&str> = FORMER_PROVINCES
            .iter()
            .filter(|f| f.successor == "79")
            .map(|f| f.name)
            .collect();
        assert_eq!(hcm, ["Bình Dương", "Bà Rịa - Vũng Tàu"]);
    }
}
