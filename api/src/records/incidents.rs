//! The events of criterion 4 (`shared::incident`): the commune's police and the province record
//! them in a commune or a unit of it; the board of a year lists those of the unit's assessment
//! period with what the force-majeure exception of TT 124 art. 4.4 says of each, and the
//! assessments read the same verdict as evidence.

use bvantq_shared::assessment::{self as a, Period};
use bvantq_shared::incident::{
    self, Facts, Incident, IncidentBoard, IncidentRequest, Verdict, reported_promptly,
};
use bvantq_shared::{Role, UnitKind};
use chrono::{NaiveDateTime, TimeDelta};

use super::incident_store::{self as store, IncidentRow};
use super::service::unit_of;
use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::units::store::UnitRow;

/// Who records an event: the commune's police and the province.
const RECORDERS: [Role; 3] = [Role::WardOfficer, Role::CommuneHead, Role::ProvinceOfficer];

/// The units an event is recorded in: a commune and the units the commune's rule counts.
const KINDS: [UnitKind; 5] = [
    UnitKind::Commune,
    UnitKind::ResidentialArea,
    UnitKind::Agency,
    UnitKind::Enterprise,
    UnitKind::School,
];

fn facts(r: &IncidentRow) -> Facts {
    Facts {
        kind: r.kind,
        occurred_at: r.occurred_at,
        reported_at: r.reported_at,
        force_majeure: r.force_majeure,
    }
}

fn incident_of(r: IncidentRow, hours: u32) -> Incident {
    let f = facts(&r);
    Incident {
        reported_promptly: reported_promptly(&f, hours),
        excused: incident::excused(&f, hours),
        id: r.id,
        unit_code: r.unit_code,
        kind: r.kind,
        occurred_at: r.occurred_at,
        reported_at: r.reported_at,
        force_majeure: r.force_majeure,
        description: r.description,
    }
}

/// The hours a report may take for the unit: its criteria set's (a province's own set may change
/// the default).
fn hours_for(conn: &mut DbConn, unit: &UnitRow) -> Result<u32, ApiError> {
    let set = crate::assessments::service::set_for(conn, unit.kind, unit.province_code())?;
    Ok(set.prompt_report_hours)
}

/// `POST /units/{code}/incidents`: an event in a commune or a unit of it.
pub fn add(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &IncidentRequest,
    now: NaiveDateTime,
) -> Result<Incident, ApiError> {
    crate::auth::require_role(user, &RECORDERS)?;
    let description = req
        .check(now + TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS))
        .map_err(ApiError::Validation)?;
    let unit = unit_of(conn, user, code, &KINDS)?;
    let hours = hours_for(conn, &unit)?;
    let row = IncidentRow {
        id: db::new_id(),
        unit_code: unit.code,
        unit_path: unit.path,
        kind: req.kind,
        occurred_at: req.occurred_at,
        reported_at: req.reported_at,
        force_majeure: req.force_majeure,
        description,
        recorded_by: user.id.clone(),
        recorded_at: now,
    };
    store::insert(conn, &row)?;
    Ok(incident_of(row, hours))
}

/// The events of the unit at `unit` (and the units under it) in `period`.
fn in_period(
    conn: &mut DbConn,
    unit: &UnitRow,
    period: &Period,
) -> Result<Vec<IncidentRow>, ApiError> {
    let day = |d: chrono::NaiveDate| d.and_time(chrono::NaiveTime::MIN);
    let end = period
        .ends_on
        .succ_opt()
        .ok_or_else(|| ApiError::internal("period without a next day"))?;
    Ok(store::under(
        conn,
        &unit.path,
        day(period.starts_on),
        day(end),
    )?)
}

/// `GET /units/{code}/incidents?year=`: the events of the unit's assessment period of `year`.
pub fn board(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
) -> Result<IncidentBoard, ApiError> {
    crate::auth::require_security_records(user)?;
    crate::infra::request::check_year("year", year)?;
    let unit = unit_of(conn, user, code, &KINDS)?;
    let period = crate::assessments::service::period_of(unit.kind, year)?;
    let hours = hours_for(conn, &unit)?;
    let incidents = in_period(conn, &unit, &period)?
        .into_iter()
        .map(|r| incident_of(r, hours))
        .collect();
    Ok(IncidentBoard {
        unit_code: unit.code,
        year,
        starts_on: period.starts_on,
        ends_on: period.ends_on,
        prompt_report_hours: hours,
        incidents,
    })
}

/// What the events of the period say of criterion 4, with the set's hours (the assessments'
/// evidence).
pub fn verdict(
    conn: &mut DbConn,
    set: &a::CriteriaSet,
    unit: &UnitRow,
    period: &Period,
) -> Result<Verdict, ApiError> {
    let rows = in_period(conn, unit, period)?;
    let facts: Vec<Facts> = rows.iter().map(facts).collect();
    Ok(incident::verdict(&facts, set.prompt_report_hours))
}
