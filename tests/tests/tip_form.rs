//! The tip form and the follow-up page in headless Chromium on a 360×640 phone.

use bvantq_tests::OrFail;
use std::time::Duration;

use bvantq_shared::Role;
use bvantq_tests::browser::{
    Browser, click, fill, in_view, js, no_sideways_scroll, select, untranslated, wait_for,
    wait_for_text,
};
use bvantq_tests::{TestApp, both, fixture, json};
use fantoccini::{Client, Locator};
use serde_json::json;

async fn anonymous_tip_with_a_photo_then_follow_up(app: TestApp) {
    let tag = format!("{:?}", app.backend).to_lowercase();
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/to-giac"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.tip").await;
    let protection = wait_for(c, "[data-testid=protection]")
        .await
        .text()
        .await
        .or_fail();
    assert!(protection.contains("mã hóa"), "{protection}");
    no_sideways_scroll(c).await;
    b.screenshot(&format!("tip-{tag}-form-360")).await;

    select(c, "category", "drugs").await;
    fill(
        c,
        "description",
        "Có người bán ma túy ở đầu hẻm 12 mỗi tối sau 22 giờ.",
    )
    .await;
    pick_commune(c).await;
    fill(c, "place", "Hẻm 12 đường Lê Lợi").await;
    // "Use my location", with the phone's position stubbed.
    js(
        c,
        "navigator.geolocation.getCurrentPosition = (ok) => ok({coords: {latitude: 12.2451, longitude: 109.1943}});",
        vec![],
    )
    .await;
    click(c, ".location button.secondary").await;
    wait_for_text(c, "location", "12.24510").await;
    // A photo, shrunk and re-encoded on the phone.
    let photo = fixture("photo-gps.jpg");
    c.find(Locator::Id("photos"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .send_keys(&photo.display().to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(c, "photo-count", "1 / 5").await;
    click(c, "form.tip button.primary").await;
    let code = wait_for(c, "[data-testid=tip-code]")
        .await
        .text()
        .await
        .or_fail();
    assert_eq!(code.len(), 24, "{code}");
    assert_eq!(code.split('-').count(), 5);
    no_sideways_scroll(c).await;
    b.screenshot(&format!("tip-{tag}-receipt-360")).await;
    assert_eq!(app.count("tips"), 1);
    assert_eq!(app.count("tip_photos"), 1);

    // The ward answers through the API.
    let officer = app.login_as(Role::WardOfficer, "22333").await;
    let list = json(app.get("/api/v1/tips", Some(&officer)).await).await;
    let id = list["items"][0]["id"].as_str().or_fail().to_string();
    assert_eq!(list["items"][0]["anonymous"], true);
    let r = app
        .post(
            &format!("/api/v1/tips/{id}/messages"),
            &json!({"body": "Cảm ơn bạn. Bạn có thấy biển số xe của người bán không?"}),
            Some(&officer),
            Some("reply-1"),
        )
        .await;
    assert_eq!(r.status(), 201);

    // The reporter follows it with the code.
    c.goto(&app.url("/theo-doi"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "#receipt_code").await;
    fill(c, "receipt_code", &code.to_lowercase()).await;
    click(c, "section.follow-up form button.primary").await;
    wait_for_text(c, "tip-status", "Đã tiếp nhận").await;
    wait_for_text(c, "thread", "biển số xe").await;
    fill(c, "reply", "Xe máy màu đen, biển 79 có chữ H.").await;
    click(c, "form.reply button.primary").await;
    wait_for_text(c, "thread", "biển 79").await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("tip-{tag}-follow-up-360")).await;
    b.close().await;
    let d = json(app.get(&format!("/api/v1/tips/{id}"), Some(&officer)).await).await;
    assert_eq!(
        d["messages"][1]["body"],
        "Xe máy màu đen, biển 79 có chữ H."
    );
}

async fn every_visible_string_switches_to_english(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết 2026", &["KD-22333-0001"])
        .await;
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    for (path, ready) in [
        ("/".to_string(), "[data-testid=units]"),
        (format!("/k/{code}"), "form.pledge"),
        ("/to-giac".to_string(), "form.tip"),
        ("/theo-doi".to_string(), "#receipt_code"),
    ] {
        // Each page starts in Vietnamese: the choice is forgotten on the phone and in the cookie
        // the server draws its pages by.
        js(
            c,
            "localStorage.removeItem('bvantq.lang'); document.cookie = 'bvantq_lang=; path=/; max-age=0';",
            vec![],
        )
        .await;
        c.goto(&app.url(&path))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        wait_for(c, ready).await;
        // The Vietnamese page really is Vietnamese...
        assert!(
            !untranslated(c).await.is_empty(),
            "{path}: no Vietnamese at all?"
        );
        if path.starts_with("/k/") {
            // ...and its errors too, before switching.
            click(c, "button.primary").await;
            wait_for(c, ".field-error").await;
        }
        click(c, "button.lang").await;
        c.wait()
            .at_most(Duration::from_secs(5))
            .for_element(Locator::XPath(
                "//button[contains(@class,'lang')][contains(., 'Tiếng Việt')]",
            ))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        let left = untranslated(c).await;
        // The language button names the other language in that language, on purpose.
        let left: Vec<&String> = left.iter().filter(|t| t.trim() != "Tiếng Việt").collect();
        assert!(
            left.is_empty(),
            "{path}: left in Vietnamese after switching: {left:?}"
        );
        b.screenshot(&format!("english{}-360", path.replace('/', "-")))
            .await;
    }
    b.close().await;
}

/// The commune: a province, then a search without diacritics.
async fn pick_commune(c: &Client) {
    wait_for(c, "#province option[value='56']").await;
    select(c, "province", "56").await;
    wait_for(c, "#commune-search").await;
    fill(c, "commune-search", "bac nha trang").await;
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(
            "//ul[@data-testid='communes']//button[contains(., 'Bắc Nha Trang')]",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(c, "commune-chosen", "Bắc Nha Trang").await;
}

/// Fills the least a valid tip needs: a category, what happened, a commune and the place.
async fn fill_minimal_tip(c: &Client) {
    wait_for(c, "form.tip").await;
    select(c, "category", "gambling").await;
    fill(
        c,
        "description",
        "Có tụ tập đánh bạc ở quán nước cuối ngõ 4 vào chiều chủ nhật.",
    )
    .await;
    pick_commune(c).await;
    fill(c, "place", "Ngõ 4 đường Trần Phú").await;
}

async fn kept_tip(c: &Client) -> serde_json::Value {
    js(
        c,
        "return localStorage.getItem('bvantq.outbox.tips')",
        vec![],
    )
    .await
}

/// Without the reporter's "keep it on this phone", a tip that cannot be sent is not stored
/// anywhere; with it, it is kept, sent when the page opens again — once — and then forgotten.
async fn a_tip_is_kept_on_the_phone_only_if_the_reporter_agrees(app: TestApp) {
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/to-giac"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // Sent empty: the first field in error takes the focus (and the phone scrolls to it).
    wait_for(c, "form.tip").await;
    click(c, "form.tip button.primary").await;
    wait_for(c, ".field-error").await;
    let focused = js(
        c,
        "return document.activeElement.getAttribute('aria-invalid')",
        vec![],
    )
    .await;
    assert_eq!(
        focused,
        json!("true"),
        "the first invalid field is not focused"
    );
    fill_minimal_tip(c).await;
    // The network goes: every request fails as it does offline.
    js(
        c,
        "window.fetch = () => Promise.reject(new TypeError('Failed to fetch'));",
        vec![],
    )
    .await;
    click(c, "form.tip button.primary").await;
    wait_for_text(c, "not-sent", "gửi được tin báo").await;
    assert!(
        in_view(c, "[data-testid=not-sent]").await,
        "the failure is off screen"
    );
    assert_eq!(
        kept_tip(c).await,
        serde_json::Value::Null,
        "not kept without consent"
    );
    assert_eq!(app.count("tips"), 0);

    click(c, "#keep_on_phone").await;
    click(c, "form.tip button.primary").await;
    wait_for(c, "[data-testid=saved]").await;
    assert!(
        in_view(c, "[data-testid=saved]").await,
        "the notice is off screen"
    );
    b.screenshot("tip-kept-on-phone-360").await;
    let kept = kept_tip(c).await;
    let kept: serde_json::Value = serde_json::from_str(
        kept.as_str()
            .unwrap_or_else(|| panic!("nothing kept: {kept}")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept["body"]["category"], "gambling");
    assert_eq!(app.count("tips"), 0);

    // Back online: opening the page again sends it, once, shows the code and forgets the tip.
    c.refresh().await.unwrap_or_else(|e| panic!("{e}"));
    let code = wait_for(c, "[data-testid=tip-code]")
        .await
        .text()
        .await
        .or_fail();
    assert_eq!(code.split('-').count(), 5, "{code}");
    assert_eq!(app.count("tips"), 1);
    assert_eq!(
        kept_tip(c).await,
        serde_json::Value::Null,
        "forgotten once sent"
    );
    c.refresh().await.unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.tip").await;
    assert_eq!(app.count("tips"), 1, "exactly once");
    b.close().await;
}

/// A fraud tip names the fraudster's number and account: the form shows the rows only for fraud,
/// checks each value with the server's normaliser (the error on its row), and the province
/// officer, at a desk, finds the number shared with another commune's tip and opens both.
async fn a_fraud_tip_names_the_fraudsters_number(app: TestApp) {
    let tag = format!("{:?}", app.backend).to_lowercase();
    // Another commune's tip already names the number.
    let key = format!("tip-{}", bvantq_api::infra::db::new_id());
    let r = app
        .post(
            "/api/v1/tips",
            &json!({"category": "fraud", "commune_code": "22366",
                    "description": "Gọi điện giả danh công an đòi chuyển tiền.",
                    "indicators": [{"kind": "phone", "value": "+84 912 345 678"}]}),
            None,
            Some(&key),
        )
        .await;
    assert_eq!(r.status(), 201);

    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/to-giac"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.tip").await;
    select(c, "category", "drugs").await;
    assert!(
        c.find(Locator::Css("[data-testid=indicators]"))
            .await
            .is_err(),
        "the fraudster's rows are for fraud tips only"
    );
    select(c, "category", "fraud").await;
    wait_for(c, "[data-testid=indicators]").await;
    fill(
        c,
        "description",
        "Có người gọi điện xưng là công an, bắt chuyển 30 triệu để xác minh tài khoản.",
    )
    .await;
    pick_commune(c).await;
    fill(c, "indicator-value-0", "12345").await;
    click(c, "[data-testid=add-indicator]").await;
    wait_for(c, "#indicator-kind-1").await;
    select(c, "indicator-kind-1", "bank_account").await;
    fill(c, "indicator-value-1", "1903 6868 6868").await;
    fill(c, "indicator-note-1", "Techcombank").await;
    click(c, "form.tip button.primary").await;
    // Checked on the phone by the server's own normaliser, the message on its row.
    wait_for_text(c, "indicator-0", "Số điện thoại không hợp lệ").await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("tip-{tag}-fraud-error-360")).await;
    click(c, "button.lang").await;
    wait_for_text(c, "indicator-0", "Not a valid phone number").await;
    let left: Vec<String> = untranslated(c)
        .await
        .into_iter()
        .filter(|t| t.trim() != "Tiếng Việt")
        .collect();
    assert!(left.is_empty(), "left in Vietnamese: {left:?}");
    click(c, "button.lang").await;
    fill(c, "indicator-value-0", "0912 345 678").await;
    click(c, "form.tip button.primary").await;
    wait_for(c, "[data-testid=tip-code]").await;
    assert_eq!(app.count("tip_indicators"), 3);
    b.close().await;

    // The province, at a desk: the number is shared by two communes; each opens with its twin.
    app.add_user("tinh.luadao", Role::ProvinceOfficer, "56");
    let b = Browser::start(1280, 900).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.login").await;
    fill(c, "username", "tinh.luadao").await;
    fill(c, "password", bvantq_tests::TEST_PASSWORD).await;
    click(c, "form.login button.primary").await;
    wait_for(c, "[data-testid=totals]").await;
    bvantq_tests::browser::click_xpath(
        c,
        "//button[contains(@class,'mode')][contains(., 'trùng giữa các xã')]",
    )
    .await;
    wait_for_text(c, "clusters", "Số điện thoại").await;
    wait_for_text(c, "clusters", "Phường Bắc Nha Trang: 1").await;
    wait_for_text(c, "clusters", "dưới 5 tin").await;
    let shown = wait_for(c, "[data-testid=indicator-clusters]")
        .await
        .text()
        .await
        .or_fail();
    assert!(
        !shown.contains("912345678"),
        "the value is not listed: {shown}"
    );
    b.screenshot(&format!("console-{tag}-clusters-1280")).await;
    // The queue: open the new tip, see its two indicators and the twin in Nha Trang.
    bvantq_tests::browser::click_xpath(
        c,
        "//button[contains(@class,'mode')][contains(., 'Hàng đợi')]",
    )
    .await;
    bvantq_tests::browser::click_xpath(
        c,
        "//ul[@data-testid='queue']//li[contains(., 'Bắc Nha Trang')]//button",
    )
    .await;
    wait_for_text(c, "tip-indicators", "+84912345678").await;
    wait_for_text(c, "tip-indicators", "190368686868").await;
    wait_for_text(c, "tip-indicators", "Techcombank").await;
    wait_for_text(c, "shared-indicators", "Phường Nha Trang").await;
    b.screenshot(&format!("console-{tag}-tip-indicators-1280"))
        .await;
    bvantq_tests::browser::click_xpath(c, "//ul[@data-testid='shared-indicators']//button").await;
    wait_for_text(c, "tip-description", "Gọi điện giả danh công an").await;
    wait_for_text(c, "shared-indicators", "Phường Bắc Nha Trang").await;
    b.close().await;
}

both!(
    a_fraud_tip_names_the_fraudsters_number,
    anonymous_tip_with_a_photo_then_follow_up,
    every_visible_string_switches_to_english,
    a_tip_is_kept_on_the_phone_only_if_the_reporter_agrees,
);
