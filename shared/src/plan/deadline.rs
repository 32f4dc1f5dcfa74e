//! The year's deadlines on the dashboard, each with what is still missing under the unit: the
//! registrations of quarter I (TT 124/2021/TT-BCA art. 9.2.a), the recognitions of residential
//! areas, agencies, enterprises and schools (arts. 9–10; the calendar's step
//! [`ReportingStep::Recognition`], 15/11–20/11 by default) and the classification of the
//! communes (step [`ReportingStep::Classification`], 20/11–30/11 by default). The days are the
//! province's calendar (`calendar`); who owes a step is read here, from each unit's records.
//!
//! A unit marked outside the Thông tư (art. 1.2.b, [`crate::registration::Exclusion`]) owes
//! nothing. A unit owes a recognition whether or not it registered: one that did not is listed as
//! not registered, since nothing can be recognised without a registration (art. 9.2.a).

use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::calendar::{CalendarEntry, ReportingStep};
use crate::enums::labelled_enum;
use crate::error::ValidationError;
use crate::registration::{COUNTED_KINDS, REGISTERING_KINDS};
use crate::{AssessmentStatus, UnitKind};

/// The most missing units listed by name under one step (the count is always whole).
pub const MISSING_LISTED: usize = 50;

/// A unit as the deadlines read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    /// Outside the Thông tư (art. 1.2.b).
    pub excluded: bool,
    /// Registered for the year.
    pub registered: bool,
    /// The state of its assessment of the period, if it has one.
    pub assessment: Option<AssessmentStatus>,
}

labelled_enum! {
    /// Why a unit is still missing at a step.
    Missing {
        NotRegistered = "not_registered", "Chưa đăng ký", "Not registered";
        NotStarted = "not_started", "Chưa tự đánh giá", "No assessment yet";
        Draft = "draft", "Đang tự đánh giá (bản nháp)", "Assessment in draft";
        Returned = "returned", "Bị trả lại để sửa", "Returned for changes";
        /// đã đề nghị, chờ quyết định
        AwaitingDecision = "awaiting_decision", "Đã đề nghị, chờ quyết định", "Proposed, awaiting the decision";
    }
}

/// A unit still missing at a step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MissingUnit {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub missing: Missing,
}

/// One deadline of the year and how far the units under the dashboard's unit are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Deadline {
    /// The calendar's step: its days, who sends to whom, its source and its state today.
    pub entry: CalendarEntry,
    /// Units that owe the step.
    pub owed: i64,
    /// Of those, the units that have done it.
    pub done: i64,
    /// Of those still missing, how many wait for someone's decision (proposed, not decided).
    pub awaiting_decision: i64,
    /// The first [`MISSING_LISTED`] units still missing, by code.
    pub missing: Vec<MissingUnit>,
}

/// Who owes a step, and whether a unit has done it; `None` for the steps not read here.
fn owes(step: ReportingStep, kind: UnitKind) -> Option<bool> {
    match step {
        ReportingStep::Registration => Some(REGISTERING_KINDS.contains(&kind)),
        ReportingStep::Recognition => Some(COUNTED_KINDS.contains(&kind)),
        ReportingStep::Classification => Some(kind == UnitKind::Commune),
        _ => None,
    }
}

/// Why `u` is still missing at `step`, or `None` when it has done it.
fn missing_at(step: ReportingStep, u: &Standing) -> Option<Missing> {
    if step == ReportingStep::Registration {
        return (!u.registered).then_some(Missing::NotRegistered);
    }
    match u.assessment {
        Some(AssessmentStatus::Approved) => None,
        Some(AssessmentStatus::Submitted) => Some(Missing::AwaitingDecision),
        Some(AssessmentStatus::Returned) => Some(Missing::Returned),
        Some(AssessmentStatus::Draft) => Some(Missing::Draft),
        None if !u.registered => Some(Missing::NotRegistered),
        None => Some(Missing::NotStarted),
    }
}

