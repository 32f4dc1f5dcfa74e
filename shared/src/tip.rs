//! Crime tips (tố giác, tin báo về tội phạm): the receipt code a reporter follows a tip with, the
//! intake request and its checks, the legal clock of BLTTHS 2015 art. 147, the small-count
//! suppression of statistics, and the wire types of the reporter and officer sides.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, TimeDelta, Weekday};
use serde::{Deserialize, Serialize};
#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::optional;
use crate::error::{Errors, FieldError, ValidationError};
use crate::pledge::{CODE_ALPHABET, parse_code};
use crate::text::{parse_line, parse_long_text};
use crate::{PersonName, PhoneNumber, TipCategory, TipStatus, UnitCode};

// ---------------------------------------------------------------------------------------------
// Receipt code
// ---------------------------------------------------------------------------------------------

/// Characters of a receipt code: 20 from [`CODE_ALPHABET`] (31 symbols, no 0/O/1/I/L), about
/// 99 bits, read aloud in five groups of four.
pub const RECEIPT_CODE_LEN: usize = 20;

/// A tip's receipt code (mã tiếp nhận). Shown once to the reporter; the server keeps only its
/// hash. Typed in any case, with or without spaces and dashes.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

impl std::fmt::Debug for ReceiptCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A receipt code is a bearer secret: never printed whole.
        write!(f, "ReceiptCode(****-{})", &self.0[RECEIPT_CODE_LEN - 4..])
    }
}

impl ReceiptCode {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        parse_code(raw, RECEIPT_CODE_LEN, ValidationError::ReceiptCodeFormat).map(Self)
    }

    /// A uniformly random code from a source of random bytes (rejection sampling, no modulo
    /// bias).
    pub fn generate(mut next_byte: impl FnMut() -> u8) -> Self {
        let n = CODE_ALPHABET.len();
        let limit = (256 / n * n) as u8;
        let mut s = String::with_capacity(RECEIPT_CODE_LEN);
        while s.len() < RECEIPT_CODE_LEN {
            let b = next_byte();
            if b < limit {
                s.push(CODE_ALPHABET[b as usize % n] as char);
            }
        }
        Self(s)
    }

    /// The bare 20 characters (what is hashed).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `XXXX-XXXX-XXXX-XXXX-XXXX`, for reading aloud and copying.
    pub fn grouped(&self) -> String {
        let b = self.0.as_bytes();
        b.chunks(4)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("-")
    }
}

// ---------------------------------------------------------------------------------------------
// Priority
// ---------------------------------------------------------------------------------------------

crate::enums::labelled_enum! {
    /// Triage priority (mức độ ưu tiên); the queue lists `life_safety` first.
    TipPriority {
        /// nguy hiểm đến tính mạng
        LifeSafety = "life_safety", "Nguy hiểm đến tính mạng", "Danger to life";
        High = "high", "Khẩn", "High";
        Normal = "normal", "Bình thường", "Normal";
    }
}

impl TipPriority {
    /// Sort rank: 0 is handled first.
    pub fn rank(self) -> i32 {
        match self {
            TipPriority::LifeSafety => 0,
            TipPriority::High => 1,
            TipPriority::Normal => 2,
        }
    }

    pub fn from_rank(rank: i32) -> Self {
        match rank {
            0 => TipPriority::LifeSafety,
            1 => TipPriority::High,
            _ => TipPriority::Normal,
        }
    }
}

