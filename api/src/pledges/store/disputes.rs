//! Contests of pledges: both pledges kept, the ward's decision recorded.

use bvantq_shared::DisputeStatus;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::pledge_disputes;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = pledge_disputes)]
pub struct DisputeRow {
    pub id: String,
    pub campaign_id: String,
    pub pledge_id: String,
    pub contest_pledge_id: String,
    /// `open`, `upheld` or `replaced` ([`bvantq_shared::pledge::DisputeStatus`]).
    pub status: DisputeStatus,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &DisputeRow) -> QueryResult<usize> {
    diesel::insert_into(pledge_disputes::table)
        .values(row)
        .execute(conn)
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<DisputeRow>> {
    pledge_disputes::table
        .find(id)
        .select(DisputeRow::as_select())
        .first(conn)
        .optional()
}

/// The open dispute about `pledge_id`, if any.
pub fn open_for(conn: &mut DbConn, pledge_id: &str) -> QueryResult<Option<DisputeRow>> {
    pledge_disputes::table
        .filter(pledge_disputes::pledge_id.eq(pledge_id))
        .filter(pledge_disputes::status.eq(DisputeStatus::Open))
        .select(DisputeRow::as_select())
        .first(conn)
        .optional()
}

/// A campaign's disputes, open ones only when `open_only`, oldest first.
pub fn of_campaign(
    conn: &mut DbConn,
    campaign_id: &str,
    open_only: bool,
) -> QueryResult<Vec<DisputeRow>> {
    let mut q = pledge_disputes::table
        .filter(pledge_disputes::campaign_id.eq(campaign_id))
        .select(DisputeRow::as_select())
        .into_boxed();
    if open_only {
        q = q.filter(pledge_disputes::status.eq(DisputeStatus::Open));
    }
    q.order(pledge_disputes::created_at.asc())
        .limit(1000)
        .load(conn)
}

/// Records the decision; false when the dispute was no longer open.
pub fn resolve(
    conn: &mut DbConn,
    id: &str,
    status: DisputeStatus,
    resolution: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        pledge_disputes::table
            .filter(pledge_disputes::id.eq(id))
            .filter(pledge_disputes::status.eq(DisputeStatus::Open)),
    )
    .set((
        pledge_disputes::status.eq(status),
        pledge_disputes::resolution.eq(resolution),
        pledge_disputes::resolved_by.eq(by),
        pledge_disputes::resolved_at.eq(at),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
