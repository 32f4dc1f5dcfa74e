//! `/dashboard`: results against the plan's targets, and the November report as CSV, XLSX and
//! PDF; `/dashboard/national`, `/coverage/national`: the country, for the administrators;
//! `/provinces/{code}/plans`, `/plans/{id}`: the plans a province keeps.

use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post, put};
use bvantq_shared::error::Problem;
use bvantq_shared::plan::Dashboard;
use bvantq_shared::plan::calendar::{CalendarSettings, ReportingCalendar};
use bvantq_shared::plan::figures::{EnteredFigure, FigureRequest};
use bvantq_shared::plan::national::{NationalCoverage, NationalDashboard};
use bvantq_shared::plan::submission::{
    AnnualReport, AnnualReportRequest, SubmissionBoard, UnitSubmissions,
};
use bvantq_shared::plan::versions::{PlanRequest, PlanVersion};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::export::{XLSX_MIME, attachment};
use crate::infra::pdf::PDF_MIME;
use crate::infra::request::{parse_json, year_or_this};
use crate::plans::national::NationalState;
use crate::plans::service as dashboard;
use crate::plans::{calendar, figures, submissions, versions};
use crate::plans::{pdf_report, report};

#[derive(Debug, Deserialize, IntoParams)]
pub struct Params {
    /// A unit in the caller's scope (default: the caller's scope unit).
    unit: Option<String>,
    /// The year the assessment period ends in (default: the period today falls in).
    period: Option<i32>,
}

/// The unit (default: the caller's scope) and the period (default: the one today falls in).
fn resolve(state: &Data<Core>, user: &AuthUser, p: Params) -> Result<(String, i32), ApiError> {
    let period = period_or_today(state, p.period)?;
    Ok((p.unit.unwrap_or_else(|| user.scope.to_string()), period))
}

/// `period`, or the period today falls in (from 16 November the next year's), not the calendar
/// year.
fn period_or_today(state: &Data<Core>, period: Option<i32>) -> Result<i32, ApiError> {
    match period {
        Some(y) => Ok(y),
        None => bvantq_shared::assessment::period_of(
            bvantq_shared::UnitKind::Commune,
            bvantq_shared::tip::vn_date(state.now()),
        )
        .map(|p| p.year)
        .ok_or_else(|| ApiError::internal("no period for today")),
    }
}

