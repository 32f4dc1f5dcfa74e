//! What the pledges' routes keep between requests: the campaigns in memory, the signing batch
//! (PostgreSQL) and the limits of public signing.

use chrono::TimeDelta;

use crate::infra::config::Config;
use crate::infra::db::{Backend, Pool};
use crate::infra::ratelimit::{RateLimiter, SharedLimiter};
use crate::pledges::batch::SignBatcher;
use crate::pledges::service::CampaignCache;

pub struct PledgesState {
    pub campaigns: CampaignCache,
    /// Group commit of new signings (PostgreSQL; `None` on SQLite).
    pub batch: Option<SignBatcher>,
    /// Public signings per client address per hour, and per campaign per hour.
    pub signings_ip: RateLimiter,
    pub signings_campaign: SharedLimiter,
    /// Signings per campaign and address in 10 minutes, past which they are flagged `burst`.
    pub bursts: RateLimiter,
}

impl PledgesState {
    pub fn new(config: &Config, pool: &Pool) -> Self {
        Self {
            campaigns: CampaignCache::default(),
            batch: (Backend::of_url(&config.database_url) == Backend::Postgres)
                .then(|| SignBatcher::start(pool.clone())),
            signings_ip: RateLimiter::new(config.signings_per_ip_per_hour, TimeDelta::hours(1)),
            signings_campaign: SharedLimiter::new(
                config.signings_per_campaign_per_hour,
                config.signings_per_ip_per_hour,
                TimeDelta::hours(1),
            ),
            bursts: RateLimiter::new(u32::MAX, TimeDelta::minutes(10)),
        }
    }
}
