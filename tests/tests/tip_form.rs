//! The tip form and the follow-up page in headless Chromium on a 360×640 phone.

use std::time::Duration;

use bvantq_shared::Role;
use bvantq_tests::browser::Browser;
use bvantq_tests::{TestApp, both, fixture, json};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

async fn js(c: &Client, script: &str, args: Vec<Value>) -> Value {
    c.execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

async fn fill(c: &Client, id: &str, value: &str) {
    js(
        c,
        "const e = document.getElementById(arguments[0]); e.value = arguments[1]; \
         e.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![json!(id), json!(value)],
    )
    .await;
}

async fn select(c: &Client, id: &str, value: &str) {
    js(
        c,
        "const e = document.getElementById(arguments[0]); e.value = arguments[1]; \
         e.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(id), json!(value)],
    )
    .await;
}

async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

async fn wait_text(c: &Client, css: &str, text: &str) {
    let xpath = format!(
        "//*[contains(concat(' ', normalize-space(@data-testid), ' '), ' {css} ')][contains(., '{text}')]"
    );
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("[{css}] never showed {text:?}: {e}"));
}

async fn no_sideways_scroll(c: &Client) {
    let wide = js(
        c,
        "return document.documentElement.scrollWidth > window.innerWidth",
        vec![],
    )
    .await;
    assert_eq!(
        wide,
        Value::Bool(false),
        "the page scrolls sideways at 360 px"
    );
}

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
        .unwrap_or_default();
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
    // The commune: a province, then a search without diacritics.
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#province option[value='56']"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
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
    wait_text(c, "commune-chosen", "Bắc Nha Trang").await;
    fill(c, "place", "Hẻm 12 đường Lê Lợi").await;
    // A photo, shrunk and re-encoded on the phone.
    let photo = fixture("photo-gps.jpg");
    c.find(Locator::Id("photos"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .send_keys(&photo.display().to_string())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_text(c, "photo-count", "1 / 5").await;
    c.find(Locator::Css("form.tip button.primary"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let code = wait_for(c, "[data-testid=tip-code]")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert_eq!(code.len(), 24, "{code}");
    assert_eq!(code.split('-').count(), 5);
    no_sideways_scroll(c).await;
    b.screenshot(&format!("tip-{tag}-receipt-360")).await;
    assert_eq!(app.count("tips"), 1);
    assert_eq!(app.count("tip_photos"), 1);

    // The ward answers through the API.
    let officer = app.login_as(Role::WardOfficer, "22333").await;
    let list = json(app.get("/api/v1/tips", Some(&officer)).await).await;
    let id = list["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
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
    c.find(Locator::Css("section.follow-up form button.primary"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_text(c, "tip-status", "Đã tiếp nhận").await;
    wait_text(c, "thread", "biển số xe").await;
    fill(c, "reply", "Xe máy màu đen, biển 79 có chữ H.").await;
    c.find(Locator::Css("form.reply button.primary"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_text(c, "thread", "biển 79").await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("tip-{tag}-follow-up-360")).await;
    b.close().await;
    let d = json(app.get(&format!("/api/v1/tips/{id}"), Some(&officer)).await).await;
    assert_eq!(
        d["messages"][1]["body"],
        "Xe máy màu đen, biển 79 có chữ H."
    );
}

both!(anonymous_tip_with_a_photo_then_follow_up);
