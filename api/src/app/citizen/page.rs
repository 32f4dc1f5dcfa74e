//! What every server-drawn citizen page shares: its language, its frame (the built `index.html`
//! with the page in place of the loading line), the fields drawn as the wasm draws them, the
//! messages of a refused form on their fields, and the headers of a page that carries what a
//! person typed.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use bvantq_shared::FieldError;
use bvantq_shared::i18n::{LANG_COOKIE, Lang, Msg, other_lang, t};

use crate::app::pages::{html_escape as esc, protect_page};
use crate::app::state::Site;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::request::Idempotency;
use crate::infra::static_files::{Part, compressed_page};

/// Field → (Vietnamese, English) message, as the wasm keeps them (`web-form/src/form.rs`).
pub type Errors = bvantq_shared::messages::FieldMessages;

/// What a person typed, by field name.
pub type Values = BTreeMap<String, String>;

/// The marks in `index.html` around what a server-drawn page replaces.
const PAGE_MARK: (&str, &str) = ("<!--page-->", "<!--/page-->");
const WASM_MARK: (&str, &str) = ("<!--wasm-->", "<!--/wasm-->");

/// The page's language: `?lang=` (the switch, which also sets the cookie), else the form's own
/// hidden `lang`, else the cookie the wasm and the switch set, else Vietnamese.
pub fn language(req: &HttpRequest, posted: Option<&str>) -> (Lang, bool) {
    let asked = req
        .query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("lang="));
    if let Some(tag) = asked {
        return (Lang::from_tag(tag), true);
    }
    if let Some(tag) = posted {
        return (Lang::from_tag(tag), false);
    }
    let cookie = req
        .headers()
        .get_all(header::COOKIE)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .map(|(_, v)| Lang::from_tag(v));
    (cookie.unwrap_or(Lang::Vi), false)
}

/// The messages of the shared parsers' findings on their fields.
pub fn from_local(errors: &[FieldError]) -> Errors {
    bvantq_shared::messages::field_messages(errors)
}

/// A refused request as the page shows it: its status (a limit keeps its `Retry-After`) and
/// its messages.
pub struct Refusal {
    pub status: StatusCode,
    pub retry_after: Option<u64>,
    pub errors: Errors,
}

impl From<&ApiError> for Refusal {
    fn from(e: &ApiError) -> Self {
        use actix_web::ResponseError;
        let retry_after = match e {
            ApiError::RateLimited { retry_after_secs }
            | ApiError::BudgetSpent { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        };
        Refusal {
            status: e.status_code(),
            retry_after,
            errors: e.problem().by_field(),
        }
    }
}

/// A page that could not be drawn (the database away, a body too large to read): the message of
/// the problem, in the page's language, with its status.
pub fn error_page(
    e: &ApiError,
    req: &HttpRequest,
    lang: Lang,
    path: &str,
    site: &Site,
) -> HttpResponse {
    let refusal = Refusal::from(e);
    let p = e.problem();
    let text = if lang == Lang::Vi {
        &p.message_vi
    } else {
        &p.message_en
    };
    Page {
        lang,
        path,
        main: format!("<p class=\"error\" role=\"alert\">{}</p>", esc(text)),
        app: None,
        data: None,
        status: refusal.status,
        remember: false,
        retry_after: refusal.retry_after,
    }
    .respond(req, site)
}

/// The values and messages a form is drawn with.
pub struct Filled<'a> {
    pub lang: Lang,
    pub values: &'a Values,
    pub errors: &'a Errors,
}

