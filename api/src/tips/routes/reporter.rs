//! The reporter's routes: a tip in, and its follow-up through the receipt code. No log line,
//! no address kept (see [`super::UNLOGGED`]).

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Payload};
use actix_web::{HttpRequest, HttpResponse, post};
use bvantq_shared::error::Problem;
use bvantq_shared::tip::{
    FollowUpRequest, ReceiptCode, ReporterMessageRequest, TipFollowUp, TipReceipt, TipRequest,
};
use chrono::TimeDelta;

use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::idempotent::{self, Answered};
use crate::infra::ratelimit::limit::{hit_both, release_both};
use crate::infra::request::{Idempotency, client_ip, idempotency, parse_json, read_body};
use crate::tips::service as tips;
use crate::tips::state::TipsState;

use super::TIP_BODY_LIMIT;

fn vn_now(state: &Core) -> chrono::NaiveDateTime {
    state.now() + TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS)
}

async fn submission_limit(
    state: &Core,
    limits: &TipsState,
    req: &HttpRequest,
) -> Result<(), ApiError> {
    let ip = client_ip(req, &state.config.proxy);
    limits.submissions_ip.hit(state, &ip).await
}

/// Charges uploaded photos to the hourly budgets (all reporters, and the commune's), then checks
/// and cleans them on the blocking pool. A spent budget is a 503 with `Retry-After`.
async fn photos(
    state: &Core,
    limits: &TipsState,
    commune: &str,
    uploads: &[bvantq_shared::tip::PhotoUpload],
) -> Result<Vec<(crate::infra::images::ImageType, Vec<u8>)>, ApiError> {
    if uploads.is_empty() {
        return Ok(Vec::new());
    }
    let raw = tips::photo_bytes(uploads, "photos")?;
    limits
        .photo_budget
        .spend(commune, tips::photo_size(&raw), state.now())
        .map_err(|retry_after_secs| ApiError::BudgetSpent { retry_after_secs })?;
    actix_web::web::block(move || tips::clean_photos(raw, "photos")).await?
}

/// Counts a receipt-code lookup as a wrong code before it is made (per client address, and
/// towards the limit of all reporters together, of which one address can use only its own share);
/// a lookup that opens its tip gives it back ([`lookup_succeeded`]). Counting first means a burst
/// of concurrent guesses cannot all pass before the first wrong one is recorded.
async fn lookup_begin(state: &Core, limits: &TipsState, ip: &str) -> Result<(), ApiError> {
    hit_both(
        state,
        &limits.failures_ip,
        &limits.failures_global,
        GLOBAL,
        ip,
    )
    .await
}

/// The scope of the limit of all reporters together.
const GLOBAL: &str = "all";

async fn lookup_succeeded(state: &Core, limits: &TipsState, ip: &str) -> Result<(), ApiError> {
    release_both(
        state,
        &limits.failures_ip,
        &limits.failures_global,
        GLOBAL,
        ip,
    )
    .await
}

/// Report a crime tip (tố giác, tin báo về tội phạm). Public, no account.
///
/// Anonymous unless `anonymous` is false and contact details are given. Photos (JPEG, PNG or
/// WebP, base64) are checked by their bytes and stored without metadata (EXIF, GPS, XMP). The
/// answer holds the receipt code: it is shown this once and only its hash is kept.
#[utoipa::path(operation_id = "submit_tip", 
    tag = "tips",
    params(("Idempotency-Key" = String, Header)),
    request_body = TipRequest,
    responses(
        (status = 201, body = TipReceipt),
        (status = 413, body = Problem),
        (status = 422, body = Problem),
        (status = 429, body = Problem),
    )
)]
#[post("/tips")]
pub async fn submit(
    state: Data<Core>,
    limits: Data<TipsState>,
    req: HttpRequest,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    submission_limit(&state, &limits, &req).await?;
    let body = read_body(payload, TIP_BODY_LIMIT).await?;
    let idem = idempotency(&req, &body, "public", &state.config.tip_sealer)?;
    let input: TipRequest = parse_json(&body)?;
    Ok(submit_tip(&state, &limits, &input, idem).await?.respond())
}

/// A tip in, as the API and the server-drawn form (`app::citizen`) both take it (the caller has
/// charged the submission limit).
pub async fn submit_tip(
    state: &Core,
    limits: &TipsState,
    input: &TipRequest,
    idem: Idempotency,
) -> Result<Answered, ApiError> {
    let new = input.parse(vn_now(state))?;
    let photos = photos(state, limits, new.commune.as_str(), &input.photos).await?;
    let cfg = state.config.clone();
    let now = state.now();
    // No log line here, nor anywhere on a reporter's path: its time would outlive the
    // minute-level times the tip keeps and could be matched against a proxy's log.
    idempotent::answer_reporter(state, idem, move |conn| {
        let receipt = tips::submit(conn, &cfg, &new, &photos, now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(receipt).map_err(ApiError::internal)?,
        ))
    })
    .await
}

