//! bvantq API server: routes, authentication, the database layer on SQLite and PostgreSQL, and
//! the command-line tools around them.

// Layers, bottom up (ARCHITECTURE.md): `infra` (no feature), `auth`, then the features, each
// `routes` → `service` → `store`, then `app`, which composes them. A test
// (`tests/tests/architecture.rs`) keeps the files free of import cycles.
pub mod infra;

pub mod auth;

pub mod accounts;
pub mod assessments;
pub mod plans;
pub mod pledges;
pub mod records;
pub mod tips;
pub mod units;

pub mod app;

use std::net::TcpListener;

use app::state::AppState;
use infra::config::Config;
use infra::db;

/// Opens the database, applies migrations, checks the stored values are under the configured
/// keys and builds the shared state.
pub fn prepare(config: Config) -> Result<AppState, db::SetupError> {
    let pool = db::pool(&config.database_url, None)?;
    let mut conn = pool.get()?;
    let applied = db::migrate(&mut conn)?;
    if applied > 0 {
        tracing::info!(applied, "database migrated");
    }
    db::key_state::check_cccd(&mut conn, &config.cccd, config.clock.now())
        .map_err(|e| db::SetupError::Keys(e.to_string()))?;
    // The seed plans, as published history (once; a province's own plans are its own).
    plans::versions::import_seed(&mut conn, config.clock.now())
        .map_err(|e| db::SetupError::Migrate(format!("seed plans: {e}")))?;
    drop(conn);
    AppState::new(config, pool)
}

/// Migrates and starts serving on `listener`.
pub fn start(listener: TcpListener, config: Config) -> std::io::Result<actix_web::dev::Server> {
    let state = prepare(config).map_err(std::io::Error::other)?;
    app::server::run(listener, state)
}
