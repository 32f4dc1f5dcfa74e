//! The education department's view of a province's schools (seed 003, the plan of the Sở Giáo
//! dục và Đào tạo: «tổ chức các hoạt động tuyên truyền tới … học sinh, phụ huynh học sinh»;
//! «nâng cao chất lượng xây dựng các nhà trường đạt tiêu chuẩn "An toàn về an ninh, trật tự"»):
//! each school with its pupils' pledge coverage, its registration and assessment, whether its
//! people were all briefed (TT 124 art. 7.1) and whether it keeps a self-managed model — and the
//! province's totals over the schools the Thông tư applies to (art. 1.2.b leaves out primary
//! schools and kindergartens).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::records::Share;
use crate::registration::Exclusion;
use crate::{AssessmentStatus, Classification};

/// One school of the province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SchoolLine {
    pub unit_code: String,
    pub unit_name: String,
    /// The commune it lies in.
    pub commune_code: Option<String>,
    pub commune_name: Option<String>,
    /// Outside the Thông tư (art. 1.2.b), if marked so by the commune.
    pub exclusion: Option<Exclusion>,
    /// Registered for the year (art. 9.2.a).
    pub registered: bool,
    /// Pupils' pledges of the year: signed of expected.
    pub pupils: Share,
    /// The state of its assessment of the year, if it has one.
    pub assessment: Option<AssessmentStatus>,
    /// Approved: recognised «An toàn về an ninh, trật tự» or not, and its class.
    pub recognised: Option<bool>,
    pub classification: Option<Classification>,
    /// Every member of staff and every pupil briefed in the school year (art. 7.1).
    pub briefed: bool,
    /// Keeps a self-managed model that counts for the year.
    pub with_model: bool,
}

/// The province's totals over its schools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SchoolTotals {
    /// Schools listed (excluded ones too).
    pub schools: i64,
    /// Marked outside the Thông tư (art. 1.2.b).
    pub excluded: i64,
    /// Of the schools the Thông tư applies to: registered, recognised, fully briefed, with a
    /// model.
    pub registered: Share,
    pub recognised: Share,
    pub briefed: Share,
    pub with_model: Share,
    /// Pupils' pledges of every school listed.
    pub pupils: Share,
}

/// `GET /api/v1/provinces/{code}/schools?year=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SchoolBoard {
    pub province_code: String,
    pub year: i32,
    pub totals: SchoolTotals,
    pub lines: Vec<SchoolLine>,
}

/// The totals of `lines`: shares over the schools not excluded; pupils over all.
pub fn totals(lines: &[SchoolLine]) -> SchoolTotals {
    let applies: Vec<&SchoolLine> = lines.iter().filter(|l| l.exclusion.is_none()).collect();
    let n = applies.len() as i64;
    let count = |f: fn(&SchoolLine) -> bool| applies.iter().filter(|l| f(l)).count() as i64;
    SchoolTotals {
        schools: lines.len() as i64,
        excluded: lines.len() as i64 - n,
        registered: Share::new(n, count(|l| l.registered)),
        recognised: Share::new(n, count(|l| l.recognised == Some(true))),
        briefed: Share::new(n, count(|l| l.briefed)),
        with_model: Share::new(n, count(|l| l.with_model)),
        pupils: Share::new(
            lines.iter().map(|l| l.pupils.units).sum(),
            lines.iter().map(|l| l.pupils.counted).sum(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn school(code: &str, signed: i64, of: i64) -> SchoolLine {
        SchoolLine {
            unit_code: code.into(),
            unit_name: format!("Trường {code}"),
            commune_code: None,
            commune_name: None,
            exclusion: None,
            registered: false,
            pupils: Share::new(of, signed),
            assessment: None,
            recognised: None,
            classification: None,
            briefed: false,
            with_model: false,
        }
    }

    #[test]
    fn the_totals_count_the_schools_the_thong_tu_applies_to() {
        let mut a = school("TH-1", 900, 1000);
        a.registered = true;
        a.recognised = Some(true);
        a.briefed = true;
        let mut b = school("TH-2", 300, 400);
        b.registered = true;
        b.recognised = Some(false);
        b.with_model = true;
        // Art. 1.2.b: "cơ sở giáo dục (trừ cơ sở giáo dục tiểu học, mầm non, nhà trẻ)" — its
        // pupils still sign, but it owes no registration and no recognition.
        let mut c = school("TH-3", 100, 100);
        c.exclusion = Some(Exclusion::PrimaryOrPreschool);
        let t = totals(&[a, b, c]);
        assert_eq!((t.schools, t.excluded), (3, 1));
        assert_eq!(t.registered, Share::new(2, 2));
        assert_eq!(t.recognised, Share::new(2, 1));
        assert_eq!(t.briefed, Share::new(2, 1));
        assert_eq!(t.with_model, Share::new(2, 1));
        assert_eq!(t.pupils, Share::new(1500, 1300));
        assert_eq!(totals(&[]).recognised.percent, None);
    }
}
