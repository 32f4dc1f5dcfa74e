//! What the database records about the keys its values were written under (never the keys): the
//! CCCD chain every stored hash is wrapped to, so a server started with the wrong key refuses to
//! run instead of silently matching nothing, and `bvantq pledges rekey` (which wraps every stored
//! hash up to the newest key).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text};

use crate::infra::cccd_keys::{CccdKeys, SETTLED_STATE};
use crate::infra::db::DbConn;
use crate::infra::db::schema::{key_state, pledges, roster_entries, users};

diesel::define_sql_function! {
    /// `substr(text, start)`, the same on SQLite and PostgreSQL.
    fn substr(x: Text, start: Integer) -> Text;
}

/// The `key_state` row marking that CCCD hashes written before key ids existed were labelled.
const LABELLED_STATE: &str = "cccd_labelled";

pub fn get(conn: &mut DbConn, name: &str) -> QueryResult<Option<String>> {
    key_state::table
        .find(name)
        .select(key_state::value)
        .first(conn)
        .optional()
}

pub fn set(conn: &mut DbConn, name: &str, value: &str, now: NaiveDateTime) -> QueryResult<()> {
    let n = diesel::update(key_state::table.find(name))
        .set((key_state::value.eq(value), key_state::updated_at.eq(now)))
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(key_state::table)
            .values((
                key_state::name.eq(name),
                key_state::value.eq(value),
                key_state::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum KeyStateError {
    #[error(
        "the stored CCCD hashes are under key {stored}, which is not in the configured chain \
         ({configured}); set BVANTQ_CCCD_HMAC_KEY back, or list the old key in BVANTQ_CCCD_OLD_KEYS"
    )]
    WrongCccdKey { stored: String, configured: String },
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// At start: labels hashes written before key ids existed (once), checks that the stored hashes
/// are under a configured key, and tells the key chain whether a rekey is pending.
pub fn check_cccd(
    conn: &mut DbConn,
    keys: &CccdKeys,
    now: NaiveDateTime,
) -> Result<(), KeyStateError> {
    crate::infra::db::write_tx(conn, |conn| {
        if get(conn, LABELLED_STATE)?.is_none() {
            label_unlabelled(conn, keys.root_id())?;
            set(conn, LABELLED_STATE, keys.root_id(), now)?;
            if get(conn, SETTLED_STATE)?.is_none() {
                set(conn, SETTLED_STATE, keys.root_id(), now)?;
            }
        }
        Ok::<_, KeyStateError>(())
    })?;
    refresh_cccd(conn, keys)
}

/// Reads whether every stored hash is under the newest key (also run by the maintenance job, so
/// a rekey run by the command reaches a running server).
pub fn refresh_cccd(conn: &mut DbConn, keys: &CccdKeys) -> Result<(), KeyStateError> {
    let stored = get(conn, SETTLED_STATE)?;
    match stored {
        Some(id) if id == keys.chain_id() => keys.set_settled(true),
        Some(id) if keys.position(&id).is_none() => {
            return Err(KeyStateError::WrongCccdKey {
                stored: id,
                configured: keys.ids().join(", "),
            });
        }
        _ => keys.set_settled(false),
    }
    Ok(())
}

fn label_unlabelled(conn: &mut DbConn, root: &str) -> QueryResult<()> {
    let prefix = format!("{root}:");
    diesel::update(
        pledges::table
            .filter(pledges::cccd_hmac.is_not_null())
            .filter(pledges::cccd_hmac.not_like("%:%")),
    )
    .set(
        pledges::cccd_hmac.eq(prefix
            .clone()
            .into_sql::<Text>()
            .concat(pledges::cccd_hmac.assume_not_null())
            .nullable()),
    )
    .execute(conn)?;
    // Dedupe keys of signings by CCCD: `c:{hash}` → `c:{root}:{hash}`.
    diesel::update(
        pledges::table
            .filter(pledges::dedupe_key.like("c:%"))
            .filter(pledges::dedupe_key.not_like("c:%:%")),
    )
    .set(
        pledges::dedupe_key.eq(format!("c:{prefix}")
            .into_sql::<Text>()
            .concat(substr(pledges::dedupe_key, 3))),
    )
    .execute(conn)?;
    diesel::update(
        roster_entries::table
            .filter(roster_entries::cccd_hmac.is_not_null())
            .filter(roster_entries::cccd_hmac.not_like("%:%")),
    )
    .set(
        roster_entries::cccd_hmac.eq(prefix
            .clone()
            .into_sql::<Text>()
            .concat(roster_entries::cccd_hmac.assume_not_null())
            .nullable()),
    )
    .execute(conn)?;
    diesel::update(
        users::table
            .filter(users::citizen_id_hmac.is_not_null())
            .filter(users::citizen_id_hmac.not_like("%:%")),
    )
    .set(
        users::citizen_id_hmac.eq(prefix
            .into_sql::<Text>()
            .concat(users::citizen_id_hmac.assume_not_null())
            .nullable()),
    )
    .execute(conn)?;
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum RekeyError {
    #[error(transparent)]
    Rewrap(#[from] crate::infra::cccd_keys::RewrapError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Wraps every stored CCCD hash (pledges, their dedupe keys, roster rows, accounts) up to the
/// newest key, in batches of one transaction each; records the chain when done. Returns how many
/// values changed.
pub fn rekey_cccd(
    conn: &mut DbConn,
    keys: &CccdKeys,
    now: NaiveDateTime,
) -> Result<usize, RekeyError> {
    let current = format!("{}:%", keys.chain_id());
    let mut done = 0;
    loop {
        let batch: Vec<(String, Option<String>, String)> = pledges::table
            .filter(pledges::cccd_hmac.is_not_null())
            .filter(pledges::cccd_hmac.not_like(&current))
            .select((pledges::id, pledges::cccd_hmac, pledges::dedupe_key))
            .limit(500)
            .load(conn)?;
        if batch.is_empty() {
            break;
        }
        crate::infra::db::write_tx(conn, |conn| {
            for (id, hash, dedupe) in &batch {
                let Some(old) = hash else { continue };
                let Some(new) = keys.rewrap(old)? else {
                    continue;
                };
                let dedupe = match dedupe.strip_prefix("c:") {
                    Some(h) if h == old => format!("c:{new}"),
                    _ => dedupe.clone(),
                };
                diesel::update(pledges::table.find(id))
                    .set((pledges::cccd_hmac.eq(&new), pledges::dedupe_key.eq(dedupe)))
                    .execute(conn)?;
            }
            Ok::<_, RekeyError>(())
        })?;
        done += batch.len();
    }
    loop {
        let batch: Vec<(String, Option<String>)> = roster_entries::table
            .filter(roster_entries::cccd_hmac.is_not_null())
            .filter(roster_entries::cccd_hmac.not_like(&current))
            .select((roster_entries::id, roster_entries::cccd_hmac))
            .limit(500)
            .load(conn)?;
        if batch.is_empty() {
            break;
        }
        crate::infra::db::write_tx(conn, |conn| {
            for (id, hash) in &batch {
                if let Some(new) = hash
                    .as_deref()
                    .map(|h| keys.rewrap(h))
                    .transpose()?
                    .flatten()
                {
                    diesel::update(roster_entries::table.find(id))
                        .set(roster_entries::cccd_hmac.eq(new))
                        .execute(conn)?;
                }
            }
            Ok::<_, RekeyError>(())
        })?;
        done += batch.len();
    }
    let accounts: Vec<(String, Option<String>)> = users::table
        .filter(users::citizen_id_hmac.is_not_null())
        .filter(users::citizen_id_hmac.not_like(&current))
        .select((users::id, users::citizen_id_hmac))
        .load(conn)?;
    crate::infra::db::write_tx(conn, |conn| {
        for (id, hash) in &accounts {
            if let Some(new) = hash
                .as_deref()
                .map(|h| keys.rewrap(h))
                .transpose()?
                .flatten()
            {
                diesel::update(users::table.find(id))
                    .set(users::citizen_id_hmac.eq(new))
                    .execute(conn)?;
            }
        }
        set(conn, SETTLED_STATE, keys.chain_id(), now)?;
        Ok::<_, RekeyError>(())
    })?;
    keys.set_settled(true);
    Ok(done + accounts.len())
}
