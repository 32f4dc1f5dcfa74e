//! `/criteria-sets` and `/assessments/{unit}/{period}`: the standard's criteria and each unit's
//! yearly assessment, filled by the unit and reviewed by its parent unit.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::web::{Bytes, Data, Json, Path, Payload, Query};
use actix_web::{HttpResponse, get, post, put};
use bvantq_shared::UnitKind;
use bvantq_shared::assessment::{
    AssessmentDto, CriteriaSet, EvidenceFile, ProvinceSetRequest, ReviewRequest,
    SaveAssessmentRequest,
};
use bvantq_shared::error::Problem;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::assessments::service as assessing;
use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::{parse_json, read_body};

#[derive(Debug, Deserialize, IntoParams)]
pub struct SetParams {
    /// residential_area, commune, agency, enterprise or school
    kind: Option<String>,
}

/// The criteria sets (TT 124 criteria, scorecard, bands), as versioned data: the national sets
/// and the provinces' own versions.
#[utoipa::path(operation_id = "list_criteria_sets", tag = "assessments", params(SetParams), responses((status = 200, body = [CriteriaSet])))]
#[get("/criteria-sets")]
pub async fn criteria_sets(
    state: Data<Core>,
    params: Query<SetParams>,
) -> Result<Json<Vec<CriteriaSet>>, ApiError> {
    let kind = params
        .kind
        .as_deref()
        .map(UnitKind::parse)
        .transpose()
        .map_err(|e| ApiError::field("kind", e))?;
    let sets = state.db(assessing::all_sets).await?;
    Ok(Json(
        sets.into_iter()
            .filter(|s| kind.is_none_or(|k| s.unit_kind == k))
            .collect(),
    ))
}

