//! The console's answers to issue 15 in headless Chromium, at 360 px, in Vietnamese and English:
//! a province keeps its own pledge templates (draft, publish, new version, retire), and a ward
//! decides a contested pledge and sees the flags on suspicious ones.

use bvantq_shared::Role;
use bvantq_tests::OrFail;
use bvantq_tests::browser::{
    Browser, click, contrast_failures, fill, js, no_sideways_scroll, untranslated, wait_for,
    wait_for_text,
};
use bvantq_tests::{TEST_PASSWORD, TestApp, both, json};
use fantoccini::Client;
use serde_json::{Value, json};

async fn sign_in(c: &Client, username: &str) {
    bvantq_tests::browser::sign_in(c, username, TEST_PASSWORD).await;
}

/// Waits for the element, then clicks it.
async fn tap(c: &Client, css: &str) {
    wait_for(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

async fn to_english(c: &Client) {
    click(c, "button.lang").await;
    wait_for_text(c, "who", "Province officer").await;
}

async fn province_keeps_its_pledge_templates(app: TestApp) {
    let tag = format!("console-templates-{:?}", app.backend).to_lowercase();
    app.add_user("pv05.khanhhoa", Role::ProvinceOfficer, "56");
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "pv05.khanhhoa").await;
    tap(c, "[data-testid=nav-templates]").await;
    wait_for(c, "[data-testid=new-template]").await;
    tap(c, "[data-testid=new-template]").await;
    wait_for(c, "[data-testid=template-form]").await;
    // Nothing written: the shared parser's messages, in place.
    click(c, "[data-testid=template-form] button.primary").await;
    wait_for(c, "#err-title_vi").await;
    wait_for(c, "#err-commitments").await;
    fill(
        c,
        "template-title-vi",
        "Bản cam kết hộ gia đình tỉnh Khánh Hòa",
    )
    .await;
    fill(
        c,
        "template-commitments-vi",
        "Không sử dụng, tàng trữ, mua bán ma túy.\nTố giác tội phạm với công an phường, xã.",
    )
    .await;
    fill(
        c,
        "template-commitments-en",
        "Not to use, keep or trade drugs.\nTo report crimes to the ward police.",
    )
    .await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-form-360")).await;
    click(c, "[data-testid=template-form] button.primary").await;
    wait_for_text(c, "templates", "Bản cam kết hộ gia đình tỉnh Khánh Hòa").await;
    let managed = json(
        app.get(
            "/api/v1/pledge-templates/managed",
            Some(&app.login_as(Role::ProvinceOfficer, "56").await),
        )
        .await,
    )
    .await;
    let t = managed
        .as_array()
        .into_iter()
        .flatten()
        .find(|t| t["title_vi"] == "Bản cam kết hộ gia đình tỉnh Khánh Hòa")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(t["owner_unit"], "56", "{managed}");
    assert_eq!(t["published"], false);
    assert_eq!(
        t["commitments"][1]["en"],
        "To report crimes to the ward police."
    );
    // Publish it: Khánh Hòa's communes are offered it.
    tap(c, "[data-testid=publish-template]").await;
    wait_for(c, "[data-testid=retire-template]").await;
    let usable = json(
        app.get("/api/v1/pledge-templates?kind=household&unit=22759", None)
            .await,
    )
    .await;
    assert_eq!(usable[0]["id"], t["id"], "{usable}");
    // In English: every string switches; AA contrast.
    to_english(c).await;
    wait_for_text(c, "template", "Published").await;
    let left: Vec<String> = untranslated(c)
        .await
        .into_iter()
        .filter(|t| t.trim() != "Tiếng Việt")
        .collect();
    assert!(left.is_empty(), "left in Vietnamese: {left:?}");
    let bad = contrast_failures(c).await;
    assert!(bad.is_empty(), "{bad:?}");
    b.screenshot(&format!("{tag}-list-en-360")).await;
    // Retire it: no new campaign may use it.
    tap(c, "[data-testid=retire-template]").await;
    wait_for_text(c, "template", "Retired").await;
    let usable = json(
        app.get("/api/v1/pledge-templates?kind=household&unit=22759", None)
            .await,
    )
    .await;
    assert!(!usable.to_string().contains(t["id"].as_str().unwrap_or("-")));
    b.close().await;
}

fn flag_bursts(c: &mut bvantq_api::infra::config::Config) {
    c.signing_burst = 1;
}

async fn ward_decides_a_contested_pledge(app: TestApp) {
    let tag = format!("console-dispute-{:?}", app.backend).to_lowercase();
    app.add_user("congan.phanrang", Role::WardOfficer, "22759");
    let ward = app.login_as(Role::WardOfficer, "22759").await;
    let code = app
        .open_campaign(
            &ward,
            "household",
            "Cam kết hộ gia đình 2026",
            &["KD-22759-0001"],
        )
        .await;
    let body = |name: &str, cccd: &str, address: &str| {
        json!({"unit_code": "KD-22759-0001", "full_name": name,
        "birth_date": "1970-01-01", "citizen_id": cccd, "address": address, "members": 3,
        "commitments_accepted": [1, 2, 3, 4, 5, 6, 7], "privacy_consent": true})
    };
    // A script signs two addresses from one device (the second is a burst); the real household
    // of the first contests.
    for (i, (n, cc, a)) in [
        ("Kẻ Ký Thay", "056070000101", "Số 7 đường Thống Nhất"),
        ("Kẻ Ký Thay Hai", "056070000102", "Số 9 đường Thống Nhất"),
    ]
    .iter()
    .enumerate()
    {
        let r = app
            .post(
                &format!("/api/v1/campaigns/{code}/pledges"),
                &body(n, cc, a),
                None,
                Some(&format!("s{i}")),
            )
            .await;
        assert_eq!(r.status(), 201);
    }
    let r = app
        .post(
            &format!("/api/v1/campaigns/{code}/pledges/contest"),
            &body("Chủ Hộ Thật", "056170000103", "Số 7 đường Thống Nhất"),
            None,
            Some("contest"),
        )
        .await;
    assert_eq!(json(r).await["disputed"], true);
    let count = |v: Value| v["signed"].as_i64().unwrap_or(-1);
    assert_eq!(
        count(app.coverage("KD-22759-0001", "household", &ward).await),
        1,
        "the disputed address does not count"
    );

    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(c, "congan.phanrang").await;
    tap(c, "nav.sections button.tab:nth-child(2)").await;
    wait_for(c, "[data-testid=campaigns]").await;
    tap(c, "[data-testid=campaigns] button.tip-open").await;
    wait_for(c, "[data-testid=dispute]").await;
    wait_for_text(c, "dispute", "Chủ Hộ Thật").await;
    wait_for_text(c, "dispute", "Kẻ Ký Thay").await;
    // The burst is flagged on the list of pledges.
    wait_for_text(c, "flags", "thời gian ngắn").await;
    // A decision needs a reason: the shared parser says so before anything is sent.
    click(c, "[data-testid=keep-contest]").await;
    let err = wait_for(c, "[data-testid=dispute] .field-error")
        .await
        .text()
        .await
        .or_fail();
    assert!(!err.is_empty());
    let id = js(
        c,
        "return document.querySelector('[data-testid=dispute] input').id",
        vec![],
    )
    .await;
    fill(
        c,
        id.as_str().or_fail(),
        "Chủ hộ đến trụ sở xuất trình giấy tờ.",
    )
    .await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-360")).await;
    click(c, "[data-testid=keep-contest]").await;
    // Decided: the panel goes, the kept pledge counts, the other is void.
    let gone = c
        .wait()
        .at_most(std::time::Duration::from_secs(30))
        .for_element(fantoccini::Locator::XPath(
            "//*[@data-testid='pledges'][contains(., 'Đã hủy')]",
        ))
        .await;
    assert!(gone.is_ok(), "the contested pledge is not shown void");
    assert!(
        js(
            c,
            "return document.querySelector('[data-testid=dispute]') === null",
            vec![]
        )
        .await
        .as_bool()
        .unwrap_or(false)
    );
    assert_eq!(
        count(app.coverage("KD-22759-0001", "household", &ward).await),
        2
    );
    let disputes = json(
        app.get(&format!("/api/v1/campaigns/{code}/disputes"), Some(&ward))
            .await,
    )
    .await;
    assert_eq!(disputes[0]["status"], "replaced");
    assert_eq!(disputes[0]["contest"]["full_name"], "Chủ Hộ Thật");
    // In English.
    click(c, "button.lang").await;
    wait_for_text(c, "flags", "short time").await;
    let left: Vec<String> = untranslated(c)
        .await
        .into_iter()
        .filter(|t| t.trim() != "Tiếng Việt")
        .collect();
    assert!(left.is_empty(), "left in Vietnamese: {left:?}");
    let bad = contrast_failures(c).await;
    assert!(bad.is_empty(), "{bad:?}");
    b.screenshot(&format!("{tag}-en-360")).await;
    b.close().await;
}

both!(province_keeps_its_pledge_templates);
both!(flag_bursts => ward_decides_a_contested_pledge);
