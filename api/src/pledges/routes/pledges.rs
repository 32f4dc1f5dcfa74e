//! `/pledges`: public verification of a receipt, and managers marking pledges verified or void.

use actix_web::web::{Bytes, Data, Json, Path};
use actix_web::{HttpResponse, get, post};
use bvantq_shared::PledgeStatus;
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{PledgeStatusChanged, PledgeVerification, StatusRequest};

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::parse_json;
use crate::pledges::service::pledges as service;

/// A receipt number from the path, in its stored form (anything longer is no receipt).
fn receipt_of(raw: &str) -> Result<String, ApiError> {
    let receipt = raw.trim().to_ascii_uppercase();
    if receipt.len() > 20 {
        return Err(ApiError::NotFound);
    }
    Ok(receipt)
}

/// Verify a receipt: initials, campaign and date — nothing more.
#[utoipa::path(
    tag = "pledges",
    params(("receipt" = String, Path, description = "e.g. CK-7K4M-Q2ZD")),
    responses((status = 200, body = PledgeVerification), (status = 404, body = Problem))
)]
#[get("/pledges/verify/{receipt}")]
pub async fn verify_receipt(
    state: Data<Core>,
    receipt: Path<String>,
) -> Result<Json<PledgeVerification>, ApiError> {
    let receipt = receipt_of(&receipt)?;
    let out = state
        .db(move |conn| service::verification(conn, &receipt))
        .await?;
    Ok(Json(out))
}

/// A QR code (SVG) of a receipt's verification address, for the receipt page.
#[utoipa::path(
    tag = "pledges",
    params(("receipt" = String, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = Problem))
)]
#[get("/pledges/verify/{receipt}/qr.svg")]
pub async fn receipt_qr(
    state: Data<Core>,
    receipt: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let receipt = receipt_of(&receipt)?;
    let r2 = receipt.clone();
    state
        .db(move |conn| service::require_receipt(conn, &r2))
        .await?;
    let url = format!(
        "{}/api/v1/pledges/verify/{receipt}",
        state.config.public_url
    );
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .body(crate::infra::qr::svg(&url, 180)?))
}

async fn change(
    state: Data<Core>,
    user: AuthUser,
    id: String,
    to: PledgeStatus,
    reason: Option<String>,
) -> Result<Json<PledgeStatusChanged>, ApiError> {
    let to = state
        .db_write(move |conn| {
            service::set_status(conn, &user, &id, to, reason.as_deref()).map(|s| (id, s))
        })
        .await?;
    Ok(Json(PledgeStatusChanged {
        id: to.0,
        status: to.1,
    }))
}

/// Mark a pledge verified.
#[utoipa::path(operation_id = "verify_pledge", tag = "pledges", security(("bearer" = [])), params(("id" = String, Path)), request_body = StatusRequest,
    responses((status = 200, body = PledgeStatusChanged), (status = 403, body = Problem), (status = 409, body = Problem)))]
#[post("/pledges/{id}/verify")]
pub async fn mark_verified(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<PledgeStatusChanged>, ApiError> {
    let reason = if body.is_empty() {
        None
    } else {
        parse_json::<StatusRequest>(&body)?.reason(false)?
    };
    change(state, user, id.into_inner(), PledgeStatus::Verified, reason).await
}

/// Void a pledge with a reason; it is kept, not deleted, and no longer counted.
#[utoipa::path(operation_id = "void_pledge", tag = "pledges", security(("bearer" = [])), params(("id" = String, Path)), request_body = StatusRequest,
    responses((status = 200, body = PledgeStatusChanged), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/pledges/{id}/void")]
pub async fn void(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<PledgeStatusChanged>, ApiError> {
    let reason = parse_json::<StatusRequest>(&body)?.reason(true)?;
    change(state, user, id.into_inner(), PledgeStatus::Void, reason).await
}
