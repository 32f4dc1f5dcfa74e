//! One tip: its content (the server audits the read), photos, the thread with the reporter and
//! the internal notes, its history, and the officer's actions — each checked in the browser by
//! the same `shared` parser the server runs, with the server's own messages.

use bvantq_shared::TipStatus;
use bvantq_shared::tip::{
    ExtendRequest, MAX_EXTENSIONS, OfficerTextRequest, PriorityRequest, TipDetail, TipPriority,
    TransitionRequest,
};
use serde::Serialize;
use serde_json::Value;
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use web_form::request::RequestError;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::desk::clock;
use crate::strings::{pick, s};
use crate::{Ctx, failure, field_errors, input_value, select_value, vn_time};

#[derive(Properties, PartialEq)]
pub struct TipViewProps {
    pub id: String,
    pub on_close: Callback<()>,
}

#[function_component(TipView)]
pub fn tip_view(props: &TipViewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let tip = use_state(|| None::<Result<TipDetail, String>>);
    let reload = use_state(|| 0u32);
    {
        let (auth, tip, id) = (auth.clone(), tip.clone(), props.id.clone());
        use_effect_with((id, *reload), move |(id, _)| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let got = auth.get::<TipDetail>(&format!("/api/v1/tips/{id}")).await;
                tip.set(Some(got.map_err(|e| match &e {
                    RequestError::Problem(p) if p.status == 404 => s(lang, "not_found").to_string(),
                    _ => failure(lang, &e),
                })));
            });
        });
    }
    let back = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let done = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    let body = match &*tip {
        None => html! { <p class="muted">{ s(lang, "loading") }</p> },
        Some(Err(why)) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Some(Ok(t)) => detail(lang, t, &auth, &done),
    };
    html! {
        <section class="tip-view">
            <button class="back" onclick={back}>{ s(lang, "back") }</button>
            { body }
        </section>
    }
}

