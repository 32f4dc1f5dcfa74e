//! Group commit for new signings on PostgreSQL.
//!
//! A new signing is one statement: roster match, the pledge (`ON CONFLICT DO NOTHING` on the
//! per-person key), the coverage counters of its residential area, commune and province, and the
//! idempotency record. Signings that arrive while another batch is being written wait in a queue;
//! a worker takes everything waiting (up to [`MAX_BATCH`]) and writes it in one prepared
//! statement and one commit. A caller is answered only after that commit, so an acknowledged
//! signing is durable exactly as before; what it saves is PostgreSQL's per-statement and
//! per-commit work, which dominated the cost of a signing (BENCHMARKS.md).
//!
//! Whatever the batch does not insert — a person who already signed, a replayed key — is answered
//! by the general path (`pledging::sign` under `idempotent::run`), as is every signing of a batch
//! that fails as a whole (e.g. an idempotency key reused for another request, a deadlock): the
//! batch is one transaction, so it leaves nothing behind.

use std::collections::HashSet;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::{QueryResult, RunQueryDsl};
use rand::Rng;

use crate::infra::db::{DbConn, Pool};
use crate::infra::request::Idempotency;
use crate::pledges::service::Draft;
use crate::pledges::store::coverage::SHARDS;

/// Most signings written in one statement.
pub const MAX_BATCH: usize = 64;
/// Workers writing batches: while one waits for its commit, another collects the next batch.
const WORKERS: usize = 3;

/// One new signing, ready to write, and where to send the outcome.
struct Job {
    draft: Draft,
    year: i32,
    kind: String,
    idem: Idempotency,
    /// The stored (sealed) response of its idempotency record.
    response: String,
    /// True: written and committed. False: not written; the general path answers.
    reply: tokio::sync::oneshot::Sender<bool>,
}

/// The queue of new signings and its workers (PostgreSQL only).
pub struct SignBatcher {
    /// `None` only while dropping.
    tx: Option<Sender<Job>>,
    workers: Vec<std::thread::JoinHandle<()>>,
}

impl SignBatcher {
    /// Starts the workers; they stop when the batcher is dropped.
    pub fn start(pool: Pool) -> Self {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let mut workers = Vec::new();
        for i in 0..WORKERS {
            let (rx, pool) = (rx.clone(), pool.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("sign-batch-{i}"))
                .spawn(move || work(&rx, &pool));
            match spawned {
                Ok(w) => workers.push(w),
                Err(e) => tracing::error!(error = %e, "cannot start a signing worker"),
            }
        }
        Self {
            tx: Some(tx),
            workers,
        }
    }

    /// Writes a new signing with whatever else is waiting; true once committed, false when it was
    /// not written (already signed, key replayed or reused, database trouble).
    pub async fn sign(
        &self,
        draft: Draft,
        year: i32,
        kind: &str,
        idem: Idempotency,
        response: String,
    ) -> bool {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job {
            draft,
            year,
            kind: kind.to_string(),
            idem,
            response,
            reply,
        };
        if self.tx.as_ref().is_none_or(|tx| tx.send(job).is_err()) {
            return false;
        }
        answer.await.unwrap_or(false)
    }
}

impl Drop for SignBatcher {
    /// Closes the queue and waits for the workers: each finishes the batch it is writing, and
    /// with the last of them go their handles on the pool, so the server's database connections
    /// are closed properly when it stops.
    fn drop(&mut self) {
        drop(self.tx.take());
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

fn work(rx: &Mutex<Receiver<Job>>, pool: &Pool) {
    loop {
        let jobs = {
            let Ok(rx) = rx.lock() else { return };
            let Ok(first) = rx.recv() else { return };
            let mut jobs = vec![first];
            while jobs.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(j) => jobs.push(j),
                    Err(_) => break,
                }
            }
            jobs
        };
        // One idempotency key once per batch: a second use goes the general way.
        let mut keys = HashSet::new();
        let (jobs, repeats): (Vec<Job>, Vec<Job>) = jobs
            .into_iter()
            .partition(|j| keys.insert((j.idem.scope.clone(), j.idem.key.clone())));
        for j in repeats {
            let _ = j.reply.send(false);
        }
        let written: HashSet<String> = match pool.get() {
            Ok(mut conn) => match &mut *conn {
                DbConn::Pg(pg) => match SignBatch::new(&jobs).load::<String>(pg) {
                    Ok(ids) => ids.into_iter().collect(),
                    Err(e) => {
                        // The kind only: a database message may quote the values.
                        tracing::warn!(error = ?kind_of(&e), n = jobs.len(), "signing batch not written; each signing takes the general path");
                        HashSet::new()
                    }
                },
                DbConn::Sqlite(_) => HashSet::new(),
            },
            Err(_) => HashSet::new(),
        };
        for j in jobs {
            let done = written.contains(&j.draft.row.id);
            let _ = j.reply.send(done);
        }
    }
}

