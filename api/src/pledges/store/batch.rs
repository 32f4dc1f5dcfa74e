//! The statements of the signing batch (PostgreSQL): the roster matches of many signings in one
//! query, and many finished rows written with their counters and idempotency records in one
//! statement. Each is prepared once per connection: its SQL is the same whatever the batch size.

use bvantq_shared::PledgeKind;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, Date, Integer, Nullable, Text, Timestamp};
use diesel::{QueryResult, QueryableByName, RunQueryDsl};
use rand::Rng;

use crate::infra::request::Idempotency;
use crate::pledges::service::signing::Draft;
use crate::pledges::store::coverage::SHARDS;
use crate::pledges::store::pledges::PledgeRow;

/// What finds a signer's roster row: the same rule as `pledges::match_roster` — the CCCD hash,
/// else the unit, the folded name and the birth date.
pub struct Probe<'a> {
    campaign_id: &'a str,
    unit_code: &'a str,
    name_key: &'a str,
    birth_date: chrono::NaiveDate,
    cccd_hmac: Option<&'a str>,
}

impl<'a> Probe<'a> {
    pub fn of(d: &'a Draft) -> Self {
        Self {
            campaign_id: &d.row.campaign_id,
            unit_code: &d.row.unit_code,
            name_key: &d.row.name_key,
            birth_date: d.row.birth_date,
            cccd_hmac: d.row.cccd_hmac.as_deref(),
        }
    }
}

#[derive(QueryableByName)]
struct Match {
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<Text>)]
    roster: Option<String>,
}

/// The roster row each probe matches, in order.
pub fn match_rosters(
    pg: &mut diesel::PgConnection,
    probes: &[Probe<'_>],
) -> QueryResult<Vec<Option<String>>> {
    let col = |f: &dyn Fn(&Probe<'_>) -> String| probes.iter().map(f).collect::<Vec<_>>();
    let found: Vec<Match> = diesel::sql_query(
        "SELECT p.n, COALESCE(
           (SELECT e.id FROM roster_entries e
            WHERE e.campaign_id = p.campaign_id AND e.cccd_hmac = p.cccd_hmac LIMIT 1),
           (SELECT e.id FROM roster_entries e
            WHERE e.campaign_id = p.campaign_id AND e.unit_code = p.unit_code
              AND e.name_key = p.name_key AND e.birth_date = p.birth_date LIMIT 1)) AS roster
         FROM unnest($1, $2, $3, $4, $5) WITH ORDINALITY
           AS p(campaign_id, unit_code, name_key, birth_date, cccd_hmac, n)",
    )
    .bind::<Array<Text>, _>(col(&|p| p.campaign_id.to_string()))
    .bind::<Array<Text>, _>(col(&|p| p.unit_code.to_string()))
    .bind::<Array<Text>, _>(col(&|p| p.name_key.to_string()))
    .bind::<Array<Date>, _>(probes.iter().map(|p| p.birth_date).collect::<Vec<_>>())
    .bind::<Array<Nullable<Text>>, _>(
        probes
            .iter()
            .map(|p| p.cccd_hmac.map(str::to_string))
            .collect::<Vec<_>>(),
    )
    .load(pg)?;
    let mut out = vec![None; probes.len()];
    for m in found {
        if let Some(slot) = usize::try_from(m.n - 1).ok().and_then(|i| out.get_mut(i)) {
            *slot = m.roster;
        }
    }
    Ok(out)
}

/// A finished row of the batch, with what its counters and idempotency record need.
pub struct BatchRow<'a> {
    pub row: PledgeRow,
    pub lineage: &'a [String],
    pub year: i32,
    pub kind: PledgeKind,
    pub idem: &'a Idempotency,
    pub response: &'a str,
}

