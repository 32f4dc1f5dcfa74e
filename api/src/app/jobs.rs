//! Scheduled maintenance, run by the server every [`PERIOD`] (the first time at start) and by the
//! `bvantq … purge` commands: closed tips' content past the retention period, idempotency records
//! past their window, and what the database says of the CCCD keys (a rekey run by the command
//! reaches a running server here). Every [`TICK`]: the locked accounts, and the urgent-tip
//! notices (escalations, transfer-due notices, delivery to the gateway).
//!
//! In a fleet (several instances on one database) the purges run once per period across the
//! fleet ([`claim`]), the notice jobs one instance at a time (an advisory lock on PostgreSQL,
//! see `tips::service::notice_jobs`), and delivery claims each notice by a lease; the locked
//! accounts and the keys' state are read by every instance for itself.

use std::time::Duration;

use diesel::connection::SimpleConnection;

use crate::infra::background::Background;
use crate::infra::config::Config;
use crate::infra::db::{self, DbConn, Pool};
use crate::infra::error::ApiError;

/// How often the server runs the jobs.
pub const PERIOD: Duration = Duration::from_secs(3600);

/// How often the server reads the locked accounts again (a lock made through another instance
/// reaches this one within this time).
pub const TICK: Duration = Duration::from_secs(5);

/// What one run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    pub tips_purged: usize,
    pub idempotency_purged: usize,
}

/// Runs every job once.
pub fn run_once(conn: &mut DbConn, config: &Config) -> Result<Report, ApiError> {
    let report = purge_once(conn, config)?;
    db::key_state::refresh_cccd(conn, &config.cccd).map_err(ApiError::internal)?;
    Ok(report)
}

/// The purges: closed tips' content past retention, idempotency records past their window, and
/// the rate limits' counters of windows that have ended.
fn purge_once(conn: &mut DbConn, config: &Config) -> Result<Report, ApiError> {
    let now = config.clock.now();
    let report = Report {
        tips_purged: crate::tips::service::purge(conn, config.tip_retention_days, now)?,
        idempotency_purged: crate::infra::idempotent::purge(conn, config.idempotency_hours, now)?,
    };
    crate::infra::ratelimit::fleet::purge(conn, now)?;
    if report != Report::default() {
        forget_freed_pages(conn)?;
    }
    Ok(report)
}

/// The name under which the hourly purges are claimed in `job_runs`.
pub const PURGES: &str = "purges";

