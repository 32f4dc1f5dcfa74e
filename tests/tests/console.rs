//! The officer console (`/console`) in headless Chromium: a ward officer signs in, works a tip
//! from the queue, and what they did is what the API, the reporter and the audit log see.

use bvantq_tests::OrFail;
use std::time::Duration;

use base64::Engine;
use bvantq_shared::Role;
use bvantq_tests::browser::{
    Browser, click, click_xpath, contrast_failures, fill, js, no_sideways_scroll, select, sign_in,
    untranslated, wait_for, wait_for_text, wait_for_text_id,
};
use bvantq_tests::{TEST_PASSWORD, TestApp, both, fixture, json};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

const COMMUNE: &str = "22333";
const DESCRIPTION: &str = "Có nhóm người mua bán ma túy ở bến xe phía Bắc mỗi đêm.";

async fn submit_tip(app: &TestApp, commune: &str, description: &str, photo: bool) -> String {
    let mut body =
        json!({"category": "drugs", "description": description, "commune_code": commune});
    if photo {
        let bytes = std::fs::read(fixture("photo-gps.jpg")).unwrap_or_else(|e| panic!("{e}"));
        body["photos"] = json!([{"data": base64::engine::general_purpose::STANDARD.encode(bytes)}]);
    }
    let key = format!("tip-{}", bvantq_api::infra::db::new_id());
    let r = app.post("/api/v1/tips", &body, None, Some(&key)).await;
    assert_eq!(r.status(), 201);
    json(r).await["receipt_code"].as_str().or_fail().to_string()
}

async fn session(c: &Client) -> Value {
    let raw = js(
        c,
        "return sessionStorage.getItem('bvantq.console.session');",
        vec![],
    )
    .await;
    raw.as_str()
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or(Value::Null)
}

fn english_left(left: Vec<String>) -> Vec<String> {
    // The language button names the other language in that language, on purpose.
    left.into_iter()
        .filter(|t| t.trim() != "Tiếng Việt")
        .collect()
}

async fn officer_works_a_tip_in_the_console(app: TestApp) {
    let tag = format!("console-{:?}", app.backend).to_lowercase();
    let code = submit_tip(&app, COMMUNE, DESCRIPTION, true).await;
    // Another commune's tip never shows in this ward's queue.
    submit_tip(&app, "22366", "Trộm cắp xe máy ở chợ.", false).await;
    app.add_user("canbo.bacnhatrang", Role::WardOfficer, COMMUNE);

    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    // A wrong password gets the server's own message; nothing is stored.
    sign_in(c, "canbo.bacnhatrang", "not-the-password").await;
    wait_for_text(c, "login-error", "Tên đăng nhập hoặc mật khẩu không đúng").await;
    assert_eq!(session(c).await, Value::Null);

    sign_in(c, "canbo.bacnhatrang", TEST_PASSWORD).await;
    wait_for_text(c, "queue", "Ma túy").await;
    let queue = wait_for(c, "[data-testid=queue]")
        .await
        .text()
        .await
        .or_fail();
    assert_eq!(
        queue.matches("Ma túy").count(),
        1,
        "only this commune's tip: {queue}"
    );
    assert!(!queue.contains("Trộm"), "no content in the list: {queue}");
    // One open tip in the counts (loaded just after the list).
    wait_exact(c, "open-count", "1").await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-queue-360")).await;

    // Opening the tip reads its content (audited) and its photo.
    click(c, ".tip-open").await;
    wait_for_text(c, "tip-description", "bến xe phía Bắc").await;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("img.tip-photo"))
        .await
        .unwrap_or_else(|e| panic!("the photo did not show: {e}"));
    let loaded = js(
        c,
        "const i = document.querySelector('img.tip-photo'); \
         return new Promise(r => { const ok = () => r(i.naturalWidth); \
           if (i.complete) ok(); else i.onload = ok; setTimeout(() => r(0), 5000); });",
        vec![],
    )
    .await;
    assert!(loaded.as_u64().unwrap_or(0) > 0, "photo decoded: {loaded}");
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-tip-top-360")).await;

    // The clock of the commune's stage names its rule: an ordinary tip is to be transferred
    // within 7 days (TT 28/2020 art. 7).
    wait_for_text(
        c,
        "tip-rule",
        "Chuyển Cơ quan điều tra trong 7 ngày — TT 28/2020 Đ.7",
    )
    .await;
    // Counted in days: its last day (24:00 on 9 March), not the next day's 00:00.
    let facts = wait_for(c, "dl.facts").await.text().await.or_fail();
    assert!(
        facts.contains("09/03/2026") && !facts.contains("10/03/2026"),
        "{facts}"
    );
    // A reason left out is refused in the browser with the server's message, on its field.
    click(c, "form.step button.secondary").await;
    wait_for(c, "#err-step-reason").await;
    wait_for(c, "#err-step-step").await;
    let token = session(c).await["access_token"]
        .as_str()
        .or_fail()
        .to_string();
    let id = json(app.get("/api/v1/tips?limit=5", Some(&token)).await).await["items"][0]["id"]
        .as_str()
        .or_fail()
        .to_string();
    let server = json(
        app.post(
            &format!("/api/v1/tips/{id}/steps"),
            &json!({"step": "check"}),
            Some(&token),
            None,
        )
        .await,
    )
    .await;
    let shown = wait_for(c, "#err-step-reason").await.text().await.or_fail();
    assert_eq!(
        Some(shown.as_str()),
        server["errors"][0]["message_vi"].as_str(),
        "{server}"
    );

    // Reply to the reporter, write an internal note, move the tip on with a reason, take it.
    fill(c, "reply-body", "Cảm ơn bạn, chúng tôi đang xác minh.").await;
    click(c, "form.reply button.secondary").await;
    wait_for_text(c, "officer-thread", "đang xác minh").await;
    fill(c, "note-body", "Nội bộ: đối chiếu camera bến xe.").await;
    click(c, "form.note button.secondary").await;
    wait_for_text(c, "officer-thread", "camera bến xe").await;
    // The commune's steps only: no decision is offered to a ward officer.
    let offered = wait_for(c, "#step-step").await.text().await.or_fail();
    assert!(offered.contains("Chuyển Cơ quan điều tra"), "{offered}");
    assert!(!offered.contains("khởi tố"), "{offered}");
    select(c, "step-step", "check").await;
    fill(c, "step-reason", "Tin có căn cứ ban đầu, cần xác minh.").await;
    click(c, "form.step button.secondary").await;
    wait_for_text(c, "tip-status", "Đang kiểm tra, xác minh sơ bộ").await;
    click(c, ".assign button").await;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//div[contains(@class,'assign')]/button[contains(., 'Bỏ nhận')]",
        ))
        .await
        .unwrap_or_else(|e| panic!("assignment did not show: {e}"));
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-tip-360")).await;

    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "tip page contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");

    // What the reporter sees: the reply and the new status, never the note.
    let seen = json(
        app.post(
            "/api/v1/tips/follow-up",
            &json!({"receipt_code": code}),
            None,
            None,
        )
        .await,
    )
    .await;
    assert_eq!(seen["status"], "verifying", "{seen}");
    let text = seen["messages"].to_string();
    assert!(text.contains("đang xác minh"), "{seen}");
    assert!(!text.contains("camera"), "an internal note leaked: {seen}");
    // And the record (which the province reads): the content read, the photo read, each action.
    let province = app.login_as(Role::ProvinceOfficer, "56").await;
    let audit = json(
        app.get(&format!("/api/v1/tips/{id}/audit"), Some(&province))
            .await,
    )
    .await;
    let actions: Vec<&str> = audit
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["action"].as_str())
        .collect();
    for a in [
        "tip.read",
        "tip.photo.read",
        "tip.officer",
        "tip.note",
        "tip.transition",
        "tip.assign",
    ] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    let d = json(app.get(&format!("/api/v1/tips/{id}"), Some(&token)).await).await;
    let me = json(app.get("/api/v1/auth/me", Some(&token)).await).await;
    assert_eq!(d["assigned_to"], me["id"]);

    // English: every interface string of the tip page and the queue switches.
    click(c, "button.lang").await;
    wait_for_text(c, "tip-status", "Preliminary check").await;
    let left = english_left(untranslated(c).await);
    assert!(left.is_empty(), "tip page left in Vietnamese: {left:?}");
    click(c, ".tip-view .back").await;
    wait_for_text(c, "queue", "Drugs").await;
    let left = english_left(untranslated(c).await);
    assert!(left.is_empty(), "queue left in Vietnamese: {left:?}");
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "queue contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");
    b.screenshot(&format!("{tag}-queue-en-360")).await;

    // An expired or tampered access token is renewed with the refresh token, once.
    let before = session(c).await;
    js(
        c,
        "const s = JSON.parse(sessionStorage.getItem('bvantq.console.session')); \
         s.access_token = 'not-a-token'; \
         sessionStorage.setItem('bvantq.console.session', JSON.stringify(s));",
        vec![],
    )
    .await;
    c.refresh().await.unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(c, "queue", "Drugs").await;
    let after = session(c).await;
    assert_ne!(after["refresh_token"], before["refresh_token"], "rotated");
    assert_ne!(after["access_token"], "not-a-token");
    // The old refresh token is spent: the server would take its reuse for theft.
    let reuse = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": before["refresh_token"]}),
            None,
            None,
        )
        .await;
    assert_eq!(reuse.status(), 401);
}

