//! The suspect's phone numbers, accounts, links and social-media accounts, asked for with a fraud
//! tip only: one row per value (its kind, the value, an optional note such as the bank), added
//! and removed by the reporter. Each value is checked by the same normaliser the server runs, and
//! its error shows on its row.

use bvantq_shared::tip::indicator::{
    INDICATOR_NOTE_MAX_CHARS, IndicatorKind, IndicatorRequest, MAX_INDICATORS,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::form::{FieldErrors, field_error};
use crate::i18n::{Lang, LangContext, Msg, t};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub rows: Vec<IndicatorRequest>,
    pub on_change: Callback<Vec<IndicatorRequest>>,
    pub errors: FieldErrors,
}

/// A blank row, a phone number by default (what tip lines hear most).
pub fn blank() -> IndicatorRequest {
    IndicatorRequest {
        kind: IndicatorKind::Phone.as_str().into(),
        value: String::new(),
        note: None,
    }
}

/// The rows worth sending: those with a value.
pub fn filled(rows: &[IndicatorRequest]) -> Vec<IndicatorRequest> {
    rows.iter()
        .filter(|r| !r.value.trim().is_empty())
        .cloned()
        .collect()
}

/// How a phone shows its keyboard for a kind of value.
fn input_mode(kind: &str) -> &'static str {
    match kind {
        "phone" => "tel",
        "bank_account" => "numeric",
        "link" => "url",
        _ => "text",
    }
}

#[function_component(Indicators)]
pub fn indicators(props: &Props) -> Html {
    let lang = use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or(Lang::Vi);
    let edit = |i: usize, f: fn(&mut IndicatorRequest, String)| {
        let (rows, on_change) = (props.rows.clone(), props.on_change.clone());
        move |v: String| {
            let mut rows = rows.clone();
            if let Some(r) = rows.get_mut(i) {
                f(r, v);
            }
            on_change.emit(rows);
        }
    };
    let add = {
        let (rows, on_change) = (props.rows.clone(), props.on_change.clone());
        Callback::from(move |_| {
            let mut rows = rows.clone();
            rows.push(blank());
            on_change.emit(rows);
        })
    };
    let err = |f: String| field_error(lang, &props.errors, &f);
    let invalid = |f: String| props.errors.contains_key(&f).then_some("true");
    let label = |k: IndicatorKind| {
        if lang == Lang::Vi {
            k.label_vi()
        } else {
            k.label_en()
        }
    };
    html! {
        <fieldset class="indicators" data-testid="indicators">
            <legend>{ t(lang, Msg::IndicatorsTitle) }</legend>
            <p class="hint">{ t(lang, Msg::IndicatorsHint) }</p>
            { err("indicators".into()) }
            { for props.rows.iter().enumerate().map(|(i, r)| {
                let on_kind = {
                    let set = edit(i, |r, v| r.kind = v);
                    Callback::from(move |e: Event| {
                        let s: HtmlSelectElement = e.target_unchecked_into();
                        set(s.value());
                    })
                };
                let on_value = {
                    let set = edit(i, |r, v| r.value = v);
                    Callback::from(move |e: InputEvent| {
                        let s: HtmlInputElement = e.target_unchecked_into();
                        set(s.value());
                    })
                };
                let on_note = {
                    let set = edit(i, |r, v| r.note = Some(v).filter(|s| !s.trim().is_empty()));
                    Callback::from(move |e: InputEvent| {
                        let s: HtmlInputElement = e.target_unchecked_into();
                        set(s.value());
                    })
                };
                let remove = {
                    let (rows, on_change) = (props.rows.clone(), props.on_change.clone());
                    Callback::from(move |_| {
                        let mut rows = rows.clone();
                        rows.remove(i);
                        on_change.emit(rows);
                    })
                };
                let f = |name: &str| format!("indicators.{i}.{name}");
                html! {
                    <div class="indicator" data-testid={format!("indicator-{i}")}>
                        <label for={format!("indicator-kind-{i}")}>{ t(lang, Msg::IndicatorKind) }</label>
                        <select id={format!("indicator-kind-{i}")} onchange={on_kind} aria-invalid={invalid(f("kind"))}>
                            { for IndicatorKind::ALL.iter().map(|k| html! {
                                <option value={k.as_str()} selected={r.kind == k.as_str()}>{ label(*k) }</option>
                            }) }
                        </select>
                        { err(f("kind")) }
                        <label for={format!("indicator-value-{i}")}>{ t(lang, Msg::IndicatorValue) }</label>
                        <input id={format!("indicator-value-{i}")} type="text" inputmode={input_mode(&r.kind)}
                            autocomplete="off" value={r.value.clone()} oninput={on_value}
                            aria-invalid={invalid(f("value"))} aria-describedby={format!("err-{}", f("value"))} />
                        { err(f("value")) }
                        <label for={format!("indicator-note-{i}")}>{ t(lang, Msg::IndicatorNote) }</label>
                        <input id={format!("indicator-note-{i}")} type="text" maxlength={INDICATOR_NOTE_MAX_CHARS.to_string()}
                            value={r.note.clone().unwrap_or_default()} oninput={on_note}
                            aria-invalid={invalid(f("note"))} />
                        { err(f("note")) }
                        <button type="button" class="back" onclick={remove}>{ t(lang, Msg::IndicatorRemove) }</button>
                    </div>
                }
            }) }
            if props.rows.len() < MAX_INDICATORS {
                <button type="button" class="secondary" onclick={add} data-testid="add-indicator">
                    { t(lang, Msg::IndicatorAdd) }
                </button>
            }
        </fieldset>
    }
}
