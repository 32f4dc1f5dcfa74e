//! `/users`: officer and administrator accounts inside the caller's scope.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use bvantq_shared::api::{CreateUserRequest, UserDto, UserPage};
use bvantq_shared::error::Problem;
use bvantq_shared::{Role, UnitCode, ValidationError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::admin::{self, AddUserError};
use crate::auth::{AuthUser, require_role, require_scope, require_scope_code};
use crate::db::{units, users};
use crate::error::ApiError;
use crate::idempotent;
use crate::request::{decode_cursor, idempotency, page_limit, paginate, parse_json};
use crate::state::AppState;

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
    state: Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &body, &user.id)?;
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
        let created = admin::add_user(conn, &new, &cfg.cccd_key, cfg.argon2, now).map_err(|e| match e {
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
    state: Data<AppState>,
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
