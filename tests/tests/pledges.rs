//! Pledges end to end: templates, campaigns, signing (dedupe under concurrency, guardians),
//! rosters, officer actions, exports, coverage, scope.

use bvantq_shared::Role;
use bvantq_tests::OrFail;
use bvantq_tests::{TestApp, both, json, problem};
use chrono::TimeDelta;
use serde_json::{Value, json};

async fn template_id(app: &TestApp, kind: &str) -> String {
    let list = json(
        app.get(&format!("/api/v1/pledge-templates?kind={kind}"), None)
            .await,
    )
    .await;
    list.as_array()
        .into_iter()
        .flatten()
        .find(|t| t["published"] == true)
        .and_then(|t| t["id"].as_str())
        .unwrap_or_else(|| panic!("no published {kind} template: {list}"))
        .to_string()
}

/// Creates a campaign and returns its code.
async fn new_campaign(app: &TestApp, token: &str, kind: &str, units: &[&str]) -> String {
    let body = json!({
        "kind": kind, "year": 2026, "title": format!("Cam kết {kind} 2026"),
        "template_id": template_id(app, kind).await,
        "opens_on": "2026-03-01", "closes_on": "2026-05-31", "units": units,
    });
    let r = app
        .post(
            "/api/v1/campaigns",
            &body,
            Some(token),
            Some(&format!("camp-{}", bvantq_api::infra::db::new_id())),
        )
        .await;
    let status = r.status();
    let v = json(r).await;
    assert_eq!(status, 201, "{v}");
    bvantq_tests::text(&v, "code").to_string()
}

fn worker(name: &str, cccd: &str, birth: &str, unit: &str, n: usize) -> Value {
    json!({"unit_code": unit, "full_name": name, "birth_date": birth, "citizen_id": cccd,
           "commitments_accepted": (1..=n).collect::<Vec<_>>(), "privacy_consent": true})
}

/// An exported workbook, opened.
fn workbook(bytes: &[u8]) -> calamine::Xlsx<std::io::Cursor<Vec<u8>>> {
    use calamine::Reader;
    calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap_or_else(|e| panic!("{e}"))
}

/// The sheet `name` of an exported workbook.
fn sheet_of(
    wb: &mut calamine::Xlsx<std::io::Cursor<Vec<u8>>>,
    name: &str,
) -> calamine::Range<calamine::Data> {
    use calamine::Reader;
    wb.worksheet_range(name).unwrap_or_else(|e| panic!("{e}"))
}

async fn sign(app: &TestApp, code: &str, body: &Value, key: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/campaigns/{code}/pledges"),
        body,
        None,
        Some(key),
    )
    .await
}

async fn concurrent_signings_of_one_person_make_one_pledge(app: TestApp) {
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = new_campaign(&app, &org, "worker", &["PB-22759-0001"]).await;
    let body = worker(
        "Lê Văn Tám",
        "058090001234",
        "1990-05-01",
        "PB-22759-0001",
        5,
    );
    let mut tasks = Vec::new();
    for i in 0..100 {
        let c = app.client.clone();
        let url = app.url(&format!("/api/v1/campaigns/{code}/pledges"));
        let b = body.clone();
        tasks.push(tokio::spawn(async move {
            let r = c
                .post(url)
                .header("Idempotency-Key", format!("device-{i}"))
                .json(&b)
                .send()
                .await;
            let r = r.unwrap_or_else(|e| panic!("{e}"));
            (r.status().as_u16(), r.json::<Value>().await.or_fail())
        }));
    }
    let mut receipts = std::collections::HashSet::new();
    let (mut created, mut existing) = (0, 0);
    for t in tasks {
        let (status, v) = t.await.unwrap_or_else(|e| panic!("{e}"));
        match status {
            201 => created += 1,
            200 => existing += 1,
            s => panic!("status {s}: {v}"),
        }
        receipts.insert(bvantq_tests::text(&v, "receipt").to_string());
    }
    assert_eq!((created, existing), (1, 99));
    assert_eq!(receipts.len(), 1, "every caller gets the first receipt");
    assert_eq!(app.count("pledges"), 1);
    let cov = app.coverage("DN-22759-0001", "worker", &org).await;
    assert_eq!(cov["signed"], 1, "counted once: {cov}");
}

