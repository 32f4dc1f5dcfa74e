//! Signed pledges and roster rows.

use bvantq_shared::{PledgeChannel, PledgeStatus};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{pledges, roster_entries};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pledges)]
pub struct PledgeRow {
    pub id: String,
    pub receipt: String,
    pub campaign_id: String,
    pub unit_code: String,
    pub dedupe_key: String,
    pub full_name: String,
    pub name_key: String,
    pub initials: String,
    pub birth_date: NaiveDate,
    pub cccd_hmac: Option<String>,
    pub cccd_last4: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub members: Option<i32>,
    pub guardian_name: Option<String>,
    pub guardian_relation: Option<String>,
    pub guardian_phone: Option<String>,
    pub template_version: i32,
    pub commitments_accepted: String,
    pub channel: PledgeChannel,
    pub status: PledgeStatus,
    pub status_reason: Option<String>,
    pub status_by: Option<String>,
    pub roster_entry_id: Option<String>,
    pub entered_by: Option<String>,
    pub signed_at: NaiveDateTime,
    /// [`bvantq_shared::PledgeFlag`]s, comma-separated.
    pub flags: Option<String>,
    /// The campaign's year, by which PostgreSQL partitions the table (one partition a year).
    pub year: i32,
}

/// Inserts a pledge unless the person (household) already has one in the campaign; returns
/// whether it was inserted. `ON CONFLICT DO NOTHING` is not offered by the multi-backend
/// connection, so each backend's connection runs its own statement: on PostgreSQL the
/// one-per-person key also holds the partition key, the year (which the campaign fixes).
pub fn insert_new(conn: &mut DbConn, row: &PledgeRow) -> QueryResult<bool> {
    let q = diesel::insert_into(pledges::table).values(row);
    let n = match conn {
        DbConn::Pg(c) => q
            .on_conflict((pledges::campaign_id, pledges::dedupe_key, pledges::year))
            .do_nothing()
            .execute(c)?,
        DbConn::Sqlite(c) => q
            .on_conflict((pledges::campaign_id, pledges::dedupe_key))
            .do_nothing()
            .execute(c)?,
    };
    Ok(n == 1)
}

pub fn by_dedupe(
    conn: &mut DbConn,
    campaign_id: &str,
    key: &str,
) -> QueryResult<Option<PledgeRow>> {
    pledges::table
        .filter(pledges::campaign_id.eq(campaign_id))
        .filter(pledges::dedupe_key.eq(key))
        .select(PledgeRow::as_select())
        .first(conn)
        .optional()
}

