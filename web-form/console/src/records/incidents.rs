//! The events of criterion 4 in a commune and its units (TT 124 art. 4.4): each with when it
//! happened and was reported and whether the force-majeure exception excuses it; a form to
//! record one.

use bvantq_shared::ValidationError;
use bvantq_shared::chrono::NaiveDateTime;
use bvantq_shared::incident::{Incident, IncidentBoard, IncidentKind, IncidentRequest};
use web_form::form::{FieldErrors, add_error, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, checked_of, field_errors, value_of};
use crate::strings::{Msg, label, s};

#[derive(Properties, PartialEq)]
pub(super) struct IncidentsProps {
    pub commune: String,
    pub board: IncidentBoard,
    /// The commune's units an event may be recorded in: (code, name).
    pub units: Vec<(String, String)>,
    pub done: Callback<()>,
}

/// A time typed in a `datetime-local` field (Vietnam time), or the field's error.
fn time_of(id: &str, field: &str, bad: &mut FieldErrors) -> Option<NaiveDateTime> {
    let v = value_of(id);
    if v.trim().is_empty() {
        add_error(bad, &ValidationError::Required.on(field));
        return None;
    }
    match NaiveDateTime::parse_from_str(v.trim(), "%Y-%m-%dT%H:%M") {
        Ok(t) => Some(t),
        Err(_) => {
            add_error(bad, &ValidationError::DateFormat.on(field));
            None
        }
    }
}

fn when(t: NaiveDateTime) -> String {
    format!("{} {}", t.format("%H:%M"), day(t.date()))
}

fn line(lang: Lang, i: &Incident, units: &[(String, String)], commune: &str) -> Html {
    let place = match units.iter().find(|(c, _)| *c == i.unit_code) {
        Some((_, name)) => html! { <span data-data="">{ name.clone() }</span> },
        None if i.unit_code == commune => html! { { s(lang, Msg::CommuneItself) } },
        None => html! { <span class="code" data-data="">{ i.unit_code.clone() }</span> },
    };
    html! {
        <li data-excused={i.excused.to_string()}>
            <strong>{ label(lang, i.kind) }</strong>{ " · " }{ place }
            { format!(" · {} {} · {} {}", s(lang, Msg::IncidentOccurred), when(i.occurred_at),
                s(lang, Msg::IncidentReported), when(i.reported_at)) }
            <br />
            <span data-data="">{ i.description.clone() }</span>
            { " · " }
            if i.force_majeure { { s(lang, Msg::ForceMajeure) }{ " · " } }
            if !i.reported_promptly { { s(lang, Msg::ReportedLate) }{ " · " } }
            <strong class={if i.excused { "met" } else { "not-met" }}>
                { s(lang, if i.excused { Msg::IncidentExcused } else { Msg::IncidentCounts }) }
            </strong>
        </li>
    }
}

#[function_component(Incidents)]
pub(super) fn incidents(p: &IncidentsProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let errors = use_state(FieldErrors::new);
    let record = {
        let (auth, errors, done) = (auth.clone(), errors.clone(), p.done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut bad = FieldErrors::new();
            let occurred_at = time_of("incident-occurred", "occurred_at", &mut bad);
            let reported_at = time_of("incident-reported", "reported_at", &mut bad);
            let kind = IncidentKind::parse(&value_of("incident-kind"));
            let (Some(occurred_at), Some(reported_at), Ok(kind)) = (occurred_at, reported_at, kind)
            else {
                errors.set(bad);
                return;
            };
            let force_majeure = checked_of("incident-force-majeure");
            let req = IncidentRequest {
                kind,
                occurred_at,
                reported_at,
                force_majeure,
                description: value_of("incident-description"),
            };
            let code = value_of("incident-unit");
            let (auth, errors, done) = (auth.clone(), errors.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{code}/incidents");
                match auth.post::<_, Incident>(&url, &req).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        done.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let b = &p.board;
    html! {
        <>
            <p class="hint">
                { s(lang, Msg::IncidentsHint) }
                { format!(" {} {} {}.", s(lang, Msg::PromptWithin), b.prompt_report_hours, s(lang, Msg::Hours)) }
            </p>
            <p class="muted">{ format!("{} {} – {}", s(lang, Msg::Period), day(b.starts_on), day(b.ends_on)) }</p>
            if b.incidents.is_empty() {
                <p class="muted" data-testid="incidents-none">{ s(lang, Msg::NoIncidents) }</p>
            } else {
                <ul class="plans" data-testid="incidents">
                    { for b.incidents.iter().map(|i| line(lang, i, &p.units, &p.commune)) }
                </ul>
            }
            <form class="emulation-form" onsubmit={record} novalidate=true data-testid="incident-form">
                <h4>{ s(lang, Msg::IncidentAdd) }</h4>
                <div class="field">
                    <label for="incident-unit">{ s(lang, Msg::Unit) }</label>
                    <select id="incident-unit">
                        <option value={p.commune.clone()} selected=true>{ s(lang, Msg::CommuneItself) }</option>
                        { for p.units.iter().map(|(code, name)| html! {
                            <option value={code.clone()} data-data="">{ name.clone() }</option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "code") }
                </div>
                <div class="field">
                    <label for="incident-kind">{ s(lang, Msg::IncidentKindInput) }</label>
                    <select id="incident-kind">
                        { for IncidentKind::ALL.iter().map(|k| html! {
                            <option value={k.as_str()}>{ label(lang, *k) }</option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "kind") }
                </div>
                <div class="field">
                    <label for="incident-occurred">{ s(lang, Msg::IncidentOccurredInput) }</label>
                    <input id="incident-occurred" type="datetime-local" />
                    { field_error(lang, &errors, "occurred_at") }
                </div>
                <div class="field">
                    <label for="incident-reported">{ s(lang, Msg::IncidentReportedInput) }</label>
                    <input id="incident-reported" type="datetime-local" />
                    { field_error(lang, &errors, "reported_at") }
                </div>
                <div class="field check">
                    <input id="incident-force-majeure" type="checkbox" />
                    <label for="incident-force-majeure">{ s(lang, Msg::ForceMajeureInput) }</label>
                </div>
                <div class="field">
                    <label for="incident-description">{ s(lang, Msg::IncidentDescription) }</label>
                    <textarea id="incident-description" rows="3" />
                    { field_error(lang, &errors, "description") }
                </div>
                { field_error(lang, &errors, "form") }
                <button class="primary" type="submit">{ s(lang, Msg::IncidentSave) }</button>
            </form>
        </>
    }
}
