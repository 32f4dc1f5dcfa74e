//! Coverage: signed ÷ expected for a unit and each unit below it, from the counters.

use std::collections::BTreeMap;

use bvantq_shared::PledgeKind;
use bvantq_shared::api::percent;
use bvantq_shared::pledge::{Coverage, CoverageLine};
use chrono::NaiveDate;

use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::store::coverage;
use crate::units::store::{self as units, UnitRow};

/// The coverage of `unit` and of each of its direct children, from their counters.
pub fn of(
    conn: &mut DbConn,
    unit: &UnitRow,
    year: i32,
    kind: PledgeKind,
    today: NaiveDate,
) -> Result<Coverage, ApiError> {
    let mut rows = units::children(conn, &unit.code, today)?;
    rows.push(unit.clone());
    let mut lines = lines(conn, &rows, year, kind)?;
    let total = lines
        .pop()
        .ok_or_else(|| ApiError::internal("no line for the unit"))?;
    Ok(Coverage {
        year,
        kind,
        total,
        children: lines,
    })
}

/// Signed, expected and percent of each of `rows` (everything below it included), in their
/// order, from the counters: a unit nothing is counted for has 0 of 0.
pub fn lines(
    conn: &mut DbConn,
    rows: &[UnitRow],
    year: i32,
    kind: PledgeKind,
) -> Result<Vec<CoverageLine>, ApiError> {
    let codes: Vec<String> = rows.iter().map(|c| c.code.clone()).collect();
    let signed: BTreeMap<String, i64> = coverage::signed_of(conn, &codes, year, kind)?
        .into_iter()
        .collect();
    let expected: BTreeMap<String, i64> = coverage::expected_of(conn, &codes, year, kind)?
        .into_iter()
        .collect();
    let line = |u: &UnitRow| {
        // No counter row: nothing signed or expected under the unit yet.
        let (s, e) = (
            signed.get(&u.code).copied().unwrap_or(0),
            expected.get(&u.code).copied().unwrap_or(0),
        );
        CoverageLine {
            unit_code: u.code.clone(),
            name: u.full_name.clone(),
            unit_kind: u.kind,
            signed: s,
            expected: e,
            percent: percent(s, e),
        }
    };
    Ok(rows.iter().map(line).collect())
}
