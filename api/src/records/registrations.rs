//! Registrations of quarter I and the units outside Thông tư 124 (`shared::registration`): who
//! records them (the commune's police for every unit of the commune and the commune itself, the
//! province for its communes, a school's or an agency's own account for its own registration),
//! the commune's board of who has not registered, and the commune's rule of art. 5.4 over its
//! eligible units.

use std::collections::HashMap;

use bvantq_shared::registration::{
    COUNTED_KINDS, CommuneRule, ELIGIBILITY_KEEPERS, EligibilityRequest, Exclusion,
    REGISTERING_KINDS, Registration, RegistrationBoard, RegistrationLine, RegistrationRequest,
    RuleUnit, commune_rule, exclusion_fits, in_quarter_one,
};
use bvantq_shared::tip::vn_date;
use bvantq_shared::{Role, UnitKind, ValidationError};
use chrono::{Datelike, NaiveDate, NaiveDateTime};

use super::registration_store::{self as store, RegistrationRow};
use super::service::unit_of;
use crate::assessments::store as assessments;
use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::units::store::{self as units, TreeUnit, UnitRow};

/// Who records a registration: the commune's police, the province (for a commune), and a
/// school's or agency's or enterprise's account for its own unit (their scope limits them).
const REGISTRARS: [Role; 5] = [
    Role::WardOfficer,
    Role::CommuneHead,
    Role::ProvinceOfficer,
    Role::SchoolAdmin,
    Role::OrgAdmin,
];

fn registration_of(row: RegistrationRow) -> Registration {
    Registration {
        in_quarter_one: in_quarter_one(row.registered_on, row.year),
        unit_code: row.unit_code,
        year: row.year,
        registered_on: row.registered_on,
        document: row.document,
        note: row.note,
        recorded_at: row.recorded_at,
    }
}

/// `PUT /units/{code}/registrations/{year}`: a unit's registration of a year, this year or one
/// before; a unit outside the Thông tư does not register.
pub fn put_registration(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    req: &RegistrationRequest,
    now: NaiveDateTime,
) -> Result<Registration, ApiError> {
    crate::auth::require_role(user, &REGISTRARS)?;
    let year = crate::infra::request::check_year("year", year)?;
    if year > vn_date(now).year() {
        return Err(ApiError::field("year", ValidationError::DateInFuture));
    }
    let r = req
        .parse(year, vn_date(now))
        .map_err(ApiError::Validation)?;
    let unit = unit_of(conn, user, code, REGISTERING_KINDS)?;
    if store::exclusion(conn, &unit.code)?.is_some() {
        return Err(ApiError::field("code", ValidationError::OutsideTt124));
    }
    let row = RegistrationRow {
        unit_code: unit.code,
        year,
        registered_on: r.registered_on,
        document: r.document,
        note: r.note,
        recorded_by: user.id.clone(),
        recorded_at: now,
    };
    store::put(conn, &row)?;
    Ok(registration_of(row))
}

/// `PUT /units/{code}/eligibility`: why an agency, enterprise or school is outside the Thông tư
/// (art. 1.2.b), or `null` to count it again. Answers the unit's line of this year.
pub fn put_eligibility(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &EligibilityRequest,
    now: NaiveDateTime,
) -> Result<RegistrationLine, ApiError> {
    crate::auth::require_role(user, ELIGIBILITY_KEEPERS)?;
    let wanted = match req.exclusion.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(Exclusion::parse(s).map_err(|e| ApiError::field("exclusion", e))?),
    };
    let unit = unit_of(conn, user, code, COUNTED_KINDS)?;
    if let Some(e) = wanted
        && !exclusion_fits(unit.kind, e)
    {
        return Err(ApiError::field("exclusion", ValidationError::OutsideTt124));
    }
    units::set_exclusion(conn, &unit.code, wanted, &user.id, now)?;
    let mut lines = lines_of(conn, vec![unit.into()], vn_date(now).year())?;
    lines
        .pop()
        .ok_or_else(|| ApiError::internal("the unit's line is missing"))
}

/// Each of `units` with its exclusion, its registration of `year` and whether an approved
/// assessment of that year recognises it.
fn lines_of(
    conn: &mut DbConn,
    units: Vec<TreeUnit>,
    year: i32,
) -> Result<Vec<RegistrationLine>, ApiError> {
    let codes: Vec<String> = units.iter().map(|u| u.code.clone()).collect();
    let excluded: HashMap<String, Exclusion> =
        store::exclusions_of(conn, &codes)?.into_iter().collect();
    let mut registered: HashMap<String, RegistrationRow> = store::of_units(conn, &codes, year)?
        .into_iter()
        .map(|r| (r.unit_code.clone(), r))
        .collect();
    let recognised = assessments::recognised_among(conn, &codes, year)?;
    Ok(units
        .into_iter()
        .map(|u| RegistrationLine {
            exclusion: excluded.get(&u.code).copied(),
            registration: registered.remove(&u.code).map(registration_of),
            recognised: recognised.contains(&u.code),
            unit_code: u.code,
            unit_name: u.full_name,
            unit_kind: u.kind,
        })
        .collect())
}

/// The commune's rule (art. 5.4) over lines of its units.
pub fn rule_of(lines: &[RegistrationLine], threshold_percent: u32) -> CommuneRule {
    let units: Vec<RuleUnit> = lines
        .iter()
        .map(|l| RuleUnit {
            excluded: l.exclusion.is_some(),
            registered: l.registration.is_some(),
            recognised: l.recognised,
        })
        .collect();
    commune_rule(&units, threshold_percent)
}

/// The residential areas, agencies, enterprises and schools of a commune with their
/// registration of `year` (the commune's own apart).
pub fn commune_lines(
    conn: &mut DbConn,
    commune: &UnitRow,
    year: i32,
    today: NaiveDate,
) -> Result<(Option<Registration>, Vec<RegistrationLine>), ApiError> {
    let mut all: Vec<TreeUnit> = units::subtree(conn, &commune.path, today)?
        .into_iter()
        .filter(|u| COUNTED_KINDS.contains(&u.kind))
        .collect();
    all.sort_by(|a, b| a.code.cmp(&b.code));
    let own = store::registration(conn, &commune.code, year)?.map(registration_of);
    Ok((own, lines_of(conn, all, year)?))
}

/// `GET /units/{code}/registrations?year=…`: a commune's board — its own registration, each of
/// its units with theirs, and the rule of art. 5.4 at the share its criteria set asks.
pub fn board(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<RegistrationBoard, ApiError> {
    crate::auth::require_security_records(user)?;
    let year = crate::infra::request::check_year("year", year)?;
    let commune = unit_of(conn, user, code, &[UnitKind::Commune])?;
    let set =
        crate::assessments::service::set_for(conn, UnitKind::Commune, commune.province_code())?;
    let (own, lines) = commune_lines(conn, &commune, year, vn_date(now))?;
    Ok(RegistrationBoard {
        year,
        own,
        rule: rule_of(&lines, set.children_threshold_percent),
        lines,
    })
}

/// A unit's registration of `year`, if any (for the assessment's evidence).
pub fn registration(
    conn: &mut DbConn,
    code: &str,
    year: i32,
) -> Result<Option<Registration>, ApiError> {
    Ok(store::registration(conn, code, year)?.map(registration_of))
}
