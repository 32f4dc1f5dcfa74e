//! The reporting year in the console at 360 px, in Vietnamese and English (issue 19): the
//! province keeps its emulation blocks; Phan Rang's police register the commune by 31 March,
//! review its year in October and send the annual report; one province officer proposes a Bằng
//! khen, another records the decision; the award shows in the unit's history and among the
//! year's awards on the results page. On the way, an area's festival of 19/8 with a photo, and
//! the results drawn as pictures.

use bvantq_shared::Role;
use bvantq_tests::browser::{
    Browser, checked_page, click, click_xpath, fill, js, open_results, scroll_to, select, wait_for,
    wait_for_text,
};
use bvantq_tests::{OrFail, TestApp, both, json};

async fn open(app: &TestApp, user: &str, en: bool) -> Browser {
    open_results(app, user, en, "[data-testid=results-title]").await
}

fn at(app: &TestApp, month: u32, day: u32) {
    app.set_vn_time(month, day, 9);
}

async fn admin_token(app: &TestApp) -> String {
    app.login_as(Role::Admin, "56").await
}

async fn a_commune_is_awarded_through_the_console(app: TestApp) {
    let tag = format!("console-emulation-{:?}", app.backend).to_lowercase();
    app.add_user("tinh.thidua", Role::ProvinceOfficer, "56");
    app.add_user("tinh.khenthuong", Role::ProvinceOfficer, "56");
    app.add_user("canbo.phanrang", Role::WardOfficer, "22759");

    // 2 March: the province adds its block (vi).
    at(&app, 3, 2);
    let b = open(&app, "tinh.thidua", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=province-emulation]").await;
    fill(c, "block-name", "Khối các xã, phường").await;
    click(c, "[data-testid=new-block] button[type=submit]").await;
    wait_for_text(c, "emulation-blocks", "Khối các xã, phường").await;
    b.close().await;

    // The commune registers (vi): an empty title is named on its field first.
    let b = open(&app, "canbo.phanrang", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=emulation-register]").await;
    wait_for_text(c, "emulation-register", "31/03/2026").await;
    click(c, "[data-testid=emulation-register] button[type=submit]").await;
    wait_for(c, "#err-aim").await;
    fill(
        c,
        "emulation-aim",
        "Đơn vị xuất sắc phong trào Toàn dân bảo vệ ANTQ",
    )
    .await;
    click(c, "[data-testid=emulation-register] button[type=submit]").await;
    wait_for_text(c, "award-history", "Đã đăng ký").await;
    scroll_to(c, "emulation").await;
    checked_page(c, false).await;
    b.screenshot(&format!("{tag}-registered-vi-360")).await;
    b.close().await;

    // 20 August (vi): the festival of Khu phố 1, with a photo shrunk in the browser.
    at(&app, 8, 20);
    let b = open(&app, "canbo.phanrang", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=festival-form]").await;
    wait_for_text(c, "festival-share", "0/3").await;
    fill(c, "festival-day", "2026-08-19").await;
    fill(c, "festival-attendance", "nhiều").await;
    click(c, "[data-testid=festival-form] button[type=submit]").await;
    wait_for(c, "#err-attendance").await;
    fill(c, "festival-attendance", "230").await;
    let photo = bvantq_tests::fixture("photo-gps.jpg");
    c.find(fantoccini::Locator::Css("#festival-photos"))
        .await
        .or_fail()
        .send_keys(&photo.display().to_string())
        .await
        .or_fail();
    wait_for_text(c, "festival", "1 ảnh").await;
    click(c, "[data-testid=festival-form] button[type=submit]").await;
    wait_for_text(c, "festival-share", "1/3").await;
    wait_for_text(c, "festival-share", "33,3%").await;
    wait_for_text(c, "festival-areas", "230 người tham dự").await;
    scroll_to(c, "festival").await;
    checked_page(c, false).await;
    b.screenshot(&format!("{tag}-festival-vi-360")).await;
    b.close().await;
    let f = json(
        app.get(
            "/api/v1/units/22759/festivals?year=2026",
            Some(&admin_token(&app).await),
        )
        .await,
    )
    .await;
    let held = f["lines"]
        .as_array()
        .or_fail()
        .iter()
        .find(|l| !l["festival"].is_null())
        .cloned()
        .or_fail();
    assert_eq!(
        held["festival"]["photo_ids"].as_array().map(Vec::len),
        Some(1)
    );

    // 15 October (en): the review, and the annual report with the figures the unit enters.
    at(&app, 10, 15);
    let b = open(&app, "canbo.phanrang", true).await;
    let c = &b.client;
    wait_for(c, "[data-testid=emulation-review]").await;
    fill(
        c,
        "emulation-summary",
        "Không để xảy ra trọng án; 3 mô hình tự quản hoạt động hiệu quả.",
    )
    .await;
    click(c, "label[for=emulation-reached]").await;
    click(c, "[data-testid=emulation-review] button[type=submit]").await;
    wait_for_text(c, "award-history", "Reviewed").await;
    for (id, v) in [
        ("figure-people_of_standing", "12"),
        ("figure-reintegrated", "4"),
        ("figure-weapons_handed_in", "x"),
        ("figure-surrenders", "1"),
    ] {
        fill(c, id, v).await;
    }
    click(c, "[data-testid=annual-send-button]").await;
    // A figure that is no number is named on its field; nothing is sent.
    wait_for(c, "#err-figures\\.weapons_handed_in").await;
    fill(c, "figure-weapons_handed_in", "2").await;
    click(c, "[data-testid=annual-send-button]").await;
    wait_for_text(c, "annual-sent", "Sent on time").await;
    // The commune's own list shows the sending, to open as XLSX or PDF.
    wait_for_text(c, "annual-mine", "Version 1").await;
    wait_for_text(c, "annual-mine", "PDF").await;
    scroll_to(c, "annual-send").await;
    checked_page(c, true).await;
    b.screenshot(&format!("{tag}-reviewed-en-360")).await;
    b.close().await;

    // The province proposes (en) …
    let admin = admin_token(&app).await;
    let entries = json(
        app.get("/api/v1/provinces/56/emulation?year=2026", Some(&admin))
            .await,
    )
    .await;
    let id = bvantq_tests::text(&entries[0], "id").to_string();
    let b = open(&app, "tinh.thidua", true).await;
    let c = &b.client;
    wait_for(c, "[data-testid=propose]").await;
    select(c, &format!("award-{id}"), "province_certificate").await;
    fill(
        c,
        &format!("reason-{id}"),
        "Dẫn đầu khối thi đua các xã, phường.",
    )
    .await;
    click(c, "[data-testid=propose] button[type=submit]").await;
    wait_for_text(c, "emulation-entries", "Proposed for an award").await;
    // The province's page draws its classes per group of units, with the figures in words.
    let chart = wait_for(c, "[data-testid=chart-classes] svg")
        .await
        .attr("aria-label")
        .await
        .or_fail()
        .or_fail();
    assert!(chart.contains("Not assessed"), "{chart}");
    scroll_to(c, "province-emulation").await;
    checked_page(c, true).await;
    b.screenshot(&format!("{tag}-proposed-en-360")).await;
    b.close().await;

    // … another officer records the decision (vi); a number without its symbol is refused.
    let b = open(&app, "tinh.khenthuong", false).await;
    let c = &b.client;
    wait_for(c, "[data-testid=decide]").await;
    fill(c, &format!("number-{id}"), "2150").await;
    fill(c, &format!("date-{id}"), "2026-10-14").await;
    fill(c, &format!("signer-{id}"), "Chủ tịch UBND tỉnh Khánh Hòa").await;
    click(c, "[data-testid=decide] button[type=submit]").await;
    wait_for(c, "#err-number").await;
    fill(c, &format!("number-{id}"), "2150/QĐ-UBND").await;
    click(c, "[data-testid=decide] button[type=submit]").await;
    wait_for_text(c, "emulation-entries", "Đã được khen thưởng").await;
    scroll_to(c, "province-emulation").await;
    checked_page(c, false).await;
    b.screenshot(&format!("{tag}-decided-vi-360")).await;
    b.close().await;

    // The commune's page (en): the award in its history and among the year's awards.
    let b = open(&app, "canbo.phanrang", true).await;
    let c = &b.client;
    wait_for_text(c, "awards", "2150/QĐ-UBND").await;
    wait_for_text(
        c,
        "award-history",
        "Certificate of merit of the province chairman",
    )
    .await;
    wait_for_text(c, "award-history", "2150/QĐ-UBND").await;
    scroll_to(c, "awards").await;
    checked_page(c, true).await;
    b.screenshot(&format!("{tag}-awarded-en-360")).await;
    b.close().await;
}

