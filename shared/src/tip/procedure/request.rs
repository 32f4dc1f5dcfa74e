//! The step request and a province's corrections, checked as the server and the console check them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::rules::*;
use super::steps::*;
use crate::error::{Errors, FieldError, ValidationError};
use crate::text::parse_long_text;
use crate::tip::parse_reason;

// ---------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------

/// Longest decision number, e.g. `125/QĐ-CSĐT`.
pub const ACT_NUMBER_MAX_CHARS: usize = 40;
/// Longest signer, e.g. `Phó Viện trưởng VKSND khu vực 3 — Nguyễn Văn B`.
pub const ACT_SIGNER_MAX_CHARS: usize = 160;
/// Longest "referred to" of a tip that is not a crime.
pub const REFERRED_TO_MAX_CHARS: usize = 200;

/// A decision as it is written: number, date, signer (số, ngày, người ký).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ActRequest {
    pub number: String,
    /// `YYYY-MM-DD`
    pub date: String,
    pub signer: String,
}

/// A decision as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Act {
    pub number: String,
    pub date: NaiveDate,
    pub signer: String,
}

/// `POST /api/v1/tips/{id}/steps`: one step of the procedure.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StepRequest {
    /// One of [`Step`]'s wire names.
    pub step: String,
    #[serde(default)]
    pub reason: Option<String>,
    /// With `classify` (and `accept`, which needs a class a commune head may handle).
    #[serde(default)]
    pub crime_class: Option<String>,
    #[serde(default)]
    pub flagrant: Option<bool>,
    #[serde(default)]
    pub public_interest: Option<bool>,
    #[serde(default)]
    pub remote_commune: Option<bool>,
    /// With `not_crime`: the body the matter was referred to.
    #[serde(default)]
    pub referred_to: Option<String>,
    /// With `merge`: the tip this one duplicates.
    #[serde(default)]
    pub merge_into: Option<String>,
    /// With the decisions (`extend_procuracy`, `prosecute`, `not_prosecute`, `suspend`,
    /// `resume`).
    #[serde(default)]
    pub act: Option<ActRequest>,
}

/// A step request checked: the fields each step needs are there and well formed.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedStep {
    pub step: Step,
    pub reason: String,
    pub facts: Option<Facts>,
    pub referred_to: Option<String>,
    pub merge_into: Option<String>,
    pub act: Option<Act>,
}

impl StepRequest {
    /// Checks the request's own fields (not the tip's stage nor the caller's role: see
    /// [`Step::check`]); `today` is the Vietnam date, after which no decision can be dated.
    pub fn parse(&self, today: NaiveDate) -> Result<ParsedStep, Vec<FieldError>> {
        let mut e = Errors::new();
        let step = e.check("step", Step::parse(self.step.trim()));
        let reason = e.check("reason", parse_reason(self.reason.as_deref()));
        let class = self
            .crime_class
            .as_deref()
            .map(|c| e.check("crime_class", CrimeClass::parse(c.trim())))
            .unwrap_or(None);
        let facts = matches!(step, Some(Step::Classify | Step::Accept)).then(|| Facts {
            crime_class: class,
            flagrant: self.flagrant.unwrap_or(false),
            public_interest: self.public_interest.unwrap_or(false),
            remote_commune: self.remote_commune.unwrap_or(false),
        });
        if step == Some(Step::Accept) {
            // The class decides whether the head may handle it: required, and within scope.
            match (&self.crime_class, class) {
                (None, _) => e.push(ValidationError::Required.on("crime_class")),
                (Some(_), Some(c)) if !c.commune_head_may_handle() => {
                    e.push(
                        ValidationError::StepNotAllowed {
                            step: Step::Accept.as_str(),
                            rule: COMMUNE_HEAD_SCOPE.id,
                        }
                        .on("crime_class"),
                    );
                }
                _ => {}
            }
        }
        let referred_to = if step == Some(Step::NotCrime) {
            e.check(
                "referred_to",
                parse_long_text(
                    self.referred_to.as_deref().unwrap_or(""),
                    1,
                    REFERRED_TO_MAX_CHARS,
                ),
            )
        } else {
            None
        };
        let merge_into = if step == Some(Step::Merge) {
            let m = self.merge_into.as_deref().map(str::trim).unwrap_or("");
            if m.is_empty() {
                e.push(ValidationError::Required.on("merge_into"));
            }
            Some(m.to_string())
        } else {
            None
        };
        let act = match (step.is_some_and(Step::needs_act), &self.act) {
            (true, None) => {
                e.push(ValidationError::Required.on("act"));
                None
            }
            (true, Some(a)) => a.parse(today, &mut e),
            (false, _) => None,
        };
        e.into_result()?;
        match (step, reason) {
            (Some(step), Some(reason)) => Ok(ParsedStep {
                step,
                reason,
                facts,
                referred_to,
                merge_into,
                act,
            }),
            _ => Err(vec![ValidationError::Required.on("step")]),
        }
    }
}

