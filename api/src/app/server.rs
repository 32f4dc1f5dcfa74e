//! Builds the actix application: middleware (request ids, logs, metrics, uniform errors, limits)
//! and routes; and runs it on a listener.

use std::net::TcpListener;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Server, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{App, HttpMessage, HttpResponse, HttpServer, web};
use bvantq_shared::error::{PROBLEM_CONTENT_TYPE, Problem};
use utoipa_actix_web::AppExt;

use crate::app::routes;
use crate::app::state::{AppState, Site};
use crate::infra::core::Core;
use utoipa::OpenApi;

/// A request's id: the caller's `X-Request-Id` when it is sane, else a new one.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

fn request_id(req: &actix_web::dev::ServiceRequest) -> String {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        .map(str::to_string)
        .unwrap_or_else(crate::infra::db::new_id)
}

/// Turns any error response that is not already problem+json (unknown route, wrong method, body
/// too large, malformed query) into one.
fn problem_for_plain_errors<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let kind = res.headers().get(header::CONTENT_TYPE);
    let is_problem =
        kind.is_some_and(|v| v.as_bytes().starts_with(PROBLEM_CONTENT_TYPE.as_bytes()));
    // A citizen page the server drew answers a refused form with the form again, as HTML.
    let is_page = kind.is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if is_problem || is_page {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status();
    let (code, vi, en) = match status.as_u16() {
        // Only unknown routes reach here: a handler's own 404 is already problem+json.
        404 => ("no_route", "Không tìm thấy.", "Not found."),
        405 => (
            "method_not_allowed",
            "Phương thức không được hỗ trợ.",
            "Method not allowed.",
        ),
        413 => (
            "payload_too_large",
            "Nội dung gửi lên quá lớn.",
            "The request body is too large.",
        ),
        415 => (
            "unsupported_media_type",
            "Kiểu nội dung không được hỗ trợ.",
            "Unsupported content type.",
        ),
        400 => ("bad_request", "Yêu cầu không hợp lệ.", "Bad request."),
        s if s >= 500 => (
            "internal_error",
            "Đã xảy ra lỗi hệ thống.",
            "Something went wrong on our side.",
        ),
        _ => ("error", "Yêu cầu không thành công.", "The request failed."),
    };
    let p = Problem::new(
        status.as_u16(),
        code,
        status.canonical_reason().unwrap_or("Error"),
        vi.into(),
        en.into(),
    );
    let (req, old) = res.into_parts();
    let mut new = HttpResponse::build(status);
    for (k, v) in old.headers() {
        if k != header::CONTENT_TYPE && k != header::CONTENT_LENGTH {
            new.append_header((k.clone(), v.clone()));
        }
    }
    let new = new.content_type(PROBLEM_CONTENT_TYPE).json(p);
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, new).map_into_right_body(),
    ))
}