/// A province officer publishes the province's own version of a national set (extra criteria,
/// its own band cut-offs). New assessments in the province use it; existing ones keep theirs.
#[utoipa::path(operation_id = "create_criteria_set", tag = "assessments", security(("bearer" = [])), request_body = ProvinceSetRequest,
    responses((status = 201, body = CriteriaSet), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[post("/criteria-sets")]
pub async fn create_set(
    state: Data<Core>,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: ProvinceSetRequest = parse_json(&body)?;
    let now = state.now();
    let set = state
        .db_write(move |conn| assessing::create_province_set(conn, &user, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(set))
}

type Key = Path<(String, i32)>;

/// A unit's assessment for a period (the year the period ends in), with the platform's evidence
/// and the outcome once the answers are complete.
#[utoipa::path(operation_id = "get_assessment", tag = "assessments", security(("bearer" = [])),
    params(("unit" = String, Path), ("period" = i32, Path)),
    responses((status = 200, body = AssessmentDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/assessments/{unit}/{period}")]
pub async fn get_one(
    state: Data<Core>,
    user: AuthUser,
    key: Key,
) -> Result<Json<AssessmentDto>, ApiError> {
    let (unit, period) = key.into_inner();
    let now = state.now();
    state
        .db(move |conn| assessing::view(conn, &user, &unit, period, now))
        .await
        .map(Json)
}

/// Save a draft's answers (creates the assessment on first save). An answer against the
/// platform's evidence needs `override_reason`. A submitted or approved assessment is a 409.
#[utoipa::path(operation_id = "save_assessment", tag = "assessments", security(("bearer" = [])),
    params(("unit" = String, Path), ("period" = i32, Path)), request_body = SaveAssessmentRequest,
    responses((status = 200, body = AssessmentDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[put("/assessments/{unit}/{period}")]
pub async fn save(
    state: Data<Core>,
    user: AuthUser,
    key: Key,
    body: Bytes,
) -> Result<Json<AssessmentDto>, ApiError> {
    let (unit, period) = key.into_inner();
    let input: SaveAssessmentRequest = parse_json(&body)?;
    let now = state.now();
    state
        .db_write(move |conn| assessing::save(conn, &user, &unit, period, &input.answers, now))
        .await
        .map(Json)
}

/// Submit for review by the parent unit: every criterion answered (or filled by evidence) and
/// every scorecard item scored.
#[utoipa::path(operation_id = "submit_assessment", tag = "assessments", security(("bearer" = [])),
    params(("unit" = String, Path), ("period" = i32, Path)),
    responses((status = 200, body = AssessmentDto), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/assessments/{unit}/{period}/submit")]
pub async fn submit(
    state: Data<Core>,
    user: AuthUser,
    key: Key,
) -> Result<Json<AssessmentDto>, ApiError> {
    let (unit, period) = key.into_inner();
    let now = state.now();
    state
        .db_write(move |conn| assessing::submit(conn, &user, &unit, period, now))
        .await
        .map(Json)
}

async fn review(
    state: Data<Core>,
    user: AuthUser,
    key: Key,
    body: Bytes,
    approving: bool,
) -> Result<Json<AssessmentDto>, ApiError> {
    let (unit, period) = key.into_inner();
    let input: ReviewRequest = if body.is_empty() {
        ReviewRequest::default()
    } else {
        parse_json(&body)?
    };
    let now = state.now();
    state
        .db_write(move |conn| {
            let r = assessing::Review {
                approve: approving,
                comment: input.comment.as_deref(),
                decision: input.decision.as_ref(),
            };
            assessing::review(conn, &user, &unit, period, r, now)
        })
        .await
        .map(Json)
}

/// Approve (the authority of TT 124 arts. 9–10 over the unit: the commune's leader for its
/// areas, agencies, enterprises and schools, the province for a commune; never the account
/// that filled it); the assessment is then locked. A recognised outcome needs the recognition
/// decision (number, date, signer).
#[utoipa::path(operation_id = "approve_assessment", tag = "assessments", security(("bearer" = [])),
    params(("unit" = String, Path), ("period" = i32, Path)), request_body = ReviewRequest,
    responses((status = 200, body = AssessmentDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/assessments/{unit}/{period}/approve")]
pub async fn approve(
    state: Data<Core>,
    user: AuthUser,
    key: Key,
    body: Bytes,
) -> Result<Json<AssessmentDto>, ApiError> {
    review(state, user, key, body, true).await
}

/// Return with the reviewer's comments (required) for the unit to change and submit again.
#[utoipa::path(operation_id = "return_assessment", tag = "assessments", security(("bearer" = [])),
    params(("unit" = String, Path), ("period" = i32, Path)), request_body = ReviewRequest,
    responses((status = 200, body = AssessmentDto), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/assessments/{unit}/{period}/return")]
pub async fn return_it(
    state: Data<Core>,
    user: AuthUser,
    key: Key,
    body: Bytes,
) -> Result<Json<AssessmentDto>, ApiError> {
    review(state, user, key, body, false).await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct FileParams {
    /// The criterion the file supports.
    criterion: String,
    filename: String,
}

/// Attach an evidence file (PDF, JPEG, PNG or WebP, the raw bytes as the body; at most 10 MB).
#[utoipa::path(operation_id = "attach_assessment_file", tag = "assessments", security(("bearer" = [])),
    params(("unit" = String, Path), ("period" = i32, Path), FileParams),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"),
    responses((status = 201, body = EvidenceFile), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
#[post("/assessments/{unit}/{period}/files")]
pub async fn attach(
    state: Data<Core>,
    user: AuthUser,
    key: Key,
    params: Query<FileParams>,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    let (unit, period) = key.into_inner();
    let bytes = read_body(payload, assessing::FILE_MAX_BYTES).await?;
    let p = params.into_inner();
    let now = state.now();
    let f = state
        .db_write(move |conn| {
            assessing::attach(
                conn,
                &user,
                &unit,
                period,
                &p.criterion,
                &p.filename,
                &bytes,
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(f))
}

/// Download an evidence file.
#[utoipa::path(operation_id = "get_assessment_file", tag = "assessments", security(("bearer" = [])),
    params(("unit" = String, Path), ("period" = i32, Path), ("id" = String, Path)),
    responses((status = 200, description = "The file"), (status = 404, body = Problem)))]
#[get("/assessments/{unit}/{period}/files/{id}")]
pub async fn file(
    state: Data<Core>,
    user: AuthUser,
    key: Path<(String, i32, String)>,
) -> Result<HttpResponse, ApiError> {
    let (unit, period, id) = key.into_inner();
    let f = state
        .db(move |conn| assessing::file(conn, &user, &unit, period, &id))
        .await?;
    let ascii: String = f
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, f.content_type))
        .insert_header((CACHE_CONTROL, "private, no-store"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\""),
        ))
        .body(f.data))
}
