//! Idempotent writes: the first request with a key does the work and stores its response in the
//! same transaction; a replay with the same key and body gets the stored response; a replay with
//! another body gets a 422. Concurrent requests with one key write once.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::Value;

use crate::db::idempotency::{self as store, IdempotencyRow};
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::request::Idempotency;
use crate::sealing::Sealer;
use crate::state::AppState;

/// Header set on a response served from the idempotency store.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

pub async fn run<F>(state: &AppState, idem: Idempotency, work: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    run_with(state, idem, None, work).await
}

/// As [`run`], for a response that must not be readable from the database alone (a tip's
/// receipt code): the key and the request are stored as keyed fingerprints, the response sealed
/// with a key derived from the client's `Idempotency-Key` and the server's tip key, and the
/// record's time kept to the minute.
pub async fn run_sealed<F>(
    state: &AppState,
    idem: Idempotency,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    let sealer = &state.config.tip_sealer;
    let client = sealer.for_client_secret(&idem.key);
    let idem = Idempotency {
        key: sealer.fingerprint("idempotency key", idem.key.as_bytes()),
        request_hash: sealer.fingerprint("idempotent request", idem.request_hash.as_bytes()),
        scope: idem.scope,
    };
    run_with(state, idem, Some(client), work).await
}

const SEALED_PREFIX: &str = "sealed:";

async fn run_with<F>(
    state: &AppState,
    idem: Idempotency,
    seal: Option<Sealer>,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    let now = match seal {
        Some(_) => bvantq_shared::tip::truncate_to_minute(state.now()),
        None => state.now(),
    };
    let (status, body, replayed) = state
        .db(move |conn| {
            // The work and the stored response commit together. The key is recorded last: a
            // replay or a concurrent twin fails on it (or earlier, on the record it would have
            // written twice), its transaction rolls back whole, and it answers as the first did.
            let fresh = db::write_tx(conn, |conn| {
                let (status, body) = work(conn)?;
                let stored = match &seal {
                    None => body.to_string(),
                    Some(s) => {
                        let (_, sealed) = s.seal(&idem.scope, body.to_string().as_bytes());
                        format!("{SEALED_PREFIX}{}", crate::db::hex(&sealed))
                    }
                };
                store::insert(
                    conn,
                    &IdempotencyRow {
                        scope: idem.scope.clone(),
                        idem_key: idem.key.clone(),
                        request_hash: idem.request_hash.clone(),
                        status: i32::from(status.as_u16()),
                        response_body: stored,
                        created_at: now,
                    },
                )?;
                Ok::<_, ApiError>((status, body))
            });
            match fresh {
                Ok((s, b)) => Ok((s, b, false)),
                Err(e) => match store::find(conn, &idem.scope, &idem.key)? {
                    Some(row) => replay(&row, &idem, seal.as_ref()),
                    None => Err(e),
                },
            }
        })
        .await?;
    let mut resp = HttpResponse::build(status);
    if replayed {
        resp.insert_header((REPLAYED_HEADER, "true"));
    }
    Ok(resp.json(body))
}

fn replay(
    row: &IdempotencyRow,
    idem: &Idempotency,
    seal: Option<&Sealer>,
) -> Result<(StatusCode, Value, bool), ApiError> {
    if row.request_hash != idem.request_hash {
        return Err(ApiError::IdempotencyMismatch);
    }
    let status = StatusCode::from_u16(u16::try_from(row.status).unwrap_or(500))
        .map_err(ApiError::internal)?;
    let body = match (seal, row.response_body.strip_prefix(SEALED_PREFIX)) {
        (Some(s), Some(hex)) => {
            let sealed =
                crate::db::unhex(hex).ok_or_else(|| ApiError::internal("bad sealed hex"))?;
            let key_id = s.current_key_id().to_string();
            let plain = s
                .open(&key_id, &idem.scope, &sealed)
                .map_err(ApiError::internal)?;
            serde_json::from_slice(&plain).map_err(ApiError::internal)?
        }
        _ => serde_json::from_str(&row.response_body).map_err(ApiError::internal)?,
    };
    Ok((status, body, true))
}
