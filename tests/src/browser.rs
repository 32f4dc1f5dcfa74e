//! Headless Chromium driven through ChromeDriver (WebDriver), for tests that look at pages as a
//! person would. Screenshots go to `tests/artifacts/`.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use tokio::process::{Child, Command};

pub struct Browser {
    pub client: Client,
    _driver: Child,
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
        let port = free_port();
        let driver = Command::new(
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
        )
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("chromedriver: {e} (./dev test installs it)"));
        let profile = tempfile::tempdir()
            .map(|d| d.keep())
            .unwrap_or_else(|_| std::env::temp_dir());
        let caps = serde_json::json!({
            "goog:chromeOptions": {
                // A phone's viewport: desktop windows cannot be narrower than ~500 px.
                "mobileEmulation": {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 1.0, "touch": true}},
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.display()),
                ]
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
                        _driver: driver,
                    };
                }
                Err(e) => last = e.to_string(),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("could not start a Chromium session: {last}");
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
        let _ = self.client.close().await;
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

/// The first element matching `css`, waiting up to 30 s for it.
pub async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css} did not appear: {e}"))
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
