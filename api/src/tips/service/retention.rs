//! Retention and keys: closed tips' content purged after the retention period, every record
//! re-sealed under the current key after a rotation.

use chrono::NaiveDateTime;

use super::*;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::infra::sealing::Sealer;
use crate::tips::store;

/// Purges the content of tips closed more than `retention_days` ago; returns how many.
pub fn purge(
    conn: &mut DbConn,
    retention_days: i64,
    now: NaiveDateTime,
) -> Result<usize, ApiError> {
    let cutoff = now - chrono::TimeDelta::days(retention_days);
    let mut done = 0;
    loop {
        let ids = store::due_for_purge(conn, cutoff, 200)?;
        if ids.is_empty() {
            return Ok(done);
        }
        for id in ids {
            db::write_tx(conn, |conn| store::purge_content(conn, &id, now))?;
            done += 1;
        }
    }
}

/// Re-seals every record under an older key with the current key; returns how many.
pub fn rekey(conn: &mut DbConn, sealer: &Sealer) -> Result<usize, ApiError> {
    let current = sealer.current_key_id().to_string();
    let mut done = 0;
    let reseal = |key_id: &str, ctx: &str, sealed: &[u8]| {
        let plain = sealer
            .open(key_id, ctx, sealed)
            .map_err(ApiError::internal)?;
        sealer.seal(ctx, &plain).map_err(ApiError::internal)
    };
    loop {
        let tips = store::stale_tips(conn, &current, 200)?;
        let msgs = store::stale_messages(conn, &current, 200)?;
        let photos = store::stale_photos(conn, &current, 50)?;
        if tips.is_empty() && msgs.is_empty() && photos.is_empty() {
            return Ok(done);
        }
        db::write_tx(conn, |conn| {
            for t in &tips {
                if let (Some(k), Some(c)) = (&t.key_id, &t.content) {
                    let ctx = content_context(&t.id);
                    let plain = sealer.open(k, &ctx, c).map_err(ApiError::internal)?;
                    let (k2, c2) = sealer.seal(&ctx, &plain).map_err(ApiError::internal)?;
                    store::reseal_tip(conn, &t.id, &k2, &c2)?;
                    // The indicators' hashes follow the key, or they would match nothing new.
                    let content: Content =
                        serde_json::from_slice(&plain).map_err(ApiError::internal)?;
                    let hashes = indicators::hashes(sealer, &content.indicators);
                    store::replace_indicators(conn, &t.id, &hashes)?;
                }
            }
            for m in &msgs {
                let (k2, c2) = reseal(&m.key_id, &message_context(&m.tip_id, &m.id), &m.body)?;
                store::reseal_message(conn, &m.id, &k2, &c2)?;
            }
            for p in &photos {
                let (k2, c2) = reseal(&p.key_id, &photo_context(&p.tip_id, &p.id), &p.data)?;
                store::reseal_photo(conn, &p.id, &k2, &c2)?;
            }
            Ok::<_, ApiError>(())
        })?;
        done += tips.len() + msgs.len() + photos.len();
    }
}

/// Whether `sealer` opens what the database holds: one tip content and one message under each key
/// id found (after a restore, before the servers are pointed at it). Returns the key ids checked;
/// an error names the first record the keys do not open.
pub fn check_keys(conn: &mut DbConn, sealer: &Sealer) -> Result<Vec<String>, ApiError> {
    let mut checked = Vec::new();
    for (tip, message, key_id, sealed) in store::one_sealed_per_key(conn)? {
        let ctx = match &message {
            Some(m) => message_context(&tip, m),
            None => content_context(&tip),
        };
        sealer.open(&key_id, &ctx, &sealed).map_err(|e| {
            ApiError::Internal(format!(
                "the tip key in use does not open {} of tip {tip} (sealed under key {key_id}): {e}",
                if message.is_some() {
                    "a message"
                } else {
                    "the content"
                }
            ))
        })?;
        if !checked.contains(&key_id) {
            checked.push(key_id);
        }
    }
    Ok(checked)
}
