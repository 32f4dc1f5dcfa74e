//! The built web form, served with content-hashed names, long-lived cache headers and
//! compression: brotli where `./dev build-web` left a precompressed `NAME.br` beside the file (the
//! wasm, JS and CSS; about 20% smaller than gzip), gzip done once at start-up for the rest and for
//! clients without brotli.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone)]
pub struct Asset {
    pub content_type: &'static str,
    pub raw: Vec<u8>,
    pub gzip: Option<Vec<u8>>,
    pub brotli: Option<Vec<u8>>,
}

/// Files of `web-form/dist`: the pages `index.html` and `console.html` (with `{{file}}`
/// placeholders replaced by the hashed URLs) and every other file under
/// `/assets/{stem}.{hash}.{ext}`.
#[derive(Debug, Default)]
pub struct Assets {
    pub index: Option<Asset>,
    /// `embed.js`: the loader another site's page includes (served at `/embed.js`, not cached
    /// long: it names the current build's hashed assets).
    pub embed: Option<Asset>,
    /// `sw.js`: the citizen form's service worker (served at `/sw.js`, its scope the whole site;
    /// names the current build's hashed assets, so revalidated on every visit).
    pub service_worker: Option<Asset>,
    /// `manifest.webmanifest`: what makes the form installable (served at `/manifest.webmanifest`).
    pub manifest: Option<Asset>,
    /// `console.html`: the officer console's page (served at `/console`).
    pub console: Option<Asset>,
    /// The console page's Content-Security-Policy (its one inline script allowed by hash).
    pub console_csp: String,
    /// The citizen pages' Content-Security-Policy (their inline scripts allowed by hash: the
    /// loader of each part).
    pub index_csp: String,
    /// `index.html` as each part's page is framed: the same document, loading that part's wasm.
    pub frames: HashMap<Part, String>,
    /// For the pages the server draws: the stylesheet's `<link>` in `index.html`, the stylesheet
    /// itself (put inline in its place: one round trip less before anything is on screen), and
    /// the policy that allows exactly that style by its hash.
    pub inline_style: Option<InlineStyle>,
    pub files: HashMap<String, Asset>,
    /// Original name → hashed URL.
    pub urls: HashMap<String, String>,
}

fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

fn gzip(data: &[u8]) -> Option<Vec<u8>> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).ok()?;
    let out = e.finish().ok()?;
    (out.len() < data.len()).then_some(out)
}

fn asset(name: &str, raw: Vec<u8>) -> Asset {
    let ct = content_type(name);
    let gz = if ct.starts_with("image/png") {
        None
    } else {
        gzip(&raw)
    };
    Asset {
        content_type: ct,
        raw,
        gzip: gz,
        brotli: None,
    }
}

/// The citizen app's parts: `./dev build-web` builds one wasm per part (`web_form_{name}`), and
/// each page loads only its own, so a household opening a QR link downloads the pledge form and
/// nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// `/k/{code}`, and the form another site embeds (`/embed.js`).
    Pledge,
    /// `/to-giac`.
    Tip,
    /// `/theo-doi`.
    Follow,
    /// `/` and every other address `index.html` answers: the unit picker.
    Picker,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Pledge, Part::Tip, Part::Follow, Part::Picker];

    pub fn name(self) -> &'static str {
        match self {
            Part::Pledge => "pledge",
            Part::Tip => "tip",
            Part::Follow => "follow",
            Part::Picker => "picker",
        }
    }
}

/// The names `index.html` loads its part by; a page of another part loads its own in their place.
const INDEX_PART: &str = "{{web_form_picker";

#[derive(Debug)]
pub struct InlineStyle {
    pub link: String,
    pub css: String,
    pub csp: String,
}

