//! Tips (tố giác, tin báo về tội phạm): intake, the reporter's follow-up by receipt code, the
//! ward's triage and its legal clock, statistics, retention. Handlers in `routes::tips` call
//! these inside the database's blocking pool.
//!
//! Protection, in one place: content is sealed before it reaches the database; reporter-side
//! times are kept to the minute; no address or user agent is ever passed in here; the receipt
//! code is kept only as a hash; every officer read of content writes an audit entry before the
//! content is returned.

use base64::Engine;
use bvantq_shared::tip::{
    self, ClockState, MessageAuthor, NewTip, OfficerMessage, PhotoUpload, ReceiptCode, StatTable,
    ThreadMessage, TipDetail, TipEvent, TipFollowUp, TipPriority, TipReceipt, TipStats, TipSummary,
    truncate_to_minute, vn_date,
};
use bvantq_shared::{Role, TipCategory, TipStatus, UnitKind, ValidationError};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::auth::AuthUser;
use crate::infra::config::Config;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::infra::images::{self, ImageError, ImageType};
use crate::infra::sealing::Sealer;
use crate::tips::store::{self as store, AuditRow, EventRow, MessageRow, PhotoRow, TipRow};
use crate::units::store::{self as units, UnitRow};

pub const OPEN: &[&str] = &["received", "verifying"];

/// The sealed part of a tip.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Content {
    description: String,
    place: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    incident_at: Option<NaiveDateTime>,
    contact_name: Option<String>,
    contact_phone: Option<String>,
}

/// What a sealed value is bound to (its record and field): a value copied elsewhere does not open.
fn content_context(tip: &str) -> String {
    format!("tip:{tip}:content")
}

fn message_context(tip: &str, message: &str) -> String {
    format!("tip:{tip}:message:{message}")
}

fn photo_context(tip: &str, photo: &str) -> String {
    format!("tip:{tip}:photo:{photo}")
}

/// A stored status; an unreadable one is an internal error, never guessed.
fn status_of(t: &TipRow) -> Result<TipStatus, ApiError> {
    TipStatus::parse(&t.status).map_err(ApiError::internal)
}

fn category_of(t: &TipRow) -> Result<TipCategory, ApiError> {
    TipCategory::parse(&t.category).map_err(ApiError::internal)
}

/// The stored form of a receipt code: SHA-256 under a fixed label. The code carries ~99 bits, so
/// a hash is enough to make a stolen table useless for following tips.
pub fn receipt_hash(code: &ReceiptCode) -> String {
    let mut h = Sha256::new();
    h.update(b"bvantq tip receipt v1\0");
    h.update(code.as_str().as_bytes());
    db::hex(&h.finalize())
}

fn new_receipt() -> ReceiptCode {
    use rand::RngCore;
    let mut rng = rand::rng();
    ReceiptCode::generate(|| {
        let mut b = [0u8; 1];
        rng.fill_bytes(&mut b);
        b[0]
    })
}

/// An uploaded photo's bytes, decoded from base64 but not yet checked as an image.
pub struct RawPhoto(Vec<u8>);

