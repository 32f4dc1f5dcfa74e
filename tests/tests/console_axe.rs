//! axe-core (Deque's WCAG 2.1 A/AA rules, pinned in `./dev`) on every section of the officer
//! console, as each role that has the section sees it, at 360 px, in Vietnamese and in English,
//! with the section's forms sent empty so their field errors show (issue 22).

use std::time::Duration;

use bvantq_shared::Role;
use bvantq_tests::browser::{Browser, axe_violations, js, sign_in, wait_for};
use bvantq_tests::{OrFail, TEST_PASSWORD, TestApp, both};
use fantoccini::Client;

/// Who signs in, and where their work is.
const ROLES: &[(&str, Role, &str)] = &[
    ("axe.quantri", Role::Admin, "56"),
    ("axe.tinh", Role::ProvinceOfficer, "56"),
    ("axe.phuong", Role::WardOfficer, "22333"),
    ("axe.lanhdao", Role::CommuneLeader, "22333"),
    ("axe.khupho", Role::AreaHead, "KD-22333-0001"),
    ("axe.sogd", Role::EducationOfficer, "56"),
    ("axe.truong", Role::SchoolAdmin, "TH-22759-0001"),
    ("axe.gvcn", Role::FormTeacher, "LH-22759-0001"),
];

/// Lets the section's requests answer and yew draw what they brought: polls every 100 ms until
/// nothing in the section is loading (10 s at most), then gives yew 200 ms to draw.
async fn settle(c: &Client) {
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let busy = js(
            c,
            "return !!document.querySelector('main [aria-busy=true], main .loading');",
            vec![],
        )
        .await;
        if busy == serde_json::Value::Bool(false) {
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
}

/// Opens the section's create forms and sends each of its forms that has an empty field, so the
/// field errors show (a form with nothing empty is left alone: sending it would do the
/// section's work). Returns how many field errors are on the page afterwards.
async fn show_errors(c: &Client) -> u64 {
    // A form behind its button ("Tạo đợt ký mới", "Mẫu mới") is opened first.
    js(
        c,
        "for (const b of document.querySelectorAll('main button')) {
           if (!b.closest('form') && /^Tạo |mới$/.test(b.textContent.trim())) b.click();
         }",
        vec![],
    )
    .await;
    settle(c).await;
    js(
        c,
        "for (const f of document.querySelectorAll('main form')) {
           const empty = [...f.querySelectorAll(
               'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=file]), textarea')]
             .some(i => !i.value && !i.disabled && !i.readOnly);
           const send = f.querySelector('button:not([type=button])');
           if (empty && send) send.click();
         }",
        vec![],
    )
    .await;
    settle(c).await;
    js(
        c,
        "return document.querySelectorAll('.field-error').length;",
        vec![],
    )
    .await
    .as_u64()
    .or_fail()
}

/// The labels of the section tabs the signed-in role has, and the password page.
async fn sections(c: &Client) -> Vec<String> {
    let found = js(
        c,
        "return [...document.querySelectorAll('nav.sections button.tab')].map(b => b.textContent);",
        vec![],
    )
    .await;
    found
        .as_array()
        .or_fail()
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

async fn every_console_section_passes_axe(app: TestApp) {
    let mut found = Vec::new();
    let mut with_errors = 0;
    let mut checked = 0;
    for (user, role, scope) in ROLES {
        app.add_user(user, *role, scope);
        let b = Browser::start(360, 640).await;
        let c = &b.client;
        c.goto(&app.url("/console"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        sign_in(c, user, TEST_PASSWORD).await;
        wait_for(c, "nav.who-bar").await;
        settle(c).await;
        let tabs = sections(c).await;
        // Each tab, then the password page (from the bar above the tabs).
        for i in 0..=tabs.len() {
            let (name, open) = match tabs.get(i) {
                Some(t) => (
                    t.clone(),
                    format!("document.querySelectorAll('nav.sections button.tab')[{i}].click();"),
                ),
                None => (
                    "password".to_string(),
                    "document.querySelector('nav.who-bar button.secondary:not(.sign-out)').click();"
                        .to_string(),
                ),
            };
            js(c, &open, vec![]).await;
            settle(c).await;
            let errors = show_errors(c).await;
            if errors > 0 {
                with_errors += 1;
            }
            eprintln!("{user} / {name}: {errors} field errors showing");
            b.screenshot(&format!("axe-{user}-{i}")).await;
            for lang in ["vi", "en"] {
                // The page says the language it is in (WCAG 3.1.1), which axe cannot tell.
                let page_lang = js(c, "return document.documentElement.lang;", vec![]).await;
                assert_eq!(page_lang, lang, "{user} / {name}: <html lang>");
                for v in axe_violations(c).await {
                    found.push(format!("{user} / {name} / {lang}: {v}"));
                }
                checked += 1;
                // The switch redraws the section in the other language, errors and all.
                js(c, "document.querySelector('button.lang').click();", vec![]).await;
                settle(c).await;
            }
        }
    }
    assert!(found.is_empty(), "axe-core (WCAG 2.1 A/AA): {found:#?}");
    // The check reached the sections and saw their errors (not a page that never loaded).
    assert!(checked >= 30, "{checked} pages checked");
    assert!(
        with_errors >= 15,
        "field errors showed in {with_errors} sections"
    );
}

both!(every_console_section_passes_axe);