async fn load(state: &Data<Core>, user: AuthUser, p: Params) -> Result<Dashboard, ApiError> {
    let now = state.now();
    let (unit, period) = resolve(state, &user, p)?;
    // A dashboard may be a second behind (the read replica, `db::replica`).
    state
        .db_read(move |conn| dashboard::dashboard(conn, &user, &unit, period, now))
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

#[derive(Debug, Deserialize, IntoParams)]
pub struct NationalParams {
    /// The year the assessment period ends in (default: the period today falls in).
    period: Option<i32>,
}

/// The country: each current province's dashboard row and their sum, for the administrators.
/// A snapshot: `computed_at` is never more than `max_age_seconds` before the answer.
#[utoipa::path(tag = "assessments", security(("bearer" = [])), params(NationalParams),
    responses((status = 200, body = NationalDashboard), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[get("/dashboard/national")]
pub async fn get_national_dashboard(
    state: Data<Core>,
    national: Data<NationalState>,
    user: AuthUser,
    params: Query<NationalParams>,
) -> Result<Json<NationalDashboard>, ApiError> {
    crate::auth::require_role(&user, &[])?;
    let period = period_or_today(&state, params.into_inner().period)?;
    let d = crate::plans::national::dashboard(&state, &national, period).await?;
    Ok(Json(NationalDashboard::clone(&d)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct NationalCoverageParams {
    year: i32,
    /// household, student or worker
    kind: String,
}

/// Pledge coverage of the country and each current province, from the provinces' counters, for
/// the administrators.
#[utoipa::path(operation_id = "get_national_coverage",
    tag = "pledges",
    security(("bearer" = [])),
    params(NationalCoverageParams),
    responses((status = 200, body = NationalCoverage), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[get("/coverage/national")]
pub async fn national_coverage(
    state: Data<Core>,
    user: AuthUser,
    params: Query<NationalCoverageParams>,
) -> Result<Json<NationalCoverage>, ApiError> {
    crate::auth::require_role(&user, &[])?;
    let p = params.into_inner();
    let kind = bvantq_shared::PledgeKind::parse(&p.kind).map_err(|e| ApiError::field("kind", e))?;
    let today = state.now().date();
    // The counters may be a second behind the signings (the read replica, `db::replica`).
    let out = state
        .db_read(move |conn| crate::plans::national::coverage(conn, p.year, kind, today))
        .await?;
    Ok(Json(out))
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
    let name = format!("bao-cao-{}-{}.csv", d.unit.unit_code, d.period);
    Ok(attachment("text/csv; charset=utf-8", &name, bytes))
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
    Ok(attachment(XLSX_MIME, &name, bytes))
}

/// The report as PDF (A4, Vietnamese, fonts embedded): the targets met or not, the results by
/// group with the classes drawn as stacked bars, each target over the plan's years, pledges,
/// the children with their coverage against the target line, and the awards.
#[utoipa::path(operation_id = "dashboard_report_pdf", tag = "assessments", security(("bearer" = [])), params(Params),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 403, body = Problem)))]
#[get("/dashboard/report.pdf")]
pub async fn report_pdf(
    state: Data<Core>,
    user: AuthUser,
    params: Query<Params>,
) -> Result<HttpResponse, ApiError> {
    let now = state.now();
    let (unit, period) = resolve(&state, &user, params.into_inner())?;
    let (d, years) = state
        .db_read(move |conn| dashboard::with_years(conn, &user, &unit, period, now))
        .await?;
    let name = format!("bao-cao-{}-{}.pdf", d.unit.unit_code, d.period);
    let bytes = actix_web::web::block(move || pdf_report::dashboard_pdf(&d, &years))
        .await?
        .map_err(ApiError::internal)?;
    Ok(attachment(PDF_MIME, &name, bytes))
}

/// A province's plans, every version (drafts, published, and those made for a former province
/// that merged into it), newest first: the province's officers.
#[utoipa::path(operation_id = "list_plans", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    responses((status = 200, body = [PlanVersion]), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/provinces/{code}/plans")]
pub async fn list_plans(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
) -> Result<Json<Vec<PlanVersion>>, ApiError> {
    let code = code.into_inner();
    state
        .db(move |conn| versions::list(conn, &user, &code))
        .await
        .map(Json)
}

/// A new draft plan of the province (its periods, titles, document, targets; optionally the
/// published plan it takes over from, from its first period).
#[utoipa::path(operation_id = "create_plan", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = PlanRequest,
    responses((status = 201, body = PlanVersion), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[post("/provinces/{code}/plans")]
pub async fn create_plan(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: PlanRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    let out = state
        .db_write(move |conn| versions::create(conn, &user, &code, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Rewrites a draft; a published plan is never edited (409 `plan_published`).
#[utoipa::path(operation_id = "update_plan", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = PlanRequest,
    responses((status = 200, body = PlanVersion), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[put("/plans/{id}")]
pub async fn update_plan(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<PlanVersion>, ApiError> {
    let input: PlanRequest = parse_json(&body)?;
    let (now, id) = (state.now(), id.into_inner());
    state
        .db_write(move |conn| versions::update(conn, &user, &id, &input, now))
        .await
        .map(Json)
}

/// Publishes a draft: from now on it is the province's plan for its periods (or, superseding an
/// older one, from its first period), and it is never edited again.
#[utoipa::path(operation_id = "publish_plan", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = PlanVersion), (status = 404, body = Problem), (status = 409, body = Problem)))]
#[post("/plans/{id}/publish")]
pub async fn publish_plan(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<Json<PlanVersion>, ApiError> {
    let (now, id) = (state.now(), id.into_inner());
    state
        .db_write(move |conn| versions::publish(conn, &user, &id, now))
        .await
        .map(Json)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CalendarParams {
    /// A unit in the caller's scope (default: the caller's scope unit); its province's calendar.
    unit: Option<String>,
    /// The reporting year (default: this year).
    year: Option<i32>,
}

/// The reporting year of the caller's province: each step (registration, reviews, the annual
/// reports of 15/11 and 20/11, recognition, classification, the province's review in quarter I),
/// who sends what to whom, its day and the text the day comes from.
#[utoipa::path(operation_id = "reporting_calendar", tag = "plans", security(("bearer" = [])), params(CalendarParams),
    responses((status = 200, body = ReportingCalendar), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[get("/calendar")]
pub async fn reporting_calendar(
    state: Data<Core>,
    user: AuthUser,
    params: Query<CalendarParams>,
) -> Result<Json<ReportingCalendar>, ApiError> {
    let now = state.now();
    let p = params.into_inner();
    let year = year_or_this(p.year, now);
    state
        .db(move |conn| calendar::read(conn, &user, p.unit.as_deref(), year, now))
        .await
        .map(Json)
}

/// A province's dates for each step, to correct (its province officers).
#[utoipa::path(operation_id = "get_province_calendar", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    responses((status = 200, body = CalendarSettings), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/provinces/{code}/calendar")]
pub async fn get_calendar(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
) -> Result<Json<CalendarSettings>, ApiError> {
    let code = code.into_inner();
    state
        .db(move |conn| calendar::settings(conn, &user, &code))
        .await
        .map(Json)
}

/// Replaces a province's dates (every step once, real days, an opening before its due day).
#[utoipa::path(operation_id = "put_province_calendar", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = CalendarSettings,
    responses((status = 200, body = CalendarSettings), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[put("/provinces/{code}/calendar")]
pub async fn put_calendar(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<Json<CalendarSettings>, ApiError> {
    let input: CalendarSettings = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    state
        .db_write(move |conn| calendar::put(conn, &user, &code, &input, now))
        .await
        .map(Json)
}

/// A commune sends its annual report of a year (its police): the year's dashboard is frozen with
/// the figures the unit enters; each sending is a new version, and the first decides whether the
/// report came by the province's day (15/11 by default).
#[utoipa::path(operation_id = "send_annual_report", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = AnnualReportRequest,
    responses((status = 201, body = AnnualReport), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[post("/units/{code}/annual-reports")]
pub async fn send_annual_report(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: AnnualReportRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    let out = state
        .db_write(move |conn| submissions::send(conn, &user, &code, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct YearParams {
    /// The reporting year (default: this year).
    year: Option<i32>,
}

/// Who of the province's communes has sent the annual report, on time or late, and who has not
/// (its province officers).
#[utoipa::path(operation_id = "annual_report_board", tag = "plans", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = SubmissionBoard), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/provinces/{code}/annual-reports")]
pub async fn annual_report_board(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<YearParams>,
) -> Result<Json<SubmissionBoard>, ApiError> {
    let now = state.now();
    let year = year_or_this(params.year, now);
    let code = code.into_inner();
    state
        .db(move |conn| submissions::board(conn, &user, &code, year, now))
        .await
        .map(Json)
}

/// One annual report as sent (its commune's police and the province's officers).
#[utoipa::path(operation_id = "get_annual_report", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, body = AnnualReport), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/annual-reports/{id}")]
pub async fn get_annual_report(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<Json<AnnualReport>, ApiError> {
    let (now, id) = (state.now(), id.into_inner());
    state
        .db(move |conn| submissions::one(conn, &user, &id, now))
        .await
        .map(Json)
}

/// A province officer enters the figure of a target the plan words itself (`manual`) for a unit
/// of the province and a period the plan is in force for it; it replaces the one entered before.
#[utoipa::path(operation_id = "enter_target_figure", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = FigureRequest,
    responses((status = 200, body = EnteredFigure), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[put("/plans/{id}/figures")]
pub async fn enter_figure(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<EnteredFigure>, ApiError> {
    let input: FigureRequest = parse_json(&body)?;
    let (now, id) = (state.now(), id.into_inner());
    state
        .db_write(move |conn| figures::enter(conn, &user, &id, &input, now))
        .await
        .map(Json)
}

/// What a commune has sent for a year: each version (oldest first) and whether the first came by
/// the province's day — for its police and the province's officers.
#[utoipa::path(operation_id = "unit_annual_reports", tag = "plans", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = UnitSubmissions), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/annual-reports")]
pub async fn unit_annual_reports(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    q: Query<YearParams>,
) -> Result<Json<UnitSubmissions>, ApiError> {
    let now = state.now();
    let year = year_or_this(q.into_inner().year, now);
    let code = code.into_inner();
    state
        .db(move |conn| submissions::of_unit(conn, &user, &code, year, now))
        .await
        .map(Json)
}

/// One annual report as PDF: the sending, the figures the unit entered, its note, and the
/// November report with its pictures as they stood when it was sent.
#[utoipa::path(operation_id = "annual_report_pdf", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = Problem)))]
#[get("/annual-reports/{id}/report.pdf")]
pub async fn annual_report_pdf(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    annual_file(
        state,
        user,
        id.into_inner(),
        "pdf",
        PDF_MIME,
        pdf_report::annual_pdf,
    )
    .await
}

/// One annual report as XLSX: the November report's sheets as they stood when it was sent, and
/// sheet «Báo cáo» with the sending, the state and the figures the unit entered.
#[utoipa::path(operation_id = "annual_report_xlsx", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = Problem)))]
#[get("/annual-reports/{id}/report.xlsx")]
pub async fn annual_report_xlsx(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    annual_file(
        state,
        user,
        id.into_inner(),
        "xlsx",
        XLSX_MIME,
        report::annual_xlsx,
    )
    .await
}

/// An annual report the caller may open, made into a file (`bao-cao-nam-{unit}-{year}-v{n}.ext`)
/// off the async workers.
async fn annual_file<E: std::fmt::Display + Send + 'static>(
    state: Data<Core>,
    user: AuthUser,
    id: String,
    ext: &str,
    mime: &'static str,
    make: fn(&AnnualReport) -> Result<Vec<u8>, E>,
) -> Result<HttpResponse, ApiError> {
    let now = state.now();
    let r = state
        .db(move |conn| submissions::one(conn, &user, &id, now))
        .await?;
    let name = format!(
        "bao-cao-nam-{}-{}-v{}.{ext}",
        r.unit_code, r.year, r.version
    );
    let bytes = actix_web::web::block(move || make(&r))
        .await?
        .map_err(ApiError::internal)?;
    Ok(attachment(mime, &name, bytes))
}
