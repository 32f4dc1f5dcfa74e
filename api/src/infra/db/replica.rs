//! The read replica (`DATABASE_READ_URL`, PostgreSQL only): dashboards, coverage, statistics,
//! exports and the public campaign page read from a streaming replica when it is fresh enough, and
//! from the primary otherwise (issue 21).
//!
//! **Bounded staleness.** A thread of its own asks the primary for its WAL position
//! (`pg_current_wal_lsn`) and the replica for what it has replayed (`pg_last_wal_replay_lsn`)
//! every [`CHECK`]. The replica is *fresh* while it has replayed everything the primary had
//! written [`ReadConfig::max_lag`] ago: a read from it misses at most the last `max_lag` of
//! writes. When it is down, or lags further, reads go to the primary until it has caught up; the
//! change is logged once each way and shown in `/metrics` (`bvantq_read_replica_fresh`,
//! `bvantq_reads_total{db=…}`).
//!
//! **What must not read here.** A read that has to see the caller's own write — a signing's
//! checks, a receipt after a submission, an officer's queue after a change of state, anything in
//! a write transaction, every cache that later decides a write (the campaign cache) — uses
//! `Core::db`, the primary. Only `Core::db_read` comes here, and its callers say why a second's
//! staleness is harmless.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::sql_types::Text;

use crate::infra::background::{Background, Stop};
use crate::infra::db::{Backend, DbConn, Manager, Pool, PooledConn, SetupError};

/// How often the replica's position is checked.
pub const CHECK: Duration = Duration::from_millis(200);

/// How long a request waits for a replica connection before it reads from the primary.
const CONNECT_WAIT: Duration = Duration::from_millis(500);

/// Where reads may go and how stale they may be.
#[derive(Debug, Clone)]
pub struct ReadConfig {
    pub url: String,
    /// `BVANTQ_READ_MAX_LAG_MS`: the most a replica read may be behind the primary.
    pub max_lag: Duration,
}

/// What the checking thread and the requests share.
#[derive(Debug, Default)]
struct Health {
    fresh: AtomicBool,
    replica_reads: AtomicU64,
    primary_reads: AtomicU64,
    /// Bytes of WAL the replica had still to replay at the last check (0 when fresh).
    lag_bytes: AtomicU64,
}

/// The replica's pool and the thread that watches it; the thread stops when this is dropped.
pub struct Replica {
    pool: Pool,
    health: Arc<Health>,
    _watch: Background,
}

/// A read connection: from the replica or, failing that, the primary.
pub enum ReadConn {
    Replica(PooledConn),
    Primary(PooledConn),
}

impl std::ops::Deref for ReadConn {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        match self {
            ReadConn::Replica(c) | ReadConn::Primary(c) => c,
        }
    }
}

impl std::ops::DerefMut for ReadConn {
    fn deref_mut(&mut self) -> &mut DbConn {
        match self {
            ReadConn::Replica(c) | ReadConn::Primary(c) => &mut *c,
        }
    }
}

/// `url` with libpq's `connect_timeout` (2 s) unless it names one: a replica that does not answer
/// must not hold a request or the checking thread for long.
fn with_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout=2")
}

impl Replica {
    /// Opens the pool (without connecting: a replica that is down at start is only a fallback)
    /// and starts watching the replica against `primary`.
    pub fn start(config: &ReadConfig, primary: Pool) -> Result<Replica, SetupError> {
        if Backend::of_url(&config.url) != Backend::Postgres {
            return Err(SetupError::Migrate(
                "DATABASE_READ_URL must be a postgres:// URL (a read replica of the primary)"
                    .into(),
            ));
        }
        let url = with_timeout(&config.url);
        let pool = r2d2::Pool::builder()
            .max_size(16)
            .min_idle(Some(0))
            .connection_timeout(CONNECT_WAIT)
            .build_unchecked(Manager::new(&url));
        let health = Arc::new(Health::default());
        let (h, max_lag) = (health.clone(), config.max_lag);
        let watch = Background::start("read-replica", move |stop| {
            watch(&url, &primary, max_lag, &h, &stop);
        });
        Ok(Replica {
            pool,
            health,
            _watch: watch,
        })
    }

