//! Signing: one pledge per person (per household) per campaign. One function drafts the row
//! ([`draft`]) and one finishes it once its roster match is known ([`Draft::finish`]: the
//! "one per person" key and the flags) — for a single signing here and for the PostgreSQL batch
//! (`pledges::batch`) alike; the batch only changes how the finished rows are written. A
//! household contests the pledge signed in its name ([`contest`]).

use bvantq_shared::pledge::NewPledge;
use bvantq_shared::text::fold;
use bvantq_shared::{
    DisputeStatus, PledgeChannel, PledgeFlag, PledgeKind, PledgeStatus, ValidationError,
};
use chrono::{NaiveDate, NaiveDateTime};
use rand::Rng;

use crate::infra::config::Config;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::pledges::cache::CampaignContext;
use crate::pledges::service::counters;
use crate::pledges::store::disputes::{self, DisputeRow};
use crate::pledges::store::pledges::{self, PledgeRow};

/// A receipt number: `CK-XXXX-XXXX` (8 characters of the unambiguous alphabet, ~40 bits).
pub fn new_receipt() -> String {
    let a = bvantq_shared::pledge::CODE_ALPHABET;
    let mut rng = rand::rng();
    let mut s = String::from("CK-");
    for i in 0..8 {
        if i == 4 {
            s.push('-');
        }
        s.push(a[rng.random_range(0..a.len())] as char);
    }
    s
}

fn closed() -> ApiError {
    ApiError::Conflict {
        code: "campaign_closed",
        vi: "Đợt cam kết này chưa mở hoặc đã kết thúc.".into(),
        en: "This campaign is not open for signing.".into(),
    }
}

/// A public signing of the campaign `ctx` checked and parsed: the campaign open today, the fields
/// of its audience valid.
pub fn public(
    ctx: &CampaignContext,
    input: &bvantq_shared::pledge::SignRequest,
    now: NaiveDateTime,
) -> Result<NewPledge, ApiError> {
    if !ctx.campaign.is_open(now.date()) {
        return Err(closed());
    }
    paper(ctx, input, now)
}

/// A signing from paper, entered by an officer: the fields of the campaign's audience valid
/// (the campaign may have closed since the paper was signed).
pub fn paper(
    ctx: &CampaignContext,
    input: &bvantq_shared::pledge::SignRequest,
    now: NaiveDateTime,
) -> Result<NewPledge, ApiError> {
    Ok(input.parse(bvantq_shared::pledge::SignContext {
        kind: ctx.campaign.kind,
        commitments: ctx.commitments.len(),
        today: now.date(),
    })?)
}

/// What became of a signing.
pub struct Signed {
    pub pledge: PledgeRow,
    /// False when the person (household) had signed already: the first receipt is returned.
    pub created: bool,
}

/// The key that makes "one pledge per person (per household) per campaign" a unique constraint,
/// for a signer who matches no roster row: the household's address, else the person's CCCD hash,
/// else their name and birth date.
fn plain_key(
    kind: PledgeKind,
    unit: &str,
    cccd: Option<&str>,
    name_key: &str,
    birth: NaiveDate,
    address: Option<&str>,
) -> String {
    match kind {
        PledgeKind::Household => format!("a:{unit}:{}", fold(address.unwrap_or(""))),
        _ => match cccd {
            Some(h) => format!("c:{h}"),
            None => format!("p:{unit}:{name_key}:{birth}"),
        },
    }
}

/// A pledge drafted from a signing, before its roster match is known.
pub struct Draft {
    /// The row, with the key of a signer on no roster.
    pub row: PledgeRow,
    /// The units whose counters it moves, root first.
    pub lineage: Vec<String>,
    /// Older stored forms of the signer's CCCD while a key rotation is pending (empty otherwise);
    /// such a signing takes the general path, which looks for each.
    pub older_cccd: Vec<String>,
    /// The unit has a roster: a signer who matches no row of it is flagged `off_roster`.
    pub unit_has_roster: bool,
}

impl Draft {
    /// Every stored form of the signer's CCCD hash (the current one first).
    pub fn cccd_forms(&self) -> Vec<&str> {
        let mut forms: Vec<&str> = self.row.cccd_hmac.iter().map(String::as_str).collect();
        forms.extend(self.older_cccd.iter().map(String::as_str));
        forms
    }

    /// The row as written once its roster match is known: a signer on the roster holds the
    /// roster row's place (`r:{id}`), and a signer not on the roster of a unit that has one is
    /// flagged `off_roster`.
    pub fn finish(&self, roster: Option<String>) -> PledgeRow {
        let mut row = self.row.clone();
        let mut flags: Vec<&str> = self.row.flags.iter().map(String::as_str).collect();
        if self.unit_has_roster && roster.is_none() {
            flags.push(PledgeFlag::OffRoster.as_str());
        }
        row.flags = (!flags.is_empty()).then(|| flags.join(","));
        if let Some(r) = &roster {
            row.dedupe_key = format!("r:{r}");
        }
        row.roster_entry_id = roster;
        row
    }
}