/// Signing out ends the session on the server too; a tab whose session cannot be renewed goes
/// back to the sign-in page and says why.
async fn signing_out_and_expiry(app: TestApp) {
    app.add_user("canbo.thoat", Role::WardOfficer, COMMUNE);
    let b = Browser::start(1280, 800).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "canbo.thoat", TEST_PASSWORD).await;
    wait_for(c, "[data-testid=queue-empty]").await;
    let who = wait_for(c, "[data-testid=who]")
        .await
        .text()
        .await
        .or_fail();
    assert!(who.contains("canbo.thoat"), "{who}");
    wait_for_text(c, "who", "Bắc Nha Trang").await;
    b.screenshot("console-desk-1280").await;
    // A ward officer is offered statistics, not the audit log (a province's oversight).
    wait_for(c, "button.mode").await;
    let modes = js(
        c,
        "return Array.from(document.querySelectorAll('button.mode')).map(b => b.textContent);",
        vec![],
    )
    .await
    .to_string();
    assert!(
        modes.contains("Thống kê") && !modes.contains("Nhật ký"),
        "{modes}"
    );
    // Under the page's policy an injected inline script does not run (the console itself does).
    let ran = js(
        c,
        "window.__injected = false; const s = document.createElement('script'); \
         s.textContent = 'window.__injected = true'; document.body.append(s); \
         return window.__injected;",
        vec![],
    )
    .await;
    assert_eq!(ran, Value::Bool(false), "an injected script ran");
    let s = session(c).await;
    click(c, ".who-bar button.sign-out").await;
    wait_for(c, "form.login").await;
    assert_eq!(session(c).await, Value::Null);
    let r = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": s["refresh_token"]}),
            None,
            None,
        )
        .await;
    assert_eq!(r.status(), 401, "the refresh token was revoked at sign-out");

    // A session whose tokens are both dead: back to sign-in, with the reason.
    sign_in(c, "canbo.thoat", TEST_PASSWORD).await;
    wait_for(c, "[data-testid=queue-empty]").await;
    js(
        c,
        "const s = JSON.parse(sessionStorage.getItem('bvantq.console.session')); \
         s.access_token = 'x'; s.refresh_token = 'y'; \
         sessionStorage.setItem('bvantq.console.session', JSON.stringify(s));",
        vec![],
    )
    .await;
    c.refresh().await.unwrap_or_else(|e| panic!("{e}"));
    let notice = wait_for(c, "form.login .notice")
        .await
        .text()
        .await
        .or_fail();
    assert!(notice.contains("hết hạn"), "{notice}");
    assert_eq!(session(c).await, Value::Null);

    // Their own password: a wrong current one is named on its field; then changed, this session
    // goes on and the new password signs in.
    sign_in(c, "canbo.thoat", TEST_PASSWORD).await;
    wait_for(c, "[data-testid=queue-empty]").await;
    click_xpath(
        c,
        "//nav[contains(@class,'who-bar')]//button[contains(., 'Đổi mật khẩu')]",
    )
    .await;
    wait_for(c, "form.change-password").await;
    fill(c, "current_password", "khong-phai-mat-khau").await;
    fill(c, "new_password", "mat-khau-rieng-2026").await;
    click(c, "form.change-password button.primary").await;
    wait_for(c, "#err-current_password").await;
    fill(c, "current_password", TEST_PASSWORD).await;
    fill(c, "new_password", "mat-khau-rieng-2026").await;
    click(c, "form.change-password button.primary").await;
    wait_for(c, "[data-testid=password-changed]").await;
    let s = session(c).await;
    let r = app
        .post(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": s["refresh_token"]}),
            None,
            None,
        )
        .await;
    assert_eq!(
        r.status(),
        200,
        "this tab's session goes on with the new tokens"
    );
    assert_eq!(
        app.login("canbo.thoat", "mat-khau-rieng-2026").await["user"]["role"],
        "ward_officer"
    );
}

