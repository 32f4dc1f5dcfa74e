//! Prometheus metrics in the text exposition format: request counts by route and status, request
//! latency histograms by route, database pool state.
//!
//! A reporter's routes (tip intake and follow-up) leave no per-request trace: they are counted
//! only in hourly totals, published once the hour is over ([`REPORTER_FLUSH`]), with no latency,
//! so a scrape cannot be matched against a proxy's or a Wi-Fi's log to find who filed a tip.
//! The map keys are closed sets (method, route pattern, status), so a client cannot grow them.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Mutex, PoisonError};

use chrono::{NaiveDateTime, Timelike};

const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// Reporter routes are published in totals per this many seconds (whole hours of the clock).
pub const REPORTER_FLUSH: i64 = 3600;

/// The methods the metrics name; anything else is `OTHER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Head,
    Post,
    Put,
    Delete,
    Patch,
    Options,
    Other,
}

impl Method {
    pub fn of(m: &actix_web::http::Method) -> Self {
        use actix_web::http::Method as M;
        match *m {
            M::GET => Self::Get,
            M::HEAD => Self::Head,
            M::POST => Self::Post,
            M::PUT => Self::Put,
            M::DELETE => Self::Delete,
            M::PATCH => Self::Patch,
            M::OPTIONS => Self::Options,
            _ => Self::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Head => "HEAD",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Delete => "DELETE",
            Self::Patch => "PATCH",
            Self::Options => "OPTIONS",
            Self::Other => "OTHER",
        }
    }
}

#[derive(Debug, Default)]
struct Histogram {
    counts: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

type Key = (Method, String, u16);

#[derive(Debug, Default)]
struct Reporter {
    /// Start of the hour `pending` counts.
    hour: Option<NaiveDateTime>,
    pending: BTreeMap<Key, u64>,
}

#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<Key, u64>>,
    latency: Mutex<BTreeMap<String, Histogram>>,
    reporter: Mutex<Reporter>,
}

fn hour_of(t: NaiveDateTime) -> NaiveDateTime {
    t.with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t)
}

impl Metrics {
    /// Records one request by its route pattern (never its concrete path: paths may hold codes).
    pub fn observe(&self, method: Method, route: &str, status: u16, seconds: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry((method, route.to_string(), status))
            .or_default() += 1;
        let mut m = self.latency.lock().unwrap_or_else(PoisonError::into_inner);
        let h = m.entry(route.to_string()).or_default();
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                h.counts[i] += 1;
            }
        }
        h.sum += seconds;
        h.count += 1;
    }

    /// Records a reporter's request: counted towards this hour's total, which is published when
    /// the hour is over. No latency, no time finer than the hour.
    pub fn observe_reporter(&self, method: Method, route: &str, status: u16, now: NaiveDateTime) {
        let mut r = self.reporter.lock().unwrap_or_else(PoisonError::into_inner);
        self.flush_due(&mut r, now);
        r.hour.get_or_insert_with(|| hour_of(now));
        *r.pending
            .entry((method, route.to_string(), status))
            .or_default() += 1;
    }

    /// Moves the totals of an hour that is over into the published counters.
    fn flush_due(&self, r: &mut Reporter, now: NaiveDateTime) {
        let Some(hour) = r.hour else { return };
        if (now - hour).num_seconds() < REPORTER_FLUSH {
            return;
        }
        let mut published = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        for (k, n) in std::mem::take(&mut r.pending) {
            *published.entry(k).or_default() += n;
        }
        r.hour = None;
    }

    pub fn render(&self, pool: &crate::infra::db::Pool, now: NaiveDateTime) -> String {
        {
            let mut r = self.reporter.lock().unwrap_or_else(PoisonError::into_inner);
            self.flush_due(&mut r, now);
        }
        let mut out = String::new();
        out.push_str(
            "# HELP bvantq_http_requests_total HTTP requests by method, route and status (a \
             reporter's routes in totals of whole hours, published after the hour).\n",
        );
        out.push_str("# TYPE bvantq_http_requests_total counter\n");
        for ((method, route, status), n) in self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let _ = writeln!(
                out,
                "bvantq_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{status}\"}} {n}",
                method.as_str(),
                escape(route)
            );
        }
        out.push_str("# HELP bvantq_http_request_duration_seconds Request latency by route.\n");
        out.push_str("# TYPE bvantq_http_request_duration_seconds histogram\n");
        for (route, h) in self
            .latency
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
        {
            let r = escape(route);
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "bvantq_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"{b}\"}} {}",
                    h.counts[i]
                );
            }
            let _ = writeln!(
                out,
                "bvantq_http_request_duration_seconds_bucket{{route=\"{r}\",le=\"+Inf\"}} {}",
                h.count
            );
            let _ = writeln!(
                out,
                "bvantq_http_request_duration_seconds_sum{{route=\"{r}\"}} {}",
                h.sum
            );
            let _ = writeln!(
                out,
                "bvantq_http_request_duration_seconds_count{{route=\"{r}\"}} {}",
                h.count
            );
        }
        let s = pool.state();
        out.push_str("# HELP bvantq_db_pool_connections Database pool connections.\n");
        out.push_str("# TYPE bvantq_db_pool_connections gauge\n");
        let _ = writeln!(
            out,
            "bvantq_db_pool_connections{{state=\"idle\"}} {}",
            s.idle_connections
        );
        let _ = writeln!(
            out,
            "bvantq_db_pool_connections{{state=\"open\"}} {}",
            s.connections
        );
        out
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_else(|| panic!("time"))
    }

    #[test]
    fn reporter_routes_appear_only_as_totals_of_a_past_hour() {
        let m = Metrics::default();
        m.observe_reporter(Method::Post, "/api/v1/tips", 201, at(9, 10));
        m.observe_reporter(Method::Post, "/api/v1/tips", 201, at(9, 50));
        let pool =
            crate::infra::db::pool("sqlite://:memory:", Some(1)).unwrap_or_else(|e| panic!("{e}"));
        assert!(!m.render(&pool, at(9, 59)).contains("/api/v1/tips"));
        let later = m.render(&pool, at(10, 0));
        assert!(later.contains(
            "bvantq_http_requests_total{method=\"POST\",route=\"/api/v1/tips\",status=\"201\"} 2"
        ));
        assert!(!later.contains("duration_seconds_bucket{route=\"/api/v1/tips\""));
    }
}
