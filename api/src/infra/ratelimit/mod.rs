//! In-memory fixed-window rate limiting (per account, per client address, per campaign, global).
//!
//! Every check counts in the same step as it decides, under one lock, so a burst of concurrent
//! requests cannot all pass the check before any is counted. An attempt whose outcome is not known
//! yet (a login, a receipt code) is counted as a failure up front and given back on success
//! ([`RateLimiter::release`]). The maps are bounded: past [`MAX_KEYS`] live keys, new keys share
//! one overflow bucket, so a flood of addresses cannot grow memory without limit.
//!
//! These count in this process, which is right for one server (SQLite). On PostgreSQL the
//! routes count in the database instead, so that a fleet of instances behind a proxy enforces
//! one limit ([`fleet`], chosen by [`limit::Limit`] and [`limit::SharedLimit`]).

pub mod fleet;
pub mod limit;

pub use limit::{Limit, SharedLimit};

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use chrono::{NaiveDateTime, TimeDelta};

/// Most keys a limiter tracks before new keys share its overflow bucket.
pub const MAX_KEYS: usize = 100_000;

/// The bucket of keys that arrive while the map is full.
const OVERFLOW: &str = "\0overflow";

#[derive(Debug, Clone, Copy)]
struct Window {
    start: NaiveDateTime,
    n: u32,
}

#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: TimeDelta,
    max_keys: usize,
    buckets: Mutex<HashMap<String, Window>>,
}

impl RateLimiter {
    pub fn new(limit: u32, window: TimeDelta) -> Self {
        Self::with_capacity(limit, window, MAX_KEYS)
    }

    pub fn with_capacity(limit: u32, window: TimeDelta, max_keys: usize) -> Self {
        Self {
            limit,
            window,
            max_keys: max_keys.max(1),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    fn wait(&self, w: &Window, now: NaiveDateTime) -> u64 {
        (w.start + self.window - now).num_seconds().max(1) as u64
    }

    /// The live window of `key` (a fresh one if it expired), or of the overflow bucket when the
    /// map is full of live keys.
    fn window_of<'a>(
        &self,
        map: &'a mut HashMap<String, Window>,
        key: &str,
        now: NaiveDateTime,
    ) -> &'a mut Window {
        let window = self.window;
        let key = if map.contains_key(key) || map.len() < self.max_keys {
            key
        } else {
            map.retain(|_, w| now < w.start + window);
            if map.len() < self.max_keys {
                key
            } else {
                OVERFLOW
            }
        };
        let w = map
            .entry(key.to_string())
            .or_insert(Window { start: now, n: 0 });
        if now >= w.start + window {
            *w = Window { start: now, n: 0 };
        }
        w
    }

    /// Counts one event for `key` if it is within the limit; else the seconds to wait.
    pub fn hit(&self, key: &str, now: NaiveDateTime) -> Result<(), u64> {
        let mut map = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let limit = self.limit;
        let w = self.window_of(&mut map, key, now);
        if w.n >= limit {
            let w = *w;
            return Err(self.wait(&w, now));
        }
        w.n += 1;
        Ok(())
    }

    /// Gives back one event of `key` counted by [`Self::hit`] (an attempt that succeeded).
    pub fn release(&self, key: &str, now: NaiveDateTime) {
        let mut map = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(w) = map.get_mut(key)
            && now < w.start + self.window
        {
            w.n = w.n.saturating_sub(1);
        }
    }

    /// Seconds until `key` may try again, if it is over its limit now (counts nothing).
    pub fn blocked_for(&self, key: &str, now: NaiveDateTime) -> Option<u64> {
        let map = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        let w = map.get(key)?;
        (now < w.start + self.window && w.n >= self.limit).then(|| self.wait(w, now))
    }

    /// Events counted for `key` in its current window.
    pub fn count(&self, key: &str, now: NaiveDateTime) -> u32 {
        let map = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        map.get(key)
            .filter(|w| now < w.start + self.window)
            .map_or(0, |w| w.n)
    }

    pub fn reset(&self, key: &str) {
        let mut map = self.buckets.lock().unwrap_or_else(PoisonError::into_inner);
        map.remove(key);
    }

    /// Keys tracked (overflow bucket included).
    pub fn len(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Default)]
struct Shared {
    start: Option<NaiveDateTime>,
    total: u32,
    by_contributor: HashMap<String, u32>,
}

/// What one contributor may count for in a shared `limit`: at most `per_key`, and never more than
/// a tenth, so that at least ten contributors are needed to use it up (in memory here, and in
/// PostgreSQL for a fleet: `fleet::Shared`).
pub fn share(limit: u32, per_key: u32) -> u32 {
    per_key.min(limit.div_ceil(10)).max(1)
}

