//! Accounts of officers and administrators: login, sessions (rotating refresh tokens), one's own
//! password, and the accounts a manager sets up, locks and resets.

pub mod routes;
pub mod service;
pub mod sessions;
pub mod state;
pub mod store;