/// The province's results page gives the November report as PDF: the button's file is the PDF
/// the server made (caught as the page hands it to the browser), in Vietnamese and in English.
async fn the_results_page_downloads_the_report_as_pdf(app: TestApp) {
    let tag = format!("console-report-pdf-{:?}", app.backend).to_lowercase();
    app.add_user("tinh.baocao", Role::ProvinceOfficer, "56");
    // 10 November: the page opens on period 2026 (from 16 November it would be 2027's).
    at(&app, 11, 10);
    for en in [false, true] {
        let b = open(&app, "tinh.baocao", en).await;
        let c = &b.client;
        wait_for(c, "[data-testid=report-pdf]").await;
        // Keep the file the page hands to the browser instead of saving it.
        js(
            c,
            "window.__files = []; const make = URL.createObjectURL; \
             URL.createObjectURL = function (blob) { window.__blob = blob; return make.call(URL, blob); }; \
             HTMLAnchorElement.prototype.click = function () { \
               window.__files.push({name: this.download, blob: window.__blob}); };",
            vec![],
        )
        .await;
        checked_page(c, en).await;
        b.screenshot(&format!("{tag}-{}-360", if en { "en" } else { "vi" }))
            .await;
        click(c, "[data-testid=report-pdf]").await;
        let mut file = serde_json::Value::Null;
        for _ in 0..100 {
            file = js(
                c,
                "const f = window.__files[0]; if (!f) return null; \
                 return f.blob.arrayBuffer().then(b => ({name: f.name, size: b.byteLength, \
                   head: String.fromCharCode(...new Uint8Array(b.slice(0, 5)))}));",
                vec![],
            )
            .await;
            if !file.is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(file["name"], "bao-cao-56-2026.pdf", "{file}");
        assert_eq!(file["head"], "%PDF-", "{file}");
        assert!(file["size"].as_i64().or_fail() > 5_000, "{file}");
        // When the report cannot be fetched, the page says so instead of doing nothing.
        js(
            c,
            "const f = window.fetch; window.fetch = function (r, o) { \
               return String(r && r.url || r).includes('report.pdf') \
                 ? Promise.reject(new TypeError('offline')) : f.call(window, r, o); };",
            vec![],
        )
        .await;
        click(c, "[data-testid=report-pdf]").await;
        let said = wait_for(c, "[data-testid=report-error]")
            .await
            .text()
            .await
            .or_fail();
        let want = if en {
            "Could not reach the server"
        } else {
            "Không kết nối được máy chủ"
        };
        assert!(said.contains(want), "{said}");
        b.close().await;
    }
}

/// A target the plan words itself (seed 002, II.2: "80% số khu dân cư … ít nhất 01 mô hình"),
/// in the console at 360 px: the province names it in the plan editor (both names required,
/// checked in the browser), publishes, then enters the figure on the results page — a figure
/// that does not read is named, a low one is not met (vi), a higher one is met (en).
async fn a_province_words_a_target_and_enters_its_figure(app: TestApp) {
    let tag = format!("console-manual-target-{:?}", app.backend).to_lowercase();
    app.add_user("tinh.chitieu", Role::ProvinceOfficer, "56");
    // 2 December: the results open on period 2027.
    at(&app, 12, 2);
    let b = open(&app, "tinh.chitieu", false).await;
    let c = &b.client;
    click(c, "[data-testid=new-plan]").await;
    wait_for(c, "[data-testid=plan-editor]").await;
    fill(c, "plan-title-vi", "Kế hoạch giai đoạn 2026–2030").await;
    fill(c, "plan-title-en", "Plan 2026–2030").await;
    fill(c, "plan-from", "2026").await;
    fill(c, "plan-to", "2030").await;
    select(c, "targets.0.metric", "manual").await;
    wait_for(c, "[id='targets.0.label_vi']").await;
    let groups = js(
        c,
        "return document.getElementById('targets.0.group') === null;",
        vec![],
    )
    .await;
    assert_eq!(groups, true, "a manual target counts no group of units");
    fill(c, "targets.0.min", "80").await;
    click(c, "[data-testid=plan-editor] button[type=submit]").await;
    wait_for(c, "[id='err-targets.0.label_vi']").await;
    fill(
        c,
        "targets.0.label_vi",
        "Khu dân cư có mô hình «Tự phòng, tự quản, tự bảo vệ» (%)",
    )
    .await;
    fill(
        c,
        "targets.0.label_en",
        "Residential areas with a self-managed model (%)",
    )
    .await;
    scroll_to(c, "target-0").await;
    checked_page(c, false).await;
    b.screenshot(&format!("{tag}-editor-vi-360")).await;
    click(c, "[data-testid=plan-editor] button[type=submit]").await;
    wait_for_text(c, "plans", "Dự thảo").await;
    js(c, "window.confirm = () => true;", vec![]).await;
    click_xpath(
        c,
        "//ul[@data-testid='plans']//li[contains(., '2026–2030')]//button[contains(., 'Ban hành')]",
    )
    .await;
    wait_for_text(c, "plan", "giai đoạn 2026–2030").await;
    wait_for(c, "[data-testid=figure-0]").await;
    // A figure that does not read is named on its field; nothing is sent.
    fill(c, "figure-0", "bảy mươi").await;
    click(c, "[data-testid=figure-0] button[type=submit]").await;
    wait_for(c, "#err-value").await;
    assert_eq!(app.count("target_figures"), 0);
    fill(c, "figure-0", "72,5").await;
    click(c, "[data-testid=figure-0] button[type=submit]").await;
    wait_for_text(c, "targets", "72,5").await;
    let row = wait_for(c, "[data-testid=targets] tbody tr")
        .await
        .text()
        .await
        .or_fail();
    assert!(
        row.contains("Chưa đạt") || row.contains("Không đạt"),
        "{row}"
    );
    checked_page(c, false).await;
    scroll_to(c, "targets").await;
    b.screenshot(&format!("{tag}-entered-vi-360")).await;
    b.close().await;

    let b = open(&app, "tinh.chitieu", true).await;
    let c = &b.client;
    wait_for(c, "[data-testid=figure-0]").await;
    fill(c, "figure-0", "85").await;
    click(c, "[data-testid=figure-0] button[type=submit]").await;
    wait_for_text(c, "targets", "85").await;
    let row = wait_for(c, "[data-testid=targets] tbody tr")
        .await
        .text()
        .await
        .or_fail();
    assert!(row.contains("Met") && !row.contains("Not met"), "{row}");
    checked_page(c, true).await;
    scroll_to(c, "targets").await;
    b.screenshot(&format!("{tag}-entered-en-360")).await;
    b.close().await;
    assert_eq!(
        app.count("target_figures"),
        1,
        "the second figure replaced the first"
    );
}

/// The province keeps its reporting days in the console (360 px): a day no year has is named on
/// its field and nothing is saved; 20/11 for the units' annual report is saved, the calendar
/// and the province's board read it (vi, then the same page in English).
async fn a_province_sets_its_reporting_days(app: TestApp) {
    let tag = format!("console-calendar-{:?}", app.backend).to_lowercase();
    app.add_user("tinh.lich", Role::ProvinceOfficer, "56");
    at(&app, 3, 2);
    let b = open(&app, "tinh.lich", false).await;
    let c = &b.client;
    wait_for_text(c, "calendar", "15/11/2026").await;
    click(c, "[data-testid=calendar-edit]").await;
    wait_for(c, "[data-testid=calendar-editor]").await;
    // The third step is the units' annual report (15/11 by default).
    let due = js(
        c,
        "return document.getElementById('steps.2.due').value;",
        vec![],
    )
    .await;
    assert_eq!(due, "15/11");
    fill(c, "steps.2.due", "31/11").await;
    click(c, "[data-testid=calendar-editor] button[type=submit]").await;
    wait_for(c, "[id='err-steps.2.due']").await;
    assert_eq!(app.count("province_calendar"), 0, "nothing saved");
    fill(c, "steps.2.due", "20/11").await;
    scroll_to(c, "calendar-editor").await;
    checked_page(c, false).await;
    b.screenshot(&format!("{tag}-editor-vi-360")).await;
    click(c, "[data-testid=calendar-editor] button[type=submit]").await;
    wait_for(c, "[data-testid=calendar-saved]").await;
    wait_for_text(c, "calendar", "20/11/2026").await;
    assert_eq!(app.count("province_calendar"), 1);
    let token = app.login_as(Role::ProvinceOfficer, "56").await;
    let board = json(
        app.get(
            "/api/v1/provinces/56/annual-reports?year=2026",
            Some(&token),
        )
        .await,
    )
    .await;
    assert_eq!(board["due_on"], "2026-11-20");
    click(c, "button.lang").await;
    wait_for(c, "[data-testid=calendar-editor]").await;
    checked_page(c, true).await;
    b.screenshot(&format!("{tag}-editor-en-360")).await;
    b.close().await;
}

both!(
    a_province_sets_its_reporting_days,
    a_province_words_a_target_and_enters_its_figure,
    a_commune_is_awarded_through_the_console,
    the_results_page_downloads_the_report_as_pdf,
);
