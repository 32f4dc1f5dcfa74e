//! The product as a person sees it: headless Chromium on a 360×640 screen.

use std::time::Duration;

use bvantq_tests::browser::{Browser, no_sideways_scroll};
use bvantq_tests::process::{ServerProcess, repo_root};
use bvantq_tests::{TestApp, both};
use fantoccini::Locator;

/// Opens `/`, checks the province list, searches without diacritics, opens a province and sees
/// its communes; saves screenshots named after `tag`.
async fn pick_a_commune(base: &str, tag: &str) {
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&format!("{base}/"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let list = c
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("[data-testid=units]"))
        .await
        .unwrap_or_else(|e| panic!("the unit list did not appear: {e}"));
    let text = list.text().await.unwrap_or_default();
    assert!(text.contains("Khánh Hoà"), "{text}");
    assert!(
        !text.contains("Ninh Thuận"),
        "a merged province is not offered: {text}"
    );
    b.screenshot(&format!("{tag}-provinces-360")).await;

    let search = c
        .find(Locator::Id("unit-search"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    search
        .send_keys("khanh hoa")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let list = c
        .find(Locator::Css("[data-testid=units]"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let items = list.find_all(Locator::Css("li")).await.unwrap_or_default();
    assert_eq!(
        items.len(),
        1,
        "search without diacritics narrows to Khánh Hòa"
    );
    items[0]
        .find(Locator::Css("button"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));

    let heading = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath("//h2[contains(., 'Tỉnh Khánh Hoà')]"))
        .await
        .unwrap_or_else(|e| panic!("the province page did not open: {e}"));
    assert!(
        heading
            .text()
            .await
            .unwrap_or_default()
            .contains("Xã, phường")
    );
    let list = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//ul[@data-testid='units'][contains(., 'Phường Phan Rang')]",
        ))
        .await
        .unwrap_or_else(|e| panic!("communes did not load: {e}"));
    assert!(
        list.text()
            .await
            .unwrap_or_default()
            .contains("Phường Nha Trang")
    );
    // No horizontal scrolling on a 360 px phone.
    no_sideways_scroll(c).await;
    b.screenshot(&format!("{tag}-communes-360")).await;

    // English toggle.
    c.find(Locator::Css("button.lang"))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    c.wait()
        .at_most(Duration::from_secs(5))
        .for_element(Locator::XPath("//h2[contains(., 'Communes of')]"))
        .await
        .unwrap_or_else(|e| panic!("English did not apply: {e}"));
    b.close().await;
}

async fn unit_picker_in_the_browser(app: TestApp) {
    let tag = format!("picker-{:?}", app.backend).to_lowercase();
    pick_a_commune(&app.address, &tag).await;
}

both!(unit_picker_in_the_browser);

/// The README's run command, on the embedded default database, brings up the product.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readme_run_command_serves_the_unit_picker() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let server = ServerProcess::start(
        &repo_root().join("dev"),
        &["run", "--bind", "127.0.0.1:0"],
        &[
            // The debug build the test command has already made; `./dev run` alone builds release.
            ("BVANTQ_PROFILE", "dev".into()),
            ("BVANTQ_DATA_DIR", data.path().display().to_string()),
        ],
        Duration::from_secs(900),
    )
    .await;
    let out = server.output.lock().map(|o| o.clone()).unwrap_or_default();
    assert!(
        out.contains("congan.phanrang"),
        "demo logins are printed:\n{out}"
    );
    pick_a_commune(&server.address, "readme-run").await;
}
