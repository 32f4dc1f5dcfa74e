//! Assessments end to end: evidence from pledges and from sub-units' results, the workflow and who
//! may approve, locking, evidence files.

use bvantq_shared::Role;
use bvantq_tests::OrFail;
use bvantq_tests::{TestApp, both, json, problem};
use serde_json::{Value, json};

/// Complete answers for a set: every criterion passed except those in `skip` (left to the
/// evidence), and points adding up to `total`.
async fn answers(app: &TestApp, kind: &str, skip: &[&str], total: u32) -> Value {
    let sets = json(
        app.get(&format!("/api/v1/criteria-sets?kind={kind}"), None)
            .await,
    )
    .await;
    let set = &sets[0];
    let mut criteria = serde_json::Map::new();
    for c in set["criteria"].as_array().into_iter().flatten() {
        let code = bvantq_tests::text(c, "code");
        if !skip.contains(&code) {
            criteria.insert(code.into(), json!({"passed": true}));
        }
    }
    let mut scores = serde_json::Map::new();
    let mut left = total;
    for item in set["scorecard"].as_array().into_iter().flatten() {
        let max = item["max_points"].as_u64().unwrap_or(0) as u32;
        let p = left.min(max);
        left -= p;
        scores.insert(bvantq_tests::text(item, "code").into(), json!(p));
    }
    json!({"criteria": criteria, "scores": scores})
}

async fn put(app: &TestApp, token: &str, unit: &str, answers: &Value) -> reqwest::Response {
    app.put(
        &format!("/api/v1/assessments/{unit}/2026"),
        &json!({ "answers": answers }),
        token,
    )
    .await
}

async fn act(
    app: &TestApp,
    token: &str,
    unit: &str,
    action: &str,
    body: Value,
) -> reqwest::Response {
    app.post(
        &format!("/api/v1/assessments/{unit}/2026/{action}"),
        &body,
        Some(token),
        None,
    )
    .await
}

async fn ok(r: reqwest::Response) -> Value {
    let status = r.status();
    let v = json(r).await;
    assert_eq!(status, 200, "{v}");
    v
}

fn evidence<'a>(v: &'a Value, criterion: &str) -> &'a Value {
    v["evidence"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["criterion"] == criterion)
        .unwrap_or_else(|| panic!("no evidence for {criterion}: {v}"))
}

