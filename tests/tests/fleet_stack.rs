//! The fleet test of issue 21, with real parts: a PostgreSQL primary and a streaming replica of
//! its own (Debian's `initdb`, `pg_basebackup -R`), two `bvantq` processes with the same keys,
//! and nginx running `deploy/nginx/bvantq.conf` in front. Signing load goes through nginx while
//! one instance is killed (SIGKILL) and restarted and the other restarted gracefully (SIGTERM); a
//! campaign window moved on one instance is refused on the other; a guessing burst over both hits
//! one limit; dashboards read from the replica, and from the primary once it lags or stops.
//! Afterwards every acknowledged pledge is there once, the counters equal a recount, and nothing
//! answered a 5xx. `BVANTQ_STACK_SIGNINGS` sets the load (CI: 400; `./dev bench fleet`: more).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bvantq_tests::OrFail;
use bvantq_tests::process::{ServerProcess, binary, repo_root, test_keys};
use bvantq_tests::stack::{Cluster, Nginx, free_port};
use diesel::prelude::*;
use serde_json::{Value, json};

const METRICS_TOKEN: &str = "metrics-token-of-the-fleet";

fn env(
    primary: &str,
    replica: &str,
    data: &std::path::Path,
    public: &str,
) -> Vec<(&'static str, String)> {
    let mut e = test_keys();
    e.extend([
        ("DATABASE_URL", primary.to_string()),
        ("DATABASE_READ_URL", replica.to_string()),
        ("BVANTQ_READ_MAX_LAG_MS", "1000".into()),
        ("BVANTQ_DATA_DIR", data.display().to_string()),
        ("BVANTQ_PUBLIC_URL", public.to_string()),
        (
            "BVANTQ_WEB_DIR",
            repo_root().join("web-form/dist").display().to_string(),
        ),
        ("BVANTQ_TRUST_PROXY", "true".into()),
        ("BVANTQ_TRUSTED_PROXIES", "127.0.0.1".into()),
        (
            "BVANTQ_DEMO_PASSWORD",
            bvantq_tests::process::DEMO_PASSWORD.into(),
        ),
        ("BVANTQ_METRICS_TOKEN", METRICS_TOKEN.into()),
        // One address (nginx's client, this test) signs for a whole town.
        ("BVANTQ_SIGNINGS_PER_IP_PER_HOUR", "1000000".into()),
        ("BVANTQ_SIGNINGS_PER_CAMPAIGN_PER_HOUR", "1000000".into()),
        ("BVANTQ_SIGNING_BURST", "1000000".into()),
        ("BVANTQ_LOG", "info".into()),
    ]);
    e
}