fn kind_of(e: &diesel::result::Error) -> String {
    match e {
        diesel::result::Error::DatabaseError(kind, _) => format!("{kind:?}"),
        other => format!("{:?}", std::mem::discriminant(other)),
    }
}

/// The batch as one statement over parallel arrays (one element per signing), which diesel
/// prepares once per connection: its SQL is the same whatever the batch size.
struct SignBatch {
    id: Vec<String>,
    receipt: Vec<String>,
    campaign_id: Vec<String>,
    unit_code: Vec<String>,
    plain_key: Vec<String>,
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
    /// The row's flags if it matches a roster row, and if it does not.
    flags_on_roster: Vec<Option<String>>,
    flags_off_roster: Vec<Option<String>>,
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

impl SignBatch {
    fn new(jobs: &[Job]) -> Self {
        // One counter shard for the whole batch: each counter row of the batch is updated once,
        // and two batches written at once rarely meet on a row.
        let shard = rand::rng().random_range(0..SHARDS);
        Self {
            id: each(jobs, |j| j.draft.row.id.clone()),
            receipt: each(jobs, |j| j.draft.row.receipt.clone()),
            campaign_id: each(jobs, |j| j.draft.row.campaign_id.clone()),
            unit_code: each(jobs, |j| j.draft.row.unit_code.clone()),
            plain_key: each(jobs, |j| j.draft.plain_key.clone()),
            full_name: each(jobs, |j| j.draft.row.full_name.clone()),
            name_key: each(jobs, |j| j.draft.row.name_key.clone()),
            initials: each(jobs, |j| j.draft.row.initials.clone()),
            birth_date: each(jobs, |j| j.draft.row.birth_date),
            cccd_hmac: each(jobs, |j| j.draft.row.cccd_hmac.clone()),
            cccd_last4: each(jobs, |j| j.draft.row.cccd_last4.clone()),
            phone: each(jobs, |j| j.draft.row.phone.clone()),
            address: each(jobs, |j| j.draft.row.address.clone()),
            members: each(jobs, |j| j.draft.row.members),
            guardian_name: each(jobs, |j| j.draft.row.guardian_name.clone()),
            guardian_relation: each(jobs, |j| j.draft.row.guardian_relation.clone()),
            guardian_phone: each(jobs, |j| j.draft.row.guardian_phone.clone()),
            template_version: each(jobs, |j| j.draft.row.template_version),
            commitments_accepted: each(jobs, |j| j.draft.row.commitments_accepted.clone()),
            channel: each(jobs, |j| j.draft.row.channel.clone()),
            flags_on_roster: each(jobs, |j| j.draft.flags(true)),
            flags_off_roster: each(jobs, |j| j.draft.flags(false)),
            signed_at: each(jobs, |j| j.draft.row.signed_at),
            year: each(jobs, |j| j.year),
            kind: each(jobs, |j| j.kind.clone()),
            shard: vec![shard; jobs.len()],
            lineage: each(jobs, |j| j.draft.lineage.join(",")),
            scope: each(jobs, |j| j.idem.scope.clone()),
            idem_key: each(jobs, |j| j.idem.key.clone()),
            request_hash: each(jobs, |j| j.idem.request_hash.clone()),
            response: each(jobs, |j| j.response.clone()),
        }
    }
}

/// One column of the batch: `f` of each signing, in order.
fn each<T>(jobs: &[Job], f: impl Fn(&Job) -> T) -> Vec<T> {
    jobs.iter().map(f).collect()
}

/// [`SignBatch`]'s identity in diesel's prepared-statement cache: its SQL never changes.
struct SignBatchId;

impl QueryId for SignBatch {
    type QueryId = SignBatchId;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl Query for SignBatch {
    type SqlType = diesel::sql_types::Text;
}

impl RunQueryDsl<diesel::PgConnection> for SignBatch {}

impl QueryFragment<diesel::pg::Pg> for SignBatch {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, diesel::pg::Pg>) -> QueryResult<()> {
        use diesel::sql_types::{Array, Date, Integer, Nullable, Text, Timestamp};
        out.push_sql("WITH p AS (SELECT * FROM unnest(");
        macro_rules! arrays {
            ($($st:ty => $field:ident),+ $(,)?) => {
                $(
                    out.push_bind_param::<Array<$st>, _>(&self.$field)?;
                    out.push_sql(", ");
                )+
                out.push_bind_param::<Array<Text>, _>(&self.response)?;
                out.push_sql(concat!(") WITH ORDINALITY AS p(", $(stringify!($field), ", "),+));
                out.push_sql("response, n))");
            };
        }
        // Every column but the last, `response`, which the macro binds after them.
        arrays!(
            Text => id, Text => receipt, Text => campaign_id, Text => unit_code, Text => plain_key,
            Text => full_name, Text => name_key, Text => initials, Date => birth_date,
            Nullable<Text> => cccd_hmac, Nullable<Text> => cccd_last4, Nullable<Text> => phone,
            Nullable<Text> => address, Nullable<Integer> => members,
            Nullable<Text> => guardian_name, Nullable<Text> => guardian_relation,
            Nullable<Text> => guardian_phone, Integer => template_version,
            Text => commitments_accepted, Text => channel, Nullable<Text> => flags_on_roster,
            Nullable<Text> => flags_off_roster, Timestamp => signed_at,
            Integer => year, Text => kind, Integer => shard, Text => lineage, Text => scope,
            Text => idem_key, Text => request_hash,
        );
        out.push_sql(
            "
, m AS (
  SELECT p.*, COALESCE('r:' || r.id, p.plain_key) AS dedupe_key, r.id AS roster
  -- Each lookup is a probe of one index, whatever the planner knows of the tables' sizes: a
  -- batch is at most a few dozen rows and the tables grow without bound.
  FROM p CROSS JOIN LATERAL (SELECT COALESCE(
    (SELECT e.id FROM roster_entries e
     WHERE e.campaign_id = p.campaign_id AND e.cccd_hmac = p.cccd_hmac LIMIT 1),
    (SELECT e.id FROM roster_entries e
     WHERE e.campaign_id = p.campaign_id AND e.unit_code = p.unit_code
       AND e.name_key = p.name_key AND e.birth_date = p.birth_date LIMIT 1)) AS id) r
  -- A replayed key is answered by the general path; leaving it out keeps the batch whole.
  LEFT JOIN LATERAL (SELECT 1 AS seen FROM idempotency_keys k
    WHERE k.scope = p.scope AND k.idem_key = p.idem_key LIMIT 1) k ON true
  WHERE k.seen IS NULL
), ins AS (
  INSERT INTO pledges (id, receipt, campaign_id, unit_code, dedupe_key, full_name, name_key, initials,
    birth_date, cccd_hmac, cccd_last4, phone, address, members, guardian_name, guardian_relation,
    guardian_phone, template_version, commitments_accepted, channel, status, roster_entry_id, signed_at,
    flags)
  SELECT m.id, m.receipt, m.campaign_id, m.unit_code, m.dedupe_key, m.full_name, m.name_key,
    m.initials, m.birth_date, m.cccd_hmac, m.cccd_last4, m.phone, m.address, m.members,
    m.guardian_name, m.guardian_relation, m.guardian_phone, m.template_version,
    m.commitments_accepted, m.channel, 'valid', m.roster, m.signed_at,
    CASE WHEN m.roster IS NULL THEN m.flags_off_roster ELSE m.flags_on_roster END
  FROM m ORDER BY m.campaign_id, m.dedupe_key
  ON CONFLICT (campaign_id, dedupe_key) DO NOTHING
  RETURNING id
), done AS (
  SELECT m.* FROM m JOIN ins ON ins.id = m.id
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
