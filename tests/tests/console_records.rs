//! The records of the year in the console at 360 px, in Vietnamese and English (issues 18 and
//! 19): Phan Rang's police record registrations of quarter I and the units outside Thông tư 124,
//! add a self-managed model and set a residential area's security team (a bad field named where
//! it was typed, nothing lost), then review the model in English; the lists say how many units
//! count towards the plan.

use bvantq_shared::Role;
use bvantq_tests::browser::{
    Browser, checked_page, click, click_xpath, fill, open_results, open_single_section, scroll_to,
    select, wait_for, wait_for_text, wait_for_text_id,
};
use bvantq_tests::{OrFail, TestApp, both, json};
use fantoccini::Client;

async fn open(app: &TestApp, user: &str, en: bool) -> Browser {
    open_results(app, user, en, "[data-testid=records]").await
}

async fn checked(c: &Client, testid: &str, en: bool) {
    scroll_to(c, testid).await;
    checked_page(c, en).await;
}

async fn a_ward_keeps_its_models_and_teams_in_the_console(app: TestApp) {
    let tag = format!("console-records-{:?}", app.backend).to_lowercase();
    app.add_user("canbo.sotheodoi", Role::WardOfficer, "22759");
    app.set_vn_time(12, 2, 9);

    // Vietnamese: a model started this year counts at once.
    let b = open(&app, "canbo.sotheodoi", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=model-form]").await;
    wait_for_text(c, "model-share", "0/").await;
    select(c, "model-unit", "KD-22759-0001").await;
    fill(c, "model-name", "Camera an ninh khu phố").await;
    select(c, "model-kind", "self_prevention").await;
    fill(c, "model-start", "2026-09-10").await;
    fill(c, "model-members", "nhiều").await;
    click(c, "[data-testid=model-form] button[type=submit]").await;
    wait_for(c, "#err-members").await;
    fill(c, "model-members", "40").await;
    click(c, "[data-testid=model-form] button[type=submit]").await;
    wait_for_text(c, "model-units", "Camera an ninh khu phố").await;
    wait_for_text(c, "model-share", "1/").await;

    // The team of Khu phố 1: a phone that is not one is named on its row, the rest kept.
    wait_for(c, "[data-testid=team-form]").await;
    wait_for_text(c, "team-share", "0/3").await;
    select(c, "team-area", "KD-22759-0001").await;
    fill(c, "team-founded", "2024-08-01").await;
    fill(c, "team-decision", "15/QĐ-UBND").await;
    fill(c, "member-0-name", "Nguyễn Văn Hùng").await;
    fill(c, "member-0-phone", "12345").await;
    fill(c, "member-0-trained", "2025-09-20").await;
    fill(c, "member-2-name", "Trần Thị Lan").await;
    select(c, "member-2-position", "deputy").await;
    click(c, "[data-testid=team-form] button[type=submit]").await;
    wait_for(c, "[id='err-members.0.phone']").await;
    assert_eq!(app.count("security_teams"), 0);
    fill(c, "member-0-phone", "0905111201").await;
    select(c, "team-rating", "good").await;
    click(c, "[data-testid=team-form] button[type=submit]").await;
    wait_for_text(c, "team-share", "1/3").await;
    wait_for_text(c, "team-share", "33,3%").await;
    wait_for_text(c, "team-areas", "Nguyễn Văn Hùng").await;
    wait_for_text(c, "team-areas", "Hoàn thành tốt nhiệm vụ").await;
    checked(c, "records", false).await;
    b.screenshot(&format!("{tag}-vi-360")).await;
    b.close().await;

    // English: the model's review of the year, and a day it stopped.
    let b = open(&app, "canbo.sotheodoi", true).await;
    let c = &b.client;
    wait_for_text(c, "team-share", "residential areas with a team that counts").await;
    wait_for(c, "[data-testid=model-rate-form]").await;
    select(c, "rate-value", "effective").await;
    // A day before the model began is refused on its field.
    fill(c, "rate-retired", "2026-01-01").await;
    click(c, "[data-testid=model-rate-form] button[type=submit]").await;
    wait_for(c, "#err-retired_on").await;
    fill(c, "rate-retired", "").await;
    click(c, "[data-testid=model-rate-form] button[type=submit]").await;
    wait_for_text(c, "model-units", "Operating effectively").await;
    checked(c, "records", true).await;
    b.screenshot(&format!("{tag}-en-360")).await;
    b.close().await;

    let admin = app.login_as(Role::Admin, "56").await;
    let t = json(
        app.get("/api/v1/units/22759/security-teams?year=2026", Some(&admin))
            .await,
    )
    .await;
    let team = t["lines"]
        .as_array()
        .or_fail()
        .iter()
        .find(|l| l["unit_code"] == "KD-22759-0001")
        .map(|l| l["team"].clone())
        .or_fail();
    assert_eq!(
        (
            team["members"].as_array().or_fail().len(),
            team["rating"].as_str()
        ),
        (2, Some("good")),
        "{team}"
    );
    assert_eq!(team["members"][1]["position"], "deputy");
}

