//! The queries of `festivals` and `festival_photos`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{festival_photos, festivals, units};
use crate::units::store::like_prefix;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = festivals)]
pub struct FestivalRow {
    pub id: String,
    pub unit_code: String,
    pub year: i32,
    pub held_on: NaiveDate,
    pub attendance: i32,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = festival_photos)]
pub struct PhotoRow {
    pub id: String,
    pub festival_id: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub data: Vec<u8>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &FestivalRow) -> QueryResult<()> {
    diesel::insert_into(festivals::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn insert_photo(conn: &mut DbConn, row: &PhotoRow) -> QueryResult<()> {
    diesel::insert_into(festival_photos::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// The festivals of `year` held by the units under `path`.
pub fn under(conn: &mut DbConn, path: &str, year: i32) -> QueryResult<Vec<FestivalRow>> {
    festivals::table
        .inner_join(units::table.on(units::code.eq(festivals::unit_code)))
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .filter(festivals::year.eq(year))
        .select(FestivalRow::as_select())
        .load(conn)
}

/// The photo ids of `festivals`, by festival.
pub fn photo_ids(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    festival_photos::table
        .filter(festival_photos::festival_id.eq_any(ids))
        .order((festival_photos::festival_id, festival_photos::id))
        .select((festival_photos::festival_id, festival_photos::id))
        .load(conn)
}

/// A photo with the unit its festival belongs to.
pub fn photo(conn: &mut DbConn, id: &str) -> QueryResult<Option<(PhotoRow, String)>> {
    festival_photos::table
        .inner_join(festivals::table.on(festivals::id.eq(festival_photos::festival_id)))
        .filter(festival_photos::id.eq(id))
        .select((PhotoRow::as_select(), festivals::unit_code))
        .first(conn)
        .optional()
}
