//! Signing a campaign's pledge: public (with its limits, batched on PostgreSQL), contested by the
//! household it names, and entered from paper by the campaign's managers.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Path};
use actix_web::{HttpRequest, HttpResponse, post};
use bvantq_shared::PledgeChannel;
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{CampaignCode, PledgeReceipt, SignRequest};
use serde_json::Value;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::idempotent::{self, Answered};
use crate::infra::request::{Idempotency, client_ip, idempotency, parse_json};
use crate::pledges::batch::Declined;
use crate::pledges::cache::CampaignContext;
use crate::pledges::routes::campaigns::parse_code;
use crate::pledges::service::campaigns::require_paper;
use crate::pledges::service::signing::{self as service, Draft};
use crate::pledges::state::PledgesState;
use crate::pledges::store::pledges::PledgeRow;

fn receipt_json(code: &str, p: &PledgeRow, created: bool) -> Result<Value, ApiError> {
    serde_json::to_value(PledgeReceipt {
        receipt: p.receipt.clone(),
        verify_url: format!("/api/v1/pledges/verify/{}", p.receipt),
        campaign_code: code.to_string(),
        signed_at: p.signed_at,
        created,
        disputed: p.status == bvantq_shared::PledgeStatus::Disputed,
    })
    .map_err(ApiError::internal)
}

fn created_or_ok(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

/// The limits of public signing: per client address per hour, and per campaign per hour (of which
/// one address can use only its own share). Returns whether this signing is part of a burst
/// from its address (flagged for the officers).
async fn signing_limits(
    state: &Core,
    pledges: &PledgesState,
    req: &HttpRequest,
    campaign: &str,
) -> Result<bool, ApiError> {
    let ip = client_ip(req, &state.config.proxy);
    pledges.signings_ip.hit(state, &ip).await?;
    pledges.signings_campaign.hit(state, campaign, &ip).await?;
    let key = format!("{campaign} {ip}");
    Ok(pledges.bursts.count_one(state, &key).await? > state.config.signing_burst)
}

/// The campaign, from memory when it is there.
async fn campaign(
    state: &Core,
    pledges: &Data<PledgesState>,
    code: &CampaignCode,
) -> Result<Arc<CampaignContext>, ApiError> {
    if let Some(ctx) = pledges.campaigns.cached(code.as_str()) {
        return Ok(ctx);
    }
    let (p, code) = (pledges.clone(), code.clone());
    state
        .db(move |conn| p.campaigns.get(conn, code.as_str()))
        .await
}

/// PostgreSQL: a new signing goes with whatever other signings are waiting, in one statement
/// and one commit (`pledges::batch`). `Ok(receipt)` once written; the draft back when not (a
/// repeat, a replayed key, a lost race), for the general path, which answers it.
async fn batched(
    state: &Core,
    pledges: &PledgesState,
    ctx: &CampaignContext,
    idem: &Idempotency,
    draft: Draft,
) -> Result<Result<Value, Draft>, ApiError> {
    let Some(batch) = &pledges.batch else {
        return Ok(Err(draft));
    };
    // While a CCCD key rotation is pending, older forms of the number must be looked for: the
    // general path does.
    if !draft.older_cccd.is_empty() {
        return Ok(Err(draft));
    }
    let c = &ctx.campaign;
    let body = receipt_json(&c.code, &draft.row, true)?;
    // Stored as every idempotency record is: sealed for this client.
    let stored = idempotent::record(
        &state.config.tip_sealer,
        idem,
        StatusCode::CREATED,
        &body.to_string(),
        state.now(),
    )?
    .response_body;
    match batch
        .sign(draft, c.year, c.kind, idem.clone(), stored)
        .await
    {
        Ok(()) => Ok(Ok(body)),
        Err(Declined::Back(draft)) => Ok(Err(*draft)),
        Err(Declined::Closing) => Err(ApiError::Unavailable("signing queue closing".into())),
    }
}

/// Sign a pledge (public, no account).
///
/// Requires an `Idempotency-Key`. One pledge per person (per household) per campaign: signing
/// again answers 200 with the first receipt. A student under 18 needs a guardian co-signature.
#[utoipa::path(operation_id = "sign_pledge", 
    tag = "pledges",
    params(("code" = String, Path), ("Idempotency-Key" = String, Header)),
    request_body = SignRequest,
    responses(
        (status = 201, description = "Signed", body = PledgeReceipt),
        (status = 200, description = "Already signed: the first receipt", body = PledgeReceipt),
        (status = 404, body = Problem),
        (status = 409, description = "Campaign not open", body = Problem),
        (status = 422, body = Problem),
    )
)]
#[post("/campaigns/{code}/pledges")]
pub async fn sign(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    req: HttpRequest,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let idem = idempotency(&req, &body, "public", &state.config.tip_sealer)?;
    let input: SignRequest = parse_json(&body)?;
    Ok(sign_public(&state, &pledges, &req, &code, &input, idem)
        .await?
        .respond())
}

