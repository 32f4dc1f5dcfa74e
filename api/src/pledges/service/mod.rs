//! The rules of pledges that need the database: who may run which campaign, signing with
//! deduplication and roster matching, rosters, coverage roll-up.

pub use bvantq_shared::api::percent;
use std::collections::{BTreeMap, HashSet};

use bvantq_shared::pledge::{CampaignCode, NewPledge, parse_date};
use bvantq_shared::text::fold;
use bvantq_shared::{
    CitizenId, PersonName, PledgeFlag, PledgeKind, PledgeStatus, UnitKind, ValidationError,
};
use chrono::{NaiveDate, NaiveDateTime};
use rand::Rng;

use crate::auth::{AuthUser, in_scope};
use crate::infra::config::Config;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::pledges::store::campaigns::{CampaignRow, TemplateRow};
use crate::pledges::store::coverage::{self, SHARDS};
use crate::pledges::store::pledges::{self, PledgeRow, RosterRow};
use crate::units::store::{self as units, UnitRow};
use crate::units::tree::commune_of;

pub use bvantq_shared::pledge::{
    Coverage, CoverageLine, RosterRejection, RosterReport, leaf_kinds, may_run,
};

/// The unit that owns a campaign covering `unit`: the commune for households, the school for
/// classes, the agency or enterprise for departments.
pub fn owner_of(conn: &mut DbConn, unit: &UnitRow, kind: PledgeKind) -> Result<UnitRow, ApiError> {
    let owner_code = match (kind, unit.kind()) {
        (PledgeKind::Household, _) => commune_of(unit).map(|c| c.to_string()),
        (PledgeKind::Student, UnitKind::Class) | (PledgeKind::Worker, UnitKind::Department) => {
            unit.parent_code.clone()
        }
        (PledgeKind::Worker, _) => Some(unit.code.clone()),
        _ => None,
    };
    let code =
        owner_code.ok_or_else(|| ApiError::field("units", ValidationError::UnitKindNotAllowed))?;
    units::find(conn, &code)?.ok_or_else(|| ApiError::field("units", ValidationError::UnknownUnit))
}

/// Codes from the root down to `unit`: the counters a pledge there moves.
pub fn lineage(unit: &UnitRow) -> Vec<String> {
    unit.lineage().into_iter().map(str::to_string).collect()
}

/// The caller may manage the campaign: it lies in their scope and fits their role.
pub fn require_manage(
    conn: &mut DbConn,
    user: &AuthUser,
    campaign: &CampaignRow,
) -> Result<UnitRow, ApiError> {
    let owner = units::find(conn, &campaign.owner_unit)?.ok_or(ApiError::NotFound)?;
    if !in_scope(user, &owner) || !may_run(user.role, campaign.kind()) {
        return Err(ApiError::Forbidden("out_of_scope"));
    }
    Ok(owner)
}

pub fn new_campaign_code() -> CampaignCode {
    let mut b = [0u8; bvantq_shared::pledge::CAMPAIGN_CODE_LEN];
    rand::rng().fill(&mut b);
    CampaignCode::from_random(&b)
}

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

/// A campaign with what signing needs of it, cached in memory by code. Templates never change once
/// published and a campaign's units never change; its window can be moved
/// (`PUT /campaigns/{code}/window`), which drops the entry of the process that moved it. Other
/// processes serving the same database see the change within [`CAMPAIGN_CACHE_TTL`].
#[derive(Debug, Clone)]
pub struct CampaignContext {
    pub campaign: CampaignRow,
    pub template: TemplateRow,
    pub commitments: Vec<bvantq_shared::pledge::Commitment>,
    /// The campaign's units, each with its lineage (root first) for the coverage counters.
    pub units: Vec<(String, Vec<String>)>,
    /// Units of the campaign with a roster (a roster import forgets the cached campaign).
    pub units_with_roster: HashSet<String>,
}

/// How long a process trusts its cached campaign before reading it again.
pub const CAMPAIGN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(60);

type CachedCampaign = (std::time::Instant, std::sync::Arc<CampaignContext>);