impl ActRequest {
    fn parse(&self, today: NaiveDate, e: &mut Errors) -> Option<Act> {
        let number = e.check(
            "act.number",
            parse_long_text(&self.number, 1, ACT_NUMBER_MAX_CHARS),
        );
        let date = e.check(
            "act.date",
            crate::pledge::parse_date(self.date.trim()).and_then(|d| {
                if d > today {
                    Err(ValidationError::DateInFuture)
                } else {
                    Ok(d)
                }
            }),
        );
        let signer = e.check(
            "act.signer",
            parse_long_text(&self.signer, 1, ACT_SIGNER_MAX_CHARS),
        );
        Some(Act {
            number: number?,
            date: date?,
            signer: signer?,
        })
    }
}

/// A year's days off that the platform cannot compute (Tết, Giỗ Tổ Hùng Vương, the second day of
/// Quốc khánh, compensatory days), kept by the province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Holiday {
    pub date: NaiveDate,
    pub name: String,
}

/// `GET`/`PUT /api/v1/provinces/{code}/procedure`: a province's corrections of the procedure's
/// numbers and its list of days off.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProvinceProcedure {
    pub settings: ProcedureSettings,
    pub holidays: Vec<Holiday>,
}

/// Longest holiday name.
pub const HOLIDAY_NAME_MAX_CHARS: usize = 80;
/// Most holidays in one province's list.
pub const HOLIDAYS_MAX: usize = 200;

impl ProvinceProcedure {
    /// Checks a province's corrections: every number within a sane range (a typo must not give
    /// a 0-hour limit), names present, no date twice. Sorted by date.
    pub fn parse(mut self) -> Result<Self, Vec<FieldError>> {
        let mut e = Errors::new();
        let s = self.settings;
        for (field, v, min, max) in [
            (
                "settings.transfer_urgent_hours",
                s.transfer_urgent_hours,
                1,
                72,
            ),
            (
                "settings.transfer_remote_hours",
                s.transfer_remote_hours,
                1,
                168,
            ),
            ("settings.transfer_days", s.transfer_days, 1, 30),
            ("settings.decision_days", s.decision_days, 1, 60),
            ("settings.complex_months", s.complex_months, 1, 6),
            ("settings.procuracy_months", s.procuracy_months, 1, 6),
            (
                "settings.extension_request_days",
                s.extension_request_days,
                0,
                30,
            ),
            ("settings.closing_report_days", s.closing_report_days, 0, 30),
            ("settings.escalate_minutes", s.escalate_minutes, 1, 1440),
        ] {
            if !(min..=max).contains(&v) {
                e.push(
                    ValidationError::OutOfRange {
                        min: i64::from(min),
                        max: i64::from(max),
                    }
                    .on(field),
                );
            }
        }
        if self.holidays.len() > HOLIDAYS_MAX {
            e.push(ValidationError::TooMany { max: HOLIDAYS_MAX }.on("holidays"));
        }
        for (i, h) in self.holidays.iter_mut().enumerate() {
            if let Some(n) = e.check(
                &format!("holidays[{i}].name"),
                parse_long_text(&h.name, 1, HOLIDAY_NAME_MAX_CHARS),
            ) {
                h.name = n;
            }
        }
        self.holidays.sort_by_key(|h| h.date);
        for w in self.holidays.windows(2) {
            if w[0].date == w[1].date {
                e.push(ValidationError::Duplicate.on("holidays"));
                break;
            }
        }
        e.into_result()?;
        Ok(self)
    }
}
