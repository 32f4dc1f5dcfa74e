//! Logs never hold names, CCCD or phone numbers; an acknowledged write survives a crash.

use std::time::Duration;

use bvantq_tests::process::{ServerProcess, binary};
use bvantq_tests::{Backend, TestApp, TestDb, both};
use serde_json::json;

async fn start(db: &TestDb, data: &std::path::Path) -> ServerProcess {
    ServerProcess::start(
        &binary(),
        &["serve", "--demo", "--bind", "127.0.0.1:0", "--workers", "1"],
        &[
            ("DATABASE_URL", db.url.clone()),
            ("BVANTQ_DATA_DIR", data.display().to_string()),
            ("BVANTQ_DEMO_PASSWORD", "demo-password-1".into()),
            ("BVANTQ_LOG", "debug".into()),
        ],
        Duration::from_secs(60),
    )
    .await
}

async fn logs_hold_no_personal_data_and_writes_survive_a_kill(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let db = match backend {
        Backend::Sqlite => TestDb::sqlite(),
        Backend::Postgres => TestDb::postgres().unwrap_or_else(|| unreachable!()),
    };
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut server = start(&db, data.path()).await;
    let c = reqwest::Client::new();
    let base = server.address.clone();
    let login: serde_json::Value = c
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "congan.phanrang", "password": "demo-password-1"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .unwrap_or_default();
    let token = login["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let user = json!({"username": "hieu.truong", "display_name": "Trịnh Thị Bí Mật", "password": "mot-mat-khau-dai",
                      "role": "school_admin", "scope_unit": "TH-22759-0001",
                      "phone": "0987654321", "citizen_id": "056185099999"});
    let r = c
        .post(format!("{base}/api/v1/users"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "u1")
        .json(&user)
        .send()
        .await;
    assert_eq!(r.map(|r| r.status().as_u16()).unwrap_or(0), 201);
    // A rejected request with personal data in it.
    let mut bad = user.clone();
    bad["citizen_id"] = json!("05618509999X");
    let r = c
        .post(format!("{base}/api/v1/users"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "u2")
        .json(&bad)
        .send()
        .await;
    assert_eq!(r.map(|r| r.status().as_u16()).unwrap_or(0), 422);
    let _ = c
        .get(format!("{base}/api/v1/units?q=Trịnh%20Thị"))
        .send()
        .await;

    // Killed without warning right after the acknowledgement...
    server.kill().await;
    let logs = server.logs();
    assert!(
        logs.contains("\"route\":\"/api/v1/users\""),
        "request logs are there: {logs}"
    );
    for secret in [
        "Trịnh",
        "Bí Mật",
        "0987654321",
        "987654321",
        "056185099999",
        "05618509999X",
        "demo-password-1",
        "mot-mat-khau-dai",
    ] {
        assert!(!logs.contains(secret), "logs contain {secret}:\n{logs}");
    }
    // ...the account is still there after a restart.
    let server = start(&db, data.path()).await;
    let r = c
        .post(format!("{}/api/v1/auth/login", server.address))
        .json(&json!({"username": "hieu.truong", "password": "mot-mat-khau-dai"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
}

both!(logs_hold_no_personal_data_and_writes_survive_a_kill);
