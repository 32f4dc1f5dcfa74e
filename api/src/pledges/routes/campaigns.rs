//! `/campaigns`: pledge campaigns, their public page, QR code, rosters, signing and exports.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{
    CampaignCode, CampaignDto, CampaignUnit, CampaignWindow, CreateCampaignRequest, DeclaredCount,
    DisputeDto, FieldRules, NewPledge, PledgeDto, PledgePage, PledgeReceipt, PublicCampaign,
    SignContext, SignRequest,
};
use bvantq_shared::{UnitCode, ValidationError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::state::AppState;
use crate::auth::{AuthUser, require_scope};
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{
    client_ip, decode_cursor, idempotency, page_limit, paginate, parse_json,
};
use crate::pledges::service::{
    self as pledging, RosterReport, leaf_kinds, may_run, owner_of, require_manage,
};
use crate::pledges::store::campaigns::{self, CampaignRow, CampaignUnitRow};
use crate::pledges::store::coverage;
use crate::pledges::store::pledges::{self, PledgeRow};
use crate::units::store as units;

fn parse_code(raw: &str) -> Result<CampaignCode, ApiError> {
    CampaignCode::parse(raw).map_err(|e| ApiError::field("code", e))
}

fn unit_names(conn: &mut DbConn, rows: &[CampaignUnitRow]) -> Result<Vec<CampaignUnit>, ApiError> {
    let codes: Vec<&str> = rows.iter().map(|r| r.unit_code.as_str()).collect();
    let mut found = units::find_many(conn, &codes)?;
    found.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(found
        .into_iter()
        .map(|u| CampaignUnit {
            code: u.code,
            name: u.full_name,
        })
        .collect())
}

fn dto(conn: &mut DbConn, c: &CampaignRow) -> Result<CampaignDto, ApiError> {
    let rows = campaigns::units_of(conn, &c.id)?;
    Ok(CampaignDto {
        id: c.id.clone(),
        code: c.code.clone(),
        kind: c.kind(),
        year: c.year,
        title: c.title.clone(),
        owner_unit: c.owner_unit.clone(),
        template_id: c.template_id.clone(),
        opens_on: c.opens_on,
        closes_on: c.closes_on,
        units: unit_names(conn, &rows)?,
        form_path: format!("/k/{}", c.code),
    })
}

/// Create a campaign.
///
/// Ward officers run household campaigns (the commune or some of its residential areas), school
/// admins student campaigns (classes of their school), org admins worker campaigns (departments
/// of their agency or enterprise). The template must be a published version of the same kind.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    request_body = CreateCampaignRequest,
    responses((status = 201, body = CampaignDto), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[post("/campaigns")]
pub async fn create(
    state: Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let new = parse_json::<CreateCampaignRequest>(&body)?.parse()?;
    if !may_run(user.role, new.kind) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let now = state.now();
    idempotent::run(&state, idem, move |conn| {
        let template = campaigns::template(conn, &new.template_id)?;
        let mut owner: Option<units::UnitRow> = None;
        for (i, code) in new.units.iter().enumerate() {
            let unit = units::find(conn, code.as_str())?
                .filter(|u| u.is_current(now.date()))
                .ok_or_else(|| {
                    ApiError::field(&format!("units.{i}"), ValidationError::UnknownUnit)
                })?;
            require_scope(&user, &unit)?;
            if !leaf_kinds(new.kind).contains(&unit.kind()) {
                return Err(ApiError::field(
                    &format!("units.{i}"),
                    ValidationError::UnitKindNotAllowed,
                ));
            }
            let o = owner_of(conn, &unit, new.kind)?;
            match &owner {
                Some(prev) if prev.code != o.code => {
                    return Err(ApiError::field(
                        &format!("units.{i}"),
                        ValidationError::UnitKindNotAllowed,
                    ));
                }
                _ => owner = Some(o),
            }
        }
        let owner = owner.ok_or_else(|| ApiError::field("units", ValidationError::Required))?;
        let template = crate::pledges::templates::require_usable(template, &owner, new.kind)?;
        let id = db::new_id();
        let unit_rows: Vec<CampaignUnitRow> = new
            .units
            .iter()
            .map(|u| CampaignUnitRow {
                campaign_id: id.clone(),
                unit_code: u.to_string(),
                declared_expected: None,
            })
            .collect();
        // A fresh code; on the rare collision, try again.
        for _ in 0..5 {
            let row = CampaignRow {
                id: id.clone(),
                code: pledging::new_campaign_code().to_string(),
                kind: new.kind.as_str().into(),
                year: new.year,
                title: new.title.clone(),
                owner_unit: owner.code.clone(),
                template_id: template.id.clone(),
                opens_on: new.opens_on,
                closes_on: new.closes_on,
                created_by: user.id.clone(),
                created_at: now,
            };
            use diesel::Connection;
            match conn.transaction(|c| campaigns::insert_campaign(c, &row, &unit_rows)) {
                Ok(()) => {
                    tracing::info!(campaign = %row.code, by = %user.id, "campaign created");
                    let d = dto(conn, &row)?;
                    return Ok((
                        StatusCode::CREATED,
                        serde_json::to_value(d).map_err(ApiError::internal)?,
                    ));
                }
                Err(e) if db::is_unique_violation(&e) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(ApiError::Unavailable("no free campaign code".into()))
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
#[utoipa::path(tag = "pledges", security(("bearer" = [])), params(ListParams), responses((status = 200, body = [CampaignDto])))]
#[get("/campaigns")]
pub async fn list(
    state: Data<AppState>,
    user: AuthUser,
    params: Query<ListParams>,
) -> Result<Json<Vec<CampaignDto>>, ApiError> {
    let p = params.into_inner();
    let unit = match p.unit.as_deref() {
        Some(u) => UnitCode::parse(u).map_err(|e| ApiError::field("unit", e))?,
        None => user.scope.clone(),
    };
    let out = state
        .db(move |conn| {
            let unit = crate::auth::require_scope_code(conn, &user, &unit)?;
            let rows = campaigns::list_under(conn, &unit.path, p.year)?;
            rows.iter()
                .filter(|c| may_run(user.role, c.kind()))
                .map(|c| dto(conn, c))
                .collect()
        })
        .await?;
    Ok(Json(out))
}

/// What the public form needs to show a campaign: template, units, required fields.
#[utoipa::path(
    tag = "pledges",
    params(("code" = String, Path, description = "6-character campaign code")),
    responses((status = 200, body = PublicCampaign), (status = 404, body = Problem))
)]
#[get("/campaigns/{code}")]
pub async fn public(
    state: Data<AppState>,
    code: Path<String>,
) -> Result<Json<PublicCampaign>, ApiError> {
    let code = parse_code(&code)?;
    let today = state.now().date();
    let st = state.clone();
    let out = state
        .db(move |conn| {
            let ctx = st.campaigns.get(conn, code.as_str())?;
            let (c, t) = (&ctx.campaign, &ctx.template);
            let owner = units::find(conn, &c.owner_unit)?.ok_or(ApiError::NotFound)?;
            let rows = campaigns::units_of(conn, &c.id)?;
            Ok(PublicCampaign {
                code: c.code.clone(),
                kind: c.kind(),
                year: c.year,
                title: c.title.clone(),
                owner_name: owner.full_name,
                template_version: t.version,
                template_title_vi: t.title_vi.clone(),
                template_title_en: t.title_en.clone(),
                commitments: t.commitments(),
                units: unit_names(conn, &rows)?,
                fields: FieldRules::for_kind(c.kind()),
                opens_on: c.opens_on,
                closes_on: c.closes_on,
                open: c.is_open(today),
            })
        })
        .await?;
    Ok(Json(out))
}

/// The campaign's QR code (SVG), pointing at its form `/k/{code}` on this server.
#[utoipa::path(
    tag = "pledges",
    params(("code" = String, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = Problem))
)]
#[get("/campaigns/{code}/qr.svg")]
pub async fn qr(state: Data<AppState>, code: Path<String>) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let c2 = code.clone();
    state
        .db(move |conn| campaigns::by_code(conn, c2.as_str())?.ok_or(ApiError::NotFound))
        .await?;
    // From the configured public address, never from the request's Host or X-Forwarded-Host:
    // a printed QR code must not point wherever a forged header says.
    let url = format!("{}/k/{}", state.config.public_url, code);
    let qr = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(ApiError::internal)?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .build();
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "public, max-age=86400"))
        .body(svg))
}