/// Writes the rows in one statement: each pledge unless the person (household) already has one
/// (`ON CONFLICT DO NOTHING` on the one-per-person key) or its idempotency key was already used;
/// for those written, the signed counters of every unit of their lineage and their idempotency
/// records. Returns the ids written.
pub fn insert(pg: &mut diesel::PgConnection, rows: &[BatchRow<'_>]) -> QueryResult<Vec<String>> {
    Insert::new(rows).load::<String>(pg)
}

/// The statement over parallel arrays (one element per signing).
struct Insert {
    id: Vec<String>,
    receipt: Vec<String>,
    campaign_id: Vec<String>,
    unit_code: Vec<String>,
    dedupe_key: Vec<String>,
    full_name: Vec<String>,
    name_key: Vec<String>,
    initials: Vec<String>,
    birth_date: Vec<chrono::NaiveDate>,
    cccd_hmac: Vec<Option<String>>,
    cccd_last4: Vec<Option<String>>,
    phone: Vec<Option<String>>,
    address: Vec<Option<String>>,
    members: Vec<Option<i32>>,
    guardian_name: Vec<Option<String>>,
    guardian_relation: Vec<Option<String>>,
    guardian_phone: Vec<Option<String>>,
    template_version: Vec<i32>,
    commitments_accepted: Vec<String>,
    channel: Vec<String>,
    status: Vec<String>,
    roster_entry_id: Vec<Option<String>>,
    flags: Vec<Option<String>>,
    signed_at: Vec<chrono::NaiveDateTime>,
    year: Vec<i32>,
    kind: Vec<String>,
    shard: Vec<i32>,
    /// The units whose counters move, comma-separated (root first).
    lineage: Vec<String>,
    scope: Vec<String>,
    idem_key: Vec<String>,
    request_hash: Vec<String>,
    response: Vec<String>,
}

impl Insert {
    fn new(rows: &[BatchRow<'_>]) -> Self {
        // One counter shard for the whole batch: each counter row of the batch is updated once,
        // and two batches written at once rarely meet on a row.
        let shard = rand::rng().random_range(0..SHARDS);
        let each = |f: &dyn Fn(&BatchRow<'_>) -> String| rows.iter().map(f).collect::<Vec<_>>();
        let opt = |f: &dyn Fn(&PledgeRow) -> Option<String>| {
            rows.iter().map(|r| f(&r.row)).collect::<Vec<_>>()
        };
        Self {
            id: each(&|r| r.row.id.clone()),
            receipt: each(&|r| r.row.receipt.clone()),
            campaign_id: each(&|r| r.row.campaign_id.clone()),
            unit_code: each(&|r| r.row.unit_code.clone()),
            dedupe_key: each(&|r| r.row.dedupe_key.clone()),
            full_name: each(&|r| r.row.full_name.clone()),
            name_key: each(&|r| r.row.name_key.clone()),
            initials: each(&|r| r.row.initials.clone()),
            birth_date: rows.iter().map(|r| r.row.birth_date).collect(),
            cccd_hmac: opt(&|p| p.cccd_hmac.clone()),
            cccd_last4: opt(&|p| p.cccd_last4.clone()),
            phone: opt(&|p| p.phone.clone()),
            address: opt(&|p| p.address.clone()),
            members: rows.iter().map(|r| r.row.members).collect(),
            guardian_name: opt(&|p| p.guardian_name.clone()),
            guardian_relation: opt(&|p| p.guardian_relation.clone()),
            guardian_phone: opt(&|p| p.guardian_phone.clone()),
            template_version: rows.iter().map(|r| r.row.template_version).collect(),
            commitments_accepted: each(&|r| r.row.commitments_accepted.clone()),
            channel: each(&|r| r.row.channel.as_str().to_string()),
            status: each(&|r| r.row.status.as_str().to_string()),
            roster_entry_id: opt(&|p| p.roster_entry_id.clone()),
            flags: opt(&|p| p.flags.clone()),
            signed_at: rows.iter().map(|r| r.row.signed_at).collect(),
            year: rows.iter().map(|r| r.year).collect(),
            kind: each(&|r| r.kind.as_str().to_string()),
            shard: vec![shard; rows.len()],
            lineage: each(&|r| r.lineage.join(",")),
            scope: each(&|r| r.idem.scope.clone()),
            idem_key: each(&|r| r.idem.key.clone()),
            request_hash: each(&|r| r.idem.request_hash.clone()),
            response: each(&|r| r.response.to_string()),
        }
    }
}

/// [`Insert`]'s identity in diesel's prepared-statement cache: its SQL never changes.
struct InsertId;

impl QueryId for Insert {
    type QueryId = InsertId;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for Insert {
    type SqlType = Text;
}

impl RunQueryDsl<diesel::PgConnection> for Insert {}

impl QueryFragment<diesel::pg::Pg> for Insert {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        out.push_sql("WITH p AS (SELECT * FROM unnest(");
        macro_rules! arrays {
            ($($st:ty => $field:ident),+ $(,)?) => {
                $(
                    out.push_bind_param::<Array<$st>, _>(&self.$field)?;
                    out.push_sql(", ");
                )+
                out.push_bind_param::<Array<Text>, _>(&self.response)?;
                out.push_sql(concat!(") AS p(", $(stringify!($field), ", "),+));
                out.push_sql("response))");
            };
        }
        // Every column but the last, `response`, which the macro binds after them.
        arrays!(
            Text => id, Text => receipt, Text => campaign_id, Text => unit_code, Text => dedupe_key,
            Text => full_name, Text => name_key, Text => initials, Date => birth_date,
            Nullable<Text> => cccd_hmac, Nullable<Text> => cccd_last4, Nullable<Text> => phone,
            Nullable<Text> => address, Nullable<Integer> => members,
            Nullable<Text> => guardian_name, Nullable<Text> => guardian_relation,
            Nullable<Text> => guardian_phone, Integer => template_version,
            Text => commitments_accepted, Text => channel, Text => status,
            Nullable<Text> => roster_entry_id, Nullable<Text> => flags, Timestamp => signed_at,
            Integer => year, Text => kind, Integer => shard, Text => lineage, Text => scope,
            Text => idem_key, Text => request_hash,
        );
        out.push_sql(
            "
, fresh AS (
  -- A replayed key is answered by the general path; leaving it out keeps the batch whole.
  SELECT p.* FROM p LEFT JOIN LATERAL (SELECT 1 AS seen FROM idempotency_keys k
    WHERE k.scope = p.scope AND k.idem_key = p.idem_key LIMIT 1) k ON true
  WHERE k.seen IS NULL
), ins AS (
  INSERT INTO pledges (id, receipt, campaign_id, unit_code, dedupe_key, full_name, name_key, initials,
    birth_date, cccd_hmac, cccd_last4, phone, address, members, guardian_name, guardian_relation,
    guardian_phone, template_version, commitments_accepted, channel, status, roster_entry_id,
    signed_at, flags, year)
  SELECT id, receipt, campaign_id, unit_code, dedupe_key, full_name, name_key, initials,
    birth_date, cccd_hmac, cccd_last4, phone, address, members, guardian_name, guardian_relation,
    guardian_phone, template_version, commitments_accepted, channel, status, roster_entry_id,
    signed_at, flags, year
  FROM fresh ORDER BY campaign_id, dedupe_key
  ON CONFLICT (campaign_id, dedupe_key, year) DO NOTHING
  RETURNING id
), done AS (
  SELECT fresh.* FROM fresh JOIN ins ON ins.id = fresh.id
), cnt AS (
  INSERT INTO coverage_signed (unit_code, year, kind, shard, signed)
  SELECT u.code, d.year, d.kind, d.shard, count(*)
  FROM done d, unnest(string_to_array(d.lineage, ',')) AS u(code)
  GROUP BY u.code, d.year, d.kind, d.shard
  ORDER BY u.code, d.year, d.kind, d.shard
  ON CONFLICT (unit_code, year, kind, shard) DO UPDATE SET signed = coverage_signed.signed + excluded.signed
), idem AS (
  INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, response_body, created_at)
  SELECT d.scope, d.idem_key, d.request_hash, 201, d.response, d.signed_at FROM done d
)
SELECT id FROM ins",
        );
        Ok(())
    }
}