/// The pledge with `receipt`: receipts are unique within a year (PostgreSQL's unique keys hold
/// the partition key), so the newest year's if two years share one.
pub fn by_receipt(conn: &mut DbConn, receipt: &str) -> QueryResult<Option<PledgeRow>> {
    pledges::table
        .filter(pledges::receipt.eq(receipt))
        .order(pledges::year.desc())
        .select(PledgeRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<PledgeRow>> {
    pledges::table
        .find(id)
        .select(PledgeRow::as_select())
        .first(conn)
        .optional()
}

/// A page of a campaign's pledges, optionally filtered by a folded name fragment and a unit.
pub fn list(
    conn: &mut DbConn,
    campaign_id: &str,
    name: Option<&str>,
    unit: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<PledgeRow>> {
    let mut q = pledges::table
        .filter(pledges::campaign_id.eq(campaign_id))
        .select(PledgeRow::as_select())
        .into_boxed();
    if let Some(n) = name {
        q = q.filter(
            pledges::name_key
                .like(format!("%{}%", crate::units::store::escape_like(n)))
                .escape('\\'),
        );
    }
    if let Some(u) = unit {
        q = q.filter(pledges::unit_code.eq(u.to_string()));
    }
    if let Some(a) = after {
        q = q.filter(pledges::id.gt(a.to_string()));
    }
    q.order(pledges::id.asc()).limit(limit).load(conn)
}

pub fn set_status(
    conn: &mut DbConn,
    id: &str,
    from: &[PledgeStatus],
    to: PledgeStatus,
    reason: Option<&str>,
    by: &str,
) -> QueryResult<bool> {
    let n = diesel::update(
        pledges::table
            .filter(pledges::id.eq(id))
            .filter(pledges::status.eq_any(from)),
    )
    .set((
        pledges::status.eq(to),
        pledges::status_reason.eq(reason),
        pledges::status_by.eq(by),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves a pledge out of (or into) the "one per person" constraint and sets its status: a
/// disputed pledge gives up its dedupe key to whichever pledge the ward keeps.
pub fn set_dedupe_and_status(
    conn: &mut DbConn,
    id: &str,
    dedupe_key: &str,
    status: PledgeStatus,
    reason: Option<&str>,
    by: Option<&str>,
) -> QueryResult<usize> {
    diesel::update(pledges::table.find(id))
        .set((
            pledges::dedupe_key.eq(dedupe_key),
            pledges::status.eq(status),
            pledges::status_reason.eq(reason),
            pledges::status_by.eq(by),
        ))
        .execute(conn)
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = roster_entries)]
pub struct RosterRow {
    pub id: String,
    pub campaign_id: String,
    pub unit_code: String,
    pub full_name: String,
    pub name_key: String,
    pub birth_date: Option<NaiveDate>,
    pub cccd_hmac: Option<String>,
    pub cccd_last4: Option<String>,
    pub address: Option<String>,
    pub members: Option<i32>,
    pub line: i32,
    pub created_at: NaiveDateTime,
}

pub fn insert_roster(conn: &mut DbConn, rows: &[RosterRow]) -> QueryResult<usize> {
    let mut n = 0;
    for r in rows {
        n += diesel::insert_into(roster_entries::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(n)
}

/// The roster row a signer matches: same CCCD hash, or else same unit + folded name + birth date
/// (one query).
pub fn match_roster(
    conn: &mut DbConn,
    campaign_id: &str,
    unit: &str,
    name_key: &str,
    birth: NaiveDate,
    cccd: &[&str],
) -> QueryResult<Option<String>> {
    let by_person = roster_entries::unit_code
        .eq(unit)
        .and(roster_entries::name_key.eq(name_key))
        .and(roster_entries::birth_date.eq(birth));
    let hits: Vec<(String, Option<String>)> = roster_entries::table
        .filter(roster_entries::campaign_id.eq(campaign_id))
        .filter(roster_entries::cccd_hmac.eq_any(cccd).or(by_person))
        .select((roster_entries::id, roster_entries::cccd_hmac))
        .limit(2)
        .load(conn)?;
    let by_cccd = hits
        .iter()
        .find(|(_, h)| h.as_deref().is_some_and(|h| cccd.contains(&h)));
    Ok(by_cccd.or(hits.first()).map(|(id, _)| id.clone()))
}

/// Roster rows per unit of a campaign.
pub fn roster_counts(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<(String, i64)>> {
    roster_entries::table
        .filter(roster_entries::campaign_id.eq(campaign_id))
        .group_by(roster_entries::unit_code)
        .select((roster_entries::unit_code, diesel::dsl::count_star()))
        .load(conn)
}

/// What identifies a roster row: unit, folded name, birth date, CCCD hash.
pub type RosterKey = (String, String, Option<NaiveDate>, Option<String>);

/// Existing keys of a campaign's roster, for duplicate detection on import.
pub fn roster_keys(conn: &mut DbConn, campaign_id: &str) -> QueryResult<Vec<RosterKey>> {
    roster_entries::table
        .filter(roster_entries::campaign_id.eq(campaign_id))
        .select((
            roster_entries::unit_code,
            roster_entries::name_key,
            roster_entries::birth_date,
            roster_entries::cccd_hmac,
        ))
        .load(conn)
}

/// A roster row as the class sheet reads it.
#[derive(Debug, Clone, Queryable)]
pub struct RosterLine {
    pub id: String,
    pub line: i32,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
}

/// The roster of `unit` in a campaign, in the file's order.
pub fn roster_of(conn: &mut DbConn, campaign_id: &str, unit: &str) -> QueryResult<Vec<RosterLine>> {
    roster_entries::table
        .filter(roster_entries::campaign_id.eq(campaign_id))
        .filter(roster_entries::unit_code.eq(unit))
        .order((roster_entries::line.asc(), roster_entries::id.asc()))
        .select((
            roster_entries::id,
            roster_entries::line,
            roster_entries::full_name,
            roster_entries::birth_date,
        ))
        .load(conn)
}

/// The pledges of `unit` in a campaign as (roster row, channel, status), without anything of
/// the signer.
pub fn marks_of(
    conn: &mut DbConn,
    campaign_id: &str,
    unit: &str,
) -> QueryResult<Vec<(Option<String>, PledgeChannel, PledgeStatus)>> {
    pledges::table
        .filter(pledges::campaign_id.eq(campaign_id))
        .filter(pledges::unit_code.eq(unit))
        .select((pledges::roster_entry_id, pledges::channel, pledges::status))
        .load(conn)
}
