//! `/tips`: anonymous intake, the reporter's follow-up by receipt code, and the ward's queue.
//!
//! The public routes never see an address stored or logged: the client address lives only in the
//! in-memory rate limiters, and the request log skips these routes (see `server.rs`).

use actix_web::http::StatusCode;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::web::{Bytes, Data, Json, Path, Payload, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use bvantq_shared::error::Problem;
use bvantq_shared::tip::{
    AssignRequest, DeadlineCounts, ExtendRequest, FollowUpRequest, OfficerTextRequest,
    PriorityRequest, ReceiptCode, ReporterMessageRequest, TipDetail, TipFollowUp, TipPage,
    TipReceipt, TipRequest, TipStats, TipSummary, TransitionRequest, vn_date,
};
use bvantq_shared::{Role, TipCategory, TipStatus, ValidationError};
use chrono::{Datelike, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{
    check_year, client_ip, decode_cursor, idempotency, page_limit, paginate, parse_json, read_body,
};
use crate::tips::service as tips;
use crate::tips::state::TipsState;
use crate::tips::store;

/// Largest tip or reporter message body: five photos at the cap, base64-encoded, plus text.
pub const TIP_BODY_LIMIT: usize = 22 * 1024 * 1024;

/// A reporter's routes (method, pattern): no request log line, only hourly totals in metrics.
pub const UNLOGGED: &[(&str, &str)] = &[
    ("POST", "/api/v1/tips"),
    ("POST", "/api/v1/tips/follow-up"),
    ("POST", "/api/v1/tips/follow-up/messages"),
];

fn vn_now(state: &Core) -> chrono::NaiveDateTime {
    state.now() + TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS)
}

fn submission_limit(state: &Core, limits: &TipsState, req: &HttpRequest) -> Result<(), ApiError> {
    let ip = client_ip(req, &state.config.proxy);
    limits
        .submissions_ip
        .hit(&ip, state.now())
        .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })
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
fn lookup_begin(state: &Core, limits: &TipsState, ip: &str) -> Result<(), ApiError> {
    let now = state.now();
    let limited = |retry_after_secs| ApiError::RateLimited { retry_after_secs };
    limits.failures_ip.hit(ip, now).map_err(limited)?;
    if let Err(wait) = limits.failures_global.hit(GLOBAL, ip, now) {
        limits.failures_ip.release(ip, now);
        return Err(limited(wait));
    }
    Ok(())
}

/// The scope of the limit of all reporters together.
const GLOBAL: &str = "all";

fn lookup_succeeded(state: &Core, limits: &TipsState, ip: &str) {
    let now = state.now();
    limits.failures_ip.release(ip, now);
    limits.failures_global.release(GLOBAL, ip, now);
}

/// Report a crime tip (tố giác, tin báo về tội phạm). Public, no account.
///
/// Anonymous unless `anonymous` is false and contact details are given. Photos (JPEG, PNG or
/// WebP, base64) are checked by their bytes and stored without metadata (EXIF, GPS, XMP). The
/// answer holds the receipt code: it is shown this once and only its hash is kept.
#[utoipa::path(
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
    submission_limit(&state, &limits, &req)?;
    let body = read_body(payload, TIP_BODY_LIMIT).await?;
    let idem = idempotency(&req, &body, "public", &state.config.tip_sealer)?;
    let input: TipRequest = parse_json(&body)?;
    let new = input.parse(vn_now(&state))?;
    let photos = photos(&state, &limits, new.commune.as_str(), &input.photos).await?;
    let cfg = state.config.clone();
    let now = state.now();
    // No log line here, nor anywhere on a reporter's path: its time would outlive the
    // minute-level times the tip keeps and could be matched against a proxy's log.
    idempotent::run_reporter(&state, idem, move |conn| {
        let receipt = tips::submit(conn, &cfg, &new, &photos, now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(receipt).map_err(ApiError::internal)?,
        ))
    })
    .await
}

/// Follow a tip with its receipt code: status in plain words and the message thread.
///
/// The code goes in the body, never the URL. A wrong code and an unknown code get the same 404;
/// wrong codes are rate-limited per client address and globally (429).
#[utoipa::path(
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
    lookup_begin(&state, &limits, &ip)?;
    let input: FollowUpRequest = parse_json(&body)?;
    let Ok(code) = ReceiptCode::parse(&input.receipt_code) else {
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
    lookup_succeeded(&state, &limits, &ip);
    Ok(Json(found))
}

