//! Assessments of units against the «An toàn về an ninh, trật tự» standard: who fills and who
//! reviews, the evidence the platform holds, and the workflow `draft → submitted → returned |
//! approved`. Handlers in `assessments::routes` call these inside the blocking pool.

use bvantq_shared::assessment::{self as a, Answers, Period};
use bvantq_shared::recognition::{self, Step};
use bvantq_shared::{AssessmentAction, AssessmentStatus, Role, UnitKind};
use chrono::NaiveDateTime;

use crate::assessments::store::{self as store, AssessmentRow, EventRow};
use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::units::scope::in_scope;
use crate::units::store::{self as units, UnitRow};

mod evidence;
mod files;
pub mod recognitions;
mod sets;
mod workflow;

pub use evidence::*;
pub use files::*;
pub use sets::*;
pub use workflow::*;

/// Who may act at `step` on the assessment of `unit`: the party the Thông tư names
/// (`shared::recognition::authority`), inside its scope — for a decision, over the unit's
/// parent (a commune's leader decides the units of the commune; the province, its communes).
pub fn may(user: &AuthUser, unit: &UnitRow, step: Step) -> bool {
    if !recognition::allows(user.role, unit.kind, step) {
        return false;
    }
    match step {
        _ if user.role == Role::Admin => true,
        Step::Prepare | Step::Submit => in_scope(user, unit),
        Step::Decide => unit.parent_code.as_deref() == Some(user.scope.as_str()),
    }
}

/// The parties of the self-assessment and those who prepare it with them save its draft and
/// attach its evidence.
pub fn may_fill(user: &AuthUser, unit: &UnitRow) -> bool {
    may(user, unit, Step::Prepare)
}

/// The authority that recognises the unit approves or returns its assessment.
pub fn may_review(user: &AuthUser, unit: &UnitRow) -> bool {
    may(user, unit, Step::Decide)
}

pub fn may_see(user: &AuthUser, unit: &UnitRow) -> bool {
    in_scope(user, unit) || may_review(user, unit)
}

pub fn period_of(kind: UnitKind, year: i32) -> Result<Period, ApiError> {
    crate::infra::request::check_year("period", year)?;
    a::period(kind, year).ok_or_else(|| ApiError::internal("period out of range"))
}

fn locked(status: AssessmentStatus) -> ApiError {
    match status {
        AssessmentStatus::Approved => ApiError::Conflict {
            code: "assessment_locked",
            vi: "Kết quả đánh giá đã được phê duyệt và khóa; không thể sửa.".into(),
            en: "This assessment is approved and locked; it cannot change.".into(),
        },
        AssessmentStatus::Submitted => ApiError::Conflict {
            code: "assessment_submitted",
            vi: "Kết quả đánh giá đang chờ cấp trên xét duyệt.".into(),
            en: "This assessment is waiting for review.".into(),
        },
        AssessmentStatus::Draft | AssessmentStatus::Returned => changed_meanwhile(),
    }
}

/// Nobody decides on what they filled (`shared::recognition::may_decide_own`).
fn own_assessment() -> ApiError {
    ApiError::Conflict {
        code: "own_assessment",
        vi: "Người đã lập, sửa hoặc gửi kết quả đánh giá không tự phê duyệt hay trả lại kết quả \
             đó."
        .into(),
        en: "Whoever filled, changed or submitted an assessment does not approve or return it."
            .into(),
    }
}

/// The assessment is not in the state the request expected (someone changed it meanwhile).
fn changed_meanwhile() -> ApiError {
    ApiError::Conflict {
        code: "assessment_state",
        vi: "Không thể thực hiện thao tác này ở trạng thái hiện tại.".into(),
        en: "This cannot be done in the assessment's current state.".into(),
    }
}

fn unit(conn: &mut DbConn, code: &str) -> Result<UnitRow, ApiError> {
    let code = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("unit", e))?;
    units::find(conn, code.as_str())?.ok_or(ApiError::NotFound)
}

fn answers_of(row: &AssessmentRow) -> Result<Answers, ApiError> {
    serde_json::from_str(&row.answers).map_err(ApiError::internal)
}

/// Records a history entry. `row.seq` is the sequence number before the write that goes with
/// the entry (`store::update` bumps it), so the entry takes the next one.
fn event(
    conn: &mut DbConn,
    row: &AssessmentRow,
    actor: &str,
    action: AssessmentAction,
    comment: Option<String>,
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    store::insert_event(
        conn,
        &EventRow {
            assessment_id: row.id.clone(),
            seq: row.seq + 1,
            at,
            actor: actor.to_string(),
            action,
            comment,
        },
    )?;
    Ok(())
}
