//! Fraud indicators: keyed hashes of the normalised values, one row per tip and value. The values
//! themselves are in the tip's sealed content; nothing here can give them back.

use bvantq_shared::TipStatus;
use bvantq_shared::tip::indicator::IndicatorKind;
use diesel::prelude::*;

use super::TipRow;
use crate::infra::db::DbConn;
use crate::infra::db::schema::{tip_indicators, tips};

/// A tip's indicators as written: (kind, keyed hash).
pub type IndicatorHash = (IndicatorKind, String);

/// Writes a tip's indicator hashes in place of any it had (intake, and re-keying, where the
/// hashes change with the key).
pub fn replace_indicators(
    conn: &mut DbConn,
    tip_id: &str,
    hashes: &[IndicatorHash],
) -> QueryResult<()> {
    diesel::delete(tip_indicators::table.filter(tip_indicators::tip_id.eq(tip_id)))
        .execute(conn)?;
    // One statement per row: the multi-backend connection has no batch insert (at most 10 rows).
    for (kind, hash) in hashes {
        diesel::insert_into(tip_indicators::table)
            .values((
                tip_indicators::tip_id.eq(tip_id),
                tip_indicators::kind.eq(*kind),
                tip_indicators::hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete_indicators(conn: &mut DbConn, tip_id: &str) -> QueryResult<usize> {
    diesel::delete(tip_indicators::table.filter(tip_indicators::tip_id.eq(tip_id))).execute(conn)
}

fn in_subtree(
    path_prefix: &str,
) -> diesel::dsl::Escape<diesel::dsl::Like<tips::unit_path, String>> {
    tips::unit_path
        .like(crate::units::store::like_prefix(path_prefix))
        .escape('\\')
}

/// Tips in a subtree, other than `tip_id`, that carry one of `hashes`; a merged tip (a copy of
/// another) and a purged one (no content left to compare) are left out. Newest first, at most
/// `limit` rows: (hash, tip).
pub fn sharing(
    conn: &mut DbConn,
    hashes: &[String],
    tip_id: &str,
    path_prefix: &str,
    limit: i64,
) -> QueryResult<Vec<(String, TipRow)>> {
    if hashes.is_empty() {
        return Ok(Vec::new());
    }
    tip_indicators::table
        .inner_join(tips::table)
        .filter(tip_indicators::hash.eq_any(hashes))
        .filter(tip_indicators::tip_id.ne(tip_id))
        .filter(in_subtree(path_prefix))
        .filter(tips::status.ne(TipStatus::Merged))
        .filter(tips::purged_at.is_null())
        .order((tips::received_at.desc(), tips::id.asc()))
        .limit(limit)
        .select((tip_indicators::hash, TipRow::as_select()))
        .load(conn)
}

/// One indicator row of a cluster: (hash, kind, tip id, commune, received on).
pub type ClusterRow = (String, IndicatorKind, String, String, chrono::NaiveDate);

/// The rows of the indicators that tips of two or more communes of a subtree share (merged and
/// purged tips left out), for at most `limit` indicators, those spanning most communes first.
pub fn cluster_rows(
    conn: &mut DbConn,
    path_prefix: &str,
    limit: i64,
) -> QueryResult<Vec<ClusterRow>> {
    let shared: Vec<String> = tip_indicators::table
        .inner_join(tips::table)
        .filter(in_subtree(path_prefix))
        .filter(tips::status.ne(TipStatus::Merged))
        .filter(tips::purged_at.is_null())
        .group_by(tip_indicators::hash)
        .having(
            diesel::dsl::count(tips::commune_code)
                .aggregate_distinct()
                .ge(2),
        )
        .order((
            diesel::dsl::count(tips::commune_code)
                .aggregate_distinct()
                .desc(),
            tip_indicators::hash.asc(),
        ))
        .limit(limit)
        .select(tip_indicators::hash)
        .load(conn)?;
    if shared.is_empty() {
        return Ok(Vec::new());
    }
    tip_indicators::table
        .inner_join(tips::table)
        .filter(tip_indicators::hash.eq_any(&shared))
        .filter(in_subtree(path_prefix))
        .filter(tips::status.ne(TipStatus::Merged))
        .filter(tips::purged_at.is_null())
        .order((tips::received_on.asc(), tips::id.asc()))
        .select((
            tip_indicators::hash,
            tip_indicators::kind,
            tips::id,
            tips::commune_code,
            tips::received_on,
        ))
        .load(conn)
}
