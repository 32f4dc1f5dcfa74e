//! Logs never hold names, CCCD or phone numbers; an acknowledged write survives a crash.

use bvantq_tests::OrFail;
use bvantq_tests::process::{ServerProcess, binary, demo_token};
use bvantq_tests::{TestApp, TestDb, both};
use serde_json::json;

/// `bvantq serve --demo` on `db` with the test keys, debug logs and `extra` environment.
async fn start(db: &TestDb, data: &std::path::Path, extra: &[(&str, &str)]) -> ServerProcess {
    ServerProcess::demo(&db.url, data, extra).await
}

async fn logs_hold_no_personal_data_and_writes_survive_a_kill(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut server = start(&db, data.path(), &[]).await;
    let c = reqwest::Client::new();
    let base = server.address.clone();
    let token = demo_token(&c, &base, "congan.phanrang").await;
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
    let server = start(&db, data.path(), &[]).await;
    let r = c
        .post(format!("{}/api/v1/auth/login", server.address))
        .json(&json!({"username": "hieu.truong", "password": "mot-mat-khau-dai"}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
}

both!(logs_hold_no_personal_data_and_writes_survive_a_kill);

/// Every text value stored in the database, as one string (tables, all columns).
fn dump_database(db: &TestDb) -> String {
    use diesel::{Connection, QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    let tables = [
        "units",
        "users",
        "campaigns",
        "campaign_units",
        "roster_entries",
        "pledges",
        "idempotency_keys",
        "pledge_templates",
    ];
    let mut out = String::new();
    if db.url.starts_with("postgres") {
        let mut c = diesel::PgConnection::establish(&db.url).unwrap_or_else(|e| panic!("{e}"));
        for t in tables {
            let rows: Vec<Line> =
                diesel::sql_query(format!("SELECT row_to_json(t)::text AS line FROM {t} t"))
                    .load(&mut c)
                    .unwrap_or_else(|e| panic!("{e}"));
            for r in rows {
                out.push_str(&r.line);
                out.push('\n');
            }
        }
    } else {
        // The raw bytes of the database file and its write-ahead log.
        let path = db.url.trim_start_matches("sqlite://");
        for f in [path.to_string(), format!("{path}-wal")] {
            if let Ok(bytes) = std::fs::read(&f) {
                out.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    out
}

async fn cccd_is_never_stored_logged_or_exported_in_clear(app: TestApp) {
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut server = start(&db, data.path(), &[]).await;
    let base = server.address.clone();
    let c = reqwest::Client::new();
    let org = demo_token(&c, &base, "dn.thuysan").await;
    let templates: serde_json::Value = c
        .get(format!("{base}/api/v1/pledge-templates?kind=worker"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .or_fail();
    let today = chrono::Utc::now().date_naive();
    let body = json!({"kind": "worker", "year": 2026, "title": "Cam kết CBCNV", "template_id": templates[0]["id"],
                      "opens_on": today.to_string(), "closes_on": (today + chrono::TimeDelta::days(30)).to_string(),
                      "units": ["PB-22759-0001"]});
    let camp: serde_json::Value = c
        .post(format!("{base}/api/v1/campaigns"))
        .bearer_auth(&org)
        .header("Idempotency-Key", "c1")
        .json(&body)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .or_fail();
    let code = bvantq_tests::text(&camp, "code").to_string();
    // A roster with a CCCD, a signing with one, a rejected signing with a near-miss.
    let roster = "ho_ten,ngay_sinh,cccd\nĐinh Văn Roster,1991-02-03,058091777001\n";
    let r = c
        .post(format!(
            "{base}/api/v1/campaigns/{code}/roster?unit=PB-22759-0001"
        ))
        .bearer_auth(&org)
        .body(roster)
        .send()
        .await;
    assert_eq!(r.map(|r| r.status().as_u16()).unwrap_or(0), 201);
    let sign = |cccd: &str, key: &str| {
        c.post(format!("{base}/api/v1/campaigns/{code}/pledges"))
            .header("Idempotency-Key", key.to_string())
            .json(&json!({"unit_code": "PB-22759-0001", "full_name": "Đinh Văn Ký", "birth_date": "1992-04-05",
                          "citizen_id": cccd, "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true}))
            .send()
    };
    assert_eq!(
        sign("058092777002", "s1")
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0),
        201
    );
    assert_eq!(
        sign("058093777003", "s2")
            .await
            .map(|r| r.status().as_u16())
            .unwrap_or(0),
        422
    );
    let csv = c
        .get(format!("{base}/api/v1/campaigns/{code}/pledges.csv"))
        .bearer_auth(&org)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .or_fail();
    assert!(csv.contains("********7002"), "{csv}");
    server.kill().await;
    let logs = server.logs();
    let stored = dump_database(&db);
    assert!(stored.contains("7002"), "the last 4 digits are kept");
    for cccd in ["058091777001", "058092777002", "058093777003"] {
        assert!(!stored.contains(cccd), "{cccd} is stored in clear");
        assert!(!logs.contains(cccd), "{cccd} is in the logs");
        assert!(!csv.contains(cccd), "{cccd} is in the export");
    }
    // Idempotency records keep responses, not requests.
    assert!(!stored.contains("Đinh Văn Ký\",\"birth_date"));
}

both!(cccd_is_never_stored_logged_or_exported_in_clear);

/// The descriptions of every tip in the officer's queue (the demo's own and the test's), joined.
async fn tip_descriptions(c: &reqwest::Client, base: &str, token: &str) -> String {
    let list: serde_json::Value = c
        .get(format!("{base}/api/v1/tips"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .or_fail();
    let mut out = String::new();
    for item in list["items"].as_array().into_iter().flatten() {
        let id = bvantq_tests::text(item, "id");
        let d: serde_json::Value = c
            .get(format!("{base}/api/v1/tips/{id}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .json()
            .await
            .or_fail();
        out.push_str(bvantq_tests::text(&d, "description"));
        out.push('\n');
    }
    out
}

/// The real binary: reporters' requests leave no log line and no tip field in the logs; an
/// acknowledged tip survives a kill; `bvantq tips rekey` moves every record to a new key, after
/// which the old key can go.
async fn tips_stay_out_of_logs_and_keys_rotate(app: TestApp) {
    const K1: &str = "16ue8S/raekbZT4hPMChjJJV/zyQ8mOyPxi00kRm7sI=";
    const K2: &str = "pb5h3lNi6xWTrwddwUgFtXh5Fsto2xqICLEhv7QtMGc=";
    let backend = app.backend;
    drop(app);
    let db = TestDb::fresh(backend);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut server = start(&db, data.path(), &[("BVANTQ_TIP_KEY", K1)]).await;
    let c = reqwest::Client::new();
    let base = server.address.clone();
    let marker = "LOGMARKER ma túy";
    let r = c
        .post(format!("{base}/api/v1/tips"))
        .header("Idempotency-Key", "t1")
        .json(
            &json!({"category": "drugs", "commune_code": "22759", "anonymous": false,
                      "description": format!("{marker} bán ở chợ Phan Rang"),
                      "contact": {"name": "Đặng Văn Kín", "phone": "0977111222"}}),
        )
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 201);
    let receipt: serde_json::Value = r.json().await.or_fail();
    let code = receipt["receipt_code"].as_str().or_fail().to_string();
    let r = c
        .post(format!("{base}/api/v1/tips/follow-up"))
        .json(&json!({"receipt_code": code}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 200);
    let token = demo_token(&c, &base, "congan.phanrang").await;
    assert!(tip_descriptions(&c, &base, &token).await.contains(marker));
    server.kill().await;
    let logs = server.logs();
    assert!(
        logs.contains("\"method\":\"GET\",\"route\":\"/api/v1/tips/{id}\""),
        "officer reads are logged: {logs}"
    );
    for secret in [
        marker,
        "Kín",
        "977111222",
        code.as_str(),
        &code.replace('-', ""),
        "/api/v1/tips/follow-up",
        "\"method\":\"POST\",\"route\":\"/api/v1/tips\"",
    ] {
        assert!(!logs.contains(secret), "logs hold {secret:?}: {logs}");
    }

    // Rotate: K2 is current, K1 kept for reading while every record is re-sealed.
    let out = std::process::Command::new(binary())
        .args(["tips", "rekey"])
        .env("DATABASE_URL", &db.url)
        .env("BVANTQ_DATA_DIR", data.path())
        .env("BVANTQ_TIP_KEY", K2)
        .env("BVANTQ_TIP_OLD_KEYS", K1)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // This tip and the three the demo files in the same ward.
    assert!(stdout.contains("re-sealed 4 record(s)"), "{stdout}");
    // With K2 alone the tip (acknowledged before the kill) still reads.
    let mut server = start(&db, data.path(), &[("BVANTQ_TIP_KEY", K2)]).await;
    let base = server.address.clone();
    let token = demo_token(&c, &base, "congan.phanrang").await;
    assert!(tip_descriptions(&c, &base, &token).await.contains(marker));
    server.kill().await;
}

both!(tips_stay_out_of_logs_and_keys_rotate);
