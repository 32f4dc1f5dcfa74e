//! Tips, their messages, photos and history, and the audit log (here); their stage in the
//! procedure and the province's numbers (`procedure`); urgent notices and the outbox
//! (`notices`). Content columns hold sealed bytes only (see `crate::infra::sealing`); nothing here
//! decrypts.

use bvantq_shared::tip::procedure::{CrimeClass, Holder, Step, TipPeriod, TransferClass};
use bvantq_shared::tip::{AuditAction, TipEventKind, TipMessageKind};
use bvantq_shared::{Role, TipCategory, TipStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{audit_log, tip_events, tip_messages, tip_photos, tips};

mod indicators;
mod notices;
mod procedure;
mod sealed;
mod year;

pub use indicators::*;
pub use notices::*;
pub use procedure::*;
pub use sealed::*;
pub use year::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tips)]
pub struct TipRow {
    pub id: String,
    pub receipt_hash: Option<String>,
    pub commune_code: String,
    pub unit_path: String,
    pub category: TipCategory,
    pub status: TipStatus,
    pub priority: i32,
    pub anonymous: bool,
    pub received_at: NaiveDateTime,
    pub received_on: NaiveDate,
    pub deadline: NaiveDate,
    pub extensions: i32,
    pub assigned_to: Option<String>,
    pub merged_into: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
    pub key_id: Option<String>,
    pub content: Option<Vec<u8>>,
    pub photos: i32,
    pub seq: i32,
    pub purged_at: Option<NaiveDateTime>,
    pub holder: Holder,
    pub period: Option<TipPeriod>,
    pub due_at: Option<NaiveDateTime>,
    pub rule: Option<String>,
    pub period_start: Option<NaiveDate>,
    pub transfer_class: Option<TransferClass>,
    pub crime_class: Option<CrimeClass>,
    pub referred_to: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tip_messages)]
pub struct MessageRow {
    pub id: String,
    pub tip_id: String,
    pub seq: i32,
    pub kind: TipMessageKind,
    pub author_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub key_id: String,
    pub body: Vec<u8>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tip_photos)]
pub struct PhotoRow {
    pub id: String,
    pub tip_id: String,
    pub message_id: Option<String>,
    pub content_type: String,
    pub size_bytes: i32,
    pub key_id: String,
    pub data: Vec<u8>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tip_events)]
pub struct EventRow {
    pub tip_id: String,
    pub seq: i32,
    pub at: NaiveDateTime,
    pub actor: String,
    pub kind: TipEventKind,
    pub from_status: Option<TipStatus>,
    pub to_status: Option<TipStatus>,
    pub detail: Option<String>,
    pub reason: Option<String>,
    pub step: Option<Step>,
    pub act_number: Option<String>,
    pub act_date: Option<NaiveDate>,
    pub act_signer: Option<String>,
    /// The end of the period that was running when the step was taken (none when no clock ran,
    /// or the step was recorded before the column existed).
    pub due_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor_id: String,
    pub actor_role: Role,
    pub action: AuditAction,
    pub tip_id: Option<String>,
    pub unit_path: Option<String>,
    pub detail: Option<String>,
}

