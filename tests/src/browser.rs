//! Headless Chromium driven through ChromeDriver (WebDriver), for tests that look at pages as a
//! person would. Screenshots go to `tests/artifacts/`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

pub struct Browser {
    pub client: Client,
    /// ChromeDriver's port, for commands WebDriver lacks (see [`Browser::cdp`]).
    port: u16,
    /// ChromeDriver, leader of its own process group: Chromium runs in that group, so dropping
    /// the browser ends both, even when a test fails before closing its session.
    driver: Child,
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(pid) = self.driver.id() {
            crate::process::kill_group(pid);
        }
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9515)
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium with a `width`×`height` window.
    pub async fn start(width: u32, height: u32) -> Browser {
        Self::start_with(width, height, serde_json::json!({}), true, Vec::new()).await
    }

    /// As [`Browser::start`], trusting one more server key (`spki`: the base64 SHA-256 of its
    /// SubjectPublicKeyInfo, e.g. [`crate::stack::Nginx::spki_sha256`]) as a phone trusts a
    /// deployed server's certificate: verified, so no error page and no second handshake.
    pub async fn start_trusting(width: u32, height: u32, spki: &str) -> Browser {
        let arg = format!("--ignore-certificate-errors-spki-list={spki}");
        Self::start_with(width, height, serde_json::json!({}), true, vec![arg]).await
    }

    /// As [`Browser::start`], with JavaScript off for every page (as a content filter, Opera
    /// Mini's server mode or a settings switch leaves a phone); WebDriver still drives it. The
    /// phone's screen without touch events: ChromeDriver taps through a script in the page, which
    /// would never run, so it clicks.
    pub async fn start_without_script(width: u32, height: u32) -> Browser {
        let prefs = serde_json::json!({ "profile.managed_default_content_settings.javascript": 2 });
        Self::start_with(width, height, prefs, false, Vec::new()).await
    }

    async fn start_with(
        width: u32,
        height: u32,
        prefs: serde_json::Value,
        touch: bool,
        extra_args: Vec<String>,
    ) -> Browser {
        let port = free_port();
        let driver = Command::new(
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        )
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .process_group(0)
        .spawn()
        .unwrap_or_else(|e| panic!("chromedriver: {e} (./dev test installs it)"));
        let profile = tempfile::tempdir()
            .map(|d| d.keep())
            .unwrap_or_else(|_| std::env::temp_dir());
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--disable-quic".into(),
            format!("--window-size={width},{height}"),
            format!("--user-data-dir={}", profile.display()),
        ];
        args.extend(extra_args);
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                // A phone's viewport: desktop windows cannot be narrower than ~500 px.
                "mobileEmulation": {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": touch}},
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": args,
                "prefs": prefs
            }
        });
        let caps = match caps {
            serde_json::Value::Object(m) => m,
            _ => serde_json::Map::new(),
        };
        let url = format!("http://127.0.0.1:{port}");
        let mut last = String::new();
        for _ in 0..50 {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    return Browser {
                        client,
                        port,
                        driver,
                        profile,
                    };
                }
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("could not start a Chromium session: {last}");
    }

    /// Sends a Chrome DevTools Protocol command (e.g. `Network.emulateNetworkConditions`) through
    /// ChromeDriver's `goog/cdp/execute` and returns its result.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        let session = self
            .client
            .session_id()
            .await
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("no WebDriver session"));
        let url = format!(
            "http://127.0.0.1:{}/session/{session}/goog/cdp/execute",
            self.port
        );
        let body = serde_json::json!({ "cmd": cmd, "params": params });
        let resp = reqwest::Client::new()
            .post(url)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{cmd}: {e}"));
        let status = resp.status();
        let v: serde_json::Value = resp.json().await.unwrap_or_else(|e| panic!("{cmd}: {e}"));
        assert!(status.is_success(), "{cmd}: {status} {v}");
        v["value"].clone()
    }

    /// Saves a PNG screenshot as `tests/artifacts/NAME.png` and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self
            .client
            .screenshot()
            .await
            .unwrap_or_else(|e| panic!("screenshot: {e}"));
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("artifacts");
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("{e}"));
        path
    }

    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Runs `script` in the page.
