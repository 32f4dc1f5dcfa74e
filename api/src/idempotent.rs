//! Idempotent writes: the first request with a key does the work and stores its response in the
//! same transaction; a replay with the same key and body gets the stored response; a replay with
//! another body gets a 422. Concurrent requests with one key write once: the key row is inserted
//! first, so a second request waits on it and then replays.

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
            if let Some(row) = store::find(conn, &idem.scope, &idem.key)? {
                return replay(&row, &idem);
            }
            let fresh = db::write_tx(conn, |conn| {
                store::insert(
                    conn,
                    &IdempotencyRow {
                        scope: idem.scope.clone(),
                        idem_key: idem.key.clone(),
                        request_hash: idem.request_hash.clone(),
                        status: 0,
                        response_body: String::new(),
                        created_at: now,
                    },
                )
                .map_err(|e| {
                    if db::is_unique_violation(&e) {
                        TxError::KeyTaken
                    } else {
                        TxError::Api(e.into())
                    }
                })?;
                let (status, body) = work(conn).map_err(TxError::Api)?;
                diesel::update(
                    crate::db::schema::idempotency_keys::table.find((&idem.scope, &idem.key)),
                )
                .set((
                    crate::db::schema::idempotency_keys::status.eq(i32::from(status.as_u16())),
                    crate::db::schema::idempotency_keys::response_body.eq(body.to_string()),
                ))
                .execute(conn)?;
                Ok::<_, TxError>((status, body))
            });
            match fresh {
                Ok((s, b)) => Ok((s, b, false)),
                // Another request with this key won the race: answer as it did.
                Err(TxError::KeyTaken) => match store::find(conn, &idem.scope, &idem.key)? {
                    Some(row) => replay(&row, &idem),
                    None => Err(ApiError::Unavailable("idempotency race".into())),
                },
                Err(TxError::Api(e)) => Err(e),
            }
        })
        .await?;
    let mut resp = HttpResponse::build(status);
    if replayed {
        resp.insert_header((REPLAYED_HEADER, "true"));
    }
    Ok(resp.json(body))
}

use diesel::prelude::*;

enum TxError {
    KeyTaken,
    Api(ApiError),
}

impl From<diesel::result::Error> for TxError {
    fn from(e: diesel::result::Error) -> Self {
        TxError::Api(e.into())
    }
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
