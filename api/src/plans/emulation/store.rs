//! The queries of `emulation_blocks` and `emulation_entries`.

use bvantq_shared::plan::emulation::{AwardForm, EntryStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{emulation_blocks, emulation_entries, units};
use crate::units::store::like_prefix;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = emulation_blocks)]
pub struct BlockRow {
    pub id: String,
    pub province_code: String,
    pub name: String,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = emulation_entries)]
pub struct EntryRow {
    pub id: String,
    pub unit_code: String,
    pub year: i32,
    pub block_id: String,
    pub aim: String,
    pub status: EntryStatus,
    pub registered_by: String,
    pub registered_at: NaiveDateTime,
    pub review_summary: Option<String>,
    pub aim_reached: Option<bool>,
    pub results: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub award: Option<AwardForm>,
    pub proposal_reason: Option<String>,
    pub proposed_by: Option<String>,
    pub proposed_at: Option<NaiveDateTime>,
    pub decision_number: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub decision_signer: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
}

pub fn insert_block(conn: &mut DbConn, row: &BlockRow) -> QueryResult<()> {
    diesel::insert_into(emulation_blocks::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn blocks_of(conn: &mut DbConn, province: &str) -> QueryResult<Vec<BlockRow>> {
    emulation_blocks::table
        .filter(emulation_blocks::province_code.eq(province))
        .order(emulation_blocks::name.asc())
        .select(BlockRow::as_select())
        .load(conn)
}

pub fn block(conn: &mut DbConn, id: &str) -> QueryResult<Option<BlockRow>> {
    emulation_blocks::table
        .find(id)
        .select(BlockRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert_entry(conn: &mut DbConn, row: &EntryRow) -> QueryResult<()> {
    diesel::insert_into(emulation_entries::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn entry(conn: &mut DbConn, id: &str) -> QueryResult<Option<EntryRow>> {
    emulation_entries::table
        .find(id)
        .select(EntryRow::as_select())
        .first(conn)
        .optional()
}

/// Every entry of a unit, newest year first: its award history.
pub fn entries_of_unit(conn: &mut DbConn, unit: &str) -> QueryResult<Vec<EntryRow>> {
    emulation_entries::table
        .filter(emulation_entries::unit_code.eq(unit))
        .order(emulation_entries::year.desc())
        .select(EntryRow::as_select())
        .load(conn)
}

/// The entries of `year` of the units under `path` (the unit at `path` included), with each
/// unit's name, by unit code.
pub fn entries_under(
    conn: &mut DbConn,
    path: &str,
    year: i32,
    status: Option<EntryStatus>,
) -> QueryResult<Vec<(EntryRow, String)>> {
    let mut q = emulation_entries::table
        .inner_join(units::table.on(units::code.eq(emulation_entries::unit_code)))
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .filter(emulation_entries::year.eq(year))
        .into_boxed();
    if let Some(s) = status {
        q = q.filter(emulation_entries::status.eq(s));
    }
    q.order(emulation_entries::unit_code.asc())
        .select((EntryRow::as_select(), units::full_name))
        .load(conn)
}

/// The columns a step writes, applied only if the entry is still at `from` (a step taken twice
/// at once moves it once); the number of rows changed.
pub fn step(conn: &mut DbConn, id: &str, from: EntryStatus, to: &EntryRow) -> QueryResult<usize> {
    diesel::update(
        emulation_entries::table
            .filter(emulation_entries::id.eq(id))
            .filter(emulation_entries::status.eq(from)),
    )
    .set((
        emulation_entries::status.eq(to.status),
        emulation_entries::review_summary.eq(&to.review_summary),
        emulation_entries::aim_reached.eq(to.aim_reached),
        emulation_entries::results.eq(&to.results),
        emulation_entries::reviewed_by.eq(&to.reviewed_by),
        emulation_entries::reviewed_at.eq(to.reviewed_at),
        emulation_entries::award.eq(to.award),
        emulation_entries::proposal_reason.eq(&to.proposal_reason),
        emulation_entries::proposed_by.eq(&to.proposed_by),
        emulation_entries::proposed_at.eq(to.proposed_at),
        emulation_entries::decision_number.eq(&to.decision_number),
        emulation_entries::decision_date.eq(to.decision_date),
        emulation_entries::decision_signer.eq(&to.decision_signer),
        emulation_entries::decided_by.eq(&to.decided_by),
        emulation_entries::decided_at.eq(to.decided_at),
    ))
    .execute(conn)
}
