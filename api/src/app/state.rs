//! The server's state, as registered in the application: the core every handler shares, each
//! feature's own, and the site's (assets, metrics, the OpenAPI document), plus the maintenance
//! thread, which stops with it.

use std::sync::{Arc, OnceLock};

use actix_web::web::Data;

use crate::accounts::state::AccountsState;
use crate::auth::locked::LockedAccounts;
use crate::infra::config::Config;
use crate::infra::core::Core;
use crate::infra::db::replica::Replica;
use crate::infra::db::{Backend, Pool, SetupError};
use crate::infra::metrics::Metrics;
use crate::infra::ratelimit::fleet;
use crate::infra::static_files::Assets;
use crate::pledges::state::PledgesState;
use crate::tips::state::TipsState;

/// What the site's own pages and operational routes share.
pub struct Site {
    pub metrics: Metrics,
    pub assets: Assets,
    /// The OpenAPI document, as the route table built it (`app::server::app`).
    pub openapi_json: OnceLock<String>,
    /// The address of the listener that serves `/metrics` without a token, if any.
    pub metrics_addr: OnceLock<std::net::SocketAddr>,
}

#[derive(Clone)]
pub struct AppState {
    pub core: Data<Core>,
    pub locked: Data<LockedAccounts>,
    pub accounts: Data<AccountsState>,
    pub tips: Data<TipsState>,
    pub pledges: Data<PledgesState>,
    pub site: Data<Site>,
    pub national: Data<crate::plans::national::NationalState>,
    /// The maintenance thread; stops when the last copy of the state goes.
    _maintenance: Arc<crate::app::jobs::Maintenance>,
}

impl AppState {
    pub fn new(config: Config, pool: Pool) -> Result<Self, SetupError> {
        let config = Arc::new(config);
        let locked = Data::new(LockedAccounts::default());
        locked.replace(
            crate::accounts::store::users::locked_ids(&mut *pool.get()?)
                .map_err(|e| SetupError::Migrate(e.to_string()))?,
        );
        // On PostgreSQL the rate limits count in the database, one budget for the whole fleet.
        let fleet = (Backend::of_url(&config.database_url) == Backend::Postgres)
            .then(|| fleet::Store::new(pool.clone(), &config.jwt_secret));
        let fleet = fleet.as_ref();
        let replica = match &config.read {
            Some(read) => Some(Arc::new(Replica::start(read, pool.clone())?)),
            None => None,
        };
        Ok(Self {
            accounts: Data::new(AccountsState::new(&config, fleet).map_err(SetupError::Keys)?),
            tips: Data::new(TipsState::new(&config, fleet)),
            pledges: Data::new(PledgesState::new(&config, &pool)),
            national: Data::default(),
            site: Data::new(Site {
                metrics: Metrics::default(),
                assets: Assets::load(&config.web_dir),
                openapi_json: OnceLock::new(),
                metrics_addr: OnceLock::new(),
            }),
            _maintenance: Arc::new(crate::app::jobs::Maintenance::start(
                pool.clone(),
                config.clone(),
                locked.clone().into_inner(),
                crate::app::jobs::PERIOD,
            )),
            locked,
            core: Data::new(Core::new(config, pool).with_replica(replica)),
        })
    }

    pub fn config(&self) -> Arc<Config> {
        self.core.config.clone()
    }

    pub fn pool(&self) -> Pool {
        self.core.pool.clone()
    }
}
