//! Assessments, their history and evidence files.

use bvantq_shared::{AssessmentAction, AssessmentStatus, Classification, UnitKind};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{
    assessment_events, assessment_files, assessments, campaign_units, campaigns, criteria_sets,
    units,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessments)]
pub struct AssessmentRow {
    pub id: String,
    pub unit_code: String,
    pub unit_path: String,
    pub unit_kind: UnitKind,
    pub period: i32,
    pub set_id: String,
    pub status: AssessmentStatus,
    pub answers: String,
    pub evidence: Option<String>,
    pub score: Option<i32>,
    pub classification: Option<Classification>,
    pub recognised: Option<bool>,
    pub review_comment: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_by: Option<String>,
    pub submitted_at: Option<NaiveDateTime>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub seq: i32,
    /// The recognition decision (TT 124 arts. 9–10), recorded with a recognised approval.
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_signer: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessment_events)]
pub struct EventRow {
    pub assessment_id: String,
    pub seq: i32,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: AssessmentAction,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = assessment_files)]
pub struct FileRow {
    pub id: String,
    pub assessment_id: String,
    pub criterion: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub data: Vec<u8>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn find(conn: &mut DbConn, unit: &str, period: i32) -> QueryResult<Option<AssessmentRow>> {
    assessments::table
        .filter(assessments::unit_code.eq(unit))
        .filter(assessments::period.eq(period))
        .select(AssessmentRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, row: &AssessmentRow) -> QueryResult<usize> {
    diesel::insert_into(assessments::table)
        .values(row)
        .execute(conn)
}

/// Writes the mutable part of an assessment, only if it is still in one of `from` (a concurrent
/// change makes this a no-op the caller reports as a conflict).
pub fn update(
    conn: &mut DbConn,
    row: &AssessmentRow,
    from: &[AssessmentStatus],
) -> QueryResult<bool> {
    let n = diesel::update(
        assessments::table
            .find(&row.id)
            .filter(assessments::status.eq_any(from)),
    )
    .set((
        assessments::status.eq(&row.status),
        assessments::answers.eq(&row.answers),
        assessments::evidence.eq(&row.evidence),
        assessments::score.eq(row.score),
        assessments::classification.eq(&row.classification),
        assessments::recognised.eq(row.recognised),
        assessments::review_comment.eq(&row.review_comment),
        assessments::updated_at.eq(row.updated_at),
        assessments::submitted_by.eq(&row.submitted_by),
        assessments::submitted_at.eq(row.submitted_at),
        assessments::reviewed_by.eq(&row.reviewed_by),
        assessments::reviewed_at.eq(row.reviewed_at),
        assessments::decision_number.eq(&row.decision_number),
        assessments::decision_date.eq(row.decision_date),
        assessments::decision_signer.eq(&row.decision_signer),
        assessments::seq.eq(assessments::seq + 1),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Takes the next history sequence number without other changes.
pub fn bump(conn: &mut DbConn, id: &str) -> QueryResult<usize> {
    diesel::update(assessments::table.find(id))
        .set(assessments::seq.eq(assessments::seq + 1))
        .execute(conn)
}

pub fn insert_event(conn: &mut DbConn, row: &EventRow) -> QueryResult<usize> {
    diesel::insert_into(assessment_events::table)
        .values(row)
        .execute(conn)
}

pub fn events(conn: &mut DbConn, id: &str) -> QueryResult<Vec<EventRow>> {
    assessment_events::table
        .filter(assessment_events::assessment_id.eq(id))
        .order(assessment_events::seq.asc())
        .select(EventRow::as_select())
        .load(conn)
}

pub fn insert_file(conn: &mut DbConn, row: &FileRow) -> QueryResult<usize> {
    diesel::insert_into(assessment_files::table)
        .values(row)
        .execute(conn)
}

/// (id, criterion, filename, content type, size)
pub type FileInfo = (String, String, String, String, i32);

/// Files of an assessment, without their bytes.
pub fn files(conn: &mut DbConn, id: &str) -> QueryResult<Vec<FileInfo>> {
    assessment_files::table
        .filter(assessment_files::assessment_id.eq(id))
        .order(assessment_files::created_at.asc())
        .select((
            assessment_files::id,
            assessment_files::criterion,
            assessment_files::filename,
            assessment_files::content_type,
            assessment_files::size_bytes,
        ))
        .load(conn)
}

pub fn file(conn: &mut DbConn, assessment: &str, id: &str) -> QueryResult<Option<FileRow>> {
    assessment_files::table
        .filter(assessment_files::assessment_id.eq(assessment))
        .filter(assessment_files::id.eq(id))
        .select(FileRow::as_select())
        .first(conn)
        .optional()
}

/// (unit, status, recognised, classification)
pub type UnitResult = (
    String,
    AssessmentStatus,
    Option<bool>,
    Option<Classification>,
);

/// Status and recognition of the assessments of `units` in a period.
pub fn results_of(
    conn: &mut DbConn,
    units: &[String],
    period: i32,
) -> QueryResult<Vec<UnitResult>> {
    assessments::table
        .filter(assessments::unit_code.eq_any(units))
        .filter(assessments::period.eq(period))
        .select((
            assessments::unit_code,
            assessments::status,
            assessments::recognised,
            assessments::classification,
        ))
        .load(conn)
}

/// Of `units`, those an approved assessment of `period` recognises «An toàn về an ninh, trật tự».
pub fn recognised_among(
    conn: &mut DbConn,
    units: &[String],
    period: i32,
) -> QueryResult<std::collections::HashSet<String>> {
    Ok(results_of(conn, units, period)?
        .into_iter()
        .filter(|(_, status, rec, _)| *status == AssessmentStatus::Approved && *rec == Some(true))
        .map(|(code, ..)| code)
        .collect())
}

/// Household campaigns of `year` that list `unit` among their units: (code, title).
pub fn household_campaigns_of(
    conn: &mut DbConn,
    unit: &str,
    year: i32,
) -> QueryResult<Vec<(String, String)>> {
    campaigns::table
        .inner_join(campaign_units::table)
        .filter(campaign_units::unit_code.eq(unit))
        .filter(campaigns::kind.eq(bvantq_shared::PledgeKind::Household))
        .filter(campaigns::year.eq(year))
        .order(campaigns::code.asc())
        .select((campaigns::code, campaigns::title))
        .load(conn)
}

/// An approved assessment as the dashboard and the November report read it: its outcome and its
/// recognition decision, without its answers and evidence.
#[derive(Debug, Clone, Queryable)]
pub struct Approved {
    pub unit_code: String,
    pub unit_name: String,
    pub unit_kind: UnitKind,
    pub set_id: String,
    pub score: Option<i32>,
    pub classification: Option<Classification>,
    pub recognised: Option<bool>,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_signer: Option<String>,
}

/// Approved assessments in a subtree for a period, by unit code.
pub fn approved_under(conn: &mut DbConn, path: &str, period: i32) -> QueryResult<Vec<Approved>> {
    assessments::table
        .inner_join(units::table.on(units::code.eq(assessments::unit_code)))
        .filter(
            assessments::unit_path
                .like(crate::units::store::like_prefix(path))
                .escape('\\'),
        )
        .filter(assessments::period.eq(period))
        .filter(assessments::status.eq(AssessmentStatus::Approved))
        .order(assessments::unit_code.asc())
        .select((
            assessments::unit_code,
            units::full_name,
            assessments::unit_kind,
            assessments::set_id,
            assessments::score,
            assessments::classification,
            assessments::recognised,
            assessments::decision_number,
            assessments::decision_date,
            assessments::decision_signer,
        ))
        .load(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = criteria_sets)]
pub struct SetRow {
    pub id: String,
    pub unit_kind: UnitKind,
    pub province: String,
    pub version: i32,
    pub body: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_set(conn: &mut DbConn, row: &SetRow) -> QueryResult<usize> {
    diesel::insert_into(criteria_sets::table)
        .values(row)
        .execute(conn)
}

pub fn set_by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<SetRow>> {
    criteria_sets::table
        .find(id)
        .select(SetRow::as_select())
        .first(conn)
        .optional()
}

pub fn sets(conn: &mut DbConn) -> QueryResult<Vec<SetRow>> {
    criteria_sets::table
        .order((criteria_sets::unit_kind.asc(), criteria_sets::version.asc()))
        .select(SetRow::as_select())
        .load(conn)
}

/// The state of each assessment of `period` under `path`, by unit code.
pub fn states_under(
    conn: &mut DbConn,
    path: &str,
    period: i32,
) -> QueryResult<Vec<(String, AssessmentStatus)>> {
    assessments::table
        .filter(
            assessments::unit_path
                .like(crate::units::store::like_prefix(path))
                .escape('\\'),
        )
        .filter(assessments::period.eq(period))
        .select((assessments::unit_code, assessments::status))
        .load(conn)
}
