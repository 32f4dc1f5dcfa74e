//! The audit log (nhật ký truy cập): a tip's trail and a subtree's log.

use actix_web::get;
use actix_web::web::{Data, Json, Path, Query};
use bvantq_shared::error::Problem;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::tips::service as tips;

pub use bvantq_shared::tip::{AuditEntry, AuditPage};

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
    let id = id.into_inner();
    let out = state.db(move |conn| tips::trail(conn, &user, &id)).await?;
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
    let p = params.into_inner();
    let r = tips::LogRequest::parse(&user, p.unit, p.cursor.as_deref(), p.limit)?;
    let out = state.db(move |conn| tips::log_page(conn, &user, r)).await?;
    Ok(Json(out))
}
