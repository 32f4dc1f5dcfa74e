//! The queries behind a year's tip counts on the dashboard: tips received, and the steps taken
//! with the clock then running.

use bvantq_shared::tip::procedure::Step;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{tip_events, tips};

/// Per commune under `path_prefix`, the tips received from `from` to before `to` (Vietnam days).
pub fn received_by_commune(
    conn: &mut DbConn,
    path_prefix: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<(String, i64)>> {
    tips::table
        .filter(
            tips::unit_path
                .like(crate::units::store::like_prefix(path_prefix))
                .escape('\\'),
        )
        .filter(tips::received_on.ge(from).and(tips::received_on.lt(to)))
        .group_by(tips::commune_code)
        .select((tips::commune_code, diesel::dsl::count_star()))
        .load(conn)
}

/// A step as the year's count reads it: (commune, step, when, the end of the period then
/// running).
pub type StepTaken = (String, Option<Step>, NaiveDateTime, Option<NaiveDateTime>);

/// The steps of `steps` taken from `from` to before `to` (UTC) on tips under `path_prefix`:
/// (commune, step, when, the end of the period then running).
pub fn steps_taken(
    conn: &mut DbConn,
    path_prefix: &str,
    steps: &[Step],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<Vec<StepTaken>> {
    tip_events::table
        .inner_join(tips::table)
        .filter(
            tips::unit_path
                .like(crate::units::store::like_prefix(path_prefix))
                .escape('\\'),
        )
        .filter(tip_events::step.eq_any(steps))
        .filter(tip_events::at.ge(from).and(tip_events::at.lt(to)))
        .select((
            tips::commune_code,
            tip_events::step,
            tip_events::at,
            tip_events::due_at,
        ))
        .load(conn)
}
