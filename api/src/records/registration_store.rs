//! The queries of `registrations` and `unit_exclusions` (which `units::store::set_exclusion`
//! writes).

use bvantq_shared::registration::Exclusion;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{registrations, unit_exclusions, units};
use crate::units::store::like_prefix;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = registrations)]
pub struct RegistrationRow {
    pub unit_code: String,
    pub year: i32,
    pub registered_on: NaiveDate,
    pub document: String,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

/// Keeps a unit's registration of a year (a second one of the same year replaces the first).
pub fn put(conn: &mut DbConn, row: &RegistrationRow) -> QueryResult<()> {
    diesel::delete(registrations::table.find((&row.unit_code, row.year))).execute(conn)?;
    diesel::insert_into(registrations::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A unit's registration of `year`, if any.
pub fn registration(
    conn: &mut DbConn,
    code: &str,
    year: i32,
) -> QueryResult<Option<RegistrationRow>> {
    registrations::table
        .find((code, year))
        .select(RegistrationRow::as_select())
        .first(conn)
        .optional()
}

/// Why a unit is outside the Thông tư, if it is.
pub fn exclusion(conn: &mut DbConn, code: &str) -> QueryResult<Option<Exclusion>> {
    unit_exclusions::table
        .find(code)
        .select(unit_exclusions::exclusion)
        .first(conn)
        .optional()
}

/// The registrations of `year` of `codes`.
pub fn of_units(
    conn: &mut DbConn,
    codes: &[String],
    year: i32,
) -> QueryResult<Vec<RegistrationRow>> {
    registrations::table
        .filter(registrations::unit_code.eq_any(codes))
        .filter(registrations::year.eq(year))
        .select(RegistrationRow::as_select())
        .load(conn)
}

/// The exclusions of `codes`.
pub fn exclusions_of(conn: &mut DbConn, codes: &[String]) -> QueryResult<Vec<(String, Exclusion)>> {
    unit_exclusions::table
        .filter(unit_exclusions::unit_code.eq_any(codes))
        .select((unit_exclusions::unit_code, unit_exclusions::exclusion))
        .load(conn)
}

/// The units under `path` registered for `year`.
pub fn registered_under(conn: &mut DbConn, path: &str, year: i32) -> QueryResult<Vec<String>> {
    registrations::table
        .inner_join(units::table.on(units::code.eq(registrations::unit_code)))
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .filter(registrations::year.eq(year))
        .select(registrations::unit_code)
        .load(conn)
}

/// The units under `path` marked outside the Thông tư.
pub fn excluded_under(conn: &mut DbConn, path: &str) -> QueryResult<Vec<String>> {
    unit_exclusions::table
        .inner_join(units::table.on(units::code.eq(unit_exclusions::unit_code)))
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .select(unit_exclusions::unit_code)
        .load(conn)
}