/// Cache of [`CampaignContext`] by campaign code.
#[derive(Debug)]
pub struct CampaignCache {
    entries: std::sync::RwLock<std::collections::HashMap<String, CachedCampaign>>,
    ttl: std::time::Duration,
    /// Bumped by every [`Self::forget`]: a campaign read from the database before a forget is not
    /// put in memory after it, so a change committed meanwhile is never hidden by an older read.
    generation: std::sync::atomic::AtomicU64,
}

impl Default for CampaignCache {
    fn default() -> Self {
        Self::with_ttl(CAMPAIGN_CACHE_TTL)
    }
}

const CAMPAIGN_CACHE_MAX: usize = 10_000;

impl CampaignCache {
    /// A cache whose entries are read again from the database once older than `ttl`.
    pub fn with_ttl(ttl: std::time::Duration) -> Self {
        Self {
            entries: Default::default(),
            ttl,
            generation: Default::default(),
        }
    }

    /// The campaign `code` if it is in memory and fresh.
    pub fn cached(&self, code: &str) -> Option<std::sync::Arc<CampaignContext>> {
        let m = self.entries.read().ok()?;
        let (at, ctx) = m.get(code)?;
        (at.elapsed() < self.ttl).then(|| ctx.clone())
    }

    /// Drops the campaign `code` from memory: the next use reads it from the database.
    pub fn forget(&self, code: &str) {
        if let Ok(mut m) = self.entries.write() {
            self.generation
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            m.remove(code);
        }
    }

    /// The campaign `code`, from memory or the database; `NotFound` if there is none.
    pub fn get(
        &self,
        conn: &mut DbConn,
        code: &str,
    ) -> Result<std::sync::Arc<CampaignContext>, ApiError> {
        if let Some(c) = self.cached(code) {
            return Ok(c);
        }
        let generation = self.generation.load(std::sync::atomic::Ordering::SeqCst);
        let campaign =
            crate::pledges::store::campaigns::by_code(conn, code)?.ok_or(ApiError::NotFound)?;
        let template = crate::pledges::store::campaigns::template(conn, &campaign.template_id)?
            .ok_or(ApiError::NotFound)?;
        let codes: Vec<String> = crate::pledges::store::campaigns::units_of(conn, &campaign.id)?
            .into_iter()
            .map(|u| u.unit_code)
            .collect();
        let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let units = units::find_many(conn, &refs)?
            .into_iter()
            .map(|u| (u.code.clone(), lineage(&u)))
            .collect();
        let units_with_roster = pledges::roster_counts(conn, &campaign.id)?
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .map(|(u, _)| u)
            .collect();
        let ctx = std::sync::Arc::new(CampaignContext {
            commitments: template.commitments(),
            campaign,
            template,
            units,
            units_with_roster,
        });
        if let Ok(mut m) = self.entries.write()
            && self.generation.load(std::sync::atomic::Ordering::SeqCst) == generation
        {
            if m.len() >= CAMPAIGN_CACHE_MAX {
                m.clear();
            }
            m.insert(code.to_string(), (std::time::Instant::now(), ctx.clone()));
        }
        Ok(ctx)
    }
}

/// What became of a signing.
pub struct Signed {
    pub pledge: PledgeRow,
    /// False when the person (household) had signed already: the first receipt is returned.
    pub created: bool,
}

/// The key that makes "one pledge per person (per household) per campaign" a unique constraint.
fn dedupe_key(
    kind: PledgeKind,
    unit: &str,
    roster: Option<&str>,
    cccd: Option<&str>,
    name_key: &str,
    birth: NaiveDate,
    address: Option<&str>,
) -> String {
    if let Some(r) = roster {
        return format!("r:{r}");
    }
    match kind {
        PledgeKind::Household => format!("a:{unit}:{}", fold(address.unwrap_or(""))),
        _ => match cccd {
            Some(h) => format!("c:{h}"),
            None => format!("p:{unit}:{name_key}:{birth}"),
        },
    }
}

