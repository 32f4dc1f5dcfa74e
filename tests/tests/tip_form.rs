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
    // "Use my location", with the phone's position stubbed.
    js(
        c,
        "navigator.geolocation.getCurrentPosition = (ok) => ok({coords: {latitude: 12.2451, longitude: 109.1943}});",
        vec![],
    )
    .await;
    c.find(Locator::Css(".location button.secondary"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_text(c, "location", "12.24510").await;
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

/// Letters only Vietnamese uses: after switching to English none may remain in the interface's
/// own text (labels, buttons, headings, hints, notices, links). Data — unit names, a campaign's
/// owner, marked `data-data` — is not translated and is not looked at.
const VIETNAMESE: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";

async fn untranslated(c: &Client) -> Vec<String> {
    let texts = js(
        c,
        "return Array.from(document.querySelectorAll('label, button:not(.unit), legend, h1, h2, h3, \
           .hint, .protect, .notice, .warning, .field-error, nav a, .receipt a, .muted:not([data-data]), \
           select option:first-child:not([data-data]), [placeholder]')) \
           .filter(e => e.offsetParent !== null || e.tagName === 'OPTION') \
           .map(e => (e.getAttribute('placeholder') || '') + ' ' + e.innerText);",
        vec![],
    )
    .await;
    texts
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t.as_str())
        .filter(|t| t.to_lowercase().chars().any(|ch| VIETNAMESE.contains(ch)))
        .map(String::from)
        .collect()
}

async fn every_visible_string_switches_to_english(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let tpl = json(
        app.get("/api/v1/pledge-templates?kind=household", None)
            .await,
    )
    .await[0]["id"]
        .clone();
    let campaign = json(
        app.post(
            "/api/v1/campaigns",
            &json!({"kind": "household", "year": 2026, "title": "Cam kết 2026", "template_id": tpl,
                    "opens_on": "2026-03-01", "closes_on": "2026-12-31", "units": ["KD-22333-0001"]}),
            Some(&ward),
            Some("c1"),
        )
        .await,
    )
    .await;
    let code = campaign["code"].as_str().unwrap_or_default().to_string();
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    for (path, ready) in [
        ("/".to_string(), "[data-testid=units]"),
        (format!("/k/{code}"), "form.pledge"),
        ("/to-giac".to_string(), "form.tip"),
        ("/theo-doi".to_string(), "#receipt_code"),
    ] {
        js(c, "localStorage.removeItem('bvantq.lang');", vec![]).await;
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
            c.find(Locator::Css("button.primary"))
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .click()
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            wait_for(c, ".field-error").await;
        }
        c.find(Locator::Css("button.lang"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .click()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
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

both!(
    anonymous_tip_with_a_photo_then_follow_up,
    every_visible_string_switches_to_english,
);