/// The reporter-facing wording of a status: plain words, nothing internal.
pub fn public_status(status: TipStatus) -> (&'static str, &'static str) {
    match status {
        TipStatus::Received => (
            "Đã tiếp nhận, đang chờ xử lý.",
            "Received, waiting to be handled.",
        ),
        TipStatus::Verifying => (
            "Đang được kiểm tra, xác minh.",
            "Being checked and verified.",
        ),
        TipStatus::Transferred => (
            "Đã chuyển đến cơ quan có thẩm quyền giải quyết.",
            "Passed to the competent authority.",
        ),
        TipStatus::Resolved => ("Đã được giải quyết.", "Resolved."),
        TipStatus::Rejected => (
            "Đã xem xét; chưa đủ căn cứ để xử lý.",
            "Examined; there were not enough grounds to act.",
        ),
        TipStatus::Merged => (
            "Đang được xử lý cùng một tin báo khác có cùng nội dung.",
            "Handled together with another report of the same matter.",
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The legal clock
// ---------------------------------------------------------------------------------------------

/// Days to decide on a tip (BLTTHS 2015 art. 147 cl. 1).
pub const DECISION_DAYS: u64 = 20;
/// Extensions allowed: the first to 2 months from receipt (cl. 2, complex cases), the second once
/// more by up to 2 months, 4 months in all.
pub const MAX_EXTENSIONS: u8 = 2;
/// A deadline this close (in days) or closer counts as due soon.
pub const DUE_SOON_DAYS: i64 = 3;
/// Vietnam's offset from UTC; deadlines are dates in Vietnam.
pub const VN_OFFSET_HOURS: i64 = 7;

/// The date in Vietnam at a UTC instant.
pub fn vn_date(utc: NaiveDateTime) -> NaiveDate {
    (utc + TimeDelta::hours(VN_OFFSET_HOURS)).date()
}

/// Saturdays, Sundays and the solar-calendar public holidays (1/1, 30/4, 1/5, 2/9). The lunar
/// holidays (Tết, Giỗ Tổ Hùng Vương) are not computed: pass them in `extra_holidays`.
pub fn is_day_off(d: NaiveDate, extra_holidays: &[NaiveDate]) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
        || matches!((d.month(), d.day()), (1, 1) | (4, 30) | (5, 1) | (9, 2))
        || extra_holidays.contains(&d)
}

/// The last day to decide on a tip received on `received_on` (a date in Vietnam) after
/// `extensions` extensions, or `None` beyond [`MAX_EXTENSIONS`].
///
/// Counting follows BLTTHS 2015 art. 133 (cách tính thời hạn): a period in days starts the day
/// after receipt and ends at 24:00 of its last day; a period in months ends on the same day
/// number of the month it reaches, or that month's last day when it has no such day
/// (31 Dec + 2 months → 28/29 Feb); a period ending on a day off ends on the next working day.
/// Both extensions count from receipt: 2 months, then 4 months in all.
pub fn decision_deadline(
    received_on: NaiveDate,
    extensions: u8,
    extra_holidays: &[NaiveDate],
) -> Option<NaiveDate> {
    let raw = match extensions {
        0 => received_on.checked_add_days(chrono::Days::new(DECISION_DAYS))?,
        1 => received_on.checked_add_months(Months::new(2))?,
        2 => received_on.checked_add_months(Months::new(4))?,
        _ => return None,
    };
    let mut d = raw;
    while is_day_off(d, extra_holidays) {
        d = d.succ_opt()?;
    }
    Some(d)
}

/// Where an open tip stands against its deadline on `today` (Vietnam date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    OnTime,
    DueSoon,
    Overdue,
    /// Decided (transferred, resolved, rejected or merged): the clock has stopped.
    Stopped,
}

pub fn clock_state(status: TipStatus, deadline: NaiveDate, today: NaiveDate) -> ClockState {
    if status.is_closed() {
        ClockState::Stopped
    } else if today > deadline {
        ClockState::Overdue
    } else if (deadline - today).num_days() <= DUE_SOON_DAYS {
        ClockState::DueSoon
    } else {
        ClockState::OnTime
    }
}

// ---------------------------------------------------------------------------------------------
// Statistics with small counts suppressed
// ---------------------------------------------------------------------------------------------

/// Counts from 1 to this are never shown.
pub const SMALL_COUNT_MAX: u64 = 4;
pub const SUPPRESSED: &str = "< 5";

/// One cell of a statistics table: `count` is `None` when suppressed; `display` is what to show
/// ("0", "12" or "< 5").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatCell {
    pub count: Option<u64>,
    pub display: String,
}