impl Assets {
    pub fn load(dir: &Path) -> Self {
        let mut a = Assets::default();
        let Ok(entries) = std::fs::read_dir(dir) else {
            tracing::warn!(dir = %dir.display(), "web form not built; run ./dev build-web");
            return a;
        };
        let mut index_src = None;
        let mut embed_src = None;
        let mut sw_src = None;
        let mut manifest_src = None;
        let mut console_src = None;
        for entry in entries.flatten() {
            let path = entry.path();
            let (Some(name), true) = (path.file_name().and_then(|n| n.to_str()), path.is_file())
            else {
                continue;
            };
            if name.ends_with(".br") {
                continue;
            }
            let Ok(raw) = std::fs::read(&path) else {
                continue;
            };
            if name == "index.html" {
                index_src = Some(raw);
                continue;
            }
            if name == "embed.js" {
                embed_src = Some(raw);
                continue;
            }
            if name == "sw.js" {
                sw_src = Some(raw);
                continue;
            }
            if name == "manifest.webmanifest" {
                manifest_src = Some(raw);
                continue;
            }
            if name == "console.html" {
                console_src = Some(raw);
                continue;
            }
            let hash = crate::infra::db::hex(&Sha256::digest(&raw)[..6]);
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                None => format!("{name}.{hash}"),
            };
            a.urls.insert(name.to_string(), format!("/assets/{hashed}"));
            let mut file = asset(name, raw);
            file.brotli = std::fs::read(dir.join(format!("{name}.br")))
                .ok()
                .filter(|br| br.len() < file.raw.len());
            a.files.insert(hashed, file);
        }
        // What names this build as a whole (the service worker's cache): its assets' hashed names.
        let build = {
            let mut urls: Vec<&String> = a.urls.values().collect();
            urls.sort();
            let joined: Vec<&str> = urls.iter().map(|u| u.as_str()).collect();
            crate::infra::db::hex(&Sha256::digest(joined.join("\n").as_bytes())[..6])
        };
        let fill = |src: Vec<u8>| {
            let mut text = String::from_utf8_lossy(&src).into_owned();
            for (name, url) in &a.urls {
                text = text.replace(&format!("{{{{{name}}}}}"), url);
            }
            text.replace("{{build}}", &build).into_bytes()
        };
        if let Some(src) = &index_src {
            let template = String::from_utf8_lossy(src);
            for part in Part::ALL {
                let own = template.replace(INDEX_PART, &format!("{{{{web_form_{}", part.name()));
                a.frames.insert(
                    part,
                    String::from_utf8_lossy(&fill(own.into_bytes())).into_owned(),
                );
            }
        }
        let index = index_src.map(|s| {
            let page = fill(s);
            // One policy for every part's page: each one's loader allowed by its hash.
            let mut frames: Vec<&String> = a.frames.values().collect();
            frames.sort();
            let all: Vec<&str> = frames.iter().map(|f| f.as_str()).collect();
            a.index_csp = page_csp(all.concat().as_bytes());
            asset("index.html", page)
        });
        a.inline_style = a.urls.get("style.css").and_then(|url| {
            let hashed = url.strip_prefix("/assets/")?;
            let css = String::from_utf8(a.files.get(hashed)?.raw.clone()).ok()?;
            Some(InlineStyle {
                link: format!("<link rel=\"stylesheet\" href=\"{url}\">"),
                csp: a.index_csp.replacen(
                    "style-src 'self'",
                    &format!("style-src 'self' {}", style_hash(&css)),
                    1,
                ),
                css,
            })
        });
        let embed = embed_src.map(|s| asset("embed.js", fill(s)));
        a.service_worker = sw_src.map(|s| asset("sw.js", fill(s)));
        a.manifest = manifest_src.map(|s| asset("manifest.webmanifest", fill(s)));
        if let Some(page) = console_src.map(fill) {
            a.console_csp = page_csp(&page);
            a.console = Some(asset("console.html", page));
        }
        a.index = index;
        a.embed = embed;
        a
    }
}

