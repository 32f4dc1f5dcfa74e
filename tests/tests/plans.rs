//! Plans a province keeps itself (issue 19, "plans as data"): the seed plans imported as published
//! history; a province officer writes a draft (checked field by field), publishes it, and the
//! dashboard of a period shows the plan in force with every target met or not; a published plan
//! is never edited; a new version takes over from its first period; the dashboard opens on the
//! period today falls in and says plainly when no plan applies.

use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json, problem};
use chrono::TimeDelta;
use serde_json::{Value, json};

fn draft(title: &str, from: i32, to: i32, supersedes: Option<&str>) -> Value {
    json!({
        "title_vi": title, "title_en": format!("{title} (en)"),
        "source": "Kế hoạch số 99/KH-UBND ngày 01/12/2026 của UBND tỉnh Khánh Hòa",
        "from_period": from, "to_period": to, "supersedes": supersedes,
        "targets": [
            {"metric": "safe_percent", "group": "commune", "min": 95},
            {"metric": "good_or_better_percent", "group": "commune", "min": 75, "max": 80, "of_safe": true},
            {"metric": "weak_count", "group": "commune", "max": 0},
            {"metric": "pledge_percent", "group": "household", "min": 100}
        ]
    })
}

async fn created(app: &TestApp, token: &str, body: &Value) -> String {
    let key = format!("plan-{}", bvantq_api::infra::db::new_id());
    let r = app
        .post("/api/v1/provinces/56/plans", body, Some(token), Some(&key))
        .await;
    let status = r.status();
    let v = json(r).await;
    assert_eq!(status, 201, "{v}");
    assert_eq!(v["status"], "draft");
    bvantq_tests::text(&v, "id").to_string()
}

async fn publish(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.post(
        &format!("/api/v1/plans/{id}/publish"),
        &json!({}),
        Some(token),
        None,
    )
    .await
}

async fn dashboard(app: &TestApp, token: &str, query: &str) -> Value {
    app.dashboard(token, &format!("unit=56{query}")).await
}

