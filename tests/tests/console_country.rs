//! The country in the console (issue 21): an administrator opens «Toàn quốc» at 360 px and at a
//! desk width, in Vietnamese and in English, reads each current province beside the country's
//! total and when the figures were read, and opens a province's own results page from its row.
//! Other roles have no such section.

use bvantq_shared::Role;
use bvantq_tests::browser::{
    checked_page, click, js, no_sideways_scroll, open_section, wait_for, wait_for_text,
};
use bvantq_tests::{OrFail, TestApp, both, json};

async fn an_administrator_reads_the_country(app: TestApp) {
    let tag = format!("console-country-{:?}", app.backend).to_lowercase();
    app.add_user("quantri.toanquoc", Role::Admin, "56");
    let admin = app.login_as(Role::Admin, "56").await;
    let national = json(app.get("/api/v1/dashboard/national", Some(&admin)).await).await;
    let want: Vec<String> = national["provinces"]
        .as_array()
        .or_fail()
        .iter()
        .map(|r| format!("row-{}", bvantq_tests::text(r, "unit_code")))
        .collect();
    assert!(want.len() >= 2, "{national}");
    for en in [false, true] {
        let tab = if en { "Country" } else { "Toàn quốc" };
        let b = open_section(&app, "quantri.toanquoc", tab, en).await;
        let c = &b.client;
        wait_for(c, "[data-testid=provinces]").await;
        let rows = js(
            c,
            "return [...document.querySelectorAll('[data-testid=provinces] tbody tr')].map(r => r.dataset.testid);",
            vec![],
        )
        .await;
        assert_eq!(rows, serde_json::json!(want));
        // t0 is 08:00 UTC on 2 March 2026: 15:00 in Vietnam.
        let as_of = wait_for(c, "[data-testid=as-of]")
            .await
            .text()
            .await
            .or_fail();
        let zone = if en {
            "Vietnam time"
        } else {
            "giờ Việt Nam"
        };
        assert!(
            as_of.contains("15:00") && as_of.contains("02/03/2026") && as_of.contains(zone),
            "{as_of}"
        );
        checked_page(c, en).await;
        let lang = if en { "en" } else { "vi" };
        b.screenshot(&format!("{tag}-{lang}-360")).await;
        // A desk's screen.
        b.cdp(
            "Emulation.setDeviceMetricsOverride",
            serde_json::json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await;
        no_sideways_scroll(c).await;
        b.screenshot(&format!("{tag}-{lang}-1280")).await;
        // A province's row opens its own results page, and the way back.
        click(c, "[data-testid=provinces] [data-testid=row-56] button").await;
        wait_for_text(c, "results-title", "Khánh Hoà").await;
        click(c, "[data-testid=back-to-country]").await;
        wait_for(c, "[data-testid=provinces]").await;
        b.close().await;
    }
    // A province's officer has no such section.
    app.add_user("tinh.khonghoa", Role::ProvinceOfficer, "56");
    let b = open_section(&app, "tinh.khonghoa", "Kết quả", false).await;
    let tabs = js(
        &b.client,
        "return document.querySelectorAll('[data-testid=nav-country]').length;",
        vec![],
    )
    .await;
    assert_eq!(tabs, 0);
    b.close().await;
}

both!(an_administrator_reads_the_country);
