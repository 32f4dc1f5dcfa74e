//! `/theo-doi` drawn on the server: the receipt code opens the tip's status and thread (posted,
//! never in the address), and the reporter replies with text and photos (`multipart/form-data`).
//! Markup mirrors `web-form/src/follow_up.rs`. The lookups count against the same guessing
//! limits as the API's.

use actix_web::http::StatusCode;
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use bvantq_shared::i18n::{Lang, Msg, t};
use bvantq_shared::tip::{MessageAuthor, ReporterMessageRequest, TipFollowUp};

use super::page::{Errors, Page, Refusal, form_idempotency, hidden, language, new_key};
use super::posted::Posted;
use crate::app::pages::html_escape as esc;
use crate::app::state::Site;
use crate::infra::core::Core;
use crate::infra::error::ApiError;
use crate::infra::static_files::Part;
use crate::tips::routes::TIP_BODY_LIMIT;
use crate::tips::routes::reporter::{charge_submission, look_up, reply};
use crate::tips::state::TipsState;

/// What the page shows.
struct View<'a> {
    lang: Lang,
    code: &'a str,
    /// The message on the code (a wrong code, a limit) or on the reply.
    error: Option<String>,
    thread: Option<&'a TipFollowUp>,
    /// The reply being written, kept when it was refused.
    reply: &'a str,
}

impl View<'_> {
    fn draw(&self) -> String {
        let lang = self.lang;
        let err = self.error.as_deref().map_or(String::new(), |m| {
            format!(
                "<p class=\"field-error\" role=\"alert\" id=\"err-receipt_code\">{}</p>",
                esc(m)
            )
        });
        let code_form = format!(
            "<form method=\"post\" action=\"/theo-doi\" novalidate>{}\
<div class=\"field\"><label for=\"receipt_code\">{}</label>\
<input id=\"receipt_code\" name=\"receipt_code\" type=\"text\" autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" value=\"{}\"{} aria-describedby=\"err-receipt_code\"></div>\
{}<button type=\"submit\" class=\"primary\">{}</button></form>",
            hidden(lang, &new_key()),
            esc(t(lang, Msg::FollowCode)),
            esc(self.code),
            if self.error.is_some() && self.thread.is_none() {
                " aria-invalid=\"true\""
            } else {
                ""
            },
            if self.thread.is_none() {
                err.as_str()
            } else {
                ""
            },
            esc(t(lang, Msg::FollowOpen)),
        );
        let thread = self
            .thread
            .map_or(String::new(), |v| self.thread_of(v, &err));
        format!(
            "<section class=\"follow-up\"><h2>{}</h2>{code_form}{thread}</section>",
            esc(t(lang, Msg::FollowTitle))
        )
    }

    fn thread_of(&self, v: &TipFollowUp, err: &str) -> String {
        let lang = self.lang;
        let (category, status) = if lang == Lang::Vi {
            (v.category.label_vi(), v.status_vi.as_str())
        } else {
            (v.category.label_en(), v.status_en.as_str())
        };
        let messages: String = if v.messages.is_empty() {
            format!(
                "<li class=\"muted\">{}</li>",
                esc(t(lang, Msg::FollowNoMessages))
            )
        } else {
            v.messages
                .iter()
                .map(|m| {
                    let (class, who) = if m.author == MessageAuthor::Officer {
                        ("from-officer", Msg::FromOfficer)
                    } else {
                        ("from-reporter", Msg::FromYou)
                    };
                    let photos = if m.photos > 0 {
                        format!(
                            "<p class=\"muted\">{} {}</p>",
                            m.photos,
                            esc(t(lang, Msg::PhotosAttached))
                        )
                    } else {
                        String::new()
                    };
                    format!(
                        "<li class=\"{class}\"><p class=\"who\">{} · {}</p><p class=\"body\">{}</p>{photos}</li>",
                        esc(t(lang, who)),
                        vn_time(m.at),
                        esc(&m.body)
                    )
                })
                .collect()
        };
        format!(
            "<div class=\"status\" data-testid=\"tip-status\" aria-live=\"polite\">\
<p class=\"muted\">{} · {}</p><p class=\"status-text\">{}</p></div>\
<h3>{}</h3><ul class=\"thread\" data-testid=\"thread\">{messages}</ul>\
<form method=\"post\" action=\"/theo-doi\" class=\"reply\" novalidate enctype=\"multipart/form-data\">{}\
<input type=\"hidden\" name=\"receipt_code\" value=\"{}\">\
<div class=\"field\"><label for=\"reply\">{}</label><textarea id=\"reply\" name=\"reply\" rows=\"4\">{}</textarea></div>\
<div class=\"field\"><label for=\"reply_photos\">{}</label><input id=\"reply_photos\" name=\"reply_photos\" type=\"file\" accept=\"image/*\" multiple></div>\
{err}<button type=\"submit\" class=\"primary\">{}</button></form>",
            esc(category),
            v.received_on,
            esc(status),
            esc(t(lang, Msg::FollowThread)),
            hidden(lang, &new_key()),
            esc(self.code),
            esc(t(lang, Msg::FollowReply)),
            esc(self.reply),
            esc(t(lang, Msg::TipPhotos)),
            esc(t(lang, Msg::FollowSend)),
        )
    }

    fn page(&self, status: StatusCode, retry_after: Option<u64>, remember: bool) -> Page<'static> {
        Page {
            lang: self.lang,
            path: "/theo-doi",
            main: self.draw(),
            // The code form alone is taken over by the wasm; a thread stays plain HTML.
            app: self.thread.is_none().then_some(Part::Follow),
            data: None,
            status,
            remember,
            retry_after,
        }
    }
}

