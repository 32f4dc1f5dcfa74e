//! Briefings and trainings (quán triệt, tuyên truyền) of an agency's, enterprise's or school's
//! people, the record behind the first point of criterion 1 of TT 124/2021/TT-BCA art. 6.1
//! («100% cán bộ, người lao động được quán triệt») and art. 7.1 («100% cán bộ, giáo viên, nhân
//! viên và người học được quán triệt»). For a school, the weekly flag-ceremony briefings of the
//! education plan count (seed 003: «tuyên truyền … qua các buổi chào cờ, sinh hoạt dưới cờ»).
//!
//! A session is held for the whole unit or for one of its classes or departments, with how many
//! came against how many it was for. The unit is fully briefed in a year ([`coverage`]) when a
//! whole-unit session reached everyone, or when every one of its classes or departments had a
//! session that did; otherwise the share says how far it got.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::error::{Errors, FieldError, ValidationError};
use crate::records::Share;

/// The longest topic.
pub const TOPIC_MAX: usize = 200;
/// The most people one session may be for.
pub const HEADCOUNT_MAX: u32 = 100_000;

/// One session, as the rule reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The class or department it was for; `None` for the whole unit.
    pub group: Option<String>,
    pub attendance: u32,
    pub headcount: u32,
}

/// How far a unit's people were briefed in a year: the whole unit's best session, or its groups'
/// best sessions together when every group had one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Coverage {
    /// People briefed of the people counted (`units` are people here).
    pub share: Share,
    /// 100% of them (arts. 6.1, 7.1).
    pub complete: bool,
    /// Classes or departments of the unit without a session this year.
    pub groups_without: Vec<String>,
}

/// The coverage of a unit's sessions of a year; `groups` are its current classes or
/// departments.
pub fn coverage(sessions: &[Session], groups: &[String]) -> Coverage {
    let best_whole = sessions
        .iter()
        .filter(|s| s.group.is_none())
        .map(|s| (s.attendance.min(s.headcount), s.headcount))
        .max_by(|a, b| ratio_order(*a, *b));
    let mut best_group: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for s in sessions {
        if let Some(g) = s.group.as_deref() {
            let this = (s.attendance.min(s.headcount), s.headcount);
            let e = best_group.entry(g).or_insert(this);
            if ratio_order(this, *e).is_gt() {
                *e = this;
            }
        }
    }
    let groups_without: Vec<String> = groups
        .iter()
        .filter(|g| !best_group.contains_key(g.as_str()))
        .cloned()
        .collect();
    // The groups' best sessions together (of the groups that had one).
    let by_groups = groups
        .iter()
        .filter_map(|g| best_group.get(g.as_str()))
        .fold(None, |acc: Option<(u32, u32)>, (x, y)| {
            let (a, h) = acc.unwrap_or((0, 0));
            Some((a + x, h + y))
        });
    let full = |(a, h): (u32, u32)| h > 0 && a == h;
    let complete = best_whole.is_some_and(full)
        || (!groups.is_empty() && groups_without.is_empty() && by_groups.is_some_and(full));
    // The figure shown: the better of the two readings that exist (the groups without a session
    // are listed beside it).
    let shown = [best_whole, by_groups]
        .into_iter()
        .flatten()
        .max_by(|a, b| ratio_order(*a, *b))
        .unwrap_or((0, 0));
    Coverage {
        share: Share::new(i64::from(shown.1), i64::from(shown.0)),
        complete,
        groups_without,
    }
}

/// Orders (attended, of) by share, then by size.
fn ratio_order(a: (u32, u32), b: (u32, u32)) -> std::cmp::Ordering {
    (u64::from(a.0) * u64::from(b.1))
        .cmp(&(u64::from(b.0) * u64::from(a.1)))
        .then(a.1.cmp(&b.1))
}

/// `POST /api/v1/units/{code}/briefings`: a session held for an agency, enterprise or school or
/// for one of its classes or departments (`code` is the unit it was for).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BriefingRequest {
    pub held_on: NaiveDate,
    /// What was briefed, e.g. «Quán triệt nội quy bảo vệ an ninh, trật tự năm 2026».
    pub topic: String,
    /// How many came, of how many it was for.
    pub attendance: u32,
    pub headcount: u32,
    /// A school's flag-ceremony briefing (chào cờ, sinh hoạt dưới cờ).
    #[serde(default)]
    pub flag_ceremony: bool,
}

