//! A campaign's pledges for its managers: the list (search, pages) and the exports (CSV, XLSX).

use actix_files::NamedFile;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get};
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::PledgePage;
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::export::{XLSX_MIME, disposition};
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

/// The campaign named `code`, once its caller is known to manage it.
async fn managed(
    state: &Core,
    pledges: &Data<PledgesState>,
    user: AuthUser,
    code: &str,
) -> Result<CampaignRow, ApiError> {
    let code = parse_code(code)?;
    let c = super::campaigns::context(state, pledges, code)
        .await?
        .campaign
        .clone();
    state
        .db_read(move |conn| service::may_export(conn, &user, &c).map(|()| c))
        .await
}

/// The CSV file's pages: each read on its own when the client has taken the one before (an
/// export may miss the last second of signings: the read replica, `db::replica`). A page that
/// cannot be read ends the download early, so the client sees a cut file, never a short one
/// that looks whole.
fn csv_pages(
    state: Data<Core>,
    campaign_id: String,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> {
    let first = futures_util::stream::once(async { exports::csv_head() });
    let rest = futures_util::stream::unfold(Some(None::<String>), move |after| {
        let (state, id) = (state.clone(), campaign_id.clone());
        async move {
            let after = after?;
            let read = state
                .db_read(move |conn| service::export_page(conn, &id, after.as_deref()))
                .await;
            let next = |rows: &Vec<PledgeRow>| {
                (rows.len() as i64 == service::EXPORT_PAGE)
                    .then(|| rows.last().map(|p| p.id.clone()))
            };
            Some(match read {
                Ok(rows) => (exports::csv_lines(&rows), next(&rows)),
                Err(e) => (Err(e), None),
            })
        }
    });
    first.chain(rest).map(|page| {
        page.map(Bytes::from).map_err(|e| {
            tracing::error!(error = %e, "a pledge export stopped");
            std::io::Error::other(e.to_string())
        })
    })
}

/// Every pledge of a campaign as CSV (UTF-8 with BOM, Vietnamese headers; CCCD as last 4 digits),
/// sent page by page as it is read.
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
    let c = managed(&state, &pledges, user, &code).await?;
    let name = format!("cam-ket-{}.csv", c.code);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(disposition(&name)?)
        .streaming(csv_pages(state, c.id)))
}

/// Every pledge of a campaign as an XLSX workbook: a sheet of pledges (Vietnamese headers) and a
/// summary sheet with the counts. Written page by page into a temporary file (unnamed, gone when
/// the answer is sent) and sent from it.
#[utoipa::path(operation_id = "export_pledges_xlsx", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path)),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 403, body = Problem))
)]
#[get("/campaigns/{code}/pledges.xlsx")]
pub async fn export_xlsx(
    req: HttpRequest,
    state: Data<Core>,
    pledges: Data<PledgesState>,
    user: AuthUser,
    code: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let c = managed(&state, &pledges, user, &code).await?;
    let name = format!("cam-ket-{}.xlsx", c.code);
    // The whole workbook on one connection: one consistent pass, one page in memory at a time.
    let file = state
        .db_read(move |conn| {
            let out = tempfile::tempfile().map_err(ApiError::internal)?;
            let page = |after: Option<&str>| service::export_page(conn, &c.id, after);
            exports::xlsx(&c, page, service::EXPORT_PAGE, out)
        })
        .await?;
    let file = NamedFile::from_file(file, &name)
        .map_err(ApiError::internal)?
        .set_content_type(XLSX_MIME.parse().map_err(ApiError::internal)?)
        .use_etag(false)
        .use_last_modified(false)
        .disable_content_disposition();
    let mut res = file.into_response(&req);
    res.headers_mut().insert(
        actix_web::http::header::CONTENT_DISPOSITION,
        disposition(&name)?.1,
    );
    Ok(res)
}
