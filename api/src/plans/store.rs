//! The queries of `plans`, `plan_targets` and `province_calendar`.

use bvantq_shared::plan::versions::PlanStatus;
use bvantq_shared::plan::{Group, Metric, Target};
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{
    annual_reports, plan_targets, plans, province_calendar, target_figures,
};

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plans)]
pub struct PlanRow {
    pub id: String,
    pub province_code: String,
    pub from_period: i32,
    pub to_period: i32,
    pub title_vi: String,
    pub title_en: String,
    pub source: Option<String>,
    pub status: PlanStatus,
    pub supersedes: Option<String>,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub published_by: Option<String>,
    pub published_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = plan_targets)]
pub struct TargetRow {
    pub plan_id: String,
    pub seq: i32,
    pub metric: String,
    pub grp: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub of_safe: bool,
    pub label_vi: Option<String>,
    pub label_en: Option<String>,
}

impl TargetRow {
    /// The target this row stores; a name no version of the code wrote is an error.
    pub fn target(&self) -> QueryResult<Target> {
        let bad = |e: bvantq_shared::ValidationError| {
            diesel::result::Error::DeserializationError(Box::new(e))
        };
        Ok(Target {
            metric: Metric::parse(&self.metric).map_err(bad)?,
            group: Group::parse(&self.grp).map_err(bad)?,
            min: self.min,
            max: self.max,
            of_safe: self.of_safe,
            label_vi: self.label_vi.clone(),
            label_en: self.label_en.clone(),
        })
    }
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<PlanRow>> {
    plans::table
        .find(id)
        .select(PlanRow::as_select())
        .first(conn)
        .optional()
}

/// Every plan (the table holds a few per province), oldest first.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<PlanRow>> {
    plans::table
        .order((plans::created_at.asc(), plans::id.asc()))
        .select(PlanRow::as_select())
        .load(conn)
}

pub fn targets_of(conn: &mut DbConn, ids: &[String]) -> QueryResult<Vec<TargetRow>> {
    plan_targets::table
        .filter(plan_targets::plan_id.eq_any(ids))
        .order((plan_targets::plan_id.asc(), plan_targets::seq.asc()))
        .select(TargetRow::as_select())
        .load(conn)
}

pub fn insert(conn: &mut DbConn, row: &PlanRow) -> QueryResult<usize> {
    diesel::insert_into(plans::table).values(row).execute(conn)
}

/// Replaces a plan's targets (a draft's, or a new plan's first).
pub fn set_targets(conn: &mut DbConn, plan_id: &str, targets: &[Target]) -> QueryResult<()> {
    diesel::delete(plan_targets::table.filter(plan_targets::plan_id.eq(plan_id))).execute(conn)?;
    for (i, t) in targets.iter().enumerate() {
        let row = TargetRow {
            plan_id: plan_id.to_string(),
            seq: i32::try_from(i)
                .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?,
            metric: t.metric.as_str().to_string(),
            grp: t.group.as_str().to_string(),
            min: t.min,
            max: t.max,
            of_safe: t.of_safe,
            label_vi: t.label_vi.clone(),
            label_en: t.label_en.clone(),
        };
        diesel::insert_into(plan_targets::table)
            .values(&row)
            .execute(conn)?;
    }
    Ok(())
}

/// A figure entered against a manual target, for one unit and period.
#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = target_figures)]
pub struct FigureRow {
    pub plan_id: String,
    pub seq: i32,
    pub unit_code: String,
    pub period: i32,
    pub value: f64,
    pub entered_by: String,
    pub entered_at: NaiveDateTime,
}

/// Writes a figure in place of the one entered before for the same target, unit and period.
pub fn put_figure(conn: &mut DbConn, row: &FigureRow) -> QueryResult<()> {
    diesel::delete(target_figures::table.find((&row.plan_id, row.seq, &row.unit_code, row.period)))
        .execute(conn)?;
    diesel::insert_into(target_figures::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// The figures entered for a period against the plans `plan_ids`, for the units `codes`.
pub fn figures_of(
    conn: &mut DbConn,
    plan_ids: &[String],
    codes: &[String],
    period: i32,
) -> QueryResult<Vec<FigureRow>> {
    target_figures::table
        .filter(target_figures::plan_id.eq_any(plan_ids))
        .filter(target_figures::unit_code.eq_any(codes))
        .filter(target_figures::period.eq(period))
        .select(FigureRow::as_select())
        .load(conn)
}

/// Rewrites a draft's fields; a plan no longer a draft is left as it is (0 rows).
pub fn update_draft(conn: &mut DbConn, row: &PlanRow) -> QueryResult<usize> {
    diesel::update(
        plans::table
            .find(&row.id)
            .filter(plans::status.eq(PlanStatus::Draft)),
    )
    .set((
        plans::from_period.eq(row.from_period),
        plans::to_period.eq(row.to_period),
        plans::title_vi.eq(&row.title_vi),
        plans::title_en.eq(&row.title_en),
        plans::source.eq(&row.source),
        plans::supersedes.eq(&row.supersedes),
    ))
    .execute(conn)
}

/// Publishes a draft; a plan no longer a draft is left as it is (0 rows).
pub fn publish(conn: &mut DbConn, id: &str, by: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        plans::table
            .find(id)
            .filter(plans::status.eq(PlanStatus::Draft)),
    )
    .set((
        plans::status.eq(PlanStatus::Published),
        plans::published_by.eq(Some(by)),
        plans::published_at.eq(Some(at)),
    ))
    .execute(conn)
}

/// A province's calendar as stored (JSON of `CalendarSettings`), if it has its own.
pub fn calendar_of(conn: &mut DbConn, province: &str) -> QueryResult<Option<String>> {
    province_calendar::table
        .find(province)
        .select(province_calendar::settings)
        .first(conn)
        .optional()
}

/// Writes a province's calendar in place of the one it had.
pub fn put_calendar(
    conn: &mut DbConn,
    province: &str,
    settings: &str,
    by: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::delete(province_calendar::table.find(province)).execute(conn)?;
    diesel::insert_into(province_calendar::table)
        .values((
            province_calendar::province_code.eq(province),
            province_calendar::settings.eq(settings),
            province_calendar::updated_by.eq(by),
            province_calendar::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = annual_reports)]
pub struct AnnualReportRow {
    pub id: String,
    pub unit_code: String,
    pub year: i32,
    pub version: i32,
    pub figures: String,
    pub note: Option<String>,
    pub dashboard: String,
    pub sent_by: String,
    pub sent_at: NaiveDateTime,
}

pub fn insert_annual_report(conn: &mut DbConn, row: &AnnualReportRow) -> QueryResult<()> {
    diesel::insert_into(annual_reports::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn annual_report(conn: &mut DbConn, id: &str) -> QueryResult<Option<AnnualReportRow>> {
    annual_reports::table
        .find(id)
        .select(AnnualReportRow::as_select())
        .first(conn)
        .optional()
}

/// The sendings of `year` by `units` (unit, version, id, when), oldest first.
pub fn annual_reports_of(
    conn: &mut DbConn,
    units: &[String],
    year: i32,
) -> QueryResult<Vec<(String, i32, String, NaiveDateTime)>> {
    annual_reports::table
        .filter(annual_reports::unit_code.eq_any(units))
        .filter(annual_reports::year.eq(year))
        .order((
            annual_reports::unit_code.asc(),
            annual_reports::version.asc(),
        ))
        .select((
            annual_reports::unit_code,
            annual_reports::version,
            annual_reports::id,
            annual_reports::sent_at,
        ))
        .load(conn)
}
