//! The workflow `draft → submitted → returned | approved`: saving, submitting, reviewing, and
//! an assessment as its unit and its reviewers see it.

use bvantq_shared::assessment::{
    self as a, Answers, AssessmentDto, AssessmentEvent, CriteriaSet, Evidence, EvidenceFile, Period,
};
use bvantq_shared::recognition::{self, RecognitionDecision, Step};
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
                decision_number: None,
                decision_date: None,
                decision_signer: None,
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
    if !may(user, &u, Step::Submit) {
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

/// What a reviewer sends: approve or return, a comment, and the recognition decision.
pub struct Review<'a> {
    pub approve: bool,
    pub comment: Option<&'a str>,
    pub decision: Option<&'a RecognitionDecision>,
}

/// The authority that recognises the unit (`shared::recognition`) approves it — recording the
/// recognition decision when the outcome recognises the unit — or returns it with comments;
/// never on an assessment it filled itself.
pub fn review(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    r: Review<'_>,
    now: NaiveDateTime,
) -> Result<AssessmentDto, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_review(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let comment = r.comment.map(str::trim).filter(|c| !c.is_empty());
    let comment = match (r.approve, comment) {
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
    if !recognition::may_decide_own(&filled_by(conn, &row)?, &user.id) {
        return Err(own_assessment());
    }
    let recognises = r.approve && row.recognised == Some(true);
    let today = bvantq_shared::tip::vn_date(now);
    RecognitionDecision::check(r.decision, recognises, year, today)
        .map_err(ApiError::Validation)?;
    let decision = r.decision.map(RecognitionDecision::trimmed);
    row.status = if r.approve {
        AssessmentStatus::Approved
    } else {
        AssessmentStatus::Returned
    };
    row.review_comment = comment.clone();
    row.reviewed_by = Some(user.id.clone());
    row.reviewed_at = Some(now);
    row.updated_at = now;
    row.decision_number = decision.as_ref().map(|d| d.number.clone());
    row.decision_date = decision.as_ref().map(|d| d.date);
    row.decision_signer = decision.map(|d| d.signer);
    if !store::update(conn, &row, &[AssessmentStatus::Submitted])? {
        return Err(changed_meanwhile());
    }
    let action = if r.approve {
        AssessmentAction::Approved
    } else {
        AssessmentAction::Returned
    };
    event(conn, &row, &user.id, action, comment, now)?;
    let set = &set_by_id(conn, &row.set_id)?;
    render(conn, &u, &row, set, period_of(u.kind, year)?, None, now)
}

/// The accounts that filled an assessment: created it, saved it, attached a file, submitted it
/// (in any round, before a return too).
fn filled_by(conn: &mut DbConn, row: &AssessmentRow) -> Result<Vec<String>, ApiError> {
    let mut who: Vec<String> = store::events(conn, &row.id)?
        .into_iter()
        .filter(|e| e.action.fills())
        .map(|e| e.actor)
        .collect();
    who.push(row.created_by.clone());
    who.extend(row.submitted_by.clone());
    Ok(who)
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
        decision: decision_of(
            row.decision_number.clone(),
            row.decision_date,
            row.decision_signer.clone(),
        ),
        history,
        files,
    })
}

/// The recognition decision stored with an approval, whole or not at all.
pub(super) fn decision_of(
    number: Option<String>,
    date: Option<chrono::NaiveDate>,
    signer: Option<String>,
) -> Option<RecognitionDecision> {
    match (number, date, signer) {
        (Some(number), Some(date), Some(signer)) => Some(RecognitionDecision {
            number,
            date,
            signer,
        }),
        _ => None,
    }
}
