//! The API contract: every operation of the served OpenAPI document exercised by Schemathesis
//! (a maintained property-based tester, pinned and installed by `./dev test`) against the real
//! server on both backends, with valid and invalid inputs, as every role and as nobody. Every
//! answer is checked against the document: its status is listed, its content type and headers
//! are the documented ones, its body matches the schema (formats included: RFC 3339 times with
//! an offset), invalid input is refused, a missing token is a 401, an undocumented method a 405
//! with `Allow`, and nothing is a 5xx.
//!
//! `positive_data_acceptance` (every schema-valid request succeeds) is left out: the server
//! checks more than JSON Schema can say — a CCCD's checksum, a date in the past, a unit of the
//! caller's scope — and refuses such input with a documented 422.
//!
//! The run has a fixed seed; its size is `BVANTQ_CONTRACT_EXAMPLES` cases per operation and role
//! (5 by default, as CI runs it; `./dev bench contract` runs it with 100).

use std::path::PathBuf;

use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json, t0};
use serde_json::Value;

const SEED: &str = "20261202";
const METRICS_TOKEN: &str = "contract-test-metrics-token-0123456789";

fn schemathesis() -> PathBuf {
    match std::env::var_os("BVANTQ_SCHEMATHESIS") {
        Some(p) => PathBuf::from(p),
        None => {
            let home = std::env::var_os("HOME").or_fail();
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(home).join(".cache"));
            cache.join("bvantq/schemathesis-4.32.5/bin/st")
        }
    }
}

/// The operator's metrics token, and rate limits out of the way: thousands of requests from one
/// address would otherwise meet a 429 before the check each case is written for (the limits
/// have their own tests in security.rs).
fn contract_config(c: &mut bvantq_api::infra::config::Config) {
    c.metrics_token = Some(METRICS_TOKEN.into());
    let many = 1_000_000;
    c.login_per_ip_per_minute = many;
    c.login_failures_per_account = many;
    c.tip_failures_per_ip = many;
    c.tip_failures_global = many;
    c.tips_per_ip_per_hour = many;
    c.signings_per_ip_per_hour = many;
    c.signings_per_campaign_per_hour = many;
    c.signing_burst = many;
    c.photo_bytes_per_hour = u64::from(many) << 20;
    c.photo_bytes_per_commune_per_hour = u64::from(many) << 20;
}

/// The demo province, its campaigns and tips: operations have real things to find.
fn seed(app: &TestApp) {
    let dir = tempfile::tempdir().or_fail();
    let mut conn = app.conn();
    bvantq_api::app::demo::seed_demo(
        &mut conn,
        dir.path(),
        Some("mat-khau-demo-2026"),
        bvantq_api::infra::config::Argon2Cost {
            memory_kib: 8,
            iterations: 1,
        },
        t0(),
    )
    .unwrap_or_else(|e| panic!("seed: {e}"));
    bvantq_api::app::demo::seed_demo_tips(&mut conn, &app.config, t0())
        .unwrap_or_else(|e| panic!("seed tips: {e}"));
}