fn receipt_json(
    c: &CampaignRow,
    p: &PledgeRow,
    created: bool,
) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(PledgeReceipt {
        receipt: p.receipt.clone(),
        verify_url: format!("/api/v1/pledges/verify/{}", p.receipt),
        campaign_code: c.code.clone(),
        signed_at: p.signed_at,
        created,
        disputed: p.status == bvantq_shared::PledgeStatus::Disputed.as_str(),
    })
    .map_err(ApiError::internal)
}

fn closed() -> ApiError {
    ApiError::Conflict {
        code: "campaign_closed",
        vi: "Đợt cam kết này chưa mở hoặc đã kết thúc.".into(),
        en: "This campaign is not open for signing.".into(),
    }
}

/// The limits of public signing: per client address per hour, and per campaign per hour (of which
/// one address can use only its own share). Returns whether this signing is part of a burst
/// from its address (flagged for the officers).
fn signing_limits(state: &AppState, req: &HttpRequest, campaign: &str) -> Result<bool, ApiError> {
    let ip = client_ip(req, &state.config.proxy);
    let now = state.now();
    let limited = |retry_after_secs| ApiError::RateLimited { retry_after_secs };
    state.signings_ip.hit(&ip, now).map_err(limited)?;
    state
        .signings_campaign
        .hit(campaign, &ip, now)
        .map_err(limited)?;
    let key = format!("{campaign} {ip}");
    let _ = state.signing_bursts.hit(&key, now);
    Ok(state.signing_bursts.count(&key, now) > state.config.signing_burst)
}

