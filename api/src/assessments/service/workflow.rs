//! The workflow `draft → submitted → returned | approved`: saving, submitting, reviewing, and
//! an assessment as its unit and its reviewers see it.

use bvantq_shared::assessment::{
    self as a, Answers, AssessmentDto, AssessmentEvent, CriteriaSet, Evidence, EvidenceFile, Period,
};
use bvantq_shared::{AssessmentAction, AssessmentStatus, ValidationError};
use chrono::NaiveDateTime;

use super::*;
use crate::assessments::store::{self as store, AssessmentRow};
use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::units::store::UnitRow;

/// Saves a draft's answers (creating the assessment on first save).
pub fn save(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    answers: &Answers,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_fill(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let today = bvantq_shared::tip::vn_date(now);
    let period = period_of(u.kind, year)?;
    let existing = store::find(conn, &u.code, year)?;
    let set = match &existing {
        Some(r) => set_by_id(conn, &r.set_id)?,
        None => set_for(conn, u.kind, u.province_code())?,
    };
    let set = &set;
    a::check_draft(set, answers)?;
    let ev = evidence(conn, set, &u, &period, today)?;
    a::check_overrides(answers, &ev)?;
    let json = serde_json::to_string(answers).map_err(ApiError::internal)?;
    let row = match existing {
        Some(mut row) => {
            if !row.status.editable() {
                return Err(locked(row.status));
            }
            let from = row.status;
            row.answers = json;
            row.updated_at = now;
            if !store::update(conn, &row, &[from])? {
                return Err(changed_meanwhile());
            }
            event(conn, &row, &user.id, AssessmentAction::Saved, None, now)?;
            row
        }
        None => {
            let row = AssessmentRow {
                id: db::new_id(),
                unit_code: u.code.clone(),
                unit_path: u.path.clone(),
                unit_kind: u.kind,
                period: year,
                set_id: set.id.clone(),
                status: AssessmentStatus::Draft,
                answers: json,
                evidence: None,
                score: None,
                classification: None,
                recognised: None,
                review_comment: None,
                created_by: user.id.clone(),
                created_at: now,
                updated_at: now,
                submitted_by: None,
                submitted_at: None,
                reviewed_by: None,
                reviewed_at: None,
                seq: 1,
            };
            store::insert(conn, &row)?;
            let first = AssessmentRow {
                seq: 0,
                ..row.clone()
            };
            event(conn, &first, &user.id, AssessmentAction::Created, None, now)?;
            row
        }
    };
    render(conn, &u, &row, set, period, Some(ev), now)
}

/// Submits for review: the answers must be complete (with the evidence filling what it can);
/// the evidence and the outcome are frozen.
pub fn submit(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_fill(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let mut row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    if !row.status.editable() {
        return Err(locked(row.status));
    }
    let set = &set_by_id(conn, &row.set_id)?;
    let period = period_of(u.kind, year)?;
    let ev = evidence(conn, set, &u, &period, bvantq_shared::tip::vn_date(now))?;
    let answers = answers_of(&row)?;
    a::check_overrides(&answers, &ev)?;
    let outcome = a::score(set, &a::with_evidence(&answers, &ev))?;
    let from = row.status;
    row.status = AssessmentStatus::Submitted;
    row.evidence = Some(serde_json::to_string(&ev).map_err(ApiError::internal)?);
    row.score = Some(i32::try_from(outcome.score).unwrap_or(0));
    row.classification = Some(outcome.classification);
    row.recognised = Some(outcome.recognised);
    row.submitted_by = Some(user.id.clone());
    row.submitted_at = Some(now);
    row.updated_at = now;
    if !store::update(conn, &row, &[from])? {
        return Err(changed_meanwhile());
    }
    event(conn, &row, &user.id, AssessmentAction::Submitted, None, now)?;
    render(conn, &u, &row, set, period, Some(ev), now)
}

/// The parent unit's officer approves (locking it) or returns it with comments.
pub fn review(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    approve: bool,
    comment: Option<&str>,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_review(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    let comment = match (approve, comment) {
        (false, None) => return Err(ApiError::field("comment", ValidationError::Required)),
        (_, Some(c)) => Some(
            bvantq_shared::text::parse_long_text(c, 1, 3000)
                .map_err(|e| ApiError::field("comment", e))?,
        ),
        (true, None) => None,
    };
    let mut row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    if row.status != AssessmentStatus::Submitted {
        return Err(locked(row.status));
    }
    row.status = if approve {
        AssessmentStatus::Approved
    } else {
        AssessmentStatus::Returned
    };
    row.review_comment = comment.clone();
    row.reviewed_by = Some(user.id.clone());
    row.reviewed_at = Some(now);
    row.updated_at = now;
    if !store::update(conn, &row, &[AssessmentStatus::Submitted])? {
        return Err(changed_meanwhile());
    }
    event(
        conn,
        &row,
        &user.id,
        if approve {
            AssessmentAction::Approved
        } else {
            AssessmentAction::Returned
        },
        comment,
        now,
    )?;
    let set = &set_by_id(conn, &row.set_id)?;
    render(conn, &u, &row, set, period_of(u.kind, year)?, None, now)
}

/// An assessment as its unit or its reviewer sees it; evidence live until submission.
pub fn view(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_see(user, &u) {
        return Err(ApiError::Forbidden("out_of_scope"));
    }
    let row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    let set = &set_by_id(conn, &row.set_id)?;
    render(conn, &u, &row, set, period_of(u.kind, year)?, None, now)
}

/// What the unit and its reviewer see. `known` is evidence the caller has just computed;
/// without it the evidence is the frozen copy once submitted, or computed live before.
fn render(
    conn: &mut DbConn,
    u: &UnitRow,
    row: &AssessmentRow,
    set: &CriteriaSet,
    period: Period,
    known: Option<Vec<Evidence>>,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let answers = answers_of(row)?;
    let ev: Vec<Evidence> = match (known, &row.evidence) {
        (Some(ev), _) => ev,
        (None, Some(frozen)) if !row.status.editable() => {
            serde_json::from_str(frozen).map_err(ApiError::internal)?
        }
        (None, _) => evidence(conn, set, u, &period, bvantq_shared::tip::vn_date(now))?,
    };
    let outcome = a::score(set, &a::with_evidence(&answers, &ev)).ok();
    let history = store::events(conn, &row.id)?
        .into_iter()
        .map(|e| AssessmentEvent {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            comment: e.comment,
        })
        .collect();
    let files = store::files(conn, &row.id)?
        .into_iter()
        .map(
            |(id, criterion, filename, content_type, size)| EvidenceFile {
                id,
                criterion,
                filename,
                content_type,
                size_bytes: i64::from(size),
            },
        )
        .collect();
    Ok(AssessmentDto {
        id: row.id.clone(),
        unit_code: u.code.clone(),
        unit_name: u.full_name.clone(),
        unit_kind: u.kind,
        period,
        set_id: row.set_id.clone(),
        status: row.status,
        answers,
        evidence: ev,
        outcome,
        review_comment: row.review_comment.clone(),
        history,
        files,
    })
}