/// Approved results for period 2025: `(unit code, recognised, class)`.
fn approve(app: &TestApp, results: &[(&str, bool, bvantq_shared::Classification)]) {
    use bvantq_api::assessments::store::{AssessmentRow, insert};
    use diesel::prelude::*;
    for (code, recognised, class) in results {
        let (path, kind): (String, bvantq_shared::UnitKind) =
            bvantq_api::infra::db::schema::units::table
                .filter(bvantq_api::infra::db::schema::units::code.eq(*code))
                .select((
                    bvantq_api::infra::db::schema::units::path,
                    bvantq_api::infra::db::schema::units::kind,
                ))
                .first(&mut *app.conn())
                .unwrap_or_else(|e| panic!("{code}: {e}"));
        let row = AssessmentRow {
            id: bvantq_api::infra::db::new_id(),
            unit_code: (*code).into(),
            unit_path: path,
            unit_kind: kind,
            period: 2025,
            set_id: format!("tt124-{kind}-v1"),
            status: bvantq_shared::AssessmentStatus::Approved,
            answers: "{}".into(),
            evidence: None,
            score: Some(80),
            classification: Some(*class),
            recognised: Some(*recognised),
            review_comment: None,
            created_by: "test".into(),
            created_at: bvantq_tests::t0(),
            updated_at: bvantq_tests::t0(),
            submitted_by: None,
            submitted_at: None,
            reviewed_by: None,
            reviewed_at: None,
            seq: 1,
            decision_number: None,
            decision_date: None,
            decision_signer: None,
        };
        insert(&mut app.conn(), &row).unwrap_or_else(|e| panic!("{e}"));
    }
}

/// Province staff see the province against its plan (the Ninh Thuận plan, through the 2025
/// merger), open a commune, and download the November report.
async fn province_results_against_the_plan(app: TestApp) {
    let tag = format!("console-results-{:?}", app.backend).to_lowercase();
    approve(
        &app,
        &[
            ("22333", true, bvantq_shared::Classification::XuatSac),
            ("22366", false, bvantq_shared::Classification::Yeu),
        ],
    );
    app.add_user("tinh.thu", Role::ProvinceOfficer, "56");
    let token = app.login_as(Role::ProvinceOfficer, "56").await;
    let api = json(
        app.get("/api/v1/dashboard?unit=56&period=2025", Some(&token))
            .await,
    )
    .await;

    let b = Browser::start(360, 640).await;
    let c = &b.client;
    let downloads = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    b.cdp(
        "Browser.setDownloadBehavior",
        json!({"behavior": "allow", "downloadPath": downloads.path().display().to_string()}),
    )
    .await;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "tinh.thu", TEST_PASSWORD).await;
    // A province officer starts on the tip queue of the whole province; the results are a tab.
    wait_for(c, "[data-testid=totals]").await;
    click_xpath(c, "//nav[@class='sections']/button[contains(., 'Kết quả')]").await;
    wait_for_text(c, "results-title", "Khánh").await;
    select(c, "period", "2025").await;
    wait_for_text(c, "plan", "Ninh Thuận").await;

    // What the page shows is what the API says.
    let targets = wait_for(c, "[data-testid=targets]")
        .await
        .text()
        .await
        .or_fail();
    let checks = api["unit"]["targets"].as_array().cloned().or_fail();
    assert!(!checks.is_empty(), "{api}");
    let met = checks.iter().filter(|t| t["met"] == true).count();
    assert_eq!(
        targets.matches("Chưa đạt").count(),
        checks.len() - met,
        "{targets}"
    );
    let plan = wait_for(c, "[data-testid=plan]")
        .await
        .text()
        .await
        .or_fail();
    assert!(plan.contains(&format!("{met}/{}", checks.len())), "{plan}");
    let groups = wait_for(c, "[data-testid=groups]")
        .await
        .text()
        .await
        .or_fail();
    // Two communes approved, one of them recognised.
    let communes = api["unit"]["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|g| g["group"] == "commune")
        .cloned()
        .or_fail();
    assert_eq!(communes["safe"], 1, "{communes}");
    let pct = communes["safe_percent"].as_f64().or_fail();
    let shown = format!(
        "1 ({}%)",
        format!("{pct}").replace(".0", "").replace('.', ",")
    );
    assert!(groups.contains(&shown), "{shown} in {groups}");
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-province-360")).await;
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "results contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");

    // The November report, as the province sends it.
    click(c, ".results .toolbar button.secondary").await;
    let mut file = None;
    for _ in 0..50 {
        file = std::fs::read_dir(downloads.path())
            .ok()
            .and_then(|mut d| d.next())
            .and_then(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "xlsx"));
        if file.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let file = file.unwrap_or_else(|| panic!("no report downloaded"));
    assert_eq!(
        file.file_name().and_then(|n| n.to_str()),
        Some("bao-cao-56-2025.xlsx")
    );
    let bytes = std::fs::read(&file).or_fail();
    assert!(bytes.starts_with(b"PK"), "an XLSX (zip) file");

    // A commune opens its own page; back up to the province.
    click_xpath(
        c,
        "//table[@data-testid='children']//button[contains(., 'Bắc Nha Trang')]",
    )
    .await;
    wait_for_text(c, "results-title", "Bắc Nha Trang").await;
    click(c, ".results .back").await;
    wait_for_text(c, "results-title", "Khánh").await;

    // In English, nothing of the interface is left in Vietnamese.
    click(c, "button.lang").await;
    wait_for_text(c, "plan", "targets met").await;
    let left = english_left(untranslated(c).await);
    assert!(left.is_empty(), "results left in Vietnamese: {left:?}");
    b.screenshot(&format!("{tag}-province-en-360")).await;
    js(
        c,
        "document.querySelector('[data-testid=targets]').scrollIntoView();",
        vec![],
    )
    .await;
    b.screenshot(&format!("{tag}-targets-en-360")).await;
}

