//! Pledges kept on the phone for this campaign: sent again, or waiting for their CCCD number.

use bvantq_shared::pledge::PledgeReceipt;
use yew::prelude::*;

use super::Sent;
use crate::outbox::{self, Pending};
use crate::request::post_json;

/// Sends what the outbox holds for this campaign; returns the receipt of the last one sent.
async fn flush(code: &str) -> Option<PledgeReceipt> {
    let mut last = None;
    // What was kept without its CCCD waits for the person to type it again.
    for p in outbox::load()
        .into_iter()
        .filter(|p| p.campaign == code && !p.needs_citizen_id)
    {
        let url = format!("/api/v1/campaigns/{}/pledges", p.campaign);
        match post_json::<_, PledgeReceipt>(&url, &p.body, &p.idempotency_key).await {
            Ok(r) => {
                outbox::remove(&p.idempotency_key);
                last = Some(r);
            }
            // The server refused it for good: nothing to retry.
            Err(e) if e.is_final() => {
                outbox::remove(&p.idempotency_key);
            }
            Err(_) => {}
        }
    }
    last
}

/// Sends what is kept for this campaign and shows the outcome: the receipt, still kept, or
/// nothing kept any more (refused for good).
pub(super) async fn send_kept(code: &str, sent: &UseStateHandle<Sent>) {
    match flush(code).await {
        Some(r) => sent.set(Sent::Done(Box::new(r))),
        None if outbox::load()
            .iter()
            .any(|p| p.campaign == code && !p.needs_citizen_id) => {}
        None => sent.set(Sent::No),
    }
}

/// A pledge kept without its CCCD (embedded form) for this campaign, to fill the form with.
pub(super) fn kept_without_id(code: &str) -> Option<Pending> {
    outbox::load()
        .into_iter()
        .find(|p| p.campaign == code && p.needs_citizen_id)
}
