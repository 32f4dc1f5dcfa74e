//! The built web form, served with content-hashed names, long-lived cache headers and gzip
//! compression done once at start-up.

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
}

/// Files of `web-form/dist`: `index.html` (with `{{file}}` placeholders replaced by the hashed
/// URLs) and every other file under `/assets/{stem}.{hash}.{ext}`.
#[derive(Debug, Default)]
pub struct Assets {
    pub index: Option<Asset>,
    /// `embed.js`: the loader another site's page includes (served at `/embed.js`, not cached
    /// long: it names the current build's hashed assets).
    pub embed: Option<Asset>,
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
        "json" | "webmanifest" => "application/json",
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
    }
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
        for entry in entries.flatten() {
            let path = entry.path();
            let (Some(name), true) = (path.file_name().and_then(|n| n.to_str()), path.is_file())
            else {
                continue;
            };
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
            let hash = crate::db::hex(&Sha256::digest(&raw)[..6]);
            let hashed = match name.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
                None => format!("{name}.{hash}"),
            };
            a.urls.insert(name.to_string(), format!("/assets/{hashed}"));
            a.files.insert(hashed, asset(name, raw));
        }
        let fill = |src: Vec<u8>| {
            let mut text = String::from_utf8_lossy(&src).into_owned();
            for (name, url) in &a.urls {
                text = text.replace(&format!("{{{{{name}}}}}"), url);
            }
            text.into_bytes()
        };
        let index = index_src.map(|s| asset("index.html", fill(s)));
        let embed = embed_src.map(|s| asset("embed.js", fill(s)));
        a.index = index;
        a.embed = embed;
        a
    }
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")))
}

/// Serves an asset, compressed when the client accepts it.
pub fn respond(req: &HttpRequest, a: &Asset, cache: &'static str) -> HttpResponse {
    let mut r = HttpResponse::Ok();
    r.insert_header((header::CONTENT_TYPE, a.content_type))
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::VARY, "Accept-Encoding"))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        // Other sites' pages load the form's script, styles and wasm (see `/embed.js`).
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
    match &a.gzip {
        Some(gz) if accepts_gzip(req) => {
            r.insert_header((header::CONTENT_ENCODING, "gzip"));
            r.body(gz.clone())
        }
        _ => r.body(a.raw.clone()),
    }
}