/// A public signing of the campaign `ctx` checked and parsed: the campaign open today, the fields
/// of its audience valid.
fn public_signing(
    ctx: &pledging::CampaignContext,
    input: &SignRequest,
    now: chrono::NaiveDateTime,
) -> Result<NewPledge, ApiError> {
    let c = &ctx.campaign;
    if !c.is_open(now.date()) {
        return Err(closed());
    }
    Ok(input.parse(SignContext {
        kind: c.kind(),
        commitments: ctx.commitments.len(),
        today: now.date(),
    })?)
}

/// Sign a pledge (public, no account).
///
/// Requires an `Idempotency-Key`. One pledge per person (per household) per campaign: signing
/// again answers 200 with the first receipt. A student under 18 needs a guardian co-signature.
#[utoipa::path(
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
    state: Data<AppState>,
    req: HttpRequest,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let idem = idempotency(&req, &body, "public", &state.config.tip_sealer)?;
    let input: SignRequest = parse_json(&body)?;
    let cfg = state.config.clone();
    let now = state.now();
    let st = state.clone();
    let burst = signing_limits(&state, &req, code.as_str())?;
    // PostgreSQL: a new signing is written with whatever other signings are waiting, in one
    // statement and one commit (`sign_batch`). Anything it does not write (a repeat, a replayed
    // key, a lost race) and SQLite take the general path below, which answers it.
    if let Some(batch) = &state.sign_batch {
        let ctx = match state.campaigns.cached(code.as_str()) {
            Some(ctx) => ctx,
            None => {
                let (st, code) = (st.clone(), code.clone());
                state
                    .db(move |conn| st.campaigns.get(conn, code.as_str()))
                    .await?
            }
        };
        let c = &ctx.campaign;
        let new = public_signing(&ctx, &input, now)?;
        let d = pledging::draft(&cfg, &ctx, &new, "self", None, burst, now)?;
        let body = receipt_json(c, &d.row, true)?;
        // Stored as every idempotency record is: sealed for this client.
        let stored = idempotent::record(
            &state.config.tip_sealer,
            &idem,
            StatusCode::CREATED,
            &body.to_string(),
            now,
        )
        .response_body;
        // While a CCCD key rotation is pending, older forms of the number must be looked for:
        // the general path does.
        if d.older_cccd.is_empty()
            && batch
                .sign(d, c.year, c.kind().as_str(), idem.clone(), stored)
                .await
        {
            return Ok(HttpResponse::Created().json(body));
        }
    }
    idempotent::run(&state, idem, move |conn| {
        let ctx = st.campaigns.get(conn, code.as_str())?;
        let c = &ctx.campaign;
        let new = public_signing(&ctx, &input, now)?;
        let s = pledging::sign(conn, &cfg, &ctx, &new, "self", None, burst, now)?;
        let status = if s.created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        Ok((status, receipt_json(c, &s.pledge, s.created)?))
    })
    .await
}

