//! The officers' lists: the queue, the legal clock per commune, statistics, the fraud indicators
//! shared across communes.

use actix_web::get;
use actix_web::web::{Data, Json, Query};
use bvantq_shared::error::Problem;
use bvantq_shared::tip::indicator::IndicatorClusters;
use bvantq_shared::tip::{DeadlineCounts, TipPage, TipStats, vn_date};
use chrono::Datelike;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::check_year;
use crate::tips::service as tips;

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
#[utoipa::path(operation_id = "list_tips", tag = "tips", security(("bearer" = [])), params(ListParams),
    responses((status = 200, body = TipPage), (status = 403, body = Problem)))]
#[get("/tips")]
pub async fn list(
    state: Data<Core>,
    user: AuthUser,
    params: Query<ListParams>,
) -> Result<Json<TipPage>, ApiError> {
    let p = params.into_inner();
    let q = tips::Queue::parse(tips::QueueRequest {
        unit: p.unit,
        status: p.status,
        category: p.category,
        assigned: p.assigned,
        overdue: p.overdue,
        due_soon: p.due_soon,
        cursor: p.cursor,
        limit: p.limit,
    })?;
    let now = state.now();
    let out = state
        .db(move |conn| tips::queue(conn, &user, q, now))
        .await?;
    Ok(Json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct UnitParams {
    /// A unit in the caller's scope (default: the caller's scope unit).
    unit: Option<String>,
}

/// Open tips per commune: how many, due within 3 days, overdue.
#[utoipa::path(operation_id = "tip_deadlines", tag = "tips", security(("bearer" = [])), params(UnitParams),
    responses((status = 200, body = [DeadlineCounts]), (status = 403, body = Problem)))]
#[get("/tips/deadlines")]
pub async fn deadlines(
    state: Data<Core>,
    user: AuthUser,
    params: Query<UnitParams>,
) -> Result<Json<Vec<DeadlineCounts>>, ApiError> {
    let now = state.now();
    let unit = params.into_inner().unit;
    let out = state
        .db(move |conn| {
            let u = tips::query_unit(conn, &user, unit.as_deref())?;
            tips::deadline_counts(conn, &u, now)
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
#[utoipa::path(operation_id = "tip_stats", tag = "tips", security(("bearer" = [])), params(StatsParams),
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
    // Yearly figures: a second behind is harmless (the read replica, `db::replica`).
    let out = state
        .db_read(move |conn| {
            let u = tips::query_unit(conn, &user, p.unit.as_deref())?;
            tips::stats(conn, &u, year, today)
        })
        .await?;
    Ok(Json(out))
}

/// Fraud indicators (a phone number, an account, a link) that tips of two or more communes of
/// the unit share: per commune how many tips, and which only where a commune has 5 or more. The
/// province's; the values themselves are not listed.
#[utoipa::path(operation_id = "tip_indicator_clusters", tag = "tips", security(("bearer" = [])),
    params(UnitParams),
    responses((status = 200, body = IndicatorClusters), (status = 403, body = Problem)))]
#[get("/tips/indicator-clusters")]
pub async fn indicator_clusters(
    state: Data<Core>,
    user: AuthUser,
    params: Query<UnitParams>,
) -> Result<Json<IndicatorClusters>, ApiError> {
    let unit = params.into_inner().unit;
    let out = state
        .db(move |conn| tips::indicator_clusters(conn, &user, unit.as_deref()))
        .await?;
    Ok(Json(out))
}