pub async fn js(c: &Client, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
    c.execute(script, args)
        .await
        .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Sets a field the way a person leaves it: its value, then the `event` the page listens to.
async fn set_value(c: &Client, id: &str, value: &str, event: &str) {
    js(
        c,
        "const e = document.getElementById(arguments[0]); e.value = arguments[1]; \
         e.dispatchEvent(new Event(arguments[2], {bubbles: true}));",
        vec![id.into(), value.into(), event.into()],
    )
    .await;
}

/// Signs in on the console's login form.
pub async fn sign_in(c: &Client, username: &str, password: &str) {
    wait_for(c, "form.login").await;
    fill(c, "username", username).await;
    fill(c, "password", password).await;
    click(c, "form.login button.primary").await;
}

/// Types `value` into the input or text area with id `id`.
pub async fn fill(c: &Client, id: &str, value: &str) {
    set_value(c, id, value, "input").await;
}

/// Chooses `value` in the select with id `id`.
pub async fn select(c: &Client, id: &str, value: &str) {
    set_value(c, id, value, "change").await;
}

pub async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"));
}

/// Waits (up to 30 s) until a citizen page the server drew has been taken over by the wasm
/// (`data-wasm` on its host): what a test then finds, fills and clicks is the app's, not the
/// server's page it replaces. A page with scripts disabled is settled as it is.
pub async fn settled(c: &Client) {
    let script = "return !document.querySelector('#bvantq-app[data-server]:not([data-wasm])') \
        || !document.querySelector('script[type=module]');";
    for _ in 0..300 {
        match c.execute(script, vec![]).await {
            Ok(serde_json::Value::Bool(false)) => {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            // Settled, or no script runs in the page (then the server's page is the page).
            _ => return,
        }
    }
    panic!("the wasm did not take the server's page over within 30 s");
}

/// The first element matching `css`, waiting up to 30 s for it (and for the page to settle, see
/// [`settled`]).
pub async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    settled(c).await;
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
}

/// Waits up to 30 s for the element at `xpath`, then clicks it.
pub async fn click_xpath(c: &Client, xpath: &str) {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath} did not appear: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"));
}

/// Waits up to 30 s for the element with `data-testid` `testid` to contain `text`.
pub async fn wait_for_text(c: &Client, testid: &str, text: &str) {
    let xpath = format!("//*[@data-testid='{testid}'][contains(., '{text}')]");
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("[{testid}] never showed {text:?}: {e}"));
}

/// Waits until the element with `id` (a field's error, `err-{field}`) holds `text`.
pub async fn wait_for_text_id(c: &Client, id: &str, text: &str) {
    let xpath = format!("//*[@id='{id}'][contains(., '{text}')]");
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|e| panic!("#{id} never showed {text:?}: {e}"));
}

/// The page fits the window's width: nothing to scroll sideways.
pub async fn no_sideways_scroll(c: &Client) {
    let wide = js(
        c,
        "return document.documentElement.scrollWidth > window.innerWidth",
        vec![],
    )
    .await;
    assert_eq!(
        wide,
        serde_json::Value::Bool(false),
        "the page scrolls sideways"
    );
}

