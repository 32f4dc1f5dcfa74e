//! Fraud indicators (issue 17): a fraud tip may name the suspect's phone numbers, accounts, links
//! and social-media accounts; they are sealed like the rest of the content and matched through a
//! keyed hash, so an officer sees the other tips of their scope naming the same number, the
//! province sees the numbers shared across its communes (the tips listed only where a commune
//! has 5 or more), and a copy of the database gives back no number. Keys rotate without losing
//! a match; a purge takes the hashes with the content.

use std::sync::Arc;

use bvantq_api::infra::clock::Clock;
use bvantq_api::infra::sealing::Sealer;
use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json, problem};
use chrono::TimeDelta;
use serde_json::{Value, json};

/// Khánh Hòa (56): Bắc Nha Trang, Nha Trang, Phan Rang; Đồng Nai (75): Bình Phước.
const A: &str = "22333";
const B: &str = "22366";
const C: &str = "22759";
const DONG_NAI: &str = "25195";

fn fraud(commune: &str, description: &str, indicators: Value) -> Value {
    json!({"category": "fraud", "commune_code": commune, "description": description,
           "indicators": indicators})
}

async fn submit(app: &TestApp, body: &Value) -> reqwest::Response {
    let key = format!("tip-{}", bvantq_api::infra::db::new_id());
    app.post("/api/v1/tips", body, None, Some(&key)).await
}

async fn submit_ok(app: &TestApp, body: &Value) {
    let r = submit(app, body).await;
    let status = r.status();
    let v = json(r).await;
    assert_eq!(status, 201, "{v}");
}

/// The ids of the tips `token` sees, oldest first (fraud tips only).
async fn fraud_ids(app: &TestApp, token: &str, unit: &str) -> Vec<String> {
    let v = json(
        app.get(
            &format!("/api/v1/tips?unit={unit}&category=fraud&limit=200"),
            Some(token),
        )
        .await,
    )
    .await;
    let mut items: Vec<(String, String)> = v["items"]
        .as_array()
        .or_fail()
        .iter()
        .map(|t| {
            (
                bvantq_tests::text(t, "received_at").to_string(),
                bvantq_tests::text(t, "id").to_string(),
            )
        })
        .collect();
    items.sort();
    items.into_iter().map(|(_, id)| id).collect()
}

async fn detail(app: &TestApp, token: &str, id: &str) -> Value {
    let r = app.get(&format!("/api/v1/tips/{id}"), Some(token)).await;
    let status = r.status();
    let v = json(r).await;
    assert_eq!(status, 200, "{v}");
    v
}

