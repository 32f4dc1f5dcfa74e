//! The rules of pledges that need the database: who may run which campaign, signing with
//! deduplication and roster matching, rosters, coverage roll-up.

pub use bvantq_shared::api::percent;
use std::collections::{BTreeMap, HashSet};

use bvantq_shared::pledge::{CampaignCode, NewPledge, parse_date};
use bvantq_shared::text::fold;
use bvantq_shared::{CitizenId, PersonName, PledgeKind, Role, UnitKind, ValidationError};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::{QueryResult, RunQueryDsl};
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::auth::{AuthUser, in_scope};
use crate::config::Config;
use crate::crypto::cccd_hmac;
use crate::db::campaigns::{CampaignRow, TemplateRow};
use crate::db::coverage::{self, SHARDS};
use crate::db::pledges::{self, PledgeRow, RosterRow};
use crate::db::units::{self, UnitRow};
use crate::db::{self, DbConn};
use crate::error::ApiError;
use crate::unit_tree::commune_of;

/// Unit kinds a campaign of `kind` may cover.
pub fn leaf_kinds(kind: PledgeKind) -> &'static [UnitKind] {
    match kind {
        PledgeKind::Household => &[UnitKind::ResidentialArea, UnitKind::Commune],
        PledgeKind::Student => &[UnitKind::Class],
        PledgeKind::Worker => &[UnitKind::Department, UnitKind::Agency, UnitKind::Enterprise],
    }
}

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