/// WCAG 2.x AA contrast of every visible piece of text on the page (own text nodes and filled
/// form controls): 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). The background is the
/// element's and its ancestors' background colours composed over white; element opacity counts.
/// Disabled controls are exempt, as in WCAG. Returns one line per failure.
pub async fn contrast_failures(c: &Client) -> Vec<String> {
    let v = js(
        c,
        r#"
const parse = (c) => {
  const m = c.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const p = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, under) => {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
};
const lum = (c) => {
  const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
};
const background = (el) => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const b = parse(getComputedStyle(e).backgroundColor);
    if (b[3] > 0) { layers.push(b); if (b[3] >= 1) break; }
  }
  return layers.reduceRight((acc, l) => over(l, acc), [255, 255, 255, 1]);
};
const opacity = (el) => {
  let o = 1;
  for (let e = el; e; e = e.parentElement) o *= parseFloat(getComputedStyle(e).opacity);
  return o;
};
const out = [];
for (const el of document.querySelectorAll('body *')) {
  const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
  const control = (el.tagName === 'INPUT' && !['checkbox', 'radio', 'hidden', 'file'].includes(el.type) && el.value)
    || (el.tagName === 'TEXTAREA' && el.value) || el.tagName === 'SELECT';
  if (!own && !control) continue;
  if (el.disabled || el.closest('[disabled]')) continue;
  const r = el.getBoundingClientRect();
  const cs = getComputedStyle(el);
  if (r.width <= 1 || r.height <= 1 || cs.visibility === 'hidden') continue;
  const bg = background(el);
  const col = parse(cs.color);
  const fg = over([col[0], col[1], col[2], col[3] * opacity(el)], bg);
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  const ratio = (hi + 0.05) / (lo + 0.05);
  const size = parseFloat(cs.fontSize);
  const need = size >= 24 || (size >= 18.66 && parseInt(cs.fontWeight, 10) >= 700) ? 3 : 4.5;
  if (ratio < need) {
    const text = (own ? el.textContent : el.value || el.options?.[el.selectedIndex]?.text || '').trim().slice(0, 40);
    out.push(`${el.tagName.toLowerCase()}.${el.className} "${text}": ${ratio.toFixed(2)} < ${need} (${cs.color} on rgb(${bg.slice(0, 3).map(Math.round)}))`);
  }
}
return out;
"#,
        vec![],
    )
    .await;
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(String::from))
        .collect()
}

/// Whether the element matching `css` is on screen, wholly inside the viewport (to a pixel).
pub async fn in_view(c: &Client, css: &str) -> bool {
    js(
        c,
        "const e = document.querySelector(arguments[0]); if (!e) return false; \
         const r = e.getBoundingClientRect(); \
         return r.top > -1 && r.bottom < window.innerHeight + 1 && r.height > 0;",
        vec![css.into()],
    )
    .await
        == serde_json::Value::Bool(true)
}

/// Letters only Vietnamese uses: after switching to English none may remain in the interface's
/// own text (labels, buttons, headings, hints, notices, links, table headers, badges). Data —
/// unit names, a campaign's owner, a tip's text, marked `data-data` — is not translated and is
/// left out, also inside an element that mixes it with interface text.
const VIETNAMESE: &str = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";

