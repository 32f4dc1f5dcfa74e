//! Tips (tố giác, tin báo về tội phạm): intake, the reporter's follow-up by receipt code, the
//! ward's triage and its legal clock, statistics, retention. Handlers in `tips::routes` call
//! these inside the database's blocking pool.
//!
//! Protection, in one place: content is sealed before it reaches the database; reporter-side
//! times are kept to the minute; no address or user agent is ever passed in here; the receipt
//! code is kept only as a hash; every officer read of content writes an audit entry before the
//! content is returned.

use bvantq_shared::tip::{
    self, AuditAction, TipEventKind, TipMessageKind, TipPriority, TipSummary, truncate_to_minute,
};
use bvantq_shared::{Role, TipStatus};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::auth::AuthUser;
use crate::infra::config::Config;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::infra::images::ImageType;
use crate::infra::sealing::Sealer;
use crate::tips::store::{self as store, AuditRow, EventRow, MessageRow, PhotoRow, TipRow};
use crate::units::store::{self as units};

mod audit;
mod desk;
mod indicators;
mod intake;
mod notices;
mod procedure;
mod queue;
mod reporter;
mod retention;
mod stats;

pub use audit::*;
pub use desk::*;
pub use indicators::clusters as indicator_clusters;
pub use intake::*;
pub use notices::*;
pub use procedure::*;
pub use queue::*;
pub use reporter::*;
pub use retention::*;
pub use stats::*;

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
    /// Fraud tips: the suspect's phone numbers, accounts, links (absent in content sealed before
    /// indicators existed).
    #[serde(default)]
    indicators: Vec<tip::indicator::Indicator>,
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

fn event(tip_id: &str, seq: i32, at: NaiveDateTime, actor: &str, kind: TipEventKind) -> EventRow {
    EventRow {
        tip_id: tip_id.to_string(),
        seq,
        at,
        actor: actor.to_string(),
        kind,
        from_status: None,
        to_status: None,
        detail: None,
        reason: None,
        step: None,
        act_number: None,
        act_date: None,
        act_signer: None,
        due_at: None,
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
        let (key_id, data) = sealer
            .seal(&photo_context(tip_id, &id), bytes)
            .map_err(ApiError::internal)?;
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

/// Officers who work with tips: the commune police (and the assigned commune head), the
/// investigating body, the province, administrators.
pub fn require_tip_role(user: &AuthUser) -> Result<(), ApiError> {
    crate::auth::require_role(
        user,
        &[
            Role::WardOfficer,
            Role::CommuneHead,
            Role::Investigator,
            Role::ProvinceOfficer,
        ],
    )
}

/// Whether the tip's commune lies in the caller's scope, and (for the investigating body) the
/// tip was handed to it.
pub fn tip_in_scope(user: &AuthUser, t: &TipRow) -> bool {
    crate::units::scope::covers(user, &t.unit_path) && holder_visible(user.role, t.holder)
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
    action: AuditAction,
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
            actor_role: user.role,
            action,
            tip_id: t.map(|t| t.id.clone()),
            unit_path: t.map(|t| t.unit_path.clone()),
            detail,
        },
    )?;
    Ok(())
}

/// A tip as a queue lists it: its stage, the clock of its period against `now` with the rule it
/// follows and the warnings reached (the province's numbers from `settings`).
pub fn summary(
    t: &TipRow,
    commune_name: &str,
    now: NaiveDateTime,
    settings: &tip::procedure::ProcedureSettings,
) -> Result<TipSummary, ApiError> {
    let status = t.status;
    let rule = rule_of(t);
    let clock = match (t.period, t.due_at, rule) {
        (Some(period), Some(due_at), Some(rule)) if TipStatus::OPEN.contains(&status) => {
            Some(tip::procedure::Clock {
                period,
                due_at,
                last_day: t.deadline,
                rule,
            })
        }
        _ => None,
    };
    Ok(TipSummary {
        id: t.id.clone(),
        category: t.category,
        status,
        priority: TipPriority::from_rank(t.priority),
        commune_code: t.commune_code.clone(),
        commune_name: commune_name.to_string(),
        received_at: t.received_at,
        holder: t.holder,
        period: clock.map(|c| c.period),
        deadline: t.deadline,
        due_at: clock.map(|c| c.due_at),
        rule: clock.map(|c| c.rule.into()),
        extensions: u8::try_from(t.extensions).unwrap_or(u8::MAX),
        clock: tip::clock_state(status, clock.map(|c| c.due_at), t.deadline, now),
        warnings: clock.map_or_else(Vec::new, |c| tip::procedure::warnings(settings, &c, now)),
        transfer_class: t.transfer_class,
        crime_class: t.crime_class,
        assigned_to: t.assigned_to.clone(),
        anonymous: t.anonymous,
        photos: i64::from(t.photos),
        merged_into: t.merged_into.clone(),
        purged: t.purged_at.is_some(),
    })
}

/// The summary of one tip, with its commune's name.
fn summary_of(
    conn: &mut DbConn,
    cache: &mut SettingsCache,
    t: &TipRow,
    now: NaiveDateTime,
) -> Result<TipSummary, ApiError> {
    let names = commune_names(conn, [t.commune_code.as_str()])?;
    let settings = cache.get(conn, &t.unit_path)?;
    summary(t, names.get(&t.commune_code)?, now, &settings)
}

/// The full names of the communes `codes`; a code with no unit row (units are never deleted) is
/// an error, not a blank name.
pub fn commune_names<'a>(
    conn: &mut DbConn,
    codes: impl IntoIterator<Item = &'a str>,
) -> Result<CommuneNames, ApiError> {
    let mut codes: Vec<&str> = codes.into_iter().collect();
    codes.sort_unstable();
    codes.dedup();
    Ok(CommuneNames(
        units::find_many(conn, &codes)?
            .into_iter()
            .map(|u| (u.code, u.full_name))
            .collect(),
    ))
}

pub struct CommuneNames(std::collections::HashMap<String, String>);

impl CommuneNames {
    pub fn get(&self, code: &str) -> Result<&str, ApiError> {
        self.0
            .get(code)
            .map(String::as_str)
            .ok_or_else(|| ApiError::internal(format!("tip commune {code} has no unit row")))
    }
}

/// A message about to be added to a tip's thread.
struct NewMessage<'a> {
    /// `reporter`, `officer` or `note`
    kind: TipMessageKind,
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
        .seal(&message_context(&t.id, &id), body.as_bytes())
        .map_err(ApiError::internal)?;
    store::insert_message(
        conn,
        &MessageRow {
            id: id.clone(),
            tip_id: t.id.clone(),
            seq,
            kind,
            author_id: author.map(str::to_string),
            created_at: at,
            key_id,
            body: sealed,
        },
    )?;
    let mut e = event(&t.id, seq, at, author.unwrap_or("reporter"), kind.into());
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
