//! The reporting year (issue 19): a plan made for a province that merged follows the communes of
//! its successor that came from it, through the unit history (Nghị quyết 202/2025/QH15: Bình
//! Phước into Đồng Nai); a commune sends its annual report through the platform and the province
//! sees who sent on time, who late and who not at all, on a fixed clock.

use bvantq_shared::Role;
use bvantq_tests::{OrFail, TestApp, both, json, problem, t0};
use serde_json::{Value, json};

const BINH_PHUOC_PLAN: &str = "binh-phuoc-kh-ubnd-2022";

/// Đồng Nai's communes with their history: Phường Bình Phước (25195) formed from two former
/// wards of Bình Phước, Phường Trấn Biên (26068, new here) from two former wards of Đồng Nai, and
/// Phường Đồng Xoài (25210) with no history loaded.
const HISTORY: &str = "code,name,parent_code,kind,full_name,valid_to,replaced_by
689,Đồng Xoài,70,district,Thành phố Đồng Xoài,2025-06-30,
25193,Tân Phú,689,commune,Phường Tân Phú,2025-06-30,25195
25194,Tân Đồng,689,commune,Phường Tân Đồng,2025-06-30,25195
731,Biên Hòa,75,district,Thành phố Biên Hòa,2025-06-30,
26068,Trấn Biên,75,commune,Phường Trấn Biên,,
26041,Quyết Thắng,731,commune,Phường Quyết Thắng,2025-06-30,26068
26044,Thanh Bình,731,commune,Phường Thanh Bình,2025-06-30,26068
";

async fn dashboard(app: &TestApp, token: &str, unit: &str, period: i32) -> Value {
    app.dashboard(token, &format!("unit={unit}&period={period}"))
        .await
}

async fn a_former_provinces_plan_follows_the_communes_that_came_from_it(app: TestApp) {
    // The official list's import brought the former provinces as history: Bình Phước ended on
    // 30 June 2025 and became part of Đồng Nai.
    let admin = app.login_as(Role::Admin, "75").await;
    let bp = json(app.get("/api/v1/units/70", Some(&admin)).await).await;
    assert_eq!(
        (bp["replaced_by"].as_str(), bp["valid_to"].as_str()),
        (Some("75"), Some("2025-06-30")),
        "{bp}"
    );
    let items = bvantq_api::units::tree::parse_csv_units(HISTORY.as_bytes())
        .unwrap_or_else(|e| panic!("{e}"));
    bvantq_api::units::tree::import(&mut app.conn(), &items, t0())
        .unwrap_or_else(|e| panic!("{e}"));

    let province = app.login_as(Role::ProvinceOfficer, "75").await;
    let d = dashboard(&app, &province, "25195", 2025).await;
    assert_eq!(d["plan"]["id"], BINH_PHUOC_PLAN, "{d}");
    assert!(!d["unit"]["targets"].as_array().or_fail().is_empty());
    for other in ["26068", "25210"] {
        let d = dashboard(&app, &province, other, 2025).await;
        assert_eq!(d["plan"], Value::Null, "{other}: {d}");
        assert_eq!(d["unit"]["targets"], json!([]), "{other}");
    }
    // On the province's page each commune is checked against its own plan.
    let d = dashboard(&app, &province, "75", 2025).await;
    let plan_of = |code: &str| {
        d["children"]
            .as_array()
            .or_fail()
            .iter()
            .find(|c| c["unit_code"] == code)
            .map(|c| c["plan_id"].clone())
            .or_fail()
    };
    assert_eq!(plan_of("25195"), BINH_PHUOC_PLAN);
    assert_eq!(plan_of("26068"), Value::Null);
    assert_eq!(plan_of("25210"), Value::Null);
    // Khánh Hòa's communes never see Bình Phước's plan.
    let kh = app.login_as(Role::ProvinceOfficer, "56").await;
    let d = dashboard(&app, &kh, "22333", 2025).await;
    assert_ne!(d["plan"]["id"], BINH_PHUOC_PLAN);

    // Đồng Nai replaces it: its own plan for 2025–2030 applies to every commune.
    let body = json!({
        "title_vi": "Kế hoạch của UBND thành phố Đồng Nai 2025–2030",
        "title_en": "Đồng Nai's plan 2025–2030",
        "source": "Kế hoạch số 10/KH-UBND ngày 01/12/2026 của UBND thành phố Đồng Nai",
        "from_period": 2025, "to_period": 2030,
        "targets": [{"metric": "safe_percent", "group": "commune", "min": 90}]
    });
    let r = app
        .post(
            "/api/v1/provinces/75/plans",
            &body,
            Some(&province),
            Some("plan-dong-nai"),
        )
        .await;
    let v = json(r).await;
    let id = bvantq_tests::text(&v, "id").to_string();
    let r = app
        .post(
            &format!("/api/v1/plans/{id}/publish"),
            &json!({}),
            Some(&province),
            None,
        )
        .await;
    assert_eq!(r.status(), 200);
    for code in ["25195", "26068", "25210"] {
        let d = dashboard(&app, &province, code, 2025).await;
        assert_eq!(d["plan"]["id"], id.as_str(), "{code}");
    }
}