/// Registrations of quarter I and the units outside Thông tư 124 in the console at 360 px: a
/// missing document named and nothing kept; an area registered in quarter I, the commune after
/// it (marked late); a primary school put outside (art. 1.2.b), an exclusion that does not fit
/// refused on its field; the commune's rule of art. 5.4 over the rest, in both languages.
async fn a_ward_keeps_the_registrations_in_the_console(app: TestApp) {
    let tag = format!("console-registrations-{:?}", app.backend).to_lowercase();
    app.add_user("canbo.dangky", Role::WardOfficer, "22759");
    app.set_vn_time(12, 2, 9);
    let b = open(&app, "canbo.dangky", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=registration-form]").await;
    wait_for_text(c, "registration-rule", "0/").await;
    wait_for_text(c, "registration-own", "Chưa đăng ký").await;
    select(c, "reg-unit", "KD-22759-0001").await;
    fill(c, "reg-day", "2026-02-20").await;
    click(c, "[data-testid=registration-form] button[type=submit]").await;
    wait_for(c, "#err-document").await;
    assert_eq!(app.count("registrations"), 0);
    fill(c, "reg-document", "05-NQ/CB").await;
    click(c, "[data-testid=registration-form] button[type=submit]").await;
    wait_for_text(c, "registration-units", "05-NQ/CB").await;
    // The commune's own, in May: kept, and said to be after quarter I.
    select(c, "reg-unit", "22759").await;
    fill(c, "reg-day", "2026-05-10").await;
    fill(c, "reg-document", "07/KH-UBND").await;
    click(c, "[data-testid=registration-form] button[type=submit]").await;
    wait_for_text(c, "registration-own", "sau quý I").await;
    // An enterprise is not an armed-forces unit: refused on the reason.
    wait_for(c, "[data-testid=outside-form]").await;
    select(c, "outside-unit", "DN-22759-0001").await;
    select(c, "outside-reason", "armed_forces").await;
    click(c, "[data-testid=outside-form] button[type=submit]").await;
    wait_for(c, "#err-exclusion").await;
    // The primary school is outside: shown so, and not counted.
    select(c, "outside-unit", "TH-22759-0001").await;
    select(c, "outside-reason", "primary_or_preschool").await;
    click(c, "[data-testid=outside-form] button[type=submit]").await;
    wait_for_text(c, "registration-units", "Không thuộc đối tượng áp dụng").await;
    wait_for_text(c, "registration-rule", "Chưa đạt").await;
    checked(c, "records", false).await;
    b.screenshot(&format!("{tag}-vi-360")).await;
    b.close().await;

    let b = open(&app, "canbo.dangky", true).await;
    let c = &b.client;
    wait_for_text(c, "registration-rule", "units registered").await;
    wait_for_text(c, "registration-own", "after quarter I").await;
    checked(c, "records", true).await;
    b.screenshot(&format!("{tag}-en-360")).await;
    // The year's deadlines: the commune and one area registered of the five that owe it (the
    // primary school owes nothing); the rest named with why, in the calendar's order.
    // In December the page opens on the coming year: 2026's are past, the missing in red.
    wait_for_text(c, "deadline-registration", "0/5").await;
    select(c, "period", "2026").await;
    wait_for_text(c, "deadline-registration", "2/5").await;
    wait_for_text(c, "deadline-recognition", "0/4").await;
    wait_for_text(c, "deadline-recognition", "No assessment yet").await;
    wait_for_text(c, "deadline-recognition", "Not registered").await;
    wait_for_text(c, "deadline-classification", "0/1").await;
    wait_for_text(c, "year-records", "Outside the circular").await;
    click(c, "[data-testid=deadline-recognition] summary").await;
    checked(c, "deadlines", true).await;
    b.screenshot(&format!("{tag}-deadlines-en-360")).await;
    b.close().await;

    let admin = app.login_as(Role::Admin, "56").await;
    let board = json(
        app.get("/api/v1/units/22759/registrations?year=2026", Some(&admin))
            .await,
    )
    .await;
    assert_eq!(board["rule"]["excluded"], 1, "{board}");
    assert_eq!(board["rule"]["registered"]["counted"], 1, "{board}");
    assert_eq!(board["own"]["in_quarter_one"], false, "{board}");
}

