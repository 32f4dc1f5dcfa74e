//! The events of criterion 4 that a unit keeps through the year (vụ việc, sự cố), and the
//! force-majeure exception of TT 124/2021/TT-BCA art. 4.4 as a rule the platform evaluates:
//!
//! > «… không để xảy ra cháy, nổ, tai nạn lao động chết người hoặc sự cố nghiêm trọng, **trừ
//! > trường hợp bất khả kháng mà đã kịp thời phát hiện, báo cáo**»
//!
//! - a serious crime and a new social evil fail the criterion, with no exception;
//! - a fire, an explosion, a fatal work accident or another serious incident (a fatal traffic
//!   accident is entered as one) fails it **unless** it was force majeure **and** promptly
//!   detected and reported ([`excused`]);
//! - "kịp thời" (promptly) has no number in the Thông tư: the platform reads it as a report within
//!   [`DEFAULT_PROMPT_REPORT_HOURS`] hours of the event — the 24 hours Vietnamese incident rules
//!   give for the first written report (e.g. a fatal work accident, Nghị định 39/2016/NĐ-CP
//!   art. 10) — a figure a province changes in its own criteria set (`prompt_report_hours`).

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::enums::labelled_enum;
use crate::error::{Errors, FieldError, ValidationError};

/// How many hours after an event its report still counts as prompt, unless a province's set
/// says otherwise (see the module's note: not a number of the Thông tư).
pub const DEFAULT_PROMPT_REPORT_HOURS: u32 = 24;

/// The longest description of an event.
pub const DESCRIPTION_MAX: usize = 500;

labelled_enum! {
    /// What happened, in the words of art. 4.4.
    IncidentKind {
        /// tội phạm nghiêm trọng, rất nghiêm trọng, đặc biệt nghiêm trọng
        SeriousCrime = "serious_crime", "Tội phạm nghiêm trọng, rất nghiêm trọng, đặc biệt nghiêm trọng", "Serious, very serious or particularly serious crime";
        /// tệ nạn xã hội phát sinh
        SocialEvil = "social_evil", "Tệ nạn xã hội phát sinh", "A new social evil";
        /// cháy
        Fire = "fire", "Cháy", "Fire";
        /// nổ
        Explosion = "explosion", "Nổ", "Explosion";
        /// tai nạn lao động chết người
        FatalWorkAccident = "fatal_work_accident", "Tai nạn lao động chết người", "Fatal work accident";
        /// sự cố nghiêm trọng (e.g. a fatal traffic accident)
        SeriousIncident = "serious_incident", "Sự cố nghiêm trọng (ví dụ tai nạn giao thông chết người)", "Serious incident (e.g. a fatal traffic accident)";
    }
}

impl IncidentKind {
    /// Whether the force-majeure exception can excuse it: the events the exception follows in
    /// art. 4.4 (fire, explosion, fatal work accident, serious incident), not crimes or social
    /// evils.
    pub fn excusable(self) -> bool {
        matches!(
            self,
            Self::Fire | Self::Explosion | Self::FatalWorkAccident | Self::SeriousIncident
        )
    }
}

/// The facts the rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts {
    pub kind: IncidentKind,
    /// When it happened and when it was reported to the commune's police, Vietnam time.
    pub occurred_at: NaiveDateTime,
    pub reported_at: NaiveDateTime,
    /// bất khả kháng: the unit could neither foresee nor prevent it.
    pub force_majeure: bool,
}

/// Reported within `hours` of the event ("kịp thời phát hiện, báo cáo").
pub fn reported_promptly(f: &Facts, hours: u32) -> bool {
    f.reported_at >= f.occurred_at
        && f.reported_at - f.occurred_at <= TimeDelta::hours(i64::from(hours))
}

/// Whether the exception of art. 4.4 excuses the event: an excusable kind, force majeure, and
/// promptly reported — all three.
pub fn excused(f: &Facts, hours: u32) -> bool {
    f.kind.excusable() && f.force_majeure && reported_promptly(f, hours)
}

/// What the events of a period say of criterion 4: failed when one is not excused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub passed: bool,
    pub events: usize,
    pub excused: usize,
}

pub fn verdict(events: &[Facts], hours: u32) -> Verdict {
    let excused_n = events.iter().filter(|f| excused(f, hours)).count();
    Verdict {
        passed: excused_n == events.len(),
        events: events.len(),
        excused: excused_n,
    }
}

/// `POST /api/v1/units/{code}/incidents`: an event of criterion 4 in a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IncidentRequest {
    pub kind: IncidentKind,
    /// When it happened (RFC 3339 with its offset, e.g. `2026-02-10T21:30:00+07:00`).
    #[serde(with = "crate::time::vn")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub occurred_at: NaiveDateTime,
    /// When it was reported to the commune's police.
    #[serde(with = "crate::time::vn")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub reported_at: NaiveDateTime,
    #[serde(default)]
    pub force_majeure: bool,
    /// What happened, without names (a place, the damage).
    pub description: String,
}