impl StatCell {
    fn exact(n: u64) -> Self {
        Self {
            count: Some(n),
            display: n.to_string(),
        }
    }

    fn hidden() -> Self {
        Self {
            count: None,
            display: SUPPRESSED.into(),
        }
    }
}

/// Suppresses a one-dimensional table and its total so no count from 1 to 4 is shown and no
/// hidden count can be recovered by subtracting the shown ones from the total: counts 1–4 are
/// hidden; when exactly one is hidden and the total is shown, the smallest other non-zero count
/// is hidden too (complementary suppression), and when there is none the total is hidden.
pub fn suppress(counts: &[u64]) -> (Vec<StatCell>, StatCell) {
    let total: u64 = counts.iter().sum();
    let small = |n: u64| (1..=SMALL_COUNT_MAX).contains(&n);
    let mut hidden: Vec<bool> = counts.iter().map(|&n| small(n)).collect();
    let mut total_hidden = small(total);
    if !total_hidden && hidden.iter().filter(|h| **h).count() == 1 {
        let other = counts
            .iter()
            .enumerate()
            .filter(|(i, n)| !hidden[*i] && **n > 0)
            .min_by_key(|(_, n)| **n)
            .map(|(i, _)| i);
        match other {
            Some(i) => hidden[i] = true,
            None => total_hidden = true,
        }
    }
    let cells = counts
        .iter()
        .zip(&hidden)
        .map(|(&n, &h)| {
            if h {
                StatCell::hidden()
            } else {
                StatCell::exact(n)
            }
        })
        .collect();
    let total = if total_hidden {
        StatCell::hidden()
    } else {
        StatCell::exact(total)
    };
    (cells, total)
}

// ---------------------------------------------------------------------------------------------
// Intake and follow-up requests
// ---------------------------------------------------------------------------------------------

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

/// One message of the reporter ↔ officer thread (times to the minute, Vietnam time).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ThreadMessage {
    pub author: MessageAuthor,
    pub body: String,
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

// ---------------------------------------------------------------------------------------------
// Officer side
// ---------------------------------------------------------------------------------------------

/// A reason every state change carries (lý do).
pub fn parse_reason(raw: Option<&str>) -> Result<String, ValidationError> {
    parse_long_text(raw.unwrap_or(""), 1, REASON_MAX_CHARS)
}

/// `POST /api/v1/tips/{id}/transition`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TransitionRequest {
    pub to: String,
    #[serde(default)]
    pub reason: Option<String>,
    /// With `to = merged`: the id of the tip this one duplicates.
    #[serde(default)]
    pub merge_into: Option<String>,
}

impl TransitionRequest {
    pub fn parse(&self, from: TipStatus) -> Result<(TipStatus, String), Vec<FieldError>> {
        let mut e = Errors::new();
        let to = e.check(
            "to",
            TipStatus::parse(&self.to).and_then(|to| {
                if from.can_become(to) {
                    Ok(to)
                } else {
                    Err(ValidationError::TransitionNotAllowed {
                        from: from.as_str(),
                        to: to.as_str(),
                    })
                }
            }),
        );
        let reason = e.check("reason", parse_reason(self.reason.as_deref()));
        if to == Some(TipStatus::Merged)
            && self
                .merge_into
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
        {
            e.push(ValidationError::Required.on("merge_into"));
        }
        e.into_result()?;
        match (to, reason) {
            (Some(t), Some(r)) => Ok((t, r)),
            _ => Err(vec![ValidationError::Required.on("to")]),
        }
    }
}

/// `POST /api/v1/tips/{id}/assign`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AssignRequest {
    /// The officer's user id, or `null` to unassign.
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// `POST /api/v1/tips/{id}/priority`
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PriorityRequest {
    pub priority: String,
    #[serde(default)]
    pub reason: Option<String>,
}

