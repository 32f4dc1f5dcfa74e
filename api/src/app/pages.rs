//! Pages for people: the web form (single-page app), its assets, and the API docs page.

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{Data, Path};
use actix_web::{HttpRequest, HttpResponse, get};

use crate::app::state::Site;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::static_files::respond;

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(tag = "system", responses((status = 200, content_type = "application/json", body = Object)))]
#[get("/openapi.json")]
pub async fn openapi_json(site: Data<Site>) -> Result<HttpResponse, ApiError> {
    let doc = site
        .openapi_json
        .get()
        .ok_or_else(|| ApiError::internal("the OpenAPI document was not built"))?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.clone()))
}

/// Text made safe to put in HTML, in an element or a quoted attribute.
pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
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
/// the hashed assets of the current build). Never framed by another site, with a strict
/// Content-Security-Policy (another site embeds the form through `/embed.js`, not a frame).
pub async fn index(req: HttpRequest, state: Data<Site>) -> HttpResponse {
    let mut r = match &state.assets.index {
        Some(a) => respond(&req, a, "no-cache"),
        None => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT),
    };
    protect_page(
        &mut r,
        state
            .assets
            .index
            .is_some()
            .then_some(&state.assets.index_csp),
    );
    r
}

/// A page of ours: not framed elsewhere, no referrer leaves it, and its CSP.
pub(crate) fn protect_page(r: &mut HttpResponse, csp: Option<&String>) {
    let h = r.headers_mut();
    h.remove(header::ACCESS_CONTROL_ALLOW_ORIGIN);
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        csp.and_then(|c| HeaderValue::from_str(c).ok())
            .unwrap_or_else(|| HeaderValue::from_static("frame-ancestors 'none'")),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
}

/// `/console`: the officer console (its own wasm, so the citizen form's download stays small).
/// Never cached, never framed by another site (a framed sign-in page invites clickjacking), no
/// referrer leaves it, and a strict Content-Security-Policy (see `static_files::console_csp`).
pub async fn console(req: HttpRequest, state: Data<Site>) -> HttpResponse {
    let mut r = match &state.assets.console {
        Some(a) => respond(&req, a, "no-cache"),
        None => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(NOT_BUILT),
    };
    protect_page(
        &mut r,
        state
            .assets
            .console
            .is_some()
            .then_some(&state.assets.console_csp),
    );
    r
}

/// A content-hashed asset (`/assets/{name}`): cached for a year, never revalidated.
pub async fn asset(
    req: HttpRequest,
    state: Data<Site>,
    name: Path<String>,
) -> Result<HttpResponse, ApiError> {
    let a = state
        .assets
        .files
        .get(name.as_str())
        .ok_or(ApiError::NotFound)?;
    Ok(respond(&req, a, "public, max-age=31536000, immutable"))
}

/// `/embed.js`: the loader a school's or ward's own page includes to show one campaign's form.
pub async fn embed_js(req: HttpRequest, state: Data<Site>) -> Result<HttpResponse, ApiError> {
    let a = state.assets.embed.as_ref().ok_or(ApiError::NotFound)?;
    Ok(respond(&req, a, "public, max-age=300"))
}

/// `/sw.js`: the citizen form's service worker (`web-form/static/sw.js`). Revalidated on every
/// visit: it names the current build's assets, and a new build must reach phones at once.
pub async fn service_worker(req: HttpRequest, state: Data<Site>) -> Result<HttpResponse, ApiError> {
    let a = state
        .assets
        .service_worker
        .as_ref()
        .ok_or(ApiError::NotFound)?;
    Ok(respond(&req, a, "no-cache"))
}

/// `/manifest.webmanifest`: what makes the citizen form installable on a phone's home screen.
pub async fn manifest(req: HttpRequest, state: Data<Site>) -> Result<HttpResponse, ApiError> {
    let a = state.assets.manifest.as_ref().ok_or(ApiError::NotFound)?;
    Ok(respond(&req, a, "public, max-age=300"))
}

/// `/embed-demo?campaign=CODE`: a stand-in for another site's page, embedding one campaign's
/// form with one element and one script tag — the two lines to copy are shown on the page. The
/// script's address is the configured public one; everything reflected is escaped.
pub async fn embed_demo(req: HttpRequest, state: Data<Core>) -> HttpResponse {
    let code: String = req
        .query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("campaign="))
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect::<String>()
        .to_ascii_uppercase();
    let src = html_escape(&format!("{}/embed.js", state.config.public_url));
    let code = html_escape(&code);
    let snippet = format!(
        "<div id=\"bvantq-app\" data-campaign=\"{code}\"></div>\n<script type=\"module\" src=\"{src}\"></script>"
    );
    let shown = html_escape(&snippet);
    let page = format!(
        "<!doctype html><html lang=vi><head><meta charset=utf-8>\
<meta name=viewport content=\"width=device-width, initial-scale=1\">\
<title>Trang của trường (ví dụ) — embedded bvantq form</title></head><body>\
<header style=\"padding:1rem;background:#234;color:#fff\"><strong>Trường THCS (ví dụ) — a school's own site</strong></header>\
<p style=\"padding:0 1rem\">Đợt cam kết của trường, nhúng bằng hai dòng sau / the campaign, embedded with these two lines:</p>\
<pre style=\"margin:0 1rem;white-space:pre-wrap;background:#f3f3f3;padding:.5rem\">{shown}</pre>\
{snippet}</body></html>"
    );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(page)
}