/// The visible interface strings of the page that still hold Vietnamese letters.
pub async fn untranslated(c: &Client) -> Vec<String> {
    let texts = js(
        c,
        "return Array.from(document.querySelectorAll('label, button:not(.unit), legend, h1, h2, h3, \
           .hint, .protect, .notice, .warning, .field-error, nav a, .receipt a, .muted:not([data-data]), \
           select option:first-child:not([data-data]), .action select option, [placeholder], \
           dt, dd, th, caption, .clock, .who, .history li, [data-testid=who]')) \
           .filter(e => e.offsetParent !== null || e.tagName === 'OPTION') \
           .filter(e => !e.hasAttribute('data-data')) \
           .map(e => { const k = e.cloneNode(true); \
             k.querySelectorAll('[data-data]').forEach(d => d.remove()); \
             return (e.getAttribute('placeholder') || '') + ' ' + k.textContent; });",
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

/// Opens the officer console at 360 × 640, signs `user` in (with the test password), switches to
/// English when `en`, goes to the results page and waits for `ready` (a CSS selector).
pub async fn open_results(app: &crate::TestApp, user: &str, en: bool, ready: &str) -> Browser {
    let b = open_section(app, user, if en { "Results" } else { "Kết quả" }, en).await;
    wait_for(&b.client, ready).await;
    b
}

/// Opens the console at 360 × 640 and signs `user` in (with the test password).
async fn signed_in(app: &crate::TestApp, user: &str) -> Browser {
    let b = Browser::start(360, 640).await;
    b.client
        .goto(&app.url("/console"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    sign_in(&b.client, user, crate::TEST_PASSWORD).await;
    b
}

/// Opens the console at 360 × 640, signs in `user` (switching to English when `en`) and opens
/// the section whose tab reads `tab`.
pub async fn open_section(app: &crate::TestApp, user: &str, tab: &str, en: bool) -> Browser {
    let b = signed_in(app, user).await;
    let c = &b.client;
    wait_for(c, "nav.sections").await;
    if en {
        click(c, "button.lang").await;
    }
    click_xpath(
        c,
        &format!("//nav[@class='sections']/button[contains(., '{tab}')]"),
    )
    .await;
    b
}

/// Opens the console at 360 × 640 and signs in `user`, an account whose role has one section
/// only (it opens on `ready`, a CSS selector), in English when `en`; asserts that single tab.
pub async fn open_single_section(
    app: &crate::TestApp,
    user: &str,
    en: bool,
    ready: &str,
) -> Browser {
    let b = signed_in(app, user).await;
    let c = &b.client;
    wait_for(c, ready).await;
    if en {
        click(c, "button.lang").await;
    }
    let tabs = c
        .find_all(Locator::Css("nav.sections button"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tabs.len(), 1, "{user}: one section only");
    b
}

/// Scrolls the element with `data-testid` `testid` into view.
pub async fn scroll_to(c: &Client, testid: &str) {
    js(
        c,
        &format!("document.querySelector('[data-testid={testid}]').scrollIntoView();"),
        vec![],
    )
    .await;
}

/// What every console page must hold: no sideways scroll, enough contrast, and in English
/// nothing left in Vietnamese (but the switch back to it).
pub async fn checked_page(c: &Client, en: bool) {
    no_sideways_scroll(c).await;
    let contrast = contrast_failures(c).await;
    assert!(contrast.is_empty(), "contrast: {contrast:?}");
    let axe = axe_violations(c).await;
    assert!(axe.is_empty(), "axe-core (WCAG 2.1 A/AA): {axe:#?}");
    if en {
        let left: Vec<String> = untranslated(c)
            .await
            .into_iter()
            .filter(|t| t.trim() != "Tiếng Việt")
            .collect();
        assert!(left.is_empty(), "left in Vietnamese: {left:?}");
    }
}

/// The pinned axe-core script (`./dev test` installs it; `BVANTQ_AXE` names it).
fn axe_script() -> &'static str {
    static SCRIPT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SCRIPT.get_or_init(|| {
        let path = match std::env::var_os("BVANTQ_AXE") {
            Some(p) => std::path::PathBuf::from(p),
            None => {
                let cache = std::env::var_os("XDG_CACHE_HOME")
                    .map(std::path::PathBuf::from)
                    .or_else(|| {
                        std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache"))
                    })
                    .unwrap_or_else(|| panic!("neither XDG_CACHE_HOME nor HOME is set"));
                cache.join("bvantq/axe-core-4.14.1/node_modules/axe-core/axe.min.js")
            }
        };
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "axe-core is not at {} ({e}): run ./dev test once",
                path.display()
            )
        })
    })
}

/// What axe-core, a maintained accessibility checker, finds on the page against the WCAG 2.0 and
/// 2.1 A/AA rules: each violation's rule with the elements it names.
pub async fn axe_violations(c: &Client) -> Vec<String> {
    let loaded = js(c, "return typeof window.axe === 'object';", vec![]).await;
    if loaded != serde_json::Value::Bool(true) {
        js(c, axe_script(), vec![]).await;
    }
    let found = js(
        c,
        "return window.axe.run(document, {runOnly: {type: 'tag', \
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}) \
           .then(r => r.violations.map(v => v.id + ': ' + v.help + ' — ' + \
             v.nodes.slice(0, 5).map(n => n.target.join(' ')).join(' | ')));",
        vec![],
    )
    .await;
    found
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}
