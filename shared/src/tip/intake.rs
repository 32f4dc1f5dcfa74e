//! A reporter's side: the intake request and its checks, the receipt, the follow-up thread.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use super::{ReceiptCode, TipPriority};
use crate::api::optional;
use crate::error::{Errors, FieldError, ValidationError};
use crate::text::{parse_line, parse_long_text};
use crate::{PersonName, PhoneNumber, TipCategory, TipStatus, UnitCode};

pub const DESCRIPTION_MIN_CHARS: usize = 10;
pub const DESCRIPTION_MAX_CHARS: usize = 5000;
pub const PLACE_MAX_CHARS: usize = 300;
pub const MESSAGE_MAX_CHARS: usize = 3000;
pub const REASON_MAX_CHARS: usize = 1000;
pub const MAX_PHOTOS: usize = 5;
/// Per photo, after decoding. The form resizes photos on the phone well below this.
pub const PHOTO_MAX_BYTES: usize = 3 * 1024 * 1024;

/// A photo as sent: base64 of the file's bytes. Its real type is read from the bytes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PhotoUpload {
    /// Standard base64 (with or without padding) of a JPEG, PNG or WebP file.
    pub data: String,
}

/// Contact details a reporter chooses to leave.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ContactRequest {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// `POST /api/v1/tips` — a crime tip, public, no account.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipRequest {
    pub category: String,
    pub description: String,
    /// The commune (xã, phường, đặc khu) where it happened: 5-digit code.
    pub commune_code: String,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    /// When it happened, Vietnam time, `YYYY-MM-DDTHH:MM`; not in the future.
    #[serde(default)]
    pub incident_at: Option<String>,
    /// Someone's life is in danger now.
    #[serde(default)]
    pub danger_to_life: bool,
    /// Anonymous unless the reporter explicitly chooses otherwise; contact details sent with an
    /// anonymous tip are dropped, never stored.
    #[serde(default = "yes")]
    pub anonymous: bool,
    #[serde(default)]
    pub contact: Option<ContactRequest>,
    #[serde(default)]
    pub photos: Vec<PhotoUpload>,
    /// With a fraud tip only: the suspect's phone numbers, accounts, links (at most 10).
    #[serde(default)]
    pub indicators: Vec<super::indicator::IndicatorRequest>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq)]
pub struct Contact {
    pub name: Option<PersonName>,
    pub phone: Option<PhoneNumber>,
}

/// A checked tip, before its photos are decoded and cleaned by the server.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTip {
    pub category: TipCategory,
    pub description: String,
    pub commune: UnitCode,
    pub place: Option<String>,
    pub coordinates: Option<(f64, f64)>,
    pub incident_at: Option<NaiveDateTime>,
    pub priority: TipPriority,
    pub contact: Option<Contact>,
    pub indicators: Vec<super::indicator::Indicator>,
}

/// Rough bounds of Vietnam's land and islands, to catch swapped or garbage coordinates.
pub const LAT_RANGE: (f64, f64) = (6.0, 24.0);
pub const LON_RANGE: (f64, f64) = (102.0, 118.0);

/// Checks the number and encoded size of photos (the server checks their bytes).
pub fn check_photos(photos: &[PhotoUpload], field: &str, e: &mut Errors) {
    if photos.len() > MAX_PHOTOS {
        e.push(ValidationError::TooMany { max: MAX_PHOTOS }.on(field));
        return;
    }
    for (i, p) in photos.iter().enumerate() {
        let f = format!("{field}.{i}");
        if p.data.trim().is_empty() {
            e.push(ValidationError::Required.on(f));
        } else if p.data.len() / 4 * 3 > PHOTO_MAX_BYTES + 3 {
            e.push(
                ValidationError::ImageTooLarge {
                    max_kb: PHOTO_MAX_BYTES / 1024,
                }
                .on(f),
            );
        }
    }
}

/// Parses `YYYY-MM-DDTHH:MM` (seconds, if sent, are dropped: minute precision only).
pub fn parse_local_minute(raw: &str) -> Result<NaiveDateTime, ValidationError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(ValidationError::Required);
    }
    iso_minute(s).ok_or(ValidationError::DateFormat)
}

fn iso_minute(s: &str) -> Option<NaiveDateTime> {
    use crate::pledge::number;
    let (date, time) = s.split_once('T')?;
    let mut hms = time.split(':');
    let (h, m) = (number(hms.next()?, 2)?, number(hms.next()?, 2)?);
    // Seconds are accepted (some browsers send them) and dropped.
    if let Some(sec) = hms.next() {
        number(sec, 2).filter(|s| *s < 60)?;
    }
    if hms.next().is_some() || h > 23 || m > 59 {
        return None;
    }
    crate::pledge::iso_date(date)?.and_hms_opt(h, m, 0)
}

pub fn truncate_to_minute(t: NaiveDateTime) -> NaiveDateTime {
    let secs = t.and_utc().timestamp();
    chrono::DateTime::from_timestamp(secs - secs.rem_euclid(60), 0)
        .map(|d| d.naive_utc())
        .unwrap_or(t)
}