/// Contest the pledge signed in one's name (public, no account).
///
/// For the household (or person) who finds their address (or number) already signed by someone
/// else: their own signing is recorded beside the first, both kept and neither counted until the
/// ward police decide which stands. With nothing signed in their name it is an ordinary signing.
/// Limited like signing; requires an `Idempotency-Key`.
#[utoipa::path(
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
    state: Data<AppState>,
    req: HttpRequest,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let idem = idempotency(&req, &body, "public", &state.config.tip_sealer)?;
    let input: SignRequest = parse_json(&body)?;
    let burst = signing_limits(&state, &req, code.as_str())?;
    let cfg = state.config.clone();
    let now = state.now();
    let st = state.clone();
    idempotent::run(&state, idem, move |conn| {
        let ctx = st.campaigns.get(conn, code.as_str())?;
        let new = public_signing(&ctx, &input, now)?;
        let c = pledging::contest(conn, &cfg, &ctx, &new, burst, now)?;
        Ok((
            StatusCode::CREATED,
            receipt_json(&ctx.campaign, &c.pledge, true)?,
        ))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DisputeParams {
    /// Only the disputes still waiting for a decision.
    #[serde(default)]
    open: bool,
}

/// A campaign's disputes (managers only), oldest first, each with both pledges.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path), DisputeParams),
    responses((status = 200, body = [DisputeDto]), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[get("/campaigns/{code}/disputes")]
pub async fn disputes(
    state: Data<AppState>,
    user: AuthUser,
    code: Path<String>,
    params: Query<DisputeParams>,
) -> Result<Json<Vec<DisputeDto>>, ApiError> {
    let code = parse_code(&code)?;
    let open = params.open;
    let st = state.clone();
    let out = state
        .db(move |conn| {
            let c = &st.campaigns.get(conn, code.as_str())?.campaign;
            require_manage(conn, &user, c)?;
            crate::pledges::store::disputes::of_campaign(conn, &c.id, open)?
                .into_iter()
                .map(|d| dispute_dto(conn, d))
                .collect()
        })
        .await?;
    Ok(Json(out))
}

pub fn dispute_dto(
    conn: &mut DbConn,
    d: crate::pledges::store::disputes::DisputeRow,
) -> Result<DisputeDto, ApiError> {
    use bvantq_shared::pledge::DisputeStatus;
    let original = pledges::by_id(conn, &d.pledge_id)?.ok_or(ApiError::NotFound)?;
    let contesting = pledges::by_id(conn, &d.contest_pledge_id)?.ok_or(ApiError::NotFound)?;
    Ok(DisputeDto {
        status: match d.status.as_str() {
            "upheld" => DisputeStatus::Upheld,
            "replaced" => DisputeStatus::Replaced,
            _ => DisputeStatus::Open,
        },
        id: d.id,
        original: pledge_dto(&original),
        contest: pledge_dto(&contesting),
        resolution: d.resolution,
        resolved_at: d.resolved_at,
        created_at: d.created_at,
    })
}

/// Enter a pledge from a paper form (channel `paper`), also after the campaign closed.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path), ("Idempotency-Key" = String, Header)),
    request_body = SignRequest,
    responses((status = 201, body = PledgeReceipt), (status = 200, body = PledgeReceipt), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[post("/campaigns/{code}/paper-pledges")]
pub async fn paper(
    state: Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let input: SignRequest = parse_json(&body)?;
    let cfg = state.config.clone();
    let now = state.now();
    let st = state.clone();
    idempotent::run(&state, idem, move |conn| {
        let ctx = st.campaigns.get(conn, code.as_str())?;
        let c = &ctx.campaign;
        require_manage(conn, &user, c)?;
        let new = input.parse(SignContext {
            kind: c.kind(),
            commitments: ctx.commitments.len(),
            today: now.date(),
        })?;
        let s = pledging::sign(conn, &cfg, &ctx, &new, "paper", Some(&user.id), false, now)?;
        let status = if s.created {
            StatusCode::CREATED
        } else {
            StatusCode::OK
        };
        Ok((status, receipt_json(c, &s.pledge, s.created)?))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct RosterParams {
    /// The class, department or residential area the list is for.
    unit: String,
    /// Import the good rows even if some are rejected.
    #[serde(default)]
    accept_partial: bool,
}

/// Import a roster (CSV) of expected signers for one unit of the campaign.
///
/// Columns (English or Vietnamese without diacritics): `full_name`/`ho_ten`/`chu_ho`,
/// `birth_date`/`ngay_sinh` (YYYY-MM-DD or DD/MM/YYYY), `citizen_id`/`cccd` (optional), and for
/// households `address`/`dia_chi`, `members`/`so_nhan_khau`. Every rejected row is reported with
/// its line number and reason; a file with rejected rows writes nothing unless
/// `accept_partial=true`.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path), RosterParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = RosterReport), (status = 422, description = "Rejected rows; nothing written", body = RosterReport), (status = 409, body = Problem))
)]
#[post("/campaigns/{code}/roster")]
pub async fn roster(
    state: Data<AppState>,
    user: AuthUser,
    code: Path<String>,
    params: Query<RosterParams>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let p = params.into_inner();
    let unit = UnitCode::parse(&p.unit).map_err(|e| ApiError::field("unit", e))?;
    let cfg = state.config.clone();
    let now = state.now();
    let st = state.clone();
    let forget = code.clone();
    let (status, report) = state
        .db_write(move |conn| {
            let c = &st.campaigns.get(conn, code.as_str())?.campaign;
            require_manage(conn, &user, c)?;
            let cu = campaigns::units_of(conn, &c.id)?;
            let Some(cu) = cu.into_iter().find(|u| u.unit_code == unit.as_str()) else {
                return Err(ApiError::field("unit", ValidationError::UnknownUnit));
            };
            if cu.declared_expected.is_some() {
                return Err(ApiError::Conflict {
                    code: "declared_count_exists",
                    vi: "Đơn vị này đã khai báo số lượng; không nhập thêm danh sách.".into(),
                    en: "This unit has a declared count; a roster cannot be added.".into(),
                });
            }
            let existing = pledges::roster_keys(conn, &c.id)?;
            let (rows, rejected, total) = pledging::parse_roster(
                &body,
                c.kind(),
                &c.id,
                unit.as_str(),
                &cfg.cccd,
                &existing,
                now,
            )?;
            let import = rejected.is_empty() || p.accept_partial;
            if import {
                pledges::insert_roster(conn, &rows)?;
                let u = units::find(conn, unit.as_str())?.ok_or(ApiError::NotFound)?;
                let lineage = pledging::lineage(&u);
                coverage::bump_expected(
                    conn,
                    &lineage,
                    c.year,
                    c.kind().as_str(),
                    rows.len() as i64,
                )?;
            }
            let report = RosterReport {
                unit_code: unit.to_string(),
                rows: total,
                accepted: rows.len(),
                rejected,
                imported: import,
            };
            Ok((
                if import {
                    StatusCode::CREATED
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
                report,
            ))
        })
        .await?;
    if status == StatusCode::CREATED {
        // Which units have a roster is part of the cached campaign (off-roster signings are
        // flagged).
        state.campaigns.forget(forget.as_str());
        return Ok(HttpResponse::Created().json(report));
    }
    // A rejected file is a problem: the usual problem body, with the per-row report in it.
    let first = report.rejected.first();
    let mut problem = serde_json::to_value(bvantq_shared::Problem::new(
        422,
        "roster_rejected",
        "Roster rejected",
        format!(
            "Danh sách có {} dòng không hợp lệ (dòng đầu tiên: {}); chưa nhập dòng nào.",
            report.rejected.len(),
            first.map_or(0, |r| r.line)
        ),
        format!(
            "The roster has {} invalid row(s) (first: line {}); nothing was imported.",
            report.rejected.len(),
            first.map_or(0, |r| r.line)
        ),
    ))
    .map_err(ApiError::internal)?;
    let report = serde_json::to_value(&report).map_err(ApiError::internal)?;
    if let (Some(p), Some(r)) = (problem.as_object_mut(), report.as_object()) {
        p.extend(r.clone());
    }
    Ok(HttpResponse::build(status)
        .content_type(bvantq_shared::error::PROBLEM_CONTENT_TYPE)
        .json(problem))
}

/// Declare the number of expected signers of a unit that has no roster.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path)),
    request_body = DeclaredCount,
    responses((status = 200, body = DeclaredCount), (status = 409, body = Problem), (status = 422, body = Problem))
)]
#[put("/campaigns/{code}/expected")]
pub async fn declare(
    state: Data<AppState>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<Json<DeclaredCount>, ApiError> {
    let code = parse_code(&code)?;
    let input: DeclaredCount = parse_json(&body)?;
    input.parse()?;
    let out = input.clone();
    let st = state.clone();
    state
        .db_write(move |conn| {
            let c = &st.campaigns.get(conn, code.as_str())?.campaign;
            require_manage(conn, &user, c)?;
            let cu = campaigns::units_of(conn, &c.id)?
                .into_iter()
                .find(|u| u.unit_code == input.unit_code)
                .ok_or_else(|| ApiError::field("unit_code", ValidationError::UnknownUnit))?;
            if pledges::roster_counts(conn, &c.id)?
                .iter()
                .any(|(u, n)| *u == cu.unit_code && *n > 0)
            {
                return Err(ApiError::Conflict {
                    code: "roster_exists",
                    vi: "Đơn vị này đã có danh sách; số lượng lấy theo danh sách.".into(),
                    en: "This unit has a roster; its count comes from the roster.".into(),
                });
            }
            let delta = input.expected - i64::from(cu.declared_expected.unwrap_or(0));
            campaigns::set_declared(conn, &c.id, &cu.unit_code, input.expected as i32)?;
            let u = units::find(conn, &cu.unit_code)?.ok_or(ApiError::NotFound)?;
            coverage::bump_expected(
                conn,
                &pledging::lineage(&u),
                c.year,
                c.kind().as_str(),
                delta,
            )?;
            Ok(())
        })
        .await?;
    Ok(Json(out))
}

/// Move a campaign's signing window: extend it, close it early or reopen it.
///
/// The code, the form's link and the QR codes already printed stay the same, and signing follows
/// the new window at once. For the campaign's managers, as its roster and exports are.
#[utoipa::path(
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
    state: Data<AppState>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<Json<CampaignDto>, ApiError> {
    let code = parse_code(&code)?;
    let (opens_on, closes_on) = parse_json::<CampaignWindow>(&body)?.parse()?;
    let forget = code.clone();
    let out = state
        .db_write(move |conn| {
            let c = campaigns::by_code(conn, code.as_str())?.ok_or(ApiError::NotFound)?;
            require_manage(conn, &user, &c)?;
            campaigns::set_window(conn, &c.id, opens_on, closes_on)?;
            tracing::info!(campaign = %c.code, %opens_on, %closes_on, by = %user.id, "campaign window moved");
            dto(
                conn,
                &CampaignRow {
                    opens_on,
                    closes_on,
                    ..c
                },
            )
        })
        .await;
    // Committed (or failed): either way what this process holds may be older than the database.
    state.campaigns.forget(forget.as_str());
    Ok(Json(out?))
}

pub fn pledge_dto(p: &PledgeRow) -> PledgeDto {
    PledgeDto {
        id: p.id.clone(),
        receipt: p.receipt.clone(),
        unit_code: p.unit_code.clone(),
        full_name: p.full_name.clone(),
        birth_date: p.birth_date,
        citizen_id_last4: p.cccd_last4.clone(),
        phone: p.phone.clone(),
        address: p.address.clone(),
        members: p.members,
        guardian_name: p.guardian_name.clone(),
        guardian_relation: p.guardian_relation.clone(),
        channel: p.channel.clone(),
        status: p.status.clone(),
        status_reason: p.status_reason.clone(),
        on_roster: p.roster_entry_id.is_some(),
        flags: p
            .flags
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|f| bvantq_shared::PledgeFlag::parse(f).ok())
            .collect(),
        signed_at: p.signed_at,
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PledgeListParams {
    /// Name search, diacritics optional.
    q: Option<String>,
    /// Only this unit (class, department, residential area).
    unit: Option<String>,
    cursor: Option<String>,
    /// 1–500, default 100.
    limit: Option<i64>,
}

/// A campaign's pledges (managers only).
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path), PledgeListParams),
    responses((status = 200, body = PledgePage), (status = 403, body = Problem))
)]
#[get("/campaigns/{code}/pledges")]
pub async fn pledges_list(
    state: Data<AppState>,
    user: AuthUser,
    code: Path<String>,
    params: Query<PledgeListParams>,
) -> Result<Json<PledgePage>, ApiError> {
    let code = parse_code(&code)?;
    let p = params.into_inner();
    let limit = page_limit(p.limit, 100, 500)?;
    let after = p.cursor.as_deref().map(decode_cursor).transpose()?;
    let q =
        p.q.as_deref()
            .map(bvantq_shared::text::fold)
            .filter(|s| !s.is_empty());
    let st = state.clone();
    let rows = state
        .db(move |conn| {
            let c = &st.campaigns.get(conn, code.as_str())?.campaign;
            require_manage(conn, &user, c)?;
            Ok(pledges::list(
                conn,
                &c.id,
                q.as_deref(),
                p.unit.as_deref(),
                after.as_deref(),
                limit + 1,
            )?)
        })
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id.clone());
    Ok(Json(PledgePage {
        items: rows.iter().map(pledge_dto).collect(),
        next_cursor,
    }))
}

const CSV_HEADERS: [&str; 13] = [
    "Số biên nhận",
    "Đơn vị",
    "Họ và tên",
    "Ngày sinh",
    "CCCD (4 số cuối)",
    "Số điện thoại",
    "Địa chỉ",
    "Số nhân khẩu",
    "Người giám hộ",
    "Quan hệ",
    "Hình thức",
    "Trạng thái",
    "Thời điểm ký",
];

fn export_rows(
    conn: &mut DbConn,
    cache: &pledging::CampaignCache,
    user: &AuthUser,
    code: &CampaignCode,
) -> Result<(CampaignRow, Vec<PledgeRow>), ApiError> {
    let c = cache.get(conn, code.as_str())?.campaign.clone();
    require_manage(conn, user, &c)?;
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = pledges::list(conn, &c.id, None, None, after.as_deref(), 1000)?;
        after = page.last().map(|p| p.id.clone());
        let done = page.len() < 1000;
        all.extend(page);
        if done {
            break;
        }
    }
    Ok((c, all))
}

