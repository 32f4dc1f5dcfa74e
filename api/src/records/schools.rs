//! The education department's board of a province's schools (`shared::education`): each school
//! with its pupils' pledge coverage, its registration, assessment, briefings and models, read
//! from the same records the dashboard counts, with the province's totals.

use std::collections::{HashMap, HashSet};

use bvantq_shared::education::{SchoolBoard, SchoolLine, totals};
use bvantq_shared::records::Share;
use bvantq_shared::{PledgeKind, Role, UnitKind};
use chrono::NaiveDateTime;

use super::registration_store;
use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::store::coverage;
use crate::units::store::{self as units, TreeUnit};

/// Who reads the board: the education department and the province's officers.
const READERS: [Role; 2] = [Role::EducationOfficer, Role::ProvinceOfficer];

/// `GET /provinces/{code}/schools?year=…`: the schools of the caller's province in the
/// assessment period of `year`.
pub fn board(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<SchoolBoard, ApiError> {
    crate::auth::require_role(user, &READERS)?;
    crate::infra::request::check_year("year", year)?;
    let province = units::find(conn, code)?
        .filter(|u| u.kind == UnitKind::Province)
        .ok_or(ApiError::NotFound)?;
    if user.role != Role::Admin && user.scope.as_str() != province.code {
        return Err(ApiError::Forbidden("out_of_scope"));
    }
    let today = bvantq_shared::tip::vn_date(now);
    let all = units::subtree(conn, &province.path, today)?;
    let names: HashMap<&str, &str> = all
        .iter()
        .map(|u| (u.code.as_str(), u.full_name.as_str()))
        .collect();
    let mut schools: Vec<&TreeUnit> = all.iter().filter(|u| u.kind == UnitKind::School).collect();
    schools.sort_by(|a, b| a.code.cmp(&b.code));
    let codes: Vec<String> = schools.iter().map(|u| u.code.clone()).collect();
    // Each school's pupils (expected, signed): a school without a counter row has had no pledge
    // and declared no roster — none of either.
    let mut pupils: HashMap<&str, (i64, i64)> =
        codes.iter().map(|c| (c.as_str(), (0, 0))).collect();
    for (u, n) in coverage::expected_of(conn, &codes, year, PledgeKind::Student)? {
        if let Some(p) = pupils.get_mut(u.as_str()) {
            p.0 += n;
        }
    }
    for (u, n) in coverage::signed_of(conn, &codes, year, PledgeKind::Student)? {
        if let Some(p) = pupils.get_mut(u.as_str()) {
            p.1 += n;
        }
    }
    let exclusions: HashMap<String, _> = registration_store::exclusions_of(conn, &codes)?
        .into_iter()
        .collect();
    let registered: HashSet<String> =
        registration_store::registered_under(conn, &province.path, year)?
            .into_iter()
            .collect();
    let states: HashMap<String, _> =
        crate::assessments::store::states_under(conn, &province.path, year)?
            .into_iter()
            .collect();
    let approved: HashMap<String, _> =
        crate::assessments::store::approved_under(conn, &province.path, year)?
            .into_iter()
            .map(|a| (a.unit_code.clone(), a))
            .collect();
    let briefed = super::briefings::briefed_under(conn, &province.path, &all, year)?;
    let with_model = super::units_with_model(conn, &province.path, year)?;
    let lines: Vec<SchoolLine> = schools
        .into_iter()
        .map(|u| {
            let a = approved.get(&u.code);
            let (expected, signed) = pupils
                .get(u.code.as_str())
                .copied()
                .ok_or_else(|| ApiError::internal("a school without its pupils' line"))?;
            Ok(SchoolLine {
                commune_name: u
                    .parent_code
                    .as_deref()
                    .and_then(|p| names.get(p))
                    .map(|n| n.to_string()),
                commune_code: u.parent_code.clone(),
                exclusion: exclusions.get(&u.code).copied(),
                registered: registered.contains(&u.code),
                pupils: Share::new(expected, signed),
                assessment: states.get(&u.code).copied(),
                recognised: a.and_then(|a| a.recognised),
                classification: a.and_then(|a| a.classification),
                briefed: briefed.contains(&u.code),
                with_model: with_model.contains(&u.code),
                unit_code: u.code.clone(),
                unit_name: u.full_name.clone(),
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(SchoolBoard {
        province_code: province.code,
        year,
        totals: totals(&lines),
        lines,
    })
}