async fn a_province_publishes_its_plan_and_a_new_version_takes_over(app: TestApp) {
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    // The seed plan made for Ninh Thuận (58, merged into 56) is listed, published, inherited.
    let list = json(app.get("/api/v1/provinces/56/plans", Some(&province)).await).await;
    let seed = list
        .as_array()
        .or_fail()
        .iter()
        .find(|p| p["id"] == "ninh-thuan-2156-kh-ubnd-2021")
        .cloned()
        .or_fail();
    assert_eq!(
        (seed["status"].as_str(), seed["inherited"].as_bool()),
        (Some("published"), Some(true))
    );
    assert!(bvantq_tests::text(&seed, "source").contains("2156/KH-UBND"));

    // A draft is checked field by field, in both languages.
    let mut bad = draft("Kế hoạch 2026–2030", 2026, 2030, None);
    bad["targets"][0]["min"] = json!(120);
    bad["targets"][3]["group"] = json!("commune");
    let key = format!("plan-{}", bvantq_api::infra::db::new_id());
    let p = problem(
        app.post(
            "/api/v1/provinces/56/plans",
            &bad,
            Some(&province),
            Some(&key),
        )
        .await,
        422,
    )
    .await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .or_fail()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["targets.0.min", "targets.3.group"]);
    assert_eq!(
        app.count("plans"),
        2,
        "only the two seed plans: nothing half-written"
    );

    // Today is 2 December 2026: the period today falls in is 2027, and no plan covers it yet.
    app.clock.advance(TimeDelta::days(275));
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let d = dashboard(&app, &province, "").await;
    assert_eq!(d["period"], 2027, "the dashboard opens on today's period");
    assert!(d["plan"].is_null());
    let v1 = created(
        &app,
        &province,
        &draft("Kế hoạch 2026–2030", 2026, 2030, None),
    )
    .await;
    // A draft is not in force.
    assert!(dashboard(&app, &province, "&period=2027").await["plan"].is_null());
    let r = publish(&app, &province, &v1).await;
    assert_eq!(r.status(), 200);
    let d = dashboard(&app, &province, "&period=2027").await;
    assert_eq!(d["plan"]["id"], v1.as_str());
    let targets = d["unit"]["targets"].as_array().or_fail();
    assert_eq!(targets.len(), 4);
    // Every target says met or not met; nothing assessed: the shares are not met, no weak unit
    // meets "none weak", no household signed.
    let met: Vec<(String, bool)> = targets
        .iter()
        .map(|t| {
            (
                bvantq_tests::text(t, "metric").to_string(),
                t["met"].as_bool().or_fail(),
            )
        })
        .collect();
    assert_eq!(
        met,
        [
            ("safe_percent".to_string(), false),
            ("good_or_better_percent".to_string(), false),
            ("weak_count".to_string(), true),
            ("pledge_percent".to_string(), false)
        ]
    );
    assert!(bvantq_tests::text(&targets[1], "label_vi").contains("trong số đơn vị đạt"));
    // The seed plan still applies to its own periods.
    let d = dashboard(&app, &province, "&period=2025").await;
    assert_eq!(d["plan"]["id"], "ninh-thuan-2156-kh-ubnd-2021");

    // A published plan is never edited, nor published twice.
    let r = app
        .put(
            &format!("/api/v1/plans/{v1}"),
            &draft("Sửa", 2026, 2030, None),
            &province,
        )
        .await;
    assert_eq!(problem(r, 409).await["code"], "plan_published");
    assert_eq!(
        problem(publish(&app, &province, &v1).await, 409).await["code"],
        "plan_published"
    );

    // A new version from 2028: 2027 keeps the first, 2028 on the second.
    let v2 = created(
        &app,
        &province,
        &draft("Kế hoạch điều chỉnh 2028–2030", 2028, 2030, Some(&v1)),
    )
    .await;
    let mut edit = draft("Kế hoạch điều chỉnh 2028–2030", 2028, 2030, Some(&v1));
    edit["targets"][0]["min"] = json!(97);
    let r = app
        .put(&format!("/api/v1/plans/{v2}"), &edit, &province)
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(publish(&app, &province, &v2).await.status(), 200);
    assert_eq!(
        dashboard(&app, &province, "&period=2027").await["plan"]["id"],
        v1.as_str()
    );
    let d = dashboard(&app, &province, "&period=2028").await;
    assert_eq!(d["plan"]["id"], v2.as_str());
    assert_eq!(d["unit"]["targets"][0]["target_min"], 97.0);
    assert!(dashboard(&app, &province, "&period=2031").await["plan"].is_null());

    // Another province's officer neither lists nor edits Khánh Hòa's plans; a ward neither.
    let dong_nai = app.login_as(Role::ProvinceOfficer, "75").await;
    problem(
        app.get("/api/v1/provinces/56/plans", Some(&dong_nai)).await,
        403,
    )
    .await;
    let r = app
        .put(
            &format!("/api/v1/plans/{v2}"),
            &draft("X", 2026, 2030, None),
            &dong_nai,
        )
        .await;
    problem(r, 404).await;
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    problem(
        app.get("/api/v1/provinces/56/plans", Some(&ward)).await,
        403,
    )
    .await;
    // A plan cannot supersede another province's.
    let key = format!("plan-{}", bvantq_api::infra::db::new_id());
    let r = app
        .post(
            "/api/v1/provinces/75/plans",
            &draft("Kế hoạch Đồng Nai", 2026, 2030, Some(&v1)),
            Some(&dong_nai),
            Some(&key),
        )
        .await;
    assert_eq!(problem(r, 422).await["field"], "supersedes");
}