fn figures(people: i64) -> Value {
    json!([
        {"figure": "people_of_standing", "value": people},
        {"figure": "reintegrated", "value": 3},
        {"figure": "weapons_handed_in", "value": 2},
        {"figure": "surrenders", "value": 1}
    ])
}

async fn send(app: &TestApp, token: &str, unit: &str, body: &Value) -> reqwest::Response {
    let key = format!("annual-{}", bvantq_api::infra::db::new_id());
    app.post(
        &format!("/api/v1/units/{unit}/annual-reports"),
        body,
        Some(token),
        Some(&key),
    )
    .await
}

/// Sets the fixed clock to 10:00 in Vietnam on `day` of 2026.
fn at(app: &TestApp, month: u32, day: u32) {
    app.set_vn_time(month, day, 10);
}

async fn a_commune_sends_its_annual_report_and_the_province_sees_who_is_late(app: TestApp) {
    // 14 November: a report missing a figure is refused on that field, and nothing is kept.
    at(&app, 11, 14);
    let bac_nha_trang = app.login_as(Role::WardOfficer, "22333").await;
    let nha_trang = app.login_as(Role::WardOfficer, "22366").await;
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let mut bad = json!({"year": 2026, "figures": figures(5)});
    bad["figures"].as_array_mut().or_fail().pop();
    bad["figures"][0]["value"] = json!(-2);
    let p = problem(send(&app, &bac_nha_trang, "22333", &bad).await, 422).await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .or_fail()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        ["figures.people_of_standing", "figures.surrenders"],
        "{p}"
    );
    assert_eq!(app.count("annual_reports"), 0);
    // A ward officer sends for its own commune only.
    let body =
        json!({"year": 2026, "figures": figures(5), "note": "Tổ chức 12 buổi tuyên truyền."});
    problem(send(&app, &nha_trang, "22333", &body).await, 403).await;
    problem(send(&app, &province, "22333", &body).await, 403).await;

    let r = send(&app, &bac_nha_trang, "22333", &body).await;
    assert_eq!(r.status(), 201);
    let first = json(r).await;
    assert_eq!(
        (
            first["version"].as_i64(),
            first["state"].as_str(),
            first["due_on"].as_str()
        ),
        (Some(1), Some("on_time"), Some("2026-11-15"))
    );
    assert_eq!(first["dashboard"]["unit"]["unit_code"], "22333");
    assert_eq!(first["dashboard"]["period"], 2026);

    // 17 November: Nha Trang sends late; Bắc Nha Trang corrects its report (version 2, still on
    // time: the first sending decides).
    at(&app, 11, 17);
    let bac_nha_trang = app.login_as(Role::WardOfficer, "22333").await;
    let nha_trang = app.login_as(Role::WardOfficer, "22366").await;
    let r = send(
        &app,
        &nha_trang,
        "22366",
        &json!({"year": 2026, "figures": figures(0)}),
    )
    .await;
    assert_eq!(json(r).await["state"], "late");
    let r = send(
        &app,
        &bac_nha_trang,
        "22333",
        &json!({"year": 2026, "figures": figures(6)}),
    )
    .await;
    let second = json(r).await;
    assert_eq!(
        (second["version"].as_i64(), second["state"].as_str()),
        (Some(2), Some("on_time"))
    );

    // The province's board on 18 November: on time, late, and the rest overdue.
    at(&app, 11, 18);
    let nha_trang = app.login_as(Role::WardOfficer, "22366").await;
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let board = json(
        app.get(
            "/api/v1/provinces/56/annual-reports?year=2026",
            Some(&province),
        )
        .await,
    )
    .await;
    assert_eq!(board["due_on"], "2026-11-15");
    let line = |code: &str| {
        board["lines"]
            .as_array()
            .or_fail()
            .iter()
            .find(|l| l["unit_code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("{code} missing from {board}"))
    };
    assert_eq!(
        (
            line("22333")["state"].as_str(),
            line("22333")["versions"].as_i64()
        ),
        (Some("on_time"), Some(2))
    );
    assert_eq!(line("22333")["latest_id"], second["id"]);
    assert_eq!(line("22366")["state"], "late");
    assert_eq!(line("22759")["state"], "overdue");
    assert_eq!(line("22759")["latest_id"], Value::Null);
    // Only communes are on the board, only current ones.
    assert!(
        board["lines"]
            .as_array()
            .or_fail()
            .iter()
            .all(|l| l["unit_code"].as_str().is_some_and(|c| c.len() == 5))
    );

    // The commune's police see what they sent: both versions, on time by the first.
    let bac_nha_trang = app.login_as(Role::WardOfficer, "22333").await;
    let mine = json(
        app.get(
            "/api/v1/units/22333/annual-reports?year=2026",
            Some(&bac_nha_trang),
        )
        .await,
    )
    .await;
    assert_eq!(
        (mine["state"].as_str(), mine["due_on"].as_str()),
        (Some("on_time"), Some("2026-11-15")),
        "{mine}"
    );
    let versions: Vec<i64> = mine["versions"]
        .as_array()
        .or_fail()
        .iter()
        .filter_map(|v| v["version"].as_i64())
        .collect();
    assert_eq!(versions, [1, 2]);
    assert_eq!(mine["versions"][1]["id"], second["id"]);
    // Phan Rang has sent nothing and is overdue; another commune's police see neither; a
    // province is not a commune.
    let phan_rang = json(
        app.get(
            "/api/v1/units/22759/annual-reports?year=2026",
            Some(&province),
        )
        .await,
    )
    .await;
    assert_eq!(phan_rang["state"], "overdue");
    assert_eq!(phan_rang["versions"], json!([]));
    problem(
        app.get(
            "/api/v1/units/22333/annual-reports?year=2026",
            Some(&nha_trang),
        )
        .await,
        403,
    )
    .await;
    let p = problem(
        app.get("/api/v1/units/56/annual-reports?year=2026", Some(&province))
            .await,
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "code");

    // The province opens each; the XLSX holds the sending and the frozen dashboard.
    let id = bvantq_tests::text(&second, "id");
    let one = json(
        app.get(&format!("/api/v1/annual-reports/{id}"), Some(&province))
            .await,
    )
    .await;
    assert_eq!(one["figures"], figures(6));
    let r = app
        .get(
            &format!("/api/v1/annual-reports/{id}/report.xlsx"),
            Some(&province),
        )
        .await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.or_fail();
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        wb.sheet_names(),
        [
            "Báo cáo",
            "Tổng hợp",
            "Chỉ tiêu",
            "Khen thưởng",
            "Công nhận",
            "Thời hạn"
        ]
    );
    let sheet = wb
        .worksheet_range("Báo cáo")
        .unwrap_or_else(|e| panic!("{e}"));
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    for want in [
        "Đã gửi đúng hạn",
        "15/11/2026",
        "Đối tượng được vận động ra đầu thú",
        "2",
    ] {
        assert!(cells.iter().any(|c| c == want), "{want} in {cells:?}");
    }
    // Another commune's police and another province see nothing of it.
    problem(
        app.get(&format!("/api/v1/annual-reports/{id}"), Some(&nha_trang))
            .await,
        404,
    )
    .await;
    let dong_nai = app.login_as(Role::ProvinceOfficer, "75").await;
    problem(
        app.get(
            "/api/v1/provinces/56/annual-reports?year=2026",
            Some(&dong_nai),
        )
        .await,
        403,
    )
    .await;
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    let key = format!("emulation-{}", bvantq_api::infra::db::new_id());
    app.post(path, body, Some(token), Some(&key)).await
}

