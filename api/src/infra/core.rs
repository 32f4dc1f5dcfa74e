//! What every handler of every feature shares: the configuration (with the clock and the keys)
//! and the database. A feature's own state (its limits, its caches) is its own type, registered
//! beside this one.

use std::sync::Arc;

use chrono::NaiveDateTime;

use crate::infra::config::Config;
use crate::infra::db::replica::Replica;
use crate::infra::db::{DbConn, Pool};
use crate::infra::error::ApiError;

pub struct Core {
    pub config: Arc<Config>,
    pub pool: Pool,
    /// The read replica, when `DATABASE_READ_URL` names one (`db::replica`).
    pub replica: Option<Arc<Replica>>,
}

impl Core {
    pub fn new(config: Arc<Config>, pool: Pool) -> Self {
        Self {
            config,
            pool,
            replica: None,
        }
    }

    /// With reads that may be a little stale going to `replica`.
    pub fn with_replica(mut self, replica: Option<Arc<Replica>>) -> Self {
        self.replica = replica;
        self
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

    /// [`Self::db`] for a read that may be up to `BVANTQ_READ_MAX_LAG_MS` stale: on the read
    /// replica when there is one and it is fresh, else on the primary (`db::replica`). Never for
    /// a read that must see the caller's own write, nor for one whose answer decides a write.
    pub async fn db_read<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let Some(replica) = self.replica.clone() else {
            return self.db(f).await;
        };
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = replica.conn(&pool)?;
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