impl Filled<'_> {
    pub fn value(&self, k: &str) -> &str {
        self.values.get(k).map_or("", String::as_str)
    }

    /// The message on `field`, with the id its input's `aria-describedby` names.
    pub fn err(&self, field: &str) -> String {
        match self.errors.get(field) {
            Some((vi, en)) => format!(
                "<p class=\"field-error\" id=\"err-{}\">{}</p>",
                esc(field),
                esc(if self.lang == Lang::Vi { vi } else { en })
            ),
            None => String::new(),
        }
    }

    pub fn invalid(&self, field: &str) -> &'static str {
        if self.errors.contains_key(field) {
            " aria-invalid=\"true\""
        } else {
            ""
        }
    }

    fn described(&self, field: &str) -> String {
        if self.errors.contains_key(field) {
            format!(" aria-describedby=\"err-{}\"", esc(field))
        } else {
            String::new()
        }
    }

    /// A labelled input, as the pledge form's `text_field` draws it.
    pub fn text_field(
        &self,
        id: &str,
        label: &str,
        kind: &str,
        required: bool,
        hint: Option<&str>,
    ) -> String {
        let req = if required {
            "<span class=\"req\" aria-hidden=\"true\"> *</span>"
        } else {
            ""
        };
        let hint = hint.map_or(String::new(), |h| {
            format!("<p class=\"hint\">{}</p>", esc(h))
        });
        format!(
            "<div class=\"field\"><label for=\"{id}\">{}{req}</label>{hint}\
<input id=\"{id}\" name=\"{id}\" type=\"{kind}\"{} value=\"{}\"{}{}>{}</div>",
            esc(label),
            if required { " required" } else { "" },
            esc(self.value(id)),
            self.invalid(id),
            self.described(id),
            self.err(id),
        )
    }

    /// The line that tells a screen reader the form has errors (empty, and hidden, when none).
    pub fn summary(&self) -> String {
        format!(
            "<div role=\"alert\" aria-live=\"assertive\" class=\"sr-summary\">{}</div>",
            if self.errors.is_empty() {
                ""
            } else {
                t(self.lang, Msg::FixErrors)
            }
        )
    }

    pub fn checkbox(&self, id: &str, label: &str, checked: bool) -> String {
        format!(
            "<div class=\"check\"><input type=\"checkbox\" id=\"{id}\" name=\"{id}\"{}{}{}>\
<label for=\"{id}\">{}</label></div>",
            if checked { " checked" } else { "" },
            self.invalid(id),
            self.described(id),
            esc(label)
        )
    }
}

/// The hidden fields every server-drawn form carries: its language, and the key that makes a
/// second tap on the button (or the browser's "send again") arrive once.
pub fn hidden(lang: Lang, key: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"lang\" value=\"{}\"><input type=\"hidden\" name=\"idempotency_key\" value=\"{}\">",
        lang.tag(),
        esc(key)
    )
}

/// The form's key over the request it makes (scoped to the page): a second post of the same form
/// is answered as the first (its stored answer), another request under the same key is refused.
pub fn form_idempotency(
    scope: &str,
    key: &str,
    input: &impl serde::Serialize,
    state: &Core,
) -> Result<Idempotency, ApiError> {
    if key.is_empty() || key.len() > 100 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::IdempotencyKeyMissing);
    }
    let canonical = serde_json::to_vec(input).map_err(ApiError::internal)?;
    Ok(Idempotency::new(
        scope.to_string(),
        key,
        &canonical,
        &state.config.tip_sealer,
    ))
}

/// A fresh key for a form drawn now (random, 128 bits).
pub fn new_key() -> String {
    use rand::Rng;
    let n: u128 = rand::rng().random();
    format!("pg-{n:032x}")
}

/// How a page is drawn.
pub struct Page<'a> {
    pub lang: Lang,
    /// The path the language switch reloads.
    pub path: &'a str,
    /// The page's `<main>`.
    pub main: String,
    /// The part of the wasm that comes to take the form over (form pages); none for a receipt
    /// or a thread, which are final and stay plain HTML.
    pub app: Option<Part>,
    /// JSON the wasm reads instead of fetching it again (`#bvantq-data`).
    pub data: Option<String>,
    pub status: StatusCode,
    /// The switch was used: the choice is remembered in the cookie.
    pub remember: bool,
    pub retry_after: Option<u64>,
}

