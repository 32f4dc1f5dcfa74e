//! Benchmark of the citizen form's first load (issue 6), in headless Chromium against the real
//! server (`./dev bench form`):
//!
//! 1. what a phone downloads on a first visit: the page, then wasm + JS + CSS as served
//!    (compressed), read from the browser's own Resource Timing (`encodedBodySize`);
//! 2. how long until the form is on screen, usable, and taken over by the wasm — the pledge form of
//!    a campaign (`/k/{code}`) and the tip form (`/to-giac`), both drawn by the server — with a
//!    cleared cache and no service worker, a throttled network and a 4× slower CPU (Chrome DevTools
//!    Protocol: `Network.emulateNetworkConditions`, `Emulation.setCPUThrottlingRate`); see [`load`];
//! 3. the same on a link of Slow 3G's round trip and bandwidth counted per packet
//!    ([`bvantq_tests::link`]) through nginx with TLS 1.3 and HTTP/2 (`deploy/nginx`), as a phone
//!    reaches a deployed server.
//!
//! Prints one JSON line.

use bvantq_tests::OrFail;
use std::time::{Duration, Instant};

use bvantq_tests::browser::{Browser, js};
use bvantq_tests::link::{Link, Shape};
use bvantq_tests::stack::Nginx;
use serde_json::{Value, json};

/// How a profile slows the network.
enum Network {
    /// Chrome's own throttling: `latency_ms` added to every request, as DevTools applies it.
    DevTools {
        latency_ms: f64,
        down_bytes_per_s: f64,
        up_bytes_per_s: f64,
    },
    /// A link between the browser and nginx, per packet ([`bvantq_tests::link`]).
    Link(Shape),
}

/// A network and CPU to emulate.
struct Profile {
    name: &'static str,
    network: Network,
    cpu_slowdown: f64,
}

/// Lighthouse's mobile profile (150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up; called "Fast 3G"
/// when the budget was written, "Slow 4G" in today's Lighthouse, equal to WebPageTest's
/// "Mobile 3G - Fast"), applied the way Lighthouse applies it through DevTools throttling
/// (latency × 3.75, throughput × 0.9), with its 4× CPU slowdown.
const LIGHTHOUSE_MOBILE: Profile = Profile {
    name: "lighthouse_mobile_3g",
    network: Network::DevTools {
        latency_ms: 150.0 * 3.75,
        down_bytes_per_s: 1.6 * 1024.0 * 1024.0 / 8.0 * 0.9,
        up_bytes_per_s: 750.0 * 1024.0 / 8.0 * 0.9,
    },
    cpu_slowdown: 4.0,
};

/// Slow 3G's link: 400 ms RTT, 500 kbit/s × 0.8 both ways (DevTools' figures).
const SLOW_3G_RTT: Duration = Duration::from_millis(400);
const SLOW_3G_BYTES_PER_S: f64 = 500_000.0 / 8.0 * 0.8;

/// Chrome DevTools' "Slow 3G" preset (400 ms RTT × 5, 500 kbit/s × 0.8 both ways), 4× CPU: a
/// much harsher link, reported beside it. Its 2 s are added to every request, the page's own
/// included, before any byte of it arrives.
const DEVTOOLS_SLOW_3G: Profile = Profile {
    name: "devtools_slow_3g",
    network: Network::DevTools {
        latency_ms: 400.0 * 5.0,
        down_bytes_per_s: SLOW_3G_BYTES_PER_S,
        up_bytes_per_s: SLOW_3G_BYTES_PER_S,
    },
    cpu_slowdown: 4.0,
};