/// A page's Content-Security-Policy: everything from this server only, the page's own inline
/// scripts allowed by their hashes, wasm allowed to compile, photos shown from `blob:` URLs, and
/// never framed. The console shows tips' content and the citizen pages take a CCCD or a tip:
/// should anything ever slip into a page, it could neither run nor send anything elsewhere.
pub fn page_csp(page: &[u8]) -> String {
    use base64::Engine;
    let text = String::from_utf8_lossy(page);
    let hashes: Vec<String> = text
        .split("<script")
        .skip(1)
        .filter_map(|rest| {
            let (attrs, body) = rest.split_once('>')?;
            if attrs.contains("src=") {
                return None;
            }
            let body = body.split("</script>").next()?;
            let digest = Sha256::digest(body.as_bytes());
            Some(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ))
        })
        .collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {}; style-src 'self'; \
         img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'",
        hashes.join(" ")
    )
}

/// The CSP source that allows exactly the inline stylesheet `css`.
fn style_hash(css: &str) -> String {
    use base64::Engine;
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(css.as_bytes()))
    )
}

/// A page drawn per request, gzipped when the client takes gzip (the pages are small; brotli is
/// kept for the assets, compressed once at build time).
pub fn compressed_page(req: &HttpRequest, html: String) -> (Option<&'static str>, Vec<u8>) {
    if accepts(req, "gzip")
        && let Some(gz) = gzip(html.as_bytes())
    {
        return (Some("gzip"), gz);
    }
    (None, html.into_bytes())
}

/// Whether the request's `Accept-Encoding` accepts `coding` (listed, or `*`, without `q=0`).
fn accepts(req: &HttpRequest, coding: &str) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| accepts_in(v, coding))
}

fn accepts_in(accept_encoding: &str, coding: &str) -> bool {
    let mut star = false;
    for item in accept_encoding.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .filter_map(|q| q.trim().parse::<f32>().ok())
            .next()
            .unwrap_or(1.0);
        if name.eq_ignore_ascii_case(coding) {
            return q > 0.0;
        }
        if name == "*" {
            star = q > 0.0;
        }
    }
    star
}

