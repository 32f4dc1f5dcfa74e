//! Pledge templates, for the officers who own them: a province's officers edit, publish and
//! retire their province's templates, administrators the national ones. A draft is edited in
//! place; a published version never changes (an edit of it is a new draft); a retired one is
//! offered to no new campaign. Campaigns of a province choose among the national templates and
//! its own.

use crate::strings::Msg;
use bvantq_shared::PledgeKind;
use bvantq_shared::pledge::{Commitment, TemplateDto, TemplateRequest};
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors, input_value, select_value};
use crate::strings::{pick, s};

#[function_component(Templates)]
pub fn templates() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let list = use_state(|| Load::<Vec<TemplateDto>>::Loading);
    let reload = use_state(|| 0u32);
    // `Some(None)`: a new draft; `Some(Some(t))`: editing the draft `t` (or a new version of the
    // published `t`).
    let editing = use_state(|| None::<Option<TemplateDto>>);
    {
        let (auth, list) = (auth.clone(), list.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match auth
                    .get::<Vec<TemplateDto>>("/api/v1/pledge-templates/managed")
                    .await
                {
                    Ok(v) => list.set(Load::Ready(v)),
                    Err(e) => list.set(Load::Failed(failure(lang, &e))),
                }
            });
        });
    }
    let done = {
        let (editing, reload) = (editing.clone(), reload.clone());
        Callback::from(move |_| {
            editing.set(None);
            reload.set(*reload + 1);
        })
    };
    if let Some(t) = &*editing {
        let cancel = {
            let editing = editing.clone();
            Callback::from(move |_| editing.set(None))
        };
        return html! { <TemplateForm template={t.clone()} on_done={done} on_cancel={cancel} /> };
    }
    let new = {
        let editing = editing.clone();
        Callback::from(move |_| editing.set(Some(None)))
    };
    let owner = auth
        .me()
        .map(|m| {
            if m.role == bvantq_shared::Role::Admin {
                s(lang, Msg::OwnerNational).to_string()
            } else {
                format!("{} {}", s(lang, Msg::OwnerProvince), m.scope_unit)
            }
        })
        .unwrap_or_default();
    html! {
        <section class="templates">
            <h2>{ s(lang, Msg::Templates) }</h2>
            <p class="hint">{ s(lang, Msg::TemplatesHint) }{ " " }<strong>{ owner }</strong></p>
            <button class="secondary" onclick={new} data-testid="new-template">{ s(lang, Msg::NewTemplate) }</button>
            {
                match &*list {
                    Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                    Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Load::Ready(v) if v.is_empty() => html! { <p class="muted">{ s(lang, Msg::NoTemplates) }</p> },
                    Load::Ready(v) => html! {
                        <ul class="queue" data-testid="templates">
                            { for v.iter().map(|t| html! {
                                <TemplateRow template={t.clone()} on_edit={{
                                    let (editing, t) = (editing.clone(), t.clone());
                                    Callback::from(move |_| editing.set(Some(Some(t.clone()))))
                                }} on_changed={{
                                    let reload = reload.clone();
                                    Callback::from(move |_| reload.set(*reload + 1))
                                }} />
                            }) }
                        </ul>
                    },
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    template: TemplateDto,
    on_edit: Callback<()>,
    on_changed: Callback<()>,
}

#[function_component(TemplateRow)]
fn template_row(props: &RowProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let error = use_state(|| None::<String>);
    let t = &props.template;
    let act = |action: &'static str| {
        let (auth, error, on_changed) = (auth.clone(), error.clone(), props.on_changed.clone());
        let id = t.id.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(auth) = auth.clone() else { return };
            let (error, on_changed) = (error.clone(), on_changed.clone());
            let url = format!("/api/v1/pledge-templates/{id}/{action}");
            wasm_bindgen_futures::spawn_local(async move {
                match auth
                    .post::<_, TemplateDto>(&url, &serde_json::json!({}))
                    .await
                {
                    Ok(_) => on_changed.emit(()),
                    Err(e) => error.set(Some(failure(lang, &e))),
                }
            });
        })
    };
    let edit = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| on_edit.emit(()))
    };
    let state = match (t.published, t.retired) {
        (_, true) => s(lang, Msg::TemplateRetired),
        (true, false) => s(lang, Msg::TemplatePublished),
        (false, false) => s(lang, Msg::TemplateDraft),
    };
    let title = match (lang, &t.title_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => t.title_vi.clone(),
    };
    html! {
        <li class="pledge-row" data-testid="template">
            <p class="row-top">
                <strong data-data="">{ title }</strong>
                <span class="template-state">{ state }</span>
            </p>
            <p class="row-meta">
                { pick(lang, t.kind.label_vi(), t.kind.label_en()) }
                { " · " }{ s(lang, Msg::Version) }{ " " }{ t.version }
                { " · " }{ t.commitments.len() }{ " " }{ s(lang, Msg::CommitmentsCount) }
            </p>
            <ol class="row-meta">
                { for t.commitments.iter().map(|c| html! { <li data-data="">{ match (lang, &c.en) {
                    (Lang::En, Some(en)) => en.clone(),
                    _ => c.vi.clone(),
                } }</li> }) }
            </ol>
            <div class="toolbar no-print">
                if !t.published {
                    <button class="secondary" onclick={edit.clone()} data-testid="edit-template">{ s(lang, Msg::Edit) }</button>
                    <button class="secondary" onclick={act("publish")} data-testid="publish-template">{ s(lang, Msg::Publish) }</button>
                } else if !t.retired {
                    <button class="secondary" onclick={edit} data-testid="new-version">{ s(lang, Msg::NewVersion) }</button>
                    <button class="secondary" onclick={act("retire")} data-testid="retire-template">{ s(lang, Msg::Retire) }</button>
                }
            </div>
            if let Some(e) = &*error {
                <p class="field-error" role="alert">{ e.clone() }</p>
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    /// The draft to edit, or the published template a new version starts from; `None`: blank.
    template: Option<TemplateDto>,
    on_done: Callback<()>,
    on_cancel: Callback<()>,
}

/// Lines of a text area, blank ones dropped.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[function_component(TemplateForm)]
fn template_form(props: &FormProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (title_vi, title_en, vi, en) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let kind = use_state(|| {
        props
            .template
            .as_ref()
            .map_or(PledgeKind::Household, |t| t.kind)
    });
    // Editing a draft in place; a published one gets a new draft version.
    let draft_id = props
        .template
        .as_ref()
        .filter(|t| !t.published)
        .map(|t| t.id.clone());
    let start = props.template.clone();
    let onsubmit = {
        let (auth, errors, busy, kind, on_done) = (
            auth.clone(),
            errors.clone(),
            busy.clone(),
            kind.clone(),
            props.on_done.clone(),
        );
        let (title_vi, title_en, vi, en) =
            (title_vi.clone(), title_en.clone(), vi.clone(), en.clone());
        let draft_id = draft_id.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let en_lines = lines(&input_value(&en));
            let req = TemplateRequest {
                kind: kind.as_str().into(),
                title_vi: input_value(&title_vi),
                title_en: Some(input_value(&title_en)).filter(|t| !t.trim().is_empty()),
                commitments: lines(&input_value(&vi))
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| Commitment {
                        vi: v,
                        en: en_lines.get(i).cloned(),
                    })
                    .collect(),
                province: None,
            };
            // The server's own checks, with its messages, before anything is sent.
            if let Err(errs) = req.parse() {
                errors.set(from_local(&errs));
                return;
            }
            errors.set(FieldErrors::new());
            busy.set(true);
            let (errors, busy, on_done, draft_id) = (
                errors.clone(),
                busy.clone(),
                on_done.clone(),
                draft_id.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let r = match &draft_id {
                    Some(id) => {
                        auth.put::<_, TemplateDto>(&format!("/api/v1/pledge-templates/{id}"), &req)
                            .await
                    }
                    None => {
                        auth.post::<_, TemplateDto>("/api/v1/pledge-templates", &req)
                            .await
                    }
                };
                busy.set(false);
                match r {
                    Ok(_) => on_done.emit(()),
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let set_kind = {
        let kind = kind.clone();
        Callback::from(move |e: Event| {
            if let Ok(k) = PledgeKind::parse(&select_value(&e)) {
                kind.set(k);
            }
        })
    };
    let cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };
    let value_vi = start.as_ref().map(|t| {
        t.commitments
            .iter()
            .map(|c| c.vi.clone())
            .collect::<Vec<_>>()
            .join("\n")
    });
    let value_en = start.as_ref().map(|t| {
        t.commitments
            .iter()
            .map(|c| c.en.clone().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("\n")
    });
    // A line's error (commitments.2.vi) is shown under the text area of its language.
    let line_errors = |suffix: &str| {
        let mut keys: Vec<&String> = errors
            .keys()
            .filter(|k| k.starts_with("commitments.") && k.ends_with(suffix))
            .collect();
        keys.sort();
        html! { <>{ for keys.into_iter().map(|k| {
            let line = k.split('.').nth(1).and_then(|n| n.parse::<usize>().ok()).map_or(0, |n| n + 1);
            html! { <>
                <p class="hint">{ s(lang, Msg::Line) }{ " " }{ line }</p>
                { field_error(lang, &errors, k) }
            </> }
        }) }</> }
    };
    let invalid = |k: &str| errors.contains_key(k).to_string();
    html! {
        <form class="template-form" {onsubmit} novalidate=true data-testid="template-form">
            <h2>{ s(lang, if draft_id.is_some() { Msg::EditTemplate } else { Msg::NewTemplate }) }</h2>
            { field_error(lang, &errors, "form") }
            <div class="field">
                <label for="template-kind">{ s(lang, Msg::Audience) }</label>
                <select id="template-kind" onchange={set_kind} disabled={draft_id.is_some()}>
                    { for PledgeKind::ALL.iter().map(|k| html! {
                        <option value={k.as_str()} selected={*k == *kind}>{ pick(lang, k.label_vi(), k.label_en()) }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="template-title-vi">{ s(lang, Msg::TitleVi) }</label>
                <input id="template-title-vi" ref={title_vi} aria-invalid={invalid("title_vi")}
                    value={start.as_ref().map(|t| t.title_vi.clone())} />
                { field_error(lang, &errors, "title_vi") }
            </div>
            <div class="field">
                <label for="template-title-en">{ s(lang, Msg::TitleEn) }</label>
                <input id="template-title-en" ref={title_en} aria-invalid={invalid("title_en")}
                    value={start.as_ref().and_then(|t| t.title_en.clone())} />
                { field_error(lang, &errors, "title_en") }
            </div>
            <div class="field">
                <label for="template-commitments-vi">{ s(lang, Msg::CommitmentsVi) }</label>
                <p class="hint">{ s(lang, Msg::OnePerLine) }</p>
                <textarea id="template-commitments-vi" ref={vi} rows="8"
                    aria-invalid={invalid("commitments")} value={value_vi} />
                { field_error(lang, &errors, "commitments") }
                { line_errors(".vi") }
            </div>
            <div class="field">
                <label for="template-commitments-en">{ s(lang, Msg::CommitmentsEn) }</label>
                <p class="hint">{ s(lang, Msg::SameOrder) }</p>
                <textarea id="template-commitments-en" ref={en} rows="8" value={value_en} />
                { line_errors(".en") }
            </div>
            <div class="toolbar">
                <button class="primary" type="submit" disabled={*busy}>{ s(lang, Msg::SaveDraft) }</button>
                <button class="secondary" type="button" onclick={cancel}>{ s(lang, Msg::Cancel) }</button>
            </div>
        </form>
    }
}
