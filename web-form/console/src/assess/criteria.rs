//! The criteria of a set, each answered pass / fail with the platform's evidence beside it; an
//! answer against the evidence asks for a reason.

use bvantq_shared::assessment::{
    Answers, CriteriaSet, Criterion, CriterionAnswer, Evidence, with_evidence,
};
use wasm_bindgen::JsCast;
use web_form::form::{FieldErrors, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::helpers::{Ctx, pick_owned};
use crate::strings::{Msg, s};

#[derive(Properties, PartialEq)]
pub struct CriteriaProps {
    pub set: Box<CriteriaSet>,
    /// The answers being edited (the view holds them).
    pub answers: UseStateHandle<Answers>,
    pub evidence: Vec<Evidence>,
    pub editable: bool,
    pub errors: FieldErrors,
}

/// What a change of one criterion's inputs does to the answers.
#[derive(Clone, Copy)]
enum Edit {
    Passed(bool),
    Note,
    Reason,
}

fn edit(answers: &UseStateHandle<Answers>, code: &str, what: Edit, value: Option<String>) {
    let mut a = (**answers).clone();
    match what {
        Edit::Passed(passed) => {
            a.criteria
                .entry(code.to_string())
                .or_insert(CriterionAnswer {
                    passed,
                    note: None,
                    override_reason: None,
                })
                .passed = passed;
        }
        Edit::Note | Edit::Reason => {
            let Some(ans) = a.criteria.get_mut(code) else {
                return;
            };
            let v = value.filter(|v| !v.trim().is_empty());
            if matches!(what, Edit::Reason) {
                ans.override_reason = v;
            } else {
                ans.note = v;
            }
        }
    }
    answers.set(a);
}

#[function_component(CriteriaList)]
pub fn criteria_list(p: &CriteriaProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let full = with_evidence(&p.answers, &p.evidence);
    html! {
        <>
            <h3>{ s(lang, Msg::Criteria) }</h3>
            <ol class="criteria">
                { for p.set.criteria.iter().map(|c| criterion(lang, p, c, full.criteria.get(&c.code).map(|x| x.passed))) }
            </ol>
        </>
    }
}

/// One criterion: its title and sub-items, the evidence, pass / fail, a note, and the reason an
/// answer against the evidence needs.
fn criterion(lang: Lang, p: &CriteriaProps, c: &Criterion, filled: Option<bool>) -> Html {
    let a = p.answers.criteria.get(&c.code).cloned();
    let ev: Vec<&Evidence> = p
        .evidence
        .iter()
        .filter(|e| e.criterion == c.code)
        .collect();
    let expected = bvantq_shared::assessment::expected(&c.code, &p.evidence);
    let against = matches!((expected, &a), (Some(x), Some(a)) if a.passed != x);
    let name = format!("crit-{}", c.code);
    let field = format!("criteria.{}", c.code);
    let reason_field = format!("criteria.{}.override_reason", c.code);
    let on = |what: Edit| {
        let (answers, code) = (p.answers.clone(), c.code.clone());
        Callback::from(move |e: Event| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value());
            edit(&answers, &code, what, value);
        })
    };
    let on_input = |what: Edit| {
        let (answers, code) = (p.answers.clone(), c.code.clone());
        Callback::from(move |e: InputEvent| {
            let value = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value());
            if value.is_some() {
                edit(&answers, &code, what, value);
            }
        })
    };
    let choice = |passed: bool, suffix: &str, text: Msg| {
        let id = format!("{name}-{suffix}");
        html! {
            <div class="check">
                <input type="radio" id={id.clone()} name={name.clone()}
                    checked={filled == Some(passed)} disabled={!p.editable}
                    onchange={on(Edit::Passed(passed))} />
                <label for={id}>{ s(lang, text) }</label>
            </div>
        }
    };
    html! {
        <li class="criterion" data-criterion={c.code.clone()}>
            <fieldset>
                <legend><span data-data="">{ pick_owned(lang, &c.title_vi, &c.title_en) }</span></legend>
                if let Some(article) = &c.article {
                    <p class="hint article" data-data="">{ article.clone() }</p>
                }
                if !c.sub_items.is_empty() {
                    <ul class="hint">{ for c.sub_items.iter().map(|x| html! { <li data-data="">{ x.clone() }</li> }) }</ul>
                }
                if !ev.is_empty() {
                    <div data-testid={format!("evidence-{}", c.code)}>
                        { for ev.iter().map(|e| html! {
                            <p class="evidence">
                                { s(lang, if e.passed.is_some() { Msg::Evidence } else { Msg::SupportingEvidence }) }
                                { ": " }<span data-data="">{ e.value.clone() }</span>
                                { " — " }<span data-data="">{ pick_owned(lang, &e.source_vi, &e.source_en) }</span>
                                if let Some(ok) = e.passed {
                                    { " → " }<strong>{ s(lang, if ok { Msg::Passes } else { Msg::Fails }) }</strong>
                                }
                            </p>
                        }) }
                    </div>
                }
                <div class="choices">
                    { choice(true, "pass", Msg::Passes) }
                    { choice(false, "fail", Msg::Fails) }
                </div>
                { field_error(lang, &p.errors, &field) }
                if let Some(a) = a.as_ref().filter(|_| p.editable) {
                    <label for={format!("{name}-note")}>{ s(lang, Msg::NoteOptional) }</label>
                    <input id={format!("{name}-note")} value={a.note.clone().unwrap_or_default()}
                        oninput={on_input(Edit::Note)} />
                }
                if against {
                    <label for={format!("{name}-reason")}>{ s(lang, Msg::OverrideReason) }</label>
                    <input id={format!("{name}-reason")} disabled={!p.editable}
                        value={a.as_ref().and_then(|x| x.override_reason.clone()).unwrap_or_default()}
                        aria-invalid={p.errors.contains_key(&reason_field).to_string()}
                        oninput={on_input(Edit::Reason)} />
                    { field_error(lang, &p.errors, &reason_field) }
                }
            </fieldset>
        </li>
    }
}
