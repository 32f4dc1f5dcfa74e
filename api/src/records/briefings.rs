//! Briefings and trainings of an agency's, enterprise's or school's people (`shared::briefing`):
//! the unit itself, the commune's police and the province record a session held for the unit or
//! one of its classes or departments; the board of a year lists them with how far they reached,
//! and the assessments read the same coverage as evidence for criterion 1 (arts. 6.1, 7.1).

use bvantq_shared::assessment::Period;
use bvantq_shared::briefing::{
    self, Briefing, BriefingBoard, BriefingGroup, BriefingRequest, Coverage, Session,
};
use bvantq_shared::tip::vn_date;
use bvantq_shared::{Role, UnitKind};
use chrono::NaiveDateTime;

use super::briefing_store::{self as store, BriefingRow};
use super::service::unit_of;
use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::units::store::{self as units, TreeUnit, UnitRow};

/// Who records a session: the unit's own account, the commune's police, the province.
const RECORDERS: [Role; 5] = [
    Role::SchoolAdmin,
    Role::OrgAdmin,
    Role::WardOfficer,
    Role::CommuneHead,
    Role::ProvinceOfficer,
];

/// The units whose people are briefed (arts. 6.1, 7.1).
const BRIEFED: [UnitKind; 3] = [UnitKind::Agency, UnitKind::Enterprise, UnitKind::School];

/// `POST /units/{code}/briefings`: a session held for an agency, enterprise or school, or for
/// one of its classes or departments.
pub fn add(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &BriefingRequest,
    now: NaiveDateTime,
) -> Result<Briefing, ApiError> {
    crate::auth::require_role(user, &RECORDERS)?;
    let topic = req.check(vn_date(now)).map_err(ApiError::Validation)?;
    let target = unit_of(
        conn,
        user,
        code,
        &[
            UnitKind::Agency,
            UnitKind::Enterprise,
            UnitKind::School,
            UnitKind::Class,
            UnitKind::Department,
        ],
    )?;
    let owner = match target.kind {
        UnitKind::Class | UnitKind::Department => {
            let parent = target
                .parent_code
                .as_deref()
                .ok_or_else(|| ApiError::internal("a class without its school"))?;
            units::find(conn, parent)?.ok_or_else(|| ApiError::internal("parent missing"))?
        }
        _ => target.clone(),
    };
    let row = BriefingRow {
        id: db::new_id(),
        unit_code: owner.code.clone(),
        group_code: (target.code != owner.code).then(|| target.code.clone()),
        held_on: req.held_on,
        topic,
        attendance: count(req.attendance)?,
        headcount: count(req.headcount)?,
        flag_ceremony: req.flag_ceremony && owner.kind == UnitKind::School,
        recorded_by: user.id.clone(),
        recorded_at: now,
    };
    store::insert(conn, &row)?;
    briefing_of(row, &target.full_name)
}

fn count(n: u32) -> Result<i32, ApiError> {
    i32::try_from(n).map_err(|_| ApiError::internal("a checked count out of range"))
}

/// A stored row's (attendance, headcount): checked on the way in, so a negative one is a broken
/// row, not a zero.
fn counts(r: &BriefingRow) -> Result<(u32, u32), ApiError> {
    match (u32::try_from(r.attendance), u32::try_from(r.headcount)) {
        (Ok(a), Ok(h)) => Ok((a, h)),
        _ => Err(ApiError::internal(format!(
            "briefing {} with a negative count",
            r.id
        ))),
    }
}

fn briefing_of(r: BriefingRow, unit_name: &str) -> Result<Briefing, ApiError> {
    let (attendance, headcount) = counts(&r)?;
    Ok(Briefing {
        id: r.id,
        unit_code: r.group_code.unwrap_or(r.unit_code),
        unit_name: unit_name.to_string(),
        held_on: r.held_on,
        topic: r.topic,
        attendance,
        headcount,
        flag_ceremony: r.flag_ceremony,
    })
}

/// The unit's sessions in `period` and its current classes or departments.
fn sessions_of(
    conn: &mut DbConn,
    unit: &UnitRow,
    period: &Period,
) -> Result<(Vec<BriefingRow>, Vec<UnitRow>), ApiError> {
    let rows = store::of_unit(conn, &unit.code, period.starts_on, period.ends_on)?;
    let groups = units::children(conn, &unit.code, period.ends_on)?
        .into_iter()
        .filter(|u| matches!(u.kind, UnitKind::Class | UnitKind::Department))
        .collect();
    Ok((rows, groups))
}

