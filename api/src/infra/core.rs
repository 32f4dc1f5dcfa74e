//! What every handler of every feature shares: the configuration (with the clock and the keys)
//! and the database. A feature's own state (its limits, its caches) is its own type, registered
//! beside this one.

use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::infra::config::Config;
use crate::infra::db::{DbConn, Pool};
use crate::infra::error::ApiError;

pub struct Core {
    pub config: Arc<Config>,
    pub pool: Pool,
}

impl Core {
    pub fn new(config: Arc<Config>, pool: Pool) -> Self {
        Self { config, pool }
    }

    pub fn now(&self) -> NaiveDateTime {
        self.config.clock.now()
    }

    /// Runs blocking database work on the blocking thread pool, off the async executor.
    pub async fn db<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// [`Self::db`] inside one write transaction (`db::write_tx`).
    pub async fn db_write<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        self.db(move |conn| crate::infra::db::write_tx(conn, f))
            .await
    }
}
