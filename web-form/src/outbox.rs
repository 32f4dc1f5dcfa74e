//! Pledges that could not be sent (offline, server down), kept on the phone with their
//! idempotency key and sent again when the page opens or the network returns. The server answers
//! a repeated key with the first receipt, so a pledge arrives exactly once.

use bvantq_shared::pledge::SignRequest;
use serde::{Deserialize, Serialize};

const KEY: &str = "bvantq.outbox.pledges";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub campaign: String,
    pub idempotency_key: String,
    pub body: SignRequest,
    /// Kept without its CCCD number (the form is embedded in another site's page, whose storage
    /// that site's scripts can read): it waits for the person to type the number again.
    #[serde(default)]
    pub needs_citizen_id: bool,
}

/// The form runs inside another site's page (`/embed.js` set `data-api`): what it keeps on the
/// phone lives in that site's storage.
pub fn embedded() -> bool {
    !crate::request::api_base().is_empty()
}

use crate::form::storage;

/// Where a whole outbox that could not be read is moved, once, so no later write replaces it.
const UNREADABLE_KEY: &str = "bvantq.outbox.pledges.unreadable";

/// What the phone holds: the pledges this version reads, and entries it cannot read (written
/// by another version of the form), which are kept as they are — never dropped by a later write.
/// Each entry is read from its own JSON text (`crate::json::entries`), and one this version
/// cannot read is written back as that text.
struct Stored {
    items: Vec<Pending>,
    others: Vec<String>,
}

fn read() -> Stored {
    let mut out = Stored {
        items: Vec::new(),
        others: Vec::new(),
    };
    let Some(s) = storage() else { return out };
    let Ok(Some(text)) = s.get_item(KEY) else {
        return out;
    };
    match crate::json::entries(&text) {
        Some(entries) => {
            for v in entries {
                match crate::json::parse::<Pending>(&v) {
                    Some(p) => out.items.push(p),
                    None => out.others.push(v),
                }
            }
        }
        // Not even a list: set aside whole (the first time only), so it is not overwritten.
        None => {
            if matches!(s.get_item(UNREADABLE_KEY), Ok(None)) {
                let _ = s.set_item(UNREADABLE_KEY, &text);
            }
            let _ = s.remove_item(KEY);
        }
    }
    out
}

/// Writes the outbox back; false when the phone would not keep it (no storage, storage full).
fn save(stored: &Stored) -> bool {
    let Some(s) = storage() else { return false };
    if stored.items.is_empty() && stored.others.is_empty() {
        return s.remove_item(KEY).is_ok();
    }
    let mut all: Vec<String> = stored.others.clone();
    for p in &stored.items {
        match crate::json::stringify(p) {
            Some(v) => all.push(v),
            None => return false,
        }
    }
    s.set_item(KEY, &format!("[{}]", all.join(","))).is_ok()
}

pub fn load() -> Vec<Pending> {
    read().items
}

/// Keeps `p` on the phone; embedded in another site, without its CCCD number. False when the
/// phone would not keep it: the person must be told it was not saved.
#[must_use]
pub fn push(mut p: Pending) -> bool {
    if embedded() && p.body.citizen_id.is_some() {
        p.body.citizen_id = None;
        p.needs_citizen_id = true;
    }
    let mut stored = read();
    if !stored
        .items
        .iter()
        .any(|i| i.idempotency_key == p.idempotency_key)
    {
        hand_to_worker(&p);
        stored.items.push(p);
    }
    save(&stored)
}

pub fn remove(idempotency_key: &str) {
    let mut stored = read();
    stored
        .items
        .retain(|i| i.idempotency_key != idempotency_key);
    save(&stored);
    to_worker(&[("type", "forget"), ("key", idempotency_key)]);
}

/// Posts a message to this site's service worker (`web-form/static/sw.js`), if one controls the
/// page. Never from a form embedded in another site: a worker there is that site's.
fn to_worker(fields: &[(&str, &str)]) {
    if embedded() {
        return;
    }
    let Some(worker) = web_sys::window().and_then(|w| w.navigator().service_worker().controller())
    else {
        return;
    };
    let m = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&m, &(*k).into(), &(*v).into());
    }
    let _ = worker.post_message(&m);
}

/// The worker keeps a copy of a pledge that could not be sent and sends it with Background Sync,
/// even after the page is closed; under the same key, so it arrives once whoever sends it first.
fn hand_to_worker(p: &Pending) {
    if p.needs_citizen_id {
        return;
    }
    let Some(body) = crate::json::stringify(&p.body) else {
        return;
    };
    let url = format!("/api/v1/campaigns/{}/pledges", p.campaign);
    to_worker(&[
        ("type", "keep"),
        ("url", &url),
        ("key", &p.idempotency_key),
        ("body", &body),
    ]);
}

/// A fresh idempotency key (unique, not secret).
pub fn new_key() -> String {
    let now = js_sys::Date::now() as u64;
    let r1 = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    let r2 = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    format!("pl-{now:x}-{r1:x}{r2:x}")
}

/// How often a kept item is tried again while the page stays open: the phone's `online` event
/// only tells when its own connection returns, not when a server comes back.
const RETRY_EVERY_MS: i32 = 15_000;

/// While `active` (something is kept on the phone), calls `retry` when the phone comes back
/// online and every [`RETRY_EVERY_MS`].
#[yew::hook]
pub fn use_retry(active: bool, retry: impl Fn() + 'static) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    yew::use_effect_with(active, move |active| {
        let mut stop: Option<Box<dyn FnOnce()>> = None;
        if let (true, Some(w)) = (*active, web_sys::window()) {
            // The worker is told too: it sends what it holds (the same pledges, the same keys).
            let cb = Closure::<dyn FnMut()>::new(move || {
                retry();
                to_worker(&[("type", "flush")]);
            });
            let f: &js_sys::Function = cb.as_ref().unchecked_ref();
            let _ = w.add_event_listener_with_callback("online", f);
            let timer = w
                .set_interval_with_callback_and_timeout_and_arguments_0(f, RETRY_EVERY_MS)
                .ok();
            stop = Some(Box::new(move || {
                let f: &js_sys::Function = cb.as_ref().unchecked_ref();
                let _ = w.remove_event_listener_with_callback("online", f);
                if let Some(t) = timer {
                    w.clear_interval_with_handle(t);
                }
                drop(cb);
            }));
        }
        move || {
            if let Some(stop) = stop {
                stop();
            }
        }
    });
}
