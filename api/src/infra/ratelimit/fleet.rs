//! The rate limits' counters in PostgreSQL, shared by every instance of a fleet (issue 21): N
//! instances behind a proxy give a client one budget, not N.
//!
//! Fixed windows aligned on the clock (a window of length `len` starts at a multiple of `len`
//! seconds since 1970), one row per
//! limiter, scope, client and window (by the second it starts) in the unlogged table `rate_counts`. Each check is one
//! statement or one function call, a single round trip, that counts and decides together under
//! the row's lock, so concurrent requests on different instances cannot all pass before one is
//! counted. The client (an address, an account name) is stored as a keyed hash
//! ([`Store::client`]), never as given. Ended windows are deleted by the hourly purge ([`purge`]).

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Integer, Nullable, Text};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::infra::db::{DbConn, Pool};
use crate::infra::error::ApiError;

/// Where the counters live, and the key their clients are hashed with.
#[derive(Clone)]
pub struct Store {
    pub pool: Pool,
    key: [u8; 32],
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("fleet::Store")
    }
}

impl Store {
    /// `secret` is shared by the fleet (the token-signing secret), so every instance hashes a
    /// client to the same row; the hashing key is derived from it and used for nothing else.
    pub fn new(pool: Pool, secret: &[u8]) -> Self {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret)
            .unwrap_or_else(|e| panic!("HMAC takes a key of any length: {e}"));
        mac.update(b"bvantq rate_counts client v1");
        Self {
            pool,
            key: mac.finalize().into_bytes().into(),
        }
    }

    /// The stored form of a client: 128 bits of its keyed hash, in hex. A copy of the table
    /// does not give back an address without the key.
    pub fn client(&self, client: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .unwrap_or_else(|e| panic!("HMAC takes a key of any length: {e}"));
        mac.update(client.as_bytes());
        crate::infra::db::hex(&mac.finalize().into_bytes()[..16])
    }
}

/// The window `now` falls in, as the second it starts at (seconds since 1970), and the
/// seconds left in it (at least one).
pub fn window(now: NaiveDateTime, len: TimeDelta) -> (i64, u64) {
    let len = len.num_seconds().max(1);
    let t = now.and_utc().timestamp();
    let start = t.div_euclid(len) * len;
    (start, (start + len - t).max(1) as u64)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = Integer)]
    n: i32,
}

#[derive(QueryableByName)]
struct Allowed {
    #[diesel(sql_type = Nullable<Bool>)]
    allowed: Option<bool>,
}

/// One per-client limit of `limit` events per `len`, counted in the database.
#[derive(Debug, Clone)]
pub struct Counter {
    pub store: Store,
    pub name: &'static str,
    pub limit: u32,
    pub len: TimeDelta,
}

impl Counter {
    /// Counts one event of `client` if it is within the limit; else the seconds to wait.
    pub fn hit(
        &self,
        conn: &mut DbConn,
        client: &str,
        now: NaiveDateTime,
    ) -> Result<Result<(), u64>, ApiError> {
        let (w, left) = window(now, self.len);
        let counted: Vec<Count> = diesel::sql_query(
            "INSERT INTO rate_counts (limiter, scope, client, win, n) VALUES ($1, '', $2, $3, 1)
             ON CONFLICT (limiter, scope, client, win) DO UPDATE SET n = rate_counts.n + 1
             WHERE rate_counts.n < $4
             RETURNING n",
        )
        .bind::<Text, _>(self.name)
        .bind::<Text, _>(self.store.client(client))
        .bind::<BigInt, _>(w)
        .bind::<Integer, _>(limit_i32(self.limit))
        .load(pg(conn)?)?;
        Ok(if counted.is_empty() || self.limit == 0 {
            Err(left)
        } else {
            Ok(())
        })
    }

    /// Counts one event of `client` with no limit, and says how many it has in this window.
    pub fn count_one(
        &self,
        conn: &mut DbConn,
        client: &str,
        now: NaiveDateTime,
    ) -> Result<u32, ApiError> {
        let (w, _) = window(now, self.len);
        let counted: Count = diesel::sql_query(
            "INSERT INTO rate_counts (limiter, scope, client, win, n) VALUES ($1, '', $2, $3, 1)
             ON CONFLICT (limiter, scope, client, win) DO UPDATE SET n = rate_counts.n + 1
             RETURNING n",
        )
        .bind::<Text, _>(self.name)
        .bind::<Text, _>(self.store.client(client))
        .bind::<BigInt, _>(w)
        .get_result(pg(conn)?)?;
        u32::try_from(counted.n).map_err(ApiError::internal)
    }

