//! One tip at the desk: its content and photos (each read audited), its workflow, assignment,
//! priority, extensions, replies and notes.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::web::{Bytes, Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use bvantq_shared::error::Problem;
use bvantq_shared::tip::procedure::{ProvinceProcedure, StepRequest};
use bvantq_shared::tip::{
    AssignRequest, ExtendRequest, OfficerTextRequest, PriorityRequest, TipDetail,
    TipMessageCreated, TipMessageKind, TipSummary, TransitionRequest,
};
use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{idempotency, parse_json};
use crate::tips::service as tips;

fn no_store<T: Serialize>(status: StatusCode, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(body)
}

/// A tip's full content, messages, notes and history. Every read is in the audit log.
#[utoipa::path(operation_id = "get_tip", tag = "tips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = TipDetail), (status = 404, body = Problem)))]
#[get("/tips/{id}")]
pub async fn detail(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let cfg = state.config.clone();
    let now = state.now();
    let id = id.into_inner();
    let d = state
        .db(move |conn| tips::read_detail(conn, &cfg, &user, &id, now))
        .await?;
    Ok(no_store(StatusCode::OK, &d))
}

/// One photo of a tip, as stored (metadata stripped). Audited.
#[utoipa::path(operation_id = "get_tip_photo", tag = "tips", security(("bearer" = [])),
    params(("id" = String, Path), ("photo_id" = String, Path)),
    responses((status = 200, description = "The image", content_type = "image/jpeg"), (status = 404, body = Problem)))]
#[get("/tips/{id}/photos/{photo_id}")]
pub async fn photo(
    state: Data<Core>,
    user: AuthUser,
    path: Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, photo_id) = path.into_inner();
    let cfg = state.config.clone();
    let now = state.now();
    let (mime, bytes) = state
        .db(move |conn| tips::read_photo(conn, &cfg, &user, &id, &photo_id, now))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, mime))
        .insert_header((CACHE_CONTROL, "no-store"))
        .body(bytes))
}

/// Runs an officer's action on tip `id` in one write transaction, at the server's time.
async fn act<T, F>(state: &Core, id: Path<String>, f: F) -> Result<Json<T>, ApiError>
where
    F: FnOnce(&mut crate::infra::db::DbConn, String, chrono::NaiveDateTime) -> Result<T, ApiError>
        + Send
        + 'static,
    T: Send + 'static,
{
    let (id, now) = (id.into_inner(), state.now());
    state.db_write(move |conn| f(conn, id, now)).await.map(Json)
}

/// Operations retired in favour of `POST /tips/{id}/steps` (README, "Versioning and
/// deprecation"): still served until [`SUNSET`], marked deprecated in the document, and every
/// answer says so (RFC 9745 `Deprecation`, RFC 8594 `Sunset`, a `successor-version` link).
pub const DEPRECATED: &[&str] = &["transition_tip", "extend_tip"];
/// The day (2026-12-02) the old tip workflow was deprecated, as an RFC 9745 date.
pub const DEPRECATION: &str = "@1796169600";
/// The day after which the old operations may go (at least 12 months later).
pub const SUNSET: &str = "Fri, 31 Dec 2027 23:59:59 GMT";

fn deprecated<T: Serialize>(id: &str, body: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header(("Deprecation", DEPRECATION))
        .insert_header(("Sunset", SUNSET))
        .insert_header((
            "Link",
            format!("</api/v1/tips/{id}/steps>; rel=\"successor-version\""),
        ))
        .json(body)
}