/// The deadlines of the calendar's `entries` that are read from records, in the calendar's
/// order, each over the `units` that owe it.
pub fn deadlines(entries: &[CalendarEntry], units: &[Standing]) -> Vec<Deadline> {
    entries
        .iter()
        .filter(|e| owes(e.step, UnitKind::Commune).is_some())
        .map(|e| {
            let mut d = Deadline {
                entry: e.clone(),
                owed: 0,
                done: 0,
                awaiting_decision: 0,
                missing: Vec::new(),
            };
            let mut owing: Vec<&Standing> = units
                .iter()
                .filter(|u| !u.excluded && owes(e.step, u.unit_kind) == Some(true))
                .collect();
            owing.sort_by(|a, b| a.unit_code.cmp(&b.unit_code));
            for u in owing {
                d.owed += 1;
                match missing_at(e.step, u) {
                    None => d.done += 1,
                    Some(m) => {
                        d.awaiting_decision += i64::from(m == Missing::AwaitingDecision);
                        if d.missing.len() < MISSING_LISTED {
                            d.missing.push(MissingUnit {
                                unit_code: u.unit_code.clone(),
                                unit_name: u.unit_name.clone(),
                                unit_kind: u.unit_kind,
                                missing: m,
                            });
                        }
                    }
                }
            }
            d
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::calendar::{CalendarSettings, calendar};
    use chrono::NaiveDate;

    fn unit(code: &str, kind: UnitKind, registered: bool, a: Option<AssessmentStatus>) -> Standing {
        Standing {
            unit_code: code.into(),
            unit_name: format!("Đơn vị {code}"),
            unit_kind: kind,
            excluded: false,
            registered,
            assessment: a,
        }
    }

    #[test]
    fn each_deadline_lists_who_still_owes_it() {
        use AssessmentStatus::*;
        use UnitKind::*;
        let today = NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        let entries = calendar(&CalendarSettings::default(), 2026, today);
        let mut primary = unit("TH-1", School, false, None);
        // Art. 1.2.b: "cơ sở giáo dục (trừ cơ sở giáo dục tiểu học, mầm non, nhà trẻ)".
        primary.excluded = true;
        let units = [
            unit("X-1", Commune, true, Some(Submitted)),
            unit("KD-1", ResidentialArea, true, Some(Approved)),
            unit("KD-2", ResidentialArea, true, Some(Submitted)),
            unit("KD-3", ResidentialArea, true, Some(Returned)),
            unit("KD-4", ResidentialArea, false, None),
            unit("DN-1", Enterprise, true, Some(Draft)),
            unit("TH-2", School, true, None),
            primary,
            // Classes and departments owe nothing.
            unit("LH-1", Class, false, None),
        ];
        let d = deadlines(&entries, &units);
        let steps: Vec<ReportingStep> = d.iter().map(|d| d.entry.step).collect();
        // In the calendar's order: quarter I (31/3), then 20/11, then 30/11.
        assert_eq!(
            steps,
            [
                ReportingStep::Registration,
                ReportingStep::Recognition,
                ReportingStep::Classification
            ]
        );
        let of = |s| d.iter().find(|d| d.entry.step == s).unwrap();
        let why = |d: &Deadline| -> Vec<(String, Missing)> {
            d.missing
                .iter()
                .map(|m| (m.unit_code.clone(), m.missing))
                .collect()
        };
        // Art. 9.2.a: the commune and its areas, agencies, enterprises and schools register.
        let reg = of(ReportingStep::Registration);
        assert_eq!((reg.owed, reg.done), (7, 6));
        assert_eq!(why(reg), [("KD-4".to_string(), Missing::NotRegistered)]);
        // Arts. 9–10: recognised by the commune's chairman, 15/11–20/11.
        let rec = of(ReportingStep::Recognition);
        assert_eq!((rec.owed, rec.done, rec.awaiting_decision), (6, 1, 1));
        assert_eq!(
            rec.entry.due_on,
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        );
        assert_eq!(
            why(rec),
            [
                ("DN-1".to_string(), Missing::Draft),
                ("KD-2".to_string(), Missing::AwaitingDecision),
                ("KD-3".to_string(), Missing::Returned),
                ("KD-4".to_string(), Missing::NotRegistered),
                ("TH-2".to_string(), Missing::NotStarted),
            ]
        );
        // The communes' classification, 20/11–30/11.
        let class = of(ReportingStep::Classification);
        assert_eq!((class.owed, class.done, class.awaiting_decision), (1, 0, 1));
        assert_eq!(
            class.entry.due_on,
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
    }

    #[test]
    fn a_long_list_names_the_first_units_and_counts_them_all() {
        let entries = calendar(
            &CalendarSettings::default(),
            2026,
            NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        );
        let units: Vec<Standing> = (0..120)
            .map(|i| {
                unit(
                    &format!("KD-{i:03}"),
                    UnitKind::ResidentialArea,
                    false,
                    None,
                )
            })
            .collect();
        let rec = deadlines(&entries, &units)
            .into_iter()
            .find(|d| d.entry.step == ReportingStep::Recognition)
            .unwrap();
        assert_eq!((rec.owed, rec.done), (120, 0));
        assert_eq!(rec.missing.len(), MISSING_LISTED);
        assert_eq!(rec.missing[0].unit_code, "KD-000");
    }
}
