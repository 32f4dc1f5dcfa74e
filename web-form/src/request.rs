//! One typed request helper: JSON on success, the server's problem+json on failure.

use std::sync::OnceLock;

use bvantq_shared::Problem;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

static API_BASE: OnceLock<String> = OnceLock::new();

/// Where the API is: the host element's `data-api` (set by `/embed.js` when the form is embedded
/// in another site's page), else this page's own server.
pub fn api_base() -> &'static str {
    API_BASE.get_or_init(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("bvantq-app"))
            .and_then(|el| el.get_attribute("data-api"))
            .map(|s| s.trim_end_matches('/').to_string())
            .unwrap_or_default()
    })
}

fn full(url: &str) -> String {
    format!("{}{url}", api_base())
}

#[derive(Debug, Clone, PartialEq)]
pub enum RequestError {
    /// The server answered with a problem.
    Problem(Box<Problem>),
    /// No answer (offline, server down) or an unreadable one.
    Network(String),
}

impl RequestError {
    /// The server refused the request for good: sending it again would not help (unlike no
    /// answer, a server error or a rate limit).
    pub fn is_final(&self) -> bool {
        matches!(self, RequestError::Problem(p) if refused_for_good(p))
    }
}

pub fn refused_for_good(p: &Problem) -> bool {
    p.status < 500 && p.status != 429
}

pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, RequestError> {
    answered(fetch("GET", url, &[], None).await?).await
}

/// POSTs JSON with an `Idempotency-Key`. A 5xx answer counts as no answer: the caller may keep
/// the request and send it again with the same key.
pub async fn post_json<B: serde::Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    idempotency_key: &str,
) -> Result<T, RequestError> {
    let body = crate::json::stringify(body)
        .ok_or_else(|| RequestError::Network("the body could not be written".into()))?;
    let headers = [
        ("Idempotency-Key", idempotency_key),
        ("Content-Type", "application/json"),
    ];
    let resp = fetch("POST", url, &headers, Some(&body)).await?;
    if resp.status() >= 500 {
        return Err(RequestError::Network(format!("HTTP {}", resp.status())));
    }
    answered(resp).await
}

/// A success's body as a `T`, anything else as the server's problem.
async fn answered<T: DeserializeOwned>(resp: Response) -> Result<T, RequestError> {
    if resp.ok() {
        read::<T>(resp).await
    } else {
        Err(RequestError::Problem(Box::new(
            read::<Problem>(resp).await?,
        )))
    }
}

/// One request through the browser's `fetch` (its defaults: CORS, cookies only to this page's
/// own server); `Network` when no answer came.
async fn fetch(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Response, RequestError> {
    let window = web_sys::window().ok_or_else(|| RequestError::Network("no window".into()))?;
    let init = RequestInit::new();
    init.set_method(method);
    let sent = Headers::new().map_err(no_answer)?;
    for (name, value) in headers {
        sent.set(name, value).map_err(no_answer)?;
    }
    init.set_headers(&sent);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    let answer = JsFuture::from(window.fetch_with_str_and_init(&full(url), &init))
        .await
        .map_err(no_answer)?;
    answer.dyn_into::<Response>().map_err(no_answer)
}

/// A JSON answer's body as a `T`; one that does not arrive whole or is not a `T` is no answer.
async fn read<T: DeserializeOwned>(resp: Response) -> Result<T, RequestError> {
    let text = JsFuture::from(resp.text().map_err(no_answer)?)
        .await
        .map_err(no_answer)?
        .as_string()
        .ok_or_else(|| RequestError::Network("an answer without text".into()))?;
    crate::json::parse(&text).ok_or_else(|| RequestError::Network("unreadable answer".into()))
}

/// What the browser said when a request got no answer (offline, refused, blocked).
fn no_answer(e: JsValue) -> RequestError {
    RequestError::Network(match e.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => "no answer".into(),
    })
}