/// The events of criterion 4 in the console at 360 px (TT 124 art. 4.4): a missing time named
/// in the browser and a report before the event named by the server, nothing kept; a fatal
/// traffic accident by force majeure reported within the hour is excused, a fire that was not
/// force majeure counts against the criterion; in both languages.
async fn a_ward_records_the_events_of_criterion_4(app: TestApp) {
    let tag = format!("console-incidents-{:?}", app.backend).to_lowercase();
    app.add_user("canbo.vuviec", Role::WardOfficer, "22759");
    app.set_vn_time(12, 2, 9);
    let b = open(&app, "canbo.vuviec", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=incident-form]").await;
    wait_for(c, "[data-testid=incidents-none]").await;
    select(c, "incident-unit", "KD-22759-0001").await;
    select(c, "incident-kind", "serious_incident").await;
    fill(c, "incident-occurred", "2026-10-05T21:30").await;
    fill(
        c,
        "incident-description",
        "Tai nạn giao thông chết người do sạt lở đất bất ngờ trên đường liên xã",
    )
    .await;
    let submit = "[data-testid=incident-form] button[type=submit]";
    click(c, submit).await;
    wait_for(c, "#err-reported_at").await;
    fill(c, "incident-reported", "2026-10-05T21:00").await;
    click(c, submit).await;
    wait_for_text_id(c, "err-reported_at", "trước").await;
    assert_eq!(app.count("incidents"), 0, "nothing kept on a bad field");
    fill(c, "incident-reported", "2026-10-05T22:10").await;
    click(c, "#incident-force-majeure").await;
    click(c, submit).await;
    wait_for_text(c, "incidents", "được miễn trừ").await;
    // A fire in the commune, not force majeure: it counts.
    select(c, "incident-unit", "22759").await;
    select(c, "incident-kind", "fire").await;
    fill(c, "incident-occurred", "2026-09-01T03:00").await;
    fill(c, "incident-reported", "2026-09-01T04:00").await;
    click(c, "#incident-force-majeure").await;
    fill(c, "incident-description", "Cháy kho chứa phế liệu").await;
    click(c, submit).await;
    wait_for_text(c, "incidents", "làm không đạt tiêu chí").await;
    checked(c, "incidents", false).await;
    b.screenshot(&format!("{tag}-vi-360")).await;
    b.close().await;

    let b = open(&app, "canbo.vuviec", true).await;
    let c = &b.client;
    wait_for_text(c, "incidents", "excused").await;
    wait_for_text(c, "incidents", "fails the criterion").await;
    checked(c, "incidents", true).await;
    b.screenshot(&format!("{tag}-en-360")).await;
    b.close().await;

    let admin = app.login_as(Role::Admin, "56").await;
    let board = json(
        app.get("/api/v1/units/22759/incidents?year=2026", Some(&admin))
            .await,
    )
    .await;
    let got: Vec<(String, bool)> = board["incidents"]
        .as_array()
        .or_fail()
        .iter()
        .map(|i| {
            (
                i["kind"].as_str().or_fail().to_string(),
                i["excused"] == true,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("fire".to_string(), false),
            ("serious_incident".to_string(), true)
        ],
        "{board}"
    );
}

/// A school's briefings in the console at 360 px (TT 124 art. 7.1): a flag ceremony most
/// attended — not yet 100%, the classes without a session named; more attended than the
/// headcount refused on its field, nothing kept; every class in full reaches 100%; in English.
async fn a_school_records_its_briefings(app: TestApp) {
    let tag = format!("console-briefings-{:?}", app.backend).to_lowercase();
    app.add_user("truong.quantriet", Role::SchoolAdmin, "TH-22759-0001");
    app.set_vn_time(9, 10, 9);
    let b = open_results(
        &app,
        "truong.quantriet",
        false,
        "[data-testid=briefing-form]",
    )
    .await;
    let c = &b.client;
    let submit = "[data-testid=briefing-form] button[type=submit]";
    fill(c, "briefing-day", "2026-09-07").await;
    fill(
        c,
        "briefing-topic",
        "Sinh hoạt dưới cờ: phòng, chống ma túy",
    )
    .await;
    fill(c, "briefing-attendance", "1150").await;
    fill(c, "briefing-headcount", "1200").await;
    click(c, "#briefing-flag").await;
    click(c, submit).await;
    wait_for_text(c, "briefing-list", "1150/1200").await;
    wait_for_text(c, "briefing-coverage", "Chưa đạt 100%").await;
    wait_for(c, "[data-testid=briefing-without]").await;
    let admin = app.login_as(Role::Admin, "56").await;
    let board = json(
        app.get(
            "/api/v1/units/TH-22759-0001/briefings?year=2026",
            Some(&admin),
        )
        .await,
    )
    .await;
    assert_eq!(
        board["briefings"][0]["unit_code"], "TH-22759-0001",
        "the flag ceremony was for the whole school: {board}"
    );
    let groups: Vec<String> = board["groups"]
        .as_array()
        .or_fail()
        .iter()
        .map(|g| g["code"].as_str().or_fail().to_string())
        .collect();
    // More attended than there are: refused on the field, nothing kept.
    select(c, "briefing-for", &groups[0]).await;
    fill(c, "briefing-topic", "Quán triệt nội quy lớp học").await;
    fill(c, "briefing-attendance", "45").await;
    fill(c, "briefing-headcount", "40").await;
    click(c, "#briefing-flag").await;
    click(c, submit).await;
    wait_for(c, "#err-attendance").await;
    assert_eq!(app.count("briefings"), 1);
    for g in &groups {
        select(c, "briefing-for", g).await;
        fill(c, "briefing-attendance", "40").await;
        click(c, submit).await;
        wait_for_text(c, "briefing-list", "Quán triệt nội quy lớp học").await;
    }
    wait_for_text(c, "briefing-coverage", "Đạt 100%").await;
    checked(c, "briefings", false).await;
    b.screenshot(&format!("{tag}-vi-360")).await;
    b.close().await;

    let b = open_results(
        &app,
        "truong.quantriet",
        true,
        "[data-testid=briefing-form]",
    )
    .await;
    let c = &b.client;
    wait_for_text(c, "briefing-coverage", "100% reached").await;
    wait_for_text(c, "briefing-list", "flag ceremony").await;
    checked(c, "briefings", true).await;
    b.screenshot(&format!("{tag}-en-360")).await;
    b.close().await;
    assert_eq!(app.count("briefings"), 1 + groups.len() as i64);
}

/// The education department in the console at 360 px (seed 003): it opens on the province's
/// schools — pupils' pledges, registration, assessment, briefings, models, the totals — and a
/// school opens its results page without a word of tips; no tips, campaigns or assessments tab;
/// in both languages.
async fn the_education_department_reads_its_schools(app: TestApp) {
    let tag = format!("console-schools-{:?}", app.backend).to_lowercase();
    app.add_user("sogd.thu", Role::EducationOfficer, "56");
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let r = app
        .put(
            "/api/v1/units/TH-22759-0001/registrations/2026",
            &serde_json::json!({"registered_on": "2026-02-10", "document": "12/KH-THCS"}),
            &ward,
        )
        .await;
    assert_eq!(r.status(), 200);
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let r = app
        .post(
            "/api/v1/units/TH-22759-0001/briefings",
            &serde_json::json!({"held_on": "2026-02-23", "topic": "Sinh hoạt dưới cờ",
                "attendance": 1200, "headcount": 1200, "flag_ceremony": true}),
            Some(&school),
            None,
        )
        .await;
    assert_eq!(r.status(), 201);
    for en in [false, true] {
        let b = open_single_section(&app, "sogd.thu", en, "[data-testid=schools]").await;
        let c = &b.client;
        let (lang, briefed) = if en {
            ("en", "All briefed")
        } else {
            ("vi", "Quán triệt 100%")
        };
        wait_for_text(c, "school-TH-22759-0001", briefed).await;
        wait_for_text(c, "school-totals", "1/1").await;
        checked(c, "schools", en).await;
        b.screenshot(&format!("{tag}-{lang}-360")).await;
        click(c, "[data-testid=school-TH-22759-0001] button").await;
        wait_for_text(c, "results-title", "Lý Tự Trọng").await;
        wait_for(c, "[data-testid=year-records]").await;
        let tips = c
            .find_all(fantoccini::Locator::Css("[data-testid=tips-year]"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            tips.is_empty(),
            "no tips on a school's page for the department"
        );
        checked(c, "results-title", en).await;
        b.screenshot(&format!("{tag}-school-{lang}-360")).await;
        click(c, "[data-testid=back-to-schools]").await;
        wait_for(c, "[data-testid=school-lines]").await;
        b.close().await;
    }
}

/// A form teacher in the console at 360 px: the class's roster with who has signed, a pupil's
/// paper form filled from the roster (a bad phone named on its field, nothing written), then
/// saved with its receipt and the pupil marked as entered from paper; only the class's tab; in
/// both languages.
async fn a_form_teacher_enters_the_class_paper_forms(app: TestApp) {
    let tag = format!("console-class-{:?}", app.backend).to_lowercase();
    app.add_user("gvcn.thu", Role::FormTeacher, "LH-22759-0001");
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let code = app
        .open_campaign(
            &school,
            "student",
            "Học sinh cam kết 2026",
            &["LH-22759-0001"],
        )
        .await;
    app.upload_roster(
        &school,
        &code,
        "LH-22759-0001",
        "ho_ten,ngay_sinh\nNguyễn Văn An,2013-01-15\nTrần Thị Bình,2013-02-20\n",
    )
    .await;
    for en in [false, true] {
        let b = open_single_section(&app, "gvcn.thu", en, "[data-testid=class-sheet]").await;
        let c = &b.client;
        let lang = if en { "en" } else { "vi" };
        if !en {
            wait_for_text(c, "class-signed", "0/2").await;
            // Bình's paper form, filled from the roster.
            click(c, "[data-testid=class-roster] li:nth-child(2) button").await;
            fill(c, "paper-guardian", "Trần Văn Dũng").await;
            fill(c, "paper-relation", "bố").await;
            fill(c, "paper-phone", "12345").await;
            click(c, "#paper-commitments").await;
            click(c, "#paper-consent").await;
            click(c, "[data-testid=paper-form] button[type=submit]").await;
            wait_for(c, "[id='err-guardian.phone']").await;
            assert_eq!(app.count("pledges"), 0);
            fill(c, "paper-phone", "0905123456").await;
            click(c, "[data-testid=paper-form] button[type=submit]").await;
            wait_for(c, "[data-testid=paper-saved]").await;
            wait_for_text(c, "class-signed", "1/2").await;
            wait_for_text(c, "class-roster", "Đã nhập từ phiếu giấy").await;
            assert_eq!(app.count("pledges"), 1);
            // The next pupil's form starts blank: no guardian carried over.
            let left = bvantq_tests::browser::js(
                c,
                "return ['paper-name', 'paper-guardian', 'paper-phone']\
                    .map(id => document.getElementById(id).value).join('');",
                vec![],
            )
            .await;
            assert_eq!(left, serde_json::json!(""));
        } else {
            wait_for_text(c, "class-roster", "Entered from paper").await;
            wait_for_text(c, "class-roster", "Not signed yet").await;
        }
        checked(c, "class-sheet", en).await;
        b.screenshot(&format!("{tag}-{lang}-360")).await;
        scroll_to(c, "paper-form").await;
        b.screenshot(&format!("{tag}-form-{lang}-360")).await;
        b.close().await;
    }
}

/// A ward adds a unit in the console at 360 px: a missing name named on its field and nothing
/// added; a primary school added outside Thông tư 124 (art. 1.2.b) in the same request, and the
/// registrations board below shows it so at once; in both languages.
async fn a_ward_adds_a_primary_school_outside_the_thong_tu(app: TestApp) {
    let tag = format!("console-add-unit-{:?}", app.backend).to_lowercase();
    app.add_user("canbo.donvi", Role::WardOfficer, "22759");
    let b = open(&app, "canbo.donvi", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=unit-form]").await;
    let units = app.count("units");
    select(c, "unit-kind", "school").await;
    wait_for(c, "#unit-exclusion").await;
    scroll_to(c, "unit-form").await;
    click(c, "[data-testid=unit-form] button[type=submit]").await;
    wait_for(c, "#err-name").await;
    assert_eq!(app.count("units"), units);
    fill(c, "unit-name", "Trường Tiểu học Phan Rang").await;
    select(c, "unit-exclusion", "primary_or_preschool").await;
    click(c, "[data-testid=unit-form] button[type=submit]").await;
    wait_for_text(c, "unit-added", "Trường Tiểu học Phan Rang").await;
    assert_eq!(app.count("units"), units + 1);
    // Emptied once added: a second press does not add it again.
    let left = bvantq_tests::browser::js(
        c,
        "return document.getElementById('unit-name').value;",
        vec![],
    )
    .await;
    assert_eq!(left, serde_json::json!(""));
    wait_for_text(c, "registration-units", "Trường Tiểu học Phan Rang").await;
    checked(c, "add-unit", false).await;
    b.screenshot(&format!("{tag}-vi-360")).await;
    b.close().await;

    let b = open(&app, "canbo.donvi", true).await;
    let c = &b.client;
    wait_for(c, "[data-testid=unit-form]").await;
    select(c, "unit-kind", "enterprise").await;
    wait_for_text(c, "unit-form", "Small or micro enterprise").await;
    checked(c, "add-unit", true).await;
    b.screenshot(&format!("{tag}-en-360")).await;
    b.close().await;
}

/// Opens the console at 360 px as `user`, a school's account, on its school's assessment.
async fn open_own_assessment(app: &TestApp, user: &str, en: bool) -> Browser {
    let tab = if en { "Assessments" } else { "Đánh giá" };
    let b = bvantq_tests::browser::open_section(app, user, tab, en).await;
    click_xpath(
        &b.client,
        "//ul[@data-testid='assess-units']//button[contains(., 'Lý Tự Trọng')]",
    )
    .await;
    b
}

/// Clicks `css` once brought above the assessment's outcome line (sticky at the bottom).
async fn press(c: &Client, css: &str) {
    bvantq_tests::browser::js(
        c,
        &format!("document.querySelector('{css}').scrollIntoView({{block: 'center'}});"),
        vec![],
    )
    .await;
    click(c, css).await;
}

/// A school's secretary declares its classes' emulation titles under its own assessment (TT 124
/// art. 7.6, «có từ 70% trở lên»): a bad count is named on its field and nothing is kept; 20 of
/// 30 classes fails criterion 6 on the data, 21 of 30 meets it; in both languages at 360 px.
async fn a_school_declares_its_classes_titles_in_its_assessment(app: TestApp) {
    let tag = format!("console-titles-{:?}", app.backend).to_lowercase();
    app.add_user("truong.thidua", Role::SchoolAdmin, "TH-22759-0001");
    let b = open_own_assessment(&app, "truong.thidua", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=assess-missing]").await;
    click(c, ".assessment button.secondary").await;
    wait_for(c, "[data-testid=titles-form]").await;
    let submit = "[data-testid=titles-form] button[type=submit]";
    fill(c, "titles-subunits", "30").await;
    fill(c, "titles-titled", "31").await;
    fill(c, "titles-titles", "Lớp tiên tiến").await;
    fill(c, "titles-document", "15/QĐ-THCS ngày 25/5/2026").await;
    press(c, submit).await;
    wait_for(c, "#err-titled").await;
    assert_eq!(app.count("subunit_titles"), 0);
    fill(c, "titles-titled", "20").await;
    press(c, submit).await;
    wait_for_text(c, "titles-current", "20/30").await;
    wait_for_text(c, "titles-current", "Chưa đạt").await;
    wait_for_text(c, "evidence-6", "20/30").await;
    fill(c, "titles-titled", "21").await;
    press(c, submit).await;
    wait_for_text(c, "titles-current", "21/30").await;
    wait_for_text(c, "evidence-6", "21/30").await;
    assert_eq!(app.count("subunit_titles"), 1);
    checked(c, "titles-form", false).await;
    b.screenshot(&format!("{tag}-vi-360")).await;
    b.close().await;

    let b = open_own_assessment(&app, "truong.thidua", true).await;
    let c = &b.client;
    wait_for_text(c, "titles-current", "Met").await;
    let kept = c
        .find(fantoccini::Locator::Id("titles-document"))
        .await
        .or_fail()
        .prop("value")
        .await
        .or_fail();
    assert_eq!(
        kept.as_deref(),
        Some("15/QĐ-THCS ngày 25/5/2026"),
        "the form holds the declaration"
    );
    checked(c, "titles-form", true).await;
    b.screenshot(&format!("{tag}-en-360")).await;
    b.close().await;
}

/// The province loads its own scorecard (the platform's is a provisional reading): each bad line
/// is named with its number, a scorecard short of 100 points is refused, a scorecard without its
/// document too, nothing is published; then its version of the commune set is published with its
/// cut-offs and listed with the document it comes from — at 360 px, in both languages.
async fn a_province_publishes_its_own_scorecard(app: TestApp) {
    let tag = format!("console-sets-{:?}", app.backend).to_lowercase();
    app.add_user("tinh.thangdiem", Role::ProvinceOfficer, "56");
    let b = open_results(&app, "tinh.thangdiem", false, "[data-testid=set-form]").await;
    let c = &b.client;
    wait_for_text(c, "province-sets", "chưa ban hành bộ tiêu chí riêng").await;
    select(c, "set-base", "tt124-commune-v2").await;
    let submit = "[data-testid=set-form] button[type=submit]";
    fill(
        c,
        "set-scorecard",
        "A | 40 | Tổ chức phong trào\nB | bốn mươi | Kết quả\nA | 20 | Trùng mã",
    )
    .await;
    scroll_to(c, "set-form").await;
    click(c, submit).await;
    wait_for_text_id(c, "err-scorecard-lines", "Dòng 2").await;
    wait_for_text_id(c, "err-scorecard-lines", "Dòng 3").await;
    wait_for(c, "#err-scorecard_source").await;
    fill(
        c,
        "set-scorecard",
        "A | 40 | Tổ chức phong trào\nB | 59 | Kết quả",
    )
    .await;
    fill(c, "set-source", "Quyết định 510/QĐ-UBND ngày 10/3/2026").await;
    click(c, submit).await;
    wait_for_text_id(c, "err-scorecard", "99").await;
    fill(c, "set-xuat-sac", "80").await;
    fill(c, "set-kha", "90").await;
    fill(c, "set-trung-binh", "60").await;
    fill(
        c,
        "set-scorecard",
        "A | 40 | Tổ chức phong trào | Organising the movement\nB | 60 | Kết quả | Results",
    )
    .await;
    click(c, submit).await;
    wait_for(c, "#err-bands").await;
    assert_eq!(app.count("criteria_sets"), 0);
    fill(c, "set-xuat-sac", "95").await;
    fill(c, "set-kha", "80").await;
    fill(c, "set-hours", "72").await;
    click(c, submit).await;
    wait_for(c, "[data-testid=set-published]").await;
    wait_for_text(c, "province-set-list", "Quyết định 510/QĐ-UBND").await;
    assert_eq!(app.count("criteria_sets"), 1);
    let sets = json(app.get("/api/v1/criteria-sets?kind=commune", None).await).await;
    let own = sets
        .as_array()
        .or_fail()
        .iter()
        .find(|x| x["province"] == "56")
        .cloned()
        .or_fail();
    assert_eq!(
        own["scorecard"][0]["title_en"], "Organising the movement",
        "{own}"
    );
    assert_eq!(own["bands"]["xuat_sac"], 95);
    assert_eq!(own["prompt_report_hours"], 72);
    checked(c, "province-sets", false).await;
    b.screenshot(&format!("{tag}-vi-360")).await;
    b.close().await;

    let b = open_results(&app, "tinh.thangdiem", true, "[data-testid=set-form]").await;
    let c = &b.client;
    wait_for_text(c, "province-set-list", "Scorecard from").await;
    checked(c, "province-sets", true).await;
    b.screenshot(&format!("{tag}-en-360")).await;
    b.close().await;
}

both!(
    a_province_publishes_its_own_scorecard,
    a_school_declares_its_classes_titles_in_its_assessment,
    a_ward_adds_a_primary_school_outside_the_thong_tu,
    a_form_teacher_enters_the_class_paper_forms,
    the_education_department_reads_its_schools,
    a_ward_keeps_its_models_and_teams_in_the_console,
    a_ward_keeps_the_registrations_in_the_console,
    a_ward_records_the_events_of_criterion_4,
    a_school_records_its_briefings,
);
