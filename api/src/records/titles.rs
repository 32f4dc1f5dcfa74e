//! The emulation titles of a unit's sub-units (`shared::titles`; TT 124 arts. 6.5, 7.6): declared
//! once a year by whoever prepares the unit's assessment (the school's or the agency's own
//! account, arts. 9–10), read by whoever sees the unit; the share decides the 70% criterion of
//! its assessment (5 of an agency or enterprise, 6 of a school;
//! `assessments::service::evidence`).

use bvantq_shared::recognition::Step;
use bvantq_shared::tip::vn_date;
use bvantq_shared::titles::{
    SubunitTitles, SubunitTitlesRequest, TITLED_KINDS, TitlesStatus, meets,
};
use bvantq_shared::{Role, ValidationError};
use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;

use super::service::unit_of;
use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::db::schema::subunit_titles;
use crate::infra::error::ApiError;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = subunit_titles)]
pub struct TitlesRow {
    pub unit_code: String,
    pub year: i32,
    pub subunits: i32,
    pub titled: i32,
    pub titles: String,
    pub document: String,
    pub note: Option<String>,
    pub recorded_by: String,
    /// UTC.
    pub recorded_at: NaiveDateTime,
}

/// A unit's declaration of `year`, if any.
pub fn of_unit(conn: &mut DbConn, code: &str, year: i32) -> QueryResult<Option<TitlesRow>> {
    subunit_titles::table
        .find((code, year))
        .select(TitlesRow::as_select())
        .first(conn)
        .optional()
}

/// Keeps a declaration (a second one of the same year replaces the first; the caller's write
/// transaction, `Core::db_write`, holds both statements).
fn put(conn: &mut DbConn, row: &TitlesRow) -> QueryResult<()> {
    diesel::delete(subunit_titles::table.find((&row.unit_code, row.year))).execute(conn)?;
    diesel::insert_into(subunit_titles::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A kept row as the API gives it, against the share `threshold_percent`.
pub fn titles_of(row: TitlesRow, threshold_percent: u32) -> Result<SubunitTitles, ApiError> {
    let count = |n: i32, what: &str| {
        u32::try_from(n)
            .map_err(|_| ApiError::internal(format!("negative {what} in subunit_titles")))
    };
    let (subunits, titled) = (
        count(row.subunits, "subunits")?,
        count(row.titled, "titled")?,
    );
    Ok(SubunitTitles {
        unit_code: row.unit_code,
        year: row.year,
        subunits,
        titled,
        titles: row.titles,
        document: row.document,
        note: row.note,
        percent: bvantq_shared::api::percent(i64::from(titled), i64::from(subunits)),
        threshold_percent,
        meets: meets(titled, subunits, threshold_percent),
        recorded_at: row.recorded_at,
    })
}

/// The share the unit's criteria set asks for: the set a new assessment of the unit would use
/// (the province's own, else the national one).
fn threshold_of(conn: &mut DbConn, unit: &crate::units::store::UnitRow) -> Result<u32, ApiError> {
    let set = crate::assessments::service::set_for(conn, unit.kind, unit.province_code())?;
    Ok(set.children_threshold_percent)
}

/// `PUT /units/{code}/subunit-titles/{year}`: the unit's own account declares its sub-units'
/// titles of a year, this year or one before.
pub fn put_titles(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    req: &SubunitTitlesRequest,
    now: NaiveDateTime,
) -> Result<SubunitTitles, ApiError> {
    crate::auth::require_role(user, &[Role::SchoolAdmin, Role::OrgAdmin])?;
    let year = crate::infra::request::check_year("year", year)?;
    if year > vn_date(now).year() {
        return Err(ApiError::field("year", ValidationError::DateInFuture));
    }
    let t = req.parse().map_err(ApiError::Validation)?;
    let unit = unit_of(conn, user, code, TITLED_KINDS)?;
    if !crate::assessments::service::may(user, &unit, Step::Prepare) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let count = |n: u32| i32::try_from(n).map_err(|_| ApiError::internal("count beyond i32"));
    let row = TitlesRow {
        unit_code: unit.code.clone(),
        year,
        subunits: count(t.subunits)?,
        titled: count(t.titled)?,
        titles: t.titles,
        document: t.document,
        note: t.note,
        recorded_by: user.id.clone(),
        recorded_at: now,
    };
    put(conn, &row)?;
    let threshold = threshold_of(conn, &unit)?;
    titles_of(row, threshold)
}

/// Who reads a declaration: whoever oversees the unit — its own account, the commune's police
/// and leaders (who decide its recognition), the province, the education department for schools
/// (`Role::sees_kind` and the scope keep each to its units).
const READERS: [Role; 6] = [
    Role::WardOfficer,
    Role::SchoolAdmin,
    Role::OrgAdmin,
    Role::ProvinceOfficer,
    Role::CommuneLeader,
    Role::EducationOfficer,
];

/// `GET /units/{code}/subunit-titles/{year}`: the declaration of the year, if any, for whoever
/// sees the unit's assessment.
pub fn get_titles(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
) -> Result<TitlesStatus, ApiError> {
    crate::auth::require_role(user, &READERS)?;
    let year = crate::infra::request::check_year("year", year)?;
    let unit = unit_of(conn, user, code, TITLED_KINDS)?;
    let threshold = threshold_of(conn, &unit)?;
    let declared = of_unit(conn, &unit.code, year)?
        .map(|row| titles_of(row, threshold))
        .transpose()?;
    Ok(TitlesStatus {
        unit_code: unit.code,
        year,
        threshold_percent: threshold,
        declared,
    })
}