/// Serves an asset, compressed when the client accepts it: brotli first, then gzip.
pub fn respond(req: &HttpRequest, a: &Asset, cache: &'static str) -> HttpResponse {
    let mut r = HttpResponse::Ok();
    r.insert_header((header::CONTENT_TYPE, a.content_type))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::VARY, "Accept-Encoding"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        // Other sites' pages load the form's script, styles and wasm (see `/embed.js`).
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
    let (coding, body) = match (&a.brotli, &a.gzip) {
        (Some(br), _) if accepts(req, "br") => ("br", br),
        (_, Some(gz)) if accepts(req, "gzip") => ("gzip", gz),
        _ => return r.body(a.raw.clone()),
    };
    r.insert_header((header::CONTENT_ENCODING, coding));
    r.body(body.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_csp_allows_exactly_the_inline_loader() {
        use base64::Engine;
        let page = b"<script type=\"module\">\nimport init from '/assets/c.js';\n</script>\
<script type=\"module\" src=\"/assets/x.js\"></script>";
        let csp = page_csp(page);
        let want = base64::engine::general_purpose::STANDARD
            .encode(Sha256::digest(b"\nimport init from '/assets/c.js';\n"));
        assert!(csp.contains(&format!("'sha256-{want}'")), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 1, "{csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("connect-src 'self'"));
        assert!(!csp.contains("unsafe-inline"));
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts_in("gzip, deflate, br, zstd", "br"));
        assert!(accepts_in("gzip, deflate, br, zstd", "gzip"));
        assert!(accepts_in("GZIP;q=0.5", "gzip"));
        assert!(!accepts_in("gzip, br;q=0", "br"));
        assert!(!accepts_in("gzip", "br"));
        assert!(!accepts_in("gzipx", "gzip"));
        assert!(accepts_in("*", "br"));
        assert!(!accepts_in("*;q=0, gzip", "br"));
        assert!(!accepts_in("", "gzip"));
    }

    #[test]
    fn precompressed_brotli_is_picked_up_beside_its_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let js = "console.log('bvantq');\n".repeat(200);
        let write = |name: &str, data: &[u8]| {
            std::fs::write(dir.path().join(name), data).unwrap_or_else(|e| panic!("{e}"))
        };
        write("app.js", js.as_bytes());
        write("app.js.br", b"brotli bytes");
        write("style.css", "body { margin: 0 }\n".repeat(100).as_bytes());
        write("index.html", b"<script src=\"{{app.js}}\"></script>");
        let a = Assets::load(dir.path());
        assert_eq!(a.files.len(), 2, "the .br file is not an asset of its own");
        let url = &a.urls["app.js"];
        let app = &a.files[url.trim_start_matches("/assets/")];
        assert_eq!(app.brotli.as_deref(), Some(&b"brotli bytes"[..]));
        assert!(app.gzip.is_some());
        let css = &a.files[a.urls["style.css"].trim_start_matches("/assets/")];
        assert!(css.brotli.is_none() && css.gzip.is_some());
        let index = a
            .index
            .as_ref()
            .map(|i| String::from_utf8_lossy(&i.raw).into_owned());
        assert_eq!(
            index.as_deref(),
            Some(format!("<script src=\"{url}\"></script>").as_str())
        );
    }

    #[test]
    fn each_part_has_its_frame_and_the_policy_allows_every_loader() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let write = |name: &str, data: &[u8]| {
            std::fs::write(dir.path().join(name), data).unwrap_or_else(|e| panic!("{e}"))
        };
        for part in Part::ALL {
            let name = part.name();
            write(&format!("web_form_{name}.js"), name.as_bytes());
            write(&format!("web_form_{name}_bg.wasm"), name.as_bytes());
        }
        write(
            "index.html",
            b"<link rel=\"modulepreload\" href=\"{{web_form_picker.js}}\">\
<script type=\"module\">import init from '{{web_form_picker.js}}'; init('{{web_form_picker_bg.wasm}}');</script>",
        );
        write("sw.js", b"const CACHE = 'bvantq-{{build}}';");
        let a = Assets::load(dir.path());
        for part in Part::ALL {
            let frame = &a.frames[&part];
            for other in Part::ALL.iter().filter(|p| **p != part) {
                assert!(
                    !frame.contains(&format!("web_form_{}", other.name())),
                    "{frame}"
                );
            }
            assert!(frame.contains(&a.urls[&format!("web_form_{}.js", part.name())]));
            assert!(frame.contains(&a.urls[&format!("web_form_{}_bg.wasm", part.name())]));
            // Its loader runs under the one policy the citizen pages carry.
            let own = page_csp(frame.as_bytes());
            let hash = own
                .split_whitespace()
                .find(|w| w.starts_with("'sha256-"))
                .map(|w| w.trim_end_matches(';'))
                .unwrap_or_else(|| panic!("no hash in {own}"));
            assert!(a.index_csp.contains(hash), "{part:?}: {}", a.index_csp);
        }
        assert_eq!(a.index_csp.matches("'sha256-").count(), 4);
        // The picker's frame is index.html itself.
        let index = a
            .index
            .as_ref()
            .map(|i| i.raw.clone())
            .unwrap_or_else(|| panic!("no index"));
        assert_eq!(a.frames[&Part::Picker].as_bytes(), &index[..]);
        let sw = a
            .service_worker
            .as_ref()
            .map(|w| String::from_utf8_lossy(&w.raw).into_owned())
            .unwrap_or_else(|| panic!("no service worker"));
        assert!(
            !sw.contains("{{build}}") && sw.len() > "const CACHE = 'bvantq-';".len(),
            "{sw}"
        );
    }
}
