//! The promises of SECURITY.md against a database copy and a hostile client (issue 15), each on
//! both backends: what a copy of the database gives back, who owns templates, forged host headers,
//! spreadsheet formulas, rate limits a burst cannot walk through, signing abuse, photo budgets,
//! and the smaller ones (peers, locked accounts, sessions, identity providers, caching, framing).

use bvantq_tests::OrFail;
use std::time::Duration;

use bvantq_api::infra::config::Config;
use bvantq_shared::Role;
use bvantq_tests::{TestApp, both, json, problem};
use chrono::TimeDelta;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn sha256_hex(b: &[u8]) -> String {
    hex(&Sha256::digest(b))
}

fn household(name: &str, birth: &str, cccd: &str, address: &str, phone: &str) -> Value {
    json!({"unit_code": "KD-22759-0001", "full_name": name, "birth_date": birth,
           "citizen_id": cccd, "phone": phone, "address": address, "members": 4,
           "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true})
}

async fn sign_at(app: &TestApp, code: &str, body: &Value, key: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/campaigns/{code}/pledges"),
        body,
        None,
        Some(key),
    )
    .await
}

/// The CCCD numbers an attacker would try for a signer whose birth year and last 4 digits are
/// known (from the pledge row beside): a province of birth, the century-and-sex digit, the year,
/// and the two unknown digits — 3 × 2 × 100 = 600 guesses.
fn guesses(birth_year: i32, last4: &str) -> Vec<String> {
    let century = if birth_year >= 2000 { [2, 3] } else { [0, 1] };
    let mut out = Vec::new();
    for province in ["001", "056", "075"] {
        for c in century {
            for mid in 0..100 {
                out.push(format!(
                    "{province}{c}{:02}{mid:02}{last4}",
                    birth_year % 100
                ));
            }
        }
    }
    out
}

/// Everything a database copy could be matched against for one guessed number: the number
/// itself, its unkeyed hashes, and the unkeyed hash of the request body that carried it (what
/// idempotency records used to keep).
fn derived(guess: &str, body_with: impl Fn(&str) -> Value) -> Vec<String> {
    let body = body_with(guess);
    vec![
        guess.to_string(),
        sha256_hex(guess.as_bytes()),
        sha256_hex(format!("cccd:{guess}").as_bytes()),
        sha256_hex(body.to_string().as_bytes()),
        sha256_hex(serde_json::to_vec(&body).or_fail().as_slice()),
    ]
}

/// The guessed numbers whose derived values appear in `copy`.
fn recovered(
    copy: &str,
    birth_year: i32,
    last4: &str,
    body_with: impl Fn(&str) -> Value,
) -> Vec<String> {
    guesses(birth_year, last4)
        .into_iter()
        .filter(|g| {
            derived(g, &body_with)
                .iter()
                .any(|d| copy.contains(d.as_str()))
        })
        .collect()
}

/// Item 1: pledges signed through the API (by households and workers, from paper, on a roster),
/// an account with a CCCD; then a copy of the database. With every other column of each row
/// known, no guess of the number matches anything stored — the search itself does find an
/// unkeyed fingerprint when one is there.
async fn a_database_copy_gives_back_no_cccd(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết hộ 2026", &["KD-22759-0001"])
        .await;
    let signers = [
        (
            "Nguyễn Văn Sáu",
            "1980-04-02",
            "056080123456",
            "12 Lê Lợi",
            "0912345678",
        ),
        (
            "Trần Thị Bảy",
            "2001-11-20",
            "056301987654",
            "14 Lê Lợi",
            "0987654321",
        ),
    ];
    for (i, (name, birth, cccd, address, phone)) in signers.iter().enumerate() {
        let r = sign_at(
            &app,
            &code,
            &household(name, birth, cccd, address, phone),
            &format!("sign-{i}"),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    // A paper pledge, a roster row and an account, each with a number.
    let paper = household(
        "Lê Văn Tám",
        "1975-01-30",
        "056075246802",
        "16 Lê Lợi",
        "0901234567",
    );
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/paper-pledges"),
            &paper,
            Some(&ward),
            Some("paper-1"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let user = json!({"username": "can.bo.moi", "display_name": "Phạm Thị Chín", "password": "mot-mat-khau-rat-dai",
                      "role": "ward_officer", "scope_unit": "22759", "citizen_id": "056185135791"});
    let r = app
        .post("/api/v1/users", &user, Some(&province), Some("user-1"))
        .await;
    assert_eq!(r.status(), 201);

    let copy = app.database_copy();
    assert!(
        copy.contains("Nguyễn Văn Sáu"),
        "the copy holds the pledges"
    );
    for (name, birth, cccd, address, phone) in signers {
        let year: i32 = birth[..4].parse().or_fail();
        let body_with = |g: &str| household(name, birth, g, address, phone);
        assert!(
            guesses(year, &cccd[8..]).contains(&cccd.to_string()),
            "the search covers {cccd}"
        );
        let found = recovered(&copy, year, &cccd[8..], body_with);
        assert!(
            found.is_empty(),
            "{name}'s CCCD comes back from the copy: {found:?}"
        );
        // Positive control: had the request been stored unkeyed, this search would find it.
        let leaky = format!(
            "{copy}\n{}",
            sha256_hex(
                household(name, birth, cccd, address, phone)
                    .to_string()
                    .as_bytes()
            )
        );
        assert_eq!(
            recovered(&leaky, year, &cccd[8..], body_with),
            vec![cccd.to_string()]
        );
        // Nor an unkeyed hash of the phone number.
        for form in [phone.to_string(), format!("+84{}", &phone[1..])] {
            assert!(!copy.contains(&sha256_hex(form.as_bytes())));
        }
    }
    for (cccd, body_with) in [
        (
            "056075246802",
            Box::new(|g: &str| household("Lê Văn Tám", "1975-01-30", g, "16 Lê Lợi", "0901234567"))
                as Box<dyn Fn(&str) -> Value>,
        ),
        (
            "056185135791",
            Box::new(|g: &str| {
                let mut u = user.clone();
                u["citizen_id"] = json!(g);
                u
            }),
        ),
    ] {
        let year = 1900 + cccd[4..6].parse::<i32>().or_fail();
        assert!(
            recovered(&copy, year, &cccd[8..], body_with).is_empty(),
            "{cccd} comes back"
        );
    }
    // Idempotency records hold fingerprints and a sealed response only.
    // The campaign, three signings and the account.
    assert_eq!(app.count("idempotency_keys"), 5);
    assert_eq!(
        app.count("idempotency_keys WHERE response_body NOT LIKE 'sealed:%'"),
        0
    );
    assert!(
        !copy.contains("sign-0") && !copy.contains("paper-1"),
        "client keys are not stored"
    );
    // A replay still answers from the sealed record.
    let r = sign_at(
        &app,
        &code,
        &household(
            signers[0].0,
            signers[0].1,
            signers[0].2,
            signers[0].3,
            signers[0].4,
        ),
        "sign-0",
    )
    .await;
    assert_eq!(
        r.headers()
            .get("idempotent-replayed")
            .and_then(|v| v.to_str().ok()),
        Some("true")
    );
    assert_eq!(r.status(), 201);

    // Records live 24 hours: the maintenance job forgets them after that, not before.
    app.clock.advance(TimeDelta::hours(23));
    bvantq_api::app::jobs::run_once(&mut app.conn(), &app.config).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(app.count("idempotency_keys"), 5);
    app.clock.advance(TimeDelta::hours(2));
    let report = bvantq_api::app::jobs::run_once(&mut app.conn(), &app.config)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.idempotency_purged, 5);
    assert_eq!(app.count("idempotency_keys"), 0);
}

/// Item 2: a template belongs to the nation or to one province; only its owner edits, publishes
/// or retires it, and campaigns choose among the national ones and their own province's.
async fn templates_belong_to_their_owner(app: TestApp) {
    let app = &app;
    let kh = app.login_as(Role::ProvinceOfficer, "56").await;
    let dn = app.login_as(Role::ProvinceOfficer, "75").await;
    let admin = app.login_as(Role::Admin, "56").await;
    let body = |title: &str| json!({"kind": "household", "title_vi": title, "commitments": [{"vi": "Không sử dụng ma túy."}]});
    let mine = json(
        app.post(
            "/api/v1/pledge-templates",
            &body("Mẫu Khánh Hòa"),
            Some(&kh),
            Some("t-kh"),
        )
        .await,
    )
    .await;
    assert_eq!(mine["owner_unit"], "56");
    let id = bvantq_tests::text(&mine, "id").to_string();
    // Another province's officer can neither edit nor publish it, nor make one for Khánh Hòa.
    problem(
        app.put(
            &format!("/api/v1/pledge-templates/{id}"),
            &body("Sửa trộm"),
            &dn,
        )
        .await,
        403,
    )
    .await;
    problem(
        app.post(
            &format!("/api/v1/pledge-templates/{id}/publish"),
            &json!({}),
            Some(&dn),
            None,
        )
        .await,
        403,
    )
    .await;
    let mut other = body("Mẫu cho tỉnh khác");
    other["province"] = json!("56");
    problem(
        app.post("/api/v1/pledge-templates", &other, Some(&dn), Some("t-dn"))
            .await,
        403,
    )
    .await;
    // A draft is not offered to campaigns; its owner publishes it.
    let ward_kh = app.login_as(Role::WardOfficer, "22759").await;
    let usable = |unit: &'static str| async move {
        json(
            app.get(
                &format!("/api/v1/pledge-templates?kind=household&unit={unit}"),
                None,
            )
            .await,
        )
        .await
    };
    assert!(!usable("22759").await.to_string().contains(&id));
    let r = app
        .post(
            &format!("/api/v1/pledge-templates/{id}/publish"),
            &json!({}),
            Some(&kh),
            None,
        )
        .await;
    assert_eq!(json(r).await["published"], true);
    // Khánh Hòa's communes see it first, beside the national ones; Đồng Nai's do not.
    let list = usable("22759").await;
    assert_eq!(list[0]["id"], id.as_str(), "{list}");
    assert!(
        list.as_array()
            .into_iter()
            .flatten()
            .any(|t| t["owner_unit"].is_null())
    );
    assert!(!usable("25195").await.to_string().contains(&id));
    // A national template is the administrators': a province officer cannot touch it.
    let national = json(
        app.post(
            "/api/v1/pledge-templates",
            &body("Mẫu toàn quốc"),
            Some(&admin),
            Some("t-nat"),
        )
        .await,
    )
    .await;
    assert!(national["owner_unit"].is_null());
    let nid = bvantq_tests::text(&national, "id").to_string();
    problem(
        app.put(
            &format!("/api/v1/pledge-templates/{nid}"),
            &body("Sửa"),
            &kh,
        )
        .await,
        403,
    )
    .await;
    problem(
        app.post(
            &format!("/api/v1/pledge-templates/{nid}/publish"),
            &json!({}),
            Some(&kh),
            None,
        )
        .await,
        403,
    )
    .await;
    // Each sees its own in the console's list, in every state.
    let managed = json(app.get("/api/v1/pledge-templates/managed", Some(&kh)).await).await;
    assert!(
        managed
            .as_array()
            .into_iter()
            .flatten()
            .all(|t| t["owner_unit"] == "56"),
        "{managed}"
    );
    let managed = json(app.get("/api/v1/pledge-templates/managed", Some(&dn)).await).await;
    assert_eq!(managed, json!([]));
    // A Đồng Nai ward cannot run a campaign on Khánh Hòa's template; a Khánh Hòa ward can.
    let ward_dn = app.login_as(Role::WardOfficer, "25195").await;
    let campaign = |t: &str, unit: &str| {
        json!({"kind": "household", "year": 2026, "title": "Cam kết",
        "template_id": t, "opens_on": "2026-03-01", "closes_on": "2026-12-31", "units": [unit]})
    };
    let r = app
        .post(
            "/api/v1/campaigns",
            &campaign(&id, "25195"),
            Some(&ward_dn),
            Some("c-dn"),
        )
        .await;
    assert_eq!(problem(r, 422).await["field"], "template_id");
    let r = app
        .post(
            "/api/v1/campaigns",
            &campaign(&id, "KD-22759-0001"),
            Some(&ward_kh),
            Some("c-kh"),
        )
        .await;
    assert_eq!(r.status(), 201);
    // Retired by its owner (not by another), it is offered no more.
    problem(
        app.post(
            &format!("/api/v1/pledge-templates/{id}/retire"),
            &json!({}),
            Some(&dn),
            None,
        )
        .await,
        403,
    )
    .await;
    let r = app
        .post(
            &format!("/api/v1/pledge-templates/{id}/retire"),
            &json!({}),
            Some(&kh),
            None,
        )
        .await;
    assert_eq!(json(r).await["retired"], true);
    assert!(!usable("22759").await.to_string().contains(&id));
    let r = app
        .post(
            "/api/v1/campaigns",
            &campaign(&id, "KD-22759-0002"),
            Some(&ward_kh),
            Some("c-kh2"),
        )
        .await;
    assert_eq!(problem(r, 422).await["field"], "template_id");
}

/// Item 4: QR codes, share links and the embedding snippet come from the configured public
/// address, whatever `Host` or `X-Forwarded-Host` a client sends.
async fn forged_host_headers_change_no_link(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết", &["KD-22759-0001"])
        .await;
    let get = |path: String| {
        app.client
            .get(app.url(&path))
            .header("Host", "evil.example")
            .header("X-Forwarded-Host", "evil.example")
            .header("X-Forwarded-Proto", "https")
            .header("Forwarded", "host=evil.example;proto=https")
            .send()
    };
    let svg = |url: &str, size: u32| {
        qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
            .unwrap_or_else(|e| panic!("{e}"))
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(size, size)
            .build()
    };
    let r = get(format!("/api/v1/campaigns/{code}/qr.svg"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.text().await.or_fail(),
        svg(&format!("{}/k/{code}", app.config.public_url), 256)
    );
    let receipt = json(
        sign_at(
            &app,
            &code,
            &household(
                "Đỗ Thị Mười",
                "1990-02-02",
                "056190111222",
                "3 Hải Thượng",
                "0911222333",
            ),
            "s",
        )
        .await,
    )
    .await;
    let rc = bvantq_tests::text(&receipt, "receipt");
    let r = get(format!("/api/v1/pledges/verify/{rc}/qr.svg"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.text().await.or_fail(),
        svg(
            &format!("{}/api/v1/pledges/verify/{rc}", app.config.public_url),
            180
        )
    );
    let page = get(format!("/embed-demo?campaign={code}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .or_fail();
    assert!(
        page.contains(&format!("src=\"{}/embed.js\"", app.config.public_url)),
        "{page}"
    );
    assert!(!page.contains("evil.example"));
    // Whatever is reflected is escaped.
    let page = get("/embed-demo?campaign=%22%3E%3Cscript%3Ealert(1)%3C/script%3E".into())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .or_fail();
    assert!(!page.contains("<script>alert"), "{page}");
}

fn tiny_signing_limits(c: &mut Config) {
    c.signings_per_ip_per_hour = 4;
    c.signings_per_campaign_per_hour = 6;
    c.signing_burst = 2;
    c.proxy.enabled = true;
}

/// Item 8: a script cannot pre-sign a whole area: per address and per campaign limits; what
/// slips through is flagged for the officers (a burst; not on the roster); the real household
/// contests the pledge on its address, both are kept, neither counts until the ward decides.
async fn signing_abuse_is_limited_flagged_and_contestable(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let code = app
        .open_campaign(
            &ward,
            "household",
            "Cam kết",
            &["KD-22759-0001", "KD-22759-0002"],
        )
        .await;
    let from = |ip: &'static str, body: Value, key: String| {
        let req = app
            .client
            .post(app.url(&format!("/api/v1/campaigns/{code}/pledges")))
            .header("X-Forwarded-For", ip)
            .header("Idempotency-Key", key)
            .json(&body);
        async move { req.send().await.unwrap_or_else(|e| panic!("{e}")) }
    };
    let fake = |i: usize| {
        household(
            &format!("Người Giả Số {}", ["Một", "Hai", "Ba", "Bốn", "Năm"][i]),
            "1970-01-01",
            &format!("05607000{:04}", 1000 + i),
            &format!("Số {} đường Bạch Đằng", i + 1),
            "0900000000",
        )
    };
    // One address: four signings an hour, the third and fourth flagged as a burst.
    for i in 0..4 {
        assert_eq!(
            from("203.0.113.7", fake(i), format!("f{i}")).await.status(),
            201
        );
    }
    let r = from("203.0.113.7", fake(4), "f4".into()).await;
    assert!(r.headers().contains_key("retry-after"));
    problem(r, 429).await;
    // The campaign's limit (6 an hour) counts no address for more than its share (one here):
    // two more addresses sign, and the campaign is full for those who signed already.
    for (i, ip) in ["198.51.100.1", "198.51.100.2"].iter().enumerate() {
        let mut b = fake(i);
        b["address"] = json!(format!("Số {} đường Trần Phú", i + 10));
        b["citizen_id"] = json!(format!("05607000{:04}", 2000 + i));
        assert_eq!(from(ip, b, format!("g{i}")).await.status(), 201);
    }
    let mut b = fake(0);
    b["address"] = json!("Số 40 đường Trần Phú");
    b["citizen_id"] = json!("056070003000");
    for ip in ["198.51.100.3", "198.51.100.4", "198.51.100.5"] {
        let _ = from(ip, b.clone(), format!("h-{ip}")).await;
    }
    problem(from("198.51.100.1", b.clone(), "g-again".into()).await, 429).await;

    // The officers see the flags.
    let list = json(
        app.get(
            &format!("/api/v1/campaigns/{code}/pledges?limit=50"),
            Some(&ward),
        )
        .await,
    )
    .await;
    let flagged: Vec<&Value> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| {
            p["flags"]
                .as_array()
                .is_some_and(|f| f.contains(&json!("burst")))
        })
        .collect();
    assert_eq!(flagged.len(), 2, "{list}");
    // A roster for the second area: a signer not on it is flagged.
    let csv = "ho_ten,ngay_sinh,dia_chi,so_nhan_khau\nHoàng Văn Thật,1965-05-05,Số 9 đường Lý Tự Trọng,3\n";
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/campaigns/{code}/roster?unit=KD-22759-0002"
        )))
        .bearer_auth(&ward)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 201);
    let off = json!({"unit_code": "KD-22759-0002", "full_name": "Vũ Thị Lạ", "birth_date": "1988-08-08",
        "citizen_id": "056188777666", "address": "Số 11 đường Lý Tự Trọng", "members": 2,
        "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true});
    assert_eq!(from("192.0.2.50", off, "off".into()).await.status(), 201);
    let on = json!({"unit_code": "KD-22759-0002", "full_name": "Hoàng Văn Thật", "birth_date": "1965-05-05",
        "citizen_id": "056065123123", "address": "Số 9 đường Lý Tự Trọng", "members": 3,
        "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true});
    assert_eq!(from("192.0.2.51", on, "on".into()).await.status(), 201);
    let list = json(
        app.get(
            &format!("/api/v1/campaigns/{code}/pledges?unit=KD-22759-0002"),
            Some(&ward),
        )
        .await,
    )
    .await;
    let flags_of = |name: &str| {
        list["items"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["full_name"] == name)
            .map(|p| p["flags"].clone())
            .unwrap_or_else(|| panic!("{name} not in {list}"))
    };
    assert_eq!(flags_of("Vũ Thị Lạ"), json!(["off_roster"]));
    assert_eq!(flags_of("Hoàng Văn Thật"), json!([]));

    // The real household of "Số 1 đường Bạch Đằng" finds its address signed...
    let area = || async {
        let c = app.coverage("KD-22759-0001", "household", &ward).await;
        c["signed"]
            .as_i64()
            .unwrap_or_else(|| panic!("no coverage: {c}"))
    };
    let before = area().await;
    let real = household(
        "Nguyễn Thị Thật",
        "1972-03-03",
        "056172555444",
        "Số 1 đường Bạch Đằng",
        "0933444555",
    );
    let r = json(from("192.0.2.9", real.clone(), "real".into()).await).await;
    assert_eq!(r["created"], false);
    // ...and contests it: both kept, neither counted.
    let req = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/{code}/pledges/contest")))
        .header("X-Forwarded-For", "192.0.2.19")
        .header("Idempotency-Key", "contest")
        .json(&real);
    let r = req.send().await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 201);
    let contest = json(r).await;
    assert_eq!(contest["disputed"], true);
    assert_eq!(area().await, before - 1);
    // Contested again while open: refused.
    let again = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/{code}/pledges/contest")))
        .header("X-Forwarded-For", "192.0.2.10")
        .header("Idempotency-Key", "contest-2")
        .json(&real);
    problem(again.send().await.unwrap_or_else(|e| panic!("{e}")), 409).await;
    // The ward sees the dispute with both pledges, and keeps the real household's.
    let disputes = json(
        app.get(
            &format!("/api/v1/campaigns/{code}/disputes?open=true"),
            Some(&ward),
        )
        .await,
    )
    .await;
    assert_eq!(disputes.as_array().map(Vec::len), Some(1), "{disputes}");
    assert_eq!(disputes[0]["original"]["full_name"], "Người Giả Số Một");
    assert_eq!(disputes[0]["contest"]["full_name"], "Nguyễn Thị Thật");
    let id = bvantq_tests::text(&disputes[0], "id");
    let r = app
        .post(
            &format!("/api/v1/pledge-disputes/{id}/resolve"),
            &json!({"keep": "contest"}),
            Some(&ward),
            None,
        )
        .await;
    assert_eq!(problem(r, 422).await["field"], "reason");
    let r = app.post(&format!("/api/v1/pledge-disputes/{id}/resolve"),
        &json!({"keep": "contest", "reason": "Chủ hộ đến trụ sở xác nhận; cam kết trước do người khác ký."}), Some(&ward), None).await;
    let d = json(r).await;
    assert_eq!(d["status"], "replaced");
    assert_eq!(d["original"]["status"], "void");
    assert_eq!(d["contest"]["status"], "valid");
    assert_eq!(area().await, before);
    problem(
        app.post(
            &format!("/api/v1/pledge-disputes/{id}/resolve"),
            &json!({"keep": "original", "reason": "Lần hai"}),
            Some(&ward),
            None,
        )
        .await,
        409,
    )
    .await;
    // The household now holds its place: signing again answers with its own receipt.
    let r = json(from("192.0.2.11", real, "real-2".into()).await).await;
    assert_eq!(r["receipt"], contest["receipt"]);
    // Another ward cannot see or decide it.
    let other = app.login_as(Role::WardOfficer, "22333").await;
    problem(
        app.get(&format!("/api/v1/campaigns/{code}/disputes"), Some(&other))
            .await,
        403,
    )
    .await;
}

fn photo_budget(c: &mut Config) {
    c.photo_bytes_per_commune_per_hour = 40 * 1024;
    c.photo_bytes_per_hour = 1024 * 1024;
}

fn photo(kb: usize) -> String {
    use base64::Engine;
    // A PNG followed by padding bytes (kept: only metadata chunks are stripped).
    let png =
        std::fs::read(bvantq_tests::fixture("photo-meta.png")).unwrap_or_else(|e| panic!("{e}"));
    let mut b = png.clone();
    if b.len() < kb * 1024 {
        b.extend(std::iter::repeat_n(0u8, kb * 1024 - b.len()));
    }
    base64::engine::general_purpose::STANDARD.encode(b)
}

/// Item 9: photo bytes have an hourly budget per commune (and for everyone): past it, a tip with
/// photos is a 503 with `Retry-After`; a tip without photos, or in another commune, still goes.
async fn photo_budgets_are_spent_then_refused(app: TestApp) {
    let app = &app;
    let tip = |commune: &str, photos: Vec<String>| {
        json!({"category": "drugs", "commune_code": commune,
        "description": "Có người bán ma túy ở đầu hẻm.", "photos": photos.into_iter().map(|p| json!({"data": p})).collect::<Vec<_>>()})
    };
    let send = |body: Value, key: &'static str| async move {
        app.post("/api/v1/tips", &body, None, Some(key)).await
    };
    assert_eq!(send(tip("22759", vec![photo(30)]), "a").await.status(), 201);
    let r = send(tip("22759", vec![photo(30)]), "b").await;
    let wait: u64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    assert!(wait > 0 && wait <= 3600, "{wait}");
    assert_eq!(problem(r, 503).await["code"], "upload_budget_spent");
    assert_eq!(send(tip("22759", vec![]), "c").await.status(), 201);
    assert_eq!(send(tip("22333", vec![photo(30)]), "d").await.status(), 201);
    assert_eq!(app.count("tips"), 3, "the refused tip left nothing");
    app.clock.advance(TimeDelta::minutes(61));
    assert_eq!(send(tip("22759", vec![photo(30)]), "e").await.status(), 201);
}

fn burst_limits(c: &mut Config) {
    c.login_per_ip_per_minute = 1000;
    c.login_failures_per_account = 5;
    c.tip_failures_per_ip = 10;
    c.tips_per_ip_per_hour = 3;
    c.proxy.enabled = true;
}

/// Item 7: concurrent bursts get exactly the limit (the check and the count are one step), an
/// IPv6 client is its /64, and only the rightmost `X-Forwarded-For` hop counts.
async fn bursts_do_not_walk_through_rate_limits(app: TestApp) {
    app.add_user("nan.nhan", Role::WardOfficer, "22759");
    let wrong = (0..40).map(|_| {
        app.client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"username": "nan.nhan", "password": "sai-mat-khau"}))
            .send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(wrong)
        .await
        .into_iter()
        .map(|r| r.map(|r| r.status().as_u16()).unwrap_or(0))
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        5,
        "{statuses:?}"
    );
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 35);
    // Wrong receipt codes, 30 at once from one address: 10 answered, 20 refused.
    let guesses = (0..30).map(|i| {
        app.client
            .post(app.url("/api/v1/tips/follow-up"))
            .header("X-Forwarded-For", "203.0.113.20")
            .json(&json!({"receipt_code": format!("ABCD-EFGH-JKMN-PQRS-{:04}", 2000 + i)}))
            .send()
    });
    let statuses: Vec<u16> = futures_util::future::join_all(guesses)
        .await
        .into_iter()
        .map(|r| r.map(|r| r.status().as_u16()).unwrap_or(0))
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 404).count(),
        10,
        "{statuses:?}"
    );
    // Tips: 3 an hour per address, and one IPv6 /64 is one address...
    let tip = json!({"category": "gambling", "commune_code": "22759", "description": "Đánh bạc tại nhà số 5."});
    let send = |xff: &'static str, key: String| {
        let req = app
            .client
            .post(app.url("/api/v1/tips"))
            .header("X-Forwarded-For", xff)
            .header("Idempotency-Key", key)
            .json(&tip);
        async move { req.send().await.map(|r| r.status().as_u16()).unwrap_or(0) }
    };
    let v6 = [
        "2001:db8:1:2::1",
        "2001:db8:1:2::2",
        "2001:db8:1:2:ffff::9",
        "2001:db8:1:2::abcd",
    ];
    let mut got = Vec::new();
    for (i, a) in v6.iter().enumerate() {
        got.push(send(a, format!("v6-{i}")).await);
    }
    assert_eq!(got, [201, 201, 201, 429]);
    assert_eq!(
        send("2001:db8:1:3::1", "v6-other".into()).await,
        201,
        "another /64"
    );
    // ...and a client cannot escape its bucket by writing hops to the left of the proxy's.
    let mut got = Vec::new();
    for i in 0..4 {
        let xff: &'static str = Box::leak(format!("10.9.8.{i}, 198.51.100.77").into_boxed_str());
        got.push(send(xff, format!("hop-{i}")).await);
    }
    assert_eq!(got, [201, 201, 201, 429]);
}

