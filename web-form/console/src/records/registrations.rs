//! A commune's registrations of quarter I (TT 124 art. 9.2.a): who has registered, who has not,
//! the units outside the Thông tư (art. 1.2.b), and the commune's rule of art. 5.4 over the rest;
//! a form to record a registration and one to say a unit is outside.

use bvantq_shared::registration::{
    EligibilityRequest, Exclusion, Registration, RegistrationBoard, RegistrationLine,
    RegistrationRequest, exclusion_fits,
};
use web_form::form::{FieldErrors, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use super::{required_date_of, share_text};
use crate::api::AuthHandle;
use crate::helpers::{Ctx, field_errors, value_of};
use crate::strings::{Msg, label, s};

#[derive(Properties, PartialEq)]
pub(super) struct RegistrationsProps {
    /// The commune's code (its own registration is made on it).
    pub commune: String,
    pub board: RegistrationBoard,
    pub done: Callback<()>,
}

/// "20/02/2026 — 05-NQ/CB", marked late when made after quarter I.
fn registered(lang: Lang, r: &Registration) -> Html {
    html! {
        <>
            { format!("{} {} — ", s(lang, Msg::RegisteredOn), day(r.registered_on)) }
            <span data-data="">{ r.document.clone() }</span>
            if !r.in_quarter_one { { " · " }<strong>{ s(lang, Msg::RegisteredLate) }</strong> }
        </>
    }
}

fn line(lang: Lang, l: &RegistrationLine) -> Html {
    html! {
        <li data-unit={l.unit_code.clone()}>
            <strong data-data="">{ l.unit_name.clone() }</strong>
            { format!(" ({}) · ", label(lang, l.unit_kind)) }
            { match (l.exclusion, &l.registration) {
                (Some(x), _) => html! { <>{ s(lang, Msg::Outside) }{ ": " }{ label(lang, x) }</> },
                (None, Some(r)) => registered(lang, r),
                (None, None) => html! { <strong>{ s(lang, Msg::NotRegistered) }</strong> },
            } }
            if l.recognised { { " · ✓ " }{ s(lang, Msg::Recognised) } }
        </li>
    }
}

#[function_component(Registrations)]
pub(super) fn registrations(p: &RegistrationsProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let errors = use_state(FieldErrors::new);
    let outside_errors = use_state(FieldErrors::new);
    let b = &p.board;
    let register = {
        let (auth, errors, done, year) = (auth.clone(), errors.clone(), p.done.clone(), b.year);
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut bad = FieldErrors::new();
            let Some(registered_on) = required_date_of("reg-day", "registered_on", &mut bad) else {
                errors.set(bad);
                return;
            };
            let note = value_of("reg-note");
            let req = RegistrationRequest {
                registered_on,
                document: value_of("reg-document"),
                note: (!note.trim().is_empty()).then_some(note),
            };
            let code = value_of("reg-unit");
            let (auth, errors, done) = (auth.clone(), errors.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{code}/registrations/{year}");
                match auth.put::<_, Registration>(&url, &req).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        done.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let outside = {
        let (auth, errors, done) = (auth.clone(), outside_errors.clone(), p.done.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let exclusion = value_of("outside-reason");
            let req = EligibilityRequest {
                exclusion: (!exclusion.is_empty()).then_some(exclusion),
            };
            let code = value_of("outside-unit");
            let (auth, errors, done) = (auth.clone(), errors.clone(), done.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{code}/eligibility");
                match auth.put::<_, RegistrationLine>(&url, &req).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        done.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let rule = &b.rule;
    // Units that may be outside the Thông tư: agencies, enterprises, schools.
    let may_be_outside: Vec<&RegistrationLine> = b
        .lines
        .iter()
        .filter(|l| {
            Exclusion::ALL
                .iter()
                .any(|x| exclusion_fits(l.unit_kind, *x))
        })
        .collect();
    html! {
        <>
            <p data-testid="registration-rule">
                { share_text(lang, rule.registered.counted, rule.registered.units, rule.registered.percent, Msg::RegisteredShare) }
                { " · " }
                { share_text(lang, rule.recognised.counted, rule.recognised.units, rule.recognised.percent, Msg::RecognisedShare) }
                { " · " }
                <strong class={if rule.passed { "met" } else { "not-met" }}>
                    { s(lang, if rule.passed { Msg::RuleMet } else { Msg::RuleNotMet }) }
                </strong>
            </p>
            <p class="hint">{ format!("{} {}%.", s(lang, Msg::CommuneRule), rule.threshold_percent) }
                if rule.excluded > 0 { { format!(" {}: {}.", s(lang, Msg::OutsideCount), rule.excluded) } }
            </p>
            <p data-testid="registration-own">
                { s(lang, Msg::OwnRegistration) }{ ": " }
                { match &b.own {
                    Some(r) => registered(lang, r),
                    None => html! { <strong>{ s(lang, Msg::NotRegistered) }</strong> },
                } }
            </p>
            <ul class="plans" data-testid="registration-units">
                { for b.lines.iter().map(|l| line(lang, l)) }
            </ul>
            <form class="emulation-form" onsubmit={register} novalidate=true data-testid="registration-form">
                <h4>{ format!("{} {}", s(lang, Msg::RegistrationAdd), b.year) }</h4>
                <div class="field">
                    <label for="reg-unit">{ s(lang, Msg::Unit) }</label>
                    <select id="reg-unit">
                        <option value={p.commune.clone()} selected=true>{ s(lang, Msg::TheCommune) }</option>
                        { for b.lines.iter().filter(|l| l.exclusion.is_none()).map(|l| html! {
                            <option value={l.unit_code.clone()} data-data="">{ l.unit_name.clone() }</option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "code") }
                </div>
                <div class="field">
                    <label for="reg-day">{ s(lang, Msg::RegisteredOnInput) }</label>
                    <input id="reg-day" type="date" />
                    { field_error(lang, &errors, "registered_on") }
                    { field_error(lang, &errors, "year") }
                </div>
                <div class="field">
                    <label for="reg-document">{ s(lang, Msg::RegistrationDocument) }</label>
                    <input id="reg-document" type="text" />
                    { field_error(lang, &errors, "document") }
                </div>
                <div class="field">
                    <label for="reg-note">{ s(lang, Msg::NoteOptional) }</label>
                    <input id="reg-note" type="text" />
                    { field_error(lang, &errors, "note") }
                </div>
                { field_error(lang, &errors, "form") }
                <button class="primary" type="submit">{ s(lang, Msg::RegistrationSave) }</button>
            </form>
            if !may_be_outside.is_empty() {
                <form class="emulation-form" onsubmit={outside} novalidate=true data-testid="outside-form">
                    <h4>{ s(lang, Msg::OutsideTitle) }</h4>
                    <div class="field">
                        <label for="outside-unit">{ s(lang, Msg::Unit) }</label>
                        <select id="outside-unit">
                            { for may_be_outside.iter().map(|l| html! {
                                <option value={l.unit_code.clone()} data-data="">{ l.unit_name.clone() }</option>
                            }) }
                        </select>
                        { field_error(lang, &outside_errors, "code") }
                    </div>
                    <div class="field">
                        <label for="outside-reason">{ s(lang, Msg::OutsideReason) }</label>
                        <select id="outside-reason">
                            <option value="">{ s(lang, Msg::Inside) }</option>
                            { for Exclusion::ALL.iter().map(|x| html! {
                                <option value={x.as_str()}>{ label(lang, *x) }</option>
                            }) }
                        </select>
                        { field_error(lang, &outside_errors, "exclusion") }
                    </div>
                    { field_error(lang, &outside_errors, "form") }
                    <button class="primary" type="submit">{ s(lang, Msg::OutsideSave) }</button>
                </form>
            }
        </>
    }
}
