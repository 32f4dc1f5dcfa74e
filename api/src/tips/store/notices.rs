//! Urgent-tip notices and the outbox that delivers them to the gateway.

use bvantq_shared::TipStatus;
use bvantq_shared::tip::notice::{NoticeAudience, NoticeKind};
use bvantq_shared::tip::procedure::TipPeriod;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::TipRow;
use crate::infra::db::DbConn;
use crate::infra::db::schema::{notice_outbox, tip_notices, tips};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tip_notices)]
pub struct NoticeRow {
    pub id: String,
    pub tip_id: String,
    pub kind: NoticeKind,
    pub audience: NoticeAudience,
    pub unit_path: String,
    pub commune_code: String,
    pub created_at: NaiveDateTime,
    pub opened_at: Option<NaiveDateTime>,
    pub escalated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notice_outbox)]
pub struct OutboxRow {
    pub id: String,
    pub notice_id: String,
    pub payload: String,
    pub attempts: i32,
    pub next_at: NaiveDateTime,
    pub delivered_at: Option<NaiveDateTime>,
    pub dead_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
}

pub fn insert_notice(conn: &mut DbConn, row: &NoticeRow) -> QueryResult<usize> {
    diesel::insert_into(tip_notices::table)
        .values(row)
        .execute(conn)
}

pub fn insert_outbox(conn: &mut DbConn, row: &OutboxRow) -> QueryResult<usize> {
    diesel::insert_into(notice_outbox::table)
        .values(row)
        .execute(conn)
}

/// Notices after an `(at, id)` cursor, oldest first.
pub fn notices_after(
    conn: &mut DbConn,
    after: &(NaiveDateTime, String),
    limit: i64,
) -> QueryResult<Vec<NoticeRow>> {
    let (at, id) = after.clone();
    tip_notices::table
        .filter(
            tip_notices::created_at
                .gt(at)
                .or(tip_notices::created_at.eq(at).and(tip_notices::id.gt(id))),
        )
        .order((tip_notices::created_at.asc(), tip_notices::id.asc()))
        .limit(limit)
        .select(NoticeRow::as_select())
        .load(conn)
}

pub fn notice(conn: &mut DbConn, id: &str) -> QueryResult<Option<NoticeRow>> {
    tip_notices::table
        .find(id)
        .select(NoticeRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a tip's commune notices opened (the first officer of the commune to open the tip).
pub fn open_notices(conn: &mut DbConn, tip_id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        tip_notices::table
            .filter(tip_notices::tip_id.eq(tip_id))
            .filter(tip_notices::audience.eq(NoticeAudience::Commune))
            .filter(tip_notices::opened_at.is_null()),
    )
    .set(tip_notices::opened_at.eq(Some(at)))
    .execute(conn)
}

/// Whether a tip has its notice of this kind.
pub fn has_notice_of(conn: &mut DbConn, tip_id: &str, kind: NoticeKind) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        tip_notices::table
            .filter(tip_notices::tip_id.eq(tip_id))
            .filter(tip_notices::kind.eq(kind)),
    ))
    .get_result(conn)
}

/// Commune notices nobody opened, created before `before`, not yet escalated.
pub fn unopened_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<Vec<NoticeRow>> {
    tip_notices::table
        .filter(tip_notices::audience.eq(NoticeAudience::Commune))
        .filter(tip_notices::kind.eq(NoticeKind::UrgentTip))
        .filter(tip_notices::opened_at.is_null())
        .filter(tip_notices::escalated_at.is_null())
        .filter(tip_notices::created_at.le(before))
        .select(NoticeRow::as_select())
        .load(conn)
}

pub fn set_escalated(conn: &mut DbConn, id: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(tip_notices::table.find(id))
        .set(tip_notices::escalated_at.eq(Some(at)))
        .execute(conn)
}

/// Tips still at the commune whose transfer limit ends before `before` and that have no commune
/// notice yet (one is enough to bring an officer to a tip): each tick reads only the new ones.
pub fn transfers_due(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<Vec<TipRow>> {
    tips::table
        .filter(tips::status.eq_any([TipStatus::Received, TipStatus::Verifying]))
        .filter(tips::period.eq(TipPeriod::Transfer))
        .filter(tips::due_at.le(before))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            tip_notices::table
                .filter(tip_notices::tip_id.eq(tips::id))
                .filter(tip_notices::audience.eq(NoticeAudience::Commune)),
        )))
        .select(TipRow::as_select())
        .load(conn)
}

/// Outbox rows due for an attempt at `now`.
pub fn outbox_due(
    conn: &mut DbConn,
    now: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<OutboxRow>> {
    notice_outbox::table
        .filter(notice_outbox::delivered_at.is_null())
        .filter(notice_outbox::dead_at.is_null())
        .filter(notice_outbox::next_at.le(now))
        .order(notice_outbox::next_at.asc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}

/// Takes a row for one attempt: moves its next attempt past the attempt's length, only if no
/// other instance took it first (the `next_at` it was read with is still there).
pub fn claim_outbox(conn: &mut DbConn, row: &OutboxRow, until: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        notice_outbox::table
            .find(&row.id)
            .filter(notice_outbox::next_at.eq(row.next_at))
            .filter(notice_outbox::delivered_at.is_null()),
    )
    .set(notice_outbox::next_at.eq(until))
    .execute(conn)
    .map(|n| n == 1)
}

/// What an attempt came to: delivered, or failed with the next attempt's time, or dead.
pub fn finish_outbox(
    conn: &mut DbConn,
    id: &str,
    attempts: i32,
    outcome: Result<NaiveDateTime, (String, Option<NaiveDateTime>, NaiveDateTime)>,
) -> QueryResult<usize> {
    let q = diesel::update(notice_outbox::table.find(id));
    match outcome {
        Ok(at) => q
            .set((
                notice_outbox::attempts.eq(attempts),
                notice_outbox::delivered_at.eq(Some(at)),
                notice_outbox::last_error.eq(None::<String>),
            ))
            .execute(conn),
        Err((error, dead_at, next_at)) => q
            .set((
                notice_outbox::attempts.eq(attempts),
                notice_outbox::last_error.eq(Some(error)),
                notice_outbox::dead_at.eq(dead_at),
                notice_outbox::next_at.eq(next_at),
            ))
            .execute(conn),
    }
}

/// The dead-letter list: notices the gateway never took, newest first.
pub fn dead_letters(conn: &mut DbConn, limit: i64) -> QueryResult<Vec<OutboxRow>> {
    notice_outbox::table
        .filter(notice_outbox::dead_at.is_not_null())
        .order(notice_outbox::dead_at.desc())
        .limit(limit)
        .select(OutboxRow::as_select())
        .load(conn)
}
