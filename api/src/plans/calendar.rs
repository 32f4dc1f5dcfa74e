//! The reporting year of a province: its dates for each step (its own, or the researched
//! defaults of `shared::plan::calendar`), read by every officer of the province, kept by the
//! province's officers.

use bvantq_shared::plan::calendar::{self, CalendarSettings, ReportingCalendar};
use chrono::NaiveDateTime;

use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::plans::store;
use crate::plans::versions::province_kept_by;

/// The province's own calendar, or the defaults; a stored one that no longer parses is an error,
/// never silently the defaults.
pub(crate) fn settings_of(conn: &mut DbConn, province: &str) -> Result<CalendarSettings, ApiError> {
    match store::calendar_of(conn, province)? {
        Some(json) => serde_json::from_str(&json).map_err(ApiError::internal),
        None => Ok(CalendarSettings::default()),
    }
}

/// `GET /calendar?unit=…&year=…`: the reporting year of the province `unit` lies in (any
/// officer; `unit` in the caller's scope, default the caller's scope unit).
pub fn read(
    conn: &mut DbConn,
    user: &AuthUser,
    unit: Option<&str>,
    year: i32,
    now: NaiveDateTime,
) -> Result<ReportingCalendar, ApiError> {
    crate::infra::request::check_year("year", year)?;
    let unit = crate::units::scope::target(conn, user, unit)?;
    let province = unit.province_code().to_string();
    let settings = settings_of(conn, &province)?;
    let today = bvantq_shared::tip::vn_date(now);
    Ok(ReportingCalendar {
        province_code: province,
        year,
        entries: calendar::calendar(&settings, year, today),
    })
}

/// `GET /provinces/{code}/calendar`: the province's dates, to edit.
pub fn settings(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
) -> Result<CalendarSettings, ApiError> {
    let province = province_kept_by(conn, user, code)?;
    settings_of(conn, &province)
}

/// `PUT /provinces/{code}/calendar`: the province's own dates, checked step by step.
pub fn put(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    input: &CalendarSettings,
    now: NaiveDateTime,
) -> Result<CalendarSettings, ApiError> {
    let province = province_kept_by(conn, user, code)?;
    input.check().map_err(ApiError::Validation)?;
    let json = serde_json::to_string(input).map_err(ApiError::internal)?;
    store::put_calendar(conn, &province, &json, &user.id, now)?;
    settings_of(conn, &province)
}