const METRICS_TOKEN: &str = "a-metrics-token-for-tests";

fn session_rules(c: &mut Config) {
    c.session_max_days = 30;
    c.refresh_ttl_days = 14;
    c.metrics_token = Some(METRICS_TOKEN.into());
}

/// Item 10: the smaller ones.
async fn smaller_holes_are_closed(app: TestApp) {
    // A province officer cannot reset another province officer's password; an administrator can.
    let kh = app.login_as(Role::ProvinceOfficer, "56").await;
    app.add_user("pv05.khac", Role::ProvinceOfficer, "56");
    let peer = json(app.get("/api/v1/users?unit=56", Some(&kh)).await).await["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["username"] == "pv05.khac")
        .and_then(|u| u["id"].as_str())
        .or_fail()
        .to_string();
    let reset = json!({"password": "mat-khau-moi-rat-dai-1"});
    problem(
        app.put(&format!("/api/v1/users/{peer}/password"), &reset, &kh)
            .await,
        403,
    )
    .await;
    problem(
        app.put(
            &format!("/api/v1/users/{peer}/active"),
            &json!({"active": false}),
            &kh,
        )
        .await,
        403,
    )
    .await;
    let admin = app.login_as(Role::Admin, "56").await;
    assert_eq!(
        app.put(&format!("/api/v1/users/{peer}/password"), &reset, &admin)
            .await
            .status(),
        204
    );

    // A locked account's access token is refused at once (not 15 minutes later).
    let login = app.login("pv05.khac", "mat-khau-moi-rat-dai-1").await;
    let token = login["access_token"].as_str().or_fail().to_string();
    assert_eq!(app.get("/api/v1/auth/me", Some(&token)).await.status(), 200);
    let r = app
        .put(
            &format!("/api/v1/users/{peer}/active"),
            &json!({"active": false}),
            &admin,
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        problem(app.get("/api/v1/auth/me", Some(&token)).await, 401).await["code"],
        "account_locked"
    );

    // Responses with tokens or personal data are never stored by a cache.
    app.add_user("thu.cache", Role::WardOfficer, "22759");
    let r = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "thu.cache", "password": bvantq_tests::TEST_PASSWORD}))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        r.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let refresh = json(r).await["refresh_token"]
        .as_str()
        .or_fail()
        .to_string();
    for path in ["/api/v1/auth/me", "/api/v1/users?unit=56", "/api/v1/tips"] {
        let r = app.get(path, Some(&kh)).await;
        assert_eq!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "{path}"
        );
    }

    // A session ends 30 days after its login, however often it was renewed.
    let mut refresh = refresh;
    let mut left = 0;
    for days in [10, 10, 9] {
        app.clock.advance(TimeDelta::days(days));
        let r = json(
            app.post(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": refresh}),
                None,
                None,
            )
            .await,
        )
        .await;
        refresh = r["refresh_token"]
            .as_str()
            .unwrap_or_else(|| panic!("refresh refused: {r}"))
            .to_string();
        left = r["refresh_expires_in"].as_i64().or_fail();
    }
    assert_eq!(
        left, 86_400,
        "on day 29 the last refresh token lives one day, not 14"
    );
    app.clock.advance(TimeDelta::days(1));
    problem(
        app.post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": refresh}),
            None,
            None,
        )
        .await,
        401,
    )
    .await;

    // The citizen pages are not framed elsewhere and carry a strict CSP.
    for path in ["/", "/to-giac", "/theo-doi", "/k/ABC123"] {
        let r = app.get(path, None).await;
        let csp = r
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            r.headers()
                .get("x-frame-options")
                .and_then(|v| v.to_str().ok()),
            Some("DENY")
        );
        if std::path::Path::new(&app.config.web_dir)
            .join("index.html")
            .exists()
        {
            assert!(
                csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                "{path}: {csp}"
            );
        }
    }
    // Plain HTTP here: no HSTS (see `hsts_over_tls`).
    assert!(
        app.get("/healthz", None)
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );

    // Metrics name a closed set of methods: a made-up one is OTHER.
    let _ = app
        .client
        .request(
            reqwest::Method::from_bytes(b"BREW").unwrap_or(reqwest::Method::GET),
            app.url("/api/v1/units"),
        )
        .send()
        .await;
    let m = app
        .get("/metrics", Some(METRICS_TOKEN))
        .await
        .text()
        .await
        .or_fail();
    assert!(!m.contains("BREW") && m.contains("method=\"OTHER\""), "{m}");
}