/// A province officer publishes the province's 2026–2030 plan in the console at 360 px: the
/// results open on today's period (2027 on 2 December 2026) and say plainly that no plan applies;
/// a draft is refused field by field in the browser; once published, its targets show against the
/// results; in English nothing is left in Vietnamese.
async fn province_publishes_its_plan(app: TestApp) {
    let tag = format!("console-plan-{:?}", app.backend).to_lowercase();
    app.clock.advance(chrono::TimeDelta::days(275));
    app.add_user("tinh.kehoach", Role::ProvinceOfficer, "56");
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "tinh.kehoach", TEST_PASSWORD).await;
    wait_for(c, "[data-testid=totals]").await;
    click_xpath(c, "//nav[@class='sections']/button[contains(., 'Kết quả')]").await;
    wait_for_text(c, "results-title", "Khánh").await;
    let period = js(c, "return document.getElementById('period').value;", vec![]).await;
    assert_eq!(period, "2027", "the results open on today's period");
    wait_for_text(c, "no-plan", "Không có kế hoạch nào áp dụng cho kỳ này").await;
    // The reporting year of the province: the units' reports by 15/11, the province's by 20/11.
    wait_for_text(c, "calendar", "15/11/2026").await;
    wait_for_text(c, "calendar", "20/11/2026").await;

    click(c, "[data-testid=new-plan]").await;
    wait_for(c, "[data-testid=plan-editor]").await;
    fill(c, "targets.0.min", "95").await;
    click(c, "[data-testid=plan-editor] button[type=submit]").await;
    // Checked in the browser by the server's parser: the titles are missing.
    wait_for(c, "#err-title_vi").await;
    fill(
        c,
        "plan-title-vi",
        "Kế hoạch thực hiện phong trào giai đoạn 2026–2030",
    )
    .await;
    fill(c, "plan-title-en", "Plan for the movement 2026–2030").await;
    fill(c, "plan-from", "2026").await;
    fill(c, "plan-to", "2030").await;
    click_xpath(
        c,
        "//form[@data-testid='plan-editor']//button[contains(., 'Thêm chỉ tiêu')]",
    )
    .await;
    wait_for(c, "[data-testid=target-1]").await;
    select(c, "targets.1.metric", "weak_count").await;
    fill(c, "targets.1.max", "0").await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-editor-360")).await;
    click(c, "[data-testid=plan-editor] button[type=submit]").await;
    wait_for_text(c, "plans", "Dự thảo").await;
    js(c, "window.confirm = () => true;", vec![]).await;
    click_xpath(
        c,
        "//ul[@data-testid='plans']//li[contains(., '2026–2030')]//button[contains(., 'Ban hành')]",
    )
    .await;
    // Published: the results read the plan in force again and judge each target.
    wait_for_text(c, "plan", "giai đoạn 2026–2030").await;
    let targets = wait_for(c, "[data-testid=targets]")
        .await
        .text()
        .await
        .or_fail();
    assert_eq!(targets.matches("Chưa đạt").count(), 1, "{targets}");
    // ("Chưa đạt" does not contain the capital "Đạt".)
    assert_eq!(
        targets.matches("Đạt").count(),
        1,
        "none weak is met: {targets}"
    );
    wait_for_text(c, "plans", "Đã ban hành").await;
    let api = json(
        app.get(
            "/api/v1/dashboard?unit=56&period=2027",
            Some(&app.login_as(Role::ProvinceOfficer, "56").await),
        )
        .await,
    )
    .await;
    assert_eq!(
        api["plan"]["title_vi"],
        "Kế hoạch thực hiện phong trào giai đoạn 2026–2030"
    );
    no_sideways_scroll(c).await;
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "plans contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");
    b.screenshot(&format!("{tag}-published-360")).await;
    click(c, "button.lang").await;
    wait_for_text(c, "plan", "targets met").await;
    let left = english_left(untranslated(c).await);
    assert!(left.is_empty(), "plans left in Vietnamese: {left:?}");
    js(
        c,
        "document.querySelector('[data-testid=plan-desk]').scrollIntoView();",
        vec![],
    )
    .await;
    b.screenshot(&format!("{tag}-plans-en-360")).await;
}

/// Waits for the element with `data-testid` `testid` to read exactly `text`.
async fn wait_exact(c: &Client, testid: &str, text: &str) {
    let xpath = format!("//*[@data-testid='{testid}'][normalize-space(.)='{text}']");
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("[{testid}] never read {text:?}: {e}"));
}

/// Scrolls `css` to the middle of the screen, as a person would before tapping it (the
/// assessment's live outcome sticks to the bottom edge), then clicks it.
async fn tap(c: &Client, css: &str) {
    js(
        c,
        "document.querySelector(arguments[0]).scrollIntoView({block: 'center'});",
        vec![css.into()],
    )
    .await;
    click(c, css).await;
}

async fn text_of(c: &Client, testid: &str) -> String {
    wait_for(c, &format!("[data-testid={testid}]"))
        .await
        .text()
        .await
        .or_fail()
}