/// Which roles run which audience.
pub fn may_run(role: Role, kind: PledgeKind) -> bool {
    match role {
        Role::Admin | Role::ProvinceOfficer => true,
        Role::WardOfficer => kind == PledgeKind::Household,
        Role::SchoolAdmin => kind == PledgeKind::Student,
        Role::OrgAdmin => kind == PledgeKind::Worker,
    }
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

/// A campaign with what signing needs of it. Campaigns, their templates and their units never
/// change once created, so the context is cached in memory by code.
#[derive(Debug, Clone)]
pub struct CampaignContext {
    pub campaign: CampaignRow,
    pub template: TemplateRow,
    pub commitments: Vec<bvantq_shared::pledge::Commitment>,
    /// The campaign's units, each with its lineage (root first) for the coverage counters.
    pub units: Vec<(String, Vec<String>)>,
}

/// Cache of [`CampaignContext`] by campaign code.
#[derive(Debug, Default)]
pub struct CampaignCache(
    std::sync::RwLock<std::collections::HashMap<String, std::sync::Arc<CampaignContext>>>,
);

const CAMPAIGN_CACHE_MAX: usize = 10_000;

impl CampaignCache {
    /// The campaign `code`, from memory or the database; `NotFound` if there is none.
    pub fn get(
        &self,
        conn: &mut DbConn,
        code: &str,
    ) -> Result<std::sync::Arc<CampaignContext>, ApiError> {
        if let Some(c) = self.0.read().ok().and_then(|m| m.get(code).cloned()) {
            return Ok(c);
        }
        let campaign = db::campaigns::by_code(conn, code)?.ok_or(ApiError::NotFound)?;
        let template =
            db::campaigns::template(conn, &campaign.template_id)?.ok_or(ApiError::NotFound)?;
        let codes: Vec<String> = db::campaigns::units_of(conn, &campaign.id)?
            .into_iter()
            .map(|u| u.unit_code)
            .collect();
        let refs: Vec<&str> = codes.iter().map(String::as_str).collect();
        let units = units::find_many(conn, &refs)?
            .into_iter()
            .map(|u| (u.code.clone(), lineage(&u)))
            .collect();
        let ctx = std::sync::Arc::new(CampaignContext {
            commitments: template.commitments(),
            campaign,
            template,
            units,
        });
        if let Ok(mut m) = self.0.write() {
            if m.len() >= CAMPAIGN_CACHE_MAX {
                m.clear();
            }
            m.insert(code.to_string(), ctx.clone());
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
}

/// Builds the row of a signing; checks the unit belongs to the campaign.
pub fn draft(
    cfg: &Config,
    ctx: &CampaignContext,
    new: &NewPledge,
    channel: &str,
    entered_by: Option<&str>,
    now: NaiveDateTime,
) -> Result<Draft, ApiError> {
    let Some((_, lineage)) = ctx.units.iter().find(|(u, _)| u == new.unit.as_str()) else {
        return Err(ApiError::field("unit_code", ValidationError::UnknownUnit));
    };
    let hmac = new.citizen_id.as_ref().map(|c| cccd_hmac(&cfg.cccd_key, c));
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
        id: db::new_id(),
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
        status: "valid".into(),
        status_reason: None,
        status_by: None,
        roster_entry_id: None,
        entered_by: entered_by.map(str::to_string),
        signed_at: now,
    };
    Ok(Draft {
        row,
        plain_key,
        lineage: lineage.clone(),
    })
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
    now: NaiveDateTime,
) -> Result<Signed, ApiError> {
    let Draft {
        mut row,
        plain_key,
        lineage,
    } = draft(cfg, ctx, new, channel, entered_by, now)?;
    let roster = pledges::match_roster(
        conn,
        &row.campaign_id,
        &row.unit_code,
        &row.name_key,
        row.birth_date,
        row.cccd_hmac.as_deref(),
    )?;
    if let Some(r) = &roster {
        row.dedupe_key = format!("r:{r}");
    } else {
        row.dedupe_key = plain_key;
    }
    row.roster_entry_id = roster;
    // One pledge per person: a concurrent signing of the same person inserts nothing and
    // answers with the row that won (on PostgreSQL it waits for that row's transaction).
    if !pledges::insert_new(conn, &row)? {
        let existing = pledges::by_dedupe(conn, &row.campaign_id, &row.dedupe_key)?
            .ok_or(ApiError::Unavailable("pledge race".into()))?;
        return Ok(Signed {
            pledge: existing,
            created: false,
        });
    }
    let shard = rand::rng().random_range(0..SHARDS);
    coverage::bump_signed(
        conn,
        &lineage,
        ctx.campaign.year,
        ctx.campaign.kind().as_str(),
        shard,
        1,
    )?;
    Ok(Signed {
        pledge: row,
        created: true,
    })
}

/// PostgreSQL's fast path for a new signing: roster match, the pledge, its coverage counters and
/// the idempotency record in one statement, so one round trip and one commit. Returns false
/// (having written nothing) when the person already signed or the key was already used; the
/// caller then takes the general path, which answers those cases.
pub fn sign_fast_pg(
    conn: &mut diesel::PgConnection,
    d: &Draft,
    year: i32,
    kind: &str,
    idem: &crate::request::Idempotency,
    response: &str,
) -> QueryResult<bool> {
    let q = SignFast {
        d,
        year,
        kind,
        shard: rand::rng().random_range(0..SHARDS),
        idem,
        response,
    };
    Ok(q.get_result::<i64>(conn)? == 1)
}

/// The statement of [`sign_fast_pg`] as a query diesel prepares once per connection and then
/// reuses (a `sql_query` is parsed and planned by PostgreSQL on every call, which made the
/// database's work per signing 1.7× what it is prepared: see BENCHMARKS.md). Every value is bound
/// once, in the first CTE, and referenced by name after.
struct SignFast<'a> {
    d: &'a Draft,
    year: i32,
    kind: &'a str,
    shard: i32,
    idem: &'a crate::request::Idempotency,
    response: &'a str,
}

/// [`SignFast`]'s identity in diesel's prepared-statement cache: its SQL never changes.
struct SignFastId;

impl diesel::query_builder::QueryId for SignFast<'_> {
    type QueryId = SignFastId;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl diesel::query_builder::Query for SignFast<'_> {
    type SqlType = diesel::sql_types::BigInt;
}

impl RunQueryDsl<diesel::PgConnection> for SignFast<'_> {}

