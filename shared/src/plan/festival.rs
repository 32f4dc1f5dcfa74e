//! The «Ngày hội toàn dân bảo vệ an ninh Tổ quốc» (19 August) each residential area holds (issue
//! 19). Seed 002 §III.4: «Tổ chức "Ngày hội toàn dân bảo vệ ANTQ" (19/8) hàng năm … chủ yếu được
//! tổ chức ở cơ sở, thôn, tổ dân phố …». The platform keeps the day, the attendance and photos
//! (their metadata stripped, as a tip's), and counts the share of areas that held one in a year.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::error::{Errors, FieldError, ValidationError};
use crate::tip::PhotoUpload;

/// Photos kept per festival.
pub const MAX_FESTIVAL_PHOTOS: usize = 3;
/// The most people a festival of one residential area counts.
pub const ATTENDANCE_MAX: i64 = 100_000;
/// The longest note.
pub const NOTE_MAX: usize = 2000;

/// `POST /api/v1/units/{code}/festivals`: a residential area's festival of a year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FestivalRequest {
    pub held_on: NaiveDate,
    pub attendance: i64,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub photos: Vec<PhotoUpload>,
}

impl FestivalRequest {
    /// A day not after `today`, an attendance of at least one, a short note, at most three
    /// photos of the tip form's size.
    pub fn check(&self, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        if self.held_on > today {
            e.push(ValidationError::DateInFuture.on("held_on"));
        }
        if !(1..=ATTENDANCE_MAX).contains(&self.attendance) {
            e.push(
                ValidationError::OutOfRange {
                    min: 1,
                    max: ATTENDANCE_MAX,
                }
                .on("attendance"),
            );
        }
        if self
            .note
            .as_ref()
            .is_some_and(|n| n.chars().count() > NOTE_MAX)
        {
            e.push(ValidationError::TooLong { max: NOTE_MAX }.on("note"));
        }
        if self.photos.len() > MAX_FESTIVAL_PHOTOS {
            e.push(
                ValidationError::TooMany {
                    max: MAX_FESTIVAL_PHOTOS,
                }
                .on("photos"),
            );
        } else {
            crate::tip::check_photos(&self.photos, "photos", &mut e);
        }
        e.into_result()
    }
}

/// A festival as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Festival {
    pub id: String,
    pub unit_code: String,
    pub held_on: NaiveDate,
    pub attendance: i64,
    pub note: Option<String>,
    /// Ids for `GET /api/v1/festival-photos/{id}`.
    pub photo_ids: Vec<String>,
    #[serde(with = "crate::time::utc")]
    pub recorded_at: NaiveDateTime,
}

/// One residential area of the list, with its festival of the year if it held one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FestivalLine {
    pub unit_code: String,
    pub unit_name: String,
    pub festival: Option<Festival>,
}

/// `GET /api/v1/units/{code}/festivals?year=…`: the residential areas under a unit and who held
/// the festival that year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FestivalBoard {
    pub year: i32,
    pub lines: Vec<FestivalLine>,
    pub share: FestivalShare,
}

/// How many residential areas held the festival of a year, of how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FestivalShare {
    pub areas: i64,
    pub held: i64,
    pub percent: Option<f64>,
}

impl FestivalShare {
    pub fn new(areas: i64, held: i64) -> Self {
        FestivalShare {
            areas,
            held,
            percent: crate::api::percent(held, areas),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn a_festival_is_held_not_planned() {
        let ok = FestivalRequest {
            held_on: d(8, 19),
            attendance: 230,
            note: None,
            photos: Vec::new(),
        };
        assert_eq!(ok.check(d(8, 19)), Ok(()));
        let bad = FestivalRequest {
            held_on: d(8, 20),
            attendance: 0,
            photos: vec![PhotoUpload::default(); MAX_FESTIVAL_PHOTOS + 1],
            ..ok
        };
        let fields: Vec<String> = bad
            .check(d(8, 19))
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["held_on", "attendance", "photos"]);
    }

    #[test]
    fn the_share_of_areas_that_held_one() {
        assert_eq!(
            FestivalShare::new(3, 2).percent.map(|p| p.round()),
            Some(67.0)
        );
        assert_eq!(FestivalShare::new(0, 0).percent, None);
    }
}
