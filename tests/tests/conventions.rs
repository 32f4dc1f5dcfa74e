//! API conventions: problem+json errors naming the field in two languages, limits, nothing
//! half-written, request ids, health, readiness, metrics, and an OpenAPI document that lists
//! every route.

use bvantq_shared::Role;
use bvantq_tests::OrFail;
use bvantq_tests::{TestApp, both, json, problem};
use serde_json::json;

fn new_user(overrides: serde_json::Value) -> serde_json::Value {
    let mut u = json!({
        "username": "ward.new", "display_name": "Nguyễn Văn An", "password": "mot-mat-khau-dai",
        "role": "school_admin", "scope_unit": "TH-22759-0001",
        "phone": "0912345678", "citizen_id": "056185012345"
    });
    if let (Some(u), Some(o)) = (u.as_object_mut(), overrides.as_object()) {
        for (k, v) in o {
            u.insert(k.clone(), v.clone());
        }
    }
    u
}

async fn invalid_input_is_422_naming_the_field(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let users_before = app.count("users");
    let decomposed = "Nguye\u{302}\u{303}n Va\u{306}n An"; // NFD: base letters + combining marks
    let cases = [
        (
            json!({"citizen_id": "05618501234"}),
            "citizen_id",
            "cccd_format",
        ),
        (
            json!({"citizen_id": "003185012345"}),
            "citizen_id",
            "cccd_province",
        ),
        (
            json!({"display_name": decomposed}),
            "display_name",
            "not_nfc",
        ),
        (
            json!({"display_name": "A".repeat(101)}),
            "display_name",
            "too_long",
        ),
        (
            json!({"display_name": "Lê Văn <script>"}),
            "display_name",
            "invalid_character",
        ),
        (json!({"phone": "0212345678"}), "phone", "phone_format"),
        (
            json!({"scope_unit": "TH-22759-0999"}),
            "scope_unit",
            "unknown_unit",
        ),
        (json!({"role": "god"}), "role", "unknown_value"),
        (
            json!({"password": "short"}),
            "password",
            "password_too_weak",
        ),
        (json!({"username": 42}), "username", "invalid_body"),
    ];
    for (i, (over, field, code)) in cases.into_iter().enumerate() {
        let r = app
            .post(
                "/api/v1/users",
                &new_user(over),
                Some(&ward),
                Some(&format!("bad-{i}")),
            )
            .await;
        let p = problem(r, 422).await;
        assert_eq!(p["field"], field, "{p}");
        assert_eq!(p["code"], code, "{p}");
        assert_ne!(p["message_vi"], p["message_en"]);
    }
    // Several bad fields at once: all are listed.
    let r = app
        .post(
            "/api/v1/users",
            &new_user(json!({"phone": "1", "citizen_id": "x"})),
            Some(&ward),
            Some("bad-many"),
        )
        .await;
    let p = problem(r, 422).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["phone", "citizen_id"]);
    assert_eq!(app.count("users"), users_before, "nothing written");

    // The valid request goes through, and the CCCD is kept only as a hash and 4 digits.
    let r = app
        .post(
            "/api/v1/users",
            &new_user(json!({})),
            Some(&ward),
            Some("good"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let u = json(r).await;
    assert_eq!(u["citizen_id_last4"], "2345");
    assert_eq!(
        app.count("users WHERE citizen_id_hmac LIKE '%056185012345%'"),
        0
    );
    assert_eq!(app.count("users WHERE phone = '+84912345678'"), 1);
    // The same CCCD cannot get a second account.
    let r = app
        .post(
            "/api/v1/users",
            &new_user(json!({"username": "another.one"})),
            Some(&ward),
            Some("dup"),
        )
        .await;
    problem(r, 409).await;
}

async fn body_over_the_limit_is_413_and_writes_nothing(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let before = app.count("units");
    let huge =
        json!({"parent_code": "22759", "kind": "residential_area", "name": "x".repeat(70 * 1024)});
    let p = problem(
        app.post("/api/v1/units", &huge, Some(&ward), Some("big"))
            .await,
        413,
    )
    .await;
    assert_eq!(p["code"], "payload_too_large");
    assert_eq!(app.count("units"), before);
    // Malformed JSON is a 422, not a crash.
    let r = app
        .client
        .post(app.url("/api/v1/units"))
        .bearer_auth(&ward)
        .header("Idempotency-Key", "broken")
        .header("content-type", "application/json")
        .body("{\"parent_code\": ")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    problem(r, 422).await;
}

async fn errors_are_problem_json_everywhere(app: TestApp) {
    let p = problem(app.get("/api/v1/nothing-here", None).await, 404).await;
    assert_eq!(p["code"], "no_route");
    let r = app
        .client
        .delete(app.url("/api/v1/units"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = r.status().as_u16();
    assert!(matches!(status, 404 | 405), "{status}");
    problem(r, status).await;
}

async fn request_ids_health_readiness_metrics(app: TestApp) {
    let r = app.get("/healthz", None).await;
    assert!(r.headers().get("x-request-id").is_some());
    assert_eq!(json(r).await["status"], "ok");
    let r = app
        .client
        .get(app.url("/readyz"))
        .header("X-Request-Id", "abc-123")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("abc-123")
    );
    let ready = json(r).await;
    assert_eq!(ready["status"], "ready");
    let expected = if app.backend == bvantq_tests::Backend::Sqlite {
        "sqlite"
    } else {
        "postgres"
    };
    assert_eq!(ready["database"], expected);
    let _ = app.get("/api/v1/units/22759", None).await;
    // Metrics are the operator's: with a token configured, a request without it is refused as
    // the document says (401); a server without a token serves none here (authorization.rs).
    problem(app.get("/metrics", None).await, 401).await;
    problem(app.get("/metrics", Some("not-the-token-at-all")).await, 401).await;
    let m = app
        .get("/metrics", Some(METRICS_TOKEN))
        .await
        .text()
        .await
        .or_fail();
    assert!(m.contains("bvantq_http_requests_total{method=\"GET\",route=\"/api/v1/units/{code}\",status=\"200\"} 1"), "{m}");
    assert!(m.contains("bvantq_http_request_duration_seconds_bucket"));
    assert!(
        !m.contains("22759"),
        "metrics name route patterns, not concrete paths"
    );
}

async fn readiness_fails_without_database(app: TestApp) {
    if app.backend != bvantq_tests::Backend::Postgres {
        return; // (an embedded SQLite file does not go away; the PostgreSQL run covers this)
    }
    // Take the database away under the running server.
    let name = app.db.url.rsplit('/').next().or_fail().to_string();
    let admin = std::env::var("TEST_DATABASE_URL").or_fail();
    use diesel::{Connection, RunQueryDsl};
    let mut c = diesel::PgConnection::establish(&admin).unwrap_or_else(|e| panic!("{e}"));
    diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut c)
        .unwrap_or_else(|e| panic!("{e}"));
    let r = app.get("/readyz", None).await;
    assert_eq!(
        r.headers().get("retry-after").and_then(|v| v.to_str().ok()),
        Some("5"),
        "a 503 says when to try again"
    );
    let p = problem(r, 503).await;
    assert_eq!(p["code"], "unavailable");
    assert!(
        !p.to_string().contains(&name),
        "no internal detail in the body"
    );
}

async fn openapi_lists_every_route(app: TestApp) {
    let doc = json(app.get("/api/v1/openapi.json", None).await).await;
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in item.as_object().into_iter().flatten().map(|(m, _)| m) {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    // Every handler declared with an actix route attribute in the source is documented.
    fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(p);
            }
        }
    }
    let mut files = Vec::new();
    sources(
        &bvantq_tests::process::repo_root().join("api/src"),
        &mut files,
    );
    let mut declared = Vec::new();
    for path in files {
        let src =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .or_fail();
        for line in src.lines().map(str::trim) {
            for m in ["get", "post", "put", "patch", "delete"] {
                if let Some(rest) = line.strip_prefix(&format!("#[{m}(\"")) {
                    let path = rest.split('"').next().or_fail();
                    let prefix = if file == "system.rs" { "" } else { "/api/v1" };
                    declared.push((m.to_uppercase(), format!("{prefix}{path}")));
                }
            }
        }
    }
    assert!(declared.len() >= 13, "found only {declared:?}");
    for d in &declared {
        assert!(
            documented.contains(d),
            "route {d:?} is not in the OpenAPI document"
        );
    }
    for d in &documented {
        assert!(declared.contains(d), "documented {d:?} has no handler");
        // And the server really routes it (a 404 from an unknown route would be "unmatched").
        let url = app.url(&d.1.replace("{code}", "56"));
        let method = reqwest::Method::from_bytes(d.0.as_bytes()).unwrap_or(reqwest::Method::GET);
        let r = app
            .client
            .request(method, url)
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(r.status().as_u16(), 405, "{d:?}");
        let body: serde_json::Value = r.json().await.or_fail();
        assert_ne!(
            body["code"], "no_route",
            "{d:?} is documented but not routed"
        );
    }
    // The docs page is served.
    let html = app.get("/api/docs", None).await.text().await.or_fail();
    assert!(html.contains("openapi.json"));
}

both!(
    invalid_input_is_422_naming_the_field,
    body_over_the_limit_is_413_and_writes_nothing,
    errors_are_problem_json_everywhere,
    readiness_fails_without_database,
    openapi_lists_every_route,
);

const METRICS_TOKEN: &str = "metrics-token-for-the-tests";

fn with_metrics_token(c: &mut bvantq_api::infra::config::Config) {
    c.metrics_token = Some(METRICS_TOKEN.into());
}

both!(with_metrics_token => request_ids_health_readiness_metrics);
