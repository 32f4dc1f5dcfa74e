//! `/coverage`: signed ÷ expected for a unit and each of its children.

use actix_web::get;
use actix_web::web::{Data, Json, Query};
use bvantq_shared::error::Problem;
use bvantq_shared::{PledgeKind, UnitCode};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::pledges::service::coverage as service;
use crate::units::scope::require_code as require_scope_code;
use bvantq_shared::pledge::Coverage;

#[derive(Debug, Deserialize, IntoParams)]
pub struct Params {
    unit: String,
    year: i32,
    /// household, student or worker
    kind: String,
}

/// Pledge coverage of a unit and its children, rolled up residential area → commune → province
/// and class → school → commune → province.
#[utoipa::path(operation_id = "get_coverage", 
    tag = "pledges",
    security(("bearer" = [])),
    params(Params),
    responses((status = 200, body = Coverage), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[get("/coverage")]
pub async fn coverage(
    state: Data<Core>,
    user: AuthUser,
    params: Query<Params>,
) -> Result<Json<Coverage>, ApiError> {
    let p = params.into_inner();
    let unit = UnitCode::parse(&p.unit).map_err(|e| ApiError::field("unit", e))?;
    let kind = PledgeKind::parse(&p.kind).map_err(|e| ApiError::field("kind", e))?;
    let today = state.now().date();
    // Coverage may be a second behind the signings (the read replica, `db::replica`).
    let out = state
        .db_read(move |conn| {
            let unit = require_scope_code(conn, &user, &unit)?;
            service::of(conn, &unit, p.year, kind, today)
        })
        .await?;
    Ok(Json(out))
}