fn detail(lang: Lang, t: &TipDetail, auth: &AuthHandle, done: &Callback<()>) -> Html {
    let sm = &t.summary;
    let (clock_text, clock_class) = clock(lang, sm.clock);
    let me = auth.me().map(|m| m.id).unwrap_or_default();
    let url = |action: &str| format!("/api/v1/tips/{}/{action}", sm.id);
    let actor = |a: &str| -> String {
        if a == me {
            s(lang, "by_me").into()
        } else if a == "reporter" {
            s(lang, "by_reporter").into()
        } else {
            s(lang, "by_officer").into()
        }
    };
    let status = sm.status;
    let open = !status.is_closed();
    html! {
        <>
            <h2 data-testid="tip-title">
                { pick(lang, sm.category.label_vi(), sm.category.label_en()) }
                { " · " }<span data-testid="tip-status">{ pick(lang, status.label_vi(), status.label_en()) }</span>
            </h2>
            <p class="notice">{ s(lang, "read_audited") }</p>
            <dl class="facts">
                <dt>{ s(lang, "commune") }</dt><dd data-data="">{ sm.commune_name.clone() }</dd>
                <dt>{ s(lang, "received") }</dt><dd>{ vn_time(sm.received_at) }</dd>
                <dt>{ s(lang, "deadline") }</dt>
                <dd>{ web_form::form::day(sm.deadline) }{ " " }<span class={clock_class}>{ clock_text }</span></dd>
                <dt>{ s(lang, "extensions") }</dt><dd>{ format!("{}/{}", sm.extensions, MAX_EXTENSIONS) }</dd>
                <dt>{ s(lang, "priority") }</dt><dd>{ pick(lang, sm.priority.label_vi(), sm.priority.label_en()) }</dd>
                <dt>{ s(lang, "assigned") }</dt>
                <dd>{ match &sm.assigned_to {
                    None => s(lang, "unassigned"),
                    Some(a) if *a == me => s(lang, "assigned_me"),
                    Some(_) => s(lang, "assigned_other"),
                } }</dd>
                if let Some(m) = &sm.merged_into {
                    <dt>{ s(lang, "merged_into") }</dt><dd class="code" data-data="">{ m.clone() }</dd>
                }
                if !t.merged_from.is_empty() {
                    <dt>{ s(lang, "merged_from") }</dt><dd class="code" data-data="">{ t.merged_from.join(", ") }</dd>
                }
            </dl>

            <h3>{ s(lang, "content") }</h3>
            if sm.purged {
                <p class="muted">{ s(lang, "purged") }</p>
            } else {
                <p class="body" data-data="" data-testid="tip-description">{ t.description.clone().unwrap_or_default() }</p>
                <dl class="facts">
                    <dt>{ s(lang, "place") }</dt><dd data-data="">{ t.place.clone().unwrap_or_default() }</dd>
                    if let (Some(lat), Some(lon)) = (t.latitude, t.longitude) {
                        <dt>{ s(lang, "coordinates") }</dt><dd data-data="">{ format!("{lat:.5}, {lon:.5}") }</dd>
                    }
                    if let Some(at) = t.incident_at {
                        <dt>{ s(lang, "incident_at") }</dt><dd>{ vn_time(at) }</dd>
                    }
                    <dt>{ s(lang, "reporter") }</dt>
                    <dd>
                        if sm.anonymous {
                            { s(lang, "anonymous") }
                        } else {
                            <span data-data="">
                                { t.contact_name.clone().unwrap_or_default() }{ " · " }
                                { t.contact_phone.clone().unwrap_or_default() }
                            </span>
                        }
                    </dd>
                </dl>
                if !t.photo_ids.is_empty() {
                    <h3>{ s(lang, "photos") }</h3>
                    <div class="photos">
                        { for t.photo_ids.iter().map(|p| html! {
                            <Photo url={format!("/api/v1/tips/{}/photos/{p}", sm.id)} />
                        }) }
                    </div>
                }
            }

            <h3>{ s(lang, "thread") }</h3>
            if t.messages.is_empty() {
                <p class="muted">{ s(lang, "no_messages") }</p>
            } else {
                <ul class="thread" data-testid="officer-thread">
                    { for t.messages.iter().map(|m| {
                        let (who, class) = match m.kind.as_str() {
                            "reporter" => (s(lang, "from_reporter"), "from-reporter"),
                            "note" => (s(lang, "note"), "internal-note"),
                            _ => (s(lang, "from_officer"), "from-officer"),
                        };
                        html! {
                            <li class={class}>
                                <p class="who">{ who }{ " · " }{ vn_time(m.at) }</p>
                                <p class="body" data-data="">{ m.body.clone() }</p>
                            </li>
                        }
                    }) }
                </ul>
            }
            if !sm.purged {
                <TextForm kind={TextKind::Reply} url={url("messages")} done={done.clone()} />
            }
            <TextForm kind={TextKind::Note} url={url("notes")} done={done.clone()} />

            if open {
                <TransitionForm from={status} url={url("transition")} done={done.clone()} />
                if sm.extensions < MAX_EXTENSIONS {
                    <TextForm kind={TextKind::Extend} url={url("extend")} done={done.clone()} />
                } else {
                    <p class="muted">{ s(lang, "extend_none") }</p>
                }
                <AssignButton url={url("assign")} me={me.clone()} mine={sm.assigned_to.as_deref() == Some(me.as_str())} done={done.clone()} />
                <PriorityForm current={sm.priority} url={url("priority")} done={done.clone()} />
            } else {
                <p class="muted">{ s(lang, "no_transition") }</p>
            }

            <h3>{ s(lang, "history") }</h3>
            <ol class="history" data-testid="history">
                { for t.history.iter().map(|e| html! {
                    <li>
                        <span>{ vn_time(e.at) }{ " · " }{ actor(&e.actor) }{ " · " }</span>
                        <span class="code" data-data="">{ e.kind.as_str() }</span>
                        if let (Some(f), Some(to)) = (e.from_status, e.to_status) {
                            { " · " }{ pick(lang, f.label_vi(), f.label_en()) }{ " → " }{ pick(lang, to.label_vi(), to.label_en()) }
                        }
                        if let Some(r) = &e.reason {
                            { " · " }{ s(lang, "reason") }{ ": " }<span data-data="">{ r.clone() }</span>
                        }
                    </li>
                }) }
            </ol>
        </>
    }
}

