//! `/units`: the administrative unit tree (public reading) and units the platform creates.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use bvantq_shared::UnitCode;
use bvantq_shared::api::{CreateUnitRequest, UnitDetail, UnitPage};
use bvantq_shared::error::Problem;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{idempotency, parse_json};
use crate::units::service;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Children of this unit; without it (and without `q`), the top-level units (provinces).
    parent: Option<String>,
    /// Search text; diacritics and case are ignored (`ba dinh` finds "Ba Đình"); also matches a
    /// code prefix.
    q: Option<String>,
    /// Only units of this kind.
    kind: Option<String>,
    /// Include units that no longer exist (merged provinces, former districts).
    #[serde(default)]
    include_history: bool,
    cursor: Option<String>,
    /// 1–1000, default 100.
    limit: Option<i64>,
}

/// List or search units.
#[utoipa::path(
    tag = "units",
    params(ListParams),
    responses((status = 200, body = UnitPage), (status = 422, body = Problem))
)]
#[get("/units")]
pub async fn list(
    state: Data<Core>,
    params: Query<ListParams>,
) -> Result<Json<UnitPage>, ApiError> {
    let p = params.into_inner();
    let listing = service::Listing::parse(service::ListRequest {
        parent: p.parent,
        q: p.q,
        kind: p.kind,
        include_history: p.include_history,
        cursor: p.cursor,
        limit: p.limit,
    })?;
    let today = state.now().date();
    let page = state
        .db(move |conn| service::list(conn, &listing, today))
        .await?;
    Ok(Json(page))
}

/// One unit with its ancestors and its history (what it replaced, what replaced it).
#[utoipa::path(
    tag = "units",
    params(("code" = String, Path, description = "Unit code, e.g. 56 or 22333")),
    responses((status = 200, body = UnitDetail), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[get("/units/{code}")]
pub async fn get_one(state: Data<Core>, code: Path<String>) -> Result<Json<UnitDetail>, ApiError> {
    let code = UnitCode::parse(&code).map_err(|e| ApiError::field("code", e))?;
    let today = state.now().date();
    let detail = state
        .db(move |conn| service::detail(conn, &code, today))
        .await?;
    Ok(Json(detail))
}

/// Create a residential area, school, class, agency, enterprise or department.
///
/// The parent must be in the caller's scope and the caller's role must be allowed to create that
/// kind: ward officers create residential areas, schools, agencies and enterprises in their
/// commune; school admins create classes; org admins create departments. Requires an
/// `Idempotency-Key` header.
#[utoipa::path(
    tag = "units",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "1–100 ASCII characters, unique per intended write")),
    request_body = CreateUnitRequest,
    responses(
        (status = 201, body = UnitDetail),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 422, body = Problem),
    )
)]
#[post("/units")]
pub async fn create(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let input: CreateUnitRequest = parse_json(&body)?;
    let new = input.parse()?;
    service::may_create(&user, &new)?;
    let now = state.now();
    idempotent::run(&state, idem, move |conn| {
        let d = service::create(conn, &user, new, now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(d).map_err(ApiError::internal)?,
        ))
    })
    .await
}
