//! Signed pledges as their campaign's managers see them: the list, a verification, a pledge made
//! void (kept, no longer counted, no longer holding the household's place); and the public check
//! of a receipt.

use bvantq_shared::pledge::{PledgeDto, PledgeVerification};
use bvantq_shared::{PledgeFlag, PledgeStatus};

use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::pledges::service::campaigns::require_manage;
use crate::pledges::service::counters;
use crate::pledges::store::campaigns::{self, CampaignRow};
use crate::pledges::store::pledges::{self, PledgeRow};
use crate::units::store as units;

pub fn dto(p: &PledgeRow) -> PledgeDto {
    PledgeDto {
        id: p.id.clone(),
        receipt: p.receipt.clone(),
        unit_code: p.unit_code.clone(),
        full_name: p.full_name.clone(),
        birth_date: p.birth_date,
        citizen_id_last4: p.cccd_last4.clone(),
        phone: p.phone.clone(),
        address: p.address.clone(),
        members: p.members,
        guardian_name: p.guardian_name.clone(),
        guardian_relation: p.guardian_relation.clone(),
        channel: p.channel,
        status: p.status,
        status_reason: p.status_reason.clone(),
        on_roster: p.roster_entry_id.is_some(),
        flags: p
            .flags
            .as_deref()
            .unwrap_or("")
            .split(',')
            .filter_map(|f| PledgeFlag::parse(f).ok())
            .collect(),
        signed_at: p.signed_at,
    }
}

/// One page of a campaign's pledges, for its managers.
pub fn page(
    conn: &mut DbConn,
    user: &AuthUser,
    campaign: &CampaignRow,
    name: Option<&str>,
    unit: Option<&str>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<PledgeRow>, ApiError> {
    require_manage(conn, user, campaign)?;
    Ok(pledges::list(conn, &campaign.id, name, unit, after, limit)?)
}

/// Pledges per page of an export: an export of any size holds one page at a time.
pub const EXPORT_PAGE: i64 = 1000;

/// The caller may export `campaign`'s pledges (its managers), checked once before the first page.
pub fn may_export(
    conn: &mut DbConn,
    user: &AuthUser,
    campaign: &CampaignRow,
) -> Result<(), ApiError> {
    require_manage(conn, user, campaign).map(|_| ())
}

/// The next page of an export after the pledge `after` (id order); shorter than
/// [`EXPORT_PAGE`] when it is the last. Each page is its own read: a pledge signed while an export
/// runs is in it when its id sorts after the page being read.
pub fn export_page(
    conn: &mut DbConn,
    campaign_id: &str,
    after: Option<&str>,
) -> Result<Vec<PledgeRow>, ApiError> {
    Ok(pledges::list(
        conn,
        campaign_id,
        None,
        None,
        after,
        EXPORT_PAGE,
    )?)
}

fn wrong_state() -> ApiError {
    ApiError::Conflict {
        code: "pledge_state",
        vi: "Không thể đổi trạng thái cam kết này (có thể đã bị hủy).".into(),
        en: "This pledge cannot change to that state (it may be void).".into(),
    }
}

/// Marks a valid pledge verified, or makes a valid or verified one void (its managers only).
pub fn set_status(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    to: PledgeStatus,
    reason: Option<&str>,
) -> Result<PledgeStatus, ApiError> {
    let p = pledges::by_id(conn, id)?.ok_or(ApiError::NotFound)?;
    let c = campaigns::by_id(conn, &p.campaign_id)?.ok_or(ApiError::NotFound)?;
    require_manage(conn, user, &c)?;
    let from: &[PledgeStatus] = match to {
        PledgeStatus::Void => &[PledgeStatus::Valid, PledgeStatus::Verified],
        PledgeStatus::Verified => &[PledgeStatus::Valid],
        _ => return Err(wrong_state()),
    };
    if !pledges::set_status(conn, id, from, to, reason, &user.id)? {
        return Err(wrong_state());
    }
    if to == PledgeStatus::Void {
        // Kept, not deleted; no longer counted; and no longer holding its household's
        // (person's) place, so the real one can sign.
        pledges::set_dedupe_and_status(conn, id, &format!("x:{id}"), to, reason, Some(&user.id))?;
        let unit = units::find(conn, &p.unit_code)?.ok_or(ApiError::NotFound)?;
        counters::signed(conn, &c, &unit.lineage_codes(), -1)?;
    }
    tracing::info!(pledge = %id, status = to.as_str(), by = %user.id, "pledge status changed");
    Ok(to)
}

/// What anyone holding a receipt may see: initials, campaign and date — nothing more.
pub fn verification(conn: &mut DbConn, receipt: &str) -> Result<PledgeVerification, ApiError> {
    let p = pledges::by_receipt(conn, receipt)?.ok_or(ApiError::NotFound)?;
    let c = campaigns::by_id(conn, &p.campaign_id)?.ok_or(ApiError::NotFound)?;
    Ok(PledgeVerification {
        receipt: p.receipt,
        initials: p.initials,
        campaign_title: c.title,
        campaign_code: c.code,
        signed_on: p.signed_at.date(),
        status: p.status,
    })
}

/// A pledge with this receipt exists (a QR code is drawn for real receipts only).
pub fn require_receipt(conn: &mut DbConn, receipt: &str) -> Result<(), ApiError> {
    pledges::by_receipt(conn, receipt)?
        .map(|_| ())
        .ok_or(ApiError::NotFound)
}