/// A school secretary runs the year's student pledge from the console: creates the campaign,
/// shares its code, imports a class list (a bad row is reported and nothing is written until
/// they choose), sees coverage move, voids a pledge with a reason, and moves the window.
async fn school_runs_a_campaign(app: TestApp) {
    let tag = format!("console-campaign-{:?}", app.backend).to_lowercase();
    app.add_user("thuky.lytutrong", Role::SchoolAdmin, "TH-22759-0001");
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "thuky.lytutrong", TEST_PASSWORD).await;
    // A school admin starts on the campaigns; no tip queue is offered.
    wait_for(c, "[data-testid=new-campaign]").await;
    click(c, "[data-testid=new-campaign]").await;
    assert!(
        c.find(Locator::XPath(
            "//nav[@class='sections']/button[contains(., 'Tin báo')]"
        ))
        .await
        .is_err(),
        "no tips section for a school"
    );
    // Nothing filled in: the shared parser names the title and the classes.
    wait_for(c, "#unit-LH-22759-0001").await;
    click(c, "form.new-campaign button.primary").await;
    wait_for(c, "#err-title").await;
    let units_error = wait_for(c, "fieldset .field-error")
        .await
        .text()
        .await
        .or_fail();
    assert!(!units_error.is_empty());
    fill(c, "title", "Cam kết học sinh năm học 2026").await;
    click(c, "#unit-LH-22759-0001").await;
    js(
        c,
        "document.getElementById('opens_on').value = '2026-03-01';",
        vec![],
    )
    .await;
    click(c, "form.new-campaign button.primary").await;
    let code = text_of(c, "campaign-code").await;
    assert_eq!(code.len(), 6, "{code}");
    let public = json(app.get(&format!("/api/v1/campaigns/{code}"), None).await).await;
    assert_eq!(public["title"], "Cam kết học sinh năm học 2026", "{public}");
    assert_eq!(public["open"], true, "{public}");
    let link = text_of(c, "campaign-link").await;
    assert!(link.ends_with(&format!("/k/{code}")), "{link}");
    let qr = js(
        c,
        "const i = document.querySelector('img.qr');          return new Promise(r => { const ok = () => r(i.naturalWidth);            if (i.complete) ok(); else i.onload = ok; setTimeout(() => r(0), 5000); });",
        vec![],
    )
    .await;
    assert!(qr.as_u64().unwrap_or(0) > 0, "the QR code shows: {qr}");
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-share-360")).await;

    // The class list: one bad date. Nothing is written until the secretary chooses.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("lop-6a.csv");
    std::fs::write(
        &csv,
        "ho_ten,ngay_sinh,cccd\nNguyễn Văn An,2013-01-15,\nTrần Thị Bình,31/02/2013,\nLê Văn Cường,2013-04-20,\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let upload = |c: &Client| {
        let path = csv.display().to_string();
        let c = c.clone();
        async move {
            c.find(Locator::Id("roster-file"))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .send_keys(&path)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
        }
    };
    upload(c).await;
    click(c, "form.roster button.secondary").await;
    wait_for_text(c, "roster-report", "Dòng 3").await;
    let report = text_of(c, "roster-report").await;
    assert!(report.contains("Chưa nhập"), "{report}");
    assert_eq!(app.count("roster_entries"), 0);
    b.screenshot(&format!("{tag}-roster-360")).await;
    click(c, "#roster-partial").await;
    upload(c).await;
    click(c, "form.roster button.secondary").await;
    wait_for_text(c, "roster-report", "Đã nhập").await;
    assert_eq!(app.count("roster_entries"), 2);
    wait_exact(c, "coverage-expected", "2").await;
    wait_exact(c, "coverage-signed", "0").await;

    // A student signs (with a guardian); the list and the coverage show it.
    let kid = json!({"unit_code": "LH-22759-0001", "full_name": "Nguyễn Văn An", "birth_date": "2013-01-15",
        "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true,
        "guardian": {"name": "Nguyễn Văn Hùng", "relation": "bố", "phone": "0905123456"}});
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &kid,
            None,
            Some("sign-an"),
        )
        .await;
    assert_eq!(r.status(), 201);
    fill(c, "pledge-search", "nguyen van an").await;
    click(c, ".pledges button.secondary").await;
    wait_for_text(c, "pledges", "Nguyễn Văn An").await;
    assert!(text_of(c, "pledges").await.contains("Có trong danh sách"));
    // Verified by the school; the list and the coverage reload.
    click(c, ".pledges .queue button.secondary").await;
    wait_for_text(c, "pledges", "Đã xác minh").await;
    wait_exact(c, "coverage-signed", "1").await;

    // Voiding needs a reason; the pledge is kept, no longer counted.
    click(c, ".pledge-row button[type=button]").await;
    click(c, ".pledge-row form[novalidate] button").await;
    wait_for(c, ".pledge-row .field-error").await;
    let id_input = wait_for(c, ".pledge-row input")
        .await
        .attr("id")
        .await
        .ok()
        .flatten()
        .or_fail();
    fill(c, &id_input, "Ký nhầm lớp").await;
    click(c, ".pledge-row form[novalidate] button").await;
    wait_for_text(c, "pledges", "Đã hủy").await;
    wait_exact(c, "coverage-signed", "0").await;
    assert_eq!(app.count("pledges"), 1, "voided, not deleted");

    // The window: an end before the start is refused in the browser; a good one is saved.
    js(
        c,
        "document.getElementById('window-closes_on').value = '2026-02-01';",
        vec![],
    )
    .await;
    click(c, "form.window button.secondary").await;
    wait_for(c, "form.window .field-error").await;
    js(
        c,
        "document.getElementById('window-closes_on').value = '2027-01-31';",
        vec![],
    )
    .await;
    click(c, "form.window button.secondary").await;
    wait_for(c, "[data-testid=window-saved]").await;
    let public = json(app.get(&format!("/api/v1/campaigns/{code}"), None).await).await;
    assert_eq!(public["closes_on"], "2027-01-31", "{public}");
    no_sideways_scroll(c).await;
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "campaign page contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");

    // English, all of it.
    click(c, "button.lang").await;
    wait_for_text(c, "pledges", "Void").await;
    let left = english_left(untranslated(c).await);
    assert!(
        left.is_empty(),
        "campaign page left in Vietnamese: {left:?}"
    );
    b.screenshot(&format!("{tag}-en-360")).await;
}

