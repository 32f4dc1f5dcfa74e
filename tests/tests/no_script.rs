//! The citizen pages with JavaScript off (a school's content filter, Opera Mini's server mode, a
//! KaiOS phone): the server draws every form, takes it posted, answers a bad field with the form
//! again (every value kept, the server's message on the field) and a good one with the receipt —
//! in Vietnamese and in English. Typed with the keyboard and clicked, as a person does; nothing in
//! the page runs.

use std::time::Duration;

use bvantq_shared::i18n::{Lang, Msg};
use bvantq_shared::{Role, ValidationError};
use bvantq_tests::browser::{Browser, contrast_failures, no_sideways_scroll};
use bvantq_tests::{OrFail, TestApp, both, fixture, json};
use fantoccini::{Client, Locator};

async fn find(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

async fn type_in(c: &Client, id: &str, text: &str) {
    find(c, &format!("#{id}"))
        .await
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("{id}: {e}"));
}

async fn tap(c: &Client, css: &str) {
    find(c, css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

/// Taps a form's button and waits for the page the server answers with (the old page gone).
async fn send(c: &Client, css: &str) {
    let old = find(c, "html").await;
    tap(c, css).await;
    for _ in 0..300 {
        if old.tag_name().await.is_err() {
            find(c, "html").await;
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css}: no page came back within 30 s");
}

async fn text_of(c: &Client, css: &str) -> String {
    find(c, css).await.text().await.or_fail()
}

async fn value_of(c: &Client, id: &str) -> String {
    find(c, &format!("#{id}"))
        .await
        .prop("value")
        .await
        .or_fail()
        .unwrap_or_else(String::new)
}

/// Chooses an option of a select by its value, with a tap on the option.
async fn choose(c: &Client, id: &str, value: &str) {
    tap(c, &format!("#{id} option[value='{value}']")).await;
}

fn words(lang: Lang, m: Msg) -> &'static str {
    m.text(lang)
}

fn message(lang: Lang, e: &ValidationError) -> String {
    match lang {
        Lang::Vi => e.message_vi(),
        Lang::En => e.message_en(),
    }
}

/// The page, as drawn by the server, keeps WCAG AA contrast (computed from the page as it is; axe
/// cannot run here: it needs the page's own timers, which a page without scripts does not run).
async fn accessible(c: &Client, what: &str) {
    let low = contrast_failures(c).await;
    assert!(low.is_empty(), "{what}: {low:?}");
}

/// The page was drawn by the server and stayed so: no script ran in it.
async fn no_script_ran(c: &Client) {
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        c.find(Locator::Css("#bvantq-app[data-server]:not([data-wasm])"))
            .await
            .is_ok(),
        "the page is the server's, untouched by a script"
    );
}

/// A household's pledge: sent with nothing ticked, drawn again with the messages and every value
/// kept; then ticked and sent, the receipt.
async fn pledge(app: &TestApp, c: &Client, lang: Lang, code: &str, cccd: &str) -> String {
    let address = format!("Số {} đường Trần Phú", &cccd[cccd.len() - 2..]);
    let before = app.count("pledges");
    let suffix = if lang == Lang::En { "?lang=en" } else { "" };
    c.goto(&app.url(&format!("/k/{code}{suffix}")))
        .await
        .or_fail();
    find(c, "form.pledge").await;
    no_script_ran(c).await;
    assert_eq!(
        text_of(c, "header .lang").await,
        words(lang, Msg::OtherLanguage)
    );
    type_in(c, "full_name", "Nguyễn Văn Hộ").await;
    type_in(c, "citizen_id", cccd).await;
    type_in(c, "address", &address).await;
    type_in(c, "members", "4").await;
    send(c, "form.pledge button.primary").await;
    // Drawn again: the server's messages on the fields, in the page's language…
    assert_eq!(
        text_of(c, "#err-commitments_accepted").await,
        message(lang, &ValidationError::CommitmentsIncomplete)
    );
    assert_eq!(
        text_of(c, "#err-birth_date").await,
        message(lang, &ValidationError::Required)
    );
    assert_eq!(text_of(c, ".sr-summary").await, words(lang, Msg::FixErrors));
    // …and nothing typed lost.
    assert_eq!(value_of(c, "full_name").await, "Nguyễn Văn Hộ");
    assert_eq!(value_of(c, "citizen_id").await, cccd);
    assert_eq!(value_of(c, "members").await, "4");
    assert_eq!(
        app.count("pledges"),
        before,
        "nothing written on a bad field"
    );
    no_sideways_scroll(c).await;
    accessible(c, "the pledge form with its errors").await;

    // A date typed as the phone's date field takes it (its order follows the browser's locale).
    find(c, "#birth_date")
        .await
        .send_keys("04121975")
        .await
        .or_fail();
    let typed = value_of(c, "birth_date").await;
    assert!(typed.starts_with("1975-"), "{typed}");
    for i in 1..=7 {
        tap(c, &format!("label[for='commitment-{i}']")).await;
    }
    tap(c, "label[for='privacy_consent']").await;
    send(c, "form.pledge button.primary").await;
    let receipt = text_of(c, "[data-testid=receipt-code]").await;
    assert_eq!(
        text_of(c, "[data-testid=receipt] h2").await,
        words(lang, Msg::ThankYou)
    );
    no_sideways_scroll(c).await;
    receipt
}

/// A tip with a photo: the commune named by a word two communes share, so the server lists them
/// to choose from (the photo kept meanwhile); chosen, the receipt code.
async fn tip(app: &TestApp, c: &Client, lang: Lang, tag: &str, b: &Browser) -> String {
    let before = app.count("tips");
    let suffix = if lang == Lang::En { "?lang=en" } else { "" };
    c.goto(&app.url(&format!("/to-giac{suffix}")))
        .await
        .or_fail();
    find(c, "form.tip").await;
    no_script_ran(c).await;
    choose(c, "category", "drugs").await;
    type_in(
        c,
        "description",
        "Có người bán ma túy ở đầu hẻm 12 mỗi tối sau 22 giờ.",
    )
    .await;
    choose(c, "province", "56").await;
    type_in(c, "commune-search", "trang").await;
    type_in(c, "place", "Hẻm 12 đường Lê Lợi").await;
    find(c, "#photos")
        .await
        .send_keys(&fixture("photo-gps.jpg").display().to_string())
        .await
        .or_fail();
    send(c, "form.tip button.primary").await;
    // Two communes of the province have the word: the server asks which, keeping the rest.
    assert_eq!(
        text_of(c, "#err-commune_code").await,
        words(lang, Msg::CommuneChooseFromList)
    );
    assert!(
        text_of(c, "[data-testid=photos-kept]")
            .await
            .starts_with("1 ")
    );
    assert_eq!(value_of(c, "place").await, "Hẻm 12 đường Lê Lợi");
    assert_eq!(
        app.count("tips"),
        before,
        "nothing sent while the commune is unsure"
    );
    no_sideways_scroll(c).await;
    accessible(c, "the tip form asking for the commune").await;
    b.screenshot(&format!("no-script-tip-{tag}-commune-360"))
        .await;
    let bac = find(c, "#commune_code option:nth-child(2)").await;
    let chosen = bac.attr("value").await.or_fail().or_fail();
    bac.click().await.or_fail();
    send(c, "form.tip button.primary").await;
    let code = text_of(c, "[data-testid=tip-code]").await;
    assert_eq!(code.len(), 24, "{code}");
    let stored = app.count("tip_photos");
    assert!(stored >= 1, "the photo arrived with the tip");
    let officer = app.login_as(Role::WardOfficer, &chosen).await;
    let list = json(app.get("/api/v1/tips", Some(&officer)).await).await;
    assert!(
        list["items"]
            .as_array()
            .or_fail()
            .iter()
            .any(|t| t["commune_code"] == chosen.as_str()),
        "the tip is the chosen commune's: {list}"
    );
    code
}

/// The follow-up: a wrong code is told so; the right one opens the thread; a reply with a photo
/// lands in it.
async fn follow_up(app: &TestApp, c: &Client, lang: Lang, code: &str) {
    let suffix = if lang == Lang::En { "?lang=en" } else { "" };
    c.goto(&app.url(&format!("/theo-doi{suffix}")))
        .await
        .or_fail();
    find(c, "#receipt_code").await;
    no_script_ran(c).await;
    type_in(c, "receipt_code", "AAAA-BBBB-CCCC-DDDD-EEEE").await;
    send(c, "section.follow-up form button.primary").await;
    let wrong = text_of(c, "#err-receipt_code").await;
    assert!(!wrong.is_empty());
    assert_eq!(
        value_of(c, "receipt_code").await,
        "AAAA-BBBB-CCCC-DDDD-EEEE"
    );
    find(c, "#receipt_code").await.clear().await.or_fail();
    type_in(c, "receipt_code", &code.to_lowercase()).await;
    send(c, "section.follow-up form button.primary").await;
    find(c, "[data-testid=tip-status]").await;
    let reply = "Xe máy màu đen, biển 79 có chữ H.";
    type_in(c, "reply", reply).await;
    find(c, "#reply_photos")
        .await
        .send_keys(&fixture("photo-meta.png").display().to_string())
        .await
        .or_fail();
    send(c, "form.reply button.primary").await;
    let thread = text_of(c, "[data-testid=thread]").await;
    assert!(thread.contains(reply), "{thread}");
    assert!(
        thread.contains(words(lang, Msg::PhotosAttached)),
        "{thread}"
    );
    no_sideways_scroll(c).await;
    accessible(c, "the follow-up thread").await;
}

async fn pledge_tip_and_follow_up_without_javascript(app: TestApp) {
    let tag = format!("{:?}", app.backend).to_lowercase();
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết 2026", &["KD-22333-0001"])
        .await;
    let b = Browser::start_without_script(360, 640).await;
    let c = &b.client;
    for (lang, cccd) in [(Lang::Vi, "056075000123"), (Lang::En, "056075000124")] {
        let receipt = pledge(&app, c, lang, &code, cccd).await;
        assert!(!receipt.is_empty());
        b.screenshot(&format!(
            "no-script-pledge-{tag}-{}-receipt-360",
            lang.tag()
        ))
        .await;
        let code = tip(&app, c, lang, &format!("{tag}-{}", lang.tag()), &b).await;
        follow_up(&app, c, lang, &code).await;
        b.screenshot(&format!("no-script-follow-up-{tag}-{}-360", lang.tag()))
            .await;
    }
    assert_eq!(app.count("pledges"), 2);
    assert_eq!(app.count("tips"), 2);
    b.close().await;
}

/// The same form posted twice (a second tap, the browser's "send again") arrives once, with the
/// first receipt; the language switch is remembered for the next page.
async fn a_form_posted_twice_arrives_once(app: TestApp) {
    let ward = app.login_as(Role::WardOfficer, "22333").await;
    let code = app
        .open_campaign(&ward, "household", "Cam kết 2026", &["KD-22333-0001"])
        .await;
    let form = [
        ("lang", "vi"),
        ("idempotency_key", "pg-twice-0001"),
        ("unit_code", "KD-22333-0001"),
        ("full_name", "Trần Thị Hai"),
        ("birth_date", "1980-02-02"),
        ("citizen_id", "056180000222"),
        ("address", "Số 9 đường Lê Lợi"),
        ("members", "3"),
        ("commitment-1", "on"),
        ("commitment-2", "on"),
        ("commitment-3", "on"),
        ("commitment-4", "on"),
        ("commitment-5", "on"),
        ("commitment-6", "on"),
        ("commitment-7", "on"),
        ("privacy_consent", "on"),
    ];
    let post = || async {
        let r = app
            .client
            .post(app.url(&format!("/k/{code}")))
            .form(&form)
            .send()
            .await
            .or_fail();
        assert_eq!(r.status(), 200);
        assert_eq!(
            r.headers()
                .get("cache-control")
                .and_then(|v| v.to_str().ok()),
            Some("no-store"),
            "a page with what a person typed is never cached"
        );
        let page = r.text().await.or_fail();
        let start = page.find("data-testid=\"receipt-code\">").or_fail() + 27;
        page[start..start + 20].to_string()
    };
    let first = post().await;
    let second = post().await;
    assert_eq!(
        first, second,
        "the second post answers with the first receipt"
    );
    assert_eq!(app.count("pledges"), 1);

    // A bad field: 422, the form again with the message, nothing written.
    let r = app
        .client
        .post(app.url(&format!("/k/{code}")))
        .form(&[
            ("lang", "en"),
            ("idempotency_key", "pg-bad-1"),
            ("full_name", "X"),
        ])
        .send()
        .await
        .or_fail();
    assert_eq!(r.status(), 422);
    let page = r.text().await.or_fail();
    assert!(
        page.contains("<html lang=\"en\">"),
        "the form's own language"
    );
    assert!(
        page.contains(&ValidationError::CommitmentsIncomplete.message_en()),
        "{page}"
    );
    assert_eq!(app.count("pledges"), 1);

    // The switch: `?lang=en` draws English and remembers it for the next page.
    let r = app.get("/to-giac?lang=en", None).await;
    let cookie = r
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .or_fail()
        .to_string();
    assert!(cookie.starts_with("bvantq_lang=en"), "{cookie}");
    let page = app
        .client
        .get(app.url("/theo-doi"))
        .header("cookie", "bvantq_lang=en")
        .send()
        .await
        .or_fail()
        .text()
        .await
        .or_fail();
    assert!(page.contains(Msg::FollowTitle.en()), "{page}");
}

both!(
    pledge_tip_and_follow_up_without_javascript,
    a_form_posted_twice_arrives_once,
);
