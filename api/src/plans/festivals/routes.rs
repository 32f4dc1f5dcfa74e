//! `/units/{code}/festivals`, `/festival-photos/{id}`: the festival of 19/8 of each area.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use actix_web::web::{Data, Json, Path, Payload, Query};
use actix_web::{HttpResponse, get, post};
use bvantq_shared::error::Problem;
use bvantq_shared::plan::festival::{
    Festival, FestivalBoard, FestivalRequest, MAX_FESTIVAL_PHOTOS,
};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::{parse_json, read_body, year_or_this};
use crate::plans::festivals as service;
use crate::tips::service::{clean_photos, photo_bytes};

/// The largest festival body: its photos at the cap, base64-encoded, plus its text.
const FESTIVAL_BODY_LIMIT: usize =
    MAX_FESTIVAL_PHOTOS * bvantq_shared::tip::PHOTO_MAX_BYTES / 3 * 4 + 64 * 1024;

/// Records a residential area's festival (the commune's police): its day, attendance, a note and
/// up to three photos, their metadata stripped; one per area and year (409 for a second).
#[utoipa::path(operation_id = "record_festival", tag = "plans", security(("bearer" = [])), params(("code" = String, Path)),
    request_body = FestivalRequest,
    responses((status = 201, body = Festival), (status = 403, body = Problem), (status = 409, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
#[post("/units/{code}/festivals")]
pub async fn record(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    payload: Payload,
) -> Result<HttpResponse, ApiError> {
    let body = read_body(payload, FESTIVAL_BODY_LIMIT).await?;
    let input: FestivalRequest = parse_json(&body)?;
    let now = state.now();
    input
        .check(bvantq_shared::tip::vn_date(now))
        .map_err(ApiError::Validation)?;
    let raw = photo_bytes(&input.photos, "photos")?;
    let photos = actix_web::web::block(move || clean_photos(raw, "photos")).await??;
    let code = code.into_inner();
    let out = state
        .db_write(move |conn| service::record(conn, &user, &code, &input, photos, now))
        .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct YearParams {
    /// The year (default: this year).
    year: Option<i32>,
}

/// The residential areas under a unit and who held the festival that year, with the share.
#[utoipa::path(operation_id = "festival_board", tag = "plans", security(("bearer" = [])), params(("code" = String, Path), YearParams),
    responses((status = 200, body = FestivalBoard), (status = 403, body = Problem), (status = 422, body = Problem)))]
#[get("/units/{code}/festivals")]
pub async fn board(
    state: Data<Core>,
    user: AuthUser,
    code: Path<String>,
    params: Query<YearParams>,
) -> Result<Json<FestivalBoard>, ApiError> {
    let now = state.now();
    let year = year_or_this(params.year, now);
    let code = code.into_inner();
    state
        .db(move |conn| service::board(conn, &user, &code, year, now))
        .await
        .map(Json)
}

/// A festival photo as stored (metadata stripped).
#[utoipa::path(operation_id = "festival_photo", tag = "plans", security(("bearer" = [])), params(("id" = String, Path)),
    responses((status = 200, description = "The image", content_type = "image/jpeg"), (status = 404, body = Problem)))]
#[get("/festival-photos/{id}")]
pub async fn photo(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (mime, bytes) = state
        .db(move |conn| service::photo(conn, &user, &id))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, mime))
        .insert_header((CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}
