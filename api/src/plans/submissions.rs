//! Annual reports sent through the platform (báo cáo tổng kết năm): a commune sends its report of
//! a year — the year's dashboard frozen at sending and the figures the seeds ask for that the
//! platform does not hold — by the day of the province's calendar (15/11 by default); the
//! province sees who has sent, on time or late, who has not, and opens each.

use bvantq_shared::plan::calendar::ReportingStep;
use bvantq_shared::plan::submission::{
    AnnualReport, AnnualReportRequest, FigureValue, SentVersion, SubmissionBoard, SubmissionLine,
    UnitSubmissions, submission_state,
};
use bvantq_shared::{Role, UnitKind};
use chrono::{NaiveDate, NaiveDateTime};

use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::plans::store::{self, AnnualReportRow};
use crate::plans::versions::province_kept_by;
use crate::plans::{calendar, service};
use crate::units::scope::require_code;
use crate::units::store as units;

/// Who sends a commune's report: its police (seed 002 §IV.1 names «UBND, Công an cấp xã»).
const SENDERS: [Role; 2] = [Role::WardOfficer, Role::CommuneHead];
/// Who opens a report: its senders and the province's officers.
const READERS: [Role; 3] = [Role::WardOfficer, Role::CommuneHead, Role::ProvinceOfficer];

/// The day the annual report of `year` is due in `province` (its calendar or the default).
fn due_on(conn: &mut DbConn, province: &str, year: i32) -> Result<NaiveDate, ApiError> {
    calendar::settings_of(conn, province)?
        .due_on(ReportingStep::UnitAnnualReport, year)
        .ok_or_else(|| ApiError::internal("calendar without the annual report"))
}

/// `POST /units/{code}/annual-reports`: the commune `code` sends its report of the year (a new
/// version each time; the first decides whether it came on time).
pub fn send(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &AnnualReportRequest,
    now: NaiveDateTime,
) -> Result<AnnualReport, ApiError> {
    crate::auth::require_role(user, &SENDERS)?;
    crate::infra::request::check_year("year", req.year)?;
    req.check().map_err(ApiError::Validation)?;
    let parsed = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("code", e))?;
    let unit = require_code(conn, user, &parsed)?;
    if unit.kind != UnitKind::Commune {
        // The annual report is a commune's (seed 002 §IV.1); other units report through it.
        return Err(ApiError::field(
            "code",
            bvantq_shared::ValidationError::UnitKindNotAllowed,
        ));
    }
    let dashboard = service::dashboard(conn, user, &unit.code, req.year, now)?;
    let version = store::annual_reports_of(conn, std::slice::from_ref(&unit.code), req.year)?
        .iter()
        .map(|(_, v, _, _)| *v)
        .max()
        .map_or(1, |last| last + 1);
    let id = db::new_id();
    store::insert_annual_report(
        conn,
        &AnnualReportRow {
            id: id.clone(),
            unit_code: unit.code.clone(),
            year: req.year,
            version,
            figures: serde_json::to_string(&req.figures).map_err(ApiError::internal)?,
            note: req.note.clone().filter(|n| !n.trim().is_empty()),
            dashboard: serde_json::to_string(&dashboard).map_err(ApiError::internal)?,
            sent_by: user.id.clone(),
            sent_at: now,
        },
    )?;
    read(conn, &id, now)
}

/// A stored report with its state; rows that no longer parse are errors, never empty figures.
fn read(conn: &mut DbConn, id: &str, now: NaiveDateTime) -> Result<AnnualReport, ApiError> {
    let row = store::annual_report(conn, id)?.ok_or(ApiError::NotFound)?;
    let unit = units::find(conn, &row.unit_code)?.ok_or(ApiError::NotFound)?;
    let due = due_on(conn, unit.province_code(), row.year)?;
    let first = store::annual_reports_of(conn, std::slice::from_ref(&row.unit_code), row.year)?
        .first()
        .map(|(_, _, _, at)| bvantq_shared::tip::vn_date(*at));
    let figures: Vec<FigureValue> =
        serde_json::from_str(&row.figures).map_err(ApiError::internal)?;
    Ok(AnnualReport {
        id: row.id,
        unit_code: row.unit_code,
        unit_name: unit.full_name,
        year: row.year,
        version: row.version,
        sent_at: row.sent_at,
        due_on: due,
        state: submission_state(due, first, bvantq_shared::tip::vn_date(now)),
        figures,
        note: row.note,
        dashboard: serde_json::from_str(&row.dashboard).map_err(ApiError::internal)?,
    })
}

