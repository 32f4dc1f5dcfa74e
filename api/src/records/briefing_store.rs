//! The queries of `briefings`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{briefings, units};
use crate::units::store::like_prefix;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = briefings)]
pub struct BriefingRow {
    pub id: String,
    /// The agency, enterprise or school.
    pub unit_code: String,
    /// The class or department it was for; `None`: the whole unit.
    pub group_code: Option<String>,
    pub held_on: NaiveDate,
    pub topic: String,
    pub attendance: i32,
    pub headcount: i32,
    pub flag_ceremony: bool,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &BriefingRow) -> QueryResult<()> {
    diesel::insert_into(briefings::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The sessions of `unit` held in `[from, to]`, oldest first.
pub fn of_unit(
    conn: &mut DbConn,
    unit: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<BriefingRow>> {
    briefings::table
        .filter(briefings::unit_code.eq(unit))
        .filter(briefings::held_on.ge(from))
        .filter(briefings::held_on.le(to))
        .order((briefings::held_on.asc(), briefings::id.asc()))
        .select(BriefingRow::as_select())
        .load(conn)
}

/// The sessions of the units under `path` held in `[from, to]`.
pub fn under(
    conn: &mut DbConn,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<BriefingRow>> {
    briefings::table
        .inner_join(units::table.on(units::code.eq(briefings::unit_code)))
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .filter(briefings::held_on.ge(from))
        .filter(briefings::held_on.le(to))
        .select(BriefingRow::as_select())
        .load(conn)
}