/// A photo of the tip, fetched with the officer's token (an `<img src>` could not carry it).
#[derive(Properties, PartialEq)]
struct PhotoProps {
    url: String,
}

#[function_component(Photo)]
fn photo(props: &PhotoProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let src = use_state(|| None::<String>);
    {
        let (src, url) = (src.clone(), props.url.clone());
        use_effect_with(url, move |url| {
            let url = url.clone();
            let src2 = src.clone();
            if let Some(auth) = auth {
                wasm_bindgen_futures::spawn_local(async move {
                    if let Ok(bytes) = auth.get_bytes(&url).await {
                        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..]));
                        if let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts)
                            && let Ok(u) = web_sys::Url::create_object_url_with_blob(&blob)
                        {
                            src2.set(Some(u));
                        }
                    }
                });
            }
            move || {
                if let Some(u) = &*src {
                    let _ = web_sys::Url::revoke_object_url(u);
                }
            }
        });
    }
    match &*src {
        Some(u) => html! { <img class="tip-photo" src={u.clone()} alt={s(lang, "photo")} /> },
        None => html! { <p class="muted">{ s(lang, "loading") }</p> },
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextKind {
    Reply,
    Note,
    Extend,
}

#[derive(Properties, PartialEq)]
struct TextFormProps {
    kind: TextKind,
    url: String,
    done: Callback<()>,
}

fn clear(r: &NodeRef) {
    if let Some(t) = r.cast::<web_sys::HtmlTextAreaElement>() {
        t.set_value("");
    }
}

/// Sends `body` to `url`; on success clears the form and reloads the tip, else shows the
/// server's problem on the field it names.
fn submit<B: Serialize + 'static>(
    auth: AuthHandle,
    prefix: &'static str,
    url: String,
    body: B,
    errors: UseStateHandle<FieldErrors>,
    busy: UseStateHandle<bool>,
    on_ok: impl FnOnce() + 'static,
) {
    busy.set(true);
    wasm_bindgen_futures::spawn_local(async move {
        match auth.post::<B, Value>(&url, &body).await {
            Ok(_) => {
                errors.set(FieldErrors::new());
                on_ok();
            }
            Err(e) => errors.set(scoped(prefix, field_errors(&e))),
        }
        busy.set(false);
    });
}

/// The errors of one form, keyed `{form}-{field}`: several forms of the page have a `reason`,
/// and each message must sit (and be announced) under its own.
fn scoped(prefix: &str, errors: FieldErrors) -> FieldErrors {
    errors
        .into_iter()
        .map(|(k, v)| (format!("{prefix}-{k}"), v))
        .collect()
}