    /// Gives back one event of `client` counted by [`Self::hit`] (an attempt that succeeded).
    pub fn release(
        &self,
        conn: &mut DbConn,
        client: &str,
        now: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let (w, _) = window(now, self.len);
        diesel::sql_query(
            "UPDATE rate_counts SET n = n - 1
             WHERE limiter = $1 AND scope = '' AND client = $2 AND win = $3 AND n > 0",
        )
        .bind::<Text, _>(self.name)
        .bind::<Text, _>(self.store.client(client))
        .bind::<BigInt, _>(w)
        .execute(pg(conn)?)?;
        Ok(())
    }

    /// Forgets every event of `client` (a login that succeeded).
    pub fn reset(&self, conn: &mut DbConn, client: &str) -> Result<(), ApiError> {
        diesel::sql_query(
            "DELETE FROM rate_counts WHERE limiter = $1 AND scope = '' AND client = $2",
        )
        .bind::<Text, _>(self.name)
        .bind::<Text, _>(self.store.client(client))
        .execute(pg(conn)?)?;
        Ok(())
    }
}

/// A limit shared by everyone in a scope, of which one client can use only `per_key`: the
/// database form of [`super::SharedLimiter`], with the same rule (once the total is reached,
/// only clients who already used some of it are refused). The rule runs in the function
/// `rate_shared_hit` (migration `000024_fleet`), which locks the scope's total row first.
#[derive(Debug, Clone)]
pub struct Shared {
    pub store: Store,
    pub name: &'static str,
    pub limit: u32,
    pub per_key: u32,
    pub len: TimeDelta,
}

impl Shared {
    /// See [`super::share`]: no client counts for more than a tenth.
    pub fn new(store: Store, name: &'static str, limit: u32, per_key: u32, len: TimeDelta) -> Self {
        Self {
            store,
            name,
            limit,
            per_key: super::share(limit, per_key),
            len,
        }
    }

    /// Counts one event of `client` in `scope` (up to its share) and says whether it was allowed.
    pub fn hit(
        &self,
        conn: &mut DbConn,
        scope: &str,
        client: &str,
        now: NaiveDateTime,
    ) -> Result<Result<(), u64>, ApiError> {
        let (w, left) = window(now, self.len);
        let answer: Allowed =
            diesel::sql_query("SELECT rate_shared_hit($1, $2, $3, $4, $5, $6) AS allowed")
                .bind::<Text, _>(self.name)
                .bind::<Text, _>(scope)
                .bind::<Text, _>(self.store.client(client))
                .bind::<BigInt, _>(w)
                .bind::<Integer, _>(limit_i32(self.limit))
                .bind::<Integer, _>(limit_i32(self.per_key))
                .get_result(pg(conn)?)?;
        Ok(if answer.allowed == Some(true) {
            Ok(())
        } else {
            Err(left)
        })
    }

    /// Gives back an event counted by [`Self::hit`] (an attempt that succeeded).
    pub fn release(
        &self,
        conn: &mut DbConn,
        scope: &str,
        client: &str,
        now: NaiveDateTime,
    ) -> Result<(), ApiError> {
        let (w, _) = window(now, self.len);
        diesel::sql_query("SELECT rate_shared_release($1, $2, $3, $4)")
            .bind::<Text, _>(self.name)
            .bind::<Text, _>(scope)
            .bind::<Text, _>(self.store.client(client))
            .bind::<BigInt, _>(w)
            .execute(pg(conn)?)?;
        Ok(())
    }
}

/// The PostgreSQL connection the counters need (a SQLite server counts in its own memory and
/// never builds a [`Store`]).
fn pg(conn: &mut DbConn) -> Result<&mut diesel::PgConnection, ApiError> {
    match conn {
        DbConn::Pg(c) => Ok(c),
        DbConn::Sqlite(_) => Err(ApiError::internal(
            "the fleet's rate limits count in PostgreSQL",
        )),
    }
}

fn limit_i32(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Deletes the counters of windows that started more than a day before `now` (the longest
/// window is an hour). On SQLite the table is not used and this deletes nothing.
pub fn purge(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, ApiError> {
    let DbConn::Pg(c) = conn else {
        return Ok(0);
    };
    Ok(diesel::sql_query("DELETE FROM rate_counts WHERE win < $1")
        .bind::<BigInt, _>(now.and_utc().timestamp() - 86_400)
        .execute(c)?)
}
