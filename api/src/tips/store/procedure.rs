//! A tip's stage in the procedure, and each province's corrections of the procedure's numbers and
//! its days off.

use bvantq_shared::TipStatus;
use bvantq_shared::tip::procedure::{CrimeClass, Holder, TipPeriod, TransferClass};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::TipRow;
use crate::infra::db::DbConn;
use crate::infra::db::schema::{holidays, province_procedure, tips};

/// A tip's place in the procedure after a step: stage, holder, clock, and what the step found.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = tips, treat_none_as_null = true)]
pub struct Stage {
    pub status: TipStatus,
    pub holder: Holder,
    pub period: Option<TipPeriod>,
    pub due_at: Option<NaiveDateTime>,
    pub rule: Option<String>,
    pub deadline: NaiveDate,
    pub period_start: Option<NaiveDate>,
    pub extensions: i32,
    pub transfer_class: Option<TransferClass>,
    pub crime_class: Option<CrimeClass>,
    pub referred_to: Option<String>,
    pub merged_into: Option<String>,
    pub closed_at: Option<NaiveDateTime>,
}

impl Stage {
    /// The stage a tip is at now, to be changed by a step.
    pub fn of(t: &TipRow) -> Self {
        Self {
            status: t.status,
            holder: t.holder,
            period: t.period,
            due_at: t.due_at,
            rule: t.rule.clone(),
            deadline: t.deadline,
            period_start: t.period_start,
            extensions: t.extensions,
            transfer_class: t.transfer_class,
            crime_class: t.crime_class,
            referred_to: t.referred_to.clone(),
            merged_into: t.merged_into.clone(),
            closed_at: t.closed_at,
        }
    }
}

pub fn set_stage(conn: &mut DbConn, id: &str, stage: &Stage) -> QueryResult<usize> {
    diesel::update(tips::table.find(id))
        .set(stage)
        .execute(conn)
}

/// A province's corrections of the procedure's numbers (JSON), if it made any.
pub fn procedure_settings(conn: &mut DbConn, province: &str) -> QueryResult<Option<String>> {
    province_procedure::table
        .find(province)
        .select(province_procedure::settings)
        .first(conn)
        .optional()
}

/// A province's days off, by date: (date, name).
pub fn holidays(conn: &mut DbConn, province: &str) -> QueryResult<Vec<(NaiveDate, String)>> {
    holidays::table
        .filter(holidays::province_code.eq(province))
        .order(holidays::day.asc())
        .select((holidays::day, holidays::name))
        .load(conn)
}

/// Replaces a province's numbers and days off (inside the caller's transaction).
pub fn put_procedure(
    conn: &mut DbConn,
    province: &str,
    settings_json: &str,
    days: &[(NaiveDate, String)],
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(province_procedure::table.find(province)).execute(conn)?;
    diesel::insert_into(province_procedure::table)
        .values((
            province_procedure::province_code.eq(province),
            province_procedure::settings.eq(settings_json),
            province_procedure::updated_by.eq(by),
            province_procedure::updated_at.eq(at),
        ))
        .execute(conn)?;
    diesel::delete(holidays::table.filter(holidays::province_code.eq(province))).execute(conn)?;
    for (d, n) in days {
        diesel::insert_into(holidays::table)
            .values((
                holidays::province_code.eq(province),
                holidays::day.eq(*d),
                holidays::name.eq(n.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