    /// Whether reads go to the replica now.
    pub fn is_fresh(&self) -> bool {
        self.health.fresh.load(Ordering::SeqCst)
    }

    /// A connection for a read: the replica's when it is fresh and answers, else the primary's.
    pub fn conn(&self, primary: &Pool) -> Result<ReadConn, r2d2::PoolError> {
        if self.is_fresh() {
            match self.pool.get() {
                Ok(c) => {
                    self.health.replica_reads.fetch_add(1, Ordering::Relaxed);
                    return Ok(ReadConn::Replica(c));
                }
                Err(e) => {
                    // The thread will see it too within a check; until then this read falls back.
                    if self.health.fresh.swap(false, Ordering::SeqCst) {
                        tracing::warn!(error = %e, "read replica unreachable; reads go to the primary");
                    }
                }
            }
        }
        self.health.primary_reads.fetch_add(1, Ordering::Relaxed);
        primary.get().map(ReadConn::Primary)
    }

    /// The replica's lines in `/metrics`.
    pub fn render(&self) -> String {
        let h = &self.health;
        format!(
            "# HELP bvantq_read_replica_fresh 1 while reads go to the read replica, 0 while they \
             fall back to the primary.\n\
             # TYPE bvantq_read_replica_fresh gauge\n\
             bvantq_read_replica_fresh {}\n\
             # HELP bvantq_read_replica_lag_bytes WAL the replica had not replayed at the last check.\n\
             # TYPE bvantq_read_replica_lag_bytes gauge\n\
             bvantq_read_replica_lag_bytes {}\n\
             # HELP bvantq_reads_total Reads that may go to the replica, by where they went.\n\
             # TYPE bvantq_reads_total counter\n\
             bvantq_reads_total{{db=\"replica\"}} {}\n\
             bvantq_reads_total{{db=\"primary\"}} {}\n",
            u8::from(self.is_fresh()),
            h.lag_bytes.load(Ordering::Relaxed),
            h.replica_reads.load(Ordering::Relaxed),
            h.primary_reads.load(Ordering::Relaxed),
        )
    }
}

#[derive(QueryableByName)]
struct Lsn {
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    lsn: Option<String>,
}

/// A WAL position (`16/B374D848`) as a number.
pub fn parse_lsn(s: &str) -> Option<u64> {
    let (hi, lo) = s.split_once('/')?;
    Some((u64::from_str_radix(hi, 16).ok()? << 32) | u64::from_str_radix(lo, 16).ok()?)
}

fn position(conn: &mut DbConn, sql: &str) -> Result<u64, String> {
    let row: Lsn = diesel::sql_query(sql)
        .get_result(conn)
        .map_err(|e| e.to_string())?;
    row.lsn
        .as_deref()
        .and_then(parse_lsn)
        .ok_or_else(|| "no WAL position".to_string())
}

/// The primary's position now.
const PRIMARY_SQL: &str = "SELECT pg_current_wal_lsn()::text AS lsn";
/// What the replica has replayed (a server that is not in recovery has everything it wrote).
const REPLICA_SQL: &str = "SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() \
     ELSE pg_current_wal_lsn() END)::text AS lsn";

/// The primary positions sampled over the last `max_lag` and a little more, oldest first.
struct Samples {
    max_lag: Duration,
    at: VecDeque<(Instant, u64)>,
}

impl Samples {
    /// Records the primary's position now and returns the position the replica must have
    /// replayed: the newest sample at least `max_lag` old (or the oldest, at the start).
    fn needed(&mut self, now: Instant, lsn: u64) -> u64 {
        self.at.push_back((now, lsn));
        while self.at.len() > 1 && now.duration_since(self.at[1].0) >= self.max_lag {
            self.at.pop_front();
        }
        self.at.front().map_or(lsn, |s| s.1)
    }
}

