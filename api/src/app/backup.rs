//! `bvantq backup` and `bvantq restore` (issue 21): a copy of the database taken while the server
//! runs, and that copy put back, checked against the keys in use before anyone relies on it.
//!
//! - SQLite: `VACUUM INTO`, SQLite's online backup into a new file. It reads in one transaction,
//!   so the copy is the database as of one moment while writers go on (WAL mode). Restoring copies
//!   the file beside the database, checks it (`PRAGMA integrity_check`, the keys), then renames it
//!   over the database and removes the old write-ahead log: **the server must be stopped**.
//! - PostgreSQL: `pg_dump --format=custom` (one snapshot, online), and `pg_restore` in one
//!   transaction **into a new, empty database** — an existing database is never overwritten;
//!   the servers are pointed at the new one once it is checked.
//!
//! The check after a restore: the CCCD keys' chain recorded in the data is the configured one
//! (`key_state::check_cccd`), and the tip key opens a tip and a message under every key id the
//! data holds (`tips::service::check_keys`). A copy restored with the wrong keys fails here, not
//! when an officer opens a tip.

use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::infra::cccd_keys::CccdKeys;
use crate::infra::db::{self, Backend, DbConn};
use crate::infra::sealing::Sealer;

/// What a restore found when it checked the keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The tip key ids whose records the configured tip key opened.
    pub tip_keys: Vec<String>,
    /// Pledges in the restored data.
    pub pledges: i64,
}

/// Writes a copy of the database at `url` to `to` (which must not exist); returns its size.
pub fn backup(url: &str, to: &Path) -> Result<u64, String> {
    if to.exists() {
        return Err(format!(
            "{} exists already; a backup never overwrites",
            to.display()
        ));
    }
    match Backend::of_url(url) {
        Backend::Sqlite => {
            let pool = db::pool(url, Some(1)).map_err(|e| e.to_string())?;
            let mut conn = pool.get().map_err(|e| e.to_string())?;
            let target = to.to_str().ok_or("the backup path is not UTF-8")?;
            diesel::sql_query("VACUUM INTO ?")
                .bind::<diesel::sql_types::Text, _>(target)
                .execute(sqlite(&mut conn)?)
                .map_err(|e| format!("VACUUM INTO {}: {e}", to.display()))?;
        }
        Backend::Postgres => {
            run(Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(to)
                .arg(url))?;
        }
    }
    std::fs::metadata(to)
        .map(|m| m.len())
        .map_err(|e| format!("{}: {e}", to.display()))
}

/// Puts the backup `from` in place at `url` and checks it with the keys in use (see the module).
pub fn restore(
    url: &str,
    from: &Path,
    sealer: &Sealer,
    cccd: &CccdKeys,
    now: chrono::NaiveDateTime,
) -> Result<Checked, String> {
    if !from.is_file() {
        return Err(format!("{}: no such backup", from.display()));
    }
    match Backend::of_url(url) {
        Backend::Sqlite => {
            let path = PathBuf::from(db::sqlite_path(url));
            let staged = path.with_extension("restoring");
            std::fs::copy(from, &staged).map_err(|e| format!("{}: {e}", staged.display()))?;
            let staged_url = format!("sqlite://{}", staged.display());
            let checked = open_and_check(&staged_url, sealer, cccd, now, true);
            if let Err(e) = checked {
                let _ = std::fs::remove_file(&staged);
                return Err(e);
            }
            // The old log belongs to the old database: replayed over the restored one it would
            // undo the restore.
            for ext in ["-wal", "-shm"] {
                let side = PathBuf::from(format!("{}{ext}", path.display()));
                if side.exists() {
                    std::fs::remove_file(&side).map_err(|e| format!("{}: {e}", side.display()))?;
                }
            }
            std::fs::rename(&staged, &path).map_err(|e| format!("{}: {e}", path.display()))?;
            checked
        }
        Backend::Postgres => {
            {
                let pool = db::pool(url, Some(1)).map_err(|e| e.to_string())?;
                let mut conn = pool.get().map_err(|e| e.to_string())?;
                #[derive(QueryableByName)]
                struct N {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    n: i64,
                }
                let tables: N = diesel::sql_query(
                    "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
                )
                .get_result(&mut *conn)
                .map_err(|e| e.to_string())?;
                if tables.n > 0 {
                    return Err(format!(
                        "the database has {} tables: restore into a new, empty database",
                        tables.n
                    ));
                }
            }
            run(Command::new("pg_restore")
                .args([
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    url,
                ])
                .arg(from))?;
            open_and_check(url, sealer, cccd, now, false)
        }
    }
}

/// Opens the restored database and checks it against the keys; on SQLite also its pages.
fn open_and_check(
    url: &str,
    sealer: &Sealer,
    cccd: &CccdKeys,
    now: chrono::NaiveDateTime,
    sqlite_pages: bool,
) -> Result<Checked, String> {
    let pool = db::pool(url, Some(1)).map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    if sqlite_pages {
        #[derive(QueryableByName)]
        struct Integrity {
            #[diesel(sql_type = diesel::sql_types::Text)]
            integrity_check: String,
        }
        let r: Integrity = diesel::sql_query("PRAGMA integrity_check")
            .get_result(sqlite(&mut conn)?)
            .map_err(|e| format!("the backup is not a readable database: {e}"))?;
        if r.integrity_check != "ok" {
            return Err(format!("the backup is damaged: {}", r.integrity_check));
        }
        // The copy is closed cleanly before it is renamed into place.
        sqlite(&mut conn)?
            .batch_execute("PRAGMA journal_mode = DELETE;")
            .map_err(|e| e.to_string())?;
    }
    db::key_state::check_cccd(&mut conn, cccd, now).map_err(|e| e.to_string())?;
    let tip_keys =
        crate::tips::service::check_keys(&mut conn, sealer).map_err(|e| e.to_string())?;
    let pledges = {
        use crate::infra::db::schema::pledges::dsl as p;
        p::pledges
            .count()
            .get_result(&mut *conn)
            .map_err(|e| e.to_string())?
    };
    Ok(Checked { tip_keys, pledges })
}

fn sqlite(conn: &mut DbConn) -> Result<&mut diesel::SqliteConnection, String> {
    match conn {
        DbConn::Sqlite(c) => Ok(c),
        DbConn::Pg(_) => Err("not a SQLite database".to_string()),
    }
}

fn run(cmd: &mut Command) -> Result<(), String> {
    let name = cmd.get_program().to_string_lossy().into_owned();
    let out = cmd.output().map_err(|e| format!("{name}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}
