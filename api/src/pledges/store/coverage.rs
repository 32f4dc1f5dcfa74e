//! Coverage counters: signed pledges and expected signers per unit, year and audience, kept for
//! every level of the tree. Signing bumps the counters of the pledge's unit and all its ancestors
//! (sharded, one statement) in the same transaction as the pledge; reading a unit's coverage
//! reads its own counters and its children's, so its cost grows with the number of children,
//! never with the number of pledges.

use bvantq_shared::PledgeKind;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use crate::infra::db::DbConn;
use crate::infra::db::schema::{coverage_expected, coverage_signed};

/// Counter shards per unit: concurrent signers in one province spread over this many rows.
pub const SHARDS: i32 = 32;

/// One statement adding `delta` to the counter of every unit of `lineage` (root first, so that
/// concurrent transactions lock rows in one order), `shard` in `coverage_signed` or no shard in
/// `coverage_expected`. The upsert syntax is shared by SQLite (≥ 3.24) and PostgreSQL; only the
/// placeholders differ.
fn bump(
    conn: &mut DbConn,
    table: &str,
    lineage: &[String],
    year: i32,
    kind: PledgeKind,
    shard: Option<i32>,
    delta: i64,
) -> QueryResult<()> {
    if lineage.is_empty() {
        return Ok(());
    }
    let pg = matches!(conn, DbConn::Pg(_));
    let per_row = if shard.is_some() { 5 } else { 4 };
    let mut values = Vec::new();
    for i in 0..lineage.len() {
        let ph: Vec<String> = (1..=per_row)
            .map(|k| {
                if pg {
                    format!("${}", i * per_row + k)
                } else {
                    "?".into()
                }
            })
            .collect();
        values.push(format!("({})", ph.join(", ")));
    }
    let (cols, conflict, column) = match shard {
        Some(_) => (
            "unit_code, year, kind, shard, signed",
            "unit_code, year, kind, shard",
            "signed",
        ),
        None => (
            "unit_code, year, kind, expected",
            "unit_code, year, kind",
            "expected",
        ),
    };
    let sql = format!(
        "INSERT INTO {table} ({cols}) VALUES {} ON CONFLICT ({conflict}) DO UPDATE SET {column} = {table}.{column} + excluded.{column}",
        values.join(", ")
    );
    let mut q = diesel::sql_query(sql).into_boxed::<crate::infra::db::MultiBackend>();
    for unit in lineage {
        q = q
            .bind::<Text, _>(unit.clone())
            .bind::<Integer, _>(year)
            .bind::<Text, _>(kind.to_string());
        if let Some(s) = shard {
            q = q.bind::<Integer, _>(s);
        }
        q = q.bind::<BigInt, _>(delta);
    }
    q.execute(conn)?;
    Ok(())
}

/// Adds `delta` signed pledges to a unit and every unit above it.
pub fn bump_signed(
    conn: &mut DbConn,
    lineage: &[String],
    year: i32,
    kind: PledgeKind,
    shard: i32,
    delta: i64,
) -> QueryResult<()> {
    bump(
        conn,
        "coverage_signed",
        lineage,
        year,
        kind,
        Some(shard),
        delta,
    )
}

/// Adds `delta` expected signers to a unit and every unit above it.
pub fn bump_expected(
    conn: &mut DbConn,
    lineage: &[String],
    year: i32,
    kind: PledgeKind,
    delta: i64,
) -> QueryResult<()> {
    bump(conn, "coverage_expected", lineage, year, kind, None, delta)
}

/// Signed pledges of each of `units` (everything below it included).
pub fn signed_of(
    conn: &mut DbConn,
    units: &[String],
    year: i32,
    kind: PledgeKind,
) -> QueryResult<Vec<(String, i64)>> {
    // The shards summed by the database: a commune's 32 shards are one row, not 32 (a province's
    // 168 communes: 168 rows read instead of 5,376 at national size). SUM(BIGINT) is NUMERIC on
    // PostgreSQL and INTEGER on SQLite, so it is cast back to BIGINT on both.
    coverage_signed::table
        .filter(coverage_signed::unit_code.eq_any(units))
        .filter(coverage_signed::year.eq(year))
        .filter(coverage_signed::kind.eq(kind))
        .group_by(coverage_signed::unit_code)
        .select((
            coverage_signed::unit_code,
            diesel::dsl::sql::<BigInt>("CAST(SUM(coverage_signed.signed) AS BIGINT)"),
        ))
        .order(coverage_signed::unit_code.asc())
        .load(conn)
}

/// Expected signers of each of `units` (everything below it included).
pub fn expected_of(
    conn: &mut DbConn,
    units: &[String],
    year: i32,
    kind: PledgeKind,
) -> QueryResult<Vec<(String, i64)>> {
    coverage_expected::table
        .filter(coverage_expected::unit_code.eq_any(units))
        .filter(coverage_expected::year.eq(year))
        .filter(coverage_expected::kind.eq(kind))
        .select((coverage_expected::unit_code, coverage_expected::expected))
        .load(conn)
}