async fn serve(port: u16, env: &[(&'static str, String)], demo: bool) -> ServerProcess {
    let bind = format!("127.0.0.1:{port}");
    let mut args = vec!["serve", "--bind", &bind, "--workers", "2"];
    if demo {
        args.push("--demo");
    }
    ServerProcess::start(&binary(), &args, env, Duration::from_secs(60)).await
}

fn worker(n: usize) -> Value {
    json!({"unit_code": "PB-22759-0001", "full_name": "Lê Văn Tám", "birth_date": "1990-05-01",
           "citizen_id": format!("0580900{n:05}"), "commitments_accepted": [1, 2, 3, 4, 5],
           "privacy_consent": true})
}

/// What the load saw: statuses by count, and the signings acknowledged.
#[derive(Default)]
struct Seen {
    statuses: BTreeMap<u16, usize>,
    acknowledged: Vec<usize>,
    transport_errors: Vec<String>,
}

/// Signs `0..total` through nginx, four at a time, each with its own Idempotency-Key (as the
/// form does), sending a request again with the same key when the connection failed.
async fn load(
    c: reqwest::Client,
    url: String,
    total: usize,
    next: Arc<AtomicUsize>,
    seen: Arc<Mutex<Seen>>,
) {
    loop {
        let n = next.fetch_add(1, Ordering::SeqCst);
        if n >= total {
            return;
        }
        for attempt in 0..3 {
            let r = c
                .post(&url)
                .header("Idempotency-Key", format!("stack-{n}"))
                .json(&worker(n))
                .send()
                .await;
            let mut s = seen.lock().or_fail();
            match r {
                Ok(r) => {
                    let status = r.status().as_u16();
                    *s.statuses.entry(status).or_default() += 1;
                    if status == 201 || status == 200 {
                        s.acknowledged.push(n);
                    }
                    break;
                }
                Err(e) if attempt < 2 => s.transport_errors.push(e.to_string()),
                Err(e) => panic!("signing {n} failed three times: {e}"),
            }
        }
    }
}

fn term(p: &ServerProcess) {
    let pid = p.child.id().or_fail().to_string();
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .or_fail();
    assert!(ok.success());
}

/// The body of the answer to `req`, as text.
async fn text_of(req: reqwest::RequestBuilder) -> String {
    req.send().await.or_fail().text().await.or_fail()
}

async fn metric(c: &reqwest::Client, base: &str, name: &str) -> f64 {
    let text = text_of(c.get(format!("{base}/metrics")).bearer_auth(METRICS_TOKEN)).await;
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.trim().parse().ok())
        .unwrap_or_else(|| panic!("no {name} in\n{text}"))
}

/// Waits (at most 5 s) until `bvantq_read_replica_fresh` is `want`; how long it took.
async fn wait_for(c: &reqwest::Client, base: &str, want: f64, never: &str) -> Duration {
    let start = Instant::now();
    while metric(c, base, "bvantq_read_replica_fresh").await != want {
        assert!(start.elapsed() < Duration::from_secs(5), "{never}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    start.elapsed()
}

async fn get_json(c: &reqwest::Client, url: &str, token: &str) -> (u16, Value) {
    let r = c.get(url).bearer_auth(token).send().await.or_fail();
    (r.status().as_u16(), r.json().await.or_fail())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_fleet_behind_nginx_with_a_replica() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL tests are skipped");
        return;
    }
    let total: usize = std::env::var("BVANTQ_STACK_SIGNINGS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(400);
    let primary = Cluster::primary();
    let mut replica = Cluster::replica_of(&primary);
    let (db, rdb) = (primary.url("postgres"), replica.url("postgres"));
    let ports = [free_port(), free_port()];
    let nginx = Nginx::start(ports);
    let data: Vec<tempfile::TempDir> = (0..2).map(|_| tempfile::tempdir().or_fail()).collect();
    let envs: Vec<_> = (0..2)
        .map(|i| env(&db, &rdb, data[i].path(), &nginx.base()))
        .collect();
    let mut a = serve(ports[0], &envs[0], true).await;
    let mut b = serve(ports[1], &envs[1], false).await;
    let web = nginx.client();
    let base = nginx.base();
    let direct = reqwest::Client::new();

    // The demo's worker campaign, signed through nginx.
    let out = a.output.lock().map(|o| o.clone()).or_fail();
    let code = out
        .lines()
        .find_map(|l| {
            let (code, title) = l.trim().strip_prefix("campaign ")?.split_once(": ")?;
            title.contains("CBCNV").then(|| code.to_string())
        })
        .unwrap_or_else(|| panic!("no worker campaign printed:\n{out}"));
    let mut conn = PgConnection::establish(&db).or_fail();
    let before = counted(&mut conn);

    // --- Signing load while A is killed and B is restarted gracefully.
    let (next, seen) = (
        Arc::new(AtomicUsize::new(0)),
        Arc::new(Mutex::new(Seen::default())),
    );
    let url = format!("{base}/api/v1/campaigns/{code}/pledges");
    let started = Instant::now();
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            tokio::spawn(load(
                web.clone(),
                url.clone(),
                total,
                next.clone(),
                seen.clone(),
            ))
        })
        .collect();
    let progress = |at: usize| {
        let next = next.clone();
        async move {
            while next.load(Ordering::SeqCst) < at {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        }
    };
    progress(total / 4).await;
    a.kill().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    a = serve(ports[0], &envs[0], false).await;
    progress(total / 2).await;
    term(&b);
    let stopped = tokio::time::timeout(Duration::from_secs(40), b.child.wait())
        .await
        .or_fail()
        .or_fail();
    assert!(
        stopped.success(),
        "SIGTERM: the server exits cleanly, {stopped:?}\n{}",
        b.logs()
    );
    b = serve(ports[1], &envs[1], false).await;
    for t in tasks {
        t.await.or_fail();
    }
    let seen = Arc::try_unwrap(seen).ok().or_fail().into_inner().or_fail();
    let secs = started.elapsed().as_secs_f64();
    // nginx's log names every instance a request went to: `A, B` when the connection to A failed
    // and B was tried, `A : B` when A failed after the request was sent and `@keyed_retry` sent
    // it again for its Idempotency-Key.
    let log = nginx.access_log();
    let ups: Vec<&str> = log.lines().filter_map(|l| l.split(" up=").nth(1)).collect();
    let next = ups.iter().filter(|u| u.contains(", ")).count();
    let keyed = ups.iter().filter(|u| u.contains(" : ")).count();
    eprintln!(
        "load: {total} signings in {secs:.1} s ({:.0}/s) through two restarts: {:?}; nginx tried the other instance for {next} and sent {keyed} again for their key; the client sent {} again after a transport error",
        total as f64 / secs,
        seen.statuses,
        seen.transport_errors.len()
    );
    assert!(
        seen.statuses.keys().all(|s| *s < 500 || *s == 503),
        "no 5xx but the documented 503: {:?}\n{}",
        seen.statuses,
        nginx
            .access_log()
            .lines()
            .filter(|l| l.contains("\" 50"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut acknowledged = seen.acknowledged.clone();
    acknowledged.sort_unstable();
    acknowledged.dedup();
    assert_eq!(
        acknowledged.len(),
        total,
        "every signing was acknowledged: {:?}",
        seen.statuses
    );
    let after = counted(&mut conn);
    assert_eq!(
        after.0 - before.0,
        total as i64,
        "every acknowledged pledge is there once"
    );
    assert_eq!(after.0, after.1, "the counters equal a recount");

    graceful_stop_finishes_a_request_in_flight(&mut b, ports[1], &envs[1], &code).await;
    through_nginx(&nginx, &direct, &a, &code).await;
    let org = bvantq_tests::process::demo_token(&direct, &a.address, "dn.thuysan").await;
    window_moved_on_a_is_refused_on_b(&direct, &a, &b, &org).await;
    guessing_burst_hits_one_limit(&web, &base).await;
    let staff = bvantq_tests::process::demo_token(&direct, &a.address, "tinh.khanhhoa").await;
    replica_reads_and_fallback(&direct, &a, &staff, &mut replica, &code).await;
    let end = counted(&mut conn);
    assert_eq!(end.0, end.1, "the counters equal a recount at the end");
}

/// Pledges of the demo's workshop, and what its counters say.
fn counted(conn: &mut PgConnection) -> (i64, i64) {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        pledges: i64,
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        signed: i64,
    }
    let n: N = diesel::sql_query(
        "SELECT (SELECT count(*) FROM pledges WHERE unit_code = 'PB-22759-0001') AS pledges, \
         (SELECT coalesce(sum(signed), 0)::bigint FROM coverage_signed WHERE unit_code = 'PB-22759-0001') AS signed",
    )
    .get_result(conn)
    .or_fail();
    (n.pledges, n.signed)
}

/// SIGTERM while a signing's body is half sent: the request is finished and answered, the pledge
/// written, new connections refused, and the process exits 0.
async fn graceful_stop_finishes_a_request_in_flight(
    b: &mut ServerProcess,
    port: u16,
    env: &[(&'static str, String)],
    code: &str,
) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = worker(90_000).to_string();
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .or_fail();
    let head = format!(
        "POST /api/v1/campaigns/{code}/pledges HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
         Idempotency-Key: stack-in-flight\r\nContent-Length: {}\r\nConnection: close\r\n\
         Expect: 100-continue\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).await.or_fail();
    // The server answers `100 Continue` once a worker has taken the request: from then on it is
    // in flight (a connection still queued for a worker when SIGTERM comes is dropped, and a
    // proxy sends it elsewhere).
    let mut cont = [0u8; 25];
    s.read_exact(&mut cont).await.or_fail();
    assert!(
        cont.starts_with(b"HTTP/1.1 100 Continue"),
        "{}",
        String::from_utf8_lossy(&cont)
    );
    let (first, rest) = body.split_at(body.len() / 2);
    s.write_all(first.as_bytes()).await.or_fail();
    tokio::time::sleep(Duration::from_millis(200)).await;
    term(b);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err(),
        "a stopping server takes no new connection"
    );
    let mut answer = String::new();
    let sent = s.write_all(rest.as_bytes()).await;
    let read = s.read_to_string(&mut answer).await;
    assert!(
        sent.is_ok() && read.is_ok(),
        "the request in flight lost its connection: {sent:?} {read:?}\n{}",
        b.logs()
    );
    assert!(
        answer.starts_with("HTTP/1.1 201"),
        "the request in flight was answered: {answer}"
    );
    let status = tokio::time::timeout(Duration::from_secs(40), b.child.wait())
        .await
        .or_fail()
        .or_fail();
    assert!(status.success(), "{status:?}");
    *b = serve(port, env, false).await;
}

/// TLS, HSTS, the redirect from plain HTTP, a forged X-Forwarded-For replaced, brotli passed
/// through unchanged, the body limits.
async fn through_nginx(nginx: &Nginx, direct: &reqwest::Client, a: &ServerProcess, code: &str) {
    let (web, base) = (&nginx.client(), &nginx.base());
    let r = web.get(format!("{base}/readyz")).send().await.or_fail();
    let hsts: Vec<_> = r
        .headers()
        .get_all("strict-transport-security")
        .iter()
        .collect();
    assert_eq!(hsts.len(), 1, "one HSTS header: {hsts:?}");
    assert!(hsts[0].to_str().or_fail().starts_with("max-age=31536000"));
    // The pledge form's script as the browser asks for it: the server's brotli bytes, untouched.
    let page = text_of(direct.get(format!("{}/k/{code}", a.address))).await;
    let asset = page
        .split("/assets/")
        .skip(1)
        .filter_map(|s| s.split(['"', '\'']).next())
        .find(|name| name.starts_with("web_form_pledge") && name.ends_with(".js"))
        .unwrap_or_else(|| panic!("no pledge script in the form page:\n{page}"))
        .to_string();
    let get = |c: &reqwest::Client, url: String| c.get(url).header("Accept-Encoding", "br").send();
    let via = get(web, format!("{base}/assets/{asset}")).await.or_fail();
    assert_eq!(
        via.headers().get("content-encoding").map(|v| v.as_bytes()),
        Some(&b"br"[..]),
        "{via:?}"
    );
    let via = via.bytes().await.or_fail();
    let own = get(direct, format!("{}/assets/{asset}", a.address))
        .await
        .or_fail()
        .bytes()
        .await
        .or_fail();
    assert_eq!(via, own, "nginx passes the server's brotli through");
    // A JSON body over the server's 64 kB: refused by nginx before it reaches an instance.
    let big = "x".repeat(70 * 1024);
    let r = web
        .post(format!("{base}/api/v1/auth/login"))
        .body(big)
        .send()
        .await
        .or_fail();
    assert_eq!(r.status(), 413);
    assert!(r.headers().contains_key("strict-transport-security"));
    assert!(
        !r.headers().contains_key("x-request-id"),
        "nginx refused it, not an instance"
    );
    // A tip's body may be larger (photos): 1 MB passes nginx and gets the server's own answer.
    let tip = json!({"category": "gambling", "commune_code": "22759", "description": "x".repeat(1 << 20)});
    let r = web
        .post(format!("{base}/api/v1/tips"))
        .json(&tip)
        .send()
        .await
        .or_fail();
    assert!(r.headers().contains_key("x-request-id"), "{r:?}");
    assert_eq!(
        r.headers()["content-type"],
        "application/problem+json",
        "{r:?}"
    );
    // Plain HTTP is sent to HTTPS.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .or_fail()
        .get(format!("http://127.0.0.1:{}/to-giac", nginx.http_port))
        .header("Host", "camket.example.gov.vn")
        .send()
        .await
        .or_fail();
    assert_eq!(r.status(), 301);
    assert_eq!(
        r.headers()["location"],
        "https://camket.example.gov.vn/to-giac"
    );
}

async fn window_moved_on_a_is_refused_on_b(
    c: &reqwest::Client,
    a: &ServerProcess,
    b: &ServerProcess,
    org: &str,
) {
    let templates: Value = c
        .get(format!("{}/api/v1/pledge-templates?kind=worker", a.address))
        .send()
        .await
        .or_fail()
        .json()
        .await
        .or_fail();
    let body = json!({"kind": "worker", "year": 2026, "title": "Cam kết đợt 2",
        "template_id": templates[0]["id"], "opens_on": "2026-03-01", "closes_on": "2026-12-31",
        "units": ["PB-22759-0001"]});
    let v: Value = c
        .post(format!("{}/api/v1/campaigns", a.address))
        .bearer_auth(org)
        .header("Idempotency-Key", "stack-campaign")
        .json(&body)
        .send()
        .await
        .or_fail()
        .json()
        .await
        .or_fail();
    let code = v["code"]
        .as_str()
        .unwrap_or_else(|| panic!("{v}"))
        .to_string();
    let sign = |n: usize| {
        c.post(format!("{}/api/v1/campaigns/{code}/pledges", b.address))
            .header("Idempotency-Key", format!("stack-w-{n}"))
            .json(&worker(n))
            .send()
    };
    assert_eq!(sign(95_000).await.or_fail().status(), 201);
    let r = c
        .put(format!("{}/api/v1/campaigns/{code}/window", a.address))
        .bearer_auth(org)
        .json(&json!({"opens_on": "2026-03-01", "closes_on": "2026-03-01"}))
        .send()
        .await
        .or_fail();
    assert_eq!(r.status(), 200);
    let moved = Instant::now();
    for n in 95_001.. {
        let r = sign(n).await.or_fail();
        if r.status() == 409 {
            break;
        }
        assert!(
            moved.elapsed() < Duration::from_secs(1),
            "B took signings {:?} after the move",
            moved.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    eprintln!("the moved window was seen by B after {:?}", moved.elapsed());
}

/// 30 wrong receipt codes through nginx, half with a forged X-Forwarded-For: nginx replaces it,
/// so all count against one address, over both instances: 10 answered, 20 refused.
async fn guessing_burst_hits_one_limit(web: &reqwest::Client, base: &str) {
    let burst = (0..30).map(|i| {
        let mut r = web
            .post(format!("{base}/api/v1/tips/follow-up"))
            .json(&json!({"receipt_code": format!("ABCD-EFGH-JKMN-PQRS-{:04}", 3000 + i)}));
        if i % 2 == 0 {
            r = r.header("X-Forwarded-For", format!("203.0.113.{i}"));
        }
        r.send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(burst)
        .await
        .into_iter()
        .map(|r| r.or_fail().status().as_u16())
        .collect();
    let count = |s: u16| statuses.iter().filter(|x| **x == s).count();
    assert_eq!((count(404), count(429)), (10, 20), "{statuses:?}");
}

async fn replica_reads_and_fallback(
    c: &reqwest::Client,
    a: &ServerProcess,
    staff: &str,
    replica: &mut Cluster,
    code: &str,
) {
    let base = &a.address;
    let coverage = format!("{base}/api/v1/coverage?unit=PB-22759-0001&kind=worker&year=2026");
    let fresh = "bvantq_read_replica_fresh";
    let on_replica = "bvantq_reads_total{db=\"replica\"}";
    let on_primary = "bvantq_reads_total{db=\"primary\"}";
    assert_eq!(metric(c, base, fresh).await, 1.0);
    let r0 = metric(c, base, on_replica).await;
    let (status, _) = get_json(c, &format!("{base}/api/v1/dashboard"), staff).await;
    assert_eq!(status, 200);
    let (status, seen) = get_json(c, &coverage, staff).await;
    assert_eq!(status, 200, "{seen}");
    assert_eq!(
        metric(c, base, on_replica).await,
        r0 + 2.0,
        "the dashboard and coverage read the replica"
    );

    // Replay paused: a signing is not on the replica. Within the lag allowed the read may miss
    // it; past it, reads go to the primary and see it.
    let mut rc = PgConnection::establish(&replica.url("postgres")).or_fail();
    diesel::sql_query("SELECT pg_wal_replay_pause()")
        .execute(&mut rc)
        .or_fail();
    let r = c
        .post(format!("{base}/api/v1/campaigns/{code}/pledges"))
        .header("Idempotency-Key", "stack-lag")
        .json(&worker(96_000))
        .send()
        .await
        .or_fail();
    assert_eq!(r.status(), 201);
    let (_, stale) = get_json(c, &coverage, staff).await;
    assert_eq!(
        stale, seen,
        "a replica read a moment old does not see the signing yet"
    );
    let p0 = metric(c, base, on_primary).await;
    let left = wait_for(c, base, 0.0, "the lag was never noticed").await;
    eprintln!("a paused replica was left after {left:?}");
    let (status, now) = get_json(c, &coverage, staff).await;
    assert_eq!(status, 200);
    assert_ne!(now, seen, "the primary has the signing");
    assert_eq!(metric(c, base, on_primary).await, p0 + 1.0);
    assert!(
        a.logs()
            .contains("read replica lags; reads go to the primary"),
        "{}",
        a.logs()
    );
    diesel::sql_query("SELECT pg_wal_replay_resume()")
        .execute(&mut rc)
        .or_fail();
    drop(rc);
    wait_for(c, base, 1.0, "the replica never caught up").await;
    let (_, caught_up) = get_json(c, &coverage, staff).await;
    assert_eq!(caught_up, now, "the replica caught up");

    // The replica stopped: every read still answers, from the primary.
    replica.stop();
    for _ in 0..5 {
        let (status, v) = get_json(c, &format!("{base}/api/v1/dashboard"), staff).await;
        assert_eq!(status, 200, "{v}");
    }
    assert_eq!(metric(c, base, fresh).await, 0.0);
    let logs = a.logs();
    assert!(
        logs.contains("read replica unreachable; reads go to the primary"),
        "{logs}"
    );
}

/// The unit in deploy/systemd is hardened: `systemd-analyze security` rates its exposure at most
/// 2.0 of 10 (`--threshold` counts in tenths; the unit rates 1.1, "OK", and without its hardening
/// options 9.2, "UNSAFE").
#[test]
fn the_systemd_unit_is_hardened() {
    let unit = repo_root().join("deploy/systemd/bvantq@.service");
    let out = std::process::Command::new("systemd-analyze")
        .args(["security", "--offline=true", "--threshold=20", "--no-pager"])
        .arg(&unit)
        .output()
        .unwrap_or_else(|e| panic!("systemd-analyze: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    let level = text
        .lines()
        .find_map(|l| l.split("Overall exposure level for ").nth(1))
        .unwrap_or_else(|| panic!("no exposure level:\n{text}"));
    eprintln!("{level}");
    assert!(out.status.success(), "exposure above 2.0: {level}");
}