/// Claims this period's run of the job `name` for the calling instance: true when no instance
/// of the fleet has run it in the last `period`. One compare-and-set on the job's row (move
/// `ran_at` forward only if it is a period old), which the database does atomically on both
/// backends: of two instances that ask at the same moment, one gets it. The row's first insert
/// is the same race, decided by its primary key. An instance that dies during a run loses that
/// run; the next period's claim runs the job again.
///
/// Why not only an advisory lock: a lock stops two runs from overlapping, but the second
/// instance would run the job again as soon as the first let go, so the fleet would still purge
/// once per instance per period.
pub fn claim(
    conn: &mut DbConn,
    name: &str,
    period: chrono::TimeDelta,
    now: chrono::NaiveDateTime,
) -> Result<bool, ApiError> {
    use crate::infra::db::schema::job_runs::dsl as j;
    use diesel::prelude::*;
    let moved = diesel::update(
        j::job_runs
            .filter(j::name.eq(name))
            .filter(j::ran_at.le(now - period)),
    )
    .set(j::ran_at.eq(now))
    .execute(conn)?;
    if moved == 1 {
        return Ok(true);
    }
    let known: i64 = j::job_runs
        .filter(j::name.eq(name))
        .count()
        .get_result(conn)?;
    if known > 0 {
        return Ok(false);
    }
    match diesel::insert_into(j::job_runs)
        .values((j::name.eq(name), j::ran_at.eq(now)))
        .execute(conn)
    {
        Ok(_) => Ok(true),
        // Another instance inserted it first.
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// The purges, if the calling instance claims this period's run ([`claim`]); `None` when
/// another instance of the fleet has run them within `period`.
pub fn purge_if_claimed(
    conn: &mut DbConn,
    config: &Config,
    period: Duration,
) -> Result<Option<Report>, ApiError> {
    let period = chrono::TimeDelta::from_std(period).map_err(ApiError::internal)?;
    if claim(conn, PURGES, period, config.clock.now())? {
        Ok(Some(purge_once(conn, config)?))
    } else {
        Ok(None)
    }
}

/// The notice jobs of one tick: transfer-due notices and escalations, then one delivery pass to
/// the gateway (every [`TICK`], so an urgent notice is out within seconds).
pub fn notices_once(conn: &mut DbConn, config: &Config) -> Result<(), ApiError> {
    let now = config.clock.now();
    let jobs = crate::tips::service::notice_jobs(conn, config, now)?;
    let sent = crate::tips::service::deliver(conn, config, now, &crate::infra::webhook::post)?;
    if jobs != Default::default() || sent != Default::default() {
        tracing::info!(
            transfer_due = jobs.transfer_due,
            escalated = jobs.escalated,
            delivered = sent.delivered,
            failed = sent.failed,
            dead = sent.dead,
            "notices"
        );
    }
    Ok(())
}

/// On SQLite, deleted content is zeroed in its pages (`secure_delete`, set on every connection),
/// but the write-ahead log still holds the pages as they were until a checkpoint: move it into the
/// database and empty it, so a copy of the files does not give back purged content.
pub fn forget_freed_pages(conn: &mut DbConn) -> Result<(), ApiError> {
    if let DbConn::Sqlite(c) = conn {
        c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    Ok(())
}

/// The server's maintenance thread: runs the jobs at start and then every [`TICK`] (the purges
/// when claimed, the keys' state every `period`), until dropped (the server stopping).
pub struct Maintenance {
    _thread: Background,
}

impl Maintenance {
    pub fn start(
        pool: Pool,
        config: std::sync::Arc<Config>,
        locked: std::sync::Arc<crate::auth::locked::LockedAccounts>,
        period: Duration,
    ) -> Self {
        let thread = Background::start("maintenance", move |stop| {
            let mut last_run: Option<std::time::Instant> = None;
            loop {
                match pool
                    .get()
                    .map_err(ApiError::from)
                    .and_then(|mut c| Ok(crate::accounts::store::users::locked_ids(&mut c)?))
                {
                    Ok(ids) => locked.replace(ids),
                    Err(e) => tracing::warn!(error = %e, "cannot read the locked accounts"),
                }
                if let Err(e) = pool
                    .get()
                    .map_err(ApiError::from)
                    .and_then(|mut c| notices_once(&mut c, &config))
                {
                    tracing::warn!(error = %e, "notice jobs failed");
                }
                // Asked every tick (a compare-and-set that writes nothing when it fails), so when
                // the instance that ran the purges stops, another takes them over within a tick
                // of the period's end.
                match pool
                    .get()
                    .map_err(ApiError::from)
                    .and_then(|mut c| purge_if_claimed(&mut c, &config, period))
                {
                    Ok(None) => {}
                    Ok(Some(r)) if r == Report::default() => {}
                    Ok(Some(r)) => tracing::info!(
                        tips_purged = r.tips_purged,
                        idempotency_purged = r.idempotency_purged,
                        "maintenance"
                    ),
                    Err(e) => tracing::warn!(error = %e, "maintenance failed"),
                }
                if last_run.is_none_or(|t| t.elapsed() >= period) {
                    last_run = Some(std::time::Instant::now());
                    if let Err(e) = pool.get().map_err(ApiError::from).and_then(|mut c| {
                        db::key_state::refresh_cccd(&mut c, &config.cccd)
                            .map_err(ApiError::internal)
                    }) {
                        tracing::warn!(error = %e, "cannot read the keys' state");
                    }
                }
                if !stop.wait(TICK.min(period)) {
                    return;
                }
            }
        });
        Maintenance { _thread: thread }
    }
}
