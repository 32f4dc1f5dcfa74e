//! What the accounts' routes keep between requests: the login limits and the hash an unknown
//! username's password is checked against.

use chrono::TimeDelta;

use crate::infra::config::Config;
use crate::infra::ratelimit::{Limit, fleet};

pub struct AccountsState {
    /// Login attempts per client address per minute.
    pub login_per_ip: Limit,
    /// Failed logins (and own-password checks) per account per 15 minutes.
    pub login_failures: Limit,
    /// A hash of a random password at the server's cost (see `routes::session::login`).
    pub dummy_password_hash: String,
}

impl AccountsState {
    pub fn new(config: &Config, fleet: Option<&fleet::Store>) -> Result<Self, String> {
        Ok(Self {
            login_per_ip: Limit::new(
                fleet,
                "login_ip",
                config.login_per_ip_per_minute,
                TimeDelta::minutes(1),
            ),
            login_failures: Limit::new(
                fleet,
                "login_failures",
                config.login_failures_per_account,
                TimeDelta::minutes(15),
            ),
            dummy_password_hash: crate::auth::password::dummy_hash(config.argon2)?,
        })
    }
}