/// The reporter adds information or photos to their tip (through the receipt code).
#[utoipa::path(
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
    let ip = client_ip(&req, &state.config.proxy);
    submission_limit(&state, &limits, &req)?;
    let body = read_body(payload, TIP_BODY_LIMIT).await?;
    let idem = idempotency(&req, &body, "public", &state.config.tip_sealer)?;
    let input: ReporterMessageRequest = parse_json(&body)?;
    // A wrong code counts against the guessing limits like any other lookup.
    lookup_begin(&state, &limits, &ip)?;
    let code = ReceiptCode::parse(&input.receipt_code).map_err(|_| ApiError::ReceiptNotFound)?;
    let (_, text) = input.parse()?;
    let lookup = code.clone();
    let commune = state
        .db(move |conn| Ok(tips::find_by_receipt(conn, &lookup)?.map(|t| t.commune_code)))
        .await?
        .ok_or(ApiError::ReceiptNotFound)?;
    lookup_succeeded(&state, &limits, &ip);
    let photos = photos(&state, &limits, &commune, &input.photos).await?;
    let cfg = state.config.clone();
    let now = state.now();
    idempotent::run_reporter(&state, idem, move |conn| {
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

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// A unit in the caller's scope (default: the caller's scope unit).
    unit: Option<String>,
    /// Comma-separated statuses, e.g. `received,verifying`.
    status: Option<String>,
    category: Option<String>,
    /// `me`, or an officer's user id.
    assigned: Option<String>,
    /// Only open tips past their decision deadline.
    #[serde(default)]
    overdue: bool,
    /// Only open tips due within 3 days (or already overdue).
    #[serde(default)]
    due_soon: bool,
    cursor: Option<String>,
    limit: Option<i64>,
}

/// The queue: tips in the caller's scope, life-safety first, then the nearest deadline. No
/// content is listed, so listing is not a content read.
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = TipPage), (status = 403, body = Problem)))]
#[get("/tips")]
pub async fn list(
    state: Data<Core>,
    user: AuthUser,
    params: Query<ListParams>,
) -> Result<Json<TipPage>, ApiError> {
    let p = params.into_inner();
    let limit = page_limit(p.limit, 50, 200)?;
    let today = vn_date(state.now());
    let mut statuses = Vec::new();
    for s in p.status.as_deref().unwrap_or("").split(',').map(str::trim) {
        if !s.is_empty() {
            statuses.push(
                TipStatus::parse(s)
                    .map_err(|e| ApiError::field("status", e))?
                    .as_str()
                    .to_string(),
            );
        }
    }
    if p.overdue || p.due_soon {
        statuses.retain(|s| tips::OPEN.contains(&s.as_str()));
        if statuses.is_empty() {
            statuses = tips::OPEN.iter().map(|s| s.to_string()).collect();
        }
    }
    let category = p
        .category
        .as_deref()
        .map(|c| TipCategory::parse(c).map(|c| c.as_str().to_string()))
        .transpose()
        .map_err(|e| ApiError::field("category", e))?;
    let after = p
        .cursor
        .as_deref()
        .map(|c| {
            let raw = decode_cursor(c)?;
            let mut it = raw.splitn(3, '|');
            let bad = || ApiError::field("cursor", ValidationError::UnknownValue { allowed: &[] });
            let pr = it.next().and_then(|x| x.parse().ok()).ok_or_else(bad)?;
            let d = it
                .next()
                .and_then(|x| NaiveDate::parse_from_str(x, "%Y-%m-%d").ok())
                .ok_or_else(bad)?;
            let id = it.next().ok_or_else(bad)?.to_string();
            Ok::<_, ApiError>((pr, d, id))
        })
        .transpose()?;
    let out = state
        .db(move |conn| {
            let unit = tips::query_unit(conn, &user, p.unit.as_deref())?;
            let q = store::TipQuery {
                path_prefix: unit.path.clone(),
                statuses,
                category,
                assigned_to: p
                    .assigned
                    .map(|a| if a == "me" { user.id.clone() } else { a }),
                deadline_before: p.overdue.then_some(today),
                deadline_on_or_before: (p.due_soon && !p.overdue)
                    .then(|| today + TimeDelta::days(bvantq_shared::tip::DUE_SOON_DAYS)),
                after,
                limit,
            };
            let (rows, next) = paginate(store::list(conn, &q)?, limit, |t| {
                format!("{}|{}|{}", t.priority, t.deadline, t.id)
            });
            let names = tips::commune_names(conn, &rows)?;
            let items = rows
                .iter()
                .map(|t| {
                    tips::summary(
                        t,
                        names.get(&t.commune_code).map_or("", String::as_str),
                        today,
                    )
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(TipPage {
                items,
                next_cursor: next,
            })
        })
        .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitParams {
    /// A unit in the caller's scope (default: the caller's scope unit).
    unit: Option<String>,
}

/// Open tips per commune: how many, due within 3 days, overdue.
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(UnitParams),
    responses((status = 200, body = [DeadlineCounts]), (status = 403, body = Problem)))]
#[get("/tips/deadlines")]
pub async fn deadlines(
    state: Data<Core>,
    user: AuthUser,
    params: Query<UnitParams>,
) -> Result<Json<Vec<DeadlineCounts>>, ApiError> {
    let today = vn_date(state.now());
    let unit = params.into_inner().unit;
    let out = state
        .db(move |conn| {
            let u = tips::query_unit(conn, &user, unit.as_deref())?;
            tips::deadline_counts(conn, &u, today)
        })
        .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct StatsParams {
    unit: Option<String>,
    /// Year of receipt (default: this year).
    year: Option<i32>,
}

/// Tip counts by category, status, month and child unit; any count from 1 to 4 shows as "< 5".
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(StatsParams),
    responses((status = 200, body = TipStats), (status = 403, body = Problem)))]
