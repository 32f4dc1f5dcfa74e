//! The queries of `models`, `model_ratings`, `security_teams`, `team_members` and `team_ratings`.

use bvantq_shared::records::{ModelKind, ModelRating, TeamPosition, TeamRating};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{
    model_ratings, models, security_teams, team_members, team_ratings, units,
};
use crate::units::store::like_prefix;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = models)]
pub struct ModelRow {
    pub id: String,
    pub unit_code: String,
    pub name: String,
    pub kind: ModelKind,
    pub started_on: NaiveDate,
    pub members: i32,
    pub retired_on: Option<NaiveDate>,
    pub created_by: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = security_teams)]
pub struct TeamRow {
    pub unit_code: String,
    pub founded_on: NaiveDate,
    pub decision_number: String,
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = team_members)]
pub struct MemberRow {
    pub unit_code: String,
    pub seq: i32,
    pub name: String,
    pub position: TeamPosition,
    pub phone: Option<String>,
    pub trained_on: Option<NaiveDate>,
}

pub fn insert_model(conn: &mut DbConn, row: &ModelRow) -> QueryResult<()> {
    diesel::insert_into(models::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Replaces a model's fields (its id, unit and author stay).
pub fn update_model(conn: &mut DbConn, row: &ModelRow) -> QueryResult<()> {
    diesel::update(models::table.find(&row.id))
        .set((
            models::name.eq(&row.name),
            models::kind.eq(row.kind),
            models::started_on.eq(row.started_on),
            models::members.eq(row.members),
            models::retired_on.eq(row.retired_on),
            models::updated_at.eq(row.updated_at),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn model(conn: &mut DbConn, id: &str) -> QueryResult<Option<ModelRow>> {
    models::table
        .find(id)
        .select(ModelRow::as_select())
        .first(conn)
        .optional()
}

/// The models of the units under `path`, oldest first.
pub fn models_under(conn: &mut DbConn, path: &str) -> QueryResult<Vec<ModelRow>> {
    models::table
        .inner_join(units::table)
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .order((models::unit_code, models::started_on, models::id))
        .select(ModelRow::as_select())
        .load(conn)
}

/// The reviews of `year` of the models under `path`.
pub fn model_ratings_under(
    conn: &mut DbConn,
    path: &str,
    year: i32,
) -> QueryResult<Vec<(String, ModelRating)>> {
    model_ratings::table
        .inner_join(models::table.inner_join(units::table))
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .filter(model_ratings::year.eq(year))
        .select((model_ratings::model_id, model_ratings::rating))
        .load(conn)
}

/// Sets the review of a model for a year (a second review replaces the first).
pub fn rate_model(
    conn: &mut DbConn,
    id: &str,
    year: i32,
    rating: ModelRating,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(model_ratings::table.find((id, year))).execute(conn)?;
    diesel::insert_into(model_ratings::table)
        .values((
            model_ratings::model_id.eq(id),
            model_ratings::year.eq(year),
            model_ratings::rating.eq(rating),
            model_ratings::rated_by.eq(by),
            model_ratings::rated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Replaces an area's team and its members, in the caller's transaction.
pub fn put_team(conn: &mut DbConn, team: &TeamRow, members: &[MemberRow]) -> QueryResult<()> {
    diesel::delete(team_members::table.filter(team_members::unit_code.eq(&team.unit_code)))
        .execute(conn)?;
    if self::team(conn, &team.unit_code)?.is_some() {
        diesel::update(security_teams::table.find(&team.unit_code))
            .set((
                security_teams::founded_on.eq(team.founded_on),
                security_teams::decision_number.eq(&team.decision_number),
                security_teams::updated_by.eq(&team.updated_by),
                security_teams::updated_at.eq(team.updated_at),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(security_teams::table)
            .values(team)
            .execute(conn)?;
    }
    // One row at a time: the two-backend connection has no batch insert.
    for m in members {
        diesel::insert_into(team_members::table)
            .values(m)
            .execute(conn)?;
    }
    Ok(())
}

/// The team of one residential area, if it has one.
pub fn team(conn: &mut DbConn, code: &str) -> QueryResult<Option<TeamRow>> {
    security_teams::table
        .find(code)
        .select(TeamRow::as_select())
        .first(conn)
        .optional()
}

/// The teams of the areas under `path`.
pub fn teams_under(conn: &mut DbConn, path: &str) -> QueryResult<Vec<TeamRow>> {
    security_teams::table
        .inner_join(units::table)
        .filter(units::path.like(like_prefix(path)).escape('\\'))
        .select(TeamRow::as_select())
        .load(conn)
}

/// The members of the teams of `codes`, in the order entered.
pub fn members_of(conn: &mut DbConn, codes: &[String]) -> QueryResult<Vec<MemberRow>> {
    team_members::table
        .filter(team_members::unit_code.eq_any(codes))
        .order((team_members::unit_code, team_members::seq))
        .select(MemberRow::as_select())
        .load(conn)
}

/// The reviews of `year` of the teams of `codes`.
pub fn team_ratings_of(
    conn: &mut DbConn,
    codes: &[String],
    year: i32,
) -> QueryResult<Vec<(String, TeamRating)>> {
    team_ratings::table
        .filter(team_ratings::unit_code.eq_any(codes))
        .filter(team_ratings::year.eq(year))
        .select((team_ratings::unit_code, team_ratings::rating))
        .load(conn)
}

/// The review of `year` of one area's team, if made.
pub fn team_rating(conn: &mut DbConn, code: &str, year: i32) -> QueryResult<Option<TeamRating>> {
    team_ratings::table
        .find((code, year))
        .select(team_ratings::rating)
        .first(conn)
        .optional()
}

/// Sets the review of a team for a year (a second review replaces the first).
pub fn rate_team(
    conn: &mut DbConn,
    code: &str,
    year: i32,
    rating: TeamRating,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(team_ratings::table.find((code, year))).execute(conn)?;
    diesel::insert_into(team_ratings::table)
        .values((
            team_ratings::unit_code.eq(code),
            team_ratings::year.eq(year),
            team_ratings::rating.eq(rating),
            team_ratings::rated_by.eq(by),
            team_ratings::rated_at.eq(at),
        ))
        .execute(conn)
        .map(|_| ())
}
