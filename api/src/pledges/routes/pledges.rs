//! `/pledges`: public verification of a receipt, and managers marking pledges verified or void.

use actix_web::web::{Bytes, Data, Json, Path};
use actix_web::{get, post};
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{DisputeDto, PledgeVerification, ResolveDispute, StatusRequest};

use crate::app::state::AppState;
use crate::auth::AuthUser;
use crate::infra::error::ApiError;
use crate::infra::request::parse_json;
use crate::pledges::service::require_manage;
use crate::pledges::store::campaigns;
use crate::pledges::store::coverage;
use crate::pledges::store::pledges;

/// Verify a receipt: initials, campaign and date — nothing more.
#[utoipa::path(
    tag = "pledges",
    params(("receipt" = String, Path, description = "e.g. CK-7K4M-Q2ZD")),
    responses((status = 200, body = PledgeVerification), (status = 404, body = Problem))
)]
#[get("/pledges/verify/{receipt}")]
pub async fn verify_receipt(
    state: Data<AppState>,
    receipt: Path<String>,
) -> Result<Json<PledgeVerification>, ApiError> {
    let receipt = receipt.trim().to_ascii_uppercase();
    if receipt.len() > 20 {
        return Err(ApiError::NotFound);
    }
    let out = state
        .db(move |conn| {
            let p = pledges::by_receipt(conn, &receipt)?.ok_or(ApiError::NotFound)?;
            let c = campaigns::by_id(conn, &p.campaign_id)?.ok_or(ApiError::NotFound)?;
            Ok(PledgeVerification {
                receipt: p.receipt,
                initials: p.initials,
                campaign_title: c.title,
                campaign_code: c.code,
                signed_on: p.signed_at.date(),
                status: p.status,
            })
        })
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
    state: Data<AppState>,
    receipt: Path<String>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let receipt = receipt.trim().to_ascii_uppercase();
    if receipt.len() > 20 {
        return Err(ApiError::NotFound);
    }
    let r2 = receipt.clone();
    state
        .db(move |conn| pledges::by_receipt(conn, &r2)?.ok_or(ApiError::NotFound))
        .await?;
    let url = format!(
        "{}/api/v1/pledges/verify/{receipt}",
        state.config.public_url
    );
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(ApiError::internal)?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(180, 180)
        .build();
    Ok(actix_web::HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "private, max-age=86400"))
        .body(svg))
}

fn wrong_state() -> ApiError {
    ApiError::Conflict {
        code: "pledge_state",
        vi: "Không thể đổi trạng thái cam kết này (có thể đã bị hủy).".into(),
        en: "This pledge cannot change to that state (it may be void).".into(),
    }
}

async fn change(
    state: Data<AppState>,
    user: AuthUser,
    id: String,
    to: &'static str,
    reason: Option<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    state
        .db_write(move |conn| {
            let p = pledges::by_id(conn, &id)?.ok_or(ApiError::NotFound)?;
            let c = campaigns::by_id(conn, &p.campaign_id)?.ok_or(ApiError::NotFound)?;
            require_manage(conn, &user, &c)?;
            let from: &[&str] = if to == "void" {
                &["valid", "verified"]
            } else {
                &["valid"]
            };
            if !pledges::set_status(conn, &id, from, to, reason.as_deref(), &user.id)? {
                return Err(wrong_state());
            }
            if to == "void" {
                // A void pledge no longer holds its household's (person's) place: the real one
                // can sign.
                pledges::set_dedupe_and_status(
                    conn,
                    &id,
                    &format!("x:{id}"),
                    to,
                    reason.as_deref(),
                    Some(&user.id),
                )?;
                // Kept, not deleted; no longer counted.
                let unit =
                    crate::units::store::find(conn, &p.unit_code)?.ok_or(ApiError::NotFound)?;
                coverage::bump_signed(
                    conn,
                    &crate::pledges::service::lineage(&unit),
                    c.year,
                    &c.kind,
                    0,
                    -1,
                )?;
            }
            tracing::info!(pledge = %id, status = to, by = %user.id, "pledge status changed");
            Ok(serde_json::json!({"id": id, "status": to}))
        })
        .await
        .map(Json)
}

/// Mark a pledge verified.
#[utoipa::path(tag = "pledges", security(("bearer" = [])), params(("id" = String, Path)), request_body = StatusRequest,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 409, body = Problem)))]
#[post("/pledges/{id}/verify")]
pub async fn mark_verified(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let reason = if body.is_empty() {
        None
    } else {
        parse_json::<StatusRequest>(&body)?.reason(false)?
    };
    change(state, user, id.into_inner(), "verified", reason).await
}

/// Void a pledge with a reason; it is kept, not deleted, and no longer counted.
#[utoipa::path(tag = "pledges", security(("bearer" = [])), params(("id" = String, Path)), request_body = StatusRequest,
    responses((status = 200, body = Object), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/pledges/{id}/void")]
pub async fn void(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let reason = parse_json::<StatusRequest>(&body)?.reason(true)?;
    change(state, user, id.into_inner(), "void", reason).await
}

/// Decide a dispute (the campaign's managers): which pledge stands. The kept one counts and holds
/// the household's (person's) place; the other is void, kept with the reason.
#[utoipa::path(tag = "pledges", security(("bearer" = [])), params(("id" = String, Path)), request_body = ResolveDispute,
    responses((status = 200, body = DisputeDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/pledge-disputes/{id}/resolve")]
pub async fn resolve_dispute(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<DisputeDto>, ApiError> {
    let (keep, reason) = parse_json::<ResolveDispute>(&body)?.parse()?;
    let id = id.into_inner();
    let now = state.now();
    let st = state.clone();
    let out = state
        .db_write(move |conn| {
            let d = crate::pledges::store::disputes::by_id(conn, &id)?.ok_or(ApiError::NotFound)?;
            let c = campaigns::by_id(conn, &d.campaign_id)?.ok_or(ApiError::NotFound)?;
            require_manage(conn, &user, &c)?;
            let ctx = st.campaigns.get(conn, &c.code)?;
            crate::pledges::service::resolve_dispute(conn, &ctx, &d, keep, &reason, &user.id, now)?;
            let d = crate::pledges::store::disputes::by_id(conn, &id)?.ok_or(ApiError::NotFound)?;
            crate::pledges::routes::campaigns::dispute_dto(conn, d)
        })
        .await?;
    Ok(Json(out))
}