#[get("/tips/stats")]
pub async fn stats(
    state: Data<Core>,
    user: AuthUser,
    params: Query<StatsParams>,
) -> Result<Json<TipStats>, ApiError> {
    let today = vn_date(state.now());
    let p = params.into_inner();
    let year = check_year("year", p.year.unwrap_or(today.year()))?;
    let out = state
        .db(move |conn| {
            let u = tips::query_unit(conn, &user, p.unit.as_deref())?;
            tips::stats(conn, &u, year, today)
        })
        .await?;
    Ok(Json(out))
}

fn no_store<T: Serialize>(status: StatusCode, body: &T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(body)
}

/// A tip's full content, messages, notes and history. Every read is in the audit log.
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(("id" = String, Path)),
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
#[utoipa::path(tag = "tips", security(("bearer" = [])),
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
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = TransitionRequest,
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
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = AssignRequest,
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
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = PriorityRequest,
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
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(("id" = String, Path)), request_body = ExtendRequest,
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
    kind: &'static str,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let input: OfficerTextRequest = parse_json(&body)?;
    let now = state.now();
    let cfg = state.config.clone();
    idempotent::run(&state, idem, move |conn| {
        let mid = tips::officer_text(conn, &cfg, &user, &id, kind, &input, now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::json!({ "id": mid, "kind": kind }),
        ))
    })
    .await
}

/// Write to the reporter (they read it through their receipt code).
#[utoipa::path(tag = "tips", security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = OfficerTextRequest,
    responses((status = 201, body = Object), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/messages")]
pub async fn message(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    officer_text(state, req, user, id.into_inner(), body, "officer").await
}

/// Add an internal note: visible to officers only, never to the reporter.
#[utoipa::path(tag = "tips", security(("bearer" = [])),
    params(("id" = String, Path), ("Idempotency-Key" = String, Header)), request_body = OfficerTextRequest,
    responses((status = 201, body = Object), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/tips/{id}/notes")]
pub async fn note(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    officer_text(state, req, user, id.into_inner(), body, "note").await
}

pub use bvantq_shared::tip::{AuditEntry, AuditPage};

fn entry(a: store::AuditRow) -> AuditEntry {
    AuditEntry {
        id: a.id,
        at: a.at,
        actor_id: a.actor_id,
        actor_role: a.actor_role,
        action: a.action,
        tip_id: a.tip_id,
        detail: a.detail,
    }
}

fn require_auditor(user: &AuthUser) -> Result<(), ApiError> {
    crate::auth::require_role(user, &[Role::ProvinceOfficer])
}

/// Times in audit cursors.
const CURSOR_TIME: &str = "%Y-%m-%dT%H:%M:%S%.f";

/// A tip's audit trail: every content read and every change. Province officers and
/// administrators.
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = [AuditEntry]), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/tips/{id}/audit")]
pub async fn tip_audit(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    require_auditor(&user)?;
    let id = id.into_inner();
    let out = state
        .db(move |conn| {
            let t = tips::load_for(conn, &user, &id)?;
            Ok(store::audit_for_tip(conn, &t.id)?
                .into_iter()
                .map(entry)
                .collect())
        })
        .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct AuditParams {
    unit: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
}

/// The audit log of a unit's subtree, newest first. Province officers and administrators.
#[utoipa::path(tag = "tips", security(("bearer" = [])), params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem)))]
#[get("/audit")]
pub async fn audit_log(
    state: Data<Core>,
    user: AuthUser,
    params: Query<AuditParams>,
) -> Result<Json<AuditPage>, ApiError> {
    require_auditor(&user)?;
    let p = params.into_inner();
    let limit = page_limit(p.limit, 100, 500)?;
    let before = p
        .cursor
        .as_deref()
        .map(|c| {
            let raw = decode_cursor(c)?;
            let bad = || ApiError::field("cursor", ValidationError::UnknownValue { allowed: &[] });
            let (at, id) = raw.split_once('|').ok_or_else(bad)?;
            let at = chrono::NaiveDateTime::parse_from_str(at, CURSOR_TIME).map_err(|_| bad())?;
            Ok::<_, ApiError>((at, id.to_string()))
        })
        .transpose()?;
    let out = state
        .db(move |conn| {
            let unit = tips::query_unit(conn, &user, p.unit.as_deref())?;
            let prefix = (user.role != Role::Admin || p.unit.is_some()).then_some(unit.path);
            let rows = store::audit_list(conn, prefix.as_deref(), before, limit)?;
            let (rows, next) = paginate(rows, limit, |a| {
                format!("{}|{}", a.at.format(CURSOR_TIME), a.id)
            });
            Ok(AuditPage {
                items: rows.into_iter().map(entry).collect(),
                next_cursor: next,
            })
        })
        .await?;
    Ok(Json(out))
}
