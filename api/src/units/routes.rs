//! `/units`: the administrative unit tree (public reading) and units the platform creates.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use bvantq_shared::UnitCode;
use bvantq_shared::api::{CreateUnitRequest, UnitDetail, UnitPage};
use bvantq_shared::error::Problem;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::etag;
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
#[utoipa::path(operation_id = "list_units", 
    tag = "units",
    params(ListParams, ("If-None-Match" = Option<String>, Header, description = "The ETag of the copy the client holds")),
    responses(
        (status = 200, body = UnitPage, headers(("ETag" = String, description = "Tag of this answer; send it back in If-None-Match"))),
        (status = 304, description = "Not modified: the copy the client holds (its If-None-Match) is current", headers(("ETag" = String))),
        (status = 422, body = Problem)
    )
)]
#[get("/units")]
pub async fn list(
    state: Data<Core>,
    req: HttpRequest,
    params: Query<ListParams>,
) -> Result<HttpResponse, ApiError> {
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
    etag::json(&req, &page)
}

/// One unit with its ancestors and its history (what it replaced, what replaced it).
#[utoipa::path(operation_id = "get_unit", 
    tag = "units",
    params(("code" = String, Path, description = "Unit code, e.g. 56 or 22333"), ("If-None-Match" = Option<String>, Header, description = "The ETag of the copy the client holds")),
    responses(
        (status = 200, body = UnitDetail, headers(("ETag" = String, description = "Tag of this answer; send it back in If-None-Match"))),
        (status = 304, description = "Not modified: the copy the client holds (its If-None-Match) is current", headers(("ETag" = String))),
        (status = 404, body = Problem),
        (status = 422, body = Problem)
    )
)]
#[get("/units/{code}")]
pub async fn get_one(
    state: Data<Core>,
    req: HttpRequest,
    code: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = UnitCode::parse(&code).map_err(|e| ApiError::field("code", e))?;
    let today = state.now().date();
    let detail = state
        .db(move |conn| service::detail(conn, &code, today))
        .await?;
    etag::json(&req, &detail)
}

/// Create a residential area, school, class, agency, enterprise or department.
///
/// The parent must be in the caller's scope and the caller's role must be allowed to create that
/// kind: ward officers create residential areas, schools, agencies and enterprises in their
/// commune; school admins create classes; org admins create departments. Requires an
/// `Idempotency-Key` header.
#[utoipa::path(operation_id = "create_unit", 
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
