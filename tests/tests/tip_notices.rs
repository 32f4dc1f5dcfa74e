//! Urgent tips reach the right officer in time (issue 17): the commune's police see a life-safety
//! tip within seconds (the event stream), the province gets it when nobody of the commune opened it
//! within its minutes, and the gateway gets each notice once — retried while it fails,
//! dead-lettered when it never takes it, never with the tip's content. The server's own
//! maintenance thread runs the jobs, on the test's clock.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use bvantq_api::infra::config::Config;
use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json, problem};
use chrono::TimeDelta;
use serde_json::{Value, json};

const A: &str = "22333";
const B: &str = "22366";
const SECRET: &str = "Có người bị trói trong nhà kho số 9, kêu cứu suốt đêm.";

async fn submit_urgent(app: &TestApp, commune: &str, description: &str) {
    let body = json!({"category": "violence", "description": description,
        "commune_code": commune, "danger_to_life": true});
    let key = format!("tip-{}", bvantq_api::infra::db::new_id());
    let r = app.post("/api/v1/tips", &body, None, Some(&key)).await;
    assert_eq!(r.status(), 201);
}

async fn notices(app: &TestApp, token: &str) -> Vec<Value> {
    let v = json(app.get("/api/v1/notices", Some(token)).await).await;
    v["items"].as_array().cloned().or_fail()
}

/// Polls until `f` holds (the maintenance thread works every 5 seconds).
async fn eventually<F, Fut>(what: &str, secs: u64, mut f: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let until = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < until {
        if f().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("{what}: not within {secs} s");
}

async fn an_urgent_tip_reaches_the_commune_at_once_and_the_province_when_unopened(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, A).await;
    // The console's stream is open before the tip arrives.
    let mut stream = app
        .client
        .get(app.url("/api/v1/notices/stream"))
        .bearer_auth(&ward)
        .send()
        .await
        .or_fail();
    assert_eq!(stream.status(), 200);
    assert_eq!(
        stream
            .headers()
            .get("content-type")
            .and_then(|h| h.to_str().ok()),
        Some("text/event-stream")
    );
    let sent = Instant::now();
    submit_urgent(&app, A, SECRET).await;
    let mut seen = String::new();
    while !seen.contains("event: notice") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.chunk())
            .await
            .unwrap_or_else(|_| panic!("no notice within 5 s; got {seen:?}"))
            .or_fail()
            .or_fail();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    let elapsed = sent.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert!(
        seen.contains("urgent_tip") && seen.contains("Bắc Nha Trang"),
        "{seen}"
    );
    assert!(
        !seen.contains("trói"),
        "a notice carried the tip's content: {seen}"
    );
    drop(stream);

    let n = notices(&app, &ward).await;
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0]["kind"], "urgent_tip");
    assert_eq!(n[0]["audience"], "commune");
    assert!(n[0]["opened_at"].is_null());
    // Another commune's police and the province see nothing yet.
    let ward_b = app.login_as(Role::WardOfficer, B).await;
    assert!(notices(&app, &ward_b).await.is_empty());
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    assert!(notices(&app, &province).await.is_empty());
    // Nobody else asks for notices.
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    problem(app.get("/api/v1/notices", Some(&school)).await, 403).await;

    // A second urgent tip, opened by the ward at once: it is not escalated.
    let first = bvantq_tests::text(&n[0], "tip_id").to_string();
    submit_urgent(&app, A, "Có người cầm dao đe dọa hàng xóm ở tổ 3.").await;
    let tips = json(app.get("/api/v1/tips", Some(&ward)).await).await;
    let opened = tips["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["id"].as_str())
        .find(|id| *id != first)
        .or_fail()
        .to_string();
    let _ = app
        .get(&format!("/api/v1/tips/{opened}"), Some(&ward))
        .await;

    // Fifteen minutes (the province's default) and nobody opened the first.
    app.clock.advance(TimeDelta::minutes(16));
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    eventually("the province's escalation", 15, || {
        let (app, province) = (&app, province.clone());
        async move { !notices(app, &province).await.is_empty() }
    })
    .await;
    let p = notices(&app, &province).await;
    assert_eq!(p.len(), 1, "only the unopened tip escalates: {p:?}");
    assert_eq!(p[0]["kind"], "escalated");
    assert_eq!(p[0]["audience"], "province");
    assert_eq!(p[0]["tip_id"], first.as_str());
    assert!(!p[0].to_string().contains("trói"));
    // The ward's own list: the two urgent notices, one of them opened.
    let ward = app.login_as(Role::WardOfficer, A).await;
    let w = notices(&app, &ward).await;
    assert_eq!(w.len(), 2, "{w:?}");
    assert_eq!(w.iter().filter(|n| n["opened_at"].is_string()).count(), 1);
}

