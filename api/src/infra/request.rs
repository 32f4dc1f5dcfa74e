//! Helpers every handler uses to read a request: the JSON body with a field-naming error, the
//! client address, the idempotency key, cursors.

use actix_web::HttpRequest;
use base64::Engine;
use serde::de::DeserializeOwned;

use crate::infra::error::ApiError;

/// Parses a JSON body; a type error names the field it happened at.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Every request body is a JSON object: serde would also read a struct from an array of its
    // fields in order (`[null]`), which the document does not allow.
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(ApiError::BadBody(String::new()));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| ApiError::BadBody(e.path().to_string()))
}

/// The client's address for rate limiting (never stored): the socket peer; behind a proxy the
/// server trusts (`BVANTQ_TRUST_PROXY`), the rightmost `X-Forwarded-For` hop that is not one of
/// the trusted proxies — the hops to its left were written by the client and prove nothing.
/// `Forwarded` and `X-Real-IP` are ignored. An IPv6 address counts as its /64 (one household or
/// phone gets a whole /64, so one address per request would be one bucket per request).
pub fn client_ip(req: &HttpRequest, proxy: &crate::infra::config::ProxyTrust) -> String {
    let peer = req.peer_addr().map(|a| a.ip());
    let Some(peer) = peer else {
        return "unknown".into();
    };
    let only_peer = proxy.trusted.is_empty();
    if !proxy.enabled || !(only_peer || proxy.is_trusted(peer)) {
        return bucket(peer);
    }
    let hops = req
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|h| h.to_str().ok())
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match parse_hop(hop) {
            Some(ip) if !only_peer && proxy.is_trusted(ip) => continue,
            Some(ip) => return bucket(ip),
            // Garbage where an address should be: nothing to its left can be believed.
            None => break,
        }
    }
    bucket(peer)
}

/// An `X-Forwarded-For` entry: `1.2.3.4`, `1.2.3.4:5678`, `2001:db8::1` or `[2001:db8::1]:5678`.
fn parse_hop(hop: &str) -> Option<std::net::IpAddr> {
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Ok(sa) = hop.parse::<std::net::SocketAddr>() {
        return Some(sa.ip());
    }
    None
}

/// The rate-limit bucket of an address: IPv4 as is (IPv4-mapped IPv6 too), IPv6 by its /64.
pub fn bucket(ip: std::net::IpAddr) -> String {
    use std::net::IpAddr;
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let net = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{net}/64")
            }
        },
    }
}

/// An `Idempotency-Key` header with the request it came with, as stored: keyed fingerprints of the
/// key and of the body (HMAC under the server's key, so a database copy cannot test guesses of a
/// body — a signing's body holds a full CCCD), and the client's key itself, which only seals the
/// stored response and is never stored.
#[derive(Clone)]
pub struct Idempotency {
    pub scope: String,
    pub key: String,
    pub request_hash: String,
    client_key: String,
}

impl std::fmt::Debug for Idempotency {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Idempotency")
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Idempotency {
    /// The client's `Idempotency-Key` for `scope`, with the request's (canonical) body,
    /// fingerprinted under `keys`.
    pub fn new(
        scope: String,
        client_key: &str,
        canonical_body: &[u8],
        keys: &crate::infra::sealing::Sealer,
    ) -> Self {
        Self {
            key: keys.fingerprint(
                "idempotency key",
                format!("{scope}\0{client_key}").as_bytes(),
            ),
            request_hash: keys.fingerprint("idempotent request", canonical_body),
            scope,
            client_key: client_key.to_string(),
        }
    }

    /// The cipher that seals this request's stored response: keyed by the client's
    /// `Idempotency-Key` and the server's key together, so the response is readable only when
    /// the client replays.
    pub fn response_sealer(
        &self,
        server: &crate::infra::sealing::Sealer,
    ) -> crate::infra::sealing::Sealer {
        server.for_client_secret(&self.client_key)
    }
}

/// Reads the `Idempotency-Key` header (1–100 visible ASCII characters) and fingerprints it and
/// the body under `keys`. The body's fingerprint is taken over the parsed JSON, so spacing and key
/// order do not matter.
pub fn idempotency(
    req: &HttpRequest,
    body: &[u8],
    caller: &str,
    keys: &crate::infra::sealing::Sealer,
) -> Result<Idempotency, ApiError> {
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
    Ok(Idempotency::new(
        format!("{} {} {caller}", req.method(), req.path()),
        key,
        &canonical,
        keys,
    ))
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

/// The year asked for, or the year it is in Vietnam at `now` (the server's clock decides).
pub fn year_or_this(year: Option<i32>, now: chrono::NaiveDateTime) -> i32 {
    year.unwrap_or_else(|| chrono::Datelike::year(&bvantq_shared::tip::vn_date(now)))
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