fn over_tls(c: &mut Config) {
    c.public_url = "https://camket.example.gov.vn".into();
}

/// Item 10: HSTS when the public address is HTTPS.
async fn hsts_over_tls(app: TestApp) {
    let r = app.get("/healthz", None).await;
    assert_eq!(
        r.headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok()),
        Some("max-age=31536000; includeSubDomains")
    );
}

/// Item 10: timing. A login takes as long for an unknown or a locked account as for a known one
/// with the wrong password: one password check of the same cost in every case.
async fn logins_take_as_long_whoever_asks(app: TestApp) {
    let app = &app;
    let admin = app.login_as(Role::Admin, "56").await;
    // Through the API, so their passwords are hashed at the server's cost, as in production.
    for (i, u) in ["bi.khoa", "con.mo"].iter().enumerate() {
        let body = json!({"username": u, "display_name": "Cán Bộ Thử", "password": "mat-khau-that-dai-1",
            "role": "ward_officer", "scope_unit": "22759"});
        assert_eq!(
            app.post("/api/v1/users", &body, Some(&admin), Some(&format!("u{i}")))
                .await
                .status(),
            201
        );
    }
    let id = json(app.get("/api/v1/users?unit=22759", Some(&admin)).await).await["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|u| u["username"] == "bi.khoa")
        .and_then(|u| u["id"].as_str())
        .or_fail()
        .to_string();
    assert_eq!(
        app.put(
            &format!("/api/v1/users/{id}/active"),
            &json!({"active": false}),
            &admin
        )
        .await
        .status(),
        200
    );
    let time = |user: &'static str| async move {
        let mut t = Vec::new();
        for _ in 0..5 {
            let start = std::time::Instant::now();
            let r = app
                .client
                .post(app.url("/api/v1/auth/login"))
                .json(&json!({"username": user, "password": "khong-dung-mat-khau"}))
                .send()
                .await;
            t.push(start.elapsed());
            assert_eq!(r.map(|r| r.status().as_u16()).unwrap_or(0), 401);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        t.sort();
        t[2]
    };
    let known = time("con.mo").await;
    for who in ["bi.khoa", "khong.co.ai"] {
        let t = time(who).await;
        let ratio = t.as_secs_f64() / known.as_secs_f64();
        assert!(
            (0.6..1.6).contains(&ratio),
            "{who}: {t:?} against {known:?}"
        );
    }
}

/// Heavier password hashing for the timing test (one check ≈ 100 ms), and room for its logins.
fn slow_hashing(c: &mut Config) {
    c.argon2 = bvantq_api::infra::config::Argon2Cost {
        memory_kib: 32 * 1024,
        iterations: 3,
    };
    c.login_failures_per_account = 100;
    c.login_per_ip_per_minute = 100;
}

/// Item 6: citizen-typed text that a spreadsheet would run as a formula stays text in every
/// export, read back by calamine and by LibreOffice itself.
async fn exports_run_no_formulas(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết", &["KD-22759-0001"])
        .await;
    let evil = ["=2+3", "+2+3", "@SUM(2;3)", "-2+3+cmd|' /C calc'!A0"];
    for (i, a) in evil.iter().enumerate() {
        let b = household(
            &format!("Người Thử {}", ["Một", "Hai", "Ba", "Bốn"][i]),
            "1980-01-01",
            &format!("05608000{:04}", 4000 + i),
            a,
            "0912345678",
        );
        assert_eq!(
            sign_at(&app, &code, &b, &format!("x{i}")).await.status(),
            201
        );
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut files = Vec::new();
    for ext in ["csv", "xlsx"] {
        let r = app
            .get(
                &format!("/api/v1/campaigns/{code}/pledges.{ext}"),
                Some(&ward),
            )
            .await;
        assert_eq!(r.status(), 200);
        let path = dir.path().join(format!("export.{ext}"));
        std::fs::write(&path, r.bytes().await.or_fail()).unwrap_or_else(|e| panic!("{e}"));
        files.push(path);
    }
    let csv = std::fs::read_to_string(&files[0]).or_fail();
    for a in evil {
        assert!(
            csv.contains(&format!("'{a}")),
            "{a} not neutralised:\n{csv}"
        );
    }
    // Phone numbers are written as people write them (a leading + would be a formula).
    assert!(
        csv.contains(",0912345678,") && !csv.contains("+84"),
        "{csv}"
    );
    // calamine reads the XLSX cells as text, with no formula anywhere.
    {
        use calamine::{Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = calamine::open_workbook(&files[1]).unwrap_or_else(|e| panic!("{e}"));
        let sheet = wb.sheet_names()[0].clone();
        let cells = wb.worksheet_range(&sheet).unwrap_or_else(|e| panic!("{e}"));
        for a in evil {
            assert!(
                cells
                    .used_cells()
                    .any(|(_, _, c)| *c == Data::String(a.to_string())),
                "{a}"
            );
        }
        let formulas = wb
            .worksheet_formula(&sheet)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            formulas.used_cells().next().is_none(),
            "a formula in the workbook"
        );
    }
    // LibreOffice opens both and computes nothing: "=2+3" would become 5.
    for f in &files {
        let out = dir.path().join("lo");
        let status = std::process::Command::new("soffice")
            .args([
                "--headless",
                "--norestore",
                &format!(
                    "-env:UserInstallation=file://{}/profile",
                    dir.path().display()
                ),
                "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1",
                "--outdir",
            ])
            .arg(&out)
            .arg(f)
            .status()
            .unwrap_or_else(|e| {
                panic!("LibreOffice (soffice) is needed: ./dev test installs it: {e}")
            });
        assert!(status.success());
        let name = f.file_stem().and_then(|s| s.to_str()).or_fail();
        let text = std::fs::read_to_string(out.join(format!("{name}.csv")))
            .unwrap_or_else(|e| panic!("{e}"));
        let cells: Vec<&str> = text.lines().flat_map(|l| l.split(',')).collect();
        assert!(
            !cells.contains(&"5"),
            "{}: a formula ran:\n{text}",
            f.display()
        );
        assert!(text.contains("=2+3"), "{}: {text}", f.display());
    }
    // The November report too: a unit name that looks like a formula.
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let r = app
        .post(
            "/api/v1/units",
            &json!({"kind": "residential_area", "name": "=2+3", "parent_code": "22759"}),
            Some(&ward),
            Some("u1"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let csv = app
        .get(
            "/api/v1/dashboard/report.csv?unit=22759&period=2026",
            Some(&province),
        )
        .await
        .text()
        .await
        .or_fail();
    assert!(
        !csv.lines()
            .any(|l| l.split(',').any(|c| c.starts_with('='))),
        "{csv}"
    );
}

/// Item 5: on SQLite, purged tip content does not stay in the file's free pages or its log.
async fn purged_content_leaves_the_sqlite_file(app: TestApp) {
    if app.backend != bvantq_tests::Backend::Sqlite {
        return; // PostgreSQL's pages are its own (VACUUM); this is about the embedded file
    }
    let r = app
        .post(
            "/api/v1/tips",
            &json!({"category": "drugs", "commune_code": "22759",
        "description": "Nội dung sẽ bị xóa sau thời hạn lưu trữ."}),
            None,
            Some("t"),
        )
        .await;
    assert_eq!(r.status(), 201);
    #[derive(diesel::QueryableByName)]
    struct Blob {
        #[diesel(sql_type = diesel::sql_types::Binary)]
        b: Vec<u8>,
    }
    use diesel::RunQueryDsl;
    let sealed = diesel::sql_query("SELECT content AS b FROM tips")
        .get_result::<Blob>(&mut *app.conn())
        .unwrap_or_else(|e| panic!("{e}"))
        .b;
    let officer = app.login_as(Role::WardOfficer, "22759").await;
    let id = json(app.get("/api/v1/tips", Some(&officer)).await).await["items"][0]["id"]
        .as_str()
        .or_fail()
        .to_string();
    let r = app
        .post(
            &format!("/api/v1/tips/{id}/steps"),
            &json!({"step": "not_crime", "reason": "Không có dấu hiệu tội phạm.",
                    "referred_to": "UBND phường"}),
            Some(&officer),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    let files = || {
        let path = app.db.url.trim_start_matches("sqlite://").to_string();
        let mut all = std::fs::read(&path).or_fail();
        // The write-ahead log exists only between checkpoints.
        match std::fs::read(format!("{path}-wal")) {
            Ok(wal) => all.extend(wal),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => panic!("{e}"),
        }
        all
    };
    let present = |hay: &[u8]| {
        hay.windows(sealed.len().min(64))
            .any(|w| w == &sealed[..sealed.len().min(64)])
    };
    assert!(
        present(&files()),
        "the sealed content is in the file before the purge"
    );
    app.clock.advance(TimeDelta::days(366));
    let report = bvantq_api::app::jobs::run_once(&mut app.conn(), &app.config)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.tips_purged, 1);
    assert!(
        !present(&files()),
        "purged content is still in the database file or its log"
    );
}

/// Nothing lost: CCCD hashes written before key ids existed (plain hex, `c:{hex}` dedupe keys)
/// are labelled with the first key's id when the upgraded server starts, and go on matching.
async fn hashes_written_before_key_ids_keep_matching(mut app: TestApp) {
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = app
        .open_campaign(&org, "worker", "Cam kết CBCNV", &["PB-22759-0001"])
        .await;
    let n = json(app.get(&format!("/api/v1/campaigns/{code}"), None).await).await["commitments"]
        .as_array()
        .map_or(0, Vec::len);
    let worker = json!({"unit_code": "PB-22759-0001", "full_name": "Lý Văn Cũ", "birth_date": "1985-05-05",
        "citizen_id": "056085112233", "commitments_accepted": (1..=n).collect::<Vec<_>>(), "privacy_consent": true});
    let first = json(sign_at(&app, &code, &worker, "w1").await).await;
    assert_eq!(first["created"], true, "{first}");
    // What an earlier version wrote: the hash unlabelled, and no record of the keys.
    {
        use diesel::RunQueryDsl;
        let mut conn = app.conn();
        for sql in [
            "UPDATE pledges SET cccd_hmac = substr(cccd_hmac, 14), dedupe_key = 'c:' || substr(dedupe_key, 16) WHERE dedupe_key LIKE 'c:%'",
            "DELETE FROM key_state",
        ] {
            diesel::sql_query(sql)
                .execute(&mut *conn)
                .unwrap_or_else(|e| panic!("{sql}: {e}"));
        }
    }
    assert_eq!(app.count("pledges WHERE cccd_hmac LIKE '%:%'"), 0);
    app.stop().await;
    app.restart().await;
    assert_eq!(
        app.count("pledges WHERE cccd_hmac NOT LIKE '%:%'"),
        0,
        "labelled at start"
    );
    let again = json(sign_at(&app, &code, &worker, "w2").await).await;
    assert_eq!(again["created"], false, "{again}");
    assert_eq!(again["receipt"], first["receipt"]);
}

both!(
    hashes_written_before_key_ids_keep_matching,
    exports_run_no_formulas,
    purged_content_leaves_the_sqlite_file,
    a_database_copy_gives_back_no_cccd,
    templates_belong_to_their_owner,
    forged_host_headers_change_no_link,
);
both!(tiny_signing_limits => signing_abuse_is_limited_flagged_and_contestable);
both!(photo_budget => photo_budgets_are_spent_then_refused);
both!(burst_limits => bursts_do_not_walk_through_rate_limits);
both!(session_rules => smaller_holes_are_closed);
both!(over_tls => hsts_over_tls);
both!(slow_hashing => logins_take_as_long_whoever_asks);