/// Emulation from registration to the award (seed 000 §IV): Phan Rang registers by the
/// province's day (31/3), reviews its year from 1/10 with its results attached, the province's
/// standing office proposes a Bằng khen, another officer records the decision; the award is in
/// the unit's history, on the dashboard and in the November report.
async fn a_unit_registers_reviews_and_is_awarded(app: TestApp) {
    // 2 March 2026.
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let p = problem(
        post(
            &app,
            &province,
            "/api/v1/provinces/56/emulation-blocks",
            &json!({"name": " "}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "name");
    let r = post(
        &app,
        &province,
        "/api/v1/provinces/56/emulation-blocks",
        &json!({"name": "Khối các xã, phường"}),
    )
    .await;
    assert_eq!(r.status(), 201);
    let block = json(r).await;
    let block_id = bvantq_tests::text(&block, "id").to_string();
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let blocks = json(
        app.get("/api/v1/provinces/56/emulation-blocks", Some(&ward))
            .await,
    )
    .await;
    assert_eq!(blocks[0]["name"], "Khối các xã, phường");
    let dong_nai = app.login_as(Role::ProvinceOfficer, "75").await;
    problem(
        app.get("/api/v1/provinces/56/emulation-blocks", Some(&dong_nai))
            .await,
        403,
    )
    .await;

    let register = json!({"year": 2026, "block_id": block_id,
        "aim": "Đơn vị xuất sắc phong trào Toàn dân bảo vệ ANTQ"});
    let other_ward = app.login_as(Role::WardOfficer, "22333").await;
    problem(
        post(
            &app,
            &other_ward,
            "/api/v1/units/22759/emulation",
            &register,
        )
        .await,
        403,
    )
    .await;
    let r = post(&app, &ward, "/api/v1/units/22759/emulation", &register).await;
    assert_eq!(r.status(), 201);
    let entry = json(r).await;
    assert_eq!(entry["status"], "registered");
    let id = bvantq_tests::text(&entry, "id").to_string();
    problem(
        post(&app, &ward, "/api/v1/units/22759/emulation", &register).await,
        409,
    )
    .await;

    // 2 April: registration closed; the review is not open before 1 October.
    at(&app, 4, 2);
    let other_ward = app.login_as(Role::WardOfficer, "22333").await;
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let p = problem(
        post(
            &app,
            &other_ward,
            "/api/v1/units/22333/emulation",
            &register,
        )
        .await,
        409,
    )
    .await;
    assert_eq!(p["code"], "registration_closed", "{p}");
    let review =
        json!({"summary": "Hoàn thành 100% chỉ tiêu; 3 mô hình tự quản.", "aim_reached": true});
    let p = problem(
        post(
            &app,
            &ward,
            &format!("/api/v1/emulation/{id}/review"),
            &review,
        )
        .await,
        409,
    )
    .await;
    assert_eq!(p["code"], "review_not_open");

    // 15 October: the review, with the unit's results of the year.
    at(&app, 10, 15);
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let proposer = app.login_as(Role::ProvinceOfficer, "56").await;
    let proposal = json!({"award": "province_certificate", "reason": "Dẫn đầu khối thi đua."});
    // Nothing is proposed before the review.
    let p = problem(
        post(
            &app,
            &proposer,
            &format!("/api/v1/emulation/{id}/proposal"),
            &proposal,
        )
        .await,
        409,
    )
    .await;
    assert_eq!(p["code"], "emulation_step");
    let r = post(
        &app,
        &ward,
        &format!("/api/v1/emulation/{id}/review"),
        &review,
    )
    .await;
    let reviewed = json(r).await;
    assert_eq!(reviewed["status"], "reviewed", "{reviewed}");
    assert_eq!(reviewed["results"]["unit_code"], "22759");

    // The province proposes; the ward cannot; the proposer does not record the decision.
    problem(
        post(
            &app,
            &ward,
            &format!("/api/v1/emulation/{id}/proposal"),
            &proposal,
        )
        .await,
        403,
    )
    .await;
    let r = post(
        &app,
        &proposer,
        &format!("/api/v1/emulation/{id}/proposal"),
        &proposal,
    )
    .await;
    assert_eq!(json(r).await["status"], "proposed");
    let mut decision = json!({"awarded": true, "number": "2150/QĐ-UBND", "date": "2026-10-14",
        "signer": "Chủ tịch UBND tỉnh Khánh Hòa"});
    let p = problem(
        post(
            &app,
            &proposer,
            &format!("/api/v1/emulation/{id}/decision"),
            &decision,
        )
        .await,
        409,
    )
    .await;
    assert_eq!(p["code"], "own_proposal");
    let decider = app.login_as(Role::ProvinceOfficer, "56").await;
    decision["number"] = json!("2150");
    let p = problem(
        post(
            &app,
            &decider,
            &format!("/api/v1/emulation/{id}/decision"),
            &decision,
        )
        .await,
        422,
    )
    .await;
    assert_eq!(p["field"], "number");
    assert_eq!(app.count("emulation_entries"), 1);
    decision["number"] = json!("2150/QĐ-UBND");
    let r = post(
        &app,
        &decider,
        &format!("/api/v1/emulation/{id}/decision"),
        &decision,
    )
    .await;
    let decided = json(r).await;
    assert_eq!(decided["status"], "awarded", "{decided}");
    problem(
        post(
            &app,
            &decider,
            &format!("/api/v1/emulation/{id}/decision"),
            &decision,
        )
        .await,
        409,
    )
    .await;

    // The unit's history, the province's list, the dashboard and the November report.
    let history = json(app.get("/api/v1/units/22759/emulation", Some(&ward)).await).await;
    assert_eq!(history[0]["decision"]["number"], "2150/QĐ-UBND");
    assert_eq!(history[0]["award"], "province_certificate");
    let list = json(
        app.get("/api/v1/provinces/56/emulation?year=2026", Some(&decider))
            .await,
    )
    .await;
    assert_eq!(list.as_array().or_fail().len(), 1);
    let d = dashboard(&app, &decider, "56", 2026).await;
    assert_eq!(d["awards"][0]["unit_code"], "22759", "{d}");
    let r = app
        .get(
            "/api/v1/dashboard/report.xlsx?unit=56&period=2026",
            Some(&decider),
        )
        .await;
    let bytes = r.bytes().await.or_fail();
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> =
        Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap_or_else(|e| panic!("{e}"));
    let sheet = wb
        .worksheet_range("Khen thưởng")
        .unwrap_or_else(|e| panic!("{e}"));
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    for want in [
        "2150/QĐ-UBND",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "14/10/2026",
    ] {
        assert!(cells.iter().any(|c| c == want), "{want} in {cells:?}");
    }
}

/// The festival of 19/8 (seed 002 §III.4): the commune's police record an area's day, attendance
/// and a photo (its metadata stripped); a second record of the year is refused; the commune's
/// list shows who held it, and the dashboard the share of areas that did.
async fn residential_areas_hold_the_festival_of_19_august(app: TestApp) {
    use base64::Engine;
    at(&app, 8, 20);
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let photo = std::fs::read(bvantq_tests::fixture("photo-gps.jpg")).or_fail();
    let body = json!({"held_on": "2026-08-19", "attendance": 230, "note": "Văn nghệ, biểu dương 5 cá nhân.",
        "photos": [{"data": base64::engine::general_purpose::STANDARD.encode(&photo)}]});
    // A day still to come, nobody there, or a commune instead of an area: refused on the field.
    let mut bad = body.clone();
    bad["held_on"] = json!("2026-08-21");
    bad["attendance"] = json!(0);
    let p = problem(
        post(&app, &ward, "/api/v1/units/KD-22759-0001/festivals", &bad).await,
        422,
    )
    .await;
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .or_fail()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["held_on", "attendance"]);
    let p = problem(
        post(&app, &ward, "/api/v1/units/22759/festivals", &body).await,
        422,
    )
    .await;
    assert_eq!(p["field"], "code");
    let other = app.login_as(Role::WardOfficer, "22333").await;
    problem(
        post(&app, &other, "/api/v1/units/KD-22759-0001/festivals", &body).await,
        403,
    )
    .await;
    assert_eq!(app.count("festivals"), 0);

    let r = post(&app, &ward, "/api/v1/units/KD-22759-0001/festivals", &body).await;
    assert_eq!(r.status(), 201);
    let f = json(r).await;
    assert_eq!(f["attendance"], 230);
    let photo_id = f["photo_ids"][0].as_str().or_fail().to_string();
    problem(
        post(&app, &ward, "/api/v1/units/KD-22759-0001/festivals", &body).await,
        409,
    )
    .await;
    // The photo comes back without its GPS position or camera.
    let r = app
        .get(&format!("/api/v1/festival-photos/{photo_id}"), Some(&ward))
        .await;
    assert_eq!(r.status(), 200);
    let bytes = r.bytes().await.or_fail();
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert!(
        !bytes.windows(15).any(|w| w == b"MARKERPHONEMAKE"),
        "camera kept"
    );
    problem(
        app.get(&format!("/api/v1/festival-photos/{photo_id}"), Some(&other))
            .await,
        404,
    )
    .await;

    // Phan Rang has three areas; one held it.
    let board = json(
        app.get("/api/v1/units/22759/festivals?year=2026", Some(&ward))
            .await,
    )
    .await;
    assert_eq!(board["share"]["areas"], 3, "{board}");
    assert_eq!(board["share"]["held"], 1);
    let held: Vec<&str> = board["lines"]
        .as_array()
        .or_fail()
        .iter()
        .filter(|l| !l["festival"].is_null())
        .filter_map(|l| l["unit_code"].as_str())
        .collect();
    assert_eq!(held, ["KD-22759-0001"]);
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let d = dashboard(&app, &province, "56", 2026).await;
    let phan_rang = d["children"]
        .as_array()
        .or_fail()
        .iter()
        .find(|c| c["unit_code"] == "22759")
        .cloned()
        .or_fail();
    assert_eq!(phan_rang["festival"]["held"], 1, "{phan_rang}");
    assert_eq!(phan_rang["festival"]["areas"], 3);
    assert_eq!(
        d["unit"]["festival"]["areas"], 4,
        "Khánh Hòa's four demo areas"
    );
}

both!(
    a_former_provinces_plan_follows_the_communes_that_came_from_it,
    residential_areas_hold_the_festival_of_19_august,
    a_commune_sends_its_annual_report_and_the_province_sees_who_is_late,
    a_unit_registers_reviews_and_is_awarded,
);
