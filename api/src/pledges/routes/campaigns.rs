//! `/campaigns`: pledge campaigns — created by the officers who run them, listed in a scope, shown
//! to the public form, their QR code, and their signing window moved under the same code.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use bvantq_shared::UnitCode;
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{
    CampaignCode, CampaignDto, CampaignWindow, CreateCampaignRequest, PublicCampaign,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::etag;
use crate::infra::idempotent;
use crate::infra::request::{idempotency, parse_json};
use crate::pledges::service::campaigns as service;
use crate::pledges::state::PledgesState;

/// A campaign code from the path; a malformed one is a field error.
pub fn parse_code(raw: &str) -> Result<CampaignCode, ApiError> {
    CampaignCode::parse(raw).map_err(|e| ApiError::field("code", e))
}

/// The campaign from memory or, on a miss, from the primary — never from the read replica: the
/// cache it fills decides signings, and a replica a moment behind would put an old window back
/// into it after another instance's notice had dropped it.
pub async fn context(
    state: &Core,
    pledges: &Data<PledgesState>,
    code: CampaignCode,
) -> Result<std::sync::Arc<crate::pledges::service::CampaignContext>, ApiError> {
    if let Some(c) = pledges.campaigns.cached(code.as_str()) {
        return Ok(c);
    }
    let pledges = pledges.clone();
    state
        .db(move |conn| pledges.campaigns.get(conn, code.as_str()))
        .await
}

/// Create a campaign.
///
/// Ward officers run household campaigns (the commune or some of its residential areas), school
/// admins student campaigns (classes of their school), org admins worker campaigns (departments
/// of their agency or enterprise). The template must be a published version of the same kind.
#[utoipa::path(operation_id = "create_campaign", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    request_body = CreateCampaignRequest,
    responses((status = 201, body = CampaignDto), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[post("/campaigns")]
pub async fn create(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let new = parse_json::<CreateCampaignRequest>(&body)?.parse()?;
    if !bvantq_shared::pledge::may_run(user.role, new.kind) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let now = state.now();
    idempotent::run(&state, idem, move |conn| {
        let dto = service::create(conn, &user, &new, now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(dto).map_err(ApiError::internal)?,
        ))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Campaigns owned under this unit; default: the caller's scope.
    unit: Option<String>,
    year: Option<i32>,
}

/// Campaigns in the caller's scope.
#[utoipa::path(operation_id = "list_campaigns", tag = "pledges", security(("bearer" = [])), params(ListParams), responses((status = 200, body = [CampaignDto])))]
#[get("/campaigns")]
pub async fn list(
    state: Data<Core>,
    user: AuthUser,
    params: Query<ListParams>,
) -> Result<Json<Vec<CampaignDto>>, ApiError> {
    let p = params.into_inner();
    let unit = match p.unit.as_deref() {
        Some(u) => UnitCode::parse(u).map_err(|e| ApiError::field("unit", e))?,
        None => user.scope.clone(),
    };
    let out = state
        .db(move |conn| service::list(conn, &user, &unit, p.year))
        .await?;
    Ok(Json(out))
}

/// What the public form needs to show a campaign: template, units, required fields.
#[utoipa::path(operation_id = "get_public_campaign", 
    tag = "pledges",
    params(("code" = String, Path, description = "6-character campaign code"), ("If-None-Match" = Option<String>, Header, description = "The ETag of the copy the client holds")),
    responses(
        (status = 200, body = PublicCampaign, headers(("ETag" = String, description = "Tag of this answer; send it back in If-None-Match"))),
        (status = 304, description = "Not modified: the copy the client holds (its If-None-Match) is current", headers(("ETag" = String))),
        (status = 404, body = Problem)
    )
)]
#[get("/campaigns/{code}")]
pub async fn public(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    req: HttpRequest,
    code: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let today = state.now().date();
    let ctx = context(&state, &pledges, code).await?;
    // The window comes from the campaign above; the names of its units may come from the replica.
    let out = state
        .db_read(move |conn| service::public_view(conn, &ctx, today))
        .await?;
    etag::json(&req, &out)
}

/// The campaign's QR code (SVG), pointing at its form `/k/{code}` on this server.
#[utoipa::path(operation_id = "campaign_qr", 
    tag = "pledges",
    params(("code" = String, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = Problem))
)]
#[get("/campaigns/{code}/qr.svg")]
pub async fn qr(state: Data<Core>, code: Path<String>) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let c2 = code.clone();
    state
        .db(move |conn| service::require_exists(conn, c2.as_str()))
        .await?;
    // From the configured public address, never from the request's Host or X-Forwarded-Host:
    // a printed QR code must not point wherever a forged header says.
    let url = format!("{}/k/{}", state.config.public_url, code);
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(crate::infra::qr::svg(&url, 256)?))
}

/// Move a campaign's signing window: extend it, close it early or reopen it.
///
/// The code, the form's link and the QR codes already printed stay the same, and signing follows
/// the new window at once. For the campaign's managers, as its roster and exports are.
#[utoipa::path(operation_id = "move_campaign_window", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path)),
    request_body = CampaignWindow,
    responses(
        (status = 200, body = CampaignDto),
        (status = 403, body = Problem),
        (status = 404, body = Problem),
        (status = 422, body = Problem),
    )
)]
#[put("/campaigns/{code}/window")]
pub async fn move_window(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<Json<CampaignDto>, ApiError> {
    let code = parse_code(&code)?;
    let (opens_on, closes_on) = parse_json::<CampaignWindow>(&body)?.parse()?;
    let forget = code.clone();
    let out = state
        .db_write(move |conn| {
            let moved = service::move_window(conn, &user, &code, opens_on, closes_on)?;
            // Every other instance drops it too, once this commits.
            crate::pledges::cache::announce(conn, code.as_str())?;
            Ok(moved)
        })
        .await;
    // Committed (or failed): either way what this process holds may be older than the database.
    pledges.campaigns.forget(forget.as_str());
    Ok(Json(out?))
}
