//! What every handler shares: configuration, the database pool, limiters, metrics, assets.

use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta};

use crate::infra::config::Config;
use crate::infra::db::{DbConn, Pool};
use crate::infra::error::ApiError;
use crate::infra::metrics::Metrics;
use crate::infra::ratelimit::{ByteBudget, RateLimiter, SharedLimiter};
use crate::infra::static_files::Assets;

pub struct AppState {
    pub config: Arc<Config>,
    pub pool: Pool,
    pub login_per_ip: RateLimiter,
    pub login_failures: RateLimiter,
    /// Wrong receipt codes per client address (10-minute window) and from everyone (1 minute,
    /// no one address able to use it up).
    pub tip_failures_ip: RateLimiter,
    pub tip_failures_global: SharedLimiter,
    /// Tips and reporter messages per client address per hour.
    pub tip_submissions_ip: RateLimiter,
    /// Photo bytes per hour, all reporters and per commune.
    pub photo_budget: ByteBudget,
    /// Public signings per client address per hour, and per campaign per hour.
    pub signings_ip: RateLimiter,
    pub signings_campaign: SharedLimiter,
    /// Signings per campaign and address in 10 minutes, past which they are flagged `burst`.
    pub signing_bursts: RateLimiter,
    /// Locked accounts, whose access tokens are refused at once.
    pub locked: Arc<crate::auth::locked::LockedAccounts>,
    /// What an unknown username's password is checked against (see `routes::auth::login`).
    pub dummy_password_hash: Arc<String>,
    pub metrics: Metrics,
    pub assets: Assets,
    pub campaigns: crate::pledges::service::CampaignCache,
    /// Group commit of new signings (PostgreSQL; `None` on SQLite).
    pub sign_batch: Option<crate::pledges::batch::SignBatcher>,
    /// Generated once at start-up from the route table.
    pub openapi_json: String,
    /// The address of the listener that serves `/metrics` without a token, if any.
    pub metrics_addr: std::sync::OnceLock<std::net::SocketAddr>,
    /// The maintenance thread; stops with the state.
    _maintenance: crate::app::jobs::Maintenance,
}

impl AppState {
    pub fn new(config: Config, pool: Pool) -> Result<Self, crate::infra::db::SetupError> {
        let config = Arc::new(config);
        let assets = Assets::load(&config.web_dir);
        let dummy_hash = crate::auth::password::dummy_hash(config.argon2)
            .map_err(crate::infra::db::SetupError::Keys)?;
        let locked = Arc::new(crate::auth::locked::LockedAccounts::default());
        locked
            .reload(&mut *pool.get()?)
            .map_err(|e| crate::infra::db::SetupError::Migrate(e.to_string()))?;
        Ok(Self {
            login_per_ip: RateLimiter::new(config.login_per_ip_per_minute, TimeDelta::minutes(1)),
            login_failures: RateLimiter::new(
                config.login_failures_per_account,
                TimeDelta::minutes(15),
            ),
            tip_failures_ip: RateLimiter::new(config.tip_failures_per_ip, TimeDelta::minutes(10)),
            tip_failures_global: SharedLimiter::new(
                config.tip_failures_global,
                config.tip_failures_per_ip,
                TimeDelta::minutes(1),
            ),
            tip_submissions_ip: RateLimiter::new(config.tips_per_ip_per_hour, TimeDelta::hours(1)),
            photo_budget: ByteBudget::new(
                config.photo_bytes_per_hour,
                config.photo_bytes_per_commune_per_hour,
                TimeDelta::hours(1),
            ),
            signings_ip: RateLimiter::new(config.signings_per_ip_per_hour, TimeDelta::hours(1)),
            signings_campaign: SharedLimiter::new(
                config.signings_per_campaign_per_hour,
                config.signings_per_ip_per_hour,
                TimeDelta::hours(1),
            ),
            signing_bursts: RateLimiter::new(u32::MAX, TimeDelta::minutes(10)),
            dummy_password_hash: Arc::new(dummy_hash),
            metrics_addr: std::sync::OnceLock::new(),
            locked: locked.clone(),
            metrics: Metrics::default(),
            assets,
            campaigns: Default::default(),
            sign_batch: (crate::infra::db::Backend::of_url(&config.database_url)
                == crate::infra::db::Backend::Postgres)
                .then(|| crate::pledges::batch::SignBatcher::start(pool.clone())),
            openapi_json: crate::app::routes::openapi().to_json().unwrap_or_default(),
            _maintenance: crate::app::jobs::Maintenance::start(
                pool.clone(),
                config.clone(),
                locked,
                crate::app::jobs::PERIOD,
            ),
            config,
            pool,
        })
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
