//! The rules of the records: who keeps them (the commune's police for every unit of the
//! commune; a school's or an agency's own account for its models), what each board shows, and
//! which units count for a year (`shared::records::{model_counts, team_counts}`).

use std::collections::{HashMap, HashSet};

use bvantq_shared::records::{
    MODEL_KINDS, Member, Model, ModelBoard, ModelLine, ModelRating, ModelRequest, RatingRequest,
    Share, Team, TeamBoard, TeamLine, TeamRating, TeamRequest, model_counts, team_counts,
};
use bvantq_shared::{Role, UnitCode, UnitKind, ValidationError};
use chrono::{Datelike, NaiveDateTime};

use super::store::{self, MemberRow, ModelRow, TeamRow};
use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::units::scope::require_code;
use crate::units::store::{self as units, TreeUnit, UnitRow};

/// Who keeps a unit's models: the commune's police, and a school's or an agency's or
/// enterprise's own account for its own (their scope limits them to it).
const MODEL_KEEPERS: [Role; 4] = [
    Role::WardOfficer,
    Role::CommuneHead,
    Role::SchoolAdmin,
    Role::OrgAdmin,
];
/// Who keeps an area's team: the commune's police (Law 30/2023/QH15 art. 16: the commune's
/// police propose, the chairman decides; the police keep the list).
const TEAM_KEEPERS: [Role; 2] = [Role::WardOfficer, Role::CommuneHead];

fn today(now: NaiveDateTime) -> chrono::NaiveDate {
    bvantq_shared::tip::vn_date(now)
}

/// A unit by its code in the caller's scope, of one of `kinds` (422 naming `code` otherwise).
pub(super) fn unit_of(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    kinds: &[UnitKind],
) -> Result<UnitRow, ApiError> {
    let parsed = UnitCode::parse(code).map_err(|e| ApiError::field("code", e))?;
    let unit = require_code(conn, user, &parsed)?;
    if !kinds.contains(&unit.kind) {
        return Err(ApiError::field("code", ValidationError::UnitKindNotAllowed));
    }
    Ok(unit)
}

/// A year to review: a real one, not before `from`, not after this year.
fn review_year(year: i32, from: i32, now: NaiveDateTime) -> Result<i32, ApiError> {
    let year = crate::infra::request::check_year("year", year)?;
    if year < from {
        return Err(ApiError::field("year", ValidationError::EndBeforeStart));
    }
    if year > today(now).year() {
        return Err(ApiError::field("year", ValidationError::DateInFuture));
    }
    Ok(year)
}

fn model_of(row: ModelRow, rating: Option<ModelRating>, year: i32) -> Model {
    Model {
        counts: model_counts(row.started_on, row.retired_on, rating, year),
        id: row.id,
        unit_code: row.unit_code,
        name: row.name,
        kind: row.kind,
        started_on: row.started_on,
        members: i64::from(row.members),
        retired_on: row.retired_on,
        rating,
        updated_at: row.updated_at,
    }
}

/// `POST /units/{code}/models`: a model of a unit that keeps models, in the caller's scope.
pub fn add_model(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &ModelRequest,
    now: NaiveDateTime,
) -> Result<Model, ApiError> {
    crate::auth::require_role(user, &MODEL_KEEPERS)?;
    let m = req.parse(today(now)).map_err(ApiError::Validation)?;
    let unit = unit_of(conn, user, code, MODEL_KINDS)?;
    let row = ModelRow {
        id: db::new_id(),
        unit_code: unit.code,
        name: m.name,
        kind: m.kind,
        started_on: m.started_on,
        members: i32::try_from(m.members).map_err(ApiError::internal)?,
        retired_on: m.retired_on,
        created_by: user.id.clone(),
        updated_at: now,
    };
    store::insert_model(conn, &row)?;
    Ok(model_of(row, None, today(now).year()))
}