/// `bvantq serve --demo` (the real binary, today's date): the demo province has a plan in force
/// for the period today falls in, and the dashboard shows its targets.
async fn the_demo_has_a_plan_in_force_today(app: TestApp) {
    use bvantq_tests::process::{ServerProcess, demo_token};
    let backend = app.backend;
    drop(app);
    let db = bvantq_tests::TestDb::fresh(backend);
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut server = ServerProcess::demo(&db.url, data.path(), &[]).await;
    let c = reqwest::Client::new();
    let base = server.address.clone();
    let token = demo_token(&c, &base, "admin").await;
    let d: Value = c
        .get(format!("{base}/api/v1/dashboard?unit=56"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .json()
        .await
        .or_fail();
    let today = bvantq_shared::tip::vn_date(chrono::Utc::now().naive_utc());
    let period = bvantq_shared::assessment::period_of(bvantq_shared::UnitKind::Commune, today)
        .or_fail()
        .year;
    assert_eq!(d["period"], period, "{d}");
    assert_eq!(d["plan"]["id"], "demo-khanh-hoa-2026-2030", "{d}");
    assert!(!d["unit"]["targets"].as_array().or_fail().is_empty());
    server.kill().await;
}

/// The reporting year: the seeds' days by default (15/11 for the units' reports, 20/11 for the
/// province's), a province corrects its own, and every officer of the province reads it.
async fn a_province_keeps_its_reporting_calendar(app: TestApp) {
    // 18 November 2026: the units' reports are past their day, the province's is open.
    app.clock.advance(TimeDelta::days(261));
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let cal = json(app.get("/api/v1/calendar?year=2026", Some(&ward)).await).await;
    assert_eq!(cal["province_code"], "56");
    let step = |cal: &Value, s: &str| {
        cal["entries"]
            .as_array()
            .or_fail()
            .iter()
            .find(|e| e["step"] == s)
            .cloned()
            .or_fail()
    };
    let unit_report = step(&cal, "unit_annual_report");
    assert_eq!(
        (
            unit_report["due_on"].as_str(),
            unit_report["state"].as_str()
        ),
        (Some("2026-11-15"), Some("past"))
    );
    assert!(bvantq_tests::text(&unit_report, "source").contains("trước ngày 15/11"));
    let province_report = step(&cal, "province_annual_report");
    assert_eq!(
        (
            province_report["due_on"].as_str(),
            province_report["state"].as_str()
        ),
        (Some("2026-11-20"), Some("open"))
    );
    assert_eq!(step(&cal, "province_review")["due_on"], "2027-03-31");

    // The province moves its registration to 30 April; a day that does not exist is refused.
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let mut settings = json(
        app.get("/api/v1/provinces/56/calendar", Some(&province))
            .await,
    )
    .await;
    let reg = settings["steps"]
        .as_array()
        .or_fail()
        .iter()
        .position(|s| s["step"] == "registration")
        .or_fail();
    settings["steps"][reg]["due"] = json!({"day": 31, "month": 4});
    let r = app
        .put("/api/v1/provinces/56/calendar", &settings, &province)
        .await;
    assert_eq!(problem(r, 422).await["field"], format!("steps.{reg}.due"));
    settings["steps"][reg]["due"] = json!({"day": 30, "month": 4});
    let r = app
        .put("/api/v1/provinces/56/calendar", &settings, &province)
        .await;
    assert_eq!(r.status(), 200);
    let cal = json(app.get("/api/v1/calendar?year=2027", Some(&ward)).await).await;
    assert_eq!(step(&cal, "registration")["due_on"], "2027-04-30");
    // Another province keeps the defaults, and cannot touch Khánh Hòa's.
    let dong_nai = app.login_as(Role::ProvinceOfficer, "75").await;
    let cal = json(app.get("/api/v1/calendar?year=2027", Some(&dong_nai)).await).await;
    assert_eq!(step(&cal, "registration")["due_on"], "2027-03-31");
    let r = app
        .put("/api/v1/provinces/56/calendar", &settings, &dong_nai)
        .await;
    problem(r, 403).await;
    problem(
        app.get("/api/v1/provinces/56/calendar", Some(&ward)).await,
        403,
    )
    .await;
}

async fn put_figure(app: &TestApp, token: &str, plan: &str, body: &Value) -> reqwest::Response {
    app.put(&format!("/api/v1/plans/{plan}/figures"), body, token)
        .await
}

/// The target of `seq` on a dashboard row.
fn target(row: &Value, seq: i64) -> Value {
    row["targets"]
        .as_array()
        .or_fail()
        .iter()
        .find(|t| t["seq"] == seq)
        .cloned()
        .unwrap_or_else(|| panic!("no target {seq} in {row}"))
}

/// A target the plan words itself (seed 002, II.2: "80% số khu dân cư … ít nhất 01 mô hình «Tự
/// phòng, tự quản, tự bảo vệ về ANTT»"): the province enters its figure per unit and period,
/// the dashboard checks it like any other; bad figures are named and nothing is kept.
async fn a_province_enters_the_figure_of_a_target_it_words_itself(app: TestApp) {
    app.set_vn_time(12, 2, 10);
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let mut body = draft("Kế hoạch 2026–2030", 2026, 2030, None);
    let models = "Khu dân cư có mô hình «Tự phòng, tự quản, tự bảo vệ» (%)";
    body["targets"] = json!([
        {"metric": "safe_percent", "group": "commune", "min": 95},
        {"metric": "manual", "group": "all", "min": 80,
         "label_vi": models, "label_en": "Residential areas with a self-managed model (%)"}
    ]);
    let id = created(&app, &province, &body).await;
    let figure = |seq: i64, unit: &str, period: i32, value: f64| json!({"seq": seq, "unit": unit, "period": period, "value": value});
    // A draft is in force nowhere.
    let r = put_figure(&app, &province, &id, &figure(1, "56", 2027, 72.5)).await;
    assert_eq!(problem(r, 409).await["code"], "plan_not_in_force");
    assert_eq!(publish(&app, &province, &id).await.status(), 200);

    // Each fault named on its field; nothing kept.
    let p = problem(
        put_figure(&app, &province, &id, &figure(0, "56", 2027, 50.0)).await,
        422,
    )
    .await;
    assert_eq!(
        p["errors"][0]["field"], "seq",
        "a counted target takes no figure: {p}"
    );
    let p = problem(
        put_figure(&app, &province, &id, &figure(1, "56", 2027, -1.0)).await,
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "value", "{p}");
    assert_ne!(
        p["errors"][0]["message_vi"], p["errors"][0]["message_en"],
        "{p}"
    );
    let r = put_figure(&app, &province, &id, &figure(1, "56", 2031, 50.0)).await;
    assert_eq!(problem(r, 409).await["code"], "plan_not_in_force");
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    problem(
        put_figure(&app, &ward, &id, &figure(1, "22333", 2027, 50.0)).await,
        403,
    )
    .await;
    // Another province's officer finds no such plan, for Khánh Hòa's units or its own.
    let dong_nai = app.login_as(Role::ProvinceOfficer, "75").await;
    for unit in ["56", "75"] {
        problem(
            put_figure(&app, &dong_nai, &id, &figure(1, unit, 2027, 50.0)).await,
            404,
        )
        .await;
    }
    assert_eq!(app.count("target_figures"), 0);

    // Before any figure the target is not met; then below, then above the plan's 80.
    let d = dashboard(&app, &province, "&period=2027").await;
    let t = target(&d["unit"], 1);
    assert_eq!(
        (t["label_vi"].as_str(), t["met"].as_bool()),
        (Some(models), Some(false))
    );
    assert!(t["actual"].is_null());
    let r = put_figure(&app, &province, &id, &figure(1, "56", 2027, 72.5)).await;
    assert_eq!(r.status(), 200);
    let d = dashboard(&app, &province, "&period=2027").await;
    let t = target(&d["unit"], 1);
    assert_eq!(
        (t["actual"].as_f64(), t["met"].as_bool()),
        (Some(72.5), Some(false))
    );
    assert_eq!(
        put_figure(&app, &province, &id, &figure(1, "56", 2027, 85.0))
            .await
            .status(),
        200
    );
    assert_eq!(
        put_figure(&app, &province, &id, &figure(1, "22333", 2027, 90.0))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.count("target_figures"),
        2,
        "the second figure of 56 replaced the first"
    );
    let d = dashboard(&app, &province, "&period=2027").await;
    assert_eq!(target(&d["unit"], 1)["met"], true);
    let child = d["children"]
        .as_array()
        .or_fail()
        .iter()
        .find(|c| c["unit_code"] == "22333")
        .cloned()
        .or_fail();
    assert_eq!(target(&child, 1)["actual"], 90.0);
    // Another year has its own figure: none yet.
    assert!(
        target(&dashboard(&app, &province, "&period=2028").await["unit"], 1)["actual"].is_null()
    );
}

both!(
    a_province_enters_the_figure_of_a_target_it_words_itself,
    a_province_keeps_its_reporting_calendar,
    a_province_publishes_its_plan_and_a_new_version_takes_over,
    the_demo_has_a_plan_in_force_today,
);
