//! Evidence files (tệp minh chứng) attached to a criterion.

use bvantq_shared::assessment::EvidenceFile;
use bvantq_shared::{AssessmentAction, ValidationError};
use chrono::NaiveDateTime;

use super::*;
use crate::assessments::store;
use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;

/// Largest evidence file.
pub const FILE_MAX_BYTES: usize = 10 * 1024 * 1024;

/// Attaches an evidence file (PDF, JPEG, PNG or WebP, checked by its bytes) to a criterion of a
/// draft or returned assessment.
#[allow(clippy::too_many_arguments)]
pub fn attach(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    criterion: &str,
    filename: &str,
    bytes: &[u8],
    now: NaiveDateTime,
) -> Result<EvidenceFile, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_fill(user, &u) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    if !row.status.editable() {
        return Err(locked(row.status));
    }
    let set = set_by_id(conn, &row.set_id)?;
    if !set.criteria.iter().any(|c| c.code == criterion) {
        return Err(ApiError::field(
            "criterion",
            ValidationError::UnknownValue { allowed: &[] },
        ));
    }
    let filename = bvantq_shared::text::parse_line(filename, 200)
        .map_err(|e| ApiError::field("filename", e))?;
    let content_type = if bytes.starts_with(b"%PDF-") {
        "application/pdf"
    } else {
        crate::infra::images::ImageType::sniff(bytes)
            .map(|t| t.mime())
            .ok_or_else(|| ApiError::field("file", ValidationError::ImageType))?
    };
    let f = store::FileRow {
        id: db::new_id(),
        assessment_id: row.id.clone(),
        criterion: criterion.to_string(),
        filename,
        content_type: content_type.into(),
        size_bytes: i32::try_from(bytes.len()).unwrap_or(i32::MAX),
        data: bytes.to_vec(),
        created_by: user.id.clone(),
        created_at: now,
    };
    store::insert_file(conn, &f)?;
    store::bump(conn, &row.id)?;
    event(
        conn,
        &row,
        &user.id,
        AssessmentAction::FileAdded,
        Some(f.filename.clone()),
        now,
    )?;
    Ok(EvidenceFile {
        id: f.id,
        criterion: f.criterion,
        filename: f.filename,
        content_type: f.content_type,
        size_bytes: i64::from(f.size_bytes),
    })
}

pub fn file(
    conn: &mut DbConn,
    user: &AuthUser,
    unit_code: &str,
    year: i32,
    id: &str,
) -> Result<store::FileRow, ApiError> {
    let u = unit(conn, unit_code)?;
    if !may_see(user, &u) {
        return Err(ApiError::Forbidden("out_of_scope"));
    }
    let row = store::find(conn, &u.code, year)?.ok_or(ApiError::NotFound)?;
    store::file(conn, &row.id, id)?.ok_or(ApiError::NotFound)
}
