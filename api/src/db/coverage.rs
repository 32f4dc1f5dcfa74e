//! Coverage counters: signed pledges and expected signers per leaf unit, year and audience.
//! Signing bumps one sharded counter row in the same transaction as the pledge; reading sums the
//! rows of a subtree, so the cost of a coverage query does not grow with the number of pledges.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use super::DbConn;
use super::schema::{coverage_expected, coverage_signed, units};

/// Counter shards per unit: concurrent signers of one class spread over this many rows.
pub const SHARDS: i32 = 8;

/// Adds `delta` to the signed count of a leaf unit.
pub fn bump_signed(
    conn: &mut DbConn,
    unit: &str,
    year: i32,
    kind: &str,
    shard: i32,
    delta: i64,
) -> QueryResult<()> {
    // The same upsert on both backends (SQLite ≥ 3.24 and PostgreSQL share the syntax); only the
    // placeholders differ.
    let sql = match conn {
        DbConn::Pg(_) => {
            "INSERT INTO coverage_signed (unit_code, year, kind, shard, signed) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (unit_code, year, kind, shard) DO UPDATE SET signed = coverage_signed.signed + excluded.signed"
        }
        DbConn::Sqlite(_) => {
            "INSERT INTO coverage_signed (unit_code, year, kind, shard, signed) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (unit_code, year, kind, shard) DO UPDATE SET signed = coverage_signed.signed + excluded.signed"
        }
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(unit)
        .bind::<Integer, _>(year)
        .bind::<Text, _>(kind)
        .bind::<Integer, _>(shard)
        .bind::<BigInt, _>(delta)
        .execute(conn)?;
    Ok(())
}

/// Adds `delta` to the expected count of a leaf unit.
pub fn bump_expected(
    conn: &mut DbConn,
    unit: &str,
    year: i32,
    kind: &str,
    delta: i64,
) -> QueryResult<()> {
    let sql = match conn {
        DbConn::Pg(_) => {
            "INSERT INTO coverage_expected (unit_code, year, kind, expected) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (unit_code, year, kind) DO UPDATE SET expected = coverage_expected.expected + excluded.expected"
        }
        DbConn::Sqlite(_) => {
            "INSERT INTO coverage_expected (unit_code, year, kind, expected) VALUES (?, ?, ?, ?) \
             ON CONFLICT (unit_code, year, kind) DO UPDATE SET expected = coverage_expected.expected + excluded.expected"
        }
    };
    diesel::sql_query(sql)
        .bind::<Text, _>(unit)
        .bind::<Integer, _>(year)
        .bind::<Text, _>(kind)
        .bind::<BigInt, _>(delta)
        .execute(conn)?;
    Ok(())
}

/// (unit path, signed) for every counter row under `path_prefix`.
pub fn signed_under(
    conn: &mut DbConn,
    path_prefix: &str,
    year: i32,
    kind: &str,
) -> QueryResult<Vec<(String, i64)>> {
    coverage_signed::table
        .inner_join(units::table)
        .filter(
            units::path
                .like(format!("{}%", super::units::escape_like(path_prefix)))
                .escape('\\'),
        )
        .filter(coverage_signed::year.eq(year))
        .filter(coverage_signed::kind.eq(kind))
        .select((units::path, coverage_signed::signed))
        .load(conn)
}

/// (unit path, expected) for every expected row under `path_prefix`.
pub fn expected_under(
    conn: &mut DbConn,
    path_prefix: &str,
    year: i32,
    kind: &str,
) -> QueryResult<Vec<(String, i64)>> {
    coverage_expected::table
        .inner_join(units::table)
        .filter(
            units::path
                .like(format!("{}%", super::units::escape_like(path_prefix)))
                .escape('\\'),
        )
        .filter(coverage_expected::year.eq(year))
        .filter(coverage_expected::kind.eq(kind))
        .select((units::path, coverage_expected::expected))
        .load(conn)
}
