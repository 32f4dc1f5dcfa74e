//! `/pledge-templates`: versioned pledge texts, each owned by the nation (administrators) or by
//! one province. A published version never changes; an edit of it is a new version. Campaigns
//! use national templates and their own province's.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{TemplateDto, TemplateRequest};
use bvantq_shared::{PledgeKind, UnitCode};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{idempotency, parse_json};
use crate::pledges::service::templates as service;

fn parse_kind(kind: Option<&str>) -> Result<Option<PledgeKind>, ApiError> {
    kind.map(PledgeKind::parse)
        .transpose()
        .map_err(|e| ApiError::field("kind", e))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// household, student or worker
    kind: Option<String>,
    /// A unit whose campaigns would use the template: its province's templates are listed
    /// (first) beside the national ones. Without it, the national ones only.
    unit: Option<String>,
}

/// The templates a new campaign may use: published, not retired, national and (with `unit`)
/// of the unit's province — the province's own first, each newest version first.
#[utoipa::path(operation_id = "list_pledge_templates", tag = "pledges", params(ListParams), responses((status = 200, body = [TemplateDto]), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/pledge-templates")]
pub async fn list(
    state: Data<Core>,
    params: Query<ListParams>,
) -> Result<Json<Vec<TemplateDto>>, ApiError> {
    let kind = parse_kind(params.kind.as_deref())?;
    let unit = params
        .unit
        .as_deref()
        .map(UnitCode::parse)
        .transpose()
        .map_err(|e| ApiError::field("unit", e))?;
    let out = state
        .db(move |conn| service::usable(conn, kind, unit.as_ref()))
        .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct KindParams {
    /// household, student or worker
    kind: Option<String>,
}

/// The templates the caller owns, in every state (drafts, published, retired): a province
/// officer's province's, or an administrator's national ones.
#[utoipa::path(operation_id = "list_managed_templates", tag = "pledges", security(("bearer" = [])), params(KindParams),
    responses((status = 200, body = [TemplateDto]), (status = 403, body = Problem)))]
#[get("/pledge-templates/managed")]
pub async fn managed(
    state: Data<Core>,
    user: AuthUser,
    params: Query<KindParams>,
) -> Result<Json<Vec<TemplateDto>>, ApiError> {
    let kind = parse_kind(params.kind.as_deref())?;
    let out = state
        .db(move |conn| service::managed(conn, &user, kind))
        .await?;
    Ok(Json(out))
}

/// Create a draft template: the next version of its kind, owned by the caller's province (a
/// province officer) or national (an administrator; or a province's, with `province`).
#[utoipa::path(operation_id = "create_pledge_template", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    request_body = TemplateRequest,
    responses((status = 201, body = TemplateDto), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[post("/pledge-templates")]
pub async fn create(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    service::managed_owners(&user)?;
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let new = parse_json::<TemplateRequest>(&body)?.parse()?;
    service::owner_of_new(&user, &new)?;
    let now = state.now();
    idempotent::run(&state, idem, move |conn| {
        let dto = service::create(conn, &user, new, now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(dto).map_err(ApiError::internal)?,
        ))
    })
    .await
}

/// Edit a draft template (its owner only; 409 once published).
#[utoipa::path(operation_id = "update_pledge_template", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = TemplateRequest,
    responses((status = 200, body = TemplateDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem))
)]
#[put("/pledge-templates/{id}")]
pub async fn update(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<TemplateDto>, ApiError> {
    service::managed_owners(&user)?;
    let new = parse_json::<TemplateRequest>(&body)?.parse()?;
    let id = id.into_inner();
    let out = state
        .db_write(move |conn| service::update(conn, &user, &id, &new))
        .await?;
    Ok(Json(out))
}

/// Publish a draft (its owner only): from now on it is immutable and campaigns may use it.
#[utoipa::path(operation_id = "publish_pledge_template", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = TemplateDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem))
)]
#[post("/pledge-templates/{id}/publish")]
pub async fn publish(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<Json<TemplateDto>, ApiError> {
    let (id, now) = (id.into_inner(), state.now());
    let out = state
        .db_write(move |conn| service::publish(conn, &user, &id, now))
        .await?;
    Ok(Json(out))
}

/// Retire a published template (its owner only): no new campaign may use it; campaigns that do
/// keep their text.
#[utoipa::path(operation_id = "retire_pledge_template", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = TemplateDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem))
)]
#[post("/pledge-templates/{id}/retire")]
pub async fn retire(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<Json<TemplateDto>, ApiError> {
    let (id, now) = (id.into_inner(), state.now());
    let out = state
        .db_write(move |conn| service::retire(conn, &user, &id, now))
        .await?;
    Ok(Json(out))
}