/// The server a check could not read.
enum Unread {
    Primary(String),
    Replica(String),
}

fn watch(url: &str, primary: &Pool, max_lag: Duration, health: &Health, stop: &Stop) {
    let manager = Manager::new(url);
    let mut replica: Option<DbConn> = None;
    let mut samples = Samples {
        max_lag,
        at: VecDeque::new(),
    };
    loop {
        // Which server could not be read says what the log says: without the primary's position
        // the replica's lag is unknown, which is not the replica being down.
        let checked = (|| {
            let needed = {
                let mut p = primary.get().map_err(|e| Unread::Primary(e.to_string()))?;
                let lsn = position(&mut p, PRIMARY_SQL).map_err(Unread::Primary)?;
                samples.needed(Instant::now(), lsn)
            };
            let conn = match replica.as_mut() {
                Some(c) => c,
                None => replica.insert(
                    manager
                        .connect()
                        .map_err(|e| Unread::Replica(e.to_string()))?,
                ),
            };
            let replayed = position(conn, REPLICA_SQL)
                .inspect_err(|_| replica = None)
                .map_err(Unread::Replica)?;
            health
                .lag_bytes
                .store(needed.saturating_sub(replayed), Ordering::Relaxed);
            Ok::<bool, Unread>(replayed >= needed)
        })();
        let fresh = matches!(checked, Ok(true));
        let was = health.fresh.swap(fresh, Ordering::SeqCst);
        match (&checked, was, fresh) {
            (Err(Unread::Replica(e)), true, false) => {
                tracing::warn!(error = %e, "read replica unreachable; reads go to the primary");
            }
            (Err(Unread::Primary(e)), true, false) => {
                tracing::warn!(
                    error = %e,
                    "primary unreachable, the read replica's lag unknown; reads go to the primary"
                );
            }
            (Ok(false), true, false) => {
                tracing::warn!(
                    max_lag_ms = max_lag.as_millis() as u64,
                    "read replica lags; reads go to the primary"
                );
            }
            (_, false, true) => tracing::info!("read replica caught up; reads go to it"),
            _ => {}
        }
        if !stop.wait(CHECK) {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_parse_as_postgres_prints_them() {
        assert_eq!(parse_lsn("0/0"), Some(0));
        assert_eq!(parse_lsn("16/B374D848"), Some((0x16 << 32) | 0xB374_D848));
        assert_eq!(parse_lsn("16"), None);
        assert_eq!(parse_lsn("x/1"), None);
    }

    #[test]
    fn the_replica_must_have_what_the_primary_had_max_lag_ago() {
        let t0 = Instant::now();
        let mut s = Samples {
            max_lag: Duration::from_millis(1000),
            at: VecDeque::new(),
        };
        // At the start the first position is the bar.
        assert_eq!(s.needed(t0, 100), 100);
        assert_eq!(s.needed(t0 + Duration::from_millis(400), 200), 100);
        assert_eq!(s.needed(t0 + Duration::from_millis(800), 300), 100);
        // 1.2 s in: the newest sample at least 1 s old is the one at 0.2 s or before: 100.
        assert_eq!(s.needed(t0 + Duration::from_millis(1200), 400), 100);
        // 1.4 s in: the sample at 0.4 s (200) is 1 s old.
        assert_eq!(s.needed(t0 + Duration::from_millis(1400), 500), 200);
        assert_eq!(s.needed(t0 + Duration::from_millis(2800), 600), 500);
    }

    #[test]
    fn a_timeout_is_added_once() {
        assert_eq!(
            with_timeout("postgres://a/b"),
            "postgres://a/b?connect_timeout=2"
        );
        assert_eq!(
            with_timeout("postgres://a/b?sslmode=require"),
            "postgres://a/b?sslmode=require&connect_timeout=2"
        );
        assert_eq!(
            with_timeout("postgres://a/b?connect_timeout=9"),
            "postgres://a/b?connect_timeout=9"
        );
    }
}
