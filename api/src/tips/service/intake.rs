//! A tip arrives: its photos checked and stripped, its commune found, its content sealed, its
//! receipt code made and kept only as a hash.

use base64::Engine;
use bvantq_shared::tip::procedure::{self, Facts, Holder, TransferClass};
use bvantq_shared::tip::{
    self, NewTip, PhotoUpload, ReceiptCode, TipReceipt, truncate_to_minute, vn_date,
};
use bvantq_shared::{TipStatus, UnitKind, ValidationError};
use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};

use super::*;
use crate::infra::config::Config;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::infra::images::{self, ImageError, ImageType};
use crate::tips::store::{self as store, TipRow};
use crate::units::store::{self as units, UnitRow};

/// The stored form of a receipt code: SHA-256 under a fixed label. The code carries ~99 bits, so
/// a hash is enough to make a stolen table useless for following tips.
pub fn receipt_hash(code: &ReceiptCode) -> String {
    let mut h = Sha256::new();
    h.update(b"bvantq tip receipt v1\0");
    h.update(code.as_str().as_bytes());
    db::hex(&h.finalize())
}

pub(super) fn new_receipt() -> ReceiptCode {
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
pub(super) fn routing_commune(
    conn: &mut DbConn,
    code: &str,
    today: NaiveDate,
) -> Result<UnitRow, ApiError> {
    let unknown = || ApiError::field("commune_code", ValidationError::UnknownUnit);
    let mut unit = units::find(conn, code)?.ok_or_else(unknown)?;
    for _ in 0..8 {
        if unit.kind != UnitKind::Commune {
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
        indicators: new.indicators.clone(),
    };
    let plain = serde_json::to_vec(&content).map_err(ApiError::internal)?;
    let (key_id, sealed) = cfg
        .tip_sealer
        .seal(&content_context(&id), &plain)
        .map_err(ApiError::internal)?;
    // The commune holds it first and its transfer clock runs from receipt (TT 28/2020 art. 7):
    // a tip the reporter marked dangerous to life takes the 24-hour limit until classified.
    let class = TransferClass::of(&Facts::default(), new.priority);
    let settings = settings_for(conn, province_of(&commune.path))?;
    let clock = procedure::transfer_clock(&settings, at, class)
        .ok_or_else(|| ApiError::internal("transfer clock out of range"))?;
    store::insert(
        conn,
        &TipRow {
            id: id.clone(),
            receipt_hash: Some(receipt_hash(&code)),
            commune_code: commune.code.clone(),
            unit_path: commune.path.clone(),
            category: new.category,
            status: TipStatus::Received,
            priority: new.priority.rank(),
            anonymous: new.contact.is_none(),
            received_at: at,
            received_on,
            deadline: clock.last_day,
            extensions: 0,
            assigned_to: None,
            merged_into: None,
            closed_at: None,
            key_id: Some(key_id),
            content: Some(sealed),
            photos: i32::try_from(photos.len()).unwrap_or(0),
            seq: 1,
            purged_at: None,
            holder: Holder::Commune,
            period: Some(clock.period),
            due_at: Some(clock.due_at),
            rule: Some(clock.rule.id.to_string()),
            period_start: None,
            transfer_class: Some(class),
            crime_class: None,
            referred_to: None,
        },
    )?;
    let mut created = event(&id, 1, at, "reporter", TipEventKind::Created);
    created.to_status = Some(TipStatus::Received);
    store::insert_event(conn, &created)?;
    store::replace_indicators(
        conn,
        &id,
        &indicators::hashes(&cfg.tip_sealer, &new.indicators),
    )?;
    store_photos(conn, &cfg.tip_sealer, &id, None, photos, at)?;
    // A life in danger: the commune's officers see it at once, and the province if nobody opens it.
    if new.priority == tip::TipPriority::LifeSafety {
        let t = store::by_id(conn, &id)?.ok_or(ApiError::NotFound)?;
        notify(
            conn,
            cfg,
            &t,
            bvantq_shared::tip::notice::NoticeKind::UrgentTip,
            bvantq_shared::tip::notice::NoticeAudience::Commune,
            // To the minute, like the tip's own time: nothing to match against network logs.
            at,
        )?;
    }
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
