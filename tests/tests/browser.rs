//! The product as a person sees it: headless Chromium on a 360×640 screen.

use bvantq_tests::OrFail;
use std::time::Duration;

use bvantq_shared::Role;
use bvantq_tests::browser::{
    Browser, axe_violations, click, contrast_failures, no_sideways_scroll, wait_for,
};
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
    let text = list.text().await.or_fail();
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
    let items = list.find_all(Locator::Css("li")).await.or_fail();
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
    assert!(heading.text().await.or_fail().contains("Xã, phường"));
    let list = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//ul[@data-testid='units'][contains(., 'Phường Phan Rang')]",
        ))
        .await
        .unwrap_or_else(|e| panic!("communes did not load: {e}"));
    assert!(list.text().await.or_fail().contains("Phường Nha Trang"));
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

/// The citizen pages with a form, after opening a household campaign: each path, what shows
/// once it is ready, and its submit button.
async fn form_pages(app: &TestApp) -> [(String, &'static str, &'static str); 3] {
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết 2026", &["KD-22333-0001"])
        .await;
    [
        (
            format!("/k/{code}"),
            "form.pledge",
            "form.pledge button.primary",
        ),
        (
            "/to-giac".to_string(),
            "form.tip",
            "form.tip button.primary",
        ),
        (
            "/theo-doi".to_string(),
            "section.follow-up form",
            "section.follow-up form button.primary",
        ),
    ]
}

/// Every page, as it first shows and with its field errors showing, in both languages, meets WCAG
/// AA contrast.
async fn every_page_meets_wcag_aa_contrast(app: TestApp) {
    let mut pages: Vec<(String, &str, Option<&str>)> = form_pages(&app)
        .await
        .into_iter()
        .map(|(path, ready, submit)| (path, ready, Some(submit)))
        .collect();
    pages.push(("/".to_string(), "#bvantq-app select, #bvantq-app ul", None));
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    let mut failures = Vec::new();
    for english in [false, true] {
        for (path, ready, submit) in &pages {
            c.goto(&app.url(path))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            wait_for(c, ready).await;
            if english {
                // Switched once below, and remembered.
                let other = wait_for(c, "header .lang").await.text().await.or_fail();
                assert!(other.contains("Tiếng Việt"), "still Vietnamese: {other}");
            }
            let lang = if english { "en" } else { "vi" };
            failures.extend(
                contrast_failures(c)
                    .await
                    .into_iter()
                    .map(|f| format!("{path} {lang}: {f}")),
            );
            failures.extend(
                axe_violations(c)
                    .await
                    .into_iter()
                    .map(|f| format!("{path} {lang}, axe-core: {f}")),
            );
            if let Some(submit) = submit {
                click(c, submit).await;
                wait_for(c, ".field-error").await;
                failures.extend(
                    contrast_failures(c)
                        .await
                        .into_iter()
                        .map(|f| format!("{path} {lang}, errors shown: {f}")),
                );
                failures.extend(
                    axe_violations(c)
                        .await
                        .into_iter()
                        .map(|f| format!("{path} {lang}, errors shown, axe-core: {f}")),
                );
            }
        }
        if !english {
            click(c, "header .lang").await;
        }
    }
    // The check itself sees low contrast: light grey on white (2.3:1) is caught.
    bvantq_tests::browser::js(
        c,
        "const p = document.createElement('p'); p.textContent = 'kiểm tra'; \
         p.style.cssText = 'color: #aaa; background: #fff'; document.body.append(p);",
        vec![],
    )
    .await;
    let caught = contrast_failures(c).await;
    // And axe-core sees what it is run for: an image without a text alternative (WCAG 1.1.1).
    bvantq_tests::browser::js(
        c,
        "const i = document.createElement('img'); i.src = '/favicon.ico'; document.body.append(i);",
        vec![],
    )
    .await;
    let axe = axe_violations(c).await;
    assert!(
        axe.iter().any(|v| v.starts_with("image-alt")),
        "axe-core missed an image without alt: {axe:?}"
    );
    b.close().await;
    assert!(
        caught.iter().any(|f| f.contains("kiểm tra")),
        "the contrast check missed #aaa on white: {caught:?}"
    );
    assert!(
        failures.is_empty(),
        "below WCAG AA contrast:\n{}",
        failures.join("\n")
    );
}

