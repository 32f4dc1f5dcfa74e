//! Counts: open tips per commune against the legal clock, and statistics with small counts
//! suppressed.

use bvantq_shared::tip::{self, ClockState, StatTable, TipStats};
use bvantq_shared::{TipCategory, TipStatus};
use chrono::{Datelike, NaiveDate};

use super::*;
use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::tips::store;
use crate::units::store::{self as units, UnitRow};

/// The scope unit of a tip query: `unit` if given (it must be in the caller's scope), else the
/// caller's own scope unit.
pub fn query_unit(
    conn: &mut DbConn,
    user: &AuthUser,
    unit: Option<&str>,
) -> Result<UnitRow, ApiError> {
    require_tip_role(user)?;
    let code = match unit.map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => bvantq_shared::UnitCode::parse(u).map_err(|e| ApiError::field("unit", e))?,
        None => user.scope.clone(),
    };
    crate::units::scope::require_code(conn, user, &code)
}

/// Open tips per commune: open, due soon and overdue on `today`.
pub fn deadline_counts(
    conn: &mut DbConn,
    unit: &UnitRow,
    now: chrono::NaiveDateTime,
) -> Result<Vec<tip::DeadlineCounts>, ApiError> {
    let rows = store::open_deadlines(conn, &unit.path, TipStatus::OPEN)?;
    let mut by: std::collections::BTreeMap<String, (i64, i64, i64)> = Default::default();
    for (commune, status, last_day, due_at, n) in rows {
        let e = by.entry(commune).or_default();
        e.0 += n;
        match tip::clock_state(status, due_at, last_day, now) {
            ClockState::Overdue => e.2 += n,
            ClockState::DueSoon => e.1 += n,
            _ => {}
        }
    }
    let names = super::commune_names(conn, by.keys().map(String::as_str))?;
    by.into_iter()
        .map(|(code, (open, due_soon, overdue))| {
            Ok(tip::DeadlineCounts {
                commune_name: names.get(&code)?.to_string(),
                commune_code: code,
                open,
                due_soon,
                overdue,
            })
        })
        .collect()
}

/// Per commune under `path`, the tips of `year` (Vietnam time) as the seed reports count them:
/// received, transferred, and the concluding steps taken on time against the period then
/// running (`Step::on_time`; a step without a recorded clock is not counted).
pub fn year_lines(
    conn: &mut DbConn,
    path: &str,
    year: i32,
) -> Result<std::collections::HashMap<String, bvantq_shared::plan::TipLine>, ApiError> {
    use bvantq_shared::tip::procedure::{Step, end_of_day_utc};
    let jan1 = |y| NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| ApiError::internal("year"));
    let (from, to) = (jan1(year)?, jan1(year + 1)?);
    // The year from 00:00 of 1 January in Vietnam: the end of the day before, as a UTC instant.
    let utc = |d: NaiveDate| {
        d.pred_opt()
            .map(end_of_day_utc)
            .ok_or_else(|| ApiError::internal("year"))
    };
    let mut lines: std::collections::HashMap<String, bvantq_shared::plan::TipLine> =
        Default::default();
    for (commune, n) in store::received_by_commune(conn, path, from, to)? {
        lines.entry(commune).or_default().received += n;
    }
    let concluding: Vec<Step> = Step::ALL
        .iter()
        .copied()
        .filter(|s| s.concludes())
        .collect();
    for (commune, step, at, due_at) in
        store::steps_taken(conn, path, &concluding, utc(from)?, utc(to)?)?
    {
        let step = step.ok_or_else(|| ApiError::internal("a step event without its step"))?;
        let line = lines.entry(commune).or_default();
        line.transferred += i64::from(step == Step::Transfer);
        if let Some(on_time) = step.on_time(at, due_at) {
            line.conclude(on_time);
        }
    }
    Ok(lines)
}

/// Counts of a year's tips (by Vietnam date of receipt) in a unit's subtree, by category,
/// status, month and child unit, every table suppressed so no count from 1 to 4 shows.
pub fn stats(
    conn: &mut DbConn,
    unit: &UnitRow,
    year: i32,
    today: NaiveDate,
) -> Result<TipStats, ApiError> {
    let jan1 = |y| NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(|| ApiError::internal("year"));
    let (from, to) = (jan1(year)?, jan1(year + 1)?);
    let rows = store::stat_counts(conn, &unit.path, from, to)?;
    let mut cat = vec![0u64; TipCategory::ALL.len()];
    let mut st = vec![0u64; TipStatus::ALL.len()];
    let mut month = [0u64; 12];
    let children = units::list(
        conn,
        &units::UnitQuery {
            parent: Some(unit.code.clone()),
            limit: 10_000,
            ..Default::default()
        },
        today,
    )?;
    let mut child = vec![0u64; children.len()];
    for (path, c, s, day, n) in rows {
        let n = u64::try_from(n).unwrap_or(0);
        if let Some(i) = TipCategory::ALL.iter().position(|x| x.as_str() == c) {
            cat[i] += n;
        }
        if let Some(i) = TipStatus::ALL.iter().position(|x| x.as_str() == s) {
            st[i] += n;
        }
        month[day.month0() as usize] += n;
        if let Some(i) = children
            .iter()
            .position(|u| path.contains(&format!("/{}/", u.code)))
        {
            child[i] += n;
        }
    }
    let table = |labels: Vec<(String, String, String)>, counts: &[u64]| {
        StatTable::build(
            labels
                .into_iter()
                .zip(counts)
                .map(|((k, vi, en), &n)| (k, vi, en, n))
                .collect(),
        )
    };
    Ok(TipStats {
        unit_code: unit.code.clone(),
        year,
        by_category: table(
            TipCategory::ALL
                .iter()
                .map(|c| (c.as_str().into(), c.label_vi().into(), c.label_en().into()))
                .collect(),
            &cat,
        ),
        by_status: table(
            TipStatus::ALL
                .iter()
                .map(|c| (c.as_str().into(), c.label_vi().into(), c.label_en().into()))
                .collect(),
            &st,
        ),
        by_month: table(
            (1..=12)
                .map(|m| {
                    (
                        format!("{year}-{m:02}"),
                        format!("Tháng {m}/{year}"),
                        format!("{year}-{m:02}"),
                    )
                })
                .collect(),
            &month,
        ),
        by_unit: table(
            children
                .iter()
                .map(|u| (u.code.clone(), u.full_name.clone(), u.full_name.clone()))
                .collect(),
            &child,
        ),
    })
}
