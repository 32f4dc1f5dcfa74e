//! Liveness, readiness, metrics and the API description.

use actix_web::web::{Data, Json};
use actix_web::{HttpResponse, get};
use bvantq_shared::api::Health;
use bvantq_shared::error::Problem;
use diesel::connection::SimpleConnection;

use crate::error::ApiError;
use crate::state::AppState;

/// The process is up.
#[utoipa::path(tag = "system", responses((status = 200, body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: None,
    })
}

/// The process can serve: its database answers.
#[utoipa::path(tag = "system", responses((status = 200, body = Health), (status = 503, body = Problem)))]
#[get("/readyz")]
pub async fn readyz(state: Data<AppState>) -> Result<Json<Health>, ApiError> {
    let backend = state
        .db(|conn| {
            conn.batch_execute("SELECT 1")?;
            Ok(crate::db::backend(conn))
        })
        .await?;
    Ok(Json(Health {
        status: "ready".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: Some(format!("{backend:?}").to_lowercase()),
    }))
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(tag = "system", responses((status = 200, content_type = "text/plain", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(state.metrics.render(&state.pool))
}