/// Builds the application (called once per worker).
pub fn app(
    state: AppState,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse<BoxBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let limit = state.core.config.json_limit;
    let site = state.site.clone();
    let (app, doc) = App::new()
        .app_data(state.core.clone())
        .app_data(state.locked.clone())
        .app_data(state.accounts.clone())
        .app_data(state.tips.clone())
        .app_data(state.pledges.clone())
        .app_data(state.site.clone())
        .app_data(state.national.clone())
        .app_data(web::PayloadConfig::new(limit))
        .wrap(ErrorHandlers::new().default_handler(problem_for_plain_errors))
        .wrap(
            DefaultHeaders::new()
                .add(("X-Content-Type-Options", "nosniff"))
                .add(("Referrer-Policy", "no-referrer")),
        )
        .wrap_fn(|req, srv| {
            use actix_web::dev::Service;
            use futures_util::future::Either;
            let api = req.path().starts_with("/api/v1/");
            // Cross-origin use of the public API, for the form embedded in other sites: any
            // origin, no credentials, and only the headers a citizen's request needs — an
            // officer's `Authorization` header is not allowed, so the officer API stays
            // same-origin in browsers.
            if api && req.method() == actix_web::http::Method::OPTIONS {
                let res = req.into_response(
                    HttpResponse::NoContent()
                        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
                        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "GET, POST"))
                        .insert_header((
                            header::ACCESS_CONTROL_ALLOW_HEADERS,
                            "content-type, idempotency-key",
                        ))
                        .insert_header((header::ACCESS_CONTROL_MAX_AGE, "86400"))
                        .finish(),
                );
                return Either::Left(std::future::ready(Ok(res)));
            }
            // The metrics address serves `/metrics` and nothing else.
            let metrics_only = req
                .app_data::<web::Data<Site>>()
                .and_then(|s| s.metrics_addr.get().copied())
                .is_some_and(|a| a == req.app_config().local_addr());
            if metrics_only && req.path() != "/metrics" {
                let res = req.into_response(HttpResponse::NotFound().finish());
                return Either::Left(std::future::ready(Ok(res)));
            }
            let start = Instant::now();
            let rid = request_id(&req);
            req.extensions_mut().insert(RequestId(rid.clone()));
            let method = crate::infra::metrics::Method::of(req.method());
            let site = req.app_data::<web::Data<Site>>().cloned();
            let core = req.app_data::<web::Data<Core>>().cloned();
            let fut = srv.call(req);
            Either::Right(async move {
                let mut res = fut.await?;
                // The route pattern, never the concrete path or query: those may hold names or codes.
                let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
                let status = res.status().as_u16();
                let secs = start.elapsed().as_secs_f64();
                if let Ok(v) = HeaderValue::from_str(&rid) {
                    res.headers_mut().insert(header::HeaderName::from_static("x-request-id"), v);
                }
                let h = res.headers_mut();
                if api {
                    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
                    // Tokens and personal data are never kept by a browser's or a proxy's cache;
                    // a route that may be cached says so itself.
                    if !h.contains_key(header::CACHE_CONTROL) {
                        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                    }
                }
                let reporter = crate::tips::routes::UNLOGGED.contains(&(method.as_str(), route.as_str()));
                if let (Some(site), Some(core)) = (site, core) {
                    if core.config.public_url.starts_with("https://") {
                        h.insert(
                            header::STRICT_TRANSPORT_SECURITY,
                            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
                        );
                    }
                    // A reporter's routes leave no log line and only hourly totals in the
                    // metrics: a time finer than the tip keeps (the minute) could be matched
                    // against a proxy's or a Wi-Fi's log.
                    if reporter {
                        site.metrics.observe_reporter(method, &route, status, core.now());
                    } else {
                        site.metrics.observe(method, &route, status, secs);
                    }
                }
                if !reporter {
                    tracing::info!(request_id = %rid, method = method.as_str(), route = %route, status, ms = secs * 1000.0, "request");
                }
                Ok(res.map_into_boxed_body())
            })
        })
        .into_utoipa_app()
        .openapi(crate::app::openapi::ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::api_v1))
        .configure(routes::system)
        .split_for_parts();
    // The document the route table just built (the same in every worker): served as is.
    let doc = crate::app::openapi::finish(doc);
    let routes = web::Data::new(crate::app::methods::Routes::from_doc(&doc));
    match doc.to_json() {
        Ok(json) => {
            let _ = site.openapi_json.set(json);
        }
        Err(e) => tracing::error!(error = %e, "cannot serialise the OpenAPI document"),
    }
    app.app_data(routes)
        .route("/api/docs", web::get().to(crate::app::pages::docs))
        .route("/assets/{name}", web::get().to(crate::app::pages::asset))
        .route("/", web::get().to(crate::app::pages::index))
        .configure(crate::app::citizen::routes)
        .route("/console", web::get().to(crate::app::pages::console))
        .route("/embed.js", web::get().to(crate::app::pages::embed_js))
        .route("/sw.js", web::get().to(crate::app::pages::service_worker))
        .route(
            "/manifest.webmanifest",
            web::get().to(crate::app::pages::manifest),
        )
        .route("/embed-demo", web::get().to(crate::app::pages::embed_demo))
        .default_service(web::to(crate::app::methods::fallback))
}

/// Seconds a stopping server (SIGTERM) gives the requests in flight, signings waiting for their
/// batch among them, before it closes their connections. systemd's `TimeoutStopSec` is longer
/// (deploy/systemd/bvantq@.service).
pub const SHUTDOWN_SECS: u64 = 30;

/// Starts serving on `listener`; the returned server runs until stopped.
pub fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    run_with(listener, None, state)
}

/// As [`run`], with a second listener that answers `/metrics` without a token (for a local
/// Prometheus; see `BVANTQ_METRICS_BIND`).
pub fn run_with(
    listener: TcpListener,
    metrics: Option<TcpListener>,
    state: AppState,
) -> std::io::Result<Server> {
    let workers = state.core.config.workers;
    if let Some(m) = &metrics {
        let _ = state.site.metrics_addr.set(m.local_addr()?);
    }
    // SIGTERM: actix stops accepting (the listening sockets close, so a proxy's next connection
    // is refused and goes to another instance), lets each request in flight finish, then the
    // workers stop; the state goes last, and with it the signing batch, which writes what it
    // holds before its threads end (`pledges::batch`). SIGINT and SIGQUIT stop at once.
    let mut server = HttpServer::new(move || app(state.clone()))
        .shutdown_timeout(SHUTDOWN_SECS)
        .listen(listener)?;
    if let Some(m) = metrics {
        server = server.listen(m)?;
    }
    if let Some(w) = workers {
        server = server.workers(w);
    }
    Ok(server.run())
}