/// The same round trip and bandwidth as a link, per packet: the name lookup, TCP's and TLS 1.3's
/// handshakes and each request cost one round trip each, every byte its time on the link. 4× CPU.
const SLOW_3G_LINK: Profile = Profile {
    name: "slow_3g_link",
    network: Network::Link(Shape {
        rtt: SLOW_3G_RTT,
        down_bytes_per_s: SLOW_3G_BYTES_PER_S,
        up_bytes_per_s: SLOW_3G_BYTES_PER_S,
    }),
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

/// One cold load: when content was first on screen, when the form became usable, when the wasm
/// had taken it over (ms since navigation start), and the page's Resource Timing entries.
struct Load {
    /// When the page had arrived whole (`responseEnd`). Under DevTools throttling the emulated
    /// latency is spent before the body is handed over (`responseStart` stays near 0).
    page_arrived: f64,
    /// When the connection that carried the page was ready (`connectEnd`: name lookup, TCP and
    /// TLS done). Near 0 under DevTools throttling, which spends its latency on the response.
    connected: f64,
    render: f64,
    usable: f64,
    app: f64,
    entries: Value,
}

/// Opens `url` as a first visit (no cache, no service worker) and waits for the wasm's
/// `bvantq-ready` mark.
///
/// - first render: the `first-contentful-paint` entry;
/// - usable: the server-drawn form is on screen and takes typing and a submit (it posts without
///   script): the later of the first contentful paint and `domInteractive` (the document parsed,
///   every field and the button in it);
/// - app: the `bvantq-ready` mark, once the wasm has taken the form over (live checks, offline
///   queue).
///
/// A `link` is reset before the visit: a phone that has not been here has no connection open and
/// has not looked the name up.
async fn load(b: &Browser, url: &str, link: Option<&Link>) -> Load {
    let c = &b.client;
    c.goto("about:blank")
        .await
        .unwrap_or_else(|e| panic!("about:blank: {e}"));
    // A first visit: nothing cached, no service worker (the cache stays on, as on a phone, so
    // preloads work).
    b.cdp("Network.clearBrowserCache", json!({})).await;
    let origin = url.split('/').take(3).collect::<Vec<_>>().join("/");
    b.cdp(
        "Storage.clearDataForOrigin",
        json!({"origin": origin, "storageTypes": "service_workers,cache_storage"}),
    )
    .await;
    if let Some(link) = link {
        link.reset();
    }
    c.goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let v = js(
            c,
            "const m = performance.getEntriesByName('bvantq-ready'); \
             const fcp = performance.getEntriesByName('first-contentful-paint')[0]; \
             const nav = performance.getEntriesByType('navigation')[0]; \
             if (!m.length || !fcp || !nav) return null; \
             const e = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]; \
             return {app: m[0].startTime, render: fcp.startTime, page_arrived: nav.responseEnd, connected: nav.connectEnd, \
               usable: Math.max(fcp.startTime, nav.domInteractive), \
               entries: e.map(x => ({name: x.name, \
               type: x.initiatorType, encoded: x.encodedBodySize, decoded: x.decodedBodySize, \
               transfer: x.transferSize, end: x.responseEnd}))};",
            vec![],
        )
        .await;
        if let (Some(app), Some(render), Some(usable), Some(page_arrived), Some(connected)) = (
            v["app"].as_f64(),
            v["render"].as_f64(),
            v["usable"].as_f64(),
            v["page_arrived"].as_f64(),
            v["connected"].as_f64(),
        ) {
            return Load {
                page_arrived,
                connected,
                render,
                usable,
                app,
                entries: v["entries"].clone(),
            };
        }
        assert!(Instant::now() < deadline, "{url}: never became usable");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// What a Resource Timing entry is (the page, wasm, JS, CSS or an API request), and its path.
fn kind_of(e: &Value) -> (&'static str, &str) {
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
        "api"
    };
    (kind, path)
}

/// What a client that accepts only gzip downloads for the same first load: the page and each
/// asset it loaded fetched again with `Accept-Encoding: gzip` (older browsers; Chromium itself
/// over plain HTTP to another host), the body counted as it came, still compressed.
async fn gzip_only(entries: &Value) -> Value {
    let http = reqwest::Client::new();
    let mut by = std::collections::BTreeMap::<&str, f64>::new();
    for e in entries.as_array().into_iter().flatten() {
        let (kind, _) = kind_of(e);
        if kind == "api" {
            continue;
        }
        let url = e["name"].as_str().or_fail();
        let resp = http
            .get(url)
            .header("Accept-Encoding", "gzip")
            .send()
            .await
            .or_fail();
        assert!(resp.status().is_success(), "{url}: {}", resp.status());
        let encoding = resp.headers().get("content-encoding").cloned();
        let body = resp.bytes().await.or_fail();
        assert!(
            encoding.is_some_and(|v| v == "gzip") || body.len() < 1024,
            "{url} was not gzipped for a gzip-only client"
        );
        *by.entry(kind).or_default() += body.len() as f64;
    }
    let get = |k: &str| by.get(k).copied().unwrap_or(0.0);
    let assets: f64 = ["wasm", "js", "css"].iter().map(|k| get(k)).sum();
    json!({"html": get("html"), "wasm": get("wasm"), "js": get("js"), "css": get("css"),
           "first_load_assets": assets, "first_load_with_html": assets + get("html")})
}

/// Bytes of the first load by kind of file, from Resource Timing entries.
fn transfer(entries: &Value) -> Value {
    let mut by = std::collections::BTreeMap::<&str, (f64, f64, f64, u32)>::new();
    let mut api = Vec::new();
    for e in entries.as_array().into_iter().flatten() {
        let (kind, path) = kind_of(e);
        if kind == "api" {
            api.push(path.to_string());
        }
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
    // The link's far end: nginx with the deployed configuration (TLS 1.3, HTTP/2) in front of
    // the server, under a certificate of its own that the browser trusts.
    let server_port = reqwest::Url::parse(&a.url)
        .ok()
        .and_then(|u| u.port())
        .unwrap_or_else(|| panic!("--url {}: an address with its port is needed", a.url));
    let nginx = Nginx::start([server_port, server_port]);
    let b = Browser::start_trusting(360, 640, &nginx.spki_sha256()).await;
    b.cdp("Network.enable", json!({})).await;
    let pages = [
        ("pledge_form", format!("{}/k/{}", a.url, a.campaign)),
        ("tip_form", format!("{}/to-giac", a.url)),
    ];

    // What a first visit downloads, unthrottled.
    let first = load(&b, &pages[0].1, None).await.entries;
    let sizes = transfer(&first);
    let gzip = gzip_only(&first).await;

    let mut ready = serde_json::Map::new();
    for p in [LIGHTHOUSE_MOBILE, DEVTOOLS_SLOW_3G, SLOW_3G_LINK] {
        let (throttle, link) = match p.network {
            Network::DevTools {
                latency_ms,
                down_bytes_per_s,
                up_bytes_per_s,
            } => (
                json!({"offline": false, "latency": latency_ms,
                       "downloadThroughput": down_bytes_per_s, "uploadThroughput": up_bytes_per_s}),
                None,
            ),
            Network::Link(shape) => (
                json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
                Some(Link::start(([127, 0, 0, 1], nginx.https_port).into(), shape).await),
            ),
        };
        b.cdp("Network.emulateNetworkConditions", throttle).await;
        b.cdp(
            "Emulation.setCPUThrottlingRate",
            json!({"rate": p.cpu_slowdown}),
        )
        .await;
        let mut per_page = serde_json::Map::new();
        for (page, url) in &pages {
            // Through the link, the same path at the link's own address.
            let url = match &link {
                Some(l) => url.replacen(&a.url, &format!("https://{}", l.addr), 1),
                None => url.clone(),
            };
            let (mut render, mut usable, mut app) = (Vec::new(), Vec::new(), Vec::new());
            let (mut arrived, mut connected) = (Vec::new(), Vec::new());
            for _ in 0..a.runs {
                let l = load(&b, &url, link.as_ref()).await;
                arrived.push(l.page_arrived);
                connected.push(l.connected);
                render.push(l.render);
                usable.push(l.usable);
                app.push(l.app);
            }
            per_page.insert(
                (*page).to_string(),
                json!({"connected": summary(connected), "page_arrived": summary(arrived), "render": summary(render),
                       "usable": summary(usable), "app": summary(app)}),
            );
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
        json!({"transfer": sizes, "gzip_only": gzip, "ready": ready, "runs": a.runs})
    );
}