/// A limit shared by everyone in a scope (all reporters, all signers of one campaign) that no
/// single contributor can use up: each contributor (a client address) adds at most `per_key` to
/// the total, and once the total is reached only contributors who already used some of it are
/// refused — a first attempt from a clean address still passes. So one address cannot lock every
/// reporter or signer out, and many addresses get at most one attempt each past the limit.
#[derive(Debug)]
pub struct SharedLimiter {
    limit: u32,
    per_key: u32,
    window: TimeDelta,
    scopes: Mutex<HashMap<String, Shared>>,
}

impl SharedLimiter {
    /// A shared `limit` of which one key counts for at most `per_key`, and never more than a
    /// tenth: at least ten contributors are needed to use it up.
    pub fn new(limit: u32, per_key: u32, window: TimeDelta) -> Self {
        Self {
            limit,
            per_key: share(limit, per_key),
            window,
            scopes: Mutex::new(HashMap::new()),
        }
    }

    fn live<'a>(
        &self,
        map: &'a mut HashMap<String, Shared>,
        scope: &str,
        now: NaiveDateTime,
    ) -> &'a mut Shared {
        if !map.contains_key(scope) && map.len() >= MAX_KEYS {
            let window = self.window;
            map.retain(|_, s| s.start.is_some_and(|t| now < t + window));
        }
        let scope = if map.contains_key(scope) || map.len() < MAX_KEYS {
            scope
        } else {
            OVERFLOW
        };
        let s = map.entry(scope.to_string()).or_default();
        if s.start.is_none_or(|t| now >= t + self.window) {
            *s = Shared {
                start: Some(now),
                ..Shared::default()
            };
        }
        s
    }

    fn wait(&self, s: &Shared, now: NaiveDateTime) -> u64 {
        s.start
            .map_or(1, |t| (t + self.window - now).num_seconds().max(1) as u64)
    }

    /// Refuses `key` in `scope` while the shared limit is used up and `key` has used some of it.
    pub fn blocked_for(&self, scope: &str, key: &str, now: NaiveDateTime) -> Option<u64> {
        let mut map = self.scopes.lock().unwrap_or_else(PoisonError::into_inner);
        let limit = self.limit;
        let s = self.live(&mut map, scope, now);
        (s.total >= limit && s.by_contributor.get(key).is_some_and(|&n| n > 0))
            .then(|| self.wait(s, now))
    }

    /// Counts one event of `key` in `scope` (up to its share) and says whether it was allowed.
    pub fn hit(&self, scope: &str, key: &str, now: NaiveDateTime) -> Result<(), u64> {
        let mut map = self.scopes.lock().unwrap_or_else(PoisonError::into_inner);
        let (limit, per_key) = (self.limit, self.per_key);
        let s = self.live(&mut map, scope, now);
        let mine = s.by_contributor.get(key).copied().unwrap_or(0);
        if s.total >= limit && mine > 0 {
            return Err(self.wait(s, now));
        }
        if mine < per_key {
            if s.by_contributor.len() < MAX_KEYS || s.by_contributor.contains_key(key) {
                s.by_contributor.insert(key.to_string(), mine + 1);
            }
            s.total = s.total.saturating_add(1);
        }
        Ok(())
    }

    /// Gives back an event counted by [`Self::hit`] (an attempt that succeeded).
    pub fn release(&self, scope: &str, key: &str, now: NaiveDateTime) {
        let mut map = self.scopes.lock().unwrap_or_else(PoisonError::into_inner);
        let s = self.live(&mut map, scope, now);
        if let Some(n) = s.by_contributor.get_mut(key)
            && *n > 0
        {
            *n -= 1;
            s.total = s.total.saturating_sub(1);
        }
    }
}

/// Bytes allowed per window, for everyone together and per scope (a commune): spending is checked
/// and counted in one step, and a spend that would pass either budget is refused whole.
#[derive(Debug)]
pub struct ByteBudget {
    global: u64,
    per_scope: u64,
    window: TimeDelta,
    state: Mutex<(Option<NaiveDateTime>, u64, HashMap<String, u64>)>,
}

impl ByteBudget {
    pub fn new(global: u64, per_scope: u64, window: TimeDelta) -> Self {
        Self {
            global,
            per_scope,
            window,
            state: Mutex::new((None, 0, HashMap::new())),
        }
    }

