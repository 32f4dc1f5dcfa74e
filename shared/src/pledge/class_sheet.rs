//! A class's sheet for its form teacher (giáo viên chủ nhiệm), who collects the class's
//! commitments (seed 003: «tổ chức các hoạt động tuyên truyền tới … học sinh, phụ huynh học
//! sinh»): for each pupils' campaign the class is in, its roster with who has signed and how, the
//! pupils who signed without being on it, and what is left — read by the teacher, who enters the
//! paper forms of the class (`POST /campaigns/{code}/paper-pledges`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::enums::PledgeChannel;

/// One pupil of the roster.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RosterPupil {
    /// The roster's line (the header is line 1).
    pub line: i32,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    /// How a counted pledge of the pupil reached the platform; `None`: not signed (or only a
    /// pledge that no longer counts).
    pub signed: Option<PledgeChannel>,
}

/// One campaign of the class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClassCampaign {
    pub code: String,
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    /// How many commitments its template has (a paper form accepts them all).
    pub commitments: usize,
    pub roster: Vec<RosterPupil>,
    /// Counted pledges of the class's pupils not on the roster.
    pub off_roster: i64,
    /// Counted pledges of the class, and how many are expected (the roster, or the number the
    /// school declared).
    pub signed: i64,
    pub expected: i64,
}

/// `GET /api/v1/units/{code}/class-sheet?year=…`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClassSheet {
    pub unit_code: String,
    pub unit_name: String,
    pub year: i32,
    pub campaigns: Vec<ClassCampaign>,
}

impl ClassCampaign {
    /// The roster's pupils who have not signed yet.
    pub fn left(&self) -> impl Iterator<Item = &RosterPupil> {
        self.roster.iter().filter(|p| p.signed.is_none())
    }
}
