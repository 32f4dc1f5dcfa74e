//! What rate limits cost (issue 21), from C concurrent clients for S seconds each, in this process
//! as a single server counts them and in PostgreSQL as a fleet counts them:
//! - `signing`: the three checks a public signing makes (per address, the campaign's shared
//!   limit, the burst count) — why the signing limits stay in each process;
//! - `lookup`: a receipt-code lookup that opens its tip, the heaviest of the limits a fleet
//!   shares: counted per address and for all reporters together, then both given back
//!   (`limit::hit_both`, `limit::release_both`: one database call each).
//!
//! Each client is its own address, every limit far above the load, so nothing is refused and
//! every check does its whole work. Prints one JSON line per kind and place.
//!
//! `limitbench POSTGRES_URL [SECONDS] [CONCURRENCY]` — the database must be empty or migrated;
//! `./dev bench limits` makes one.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bvantq_api::infra::config::Config;
use bvantq_api::infra::core::Core;
use bvantq_api::infra::db;
use bvantq_api::infra::ratelimit::limit::{hit_both, release_both};
use bvantq_api::infra::ratelimit::{Limit, SharedLimit, fleet};
use bvantq_tests::OrFail;
use chrono::TimeDelta;

/// The signing's three checks, as `pledges::routes::signing::signing_limits` makes them, and a
/// found receipt code's four, as `tips::routes::reporter` makes them.
struct Checks {
    lookup: bool,
    ip: Limit,
    campaign: SharedLimit,
    bursts: Limit,
}

impl Checks {
    fn new(store: Option<&fleet::Store>, lookup: bool) -> Self {
        Checks {
            lookup,
            ip: Limit::new(store, "bench_ip", 1_000_000_000, TimeDelta::hours(1)),
            campaign: SharedLimit::new(
                store,
                "bench_campaign",
                1_000_000_000,
                1_000_000_000,
                TimeDelta::hours(1),
            ),
            bursts: Limit::new(store, "bench_bursts", u32::MAX, TimeDelta::minutes(10)),
        }
    }

    async fn one(&self, core: &Core, ip: &str) {
        if self.lookup {
            hit_both(core, &self.ip, &self.campaign, "all", ip)
                .await
                .or_fail();
            release_both(core, &self.ip, &self.campaign, "all", ip)
                .await
                .or_fail();
            return;
        }
        self.ip.hit(core, ip).await.or_fail();
        self.campaign.hit(core, "BENCH", ip).await.or_fail();
        self.bursts
            .count_one(core, &format!("BENCH {ip}"))
            .await
            .or_fail();
    }
}

async fn run(
    kind: &str,
    place: &str,
    core: Arc<Core>,
    checks: Arc<Checks>,
    seconds: u64,
    clients: usize,
) {
    let until = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|i| {
            let (core, checks) = (core.clone(), checks.clone());
            tokio::spawn(async move {
                let ip = format!("10.{}.{}.{}", i / 65536, (i / 256) % 256, i % 256);
                let mut took = Vec::new();
                while Instant::now() < until {
                    let t = Instant::now();
                    checks.one(&core, &ip).await;
                    took.push(t.elapsed());
                }
                took
            })
        })
        .collect();
    let mut all: Vec<Duration> = Vec::new();
    for t in tasks {
        all.extend(t.await.or_fail());
    }
    all.sort();
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    println!(
        "{}",
        serde_json::json!({
            "kind": kind,
            "place": place,
            "clients": clients,
            "requests": all.len(),
            "per_second": all.len() as f64 / seconds as f64,
            "p50_us": at(0.50).as_micros(),
            "p99_us": at(0.99).as_micros(),
        })
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .unwrap_or_else(|| panic!("usage: limitbench POSTGRES_URL [SECONDS] [CONCURRENCY]"));
    let seconds: u64 = args.next().map_or(10, |s| s.parse().or_fail());
    let clients: usize = args.next().map_or(64, |s| s.parse().or_fail());
    let pool = db::pool(&url, Some(16)).or_fail();
    db::migrate(&mut pool.get().or_fail()).or_fail();
    let config = Config::for_database(&url);
    let store = fleet::Store::new(pool.clone(), &config.jwt_secret);
    let core = Arc::new(Core::new(Arc::new(config), pool));
    for (kind, lookup) in [("signing", false), ("lookup", true)] {
        for (place, store) in [("in_process", None), ("postgres", Some(&store))] {
            let checks = Arc::new(Checks::new(store, lookup));
            run(kind, place, core.clone(), checks, seconds, clients).await;
        }
    }
}