/// Every control a page has, reached on a KaiOS-sized screen (240 × 320): brought into view, it
/// lies within the width and nothing covers it — in the pledge form, the tip form and the
/// follow-up page, as they open and with their field errors showing, in both languages.
async fn every_control_is_reachable_at_240_by_320(app: TestApp) {
    const REACH: &str = "const bad = []; \
        const els = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href]')] \
          .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden'); \
        for (const e of els) { \
          e.scrollIntoView({block: 'center', inline: 'nearest'}); \
          const r = e.getBoundingClientRect(); \
          const name = e.id || e.name || e.textContent.trim().slice(0, 30) || e.tagName; \
          if (r.width < 1 || r.height < 1) continue; \
          if (r.left < -1 || r.right > document.documentElement.clientWidth + 1) { \
            bad.push(name + ': outside the width (' + Math.round(r.left) + '..' + Math.round(r.right) + ')'); continue; } \
          const x = r.left + r.width / 2, y = Math.max(0, Math.min(r.top + Math.min(r.height, 40) / 2, innerHeight - 1)); \
          const hit = document.elementFromPoint(x, y); \
          const own = hit && (hit === e || e.contains(hit) || hit.contains(e) || \
            [...(e.labels || [])].some(l => l === hit || l.contains(hit))); \
          if (!own) bad.push(name + ': covered by ' + (hit ? hit.tagName + '.' + hit.className : 'nothing')); \
        } \
        return [els.length, bad];";
    let pages = form_pages(&app).await;
    let b = Browser::start(240, 320).await;
    let c = &b.client;
    let mut failures = Vec::new();
    for english in [false, true] {
        for (path, ready, submit) in &pages {
            c.goto(&app.url(path))
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            wait_for(c, ready).await;
            let width = bvantq_tests::browser::js(c, "return window.innerWidth;", vec![]).await;
            assert_eq!(
                width, 240,
                "{path}: the page is laid out for a KaiOS screen"
            );
            let lang = if english { "en" } else { "vi" };
            for errors in [false, true] {
                if errors {
                    bvantq_tests::browser::js(
                        c,
                        &format!("document.querySelector('{submit}').scrollIntoView({{block: 'center'}});"),
                        vec![],
                    )
                    .await;
                    click(c, submit).await;
                    wait_for(c, ".field-error").await;
                }
                no_sideways_scroll(c).await;
                let found = bvantq_tests::browser::js(c, REACH, vec![]).await;
                let controls = found[0].as_u64().unwrap_or_else(|| panic!("{found}"));
                assert!(controls >= 3, "{path}: only {controls} controls found");
                for bad in found[1].as_array().into_iter().flatten() {
                    failures.push(format!("{path} {lang} (errors: {errors}): {bad}"));
                }
            }
        }
        if !english {
            click(c, "header .lang").await;
        }
    }
    b.screenshot(&format!("reach-{:?}-240", app.backend).to_lowercase())
        .await;
    // The check sees what it is for: a bar fixed over the page covers the controls under it.
    bvantq_tests::browser::js(
        c,
        "const d = document.createElement('div'); \
         d.style.cssText = 'position: fixed; left: 0; right: 0; top: 0; bottom: 0; background: #fff'; \
         document.body.append(d);",
        vec![],
    )
    .await;
    let covered = bvantq_tests::browser::js(c, REACH, vec![]).await;
    assert!(
        covered[1].as_array().is_some_and(|b| !b.is_empty()),
        "the reach check missed a covering bar: {covered}"
    );
    b.close().await;
    assert!(
        failures.is_empty(),
        "controls out of reach at 240 × 320:\n{}",
        failures.join("\n")
    );
}

both!(
    unit_picker_in_the_browser,
    every_page_meets_wcag_aa_contrast,
    every_control_is_reachable_at_240_by_320
);

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
    let out = server.output.lock().map(|o| o.clone()).or_fail();
    assert!(
        out.contains("congan.phanrang"),
        "demo logins are printed:\n{out}"
    );
    pick_a_commune(&server.address, "readme-run").await;

    // The demo ward officer signs in to the console with the printed login and finds the demo
    // tips, the one with a life in danger first.
    let password = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("congan.phanrang "))
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no password printed for congan.phanrang:\n{out}"))
        .to_string();
    assert_eq!(
        out.matches("demo tip (").count(),
        3,
        "three demo tips, their receipt codes shown once:\n{out}"
    );
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&format!("{}/console", server.address))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.login").await;
    bvantq_tests::browser::fill(c, "username", "congan.phanrang").await;
    bvantq_tests::browser::fill(c, "password", &password).await;
    click(c, "form.login button.primary").await;
    bvantq_tests::browser::wait_for_text(c, "queue", "Ma túy").await;
    let first = wait_for(c, ".queue li").await.text().await.or_fail();
    assert!(first.contains("Bạo lực"), "life-safety first: {first}");
    b.screenshot("readme-run-console-360").await;
    b.close().await;
}
