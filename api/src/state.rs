//! What every handler shares: configuration, the database pool, limiters, metrics, assets.

use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta};

use crate::config::Config;
use crate::db::{DbConn, Pool};
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::static_files::Assets;

pub struct AppState {
    pub config: Arc<Config>,
    pub pool: Pool,
    pub login_per_ip: RateLimiter,
    pub login_failures: RateLimiter,
    /// Wrong receipt codes per client address (10-minute window) and from everyone (1 minute).
    pub tip_failures_ip: RateLimiter,
    pub tip_failures_global: RateLimiter,
    /// Tips and reporter messages per client address per hour.
    pub tip_submissions_ip: RateLimiter,
    pub metrics: Metrics,
    pub assets: Assets,
    pub campaigns: crate::pledging::CampaignCache,
    /// Group commit of new signings (PostgreSQL; `None` on SQLite).
    pub sign_batch: Option<crate::sign_batch::SignBatcher>,
    /// Generated once at start-up from the route table.
    pub openapi_json: String,
}

impl AppState {
    pub fn new(config: Config, pool: Pool) -> Self {
        let assets = Assets::load(&config.web_dir);
        Self {
            login_per_ip: RateLimiter::new(config.login_per_ip_per_minute, TimeDelta::minutes(1)),
            login_failures: RateLimiter::new(
                config.login_failures_per_account,
                TimeDelta::minutes(15),
            ),
            tip_failures_ip: RateLimiter::new(config.tip_failures_per_ip, TimeDelta::minutes(10)),
            tip_failures_global: RateLimiter::new(
                config.tip_failures_global,
                TimeDelta::minutes(1),
            ),
            tip_submissions_ip: RateLimiter::new(config.tips_per_ip_per_hour, TimeDelta::hours(1)),
            metrics: Metrics::default(),
            assets,
            campaigns: Default::default(),
            sign_batch: (crate::db::Backend::of_url(&config.database_url)
                == crate::db::Backend::Postgres)
                .then(|| crate::sign_batch::SignBatcher::start(pool.clone())),
            openapi_json: crate::routes::openapi().to_json().unwrap_or_default(),
            config: Arc::new(config),
            pool,
        }
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
        self.db(move |conn| crate::db::write_tx(conn, f)).await
    }
}
