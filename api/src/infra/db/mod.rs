//! The database layer: one connection type over SQLite and PostgreSQL, the pool, migrations, and
//! plain query functions per table taking `&mut DbConn`.

pub mod idempotency;
pub mod key_state;
pub mod replica;
pub mod schema;

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Run on every new PostgreSQL connection: `backend_flush_after` to 256 kB unless the server's
/// configuration already sets it (see [`Manager::connect`]).
const PG_SESSION_SETUP: &str = "SELECT set_config('backend_flush_after', '256kB', false) \
     WHERE current_setting('backend_flush_after') = '0'";

/// One connection type for both backends; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// Opens connections of the backend named by the URL (diesel's own multi-backend `establish`
/// tries each backend in turn and would hide a wrong password behind a SQLite error), and puts
/// SQLite in the mode the product needs: WAL, foreign keys, a busy timeout, full sync.
#[derive(Debug, Clone)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl Manager {
    pub fn new(url: &str) -> Self {
        Self {
            url: url.to_string(),
            backend: Backend::of_url(url),
        }
    }
}

pub fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match self.backend {
            Backend::Postgres => {
                let mut c = diesel::PgConnection::establish(&self.url)
                    .map_err(r2d2::Error::ConnectionError)?;
                // Signing evicts many dirty pages from PostgreSQL's buffers into the kernel's page
                // cache. Left there (PostgreSQL's default for sessions), they pile up until the
                // kernel writes hundreds of MB at once, and every commit's WAL flush waits behind
                // that for ~0.1 s (BENCHMARKS.md, "The tail at 70% of peak"). Asking the kernel
                // to write them every 256 kB, as PostgreSQL's own background writer and
                // checkpointer do, keeps the backlog small. A value the operator chose is kept.
                if let Err(e) = c.batch_execute(PG_SESSION_SETUP) {
                    tracing::warn!(error = %e, "cannot set backend_flush_after; continuing without it");
                }
                Ok(DbConn::Pg(c))
            }
            Backend::Sqlite => {
                let mut c = diesel::SqliteConnection::establish(sqlite_path(&self.url))
                    .map_err(r2d2::Error::ConnectionError)?;
                // An acknowledged write must survive a crash: WAL with FULL sync fsyncs the log
                // on every commit. Deleted content (purged tips) is overwritten with zeros in
                // its pages, not left in free pages of the file.
                c.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA secure_delete = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(c))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create the database directory {0}: {1}")]
    Directory(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("cannot migrate the database: {0}")]
    Migrate(String),
    #[error("{0}")]
    Keys(String),
}

/// Builds the pool. SQLite gets a small pool (one writer at a time anyway); PostgreSQL more.
pub fn pool(url: &str, max_size: Option<u32>) -> Result<Pool, SetupError> {
    let manager = Manager::new(url);
    if manager.backend == Backend::Sqlite {
        let path = sqlite_path(url);
        if let Some(dir) = Path::new(path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir)
                .map_err(|e| SetupError::Directory(dir.display().to_string(), e))?;
        }
    }
    let default = match manager.backend {
        Backend::Sqlite => 8,
        Backend::Postgres => 16,
    };
    Ok(r2d2::Pool::builder()
        .max_size(max_size.unwrap_or(default))
        .connection_timeout(Duration::from_secs(5))
        .build(manager)?)
}

/// Applies pending migrations of the connection's backend.
pub fn migrate(conn: &mut DbConn) -> Result<usize, SetupError> {
    let applied = match conn {
        DbConn::Pg(c) => c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.len()),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    applied.map_err(|e| SetupError::Migrate(e.to_string()))
}

pub fn backend(conn: &DbConn) -> Backend {
    match conn {
        DbConn::Pg(_) => Backend::Postgres,
        DbConn::Sqlite(_) => Backend::Sqlite,
    }
}

/// A random identifier: 16 bytes, hex.
pub fn new_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    hex(&b)
}

/// An identifier that sorts by creation time: 6 bytes of milliseconds since 1970 (UTC) then
/// 10 random bytes, hex — the length of [`new_id`]. For rows written at a high rate (pledges):
/// new keys land at the right edge of their indexes instead of on a random page each, so a
/// signing dirties fewer index pages and the indexes stay dense.
pub fn new_sorted_id(now: chrono::NaiveDateTime) -> String {
    use rand::RngCore;
    let ms = now.and_utc().timestamp_millis().max(0) as u64;
    let mut b = [0u8; 16];
    b[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    rand::rng().fill_bytes(&mut b[6..]);
    hex(&b)
}

/// The bytes of a lower- or upper-case hex string.
pub fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    // By table, not `write!("{b:02x}")`: every signing hex-encodes its sealed idempotency record
    // (~300 bytes), and the formatter took 3% of the machine's CPU under a signing load
    // (BENCHMARKS.md, "Signing with one batch writer").
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// The turn of a SQLite write transaction. One lock for the process: a server opens one
/// SQLite database, and SQLite writes one transaction at a time anyway.
static SQLITE_WRITER: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock up
/// front (waiting up to the busy timeout) instead of failing when a read later turns into a
/// write while another writer committed; on PostgreSQL it is an ordinary transaction.
pub fn write_tx<T, E>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    if let DbConn::Sqlite(c) = conn {
        // Writers queue on a lock of this process before asking SQLite for its write lock: a
        // writer SQLite turns away sleeps in its busy handler and retries, and under load one can
        // lose every retry for seconds (6.4 s measured at 64 clients) while others get through.
        let _turn = SQLITE_WRITER
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?;
        let result = f(conn);
        if let DbConn::Sqlite(c) = conn {
            match result {
                Ok(v) => {
                    if let Err(e) = AnsiTransactionManager::commit_transaction(c) {
                        let _ = AnsiTransactionManager::rollback_transaction(c);
                        return Err(e.into());
                    }
                    return Ok(v);
                }
                Err(e) => {
                    let _ = AnsiTransactionManager::rollback_transaction(c);
                    return Err(e);
                }
            }
        }
        result
    } else {
        conn.transaction(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_ids_follow_time_and_stay_unique() {
        let t = |s: &str| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.3f")
                .unwrap_or_else(|e| panic!("{s}: {e}"))
        };
        let earlier = new_sorted_id(t("2026-12-01 08:00:00.000"));
        let later = new_sorted_id(t("2026-12-01 08:00:00.001"));
        assert_eq!(earlier.len(), new_id().len());
        assert!(earlier < later, "{earlier} sorts before {later}");
        // 1 ms after 1970 is 000000000001, then 10 random bytes.
        assert!(new_sorted_id(t("1970-01-01 00:00:00.001")).starts_with("000000000001"));
        let same = t("2026-12-01 08:00:00.000");
        assert_ne!(new_sorted_id(same), new_sorted_id(same));
    }

    #[test]
    fn hex_is_lower_case_two_digits_a_byte_and_unhex_reads_it_back() {
        assert_eq!(hex(&[]), "");
        assert_eq!(hex(&[0x00, 0x0f, 0x10, 0xa5, 0xff]), "000f10a5ff");
        let all: Vec<u8> = (0..=255).collect();
        let text = hex(&all);
        assert_eq!(text.len(), 512);
        assert_eq!(&text[..8], "00010203");
        assert_eq!(&text[504..], "fcfdfeff");
        assert_eq!(unhex(&text), Some(all.clone()));
        assert_eq!(unhex(&text.to_uppercase()), Some(all));
    }
}