/// `GET /annual-reports/{id}`: a report, for its commune's police and the province's officers.
pub fn one(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    now: NaiveDateTime,
) -> Result<AnnualReport, ApiError> {
    crate::auth::require_role(user, &READERS)?;
    let row = store::annual_report(conn, id)?.ok_or(ApiError::NotFound)?;
    let code = bvantq_shared::UnitCode::parse(&row.unit_code).map_err(ApiError::internal)?;
    // Out of the caller's scope reads as absent, not as forbidden.
    require_code(conn, user, &code).map_err(|e| match e {
        ApiError::Forbidden(_) => ApiError::NotFound,
        e => e,
    })?;
    read(conn, id, now)
}

/// `GET /units/{code}/annual-reports?year=…`: the commune's sendings of the year and its state,
/// for its police and the province's officers.
pub fn of_unit(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<UnitSubmissions, ApiError> {
    crate::auth::require_role(user, &READERS)?;
    crate::infra::request::check_year("year", year)?;
    let code = bvantq_shared::UnitCode::parse(code).map_err(|e| ApiError::field("code", e))?;
    let unit = require_code(conn, user, &code)?;
    if unit.kind != UnitKind::Commune {
        return Err(ApiError::field(
            "code",
            bvantq_shared::ValidationError::UnknownValue { allowed: &[] },
        ));
    }
    let due = due_on(conn, unit.province_code(), year)?;
    let versions: Vec<SentVersion> =
        store::annual_reports_of(conn, std::slice::from_ref(&unit.code), year)?
            .into_iter()
            .map(|(_, version, id, sent_at)| SentVersion {
                id,
                version,
                sent_at,
            })
            .collect();
    let first = versions
        .first()
        .map(|v| bvantq_shared::tip::vn_date(v.sent_at));
    Ok(UnitSubmissions {
        state: submission_state(due, first, bvantq_shared::tip::vn_date(now)),
        unit_code: unit.code,
        unit_name: unit.full_name,
        year,
        due_on: due,
        versions,
    })
}

/// `GET /provinces/{code}/annual-reports?year=…`: every current commune of the province with its
/// state on the province's day.
pub fn board(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<SubmissionBoard, ApiError> {
    crate::infra::request::check_year("year", year)?;
    let province = province_kept_by(conn, user, code)?;
    let today = bvantq_shared::tip::vn_date(now);
    let due = due_on(conn, &province, year)?;
    let communes: Vec<units::UnitRow> = units::children(conn, &province, today)?
        .into_iter()
        .filter(|u| u.kind == UnitKind::Commune)
        .collect();
    let codes: Vec<String> = communes.iter().map(|u| u.code.clone()).collect();
    let sent = store::annual_reports_of(conn, &codes, year)?;
    let lines = communes
        .into_iter()
        .map(|u| {
            let mine: Vec<&(String, i32, String, NaiveDateTime)> =
                sent.iter().filter(|s| s.0 == u.code).collect();
            let first_sent_at = mine.first().map(|s| s.3);
            SubmissionLine {
                state: submission_state(due, first_sent_at.map(bvantq_shared::tip::vn_date), today),
                first_sent_at,
                latest_id: mine.last().map(|s| s.2.clone()),
                versions: mine.len() as i64,
                unit_code: u.code,
                unit_name: u.full_name,
            }
        })
        .collect();
    Ok(SubmissionBoard {
        province_code: province,
        year,
        due_on: due,
        lines,
    })
}
