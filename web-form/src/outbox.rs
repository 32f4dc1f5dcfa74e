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
}

use crate::form::storage;

pub fn load() -> Vec<Pending> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

fn save(items: &[Pending]) {
    if let Some(s) = storage() {
        if items.is_empty() {
            let _ = s.remove_item(KEY);
        } else if let Ok(t) = serde_json::to_string(items) {
            let _ = s.set_item(KEY, &t);
        }
    }
}

pub fn push(p: Pending) {
    let mut items = load();
    if !items.iter().any(|i| i.idempotency_key == p.idempotency_key) {
        items.push(p);
    }
    save(&items);
}

pub fn remove(idempotency_key: &str) {
    let mut items = load();
    items.retain(|i| i.idempotency_key != idempotency_key);
    save(&items);
}

/// A fresh idempotency key (unique, not secret).
pub fn new_key() -> String {
    let now = js_sys::Date::now() as u64;
    let r1 = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    let r2 = (js_sys::Math::random() * 9_007_199_254_740_991.0) as u64;
    format!("pl-{now:x}-{r1:x}{r2:x}")
}
