//! Benchmark of the citizen form's first load (issue 6), in headless Chromium against the real
//! server (`./dev bench form`):
//!
//! 1. what a phone downloads on a first visit: the page, then wasm + JS + CSS as served
//!    (compressed), read from the browser's own Resource Timing (`encodedBodySize`);
//! 2. how long until the form is usable — the pledge form of a campaign (`/k/{code}`, its campaign
//!    fetched and rendered) and the tip form (`/to-giac`) — with a cleared cache, a throttled network
//!    and a 4× slower CPU (Chrome DevTools Protocol: `Network.emulateNetworkConditions`,
//!    `Emulation.setCPUThrottlingRate`). "Usable" is the page's own `bvantq-ready` User Timing
//!    mark, set once the form has rendered with its handlers attached.
//!
//! Prints one JSON line.

use bvantq_tests::OrFail;
use std::time::{Duration, Instant};

use bvantq_tests::browser::{Browser, js};
use serde_json::{Value, json};

/// A network and CPU to emulate.
struct Profile {
    name: &'static str,
    /// Added to every request, as DevTools throttling applies it.
    latency_ms: f64,
    down_bytes_per_s: f64,
    up_bytes_per_s: f64,
    cpu_slowdown: f64,
}

/// Lighthouse's mobile profile (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up; called "Fast 3G"
/// when the budget was written, "Slow 4G" in today's Lighthouse, equal to WebPageTest's
/// "Mobile 3G - Fast"), applied the way Lighthouse applies it through DevTools throttling
/// (latency × 3.75, throughput × 0.9), with its 4× CPU slowdown.
const LIGHTHOUSE_MOBILE: Profile = Profile {
    name: "lighthouse_mobile_3g",
    latency_ms: 150.0 * 3.75,
    down_bytes_per_s: 1.6 * 1024.0 * 1024.0 / 8.0 * 0.9,
    up_bytes_per_s: 750.0 * 1024.0 / 8.0 * 0.9,
    cpu_slowdown: 4.0,
};

/// Chrome DevTools' "Slow 3G" preset (400 ms RTT × 5, 500 kbit/s × 0.8 both ways), 4× CPU: a
/// much harsher link, reported beside it.
const DEVTOOLS_SLOW_3G: Profile = Profile {
    name: "devtools_slow_3g",
    latency_ms: 2000.0,
    down_bytes_per_s: 500_000.0 / 8.0 * 0.8,
    up_bytes_per_s: 500_000.0 / 8.0 * 0.8,
    cpu_slowdown: 4.0,
};

struct Args {
    url: String,
    campaign: String,
    runs: usize,
}

fn args() -> Args {
    let mut a = Args {
        url: "http://127.0.0.1:8080".into(),
        campaign: String::new(),
        runs: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().or_fail();
        match k.as_str() {
            "--url" => a.url = v,
            "--campaign" => a.campaign = v,
            "--runs" => a.runs = v.parse().unwrap_or(5),
            other => {
                eprintln!("unknown flag {other}");
                std::process::exit(2);
            }
        }
    }
    if a.campaign.is_empty() {
        eprintln!("usage: formbench --url URL --campaign CODE [--runs N]");
        std::process::exit(2);
    }
    a
}

