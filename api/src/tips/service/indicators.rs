//! Fraud indicators: each normalised value sealed with the tip's content and kept beside it only
//! as a keyed hash, so an officer sees the other tips of their scope that name the same number,
//! account or link, and the province sees the ones shared across its communes — while a copy of
//! the database gives back no number.

use std::collections::BTreeMap;

use bvantq_shared::Role;
use bvantq_shared::tip::indicator::{
    self, ClusterCommune, Indicator, IndicatorCluster, IndicatorClusters, IndicatorKind,
    SharedIndicator,
};

use super::{commune_names, query_unit, tip_in_scope};
use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::infra::sealing::Sealer;
use crate::tips::store::{self as store, IndicatorHash, TipRow};

/// At most this many other tips are listed beside one tip.
const SHARED_MAX: i64 = 50;
/// At most this many clusters in one answer.
const CLUSTERS_MAX: i64 = 200;

/// What the hash of an indicator is bound to: its kind and the scheme's version (the value of one
/// kind never matches another kind's).
fn label(kind: IndicatorKind) -> String {
    format!("bvantq tip indicator v1 {}", kind.as_str())
}

/// The keyed hashes of a tip's indicators under the current key (what is written).
pub(super) fn hashes(sealer: &Sealer, indicators: &[Indicator]) -> Vec<IndicatorHash> {
    indicators
        .iter()
        .map(|i| {
            (
                i.kind,
                sealer.fingerprint(&label(i.kind), i.value.as_bytes()),
            )
        })
        .collect()
}

/// Other tips in the caller's scope that carry one of `indicators` (those of tip `t`, just
/// opened); a tip sealed under an older key not yet re-keyed is found by its old hash.
pub(super) fn shared_with(
    conn: &mut DbConn,
    sealer: &Sealer,
    user: &AuthUser,
    t: &TipRow,
    indicators: &[Indicator],
) -> Result<Vec<SharedIndicator>, ApiError> {
    let mut by_hash: BTreeMap<String, &Indicator> = BTreeMap::new();
    for i in indicators {
        for h in sealer.fingerprints(&label(i.kind), i.value.as_bytes()) {
            by_hash.insert(h, i);
        }
    }
    let hashes: Vec<String> = by_hash.keys().cloned().collect();
    let scope = query_unit(conn, user, None)?;
    let rows: Vec<(String, TipRow)> =
        store::sharing(conn, &hashes, &t.id, &scope.path, SHARED_MAX)?
            .into_iter()
            .filter(|(_, other)| tip_in_scope(user, other))
            .collect();
    let names = commune_names(conn, rows.iter().map(|(_, o)| o.commune_code.as_str()))?;
    rows.iter()
        .filter_map(|(h, other)| by_hash.get(h).map(|i| (*i, other)))
        .map(|(i, other)| {
            Ok(SharedIndicator {
                kind: i.kind,
                value: i.value.clone(),
                tip_id: other.id.clone(),
                commune_code: other.commune_code.clone(),
                commune_name: names.get(&other.commune_code)?.to_string(),
                received_on: other.received_on,
                status: other.status,
            })
        })
        .collect()
}

/// The indicators tips of two or more communes of `unit` share, for the province: per commune a
/// count, and the tips only where a commune has at least [`indicator::CLUSTER_LIST_MIN`].
pub fn clusters(
    conn: &mut DbConn,
    user: &AuthUser,
    unit: Option<&str>,
) -> Result<IndicatorClusters, ApiError> {
    crate::auth::require_role(user, &[Role::ProvinceOfficer])?;
    let unit = query_unit(conn, user, unit)?;
    let rows = store::cluster_rows(conn, &unit.path, CLUSTERS_MAX)?;
    let names = commune_names(conn, rows.iter().map(|r| r.3.as_str()))?;
    // hash → (kind, first, last, commune → tips), rows oldest first.
    let mut by_hash: BTreeMap<&str, Building> = BTreeMap::new();
    for (hash, kind, tip_id, commune, on) in &rows {
        let b = by_hash.entry(hash.as_str()).or_insert_with(|| Building {
            kind: *kind,
            first: *on,
            last: *on,
            communes: BTreeMap::new(),
        });
        b.last = *on;
        b.communes
            .entry(commune.as_str())
            .or_default()
            .push(tip_id.clone());
    }
    let mut items = by_hash
        .into_iter()
        .map(|(hash, b)| {
            let communes = b
                .communes
                .into_iter()
                .map(|(code, tips)| {
                    Ok(ClusterCommune {
                        commune_code: code.to_string(),
                        commune_name: names.get(code)?.to_string(),
                        tips: i64::try_from(tips.len()).map_err(ApiError::internal)?,
                        tip_ids: tips,
                    })
                })
                .collect::<Result<Vec<_>, ApiError>>()?;
            Ok(IndicatorCluster {
                // Enough to tell clusters apart and to find one again; not the whole keyed hash.
                id: hash.chars().take(12).collect(),
                kind: b.kind,
                tips: communes.iter().map(|c| c.tips).sum(),
                first_received_on: b.first,
                last_received_on: b.last,
                communes: indicator::cluster_communes(communes),
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    items.sort_by(|a, b| {
        b.communes
            .len()
            .cmp(&a.communes.len())
            .then_with(|| b.tips.cmp(&a.tips))
            .then_with(|| b.last_received_on.cmp(&a.last_received_on))
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(IndicatorClusters {
        unit_code: unit.code,
        list_min: indicator::CLUSTER_LIST_MIN,
        items,
    })
}

/// A cluster as it is gathered.
struct Building<'a> {
    kind: IndicatorKind,
    first: chrono::NaiveDate,
    last: chrono::NaiveDate,
    communes: BTreeMap<&'a str, Vec<String>>,
}