/// A pledge ready to write: the row (without its roster match yet), the key that makes it unique
/// when it matches no roster row, and the units whose counters it moves.
pub struct Draft {
    pub row: PledgeRow,
    pub plain_key: String,
    pub lineage: Vec<String>,
    /// Older stored forms of the signer's CCCD while a key rotation is pending (empty otherwise);
    /// such a signing takes the general path, which looks for each.
    pub older_cccd: Vec<String>,
    /// The unit has a roster: a signer who matches no row of it is flagged `off_roster`.
    pub unit_has_roster: bool,
}

impl Draft {
    /// The flags of the row once its roster match is known.
    pub fn flags(&self, on_roster: bool) -> Option<String> {
        let mut f: Vec<&str> = self.row.flags.iter().map(String::as_str).collect();
        if self.unit_has_roster && !on_roster {
            f.push(PledgeFlag::OffRoster.as_str());
        }
        (!f.is_empty()).then(|| f.join(","))
    }
}

/// Builds the row of a signing; checks the unit belongs to the campaign. `burst`: its client
/// address signed many pledges of the campaign in the last minutes (the row is flagged).
#[allow(clippy::too_many_arguments)]
pub fn draft(
    cfg: &Config,
    ctx: &CampaignContext,
    new: &NewPledge,
    channel: &str,
    entered_by: Option<&str>,
    burst: bool,
    now: NaiveDateTime,
) -> Result<Draft, ApiError> {
    let Some((_, lineage)) = ctx.units.iter().find(|(u, _)| u == new.unit.as_str()) else {
        return Err(ApiError::field("unit_code", ValidationError::UnknownUnit));
    };
    let hmac = new.citizen_id.as_ref().map(|c| cfg.cccd.hash(c));
    let name_key = fold(new.full_name.as_str());
    let plain_key = dedupe_key(
        ctx.campaign.kind(),
        new.unit.as_str(),
        None,
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
        dedupe_key: plain_key.clone(),
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
        channel: channel.into(),
        status: PledgeStatus::Valid.as_str().into(),
        status_reason: None,
        status_by: None,
        roster_entry_id: None,
        entered_by: entered_by.map(str::to_string),
        signed_at: now,
        flags: burst.then(|| PledgeFlag::Burst.as_str().to_string()),
    };
    let older_cccd = match &new.citizen_id {
        Some(c) => cfg.cccd.candidates(c).into_iter().skip(1).collect(),
        None => Vec::new(),
    };
    Ok(Draft {
        row,
        plain_key,
        lineage: lineage.clone(),
        older_cccd,
        unit_has_roster: ctx.units_with_roster.contains(new.unit.as_str()),
    })
}

/// A signing ready to insert: its row (roster match, flags and dedupe key set), the units whose
/// counters it moves, and the pledge the same person (household) already has, if any.
struct Prepared {
    row: PledgeRow,
    lineage: Vec<String>,
    existing: Option<PledgeRow>,
}