impl PriorityRequest {
    /// The new priority and its reason (both required).
    pub fn parse(&self) -> Result<(TipPriority, String), Vec<FieldError>> {
        let mut e = Errors::new();
        let p = e.check("priority", TipPriority::parse(&self.priority));
        let reason = e.check("reason", parse_reason(self.reason.as_deref()));
        e.into_result()?;
        match (p, reason) {
            (Some(p), Some(r)) => Ok((p, r)),
            _ => Err(vec![ValidationError::Required.on("priority")]),
        }
    }
}

/// `POST /api/v1/tips/{id}/extend` (gia hạn)
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ExtendRequest {
    #[serde(default)]
    pub reason: Option<String>,
}

impl ExtendRequest {
    /// The reason of the extension (required).
    pub fn parse(&self) -> Result<String, Vec<FieldError>> {
        parse_reason(self.reason.as_deref()).map_err(|e| vec![e.on("reason")])
    }
}

/// `POST /api/v1/tips/{id}/messages` (to the reporter) and `/notes` (internal).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OfficerTextRequest {
    pub body: String,
}

impl OfficerTextRequest {
    /// The message or note, normalised (1 to `MESSAGE_MAX_CHARS` characters).
    pub fn parse(&self) -> Result<String, Vec<FieldError>> {
        parse_long_text(&self.body, 1, MESSAGE_MAX_CHARS).map_err(|e| vec![e.on("body")])
    }
}

/// A tip in an officer's queue: no content, so listing is not a content read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipSummary {
    pub id: String,
    pub category: TipCategory,
    pub status: TipStatus,
    pub priority: TipPriority,
    pub commune_code: String,
    pub commune_name: String,
    /// UTC, to the minute.
    pub received_at: NaiveDateTime,
    pub deadline: NaiveDate,
    pub extensions: u8,
    pub clock: ClockState,
    pub assigned_to: Option<String>,
    pub anonymous: bool,
    pub photos: i64,
    pub merged_into: Option<String>,
    pub purged: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipPage {
    pub items: Vec<TipSummary>,
    pub next_cursor: Option<String>,
}

/// One entry of a tip's history (every transition, assignment, extension, merge, message).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipEvent {
    pub seq: i32,
    pub at: NaiveDateTime,
    /// A user id, or `reporter`.
    pub actor: String,
    pub kind: String,
    pub from_status: Option<TipStatus>,
    pub to_status: Option<TipStatus>,
    pub detail: Option<String>,
    pub reason: Option<String>,
}

/// A message or internal note as officers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OfficerMessage {
    pub id: String,
    /// `reporter`, `officer` or `note` (internal, never shown to the reporter).
    pub kind: String,
    pub author_id: Option<String>,
    pub body: String,
    pub at: NaiveDateTime,
    pub photo_ids: Vec<String>,
}

/// A tip's full content (reading it is audited).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipDetail {
    #[serde(flatten)]
    pub summary: TipSummary,
    pub description: Option<String>,
    pub place: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub incident_at: Option<NaiveDateTime>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub photo_ids: Vec<String>,
    pub messages: Vec<OfficerMessage>,
    pub history: Vec<TipEvent>,
    /// Tips merged into this one.
    pub merged_from: Vec<String>,
}

/// One audit entry (who did or read what, when; never content).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEntry {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_id: String,
    pub actor_role: String,
    pub action: String,
    pub tip_id: Option<String>,
    pub detail: Option<String>,
}

/// `GET /api/v1/audit`: newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    pub next_cursor: Option<String>,
}

/// Per commune: open tips and where they stand against the legal clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeadlineCounts {
    pub commune_code: String,
    pub commune_name: String,
    pub open: i64,
    pub due_soon: i64,
    pub overdue: i64,
}

/// One row of a statistics table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatRow {
    pub key: String,
    pub label_vi: String,
    pub label_en: String,
    #[serde(flatten)]
    pub cell: StatCell,
}

/// A breakdown and its total, suppressed as one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StatTable {
    pub rows: Vec<StatRow>,
    pub total: StatCell,
}

