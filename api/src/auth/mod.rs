//! Authentication (tokens, the `AuthUser` extractor) and authorisation (named permission checks).

pub mod jwt;
pub mod locked;
pub mod password;

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use bvantq_shared::{Role, UnitCode};

use crate::infra::core::Core;
use crate::infra::error::ApiError;

/// The authenticated caller: an officer or administrator with a role and a scope unit.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: String,
    pub username: Option<String>,
    pub role: Role,
    pub scope: UnitCode,
    pub issuer: String,
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let state = req
        .app_data::<web::Data<Core>>()
        .ok_or_else(|| ApiError::internal("application state missing"))?;
    let locked = req
        .app_data::<web::Data<locked::LockedAccounts>>()
        .ok_or_else(|| ApiError::internal("locked accounts missing"))?;
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .ok_or(ApiError::Unauthorized("missing_token"))?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .ok_or(ApiError::Unauthorized("missing_token"))?;
    let v = jwt::verify(&state.config, token.trim(), state.now())
        .map_err(|_| ApiError::Unauthorized("invalid_token"))?;
    let local = v.issuer == "local";
    // An identity provider's subject lives in its own namespace: it can never name a local
    // account, whatever it says.
    let id = if local {
        v.claims.sub
    } else {
        format!("ext:{}", v.claims.sub)
    };
    if local && locked.contains(&id) {
        return Err(ApiError::Unauthorized("account_locked"));
    }
    Ok(AuthUser {
        id,
        username: if local { v.claims.username } else { None },
        role: v.claims.role,
        scope: v.scope,
        issuer: v.issuer,
    })
}

/// The caller must hold one of these roles.
/// The caller must read a commune's security records ([`Role::sees_security_records`]).
pub fn require_security_records(user: &AuthUser) -> Result<(), ApiError> {
    if user.role.sees_security_records() {
        Ok(())
    } else {
        Err(ApiError::Forbidden("forbidden"))
    }
}

pub fn require_role(user: &AuthUser, roles: &[Role]) -> Result<(), ApiError> {
    if user.role == Role::Admin || roles.contains(&user.role) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("forbidden"))
    }
}