impl diesel::query_builder::QueryFragment<diesel::pg::Pg> for SignFast<'_> {
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, diesel::pg::Pg>,
    ) -> QueryResult<()> {
        use diesel::sql_types::{Array, Date, Integer, Nullable, Text, Timestamp};
        let r = &self.d.row;
        macro_rules! bind {
            ($st:ty, $v:expr, $name:literal) => {
                out.push_bind_param::<$st, _>($v)?;
                out.push_sql(concat!(" AS ", $name));
            };
        }
        out.push_sql("WITH p AS (SELECT ");
        bind!(Text, &r.campaign_id, "campaign_id, ");
        bind!(Nullable<Text>, &r.cccd_hmac, "cccd_hmac, ");
        bind!(Text, &r.unit_code, "unit_code, ");
        bind!(Text, &r.name_key, "name_key, ");
        bind!(Date, &r.birth_date, "birth_date, ");
        bind!(Text, &r.id, "id, ");
        bind!(Text, &r.receipt, "receipt, ");
        bind!(Text, &self.d.plain_key, "plain_key, ");
        bind!(Text, &r.full_name, "full_name, ");
        bind!(Text, &r.initials, "initials, ");
        bind!(Nullable<Text>, &r.cccd_last4, "cccd_last4, ");
        bind!(Nullable<Text>, &r.phone, "phone, ");
        bind!(Nullable<Text>, &r.address, "address, ");
        bind!(Nullable<Integer>, &r.members, "members, ");
        bind!(Nullable<Text>, &r.guardian_name, "guardian_name, ");
        bind!(Nullable<Text>, &r.guardian_relation, "guardian_relation, ");
        bind!(Nullable<Text>, &r.guardian_phone, "guardian_phone, ");
        bind!(Integer, &r.template_version, "template_version, ");
        bind!(Text, &r.commitments_accepted, "commitments_accepted, ");
        bind!(Text, &r.channel, "channel, ");
        bind!(Timestamp, &r.signed_at, "signed_at, ");
        bind!(Integer, &self.year, "year, ");
        bind!(Text, self.kind, "kind, ");
        bind!(Integer, &self.shard, "shard, ");
        bind!(Array<Text>, &self.d.lineage, "lineage, ");
        bind!(Text, &self.idem.scope, "scope, ");
        bind!(Text, &self.idem.key, "idem_key, ");
        bind!(Text, &self.idem.request_hash, "request_hash, ");
        bind!(Text, self.response, "response");
        out.push_sql(
            ")
, r AS (
  SELECT e.id FROM roster_entries e, p
  WHERE e.campaign_id = p.campaign_id AND (e.cccd_hmac = p.cccd_hmac
    OR (e.unit_code = p.unit_code AND e.name_key = p.name_key AND e.birth_date = p.birth_date))
  ORDER BY (e.cccd_hmac IS NOT DISTINCT FROM p.cccd_hmac) DESC LIMIT 1
), ins AS (
  INSERT INTO pledges (id, receipt, campaign_id, unit_code, dedupe_key, full_name, name_key, initials,
    birth_date, cccd_hmac, cccd_last4, phone, address, members, guardian_name, guardian_relation,
    guardian_phone, template_version, commitments_accepted, channel, status, roster_entry_id, signed_at)
  SELECT p.id, p.receipt, p.campaign_id, p.unit_code, COALESCE('r:' || (SELECT id FROM r), p.plain_key),
    p.full_name, p.name_key, p.initials, p.birth_date, p.cccd_hmac, p.cccd_last4, p.phone, p.address,
    p.members, p.guardian_name, p.guardian_relation, p.guardian_phone, p.template_version,
    p.commitments_accepted, p.channel, 'valid', (SELECT id FROM r), p.signed_at
  FROM p
  ON CONFLICT (campaign_id, dedupe_key) DO NOTHING
  RETURNING id
), cnt AS (
  INSERT INTO coverage_signed (unit_code, year, kind, shard, signed)
  SELECT u.code, p.year, p.kind, p.shard, 1 FROM ins, p, unnest(p.lineage) WITH ORDINALITY AS u(code, ord)
  ORDER BY u.ord
  ON CONFLICT (unit_code, year, kind, shard) DO UPDATE SET signed = coverage_signed.signed + 1
), idem AS (
  INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, response_body, created_at)
  SELECT p.scope, p.idem_key, p.request_hash, 201, p.response, p.signed_at FROM ins, p
)
SELECT count(*) AS n FROM ins",
        );
        Ok(())
    }
}

/// One row of a roster import report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RosterRejection {
    /// Line number in the file (the header is line 1).
    pub line: usize,
    pub field: String,
    pub code: String,
    pub message_vi: String,
    pub message_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RosterReport {
    pub unit_code: String,
    pub rows: usize,
    pub accepted: usize,
    pub rejected: Vec<RosterRejection>,
    /// Whether the accepted rows were written (all of them or, with `accept_partial`, the good ones).
    pub imported: bool,
}

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
    key: &[u8],
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
        let hmac = cccd.as_ref().map(|c| cccd_hmac(key, c));
        if !seen.insert((name_key.clone(), birth))
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CoverageLine {
    pub unit_code: String,
    pub name: String,
    pub kind: UnitKind,
    pub signed: i64,
    pub expected: i64,
    /// signed ÷ expected × 100, one decimal; absent when nothing is expected.
    pub percent: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Coverage {
    pub year: i32,
    pub kind: PledgeKind,
    #[serde(flatten)]
    pub total: CoverageLine,
    /// Each child unit, with everything below it rolled up.
    pub children: Vec<CoverageLine>,
}

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
            kind: u.kind(),
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
