//! Who fills a unit's assessment, who decides its recognition, and the decision itself
//! (TT 124/2021/TT-BCA arts. 9–10, «trình tự, thủ tục, thẩm quyền xét, công nhận»).
//!
//! Read with the two-level local government in force since 1 July 2025: there is no district, so
//! what the Thông tư gives the district's chairman (recognising a commune) is the province's. The
//! platform records a decision; it does not sign one: the province officer or the commune's
//! leader who approves enters the decision as signed, with its number, date and signer.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::error::{Errors, FieldError, ValidationError};
use crate::{Role, UnitKind};

/// What the Thông tư gives each party over a unit's assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Authority {
    /// Save the draft and attach evidence: the self-assessment's own party and those who
    /// prepare it with them («phối hợp»), who may not submit or decide.
    pub prepare: &'static [Role],
    /// Submit the self-assessment as the unit's proposal («đề nghị»).
    pub submit: &'static [Role],
    /// Approve or return it: the authority that recognises («xét, công nhận»).
    pub decide: Role,
    /// Where it is written.
    pub article: &'static str,
}

/// The authority over an assessed unit of `kind`; `None` for kinds that are not assessed.
///
/// - Khu dân cư: «Trưởng thôn, Tổ trưởng tổ dân phố chủ trì, phối hợp với Chi bộ, Ban công tác
///   Mặt trận và Công an cấp xã» self-assess and propose; the chairman of the commune People's
///   Committee recognises. The commune police prepare, and decide nothing.
/// - Xã, phường: the commune (its People's Committee, prepared by its police) proposes; the
///   province recognises (the district's part before 1 July 2025).
/// - Cơ quan, doanh nghiệp, cơ sở giáo dục: the head self-assesses and proposes; the commune's
///   chairman recognises those under the commune's management.
pub fn authority(kind: UnitKind) -> Option<Authority> {
    use UnitKind::*;
    let a = match kind {
        ResidentialArea => Authority {
            prepare: &[Role::AreaHead, Role::WardOfficer],
            submit: &[Role::AreaHead],
            decide: Role::CommuneLeader,
            article: "TT 124 art. 9 (khu dân cư)",
        },
        Commune => Authority {
            prepare: &[Role::CommuneLeader, Role::WardOfficer],
            submit: &[Role::CommuneLeader],
            decide: Role::ProvinceOfficer,
            article: "TT 124 art. 9 (xã, phường, thị trấn); Luật Tổ chức chính quyền địa phương 2025",
        },
        School => Authority {
            prepare: &[Role::SchoolAdmin],
            submit: &[Role::SchoolAdmin],
            decide: Role::CommuneLeader,
            article: "TT 124 art. 10 (cơ sở giáo dục)",
        },
        Agency | Enterprise => Authority {
            prepare: &[Role::OrgAdmin],
            submit: &[Role::OrgAdmin],
            decide: Role::CommuneLeader,
            article: "TT 124 art. 10 (cơ quan, doanh nghiệp)",
        },
        Province | District | Class | Department => return None,
    };
    Some(a)
}

/// Whether `role` may act on an assessment of `kind` at `step`; administrators do everything
/// (and, like anyone, never decide on an assessment they filled: see [`may_decide_own`]).
pub fn allows(role: Role, kind: UnitKind, step: Step) -> bool {
    if role == Role::Admin {
        return authority(kind).is_some();
    }
    authority(kind).is_some_and(|a| match step {
        Step::Prepare => a.prepare.contains(&role),
        Step::Submit => a.submit.contains(&role),
        Step::Decide => a.decide == role,
    })
}

/// A step of the workflow `draft → submitted → returned | approved`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Prepare,
    Submit,
    Decide,
}

/// Nobody decides on what they filled: an account that saved, submitted or created an
/// assessment does not approve or return it.
pub fn may_decide_own<S: AsRef<str>>(filled_by: &[S], account: &str) -> bool {
    !filled_by.iter().any(|f| f.as_ref() == account)
}

/// A recognition as signed (quyết định công nhận đạt tiêu chuẩn «An toàn về an ninh, trật
/// tự»): its number, date and signer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecognitionDecision {
    /// Số quyết định, e.g. `45/QĐ-UBND`.
    pub number: String,
    pub date: NaiveDate,
    /// Who signed, e.g. «Chủ tịch UBND phường Nguyễn Văn A».
    pub signer: String,
}