/// One export line, in the order of [`CSV_HEADERS`]; the CCCD only as its last 4 digits.
fn export_line(p: &PledgeRow) -> [String; 13] {
    let channel = if p.channel == "paper" {
        "Phiếu giấy"
    } else {
        "Trực tuyến"
    };
    let status = match p.status.as_str() {
        "verified" => "Đã xác minh",
        "void" => "Đã hủy",
        _ => "Hợp lệ",
    };
    [
        p.receipt.clone(),
        p.unit_code.clone(),
        p.full_name.clone(),
        p.birth_date.format("%d/%m/%Y").to_string(),
        p.cccd_last4
            .as_ref()
            .map(|l| format!("********{l}"))
            .unwrap_or_default(),
        p.phone
            .as_deref()
            .map(crate::infra::export::phone)
            .unwrap_or_default(),
        p.address.clone().unwrap_or_default(),
        p.members.map(|m| m.to_string()).unwrap_or_default(),
        p.guardian_name.clone().unwrap_or_default(),
        p.guardian_relation.clone().unwrap_or_default(),
        channel.into(),
        status.into(),
        p.signed_at.format("%d/%m/%Y %H:%M").to_string(),
    ]
}

/// Every pledge of a campaign as CSV (UTF-8 with BOM, Vietnamese headers; CCCD as last 4 digits).
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem))
)]
#[get("/campaigns/{code}/pledges.csv")]
pub async fn export_csv(
    state: Data<AppState>,
    user: AuthUser,
    code: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let c2 = code.clone();
    let (_, rows) = {
        let st = state.clone();
        state
            .db(move |conn| export_rows(conn, &st.campaigns, &user, &c2))
            .await?
    };
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(CSV_HEADERS).map_err(ApiError::internal)?;
    for p in &rows {
        let line = export_line(p);
        w.write_record(crate::infra::export::csv_record(
            line.iter().map(String::as_str),
        ))
        .map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"cam-ket-{code}.csv\""),
        ))
        .body(bytes))
}