/// An ordinary tip's 7-day transfer limit: when less than a day is left, the commune's police get
/// one notice of it (TT 28/2020 art. 7), and only one.
async fn a_transfer_due_within_a_day_is_announced_once(app: TestApp) {
    let body = json!({"category": "gambling", "commune_code": A,
        "description": "Có tụ điểm đánh bạc trong quán cà phê đầu hẻm."});
    let key = format!("tip-{}", bvantq_api::infra::db::new_id());
    assert_eq!(
        app.post("/api/v1/tips", &body, None, Some(&key))
            .await
            .status(),
        201
    );
    let ward = app.login_as(Role::WardOfficer, A).await;
    assert!(notices(&app, &ward).await.is_empty());
    // Received Monday 2 March 15:00 (Vietnam): due at 24:00 on 9 March. Six days and ten hours
    // on, less than a day is left.
    app.clock.advance(TimeDelta::days(6) + TimeDelta::hours(10));
    let ward = app.login_as(Role::WardOfficer, A).await;
    eventually("the transfer-due notice", 15, || {
        let (app, ward) = (&app, ward.clone());
        async move { !notices(app, &ward).await.is_empty() }
    })
    .await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let n = notices(&app, &ward).await;
    assert_eq!(n.len(), 1, "{n:?}");
    assert_eq!(n[0]["kind"], "transfer_due");
    assert!(bvantq_tests::text(&n[0], "message_vi").contains("dưới 24 giờ"));
}

/// A gateway on a local port: answers 503 to the first `fail` requests (or drops the connection
/// while `down`), 202 after; records each request's `Idempotency-Key` and body.
struct Gateway {
    url: String,
    fail: AtomicUsize,
    down: std::sync::atomic::AtomicBool,
    got: Mutex<Vec<(String, String, u16)>>,
}

