//! `/dashboard`: results against the plan's targets, and the November report as CSV and XLSX.

use actix_web::web::{Data, Json, Query};
use actix_web::{HttpResponse, get};
use bvantq_shared::error::Problem;
use bvantq_shared::plan::Dashboard;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::plans::report;
use crate::plans::service as dashboard;

#[derive(Debug, Deserialize, IntoParams)]
pub struct Params {
    /// A unit in the caller's scope (default: the caller's scope unit).
    unit: Option<String>,
    /// The year the assessment period ends in (default: this year).
    period: Option<i32>,
}

async fn load(state: &Data<Core>, user: AuthUser, p: Params) -> Result<Dashboard, ApiError> {
    let now = state.now();
    let today = bvantq_shared::tip::vn_date(now);
    let period = p.period.unwrap_or_else(|| chrono::Datelike::year(&today));
    let unit = p.unit.unwrap_or_else(|| user.scope.to_string());
    state
        .db(move |conn| dashboard::dashboard(conn, &user, &unit, period, now))
        .await
}

/// Per unit and period: safe / not safe / not assessed by group and class, pledge coverage per
/// audience, overdue tips — for the unit and each child, each beside the plan's target.
#[utoipa::path(tag = "assessments", security(("bearer" = [])), params(Params),
    responses((status = 200, body = Dashboard), (status = 403, body = Problem)))]
#[get("/dashboard")]
pub async fn get_dashboard(
    state: Data<Core>,
    user: AuthUser,
    params: Query<Params>,
) -> Result<Json<Dashboard>, ApiError> {
    load(&state, user, params.into_inner()).await.map(Json)
}

/// The report as CSV (UTF-8 with BOM, Vietnamese headers): one line per child, then the total.
#[utoipa::path(operation_id = "dashboard_report_csv", tag = "assessments", security(("bearer" = [])), params(Params),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
#[get("/dashboard/report.csv")]
pub async fn report_csv(
    state: Data<Core>,
    user: AuthUser,
    params: Query<Params>,
) -> Result<HttpResponse, ApiError> {
    let d = load(&state, user, params.into_inner()).await?;
    let bytes = report::csv(&d)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!(
                "attachment; filename=\"bao-cao-{}-{}.csv\"",
                d.unit.unit_code, d.period
            ),
        ))
        .body(bytes))
}

/// The report as XLSX: sheet «Tổng hợp» (one row per child and the total) and sheet «Chỉ tiêu»
/// (the plan's targets beside the unit's figures).
#[utoipa::path(operation_id = "dashboard_report_xlsx", tag = "assessments", security(("bearer" = [])), params(Params),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem)))]
#[get("/dashboard/report.xlsx")]
pub async fn report_xlsx(
    state: Data<Core>,
    user: AuthUser,
    params: Query<Params>,
) -> Result<HttpResponse, ApiError> {
    let d = load(&state, user, params.into_inner()).await?;
    let name = format!("bao-cao-{}-{}.xlsx", d.unit.unit_code, d.period);
    let bytes = actix_web::web::block(move || report::xlsx(&d))
        .await?
        .map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}
