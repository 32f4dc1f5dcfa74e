//! One tip at the desk: its content and photos (each read audited), its workflow, assignment,
//! priority, extensions, replies and notes.

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::web::{Bytes, Data, Json, Path};
use actix_web::{HttpRequest, HttpResponse, get, post};
use bvantq_shared::error::Problem;
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

/// Move a tip along `received → verifying → transferred | resolved | rejected | merged`, with a
/// reason. Anything else is a 422.
#[utoipa::path(operation_id = "transition_tip", tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = TransitionRequest,
    responses((status = 200, body = TipSummary), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/transition")]
pub async fn transition(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<TipSummary>, ApiError> {
    let input: TransitionRequest = parse_json(&body)?;
    act(&state, id, move |conn, id, now| {
        tips::transition(conn, &user, &id, &input, now)
    })
    .await
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

/// Extend the decision deadline (gia hạn, BLTTHS art. 147 cl. 2): first to 2 months from
/// receipt, then to 4 months; a third extension is a 422.
#[utoipa::path(operation_id = "extend_tip", tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = ExtendRequest,
    responses((status = 200, body = Done), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/extend")]
pub async fn extend(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<Done>, ApiError> {
    let input: ExtendRequest = parse_json(&body)?;
    let cfg = state.config.clone();
    act(&state, id, move |conn, id, now| {
        let d = tips::extend(conn, &cfg, &user, &id, &input, now)?;
        Ok(Done {
            id,
            deadline: Some(d),
        })
    })
    .await
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
