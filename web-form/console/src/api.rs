//! The officer's session and authorised requests.
//!
//! The access token (≤ 15 min) and the single-use refresh token live in this tab's
//! `sessionStorage`: a reload keeps the officer signed in, closing the tab ends it, and no other
//! tab or later visitor of a shared desk computer finds them. A request answered 401 refreshes
//! once and is sent again; refreshes never overlap, because the server treats a second use of one
//! refresh token as theft and revokes the whole family.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use bvantq_shared::Problem;
use bvantq_shared::api::{LoginRequest, Me, RefreshRequest, TokenResponse};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use web_form::request::RequestError;

const STORAGE_KEY: &str = "bvantq.console.session";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub access_token: String,
    pub refresh_token: String,
    pub user: Me,
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

impl Session {
    pub fn load() -> Option<Session> {
        let raw = storage()?.get_item(STORAGE_KEY).ok().flatten()?;
        serde_json::from_str(&raw).ok()
    }

    fn store(&self) {
        if let (Some(s), Ok(raw)) = (storage(), serde_json::to_string(self)) {
            let _ = s.set_item(STORAGE_KEY, &raw);
        }
    }

    fn clear() {
        if let Some(s) = storage() {
            let _ = s.remove_item(STORAGE_KEY);
        }
    }
}

/// The signed-in officer, shared by every view. `on_expired` takes the console back to the
/// sign-in page when the session cannot be renewed.
pub struct Auth {
    session: RefCell<Option<Session>>,
    refreshing: Cell<bool>,
    on_expired: yew::Callback<()>,
}

/// Cheap to clone; equal when it is the same session holder.
#[derive(Clone)]
pub struct AuthHandle(pub Rc<Auth>);

