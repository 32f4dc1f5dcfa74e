//! `/users`: officer and administrator accounts inside the caller's scope.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use bvantq_shared::api::{AccountActive, CreateUserRequest, PasswordReset, UserDto, UserPage};
use bvantq_shared::error::Problem;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::accounts::service as admin;
use crate::auth::locked::LockedAccounts;
use crate::auth::{AuthUser, password};
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{idempotency, parse_json};

/// Create an account.
///
/// Province officers create any officer account in their province; ward officers create school
/// and organisation administrators for units of their commune. The scope unit must be of a kind
/// the role is scoped to (a ward officer to a commune, a school admin to a school…). Requires an
/// `Idempotency-Key` header.
#[utoipa::path(operation_id = "create_user", 
    tag = "users",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    request_body = CreateUserRequest,
    responses(
        (status = 201, body = UserDto),
        (status = 403, body = Problem),
        (status = 409, description = "Username taken", body = Problem),
        (status = 422, body = Problem),
    )
)]
#[post("/users")]
pub async fn create(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let input: CreateUserRequest = parse_json(&body)?;
    let new = input.parse()?;
    admin::may_grant(&user, &new)?;
    let now = state.now();
    let cfg = state.config.clone();
    idempotent::run(&state, idem, move |conn| {
        let created = admin::create(conn, &user, &new, &cfg, now)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(created).map_err(ApiError::internal)?,
        ))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Accounts scoped to this unit or below it; default: the caller's scope.
    unit: Option<String>,
    cursor: Option<String>,
    /// 1–500, default 100.
    limit: Option<i64>,
}

/// List accounts in a unit's subtree.
#[utoipa::path(operation_id = "list_users", 
    tag = "users",
    security(("bearer" = [])),
    params(ListParams),
    responses((status = 200, body = UserPage), (status = 403, body = Problem))
)]
#[get("/users")]
pub async fn list(
    state: Data<Core>,
    user: AuthUser,
    params: Query<ListParams>,
) -> Result<Json<UserPage>, ApiError> {
    let p = params.into_inner();
    let listing = admin::Listing::parse(&user, p.unit.as_deref(), p.cursor.as_deref(), p.limit)?;
    let page = state
        .db(move |conn| admin::list(conn, &user, &listing))
        .await?;
    Ok(Json(page))
}

/// Lock an account (an officer transferred or gone) or unlock it. Locking ends its sessions at
/// once: its refresh tokens stop working, and its access token expires within 15 minutes.
#[utoipa::path(operation_id = "set_user_active", 
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = AccountActive,
    responses((status = 200, body = UserDto), (status = 403, body = Problem), (status = 404, body = Problem))
)]
#[put("/users/{id}/active")]
pub async fn set_active(
    state: Data<Core>,
    locked: Data<LockedAccounts>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<UserDto>, ApiError> {
    let input: AccountActive = parse_json(&body)?;
    let (id, now) = (id.into_inner(), state.now());
    let out = state
        .db_write(move |conn| admin::set_active(conn, &user, &locked, &id, input.active, now))
        .await?;
    Ok(Json(out))
}

/// Set a new password for an account the caller manages (a forgotten one, a hand-over). Its
/// sessions end, as when it is locked.
#[utoipa::path(operation_id = "reset_user_password", 
    tag = "users",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = PasswordReset,
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[put("/users/{id}/password")]
pub async fn reset_password(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let pw = parse_json::<PasswordReset>(&body)?.parse()?;
    let cost = state.config.argon2;
    let hash = actix_web::web::block(move || password::hash(&pw, cost))
        .await?
        .map_err(ApiError::Internal)?;
    let (id, now) = (id.into_inner(), state.now());
    state
        .db_write(move |conn| admin::reset_password(conn, &user, &id, &hash, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
