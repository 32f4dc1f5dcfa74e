//! bvantq API server: routes, authentication, the database layer on SQLite and PostgreSQL, and
//! the command-line tools around them.

pub mod assessing;
pub mod auth;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod dashboard;
pub mod db;
pub mod error;
pub mod export;
pub mod idempotent;
pub mod images;
pub mod jobs;
pub mod metrics;
pub mod pledging;
pub mod ratelimit;
pub mod request;
pub mod routes;
pub mod sealing;
pub mod seed;
pub mod server;
pub mod sign_batch;
pub mod state;
pub mod static_files;
pub mod telemetry;
pub mod templates;
pub mod tips;
pub mod unit_tree;

use std::net::TcpListener;

use config::Config;
use state::AppState;

/// Opens the database, applies migrations, checks the stored values are under the configured
/// keys and builds the shared state.
pub fn prepare(config: Config) -> Result<AppState, db::SetupError> {
    let pool = db::pool(&config.database_url, None)?;
    let mut conn = pool.get()?;
    let applied = db::migrate(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrated");
    }
    db::keys::check_cccd(&mut conn, &config.cccd, config.clock.now())
        .map_err(|e| db::SetupError::Keys(e.to_string()))?;
    drop(conn);
    AppState::new(config, pool)
}

/// Migrates and starts serving on `listener`.
pub fn start(listener: TcpListener, config: Config) -> std::io::Result<actix_web::dev::Server> {
    let state = prepare(config).map_err(std::io::Error::other)?;
    server::run(listener, state)
}
