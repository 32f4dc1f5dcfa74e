//! `/users`: officer and administrator accounts inside the caller's scope.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use bvantq_shared::api::{AccountActive, CreateUserRequest, PasswordReset, UserDto, UserPage};
use bvantq_shared::error::Problem;
use bvantq_shared::{Role, UnitCode, ValidationError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::accounts::service::{self as admin, AddUserError};
use crate::accounts::store::tokens;
use crate::accounts::store::users;
use crate::auth::locked::LockedAccounts;
use crate::auth::password;
use crate::auth::{AuthUser, require_role};
use crate::infra::core::Core;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{decode_cursor, idempotency, page_limit, paginate, parse_json};
use crate::units::scope::{require as require_scope, require_code as require_scope_code};
use crate::units::store as units;

/// Create an account.
///
/// Province officers create any officer account in their province; ward officers create school
/// and organisation administrators for units of their commune. The scope unit must be of a kind
/// the role is scoped to (a ward officer to a commune, a school admin to a school…). Requires an
/// `Idempotency-Key` header.
#[utoipa::path(
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
    if !user.role.may_grant(new.role) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let now = state.now();
    let cfg = state.config.clone();
    idempotent::run(&state, idem, move |conn| {
        let unit = units::find(conn, new.scope_unit.as_str())?
            .ok_or_else(|| ApiError::field("scope_unit", ValidationError::UnknownUnit))?;
        require_scope(&user, &unit)?;
        let created = admin::add_user(conn, &new, &cfg.cccd, cfg.argon2, now).map_err(|e| match e {
            AddUserError::UnknownUnit(_) => ApiError::field("scope_unit", ValidationError::UnknownUnit),
            AddUserError::WrongScopeKind { .. } => ApiError::field("scope_unit", ValidationError::UnitKindNotAllowed),
            AddUserError::Taken(_) => ApiError::Conflict {
                code: "account_exists",
                vi: "Tên đăng nhập hoặc số CCCD này đã có tài khoản.".into(),
                en: "This username or CCCD already has an account.".into(),
            },
            AddUserError::Other(m) => ApiError::Internal(m),
        })?;
        tracing::info!(user_id = %created.id, role = %created.role, by = %user.id, "account created");
        Ok((StatusCode::CREATED, serde_json::to_value(created.to_dto()).map_err(ApiError::internal)?))
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
#[utoipa::path(
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
    require_role(&user, &[Role::ProvinceOfficer, Role::WardOfficer])?;
    let p = params.into_inner();
    let limit = page_limit(p.limit, 100, 500)?;
    let unit = match p.unit.as_deref() {
        Some(u) => UnitCode::parse(u).map_err(|e| ApiError::field("unit", e))?,
        None => user.scope.clone(),
    };
    let after = p.cursor.as_deref().map(decode_cursor).transpose()?;
    let rows = state
        .db(move |conn| {
            let unit = require_scope_code(conn, &user, &unit)?;
            Ok(users::list_under(
                conn,
                &unit.path,
                after.as_deref(),
                limit + 1,
            )?)
        })
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.username.clone());
    Ok(Json(UserPage {
        items: rows.iter().map(|r| r.to_dto()).collect(),
        next_cursor,
    }))
}

/// The account `id`, if the caller manages it: inside the caller's scope, of a role the caller may
/// manage (not a peer's, unless the caller is an administrator), and not the caller's own (nobody
/// locks themselves out or resets their own password here).
fn managed(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<users::UserRow, ApiError> {
    let target = users::by_id(conn, id)?.ok_or(ApiError::NotFound)?;
    let unit = units::find(conn, &target.scope_unit)?.ok_or(ApiError::NotFound)?;
    require_scope(user, &unit)?;
    if target.id == user.id || !user.role.may_manage(target.role) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    Ok(target)
}

/// Lock an account (an officer transferred or gone) or unlock it. Locking ends its sessions at
/// once: its refresh tokens stop working, and its access token expires within 15 minutes.
#[utoipa::path(
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
    let now = state.now();
    let id = id.into_inner();
    let out = state
        .db_write(move |conn| {
            let target = managed(conn, &user, &id)?;
            users::set_active(conn, &target.id, input.active, now)?;
            if !input.active {
                tokens::revoke_user(conn, &target.id, now)?;
            }
            // Its access token is refused from now on (other instances within seconds).
            locked.set(&target.id, !input.active);
            tracing::info!(user_id = %target.id, active = input.active, by = %user.id, "account active flag set");
            let row = users::by_id(conn, &target.id)?.ok_or(ApiError::NotFound)?;
            Ok(row.to_dto())
        })
        .await?;
    Ok(Json(out))
}

/// Set a new password for an account the caller manages (a forgotten one, a hand-over). Its
/// sessions end, as when it is locked.
#[utoipa::path(
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
    let now = state.now();
    let id = id.into_inner();
    state
        .db_write(move |conn| {
            let target = managed(conn, &user, &id)?;
            users::set_password(conn, &target.id, &hash, now)?;
            tokens::revoke_user(conn, &target.id, now)?;
            tracing::info!(user_id = %target.id, by = %user.id, "account password reset");
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
