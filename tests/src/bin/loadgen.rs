//! Load generator for the benchmarks (`./dev bench`): signs pledges, reads coverage or GETs any
//! path with a token (`get --path`), with N concurrent clients for a while (closed loop), or at a fixed rate (open loop, latency measured
//! from the scheduled send time so a slow server cannot hide its queueing). Prints one JSON line;
//! `--trace FILE` also writes each answered request's start and latency, to see when a tail happens.

use bvantq_tests::OrFail;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::json;

struct Args {
    mode: String,
    /// One or more instances (`--url A,B`): the `n`-th request goes to `urls[n % len]`.
    urls: Vec<String>,
    /// For `get`: the path and query, e.g. `/api/v1/dashboard?unit=01&period=2026`.
    path: String,
    campaign: String,
    units: Vec<String>,
    token: String,
    coverage_unit: String,
    concurrency: usize,
    seconds: u64,
    rate: Option<f64>,
    offset: u64,
    /// Where to write one line per answered request, `start_ms latency_ms` (from the run's start).
    trace: Option<String>,
}

fn args() -> Args {
    let mut a = Args {
        mode: String::new(),
        urls: vec!["http://127.0.0.1:8080".into()],
        path: String::new(),
        campaign: String::new(),
        units: Vec::new(),
        token: String::new(),
        coverage_unit: String::new(),
        concurrency: 64,
        seconds: 20,
        rate: None,
        offset: 0,
        trace: None,
    };
    let mut it = std::env::args().skip(1);
    // No mode: the usage below says what to give.
    if let Some(mode) = it.next() {
        a.mode = mode;
    }
    while let Some(k) = it.next() {
        let v = it.next().or_fail();
        match k.as_str() {
            "--url" => a.urls = v.split(',').map(String::from).collect(),
            "--path" => a.path = v,
            "--campaign" => a.campaign = v,
            "--units" => a.units = v.split(',').map(String::from).collect(),
            "--token" => a.token = v,
            "--unit" => a.coverage_unit = v,
            "--concurrency" => a.concurrency = v.parse().unwrap_or(64),
            "--seconds" => a.seconds = v.parse().unwrap_or(20),
            "--rate" => a.rate = v.parse().ok(),
            "--offset" => a.offset = v.parse().unwrap_or(0),
            "--trace" => a.trace = Some(v),
            other => {
                eprintln!("unknown flag {other}");
                std::process::exit(2);
            }
        }
    }
    a
}

/// A request of the chosen mode for the `n`-th operation; distinct people for every `n`.
fn request(client: &reqwest::Client, a: &Args, n: u64) -> reqwest::RequestBuilder {
    let url = &a.urls[(n as usize) % a.urls.len()];
    match a.mode.as_str() {
        "sign" => {
            let unit = &a.units[(n as usize) % a.units.len()];
            // Birth year 1990 ↔ CCCD digits "090"; a distinct number and address per person.
            let serial = n % 1_000_000;
            let sex = (n / 1_000_000) % 2;
            let body = json!({
                "unit_code": unit, "full_name": "Nguyễn Văn Thử", "birth_date": "1990-06-15",
                "citizen_id": format!("056{sex}90{serial:06}"), "address": format!("Số {n}, đường Thống Nhất"),
                "members": 4, "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true,
            });
            client
                .post(format!("{url}/api/v1/campaigns/{}/pledges", a.campaign))
                .header("Idempotency-Key", format!("bench-{n}"))
                .json(&body)
        }
        "get" => client.get(format!("{url}{}", a.path)).bearer_auth(&a.token),
        _ => client
            .get(format!(
                "{url}/api/v1/coverage?unit={}&year=2026&kind=household",
                a.coverage_unit
            ))
            .bearer_auth(&a.token),
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = Arc::new(args());
    if !matches!(a.mode.as_str(), "sign" | "coverage" | "get") {
        eprintln!(
            "usage: loadgen sign|coverage|get --url URL[,URL2…] [--campaign CODE --units A,B] [--token T --unit U] [--path /api/v1/…] [--concurrency N] [--seconds S] [--rate R] [--offset K] [--trace FILE]"
        );
        std::process::exit(2);
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(a.concurrency + 8)
        .build()
        .or_fail();
    let counter = Arc::new(AtomicU64::new(a.offset));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(a.seconds);
    let started = Instant::now();
    // (start, latency) of each answered request, in µs; start from the run's start.
    let mut latencies: Vec<(u64, u64)> = Vec::new();
    match a.rate {
        None => {
            let mut tasks = Vec::new();
            for _ in 0..a.concurrency {
                let (a, client, counter, errors) =
                    (a.clone(), client.clone(), counter.clone(), errors.clone());
                tasks.push(tokio::spawn(async move {
                    let mut lat = Vec::new();
                    while Instant::now() < deadline {
                        let n = counter.fetch_add(1, Ordering::Relaxed);
                        let t = Instant::now();
                        match request(&client, &a, n).send().await {
                            Ok(r) if r.status().is_success() => {
                                let _ = r.bytes().await;
                                lat.push((
                                    t.duration_since(started).as_micros() as u64,
                                    t.elapsed().as_micros() as u64,
                                ));
                            }
                            _ => {
                                errors.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                    lat
                }));
            }
            for t in tasks {
                latencies.extend(t.await.or_fail());
            }
        }
        Some(rate) => {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(u64, u64)>();
            let interval = Duration::from_secs_f64(1.0 / rate);
            let mut next = Instant::now();
            let sem = Arc::new(tokio::sync::Semaphore::new(a.concurrency * 4));
            while next < deadline {
                tokio::time::sleep_until(next.into()).await;
                let scheduled = next;
                next += interval;
                let Ok(permit) = sem.clone().acquire_owned().await else {
                    break;
                };
                let (a, client, counter, errors, tx) = (
                    a.clone(),
                    client.clone(),
                    counter.clone(),
                    errors.clone(),
                    tx.clone(),
                );
                tokio::spawn(async move {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    match request(&client, &a, n).send().await {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            let _ = tx.send((
                                scheduled.duration_since(started).as_micros() as u64,
                                scheduled.elapsed().as_micros() as u64,
                            ));
                        }
                        _ => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    drop(permit);
                });
            }
            drop(tx);
            while let Some(l) = rx.recv().await {
                latencies.push(l);
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(path) = &a.trace {
        latencies.sort_unstable();
        let lines: String = latencies
            .iter()
            .map(|(s, l)| format!("{:.3} {:.3}\n", *s as f64 / 1000.0, *l as f64 / 1000.0))
            .collect();
        if let Err(e) = std::fs::write(path, lines) {
            eprintln!("cannot write {path}: {e}");
        }
    }
    let mut latencies: Vec<u64> = latencies.into_iter().map(|(_, l)| l).collect();
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p) as usize).min(latencies.len().saturating_sub(1)))
            .map_or(0.0, |v| *v as f64 / 1000.0)
    };
    println!(
        "{}",
        json!({
            "mode": a.mode, "concurrency": a.concurrency, "rate": a.rate, "seconds": elapsed,
            "ok": latencies.len(), "errors": errors.load(Ordering::Relaxed),
            "throughput": latencies.len() as f64 / elapsed,
            "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": latencies.last().map_or(0.0, |v| *v as f64 / 1000.0),
            "next_offset": counter.load(Ordering::Relaxed),
        })
    );
}