impl TipRequest {
    /// Checks a tip; `now_vn` is the current time in Vietnam (incident times are local).
    pub fn parse(&self, now_vn: NaiveDateTime) -> Result<NewTip, Vec<FieldError>> {
        let mut e = Errors::new();
        let category = e.check("category", TipCategory::parse(&self.category));
        let description = e.check(
            "description",
            parse_long_text(
                &self.description,
                DESCRIPTION_MIN_CHARS,
                DESCRIPTION_MAX_CHARS,
            ),
        );
        let commune = e.check(
            "commune_code",
            UnitCode::parse(&self.commune_code).and_then(|c| {
                if c.as_str().len() == 5 {
                    Ok(c)
                } else {
                    Err(ValidationError::UnitCodeFormat)
                }
            }),
        );
        let place = optional(&mut e, "place", self.place.as_deref(), |s| {
            parse_line(s, PLACE_MAX_CHARS)
        });
        let coordinates = match (self.latitude, self.longitude) {
            (None, None) => None,
            (Some(lat), Some(lon)) => {
                let lat_ok = lat.is_finite() && (LAT_RANGE.0..=LAT_RANGE.1).contains(&lat);
                let lon_ok = lon.is_finite() && (LON_RANGE.0..=LON_RANGE.1).contains(&lon);
                if !lat_ok {
                    e.push(
                        ValidationError::OutOfRange {
                            min: LAT_RANGE.0 as i64,
                            max: LAT_RANGE.1 as i64,
                        }
                        .on("latitude"),
                    );
                }
                if !lon_ok {
                    e.push(
                        ValidationError::OutOfRange {
                            min: LON_RANGE.0 as i64,
                            max: LON_RANGE.1 as i64,
                        }
                        .on("longitude"),
                    );
                }
                (lat_ok && lon_ok).then_some((lat, lon))
            }
            (None, Some(_)) => {
                e.push(ValidationError::Required.on("latitude"));
                None
            }
            (Some(_), None) => {
                e.push(ValidationError::Required.on("longitude"));
                None
            }
        };
        let incident_at = optional(&mut e, "incident_at", self.incident_at.as_deref(), |s| {
            let t = parse_local_minute(s)?;
            if t > now_vn {
                Err(ValidationError::DateInFuture)
            } else {
                Ok(t)
            }
        });
        let contact = if self.anonymous {
            None
        } else {
            // Not anonymous but no contact: every field of it is missing (and named as such).
            let c = self.contact.clone().unwrap_or_default();
            let name = optional(&mut e, "contact.name", c.name.as_deref(), PersonName::parse);
            let phone = optional(
                &mut e,
                "contact.phone",
                c.phone.as_deref(),
                PhoneNumber::parse,
            );
            let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
            if blank(&c.phone) && blank(&c.name) {
                // Someone who chose to be contactable must say how.
                e.push(ValidationError::Required.on("contact.phone"));
            }
            Some(Contact { name, phone })
        };
        check_photos(&self.photos, "photos", &mut e);
        let indicators = super::indicator::parse_indicators(category, &self.indicators, &mut e);
        e.into_result()?;
        match (category, description, commune) {
            (Some(category), Some(description), Some(commune)) => Ok(NewTip {
                category,
                description,
                commune,
                place,
                coordinates,
                incident_at,
                priority: if self.danger_to_life {
                    TipPriority::LifeSafety
                } else {
                    TipPriority::Normal
                },
                contact,
                indicators,
            }),
            _ => Err(vec![ValidationError::Required.on("category")]),
        }
    }
}

/// The answer to an accepted tip. The receipt code is shown this once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipReceipt {
    /// `XXXX-XXXX-XXXX-XXXX-XXXX`
    pub receipt_code: String,
    pub status: TipStatus,
    pub status_vi: String,
    pub status_en: String,
    /// Vietnam date.
    pub received_on: NaiveDate,
    pub photos_accepted: usize,
}

/// `POST /api/v1/tips/follow-up` — look a tip up by its receipt code (in the body, never in a
/// URL, so it stays out of logs and browser history).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct FollowUpRequest {
    pub receipt_code: String,
}

/// `POST /api/v1/tips/follow-up/messages` — the reporter adds information or photos.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ReporterMessageRequest {
    pub receipt_code: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub photos: Vec<PhotoUpload>,
}

impl ReporterMessageRequest {
    pub fn parse(&self) -> Result<(ReceiptCode, String), Vec<FieldError>> {
        let mut e = Errors::new();
        let code = e.check("receipt_code", ReceiptCode::parse(&self.receipt_code));
        let body = if self.body.trim().is_empty() && !self.photos.is_empty() {
            Some(String::new())
        } else {
            e.check("body", parse_long_text(&self.body, 1, MESSAGE_MAX_CHARS))
        };
        check_photos(&self.photos, "photos", &mut e);
        e.into_result()?;
        match (code, body) {
            (Some(c), Some(b)) => Ok((c, b)),
            _ => Err(vec![ValidationError::Required.on("receipt_code")]),
        }
    }
}

/// Who wrote a message of a tip's thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageAuthor {
    Reporter,
    Officer,
}

/// One message of the reporter ↔ officer thread (its time to the minute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ThreadMessage {
    pub author: MessageAuthor,
    pub body: String,
    #[serde(with = "crate::time::utc")]
    pub at: NaiveDateTime,
    pub photos: usize,
}

/// What the reporter sees: public status wording and the thread; nothing internal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipFollowUp {
    pub status: TipStatus,
    pub status_vi: String,
    pub status_en: String,
    pub category: TipCategory,
    pub received_on: NaiveDate,
    pub messages: Vec<ThreadMessage>,
}
