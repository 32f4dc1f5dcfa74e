//! The pledge form in headless Chromium on a 360×640 phone, against the real server.

use bvantq_shared::{Role, ValidationError};
use bvantq_tests::OrFail;
use bvantq_tests::browser::{
    Browser, click, fill, in_view, js, no_sideways_scroll, wait_for, wait_for_text,
};
use bvantq_tests::{TestApp, both, json};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

async fn accept_everything(c: &Client) {
    js(
        c,
        "document.querySelectorAll('.commitments input, #privacy_consent').forEach(e => e.click());",
        vec![],
    )
    .await;
}

/// A household's pledge filled in: head's name, date of birth, CCCD, address, members; every
/// commitment and the privacy notice accepted.
async fn fill_household(c: &Client, [name, birth, cccd, address, members]: [&str; 5]) {
    for (id, v) in [
        ("full_name", name),
        ("birth_date", birth),
        ("citizen_id", cccd),
        ("address", address),
        ("members", members),
    ] {
        fill(c, id, v).await;
    }
    accept_everything(c).await;
}

async fn error_of(c: &Client, field: &str) -> String {
    wait_for(c, &format!("#err-{field}"))
        .await
        .text()
        .await
        .or_fail()
}

/// A ward officer of 22333 opens a household campaign for its first residential area; its code.
async fn household_campaign(app: &TestApp, title: &str) -> String {
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    app.open_campaign(&ward, "household", title, &["KD-22333-0001"])
        .await
}

