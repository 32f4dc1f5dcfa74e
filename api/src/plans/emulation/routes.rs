//! `/provinces/{code}/emulation-blocks`, `/units/{code}/emulation`, `/emulation/{id}/…`,
//! `/provinces/{code}/emulation`: emulation from registration to the decision.

use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpResponse, get, post};
use bvantq_shared::error::Problem;
use bvantq_shared::plan::emulation::{
    Block, BlockRequest, DecisionRequest, Entry, ProposalRequest, RegisterRequest, ReviewRequest,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::{parse_json, year_or_this};
use crate::plans::emulation as service;

/// The emulation blocks (khối thi đua) of a province (any of its officers).
#[utoipa::path(operation_id = "list_emulation_blocks", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    responses((status = 200, body = [Block]), (status = 403, body = Problem)))]
#[get("/provinces/{code}/emulation-blocks")]
pub async fn list_blocks(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
) -> Result<Json<Vec<Block>>, ApiError> {
    let code = code.into_inner();
    state
        .db(move |conn| service::blocks(conn, &user, &code))
        .await
        .map(Json)
}

/// A new emulation block of the province (its province officers).
#[utoipa::path(operation_id = "create_emulation_block", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = BlockRequest,
    responses((status = 201, body = Block), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/provinces/{code}/emulation-blocks")]
pub async fn create_block(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: BlockRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    let out = state
        .db_write(move |conn| service::create_block(conn, &user, &code, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// A unit's emulation, every year: registrations, reviews, proposals and the awards decided.
#[utoipa::path(operation_id = "unit_emulation", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    responses((status = 200, body = [Entry]), (status = 403, body = Problem), (status = 404, body = Problem)))]
#[get("/units/{code}/emulation")]
pub async fn unit_entries(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
) -> Result<Json<Vec<Entry>>, ApiError> {
    let code = code.into_inner();
    state
        .db(move |conn| service::of_unit(conn, &user, &code))
        .await
        .map(Json)
}

/// The unit registers for a year's emulation in a block of its province, naming the title it
/// strives for — by the province's registration day (31/3 by default; 409 after it).
#[utoipa::path(operation_id = "register_emulation", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = RegisterRequest,
    responses((status = 201, body = Entry), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/units/{code}/emulation")]
pub async fn register(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: RegisterRequest = parse_json(&body)?;
    let (now, code) = (state.now(), code.into_inner());
    let out = state
        .db_write(move |conn| service::register(conn, &user, &code, &input, now))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The unit's review of its year (from the review's opening day, 1/10 by default), its results
/// of the year attached.
#[utoipa::path(operation_id = "review_emulation", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = ReviewRequest,
    responses((status = 200, body = Entry), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/emulation/{id}/review")]
pub async fn review(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<Entry>, ApiError> {
    let input: ReviewRequest = parse_json(&body)?;
    let (now, id) = (state.now(), id.into_inner());
    state
        .db_write(move |conn| service::review(conn, &user, &id, &input, now))
        .await
        .map(Json)
}

/// The province's standing office proposes an award for a reviewed entry.
#[utoipa::path(operation_id = "propose_award", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = ProposalRequest,
    responses((status = 200, body = Entry), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/emulation/{id}/proposal")]
pub async fn propose(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<Entry>, ApiError> {
    let input: ProposalRequest = parse_json(&body)?;
    let (now, id) = (state.now(), id.into_inner());
    state
        .db_write(move |conn| service::propose(conn, &user, &id, &input, now))
        .await
        .map(Json)
}

/// The decision on a proposal: awarded or not, its number, date and signer (recorded by an
/// officer other than the proposer).
#[utoipa::path(operation_id = "decide_award", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = DecisionRequest,
    responses((status = 200, body = Entry), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
#[post("/emulation/{id}/decision")]
pub async fn decide(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<Entry>, ApiError> {
    let input: DecisionRequest = parse_json(&body)?;
    let (now, id) = (state.now(), id.into_inner());
    state
        .db_write(move |conn| service::decide(conn, &user, &id, &input, now))
        .await
        .map(Json)
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct YearParams {
    /// The emulation year (default: this year).
    year: Option<i32>,
}

/// Every unit's emulation of a year in the province (its province officers).
#[utoipa::path(operation_id = "province_emulation", tag = "plans", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = [Entry]), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[get("/provinces/{code}/emulation")]
pub async fn province_entries(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<YearParams>,
) -> Result<Json<Vec<Entry>>, ApiError> {
    let now = state.now();
    let year = year_or_this(params.year, now);
    let code = code.into_inner();
    state
        .db(move |conn| service::of_province(conn, &user, &code, year))
        .await
        .map(Json)
}