/// The ward prepares a residential area's assessment: the platform's evidence beside criterion
/// 1, a reason required to answer against it, the outcome computed live as the shared function
/// computes it (one failed criterion: not recognised, classed by the score alone); the head of
/// the area submits it; the commune's leader recognises it by a decision (TT 124 art. 9) — a
/// missing or future date named on its field — and it locks.
async fn ward_assesses_a_residential_area(app: TestApp) {
    let tag = format!("console-assess-{:?}", app.backend).to_lowercase();
    const AREA: &str = "KD-22333-0001";
    let ward = app.login_as(Role::WardOfficer, COMMUNE).await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết hộ gia đình 2026", &[AREA])
        .await;
    app.add_user("canbo.danhgia", Role::WardOfficer, COMMUNE);

    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "canbo.danhgia", TEST_PASSWORD).await;
    wait_for(c, "[data-testid=totals]").await;
    // No household list: the ward declares the area's 10 households in the campaign.
    click_xpath(c, "//nav[@class='sections']/button[contains(., 'Cam kết')]").await;
    click_xpath(
        c,
        "//ul[@data-testid='campaigns']//button[contains(., 'Cam kết hộ gia đình 2026')]",
    )
    .await;
    wait_exact(c, "coverage-expected", "0").await;
    fill(c, "declared-expected", "-5").await;
    tap(c, "form.declared button.secondary").await;
    wait_for(c, "form.declared .field-error").await;
    fill(c, "declared-expected", "10").await;
    tap(c, "form.declared button.secondary").await;
    wait_for(c, "[data-testid=declared-saved]").await;
    wait_exact(c, "coverage-expected", "10").await;
    let _ = &ward;
    click_xpath(
        c,
        "//nav[@class='sections']/button[contains(., 'Đánh giá')]",
    )
    .await;
    click_xpath(
        c,
        "//ul[@data-testid='assess-units']//button[contains(., 'Tổ dân phố 1')]",
    )
    .await;
    wait_for(c, "[data-testid=assess-missing]").await;
    click(c, ".assessment button.secondary").await;
    // The platform's evidence: 0 of 10 households pledged, criterion 1 fails.
    wait_for_text(c, "evidence-1", "0/10").await;
    assert!(
        text_of(c, "evidence-1").await.contains(&code),
        "the campaign is named"
    );
    let outcome = text_of(c, "assess-outcome").await;
    assert!(outcome.contains("còn thiếu"), "{outcome}");
    // The chi bộ's resolution, scanned, attached to criterion 1 (art. 4.1): listed under it, with
    // its size, for whoever reads the assessment.
    wait_for(c, "[data-testid=evidence-form]").await;
    select(c, "evidence-criterion", "1").await;
    c.find(Locator::Css("#evidence-file"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .send_keys(&fixture("photo-meta.png").to_string_lossy())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // (The outcome line stays at the bottom of the screen: the button is brought above it.)
    js(
        c,
        "document.querySelector('[data-testid=evidence-form] button[type=submit]')\
            .scrollIntoView({block: 'center'});",
        vec![],
    )
    .await;
    click(c, "[data-testid=evidence-form] button[type=submit]").await;
    wait_for_text(c, "evidence-list", "photo-meta.png").await;
    wait_for_text(c, "evidence-list", "Tiêu chí 1").await;
    assert_eq!(app.count("assessment_files"), 1);
    b.screenshot(&format!("{tag}-evidence-file-360")).await;

    // Answering against the evidence needs a reason: refused in the browser.
    tap(c, "#crit-1-pass").await;
    wait_for(c, "#crit-1-reason").await;
    for crit in ["2", "3", "4", "5"] {
        tap(c, &format!("#crit-{crit}-pass")).await;
    }
    // No Tổ bảo vệ kept on the platform: criterion 5 (art. 4.5) answered from the paper review,
    // with its reason.
    wait_for(c, "#crit-5-reason").await;
    fill(c, "crit-5-reason", "Biên bản đánh giá Tổ bảo vệ trên giấy.").await;
    for (item, points) in [
        ("A", "15"),
        ("B", "20"),
        ("C", "15"),
        ("D", "25"),
        ("E", "15"),
        ("F", "5"),
    ] {
        fill(c, &format!("score-{item}"), points).await;
    }
    click_xpath(c, "//button[contains(., 'Lưu nháp')]").await;
    wait_for(c, "li[data-criterion='1'] .field-error").await;
    assert_eq!(
        app.count("assessments"),
        1,
        "only the empty draft was written"
    );

    // With the evidence, criterion 1 fails (not registered in quarter I, art. 4.1): 95 points,
    // not recognised, classed by the score alone.
    tap(c, "#crit-1-fail").await;
    wait_for_text(c, "assess-outcome", "95/100").await;
    let outcome = text_of(c, "assess-outcome").await;
    assert!(
        outcome.contains("Chưa đạt") && outcome.contains("Xuất sắc"),
        "{outcome}"
    );
    assert!(
        text_of(c, "scorecard-source").await.contains("tạm thời"),
        "the provisional scorecard is labelled"
    );
    b.screenshot(&format!("{tag}-not-recognised-360")).await;
    // Against the evidence, with a reason: recognised, xuất sắc.
    tap(c, "#crit-1-pass").await;
    fill(
        c,
        "crit-1-reason",
        "Các hộ đã ký phiếu giấy, đang nhập vào hệ thống.",
    )
    .await;
    wait_for_text(c, "assess-outcome", "Đạt «An toàn").await;
    assert!(!text_of(c, "assess-outcome").await.contains("Chưa đạt"));
    // The ward prepares: it saves, and the head of the area proposes (TT 124 art. 9).
    assert!(
        text_of(c, "assess-authority")
            .await
            .contains("Trưởng thôn/Tổ trưởng tổ dân phố gửi đề nghị"),
        "who proposes is named"
    );
    wait_for(c, "[data-testid=assess-prepare-only]").await;
    click_xpath(c, "//button[contains(., 'Lưu nháp')]").await;
    wait_for(c, "[data-testid=assess-saved]").await;
    let submit_buttons = js(
        c,
        "return [...document.querySelectorAll('button')].filter(b => b.textContent.includes('Nộp lên cấp trên')).length;",
        vec![],
    )
    .await;
    assert_eq!(submit_buttons, json!(0), "the ward does not submit");
    click(c, ".who-bar button.sign-out").await;

    // The head of the area submits.
    app.add_user("truong.khupho", Role::AreaHead, AREA);
    sign_in(c, "truong.khupho", TEST_PASSWORD).await;
    click_xpath(
        c,
        "//ul[@data-testid='assess-units']//button[contains(., 'Tổ dân phố 1')]",
    )
    .await;
    wait_for_text(c, "assess-status", "Bản nháp").await;
    click_xpath(c, "//button[contains(., 'Nộp lên cấp trên')]").await;
    wait_for_text(c, "assess-status", "Đã nộp").await;
    let a = json(
        app.get(&format!("/api/v1/assessments/{AREA}/2026"), Some(&ward))
            .await,
    )
    .await;
    assert_eq!(a["status"], "submitted", "{a}");
    assert_eq!(a["outcome"]["score"], 95, "{a}");
    assert_eq!(a["outcome"]["classification"], "xuat_sac", "{a}");
    assert_eq!(
        a["answers"]["criteria"]["1"]["override_reason"],
        "Các hộ đã ký phiếu giấy, đang nhập vào hệ thống."
    );
    b.screenshot(&format!("{tag}-submitted-by-head-360")).await;
    click(c, ".who-bar button.sign-out").await;

    // The commune's leader recognises it by a decision: without one the server names the field
    // and nothing changes; with it the assessment is approved, locked, and the decision shown.
    app.add_user("lanhdao.phuong", Role::CommuneLeader, COMMUNE);
    sign_in(c, "lanhdao.phuong", TEST_PASSWORD).await;
    click_xpath(
        c,
        "//ul[@data-testid='assess-units']//button[contains(., 'Tổ dân phố 1')]",
    )
    .await;
    wait_for(c, "[data-testid=review-form]").await;
    fill(c, "review-comment", "Đồng ý.").await;
    fill(c, "review-decision-number", "45/QĐ-UBND").await;
    fill(
        c,
        "review-decision-signer",
        "Chủ tịch UBND phường Lê Văn Công",
    )
    .await;
    let approve = "//div[contains(@class,'review')]//button[normalize-space(.)='Duyệt']";
    click_xpath(c, approve).await;
    wait_for(c, "#err-decision\\.date").await;
    fill(c, "review-decision-date", "2026-03-03").await;
    click_xpath(c, approve).await;
    wait_for_text_id(c, "err-decision.date", "tương lai").await;
    assert_eq!(
        json(
            app.get(&format!("/api/v1/assessments/{AREA}/2026"), Some(&ward))
                .await
        )
        .await["status"],
        "submitted"
    );
    b.screenshot(&format!("{tag}-decision-error-360")).await;
    fill(c, "review-decision-date", "2026-03-02").await;
    click_xpath(c, approve).await;
    wait_for_text(c, "assess-status", "Đã duyệt").await;
    wait_for_text(c, "assess-decision", "45/QĐ-UBND").await;
    let disabled = js(
        c,
        "return document.getElementById('crit-2-pass').disabled;",
        vec![],
    )
    .await;
    assert_eq!(disabled, Value::Bool(true), "approved answers are locked");
    let a = json(
        app.get(&format!("/api/v1/assessments/{AREA}/2026"), Some(&ward))
            .await,
    )
    .await;
    assert_eq!(a["status"], "approved", "{a}");
    assert_eq!(a["decision"]["signer"], "Chủ tịch UBND phường Lê Văn Công");
    no_sideways_scroll(c).await;
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "assessment contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");
    b.screenshot(&format!("{tag}-approved-360")).await;
    click(c, "button.lang").await;
    wait_for_text(c, "assess-status", "Approved").await;
    wait_for_text(c, "assess-decision", "Recognised").await;
    let left = english_left(untranslated(c).await);
    assert!(left.is_empty(), "assessment left in Vietnamese: {left:?}");
    b.screenshot(&format!("{tag}-approved-en-360")).await;
}

