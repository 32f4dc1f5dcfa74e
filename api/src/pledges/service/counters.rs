//! The coverage counters, and the one place the service changes them: signed pledges move
//! `coverage_signed` of their unit and every unit above it (spread over shards, so concurrent
//! signers of one class do not queue on one row); rosters and declared counts move
//! `coverage_expected`. A pledge counts while it is valid or verified. The PostgreSQL batch
//! writes the rows this service drafted and their counters in one statement (`store::batch`).

use rand::Rng;

use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::cache::CampaignContext;
use crate::pledges::store::campaigns::CampaignRow;
use crate::pledges::store::coverage::{self, SHARDS};

/// Moves the signed counters of the units in `lineage` (root first) by `delta`.
pub fn signed(
    conn: &mut DbConn,
    campaign: &CampaignRow,
    lineage: &[String],
    delta: i64,
) -> Result<(), ApiError> {
    let shard = rand::rng().random_range(0..SHARDS);
    Ok(coverage::bump_signed(
        conn,
        lineage,
        campaign.year,
        campaign.kind,
        shard,
        delta,
    )?)
}

/// Moves the expected signers of the units in `lineage` by `delta`.
pub fn expected(
    conn: &mut DbConn,
    campaign: &CampaignRow,
    lineage: &[String],
    delta: i64,
) -> Result<(), ApiError> {
    Ok(coverage::bump_expected(
        conn,
        lineage,
        campaign.year,
        campaign.kind,
        delta,
    )?)
}

/// The lineage of one of the campaign's units.
pub fn lineage_in(ctx: &CampaignContext, unit: &str) -> Result<Vec<String>, ApiError> {
    ctx.units
        .iter()
        .find(|(u, _)| u == unit)
        .map(|(_, l)| l.clone())
        .ok_or_else(|| ApiError::internal("pledge of a unit outside its campaign"))
}