/// An instant (UTC) in Vietnam time, `dd/mm/yyyy hh:mm`, as the wasm's `vn_time`.
fn vn_time(utc: chrono::NaiveDateTime) -> String {
    (utc + chrono::TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS))
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// The message of a refusal in the page's language (its first one).
fn message(lang: Lang, errors: &Errors) -> Option<String> {
    errors.values().next().map(|(vi, en)| {
        if lang == Lang::Vi {
            vi.clone()
        } else {
            en.clone()
        }
    })
}

/// `GET /theo-doi`: the code form.
pub async fn show(req: HttpRequest, site: Data<Site>) -> HttpResponse {
    let (lang, remember) = language(&req, None);
    View {
        lang,
        code: "",
        error: None,
        thread: None,
        reply: "",
    }
    .page(StatusCode::OK, None, remember)
    .respond(&req, &site)
}

/// `POST /theo-doi`: a code looked up, or (with `reply`) the reporter's message sent; the thread
/// after either, the code form again when the code opens nothing.
pub async fn take(
    req: HttpRequest,
    state: Data<Core>,
    limits: Data<TipsState>,
    site: Data<Site>,
    payload: Payload,
) -> HttpResponse {
    let (posted, lang) =
        match Posted::read_form(&req, payload, TIP_BODY_LIMIT, "/theo-doi", &site).await {
            Ok(read) => read,
            Err(page) => return page,
        };
    let code = posted.get("receipt_code").unwrap_or("").trim().to_string();
    let text = posted.get("reply");
    let mut kept_reply = "";
    let sent = match text {
        Some(body) => {
            let input = ReporterMessageRequest {
                receipt_code: code.clone(),
                body: body.to_string(),
                photos: posted.photos("reply_photos").collect(),
            };
            let key = posted.get("idempotency_key").unwrap_or("");
            let out = send(&state, &limits, &req, &input, key).await;
            if out.is_err() {
                kept_reply = body;
            }
            Some(out)
        }
        None => None,
    };
    let opened = |r: Result<TipFollowUp, ApiError>| r.map_err(|e| Refusal::from(&e));
    let (thread, error, status, retry) = match sent {
        Some(Ok(view)) => (Ok(view), None, StatusCode::OK, None),
        // A code that opens nothing (or a spent limit): the code form, with its message.
        Some(Err(refusal))
            if matches!(
                refusal.status,
                StatusCode::NOT_FOUND | StatusCode::TOO_MANY_REQUESTS
            ) =>
        {
            (Err(refusal), None, StatusCode::OK, None)
        }
        Some(Err(refusal)) => {
            // The reply was refused: the thread is shown again with the reply kept.
            let msg = message(lang, &refusal.errors);
            let view = opened(look_up(&state, &limits, &req, &code).await);
            (view, msg, refusal.status, refusal.retry_after)
        }
        None => (
            opened(look_up(&state, &limits, &req, &code).await),
            None,
            StatusCode::OK,
            None,
        ),
    };
    match thread {
        Ok(v) => View {
            lang,
            code: &code,
            error,
            thread: Some(&v),
            reply: kept_reply,
        }
        .page(status, retry, false)
        .respond(&req, &site),
        Err(refusal) => View {
            lang,
            code: &code,
            error: message(lang, &refusal.errors),
            thread: None,
            reply: "",
        }
        .page(refusal.status, refusal.retry_after, false)
        .respond(&req, &site),
    }
}

/// The reporter's message, as the API takes it.
async fn send(
    state: &Core,
    limits: &TipsState,
    req: &HttpRequest,
    input: &ReporterMessageRequest,
    key: &str,
) -> Result<TipFollowUp, Refusal> {
    let refuse = |e: ApiError| Refusal::from(&e);
    charge_submission(state, limits, req)
        .await
        .map_err(refuse)?;
    let idem = form_idempotency("page /theo-doi", key, input, state).map_err(refuse)?;
    let answered = reply(state, limits, req, input, idem)
        .await
        .map_err(refuse)?;
    serde_json::from_value(answered.body).map_err(|e| refuse(ApiError::internal(e)))
}