/// One Schemathesis run as `who` (an access token, or none); the failures it reports.
async fn run(app: &TestApp, who: &str, token: Option<&str>) -> Vec<String> {
    let st = schemathesis();
    assert!(
        st.exists(),
        "Schemathesis is not installed at {} (./dev test installs it)",
        st.display()
    );
    let out_dir = tempfile::tempdir().or_fail();
    let junit = out_dir.path().join("junit.xml");
    let examples = std::env::var("BVANTQ_CONTRACT_EXAMPLES").unwrap_or_else(|_| "5".to_string());
    let mut cmd = tokio::process::Command::new(&st);
    cmd.arg("run")
        .arg(app.url("/api/v1/openapi.json"))
        .args([
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
        ])
        .args(["--seed", SEED, "--max-examples", &examples])
        .args(["--phases", "examples,coverage,fuzzing"])
        // One worker: Python 3.11's `ast` is not safe across threads (its recursion counter),
        // which Hypothesis trips over when it describes a strategy.
        .args([
            "--workers",
            "1",
            "--no-color",
            "--generation-database",
            "none",
        ])
        .args(["--request-timeout", "30"])
        // The notice stream stays open for minutes by design (tests/tests/tip_notices.rs reads
        // it); every other operation is checked.
        .args(["--exclude-operation-id", "stream_notices"])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(&junit)
        .env("SCHEMATHESIS_HOOKS", "")
        .current_dir(out_dir.path());
    if let Some(t) = token {
        cmd.args(["-H", &format!("Authorization: Bearer {t}")]);
    }
    let out = cmd.output().await.or_fail();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let report = std::fs::read_to_string(&junit).unwrap_or_else(|e| {
        panic!(
            "no report from Schemathesis as {who} ({e}); it said:\n{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let failed = !out.status.success();
    // The summary's failure lines, one per kind and operation, with the whole output kept for
    // the message.
    let mut found: Vec<String> = stdout
        .lines()
        .filter(|l| l.starts_with("___") || l.starts_with("- ST") || l.contains("Runtime Error"))
        .map(|l| format!("{who}: {}", l.trim_matches('_').trim()))
        .collect();
    if failed && found.is_empty() {
        found.push(format!("{who}: Schemathesis failed:\n{stdout}"));
    }
    if failed {
        eprintln!("--- Schemathesis as {who} ---\n{stdout}");
    }
    assert!(report.contains("<testsuite"), "{report}");
    found
}

async fn the_server_keeps_its_contract(app: TestApp) {
    seed(&app);
    let mut failures = Vec::new();
    let roles = [
        ("province officer", Role::ProvinceOfficer, "56"),
        ("ward officer", Role::WardOfficer, "22759"),
        ("school admin", Role::SchoolAdmin, "TH-22759-0001"),
        ("org admin", Role::OrgAdmin, "DN-22759-0001"),
        ("admin", Role::Admin, "56"),
    ];
    failures.extend(run(&app, "nobody", None).await);
    failures.extend(run(&app, "the metrics reader", Some(METRICS_TOKEN)).await);
    for (who, role, scope) in roles {
        let token = app.login_as(role, scope).await;
        failures.extend(run(&app, who, Some(&token)).await);
    }
    assert!(
        failures.is_empty(),
        "the server and its document disagree:\n{}",
        failures.join("\n")
    );
}

both!(contract_config => the_server_keeps_its_contract);

/// Where the committed document lives: `api/openapi.json`, beside the code it describes.
fn snapshot_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../api/openapi.json")
}

/// The places two documents differ, as JSON pointers (at most `limit`).
fn differences(a: &Value, b: &Value, at: &str, out: &mut Vec<String>, limit: usize) {
    if out.len() >= limit || a == b {
        return;
    }
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (x.get(k), y.get(k)) {
                    (Some(v), Some(w)) => differences(v, w, &here, out, limit),
                    (Some(_), None) => out.push(format!("{here}: only in the committed snapshot")),
                    (None, _) => out.push(format!("{here}: only in the served document")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                differences(v, w, &format!("{at}/{i}"), out, limit);
            }
        }
        _ => out.push(format!("{at}: {a} in the snapshot, {b} served")),
    }
}

/// The served document is the committed `api/openapi.json`, so that every change of the
/// contract shows in a diff a reviewer reads. After a deliberate change:
/// `BVANTQ_UPDATE_SNAPSHOT=1 cargo nextest run -p bvantq-tests --test contract snapshot`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_document_is_the_committed_snapshot() {
    let app = TestApp::spawn(bvantq_tests::Backend::Sqlite).await;
    let served = json(app.get("/api/v1/openapi.json", None).await).await;
    let text = format!("{}\n", serde_json::to_string_pretty(&served).or_fail());
    let path = snapshot_path();
    if std::env::var_os("BVANTQ_UPDATE_SNAPSHOT").is_some() {
        std::fs::write(&path, &text).or_fail();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (BVANTQ_UPDATE_SNAPSHOT=1 writes it)",
            path.display()
        )
    });
    if committed != text {
        let committed: Value = serde_json::from_str(&committed).or_fail();
        let mut found = Vec::new();
        differences(&committed, &served, "", &mut found, 40);
        panic!(
            "the served OpenAPI document is not the committed api/openapi.json; if the change \
             is meant, run with BVANTQ_UPDATE_SNAPSHOT=1 and commit the file. Differences:\n{}",
            if found.is_empty() {
                "(formatting only)".to_string()
            } else {
                found.join("\n")
            }
        );
    }
}
