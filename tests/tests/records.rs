//! Records a commune keeps through the year (issue 18) counted by a province's plan (issue 19):
//! the self-managed models of its units (seed 002, II.2: "xây dựng mới hoặc duy trì hoạt động có
//! hiệu quả ít nhất 01 mô hình"), the security team of each residential area (Law 30/2023/QH15,
//! art. 16: "Tổ trưởng, Tổ phó và Tổ viên"), and the tips handled before the period then running
//! ran out (BLTTHS art. 147.1; TT 28/2020 art. 7) — each on the dashboard beside its target.

use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json, problem};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{Value, json};

const WARD: &str = "22759";

fn fields(p: &Value) -> Vec<String> {
    let mut f: Vec<String> = p["errors"]
        .as_array()
        .or_fail()
        .iter()
        .filter_map(|e| e["field"].as_str().map(str::to_string))
        .collect();
    f.sort();
    f
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.post(path, body, Some(token), None).await
}

async fn ok(r: reqwest::Response, status: u16) -> Value {
    let s = r.status();
    let v = json(r).await;
    assert_eq!(s, status, "{v}");
    v
}

/// Drafts a 2026–2030 plan of Khánh Hòa (56) with `targets`.
async fn plan(app: &TestApp, province: &str, targets: Value) -> reqwest::Response {
    let body = json!({"title_vi": "Kế hoạch 2026–2030", "title_en": "Plan 2026–2030",
        "from_period": 2026, "to_period": 2030, "targets": targets});
    let key = format!("plan-{}", bvantq_api::infra::db::new_id());
    app.post(
        "/api/v1/provinces/56/plans",
        &body,
        Some(province),
        Some(&key),
    )
    .await
}

/// Drafts and publishes a 2026–2030 plan of Khánh Hòa (56) with `targets`.
async fn publish_plan(app: &TestApp, province: &str, targets: Value) {
    let v = ok(plan(app, province, targets).await, 201).await;
    let id = bvantq_tests::text(&v, "id").to_string();
    ok(
        post(
            app,
            province,
            &format!("/api/v1/plans/{id}/publish"),
            &json!({}),
        )
        .await,
        200,
    )
    .await;
}

fn target<'a>(d: &'a Value, metric: &str) -> &'a Value {
    d["unit"]["targets"]
        .as_array()
        .or_fail()
        .iter()
        .find(|t| t["metric"] == metric)
        .unwrap_or_else(|| panic!("no {metric} in {d}"))
}

fn group<'a>(d: &'a Value, g: &str) -> &'a Value {
    d["unit"]["groups"]
        .as_array()
        .or_fail()
        .iter()
        .find(|x| x["group"] == g)
        .unwrap_or_else(|| panic!("no {g} in {d}"))
}

