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

/// Signed, expected and percent for one unit.
/// The coverage of `unit` and of each of its direct children, from their counters.
pub fn of(
    conn: &mut DbConn,
    unit: &UnitRow,
    year: i32,
    kind: PledgeKind,
    today: NaiveDate,
) -> Result<Coverage, ApiError> {
    let children = units::children(conn, &unit.code, today)?;
    let mut codes: Vec<String> = children.iter().map(|c| c.code.clone()).collect();
    codes.push(unit.code.clone());
    let signed: BTreeMap<String, i64> = coverage::signed_of(conn, &codes, year, kind)?
        .into_iter()
        .collect();
    let expected: BTreeMap<String, i64> = coverage::expected_of(conn, &codes, year, kind)?
        .into_iter()
        .collect();
    let line = |u: &UnitRow| {
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
    Ok(Coverage {
        year,
        kind,
        total: line(unit),
        children: children.iter().map(line).collect(),
    })
}