/// Province staff oversee the tip work: statistics in which no count from 1 to 4 shows, and the
/// audit log of who read which tip (with the officer's name), which a ward officer is not offered.
async fn province_oversees_tips(app: TestApp) {
    for i in 0..6 {
        submit_tip(
            &app,
            COMMUNE,
            &format!("Mua bán ma túy lần {i} ở bến xe."),
            false,
        )
        .await;
    }
    let key = format!("tip-{}", bvantq_api::infra::db::new_id());
    let r = app
        .post(
            "/api/v1/tips",
            &json!({"category": "fraud", "description": "Lừa đảo qua mạng.", "commune_code": "22366"}),
            None,
            Some(&key),
        )
        .await;
    assert_eq!(r.status(), 201);
    // A ward officer reads one tip: the read is audited under their name.
    app.add_user("canbo.doc", Role::WardOfficer, COMMUNE);
    let ward = app.login("canbo.doc", TEST_PASSWORD).await["access_token"]
        .as_str()
        .or_fail()
        .to_string();
    let list = json(app.get("/api/v1/tips?limit=1", Some(&ward)).await).await;
    let id = list["items"][0]["id"].as_str().or_fail().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/tips/{id}"), Some(&ward))
            .await
            .status(),
        200
    );

    app.add_user("tinh.giamsat", Role::ProvinceOfficer, "56");
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "tinh.giamsat", TEST_PASSWORD).await;
    wait_for(c, "[data-testid=totals]").await;
    click_xpath(
        c,
        "//button[contains(@class,'mode')][contains(., 'Thống kê')]",
    )
    .await;
    wait_for_text(c, "stats-category", "Ma túy").await;
    let cells = js(
        c,
        "return Array.from(document.querySelectorAll('.stats td')).map(td => td.textContent.trim());",
        vec![],
    )
    .await;
    let cells: Vec<&str> = cells
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .collect();
    // 6 drug tips and 1 fraud tip: the 1 is hidden, and so is the 6, which with the total of 7
    // would give the 1 away.
    assert!(cells.contains(&"7"), "{cells:?}");
    assert!(!cells.contains(&"6"), "the 6 would reveal the 1: {cells:?}");
    assert!(cells.contains(&"< 5"), "the single fraud tip: {cells:?}");
    for small in ["1", "2", "3", "4"] {
        assert!(
            !cells.contains(&small),
            "a count of {small} shows: {cells:?}"
        );
    }
    no_sideways_scroll(c).await;
    b.screenshot("console-stats-360").await;

    click_xpath(
        c,
        "//button[contains(@class,'mode')][contains(., 'Nhật ký')]",
    )
    .await;
    wait_for_text(c, "audit", "Xem nội dung").await;
    wait_for_text(c, "audit", "canbo.doc").await;
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "audit contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");
    b.screenshot("console-audit-360").await;
    click(c, "button.lang").await;
    wait_for_text(c, "audit", "Read the content").await;
    let left = english_left(untranslated(c).await);
    assert!(left.is_empty(), "audit left in Vietnamese: {left:?}");
}

/// A province officer sets up a ward's police account from the console: a bad username is
/// refused in the browser with the server's message; the first password, made in the browser, is
/// shown once and signs the new officer in.
async fn province_sets_up_a_ward_account(app: TestApp) {
    app.add_user("tinh.taikhoan", Role::ProvinceOfficer, "56");
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "tinh.taikhoan", TEST_PASSWORD).await;
    wait_for(c, "[data-testid=totals]").await;
    click_xpath(
        c,
        "//nav[@class='sections']/button[contains(., 'Tài khoản')]",
    )
    .await;
    wait_for_text(c, "accounts", "tinh.taikhoan").await;
    let offered = js(
        c,
        "return Array.from(document.querySelectorAll('#role option')).map(o => o.value);",
        vec![],
    )
    .await
    .to_string();
    assert!(
        offered.contains("ward_officer") && !offered.contains("\"admin\""),
        "a province officer grants every role but admin: {offered}"
    );
    select(c, "role", "ward_officer").await;
    fill(c, "scope_unit", "22366").await;
    fill(c, "username", "Công An Mới").await;
    fill(c, "display_name", "Nguyễn Văn Mới").await;
    click(c, "form.new-account button.secondary").await;
    let password = js(
        c,
        "return document.getElementById('account-password').value;",
        vec![],
    )
    .await
    .as_str()
    .or_fail()
    .to_string();
    assert_eq!(password.len(), 16, "{password}");
    click(c, "form.new-account button.primary").await;
    // Upper case and diacritics: refused in the browser by the shared parser.
    wait_for(c, "#err-username").await;
    assert_eq!(app.count("users"), 1, "nothing was created");
    fill(c, "username", "congan.phuongmoi").await;
    click(c, "form.new-account button.primary").await;
    wait_for_text(c, "account-created", "congan.phuongmoi").await;
    assert!(text_of(c, "account-created").await.contains(&password));
    wait_for_text(c, "accounts", "congan.phuongmoi").await;
    no_sideways_scroll(c).await;
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "accounts contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");
    b.screenshot("console-accounts-360").await;
    let login = app.login("congan.phuongmoi", &password).await;
    assert_eq!(login["user"]["role"], "ward_officer", "{login}");
    assert_eq!(login["user"]["scope_unit"], "22366", "{login}");

    // The officer leaves: locked, the account no longer signs in; a new password for the next.
    let row = "tr[data-account='congan.phuongmoi']";
    tap(c, &format!("{row} button.lock")).await;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//tr[@data-account='congan.phuongmoi']//span[contains(., 'Đã khóa')]",
        ))
        .await
        .unwrap_or_else(|e| panic!("the account did not lock: {e}"));
    let locked = app
        .post(
            "/api/v1/auth/login",
            &json!({"username": "congan.phuongmoi", "password": password}),
            None,
            None,
        )
        .await;
    assert_eq!(locked.status(), 401);
    tap(c, &format!("{row} button.lock")).await;
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//tr[@data-account='congan.phuongmoi']//span[contains(., 'Đang hoạt động')]",
        ))
        .await
        .unwrap_or_else(|e| panic!("the account did not unlock: {e}"));
    tap(c, &format!("{row} button.reset")).await;
    let shown = text_of(c, "new-password").await;
    let new_password = shown.split_whitespace().last().or_fail().to_string();
    assert_eq!(new_password.len(), 16, "{shown}");
    assert_eq!(
        app.login("congan.phuongmoi", &new_password).await["user"]["role"],
        "ward_officer"
    );
    tap(c, "button.lang").await;
    wait_for_text(c, "account-created", "Account created").await;
    let left = english_left(untranslated(c).await);
    assert!(left.is_empty(), "accounts left in Vietnamese: {left:?}");
}