/// Take one step of the procedure (`tip::procedure`): `check`, `classify`, `transfer`,
/// `receive`, `accept`, `not_crime`, `merge`, `extend_complex`, `extend_procuracy`, `prosecute`,
/// `not_prosecute`, `suspend`, `resume`. A step this caller may not take on this tip now is a 422
/// on `step` whose message names the rule (e.g. the commune cannot close a crime tip itself).
#[utoipa::path(operation_id = "take_tip_step", tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = StepRequest,
    responses((status = 200, body = TipSummary), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/steps")]
pub async fn step(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<TipSummary>, ApiError> {
    let input: StepRequest = parse_json(&body)?;
    let cfg = state.config.clone();
    act(&state, id, move |conn, id, now| {
        tips::take_step(conn, &cfg, &user, &id, &input, now)
    })
    .await
}

/// Deprecated: `POST /tips/{id}/steps`. A target of the old workflow as a step: `verifying`
/// (check), `transferred` (transfer), `merged` (merge); `resolved` and `rejected` are refused
/// with the rule — the commune police no longer close a crime tip themselves.
#[utoipa::path(operation_id = "transition_tip", tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = TransitionRequest,
    responses((status = 200, body = TipSummary), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/transition")]
pub async fn transition(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: TransitionRequest = parse_json(&body)?;
    let cfg = state.config.clone();
    let s = act(&state, id, move |conn, id, now| {
        tips::transition(conn, &cfg, &user, &id, &input, now)
    })
    .await?;
    Ok(deprecated(&s.id, &s.0))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Done {
    pub id: String,
    /// The new decision deadline, after an extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
}

/// Assign a tip to an officer whose scope covers it (`user_id: null` unassigns).
#[utoipa::path(operation_id = "assign_tip", tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = AssignRequest,
    responses((status = 200, body = Done), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/assign")]
pub async fn assign(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<Done>, ApiError> {
    let input: AssignRequest = parse_json(&body)?;
    act(&state, id, move |conn, id, now| {
        tips::assign(conn, &user, &id, &input, now)?;
        Ok(Done { id, deadline: None })
    })
    .await
}

/// Set a tip's priority (`life_safety`, `high`, `normal`) with a reason.
#[utoipa::path(operation_id = "set_tip_priority", tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = PriorityRequest,
    responses((status = 200, body = Done), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/priority")]
pub async fn priority(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<Done>, ApiError> {
    let input: PriorityRequest = parse_json(&body)?;
    act(&state, id, move |conn, id, now| {
        tips::set_priority(conn, &user, &id, &input, now)?;
        Ok(Done { id, deadline: None })
    })
    .await
}

/// Deprecated: `POST /tips/{id}/steps` with `extend_complex`, or `extend_procuracy` and the
/// procuracy's decision. Extends a complex case to 2 months from the handler's receipt (BLTTHS
/// art. 147 cl. 2); anything else is a 422 naming the rule.
#[utoipa::path(operation_id = "extend_tip", tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = ExtendRequest,
    responses((status = 200, body = Done), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/extend")]
pub async fn extend(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: ExtendRequest = parse_json(&body)?;
    let cfg = state.config.clone();
    let done = act(&state, id, move |conn, id, now| {
        let d = tips::extend(conn, &cfg, &user, &id, &input, now)?;
        Ok(Done {
            id,
            deadline: Some(d),
        })
    })
    .await?;
    Ok(deprecated(&done.id, &done.0))
}

/// A province's corrections of the procedure's numbers and its list of days off (Tết, the
/// second day of Quốc khánh, compensatory days): readable by every tip role of the province.
#[utoipa::path(operation_id = "get_province_procedure", tag = "tips", security(("bearer" = [])), params(("code" = String, Path)),
    responses((status = 200, body = ProvinceProcedure), (status = 404, body = Problem)))]
#[get("/provinces/{code}/procedure")]
pub async fn get_procedure(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
) -> Result<Json<ProvinceProcedure>, ApiError> {
    let code = code.into_inner();
    state
        .db(move |conn| tips::read_province(conn, &user, &code))
        .await
        .map(Json)
}

/// Replace a province's numbers and days off (the province's officers; every number within a
/// sane range, each named field on a 422).
#[utoipa::path(operation_id = "put_province_procedure", tag = "tips", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = ProvinceProcedure,
    responses((status = 200, body = ProvinceProcedure), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[put("/provinces/{code}/procedure")]
pub async fn put_procedure(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<Json<ProvinceProcedure>, ApiError> {
    let input: ProvinceProcedure = parse_json(&body)?;
    let now = state.now();
    let code = code.into_inner();
    state
        .db_write(move |conn| tips::write_province(conn, &user, &code, input, now))
        .await
        .map(Json)
}

async fn officer_text(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    id: String,
    body: Bytes,
    kind: TipMessageKind,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let input: OfficerTextRequest = parse_json(&body)?;
    let now = state.now();
    let cfg = state.config.clone();
    idempotent::run(&state, idem, move |conn| {
        let mid = tips::officer_text(conn, &cfg, &user, &id, kind, &input, now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(TipMessageCreated { id: mid, kind })
                .map_err(ApiError::internal)?,
        ))
    })
    .await
}

/// Write to the reporter (they read it through their receipt code).
#[utoipa::path(operation_id = "message_reporter", tag = "tips", security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = OfficerTextRequest,
    responses((status = 201, body = TipMessageCreated), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/messages")]
pub async fn message(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    officer_text(
        state,
        req,
        user,
        id.into_inner(),
        body,
        TipMessageKind::Officer,
    )
    .await
}

/// Add an internal note: visible to officers only, never to the reporter.
#[utoipa::path(operation_id = "add_tip_note", tag = "tips", security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = OfficerTextRequest,
    responses((status = 201, body = TipMessageCreated), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/notes")]
pub async fn note(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    officer_text(
        state,
        req,
        user,
        id.into_inner(),
        body,
        TipMessageKind::Note,
    )
    .await
}
