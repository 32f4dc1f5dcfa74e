//! Disputes: a household (or person) contesting the pledge signed in its name, listed for the
//! campaign's managers and decided by them.

use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{get, post};
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{DisputeDto, ResolveDispute};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::parse_json;
use crate::pledges::routes::campaigns::parse_code;
use crate::pledges::service::disputes as service;
use crate::pledges::state::PledgesState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct DisputeParams {
    /// Only the disputes still waiting for a decision.
    #[serde(default)]
    open: bool,
}

/// A campaign's disputes (managers only), oldest first, each with both pledges.
#[utoipa::path(operation_id = "list_pledge_disputes", 
    tag = "pledges",
    security(("bearer" = [])),
    params(("code" = String, Path), DisputeParams),
    responses((status = 200, body = [DisputeDto]), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[get("/campaigns/{code}/disputes")]
pub async fn disputes(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    user: AuthUser,
    code: Path<String>,
    params: Query<DisputeParams>,
) -> Result<Json<Vec<DisputeDto>>, ApiError> {
    let code = parse_code(&code)?;
    let open = params.open;
    let out = state
        .db(move |conn| {
            let ctx = pledges.campaigns.get(conn, code.as_str())?;
            service::list(conn, &user, &ctx.campaign, open)
        })
        .await?;
    Ok(Json(out))
}

/// Decide a dispute (the campaign's managers): which pledge stands. The kept one counts and holds
/// the household's (person's) place; the other is void, kept with the reason.
#[utoipa::path(tag = "pledges", security(("bearer" = [])), params(("id" = String, Path)), request_body = ResolveDispute,
    responses((status = 200, body = DisputeDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/pledge-disputes/{id}/resolve")]
pub async fn resolve_dispute(
    state: Data<Core>,
    pledges: Data<PledgesState>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<DisputeDto>, ApiError> {
    let (keep, reason) = parse_json::<ResolveDispute>(&body)?.parse()?;
    let id = id.into_inner();
    let now = state.now();
    let out = state
        .db_write(move |conn| {
            let code = service::campaign_of(conn, &user, &id)?;
            let ctx = pledges.campaigns.get(conn, &code)?;
            service::resolve(conn, &user, &ctx, &id, keep, &reason, now)
        })
        .await?;
    Ok(Json(out))
}