/// Drafts the row of a signing; checks the unit belongs to the campaign. `burst`: its client
/// address signed many pledges of the campaign in the last minutes (the row is flagged).
#[allow(clippy::too_many_arguments)]
pub fn draft(
    cfg: &Config,
    ctx: &CampaignContext,
    new: &NewPledge,
    channel: PledgeChannel,
    entered_by: Option<&str>,
    burst: bool,
    now: NaiveDateTime,
) -> Result<Draft, ApiError> {
    let Some((_, lineage)) = ctx.units.iter().find(|(u, _)| u == new.unit.as_str()) else {
        return Err(ApiError::field("unit_code", ValidationError::UnknownUnit));
    };
    let hmac = new.citizen_id.as_ref().map(|c| cfg.cccd.hash(c));
    let name_key = fold(new.full_name.as_str());
    let key = plain_key(
        ctx.campaign.kind,
        new.unit.as_str(),
        hmac.as_deref(),
        &name_key,
        new.birth_date,
        new.address.as_deref(),
    );
    let accepted: Vec<usize> = (1..=ctx.commitments.len()).collect();
    let row = PledgeRow {
        id: db::new_sorted_id(now),
        receipt: new_receipt(),
        campaign_id: ctx.campaign.id.clone(),
        unit_code: new.unit.to_string(),
        dedupe_key: key,
        full_name: new.full_name.to_string(),
        name_key,
        initials: new.full_name.initials(),
        birth_date: new.birth_date,
        cccd_last4: new.citizen_id.as_ref().map(|c| c.last4().to_string()),
        cccd_hmac: hmac,
        phone: new.phone.as_ref().map(|p| p.e164().to_string()),
        address: new.address.clone(),
        members: new.members,
        guardian_name: new.guardian.as_ref().map(|g| g.name.to_string()),
        guardian_relation: new.guardian.as_ref().map(|g| g.relation.clone()),
        guardian_phone: new.guardian.as_ref().map(|g| g.phone.e164().to_string()),
        template_version: ctx.template.version,
        commitments_accepted: serde_json::to_string(&accepted).map_err(ApiError::internal)?,
        channel,
        status: PledgeStatus::Valid,
        status_reason: None,
        status_by: None,
        roster_entry_id: None,
        entered_by: entered_by.map(str::to_string),
        signed_at: now,
        flags: burst.then(|| PledgeFlag::Burst.as_str().to_string()),
        year: ctx.campaign.year,
    };
    let older_cccd = match &new.citizen_id {
        Some(c) => cfg.cccd.candidates(c).into_iter().skip(1).collect(),
        None => Vec::new(),
    };
    Ok(Draft {
        row,
        lineage: lineage.clone(),
        older_cccd,
        unit_has_roster: ctx.units_with_roster.contains(new.unit.as_str()),
    })
}

/// A signing finished and ready to insert, with the pledge the same person (household) already
/// has, if any.
struct Prepared {
    row: PledgeRow,
    lineage: Vec<String>,
    existing: Option<PledgeRow>,
}

fn prepare(conn: &mut DbConn, draft: Draft) -> Result<Prepared, ApiError> {
    let d = &draft.row;
    let roster = pledges::match_roster(
        conn,
        &d.campaign_id,
        &d.unit_code,
        &d.name_key,
        d.birth_date,
        &draft.cccd_forms(),
    )?;
    let on_roster = roster.is_some();
    let row = draft.finish(roster);
    let mut keys = vec![row.dedupe_key.clone()];
    // While a key rotation is pending, the same person may have signed under an older form.
    if !on_roster {
        keys.extend(draft.older_cccd.iter().map(|h| format!("c:{h}")));
    }
    let mut existing = None;
    for k in &keys {
        existing = pledges::by_dedupe(conn, &row.campaign_id, k)?;
        if existing.is_some() {
            break;
        }
    }
    Ok(Prepared {
        row,
        lineage: draft.lineage,
        existing,
    })
}

/// Records a drafted pledge, or returns the one the same person (household) already has in
/// this campaign. Runs inside the caller's transaction; concurrent signings of one person end
/// with one row (the unique key) and every caller gets its receipt.
pub fn sign(conn: &mut DbConn, ctx: &CampaignContext, draft: Draft) -> Result<Signed, ApiError> {
    let p = prepare(conn, draft)?;
    record(conn, ctx, p)
}

