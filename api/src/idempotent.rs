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
use crate::state::AppState;

/// Header set on a response served from the idempotency store.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

pub async fn run<F>(state: &AppState, idem: Idempotency, work: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConn) -> Result<(StatusCode, Value), ApiError> + Send + 'static,
{
    let now = state.now();
    let (status, body, replayed) = state
        .db(move |conn| {
            // The work and the stored response commit together. The key is recorded last: a
            // replay or a concurrent twin fails on it (or earlier, on the record it would have
            // written twice), its transaction rolls back whole, and it answers as the first did.
            let fresh = db::write_tx(conn, |conn| {
                let (status, body) = work(conn)?;
                store::insert(
                    conn,
                    &IdempotencyRow {
                        scope: idem.scope.clone(),
                        idem_key: idem.key.clone(),
                        request_hash: idem.request_hash.clone(),
                        status: i32::from(status.as_u16()),
                        response_body: body.to_string(),
                        created_at: now,
                    },
                )?;
                Ok::<_, ApiError>((status, body))
            });
            match fresh {
                Ok((s, b)) => Ok((s, b, false)),
                Err(e) => match store::find(conn, &idem.scope, &idem.key)? {
                    Some(row) => replay(&row, &idem),
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

fn replay(row: &IdempotencyRow, idem: &Idempotency) -> Result<(StatusCode, Value, bool), ApiError> {
    if row.request_hash != idem.request_hash {
        return Err(ApiError::IdempotencyMismatch);
    }
    let status = StatusCode::from_u16(u16::try_from(row.status).unwrap_or(500))
        .map_err(ApiError::internal)?;
    let body = serde_json::from_str(&row.response_body).map_err(ApiError::internal)?;
    Ok((status, body, true))
}
