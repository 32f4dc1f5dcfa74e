//! The follow-up page at `/theo-doi`: the receipt code opens the tip's status in plain words and
//! the message thread with the ward; the reporter replies and adds photos.

use crate::i18n::Msg;
use bvantq_shared::tip::{
    FollowUpRequest, MessageAuthor, PhotoUpload, ReceiptCode, ReporterMessageRequest, TipFollowUp,
};
use bvantq_shared::{Problem, ValidationError};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::i18n::{Lang, LangContext, t};
use crate::request::{RequestError, post_json};

fn message(lang: Lang, p: &Problem) -> String {
    if lang == Lang::Vi {
        p.message_vi.clone()
    } else {
        p.message_en.clone()
    }
}

fn local(lang: Lang, e: &ValidationError) -> String {
    if lang == Lang::Vi {
        e.message_vi()
    } else {
        e.message_en()
    }
}

#[function_component(FollowUp)]
pub fn follow_up() -> Html {
    let lang = use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or(Lang::Vi);
    // What was typed in the page the server drew, and the message it showed (`crate::takeover`).
    let code = use_state(|| crate::takeover::typed("receipt_code"));
    let view = use_state(|| None::<TipFollowUp>);
    let error = use_state(|| {
        crate::takeover::errors()
            .remove("receipt_code")
            .map(|(vi, _)| vi)
    });
    let reply = use_state(String::new);
    let photos = use_state(Vec::<String>::new);
    let busy = use_state(|| false);

    let on_code = {
        let code = code.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            code.set(i.value());
        })
    };
    let open = {
        let (code, view, error, busy) = (code.clone(), view.clone(), error.clone(), busy.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let c = match ReceiptCode::parse(&code) {
                Ok(c) => c,
                Err(err) => {
                    error.set(Some(local(lang, &err)));
                    return;
                }
            };
            error.set(None);
            busy.set(true);
            let (view, error, busy) = (view.clone(), error.clone(), busy.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let body = FollowUpRequest {
                    receipt_code: c.grouped(),
                };
                // A lookup changes nothing; its key only satisfies the POST convention.
                match post_json::<_, TipFollowUp>(
                    "/api/v1/tips/follow-up",
                    &body,
                    &crate::outbox::new_key(),
                )
                .await
                {
                    Ok(v) => view.set(Some(v)),
                    Err(RequestError::Problem(p)) => error.set(Some(message(lang, &p))),
                    Err(_) => error.set(Some(t(lang, Msg::LoadFailed).to_string())),
                }
                busy.set(false);
            });
        })
    };
    let on_reply = {
        let reply = reply.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlTextAreaElement = e.target_unchecked_into();
            reply.set(i.value());
        })
    };
    let on_photos = crate::photos::picker(photos.clone(), Callback::noop());
    let send = {
        let (code, view, error, reply, photos, busy) = (
            code.clone(),
            view.clone(),
            error.clone(),
            reply.clone(),
            photos.clone(),
            busy.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = ReporterMessageRequest {
                receipt_code: (*code).clone(),
                body: (*reply).clone(),
                photos: photos
                    .iter()
                    .map(|d| PhotoUpload { data: d.clone() })
                    .collect(),
            };
            if let Err(errs) = body.parse() {
                if let Some(e) = errs.first() {
                    error.set(Some(local(lang, &e.error)));
                }
                return;
            }
            error.set(None);
            busy.set(true);
            let (view, error, reply, photos, busy) = (
                view.clone(),
                error.clone(),
                reply.clone(),
                photos.clone(),
                busy.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match post_json::<_, TipFollowUp>(
                    "/api/v1/tips/follow-up/messages",
                    &body,
                    &crate::outbox::new_key(),
                )
                .await
                {
                    Ok(v) => {
                        view.set(Some(v));
                        reply.set(String::new());
                        photos.set(Vec::new());
                    }
                    Err(RequestError::Problem(p)) => error.set(Some(message(lang, &p))),
                    Err(_) => error.set(Some(t(lang, Msg::LoadFailed).to_string())),
                }
                busy.set(false);
            });
        })
    };

    let err = match &*error {
        Some(m) => html! { <p class="field-error" role="alert" id="err-receipt_code">{ m }</p> },
        None => html! {},
    };
    html! {
        <section class="follow-up">
            <h2>{ t(lang, Msg::FollowTitle) }</h2>
            <form onsubmit={open} novalidate=true>
                <div class="field">
                    <label for="receipt_code">{ t(lang, Msg::FollowCode) }</label>
                    <input id="receipt_code" type="text" autocomplete="off" autocapitalize="characters"
                        spellcheck="false" value={(*code).clone()} oninput={on_code}
                        aria-invalid={error.is_some().then_some("true")} aria-describedby="err-receipt_code" />
                </div>
                if view.is_none() { { err.clone() } }
                <button type="submit" class="primary" disabled={*busy}>{ t(lang, Msg::FollowOpen) }</button>
            </form>
            if let Some(v) = &*view {
                <div class="status" data-testid="tip-status" aria-live="polite">
                    <p class="muted">{ if lang == Lang::Vi { v.category.label_vi() } else { v.category.label_en() } }{ " · " }{ v.received_on.to_string() }</p>
                    <p class="status-text">{ if lang == Lang::Vi { v.status_vi.clone() } else { v.status_en.clone() } }</p>
                </div>
                <h3>{ t(lang, Msg::FollowThread) }</h3>
                <ul class="thread" data-testid="thread">
                    if v.messages.is_empty() { <li class="muted">{ t(lang, Msg::FollowNoMessages) }</li> }
                    { for v.messages.iter().map(|m| html! {
                        <li class={if m.author == MessageAuthor::Officer { "from-officer" } else { "from-reporter" }}>
                            <p class="who">{ if m.author == MessageAuthor::Officer { t(lang, Msg::FromOfficer) } else { t(lang, Msg::FromYou) } }
                                { " · " }{ crate::form::vn_time(m.at) }</p>
                            <p class="body">{ &m.body }</p>
                            if m.photos > 0 { <p class="muted">{ format!("{} {}", m.photos, t(lang, Msg::PhotosAttached)) }</p> }
                        </li>
                    }) }
                </ul>
                <form onsubmit={send} class="reply" novalidate=true>
                    <div class="field">
                        <label for="reply">{ t(lang, Msg::FollowReply) }</label>
                        <textarea id="reply" rows="4" value={(*reply).clone()} oninput={on_reply} />
                    </div>
                    <div class="field">
                        <label for="reply_photos">{ t(lang, Msg::TipPhotos) }</label>
                        <input id="reply_photos" type="file" accept="image/*" multiple=true onchange={on_photos} />
                    </div>
                    { err }
                    <button type="submit" class="primary" disabled={*busy}>{ t(lang, Msg::FollowSend) }</button>
                </form>
            }
        </section>
    }
}
