//! Group commit for new signings on PostgreSQL.
//!
//! A signing is drafted by the service (`service::signing::draft`) like any other. Signings that
//! arrive while another batch is being written wait in a queue; a worker takes everything waiting
//! (up to [`MAX_BATCH`]), looks up their roster matches in one query, finishes each row with the
//! same function as a single signing (`Draft::finish`), and writes them — pledges, coverage
//! counters, idempotency records — in one statement and one commit (`store::batch`). A caller is
//! answered only after that commit, so an acknowledged signing is durable exactly as a single
//! one; what it saves is PostgreSQL's per-statement and per-commit work, which dominated the cost
//! of a signing (BENCHMARKS.md).
//!
//! What the batch does not write — a person who already signed, a replayed key, a batch that
//! failed as a whole — is handed back to the caller, draft and all, for the general path
//! (`service::signing::sign` under `idempotent::run`). The batch is one transaction, so a failed
//! one leaves nothing behind.

use std::collections::HashSet;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

use bvantq_shared::PledgeKind;

use crate::infra::db::{DbConn, Pool};
use crate::infra::request::Idempotency;
use crate::pledges::service::signing::Draft;
use crate::pledges::store::batch::{self as store, BatchRow};

/// Most signings written in one statement.
pub const MAX_BATCH: usize = 64;
/// Workers writing batches: one. Signings that arrive while it writes wait in the queue and make
/// the next batch. Three workers, each taking what had arrived since another took its batch,
/// wrote batches of 5 rows on average where one writes 13, each batch paying the statement's and
/// the commit's fixed cost: two instances signed 3,478–4,203/s with three and 4,461–4,914/s with
/// one on the same machine (BENCHMARKS.md, "Signing with one batch writer").
pub const WORKERS: usize = 1;

/// One new signing, drafted, and where to send the outcome.
struct Job {
    draft: Draft,
    year: i32,
    kind: PledgeKind,
    idem: Idempotency,
    /// The stored (sealed) response of its idempotency record.
    response: String,
    /// `None`: written and committed. `Some(draft)`: not written; the general path answers.
    reply: tokio::sync::oneshot::Sender<Option<Draft>>,
}

/// Why a signing was not written by the batch.
pub enum Declined {
    /// Not written (already signed, key replayed or reused, database trouble): the draft back,
    /// for the general path.
    Back(Box<Draft>),
    /// The queue is closing (the server stopping): nothing was committed for it.
    Closing,
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

    /// Writes a drafted signing with whatever else is waiting. `Ok` once committed; `Err` with
    /// the draft when it was not written (already signed, key replayed or reused, database
    /// trouble), for the general path.
    pub async fn sign(
        &self,
        draft: Draft,
        year: i32,
        kind: PledgeKind,
        idem: Idempotency,
        response: String,
    ) -> Result<(), Declined> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job {
            draft,
            year,
            kind,
            idem,
            response,
            reply,
        };
        let Some(tx) = &self.tx else {
            return Err(Declined::Back(Box::new(job.draft)));
        };
        if let Err(std::sync::mpsc::SendError(job)) = tx.send(job) {
            return Err(Declined::Back(Box::new(job.draft)));
        }
        match answer.await {
            Ok(None) => Ok(()),
            Ok(Some(draft)) => Err(Declined::Back(Box::new(draft))),
            Err(_) => Err(Declined::Closing),
        }
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

/// Takes what is waiting, up to [`MAX_BATCH`] (blocking for the first).
fn take(rx: &Mutex<Receiver<Job>>) -> Option<Vec<Job>> {
    let rx = rx.lock().ok()?;
    let first = rx.recv().ok()?;
    let mut jobs = vec![first];
    while jobs.len() < MAX_BATCH {
        match rx.try_recv() {
            Ok(j) => jobs.push(j),
            Err(_) => break,
        }
    }
    Some(jobs)
}

fn work(rx: &Mutex<Receiver<Job>>, pool: &Pool) {
    while let Some(jobs) = take(rx) {
        // One idempotency key once per batch: a second use goes the general way.
        let mut keys = HashSet::new();
        let (jobs, repeats): (Vec<Job>, Vec<Job>) = jobs
            .into_iter()
            .partition(|j| keys.insert((j.idem.scope.clone(), j.idem.key.clone())));
        for j in repeats {
            let _ = j.reply.send(Some(j.draft));
        }
        let written = match pool.get() {
            Ok(mut conn) => match &mut *conn {
                DbConn::Pg(pg) => write(pg, &jobs),
                DbConn::Sqlite(_) => HashSet::new(),
            },
            Err(_) => HashSet::new(),
        };
        for j in jobs {
            let done = written.contains(&j.draft.row.id);
            let _ = j.reply.send((!done).then_some(j.draft));
        }
    }
}

/// Finishes the rows (one roster query for the batch) and writes them; the ids written.
fn write(pg: &mut diesel::PgConnection, jobs: &[Job]) -> HashSet<String> {
    let probes: Vec<store::Probe<'_>> = jobs.iter().map(|j| store::Probe::of(&j.draft)).collect();
    let rows = store::match_rosters(pg, &probes).and_then(|rosters| {
        let rows: Vec<BatchRow<'_>> = jobs
            .iter()
            .zip(rosters)
            .map(|(j, roster)| BatchRow {
                row: j.draft.finish(roster),
                lineage: &j.draft.lineage,
                year: j.year,
                kind: j.kind,
                idem: &j.idem,
                response: &j.response,
            })
            .collect();
        store::insert(pg, &rows)
    });
    match rows {
        Ok(ids) => ids.into_iter().collect(),
        Err(e) => {
            // The kind only: a database message may quote the values.
            tracing::warn!(error = ?kind_of(&e), n = jobs.len(), "signing batch not written; each signing takes the general path");
            HashSet::new()
        }
    }
}

fn kind_of(e: &diesel::result::Error) -> String {
    match e {
        diesel::result::Error::DatabaseError(kind, _) => format!("{kind:?}"),
        other => format!("{:?}", std::mem::discriminant(other)),
    }
}