    /// Spends `bytes` in `scope`, or says how many seconds until the budgets are renewed.
    pub fn spend(&self, scope: &str, bytes: u64, now: NaiveDateTime) -> Result<(), u64> {
        if bytes == 0 {
            return Ok(());
        }
        let mut st = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let (start, used, scopes) = &mut *st;
        if start.is_none_or(|t| now >= t + self.window) {
            *start = Some(now);
            *used = 0;
            scopes.clear();
        }
        let mine = scopes.get(scope).copied().unwrap_or(0);
        if used.saturating_add(bytes) > self.global || mine.saturating_add(bytes) > self.per_scope {
            let wait = start.map_or(1, |t| (t + self.window - now).num_seconds().max(1) as u64);
            return Err(wait);
        }
        *used += bytes;
        if scopes.len() < MAX_KEYS || scopes.contains_key(scope) {
            scopes.insert(scope.to_string(), mine + bytes);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .map(|d| d.naive_utc())
            .unwrap_or_else(|| panic!("timestamp"))
    }

    #[test]
    fn blocks_after_limit_until_window_ends() {
        let t0 = t0();
        let rl = RateLimiter::new(2, TimeDelta::seconds(60));
        assert!(rl.hit("a", t0).is_ok());
        assert!(rl.hit("a", t0).is_ok());
        assert_eq!(rl.hit("a", t0 + TimeDelta::seconds(10)), Err(50));
        assert!(rl.hit("b", t0).is_ok());
        assert!(rl.hit("a", t0 + TimeDelta::seconds(60)).is_ok());
    }

    #[test]
    fn a_concurrent_burst_gets_exactly_the_limit() {
        let t0 = t0();
        let rl = std::sync::Arc::new(RateLimiter::new(5, TimeDelta::minutes(15)));
        let passed = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
        let threads: Vec<_> = (0..64)
            .map(|_| {
                let (rl, passed) = (rl.clone(), passed.clone());
                std::thread::spawn(move || {
                    if rl.hit("account", t0).is_ok() {
                        passed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                })
            })
            .collect();
        for t in threads {
            let _ = t.join();
        }
        assert_eq!(passed.load(std::sync::atomic::Ordering::SeqCst), 5);
    }

    #[test]
    fn released_attempts_do_not_count() {
        let t0 = t0();
        let rl = RateLimiter::new(2, TimeDelta::minutes(1));
        for _ in 0..10 {
            assert!(rl.hit("a", t0).is_ok());
            rl.release("a", t0);
        }
        assert_eq!(rl.count("a", t0), 0);
    }

    #[test]
    fn the_map_is_bounded_and_new_keys_share_the_overflow() {
        let t0 = t0();
        let rl = RateLimiter::with_capacity(3, TimeDelta::minutes(1), 100);
        for i in 0..100 {
            assert!(rl.hit(&format!("k{i}"), t0).is_ok());
        }
        // Full of live keys: newcomers share one bucket of the same limit.
        for i in 100..103 {
            assert!(rl.hit(&format!("k{i}"), t0).is_ok());
        }
        assert!(rl.hit("k999", t0).is_err());
        assert!(rl.len() <= 101);
        // Once the old windows expire, their room is reused.
        assert!(rl.hit("late", t0 + TimeDelta::minutes(2)).is_ok());
        assert_eq!(rl.count("late", t0 + TimeDelta::minutes(2)), 1);
    }

    #[test]
    fn byte_budgets_refuse_a_spend_whole() {
        let t0 = t0();
        let b = ByteBudget::new(100, 60, TimeDelta::hours(1));
        assert!(b.spend("22759", 50, t0).is_ok());
        assert!(
            b.spend("22759", 20, t0).is_err(),
            "the commune's 60 would be passed"
        );
        assert!(b.spend("22333", 50, t0).is_ok());
        assert_eq!(b.spend("11111", 1, t0 + TimeDelta::minutes(30)), Err(1800));
        assert!(b.spend("22759", 60, t0 + TimeDelta::hours(1)).is_ok());
    }

    #[test]
    fn one_contributor_cannot_use_up_a_shared_limit() {
        let t0 = t0();
        let g = SharedLimiter::new(30, 10, TimeDelta::minutes(1));
        // One address: only its share (a tenth of the limit) counts, however much it tries.
        for _ in 0..1000 {
            let _ = g.hit("all", "attacker", t0);
        }
        assert!(g.hit("all", "reporter", t0).is_ok());
        g.release("all", "reporter", t0);
        // Ten addresses use it up; each is then refused, a clean address still passes once.
        for i in 0..9 {
            for _ in 0..10 {
                let _ = g.hit("all", &format!("a{i}"), t0);
            }
        }
        assert!(g.blocked_for("all", "a0", t0).is_some());
        assert!(g.blocked_for("all", "attacker", t0).is_some());
        assert!(g.blocked_for("all", "clean", t0).is_none());
        assert!(g.hit("all", "clean", t0).is_ok());
        assert!(g.hit("all", "clean", t0).is_err());
        // Scopes are separate, and the window ends.
        assert!(g.hit("other", "a0", t0).is_ok());
        assert!(g.hit("all", "a0", t0 + TimeDelta::minutes(1)).is_ok());
    }
}