/// Inserts a prepared signing unless the person (household) already has a pledge.
fn record(conn: &mut DbConn, ctx: &CampaignContext, p: Prepared) -> Result<Signed, ApiError> {
    if let Some(existing) = p.existing {
        return Ok(Signed {
            pledge: existing,
            created: false,
        });
    }
    // One pledge per person: a concurrent signing of the same person inserts nothing and
    // answers with the row that won (on PostgreSQL it waits for that row's transaction).
    let mut p = p;
    if !insert_with_free_receipt(conn, &mut p.row)? {
        let existing = pledges::by_dedupe(conn, &p.row.campaign_id, &p.row.dedupe_key)?
            .ok_or(ApiError::Unavailable("pledge race".into()))?;
        return Ok(Signed {
            pledge: existing,
            created: false,
        });
    }
    counters::signed(conn, &ctx.campaign, &p.lineage, 1)?;
    Ok(Signed {
        pledge: p.row,
        created: true,
    })
}

/// Receipts drawn again when the one drawn is taken. A receipt is 8 characters of 31 (about
/// 8.5 × 10^11 codes): a year of 57 million signings draws a few thousand equal pairs, and each
/// would otherwise fail its signing.
const RECEIPT_DRAWS: usize = 4;

/// [`pledges::insert_new`], drawing a new receipt while the one drawn belongs to another pledge
/// (each try in a savepoint, so a refused insert leaves the caller's transaction usable).
fn insert_with_free_receipt(conn: &mut DbConn, row: &mut PledgeRow) -> Result<bool, ApiError> {
    use diesel::Connection;
    use diesel::result::{DatabaseErrorKind, Error};
    let mut draws = 1;
    loop {
        match conn.transaction(|c| pledges::insert_new(c, row)) {
            Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info))
                if draws < RECEIPT_DRAWS
                    && info
                        .constraint_name()
                        .unwrap_or(info.message())
                        .contains("receipt") =>
            {
                draws += 1;
                row.receipt = new_receipt();
            }
            other => return Ok(other?),
        }
    }
}

/// What became of a contest.
pub struct Contested {
    pub pledge: PledgeRow,
    /// True: the pledge on the same household (person) is now under dispute with this one.
    /// False: there was none, and this is an ordinary signing.
    pub disputed: bool,
}

fn contested_already() -> ApiError {
    ApiError::Conflict {
        code: "pledge_disputed",
        vi: "Cam kết của hộ (người) này đã bị khiếu nại; công an phường, xã đang xem xét.".into(),
        en: "This household's (person's) pledge is already contested; the ward police are reviewing it."
            .into(),
    }
}

/// A household (or person) contests the pledge signed in its name: its own pledge is recorded
/// beside the one signed first, both as `disputed` — neither counts — and a dispute waits for
/// the ward (`service::disputes::resolve`). With nothing to contest, it is an ordinary signing.
pub fn contest(
    conn: &mut DbConn,
    ctx: &CampaignContext,
    draft: Draft,
    now: NaiveDateTime,
) -> Result<Contested, ApiError> {
    let p = prepare(conn, draft)?;
    let Some(existing) = p.existing.clone() else {
        let s = record(conn, ctx, p)?;
        return Ok(Contested {
            pledge: s.pledge,
            disputed: false,
        });
    };
    let was = existing.status;
    if was == PledgeStatus::Disputed {
        return Err(contested_already());
    }
    let dispute = db::new_id();
    let mut row = p.row;
    // Outside the one-per-person key until the ward decides which stands.
    row.dedupe_key = format!("d:{dispute}");
    row.status = PledgeStatus::Disputed;
    insert_with_free_receipt(conn, &mut row)?;
    pledges::set_dedupe_and_status(
        conn,
        &existing.id,
        &existing.dedupe_key,
        PledgeStatus::Disputed,
        existing.status_reason.as_deref(),
        existing.status_by.as_deref(),
    )?;
    if was.counts() {
        counters::signed(
            conn,
            &ctx.campaign,
            &counters::lineage_in(ctx, &existing.unit_code)?,
            -1,
        )?;
    }
    disputes::insert(
        conn,
        &DisputeRow {
            id: dispute,
            campaign_id: ctx.campaign.id.clone(),
            pledge_id: existing.id.clone(),
            contest_pledge_id: row.id.clone(),
            status: DisputeStatus::Open,
            resolution: None,
            resolved_by: None,
            resolved_at: None,
            created_at: now,
        },
    )?;
    tracing::info!(campaign = %ctx.campaign.code, pledge = %existing.id, "pledge contested");
    Ok(Contested {
        pledge: row,
        disputed: true,
    })
}
