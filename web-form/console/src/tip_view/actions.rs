//! The officer's actions on a tip — a reply, a note, an extension, a status change, assignment,
//! priority — each checked in the browser by the same `shared` parser the server runs.

use crate::strings::Msg;
use bvantq_shared::TipStatus;
use bvantq_shared::tip::{
    ExtendRequest, OfficerTextRequest, PriorityRequest, TipPriority, TransitionRequest,
};
use serde::Serialize;
use serde_json::Value;
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, field_errors, input_value, select_value};
use crate::strings::{pick, s};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextKind {
    Reply,
    Note,
    Extend,
}

#[derive(Properties, PartialEq)]
pub(crate) struct TextFormProps {
    pub(crate) kind: TextKind,
    pub(crate) url: String,
    pub(crate) done: Callback<()>,
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
pub(crate) fn text_form(props: &TextFormProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let text = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let (id, field, title, button) = match props.kind {
        TextKind::Reply => ("reply", "body", Msg::Reply, Msg::SendReply),
        TextKind::Note => ("note", "body", Msg::AddNote, Msg::SaveNote),
        TextKind::Extend => ("extend", "reason", Msg::Extend, Msg::DoExtend),
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
                <p class="hint">{ s(lang, Msg::ExtendHint) }</p>
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
pub(crate) struct TransitionProps {
    pub(crate) from: TipStatus,
    pub(crate) url: String,
    pub(crate) done: Callback<()>,
}

#[function_component(TransitionForm)]
pub(crate) fn transition_form(props: &TransitionProps) -> Html {
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
            <h3>{ s(lang, Msg::ChangeStatus) }</h3>
            <label for="transition-to">{ s(lang, Msg::NewStatus) }</label>
            <select id="transition-to" {onchange} aria-invalid={invalid("transition-to").to_string()}
                aria-describedby={invalid("transition-to").then_some("err-transition-to")}>
                <option value="" selected={to.is_empty()}>{ s(lang, Msg::Choose) }</option>
                { for next.iter().map(|n| html! {
                    <option value={n.as_str()} selected={*to == n.as_str()}>
                        { pick(lang, n.label_vi(), n.label_en()) }
                    </option>
                }) }
            </select>
            { field_error(lang, &errors, "transition-to") }
            if *to == TipStatus::Merged.as_str() {
                <label for="transition-merge_into">{ s(lang, Msg::MergeInto) }</label>
                <input id="transition-merge_into" ref={merge} autocapitalize="none"
                    aria-invalid={invalid("transition-merge_into").to_string()}
                    aria-describedby={invalid("transition-merge_into").then_some("err-transition-merge_into")} />
                { field_error(lang, &errors, "transition-merge_into") }
            }
            <label for="transition-reason">{ s(lang, Msg::Reason) }</label>
            <textarea id="transition-reason" ref={reason} rows="2"
                aria-invalid={invalid("transition-reason").to_string()}
                aria-describedby={invalid("transition-reason").then_some("err-transition-reason")} />
            <div aria-live="polite">
                { field_error(lang, &errors, "transition-reason") }
                { field_error(lang, &errors, "transition-form") }
            </div>
            <button class="secondary" type="submit" disabled={*busy}>{ s(lang, Msg::Apply) }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct AssignProps {
    pub(crate) url: String,
    pub(crate) me: String,
    pub(crate) mine: bool,
    pub(crate) done: Callback<()>,
}

#[function_component(AssignButton)]
pub(crate) fn assign_button(props: &AssignProps) -> Html {
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
                { s(lang, if props.mine { Msg::Unassign } else { Msg::AssignMe }) }
            </button>
            { field_error(lang, &errors, "assign-user_id") }
            { field_error(lang, &errors, "assign-form") }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct PriorityProps {
    pub(crate) current: TipPriority,
    pub(crate) url: String,
    pub(crate) done: Callback<()>,
}

#[function_component(PriorityForm)]
pub(crate) fn priority_form(props: &PriorityProps) -> Html {
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
            <h3>{ s(lang, Msg::SetPriority) }</h3>
            <label for="priority-priority">{ s(lang, Msg::Priority) }</label>
            <select id="priority-priority" {onchange}>
                { for TipPriority::ALL.iter().map(|p| html! {
                    <option value={p.as_str()} selected={*chosen == p.as_str()}>
                        { pick(lang, p.label_vi(), p.label_en()) }
                    </option>
                }) }
            </select>
            { field_error(lang, &errors, "priority-priority") }
            <label for="priority-reason">{ s(lang, Msg::Reason) }</label>
            <textarea id="priority-reason" ref={reason} rows="2"
                aria-invalid={invalid.to_string()}
                aria-describedby={invalid.then_some("err-priority-reason")} />
            <div aria-live="polite">
                { field_error(lang, &errors, "priority-reason") }
                { field_error(lang, &errors, "priority-form") }
            </div>
            <button class="secondary" type="submit" disabled={*busy}>{ s(lang, Msg::Apply) }</button>
        </form>
    }
}