/// (kind, value, tip id) of each shared indicator of a tip.
fn shared(d: &Value) -> Vec<(String, String, String)> {
    let mut v: Vec<_> = d["shared_indicators"]
        .as_array()
        .or_fail()
        .iter()
        .map(|s| {
            (
                bvantq_tests::text(s, "kind").to_string(),
                bvantq_tests::text(s, "value").to_string(),
                bvantq_tests::text(s, "tip_id").to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

async fn clusters(app: &TestApp, token: &str, unit: &str) -> Value {
    let r = app
        .get(
            &format!("/api/v1/tips/indicator-clusters?unit={unit}"),
            Some(token),
        )
        .await;
    let status = r.status();
    let v = json(r).await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn fraud_indicators_are_sealed_matched_in_scope_and_clustered(app: TestApp) {
    // Bad input: indicators with another category, a value that is no phone number.
    let mut drugs = fraud(A, "Bán ma túy ở quán nước đầu hẻm.", json!([]));
    drugs["category"] = json!("drugs");
    drugs["indicators"] = json!([{"kind": "phone", "value": "0912345678"}]);
    let p = problem(submit(&app, &drugs).await, 422).await;
    assert_eq!(
        (p["field"].as_str(), p["code"].as_str()),
        (Some("indicators"), Some("fraud_only"))
    );
    let bad = fraud(
        A,
        "Gọi điện giả danh công an.",
        json!([{"kind": "phone", "value": "12345"}]),
    );
    let p = problem(submit(&app, &bad).await, 422).await;
    assert_eq!(p["field"], "indicators.0.value");
    assert_eq!(p["code"], "indicator_format");
    assert!(bvantq_tests::text(&p, "message_vi").contains("Số điện thoại"));
    assert!(bvantq_tests::text(&p, "message_en").contains("phone number"));
    assert_eq!(app.count("tips"), 0, "a refused tip leaves nothing");

    // Five tips of A name the same phone typed five ways; the first also an account and a link.
    submit_ok(
        &app,
        &fraud(
            A,
            "Giả danh công an gọi điện bắt chuyển tiền để xác minh.",
            json!([
                {"kind": "phone", "value": "0912 345 678"},
                {"kind": "bank_account", "value": "1903 6868 6868", "note": "Techcombank NGUYEN VAN LUA"},
                {"kind": "link", "value": "https://www.nhan-qua-vneid.com/dang-ky?utm=sms"}
            ]),
        ),
    )
    .await;
    for (i, typed) in [
        "+84912345678",
        "84 912.345.678",
        "(091) 234-5678",
        "+84 0912 345 678",
    ]
    .iter()
    .enumerate()
    {
        app.clock.advance(TimeDelta::minutes(10));
        submit_ok(
            &app,
            &fraud(
                A,
                &format!("Cuộc gọi lừa đảo số {i}, yêu cầu cài ứng dụng."),
                json!([{"kind": "phone", "value": typed}]),
            ),
        )
        .await;
    }
    // One tip of B names it too, and a Facebook page; one of C a number nobody else names; one of
    // Đồng Nai (another province) the same number.
    app.clock.advance(TimeDelta::minutes(10));
    submit_ok(
        &app,
        &fraud(
            B,
            "Nhắn tin qua Facebook rồi gọi điện đòi tiền phí nhận quà.",
            json!([
                {"kind": "phone", "value": "84 912 345 678"},
                {"kind": "social", "value": "https://m.facebook.com/Ho.Tro.VNeID/"}
            ]),
        ),
    )
    .await;
    submit_ok(
        &app,
        &fraud(
            C,
            "Lừa bán hàng qua mạng, không giao hàng.",
            json!([{"kind": "phone", "value": "0977 000 111"}]),
        ),
    )
    .await;
    submit_ok(
        &app,
        &fraud(
            DONG_NAI,
            "Gọi điện giả danh ngân hàng.",
            json!([{"kind": "phone", "value": "0912345678"}]),
        ),
    )
    .await;

    // A copy of the database gives back none of them.
    let copy = app.database_copy();
    for secret in [
        "912345678",
        "912 345 678",
        "190368686868",
        "1903 6868",
        "Techcombank",
        "nhan-qua-vneid",
        "ho.tro.vneid",
        "Ho.Tro.VNeID",
        "977000111",
    ] {
        assert!(!copy.contains(secret), "the database copy holds {secret:?}");
    }

    // The ward of A: the first tip shows its three indicators as normalised, and the four other
    // tips of A that name the phone — not B's (another ward) nor Đồng Nai's.
    let ward_a = app.login_as(Role::WardOfficer, A).await;
    let ids_a = fraud_ids(&app, &ward_a, A).await;
    assert_eq!(ids_a.len(), 5);
    let first = detail(&app, &ward_a, &ids_a[0]).await;
    let values: Vec<(&str, &str)> = first["indicators"]
        .as_array()
        .or_fail()
        .iter()
        .map(|i| {
            (
                bvantq_tests::text(i, "kind"),
                bvantq_tests::text(i, "value"),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            ("phone", "+84912345678"),
            ("bank_account", "190368686868"),
            ("link", "nhan-qua-vneid.com/dang-ky")
        ]
    );
    assert_eq!(first["indicators"][1]["note"], "Techcombank NGUYEN VAN LUA");
    let mut want: Vec<_> = ids_a[1..]
        .iter()
        .map(|id| ("phone".to_string(), "+84912345678".to_string(), id.clone()))
        .collect();
    want.sort();
    assert_eq!(shared(&first), want);

    // The ward of B sees nothing of A's; the province sees A's five beside B's tip.
    let ward_b = app.login_as(Role::WardOfficer, B).await;
    let id_b = fraud_ids(&app, &ward_b, B).await.pop().or_fail();
    assert_eq!(shared(&detail(&app, &ward_b, &id_b).await), []);
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let from_b = shared(&detail(&app, &province, &id_b).await);
    let tips: Vec<&str> = from_b.iter().map(|s| s.2.as_str()).collect();
    let mut want_ids: Vec<&str> = ids_a.iter().map(String::as_str).collect();
    want_ids.sort();
    let mut tips_sorted = tips.clone();
    tips_sorted.sort();
    assert_eq!(tips_sorted, want_ids);

    // Clusters: the phone spans A (5 tips, listed) and B (1, a count only); the account, the link
    // and C's number stay in one commune; Đồng Nai is another province.
    let c = clusters(&app, &province, "56").await;
    assert_eq!(c["list_min"], 5);
    let items = c["items"].as_array().or_fail();
    assert_eq!(items.len(), 1, "{c}");
    let k = &items[0];
    assert_eq!(
        (k["kind"].as_str(), k["tips"].as_i64()),
        (Some("phone"), Some(6))
    );
    assert!(k.get("value").is_none(), "the value is not listed: {k}");
    let communes = k["communes"].as_array().or_fail();
    assert_eq!(communes[0]["commune_code"], A);
    assert_eq!(communes[0]["tips"], 5);
    let mut listed: Vec<&str> = communes[0]["tip_ids"]
        .as_array()
        .or_fail()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    listed.sort();
    assert_eq!(listed, want_ids);
    assert_eq!(communes[1]["commune_code"], B);
    assert_eq!(communes[1]["tips"], 1);
    assert_eq!(
        communes[1]["tip_ids"],
        json!([]),
        "fewer than 5: a count only"
    );
    let dong_nai = app.login_as(Role::ProvinceOfficer, "75").await;
    assert_eq!(clusters(&app, &dong_nai, "75").await["items"], json!([]));
    // The province's view only: a ward is refused, another province's unit too.
    problem(
        app.get("/api/v1/tips/indicator-clusters", Some(&ward_a))
            .await,
        403,
    )
    .await;
    let r = app
        .get("/api/v1/tips/indicator-clusters?unit=56", Some(&dong_nai))
        .await;
    assert!(matches!(r.status().as_u16(), 403 | 404), "{}", r.status());
}

/// Rotating the tip key: a tip sealed under the old key is still matched before the rekey, the
/// rekey moves its hashes to the new key (so the province's clusters join again), and a purge
/// takes the hashes with the content.
async fn indicators_survive_a_key_rotation_and_go_with_a_purge(mut app: TestApp) {
    let k1 = [7u8; 32];
    let k2 = [9u8; 32];
    app.stop().await;
    let mut config = (*app.config).clone();
    config.tip_sealer = Sealer::new(&k1, &[]);
    app.config = Arc::new(config);
    app.restart().await;
    submit_ok(
        &app,
        &fraud(
            A,
            "Tin nhắn giả mạo ngân hàng kèm đường link.",
            json!([{"kind": "link", "value": "http://vietcombank-xac-thuc.top/otp"}]),
        ),
    )
    .await;

    app.stop().await;
    let mut config = (*app.config).clone();
    config.tip_sealer = Sealer::new(&k2, &[k1.to_vec()]);
    app.config = Arc::new(config);
    app.restart().await;
    app.clock.advance(TimeDelta::hours(1));
    submit_ok(
        &app,
        &fraud(
            B,
            "Bấm vào đường link trong tin nhắn thì bị trừ tiền.",
            json!([{"kind": "link", "value": "vietcombank-xac-thuc.top/otp/"}]),
        ),
    )
    .await;
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let ward_b = app.login_as(Role::WardOfficer, B).await;
    let id_b = fraud_ids(&app, &ward_b, B).await.pop().or_fail();
    // Before the rekey: found through the old key's hash.
    assert_eq!(shared(&detail(&app, &province, &id_b).await).len(), 1);
    assert_eq!(clusters(&app, &province, "56").await["items"], json!([]));
    let n = bvantq_api::tips::service::rekey(&mut app.conn(), &app.config.tip_sealer)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(n >= 1);
    let c = clusters(&app, &province, "56").await;
    assert_eq!(c["items"].as_array().map(Vec::len), Some(1), "{c}");
    assert_eq!(c["items"][0]["kind"], "link");

    // The first tip, closed as not a crime and past its retention, is purged with its hashes.
    let ward_a = app.login_as(Role::WardOfficer, A).await;
    let id_a = fraud_ids(&app, &ward_a, A).await.pop().or_fail();
    for body in [
        json!({"step": "check", "reason": "Kiểm tra sơ bộ"}),
        json!({"step": "not_crime", "reason": "Chưa bị mất tiền", "referred_to": "Ngân hàng"}),
    ] {
        let r = app
            .post(
                &format!("/api/v1/tips/{id_a}/steps"),
                &body,
                Some(&ward_a),
                None,
            )
            .await;
        let status = r.status();
        let v = json(r).await;
        assert_eq!(status, 200, "{body} → {v}");
    }
    assert_eq!(app.count("tip_indicators"), 2);
    app.clock.advance(TimeDelta::days(400));
    let now = app.clock.now();
    let purged = bvantq_api::tips::service::purge(&mut app.conn(), 365, now)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(purged, 1);
    assert_eq!(app.count("tip_indicators"), 1);
    // (A new session: the old one ended with the 400 days.)
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    assert_eq!(shared(&detail(&app, &province, &id_b).await), []);
}

both!(
    fraud_indicators_are_sealed_matched_in_scope_and_clustered,
    indicators_survive_a_key_rotation_and_go_with_a_purge,
);