fn gateway() -> &'static Arc<Gateway> {
    static G: OnceLock<Arc<Gateway>> = OnceLock::new();
    G.get_or_init(|| {
        let listener = TcpListener::bind("127.0.0.1:0").or_fail();
        let port = listener.local_addr().or_fail().port();
        let g = Arc::new(Gateway {
            url: format!("http://127.0.0.1:{port}/notify"),
            fail: AtomicUsize::new(0),
            down: std::sync::atomic::AtomicBool::new(false),
            got: Mutex::new(Vec::new()),
        });
        let g2 = g.clone();
        std::thread::spawn(move || {
            for s in listener.incoming().flatten() {
                let mut r = BufReader::new(s);
                let (mut key, mut len) = (String::new(), 0usize);
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    let lower = line.to_ascii_lowercase();
                    if let Some(v) = lower.strip_prefix("content-length:") {
                        len = v.trim().parse().unwrap_or(0);
                    }
                    if lower.starts_with("idempotency-key:") {
                        key = line["idempotency-key:".len()..].trim().to_string();
                    }
                }
                let mut body = vec![0u8; len];
                let _ = r.read_exact(&mut body);
                if g2.down.load(Ordering::SeqCst) {
                    continue; // the connection drops without an answer
                }
                let status = if g2.fail.load(Ordering::SeqCst) > 0 {
                    g2.fail.fetch_sub(1, Ordering::SeqCst);
                    503
                } else {
                    202
                };
                g2.got.lock().or_fail().push((
                    key,
                    String::from_utf8_lossy(&body).into_owned(),
                    status,
                ));
                let mut s = r.into_inner();
                let _ = write!(
                    s,
                    "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        g
    })
}

fn with_gateway(c: &mut Config) {
    c.notice_webhook_url = Some(gateway().url.clone());
    c.notice_max_attempts = 3;
}

async fn the_gateway_gets_each_notice_once_retried_and_dead_lettered(app: TestApp) {
    let g = gateway();
    g.fail.store(2, Ordering::SeqCst);
    submit_urgent(&app, A, SECRET).await;
    let count = || g.got.lock().or_fail().len();
    eventually("the first attempt", 15, || async { count() >= 1 }).await;
    // Retried after 30 s, then 60 s (the test's clock), until the gateway takes it.
    app.clock.advance(TimeDelta::seconds(31));
    eventually("the second attempt", 15, || async { count() >= 2 }).await;
    app.clock.advance(TimeDelta::seconds(61));
    eventually("the delivery", 15, || async { count() >= 3 }).await;
    // No further attempt once it is delivered. Two hours on and still unopened, the tip's
    // escalation to the province goes out too: another notice, delivered once.
    app.clock.advance(TimeDelta::hours(2));
    eventually("the escalation's delivery", 15, || async { count() >= 4 }).await;
    tokio::time::sleep(Duration::from_secs(6)).await;
    let got = g.got.lock().or_fail().clone();
    let statuses = |kind: &str| {
        got.iter()
            .filter(|x| x.1.contains(&format!("\"kind\":\"{kind}\"")))
            .map(|x| x.2)
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses("urgent_tip"), [503, 503, 202], "{got:?}");
    assert_eq!(statuses("escalated"), [202], "{got:?}");
    assert_eq!(got.len(), 4, "{got:?}");
    // The same notice each time, so the gateway can drop a repeat; no content, no tip id.
    assert!(got[..3].iter().all(|x| x.0 == got[0].0 && !x.0.is_empty()));
    let body: Value = serde_json::from_str(&got[2].1).or_fail();
    assert_eq!(body["kind"], "urgent_tip");
    assert_eq!(body["commune_code"], A);
    assert!(bvantq_tests::text(&body, "message_vi").contains("Bắc Nha Trang"));
    assert_eq!(body["console_path"], "/console");
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let tip_id = json(app.get("/api/v1/tips", Some(&province)).await).await["items"][0]["id"]
        .as_str()
        .or_fail()
        .to_string();
    for (_, b, _) in &got {
        let body: Value = serde_json::from_str(b).or_fail();
        assert!(!b.contains("trói"), "{b}");
        // Nothing names the tip: not its content, not its id.
        assert!(!b.contains(&tip_id), "{b}");
        assert_eq!(body["id"].as_str().map(str::len), Some(32), "{b}");
    }

    // The gateway down: three attempts, then the dead-letter list.
    g.down.store(true, Ordering::SeqCst);
    submit_urgent(&app, B, "Có người đuối nước ở kênh, cần cứu ngay.").await;
    let dead_rows = || {
        use diesel::prelude::*;
        use diesel::sql_types::BigInt;
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        diesel::sql_query("SELECT COUNT(*) AS n FROM notice_outbox WHERE dead_at IS NOT NULL")
            .get_result::<N>(&mut *app.conn())
            .or_fail()
            .n
    };
    let until = Instant::now() + Duration::from_secs(60);
    while dead_rows() == 0 {
        assert!(Instant::now() < until, "no dead letter within 60 s");
        // Each failure waits longer before the next attempt: move the clock past it.
        app.clock.advance(TimeDelta::minutes(10));
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let dead = json(
        app.get("/api/v1/notices/dead-letters", Some(&province))
            .await,
    )
    .await;
    // B's urgent notice (and, the clock having run on, its escalation): each tried three
    // times, with the gateway's last answer kept.
    let dead = dead.as_array().cloned().or_fail();
    assert!(
        dead.iter()
            .any(|d| d["kind"] == "urgent_tip" && d["commune_code"] == B),
        "{dead:?}"
    );
    for d in &dead {
        assert_eq!(
            (d["attempts"].as_i64(), d["commune_code"].as_str()),
            (Some(3), Some(B))
        );
        assert!(d["last_error"].is_string());
    }
    let ward = app.login_as(Role::WardOfficer, A).await;
    problem(
        app.get("/api/v1/notices/dead-letters", Some(&ward)).await,
        403,
    )
    .await;
    g.down.store(false, Ordering::SeqCst);
}

both!(
    an_urgent_tip_reaches_the_commune_at_once_and_the_province_when_unopened,
    a_transfer_due_within_a_day_is_announced_once,
);
both!(with_gateway => the_gateway_gets_each_notice_once_retried_and_dead_lettered);