/// Opens `url` and waits for the page's `bvantq-ready` mark; returns its time since navigation
/// start (ms) and the page's Resource Timing entries.
async fn load(b: &Browser, url: &str) -> (f64, Value) {
    let c = &b.client;
    c.goto("about:blank")
        .await
        .unwrap_or_else(|e| panic!("about:blank: {e}"));
    // A first visit: nothing cached (the cache stays on, as on a phone, so preloads work).
    b.cdp("Network.clearBrowserCache", json!({})).await;
    c.goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v = js(
            c,
            "const m = performance.getEntriesByName('bvantq-ready'); \
             if (!m.length) return null; \
             const e = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]; \
             return {ready: m[0].startTime, entries: e.map(x => ({name: x.name, \
               type: x.initiatorType, encoded: x.encodedBodySize, decoded: x.decodedBodySize, \
               transfer: x.transferSize, end: x.responseEnd}))};",
            vec![],
        )
        .await;
        if let Some(ready) = v["ready"].as_f64() {
            return (ready, v["entries"].clone());
        }
        assert!(Instant::now() < deadline, "{url}: never became usable");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Bytes of the first load by kind of file, from Resource Timing entries.
fn transfer(entries: &Value) -> Value {
    let mut by = std::collections::BTreeMap::<&str, (f64, f64, f64, u32)>::new();
    let mut api = Vec::new();
    for e in entries.as_array().into_iter().flatten() {
        let name = e["name"].as_str().unwrap_or("");
        let path = name.split(['?', '#']).next().unwrap_or("");
        let kind = if e["type"] == "navigation" {
            "html"
        } else if path.ends_with(".wasm") {
            "wasm"
        } else if path.ends_with(".js") {
            "js"
        } else if path.ends_with(".css") {
            "css"
        } else {
            api.push(path.to_string());
            "api"
        };
        let slot = by.entry(kind).or_default();
        slot.0 += e["encoded"].as_f64().unwrap_or(0.0);
        slot.1 += e["decoded"].as_f64().unwrap_or(0.0);
        slot.2 += e["transfer"].as_f64().unwrap_or(0.0);
        slot.3 += 1;
    }
    // A kind of asset the page did not load weighs nothing.
    let get = |k: &str| by.get(k).copied().unwrap_or((0.0, 0.0, 0.0, 0));
    let assets: f64 = ["wasm", "js", "css"].iter().map(|k| get(k).0).sum();
    let mut out = serde_json::Map::new();
    for (k, (enc, dec, tr, n)) in &by {
        out.insert(
            (*k).to_string(),
            json!({"encoded": enc, "decoded": dec, "transfer": tr, "requests": n}),
        );
    }
    // Each API request of the first load (the campaign once, if its preload was used).
    out.insert("api_requests".into(), json!(api));
    out.insert("first_load_assets".into(), json!(assets));
    out.insert("first_load_with_html".into(), json!(assets + get("html").0));
    Value::Object(out)
}

fn summary(mut runs: Vec<f64>) -> Value {
    runs.sort_by(f64::total_cmp);
    let median = runs.get(runs.len() / 2).copied().unwrap_or(f64::NAN);
    let max = runs.last().copied().unwrap_or(f64::NAN);
    json!({"runs_ms": runs, "median_ms": median, "max_ms": max})
}

#[tokio::main]
async fn main() {
    let a = args();
    let b = Browser::start(360, 640).await;
    b.cdp("Network.enable", json!({})).await;
    let pages = [
        ("pledge_form", format!("{}/k/{}", a.url, a.campaign)),
        ("tip_form", format!("{}/to-giac", a.url)),
    ];

    // What a first visit downloads, unthrottled.
    let (_, entries) = load(&b, &pages[0].1).await;
    let sizes = transfer(&entries);

    let mut ready = serde_json::Map::new();
    for p in [LIGHTHOUSE_MOBILE, DEVTOOLS_SLOW_3G] {
        b.cdp(
            "Network.emulateNetworkConditions",
            json!({"offline": false, "latency": p.latency_ms,
                   "downloadThroughput": p.down_bytes_per_s, "uploadThroughput": p.up_bytes_per_s}),
        )
        .await;
        b.cdp(
            "Emulation.setCPUThrottlingRate",
            json!({"rate": p.cpu_slowdown}),
        )
        .await;
        let mut per_page = serde_json::Map::new();
        for (page, url) in &pages {
            let mut runs = Vec::new();
            for _ in 0..a.runs {
                runs.push(load(&b, url).await.0);
            }
            per_page.insert((*page).to_string(), summary(runs));
        }
        ready.insert(p.name.to_string(), Value::Object(per_page));
    }
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
    b.cdp("Emulation.setCPUThrottlingRate", json!({"rate": 1}))
        .await;
    b.close().await;
    println!(
        "{}",
        json!({"transfer": sizes, "ready": ready, "runs": a.runs})
    );
}
