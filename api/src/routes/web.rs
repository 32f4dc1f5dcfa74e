//! Pages for people: the web form (single-page app), its assets, and the API docs page.

use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get};

use crate::error::ApiError;
use crate::state::AppState;
use crate::static_files::respond;

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(tag = "system", responses((status = 200, content_type = "application/json", body = Object)))]
#[get("/openapi.json")]
pub async fn openapi_json(state: Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(state.openapi_json.clone())
}

const DOCS_HTML: &str = include_str!("docs.html");

/// A readable page of the API, rendered in the browser from `openapi.json` (no CDN needed).
pub async fn docs() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(DOCS_HTML)
}

const NOT_BUILT: &str = "<!doctype html><html lang=vi><meta charset=utf-8><title>bvantq</title>\
<h1>bvantq</h1><p>Biểu mẫu web chưa được build: chạy <code>./dev build-web</code>.</p>\
<p>The web form is not built: run <code>./dev build-web</code>. API: <a href=/api/docs>/api/docs</a></p></html>";

/// The single-page app: every page route gets `index.html`, which must never be cached (it names
/// the hashed assets of the current build).
pub async fn index(req: HttpRequest, state: Data<AppState>) -> HttpResponse {
    match &state.assets.index {
        Some(a) => respond(&req, a, "no-cache"),
        None => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT),
    }
}

/// A content-hashed asset (`/assets/{name}`): cached for a year, never revalidated.
pub async fn asset(
    req: HttpRequest,
    state: Data<AppState>,
    name: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let a = state
        .assets
        .files
        .get(name.as_str())
        .ok_or(ApiError::NotFound)?;
    Ok(respond(&req, a, "public, max-age=31536000, immutable"))
}