/// Issue 17: a life-safety tip shows in the console of the commune's officer within 5 seconds of
/// intake (the server's event stream), and when nobody opens it within the province's 15
/// minutes (the test's clock), the province's console gets the escalation.
async fn an_urgent_tip_alerts_the_console_and_escalates(app: TestApp) {
    app.add_user("canbo.khancap", Role::WardOfficer, COMMUNE);
    app.add_user("tinh.khancap", Role::ProvinceOfficer, "56");
    let tag = format!("alerts-{:?}", app.backend).to_lowercase();
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "canbo.khancap", TEST_PASSWORD).await;
    wait_for(c, "[data-testid=queue-empty]").await;
    let body = json!({"category": "violence", "commune_code": COMMUNE, "danger_to_life": true,
        "description": "Có người bị trói trong nhà kho số 9, kêu cứu suốt đêm."});
    let key = format!("tip-{}", bvantq_api::infra::db::new_id());
    let sent = std::time::Instant::now();
    assert_eq!(
        app.post("/api/v1/tips", &body, None, Some(&key))
            .await
            .status(),
        201
    );
    wait_for_text(c, "alerts", "Có tin báo khẩn mới tại Phường Bắc Nha Trang").await;
    let elapsed = sent.elapsed();
    assert!(
        elapsed < Duration::from_secs(5),
        "the alert took {elapsed:?}"
    );
    let shown = wait_for(c, "[data-testid=alerts]")
        .await
        .text()
        .await
        .or_fail();
    assert!(
        !shown.contains("trói"),
        "an alert showed the tip's content: {shown}"
    );
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-ward-360")).await;

    // Nobody opens it; fifteen minutes later the province is told.
    click(c, ".who-bar button.sign-out").await;
    app.clock.advance(chrono::TimeDelta::minutes(16));
    sign_in(c, "tinh.khancap", TEST_PASSWORD).await;
    wait_for_text(c, "alerts", "chưa được cán bộ xã mở").await;
    b.screenshot(&format!("{tag}-province-360")).await;
    // Its button opens the tip (the province reads it, audited like any read).
    click(c, "[data-testid=alerts] button").await;
    wait_for_text(c, "tip-description", "kêu cứu suốt đêm").await;
    click(c, "button.lang").await;
    wait_for_text(c, "tip-holder", "Commune police").await;
}

/// A province keeps its days off (and its numbers) in the console: a day added with its name is
/// saved for the clocks; a day without a name is refused on its field with the server's message.
async fn province_keeps_its_days_off(app: TestApp) {
    app.add_user("tinh.ngaynghi", Role::ProvinceOfficer, "56");
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "tinh.ngaynghi", TEST_PASSWORD).await;
    click_xpath(
        c,
        "//button[contains(@class,'mode')][contains(., 'Quy trình và ngày nghỉ')]",
    )
    .await;
    let shown = wait_for(c, "form.procedure").await.text().await.or_fail();
    assert!(shown.contains("TT 28/2020 Đ.7"), "{shown}");
    click_xpath(
        c,
        "//form[contains(@class,'procedure')]//button[contains(., 'Thêm ngày nghỉ')]",
    )
    .await;
    fill(c, "holidays[0].date", "2027-02-08").await;
    // No name: refused in the browser with the server's words, on the field.
    click(c, "form.procedure button.primary").await;
    wait_for(c, "#err-holidays\\[0\\]\\.name").await;
    fill(c, "holidays[0].name", "Tết Nguyên đán").await;
    fill(c, "settings.escalate_minutes", "10").await;
    click(c, "form.procedure button.primary").await;
    wait_for_text(c, "procedure-saved", "Đã lưu").await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("procedure-{:?}-360", app.backend).to_lowercase())
        .await;
    let token = session(c).await["access_token"]
        .as_str()
        .or_fail()
        .to_string();
    let v = json(
        app.get("/api/v1/provinces/56/procedure", Some(&token))
            .await,
    )
    .await;
    assert_eq!(
        v["holidays"],
        json!([{"date": "2027-02-08", "name": "Tết Nguyên đán"}])
    );
    assert_eq!(v["settings"]["escalate_minutes"], 10);
    click(c, "button.lang").await;
    wait_for(c, "form.procedure").await;
    let left = english_left(untranslated(c).await);
    assert!(
        left.is_empty(),
        "procedure page left in Vietnamese: {left:?}"
    );
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "procedure page contrast: {contrast:?}");
    let axe = bvantq_tests::browser::axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");
}

both!(
    province_publishes_its_plan,
    province_keeps_its_days_off,
    an_urgent_tip_alerts_the_console_and_escalates,
    province_sets_up_a_ward_account,
    province_oversees_tips,
    officer_works_a_tip_in_the_console,
    signing_out_and_expiry,
    province_results_against_the_plan,
    school_runs_a_campaign,
    ward_assesses_a_residential_area
);

/// The console's page may not be framed by another site, and is never cached.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_page_refuses_framing() {
    let app = TestApp::spawn(bvantq_tests::Backend::Sqlite).await;
    let r = app.get("/console", None).await;
    assert_eq!(r.status(), 200);
    let h = r.headers();
    assert_eq!(h["x-frame-options"], "DENY");
    let csp = h["content-security-policy"].to_str().or_fail();
    for part in [
        "frame-ancestors 'none'",
        "connect-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' 'sha256-",
    ] {
        assert!(csp.contains(part), "{part} missing from {csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(h["cache-control"], "no-cache");
    assert!(h.get("access-control-allow-origin").is_none());
    let body = r.text().await.or_fail();
    assert!(body.contains("/assets/console."), "{body}");
}