/// The tip's submission limit (per client address), for the server-drawn form.
pub async fn charge_submission(
    state: &Core,
    limits: &TipsState,
    req: &HttpRequest,
) -> Result<(), ApiError> {
    submission_limit(state, limits, req).await
}

/// Follow a tip with its receipt code: status in plain words and the message thread.
///
/// The code goes in the body, never the URL. A wrong code and an unknown code get the same 404;
/// wrong codes are rate-limited per client address and globally (429).
#[utoipa::path(operation_id = "follow_up_tip", 
    tag = "tips",
    request_body = FollowUpRequest,
    responses((status = 200, body = TipFollowUp), (status = 404, body = Problem), (status = 429, body = Problem))
)]
#[post("/tips/follow-up")]
pub async fn follow_up(
    state: Data<Core>,
    limits: Data<TipsState>,
    req: HttpRequest,
    body: Bytes,
) -> Result<Json<TipFollowUp>, ApiError> {
    let ip = client_ip(&req, &state.config.proxy);
    lookup_begin(&state, &limits, &ip).await?;
    let input: FollowUpRequest = parse_json(&body)?;
    Ok(Json(
        open_tip(&state, &limits, &ip, &input.receipt_code).await?,
    ))
}

/// A tip's status and thread through its receipt code, as the server-drawn page looks it up:
/// counted against the guessing limits first, given back when it opens a tip (as the API does).
pub async fn look_up(
    state: &Core,
    limits: &TipsState,
    req: &HttpRequest,
    receipt_code: &str,
) -> Result<TipFollowUp, ApiError> {
    let ip = client_ip(req, &state.config.proxy);
    lookup_begin(state, limits, &ip).await?;
    open_tip(state, limits, &ip, receipt_code).await
}

/// The tip a receipt code opens, once the lookup is counted; the count is given back when it
/// opens one.
async fn open_tip(
    state: &Core,
    limits: &TipsState,
    ip: &str,
    receipt_code: &str,
) -> Result<TipFollowUp, ApiError> {
    let Ok(code) = ReceiptCode::parse(receipt_code) else {
        return Err(ApiError::ReceiptNotFound);
    };
    let cfg = state.config.clone();
    let found = state
        .db(move |conn| match tips::find_by_receipt(conn, &code)? {
            Some(t) => tips::follow_up(conn, &cfg, &t).map(Some),
            None => Ok(None),
        })
        .await?
        .ok_or(ApiError::ReceiptNotFound)?;
    lookup_succeeded(state, limits, ip).await?;
    Ok(found)
}

/// The reporter adds information or photos to their tip (through the receipt code).
#[utoipa::path(operation_id = "reporter_reply", 
    tag = "tips",
    params(("Idempotency-Key" = String, Header)),
    request_body = ReporterMessageRequest,
    responses((status = 201, body = TipFollowUp), (status = 404, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem))
)]
#[post("/tips/follow-up/messages")]
pub async fn reporter_message(
    state: Data<Core>,
    limits: Data<TipsState>,
    req: HttpRequest,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    submission_limit(&state, &limits, &req).await?;
    let body = read_body(payload, TIP_BODY_LIMIT).await?;
    let idem = idempotency(&req, &body, "public", &state.config.tip_sealer)?;
    let input: ReporterMessageRequest = parse_json(&body)?;
    Ok(reply(&state, &limits, &req, &input, idem).await?.respond())
}

/// The reporter's message in, as the API and the server-drawn page both take it (the caller has
/// charged the submission limit); the answer is the follow-up view with the message in it.
pub async fn reply(
    state: &Core,
    limits: &TipsState,
    req: &HttpRequest,
    input: &ReporterMessageRequest,
    idem: Idempotency,
) -> Result<Answered, ApiError> {
    let ip = client_ip(req, &state.config.proxy);
    // A wrong code counts against the guessing limits like any other lookup.
    lookup_begin(state, limits, &ip).await?;
    let code = ReceiptCode::parse(&input.receipt_code).map_err(|_| ApiError::ReceiptNotFound)?;
    let (_, text) = input.parse()?;
    let lookup = code.clone();
    let commune = state
        .db(move |conn| Ok(tips::find_by_receipt(conn, &lookup)?.map(|t| t.commune_code)))
        .await?
        .ok_or(ApiError::ReceiptNotFound)?;
    lookup_succeeded(state, limits, &ip).await?;
    let photos = photos(state, limits, &commune, &input.photos).await?;
    let cfg = state.config.clone();
    let now = state.now();
    idempotent::answer_reporter(state, idem, move |conn| {
        let t = tips::find_by_receipt(conn, &code)?.ok_or(ApiError::ReceiptNotFound)?;
        tips::reporter_message(conn, &cfg, &t, &text, &photos, now)?;
        let view = tips::follow_up(conn, &cfg, &t)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(view).map_err(ApiError::internal)?,
        ))
    })
    .await
}
