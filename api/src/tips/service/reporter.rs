//! The reporter's side, through the receipt code alone: the status in plain words, the thread,
//! and what they add.

use bvantq_shared::tip::{self, MessageAuthor, ReceiptCode, ThreadMessage, TipFollowUp};
use chrono::NaiveDateTime;
use subtle::ConstantTimeEq;

use super::*;
use crate::infra::config::Config;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::infra::images::ImageType;
use crate::tips::store::{self as store, MessageRow, TipRow};

/// The tip a receipt code opens, or `None`. The stored hash is compared in constant time.
pub fn find_by_receipt(conn: &mut DbConn, code: &ReceiptCode) -> Result<Option<TipRow>, ApiError> {
    let h = receipt_hash(code);
    let row = store::by_receipt_hash(conn, &h)?;
    Ok(row.filter(|t| {
        t.receipt_hash
            .as_deref()
            .is_some_and(|s| bool::from(s.as_bytes().ct_eq(h.as_bytes())))
    }))
}

pub(super) fn open_message(cfg: &Config, m: &MessageRow) -> Result<String, ApiError> {
    let b = cfg
        .tip_sealer
        .open(&m.key_id, &message_context(&m.tip_id, &m.id), &m.body)
        .map_err(ApiError::internal)?;
    String::from_utf8(b).map_err(ApiError::internal)
}

/// What the reporter sees: public status wording and the reporter ↔ officer thread.
pub fn follow_up(conn: &mut DbConn, cfg: &Config, t: &TipRow) -> Result<TipFollowUp, ApiError> {
    let status = t.status;
    let photos = store::photo_index(conn, &t.id)?;
    let mut messages = Vec::new();
    for m in store::messages(conn, &t.id)? {
        let author = match m.kind {
            TipMessageKind::Reporter => MessageAuthor::Reporter,
            TipMessageKind::Officer => MessageAuthor::Officer,
            // Internal notes never leave the ward.
            TipMessageKind::Note => continue,
        };
        messages.push(ThreadMessage {
            author,
            body: open_message(cfg, &m)?,
            at: m.created_at,
            photos: photos
                .iter()
                .filter(|(_, mid)| mid.as_deref() == Some(m.id.as_str()))
                .count(),
        });
    }
    let (vi, en) = tip::public_status(status);
    Ok(TipFollowUp {
        status,
        status_vi: vi.into(),
        status_en: en.into(),
        category: t.category,
        received_on: t.received_on,
        messages,
    })
}

/// The reporter adds information or photos.
pub fn reporter_message(
    conn: &mut DbConn,
    cfg: &Config,
    t: &TipRow,
    body: &str,
    photos: &[(ImageType, Vec<u8>)],
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let m = NewMessage {
        kind: TipMessageKind::Reporter,
        author: None,
        body,
        photos,
    };
    add_message(conn, cfg, t, m, now).map(|_| ())
}
