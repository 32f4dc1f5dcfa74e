//! Access tokens: short-lived JWTs signed HS256 by this server, or RS256/EdDSA by a configured
//! external identity provider. Validation is explicit: algorithm, issuer, audience, expiry and
//! not-before, against the server's clock.

use bvantq_shared::{Role, UnitCode};
use chrono::NaiveDateTime;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::infra::config::Config;

/// Seconds of clock skew tolerated on `exp` and `nbf`.
const LEEWAY_SECS: i64 = 30;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    pub sub: String,
    pub exp: i64,
    pub nbf: i64,
    pub iat: i64,
    pub role: Role,
    /// Code of the unit whose subtree the holder may see.
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
}

pub fn issue(
    cfg: &Config,
    sub: &str,
    username: &str,
    role: Role,
    scope: &UnitCode,
    now: NaiveDateTime,
) -> Result<String, jsonwebtoken::errors::Error> {
    let t = now.and_utc().timestamp();
    let claims = Claims {
        iss: cfg.jwt_issuer.clone(),
        aud: cfg.jwt_audience.clone(),
        sub: sub.to_string(),
        exp: t + cfg.access_ttl_secs,
        nbf: t,
        iat: t,
        role,
        scope: scope.to_string(),
        username: Some(username.to_string()),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(&cfg.jwt_secret),
    )
}

/// The verified caller of a token.
#[derive(Debug, Clone)]
pub struct Verified {
    pub claims: Claims,
    pub scope: UnitCode,
    /// `local`, or the external issuer.
    pub issuer: String,
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    WrongAlgorithm,
    BadSignatureOrClaims,
    Expired,
    NotYetValid,
    BadScope,
    /// An external identity provider's token claiming the `admin` role.
    ForeignAdmin,
}

pub fn verify(cfg: &Config, token: &str, now: NaiveDateTime) -> Result<Verified, TokenError> {
    // `alg: none` and unknown algorithms fail here: jsonwebtoken has no such variant.
    let header = jsonwebtoken::decode_header(token).map_err(|_| TokenError::Malformed)?;
    let (key, algorithm, issuer, local) = match (&cfg.idp, header.alg) {
        (_, Algorithm::HS256) => (
            DecodingKey::from_secret(&cfg.jwt_secret),
            Algorithm::HS256,
            cfg.jwt_issuer.clone(),
            true,
        ),
        (Some(idp), alg) if alg == idp.algorithm => {
            (idp.key.clone(), idp.algorithm, idp.issuer.clone(), false)
        }
        _ => return Err(TokenError::WrongAlgorithm),
    };
    let mut v = Validation::new(algorithm);
    v.set_issuer(&[issuer.as_str()]);
    v.set_audience(&[cfg.jwt_audience.as_str()]);
    v.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    // Time is checked below against the server's clock, which tests can move.
    v.validate_exp = false;
    v.validate_nbf = false;
    let data = jsonwebtoken::decode::<Claims>(token, &key, &v)
        .map_err(|_| TokenError::BadSignatureOrClaims)?;
    let t = now.and_utc().timestamp();
    if data.claims.exp + LEEWAY_SECS <= t {
        return Err(TokenError::Expired);
    }
    if data.claims.nbf - LEEWAY_SECS > t {
        return Err(TokenError::NotYetValid);
    }
    // Administration is granted here, never by an outside identity provider.
    if !local && data.claims.role == Role::Admin {
        return Err(TokenError::ForeignAdmin);
    }
    let scope = UnitCode::parse(&data.claims.scope).map_err(|_| TokenError::BadScope)?;
    let issuer = if local { "local".to_string() } else { issuer };
    Ok(Verified {
        claims: data.claims,
        scope,
        issuer,
    })
}