impl RecognitionDecision {
    /// Checks the decision that approves an assessment of `year` whose outcome is `recognised`:
    /// a recognition is a decision, so it is required then (field `decision`); a decision on a
    /// unit not recognised is refused (nothing is recognised by it). Fields are named
    /// `decision.number`, `decision.date`, `decision.signer`.
    pub fn check(
        decision: Option<&Self>,
        recognised: bool,
        year: i32,
        today: NaiveDate,
    ) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        match (decision, recognised) {
            (None, true) => e.push(ValidationError::Required.on("decision")),
            (Some(_), false) => e.push(ValidationError::NotRecognised.on("decision")),
            (None, false) => {}
            (Some(d), true) => crate::plan::emulation::check_signed(
                &mut e,
                "decision.",
                (&d.number, d.date, &d.signer),
                year,
                today,
            ),
        }
        e.into_result()
    }

    /// The same, trimmed as stored.
    pub fn trimmed(&self) -> Self {
        Self {
            number: self.number.trim().to_string(),
            date: self.date,
            signer: self.signer.trim().to_string(),
        }
    }
}

/// An approved assessment of the year under a unit, as the dashboard and the November report
/// list them (sheet «Công nhận»).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecognitionLine {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub recognised: bool,
    pub classification: Option<crate::Classification>,
    pub score: Option<i32>,
    /// Whether the score comes from a scorecard without a source (our provisional reading, not
    /// QĐ 510's; `CriteriaSet::scorecard_is_provisional`).
    pub score_provisional: bool,
    /// The recognition decision; `None` for a unit not recognised, and for an approval recorded
    /// before decisions were kept (the report says so).
    pub decision: Option<RecognitionDecision>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use UnitKind::*;

    /// TT 124 arts. 9–10 as the table the workflow follows: who prepares, who proposes, who
    /// recognises.
    #[test]
    fn the_thong_tu_names_who_proposes_and_who_recognises() {
        let table = [
            // (kind, role, prepare, submit, decide)
            (ResidentialArea, Role::AreaHead, true, true, false),
            (ResidentialArea, Role::WardOfficer, true, false, false),
            (ResidentialArea, Role::CommuneLeader, false, false, true),
            (ResidentialArea, Role::ProvinceOfficer, false, false, false),
            (Commune, Role::CommuneLeader, true, true, false),
            (Commune, Role::WardOfficer, true, false, false),
            (Commune, Role::ProvinceOfficer, false, false, true),
            (School, Role::SchoolAdmin, true, true, false),
            (School, Role::WardOfficer, false, false, false),
            (School, Role::CommuneLeader, false, false, true),
            (Agency, Role::OrgAdmin, true, true, false),
            (Enterprise, Role::OrgAdmin, true, true, false),
            (Enterprise, Role::CommuneLeader, false, false, true),
            (Enterprise, Role::WardOfficer, false, false, false),
            (Class, Role::SchoolAdmin, false, false, false),
        ];
        for (kind, role, prepare, submit, decide) in table {
            assert_eq!(
                (
                    allows(role, kind, Step::Prepare),
                    allows(role, kind, Step::Submit),
                    allows(role, kind, Step::Decide)
                ),
                (prepare, submit, decide),
                "{kind:?} × {role:?}"
            );
        }
        // The commune police never decide a recognition the Thông tư gives someone else.
        for kind in crate::assessment::ASSESSED_KINDS {
            assert!(!allows(Role::WardOfficer, *kind, Step::Decide), "{kind:?}");
            assert!(!allows(Role::WardOfficer, *kind, Step::Submit), "{kind:?}");
        }
    }

    #[test]
    fn nobody_decides_on_what_they_filled() {
        assert!(!may_decide_own(&["a", "b"], "b"));
        assert!(may_decide_own(&["a", "b"], "c"));
    }

    #[test]
    fn a_recognition_is_a_signed_decision() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
        let d = RecognitionDecision {
            number: "45/QĐ-UBND".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            signer: "Chủ tịch UBND phường".into(),
        };
        assert_eq!(
            RecognitionDecision::check(Some(&d), true, 2026, today),
            Ok(())
        );
        assert_eq!(RecognitionDecision::check(None, false, 2026, today), Ok(()));
        let fields = |d: Option<&RecognitionDecision>, recognised: bool| -> Vec<String> {
            RecognitionDecision::check(d, recognised, 2026, today)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(fields(None, true), ["decision"]);
        assert_eq!(fields(Some(&d), false), ["decision"]);
        let bad = RecognitionDecision {
            number: "45".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 19).unwrap(),
            signer: "\u{7}".into(),
        };
        assert_eq!(
            fields(Some(&bad), true),
            ["decision.number", "decision.signer", "decision.date"]
        );
        let last_year = RecognitionDecision {
            date: NaiveDate::from_ymd_opt(2025, 12, 30).unwrap(),
            ..d
        };
        assert_eq!(fields(Some(&last_year), true), ["decision.date"]);
    }
}