pub fn insert(conn: &mut DbConn, row: &TipRow) -> QueryResult<usize> {
    diesel::insert_into(tips::table).values(row).execute(conn)
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<TipRow>> {
    tips::table
        .find(id)
        .select(TipRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_receipt_hash(conn: &mut DbConn, hash: &str) -> QueryResult<Option<TipRow>> {
    tips::table
        .filter(tips::receipt_hash.eq(hash))
        .select(TipRow::as_select())
        .first(conn)
        .optional()
}

/// Takes the tip's next sequence number. The update also locks the tip's row until the
/// transaction ends, so concurrent changes to one tip run one after the other.
pub fn next_seq(conn: &mut DbConn, id: &str) -> QueryResult<i32> {
    diesel::update(tips::table.find(id))
        .set(tips::seq.eq(tips::seq + 1))
        .execute(conn)?;
    tips::table.find(id).select(tips::seq).first(conn)
}

pub fn insert_event(conn: &mut DbConn, row: &EventRow) -> QueryResult<usize> {
    diesel::insert_into(tip_events::table)
        .values(row)
        .execute(conn)
}

pub fn insert_message(conn: &mut DbConn, row: &MessageRow) -> QueryResult<usize> {
    diesel::insert_into(tip_messages::table)
        .values(row)
        .execute(conn)
}

pub fn insert_photo(conn: &mut DbConn, row: &PhotoRow) -> QueryResult<usize> {
    diesel::insert_into(tip_photos::table)
        .values(row)
        .execute(conn)
}

pub fn insert_audit(conn: &mut DbConn, row: &AuditRow) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table)
        .values(row)
        .execute(conn)
}

pub fn messages(conn: &mut DbConn, tip_id: &str) -> QueryResult<Vec<MessageRow>> {
    tip_messages::table
        .filter(tip_messages::tip_id.eq(tip_id))
        .order(tip_messages::seq.asc())
        .select(MessageRow::as_select())
        .load(conn)
}

/// Photo ids and the message each came with (`None`: with the tip itself), without the bytes.
pub fn photo_index(conn: &mut DbConn, tip_id: &str) -> QueryResult<Vec<(String, Option<String>)>> {
    tip_photos::table
        .filter(tip_photos::tip_id.eq(tip_id))
        .order((tip_photos::created_at.asc(), tip_photos::id.asc()))
        .select((tip_photos::id, tip_photos::message_id))
        .load(conn)
}

pub fn photo(conn: &mut DbConn, tip_id: &str, photo_id: &str) -> QueryResult<Option<PhotoRow>> {
    tip_photos::table
        .filter(tip_photos::tip_id.eq(tip_id))
        .filter(tip_photos::id.eq(photo_id))
        .select(PhotoRow::as_select())
        .first(conn)
        .optional()
}

pub fn events(conn: &mut DbConn, tip_id: &str) -> QueryResult<Vec<EventRow>> {
    tip_events::table
        .filter(tip_events::tip_id.eq(tip_id))
        .order(tip_events::seq.asc())
        .select(EventRow::as_select())
        .load(conn)
}

pub fn merged_from(conn: &mut DbConn, tip_id: &str) -> QueryResult<Vec<String>> {
    tips::table
        .filter(tips::merged_into.eq(tip_id))
        .order(tips::received_at.asc())
        .select(tips::id)
        .load(conn)
}

pub fn set_assigned(conn: &mut DbConn, id: &str, user: Option<&str>) -> QueryResult<usize> {
    diesel::update(tips::table.find(id))
        .set(tips::assigned_to.eq(user))
        .execute(conn)
}

pub fn set_priority(conn: &mut DbConn, id: &str, rank: i32) -> QueryResult<usize> {
    diesel::update(tips::table.find(id))
        .set(tips::priority.eq(rank))
        .execute(conn)
}

pub fn set_photo_count(conn: &mut DbConn, id: &str, n: i32) -> QueryResult<usize> {
    diesel::update(tips::table.find(id))
        .set(tips::photos.eq(n))
        .execute(conn)
}

/// The officer queue's filters. `path_prefix` limits to a subtree.
#[derive(Debug, Clone, Default)]
pub struct TipQuery {
    pub path_prefix: String,
    pub statuses: Vec<TipStatus>,
    pub category: Option<TipCategory>,
    pub assigned_to: Option<String>,
    /// Only tips this body holds (the investigating body's queue).
    pub holder: Option<Holder>,
    /// Open tips whose period ended before this instant (overdue).
    pub due_before: Option<NaiveDateTime>,
    /// Open tips whose deadline is on or before this date.
    pub deadline_on_or_before: Option<NaiveDate>,
    /// Cursor: (priority, deadline, id) of the last row seen.
    pub after: Option<(i32, NaiveDate, String)>,
    pub limit: i64,
}

/// Tips in queue order: priority (life-safety first), then the nearest deadline.
pub fn list(conn: &mut DbConn, q: &TipQuery) -> QueryResult<Vec<TipRow>> {
    let mut query = tips::table
        .filter(
            tips::unit_path
                .like(crate::units::store::like_prefix(&q.path_prefix))
                .escape('\\'),
        )
        .into_boxed();
    if !q.statuses.is_empty() {
        query = query.filter(tips::status.eq_any(q.statuses.clone()));
    }
    if let Some(c) = &q.category {
        query = query.filter(tips::category.eq(*c));
    }
    if let Some(a) = &q.assigned_to {
        query = query.filter(tips::assigned_to.eq(a.clone()));
    }
    if let Some(h) = q.holder {
        query = query.filter(tips::holder.eq(h));
    }
    if let Some(t) = q.due_before {
        query = query.filter(tips::due_at.lt(t));
    }
    if let Some(d) = q.deadline_on_or_before {
        query = query.filter(tips::deadline.le(d));
    }
    if let Some((p, d, id)) = &q.after {
        query = query.filter(
            tips::priority.gt(*p).or(tips::priority.eq(*p).and(
                tips::deadline
                    .gt(*d)
                    .or(tips::deadline.eq(*d).and(tips::id.gt(id.clone()))),
            )),
        );
    }
    query
        .order((tips::priority.asc(), tips::deadline.asc(), tips::id.asc()))
        .limit(q.limit + 1)
        .select(TipRow::as_select())
        .load(conn)
}

/// Open tips in a subtree, with the clock of their period.
pub type OpenClock = (String, TipStatus, NaiveDate, Option<NaiveDateTime>, i64);

/// Open tips in a subtree: (commune, status, last day, due instant, count).
pub fn open_deadlines(
    conn: &mut DbConn,
    path_prefix: &str,
    open: &[TipStatus],
) -> QueryResult<Vec<OpenClock>> {
    tips::table
        .filter(
            tips::unit_path
                .like(crate::units::store::like_prefix(path_prefix))
                .escape('\\'),
        )
        .filter(tips::status.eq_any(open))
        .group_by((
            tips::commune_code,
            tips::status,
            tips::deadline,
            tips::due_at,
        ))
        .select((
            tips::commune_code,
            tips::status,
            tips::deadline,
            tips::due_at,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

/// (commune path, category, status, received_on, count)
pub type StatCount = (String, String, String, NaiveDate, i64);

/// Counts in a subtree over a date range.
pub fn stat_counts(
    conn: &mut DbConn,
    path_prefix: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<StatCount>> {
    tips::table
        .filter(
            tips::unit_path
                .like(crate::units::store::like_prefix(path_prefix))
                .escape('\\'),
        )
        .filter(tips::received_on.ge(from))
        .filter(tips::received_on.lt(to))
        .group_by((
            tips::unit_path,
            tips::category,
            tips::status,
            tips::received_on,
        ))
        .select((
            tips::unit_path,
            tips::category,
            tips::status,
            tips::received_on,
            diesel::dsl::count_star(),
        ))
        .load(conn)
}

/// Closed tips whose content is due for purging.
pub fn due_for_purge(
    conn: &mut DbConn,
    closed_before: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<String>> {
    tips::table
        .filter(tips::purged_at.is_null())
        .filter(tips::closed_at.lt(closed_before))
        .order(tips::closed_at.asc())
        .limit(limit)
        .select(tips::id)
        .load(conn)
}

/// Drops a tip's content (description, contact, messages, photos, the receipt hash and the free
/// text of its history) and keeps what statistics need: category, status, commune, dates.
pub fn purge_content(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> QueryResult<()> {
    delete_indicators(conn, id)?;
    diesel::delete(tip_photos::table.filter(tip_photos::tip_id.eq(id))).execute(conn)?;
    diesel::delete(tip_messages::table.filter(tip_messages::tip_id.eq(id))).execute(conn)?;
    diesel::update(tip_events::table.filter(tip_events::tip_id.eq(id)))
        .set((
            tip_events::reason.eq(None::<String>),
            tip_events::detail.eq(None::<String>),
        ))
        .execute(conn)?;
    diesel::update(tips::table.find(id))
        .set((
            tips::receipt_hash.eq(None::<String>),
            tips::content.eq(None::<Vec<u8>>),
            tips::key_id.eq(None::<String>),
            tips::photos.eq(0),
            tips::purged_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn audit_for_tip(conn: &mut DbConn, tip_id: &str) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::tip_id.eq(tip_id))
        .order((audit_log::at.asc(), audit_log::id.asc()))
        .select(AuditRow::as_select())
        .load(conn)
}

/// Audit entries in a subtree, newest first, after an `(at, id)` cursor.
pub fn audit_list(
    conn: &mut DbConn,
    path_prefix: Option<&str>,
    before: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<AuditRow>> {
    let mut q = audit_log::table.into_boxed();
    if let Some(p) = path_prefix {
        q = q.filter(
            audit_log::unit_path
                .like(crate::units::store::like_prefix(p))
                .escape('\\'),
        );
    }
    if let Some((at, id)) = before {
        q = q.filter(
            audit_log::at
                .lt(at)
                .or(audit_log::at.eq(at).and(audit_log::id.lt(id))),
        );
    }
    q.order((audit_log::at.desc(), audit_log::id.desc()))
        .limit(limit + 1)
        .select(AuditRow::as_select())
        .load(conn)
}

/// Records sealed under a key other than `current` (for re-keying): (tip id, key id).
pub fn stale_tips(conn: &mut DbConn, current: &str, limit: i64) -> QueryResult<Vec<TipRow>> {
    tips::table
        .filter(tips::key_id.is_not_null())
        .filter(tips::key_id.ne(current))
        .limit(limit)
        .select(TipRow::as_select())
        .load(conn)
}

pub fn stale_messages(
    conn: &mut DbConn,
    current: &str,
    limit: i64,
) -> QueryResult<Vec<MessageRow>> {
    tip_messages::table
        .filter(tip_messages::key_id.ne(current))
        .limit(limit)
        .select(MessageRow::as_select())
        .load(conn)
}

pub fn stale_photos(conn: &mut DbConn, current: &str, limit: i64) -> QueryResult<Vec<PhotoRow>> {
    tip_photos::table
        .filter(tip_photos::key_id.ne(current))
        .limit(limit)
        .select(PhotoRow::as_select())
        .load(conn)
}

pub fn reseal_tip(conn: &mut DbConn, id: &str, key_id: &str, content: &[u8]) -> QueryResult<usize> {
    diesel::update(tips::table.find(id))
        .set((tips::key_id.eq(key_id), tips::content.eq(content)))
        .execute(conn)
}

pub fn reseal_message(
    conn: &mut DbConn,
    id: &str,
    key_id: &str,
    body: &[u8],
) -> QueryResult<usize> {
    diesel::update(tip_messages::table.find(id))
        .set((tip_messages::key_id.eq(key_id), tip_messages::body.eq(body)))
        .execute(conn)
}

pub fn reseal_photo(conn: &mut DbConn, id: &str, key_id: &str, data: &[u8]) -> QueryResult<usize> {
    diesel::update(tip_photos::table.find(id))
        .set((tip_photos::key_id.eq(key_id), tip_photos::data.eq(data)))
        .execute(conn)
}
