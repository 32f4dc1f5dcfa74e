//! In-memory fixed-window rate limiting (per account, per client address, global). Limits are
//! per server process; behind a load balancer each instance enforces its own.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::{NaiveDateTime, TimeDelta};

#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: TimeDelta,
    buckets: Mutex<HashMap<String, (NaiveDateTime, u32)>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: TimeDelta) -> Self {
        Self {
            limit,
            window,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Seconds until `key` may try again, if it is over its limit now.
    pub fn blocked_for(&self, key: &str, now: NaiveDateTime) -> Option<u64> {
        let buckets = self.buckets.lock().ok()?;
        let (start, n) = buckets.get(key)?;
        let end = *start + self.window;
        (now < end && *n >= self.limit).then(|| (end - now).num_seconds().max(1) as u64)
    }

    /// Counts one event for `key`.
    pub fn record(&self, key: &str, now: NaiveDateTime) {
        let Ok(mut buckets) = self.buckets.lock() else {
            return;
        };
        if buckets.len() > 100_000 {
            let window = self.window;
            buckets.retain(|_, (start, _)| now < *start + window);
        }
        let e = buckets.entry(key.to_string()).or_insert((now, 0));
        if now >= e.0 + self.window {
            *e = (now, 0);
        }
        e.1 = e.1.saturating_add(1);
    }

    /// Counts one event and says whether it was within the limit.
    pub fn hit(&self, key: &str, now: NaiveDateTime) -> Result<(), u64> {
        if let Some(wait) = self.blocked_for(key, now) {
            return Err(wait);
        }
        self.record(key, now);
        Ok(())
    }

    pub fn reset(&self, key: &str) {
        if let Ok(mut b) = self.buckets.lock() {
            b.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_limit_until_window_ends() {
        let t0 = chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .unwrap_or_default()
            .naive_utc();
        let rl = RateLimiter::new(2, TimeDelta::seconds(60));
        assert!(rl.hit("a", t0).is_ok());
        assert!(rl.hit("a", t0).is_ok());
        assert_eq!(rl.hit("a", t0 + TimeDelta::seconds(10)), Err(50));
        assert!(rl.hit("b", t0).is_ok());
        assert!(rl.hit("a", t0 + TimeDelta::seconds(60)).is_ok());
    }
}