impl Page<'_> {
    fn body(&self) -> String {
        let other = self.lang.other();
        let data = self.data.as_deref().map_or(String::new(), |d| {
            // Inside a <script> element: a "</" could end it early.
            format!(
                "<script type=\"application/json\" id=\"bvantq-data\">{}</script>",
                d.replace("</", "<\\/")
            )
        });
        format!(
            "<header class=\"bar\"><h1>{}</h1><form method=\"get\" action=\"{}\" class=\"lang-switch\">\
<button class=\"lang\" name=\"lang\" value=\"{}\" lang=\"{}\" title=\"{}\">{}</button></form></header>\
<nav class=\"links\"><a href=\"/to-giac\">{}</a><a href=\"/theo-doi\">{}</a></nav><main>{}</main>{data}",
            esc(t(self.lang, Msg::Title)),
            esc(self.path),
            other.tag(),
            other_lang(self.lang),
            esc(t(self.lang, Msg::SwitchLanguage)),
            esc(t(self.lang, Msg::OtherLanguage)),
            esc(t(self.lang, Msg::NavTip)),
            esc(t(self.lang, Msg::NavFollow)),
            self.main,
        )
    }

    /// The whole document: the built `index.html` (its stylesheet, and its scripts when the wasm
    /// is to come) with this page in its host element; a bare document when the front end is not
    /// built (the forms work the same).
    fn document(&self, site: &Site) -> String {
        let host = format!(
            "<div id=\"bvantq-app\" data-server=\"\">{}</div>",
            self.body()
        );
        let Some(index) = &site.assets.index else {
            return format!(
                "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>bvantq</title></head><body>{host}</body></html>",
                self.lang.tag()
            );
        };
        // The frame that loads this page's part (any will do when no script is to come: the
        // scripts are taken out below).
        let frame = self
            .app
            .and_then(|part| site.assets.frames.get(&part))
            .map_or_else(
                || String::from_utf8_lossy(&index.raw),
                |f| f.as_str().into(),
            );
        let mut text = frame.replacen(
            "<html lang=\"vi\">",
            &format!("<html lang=\"{}\">", self.lang.tag()),
            1,
        );
        if let Some(style) = &site.assets.inline_style {
            text = text.replacen(&style.link, &format!("<style>{}</style>", style.css), 1);
        }
        text = replace_marked(&text, PAGE_MARK, &host);
        if self.app.is_none() {
            while text.contains(WASM_MARK.0) {
                text = replace_marked(&text, WASM_MARK, "");
            }
        }
        text
    }

    /// The answer: never stored by any cache (it may carry what a person typed), never framed,
    /// with the citizen pages' Content-Security-Policy.
    pub fn respond(self, req: &HttpRequest, site: &Site) -> HttpResponse {
        let mut r = HttpResponse::build(self.status);
        r.content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::VARY, "Cookie, Accept-Encoding"));
        if let Some(s) = self.retry_after {
            r.insert_header((header::RETRY_AFTER, s.to_string()));
        }
        if self.remember {
            r.insert_header((
                header::SET_COOKIE,
                format!(
                    "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
                    self.lang.tag()
                ),
            ));
        }
        let (coding, body) = compressed_page(req, self.document(site));
        if let Some(c) = coding {
            r.insert_header((header::CONTENT_ENCODING, c));
        }
        let mut out = r.body(body);
        let csp = match (&site.assets.index, &site.assets.inline_style) {
            (Some(_), Some(style)) => Some(&style.csp),
            (Some(_), None) => Some(&site.assets.index_csp),
            (None, _) => None,
        };
        protect_page(&mut out, csp);
        if site.assets.index.is_none() {
            out.headers_mut().insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self'; script-src 'none'; form-action 'self'; frame-ancestors 'none'",
                ),
            );
        }
        out
    }
}

/// `text` with what lies between the first pair of `marks` (the marks too) replaced by `with`.
fn replace_marked(text: &str, marks: (&str, &str), with: &str) -> String {
    match (text.find(marks.0), text.find(marks.1)) {
        (Some(a), Some(b)) if a < b => {
            format!("{}{with}{}", &text[..a], &text[b + marks.1.len()..])
        }
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_parts_are_replaced_once_and_whole() {
        let t = "a<!--page-->old<!--/page-->b";
        assert_eq!(replace_marked(t, PAGE_MARK, "new"), "anewb");
        assert_eq!(replace_marked("no marks", PAGE_MARK, "new"), "no marks");
    }
}