/// `GET /api/v1/tips/stats`: counts by category, status, month and child unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct TipStats {
    pub unit_code: String,
    pub year: i32,
    pub by_category: StatTable,
    pub by_status: StatTable,
    pub by_month: StatTable,
    pub by_unit: StatTable,
}

impl StatTable {
    /// Builds a suppressed table from `(key, vi, en, count)` rows.
    pub fn build(rows: Vec<(String, String, String, u64)>) -> Self {
        let counts: Vec<u64> = rows.iter().map(|r| r.3).collect();
        let (cells, total) = suppress(&counts);
        Self {
            rows: rows
                .into_iter()
                .zip(cells)
                .map(|((key, label_vi, label_en, _), cell)| StatRow {
                    key,
                    label_vi,
                    label_en,
                    cell,
                })
                .collect(),
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    /// The officer requests the console checks in the browser name the same fields the server
    /// names.
    #[test]
    fn officer_requests_name_their_fields() {
        let fields = |e: Vec<FieldError>| e.into_iter().map(|f| f.field).collect::<Vec<_>>();
        let p = |priority: &str, reason: Option<&str>| PriorityRequest {
            priority: priority.into(),
            reason: reason.map(String::from),
        };
        assert_eq!(
            p("high", Some("  Có vũ khí  ")).parse().ok(),
            Some((TipPriority::High, "Có vũ khí".to_string()))
        );
        assert_eq!(
            p("urgent", None).parse().map_err(fields),
            Err(vec!["priority".to_string(), "reason".to_string()])
        );
        let extend = ExtendRequest {
            reason: Some(" ".into()),
        };
        assert_eq!(
            extend.parse().map_err(fields),
            Err(vec!["reason".to_string()])
        );
        let text = |body: String| OfficerTextRequest { body }.parse().map_err(fields);
        assert_eq!(
            text("Cảm ơn bạn.".into()).ok().as_deref(),
            Some("Cảm ơn bạn.")
        );
        assert_eq!(text(String::new()), Err(vec!["body".to_string()]));
        assert_eq!(
            text("a".repeat(MESSAGE_MAX_CHARS + 1)),
            Err(vec!["body".to_string()])
        );
        assert!(text("a".repeat(MESSAGE_MAX_CHARS)).is_ok());
    }

    #[test]
    fn local_minute_parses_what_inputs_send_and_nothing_else() {
        let ok = |s: &str| parse_local_minute(s).ok();
        let at = |h, m| d(2026, 2, 28).and_hms_opt(h, m, 0);
        assert_eq!(ok("2026-02-28T07:05"), at(7, 5));
        assert_eq!(ok(" 2026-02-28T23:59:58 "), at(23, 59));
        assert_eq!(ok("2026-2-28T7:05"), at(7, 5));
        for bad in [
            "2026-02-29T10:00",
            "2026-02-28",
            "2026-02-28T24:00",
            "2026-02-28T10:60",
            "2026-02-28T10:00:60",
            "2026-02-28 10:00",
            "26-02-28T10:00",
            "2026-02-28T10:00:00:00",
            "2026-02-28T+1:00",
            "2026-02-28T10",
            "２026-02-28T10:00",
        ] {
            assert_eq!(
                parse_local_minute(bad),
                Err(ValidationError::DateFormat),
                "{bad}"
            );
        }
        assert_eq!(parse_local_minute("  "), Err(ValidationError::Required));
        assert_eq!(crate::pledge::parse_date("2024-02-29"), Ok(d(2024, 2, 29)));
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-1-32",
            "24-01-01",
            "2024/01/01",
            "2024-01-01-",
        ] {
            assert_eq!(
                crate::pledge::parse_date(bad),
                Err(ValidationError::DateFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn receipt_code_has_80_bits_and_reads_in_groups() {
        let bits = RECEIPT_CODE_LEN as f64 * (CODE_ALPHABET.len() as f64).log2();
        assert!(bits >= 80.0, "{bits}");
        let mut i = 0u8;
        let c = ReceiptCode::generate(|| {
            i = i.wrapping_add(37);
            i
        });
        let g = c.grouped();
        assert_eq!(g.len(), 24);
        assert_eq!(g.matches('-').count(), 4);
        assert_eq!(ReceiptCode::parse(&g.to_lowercase()), Ok(c.clone()));
        assert_eq!(ReceiptCode::parse(&g.replace('-', " ")), Ok(c.clone()));
        assert!(!format!("{c:?}").contains(&c.as_str()[..8]));
        assert_eq!(
            ReceiptCode::parse("ABCD-EFGH-JKMN-PQRS-TUV0"),
            Err(ValidationError::ReceiptCodeFormat)
        );
        assert_eq!(
            ReceiptCode::parse("ABCD-EFGH"),
            Err(ValidationError::ReceiptCodeFormat)
        );
        assert_eq!(ReceiptCode::parse(" "), Err(ValidationError::Required));
    }

    #[test]
    fn receipt_generation_rejects_biased_bytes() {
        // 248..=255 would favour the first 8 symbols; they are skipped.
        let mut bytes = [
            255u8, 250, 248, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19,
        ]
        .into_iter();
        let c = ReceiptCode::generate(|| bytes.next().unwrap_or(0));
        assert_eq!(c.as_str(), "23456789ABCDEFGHJKMN");
    }

    #[test]
    fn deadline_is_20_days_after_receipt_then_2_and_4_months() {
        // Mon 2 Mar 2026 → Sun 22 Mar → next working day Mon 23 Mar.
        assert_eq!(
            decision_deadline(d(2026, 3, 2), 0, &[]),
            Some(d(2026, 3, 23))
        );
        // Wed 4 Mar 2026 → Tue 24 Mar.
        assert_eq!(
            decision_deadline(d(2026, 3, 4), 0, &[]),
            Some(d(2026, 3, 24))
        );
        assert_eq!(
            decision_deadline(d(2026, 3, 4), 1, &[]),
            Some(d(2026, 5, 4))
        );
        assert_eq!(
            decision_deadline(d(2026, 3, 4), 2, &[]),
            Some(d(2026, 7, 6))
        );
        assert_eq!(decision_deadline(d(2026, 3, 4), 3, &[]), None);
    }

    #[test]
    fn deadline_across_month_ends_and_leap_years() {
        // 20 days across February: 15 Feb 2027 (non-leap) → 7 Mar 2027 (Sunday) → 8 Mar.
        assert_eq!(
            decision_deadline(d(2027, 2, 15), 0, &[]),
            Some(d(2027, 3, 8))
        );
        // Leap year: 15 Feb 2028 → 6 Mar 2028 (Monday).
        assert_eq!(
            decision_deadline(d(2028, 2, 15), 0, &[]),
            Some(d(2028, 3, 6))
        );
        // 31 Dec 2026 + 2 months: February has no 31st → its last day, 28 Feb 2027 (Sunday)
        // → Monday 1 Mar.
        assert_eq!(
            decision_deadline(d(2026, 12, 31), 1, &[]),
            Some(d(2027, 3, 1))
        );
        // 31 Dec 2027 + 2 months → 29 Feb 2028 (leap, Tuesday).
        assert_eq!(
            decision_deadline(d(2027, 12, 31), 1, &[]),
            Some(d(2028, 2, 29))
        );
        // 31 Oct 2027 + 4 months → 29 Feb 2028.
        assert_eq!(
            decision_deadline(d(2027, 10, 31), 2, &[]),
            Some(d(2028, 2, 29))
        );
        // 30 Apr 2026 + 20 days = 20 May (Wednesday).
        assert_eq!(
            decision_deadline(d(2026, 4, 30), 0, &[]),
            Some(d(2026, 5, 20))
        );
        // 31 Jan 2026 + 4 months → 31 May 2026 (Sunday) → 1 Jun.
        assert_eq!(
            decision_deadline(d(2026, 1, 31), 2, &[]),
            Some(d(2026, 6, 1))
        );
    }

    #[test]
    fn deadline_skips_public_holidays() {
        // 12 Aug 2026 + 20 days = 1 Sep (Tue); 2 Sep is a holiday but not the last day.
        assert_eq!(
            decision_deadline(d(2026, 8, 12), 0, &[]),
            Some(d(2026, 9, 1))
        );
        // 13 Aug 2026 + 20 = 2 Sep (holiday) → 3 Sep.
        assert_eq!(
            decision_deadline(d(2026, 8, 13), 0, &[]),
            Some(d(2026, 9, 3))
        );
        // A lunar holiday given by the caller.
        let tet = [d(2027, 2, 8)];
        assert_eq!(
            decision_deadline(d(2027, 1, 19), 0, &tet),
            Some(d(2027, 2, 9))
        );
    }

    #[test]
    fn clock_states() {
        let dl = d(2026, 3, 23);
        assert_eq!(
            clock_state(TipStatus::Received, dl, d(2026, 3, 10)),
            ClockState::OnTime
        );
        assert_eq!(
            clock_state(TipStatus::Verifying, dl, d(2026, 3, 20)),
            ClockState::DueSoon
        );
        assert_eq!(
            clock_state(TipStatus::Verifying, dl, d(2026, 3, 23)),
            ClockState::DueSoon
        );
        assert_eq!(
            clock_state(TipStatus::Verifying, dl, d(2026, 3, 24)),
            ClockState::Overdue
        );
        assert_eq!(
            clock_state(TipStatus::Resolved, dl, d(2026, 4, 24)),
            ClockState::Stopped
        );
        // 17:00 UTC is midnight in Vietnam.
        let t = NaiveDate::from_ymd_opt(2026, 3, 23)
            .and_then(|x| x.and_hms_opt(17, 0, 0))
            .unwrap_or_default();
        assert_eq!(vn_date(t), d(2026, 3, 24));
    }

    #[test]
    fn suppression_table() {
        let shown = |v: &[u64]| {
            let (c, t) = suppress(v);
            (
                c.into_iter().map(|c| c.display).collect::<Vec<_>>(),
                t.display,
            )
        };
        assert_eq!(
            shown(&[7, 0, 12]),
            (vec!["7".into(), "0".into(), "12".into()], "19".into())
        );
        // One small cell: the smallest other non-zero cell is hidden too.
        assert_eq!(
            shown(&[3, 7, 12]),
            (vec!["< 5".into(), "< 5".into(), "12".into()], "22".into())
        );
        // One small cell and nothing else to hide: the total goes.
        assert_eq!(
            shown(&[4, 0]),
            (vec!["< 5".into(), "0".into()], "< 5".into())
        );
        assert_eq!(shown(&[3, 0, 0]).1, "< 5");
        assert_eq!(shown(&[2, 2, 9]).0, vec!["< 5", "< 5", "9"]);
        assert_eq!(shown(&[]), (vec![], "0".into()));
    }

    proptest! {
        #[test]
        fn suppression_never_shows_or_leaks_a_small_count(v in proptest::collection::vec(0u64..12, 0..10)) {
            let (cells, total) = suppress(&v);
            for c in cells.iter().chain(std::iter::once(&total)) {
                if let Some(n) = c.count {
                    prop_assert!(!(1..=4).contains(&n));
                    prop_assert_eq!(c.display.clone(), n.to_string());
                } else {
                    prop_assert_eq!(c.display.as_str(), SUPPRESSED);
                }
            }
            // With the total shown, a lone hidden cell would be total − shown: never.
            if total.count.is_some() {
                prop_assert_ne!(cells.iter().filter(|c| c.count.is_none()).count(), 1);
            }
        }

        #[test]
        fn receipt_parse_never_panics(s in ".{0,40}") {
            let _ = ReceiptCode::parse(&s);
        }

        #[test]
        fn deadline_is_monotone_and_working(days in 0i64..3000, ext in 0u8..3) {
            let r = d(2025, 1, 1) + TimeDelta::days(days);
            let a = decision_deadline(r, ext, &[]);
            prop_assert!(a.is_some());
            let a = a.unwrap_or_default();
            prop_assert!(!is_day_off(a, &[]));
            prop_assert!(a > r + TimeDelta::days(19));
            if ext > 0 {
                prop_assert!(decision_deadline(r, ext - 1, &[]).is_some_and(|p| p <= a));
            }
        }
    }

    fn sample() -> TipRequest {
        TipRequest {
            category: "drugs".into(),
            description: "Có người bán ma túy ở đầu hẻm\nmỗi tối sau 22 giờ.".into(),
            commune_code: "22759".into(),
            anonymous: true,
            ..Default::default()
        }
    }

    fn now() -> NaiveDateTime {
        d(2026, 3, 2).and_hms_opt(15, 0, 0).unwrap_or_default()
    }

    #[test]
    fn tip_request_checks() {
        let t = sample().parse(now()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(t.description.contains('\n'));
        assert_eq!(t.priority, TipPriority::Normal);
        assert!(t.contact.is_none());

        // Anonymous: contact details are dropped, whatever was sent.
        let mut r = sample();
        r.contact = Some(ContactRequest {
            name: Some("Nguyễn Văn A".into()),
            phone: Some("0912345678".into()),
        });
        assert!(r.parse(now()).is_ok_and(|t| t.contact.is_none()));
        // Not anonymous: a way to reach the reporter is required.
        r.anonymous = false;
        r.contact = None;
        let e = r.parse(now()).err().unwrap_or_default();
        assert_eq!(e[0].field, "contact.phone");

        let mut r = sample();
        r.incident_at = Some("2026-03-02T15:01".into());
        let e = r.parse(now()).err().unwrap_or_default();
        assert_eq!(e[0], ValidationError::DateInFuture.on("incident_at"));
        r.incident_at = Some("2026-03-02T14:59:31".into());
        assert_eq!(
            r.parse(now()).map(|t| t.incident_at),
            Ok(Some(
                d(2026, 3, 2).and_hms_opt(14, 59, 0).unwrap_or_default()
            ))
        );

        let mut r = sample();
        r.latitude = Some(48.85);
        r.longitude = Some(2.35);
        let e = r.parse(now()).err().unwrap_or_default();
        assert_eq!(e.len(), 2);
        r.latitude = Some(11.56);
        r.longitude = Some(108.98);
        assert!(r.parse(now()).is_ok());

        let mut r = sample();
        r.photos = vec![
            PhotoUpload {
                data: "AAAA".into()
            };
            6
        ];
        assert_eq!(
            r.parse(now()).err().unwrap_or_default()[0],
            ValidationError::TooMany { max: 5 }.on("photos")
        );

        let mut r = sample();
        r.description = "ngắn".into();
        r.category = "spying".into();
        r.commune_code = "56".into();
        let fields: Vec<String> = r
            .parse(now())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["category", "description", "commune_code"]);
    }

    #[test]
    fn transitions_need_a_legal_target_and_a_reason() {
        let r = TransitionRequest {
            to: "resolved".into(),
            reason: Some("Đã xử lý".into()),
            merge_into: None,
        };
        assert_eq!(
            r.parse(TipStatus::Received).err().unwrap_or_default()[0]
                .error
                .code(),
            "transition_not_allowed"
        );
        assert!(r.parse(TipStatus::Verifying).is_ok());
        let r = TransitionRequest {
            to: "verifying".into(),
            reason: None,
            merge_into: None,
        };
        assert_eq!(
            r.parse(TipStatus::Received).err().unwrap_or_default()[0].field,
            "reason"
        );
        let r = TransitionRequest {
            to: "merged".into(),
            reason: Some("Trùng".into()),
            merge_into: None,
        };
        assert_eq!(
            r.parse(TipStatus::Received).err().unwrap_or_default()[0].field,
            "merge_into"
        );
    }
}