/// A model whose unit is in the caller's scope; one outside it reads as absent.
fn model_in_scope(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<ModelRow, ApiError> {
    let row = store::model(conn, id)?.ok_or(ApiError::NotFound)?;
    let code = UnitCode::parse(&row.unit_code).map_err(ApiError::internal)?;
    require_code(conn, user, &code).map_err(|e| match e {
        ApiError::Forbidden(_) => ApiError::NotFound,
        e => e,
    })?;
    Ok(row)
}

/// `PUT /models/{id}`: the model as it now stands (a retired one keeps its history).
pub fn edit_model(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    req: &ModelRequest,
    now: NaiveDateTime,
) -> Result<Model, ApiError> {
    crate::auth::require_role(user, &MODEL_KEEPERS)?;
    let m = req.parse(today(now)).map_err(ApiError::Validation)?;
    let mut row = model_in_scope(conn, user, id)?;
    row.name = m.name;
    row.kind = m.kind;
    row.started_on = m.started_on;
    row.members = i32::try_from(m.members).map_err(ApiError::internal)?;
    row.retired_on = m.retired_on;
    row.updated_at = now;
    store::update_model(conn, &row)?;
    Ok(model_of(row, None, today(now).year()))
}

/// `PUT /models/{id}/ratings/{year}`: the model's review of a year it ran in.
pub fn rate_model(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    year: i32,
    req: &RatingRequest,
    now: NaiveDateTime,
) -> Result<Model, ApiError> {
    crate::auth::require_role(user, &MODEL_KEEPERS)?;
    let rating = ModelRating::parse(req.rating.trim()).map_err(|e| ApiError::field("rating", e))?;
    let row = model_in_scope(conn, user, id)?;
    let year = review_year(year, row.started_on.year(), now)?;
    if row.retired_on.is_some_and(|r| r.year() < year) {
        return Err(ApiError::field("year", ValidationError::EndBeforeStart));
    }
    store::rate_model(conn, &row.id, year, rating, &user.id, now)?;
    Ok(model_of(row, Some(rating), year))
}

/// The units under `unit` of `kinds`, by code.
fn units_under(
    conn: &mut DbConn,
    unit: &UnitRow,
    kinds: &[UnitKind],
    now: NaiveDateTime,
) -> Result<Vec<TreeUnit>, ApiError> {
    if !matches!(unit.kind, UnitKind::Commune) && !kinds.contains(&unit.kind) {
        // A board lists one commune's units; a province reads the dashboard's figures.
        return Err(ApiError::field("code", ValidationError::UnitKindNotAllowed));
    }
    let mut all: Vec<TreeUnit> = units::subtree(conn, &unit.path, today(now))?
        .into_iter()
        .filter(|u| kinds.contains(&u.kind))
        .collect();
    all.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(all)
}

/// `GET /units/{code}/models?year=…`: the units of a commune (or one unit) that keep models,
/// each with its models and their review of the year.
pub fn model_board(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<ModelBoard, ApiError> {
    crate::infra::request::check_year("year", year)?;
    let unit = crate::units::scope::target(conn, user, Some(code))?;
    let list = units_under(conn, &unit, MODEL_KINDS, now)?;
    let mut by_unit: HashMap<String, Vec<Model>> = HashMap::new();
    for m in models_in(conn, &unit.path, year)? {
        by_unit.entry(m.unit_code.clone()).or_default().push(m);
    }
    let lines: Vec<ModelLine> = list
        .into_iter()
        .map(|u| {
            let models: Vec<Model> = by_unit.remove(&u.code).into_iter().flatten().collect();
            ModelLine {
                counts: models.iter().any(|m| m.counts),
                unit_code: u.code,
                unit_name: u.full_name,
                unit_kind: u.kind,
                models,
            }
        })
        .collect();
    let counted = lines.iter().filter(|l| l.counts).count();
    Ok(ModelBoard {
        year,
        share: Share::new(lines.len() as i64, counted as i64),
        lines,
    })
}

/// `PUT /units/{code}/security-team`: a residential area's team as established, its members
/// replacing the last list, in one transaction (the route's).
pub fn put_team(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    req: &TeamRequest,
    now: NaiveDateTime,
) -> Result<Team, ApiError> {
    crate::auth::require_role(user, &TEAM_KEEPERS)?;
    let t = req.parse(today(now)).map_err(ApiError::Validation)?;
    let unit = unit_of(conn, user, code, &[UnitKind::ResidentialArea])?;
    let team = TeamRow {
        unit_code: unit.code.clone(),
        founded_on: t.founded_on,
        decision_number: t.decision_number,
        updated_by: user.id.clone(),
        updated_at: now,
    };
    let members: Vec<MemberRow> = t
        .members
        .into_iter()
        .zip(0..)
        .map(|(m, seq)| MemberRow {
            unit_code: unit.code.clone(),
            seq,
            name: m.name,
            position: m.position,
            phone: m.phone,
            trained_on: m.trained_on,
        })
        .collect();
    store::put_team(conn, &team, &members)?;
    let year = today(now).year();
    let rating = store::team_rating(conn, &unit.code, year)?;
    Ok(team_of(team, &members, rating, year))
}

fn team_of(row: TeamRow, members: &[MemberRow], rating: Option<TeamRating>, year: i32) -> Team {
    let positions: Vec<_> = members.iter().map(|m| m.position).collect();
    Team {
        counts: team_counts(row.founded_on, &positions, year),
        trained: members.iter().filter(|m| m.trained_on.is_some()).count() as i64,
        members: members
            .iter()
            .map(|m| Member {
                name: m.name.clone(),
                position: m.position,
                phone: m.phone.clone(),
                trained_on: m.trained_on,
            })
            .collect(),
        unit_code: row.unit_code,
        founded_on: row.founded_on,
        decision_number: row.decision_number,
        rating,
        updated_at: row.updated_at,
    }
}

/// `PUT /units/{code}/security-team/ratings/{year}`: the team's review of a year it existed in.
pub fn rate_team(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    req: &RatingRequest,
    now: NaiveDateTime,
) -> Result<Team, ApiError> {
    crate::auth::require_role(user, &TEAM_KEEPERS)?;
    let rating = TeamRating::parse(req.rating.trim()).map_err(|e| ApiError::field("rating", e))?;
    let unit = unit_of(conn, user, code, &[UnitKind::ResidentialArea])?;
    let team = store::team(conn, &unit.code)?.ok_or(ApiError::NotFound)?;
    let year = review_year(year, team.founded_on.year(), now)?;
    store::rate_team(conn, &unit.code, year, rating, &user.id, now)?;
    let members = store::members_of(conn, std::slice::from_ref(&unit.code))?;
    Ok(team_of(team, &members, Some(rating), year))
}

/// `GET /units/{code}/security-teams?year=…`: the residential areas of a commune (or one area)
/// and their teams.
pub fn team_board(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &str,
    year: i32,
    now: NaiveDateTime,
) -> Result<TeamBoard, ApiError> {
    crate::auth::require_security_records(user)?;
    crate::infra::request::check_year("year", year)?;
    let unit = crate::units::scope::target(conn, user, Some(code))?;
    let areas = units_under(conn, &unit, &[UnitKind::ResidentialArea], now)?;
    let teams = teams_in(conn, &unit.path)?;
    let codes: Vec<String> = teams.iter().map(|(t, _)| t.unit_code.clone()).collect();
    let ratings: HashMap<String, TeamRating> = store::team_ratings_of(conn, &codes, year)?
        .into_iter()
        .collect();
    let mut teams: HashMap<String, (TeamRow, Vec<MemberRow>)> = teams
        .into_iter()
        .map(|t| (t.0.unit_code.clone(), t))
        .collect();
    let lines: Vec<TeamLine> = areas
        .into_iter()
        .map(|a| TeamLine {
            team: teams
                .remove(&a.code)
                .map(|(t, m)| team_of(t, &m, ratings.get(&a.code).copied(), year)),
            unit_code: a.code,
            unit_name: a.full_name,
        })
        .collect();
    let counted = lines
        .iter()
        .filter(|l| l.team.as_ref().is_some_and(|t| t.counts))
        .count();
    Ok(TeamBoard {
        year,
        share: Share::new(lines.len() as i64, counted as i64),
        lines,
    })
}

/// The units under a path whose records count for a year (for the dashboard).
#[derive(Debug, Default)]
pub struct Counted {
    /// Units with a model that counts ([`model_counts`]).
    pub models: HashSet<String>,
    /// Residential areas whose team counts ([`team_counts`]).
    pub teams: HashSet<String>,
}

/// The models of the units under `path`, each with its review of `year` and whether it counts.
fn models_in(conn: &mut DbConn, path: &str, year: i32) -> Result<Vec<Model>, ApiError> {
    let ratings: HashMap<String, ModelRating> = store::model_ratings_under(conn, path, year)?
        .into_iter()
        .collect();
    Ok(store::models_under(conn, path)?
        .into_iter()
        .map(|row| {
            let rating = ratings.get(&row.id).copied();
            model_of(row, rating, year)
        })
        .collect())
}

/// The teams of the areas under `path`, each with its members in the order entered.
fn teams_in(conn: &mut DbConn, path: &str) -> Result<Vec<(TeamRow, Vec<MemberRow>)>, ApiError> {
    let teams = store::teams_under(conn, path)?;
    let codes: Vec<String> = teams.iter().map(|t| t.unit_code.clone()).collect();
    let mut members: HashMap<String, Vec<MemberRow>> = HashMap::new();
    for m in store::members_of(conn, &codes)? {
        members.entry(m.unit_code.clone()).or_default().push(m);
    }
    Ok(teams
        .into_iter()
        .map(|t| {
            let m = members.remove(&t.unit_code).into_iter().flatten().collect();
            (t, m)
        })
        .collect())
}

/// The units under `path` with a model that counts for `year` ([`model_counts`]).
pub fn units_with_model(
    conn: &mut DbConn,
    path: &str,
    year: i32,
) -> Result<HashSet<String>, ApiError> {
    Ok(models_in(conn, path, year)?
        .into_iter()
        .filter(|m| m.counts)
        .map(|m| m.unit_code)
        .collect())
}

/// The residential areas under `path` whose team counts for `year` ([`team_counts`]).
pub fn areas_with_team(
    conn: &mut DbConn,
    path: &str,
    year: i32,
) -> Result<HashSet<String>, ApiError> {
    Ok(teams_in(conn, path)?
        .into_iter()
        .filter(|(t, m)| {
            let positions: Vec<_> = m.iter().map(|m| m.position).collect();
            team_counts(t.founded_on, &positions, year)
        })
        .map(|(t, _)| t.unit_code)
        .collect())
}

/// A residential area's team as it stands, with its review of `year`, if it has one.
pub fn team(conn: &mut DbConn, code: &str, year: i32) -> Result<Option<Team>, ApiError> {
    let Some(row) = store::team(conn, code)? else {
        return Ok(None);
    };
    let members = store::members_of(conn, &[code.to_string()])?;
    let rating = store::team_rating(conn, code, year)?;
    Ok(Some(team_of(row, &members, rating, year)))
}
