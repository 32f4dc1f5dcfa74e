//! A campaign's pledges for its managers: the list (search, pages) and the exports (CSV, XLSX).

use actix_web::web::{Data, Json, Path, Query};
use actix_web::{HttpResponse, get};
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::PledgePage;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::export::{XLSX_MIME, attachment};
use crate::infra::request::{decode_cursor, page_limit, paginate};
use crate::pledges::exports;
use crate::pledges::routes::campaigns::parse_code;
use crate::pledges::service::pledges as service;
use crate::pledges::state::PledgesState;
use crate::pledges::store::campaigns::CampaignRow;
use crate::pledges::store::pledges::PledgeRow;

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
#[utoipa::path(operation_id = "list_campaign_pledges", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path), PledgeListParams),
    responses((status = 200, body = PledgePage), (status = 403, body = Problem))
)]
#[get("/campaigns/{code}/pledges")]
pub async fn pledges_list(
    state: Data<Core>,
    pledges: Data<PledgesState>,
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
    let rows = state
        .db(move |conn| {
            let c = pledges.campaigns.get(conn, code.as_str())?.campaign.clone();
            let (name, unit) = (q.as_deref(), p.unit.as_deref());
            service::page(conn, &user, &c, name, unit, after.as_deref(), limit + 1)
        })
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.id.clone());
    Ok(Json(PledgePage {
        items: rows.iter().map(service::dto).collect(),
        next_cursor,
    }))
}

/// Every pledge of the campaign, for its managers.
async fn everything(
    state: &Core,
    pledges: Data<PledgesState>,
    user: AuthUser,
    code: &str,
) -> Result<(CampaignRow, Vec<PledgeRow>), ApiError> {
    let code = parse_code(code)?;
    let c = super::campaigns::context(state, &pledges, code)
        .await?
        .campaign
        .clone();
    // An export may miss the last second of signings (the read replica, `db::replica`).
    state
        .db_read(move |conn| {
            let rows = service::all(conn, &user, &c)?;
            Ok((c, rows))
        })
        .await
}

/// Every pledge of a campaign as CSV (UTF-8 with BOM, Vietnamese headers; CCCD as last 4 digits).
#[utoipa::path(operation_id = "export_pledges_csv", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = Problem))
)]
#[get("/campaigns/{code}/pledges.csv")]
pub async fn export_csv(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    user: AuthUser,
    code: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (c, rows) = everything(&state, pledges, user, &code).await?;
    let bytes = exports::csv(&rows)?;
    let name = format!("cam-ket-{}.csv", c.code);
    Ok(attachment("text/csv; charset=utf-8", &name, bytes))
}

/// Every pledge of a campaign as an XLSX workbook: a sheet of pledges (Vietnamese headers) and a
/// summary sheet with the counts.
#[utoipa::path(operation_id = "export_pledges_xlsx", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem))
)]
#[get("/campaigns/{code}/pledges.xlsx")]
pub async fn export_xlsx(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    user: AuthUser,
    code: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (c, rows) = everything(&state, pledges, user, &code).await?;
    let name = format!("cam-ket-{}.xlsx", c.code);
    let bytes = actix_web::web::block(move || exports::xlsx(&c, &rows))
        .await?
        .map_err(ApiError::internal)?;
    Ok(attachment(XLSX_MIME, &name, bytes))
}