async fn sign_household(app: &TestApp, code: &str, area: &str, i: usize) {
    let body = json!({"unit_code": area, "full_name": "Chủ Hộ Gia Đình", "birth_date": "1970-01-01",
        "citizen_id": format!("056070{i:06}"), "address": format!("Số {i} đường Trần Phú"), "members": 4,
        "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true});
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &body,
            None,
            Some(&format!("hh-{i}")),
        )
        .await;
    assert_eq!(r.status(), 201);
}

async fn household_coverage_decides_criterion_1(app: TestApp) {
    const AREA: &str = "KD-22333-0001";
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết hộ gia đình 2026", &[AREA])
        .await;
    let r = app
        .put(
            &format!("/api/v1/campaigns/{code}/expected"),
            &json!({"unit_code": AREA, "expected": 100}),
            &ward,
        )
        .await;
    assert_eq!(r.status(), 200);
    for i in 0..99 {
        sign_household(&app, &code, AREA, i).await;
    }

    // Criteria 2–5 answered, criterion 1 left to the evidence: 99/100 fails it.
    let a = answers(&app, "residential_area", &["1"], 95).await;
    let v = ok(put(&app, &ward, AREA, &a).await).await;
    assert_eq!(v["status"], "draft");
    let e = evidence(&v, "1");
    assert_eq!(e["passed"], false);
    assert_eq!(e["source"], "household_coverage");
    assert!(
        e["value"].as_str().is_some_and(|s| s.starts_with("99/100")),
        "{e}"
    );
    assert!(
        e["source_vi"]
            .as_str()
            .is_some_and(|s| s.contains(&code) && s.contains("Cam kết hộ gia đình 2026")),
        "{e}"
    );
    assert_eq!(v["outcome"]["recognised"], false);
    assert_eq!(v["outcome"]["failed_criteria"], json!(["1"]));
    assert_eq!(v["outcome"]["score"], 95);

    // Claiming a pass against the data needs a reason.
    let mut claim = a.clone();
    claim["criteria"]["1"] = json!({"passed": true});
    let p = problem(put(&app, &ward, AREA, &claim).await, 422).await;
    assert_eq!(p["field"], "criteria.1.override_reason");
    claim["criteria"]["1"]["override_reason"] = json!("Hộ cuối đã ký bản giấy, chưa nhập");
    let v = ok(put(&app, &ward, AREA, &claim).await).await;
    assert_eq!(v["outcome"]["recognised"], true);

    // The hundredth household signs: the evidence now passes on its own.
    ok(put(&app, &ward, AREA, &a).await).await;
    sign_household(&app, &code, AREA, 99).await;
    let v = ok(app
        .get(&format!("/api/v1/assessments/{AREA}/2026"), Some(&ward))
        .await)
    .await;
    let e = evidence(&v, "1");
    assert_eq!(e["passed"], true);
    assert!(
        e["value"]
            .as_str()
            .is_some_and(|s| s.starts_with("100/100"))
    );
    assert_eq!(v["outcome"]["recognised"], true);
    assert_eq!(v["outcome"]["classification"], "xuat_sac");
    // Submitted: the evidence is frozen with it.
    let v = ok(act(&app, &ward, AREA, "submit", json!({})).await).await;
    assert_eq!(v["status"], "submitted");
    assert_eq!(evidence(&v, "1")["passed"], true);
}

/// Creates `n` residential areas under `commune`; returns their codes.
async fn new_areas(app: &TestApp, token: &str, commune: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..n {
        let r = app
            .post(
                "/api/v1/units",
                &json!({"parent_code": commune, "kind": "residential_area", "name": format!("Khu phố {}", i + 1)}),
                Some(token),
                Some(&format!("area-{commune}-{i}")),
            )
            .await;
        let status = r.status();
        let v = json(r).await;
        assert_eq!(status, 201, "{v}");
        out.push(bvantq_tests::text(&v, "code").to_string());
    }
    out
}

async fn seventy_percent_of_areas_recognised(app: TestApp) {
    const B: &str = "22366";
    let ward = app.login_as(Role::WardOfficer, B).await;
    let areas = new_areas(&app, &ward, B, 10).await;
    let complete = answers(&app, "residential_area", &[], 80).await;
    // Three areas are not recognised: they fail criterion 3.
    let mut failing = complete.clone();
    failing["criteria"]["3"] = json!({"passed": false, "note": "Có khiếu kiện đông người"});
    for (i, area) in areas.iter().enumerate() {
        let a = if i < 3 { &failing } else { &complete };
        ok(put(&app, &ward, area, a).await).await;
        ok(act(&app, &ward, area, "submit", json!({})).await).await;
    }
    // The commune's own assessment, criterion 6 left to the evidence.
    let commune = answers(&app, "commune", &["6"], 85).await;
    ok(put(&app, &ward, B, &commune).await).await;
    let check = |v: &Value, passed: bool, value: &str| {
        let e = evidence(v, "6");
        assert_eq!(e["passed"], passed, "{e}");
        assert!(
            e["value"].as_str().is_some_and(|s| s.starts_with(value)),
            "{e}"
        );
    };
    // Approve the three failing areas and six of the others: 6 of 10 recognised.
    for area in &areas[..9] {
        let v = ok(act(&app, &ward, area, "approve", json!({})).await).await;
        assert_eq!(v["status"], "approved");
    }
    let v = ok(app
        .get(&format!("/api/v1/assessments/{B}/2026"), Some(&ward))
        .await)
    .await;
    check(&v, false, "6/10");
    assert_eq!(v["outcome"]["recognised"], false);
    // The seventh: 7 of 10, the 70% rule passes.
    ok(act(&app, &ward, &areas[9], "approve", json!({})).await).await;
    let v = ok(app
        .get(&format!("/api/v1/assessments/{B}/2026"), Some(&ward))
        .await)
    .await;
    check(&v, true, "7/10");
    assert_eq!(v["outcome"]["recognised"], true);
}

async fn only_the_parent_approves_and_approval_locks(app: TestApp) {
    const SCHOOL: &str = "TH-22759-0001";
    let admin = app.login_as(Role::SchoolAdmin, SCHOOL).await;
    // Incomplete answers: a draft, but not submittable.
    let partial = json!({"criteria": {"1": {"passed": true}}, "scores": {"A": 10}});
    ok(put(&app, &admin, SCHOOL, &partial).await).await;
    let p = problem(act(&app, &admin, SCHOOL, "submit", json!({})).await, 422).await;
    assert_eq!(p["field"], "criteria.2");
    let over = json!({"criteria": {}, "scores": {"A": 16}});
    assert_eq!(
        problem(put(&app, &admin, SCHOOL, &over).await, 422).await["field"],
        "scores.A"
    );
    let full = answers(&app, "school", &[], 72).await;
    ok(put(&app, &admin, SCHOOL, &full).await).await;
    // An evidence file: a PDF, checked by its bytes.
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/assessments/{SCHOOL}/2026/files?criterion=5&filename=bien-ban.pdf"
        )))
        .bearer_auth(&admin)
        .body(b"%PDF-1.4\n% bien ban hop phu huynh\n".to_vec())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status(), 201);
    let f = json(r).await;
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/assessments/{SCHOOL}/2026/files?criterion=5&filename=x.pdf"
        )))
        .bearer_auth(&admin)
        .body(b"MZ not a pdf".to_vec())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(problem(r, 422).await["field"], "file");
    let v = ok(act(&app, &admin, SCHOOL, "submit", json!({})).await).await;
    assert_eq!(v["outcome"]["classification"], "kha");
    assert_eq!(v["files"].as_array().map(Vec::len), Some(1));

    // Not the parent unit's officer: the school itself, the province, another commune.
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let other_ward = app.login_as(Role::WardOfficer, "22333").await;
    for token in [&admin, &province, &other_ward] {
        problem(act(&app, token, SCHOOL, "approve", json!({})).await, 403).await;
    }
    // The commune's officer approves.
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let v = ok(act(&app, &ward, SCHOOL, "approve", json!({"comment": "Đạt"})).await).await;
    assert_eq!(v["status"], "approved");
    // Locked.
    let p = problem(put(&app, &admin, SCHOOL, &full).await, 409).await;
    assert_eq!(p["code"], "assessment_locked");
    problem(act(&app, &admin, SCHOOL, "submit", json!({})).await, 409).await;
    problem(
        act(&app, &ward, SCHOOL, "return", json!({"comment": "Sửa"})).await,
        409,
    )
    .await;
    let r = app
        .client
        .post(app.url(&format!(
            "/api/v1/assessments/{SCHOOL}/2026/files?criterion=5&filename=y.pdf"
        )))
        .bearer_auth(&admin)
        .body(b"%PDF-1.4\n".to_vec())
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    problem(r, 409).await;
    // The file is still there for the reviewer.
    let r = app
        .get(
            &format!(
                "/api/v1/assessments/{SCHOOL}/2026/files/{}",
                bvantq_tests::text(&f, "id")
            ),
            Some(&ward),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.or_fail().starts_with(b"%PDF"));

    // A commune's parent is its province: returned with comments, corrected, approved.
    // Criterion 6 left to the evidence (few of its units are approved yet).
    let commune = answers(&app, "commune", &["6"], 91).await;
    ok(put(&app, &ward, "22759", &commune).await).await;
    ok(act(&app, &ward, "22759", "submit", json!({})).await).await;
    problem(act(&app, &ward, "22759", "approve", json!({})).await, 403).await;
    let p = problem(
        act(&app, &province, "22759", "return", json!({})).await,
        422,
    )
    .await;
    assert_eq!(p["field"], "comment");
    let v = ok(act(
        &app,
        &province,
        "22759",
        "return",
        json!({"comment": "Bổ sung biên bản tiêu chí 5"}),
    )
    .await)
    .await;
    assert_eq!(v["status"], "returned");
    assert_eq!(v["review_comment"], "Bổ sung biên bản tiêu chí 5");
    ok(put(&app, &ward, "22759", &commune).await).await;
    ok(act(&app, &ward, "22759", "submit", json!({})).await).await;
    let v = ok(act(&app, &province, "22759", "approve", json!({})).await).await;
    assert_eq!(v["status"], "approved");
    let actions: Vec<&str> = v["history"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        [
            "created",
            "submitted",
            "returned",
            "saved",
            "submitted",
            "approved"
        ]
    );
    // Someone outside sees nothing.
    problem(
        app.get("/api/v1/assessments/22759/2026", Some(&other_ward))
            .await,
        403,
    )
    .await;
}