async fn guardian_for_minors_only(app: TestApp) {
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let code = new_campaign(
        &app,
        &school,
        "student",
        &["LH-22759-0001", "LH-22759-0002"],
    )
    .await;
    let public = json(app.get(&format!("/api/v1/campaigns/{code}"), None).await).await;
    assert_eq!(public["fields"]["guardian_under_18"], true);
    // The poster's QR code: an SVG that encodes this server's form address for the campaign.
    let qr = app
        .get(&format!("/api/v1/campaigns/{code}/qr.svg"), None)
        .await;
    assert_eq!(
        qr.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/svg+xml")
    );
    let svg = qr.text().await.or_fail();
    assert!(
        svg.starts_with("<?xml") && svg.contains("<svg") && svg.len() > 1000,
        "{svg}"
    );
    assert_eq!(public["commitments"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        public["owner_name"],
        "Trường THCS Lý Tự Trọng, phường Phan Rang"
    );
    assert!(
        public.get("created_by").is_none() && public.get("id").is_none(),
        "nothing private: {public}"
    );
    let mut kid = json!({"unit_code": "LH-22759-0001", "full_name": "Phạm Minh Khôi", "birth_date": "2013-06-01",
                         "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true});
    let p = problem(sign(&app, &code, &kid, "k1").await, 422).await;
    assert_eq!(p["field"], "guardian");
    assert_eq!(p["code"], "guardian_required");
    assert!(p["message_vi"].as_str().or_fail().contains("dưới 18 tuổi"));
    assert_eq!(app.count("pledges"), 0);
    kid["guardian"] = json!({"name": "Phạm Văn Hùng", "relation": "bố", "phone": "0905123456"});
    assert_eq!(sign(&app, &code, &kid, "k2").await.status(), 201);
    // 18 today (2026-03-02): an adult, no guardian needed.
    let adult = json!({"unit_code": "LH-22759-0002", "full_name": "Võ Thị Lan", "birth_date": "2008-03-02",
                       "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true});
    assert_eq!(sign(&app, &code, &adult, "k3").await.status(), 201);
    // A commitment left out, no consent: both named.
    let mut partial = adult.clone();
    partial["full_name"] = json!("Đỗ Văn Nam");
    partial["commitments_accepted"] = json!([1, 2, 3]);
    partial["privacy_consent"] = json!(false);
    let p = problem(sign(&app, &code, &partial, "k4").await, 422).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["commitments_accepted", "privacy_consent"]);
}

async fn campaign_window_and_unknown_codes(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let code = new_campaign(
        &app,
        &ward,
        "household",
        &["KD-22759-0001", "KD-22759-0002"],
    )
    .await;
    let head = json!({"unit_code": "KD-22759-0001", "full_name": "Nguyễn Văn Hộ", "birth_date": "1975-01-01",
                      "citizen_id": "058075000111", "address": "12 Thống Nhất", "members": 4,
                      "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true});
    let r = json(sign(&app, &code, &head, "h1").await).await;
    let receipt = bvantq_tests::text(&r, "receipt").to_string();
    assert!(receipt.starts_with("CK-"));
    // The same household again (another member, same address): the first receipt, 200.
    let mut again = head.clone();
    again["full_name"] = json!("Trần Thị Hộ");
    again["citizen_id"] = json!("058178000222");
    again["birth_date"] = json!("1978-02-02");
    let r2 = sign(&app, &code, &again, "h2").await;
    assert_eq!(r2.status(), 200);
    assert_eq!(json(r2).await["receipt"], receipt.as_str());
    // Verification shows initials, campaign and date — nothing more.
    let v = json(
        app.get(&format!("/api/v1/pledges/verify/{receipt}"), None)
            .await,
    )
    .await;
    assert_eq!(v["initials"], "N.V.H.");
    assert_eq!(v["signed_on"], "2026-03-02");
    assert!(v.get("full_name").is_none() && v.get("birth_date").is_none());
    problem(
        app.get("/api/v1/pledges/verify/CK-ZZZZ-ZZZZ", None).await,
        404,
    )
    .await;
    // Unknown and malformed codes.
    problem(sign(&app, "ZZZZZZ", &head, "h3").await, 404).await;
    let p = problem(sign(&app, "ABC", &head, "h4").await, 422).await;
    assert_eq!(p["field"], "code");
    // After the window: closed.
    app.clock.advance(TimeDelta::days(100));
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let mut late = head.clone();
    late["address"] = json!("99 Lê Lợi");
    let p = problem(sign(&app, &code, &late, "h5").await, 409).await;
    assert_eq!(p["code"], "campaign_closed");
    // Paper forms may still be entered by the officer.
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/paper-pledges"),
            &late,
            Some(&ward),
            Some("p1"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let list = json(
        app.get(
            &format!("/api/v1/campaigns/{code}/pledges?q=ho"),
            Some(&ward),
        )
        .await,
    )
    .await;
    let channels: Vec<&str> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["channel"].as_str())
        .collect();
    assert_eq!(channels.len(), 2);
    assert!(channels.contains(&"paper"));
}

async fn templates_are_immutable_once_published(app: TestApp) {
    let prov = app.login_as(Role::ProvinceOfficer, "56").await;
    let body =
        json!({"kind": "worker", "title_vi": "Mẫu mới", "commitments": [{"vi": "Cam kết một"}]});
    let t = json(
        app.post("/api/v1/pledge-templates", &body, Some(&prov), Some("t1"))
            .await,
    )
    .await;
    assert_eq!(t["version"], 2);
    assert_eq!(t["published"], false);
    let id = bvantq_tests::text(&t, "id");
    let edited = json!({"kind": "worker", "title_vi": "Mẫu mới (sửa)", "commitments": [{"vi": "Cam kết một"}, {"vi": "Cam kết hai"}]});
    let r = app
        .put(&format!("/api/v1/pledge-templates/{id}"), &edited, &prov)
        .await;
    assert_eq!(r.status().as_u16(), 200);
    let r = app
        .post(
            &format!("/api/v1/pledge-templates/{id}/publish"),
            &json!({}),
            Some(&prov),
            None,
        )
        .await;
    assert_eq!(json(r).await["published"], true);
    let r = app
        .put(&format!("/api/v1/pledge-templates/{id}"), &body, &prov)
        .await;
    problem(r, 409).await;
    // A ward officer cannot write templates.
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    problem(
        app.post("/api/v1/pledge-templates", &body, Some(&ward), Some("t2"))
            .await,
        403,
    )
    .await;
}

async fn roster_import_reports_every_bad_row(app: TestApp) {
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let code = new_campaign(&app, &school, "student", &["LH-22759-0001"]).await;
    let csv = "ho_ten,ngay_sinh,cccd\n\
               Nguyễn Văn An,2013-01-15,\n\
               Trần Thị Bình,31/02/2013,\n\
               Lê Văn Cường,2013-04-20,05821300123\n\
               Nguyễn Văn An,2013-01-15,\n\
               Phạm Thị Dung,2013-07-07,058313001234\n";
    let url = app.url(&format!(
        "/api/v1/campaigns/{code}/roster?unit=LH-22759-0001"
    ));
    let r = app
        .client
        .post(&url)
        .bearer_auth(&school)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await;
    let r = r.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 422);
    let report = json(r).await;
    assert!(report["rejected"].is_array(), "{report}");
    let bad: Vec<(u64, &str, &str)> = report["rejected"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            (
                x["line"].as_u64().unwrap_or(0),
                x["field"].as_str().unwrap_or(""),
                x["code"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        bad,
        [
            (3, "birth_date", "date_format"),
            (4, "citizen_id", "cccd_format"),
            (5, "row", "duplicate")
        ]
    );
    assert_eq!(report["imported"], false);
    assert_eq!(
        app.count("roster_entries"),
        0,
        "a rejected file writes nothing"
    );
    // Asked for, the good rows go in.
    let r = app
        .client
        .post(format!("{url}&accept_partial=true"))
        .bearer_auth(&school)
        .header("content-type", "text/csv")
        .body(csv)
        .send()
        .await;
    let report = json(r.unwrap_or_else(|e| panic!("{e}"))).await;
    assert_eq!(report["accepted"], 2);
    assert_eq!(report["imported"], true);
    assert_eq!(app.count("roster_entries"), 2);
    let cov = app.coverage("TH-22759-0001", "student", &school).await;
    assert_eq!(cov["expected"], 2);
    // A signer matching a roster row (name without diacritics differences, same birth date).
    let kid = json!({"unit_code": "LH-22759-0001", "full_name": "Nguyễn Văn An", "birth_date": "2013-01-15",
                     "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true,
                     "guardian": {"name": "Nguyễn Văn Ba", "relation": "bố", "phone": "0905000111"}});
    assert_eq!(sign(&app, &code, &kid, "r1").await.status(), 201);
    let list = json(
        app.get(&format!("/api/v1/campaigns/{code}/pledges"), Some(&school))
            .await,
    )
    .await;
    assert_eq!(list["items"][0]["on_roster"], true);
    let cov = app.coverage("TH-22759-0001", "student", &school).await;
    assert_eq!(cov["percent"], 50.0);
}

async fn officers_verify_void_and_export(app: TestApp) {
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = new_campaign(&app, &org, "worker", &["PB-22759-0001", "PB-22759-0002"]).await;
    for (i, (name, cccd)) in [
        ("Hồ Văn Một", "058090000001"),
        ("Hồ Văn Hai", "058090000002"),
    ]
    .iter()
    .enumerate()
    {
        let r = sign(
            &app,
            &code,
            &worker(name, cccd, "1990-01-01", "PB-22759-0001", 5),
            &format!("w{i}"),
        )
        .await;
        assert_eq!(r.status(), 201);
    }
    let list = json(
        app.get(&format!("/api/v1/campaigns/{code}/pledges"), Some(&org))
            .await,
    )
    .await;
    let ids: Vec<String> = list["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["id"].as_str().map(String::from))
        .collect();
    let r = app
        .post(
            &format!("/api/v1/pledges/{}/verify", ids[0]),
            &json!({}),
            Some(&org),
            None,
        )
        .await;
    assert_eq!(json(r).await["status"], "verified");
    let p = problem(
        app.post(
            &format!("/api/v1/pledges/{}/void", ids[1]),
            &json!({}),
            Some(&org),
            None,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "reason");
    let r = app
        .post(
            &format!("/api/v1/pledges/{}/void", ids[1]),
            &json!({"reason": "Ký hộ người khác"}),
            Some(&org),
            None,
        )
        .await;
    assert_eq!(json(r).await["status"], "void");
    problem(
        app.post(
            &format!("/api/v1/pledges/{}/verify", ids[1]),
            &json!({}),
            Some(&org),
            None,
        )
        .await,
        409,
    )
    .await;
    assert_eq!(app.count("pledges"), 2, "voided, not deleted");
    let cov = app.coverage("DN-22759-0001", "worker", &org).await;
    assert_eq!(cov["signed"], 1, "a void pledge no longer counts");
    // CSV export with Vietnamese headers and only the last 4 CCCD digits.
    let r = app
        .get(&format!("/api/v1/campaigns/{code}/pledges.csv"), Some(&org))
        .await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.or_fail();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("Số biên nhận,Đơn vị,Họ và tên,Ngày sinh,CCCD (4 số cuối)"));
    assert!(text.contains("********0001") && !text.contains("058090000001"));
    assert!(text.contains("Đã hủy") && text.contains("Đã xác minh"));
    // The same as XLSX: open it and read it back.
    let r = app
        .get(
            &format!("/api/v1/campaigns/{code}/pledges.xlsx"),
            Some(&org),
        )
        .await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.or_fail();
    use calamine::Reader;
    let mut wb = workbook(&bytes);
    assert_eq!(wb.sheet_names(), ["Danh sách cam kết", "Tổng hợp"]);
    let sheet = sheet_of(&mut wb, "Danh sách cam kết");
    let header: Vec<String> = sheet
        .rows()
        .next()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .or_fail();
    assert_eq!(
        header[..4],
        ["Số biên nhận", "Đơn vị", "Họ và tên", "Ngày sinh"]
    );
    assert_eq!(sheet.height(), 3, "header and two pledges");
    let all: String = sheet
        .rows()
        .flat_map(|r| r.iter().map(|c| c.to_string()))
        .collect();
    assert!(!all.contains("058090000001"));
    let summary = sheet_of(&mut wb, "Tổng hợp");
    let total = summary.get_value((1, 1)).map(|c| c.to_string());
    assert_eq!(total.as_deref(), Some("2"));
}

async fn managers_see_only_their_own_units(app: TestApp) {
    // A second school in the commune, with a class.
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let s2 = json(
        app.post(
            "/api/v1/units",
            &json!({"parent_code": "22759", "kind": "school", "name": "Trường THPT Chu Văn An"}),
            Some(&ward),
            Some("s2"),
        )
        .await,
    )
    .await;
    let s2 = bvantq_tests::text(&s2, "code").to_string();
    let other = app.login_as(Role::SchoolAdmin, &s2).await;
    let c2 = json(
        app.post(
            "/api/v1/units",
            &json!({"parent_code": s2, "kind": "class", "name": "Lớp 10A1"}),
            Some(&other),
            Some("c2"),
        )
        .await,
    )
    .await;
    let class2 = bvantq_tests::text(&c2, "code").to_string();

    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let code = new_campaign(&app, &school, "student", &["LH-22759-0001"]).await;
    // The other school's admin: 403 on list, roster, export; cannot build a campaign over our class.
    problem(
        app.get(&format!("/api/v1/campaigns/{code}/pledges"), Some(&other))
            .await,
        403,
    )
    .await;
    problem(
        app.get(
            &format!("/api/v1/campaigns/{code}/pledges.csv"),
            Some(&other),
        )
        .await,
        403,
    )
    .await;
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/campaigns/{code}/roster?unit=LH-22759-0001"
        )))
        .bearer_auth(&other)
        .body("ho_ten,ngay_sinh\n")
        .send()
        .await;
    problem(r.unwrap_or_else(|e| panic!("{e}")), 403).await;
    let body = json!({"kind": "student", "year": 2026, "title": "x", "template_id": template_id(&app, "student").await,
                      "opens_on": "2026-03-01", "closes_on": "2026-05-31", "units": ["LH-22759-0001"]});
    problem(
        app.post("/api/v1/campaigns", &body, Some(&other), Some("steal"))
            .await,
        403,
    )
    .await;
    // Classes of two schools cannot share a campaign.
    let body = json!({"kind": "student", "year": 2026, "title": "x", "template_id": template_id(&app, "student").await,
                      "opens_on": "2026-03-01", "closes_on": "2026-05-31", "units": ["LH-22759-0001", class2]});
    let admin = app.login_as(Role::Admin, "56").await;
    problem(
        app.post("/api/v1/campaigns", &body, Some(&admin), Some("mix"))
            .await,
        422,
    )
    .await;
    // A school admin cannot run household campaigns; a ward officer of another commune sees nothing here.
    let body = json!({"kind": "household", "year": 2026, "title": "x", "template_id": template_id(&app, "household").await,
                      "opens_on": "2026-03-01", "closes_on": "2026-05-31", "units": ["KD-22759-0001"]});
    problem(
        app.post("/api/v1/campaigns", &body, Some(&school), Some("hh"))
            .await,
        403,
    )
    .await;
    let ward_b = app.login_as(Role::WardOfficer, "22333").await;
    problem(
        app.get(
            "/api/v1/coverage?unit=22759&year=2026&kind=student",
            Some(&ward_b),
        )
        .await,
        403,
    )
    .await;
    problem(
        app.get("/api/v1/campaigns?unit=22759", Some(&ward_b)).await,
        403,
    )
    .await;
    // The ward officer of the commune sees the commune's coverage (the school's classes roll up).
    let cov = app.coverage("22759", "student", &ward).await;
    assert!(
        cov["children"]
            .as_array()
            .is_some_and(|c| c.iter().any(|x| x["unit_code"] == "TH-22759-0001"))
    );
}

async fn move_window(
    app: &TestApp,
    code: &str,
    token: &str,
    opens_on: &str,
    closes_on: &str,
) -> reqwest::Response {
    app.put(
        &format!("/api/v1/campaigns/{code}/window"),
        &json!({"opens_on": opens_on, "closes_on": closes_on}),
        token,
    )
    .await
}

/// A campaign's managers move its window under the same code (QR codes already printed keep
/// working) and signing follows at once; nobody else may; a window that ends before it starts, or
/// a malformed date, is refused naming the field, and changes nothing.
async fn campaign_window_moves_under_the_same_code(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    // Open 1 March – 31 May; today is 2 March.
    let code = new_campaign(&app, &ward, "household", &["KD-22759-0001"]).await;
    let household = |n: u32| {
        json!({"unit_code": "KD-22759-0001", "full_name": "Lê Văn Hộ", "birth_date": "1970-01-01",
               "citizen_id": format!("058070{n:06}"),
               "address": format!("{n} Yên Ninh"), "members": 3,
               "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true})
    };
    let public = || async { json(app.get(&format!("/api/v1/campaigns/{code}"), None).await).await };
    assert_eq!(sign(&app, &code, &household(1), "w1").await.status(), 201);
    assert_eq!(public().await["open"], true);

    // Closed early, on the day it opened: signing is refused from the next request on.
    let r = move_window(&app, &code, &ward, "2026-03-01", "2026-03-01").await;
    assert_eq!(r.status(), 200);
    let v = json(r).await;
    assert_eq!(
        (v["code"].as_str(), v["closes_on"].as_str()),
        (Some(code.as_str()), Some("2026-03-01"))
    );
    let p = problem(sign(&app, &code, &household(2), "w2").await, 409).await;
    assert!(
        p["message_vi"].as_str().is_some_and(|m| !m.is_empty()),
        "{p}"
    );
    let v = public().await;
    assert_eq!(
        (v["open"].as_bool(), v["closes_on"].as_str()),
        (Some(false), Some("2026-03-01"))
    );

    // Reopened to the end of the year: signing works again, also 100 days on.
    let r = move_window(&app, &code, &ward, "2026-03-01", "2026-12-31").await;
    assert_eq!(r.status(), 200);
    assert_eq!(sign(&app, &code, &household(3), "w3").await.status(), 201);
    app.clock.advance(TimeDelta::days(100));
    assert_eq!(sign(&app, &code, &household(4), "w4").await.status(), 201);
    let ward = app.login_as(Role::WardOfficer, "22759").await;

    // Bad windows: 422 naming the field, nothing changed.
    let r = move_window(&app, &code, &ward, "2026-06-01", "2026-05-01").await;
    let p = problem(r, 422).await;
    assert_eq!(
        (p["field"].as_str(), p["code"].as_str()),
        (Some("closes_on"), Some("end_before_start")),
        "{p}"
    );
    assert_ne!(p["message_vi"], p["message_en"]);
    let r = move_window(&app, &code, &ward, "2026-02-30", "2026-05-01").await;
    assert_eq!(problem(r, 422).await["field"], "opens_on");
    assert_eq!(public().await["closes_on"], "2026-12-31");

    // Nobody else: another commune's officer, a school admin of the same commune; unknown codes.
    let other = app.login_as(Role::WardOfficer, "22834").await;
    let r = move_window(&app, &code, &other, "2026-03-01", "2026-03-01").await;
    problem(r, 403).await;
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let r = move_window(&app, &code, &school, "2026-03-01", "2026-03-01").await;
    problem(r, 403).await;
    let r = move_window(&app, "ZZZZZZ", &ward, "2026-03-01", "2026-03-01").await;
    problem(r, 404).await;
    assert_eq!(public().await["open"], true);
    assert_eq!(app.count("pledges"), 3);
}

/// Another process that moved a window is seen once the cached campaign is older than the cache's
/// lifetime; a campaign read before a `forget` never hides the change after it.
async fn cached_campaigns_follow_changes_made_elsewhere(app: TestApp) {
    use bvantq_api::pledges::service::CampaignCache;
    use std::time::Duration;
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let code = new_campaign(&app, &ward, "household", &["KD-22759-0001"]).await;
    let closes = |cache: &CampaignCache| {
        cache
            .get(&mut app.conn(), &code)
            .unwrap_or_else(|e| panic!("{e}"))
            .campaign
            .closes_on
            .to_string()
    };
    let move_to = |day: &str| {
        let c = bvantq_api::pledges::store::campaigns::by_code(&mut app.conn(), &code)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no campaign"));
        let day = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").or_fail();
        bvantq_api::pledges::store::campaigns::set_window(&mut app.conn(), &c.id, c.opens_on, day)
            .unwrap_or_else(|e| panic!("{e}"));
    };
    // Long-lived entries stay as read until forgotten.
    let kept = CampaignCache::with_ttl(Duration::from_secs(3600));
    assert_eq!(closes(&kept), "2026-05-31");
    move_to("2026-06-30");
    assert_eq!(closes(&kept), "2026-05-31");
    kept.forget(&code);
    assert_eq!(closes(&kept), "2026-06-30");
    // Entries past their lifetime are read again: what another process changed shows.
    let short = CampaignCache::with_ttl(Duration::from_millis(50));
    assert_eq!(closes(&short), "2026-06-30");
    move_to("2026-07-31");
    std::thread::sleep(Duration::from_millis(60));
    assert_eq!(closes(&short), "2026-07-31");
}

/// A form teacher (giáo viên chủ nhiệm) follows the class's commitments: the roster with who has
/// signed and how, a paper form entered for a pupil on it (a bad phone named, nothing written),
/// nothing of another class, no pledge list, no results, no tip; the school sets up the
/// teacher's account and reads the same sheet.
async fn a_form_teacher_follows_the_class_and_enters_paper_forms(app: TestApp) {
    const CLASS: &str = "LH-22759-0001";
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let code = new_campaign(&app, &school, "student", &[CLASS, "LH-22759-0002"]).await;
    let csv = "ho_ten,ngay_sinh\nNguyễn Văn An,2013-01-15\nTrần Thị Bình,2013-02-20\n\
               Lê Văn Cường,2013-04-20\n";
    app.upload_roster(&school, &code, CLASS, csv).await;
    let guardian = json!({"name": "Nguyễn Thị Hoa", "relation": "mẹ", "phone": "0905123456"});
    let pupil = |name: &str, birth: &str, unit: &str| {
        json!({"unit_code": unit, "full_name": name, "birth_date": birth,
            "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true, "guardian": guardian})
    };
    assert_eq!(
        sign(
            &app,
            &code,
            &pupil("Nguyễn Văn An", "2013-01-15", CLASS),
            "gv-1"
        )
        .await
        .status(),
        201
    );

    let teacher = app.login_as(Role::FormTeacher, CLASS).await;
    let sheet_of = |token: String, class: &'static str| {
        let app = &app;
        async move {
            app.get(
                &format!("/api/v1/units/{class}/class-sheet?year=2026"),
                Some(&token),
            )
            .await
        }
    };
    let v = json(sheet_of(teacher.clone(), CLASS).await).await;
    let c = &v["campaigns"][0];
    assert_eq!(c["code"], code.as_str(), "{v}");
    let marks = |c: &Value| -> Vec<(String, Value)> {
        c["roster"]
            .as_array()
            .or_fail()
            .iter()
            .map(|p| {
                (
                    p["full_name"].as_str().or_fail().to_string(),
                    p["signed"].clone(),
                )
            })
            .collect()
    };
    assert_eq!(
        marks(c),
        [
            ("Nguyễn Văn An".to_string(), json!("self")),
            ("Trần Thị Bình".to_string(), Value::Null),
            ("Lê Văn Cường".to_string(), Value::Null),
        ]
    );
    assert_eq!(
        (c["signed"].as_i64(), c["expected"].as_i64()),
        (Some(1), Some(3))
    );

    // Bình's paper form: a phone that is not one is named, and nothing is written.
    let paper = format!("/api/v1/campaigns/{code}/paper-pledges");
    let before = app.count("pledges");
    let mut bad = pupil("Trần Thị Bình", "2013-02-20", CLASS);
    bad["guardian"]["phone"] = json!("12345");
    let p = problem(
        app.post(&paper, &bad, Some(&teacher), Some("gv-2")).await,
        422,
    )
    .await;
    assert!(p.to_string().contains("guardian.phone"), "{p}");
    assert_eq!(app.count("pledges"), before);
    let r = app
        .post(
            &paper,
            &pupil("Trần Thị Bình", "2013-02-20", CLASS),
            Some(&teacher),
            Some("gv-3"),
        )
        .await;
    assert_eq!(r.status(), 201);
    let v = json(sheet_of(teacher.clone(), CLASS).await).await;
    let c = &v["campaigns"][0];
    assert_eq!(marks(c)[1].1, json!("paper"), "{v}");
    assert_eq!(c["signed"], 2);

    // Another class: neither its sheet nor its paper forms.
    problem(sheet_of(teacher.clone(), "LH-22759-0002").await, 403).await;
    let other = pupil("Võ Minh Tâm", "2013-05-05", "LH-22759-0002");
    problem(
        app.post(&paper, &other, Some(&teacher), Some("gv-4")).await,
        403,
    )
    .await;
    // Nothing else: the pledge list, the class's results and coverage, the tips.
    for path in [
        format!("/api/v1/campaigns/{code}/pledges"),
        format!("/api/v1/dashboard?unit={CLASS}&period=2026"),
        format!("/api/v1/coverage?unit={CLASS}&year=2026&kind=student"),
        "/api/v1/tips".to_string(),
        "/api/v1/campaigns".to_string(),
    ] {
        let r = app.get(&path, Some(&teacher)).await;
        assert_eq!(r.status(), 403, "{path}");
    }

    // The school reads the same sheet and sets up a form teacher — that role only.
    assert_eq!(sheet_of(school.clone(), CLASS).await.status(), 200);
    let account = |role: &str, username: &str| {
        json!({"username": username, "display_name": "Đặng Thu Hà", "password": "mat-khau-giao-vien-6a",
            "role": role, "scope_unit": CLASS})
    };
    let r = app
        .post(
            "/api/v1/users",
            &account("form_teacher", "gvcn.6a"),
            Some(&school),
            Some("u-gv"),
        )
        .await;
    assert_eq!(r.status(), 201);
    problem(
        app.post(
            "/api/v1/users",
            &account("ward_officer", "gvcn.6b"),
            Some(&school),
            Some("u-gv2"),
        )
        .await,
        403,
    )
    .await;
}

/// An export larger than one page (`EXPORT_PAGE` = 1,000) holds every pledge exactly once, in
/// CSV and in XLSX, and the CSV is sent as it is read (chunked, no length known up front).
async fn an_export_larger_than_a_page_arrives_whole_and_as_it_is_read(app: TestApp) {
    let org = app.login_as(Role::OrgAdmin, "DN-22759-0001").await;
    let code = new_campaign(&app, &org, "worker", &["PB-22759-0001"]).await;
    let body = worker(
        "Hồ Văn Một",
        "058090000001",
        "1990-01-01",
        "PB-22759-0001",
        5,
    );
    assert_eq!(sign(&app, &code, &body, "big-0").await.status(), 201);
    // 2,100 more pledges like it, each with its own id, receipt and person.
    use diesel::RunQueryDsl;
    let n = diesel::sql_query(format!(
        "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2100)
         INSERT INTO pledges (id, receipt, campaign_id, unit_code, dedupe_key, full_name, name_key,
           initials, birth_date, cccd_hmac, cccd_last4, phone, address, members, guardian_name,
           guardian_relation, guardian_phone, template_version, commitments_accepted, channel,
           status, status_reason, status_by, roster_entry_id, entered_by, signed_at, flags, year)
         SELECT p.id || '-' || CAST(s.n AS TEXT), p.receipt || '-' || CAST(s.n AS TEXT), p.campaign_id,
           p.unit_code, p.dedupe_key || '-' || CAST(s.n AS TEXT), p.full_name, p.name_key, p.initials,
           p.birth_date, p.cccd_hmac, p.cccd_last4, p.phone, p.address, p.members, p.guardian_name,
           p.guardian_relation, p.guardian_phone, p.template_version, p.commitments_accepted,
           p.channel, p.status, p.status_reason, p.status_by, p.roster_entry_id, p.entered_by,
           p.signed_at, p.flags, p.year
         FROM pledges p, s
         WHERE p.campaign_id = (SELECT id FROM campaigns WHERE code = '{code}')"
    ))
    .execute(&mut *app.conn())
    .or_fail();
    assert_eq!(n, 2100);
    let r = app
        .get(&format!("/api/v1/campaigns/{code}/pledges.csv"), Some(&org))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["transfer-encoding"], "chunked");
    assert!(r.headers().get("content-length").is_none());
    let text = r.text().await.or_fail();
    let receipts: Vec<&str> = text
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(receipts.len(), 2101, "every pledge, once");
    let distinct: std::collections::HashSet<&&str> = receipts.iter().collect();
    assert_eq!(distinct.len(), 2101, "no pledge twice");
    let r = app
        .get(
            &format!("/api/v1/campaigns/{code}/pledges.xlsx"),
            Some(&org),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-disposition"],
        format!("attachment; filename=\"cam-ket-{code}.xlsx\"").as_str()
    );
    let bytes = r.bytes().await.or_fail();
    let mut wb = workbook(&bytes);
    let sheet = sheet_of(&mut wb, "Danh sách cam kết");
    assert_eq!(sheet.height(), 2102, "the header and every pledge");
    let in_sheet: std::collections::HashSet<String> =
        sheet.rows().skip(1).map(|r| r[0].to_string()).collect();
    assert_eq!(in_sheet.len(), 2101, "no pledge twice");
    let summary = sheet_of(&mut wb, "Tổng hợp");
    let total = summary.get_value((1, 1)).map(|c| c.to_string());
    assert_eq!(total.as_deref(), Some("2101"));
}

both!(
    an_export_larger_than_a_page_arrives_whole_and_as_it_is_read,
    a_form_teacher_follows_the_class_and_enters_paper_forms,
    campaign_window_moves_under_the_same_code,
    cached_campaigns_follow_changes_made_elsewhere,
    concurrent_signings_of_one_person_make_one_pledge,
    guardian_for_minors_only,
    campaign_window_and_unknown_codes,
    templates_are_immutable_once_published,
    roster_import_reports_every_bad_row,
    officers_verify_void_and_export,
    managers_see_only_their_own_units,
);

/// PostgreSQL's group commit writes each new signing of a batch — pledge, counters of every
/// level, idempotency record — in one statement; a person who already signed or a replayed key is
/// left to the general path; a batch that fails writes nothing at all.
async fn postgres_batched_signing_writes_everything_or_nothing(app: TestApp) {
    use bvantq_api::pledges::batch::SignBatcher;
    use bvantq_shared::pledge::{SignContext, SignRequest};
    if app.backend != bvantq_tests::Backend::Postgres {
        return; // group commit is PostgreSQL's; SQLite always takes the general path
    }
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let code = new_campaign(&app, &ward, "household", &["KD-22759-0001"]).await;
    let cache = bvantq_api::pledges::service::CampaignCache::default();
    let ctx = {
        let mut conn = app.conn();
        cache
            .get(&mut conn, &code)
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let now = bvantq_tests::t0();
    let draft = |name: &str, cccd: &str, address: &str| {
        let req: SignRequest = serde_json::from_value(json!({
            "unit_code": "KD-22759-0001", "full_name": name, "birth_date": "1980-01-01",
            "citizen_id": cccd, "address": address, "members": 2,
            "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true}))
        .or_fail();
        let new = req
            .parse(SignContext {
                kind: ctx.campaign.kind,
                commitments: ctx.commitments.len(),
                today: now.date(),
            })
            .unwrap_or_else(|e| panic!("{e:?}"));
        bvantq_api::pledges::service::signing::draft(
            &app.config,
            &ctx,
            &new,
            bvantq_shared::PledgeChannel::SelfSigned,
            None,
            false,
            now,
        )
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let idem = |k: &str| {
        bvantq_api::infra::request::Idempotency::new(
            "POST test public".into(),
            k,
            format!("body-{k}").as_bytes(),
            &app.config.tip_sealer,
        )
    };
    // Stored keys are keyed fingerprints of the client's keys.
    let stored = |keys: &[&str]| {
        keys.iter()
            .map(|k| format!("'{}'", idem(k).key))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let batcher = SignBatcher::start(app.pool.clone());
    // Written: true; handed back for the general path: false.
    let sign = |d, key: &str| {
        let job = batcher.sign(
            d,
            2026,
            bvantq_shared::PledgeKind::Household,
            idem(key),
            "{}".into(),
        );
        async move { job.await.is_ok() }
    };
    // Submitted together, so the workers take them as one or a few batches.
    let (a, b, c, again) = tokio::join!(
        sign(draft("Nguyễn Văn An", "058080000123", "1 Đường A"), "k-a"),
        sign(draft("Trần Thị Bình", "058180000124", "2 Đường B"), "k-b"),
        sign(draft("Lê Văn Cường", "058080000125", "3 Đường C"), "k-c"),
        // The same key twice in a batch: one is written, the other goes the general way.
        sign(draft("Lê Văn Cường", "058080000125", "3 Đường C"), "k-c"),
    );
    assert!(a && b, "new households are written");
    assert!(
        c ^ again,
        "one of two uses of a key is written: {c} {again}"
    );
    assert_eq!(app.count("pledges"), 3);
    assert_eq!(
        app.count(&format!(
            "idempotency_keys WHERE idem_key IN ({})",
            stored(&["k-a", "k-b", "k-c"])
        )),
        3
    );
    // The same household again under a new key, and a replayed key: nothing is written.
    assert!(!sign(draft("Nguyễn Văn An", "058080000123", "1 Đường A"), "k-a2").await);
    assert!(!sign(draft("Phạm Văn Dũng", "058080000126", "4 Đường D"), "k-a").await);
    assert_eq!(app.count("pledges"), 3);
    assert_eq!(
        app.count(&format!(
            "idempotency_keys WHERE idem_key = {}",
            stored(&["k-a2"])
        )),
        0
    );
    // A batch that fails as a whole (here: one signing names a campaign that does not exist, a
    // foreign-key violation) leaves nothing behind, not even the valid signing beside it.
    let mut broken = draft("Võ Thị Em", "058180000127", "5 Đường E");
    broken.row.campaign_id = "no-such-campaign".into();
    let (ok, bad) = tokio::join!(
        sign(draft("Đỗ Văn Phúc", "058080000128", "6 Đường F"), "k-f"),
        sign(broken, "k-e"),
    );
    assert!(!bad, "the broken signing is not written");
    if !ok {
        // They shared a batch: the valid one was not written either, and says so.
        assert_eq!(
            app.count(&format!(
                "idempotency_keys WHERE idem_key = {}",
                stored(&["k-f"])
            )),
            0
        );
    }
    assert_eq!(app.count("pledges"), 3 + i64::from(ok));
    assert_eq!(
        app.count(&format!(
            "idempotency_keys WHERE idem_key = {}",
            stored(&["k-e"])
        )),
        0
    );
    let cov = app
        .coverage(
            "56",
            "household",
            &app.login_as(Role::ProvinceOfficer, "56").await,
        )
        .await;
    assert_eq!(cov["signed"], 3 + i64::from(ok), "{cov}");
    for unit in ["22759", "KD-22759-0001"] {
        let cov = app.coverage(unit, "household", &ward).await;
        assert_eq!(cov["signed"], 3 + i64::from(ok), "{unit}: {cov}");
    }
}

both!(postgres_batched_signing_writes_everything_or_nothing);

/// Every PostgreSQL connection of the pool asks the kernel to write the pages it evicts every
/// 256 kB (`backend_flush_after`), so signings do not pile up a backlog whose writeback stalls
/// every commit (BENCHMARKS.md); SQLite has no such setting.
async fn postgres_sessions_flush_their_writes_in_small_pieces(app: TestApp) {
    use diesel::RunQueryDsl;
    if app.backend != bvantq_tests::Backend::Postgres {
        return;
    }
    let mut conn = app.conn();
    let bvantq_api::infra::db::DbConn::Pg(pg) = &mut *conn else {
        panic!("a PostgreSQL test app gives PostgreSQL connections");
    };
    let setting: String = diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
        "current_setting('backend_flush_after')",
    ))
    .get_result(pg)
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(setting, "256kB");
}

both!(postgres_sessions_flush_their_writes_in_small_pieces);

/// Dropping the signing queue waits for its workers to stop, and with them go their handles on the
/// pool, so a stopping server closes its PostgreSQL connections before the process ends (else
/// PostgreSQL logs a reset connection for each).
#[cfg(target_os = "linux")]
#[test]
fn a_dropped_sign_queue_lets_its_connections_close() {
    use diesel::{Connection, RunQueryDsl};
    let Some(db) = bvantq_tests::TestDb::postgres() else {
        return;
    };
    let name = db.url.rsplit('/').next().or_fail().to_string();
    let admin = std::env::var("TEST_DATABASE_URL").or_fail();
    let mut admin = diesel::PgConnection::establish(&admin).unwrap_or_else(|e| panic!("{e}"));
    let mut open = || -> i64 {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!(
            "(SELECT count(*) FROM pg_stat_activity WHERE datname = '{name}')"
        )))
        .get_result(&mut admin)
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let pool = bvantq_api::infra::db::pool(&db.url, Some(2)).unwrap_or_else(|e| panic!("{e}"));
    let queue = bvantq_api::pledges::batch::SignBatcher::start(pool.clone());
    drop(pool);
    assert!(open() > 0, "the pool keeps its connections open");
    let workers = || {
        std::fs::read_dir("/proc/self/task")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|t| std::fs::read_to_string(t.path().join("comm")).ok())
            .filter(|name| name.starts_with("sign-batch-"))
            .count()
    };
    // A thread takes its name once it runs: wait for them all to have started.
    let started = std::time::Instant::now();
    while workers() < bvantq_api::pledges::batch::WORKERS {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "the queue's workers never started"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    drop(queue);
    // Stopped when the drop returns, not some time later.
    assert_eq!(workers(), 0, "the queue's workers are gone");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let n = open();
        if n == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{n} connection(s) still open after the queue was dropped"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
