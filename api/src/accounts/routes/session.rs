//! `/auth/*`: login, refresh, logout, and who am I.

use actix_web::web::{Bytes, Data, Json};
use actix_web::{HttpRequest, HttpResponse, get, post};
use bvantq_shared::ValidationError;
use bvantq_shared::api::{LoginRequest, Me, PasswordChange, RefreshRequest, TokenResponse};
use bvantq_shared::error::Problem;

use crate::accounts::sessions::{self as refresh, Rotation};
use crate::accounts::state::AccountsState;
use crate::auth::{AuthUser, password};
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::{client_ip, parse_json};

/// Log in with a username and password.
///
/// Rate-limited per client address and per account (failed attempts).
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Access and refresh tokens", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = Problem),
        (status = 429, description = "Too many attempts", body = Problem),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: Data<Core>,
    accounts: Data<AccountsState>,
    req: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: LoginRequest = parse_json(&body)?;
    let now = state.now();
    let ip = client_ip(&req, &state.config.proxy);
    accounts.login_per_ip.hit(&state, &ip).await?;
    let account = input.username.trim().to_lowercase();
    // Counted as a failure before the password is checked, and forgiven on success: a burst of
    // concurrent guesses cannot all pass the check before the first failure is recorded.
    accounts.login_failures.hit(&state, &account).await?;
    let lookup = account.clone();
    let user = state
        .db(move |conn| refresh::account_for_login(conn, &lookup))
        .await?;
    let dummy = accounts.dummy_password_hash.clone();
    let pw = input.password;
    let ok_user = actix_web::web::block(move || {
        // Exactly one password check whatever the account: an unknown one is checked against a
        // hash of the same cost and a locked one is checked too, so the time taken does not tell
        // which usernames exist or are locked.
        let (stored, usable) = match &user {
            Some(u) => (u.password_hash.as_str(), u.active),
            None => (dummy.as_str(), false),
        };
        let ok = password::verify(stored, &pw);
        user.filter(|_| ok && usable)
    })
    .await?;
    let Some(user) = ok_user else {
        return Err(ApiError::Unauthorized("invalid_credentials"));
    };
    accounts.login_failures.reset(&state, &account).await?;
    let cfg = state.config.clone();
    let tokens = state
        .db(move |conn| refresh::start(conn, &cfg, &user, now))
        .await?;
    tracing::info!(user_id = %tokens.user.id, "login");
    Ok(HttpResponse::Ok().json(tokens))
}

/// Exchange a refresh token for a new access token and a new refresh token.
///
/// Each refresh token works once. Presenting one that was already used revokes every token of
/// its session.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused token", body = Problem),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh_token(state: Data<Core>, body: Bytes) -> Result<HttpResponse, ApiError> {
    let input: RefreshRequest = parse_json(&body)?;
    let now = state.now();
    let cfg = state.config.clone();
    match state
        .db(move |conn| refresh::rotate(conn, &cfg, &input.refresh_token, now))
        .await?
    {
        Rotation::Rotated(t) => Ok(HttpResponse::Ok().json(t)),
        Rotation::Rejected => Err(ApiError::Unauthorized("invalid_refresh_token")),
    }
}

/// End the session of a refresh token.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Session ended (also when it was already over)"))
)]
#[post("/auth/logout")]
pub async fn logout(state: Data<Core>, body: Bytes) -> Result<HttpResponse, ApiError> {
    let input: RefreshRequest = parse_json(&body)?;
    let now = state.now();
    state
        .db(move |conn| refresh::logout(conn, &input.refresh_token, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's identity, role and scope.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = Problem))
)]
#[get("/auth/me")]
pub async fn me(user: AuthUser) -> Json<Me> {
    Json(Me {
        id: user.id,
        username: user.username,
        role: user.role,
        scope_unit: user.scope.to_string(),
        issuer: user.issuer,
    })
}

/// Change one's own password: the current one is required (failures count against the account
/// like failed logins). Every session of the account ends, and this one continues with the
/// fresh tokens returned. Accounts of an external identity provider have no password here.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Changed; new tokens for this session", body = TokenResponse),
        (status = 403, body = Problem),
        (status = 422, body = Problem),
        (status = 429, body = Problem),
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    state: Data<Core>,
    accounts: Data<AccountsState>,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let input: PasswordChange = parse_json(&body)?;
    let new = input.parse()?;
    if user.issuer != "local" {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let now = state.now();
    let account = user
        .username
        .clone()
        .ok_or(ApiError::Forbidden("forbidden"))?
        .to_lowercase();
    accounts.login_failures.hit(&state, &account).await?;
    let id = user.id.clone();
    let row = state
        .db(move |conn| refresh::own_active_account(conn, &id))
        .await?;
    let cost = state.config.argon2;
    let current = input.current_password;
    let stored = row.password_hash.clone();
    let checked = actix_web::web::block(move || {
        if password::verify(&stored, &current) {
            password::hash(&new, cost).map(Some)
        } else {
            Ok(None)
        }
    })
    .await?
    .map_err(ApiError::Internal)?;
    let Some(hash) = checked else {
        return Err(ApiError::field(
            "current_password",
            ValidationError::WrongPassword,
        ));
    };
    accounts.login_failures.reset(&state, &account).await?;
    let cfg = state.config.clone();
    let out = state
        .db_write(move |conn| refresh::password_changed(conn, &cfg, &row.id, &hash, now))
        .await?;
    tracing::info!(user_id = %out.user.id, "password changed");
    Ok(HttpResponse::Ok().json(out))
}