/// What a public signing and a contest both begin with: the limits charged, the campaign, the
/// request checked against it, the pledge drafted.
async fn public_draft(
    state: &Core,
    pledges: &Data<PledgesState>,
    req: &HttpRequest,
    code: &CampaignCode,
    input: &SignRequest,
) -> Result<(Arc<CampaignContext>, Draft, chrono::NaiveDateTime), ApiError> {
    let burst = signing_limits(state, pledges, req, code.as_str()).await?;
    let now = state.now();
    let ctx = campaign(state, pledges, code).await?;
    let new = service::public(&ctx, input, now)?;
    let draft = service::draft(
        &state.config,
        &ctx,
        &new,
        PledgeChannel::SelfSigned,
        None,
        burst,
        now,
    )?;
    Ok((ctx, draft, now))
}

/// A public signing, as the API and the server-drawn form (`app::citizen`) both make it: the
/// limits, the batch on PostgreSQL, else one idempotent write.
pub async fn sign_public(
    state: &Core,
    pledges: &Data<PledgesState>,
    req: &HttpRequest,
    code: &CampaignCode,
    input: &SignRequest,
    idem: Idempotency,
) -> Result<Answered, ApiError> {
    let (ctx, draft, _) = public_draft(state, pledges, req, code, input).await?;
    let draft = match batched(state, pledges, &ctx, &idem, draft).await? {
        Ok(receipt) => {
            return Ok(Answered {
                status: StatusCode::CREATED,
                body: receipt,
                replayed: false,
            });
        }
        Err(draft) => draft,
    };
    idempotent::answer_now(state, idem, move |conn| {
        let s = service::sign(conn, &ctx, draft)?;
        let body = receipt_json(&ctx.campaign.code, &s.pledge, s.created)?;
        Ok((created_or_ok(s.created), body))
    })
    .await
}

/// Contest the pledge signed in one's name (public, no account).
///
/// For the household (or person) who finds their address (or number) already signed by someone
/// else: their own signing is recorded beside the first, both kept and neither counted until the
/// ward police decide which stands. With nothing signed in their name it is an ordinary signing.
/// Limited like signing; requires an `Idempotency-Key`.
#[utoipa::path(operation_id = "contest_pledge", 
    tag = "pledges",
    params(("code" = String, Path), ("Idempotency-Key" = String, Header)),
    request_body = SignRequest,
    responses(
        (status = 201, description = "Recorded (`disputed` true: the ward will decide)", body = PledgeReceipt),
        (status = 404, body = Problem),
        (status = 409, description = "Campaign not open, or already contested", body = Problem),
        (status = 422, body = Problem),
        (status = 429, body = Problem),
    )
)]
#[post("/campaigns/{code}/pledges/contest")]
pub async fn contest(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    req: HttpRequest,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let idem = idempotency(&req, &body, "public", &state.config.tip_sealer)?;
    let input: SignRequest = parse_json(&body)?;
    Ok(contest_public(&state, &pledges, &req, &code, &input, idem)
        .await?
        .respond())
}

/// A contest, as the API and the server-drawn receipt page both make it.
pub async fn contest_public(
    state: &Core,
    pledges: &Data<PledgesState>,
    req: &HttpRequest,
    code: &CampaignCode,
    input: &SignRequest,
    idem: Idempotency,
) -> Result<Answered, ApiError> {
    let (ctx, draft, now) = public_draft(state, pledges, req, code, input).await?;
    idempotent::answer_now(state, idem, move |conn| {
        let c = service::contest(conn, &ctx, draft, now)?;
        let body = receipt_json(&ctx.campaign.code, &c.pledge, true)?;
        Ok((StatusCode::CREATED, body))
    })
    .await
}

/// Enter a pledge from a paper form (channel `paper`), also after the campaign closed.
#[utoipa::path(operation_id = "record_paper_pledges", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path), ("Idempotency-Key" = String, Header)),
    request_body = SignRequest,
    responses((status = 201, body = PledgeReceipt), (status = 200, body = PledgeReceipt), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[post("/campaigns/{code}/paper-pledges")]
pub async fn paper(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    req: HttpRequest,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let input: SignRequest = parse_json(&body)?;
    let (cfg, now) = (state.config.clone(), state.now());
    let ctx = campaign(&state, &pledges, &code).await?;
    idempotent::run(&state, idem, move |conn| {
        require_paper(conn, &user, &ctx.campaign, &input.unit_code)?;
        let new = service::paper(&ctx, &input, now)?;
        let draft = service::draft(
            &cfg,
            &ctx,
            &new,
            PledgeChannel::Paper,
            Some(&user.id),
            false,
            now,
        )?;
        let s = service::sign(conn, &ctx, draft)?;
        let body = receipt_json(&ctx.campaign.code, &s.pledge, s.created)?;
        Ok((created_or_ok(s.created), body))
    })
    .await
}
