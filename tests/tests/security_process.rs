//! The promises of SECURITY.md that only the real binary shows (issue 15): a reporter's request
//! leaves no log line and no per-request metric; keys are required on PostgreSQL, checked, and
//! the CCCD key rotates without losing a match; the public address is required; `/metrics` on
//! its own address; idempotency records purged by the command.

use bvantq_tests::OrFail;
use std::time::Duration;

use bvantq_tests::process::{ServerProcess, binary, demo_token as token, test_keys};
use bvantq_tests::{Backend, TestApp, TestDb, both};
use serde_json::{Value, json};

/// `bvantq serve --demo` on `db` with the test keys, debug logs and `extra` environment.
async fn serve(db: &TestDb, data: &std::path::Path, extra: &[(&str, &str)]) -> ServerProcess {
    ServerProcess::demo(&db.url, data, extra).await
}

/// Runs the binary to completion: (success, stdout + stderr).
fn run(args: &[&str], env: &[(&str, String)]) -> (bool, String) {
    let mut cmd = std::process::Command::new(binary());
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").or_fail());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

const METRICS_TOKEN: &str = "metrics-token-of-the-operator";

/// Item 3: around a tip intake (and a follow-up), the logs gain no line at all — not even at
/// debug level — and the metrics do not change; an officer's request is logged and counted.
async fn a_tip_leaves_no_trace_in_logs_or_metrics(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut server = serve(&db, data.path(), &[("BVANTQ_METRICS_TOKEN", METRICS_TOKEN)]).await;
    let c = reqwest::Client::new();
    let base = server.address.clone();
    let metrics = || async {
        c.get(format!("{base}/metrics"))
            .bearer_auth(METRICS_TOKEN)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .or_fail()
    };
    // Everything the start-up and the demo wrote is there; the maintenance run is done.
    let metrics_before = metrics().await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let logs_before = server.logs();
    let r = c
        .post(format!("{base}/api/v1/tips"))
        .header("Idempotency-Key", "tip-1")
        .json(&json!({"category": "drugs", "commune_code": "22759",
                      "description": "Có người bán ma túy ở chợ."}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 201);
    let receipt: Value = r.json().await.or_fail();
    let r = c
        .post(format!("{base}/api/v1/tips/follow-up"))
        .json(&json!({"receipt_code": receipt["receipt_code"]}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    // The same through the pages the server draws for a phone without script.
    let r = c
        .post(format!("{base}/to-giac"))
        .form(&[
            ("lang", "vi"),
            ("idempotency_key", "pg-tip-1"),
            ("category", "drugs"),
            ("commune_code", "22759"),
            ("description", "Có người bán ma túy ở bến xe."),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let page = r.text().await.or_fail();
    assert!(page.contains("data-testid=\"tip-code\""), "{page}");
    let r = c
        .post(format!("{base}/theo-doi"))
        .form(&[
            ("lang", "vi"),
            ("receipt_code", receipt["receipt_code"].as_str().or_fail()),
        ])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        server.logs(),
        logs_before,
        "a reporter's request wrote to the log"
    );
    let metrics_after = metrics().await;
    // The scrape itself is counted; nothing else changed.
    let strip = |m: &str| {
        m.lines()
            .filter(|l| !l.contains("route=\"/metrics\"") && !l.contains("bvantq_db_pool"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&metrics_after), strip(&metrics_before));
    assert!(!metrics_after.contains("/api/v1/tips\""), "{metrics_after}");
    assert!(!metrics_after.contains("/to-giac\""), "{metrics_after}");
    // An officer's request is logged and counted.
    let t = token(&c, &base, "congan.phanrang").await;
    let _ = c
        .get(format!("{base}/api/v1/tips"))
        .bearer_auth(&t)
        .send()
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(server.logs().contains("\"route\":\"/api/v1/tips\""));
    assert!(
        metrics()
            .await
            .contains("route=\"/api/v1/tips\",status=\"200\"")
    );
    // Without the token, /metrics is refused (401, as the OpenAPI document says), and shows
    // nothing.
    let r = c
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 401);
    assert!(
        !r.text()
            .await
            .or_fail()
            .contains("bvantq_http_requests_total")
    );
    server.kill().await;
}

/// `/metrics` on its own address: open there (for a local Prometheus), absent on the public one,
/// and that address serves nothing else.
async fn metrics_have_their_own_address(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut server = serve(&db, data.path(), &[("BVANTQ_METRICS_BIND", "127.0.0.1:0")]).await;
    let out = server.output.lock().map(|o| o.clone()).or_fail();
    let maddr = out
        .lines()
        .find_map(|l| l.strip_prefix("metrics on "))
        .and_then(|u| u.strip_suffix("/metrics"))
        .unwrap_or_else(|| panic!("no metrics address printed:\n{out}"))
        .to_string();
    let c = reqwest::Client::new();
    let status = |url: String| {
        let r = c.get(url).send();
        async move { r.await.map(|r| r.status().as_u16()).unwrap_or(0) }
    };
    assert_eq!(status(format!("{maddr}/metrics")).await, 200);
    assert_eq!(status(format!("{maddr}/api/v1/units")).await, 404);
    assert_eq!(status(format!("{}/metrics", server.address)).await, 404);
    assert_eq!(
        status(format!("{}/api/v1/units", server.address)).await,
        200
    );
    server.kill().await;
}

/// Item 5 and item 4: what a server refuses to start with.
async fn a_server_refuses_to_start_unsafely(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let base = vec![
        ("DATABASE_URL", db.url.clone()),
        ("BVANTQ_DATA_DIR", data.path().display().to_string()),
        ("BVANTQ_PUBLIC_URL", "https://camket.example.gov.vn".into()),
        ("BVANTQ_BIND", "127.0.0.1:0".into()),
    ];
    // Not a demo: without a public address the server does not start (links would follow Host).
    let mut env = base.clone();
    env.retain(|(k, _)| *k != "BVANTQ_PUBLIC_URL");
    env.extend(test_keys());
    let (ok, out) = run(&["serve"], &env);
    assert!(!ok && out.contains("BVANTQ_PUBLIC_URL"), "{out}");
    // A passphrase is no key.
    let mut env = base.clone();
    env.extend(test_keys());
    env.push((
        "BVANTQ_TIP_KEY",
        "this is my long secret passphrase!!".into(),
    ));
    let (ok, out) = run(&["serve"], &env);
    assert!(
        !ok && out.contains("BVANTQ_TIP_KEY") && out.contains("base64"),
        "{out}"
    );
    // Without keys: PostgreSQL refuses and names them all; SQLite makes them, in its directory.
    let (ok, out) = run(&["migrate"], &base);
    assert!(ok, "{out}");
    if backend == Backend::Postgres {
        let (ok, out) = run(&["serve"], &base);
        assert!(!ok, "{out}");
        for name in [
            "BVANTQ_JWT_SECRET",
            "BVANTQ_CCCD_HMAC_KEY",
            "BVANTQ_TIP_KEY",
        ] {
            assert!(out.contains(name), "{name} not named:\n{out}");
        }
        assert!(
            !data.path().join("secrets").exists(),
            "no key was written beside the data"
        );
    } else {
        let mut server =
            ServerProcess::start(&binary(), &["serve"], &base, Duration::from_secs(60)).await;
        server.kill().await;
        assert!(data.path().join("secrets/cccd-hmac.key").exists());
    }
}

fn worker(name: &str, cccd: &str) -> Value {
    json!({"unit_code": "PB-22759-0001", "full_name": name, "birth_date": "1985-05-05",
           "citizen_id": cccd, "commitments_accepted": (1..=WORKER_COMMITMENTS).collect::<Vec<_>>(),
           "privacy_consent": true})
}

/// Commitments of the demo's worker template.
const WORKER_COMMITMENTS: usize = 5;

/// Item 5: the CCCD key rotates. Under the new key (the old one listed as older), a worker who
/// signed before is still recognised; `bvantq pledges rekey` wraps every stored hash; the chain
/// must then stay configured — the new key alone is refused rather than silently matching
/// nothing — and a rekeyed database copy no longer answers to the old key.
async fn the_cccd_key_rotates_without_losing_a_match(app: TestApp) {
    use base64::Engine;
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let k1 = test_keys()
        .into_iter()
        .find(|(k, _)| *k == "BVANTQ_CCCD_HMAC_KEY")
        .map(|(_, v)| v)
        .or_fail();
    let k2 = base64::engine::general_purpose::STANDARD.encode(rand::random::<[u8; 32]>());
    let c = reqwest::Client::new();
    let mut server = serve(&db, data.path(), &[]).await;
    let out = server.output.lock().map(|o| o.clone()).or_fail();
    let code = out
        .lines()
        .find_map(|l| {
            let rest = l.trim().strip_prefix("campaign ")?;
            let (code, title) = rest.split_once(": ")?;
            title.contains("CBCNV").then(|| code.to_string())
        })
        .unwrap_or_else(|| panic!("no worker campaign printed:\n{out}"));
    let post = |base: &str, body: &Value, key: &str| {
        c.post(format!("{base}/api/v1/campaigns/{code}/pledges"))
            .header("Idempotency-Key", key)
            .json(body)
            .send()
    };
    let first: Value = post(
        &server.address,
        &worker("Trương Văn Xoay", "056185246810"),
        "w1",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .json()
    .await
    .or_fail();
    assert_eq!(first["created"], true, "{first}");
    server.kill().await;

    // The new key, the old one listed: the same person is recognised.
    let rotated = [
        ("BVANTQ_CCCD_HMAC_KEY", k2.as_str()),
        ("BVANTQ_CCCD_OLD_KEYS", k1.as_str()),
    ];
    let mut server = serve(&db, data.path(), &rotated).await;
    let again: Value = post(
        &server.address,
        &worker("Trương Văn Xoay", "056185246810"),
        "w2",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .json()
    .await
    .or_fail();
    assert_eq!(again["created"], false, "{again}");
    assert_eq!(again["receipt"], first["receipt"]);
    let second: Value = post(
        &server.address,
        &worker("Mai Thị Mới", "056185135791"),
        "w3",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .json()
    .await
    .or_fail();
    assert_eq!(second["created"], true, "{second}");
    server.kill().await;

    // Rekey: every stored hash wrapped to the new chain.
    let mut env = test_keys();
    env.extend([
        ("DATABASE_URL", db.url.clone()),
        ("BVANTQ_DATA_DIR", data.path().display().to_string()),
        ("BVANTQ_CCCD_HMAC_KEY", k2.clone()),
        ("BVANTQ_CCCD_OLD_KEYS", k1.clone()),
    ]);
    let (ok, out) = run(&["pledges", "rekey"], &env);
    assert!(ok && out.contains("re-keyed 1 CCCD hash(es)"), "{out}");
    // The new key alone is another chain: refused, by name.
    let mut alone = env.clone();
    alone.retain(|(k, _)| *k != "BVANTQ_CCCD_OLD_KEYS");
    alone.push(("BVANTQ_PUBLIC_URL", "http://127.0.0.1".into()));
    alone.push(("BVANTQ_BIND", "127.0.0.1:0".into()));
    let (ok, out) = run(&["serve"], &alone);
    assert!(!ok && out.contains("BVANTQ_CCCD_OLD_KEYS"), "{out}");
    // With the chain, both people are recognised after the rekey.
    let mut server = serve(&db, data.path(), &rotated).await;
    for (name, cccd, want) in [
        ("Trương Văn Xoay", "056185246810", &first),
        ("Mai Thị Mới", "056185135791", &second),
    ] {
        let v: Value = post(
            &server.address,
            &worker(name, cccd),
            &format!("again-{cccd}"),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .or_fail();
        assert_eq!(v["created"], false, "{v}");
        assert_eq!(v["receipt"], want["receipt"]);
    }
    server.kill().await;
}

/// Item 1: `bvantq idempotency purge` forgets the stored responses older than its window.
async fn the_purge_command_forgets_old_idempotency_records(app: TestApp) {
    let ward = app
        .login_as(bvantq_shared::Role::WardOfficer, "22759")
        .await;
    app.open_campaign(&ward, "household", "Cam kết", &["KD-22759-0001"])
        .await;
    assert_eq!(app.count("idempotency_keys"), 1);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut env = test_keys();
    env.extend([
        ("DATABASE_URL", app.db.url.clone()),
        ("BVANTQ_DATA_DIR", data.path().display().to_string()),
    ]);
    // The record was written at the test clock's time, months ago for the real clock.
    let (ok, out) = run(&["idempotency", "purge", "--hours", "24"], &env);
    assert!(
        ok && out.contains("purged 1 idempotency record(s)"),
        "{out}"
    );
    assert_eq!(app.count("idempotency_keys"), 0);
}

both!(
    a_tip_leaves_no_trace_in_logs_or_metrics,
    metrics_have_their_own_address,
    a_server_refuses_to_start_unsafely,
    the_cccd_key_rotates_without_losing_a_match,
    the_purge_command_forgets_old_idempotency_records,
);
