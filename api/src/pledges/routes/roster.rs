//! Who is expected to sign: a roster imported as CSV, or a declared count for a unit without one.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post, put};
use bvantq_shared::UnitCode;
use bvantq_shared::error::{PROBLEM_CONTENT_TYPE, Problem};
use bvantq_shared::pledge::{ClassSheet, DeclaredCount, RosterReport};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::parse_json;
use crate::pledges::routes::campaigns::parse_code;
use crate::pledges::service::roster as service;
use crate::pledges::state::PledgesState;

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
#[utoipa::path(operation_id = "upload_roster", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path), RosterParams),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 201, body = RosterReport), (status = 422, description = "Rows rejected, nothing written: the problem carries the per-row report (the fields of RosterReport: unit_code, rows, accepted, rejected, imported); or a bad code or unit", body = Problem), (status = 409, body = Problem))
)]
#[post("/campaigns/{code}/roster")]
pub async fn roster(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    user: AuthUser,
    code: Path<String>,
    params: Query<RosterParams>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let code = parse_code(&code)?;
    let p = params.into_inner();
    let unit = UnitCode::parse(&p.unit).map_err(|e| ApiError::field("unit", e))?;
    let (cfg, now) = (state.config.clone(), state.now());
    let (st, forget) = (pledges.clone(), code.clone());
    let report = state
        .db_write(move |conn| {
            let c = st.campaigns.get(conn, code.as_str())?.campaign.clone();
            let report = service::import(
                conn,
                &user,
                &c,
                &unit,
                &body,
                p.accept_partial,
                &cfg.cccd,
                now,
            )?;
            if report.imported {
                crate::pledges::cache::announce(conn, code.as_str())?;
            }
            Ok(report)
        })
        .await?;
    if report.imported {
        // Which units have a roster is part of the cached campaign (off-roster signings are
        // flagged).
        pledges.campaigns.forget(forget.as_str());
        return Ok(HttpResponse::Created().json(report));
    }
    rejected(&report)
}

/// A rejected file is a problem: the usual problem body, with the per-row report in it.
fn rejected(report: &RosterReport) -> Result<HttpResponse, ApiError> {
    let (n, first) = (
        report.rejected.len(),
        report.rejected.first().map_or(0, |r| r.line),
    );
    let mut problem = serde_json::to_value(bvantq_shared::Problem::new(
        422,
        "roster_rejected",
        "Roster rejected",
        format!("Danh sách có {n} dòng không hợp lệ (dòng đầu tiên: {first}); chưa nhập dòng nào."),
        format!("The roster has {n} invalid row(s) (first: line {first}); nothing was imported."),
    ))
    .map_err(ApiError::internal)?;
    let report = serde_json::to_value(report).map_err(ApiError::internal)?;
    if let (Some(p), Some(r)) = (problem.as_object_mut(), report.as_object()) {
        p.extend(r.clone());
    }
    Ok(HttpResponse::build(StatusCode::UNPROCESSABLE_ENTITY)
        .content_type(PROBLEM_CONTENT_TYPE)
        .json(problem))
}

/// Declare the number of expected signers of a unit that has no roster.
#[utoipa::path(operation_id = "declare_expected_signers", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path)),
    request_body = DeclaredCount,
    responses((status = 200, body = DeclaredCount), (status = 409, body = Problem), (status = 422, body = Problem))
)]
#[put("/campaigns/{code}/expected")]
pub async fn declare(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<Json<DeclaredCount>, ApiError> {
    let code = parse_code(&code)?;
    let input: DeclaredCount = parse_json(&body)?;
    let expected = input.parse()?;
    let unit = input.unit_code.clone();
    state
        .db_write(move |conn| {
            let c = pledges.campaigns.get(conn, code.as_str())?.campaign.clone();
            service::declare(conn, &user, &c, &unit, expected)
        })
        .await?;
    Ok(Json(input))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SheetParams {
    /// The campaigns' year (default: this year).
    year: Option<i32>,
}

/// A class's sheet for its form teacher (giáo viên chủ nhiệm) and the school: each pupils'
/// campaign of the year the class is in, with its roster and who has signed (and how), the pupils
/// signed off the roster, and the count against what is expected.
#[utoipa::path(operation_id = "class_sheet", tag = "pledges", security(("bearer" = [])),
    params(("code" = String, Path), SheetParams),
    responses((status = 200, body = ClassSheet), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/class-sheet")]
pub async fn class_sheet(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<SheetParams>,
) -> Result<Json<ClassSheet>, ApiError> {
    let year = crate::infra::request::year_or_this(params.into_inner().year, state.now());
    let code = code.into_inner();
    state
        .db(move |conn| service::class_sheet(conn, &user, &code, year))
        .await
        .map(Json)
}
