//! Sessions: login hands out an access token and a refresh token; each refresh token is single
//! use and rotates within its family; presenting a used token again (a sign that it was stolen)
//! revokes the whole family.

use base64::Engine;
use bvantq_shared::UnitCode;
use bvantq_shared::api::{Me, TokenResponse};
use chrono::{NaiveDateTime, TimeDelta};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::accounts::store::tokens::{self, NewRefresh};
use crate::accounts::store::users::{self, UserRow};
use crate::auth::jwt;
use crate::infra::config::Config;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;

fn new_refresh_secret() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

pub fn hash_token(token: &str) -> String {
    db::hex(&Sha256::digest(token.as_bytes()))
}

/// Issues an access token and a new refresh token in `family` (begun at `family_started_at`) for
/// `user`. The refresh token never outlives the session's absolute lifetime.
pub fn issue(
    conn: &mut DbConn,
    cfg: &Config,
    user: &UserRow,
    family: &str,
    family_started_at: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<TokenResponse, ApiError> {
    let scope = UnitCode::parse(&user.scope_unit).map_err(ApiError::internal)?;
    let role = user.role;
    let access =
        jwt::issue(cfg, &user.id, &user.username, role, &scope, now).map_err(ApiError::internal)?;
    let refresh = new_refresh_secret();
    let session_end = family_started_at + TimeDelta::days(cfg.session_max_days);
    let expires_at = (now + TimeDelta::days(cfg.refresh_ttl_days)).min(session_end);
    let ttl = expires_at - now;
    tokens::insert(
        conn,
        &NewRefresh {
            id: db::new_id(),
            family_id: family.to_string(),
            user_id: user.id.clone(),
            token_hash: hash_token(&refresh),
            issued_at: now,
            expires_at,
            family_started_at,
        },
    )?;
    Ok(TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: cfg.access_ttl_secs,
        refresh_token: refresh,
        refresh_expires_in: ttl.num_seconds(),
        user: Me {
            id: user.id.clone(),
            username: Some(user.username.clone()),
            role,
            scope_unit: user.scope_unit.clone(),
            issuer: "local".into(),
        },
    })
}

/// What became of a refresh attempt. A detected replay must be committed (the family revoked)
/// even though the caller gets a 401, so it is a value, not an error.
pub enum Rotation {
    Rotated(Box<TokenResponse>),
    Rejected,
}

/// Exchanges a refresh token for a new pair.
pub fn rotate(
    conn: &mut DbConn,
    cfg: &Config,
    presented: &str,
    now: NaiveDateTime,
) -> Result<Rotation, ApiError> {
    db::write_tx(conn, |conn| {
        let Some(row) = tokens::by_hash(conn, &hash_token(presented))? else {
            return Ok(Rotation::Rejected);
        };
        let started = row.family_started_at.unwrap_or(row.issued_at);
        if row.revoked_at.is_some()
            || row.expires_at <= now
            || started + TimeDelta::days(cfg.session_max_days) <= now
        {
            return Ok(Rotation::Rejected);
        }
        if row.used_at.is_some() || !tokens::mark_used(conn, &row.id, now)? {
            tracing::warn!(family = %row.family_id, "refresh token replayed; revoking its family");
            tokens::revoke_family(conn, &row.family_id, now)?;
            return Ok(Rotation::Rejected);
        }
        let user = match users::by_id(conn, &row.user_id)? {
            Some(u) if u.active => u,
            _ => {
                tokens::revoke_family(conn, &row.family_id, now)?;
                return Ok(Rotation::Rejected);
            }
        };
        Ok(Rotation::Rotated(Box::new(issue(
            conn,
            cfg,
            &user,
            &row.family_id,
            started,
            now,
        )?)))
    })
}

/// Ends the session the refresh token belongs to (its whole family).
pub fn logout(conn: &mut DbConn, presented: &str, now: NaiveDateTime) -> Result<bool, ApiError> {
    match tokens::by_hash(conn, &hash_token(presented))? {
        Some(row) => Ok(tokens::revoke_family(conn, &row.family_id, now)? > 0),
        None => Ok(false),
    }
}

/// The account a login names (usernames are kept lower-case), active or not: the caller checks
/// a password either way so the time taken does not tell which exist.
pub fn account_for_login(conn: &mut DbConn, username: &str) -> Result<Option<UserRow>, ApiError> {
    Ok(users::by_username(conn, username)?)
}

/// A new session (a new refresh token family) for an account whose password was checked.
pub fn start(
    conn: &mut DbConn,
    cfg: &Config,
    user: &UserRow,
    now: NaiveDateTime,
) -> Result<TokenResponse, ApiError> {
    issue(conn, cfg, user, &db::new_id(), now, now)
}

/// One's own account, if still active (a locked account changes nothing).
pub fn own_active_account(conn: &mut DbConn, id: &str) -> Result<UserRow, ApiError> {
    users::by_id(conn, id)?
        .filter(|u| u.active)
        .ok_or(ApiError::Forbidden("forbidden"))
}

/// Stores one's new password (already hashed): every session of the account ends, and the one
/// that asked continues in a new session.
pub fn password_changed(
    conn: &mut DbConn,
    cfg: &Config,
    id: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<TokenResponse, ApiError> {
    users::set_password(conn, id, hash, now)?;
    tokens::revoke_user(conn, id, now)?;
    let fresh = users::by_id(conn, id)?.ok_or(ApiError::NotFound)?;
    start(conn, cfg, &fresh, now)
}