/// Every pledge of a campaign as an XLSX workbook: a sheet of pledges (Vietnamese headers) and a
/// summary sheet with the counts.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem))
)]
#[get("/campaigns/{code}/pledges.xlsx")]
pub async fn export_xlsx(
    state: Data<AppState>,
    user: AuthUser,
    code: Path<String>,
) -> Result<HttpResponse, ApiError> {
    use rust_xlsxwriter::{Format, Workbook};
    let code = parse_code(&code)?;
    let c2 = code.clone();
    let (campaign, rows) = {
        let st = state.clone();
        state
            .db(move |conn| export_rows(conn, &st.campaigns, &user, &c2))
            .await?
    };
    let bytes = actix_web::web::block(move || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = wb.add_worksheet();
        sheet.set_name("Danh sách cam kết")?;
        for (col, h) in CSV_HEADERS.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *h, &bold)?;
        }
        for (i, p) in rows.iter().enumerate() {
            for (col, v) in export_line(p).iter().enumerate() {
                crate::infra::export::xlsx_text(sheet, i as u32 + 1, col as u16, v, None)?;
            }
        }
        sheet.autofit();
        let summary = wb.add_worksheet();
        summary.set_name("Tổng hợp")?;
        let count = |s: &str| rows.iter().filter(|p| p.status == s).count() as f64;
        let lines: [(&str, f64); 4] = [
            ("Tổng số cam kết", rows.len() as f64),
            ("Hợp lệ", count("valid")),
            ("Đã xác minh", count("verified")),
            ("Đã hủy", count("void")),
        ];
        summary.write_string_with_format(0, 0, "Đợt cam kết", &bold)?;
        crate::infra::export::xlsx_text(
            summary,
            0,
            1,
            &format!("{} ({})", campaign.title, campaign.code),
            None,
        )?;
        for (i, (label, n)) in lines.iter().enumerate() {
            summary.write_string_with_format(i as u32 + 1, 0, *label, &bold)?;
            summary.write_number(i as u32 + 1, 1, *n)?;
        }
        wb.save_to_buffer()
    })
    .await?
    .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"cam-ket-{code}.xlsx\""),
        ))
        .body(bytes))
}
