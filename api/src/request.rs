//! Helpers every handler uses to read a request: the JSON body with a field-naming error, the
//! client address, the idempotency key, cursors.

use actix_web::HttpRequest;
use base64::Engine;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Parses a JSON body; a type error names the field it happened at.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| ApiError::BadBody(e.path().to_string()))
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when the server is
/// configured to trust its proxy. Used for rate limiting only, never stored.
pub fn client_ip(req: &HttpRequest, trust_proxy: bool) -> String {
    let info = req.connection_info();
    let addr = if trust_proxy {
        info.realip_remote_addr()
    } else {
        info.peer_addr()
    };
    addr.map(|a| a.rsplit_once(':').map_or(a, |(h, _)| h).to_string())
        .unwrap_or_else(|| "unknown".into())
}

/// An `Idempotency-Key` header with the request it came with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub scope: String,
    pub key: String,
    pub request_hash: String,
}

/// Reads the `Idempotency-Key` header (1–100 visible ASCII characters) and fingerprints the
/// body. The fingerprint is taken over the parsed JSON, so spacing and key order do not matter.
pub fn idempotency(req: &HttpRequest, body: &[u8], caller: &str) -> Result<Idempotency, ApiError> {
    let key = req
        .headers()
        .get("Idempotency-Key")
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 100 && k.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or(ApiError::IdempotencyKeyMissing)?;
    let canonical = serde_json::from_slice::<serde_json::Value>(body)
        .map(|v| v.to_string().into_bytes())
        .unwrap_or_else(|_| body.to_vec());
    // Scoped to the concrete path (a key used for one campaign means nothing for another) and
    // to the caller.
    Ok(Idempotency {
        scope: format!("{} {} {caller}", req.method(), req.path()),
        key: key.to_string(),
        request_hash: crate::db::hex(&Sha256::digest(&canonical)),
    })
}

/// Cursors are opaque to clients: base64url of the last sort key seen.
pub fn encode_cursor(key: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(key)
}

pub fn decode_cursor(cursor: &str) -> Result<String, ApiError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| {
            ApiError::field(
                "cursor",
                bvantq_shared::ValidationError::UnknownValue { allowed: &[] },
            )
        })
}

/// Cuts rows fetched with `limit + 1` to one page, and gives the cursor of the next page (the
/// sort key of the page's last row) when there is one.
pub fn paginate<T>(
    mut rows: Vec<T>,
    limit: i64,
    key: impl Fn(&T) -> String,
) -> (Vec<T>, Option<String>) {
    if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        let next = rows.last().map(|r| encode_cursor(&key(r)));
        (rows, next)
    } else {
        (rows, None)
    }
}

/// Years the API answers for (assessment periods, statistics).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// `year` must lie in [`YEARS`]; the error names `field`.
pub fn check_year(field: &str, year: i32) -> Result<i32, ApiError> {
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(ApiError::field(
            field,
            bvantq_shared::ValidationError::OutOfRange {
                min: i64::from(*YEARS.start()),
                max: i64::from(*YEARS.end()),
            },
        ))
    }
}

/// A page size from `limit`, within `1..=max`.
pub fn page_limit(limit: Option<i64>, default: i64, max: i64) -> Result<i64, ApiError> {
    match limit {
        None => Ok(default),
        Some(n) if (1..=max).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field(
            "limit",
            bvantq_shared::ValidationError::OutOfRange { min: 1, max },
        )),
    }
}

/// Reads a request body of at most `limit` bytes (for routes that accept more than the
/// server-wide JSON limit, such as tips with photos).
pub async fn read_body(
    mut payload: actix_web::web::Payload,
    limit: usize,
) -> Result<actix_web::web::Bytes, ApiError> {
    use futures_util::StreamExt;
    let mut buf = actix_web::web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| ApiError::BadBody(String::new()))?;
        if buf.len() + chunk.len() > limit {
            return Err(ApiError::TooLarge { max_bytes: limit });
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf.freeze())
}