async fn a_ward_keeps_models_and_teams_and_the_plan_counts_them(app: TestApp) {
    app.set_vn_time(12, 2, 10);
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    // A team target counts residential areas only; the tips on time, all the tips.
    let p = problem(
        plan(
            &app,
            &province,
            json!([{"metric": "team_percent", "group": "commune", "min": 100},
                   {"metric": "tips_on_time_percent", "group": "organisation", "min": 100}]),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["targets.0.group", "targets.1.group"]);
    publish_plan(
        &app,
        &province,
        json!([{"metric": "model_percent", "group": "residential_area", "min": 60},
               {"metric": "team_percent", "group": "residential_area", "min": 100}]),
    )
    .await;

    // A model: each bad field named, nothing kept; not on a class, not outside the scope.
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    let bad = json!({"name": " ", "kind": "camera", "started_on": "2026-05-01", "members": 0,
        "retired_on": "2026-04-01"});
    let p = problem(
        post(&app, &ward, "/api/v1/units/KD-22759-0001/models", &bad).await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["kind", "members", "name", "retired_on"]);
    assert_ne!(p["errors"][0]["message_vi"], p["errors"][0]["message_en"]);
    let camera = json!({"name": "Camera an ninh khu phố", "kind": "self_prevention",
        "started_on": "2024-03-01", "members": 40});
    let p = problem(
        post(&app, &ward, "/api/v1/units/LH-22759-0001/models", &camera).await,
        422,
    )
    .await;
    assert_eq!(p["field"], "code");
    let other = app.login_as(Role::WardOfficer, "22333").await;
    problem(
        post(&app, &other, "/api/v1/units/KD-22759-0001/models", &camera).await,
        403,
    )
    .await;
    assert_eq!(app.count("models"), 0);

    // Kept up since 2024: it counts once reviewed effective for 2026. One new this year counts.
    let m = ok(
        post(&app, &ward, "/api/v1/units/KD-22759-0001/models", &camera).await,
        201,
    )
    .await;
    assert_eq!(m["counts"], false, "{m}");
    let camera_id = bvantq_tests::text(&m, "id").to_string();
    let dorm = json!({"name": "Tổ tự quản khu nhà trọ", "kind": "self_management",
        "started_on": "2026-09-10", "members": 25});
    ok(
        post(&app, &ward, "/api/v1/units/KD-22759-0002/models", &dorm).await,
        201,
    )
    .await;
    let rate = |year: i32| format!("/api/v1/models/{camera_id}/ratings/{year}");
    let p = problem(
        app.put(&rate(2023), &json!({"rating": "effective"}), &ward)
            .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "year", "a year before the model began");
    let p = problem(
        app.put(&rate(2026), &json!({"rating": "great"}), &ward)
            .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "rating");
    let m = ok(
        app.put(&rate(2026), &json!({"rating": "effective"}), &ward)
            .await,
        200,
    )
    .await;
    assert_eq!(
        (m["rating"].as_str(), m["counts"].as_bool()),
        (Some("effective"), Some(true))
    );
    let board = ok(
        app.get("/api/v1/units/22759/models?year=2026", Some(&ward))
            .await,
        200,
    )
    .await;
    let share = &board["share"];
    assert_eq!(
        (share["counted"].as_i64(), share["units"].as_i64()),
        (
            Some(2),
            Some(board["lines"].as_array().or_fail().len() as i64)
        )
    );
    let d = app.dashboard(&province, "unit=22759&period=2026").await;
    assert_eq!(group(&d, "residential_area")["with_model"], 2);
    let t = target(&d, "model_percent");
    assert_eq!(
        (t["actual"].as_f64(), t["met"].as_bool()),
        (Some(66.7), Some(true)),
        "{t}"
    );

    // Retired at the end of 2025: kept on the board with its day, counted no more in 2026.
    let mut retired = camera.clone();
    retired["retired_on"] = json!("2025-12-31");
    let m = ok(
        app.put(&format!("/api/v1/models/{camera_id}"), &retired, &ward)
            .await,
        200,
    )
    .await;
    assert_eq!(m["retired_on"], "2025-12-31");
    let d = app.dashboard(&province, "unit=22759&period=2026").await;
    let t = target(&d, "model_percent");
    assert_eq!(
        (t["actual"].as_f64(), t["met"].as_bool()),
        (Some(33.3), Some(false)),
        "{t}"
    );
    // …but it counts in 2025, when it ran (kept up, reviewed effective that year).
    ok(
        app.put(&rate(2025), &json!({"rating": "effective"}), &ward)
            .await,
        200,
    )
    .await;
    let b = ok(
        app.get("/api/v1/units/KD-22759-0001/models?year=2025", Some(&ward))
            .await,
        200,
    )
    .await;
    assert_eq!(b["lines"][0]["counts"], true, "{b}");

    // A security team: refused whole when a field is wrong (two leaders, a bad phone).
    let team = json!({"founded_on": "2024-08-01", "decision_number": "15/QĐ-UBND", "members": [
        {"name": "Nguyễn Văn Hùng", "position": "leader", "phone": "0905111201", "trained_on": "2025-09-20"},
        {"name": "Trần Thị Lan", "position": "deputy", "phone": "0905111202"},
        {"name": "Lê Văn Tâm", "position": "member"}]});
    let mut bad = team.clone();
    bad["members"][1]["position"] = json!("leader");
    bad["members"][2]["phone"] = json!("12345");
    let p = problem(
        app.put("/api/v1/units/KD-22759-0001/security-team", &bad, &ward)
            .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["members.1.position", "members.2.phone"]);
    assert_eq!(
        (app.count("security_teams"), app.count("team_members")),
        (0, 0)
    );
    // Not by a school, not on a commune.
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    problem(
        app.put("/api/v1/units/KD-22759-0001/security-team", &team, &school)
            .await,
        403,
    )
    .await;
    let p = problem(
        app.put("/api/v1/units/22759/security-team", &team, &ward)
            .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "code");
    let t = ok(
        app.put("/api/v1/units/KD-22759-0001/security-team", &team, &ward)
            .await,
        200,
    )
    .await;
    assert_eq!(
        (t["counts"].as_bool(), t["trained"].as_i64()),
        (Some(true), Some(1))
    );
    assert_eq!(t["members"][0]["phone"], "0905111201");
    // A team without its leader is kept but does not count.
    let mut leaderless = team.clone();
    leaderless["decision_number"] = json!("16/QĐ-UBND");
    leaderless["members"] = json!([{"name": "Phạm Văn Sơn", "position": "deputy"}]);
    let t = ok(
        app.put(
            "/api/v1/units/KD-22759-0002/security-team",
            &leaderless,
            &ward,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(t["counts"], false);
    // A second PUT replaces the list (three members become two).
    let mut two = team.clone();
    two["members"].as_array_mut().or_fail().pop();
    ok(
        app.put("/api/v1/units/KD-22759-0001/security-team", &two, &ward)
            .await,
        200,
    )
    .await;
    assert_eq!(app.count("team_members"), 3);
    let t = ok(
        app.put(
            "/api/v1/units/KD-22759-0001/security-team/ratings/2026",
            &json!({"rating": "good"}),
            &ward,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(t["rating"], "good");
    let board = ok(
        app.get("/api/v1/units/22759/security-teams", Some(&ward))
            .await,
        200,
    )
    .await;
    assert_eq!(board["share"]["counted"], 1, "{board}");
    let lines = board["lines"].as_array().or_fail();
    assert_eq!(board["share"]["units"], lines.len());
    assert!(
        lines.iter().any(|l| l["team"].is_null()),
        "an area without a team is listed"
    );
    let d = app.dashboard(&province, "unit=22759&period=2026").await;
    assert_eq!(group(&d, "residential_area")["with_team"], 1);
    let t = target(&d, "team_percent");
    assert_eq!(
        (t["actual"].as_f64(), t["met"].as_bool()),
        (Some(33.3), Some(false)),
        "{t}"
    );
    // The province's row adds up its communes.
    let d = app.dashboard(&province, "unit=56&period=2026").await;
    assert_eq!(group(&d, "residential_area")["with_team"], 1);
    assert_eq!(group(&d, "residential_area")["with_model"], 1);
}

fn utc(m: u32, d: u32, h: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d)
        .and_then(|x| x.and_hms_opt(h, 0, 0))
        .or_fail()
}

/// Files a tip as a reporter (who gets a receipt code, never the id) and finds its id in the
/// ward's queue: the one not among `known`.
async fn tip(app: &TestApp, ward: &str, description: &str, known: &[String]) -> String {
    let body = json!({"category": "weapons", "description": description, "commune_code": WARD});
    let key = format!("tip-{}", bvantq_api::infra::db::new_id());
    ok(app.post("/api/v1/tips", &body, None, Some(&key)).await, 201).await;
    let q = ok(app.get("/api/v1/tips?limit=50", Some(ward)).await, 200).await;
    q["items"]
        .as_array()
        .or_fail()
        .iter()
        .filter_map(|t| t["id"].as_str())
        .find(|id| !known.iter().any(|k| k == id))
        .or_fail()
        .to_string()
}

async fn step(app: &TestApp, token: &str, id: &str, body: Value) {
    ok(
        post(app, token, &format!("/api/v1/tips/{id}/steps"), &body).await,
        200,
    )
    .await;
}

/// A tip transferred within its 48 hours is on time, one transferred after is late, one still
/// being checked is not counted; the plan's target reads the share.
async fn tips_handled_on_time_are_counted_against_the_clock_then_running(app: TestApp) {
    app.clock.set(utc(3, 2, 8));
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    publish_plan(
        &app,
        &province,
        json!([{"metric": "tips_on_time_percent", "group": "all", "min": 100}]),
    )
    .await;
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    let mut tips = Vec::new();
    for d in [
        "Có người cất giấu súng trong nhà kho cuối hẻm.",
        "Nghi có lựu đạn cất trong vườn nhà bỏ hoang.",
        "Có người rao bán dao găm trên mạng trong phường.",
    ] {
        let id = tip(&app, &ward, d, &tips).await;
        tips.push(id);
    }
    // Classified at once: 48 hours from receipt (a remote commune).
    for id in &tips[..2] {
        step(
            &app,
            &ward,
            id,
            json!({"step": "classify", "reason": "Tàng trữ vũ khí quân dụng",
                   "crime_class": "very_serious", "remote_commune": true}),
        )
        .await;
    }
    // One transferred the next day, one four days later.
    app.clock.set(utc(3, 3, 2));
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    step(
        &app,
        &ward,
        &tips[0],
        json!({"step": "transfer", "reason": "Chuyển CQĐT"}),
    )
    .await;
    app.clock.set(utc(3, 6, 2));
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    step(
        &app,
        &ward,
        &tips[1],
        json!({"step": "transfer", "reason": "Chuyển CQĐT"}),
    )
    .await;

    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let d = app.dashboard(&province, "unit=22759&period=2026").await;
    assert_eq!(
        d["unit"]["tips"],
        json!({"received": 3, "transferred": 2, "concluded": 2, "on_time": 1, "on_time_percent": 50.0}),
        "{d}"
    );
    let t = target(&d, "tips_on_time_percent");
    assert_eq!(
        (t["actual"].as_f64(), t["met"].as_bool()),
        (Some(50.0), Some(false)),
        "{t}"
    );
    // The province's row counts its communes' tips; another year has none.
    let d = app.dashboard(&province, "unit=56&period=2026").await;
    assert_eq!(d["unit"]["tips"]["on_time"], 1);
    let d = app.dashboard(&province, "unit=56&period=2027").await;
    assert_eq!(d["unit"]["tips"]["received"], 0);
    assert_eq!(d["unit"]["tips"]["on_time_percent"], Value::Null);
}

/// Registrations of quarter I (TT 124 art. 9.2.a) and the units outside the Thông tư (art.
/// 1.2.b): bad fields named and nothing kept; a unit outside does not register; an exclusion
/// fits its kind only; a school registers itself, not another's; the board lists who has not.
async fn registrations_and_exclusions_refuse_what_the_text_does_not_allow(app: TestApp) {
    app.set_vn_time(5, 4, 10);
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    let reg = |code: &str, year: i32| format!("/api/v1/units/{code}/registrations/{year}");
    let bad = json!({"registered_on": "2026-06-01", "document": " ", "note": "a\u{7}b"});
    let p = problem(app.put(&reg("KD-22759-0001", 2026), &bad, &ward).await, 422).await;
    assert_eq!(fields(&p), ["document", "note", "registered_on"]);
    // A day of another year, a year to come.
    let other = json!({"registered_on": "2025-02-01", "document": "05-NQ/CB"});
    let p = problem(
        app.put(&reg("KD-22759-0001", 2026), &other, &ward).await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["registered_on"]);
    let p = problem(
        app.put(&reg("KD-22759-0001", 2027), &other, &ward).await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["year"]);
    // Not a class: classes are not assessed.
    let good = json!({"registered_on": "2026-02-10", "document": "05-NQ/CB", "note": "Chi bộ họp ngày 05/02"});
    let p = problem(
        app.put(&reg("LH-22759-0001", 2026), &good, &ward).await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["code"]);
    let b = ok(
        app.get("/api/v1/units/22759/registrations?year=2026", Some(&ward))
            .await,
        200,
    )
    .await;
    assert!(
        b["lines"]
            .as_array()
            .or_fail()
            .iter()
            .all(|l| l["registration"].is_null()),
        "{b}"
    );

    // An exclusion fits its kind only: a school is not an armed-forces agency.
    let elig = |code: &str| format!("/api/v1/units/{code}/eligibility");
    let p = problem(
        app.put(
            &elig("TH-22759-0001"),
            &json!({"exclusion": "armed_forces"}),
            &ward,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["exclusion"]);
    assert!(
        p["errors"][0]["message_vi"]
            .as_str()
            .is_some_and(|m| m.contains("Điều 1")),
        "{p}"
    );
    let p = problem(
        app.put(&elig("TH-22759-0001"), &json!({"exclusion": "tiny"}), &ward)
            .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["exclusion"]);
    // A primary school is outside: it does not register, and the board says why.
    let line = ok(
        app.put(
            &elig("TH-22759-0001"),
            &json!({"exclusion": "primary_or_preschool"}),
            &ward,
        )
        .await,
        200,
    )
    .await;
    assert_eq!(line["exclusion"], "primary_or_preschool");
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let p = problem(
        app.put(&reg("TH-22759-0001", 2026), &good, &school).await,
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "outside_tt124", "{p}");
    // The school may not say it is in again; the ward may.
    problem(
        app.put(&elig("TH-22759-0001"), &json!({"exclusion": null}), &school)
            .await,
        403,
    )
    .await;
    ok(
        app.put(&elig("TH-22759-0001"), &json!({"exclusion": null}), &ward)
            .await,
        200,
    )
    .await;
    // The school registers itself; not an area of the commune.
    let r = ok(
        app.put(&reg("TH-22759-0001", 2026), &good, &school).await,
        200,
    )
    .await;
    assert_eq!(
        (r["in_quarter_one"].as_bool(), r["document"].as_str()),
        (Some(true), Some("05-NQ/CB"))
    );
    problem(
        app.put(&reg("KD-22759-0001", 2026), &good, &school).await,
        403,
    )
    .await;
    // A second registration of the year replaces the first; a late one is kept as late.
    let late = json!({"registered_on": "2026-04-20", "document": "07/KH-UBND"});
    ok(app.put(&reg("22759", 2026), &good, &ward).await, 200).await;
    let r = ok(app.put(&reg("22759", 2026), &late, &ward).await, 200).await;
    assert_eq!(r["in_quarter_one"], false);
    let b = ok(
        app.get("/api/v1/units/22759/registrations?year=2026", Some(&ward))
            .await,
        200,
    )
    .await;
    assert_eq!(b["own"]["document"], "07/KH-UBND", "{b}");
    let missing: Vec<&str> = b["lines"]
        .as_array()
        .or_fail()
        .iter()
        .filter(|l| l["registration"].is_null() && l["exclusion"].is_null())
        .filter_map(|l| l["unit_code"].as_str())
        .collect();
    assert!(
        missing.contains(&"KD-22759-0001") && !missing.contains(&"TH-22759-0001"),
        "{missing:?}"
    );
    assert_eq!(b["rule"]["passed"], false);
    // Only a commune has a board.
    let p = problem(
        app.get("/api/v1/units/KD-22759-0001/registrations", Some(&ward))
            .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["code"]);
    // Outside the scope: another commune's area.
    let other_ward = app.login_as(Role::WardOfficer, "22333").await;
    problem(
        app.put(&reg("KD-22759-0001", 2026), &good, &other_ward)
            .await,
        403,
    )
    .await;
}

/// Briefings of a school's people (TT 124 art. 7.1: «100% cán bộ, giáo viên, nhân viên và người
/// học được quán triệt»): a flag ceremony most attended, then every class in full — one caught up
/// in a second session; the board and criterion 1's evidence follow, the models beside them.
async fn a_school_briefs_every_class_and_criterion_1_follows(app: TestApp) {
    const SCHOOL: &str = "TH-22759-0001";
    let school = app.login_as(Role::SchoolAdmin, SCHOOL).await;
    let path = format!("/api/v1/units/{SCHOOL}/briefings");
    let bad = json!({"held_on": "2026-03-03", "topic": " ", "attendance": 50, "headcount": 40});
    let p = problem(post(&app, &school, &path, &bad).await, 422).await;
    assert_eq!(fields(&p), ["attendance", "held_on", "topic"]);
    let head = app.login_as(Role::AreaHead, "KD-22759-0001").await;
    let flag = json!({"held_on": "2026-02-23", "topic": "Sinh hoạt dưới cờ: phòng, chống ma túy",
        "attendance": 1150, "headcount": 1200, "flag_ceremony": true});
    problem(post(&app, &head, &path, &flag).await, 403).await;
    assert_eq!(app.count("briefings"), 0);
    let b = ok(post(&app, &school, &path, &flag).await, 201).await;
    assert_eq!(b["flag_ceremony"], true);
    let v = ok(app.get(&path, Some(&school)).await, 200).await;
    assert_eq!(v["coverage"]["complete"], false);
    assert_eq!(v["coverage"]["share"]["counted"], 1150);
    let groups: Vec<String> = v["groups"]
        .as_array()
        .or_fail()
        .iter()
        .map(|g| g["code"].as_str().or_fail().to_string())
        .collect();
    assert!(!groups.is_empty(), "{v}");
    let class = |n: u32| {
        json!({"held_on": "2026-02-24", "topic": "Quán triệt nội quy nhà trường",
        "attendance": n, "headcount": 30})
    };
    let (last, rest) = groups.split_last().or_fail();
    for g in rest {
        ok(
            post(
                &app,
                &school,
                &format!("/api/v1/units/{g}/briefings"),
                &class(30),
            )
            .await,
            201,
        )
        .await;
    }
    let last_path = format!("/api/v1/units/{last}/briefings");
    ok(post(&app, &school, &last_path, &class(25)).await, 201).await;
    let v = ok(app.get(&path, Some(&school)).await, 200).await;
    assert_eq!(v["coverage"]["complete"], false, "{v}");
    assert_eq!(v["coverage"]["groups_without"], json!([]));
    // The same class again, in full: every class reached.
    ok(post(&app, &school, &last_path, &class(30)).await, 201).await;
    let v = ok(app.get(&path, Some(&school)).await, 200).await;
    assert_eq!(v["coverage"]["complete"], true, "{v}");
    let flagged: Vec<&Value> = v["briefings"]
        .as_array()
        .or_fail()
        .iter()
        .filter(|b| b["flag_ceremony"] == true)
        .collect();
    assert_eq!(flagged.len(), 1, "{v}");
    assert_eq!(
        flagged[0]["unit_code"], SCHOOL,
        "the whole school's session: {v}"
    );
    let n = i64::try_from(groups.len()).or_fail();
    assert_eq!(v["coverage"]["share"]["counted"], 30 * n);
    assert_eq!(
        v["briefings"].as_array().map(Vec::len),
        Some(groups.len() + 2)
    );

    // Criterion 1: the briefings decide their point, the models theirs — both must agree.
    let r = app
        .put(
            &format!("/api/v1/assessments/{SCHOOL}/2026"),
            &json!({"answers": {"criteria": {}, "scores": {}}}),
            &school,
        )
        .await;
    let a = ok(r, 200).await;
    let ev = |a: &Value, source: &str| {
        a["evidence"]
            .as_array()
            .or_fail()
            .iter()
            .find(|e| e["criterion"] == "1" && e["source"] == source)
            .cloned()
            .or_fail()
    };
    assert_eq!(ev(&a, "briefings")["passed"], true, "{a}");
    assert_eq!(ev(&a, "models")["passed"], false, "{a}");
}

/// The year's deadlines on the dashboard with what is still missing (TT 124 art. 9.2.a: register
/// in quarter I; arts. 9–10: recognised; the communes classified), and the records of the year
/// counted per group and in the November report's columns.
async fn the_dashboard_lists_the_deadlines_and_who_still_owes_them(app: TestApp) {
    app.set_vn_time(11, 18, 10);
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    let reg = |code: &str| format!("/api/v1/units/{code}/registrations/2026");
    let body = json!({"registered_on": "2026-02-10", "document": "05-NQ/CB"});
    for code in [WARD, "KD-22759-0001", "KD-22759-0002", "TH-22759-0001"] {
        ok(app.put(&reg(code), &body, &ward).await, 200).await;
    }
    // Art. 1.2.b: "doanh nghiệp (trừ doanh nghiệp nhỏ, siêu nhỏ)" — it owes nothing.
    ok(
        app.put(
            "/api/v1/units/DN-22759-0001/eligibility",
            &json!({"exclusion": "small_enterprise"}),
            &ward,
        )
        .await,
        200,
    )
    .await;
    // The whole school briefed at a flag ceremony (art. 7.1).
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let all = json!({"held_on": "2026-10-05", "topic": "Sinh hoạt dưới cờ: an ninh học đường",
        "attendance": 1200, "headcount": 1200, "flag_ceremony": true});
    ok(
        post(&app, &school, "/api/v1/units/TH-22759-0001/briefings", &all).await,
        201,
    )
    .await;
    // One area's assessment in draft.
    ok(
        app.put(
            "/api/v1/assessments/KD-22759-0002/2026",
            &json!({"answers": {"criteria": {}, "scores": {}}}),
            &ward,
        )
        .await,
        200,
    )
    .await;

    let d = ok(
        app.get("/api/v1/dashboard?unit=22759&period=2026", Some(&ward))
            .await,
        200,
    )
    .await;
    let step = |s: &str| {
        d["deadlines"]
            .as_array()
            .or_fail()
            .iter()
            .find(|x| x["entry"]["step"] == s)
            .cloned()
            .unwrap_or_else(|| panic!("no {s} in {d}"))
    };
    let missing = |x: &Value| -> Vec<(String, String)> {
        x["missing"]
            .as_array()
            .or_fail()
            .iter()
            .map(|m| {
                (
                    m["unit_code"].as_str().or_fail().to_string(),
                    m["missing"].as_str().or_fail().to_string(),
                )
            })
            .collect()
    };
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    let r = step("registration");
    assert_eq!((r["owed"].as_i64(), r["done"].as_i64()), (Some(5), Some(4)));
    assert_eq!(missing(&r), [pair("KD-22759-0003", "not_registered")]);
    assert_eq!(r["entry"]["due_on"], "2026-03-31");
    assert_eq!(r["entry"]["state"], "past");
    let r = step("recognition");
    assert_eq!((r["owed"].as_i64(), r["done"].as_i64()), (Some(4), Some(0)));
    assert_eq!(r["entry"]["due_on"], "2026-11-20");
    assert_eq!(r["entry"]["state"], "open");
    assert_eq!(
        missing(&r),
        [
            pair("KD-22759-0001", "not_started"),
            pair("KD-22759-0002", "draft"),
            pair("KD-22759-0003", "not_registered"),
            pair("TH-22759-0001", "not_started"),
        ]
    );
    let r = step("classification");
    assert_eq!((r["owed"].as_i64(), r["done"].as_i64()), (Some(1), Some(0)));
    assert_eq!(missing(&r), [pair(WARD, "not_started")]);
    assert_eq!(r["entry"]["due_on"], "2026-11-30");

    let all = group(&d, "all");
    assert_eq!(
        (all["registered"].as_i64(), all["excluded"].as_i64()),
        (Some(4), Some(1)),
        "{all}"
    );
    assert_eq!(group(&d, "organisation")["briefed"], 1);

    // The November report: the same figures in its last columns, the deadlines on their sheet.
    let r = app
        .get(
            "/api/v1/dashboard/report.csv?unit=22759&period=2026",
            Some(&ward),
        )
        .await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.or_fail();
    let total = text.lines().last().or_fail();
    assert!(total.contains("Tổng cộng"), "{text}");
    let cells: Vec<&str> = total.split(',').collect();
    assert_eq!(cells[cells.len() - 3..], ["4", "1", "1"], "{text}");
    let r = app
        .get(
            "/api/v1/dashboard/report.xlsx?unit=22759&period=2026",
            Some(&ward),
        )
        .await;
    assert_eq!(r.status(), 200);
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(r.bytes().await.or_fail().to_vec()))
        .unwrap_or_else(|e| panic!("{e}"));
    let rows: Vec<Vec<String>> = wb
        .worksheet_range("Thời hạn")
        .unwrap_or_else(|e| panic!("{e}"))
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let at = |label: &str| rows.iter().position(|r| r[0].starts_with(label)).or_fail();
    let rec = at("Xét, công nhận");
    assert_eq!(
        &rows[rec][1..5],
        ["20/11/2026", "Đang trong thời hạn", "4", "0"]
    );
    assert_eq!(
        &rows[rec + 2][6..8],
        [
            "Khu phố 2, phường Phan Rang (KD-22759-0002)",
            "Đang tự đánh giá (bản nháp)"
        ]
    );
}

/// The education department (seed 003, the Sở Giáo dục và Đào tạo's plan) reads the province's
/// schools — pupils' pledges, registration, assessment, briefings, models; a primary school
/// counted apart (TT 124 art. 1.2.b) — and opens a school's results, but nothing of a commune,
/// no tip, no pupil's pledge and no other province.
async fn the_education_department_sees_the_schools_and_nothing_else(app: TestApp) {
    const SCHOOL: &str = "TH-22759-0001";
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    let v = ok(
        app.post(
            "/api/v1/units",
            &json!({"parent_code": WARD, "kind": "school", "name": "Trường Tiểu học Phan Rang"}),
            Some(&ward),
            Some("edu-primary"),
        )
        .await,
        201,
    )
    .await;
    let primary = bvantq_tests::text(&v, "code").to_string();
    ok(
        app.put(
            &format!("/api/v1/units/{primary}/eligibility"),
            &json!({"exclusion": "primary_or_preschool"}),
            &ward,
        )
        .await,
        200,
    )
    .await;
    ok(
        app.put(
            &format!("/api/v1/units/{SCHOOL}/registrations/2026"),
            &json!({"registered_on": "2026-02-10", "document": "12/KH-THCS"}),
            &ward,
        )
        .await,
        200,
    )
    .await;
    // One pupil of Lớp 6A signs, of 30 the school declared.
    let school = app.login_as(Role::SchoolAdmin, SCHOOL).await;
    let code = app
        .open_campaign(
            &school,
            "student",
            "Học sinh cam kết 2026",
            &["LH-22759-0001"],
        )
        .await;
    ok(
        app.put(
            &format!("/api/v1/campaigns/{code}/expected"),
            &json!({"unit_code": "LH-22759-0001", "expected": 30}),
            &school,
        )
        .await,
        200,
    )
    .await;
    let tpl = json(app.get("/api/v1/pledge-templates?kind=student", None).await).await;
    let n = tpl[0]["commitments"].as_array().or_fail().len();
    let pupil = json!({"unit_code": "LH-22759-0001", "full_name": "Lê Minh Khang",
        "birth_date": "2013-04-02", "commitments_accepted": (1..=n).collect::<Vec<_>>(),
        "privacy_consent": true,
        "guardian": {"name": "Lê Thị Mai", "relation": "Mẹ", "phone": "0912345678"}});
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &pupil,
            None,
            Some("edu-pupil"),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.text().await.or_fail());
    let whole = json!({"held_on": "2026-02-23", "topic": "Sinh hoạt dưới cờ: an toàn trường học",
        "attendance": 1200, "headcount": 1200, "flag_ceremony": true});
    ok(
        post(
            &app,
            &school,
            &format!("/api/v1/units/{SCHOOL}/briefings"),
            &whole,
        )
        .await,
        201,
    )
    .await;

    let edu = app.login_as(Role::EducationOfficer, "56").await;
    let b = ok(
        app.get("/api/v1/provinces/56/schools?year=2026", Some(&edu))
            .await,
        200,
    )
    .await;
    let line = |code: &str| {
        b["lines"]
            .as_array()
            .or_fail()
            .iter()
            .find(|l| l["unit_code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("no {code} in {b}"))
    };
    let th = line(SCHOOL);
    assert_eq!(th["pupils"]["units"], 30, "{th}");
    assert_eq!(th["pupils"]["counted"], 1, "{th}");
    assert_eq!(th["registered"], true);
    assert_eq!(th["briefed"], true);
    assert_eq!(th["commune_name"], "Phường Phan Rang");
    assert_eq!(line(&primary)["exclusion"], "primary_or_preschool");
    let t = &b["totals"];
    assert_eq!(t["excluded"], 1, "{t}");
    // The shares count the schools the Thông tư applies to; the primary school is not one.
    assert_eq!(
        t["registered"]["units"],
        t["schools"].as_i64().or_fail() - 1,
        "{t}"
    );
    assert_eq!(t["briefed"]["counted"], 1, "{t}");

    // A school's results and its briefings, yes; the commune, its tips, a pupil's pledge, another
    // province, no.
    ok(
        app.get(
            &format!("/api/v1/dashboard?unit={SCHOOL}&period=2026"),
            Some(&edu),
        )
        .await,
        200,
    )
    .await;
    ok(
        app.get(&format!("/api/v1/units/{SCHOOL}/briefings"), Some(&edu))
            .await,
        200,
    )
    .await;
    for path in [
        "/api/v1/dashboard?unit=22759&period=2026".to_string(),
        "/api/v1/dashboard?period=2026".to_string(),
        "/api/v1/tips".to_string(),
        format!("/api/v1/campaigns/{code}/pledges"),
        "/api/v1/units/KD-22759-0001/incidents".to_string(),
        "/api/v1/provinces/75/schools".to_string(),
    ] {
        let r = app.get(&path, Some(&edu)).await;
        assert!(
            matches!(r.status().as_u16(), 403 | 404),
            "{path}: {}",
            r.status()
        );
    }
    // The board is the education department's and the province's, not a commune's.
    problem(
        app.get("/api/v1/provinces/56/schools", Some(&ward)).await,
        403,
    )
    .await;
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    ok(
        app.get("/api/v1/provinces/56/schools?year=2026", Some(&province))
            .await,
        200,
    )
    .await;
}

/// A unit added with its place under the Thông tư (art. 1.2.b) in one request: a primary school
/// outside it from the start; a reason that does not fit the kind named on its field and nothing
/// added; a class has no such reason; only the commune's police say it.
async fn a_unit_is_added_outside_the_thong_tu_in_one_request(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    let add = |kind: &str, name: &str, exclusion: &str| json!({"parent_code": WARD, "kind": kind, "name": name, "exclusion": exclusion});
    let units = app.count("units");
    let p = problem(
        app.post(
            "/api/v1/units",
            &add("school", "Trường Tiểu học Phan Rang", "armed_forces"),
            Some(&ward),
            Some("add-1"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["exclusion"]);
    assert_eq!(app.count("units"), units, "nothing added");
    let v = ok(
        app.post(
            "/api/v1/units",
            &add(
                "school",
                "Trường Tiểu học Phan Rang",
                "primary_or_preschool",
            ),
            Some(&ward),
            Some("add-2"),
        )
        .await,
        201,
    )
    .await;
    let code = bvantq_tests::text(&v, "code").to_string();
    let b = ok(
        app.get("/api/v1/units/22759/registrations?year=2026", Some(&ward))
            .await,
        200,
    )
    .await;
    let line = b["lines"]
        .as_array()
        .or_fail()
        .iter()
        .find(|l| l["unit_code"] == code.as_str())
        .cloned()
        .or_fail();
    assert_eq!(line["exclusion"], "primary_or_preschool", "{line}");
    // An area has no reason of art. 1.2.b; an empty one means within the Thông tư.
    let p = problem(
        app.post(
            "/api/v1/units",
            &add("residential_area", "Khu phố 4", "small_enterprise"),
            Some(&ward),
            Some("add-3"),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["exclusion"]);
    ok(
        app.post(
            "/api/v1/units",
            &add("residential_area", "Khu phố 4", ""),
            Some(&ward),
            Some("add-4"),
        )
        .await,
        201,
    )
    .await;
    // A school adds a class; a class is never outside the Thông tư.
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let class = json!({"parent_code": "TH-22759-0001", "kind": "class", "name": "Lớp 6B",
        "exclusion": "primary_or_preschool"});
    let p = problem(
        app.post("/api/v1/units", &class, Some(&school), Some("add-5"))
            .await,
        422,
    )
    .await;
    assert_eq!(fields(&p), ["exclusion"]);
}

/// Arts. 6.5 / 7.6: «có từ 70% trở lên» of the sub-units hold an emulation title — declared by
/// the unit for the year, deciding criterion 6 of its assessment (not the TT 124 recognition of
/// units below).
async fn a_school_declares_its_classes_titles_and_criterion_6_follows(app: TestApp) {
    const SCHOOL: &str = "TH-22759-0001";
    let school = app.login_as(Role::SchoolAdmin, SCHOOL).await;
    let path = format!("/api/v1/units/{SCHOOL}/subunit-titles/2026");
    let v = ok(app.get(&path, Some(&school)).await, 200).await;
    assert_eq!(v["declared"], Value::Null, "{v}");
    assert_eq!(v["threshold_percent"], 70);
    let declare = |subunits: u32, titled: u32| {
        json!({"subunits": subunits, "titled": titled, "titles": "Lớp tiên tiến",
            "document": "15/QĐ-THPT ngày 25/5/2026"})
    };

    // Bad fields are named, and nothing is kept.
    let mut bad = declare(30, 31);
    bad["titles"] = json!("  ");
    let p = problem(app.put(&path, &bad, &school).await, 422).await;
    assert_eq!(fields(&p), ["titled", "titles"]);
    let p = problem(app.put(&path, &declare(0, 0), &school).await, 422).await;
    assert_eq!(fields(&p), ["subunits"]);
    let next_year = format!("/api/v1/units/{SCHOOL}/subunit-titles/2027");
    let p = problem(app.put(&next_year, &declare(30, 21), &school).await, 422).await;
    assert_eq!(fields(&p), ["year"]);
    // Only the unit's own account declares: not the commune's police, not a form teacher.
    let ward = app.login_as(Role::WardOfficer, WARD).await;
    problem(app.put(&path, &declare(30, 21), &ward).await, 403).await;
    let teacher = app.login_as(Role::FormTeacher, "LH-22759-0001").await;
    problem(app.put(&path, &declare(30, 21), &teacher).await, 403).await;
    // A residential area is not a unit with sub-units' titles; its head reads none.
    let area = "/api/v1/units/KD-22759-0001/subunit-titles/2026";
    problem(app.get(area, Some(&ward)).await, 422).await;
    let head = app.login_as(Role::AreaHead, "KD-22759-0001").await;
    problem(app.get(&path, Some(&head)).await, 403).await;
    assert_eq!(app.count("subunit_titles"), 0);

    // 20 of 30 classes is 66.7%: short of 70, and criterion 6 fails on the data.
    let t = ok(app.put(&path, &declare(30, 20), &school).await, 200).await;
    assert_eq!(
        (t["meets"].clone(), t["percent"].clone()),
        (json!(false), json!(66.7))
    );
    let assessment = format!("/api/v1/assessments/{SCHOOL}/2026");
    let empty = json!({"answers": {"criteria": {}, "scores": {}}});
    let a = ok(app.put(&assessment, &empty, &school).await, 200).await;
    let c5 = |a: &Value| {
        a["evidence"]
            .as_array()
            .or_fail()
            .iter()
            .find(|e| e["criterion"] == "6" && e["source"] == "subunit_titles")
            .cloned()
            .or_fail()
    };
    assert_eq!(c5(&a)["passed"], false, "{a}");
    assert!(
        c5(&a)["value"].as_str().or_fail().starts_with("20/30"),
        "{a}"
    );
    // Answering it passed against the data needs a reason.
    let claim = json!({"answers": {"criteria": {"6": {"passed": true}}, "scores": {}}});
    let p = problem(app.put(&assessment, &claim, &school).await, 422).await;
    assert_eq!(fields(&p), ["criteria.6.override_reason"]);

    // 21 of 30 is exactly 70%: it passes; the second declaration replaces the first.
    let t = ok(app.put(&path, &declare(30, 21), &school).await, 200).await;
    assert_eq!(t["meets"], true, "{t}");
    assert_eq!(app.count("subunit_titles"), 1);
    let a = ok(app.get(&assessment, Some(&school)).await, 200).await;
    assert_eq!(c5(&a)["passed"], true, "{a}");

    // The education department reads it; a form teacher does not.
    let edu = app.login_as(Role::EducationOfficer, "56").await;
    let v = ok(app.get(&path, Some(&edu)).await, 200).await;
    assert_eq!(v["declared"]["titled"], 21, "{v}");
    assert_eq!(v["declared"]["titles"], "Lớp tiên tiến");
    problem(app.get(&path, Some(&teacher)).await, 403).await;
}

both!(
    a_school_declares_its_classes_titles_and_criterion_6_follows,
    a_unit_is_added_outside_the_thong_tu_in_one_request,
    the_education_department_sees_the_schools_and_nothing_else,
    the_dashboard_lists_the_deadlines_and_who_still_owes_them,
    a_school_briefs_every_class_and_criterion_1_follows,
    registrations_and_exclusions_refuse_what_the_text_does_not_allow,
    a_ward_keeps_models_and_teams_and_the_plan_counts_them,
    tips_handled_on_time_are_counted_against_the_clock_then_running,
);