impl IncidentRequest {
    /// Times not after `now` (Vietnam time), the report not before the event, a description of
    /// one to several lines. Answers the description as checked.
    pub fn check(&self, now: NaiveDateTime) -> Result<String, Vec<FieldError>> {
        let mut e = Errors::new();
        if self.occurred_at > now {
            e.push(ValidationError::DateInFuture.on("occurred_at"));
        }
        if self.reported_at > now {
            e.push(ValidationError::DateInFuture.on("reported_at"));
        } else if self.reported_at < self.occurred_at {
            e.push(ValidationError::EndBeforeStart.on("reported_at"));
        }
        let d = e.check(
            "description",
            crate::text::parse_long_text(&self.description, 1, DESCRIPTION_MAX),
        );
        e.into_result()?;
        d.ok_or_else(|| vec![ValidationError::Required.on("description")])
    }
}

/// An event as kept, with what the rule says of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Incident {
    pub id: String,
    pub unit_code: String,
    pub kind: IncidentKind,
    #[serde(with = "crate::time::vn")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub occurred_at: NaiveDateTime,
    #[serde(with = "crate::time::vn")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub reported_at: NaiveDateTime,
    pub force_majeure: bool,
    pub description: String,
    /// Reported within the set's hours ([`reported_promptly`]).
    pub reported_promptly: bool,
    /// The exception of art. 4.4 excuses it ([`excused`]).
    pub excused: bool,
}

/// `GET /api/v1/units/{code}/incidents?year=`: a unit's events of criterion 4 in its assessment
/// period of a year (for a commune, its own and its units'), and what they say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct IncidentBoard {
    pub unit_code: String,
    pub year: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The hours a report may take and still be prompt (the unit's criteria set).
    pub prompt_report_hours: u32,
    pub incidents: Vec<Incident>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 2, d)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .unwrap()
    }

    /// Art. 4.4: «trừ trường hợp bất khả kháng mà đã kịp thời phát hiện, báo cáo» — the
    /// exception needs force majeure and a prompt report, and covers the accidents and incidents
    /// it follows, never crimes or social evils.
    #[test]
    fn force_majeure_promptly_reported_is_excused() {
        use IncidentKind::*;
        let h = DEFAULT_PROMPT_REPORT_HOURS;
        let table = [
            // A fatal traffic accident (a serious incident), force majeure, reported in 2 hours.
            (SeriousIncident, at(10, 21), at(10, 23), true, true),
            // The same, reported after 3 days: not prompt.
            (SeriousIncident, at(10, 21), at(13, 21), true, false),
            // The same, reported at once but not force majeure.
            (SeriousIncident, at(10, 21), at(10, 22), false, false),
            (Fire, at(1, 3), at(2, 3), true, true),
            (Explosion, at(1, 3), at(2, 4), true, false),
            (FatalWorkAccident, at(5, 8), at(5, 9), true, true),
            // No exception for a crime or a social evil, whatever is ticked.
            (SeriousCrime, at(5, 8), at(5, 9), true, false),
            (SocialEvil, at(5, 8), at(5, 9), true, false),
        ];
        for (kind, occurred_at, reported_at, force_majeure, want) in table {
            let f = Facts {
                kind,
                occurred_at,
                reported_at,
                force_majeure,
            };
            assert_eq!(excused(&f, h), want, "{f:?}");
        }
        // A province that reads "kịp thời" as 72 hours excuses the late report.
        let late = Facts {
            kind: SeriousIncident,
            occurred_at: at(10, 21),
            reported_at: at(13, 21),
            force_majeure: true,
        };
        assert!(excused(&late, 72));
    }

    #[test]
    fn one_event_not_excused_fails_the_criterion() {
        let ok = Facts {
            kind: IncidentKind::SeriousIncident,
            occurred_at: at(10, 21),
            reported_at: at(10, 23),
            force_majeure: true,
        };
        let bad = Facts {
            force_majeure: false,
            ..ok
        };
        assert_eq!(
            verdict(&[], 24),
            Verdict {
                passed: true,
                events: 0,
                excused: 0
            }
        );
        assert!(verdict(&[ok], 24).passed);
        assert_eq!(
            verdict(&[ok, bad], 24),
            Verdict {
                passed: false,
                events: 2,
                excused: 1
            }
        );
    }

    #[test]
    fn a_report_names_its_fields() {
        let now = at(20, 12);
        let ok = IncidentRequest {
            kind: IncidentKind::Fire,
            occurred_at: at(10, 21),
            reported_at: at(10, 23),
            force_majeure: true,
            description: "Cháy nhà kho do sét đánh".into(),
        };
        assert_eq!(ok.check(now).as_deref(), Ok("Cháy nhà kho do sét đánh"));
        let fields = |r: &IncidentRequest| -> Vec<String> {
            r.check(now)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        let bad = IncidentRequest {
            occurred_at: at(21, 1),
            reported_at: at(9, 1),
            description: " ".into(),
            ..ok.clone()
        };
        assert_eq!(fields(&bad), ["occurred_at", "reported_at", "description"]);
    }
}
