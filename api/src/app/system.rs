//! Liveness, readiness, metrics and the API description.

use actix_web::web::{Data, Json};
use actix_web::{HttpRequest, HttpResponse, get};
use bvantq_shared::api::Health;
use bvantq_shared::error::Problem;
use diesel::connection::SimpleConnection;

use crate::app::state::Site;
use crate::infra::core::Core;
use crate::infra::error::ApiError;

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
pub async fn readyz(state: Data<Core>) -> Result<Json<Health>, ApiError> {
    let backend = state
        .db(|conn| {
            conn.batch_execute("SELECT 1")?;
            Ok(crate::infra::db::backend(conn))
        })
        .await?;
    Ok(Json(Health {
        status: "ready".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        database: Some(format!("{backend:?}").to_lowercase()),
    }))
}

/// Prometheus metrics (text exposition format), for the operator only: on the address of
/// `BVANTQ_METRICS_BIND`, or with `Authorization: Bearer` and `BVANTQ_METRICS_TOKEN`. Where a
/// token is configured, a request without it (or with another) is a 401; a server with no token
/// serves no metrics on its main address (404).
#[utoipa::path(tag = "system", security(("bearer" = [])), responses((status = 200, content_type = "text/plain", body = String), (status = 401, body = Problem), (status = 404, body = Problem)))]
#[get("/metrics")]
pub async fn metrics(
    state: Data<Core>,
    site: Data<Site>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let on_metrics_listener = site
        .metrics_addr
        .get()
        .is_some_and(|a| *a == req.app_config().local_addr());
    let token_ok = state.config.metrics_token.as_deref().is_some_and(|want| {
        use subtle::ConstantTimeEq;
        let given = req
            .headers()
            .get(actix_web::http::header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .unwrap_or("");
        given.len() == want.len() && bool::from(given.as_bytes().ct_eq(want.as_bytes()))
    });
    if !on_metrics_listener && !token_ok {
        return Err(match state.config.metrics_token {
            Some(_) => ApiError::Unauthorized("invalid_token"),
            None => ApiError::NotFound,
        });
    }
    let mut body = site.metrics.render(&state.pool, state.now());
    if let Some(r) = &state.replica {
        body.push_str(&r.render());
    }
    Ok(HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body))
}
