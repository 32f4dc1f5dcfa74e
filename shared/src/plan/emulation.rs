//! Emulation (thi đua) and awards (khen thưởng) of the movement (issue 19): units register at
//! the start of the year in the emulation blocks (khối thi đua) the province defines, review
//! their year, the province's standing office proposes an award with the unit's results
//! attached, and the decision is recorded with its number, date and signer; a unit keeps its
//! award history.
//!
//! Sources: seed 000 §IV.1 («Các cơ quan, đơn vị, địa phương gửi đăng ký thi về Công an tỉnh (Cơ
//! quan Thường trực Ban Chỉ đạo tỉnh) trước ngày 25/5/2021» — the registration day is the
//! province's calendar, `calendar::ReportingStep::Registration`), §IV.2 («tiến hành sơ kết vào quý
//! IV hàng năm … đề xuất Ủy ban nhân dân tỉnh khen thưởng»), §IV.3 («Hình thức khen thưởng: Cờ thi
//! đua Ủy ban nhân dân tỉnh và Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh»); seed 003 §III.1
//! («đạt danh hiệu thi đua đã đăng ký đầu năm»); seed 002 §IV.2 («các cụm, khối thi đua của
//! tỉnh (theo Quyết định số 700/QĐ-UBND …)»). The forms of the ministry and of the lower levels are those of Luật
//! Thi đua, khen thưởng số 06/2022/QH15 (Cờ thi đua, Bằng khen, Giấy khen).

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::error::{Errors, FieldError, ValidationError};
use crate::plan::DashboardRow;

crate::enums::labelled_enum! {
    /// A form of award (hình thức khen thưởng) a proposal asks for.
    AwardForm {
        /// Cờ thi đua của Bộ Công an
        MinistryFlag = "ministry_flag", "Cờ thi đua của Bộ Công an", "Emulation flag of the Ministry of Public Security";
        /// Bằng khen của Bộ trưởng Bộ Công an
        MinisterCertificate = "minister_certificate", "Bằng khen của Bộ trưởng Bộ Công an", "Certificate of merit of the Minister of Public Security";
        /// Cờ thi đua của Ủy ban nhân dân tỉnh (seed 000 §IV.3)
        ProvinceFlag = "province_flag", "Cờ thi đua của Ủy ban nhân dân tỉnh", "Emulation flag of the province People's Committee";
        /// Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh (seed 000 §IV.3)
        ProvinceCertificate = "province_certificate", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "Certificate of merit of the province chairman";
        /// Giấy khen của Giám đốc Công an tỉnh
        PoliceDirectorCommendation = "police_director_commendation", "Giấy khen của Giám đốc Công an tỉnh", "Commendation of the province police director";
        /// Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã
        CommuneCommendation = "commune_commendation", "Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", "Commendation of the commune chairman";
    }
}

crate::enums::labelled_enum! {
    /// Where a unit's emulation of a year stands.
    EntryStatus {
        /// đã đăng ký thi đua
        Registered = "registered", "Đã đăng ký", "Registered";
        /// đã sơ kết, tự đánh giá
        Reviewed = "reviewed", "Đã sơ kết", "Reviewed";
        /// đã được đề nghị khen thưởng
        Proposed = "proposed", "Đã đề nghị khen thưởng", "Proposed for an award";
        /// đã được khen thưởng
        Awarded = "awarded", "Đã được khen thưởng", "Awarded";
        /// không được khen thưởng
        NotAwarded = "not_awarded", "Không được khen thưởng", "Not awarded";
    }
}

/// The longest name of a block, aim, signer or decision number.
pub const SHORT_MAX: usize = 200;
/// The longest summary or reason.
pub const LONG_MAX: usize = 4000;

/// A required text checked by the shared parsers: one line up to [`SHORT_MAX`], or several lines
/// up to [`LONG_MAX`].
fn text(e: &mut Errors, field: &str, v: &str, max: usize) {
    let checked = if max <= SHORT_MAX {
        crate::text::parse_line(v, max)
    } else {
        crate::text::parse_long_text(v, 1, max)
    };
    if let Err(err) = checked {
        e.push(err.on(field));
    }
}

/// `POST /api/v1/provinces/{code}/emulation-blocks`: a block of the province (khối thi đua).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct BlockRequest {
    pub name: String,
}

impl BlockRequest {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        text(&mut e, "name", &self.name, SHORT_MAX);
        e.into_result()
    }
}

/// An emulation block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Block {
    pub id: String,
    pub province_code: String,
    pub name: String,
}

/// `POST /api/v1/units/{code}/emulation`: the unit registers for `year` in a block, naming the
/// title it strives for (danh hiệu thi đua đăng ký).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RegisterRequest {
    pub year: i32,
    pub block_id: String,
    pub aim: String,
}

impl RegisterRequest {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        if self.block_id.trim().is_empty() {
            e.push(ValidationError::Required.on("block_id"));
        }
        text(&mut e, "aim", &self.aim, SHORT_MAX);
        e.into_result()
    }
}

/// `POST /api/v1/emulation/{id}/review`: the unit's review of its year (sơ kết).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReviewRequest {
    pub summary: String,
    /// Whether the unit reached the title it registered for, in its own reckoning.
    pub aim_reached: bool,
}

impl ReviewRequest {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        text(&mut e, "summary", &self.summary, LONG_MAX);
        e.into_result()
    }
}

/// `POST /api/v1/emulation/{id}/proposal`: the province's standing office proposes an award.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ProposalRequest {
    pub award: AwardForm,
    pub reason: String,
}

