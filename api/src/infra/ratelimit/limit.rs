//! A limit that counts where the deployment needs it: in this process for a single server
//! (SQLite), or in the database for every instance of a fleet (PostgreSQL, [`super::fleet`]).
//! The routes ask the same questions of either; a refusal is a 429 with `Retry-After`.

use chrono::TimeDelta;

use super::fleet;
use super::{RateLimiter, SharedLimiter};
use crate::infra::core::Core;
use crate::infra::error::ApiError;

fn limited(retry_after_secs: u64) -> ApiError {
    ApiError::RateLimited { retry_after_secs }
}

/// A per-client limit (an address, an account).
#[derive(Debug)]
pub enum Limit {
    Local(RateLimiter),
    Fleet(fleet::Counter),
}

impl Limit {
    /// `limit` events per `window`, counted in the database when the fleet's store is given.
    pub fn new(
        fleet: Option<&fleet::Store>,
        name: &'static str,
        limit: u32,
        window: TimeDelta,
    ) -> Self {
        match fleet {
            Some(store) => Limit::Fleet(fleet::Counter {
                store: store.clone(),
                name,
                limit,
                len: window,
            }),
            None => Limit::Local(RateLimiter::new(limit, window)),
        }
    }

    /// Counts one event of `client`, or refuses it (429) when the limit is reached.
    pub async fn hit(&self, core: &Core, client: &str) -> Result<(), ApiError> {
        let now = core.now();
        match self {
            Limit::Local(l) => l.hit(client, now).map_err(limited),
            Limit::Fleet(f) => {
                let (f, client) = (f.clone(), client.to_string());
                core.db(move |c| f.hit(c, &client, now))
                    .await?
                    .map_err(limited)
            }
        }
    }

    /// Gives back one event counted by [`Self::hit`] (an attempt that succeeded).
    pub async fn release(&self, core: &Core, client: &str) -> Result<(), ApiError> {
        let now = core.now();
        match self {
            Limit::Local(l) => {
                l.release(client, now);
                Ok(())
            }
            Limit::Fleet(f) => {
                let (f, client) = (f.clone(), client.to_string());
                core.db(move |c| f.release(c, &client, now)).await
            }
        }
    }

    /// Forgets every event of `client`.
    pub async fn reset(&self, core: &Core, client: &str) -> Result<(), ApiError> {
        match self {
            Limit::Local(l) => {
                l.reset(client);
                Ok(())
            }
            Limit::Fleet(f) => {
                let (f, client) = (f.clone(), client.to_string());
                core.db(move |c| f.reset(c, &client)).await
            }
        }
    }

    /// Counts one event of `client` whatever the limit, and says how many it has now.
    pub async fn count_one(&self, core: &Core, client: &str) -> Result<u32, ApiError> {
        let now = core.now();
        match self {
            Limit::Local(l) => {
                let _ = l.hit(client, now);
                Ok(l.count(client, now))
            }
            Limit::Fleet(f) => {
                let (f, client) = (f.clone(), client.to_string());
                core.db(move |c| f.count_one(c, &client, now)).await
            }
        }
    }
}

/// A limit shared by everyone in a scope, of which no one client can use up more than its share
/// (see [`SharedLimiter`]).
#[derive(Debug)]
pub enum SharedLimit {
    Local(SharedLimiter),
    Fleet(fleet::Shared),
}

impl SharedLimit {
    pub fn new(
        fleet: Option<&fleet::Store>,
        name: &'static str,
        limit: u32,
        per_key: u32,
        window: TimeDelta,
    ) -> Self {
        match fleet {
            Some(store) => SharedLimit::Fleet(fleet::Shared::new(
                store.clone(),
                name,
                limit,
                per_key,
                window,
            )),
            None => SharedLimit::Local(SharedLimiter::new(limit, per_key, window)),
        }
    }

    /// Counts one event of `client` in `scope` (up to its share), or refuses it (429).
    pub async fn hit(&self, core: &Core, scope: &str, client: &str) -> Result<(), ApiError> {
        let now = core.now();
        match self {
            SharedLimit::Local(l) => l.hit(scope, client, now).map_err(limited),
            SharedLimit::Fleet(f) => {
                let (f, scope, client) = (f.clone(), scope.to_string(), client.to_string());
                core.db(move |c| f.hit(c, &scope, &client, now))
                    .await?
                    .map_err(limited)
            }
        }
    }

    /// Gives back an event counted by [`Self::hit`] (an attempt that succeeded).
    pub async fn release(&self, core: &Core, scope: &str, client: &str) -> Result<(), ApiError> {
        let now = core.now();
        match self {
            SharedLimit::Local(l) => {
                l.release(scope, client, now);
                Ok(())
            }
            SharedLimit::Fleet(f) => {
                let (f, scope, client) = (f.clone(), scope.to_string(), client.to_string());
                core.db(move |c| f.release(c, &scope, &client, now)).await
            }
        }
    }
}

/// A per-client limit and a shared one charged together (a receipt-code lookup: the address's
/// limit and all reporters'): the shared one only if the first allowed it, and the first given
/// back if the shared one refused. When both count in the database, in one call.
pub async fn hit_both(
    core: &Core,
    mine: &Limit,
    shared: &SharedLimit,
    scope: &str,
    client: &str,
) -> Result<(), ApiError> {
    let now = core.now();
    if let (Limit::Fleet(f), SharedLimit::Fleet(g)) = (mine, shared) {
        let (f, g) = (f.clone(), g.clone());
        let (scope, client) = (scope.to_string(), client.to_string());
        return core
            .db(move |c| {
                f.hit(c, &client, now)?.map_err(limited)?;
                if let Err(wait) = g.hit(c, &scope, &client, now)? {
                    f.release(c, &client, now)?;
                    return Err(limited(wait));
                }
                Ok(())
            })
            .await;
    }
    mine.hit(core, client).await?;
    if let Err(refused) = shared.hit(core, scope, client).await {
        mine.release(core, client).await?;
        return Err(refused);
    }
    Ok(())
}

/// Gives back what [`hit_both`] charged (the attempt succeeded), in one call when both count in
/// the database.
pub async fn release_both(
    core: &Core,
    mine: &Limit,
    shared: &SharedLimit,
    scope: &str,
    client: &str,
) -> Result<(), ApiError> {
    let now = core.now();
    if let (Limit::Fleet(f), SharedLimit::Fleet(g)) = (mine, shared) {
        let (f, g) = (f.clone(), g.clone());
        let (scope, client) = (scope.to_string(), client.to_string());
        return core
            .db(move |c| {
                f.release(c, &client, now)?;
                g.release(c, &scope, &client, now)
            })
            .await;
    }
    mine.release(core, client).await?;
    shared.release(core, scope, client).await
}
