//! Posting to the notice gateway: a JSON body with an `Idempotency-Key`, a bounded wait, and the
//! gateway's answer reduced to a status (its body may echo what it was sent).

use std::time::Duration;

/// How long one post may take before it counts as failed.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Posts `json` to `url`; `Ok` on a 2xx, else the status or the network error.
pub fn post(url: &str, idempotency_key: &str, json: &str) -> Result<(), String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into();
    match agent
        .post(url)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", idempotency_key)
        .send(json)
    {
        Ok(r) if r.status().is_success() => Ok(()),
        Ok(r) => Err(format!("HTTP {}", r.status().as_u16())),
        Err(e) => Err(e.to_string()),
    }
}
