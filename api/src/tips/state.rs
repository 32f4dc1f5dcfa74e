//! What the tips' routes keep between requests: the limits a reporter's requests go through.

use chrono::TimeDelta;

use crate::infra::config::Config;
use crate::infra::ratelimit::{ByteBudget, RateLimiter, SharedLimiter};

pub struct TipsState {
    /// Wrong receipt codes per client address (10-minute window).
    pub failures_ip: RateLimiter,
    /// Wrong receipt codes from everyone (1 minute), no one address able to use it up.
    pub failures_global: SharedLimiter,
    /// Tips and reporter messages per client address per hour.
    pub submissions_ip: RateLimiter,
    /// Photo bytes per hour, all reporters and per commune.
    pub photo_budget: ByteBudget,
}

impl TipsState {
    pub fn new(config: &Config) -> Self {
        Self {
            failures_ip: RateLimiter::new(config.tip_failures_per_ip, TimeDelta::minutes(10)),
            failures_global: SharedLimiter::new(
                config.tip_failures_global,
                config.tip_failures_per_ip,
                TimeDelta::minutes(1),
            ),
            submissions_ip: RateLimiter::new(config.tips_per_ip_per_hour, TimeDelta::hours(1)),
            photo_budget: ByteBudget::new(
                config.photo_bytes_per_hour,
                config.photo_bytes_per_commune_per_hour,
                TimeDelta::hours(1),
            ),
        }
    }
}
