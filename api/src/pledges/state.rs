//! What the pledges' routes keep between requests: the campaigns in memory, the signing batch
//! (PostgreSQL) and the limits of public signing.

use chrono::TimeDelta;

use crate::infra::config::Config;
use crate::infra::db::{Backend, Pool};
use crate::infra::ratelimit::{Limit, SharedLimit};
use crate::pledges::batch::SignBatcher;
use crate::pledges::listen::Listener;
use crate::pledges::service::CampaignCache;
use std::sync::Arc;

pub struct PledgesState {
    pub campaigns: Arc<CampaignCache>,
    /// Hears the campaign changes other instances announce (PostgreSQL; `None` on SQLite).
    _listener: Option<Listener>,
    /// Group commit of new signings (PostgreSQL; `None` on SQLite).
    pub batch: Option<SignBatcher>,
    /// Public signings per client address per hour, and per campaign per hour. Counted in each
    /// instance's memory even on PostgreSQL: counted in the database they cut the signing peak
    /// from about 13,000/s to 3,000/s (`./dev bench limits`, BENCHMARKS.md), so a fleet of N
    /// instances gives an address N times these budgets until they can be counted cheaply.
    pub signings_ip: Limit,
    pub signings_campaign: SharedLimit,
    /// Signings per campaign and address in 10 minutes, past which they are flagged `burst`.
    pub bursts: Limit,
}

impl PledgesState {
    pub fn new(config: &Config, pool: &Pool) -> Self {
        let campaigns = Arc::new(CampaignCache::default());
        let postgres = Backend::of_url(&config.database_url) == Backend::Postgres;
        Self {
            _listener: postgres
                .then(|| Listener::start(config.database_url.clone(), campaigns.clone())),
            campaigns,
            batch: (Backend::of_url(&config.database_url) == Backend::Postgres)
                .then(|| SignBatcher::start(pool.clone())),
            signings_ip: Limit::new(
                None,
                "signings_ip",
                config.signings_per_ip_per_hour,
                TimeDelta::hours(1),
            ),
            signings_campaign: SharedLimit::new(
                None,
                "signings_campaign",
                config.signings_per_campaign_per_hour,
                config.signings_per_ip_per_hour,
                TimeDelta::hours(1),
            ),
            bursts: Limit::new(None, "signing_bursts", u32::MAX, TimeDelta::minutes(10)),
        }
    }
}