#[allow(clippy::too_many_arguments)]
fn prepare(
    conn: &mut DbConn,
    cfg: &Config,
    ctx: &CampaignContext,
    new: &NewPledge,
    channel: &str,
    entered_by: Option<&str>,
    burst: bool,
    now: NaiveDateTime,
) -> Result<Prepared, ApiError> {
    let draft = draft(cfg, ctx, new, channel, entered_by, burst, now)?;
    let mut cccd: Vec<&str> = draft.row.cccd_hmac.iter().map(String::as_str).collect();
    cccd.extend(draft.older_cccd.iter().map(String::as_str));
    let roster = pledges::match_roster(
        conn,
        &draft.row.campaign_id,
        &draft.row.unit_code,
        &draft.row.name_key,
        draft.row.birth_date,
        &cccd,
    )?;
    let mut row = draft.row.clone();
    row.flags = draft.flags(roster.is_some());
    let mut keys = vec![match &roster {
        Some(r) => format!("r:{r}"),
        None => draft.plain_key.clone(),
    }];
    // While a key rotation is pending, the same person may have signed under an older form.
    if roster.is_none() {
        keys.extend(draft.older_cccd.iter().map(|h| format!("c:{h}")));
    }
    row.dedupe_key = keys[0].clone();
    row.roster_entry_id = roster;
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

/// Moves the coverage counters of the units in `lineage` by `delta` for the campaign.
fn count(
    conn: &mut DbConn,
    ctx: &CampaignContext,
    lineage: &[String],
    delta: i64,
) -> Result<(), ApiError> {
    let shard = rand::rng().random_range(0..SHARDS);
    Ok(coverage::bump_signed(
        conn,
        lineage,
        ctx.campaign.year,
        ctx.campaign.kind().as_str(),
        shard,
        delta,
    )?)
}

/// Records a pledge, or returns the one the same person (household) already has in this
/// campaign. Runs inside the caller's transaction; concurrent signings of one person end with
/// one row (the unique dedupe key) and every caller gets its receipt.
#[allow(clippy::too_many_arguments)]
pub fn sign(
    conn: &mut DbConn,
    cfg: &Config,
    ctx: &CampaignContext,
    new: &NewPledge,
    channel: &str,
    entered_by: Option<&str>,
    burst: bool,
    now: NaiveDateTime,
) -> Result<Signed, ApiError> {
    let p = prepare(conn, cfg, ctx, new, channel, entered_by, burst, now)?;
    if let Some(existing) = p.existing {
        return Ok(Signed {
            pledge: existing,
            created: false,
        });
    }
    // One pledge per person: a concurrent signing of the same person inserts nothing and
    // answers with the row that won (on PostgreSQL it waits for that row's transaction).
    if !pledges::insert_new(conn, &p.row)? {
        let existing = pledges::by_dedupe(conn, &p.row.campaign_id, &p.row.dedupe_key)?
            .ok_or(ApiError::Unavailable("pledge race".into()))?;
        return Ok(Signed {
            pledge: existing,
            created: false,
        });
    }
    count(conn, ctx, &p.lineage, 1)?;
    Ok(Signed {
        pledge: p.row,
        created: true,
    })
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
/// the ward ([`resolve_dispute`]). With nothing to contest, it is an ordinary signing.
#[allow(clippy::too_many_arguments)]
pub fn contest(
    conn: &mut DbConn,
    cfg: &Config,
    ctx: &CampaignContext,
    new: &NewPledge,
    burst: bool,
    now: NaiveDateTime,
) -> Result<Contested, ApiError> {
    let p = prepare(conn, cfg, ctx, new, "self", None, burst, now)?;
    let Some(existing) = p.existing else {
        let s = sign(conn, cfg, ctx, new, "self", None, burst, now)?;
        return Ok(Contested {
            pledge: s.pledge,
            disputed: false,
        });
    };
    let was = PledgeStatus::parse(&existing.status).map_err(ApiError::internal)?;
    if was == PledgeStatus::Disputed {
        return Err(contested_already());
    }
    let dispute = db::new_id();
    let mut row = p.row;
    // Outside the one-per-person key until the ward decides which stands.
    row.dedupe_key = format!("d:{dispute}");
    row.status = PledgeStatus::Disputed.as_str().into();
    pledges::insert_new(conn, &row)?;
    pledges::set_dedupe_and_status(
        conn,
        &existing.id,
        &existing.dedupe_key,
        PledgeStatus::Disputed.as_str(),
        existing.status_reason.as_deref(),
        existing.status_by.as_deref(),
    )?;
    if was.counts() {
        count(conn, ctx, &lineage_of(ctx, &existing.unit_code)?, -1)?;
    }
    crate::pledges::store::disputes::insert(
        conn,
        &crate::pledges::store::disputes::DisputeRow {
            id: dispute,
            campaign_id: ctx.campaign.id.clone(),
            pledge_id: existing.id.clone(),
            contest_pledge_id: row.id.clone(),
            status: crate::pledges::store::disputes::OPEN.into(),
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

fn lineage_of(ctx: &CampaignContext, unit: &str) -> Result<Vec<String>, ApiError> {
    ctx.units
        .iter()
        .find(|(u, _)| u == unit)
        .map(|(_, l)| l.clone())
        .ok_or_else(|| ApiError::internal("pledge of a unit outside its campaign"))
}

/// The ward decides a dispute: the pledge kept becomes valid (and counts), the other void (kept,
/// with the reason), and the kept one holds the household's (person's) place.
pub fn resolve_dispute(
    conn: &mut DbConn,
    ctx: &CampaignContext,
    dispute: &crate::pledges::store::disputes::DisputeRow,
    keep: bvantq_shared::pledge::DisputeKeep,
    reason: &str,
    by: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    use bvantq_shared::pledge::DisputeKeep;
    let original = pledges::by_id(conn, &dispute.pledge_id)?.ok_or(ApiError::NotFound)?;
    let contesting = pledges::by_id(conn, &dispute.contest_pledge_id)?.ok_or(ApiError::NotFound)?;
    let (kept, lost, status) = match keep {
        DisputeKeep::Original => (&original, &contesting, "upheld"),
        DisputeKeep::Contest => (&contesting, &original, "replaced"),
    };
    if !crate::pledges::store::disputes::resolve(conn, &dispute.id, status, reason, by, now)? {
        return Err(ApiError::Conflict {
            code: "dispute_resolved",
            vi: "Khiếu nại này đã được giải quyết.".into(),
            en: "This dispute was already resolved.".into(),
        });
    }
    // The place (dedupe key) is the original's: the loser gives it up first.
    let place = original.dedupe_key.clone();
    pledges::set_dedupe_and_status(
        conn,
        &lost.id,
        &format!("x:{}", lost.id),
        PledgeStatus::Void.as_str(),
        Some(reason),
        Some(by),
    )?;
    pledges::set_dedupe_and_status(
        conn,
        &kept.id,
        &place,
        PledgeStatus::Valid.as_str(),
        Some(reason),
        Some(by),
    )?;
    count(conn, ctx, &lineage_of(ctx, &kept.unit_code)?, 1)?;
    tracing::info!(dispute = %dispute.id, outcome = status, by = %by, "pledge dispute resolved");
    Ok(())
}

/// One row of a roster import report.
fn reject(line: usize, field: &str, e: ValidationError) -> RosterRejection {
    RosterRejection {
        line,
        field: field.into(),
        code: e.code().into(),
        message_vi: e.message_vi(),
        message_en: e.message_en(),
    }
}

fn duplicate(line: usize) -> RosterRejection {
    RosterRejection {
        line,
        field: "row".into(),
        code: "duplicate".into(),
        message_vi: "Trùng với một dòng khác (cùng họ tên và ngày sinh, hoặc cùng số CCCD).".into(),
        message_en: "Duplicate of another row (same name and date of birth, or same CCCD).".into(),
    }
}

/// Reads a roster CSV for one unit of a campaign. Headers (English or Vietnamese without
/// diacritics): `full_name|ho_ten|chu_ho`, `birth_date|ngay_sinh` (YYYY-MM-DD or DD/MM/YYYY),
/// `citizen_id|cccd`, and for households `address|dia_chi`, `members|so_nhan_khau`.
pub fn parse_roster(
    csv_text: &[u8],
    kind: PledgeKind,
    campaign_id: &str,
    unit: &str,
    key: &crate::infra::cccd_keys::CccdKeys,
    existing: &[pledges::RosterKey],
    now: NaiveDateTime,
) -> Result<(Vec<RosterRow>, Vec<RosterRejection>, usize), ApiError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv_text);
    let headers = rdr
        .headers()
        .map_err(|_| ApiError::field("file", ValidationError::Required))?
        .clone();
    let col = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&fold(h).replace(' ', "_").as_str()))
    };
    let c_name = col(&["full_name", "ho_ten", "chu_ho", "ho_va_ten"]);
    let c_birth = col(&["birth_date", "ngay_sinh"]);
    let c_cccd = col(&["citizen_id", "cccd", "so_cccd"]);
    let c_addr = col(&["address", "dia_chi"]);
    let c_members = col(&["members", "so_nhan_khau"]);
    if c_name.is_none() {
        return Err(ApiError::field("file", ValidationError::Required));
    }
    let mut seen: HashSet<(String, Option<NaiveDate>)> = existing
        .iter()
        .filter(|e| e.0 == unit)
        .map(|e| (e.1.clone(), e.2))
        .collect();
    let mut seen_cccd: HashSet<String> = existing.iter().filter_map(|e| e.3.clone()).collect();
    let (mut rows, mut rejected, mut total) = (Vec::new(), Vec::new(), 0);
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        total += 1;
        let Ok(rec) = rec else {
            rejected.push(reject(line, "row", ValidationError::DateFormat));
            continue;
        };
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let name = match PersonName::parse(&PersonName::normalize_input(get(c_name).unwrap_or("")))
        {
            Ok(n) => n,
            Err(e) => {
                rejected.push(reject(line, "full_name", e));
                continue;
            }
        };
        let birth = match get(c_birth) {
            None if kind == PledgeKind::Household => None,
            None => {
                rejected.push(reject(line, "birth_date", ValidationError::Required));
                continue;
            }
            Some(raw) => match parse_date(raw).or_else(|_| {
                NaiveDate::parse_from_str(raw, "%d/%m/%Y").map_err(|_| ValidationError::DateFormat)
            }) {
                Ok(d) if d <= now.date() => Some(d),
                Ok(_) => {
                    rejected.push(reject(line, "birth_date", ValidationError::DateInFuture));
                    continue;
                }
                Err(e) => {
                    rejected.push(reject(line, "birth_date", e));
                    continue;
                }
            },
        };
        let cccd = match get(c_cccd) {
            None => None,
            Some(raw) => match birth.map_or_else(
                || CitizenId::parse(raw),
                |b| CitizenId::parse_with_birth_date(raw, b),
            ) {
                Ok(c) => Some(c),
                Err(e) => {
                    rejected.push(reject(line, "citizen_id", e));
                    continue;
                }
            },
        };
        let members = match (kind, get(c_members)) {
            (PledgeKind::Household, Some(m)) => match m.parse::<i32>() {
                Ok(n) if (1..=50).contains(&n) => Some(n),
                _ => {
                    rejected.push(reject(
                        line,
                        "members",
                        ValidationError::OutOfRange { min: 1, max: 50 },
                    ));
                    continue;
                }
            },
            _ => None,
        };
        let name_key = fold(name.as_str());
        let hmac = cccd.as_ref().map(|c| key.hash(c));
        // Every stored form of the number counts while a key rotation is pending.
        let known = cccd
            .as_ref()
            .is_some_and(|c| key.candidates(c).iter().any(|h| seen_cccd.contains(h)));
        if known
            || !seen.insert((name_key.clone(), birth))
            || hmac.as_ref().is_some_and(|h| !seen_cccd.insert(h.clone()))
        {
            rejected.push(duplicate(line));
            continue;
        }
        rows.push(RosterRow {
            id: db::new_id(),
            campaign_id: campaign_id.into(),
            unit_code: unit.into(),
            full_name: name.to_string(),
            name_key,
            birth_date: birth,
            cccd_last4: cccd.as_ref().map(|c| c.last4().to_string()),
            cccd_hmac: hmac,
            address: get(c_addr).map(str::to_string),
            members,
            line: line as i32,
            created_at: now,
        });
    }
    Ok((rows, rejected, total))
}

/// Signed, expected and percent for one unit.
/// The coverage of `unit` and of each of its direct children, from their counters.
pub fn coverage(
    conn: &mut DbConn,
    unit: &UnitRow,
    year: i32,
    kind: PledgeKind,
    today: NaiveDate,
) -> Result<Coverage, ApiError> {
    let query = units::UnitQuery {
        parent: Some(unit.code.clone()),
        limit: 100_000,
        ..Default::default()
    };
    let children = units::list(conn, &query, today)?;
    let mut codes: Vec<String> = children.iter().map(|c| c.code.clone()).collect();
    codes.push(unit.code.clone());
    let signed: BTreeMap<String, i64> = coverage::signed_of(conn, &codes, year, kind.as_str())?
        .into_iter()
        .collect();
    let expected: BTreeMap<String, i64> = coverage::expected_of(conn, &codes, year, kind.as_str())?
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
            unit_kind: u.kind(),
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
