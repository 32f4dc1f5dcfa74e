//! The officer's actions on a tip — a reply, a note, a step of the procedure, assignment,
//! priority — each checked in the browser by the same `shared` parser the server runs.

use crate::strings::Msg;
use bvantq_shared::tip::procedure::{ActRequest, CrimeClass, Step, StepRequest};
use bvantq_shared::tip::{OfficerTextRequest, PriorityRequest, TipPriority};
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
            };
            let value = input_value(&text);
            let text = text.clone();
            let done = done.clone();
            let on_ok = move || {
                clear(&text);
                done.emit(());
            };
            let (errors, busy, url) = (errors.clone(), busy.clone(), url.clone());
            let req = OfficerTextRequest { body: value };
            match req.parse() {
                Err(e) => errors.set(scoped(id, from_local(&e))),
                Ok(_) => submit(auth, id, url, req, errors, busy, on_ok),
            }
        })
    };
    let input_id = format!("{id}-{field}");
    let invalid = errors.contains_key(&input_id);
    html! {
        <form class={classes!("action", id)} {onsubmit} novalidate=true>
            <label for={input_id.clone()}>{ s(lang, title) }</label>
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
pub(crate) struct StepProps {
    /// The steps this officer may take now (`Step::available`).
    pub(crate) steps: Vec<Step>,
    pub(crate) url: String,
    pub(crate) done: Callback<()>,
}

fn checked(r: &NodeRef) -> Option<bool> {
    r.cast::<web_sys::HtmlInputElement>().map(|i| i.checked())
}

fn text_of(r: &NodeRef) -> Option<String> {
    r.cast::<web_sys::HtmlInputElement>().map(|i| i.value())
}

/// One step of the procedure: the steps this role may take at this stage, and only the fields
/// the chosen one needs (the classification, where a matter was referred, the decision's number,
/// date and signer), checked by `StepRequest::parse` as the server checks them.
#[function_component(StepForm)]
pub(crate) fn step_form(props: &StepProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let step = use_state(String::new);
    let crime_class = use_state(String::new);
    let reason = use_node_ref();
    let (merge, referred, flagrant, public_interest, remote) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let (number, date, signer) = (use_node_ref(), use_node_ref(), use_node_ref());
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let onchange = {
        let step = step.clone();
        Callback::from(move |e: Event| step.set(select_value(&e)))
    };
    let on_class = {
        let crime_class = crime_class.clone();
        Callback::from(move |e: Event| crime_class.set(select_value(&e)))
    };
    let onsubmit = {
        let (step, crime_class, reason, errors, busy, url, done) = (
            step.clone(),
            crime_class.clone(),
            reason.clone(),
            errors.clone(),
            busy.clone(),
            props.url.clone(),
            props.done.clone(),
        );
        let refs = (
            merge.clone(),
            referred.clone(),
            flagrant.clone(),
            public_interest.clone(),
            remote.clone(),
            number.clone(),
            date.clone(),
            signer.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let (merge, referred, flagrant, public_interest, remote, number, date, signer) = &refs;
            // The decision's fields exist only when the chosen step is a decision.
            let act = match (text_of(number), text_of(date), text_of(signer)) {
                (Some(number), Some(date), Some(signer)) => Some(ActRequest {
                    number,
                    date,
                    signer,
                }),
                _ => None,
            };
            let req = StepRequest {
                step: (*step).clone(),
                reason: Some(input_value(&reason)),
                crime_class: (!crime_class.is_empty()).then(|| (*crime_class).clone()),
                flagrant: checked(flagrant),
                public_interest: checked(public_interest),
                remote_commune: checked(remote),
                referred_to: text_of(referred),
                merge_into: text_of(merge).map(|m| m.trim().to_string()),
                act,
            };
            match req.parse(crate::helpers::vn_today()) {
                Err(e) => errors.set(scoped("step", from_local(&e))),
                Ok(_) => {
                    let (reason, done, step) = (reason.clone(), done.clone(), step.clone());
                    submit(
                        auth,
                        "step",
                        url.clone(),
                        req,
                        errors.clone(),
                        busy.clone(),
                        move || {
                            clear(&reason);
                            step.set(String::new());
                            done.emit(());
                        },
                    );
                }
            }
        })
    };
    let chosen = Step::parse(&step).ok();
    let invalid = |f: &str| errors.contains_key(f);
    let described = |f: &'static str| invalid(f).then(|| format!("err-{f}"));
    let text_field = |id: &'static str, label: Msg, r: &NodeRef, kind: &'static str| {
        html! {
            <>
                <label for={id}>{ s(lang, label) }</label>
                <input {id} ref={r.clone()} type={kind} autocapitalize="none"
                    aria-invalid={invalid(id).to_string()} aria-describedby={described(id)} />
                { field_error(lang, &errors, id) }
            </>
        }
    };
    let check_box = |id: &'static str, label: Msg, r: &NodeRef| {
        html! {
            <label class="check" for={id}>
                <input {id} ref={r.clone()} type="checkbox" />{ " " }{ s(lang, label) }
            </label>
        }
    };
    html! {
        <form class="action step" {onsubmit} novalidate=true>
            <h3>{ s(lang, Msg::NextStep) }</h3>
            <label for="step-step">{ s(lang, Msg::StepLabel) }</label>
            <select id="step-step" {onchange} aria-invalid={invalid("step-step").to_string()}
                aria-describedby={described("step-step")}>
                <option value="" selected={step.is_empty()}>{ s(lang, Msg::Choose) }</option>
                { for props.steps.iter().map(|n| html! {
                    <option value={n.as_str()} selected={*step == n.as_str()}>
                        { pick(lang, n.label_vi(), n.label_en()) }
                    </option>
                }) }
            </select>
            { field_error(lang, &errors, "step-step") }
            if let Some(rule) = chosen.map(Step::rule) {
                <p class="hint" data-testid="step-rule">{ pick(lang, rule.vi, rule.en) }</p>
            }
            if matches!(chosen, Some(Step::Classify | Step::Accept)) {
                <label for="step-crime_class">{ s(lang, Msg::CrimeClassLabel) }</label>
                <select id="step-crime_class" onchange={on_class}
                    aria-invalid={invalid("step-crime_class").to_string()}
                    aria-describedby={described("step-crime_class")}>
                    <option value="" selected={crime_class.is_empty()}>{ s(lang, Msg::Unknown) }</option>
                    { for CrimeClass::ALL.iter().map(|c| html! {
                        <option value={c.as_str()} selected={*crime_class == c.as_str()}>
                            { pick(lang, c.label_vi(), c.label_en()) }
                        </option>
                    }) }
                </select>
                { field_error(lang, &errors, "step-crime_class") }
            }
            if chosen == Some(Step::Classify) {
                { check_box("step-flagrant", Msg::Flagrant, &flagrant) }
                { check_box("step-public_interest", Msg::PublicInterest, &public_interest) }
                { check_box("step-remote_commune", Msg::RemoteCommune, &remote) }
            }
            if chosen == Some(Step::NotCrime) {
                { text_field("step-referred_to", Msg::ReferredTo, &referred, "text") }
            }
            if chosen == Some(Step::Merge) {
                { text_field("step-merge_into", Msg::MergeInto, &merge, "text") }
            }
            if chosen.is_some_and(Step::needs_act) {
                { text_field("step-act.number", Msg::ActNumber, &number, "text") }
                { text_field("step-act.date", Msg::ActDate, &date, "date") }
                { text_field("step-act.signer", Msg::ActSigner, &signer, "text") }
                { field_error(lang, &errors, "step-act") }
            }
            <label for="step-reason">{ s(lang, Msg::Reason) }</label>
            <textarea id="step-reason" ref={reason} rows="2"
                aria-invalid={invalid("step-reason").to_string()}
                aria-describedby={described("step-reason")} />
            <div aria-live="polite">
                { field_error(lang, &errors, "step-reason") }
                { field_error(lang, &errors, "step-form") }
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
