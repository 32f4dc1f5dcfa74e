//! What the tips' routes keep between requests: the limits a reporter's requests go through.

use chrono::TimeDelta;

use crate::infra::config::Config;
use crate::infra::ratelimit::{ByteBudget, Limit, SharedLimit, fleet};

pub struct TipsState {
    /// Wrong receipt codes per client address (10-minute window).
    pub failures_ip: Limit,
    /// Wrong receipt codes from everyone (1 minute), no one address able to use it up.
    pub failures_global: SharedLimit,
    /// Tips and reporter messages per client address per hour.
    pub submissions_ip: Limit,
    /// Photo bytes per hour, all reporters and per commune (each instance its own: a budget of
    /// the server's work, not a client's).
    pub photo_budget: ByteBudget,
}

impl TipsState {
    pub fn new(config: &Config, fleet: Option<&fleet::Store>) -> Self {
        Self {
            failures_ip: Limit::new(
                fleet,
                "tip_failures_ip",
                config.tip_failures_per_ip,
                TimeDelta::minutes(10),
            ),
            failures_global: SharedLimit::new(
                fleet,
                "tip_failures_global",
                config.tip_failures_global,
                config.tip_failures_per_ip,
                TimeDelta::minutes(1),
            ),
            submissions_ip: Limit::new(
                fleet,
                "tip_submissions_ip",
                config.tips_per_ip_per_hour,
                TimeDelta::hours(1),
            ),
            photo_budget: ByteBudget::new(
                config.photo_bytes_per_hour,
                config.photo_bytes_per_commune_per_hour,
                TimeDelta::hours(1),
            ),
        }
    }
}