impl PartialEq for AuthHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// `builder` with the officer's access token.
fn bearer(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

fn network(e: impl ToString) -> RequestError {
    RequestError::Network(e.to_string())
}

async fn read<T: DeserializeOwned>(resp: Response) -> Result<T, RequestError> {
    if resp.ok() {
        return resp.json::<T>().await.map_err(network);
    }
    match resp.json::<Problem>().await {
        Ok(p) => Err(RequestError::Problem(Box::new(p))),
        Err(_) => Err(RequestError::Network(format!("HTTP {}", resp.status()))),
    }
}

/// `POST /api/v1/auth/login`.
pub async fn login(username: &str, password: &str) -> Result<Session, RequestError> {
    let body = LoginRequest {
        username: username.to_string(),
        password: password.to_string(),
    };
    let resp = Request::post("/api/v1/auth/login")
        .json(&body)
        .map_err(network)?
        .send()
        .await
        .map_err(network)?;
    let t: TokenResponse = read(resp).await?;
    let s = Session {
        access_token: t.access_token,
        refresh_token: t.refresh_token,
        user: t.user,
    };
    s.store();
    Ok(s)
}

impl AuthHandle {
    pub fn new(session: Session, on_expired: yew::Callback<()>) -> Self {
        Self(Rc::new(Auth {
            session: RefCell::new(Some(session)),
            refreshing: Cell::new(false),
            on_expired,
        }))
    }

    pub fn me(&self) -> Option<Me> {
        self.0.session.borrow().as_ref().map(|s| s.user.clone())
    }

    fn access_token(&self) -> Option<String> {
        self.0
            .session
            .borrow()
            .as_ref()
            .map(|s| s.access_token.clone())
    }

    /// Ends the session here and on the server (the refresh token's family is revoked).
    pub async fn logout(&self) {
        let refresh = self.0.session.borrow_mut().take().map(|s| s.refresh_token);
        Session::clear();
        if let Some(refresh_token) = refresh
            && let Ok(req) =
                Request::post("/api/v1/auth/logout").json(&RefreshRequest { refresh_token })
        {
            let _ = req.send().await;
        }
    }

    /// Continues the session with tokens the server just issued (after a password change).
    pub fn replace(&self, t: TokenResponse) {
        let s = Session {
            access_token: t.access_token,
            refresh_token: t.refresh_token,
            user: t.user,
        };
        s.store();
        *self.0.session.borrow_mut() = Some(s);
    }

    fn expire(&self) {
        self.0.session.borrow_mut().take();
        Session::clear();
        self.0.on_expired.emit(());
    }

    /// Renews the tokens after a 401 on `used` (the access token that was refused). When another
    /// request is already renewing them, waits for it instead of spending the refresh token twice.
    async fn renew(&self, used: &str) -> bool {
        while self.0.refreshing.get() {
            yew::platform::time::sleep(Duration::from_millis(50)).await;
        }
        match self.access_token() {
            None => return false,
            Some(now) if now != used => return true,
            Some(_) => {}
        }
        let Some(refresh_token) = self
            .0
            .session
            .borrow()
            .as_ref()
            .map(|s| s.refresh_token.clone())
        else {
            return false;
        };
        self.0.refreshing.set(true);
        let out = async {
            let resp = Request::post("/api/v1/auth/refresh")
                .json(&RefreshRequest { refresh_token })
                .ok()?
                .send()
                .await
                .ok()?;
            read::<TokenResponse>(resp).await.ok()
        }
        .await;
        self.0.refreshing.set(false);
        match out {
            Some(t) => {
                let s = Session {
                    access_token: t.access_token,
                    refresh_token: t.refresh_token,
                    user: t.user,
                };
                s.store();
                *self.0.session.borrow_mut() = Some(s);
                true
            }
            None => false,
        }
    }

    /// Sends the request `build` makes, with the access token; on a 401, renews the tokens once
    /// and sends it again. A session that cannot be renewed goes back to the sign-in page.
    async fn send(
        &self,
        build: impl Fn(&str) -> Result<Request, RequestError>,
    ) -> Result<Response, RequestError> {
        for attempt in 0..2 {
            let Some(token) = self.access_token() else {
                self.expire();
                return Err(RequestError::Network("signed out".into()));
            };
            let resp = build(&token)?.send().await.map_err(network)?;
            if resp.status() != 401 {
                return Ok(resp);
            }
            if attempt == 1 || !self.renew(&token).await {
                self.expire();
                return Err(RequestError::Network("session expired".into()));
            }
        }
        Err(RequestError::Network("session expired".into()))
    }

    pub async fn get<T: DeserializeOwned>(&self, url: &str) -> Result<T, RequestError> {
        let resp = self
            .send(|token| bearer(Request::get(url), token).build().map_err(network))
            .await?;
        read(resp).await
    }

    /// Reads a stream of server-sent events at `url`, handing each event's `data` to `on_data`,
    /// until the server ends it (then `Ok`) or the connection fails.
    pub async fn stream(
        &self,
        url: &str,
        on_data: &mut dyn FnMut(&str),
    ) -> Result<(), RequestError> {
        use wasm_bindgen::JsCast;
        let resp = self
            .send(|token| {
                bearer(Request::get(url), token)
                    .header("Accept", "text/event-stream")
                    .build()
                    .map_err(network)
            })
            .await?;
        if !resp.ok() {
            return Err(RequestError::Network(format!("HTTP {}", resp.status())));
        }
        let Some(body) = resp.body() else {
            return Err(RequestError::Network("no body".into()));
        };
        let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
        let mut bytes: Vec<u8> = Vec::new();
        loop {
            let chunk = wasm_bindgen_futures::JsFuture::from(reader.read())
                .await
                .map_err(|e| network(format!("{e:?}")))?;
            let field = |name: &str| js_sys::Reflect::get(&chunk, &name.into());
            match field("done").map(|d| d.as_bool()) {
                Ok(Some(false)) => {}
                Ok(Some(true)) => return Ok(()),
                _ => return Err(network("unreadable stream chunk")),
            }
            let value = field("value").map_err(|e| network(format!("{e:?}")))?;
            bytes.extend(js_sys::Uint8Array::new(&value).to_vec());
            // Events end with a blank line; a chunk may hold several, or part of one.
            while let Some(end) = bytes.windows(2).position(|w| w == b"\n\n") {
                let event: Vec<u8> = bytes.drain(..end + 2).collect();
                let text = String::from_utf8_lossy(&event);
                for data in text.lines().filter_map(|l| l.strip_prefix("data: ")) {
                    on_data(data);
                }
            }
        }
    }

    /// The bytes of a file (a tip's photo).
    pub async fn get_bytes(&self, url: &str) -> Result<Vec<u8>, RequestError> {
        let resp = self
            .send(|token| bearer(Request::get(url), token).build().map_err(network))
            .await?;
        if resp.ok() {
            resp.binary().await.map_err(network)
        } else {
            Err(match resp.json::<Problem>().await {
                Ok(p) => RequestError::Problem(Box::new(p)),
                Err(_) => RequestError::Network(format!("HTTP {}", resp.status())),
            })
        }
    }

    /// POSTs JSON with a fresh `Idempotency-Key` (the same for the retry after a renewal).
    pub async fn post<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
    ) -> Result<T, RequestError> {
        let key = web_form::outbox::new_key();
        let resp = self
            .send(|token| {
                bearer(Request::post(url), token)
                    .header("Idempotency-Key", &key)
                    .json(body)
                    .map_err(network)
            })
            .await?;
        read(resp).await
    }

    /// PUTs JSON (the same request after a renewal).
    pub async fn put<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
    ) -> Result<T, RequestError> {
        let resp = self
            .send(|token| bearer(Request::put(url), token).json(body).map_err(network))
            .await?;
        read(resp).await
    }

    /// PUTs JSON to a route that answers 204 No Content.
    pub async fn put_empty<B: Serialize>(&self, url: &str, body: &B) -> Result<(), RequestError> {
        let resp = self
            .send(|token| bearer(Request::put(url), token).json(body).map_err(network))
            .await?;
        if resp.ok() {
            return Ok(());
        }
        match resp.json::<Problem>().await {
            Ok(p) => Err(RequestError::Problem(Box::new(p))),
            Err(_) => Err(RequestError::Network(format!("HTTP {}", resp.status()))),
        }
    }

    /// POSTs a file's bytes as they are (an evidence file), with a fresh `Idempotency-Key`.
    pub async fn post_bytes<T: DeserializeOwned>(
        &self,
        url: &str,
        bytes: &[u8],
    ) -> Result<T, RequestError> {
        let key = web_form::outbox::new_key();
        let resp = self
            .send(|token| {
                bearer(Request::post(url), token)
                    .header("Idempotency-Key", &key)
                    .header("Content-Type", "application/octet-stream")
                    .body(js_sys::Uint8Array::from(bytes))
                    .map_err(network)
            })
            .await?;
        read(resp).await
    }

    /// POSTs a CSV file. A roster's report comes back whether it was written (201) or refused
    /// row by row (422), so both are answers here: `(status, report)`.
    pub async fn post_csv<T: DeserializeOwned>(
        &self,
        url: &str,
        text: &str,
    ) -> Result<(u16, T), RequestError> {
        let resp = self
            .send(|token| {
                bearer(Request::post(url), token)
                    .header("Content-Type", "text/csv; charset=utf-8")
                    .body(text)
                    .map_err(network)
            })
            .await?;
        let status = resp.status();
        let raw = resp.text().await.map_err(network)?;
        if let Ok(report) = serde_json::from_str::<T>(&raw)
            && (resp_ok(status) || status == 422)
        {
            return Ok((status, report));
        }
        match serde_json::from_str::<Problem>(&raw) {
            Ok(p) => Err(RequestError::Problem(Box::new(p))),
            Err(_) => Err(RequestError::Network(format!("HTTP {status}"))),
        }
    }
}

fn resp_ok(status: u16) -> bool {
    (200..300).contains(&status)
}