impl BriefingRequest {
    /// A day of the past, a one-line topic, at least one person it was for, no more came than
    /// it was for. Answers the topic as checked.
    pub fn check(&self, today: NaiveDate) -> Result<String, Vec<FieldError>> {
        let mut e = Errors::new();
        if self.held_on > today {
            e.push(ValidationError::DateInFuture.on("held_on"));
        }
        let topic = e.check("topic", crate::text::parse_line(&self.topic, TOPIC_MAX));
        if !(1..=HEADCOUNT_MAX).contains(&self.headcount) {
            e.push(
                ValidationError::OutOfRange {
                    min: 1,
                    max: i64::from(HEADCOUNT_MAX),
                }
                .on("headcount"),
            );
        } else if self.attendance > self.headcount {
            e.push(
                ValidationError::OutOfRange {
                    min: 0,
                    max: i64::from(self.headcount),
                }
                .on("attendance"),
            );
        }
        e.into_result()?;
        topic.ok_or_else(|| vec![ValidationError::Required.on("topic")])
    }
}

/// A session as kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Briefing {
    pub id: String,
    /// The unit it was for (the agency, enterprise or school, or one of its classes or
    /// departments) and its name.
    pub unit_code: String,
    pub unit_name: String,
    pub held_on: NaiveDate,
    pub topic: String,
    pub attendance: u32,
    pub headcount: u32,
    pub flag_ceremony: bool,
}

/// `GET /api/v1/units/{code}/briefings?year=`: an agency's, enterprise's or school's sessions of
/// a year and how far they reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BriefingBoard {
    pub unit_code: String,
    pub year: i32,
    pub briefings: Vec<Briefing>,
    pub coverage: Coverage,
    /// The classes or departments sessions may be held for.
    pub groups: Vec<BriefingGroup>,
}

/// A class or department of the unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BriefingGroup {
    pub code: String,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(group: Option<&str>, attendance: u32, headcount: u32) -> Session {
        Session {
            group: group.map(str::to_string),
            attendance,
            headcount,
        }
    }

    /// Arts. 6.1 and 7.1: «100% … được quán triệt» — by one session for everyone, or by every
    /// class or department, each reached whole.
    #[test]
    fn everyone_briefed_by_the_unit_or_by_every_group() {
        let groups = ["LH-1".to_string(), "LH-2".to_string()];
        /// (case, sessions, 100% reached, (briefed, counted)).
        type Case<'a> = (&'a str, Vec<Session>, bool, (i64, i64));
        let table: [Case; 6] = [
            ("nothing held", vec![], false, (0, 0)),
            (
                "a flag ceremony with everyone",
                vec![s(None, 1200, 1200)],
                true,
                (1200, 1200),
            ),
            (
                "a flag ceremony with most",
                vec![s(None, 1150, 1200)],
                false,
                (1150, 1200),
            ),
            (
                "each class in full",
                vec![s(Some("LH-1"), 40, 40), s(Some("LH-2"), 38, 38)],
                true,
                (78, 78),
            ),
            (
                "one class only",
                vec![s(Some("LH-1"), 40, 40)],
                false,
                (40, 40),
            ),
            (
                "a class caught up in a second session",
                vec![
                    s(Some("LH-1"), 40, 40),
                    s(Some("LH-2"), 30, 38),
                    s(Some("LH-2"), 38, 38),
                ],
                true,
                (78, 78),
            ),
        ];
        for (case, sessions, complete, (counted, units)) in table {
            let c = coverage(&sessions, &groups);
            assert_eq!(c.complete, complete, "{case}");
            assert_eq!((c.share.counted, c.share.units), (counted, units), "{case}");
        }
        assert_eq!(
            coverage(&[s(Some("LH-1"), 40, 40)], &groups).groups_without,
            ["LH-2"]
        );
        // A unit without classes or departments is briefed as a whole only.
        assert!(!coverage(&[], &[]).complete);
    }

    #[test]
    fn a_session_names_its_fields() {
        let today = NaiveDate::from_ymd_opt(2026, 9, 10).unwrap();
        let ok = BriefingRequest {
            held_on: NaiveDate::from_ymd_opt(2026, 9, 7).unwrap(),
            topic: "Sinh hoạt dưới cờ: phòng chống ma túy".into(),
            attendance: 1150,
            headcount: 1200,
            flag_ceremony: true,
        };
        assert!(ok.check(today).is_ok());
        let fields = |r: &BriefingRequest| -> Vec<String> {
            r.check(today)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        let bad = BriefingRequest {
            held_on: NaiveDate::from_ymd_opt(2026, 9, 11).unwrap(),
            topic: " ".into(),
            attendance: 1300,
            ..ok.clone()
        };
        assert_eq!(fields(&bad), ["held_on", "topic", "attendance"]);
        let empty = BriefingRequest {
            headcount: 0,
            attendance: 0,
            ..ok
        };
        assert_eq!(fields(&empty), ["headcount"]);
    }
}