/// How far `rows` reached the classes or departments with the codes `groups`.
fn coverage_of(rows: &[BriefingRow], groups: &[String]) -> Result<Coverage, ApiError> {
    let sessions = rows
        .iter()
        .map(|r| {
            let (attendance, headcount) = counts(r)?;
            Ok(Session {
                group: r.group_code.clone(),
                attendance,
                headcount,
            })
        })
        .collect::<Result<Vec<Session>, ApiError>>()?;
    Ok(briefing::coverage(&sessions, groups))
}

/// `GET /units/{code}/briefings?year=`: an agency's, enterprise's or school's sessions in its
/// assessment period of `year`, and how far they reached.
pub fn board(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
) -> Result<BriefingBoard, ApiError> {
    crate::infra::request::check_year("year", year)?;
    let unit = unit_of(conn, user, code, &BRIEFED)?;
    let period = crate::assessments::service::period_of(unit.kind, year)?;
    let (rows, groups) = sessions_of(conn, &unit, &period)?;
    let coverage = coverage_of(&rows, &codes_of(&groups))?;
    let name_of = |code: &str| match groups.iter().find(|g| g.code == code) {
        Some(g) => g.full_name.clone(),
        None => unit.full_name.clone(),
    };
    let briefings = rows
        .into_iter()
        .map(|r| {
            let name = name_of(r.group_code.as_deref().unwrap_or(&unit.code));
            briefing_of(r, &name)
        })
        .collect::<Result<Vec<Briefing>, ApiError>>()?;
    Ok(BriefingBoard {
        unit_code: unit.code.clone(),
        year,
        briefings,
        coverage,
        groups: groups
            .into_iter()
            .map(|g| BriefingGroup {
                code: g.code,
                name: g.full_name,
            })
            .collect(),
    })
}

/// How far the unit's people were briefed in `period` (the assessments' evidence).
pub fn coverage(conn: &mut DbConn, unit: &UnitRow, period: &Period) -> Result<Coverage, ApiError> {
    let (rows, groups) = sessions_of(conn, unit, period)?;
    coverage_of(&rows, &codes_of(&groups))
}

fn codes_of(groups: &[UnitRow]) -> Vec<String> {
    groups.iter().map(|g| g.code.clone()).collect()
}

/// The agencies, enterprises and schools among `all` (the units under `path`, as the dashboard
/// reads them today) whose people were all briefed in their assessment period of `year`; their
/// classes and departments are those among `all`.
pub fn briefed_under(
    conn: &mut DbConn,
    path: &str,
    all: &[TreeUnit],
    year: i32,
) -> Result<std::collections::HashSet<String>, ApiError> {
    let periods = BRIEFED
        .iter()
        .map(|k| Ok((*k, crate::assessments::service::period_of(*k, year)?)))
        .collect::<Result<Vec<(UnitKind, Period)>, ApiError>>()?;
    let (Some(from), Some(to)) = (
        periods.iter().map(|(_, p)| p.starts_on).min(),
        periods.iter().map(|(_, p)| p.ends_on).max(),
    ) else {
        return Err(ApiError::internal("no briefed kinds"));
    };
    let mut by_unit: std::collections::HashMap<String, Vec<BriefingRow>> = Default::default();
    for r in store::under(conn, path, from, to)? {
        by_unit.entry(r.unit_code.clone()).or_default().push(r);
    }
    let mut out = std::collections::HashSet::new();
    for u in all.iter().filter(|u| BRIEFED.contains(&u.kind)) {
        let Some((_, period)) = periods.iter().find(|(k, _)| *k == u.kind) else {
            continue;
        };
        let rows: Vec<BriefingRow> = by_unit
            .remove(&u.code)
            .into_iter()
            .flatten()
            .filter(|r| r.held_on >= period.starts_on && r.held_on <= period.ends_on)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let groups: Vec<String> = all
            .iter()
            .filter(|g| g.parent_code.as_deref() == Some(u.code.as_str()))
            .filter(|g| matches!(g.kind, UnitKind::Class | UnitKind::Department))
            .map(|g| g.code.clone())
            .collect();
        if coverage_of(&rows, &groups)?.complete {
            out.insert(u.code.clone());
        }
    }
    Ok(out)
}
