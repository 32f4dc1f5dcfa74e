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
use crate::plans::service::{self as dashboard, Cell, REPORT_HEADERS};

#[derive(Debug, Deserialize, IntoParams)]
pub struct Params {
    /// A unit in the caller's scope (default: the caller's scope unit).
    unit: Option<String>,
    /// The year the assessment period ends in (default: this year).
    period: Option<i32>,
}

async fn load(state: &Data<Core>, user: AuthUser, p: Params) -> Result<Dashboard, ApiError> {
    let today = bvantq_shared::tip::vn_date(state.now());
    let period = p.period.unwrap_or_else(|| chrono::Datelike::year(&today));
    let unit = p.unit.unwrap_or_else(|| user.scope.to_string());
    state
        .db(move |conn| dashboard::dashboard(conn, &user, &unit, period, today))
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

fn text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => crate::infra::export::csv_cell(s).into_owned(),
        Cell::Number(Some(n)) => n.to_string(),
        Cell::Number(None) => String::new(),
    }
}

/// The report as CSV (UTF-8 with BOM, Vietnamese headers): one line per child, then the total.
#[utoipa::path(tag = "assessments", security(("bearer" = [])), params(Params),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem)))]
#[get("/dashboard/report.csv")]
pub async fn report_csv(
    state: Data<Core>,
    user: AuthUser,
    params: Query<Params>,
) -> Result<HttpResponse, ApiError> {
    let d = load(&state, user, params.into_inner()).await?;
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(REPORT_HEADERS).map_err(ApiError::internal)?;
    for line in dashboard::report_lines(&d) {
        w.write_record(line.iter().map(text))
            .map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
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
#[utoipa::path(tag = "assessments", security(("bearer" = [])), params(Params),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem)))]
#[get("/dashboard/report.xlsx")]
pub async fn report_xlsx(
    state: Data<Core>,
    user: AuthUser,
    params: Query<Params>,
) -> Result<HttpResponse, ApiError> {
    use crate::infra::export::xlsx_text;
    use rust_xlsxwriter::{Format, Workbook};
    let d = load(&state, user, params.into_inner()).await?;
    let name = format!("bao-cao-{}-{}.xlsx", d.unit.unit_code, d.period);
    let bytes = actix_web::web::block(move || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut wb = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = wb.add_worksheet();
        sheet.set_name("Tổng hợp")?;
        for (col, h) in REPORT_HEADERS.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *h, &bold)?;
        }
        let lines = dashboard::report_lines(&d);
        let last = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let row = i as u32 + 1;
            for (col, c) in line.iter().enumerate() {
                let col = col as u16;
                match c {
                    Cell::Text(s) if i + 1 == last => {
                        xlsx_text(sheet, row, col, s, Some(&bold))?;
                    }
                    Cell::Text(s) => {
                        xlsx_text(sheet, row, col, s, None)?;
                    }
                    Cell::Number(Some(n)) => {
                        sheet.write_number(row, col, *n)?;
                    }
                    Cell::Number(None) => {}
                }
            }
        }
        sheet.autofit();
        let t = wb.add_worksheet();
        t.set_name("Chỉ tiêu")?;
        for (col, h) in [
            "Chỉ tiêu",
            "Kế hoạch (tối thiểu)",
            "Kế hoạch (tối đa)",
            "Thực hiện",
            "Đạt",
        ]
        .iter()
        .enumerate()
        {
            t.write_string_with_format(0, col as u16, *h, &bold)?;
        }
        match &d.plan {
            None => {
                t.write_string(1, 0, "Không có kế hoạch áp dụng cho kỳ này")?;
            }
            Some(plan) => {
                for (i, c) in d.unit.targets.iter().enumerate() {
                    let row = i as u32 + 1;
                    xlsx_text(t, row, 0, &c.label_vi, None)?;
                    if let Some(v) = c.target_min {
                        t.write_number(row, 1, v)?;
                    }
                    if let Some(v) = c.target_max {
                        t.write_number(row, 2, v)?;
                    }
                    if let Some(v) = c.actual {
                        t.write_number(row, 3, v)?;
                    }
                    t.write_string(row, 4, if c.met { "Đạt" } else { "Không đạt" })?;
                }
                let row = d.unit.targets.len() as u32 + 2;
                t.write_string_with_format(row, 0, "Kế hoạch", &bold)?;
                xlsx_text(t, row, 1, &plan.title_vi, None)?;
            }
        }
        t.autofit();
        wb.save_to_buffer()
    })
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