async fn a_province_adds_its_own_version(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    // An assessment started on the national set keeps it.
    let national = answers(&app, "commune", &["6"], 80).await;
    let v = ok(put(&app, &ward, "22759", &national).await).await;
    assert_eq!(v["set_id"], "tt124-commune-v1");

    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let body = json!({"base": "tt124-commune-v1",
        "extra_criteria": [{"code": "7", "title_vi": "Không có điểm nóng về khai thác khoáng sản trái phép",
                            "title_en": "No illegal mining hotspot"}],
        "bands": {"xuat_sac": 95, "kha": 80, "trung_binh": 60}});
    problem(
        app.post("/api/v1/criteria-sets", &body, Some(&ward), None)
            .await,
        403,
    )
    .await;
    let mut bad = body.clone();
    bad["bands"] = json!({"xuat_sac": 80, "kha": 90, "trung_binh": 60});
    assert_eq!(
        problem(
            app.post("/api/v1/criteria-sets", &bad, Some(&province), None)
                .await,
            422
        )
        .await["field"],
        "bands"
    );
    let mut dup = body.clone();
    dup["extra_criteria"][0]["code"] = json!("1");
    problem(
        app.post("/api/v1/criteria-sets", &dup, Some(&province), None)
            .await,
        422,
    )
    .await;
    let r = app
        .post("/api/v1/criteria-sets", &body, Some(&province), None)
        .await;
    assert_eq!(r.status(), 201);
    let set = json(r).await;
    let id = bvantq_tests::text(&set, "id").to_string();
    assert_eq!(set["province"], "56");
    assert_eq!(set["criteria"].as_array().map(Vec::len), Some(7));
    let listed = json(app.get("/api/v1/criteria-sets?kind=commune", None).await).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(2));

    // A new assessment in Khánh Hòa uses the province's version (criterion 7, its bands)...
    let other = app.login_as(Role::WardOfficer, "22333").await;
    let mut a = answers(&app, "commune", &["6"], 92).await;
    let v = ok(put(&app, &other, "22333", &a).await).await;
    assert_eq!(v["set_id"], id.as_str());
    let p = problem(act(&app, &other, "22333", "submit", json!({})).await, 422).await;
    assert_eq!(p["field"], "criteria.7");
    a["criteria"]["7"] = json!({"passed": true});
    a["criteria"]["6"] =
        json!({"passed": true, "override_reason": "Các khu dân cư đã được công nhận trên giấy"});
    ok(put(&app, &other, "22333", &a).await).await;
    let v = ok(act(&app, &other, "22333", "submit", json!({})).await).await;
    // 92 is khá under the province's bands (xuất sắc from 95).
    assert_eq!(v["outcome"]["classification"], "kha");
    // ...one elsewhere stays on the national set, and so does the one started before.
    let hanoi = app.login_as(Role::WardOfficer, "00004").await;
    let v = ok(put(
        &app,
        &hanoi,
        "00004",
        &answers(&app, "commune", &["6"], 92).await,
    )
    .await)
    .await;
    assert_eq!(v["set_id"], "tt124-commune-v1");
    let v = ok(app.get("/api/v1/assessments/22759/2026", Some(&ward)).await).await;
    assert_eq!(v["set_id"], "tt124-commune-v1");
}

both!(
    a_province_adds_its_own_version,
    household_coverage_decides_criterion_1,
    seventy_percent_of_areas_recognised,
    only_the_parent_approves_and_approval_locks,
);