/// Decodes the base64 of uploaded photos and checks their sizes (cheap: no image is parsed yet,
/// so an upload budget can be charged before any decoding work). Errors name `field.i`.
pub fn photo_bytes(photos: &[PhotoUpload], field: &str) -> Result<Vec<RawPhoto>, ApiError> {
    let mut out = Vec::with_capacity(photos.len());
    let mut errors = Vec::new();
    for (i, p) in photos.iter().enumerate() {
        let f = format!("{field}.{i}");
        let data = p.data.trim();
        // A data URL's declared type is ignored: the bytes decide.
        let data = data
            .split_once(";base64,")
            .filter(|(head, _)| head.starts_with("data:"))
            .map_or(data, |(_, rest)| rest);
        let bytes = match base64::engine::general_purpose::STANDARD
            .decode(data)
            .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(data))
        {
            Ok(b) => b,
            Err(_) => {
                errors.push(ValidationError::Base64.on(f));
                continue;
            }
        };
        if bytes.len() > tip::PHOTO_MAX_BYTES {
            errors.push(
                ValidationError::ImageTooLarge {
                    max_kb: tip::PHOTO_MAX_BYTES / 1024,
                }
                .on(f),
            );
            continue;
        }
        out.push(RawPhoto(bytes));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Bytes of decoded photos (what an upload budget is charged).
pub fn photo_size(photos: &[RawPhoto]) -> u64 {
    photos.iter().map(|p| p.0.len() as u64).sum()
}

/// Type-checks photos by their bytes and strips their metadata. CPU-heavy: run it on the
/// blocking pool, never on an async worker. Errors name `field.i`.
pub fn clean_photos(
    photos: Vec<RawPhoto>,
    field: &str,
) -> Result<Vec<(ImageType, Vec<u8>)>, ApiError> {
    let mut out = Vec::with_capacity(photos.len());
    let mut errors = Vec::new();
    for (i, RawPhoto(bytes)) in photos.into_iter().enumerate() {
        match images::clean(&bytes) {
            Ok(img) => out.push(img),
            Err(ImageError::UnknownType | ImageError::Malformed) => {
                errors.push(ValidationError::ImageType.on(format!("{field}.{i}")));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// The commune a tip's place belongs to today: a merged commune's code leads to its successor.
fn routing_commune(conn: &mut DbConn, code: &str, today: NaiveDate) -> Result<UnitRow, ApiError> {
    let unknown = || ApiError::field("commune_code", ValidationError::UnknownUnit);
    let mut unit = units::find(conn, code)?.ok_or_else(unknown)?;
    for _ in 0..8 {
        if unit.kind() != UnitKind::Commune {
            return Err(unknown());
        }
        if unit.is_current(today) {
            return Ok(unit);
        }
        let next = unit.replaced_by.clone().ok_or_else(unknown)?;
        unit = units::find(conn, &next)?.ok_or_else(unknown)?;
    }
    Err(unknown())
}

fn event(tip_id: &str, seq: i32, at: NaiveDateTime, actor: &str, kind: &str) -> EventRow {
    EventRow {
        tip_id: tip_id.to_string(),
        seq,
        at,
        actor: actor.to_string(),
        kind: kind.to_string(),
        from_status: None,
        to_status: None,
        detail: None,
        reason: None,
    }
}

fn store_photos(
    conn: &mut DbConn,
    sealer: &Sealer,
    tip_id: &str,
    message_id: Option<&str>,
    photos: &[(ImageType, Vec<u8>)],
    at: NaiveDateTime,
) -> Result<(), ApiError> {
    for (t, bytes) in photos {
        let id = db::new_id();
        let (key_id, data) = sealer.seal(&photo_context(tip_id, &id), bytes);
        store::insert_photo(
            conn,
            &PhotoRow {
                id,
                tip_id: tip_id.to_string(),
                message_id: message_id.map(str::to_string),
                content_type: t.mime().to_string(),
                size_bytes: i32::try_from(bytes.len()).unwrap_or(i32::MAX),
                key_id,
                data,
                created_at: at,
            },
        )?;
    }
    Ok(())
}

/// Stores a new tip; returns its receipt (with the code, shown this once).
pub fn submit(
    conn: &mut DbConn,
    cfg: &Config,
    new: &NewTip,
    photos: &[(ImageType, Vec<u8>)],
    now: NaiveDateTime,
) -> Result<TipReceipt, ApiError> {
    let at = truncate_to_minute(now);
    let received_on = vn_date(now);
    let commune = routing_commune(conn, new.commune.as_str(), received_on)?;
    let code = new_receipt();
    let id = db::new_id();
    let content = Content {
        description: new.description.clone(),
        place: new.place.clone(),
        latitude: new.coordinates.map(|c| c.0),
        longitude: new.coordinates.map(|c| c.1),
        incident_at: new.incident_at,
        contact_name: new
            .contact
            .as_ref()
            .and_then(|c| c.name.as_ref().map(|n| n.as_str().to_string())),
        contact_phone: new
            .contact
            .as_ref()
            .and_then(|c| c.phone.as_ref().map(|p| p.e164().to_string())),
    };
    let plain = serde_json::to_vec(&content).map_err(ApiError::internal)?;
    let (key_id, sealed) = cfg.tip_sealer.seal(&content_context(&id), &plain);
    let deadline = tip::decision_deadline(received_on, 0, &cfg.holidays)
        .ok_or_else(|| ApiError::internal("deadline out of range"))?;
    store::insert(
        conn,
        &TipRow {
            id: id.clone(),
            receipt_hash: Some(receipt_hash(&code)),
            commune_code: commune.code.clone(),
            unit_path: commune.path.clone(),
            category: new.category.as_str().to_string(),
            status: TipStatus::Received.as_str().to_string(),
            priority: new.priority.rank(),
            anonymous: new.contact.is_none(),
            received_at: at,
            received_on,
            deadline,
            extensions: 0,
            assigned_to: None,
            merged_into: None,
            closed_at: None,
            key_id: Some(key_id),
            content: Some(sealed),
            photos: i32::try_from(photos.len()).unwrap_or(0),
            seq: 1,
            purged_at: None,
        },
    )?;
    let mut created = event(&id, 1, at, "reporter", "created");
    created.to_status = Some(TipStatus::Received.as_str().into());
    store::insert_event(conn, &created)?;
    store_photos(conn, &cfg.tip_sealer, &id, None, photos, at)?;
    let (vi, en) = tip::public_status(TipStatus::Received);
    Ok(TipReceipt {
        receipt_code: code.grouped(),
        status: TipStatus::Received,
        status_vi: vi.into(),
        status_en: en.into(),
        received_on,
        photos_accepted: photos.len(),
    })
}

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

fn open_message(cfg: &Config, m: &MessageRow) -> Result<String, ApiError> {
    let b = cfg
        .tip_sealer
        .open(&m.key_id, &message_context(&m.tip_id, &m.id), &m.body)
        .map_err(ApiError::internal)?;
    String::from_utf8(b).map_err(ApiError::internal)
}

/// What the reporter sees: public status wording and the reporter ↔ officer thread.
pub fn follow_up(conn: &mut DbConn, cfg: &Config, t: &TipRow) -> Result<TipFollowUp, ApiError> {
    let status = status_of(t)?;
    let photos = store::photo_index(conn, &t.id)?;
    let mut messages = Vec::new();
    for m in store::messages(conn, &t.id)? {
        let author = match m.kind.as_str() {
            "reporter" => MessageAuthor::Reporter,
            "officer" => MessageAuthor::Officer,
            // Internal notes never leave the ward.
            _ => continue,
        };
        messages.push(ThreadMessage {
            author,
            body: open_message(cfg, &m)?,
            at: m.created_at + chrono::TimeDelta::hours(tip::VN_OFFSET_HOURS),
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
        category: category_of(t)?,
        received_on: t.received_on,
        messages,
    })
}

/// A message about to be added to a tip's thread.
struct NewMessage<'a> {
    /// `reporter`, `officer` or `note`
    kind: &'a str,
    author: Option<&'a str>,
    body: &'a str,
    photos: &'a [(ImageType, Vec<u8>)],
}

fn add_message(
    conn: &mut DbConn,
    cfg: &Config,
    t: &TipRow,
    m: NewMessage<'_>,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let NewMessage {
        kind,
        author,
        body,
        photos,
    } = m;
    if t.purged_at.is_some() {
        return Err(purged());
    }
    let at = truncate_to_minute(now);
    let seq = store::next_seq(conn, &t.id)?;
    let id = db::new_id();
    let (key_id, sealed) = cfg
        .tip_sealer
        .seal(&message_context(&t.id, &id), body.as_bytes());
    store::insert_message(
        conn,
        &MessageRow {
            id: id.clone(),
            tip_id: t.id.clone(),
            seq,
            kind: kind.to_string(),
            author_id: author.map(str::to_string),
            created_at: at,
            key_id,
            body: sealed,
        },
    )?;
    let mut e = event(&t.id, seq, at, author.unwrap_or("reporter"), kind);
    if !photos.is_empty() {
        e.detail = Some(format!("{} photo(s)", photos.len()));
    }
    store::insert_event(conn, &e)?;
    if !photos.is_empty() {
        store_photos(conn, &cfg.tip_sealer, &t.id, Some(&id), photos, at)?;
        store::set_photo_count(
            conn,
            &t.id,
            t.photos + i32::try_from(photos.len()).unwrap_or(0),
        )?;
    }
    Ok(id)
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
        kind: "reporter",
        author: None,
        body,
        photos,
    };
    add_message(conn, cfg, t, m, now).map(|_| ())
}

fn purged() -> ApiError {
    ApiError::Conflict {
        code: "tip_purged",
        vi: "Nội dung tin báo này đã được xóa theo thời hạn lưu trữ.".into(),
        en: "This tip's content was purged at the end of its retention period.".into(),
    }
}

fn closed() -> ApiError {
    ApiError::Conflict {
        code: "tip_closed",
        vi: "Tin báo đã có quyết định; không thể thay đổi thêm.".into(),
        en: "This tip is already decided and cannot change further.".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Officer side
// ---------------------------------------------------------------------------------------------

/// Officers who work with tips: the ward police, the province, administrators.
pub fn require_tip_role(user: &AuthUser) -> Result<(), ApiError> {
    crate::auth::require_role(user, &[Role::WardOfficer, Role::ProvinceOfficer])
}

/// Whether the tip's commune lies in the caller's scope.
pub fn tip_in_scope(user: &AuthUser, t: &TipRow) -> bool {
    crate::units::scope::covers(user, &t.unit_path)
}

/// A tip the caller may work on; one outside the caller's scope is absent (404), so its
/// existence is not revealed.
pub fn load_for(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<TipRow, ApiError> {
    require_tip_role(user)?;
    store::by_id(conn, id)?
        .filter(|t| tip_in_scope(user, t))
        .ok_or(ApiError::NotFound)
}

pub fn audit(
    conn: &mut DbConn,
    user: &AuthUser,
    action: &str,
    t: Option<&TipRow>,
    detail: Option<String>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    store::insert_audit(
        conn,
        &AuditRow {
            id: db::new_id(),
            at: now,
            actor_id: user.id.clone(),
            actor_role: user.role.as_str().to_string(),
            action: action.to_string(),
            tip_id: t.map(|t| t.id.clone()),
            unit_path: t.map(|t| t.unit_path.clone()),
            detail,
        },
    )?;
    Ok(())
}

pub fn summary(t: &TipRow, commune_name: &str, today: NaiveDate) -> Result<TipSummary, ApiError> {
    let status = status_of(t)?;
    Ok(TipSummary {
        id: t.id.clone(),
        category: category_of(t)?,
        status,
        priority: TipPriority::from_rank(t.priority),
        commune_code: t.commune_code.clone(),
        commune_name: commune_name.to_string(),
        received_at: t.received_at,
        deadline: t.deadline,
        extensions: u8::try_from(t.extensions).unwrap_or(0),
        clock: tip::clock_state(status, t.deadline, today),
        assigned_to: t.assigned_to.clone(),
        anonymous: t.anonymous,
        photos: i64::from(t.photos),
        merged_into: t.merged_into.clone(),
        purged: t.purged_at.is_some(),
    })
}

/// The summary of one tip, with its commune's name.
fn summary_of(conn: &mut DbConn, t: &TipRow, today: NaiveDate) -> Result<TipSummary, ApiError> {
    let name = units::find(conn, &t.commune_code)?.map(|u| u.full_name);
    summary(t, name.as_deref().unwrap_or(""), today)
}

pub fn commune_names(
    conn: &mut DbConn,
    rows: &[TipRow],
) -> Result<std::collections::HashMap<String, String>, ApiError> {
    let mut codes: Vec<&str> = rows.iter().map(|t| t.commune_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    Ok(units::find_many(conn, &codes)?
        .into_iter()
        .map(|u| (u.code, u.full_name))
        .collect())
}

/// A tip's full content. The read is audited first, in its own committed transaction: content
/// is never returned without its audit entry.
pub fn read_detail(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    now: NaiveDateTime,
) -> Result<TipDetail, ApiError> {
    let t = db::write_tx(conn, |conn| {
        let t = load_for(conn, user, id)?;
        audit(conn, user, "tip.read", Some(&t), None, now)?;
        Ok::<_, ApiError>(t)
    })?;
    let summary = summary_of(conn, &t, vn_date(now))?;
    let content = match (&t.key_id, &t.content) {
        (Some(k), Some(c)) => {
            let plain = cfg
                .tip_sealer
                .open(k, &content_context(&t.id), c)
                .map_err(ApiError::internal)?;
            serde_json::from_slice::<Content>(&plain).map_err(ApiError::internal)?
        }
        _ => Content::default(),
    };
    let photos = store::photo_index(conn, &t.id)?;
    let mut messages = Vec::new();
    for m in store::messages(conn, &t.id)? {
        messages.push(OfficerMessage {
            body: open_message(cfg, &m)?,
            photo_ids: photos
                .iter()
                .filter(|(_, mid)| mid.as_deref() == Some(m.id.as_str()))
                .map(|(p, _)| p.clone())
                .collect(),
            id: m.id,
            kind: m.kind,
            author_id: m.author_id,
            at: m.created_at,
        });
    }
    let history = store::events(conn, &t.id)?
        .into_iter()
        .map(|e| TipEvent {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            kind: e.kind,
            from_status: e.from_status.and_then(|s| TipStatus::parse(&s).ok()),
            to_status: e.to_status.and_then(|s| TipStatus::parse(&s).ok()),
            detail: e.detail,
            reason: e.reason,
        })
        .collect();
    Ok(TipDetail {
        summary,
        description: (!content.description.is_empty()).then_some(content.description),
        place: content.place,
        latitude: content.latitude,
        longitude: content.longitude,
        incident_at: content.incident_at,
        contact_name: content.contact_name,
        contact_phone: content.contact_phone,
        photo_ids: photos
            .iter()
            .filter(|(_, m)| m.is_none())
            .map(|(p, _)| p.clone())
            .collect(),
        messages,
        history,
        merged_from: store::merged_from(conn, &t.id)?,
    })
}

/// One photo's bytes (audited like any content read).
pub fn read_photo(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    photo_id: &str,
    now: NaiveDateTime,
) -> Result<(String, Vec<u8>), ApiError> {
    let (t, p) = db::write_tx(conn, |conn| {
        let t = load_for(conn, user, id)?;
        let p = store::photo(conn, &t.id, photo_id)?.ok_or(ApiError::NotFound)?;
        audit(
            conn,
            user,
            "tip.photo.read",
            Some(&t),
            Some(p.id.clone()),
            now,
        )?;
        Ok::<_, ApiError>((t, p))
    })?;
    let bytes = cfg
        .tip_sealer
        .open(&p.key_id, &photo_context(&t.id, &p.id), &p.data)
        .map_err(ApiError::internal)?;
    Ok((p.content_type, bytes))
}

/// Moves a tip along the workflow (with a reason); merging links it to the tip it duplicates and
/// writes the merge into both histories.
pub fn transition(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &tip::TransitionRequest,
    now: NaiveDateTime,
) -> Result<TipSummary, ApiError> {
    let t = load_for(conn, user, id)?;
    let from = status_of(&t)?;
    let (to, reason) = req.parse(from)?;
    let at = truncate_to_minute(now);
    let target = if to == TipStatus::Merged {
        let target_id = req.merge_into.as_deref().unwrap_or("").trim().to_string();
        let target = store::by_id(conn, &target_id)?
            .filter(|x| tip_in_scope(user, x))
            .ok_or_else(|| {
                ApiError::field("merge_into", ValidationError::UnknownValue { allowed: &[] })
            })?;
        if target.id == t.id || target.status == TipStatus::Merged.as_str() {
            return Err(ApiError::field(
                "merge_into",
                ValidationError::UnknownValue { allowed: &[] },
            ));
        }
        Some(target)
    } else {
        None
    };
    let seq = store::next_seq(conn, &t.id)?;
    store::set_status(
        conn,
        &t.id,
        to.as_str(),
        to.is_closed().then_some(at),
        target.as_ref().map(|x| x.id.as_str()),
    )?;
    let mut e = event(&t.id, seq, at, &user.id, "transition");
    e.from_status = Some(from.as_str().into());
    e.to_status = Some(to.as_str().into());
    e.reason = Some(reason.clone());
    e.detail = target.as_ref().map(|x| format!("merged into {}", x.id));
    store::insert_event(conn, &e)?;
    if let Some(x) = &target {
        let seq = store::next_seq(conn, &x.id)?;
        let mut e = event(&x.id, seq, at, &user.id, "merged_from");
        e.detail = Some(format!("merged from {}", t.id));
        e.reason = Some(reason);
        store::insert_event(conn, &e)?;
        audit(
            conn,
            user,
            "tip.merge",
            Some(x),
            Some(format!("from {}", t.id)),
            now,
        )?;
    }
    audit(
        conn,
        user,
        "tip.transition",
        Some(&t),
        Some(format!("{from} -> {to}")),
        now,
    )?;
    tracing::info!(tip = %t.id, from = %from, to = %to, by = %user.id, "tip status changed");
    let t = store::by_id(conn, &t.id)?.ok_or(ApiError::NotFound)?;
    summary_of(conn, &t, vn_date(now))
}

/// Assigns a tip to an officer who can see it (or unassigns it).
pub fn assign(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &tip::AssignRequest,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let t = load_for(conn, user, id)?;
    let assignee = match req
        .user_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(uid) => {
            let u = crate::accounts::store::users::by_id(conn, uid)?
                .filter(|u| {
                    u.active
                        && matches!(u.role(), Role::WardOfficer | Role::ProvinceOfficer)
                        && t.unit_path.contains(&format!("/{}/", u.scope_unit))
                })
                .ok_or_else(|| {
                    ApiError::field("user_id", ValidationError::UnknownValue { allowed: &[] })
                })?;
            Some(u.id)
        }
    };
    let reason = req
        .reason
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(|r| tip::parse_reason(Some(r)))
        .transpose()
        .map_err(|e| ApiError::field("reason", e))?;
    let seq = store::next_seq(conn, &t.id)?;
    store::set_assigned(conn, &t.id, assignee.as_deref())?;
    let mut e = event(&t.id, seq, truncate_to_minute(now), &user.id, "assign");
    e.detail = Some(assignee.clone().unwrap_or_else(|| "unassigned".into()));
    e.reason = reason;
    store::insert_event(conn, &e)?;
    audit(conn, user, "tip.assign", Some(&t), assignee, now)
}

pub fn set_priority(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &tip::PriorityRequest,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let t = load_for(conn, user, id)?;
    let (p, reason) = req.parse()?;
    let seq = store::next_seq(conn, &t.id)?;
    store::set_priority(conn, &t.id, p.rank())?;
    let mut e = event(&t.id, seq, truncate_to_minute(now), &user.id, "priority");
    e.detail = Some(format!(
        "{} -> {}",
        TipPriority::from_rank(t.priority).as_str(),
        p.as_str()
    ));
    e.reason = Some(reason);
    store::insert_event(conn, &e)?;
    audit(
        conn,
        user,
        "tip.priority",
        Some(&t),
        Some(p.as_str().into()),
        now,
    )
}

/// Extends the decision deadline (gia hạn): to 2 months, then to 4 months from receipt.
pub fn extend(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    req: &tip::ExtendRequest,
    now: NaiveDateTime,
) -> Result<NaiveDate, ApiError> {
    let t = load_for(conn, user, id)?;
    let status = status_of(&t)?;
    if status.is_closed() {
        return Err(closed());
    }
    let reason = req.parse()?;
    let next = u8::try_from(t.extensions + 1).unwrap_or(u8::MAX);
    let deadline = tip::decision_deadline(t.received_on, next, &cfg.holidays)
        .ok_or_else(|| ApiError::field("extensions", ValidationError::ExtensionLimit))?;
    let seq = store::next_seq(conn, &t.id)?;
    store::set_deadline(conn, &t.id, i32::from(next), deadline)?;
    let mut e = event(&t.id, seq, truncate_to_minute(now), &user.id, "extend");
    e.detail = Some(format!("{} -> {deadline}", t.deadline));
    e.reason = Some(reason);
    store::insert_event(conn, &e)?;
    audit(
        conn,
        user,
        "tip.extend",
        Some(&t),
        Some(deadline.to_string()),
        now,
    )?;
    Ok(deadline)
}

/// An officer's message to the reporter (`officer`) or an internal note (`note`).
pub fn officer_text(
    conn: &mut DbConn,
    cfg: &Config,
    user: &AuthUser,
    id: &str,
    kind: &str,
    body: &tip::OfficerTextRequest,
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    let t = load_for(conn, user, id)?;
    let body = body.parse()?;
    let m = NewMessage {
        kind,
        author: Some(&user.id),
        body: &body,
        photos: &[],
    };
    let mid = add_message(conn, cfg, &t, m, now)?;
    audit(
        conn,
        user,
        &format!("tip.{kind}"),
        Some(&t),
        Some(mid.clone()),
        now,
    )?;
    Ok(mid)
}

/// The scope unit of a tip query: `unit` if given (it must be in the caller's scope), else the
/// caller's own scope unit.
pub fn query_unit(
    conn: &mut DbConn,
    user: &AuthUser,
    unit: Option<&str>,
) -> Result<UnitRow, ApiError> {
    require_tip_role(user)?;
    let code = match unit.map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => bvantq_shared::UnitCode::parse(u).map_err(|e| ApiError::field("unit", e))?,
        None => user.scope.clone(),
    };
    crate::units::scope::require_code(conn, user, &code)
}

/// Open tips per commune: open, due soon and overdue on `today`.
pub fn deadline_counts(
    conn: &mut DbConn,
    unit: &UnitRow,
    today: NaiveDate,
) -> Result<Vec<tip::DeadlineCounts>, ApiError> {
    let rows = store::open_deadlines(conn, &unit.path, OPEN)?;
    let mut by: std::collections::BTreeMap<String, (i64, i64, i64)> = Default::default();
    for (commune, deadline, n) in rows {
        let e = by.entry(commune).or_default();
        e.0 += n;
        match tip::clock_state(TipStatus::Received, deadline, today) {
            ClockState::Overdue => e.2 += n,
            ClockState::DueSoon => e.1 += n,
            _ => {}
        }
    }
    let codes: Vec<&str> = by.keys().map(String::as_str).collect();
    let names: std::collections::HashMap<String, String> = units::find_many(conn, &codes)?
        .into_iter()
        .map(|u| (u.code, u.full_name))
        .collect();
    Ok(by
        .into_iter()
        .map(|(code, (open, due_soon, overdue))| tip::DeadlineCounts {
            commune_name: names.get(&code).cloned().unwrap_or_default(),
            commune_code: code,
            open,
            due_soon,
            overdue,
        })
        .collect())
}

/// Counts of a year's tips (by Vietnam date of receipt) in a unit's subtree, by category,
/// status, month and child unit, every table suppressed so no count from 1 to 4 shows.
pub fn stats(
    conn: &mut DbConn,
    unit: &UnitRow,
    year: i32,
    today: NaiveDate,
) -> Result<TipStats, ApiError> {
    let jan1 = |y| NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| ApiError::internal("year"));
    let (from, to) = (jan1(year)?, jan1(year + 1)?);
    let rows = store::stat_counts(conn, &unit.path, from, to)?;
    let mut cat = vec![0u64; TipCategory::ALL.len()];
    let mut st = vec![0u64; TipStatus::ALL.len()];
    let mut month = [0u64; 12];
    let children = units::list(
        conn,
        &units::UnitQuery {
            parent: Some(unit.code.clone()),
            limit: 10_000,
            ..Default::default()
        },
        today,
    )?;
    let mut child = vec![0u64; children.len()];
    for (path, c, s, day, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        if let Some(i) = TipCategory::ALL.iter().position(|x| x.as_str() == c) {
            cat[i] += n;
        }
        if let Some(i) = TipStatus::ALL.iter().position(|x| x.as_str() == s) {
            st[i] += n;
        }
        month[day.month0() as usize] += n;
        if let Some(i) = children
            .iter()
            .position(|u| path.contains(&format!("/{}/", u.code)))
        {
            child[i] += n;
        }
    }
    let table = |labels: Vec<(String, String, String)>, counts: &[u64]| {
        StatTable::build(
            labels
                .into_iter()
                .zip(counts)
                .map(|((k, vi, en), &n)| (k, vi, en, n))
                .collect(),
        )
    };
    Ok(TipStats {
        unit_code: unit.code.clone(),
        year,
        by_category: table(
            TipCategory::ALL
                .iter()
                .map(|c| (c.as_str().into(), c.label_vi().into(), c.label_en().into()))
                .collect(),
            &cat,
        ),
        by_status: table(
            TipStatus::ALL
                .iter()
                .map(|c| (c.as_str().into(), c.label_vi().into(), c.label_en().into()))
                .collect(),
            &st,
        ),
        by_month: table(
            (1..=12)
                .map(|m| {
                    (
                        format!("{year}-{m:02}"),
                        format!("Tháng {m}/{year}"),
                        format!("{year}-{m:02}"),
                    )
                })
                .collect(),
            &month,
        ),
        by_unit: table(
            children
                .iter()
                .map(|u| (u.code.clone(), u.full_name.clone(), u.full_name.clone()))
                .collect(),
            &child,
        ),
    })
}

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
        Ok::<_, ApiError>(sealer.seal(ctx, &plain))
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
                    let (k2, c2) = reseal(k, &content_context(&t.id), c)?;
                    store::reseal_tip(conn, &t.id, &k2, &c2)?;
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