#[function_component(TextForm)]
fn text_form(props: &TextFormProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let text = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let (id, field, title, button) = match props.kind {
        TextKind::Reply => ("reply", "body", "reply", "send_reply"),
        TextKind::Note => ("note", "body", "add_note", "save_note"),
        TextKind::Extend => ("extend", "reason", "extend", "do_extend"),
    };
    let onsubmit = {
        let (text, errors, busy, url, kind) = (
            text.clone(),
            errors.clone(),
            busy.clone(),
            props.url.clone(),
            props.kind,
        );
        let done = props.done.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let id = match kind {
                TextKind::Reply => "reply",
                TextKind::Note => "note",
                TextKind::Extend => "extend",
            };
            let value = input_value(&text);
            let text = text.clone();
            let done = done.clone();
            let on_ok = move || {
                clear(&text);
                done.emit(());
            };
            let (errors, busy, url) = (errors.clone(), busy.clone(), url.clone());
            if kind == TextKind::Extend {
                let req = ExtendRequest {
                    reason: Some(value),
                };
                match req.parse() {
                    Err(e) => errors.set(scoped(id, from_local(&e))),
                    Ok(_) => submit(auth, id, url, req, errors, busy, on_ok),
                }
            } else {
                let req = OfficerTextRequest { body: value };
                match req.parse() {
                    Err(e) => errors.set(scoped(id, from_local(&e))),
                    Ok(_) => submit(auth, id, url, req, errors, busy, on_ok),
                }
            }
        })
    };
    let input_id = format!("{id}-{field}");
    let invalid = errors.contains_key(&input_id);
    html! {
        <form class={classes!("action", id)} {onsubmit} novalidate=true>
            <label for={input_id.clone()}>{ s(lang, title) }</label>
            if props.kind == TextKind::Extend {
                <p class="hint">{ s(lang, "extend_hint") }</p>
            }
            <textarea id={input_id.clone()} ref={text} rows="3"
                aria-invalid={invalid.to_string()}
                aria-describedby={invalid.then(|| format!("err-{input_id}"))} />
            <div aria-live="polite">
                { field_error(lang, &errors, &input_id) }
                { field_error(lang, &errors, &format!("{id}-form")) }
            </div>
            <button class="secondary" type="submit" disabled={*busy}>{ s(lang, button) }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct TransitionProps {
    from: TipStatus,
    url: String,
    done: Callback<()>,
}

#[function_component(TransitionForm)]
fn transition_form(props: &TransitionProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let to = use_state(String::new);
    let reason = use_node_ref();
    let merge = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let onchange = {
        let to = to.clone();
        Callback::from(move |e: Event| to.set(select_value(&e)))
    };
    let onsubmit = {
        let (to, reason, merge, errors, busy, url, from, done) = (
            to.clone(),
            reason.clone(),
            merge.clone(),
            errors.clone(),
            busy.clone(),
            props.url.clone(),
            props.from,
            props.done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let merge_into = merge
                .cast::<web_sys::HtmlInputElement>()
                .map(|i| i.value().trim().to_string())
                .filter(|v| !v.is_empty());
            let req = TransitionRequest {
                to: (*to).clone(),
                reason: Some(input_value(&reason)),
                merge_into,
            };
            match req.parse(from) {
                Err(e) => errors.set(scoped("transition", from_local(&e))),
                Ok(_) => {
                    let (reason, done, to) = (reason.clone(), done.clone(), to.clone());
                    submit(
                        auth,
                        "transition",
                        url.clone(),
                        req,
                        errors.clone(),
                        busy.clone(),
                        move || {
                            clear(&reason);
                            to.set(String::new());
                            done.emit(());
                        },
                    );
                }
            }
        })
    };
    let next: Vec<TipStatus> = TipStatus::ALL
        .iter()
        .copied()
        .filter(|n| props.from.can_become(*n))
        .collect();
    let invalid = |f: &str| errors.contains_key(f);
    html! {
        <form class="action transition" {onsubmit} novalidate=true>
            <h3>{ s(lang, "change_status") }</h3>
            <label for="transition-to">{ s(lang, "new_status") }</label>
            <select id="transition-to" {onchange} aria-invalid={invalid("transition-to").to_string()}
                aria-describedby={invalid("transition-to").then_some("err-transition-to")}>
                <option value="" selected={to.is_empty()}>{ s(lang, "choose") }</option>
                { for next.iter().map(|n| html! {
                    <option value={n.as_str()} selected={*to == n.as_str()}>
                        { pick(lang, n.label_vi(), n.label_en()) }
                    </option>
                }) }
            </select>
            { field_error(lang, &errors, "transition-to") }
            if *to == TipStatus::Merged.as_str() {
                <label for="transition-merge_into">{ s(lang, "merge_into") }</label>
                <input id="transition-merge_into" ref={merge} autocapitalize="none"
                    aria-invalid={invalid("transition-merge_into").to_string()}
                    aria-describedby={invalid("transition-merge_into").then_some("err-transition-merge_into")} />
                { field_error(lang, &errors, "transition-merge_into") }
            }
            <label for="transition-reason">{ s(lang, "reason") }</label>
            <textarea id="transition-reason" ref={reason} rows="2"
                aria-invalid={invalid("transition-reason").to_string()}
                aria-describedby={invalid("transition-reason").then_some("err-transition-reason")} />
            <div aria-live="polite">
                { field_error(lang, &errors, "transition-reason") }
                { field_error(lang, &errors, "transition-form") }
            </div>
            <button class="secondary" type="submit" disabled={*busy}>{ s(lang, "apply") }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct AssignProps {
    url: String,
    me: String,
    mine: bool,
    done: Callback<()>,
}

#[function_component(AssignButton)]
fn assign_button(props: &AssignProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let onclick = {
        let (errors, busy, url, done) = (
            errors.clone(),
            busy.clone(),
            props.url.clone(),
            props.done.clone(),
        );
        let user_id = (!props.mine).then(|| props.me.clone());
        Callback::from(move |_| {
            let Some(auth) = auth.clone() else { return };
            let body = bvantq_shared::tip::AssignRequest {
                user_id: user_id.clone(),
                reason: None,
            };
            let done = done.clone();
            submit(
                auth,
                "assign",
                url.clone(),
                body,
                errors.clone(),
                busy.clone(),
                move || done.emit(()),
            );
        })
    };
    html! {
        <div class="action assign" aria-live="polite">
            <button class="secondary" {onclick} disabled={*busy}>
                { s(lang, if props.mine { "unassign" } else { "assign_me" }) }
            </button>
            { field_error(lang, &errors, "assign-user_id") }
            { field_error(lang, &errors, "assign-form") }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PriorityProps {
    current: TipPriority,
    url: String,
    done: Callback<()>,
}

#[function_component(PriorityForm)]
fn priority_form(props: &PriorityProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let chosen = use_state(|| props.current.as_str().to_string());
    let reason = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let onchange = {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| chosen.set(select_value(&e)))
    };
    let onsubmit = {
        let (chosen, reason, errors, busy, url, done) = (
            chosen.clone(),
            reason.clone(),
            errors.clone(),
            busy.clone(),
            props.url.clone(),
            props.done.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let req = PriorityRequest {
                priority: (*chosen).clone(),
                reason: Some(input_value(&reason)),
            };
            match req.parse() {
                Err(e) => errors.set(scoped("priority", from_local(&e))),
                Ok(_) => {
                    let (reason, done) = (reason.clone(), done.clone());
                    submit(
                        auth,
                        "priority",
                        url.clone(),
                        req,
                        errors.clone(),
                        busy.clone(),
                        move || {
                            clear(&reason);
                            done.emit(());
                        },
                    );
                }
            }
        })
    };
    let invalid = errors.contains_key("priority-reason");
    html! {
        <form class="action priority" {onsubmit} novalidate=true>
            <h3>{ s(lang, "set_priority") }</h3>
            <label for="priority-priority">{ s(lang, "priority") }</label>
            <select id="priority-priority" {onchange}>
                { for TipPriority::ALL.iter().map(|p| html! {
                    <option value={p.as_str()} selected={*chosen == p.as_str()}>
                        { pick(lang, p.label_vi(), p.label_en()) }
                    </option>
                }) }
            </select>
            { field_error(lang, &errors, "priority-priority") }
            <label for="priority-reason">{ s(lang, "reason") }</label>
            <textarea id="priority-reason" ref={reason} rows="2"
                aria-invalid={invalid.to_string()}
                aria-describedby={invalid.then_some("err-priority-reason")} />
            <div aria-live="polite">
                { field_error(lang, &errors, "priority-reason") }
                { field_error(lang, &errors, "priority-form") }
            </div>
            <button class="secondary" type="submit" disabled={*busy}>{ s(lang, "apply") }</button>
        </form>
    }
}
