//! Disputes: a household (or person) contesting the pledge signed in its name
//! (`signing::contest`); the campaign's managers see both pledges and decide which stands.

use bvantq_shared::PledgeStatus;
use bvantq_shared::pledge::{DisputeDto, DisputeKeep, DisputeStatus};
use chrono::NaiveDateTime;

use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::cache::CampaignContext;
use crate::pledges::service::campaigns::require_manage;
use crate::pledges::service::{counters, pledges::dto as pledge_dto};
use crate::pledges::store::campaigns::CampaignRow;
use crate::pledges::store::disputes::{self, DisputeRow};
use crate::pledges::store::pledges;

fn dto(conn: &mut DbConn, d: DisputeRow) -> Result<DisputeDto, ApiError> {
    let original = pledges::by_id(conn, &d.pledge_id)?.ok_or(ApiError::NotFound)?;
    let contesting = pledges::by_id(conn, &d.contest_pledge_id)?.ok_or(ApiError::NotFound)?;
    Ok(DisputeDto {
        status: d.status,
        id: d.id,
        original: pledge_dto(&original),
        contest: pledge_dto(&contesting),
        resolution: d.resolution,
        resolved_at: d.resolved_at,
        created_at: d.created_at,
    })
}

/// A campaign's disputes (open ones only if asked), oldest first, for its managers.
pub fn list(
    conn: &mut DbConn,
    user: &AuthUser,
    campaign: &CampaignRow,
    open_only: bool,
) -> Result<Vec<DisputeDto>, ApiError> {
    require_manage(conn, user, campaign)?;
    disputes::of_campaign(conn, &campaign.id, open_only)?
        .into_iter()
        .map(|d| dto(conn, d))
        .collect()
}

/// The campaign (from the cache) of a dispute, which the caller must manage.
pub fn campaign_of(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<String, ApiError> {
    let d = disputes::by_id(conn, id)?.ok_or(ApiError::NotFound)?;
    let c =
        crate::pledges::store::campaigns::by_id(conn, &d.campaign_id)?.ok_or(ApiError::NotFound)?;
    require_manage(conn, user, &c)?;
    Ok(c.code)
}

/// The managers decide: the pledge kept becomes valid (and counts) and holds the household's
/// (person's) place; the other is void, kept with the reason.
pub fn resolve(
    conn: &mut DbConn,
    user: &AuthUser,
    ctx: &CampaignContext,
    id: &str,
    keep: DisputeKeep,
    reason: &str,
    now: NaiveDateTime,
) -> Result<DisputeDto, ApiError> {
    let dispute = disputes::by_id(conn, id)?.ok_or(ApiError::NotFound)?;
    require_manage(conn, user, &ctx.campaign)?;
    let original = pledges::by_id(conn, &dispute.pledge_id)?.ok_or(ApiError::NotFound)?;
    let contesting = pledges::by_id(conn, &dispute.contest_pledge_id)?.ok_or(ApiError::NotFound)?;
    let (kept, lost, status) = match keep {
        DisputeKeep::Original => (&original, &contesting, DisputeStatus::Upheld),
        DisputeKeep::Contest => (&contesting, &original, DisputeStatus::Replaced),
    };
    if !disputes::resolve(conn, &dispute.id, status, reason, &user.id, now)? {
        return Err(ApiError::Conflict {
            code: "dispute_resolved",
            vi: "Khiếu nại này đã được giải quyết.".into(),
            en: "This dispute was already resolved.".into(),
        });
    }
    // The place (the one-per-person key) is the original's: the loser gives it up first.
    let place = original.dedupe_key.clone();
    let by = Some(user.id.as_str());
    pledges::set_dedupe_and_status(
        conn,
        &lost.id,
        &format!("x:{}", lost.id),
        PledgeStatus::Void,
        Some(reason),
        by,
    )?;
    pledges::set_dedupe_and_status(
        conn,
        &kept.id,
        &place,
        PledgeStatus::Valid,
        Some(reason),
        by,
    )?;
    counters::signed(
        conn,
        &ctx.campaign,
        &counters::lineage_in(ctx, &kept.unit_code)?,
        1,
    )?;
    tracing::info!(dispute = %dispute.id, outcome = status.as_str(), by = %user.id, "pledge dispute resolved");
    let d = disputes::by_id(conn, id)?.ok_or(ApiError::NotFound)?;
    dto(conn, d)
}
