//! The queries of `incidents`.

use bvantq_shared::incident::IncidentKind;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::incidents;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = incidents)]
pub struct IncidentRow {
    pub id: String,
    pub unit_code: String,
    pub unit_path: String,
    pub kind: IncidentKind,
    /// Vietnam time, as the officer gave it.
    pub occurred_at: NaiveDateTime,
    pub reported_at: NaiveDateTime,
    pub force_majeure: bool,
    pub description: String,
    pub recorded_by: String,
    /// UTC.
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &IncidentRow) -> QueryResult<()> {
    diesel::insert_into(incidents::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The events in the unit at `path` and the units under it that happened in `[from, to)`
/// (Vietnam time), oldest first.
pub fn under(
    conn: &mut DbConn,
    path: &str,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<IncidentRow>> {
    incidents::table
        .filter(
            incidents::unit_path
                .like(crate::units::store::like_prefix(path))
                .escape('\\'),
        )
        .filter(incidents::occurred_at.ge(from))
        .filter(incidents::occurred_at.lt(to))
        .order((incidents::occurred_at.asc(), incidents::id.asc()))
        .select(IncidentRow::as_select())
        .load(conn)
}