async fn household_pledge_on_a_phone(app: TestApp) {
    let tag = format!("{:?}", app.backend).to_lowercase();
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let code = app
        .open_campaign(
            &ward,
            "household",
            "Cam kết household 2026",
            &["KD-22333-0001"],
        )
        .await;
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url(&format!("/k/{code}")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.pledge").await;
    let boxes = c
        .find_all(Locator::Css(".commitments input"))
        .await
        .or_fail();
    assert_eq!(
        boxes.len(),
        7,
        "every commitment of the template, each to accept"
    );
    // The signing period, as Vietnamese write dates.
    wait_for_text(c, "window", "Thời gian ký: 01/03/2026 – 31/12/2026").await;
    no_sideways_scroll(c).await;
    b.screenshot(&format!("pledge-household-{tag}-form-360"))
        .await;

    // Sent empty: the shared parsers answer, with the server's own messages, on the fields.
    click(c, "button.primary").await;
    assert_eq!(
        error_of(c, "full_name").await,
        ValidationError::Required.message_vi()
    );
    assert_eq!(
        error_of(c, "commitments_accepted").await,
        ValidationError::CommitmentsIncomplete.message_vi()
    );
    let focused = js(
        c,
        "return document.activeElement && document.activeElement.id",
        vec![],
    )
    .await;
    assert_ne!(
        focused,
        Value::Null,
        "the first wrong field takes the focus"
    );
    b.screenshot(&format!("pledge-household-{tag}-errors-360"))
        .await;

    fill_household(
        c,
        [
            "Nguyễn Văn Hộ",
            "1975-04-12",
            "056075000123",
            "Số 5 đường Trần Phú",
            "4",
        ],
    )
    .await;
    click(c, "button.primary").await;
    let receipt = wait_for(c, "[data-testid=receipt-code]").await;
    let number = receipt.text().await.or_fail();
    assert!(!number.is_empty());
    no_sideways_scroll(c).await;
    b.screenshot(&format!("pledge-household-{tag}-receipt-360"))
        .await;

    // The ward closes the campaign early (the day it opened): the same link now says so.
    let r = app
        .put(
            &format!("/api/v1/campaigns/{code}/window"),
            &json!({"opens_on": "2026-03-01", "closes_on": "2026-03-01"}),
            &ward,
        )
        .await;
    assert_eq!(r.status(), 200);
    c.goto(&app.url(&format!("/k/{code}")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for_text(c, "window", "01/03/2026 – 01/03/2026").await;
    let closed = wait_for(c, "p.error[role=alert]").await;
    assert_eq!(
        closed.text().await.or_fail(),
        "Đợt cam kết này hiện không mở để ký."
    );
    b.screenshot(&format!("pledge-household-{tag}-closed-360"))
        .await;
    b.close().await;
    assert_eq!(
        app.count("pledges"),
        1,
        "the pledge is in the database once"
    );
    let v = json(
        app.get(&format!("/api/v1/pledges/verify/{number}"), None)
            .await,
    )
    .await;
    assert_eq!(v["initials"], "N.V.H.");
}

async fn a_student_under_18_needs_a_guardian(app: TestApp) {
    let school = app.login_as(Role::SchoolAdmin, "TH-22759-0001").await;
    let code = app
        .open_campaign(
            &school,
            "student",
            "Cam kết student 2026",
            &["LH-22759-0001"],
        )
        .await;
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    c.goto(&app.url(&format!("/k/{code}")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.pledge").await;
    assert!(
        c.find(Locator::Css("[data-testid=guardian]"))
            .await
            .is_err()
    );
    fill(c, "full_name", "Trần Thị Học").await;
    fill(c, "birth_date", "2012-09-05").await;
    wait_for(c, "[data-testid=guardian]").await;
    accept_everything(c).await;
    click(c, "button.primary").await;
    // The message is the one the server gives for the same mistake.
    let server = json(
        app.post(
            &format!("/api/v1/campaigns/{code}/pledges"),
            &json!({"unit_code": "LH-22759-0001", "full_name": "Trần Thị Học", "birth_date": "2012-09-05",
                    "commitments_accepted": [1, 2, 3, 4, 5], "privacy_consent": true}),
            None,
            Some("server-check"),
        )
        .await,
    )
    .await;
    assert_eq!(server["code"], "guardian_required", "{server}");
    assert_eq!(
        error_of(c, "guardian").await,
        bvantq_tests::text(&server, "message_vi")
    );
    b.screenshot("pledge-student-guardian-360").await;
    fill(c, "guardian_name", "Trần Văn Cha").await;
    fill(c, "guardian_relation", "bố").await;
    fill(c, "guardian_phone", "0912345678").await;
    click(c, "button.primary").await;
    wait_for(c, "[data-testid=receipt-code]").await;
    b.close().await;
    assert_eq!(app.count("pledges"), 1);
}

/// The server stops (a crash, a cut line), then the household form is filled with `person` and
/// signed: the pledge is kept on the phone. Returns the "saved, will be sent" notice.
async fn sign_while_the_server_is_down(
    app: &mut TestApp,
    c: &Client,
    person: [&str; 5],
) -> fantoccini::elements::Element {
    app.stop().await;
    fill_household(c, person).await;
    click(c, "button.primary").await;
    wait_for(c, "[data-testid=saved]").await
}

async fn outbox_len(c: &Client) -> Value {
    js(
        c,
        "return JSON.parse(localStorage.getItem('bvantq.outbox.pledges') || '[]').length",
        vec![],
    )
    .await
}

/// The server stops (as in a crash or a cut line): a pledge submitted meanwhile is kept on the
/// phone as "saved, will be sent". When the server is back it arrives exactly once — by itself
/// while the page stays open (the phone's `online` event, or the periodic retry), or when the
/// page is opened again.
async fn an_offline_pledge_is_kept_and_arrives_once(mut app: TestApp) {
    let code = household_campaign(&app, "Cam kết household 2026").await;
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    let page = app.url(&format!("/k/{code}"));

    // 1. Sent again when the network returns, the page still open.
    c.goto(&page).await.unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.pledge").await;
    let notice = sign_while_the_server_is_down(
        &mut app,
        c,
        [
            "Lê Thị Mạng",
            "1980-02-29",
            "056180000321",
            "Số 9 đường Yersin",
            "3",
        ],
    )
    .await;
    assert!(notice.text().await.or_fail().contains("sẽ gửi"));
    assert!(
        in_view(c, "[data-testid=saved]").await,
        "the notice is off screen"
    );
    b.screenshot("pledge-offline-saved-360").await;
    assert_eq!(app.count("pledges"), 0);
    assert_eq!(outbox_len(c).await, json!(1));
    app.restart().await;
    js(c, "window.dispatchEvent(new Event('online'));", vec![]).await;
    wait_for(c, "[data-testid=receipt-code]").await;
    assert_eq!(app.count("pledges"), 1);
    assert_eq!(
        outbox_len(c).await,
        json!(0),
        "the phone forgets it once sent"
    );

    // 2. Sent when the page is opened again.
    c.goto(&page).await.unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.pledge").await;
    sign_while_the_server_is_down(
        &mut app,
        c,
        [
            "Trần Văn Bền",
            "1975-11-30",
            "056075000654",
            "Số 11 đường Yersin",
            "5",
        ],
    )
    .await;
    assert_eq!(outbox_len(c).await, json!(1));
    app.restart().await;
    c.refresh().await.unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "[data-testid=receipt-code]").await;
    assert_eq!(app.count("pledges"), 2);
    let kept = js(
        c,
        "return localStorage.getItem('bvantq.outbox.pledges')",
        vec![],
    )
    .await;
    assert_eq!(kept, Value::Null, "the phone forgets it once sent");
    c.refresh().await.unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.pledge").await;
    assert_eq!(app.count("pledges"), 2, "each exactly once");
    b.close().await;
}

/// Another site's page (here: the same server under a second name, `localhost` instead of
/// `127.0.0.1`, so a different origin) embeds one campaign's form with one element and one script
/// tag; the form talks to its own server across origins and the pledge arrives.
async fn the_form_embeds_in_another_sites_page(app: TestApp) {
    let code = household_campaign(&app, "Cam kết household 2026").await;
    // The demo page shows the two lines to copy, and works as they say.
    let demo = app
        .client
        .get(app.url(&format!("/embed-demo?campaign={code}")))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .text()
        .await
        .or_fail();
    assert!(
        demo.contains(&format!(
            "&lt;div id=&quot;bvantq-app&quot; data-campaign=&quot;{code}&quot;&gt;"
        )),
        "{demo}"
    );
    // The script's address is the configured public one, whatever host the page was asked for.
    assert!(demo.contains(&format!("src=\"{}/embed.js\"", app.config.public_url)));

    let b = Browser::start(360, 640).await;
    let c = &b.client;
    let other = app.address.replace("127.0.0.1", "localhost");
    c.goto(&format!("{other}/embed-demo?campaign={code}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The page is on `localhost`; the script, as the snippet says, on the public address
    // (`127.0.0.1`): the form works across origins.
    wait_for(c, "#bvantq-app form.pledge").await;
    let origin = js(c, "return location.origin", vec![]).await;
    assert!(
        origin.as_str().is_some_and(|o| o.contains("localhost")),
        "{origin}"
    );
    // Switched to English, the form says so on its own element; the host page's language is
    // the host's, and stays so.
    let host_lang = js(c, "return document.documentElement.lang", vec![]).await;
    click(c, "button.lang.embedded").await;
    wait_for(c, ".bvantq-embed[lang=en]").await;
    assert_eq!(
        js(c, "return document.documentElement.lang", vec![]).await,
        host_lang
    );
    click(c, "button.lang.embedded").await;
    wait_for(c, ".bvantq-embed[lang=vi]").await;
    fill_household(
        c,
        [
            "Phạm Văn Nhúng",
            "1968-06-01",
            "056068000777",
            "Số 3 đường Lê Thánh Tôn",
            "5",
        ],
    )
    .await;
    click(c, "button.primary").await;
    wait_for(c, "[data-testid=receipt-code]").await;
    no_sideways_scroll(c).await;
    b.screenshot("pledge-embedded-cross-origin-360").await;
    b.close().await;
    assert_eq!(app.count("pledges"), 1);
    // The officer API stays same-origin: its preflight does not allow `Authorization`.
    let r = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/tips"))
        .header("Origin", "http://example.org")
        .header("Access-Control-Request-Method", "GET")
        .header("Access-Control-Request-Headers", "authorization")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let allowed = r
        .headers()
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .or_fail()
        .to_string();
    assert!(!allowed.contains("authorization"), "{allowed}");
}

/// An Android app's WebView as it comes: Chromium with the app's user agent (`; wv)`), and DOM
/// storage off (`setDomStorageEnabled` defaults to false, so `window.localStorage` is null). The
/// form must still load, switch language and sign; only keeping a pledge on the phone is lost.
async fn the_form_works_in_an_android_webview_without_storage(app: TestApp) {
    let code = household_campaign(&app, "Cam kết 2026").await;
    let b = Browser::start(360, 640).await;
    b.cdp(
        "Network.setUserAgentOverride",
        json!({"userAgent": "Mozilla/5.0 (Linux; Android 10; K; wv) AppleWebKit/537.36 \
            (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36"}),
    )
    .await;
    b.cdp(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "Object.defineProperty(window, 'localStorage', {get() { return null; }});"}),
    )
    .await;
    let c = &b.client;
    c.goto(&app.url(&format!("/k/{code}")))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.pledge").await;
    let env = js(
        c,
        "return [navigator.userAgent.includes('; wv)'), window.localStorage === null]",
        vec![],
    )
    .await;
    assert_eq!(env, json!([true, true]), "not a WebView without storage");
    click(c, "header .lang").await;
    let other = wait_for(c, "header .lang").await.text().await.or_fail();
    assert!(other.contains("Tiếng Việt"), "{other}");
    fill_household(
        c,
        [
            "Phạm Thị Web",
            "1990-05-20",
            "056190000777",
            "Số 3 đường Hùng Vương",
            "4",
        ],
    )
    .await;
    click(c, "button.primary").await;
    wait_for(c, "[data-testid=receipt-code]").await;
    no_sideways_scroll(c).await;
    b.screenshot("pledge-webview-receipt-360").await;
    assert_eq!(app.count("pledges"), 1);
    b.close().await;
}

/// Embedded in another site, the form keeps an unsent pledge in that site's storage — which
/// that site's scripts can read — so it keeps it without the CCCD number, and asks for the number
/// again when the page opens; the pledge then arrives once, under the key it was kept with.
async fn an_embedded_form_never_stores_the_cccd(mut app: TestApp) {
    let code = household_campaign(&app, "Cam kết 2026").await;
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    // The school's page on another origin (`localhost`), the form from the public address.
    let page = format!(
        "{}/embed-demo?campaign={code}",
        app.address.replace("127.0.0.1", "localhost")
    );
    c.goto(&page).await.unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "#bvantq-app form.pledge").await;
    let cccd = "056180000987";
    sign_while_the_server_is_down(
        &mut app,
        c,
        [
            "Hồ Thị Nhúng",
            "1980-02-29",
            cccd,
            "Số 21 đường Yersin",
            "4",
        ],
    )
    .await;
    let kept = js(
        c,
        "return localStorage.getItem('bvantq.outbox.pledges')",
        vec![],
    )
    .await;
    let kept = kept.as_str().or_fail().to_string();
    assert!(kept.contains("Hồ Thị Nhúng"), "the pledge is kept: {kept}");
    assert!(
        !kept.contains(cccd) && !kept.contains(&cccd[8..]),
        "the host page's storage holds the CCCD: {kept}"
    );
    // Everything the page's scripts can reach, not only the outbox.
    let all = js(c, "return JSON.stringify(Object.assign({}, localStorage)) + JSON.stringify(Object.assign({}, sessionStorage)) + document.cookie", vec![]).await;
    assert!(!all.as_str().or_fail().contains(cccd));
    app.restart().await;
    c.goto(&page).await.unwrap_or_else(|e| panic!("{e}"));
    let notice = wait_for(c, "[data-testid=kept-without-cccd]").await;
    assert!(notice.text().await.or_fail().contains("CCCD"));
    b.screenshot("pledge-embedded-kept-without-cccd-360").await;
    let name = js(
        c,
        "return document.getElementById('full_name').value",
        vec![],
    )
    .await;
    assert_eq!(name, json!("Hồ Thị Nhúng"), "the form is filled again");
    assert_eq!(
        app.count("pledges"),
        0,
        "nothing was sent without the number"
    );
    fill(c, "citizen_id", cccd).await;
    click(c, "button.primary").await;
    wait_for(c, "[data-testid=receipt-code]").await;
    assert_eq!(app.count("pledges"), 1);
    let kept = js(
        c,
        "return localStorage.getItem('bvantq.outbox.pledges')",
        vec![],
    )
    .await;
    assert_eq!(kept, Value::Null);
    b.close().await;
}

/// Polls `script` (which may return a promise) until it returns `want`, for up to 30 s.
async fn until(c: &Client, script: &str, want: Value) {
    let mut last = Value::Null;
    for _ in 0..300 {
        last = js(c, script, vec![]).await;
        if last == want {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{script}: {last}, not {want}");
}

/// How many pledges the service worker holds to send.
const WORKER_OUTBOX: &str =
    "return caches.open('bvantq-outbox').then(c => c.keys()).then(k => k.length)";

/// After one visit, the pledge page opens with no server at all (the service worker's copy of the
/// page, the wasm from its cache), is filled and kept; when the server is back it arrives exactly
/// once — the page's own queue and the worker's (Background Sync) both send it, under one key.
async fn the_form_opens_offline_after_one_visit(mut app: TestApp) {
    let code = household_campaign(&app, "Cam kết household 2026").await;
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    let page = app.url(&format!("/k/{code}"));
    c.goto(&page).await.or_fail();
    wait_for(c, "form.pledge").await;
    // The worker controls the page and keeps it.
    until(
        c,
        "return !!navigator.serviceWorker.controller",
        json!(true),
    )
    .await;
    until(
        c,
        "return caches.match(location.origin + location.pathname).then(r => !!r)",
        json!(true),
    )
    .await;

    // No server: the page opens all the same, in Vietnamese, the campaign's commitments in it.
    app.stop().await;
    c.goto(&page).await.or_fail();
    wait_for(c, "form.pledge").await;
    assert_eq!(
        c.find_all(Locator::Css(".commitments input"))
            .await
            .or_fail()
            .len(),
        7
    );
    b.screenshot("pledge-offline-opened-360").await;
    fill_household(
        c,
        [
            "Phạm Văn Ngoại",
            "1970-06-15",
            "056070000987",
            "Số 3 đường Hải Thượng",
            "2",
        ],
    )
    .await;
    click(c, "button.primary").await;
    wait_for(c, "[data-testid=saved]").await;
    assert_eq!(app.count("pledges"), 0);
    assert_eq!(outbox_len(c).await, json!(1), "the page keeps it");
    until(c, WORKER_OUTBOX, json!(1)).await;

    // The server back: both queues send it; it is written once.
    app.restart().await;
    js(c, "window.dispatchEvent(new Event('online'));", vec![]).await;
    wait_for(c, "[data-testid=receipt-code]").await;
    until(c, WORKER_OUTBOX, json!(0)).await;
    assert_eq!(outbox_len(c).await, json!(0));
    assert_eq!(app.count("pledges"), 1, "exactly once");
    c.refresh().await.or_fail();
    wait_for(c, "form.pledge").await;
    assert_eq!(app.count("pledges"), 1, "exactly once");
    b.close().await;
}

/// On a slow link the server's page is there long before the wasm: a person types into it, and
/// when the wasm arrives it draws the same form over the page with everything kept — what was
/// typed and ticked, and the focus in the field being typed — then checks and sends as always.
async fn the_wasm_takes_over_what_was_typed(app: TestApp) {
    let code = household_campaign(&app, "Cam kết household 2026").await;
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    b.cdp("Network.enable", json!({})).await;
    // About 20 kB/s: the page arrives at once, the wasm after several seconds.
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 50, "downloadThroughput": 20_000, "uploadThroughput": 20_000}),
    )
    .await;
    // Navigated from a script, so the driver does not wait for the page's load event (which waits
    // for the wasm's preload): the person starts typing as soon as the form is on screen.
    c.goto("about:blank").await.or_fail();
    js(
        c,
        "location.href = arguments[0];",
        vec![json!(app.url(&format!("/k/{code}")))],
    )
    .await;
    c.wait()
        .at_most(std::time::Duration::from_secs(30))
        .for_element(Locator::Css("#bvantq-app[data-server] #address"))
        .await
        .or_fail();
    let typed = |id: &'static str, text: &'static str| async move {
        c.find(Locator::Id(id))
            .await
            .or_fail()
            .send_keys(text)
            .await
            .or_fail();
    };
    typed("full_name", "Võ Thị Sớm").await;
    typed("citizen_id", "056180000777").await;
    c.find(Locator::Css("label[for='commitment-1']"))
        .await
        .or_fail()
        .click()
        .await
        .or_fail();
    typed("address", "Số 1 đường Ngô Gia").await;
    let before = js(
        c,
        "return document.querySelector('#bvantq-app').hasAttribute('data-wasm')",
        vec![],
    )
    .await;
    assert_eq!(
        before,
        json!(false),
        "typed into the server's page, before the wasm"
    );
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({"offline": false, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}),
    )
    .await;
    // `wait_for` waits for the take-over (`data-wasm`).
    wait_for(c, "form.pledge").await;
    let kept = js(
        c,
        "return ['full_name', 'citizen_id', 'address'].map(id => document.getElementById(id).value)\
           .concat([document.getElementById('commitment-1').checked, document.activeElement.id])",
        vec![],
    )
    .await;
    assert_eq!(
        kept,
        json!([
            "Võ Thị Sớm",
            "056180000777",
            "Số 1 đường Ngô Gia",
            true,
            "address"
        ]),
        "what was typed, ticked and focused is the app's now"
    );
    // The app's own checks run on it: the birth date is missing.
    click(c, "button.primary").await;
    assert_eq!(
        error_of(c, "birth_date").await,
        ValidationError::Required.message_vi()
    );
    assert_eq!(app.count("pledges"), 0);
    fill(c, "birth_date", "1980-01-01").await;
    fill(c, "members", "2").await;
    accept_everything(c).await;
    // `accept_everything` clicks every box: the first, already ticked, is ticked again.
    js(
        c,
        "const b = document.getElementById('commitment-1'); if (!b.checked) b.click();",
        vec![],
    )
    .await;
    click(c, "button.primary").await;
    wait_for(c, "[data-testid=receipt-code]").await;
    assert_eq!(app.count("pledges"), 1);
    b.close().await;
}

/// What the phone holds for another version of the form is never lost to this one: an outbox
/// entry it cannot read stays beside the pledges it keeps and sends (the same JSON), and an
/// outbox that is not even a list is set aside whole before anything is written over it.
async fn an_outbox_another_version_wrote_is_kept(mut app: TestApp) {
    let code = household_campaign(&app, "Cam kết household 2026").await;
    let b = Browser::start(360, 640).await;
    let c = &b.client;
    let page = app.url(&format!("/k/{code}"));
    c.goto(&page).await.unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.pledge").await;
    let foreign = json!({"campaign": "HGD-OTHER", "version": 9, "members": 2.5, "note": "Bản cũ"});
    js(
        c,
        "localStorage.setItem('bvantq.outbox.pledges', JSON.stringify([arguments[0]]));",
        vec![foreign.clone()],
    )
    .await;
    let outbox = "return JSON.parse(localStorage.getItem('bvantq.outbox.pledges') || 'null')";

    sign_while_the_server_is_down(
        &mut app,
        c,
        [
            "Phan Thị Lưu",
            "1982-04-30",
            "056182000987",
            "Số 5 đường Yersin",
            "2",
        ],
    )
    .await;
    let kept = js(c, outbox, vec![]).await;
    assert_eq!(kept.as_array().map(Vec::len), Some(2), "{kept}");
    assert_eq!(kept[0], foreign, "the other version's entry, as it was");
    assert_eq!(kept[1]["body"]["full_name"], json!("Phan Thị Lưu"));

    app.restart().await;
    js(c, "window.dispatchEvent(new Event('online'));", vec![]).await;
    wait_for(c, "[data-testid=receipt-code]").await;
    assert_eq!(app.count("pledges"), 1);
    assert_eq!(
        js(c, outbox, vec![]).await,
        json!([foreign]),
        "only what was sent is forgotten"
    );

    js(
        c,
        "localStorage.setItem('bvantq.outbox.pledges', '{not a list');",
        vec![],
    )
    .await;
    c.goto(&page).await.unwrap_or_else(|e| panic!("{e}"));
    wait_for(c, "form.pledge").await;
    until(
        c,
        "return localStorage.getItem('bvantq.outbox.pledges.unreadable')",
        json!("{not a list"),
    )
    .await;
    b.close().await;
}

both!(
    an_outbox_another_version_wrote_is_kept,
    the_wasm_takes_over_what_was_typed,
    the_form_opens_offline_after_one_visit,
    an_embedded_form_never_stores_the_cccd,
    the_form_works_in_an_android_webview_without_storage,
    the_form_embeds_in_another_sites_page,
    household_pledge_on_a_phone,
    a_student_under_18_needs_a_guardian,
    an_offline_pledge_is_kept_and_arrives_once,
);
