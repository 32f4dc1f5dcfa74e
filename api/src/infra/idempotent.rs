//! Idempotent writes: the first request with a key does the work and stores its response in the
//! same transaction; a replay with the same key and body gets the stored response; a replay with
//! another body gets a 422. Concurrent requests with one key write once.
//!
//! What is stored can be turned back into nothing personal by a database copy: the key and the
//! body only as keyed fingerprints, the response sealed with a key derived from the client's
//! `Idempotency-Key` and the server's key (readable only when that client replays). Records are
//! purged after [`crate::infra::config::Config::idempotency_hours`] (24 h by default).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use chrono::NaiveDateTime;
use serde_json::Value;

use crate::infra::core::Core;
use crate::infra::db::idempotency::{self as store, IdempotencyRow};
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::infra::request::Idempotency;
use crate::infra::sealing::Sealer;

/// Header set on a response served from the idempotency store.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// How a stored response is marked as sealed.
const SEALED_PREFIX: &str = "sealed:";

/// What an idempotent write answered: its status and body, and whether the body is the one stored
/// by an earlier request with the same key (a replay).
pub struct Answered {
    pub status: StatusCode,
    pub body: Value,
    pub replayed: bool,
}

impl Answered {
    /// The API's answer: the body as JSON, a replay marked with [`REPLAYED_HEADER`].
    pub fn respond(self) -> HttpResponse {
        let mut resp = HttpResponse::build(self.status);
        if self.replayed {
            resp.insert_header((REPLAYED_HEADER, "true"));
        }
        resp.json(self.body)
    }
}

pub async fn run<F>(state: &Core, idem: Idempotency, work: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    Ok(answer(state, idem, state.now(), work).await?.respond())
}

/// As [`run`], for a reporter's request: the record's time is kept to the minute, like every time
/// a tip keeps.
pub async fn run_reporter<F>(
    state: &Core,
    idem: Idempotency,
    work: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    Ok(answer_reporter(state, idem, work).await?.respond())
}

/// As [`run`], the answer kept as data (for a page the server draws from it).
pub async fn answer_now<F>(state: &Core, idem: Idempotency, work: F) -> Result<Answered, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    answer(state, idem, state.now(), work).await
}

/// As [`run_reporter`], the answer kept as data.
pub async fn answer_reporter<F>(
    state: &Core,
    idem: Idempotency,
    work: F,
) -> Result<Answered, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    let at = bvantq_shared::tip::truncate_to_minute(state.now());
    answer(state, idem, at, work).await
}

/// The record of a response as stored: its body sealed for the client that sent `idem`.
pub fn record(
    server: &Sealer,
    idem: &Idempotency,
    status: StatusCode,
    body: &str,
    at: NaiveDateTime,
) -> Result<IdempotencyRow, ApiError> {
    let (_, sealed) = idem
        .response_sealer(server)
        .seal(&idem.scope, body.as_bytes())
        .map_err(ApiError::internal)?;
    Ok(IdempotencyRow {
        scope: idem.scope.clone(),
        idem_key: idem.key.clone(),
        request_hash: idem.request_hash.clone(),
        status: i32::from(status.as_u16()),
        response_body: format!("{SEALED_PREFIX}{}", db::hex(&sealed)),
        created_at: at,
    })
}

async fn answer<F>(
    state: &Core,
    idem: Idempotency,
    at: NaiveDateTime,
    work: F,
) -> Result<Answered, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    let server = state.config.tip_sealer.clone();
    let (status, body, replayed) = state
        .db(move |conn| {
            // The work and the stored response commit together. The key is recorded last: a
            // replay or a concurrent twin fails on it (or earlier, on the record it would have
            // written twice), its transaction rolls back whole, and it answers as the first did.
            let fresh = db::write_tx(conn, |conn| {
                let (status, body) = work(conn)?;
                store::insert(
                    conn,
                    &record(&server, &idem, status, &body.to_string(), at)?,
                )?;
                Ok::<_, ApiError>((status, body))
            });
            match fresh {
                Ok((s, b)) => Ok((s, b, false)),
                Err(e) => match store::find(conn, &idem.scope, &idem.key)? {
                    Some(row) => replay(&row, &idem, &server),
                    None => Err(e),
                },
            }
        })
        .await?;
    Ok(Answered {
        status,
        body,
        replayed,
    })
}

fn replay(
    row: &IdempotencyRow,
    idem: &Idempotency,
    server: &Sealer,
) -> Result<(StatusCode, Value, bool), ApiError> {
    if row.request_hash != idem.request_hash {
        return Err(ApiError::IdempotencyMismatch);
    }
    let status = u16::try_from(row.status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .ok_or_else(|| ApiError::internal("stored status out of range"))?;
    let hex = row
        .response_body
        .strip_prefix(SEALED_PREFIX)
        .ok_or_else(|| ApiError::internal("stored response not sealed"))?;
    let sealed = db::unhex(hex).ok_or_else(|| ApiError::internal("bad sealed hex"))?;
    let sealer = idem.response_sealer(server);
    let key_id = sealer.current_key_id().to_string();
    let plain = sealer
        .open(&key_id, &idem.scope, &sealed)
        .map_err(ApiError::internal)?;
    let body = serde_json::from_slice(&plain).map_err(ApiError::internal)?;
    Ok((status, body, true))
}

/// Forgets records older than `hours`; returns how many.
pub fn purge(conn: &mut DbConn, hours: i64, now: NaiveDateTime) -> Result<usize, ApiError> {
    Ok(store::purge(conn, now - chrono::TimeDelta::hours(hours))?)
}