impl ProposalRequest {
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        text(&mut e, "reason", &self.reason, LONG_MAX);
        e.into_result()
    }
}

/// `POST /api/v1/emulation/{id}/decision`: the decision on a proposal, as signed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DecisionRequest {
    pub awarded: bool,
    /// Số quyết định, e.g. `1234/QĐ-UBND`.
    pub number: String,
    pub date: NaiveDate,
    /// Who signed: e.g. «Chủ tịch UBND tỉnh Nguyễn Văn A».
    pub signer: String,
}

impl DecisionRequest {
    /// Number, signer; a date neither before the year of the emulation nor after `today`.
    pub fn check(&self, year: i32, today: NaiveDate) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new();
        check_signed(
            &mut e,
            "",
            (&self.number, self.date, &self.signer),
            year,
            today,
        );
        e.into_result()
    }
}

/// A signed decision's number (`1234/QĐ-UBND`: it has a slash), signer and date (not before
/// `year`, not after `today`), its fields named `{prefix}number`, `{prefix}date`,
/// `{prefix}signer` — the award decisions here and the recognition decisions of TT 124.
pub fn check_signed(
    e: &mut Errors,
    prefix: &str,
    (number, date, signer): (&str, NaiveDate, &str),
    year: i32,
    today: NaiveDate,
) {
    text(e, &format!("{prefix}number"), number, SHORT_MAX);
    if !number.contains('/') {
        e.push(ValidationError::DecisionNumberFormat.on(format!("{prefix}number")));
    }
    text(e, &format!("{prefix}signer"), signer, SHORT_MAX);
    if date > today {
        e.push(ValidationError::DateInFuture.on(format!("{prefix}date")));
    } else if chrono::Datelike::year(&date) < year {
        e.push(ValidationError::EndBeforeStart.on(format!("{prefix}date")));
    }
}

/// The award decided, as a unit's history shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Decision {
    pub awarded: bool,
    pub number: String,
    pub date: NaiveDate,
    pub signer: String,
}

/// A unit's emulation of one year, from registration to decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Entry {
    pub id: String,
    pub unit_code: String,
    pub unit_name: String,
    pub year: i32,
    pub block: Block,
    pub aim: String,
    pub status: EntryStatus,
    pub registered_at: NaiveDateTime,
    pub review_summary: Option<String>,
    pub aim_reached: Option<bool>,
    /// The unit's results of the year as they stood at review (the dashboard's row).
    pub results: Option<DashboardRow>,
    pub award: Option<AwardForm>,
    pub proposal_reason: Option<String>,
    pub decision: Option<Decision>,
}

/// An award decided for a unit, as the results page and the November report list it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AwardLine {
    pub unit_code: String,
    pub unit_name: String,
    pub year: i32,
    pub award: AwardForm,
    pub decision: Decision,
}

/// The next status of an entry on `action`, or `None` when the action does not apply to its
/// status (the order register → review → propose → decide).
pub fn next_status(status: EntryStatus, action: Action) -> Option<EntryStatus> {
    use EntryStatus::*;
    match (status, action) {
        (Registered, Action::Review) => Some(Reviewed),
        (Reviewed, Action::Propose) => Some(Proposed),
        (Proposed, Action::Decide { awarded: true }) => Some(Awarded),
        (Proposed, Action::Decide { awarded: false }) => Some(NotAwarded),
        _ => None,
    }
}

/// A step after registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Review,
    Propose,
    Decide { awarded: bool },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn register_review_propose_decide_in_that_order() {
        use EntryStatus::*;
        assert_eq!(next_status(Registered, Action::Review), Some(Reviewed));
        assert_eq!(next_status(Reviewed, Action::Propose), Some(Proposed));
        assert_eq!(
            next_status(Proposed, Action::Decide { awarded: true }),
            Some(Awarded)
        );
        assert_eq!(
            next_status(Proposed, Action::Decide { awarded: false }),
            Some(NotAwarded)
        );
        // No skipping, no going back, nothing after a decision.
        assert_eq!(next_status(Registered, Action::Propose), None);
        assert_eq!(
            next_status(Reviewed, Action::Decide { awarded: true }),
            None
        );
        assert_eq!(next_status(Awarded, Action::Review), None);
        assert_eq!(
            next_status(NotAwarded, Action::Decide { awarded: true }),
            None
        );
    }

    /// Seed 000 §IV.3: «Hình thức khen thưởng: Cờ thi đua Ủy ban nhân dân tỉnh và Bằng khen của
    /// Chủ tịch Ủy ban nhân dân tỉnh.»
    #[test]
    fn the_provinces_two_forms_are_offered() {
        let labels: Vec<&str> = AwardForm::ALL.iter().map(|a| a.label_vi()).collect();
        assert!(labels.contains(&"Cờ thi đua của Ủy ban nhân dân tỉnh"));
        assert!(labels.contains(&"Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"));
    }

    #[test]
    fn a_decision_names_its_number_signer_and_a_real_date() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        let ok = DecisionRequest {
            awarded: true,
            number: "1234/QĐ-UBND".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
            signer: "Chủ tịch UBND tỉnh".into(),
        };
        assert_eq!(ok.check(2026, today), Ok(()));
        let fields = |r: &DecisionRequest| -> Vec<String> {
            r.check(2026, today)
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        let bad = DecisionRequest {
            number: "1234".into(),
            signer: " ".into(),
            date: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            ..ok.clone()
        };
        assert_eq!(fields(&bad), ["number", "signer", "date"]);
        let early = DecisionRequest {
            date: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            ..ok
        };
        assert_eq!(fields(&early), ["date"]);
    }
}
