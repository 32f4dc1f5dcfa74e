//! An agency's, enterprise's or school's briefings of its people (TT 124 arts. 6.1, 7.1): how
//! far they reached this year (100% asked), each session, and a form to record one for the
//! whole unit or one of its classes or departments — a school's flag ceremony among them.

use bvantq_shared::ValidationError;
use bvantq_shared::briefing::{Briefing, BriefingBoard, BriefingRequest, HEADCOUNT_MAX};
use web_form::form::{FieldErrors, add_error, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use super::required_date_of;
use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, checked_of, failure, field_errors, value_of};
use crate::strings::{Msg, s};

/// A count typed in `id`, or the field's error.
fn count_of(id: &str, field: &str, bad: &mut FieldErrors) -> Option<u32> {
    match value_of(id).trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            let e = ValidationError::OutOfRange {
                min: 0,
                max: i64::from(HEADCOUNT_MAX),
            };
            add_error(bad, &e.on(field));
            None
        }
    }
}

fn session(lang: Lang, b: &Briefing) -> Html {
    html! {
        <li>
            <strong data-data="">{ b.topic.clone() }</strong>
            <span class="row-meta">
                { format!("{} · ", day(b.held_on)) }<span data-data="">{ b.unit_name.clone() }</span>
                { format!(" · {}/{} {}", b.attendance, b.headcount, s(lang, Msg::Attended)) }
                if b.flag_ceremony { { " · " }{ s(lang, Msg::FlagCeremony) } }
            </span>
        </li>
    }
}

/// The briefings of the caller's own agency, enterprise or school.
#[function_component(BriefingsDesk)]
pub fn briefings_desk() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(me) = auth.me() else {
        return html! {};
    };
    let unit = me.scope_unit.clone();
    let school = me.role == bvantq_shared::Role::SchoolAdmin;
    let board = use_state(|| Load::<BriefingBoard>::Loading);
    let errors = use_state(FieldErrors::new);
    let reload = use_state(|| 0u32);
    {
        let (auth, board, unit) = (auth.clone(), board.clone(), unit.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{unit}/briefings");
                board.set(match auth.get::<BriefingBoard>(&url).await {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
        });
    }
    let record = {
        let (auth, errors, reload) = (auth.clone(), errors.clone(), reload.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut bad = FieldErrors::new();
            let held_on = required_date_of("briefing-day", "held_on", &mut bad);
            let attendance = count_of("briefing-attendance", "attendance", &mut bad);
            let headcount = count_of("briefing-headcount", "headcount", &mut bad);
            let (Some(held_on), Some(attendance), Some(headcount)) =
                (held_on, attendance, headcount)
            else {
                errors.set(bad);
                return;
            };
            let req = BriefingRequest {
                held_on,
                topic: value_of("briefing-topic"),
                attendance,
                headcount,
                flag_ceremony: checked_of("briefing-flag"),
            };
            let code = value_of("briefing-for");
            let (auth, errors, reload) = (auth.clone(), errors.clone(), reload.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{code}/briefings");
                match auth.post::<_, Briefing>(&url, &req).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        reload.set(*reload + 1);
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let b = match &*board {
        Load::Loading => return html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => {
            return html! { <p class="error" role="alert">{ why.clone() }</p> };
        }
        Load::Ready(b) => b.clone(),
    };
    let c = &b.coverage;
    let without: Vec<String> = b
        .groups
        .iter()
        .filter(|g| c.groups_without.contains(&g.code))
        .map(|g| g.name.clone())
        .collect();
    html! {
        <section data-testid="briefings">
            <h3>{ s(lang, Msg::BriefingsTitle) }</h3>
            <p class="hint">{ s(lang, if school { Msg::BriefingsHintSchool } else { Msg::BriefingsHint }) }</p>
            <p data-testid="briefing-coverage">
                { crate::records::share_text(lang, c.share.counted, c.share.units, c.share.percent, Msg::Briefed) }
                { " · " }
                <strong class={if c.complete { "met" } else { "not-met" }}>
                    { s(lang, if c.complete { Msg::EveryoneBriefed } else { Msg::NotEveryoneBriefed }) }
                </strong>
            </p>
            if !without.is_empty() {
                <p class="warning" data-testid="briefing-without">
                    { s(lang, Msg::GroupsWithout) }{ ": " }<span data-data="">{ without.join(", ") }</span>
                </p>
            }
            if b.briefings.is_empty() {
                <p class="muted">{ s(lang, Msg::NoBriefings) }</p>
            } else {
                <ul class="plans" data-testid="briefing-list">
                    { for b.briefings.iter().map(|x| session(lang, x)) }
                </ul>
            }
            <form class="emulation-form" onsubmit={record} novalidate=true data-testid="briefing-form">
                <h4>{ s(lang, Msg::BriefingAdd) }</h4>
                <div class="field">
                    <label for="briefing-for">{ s(lang, Msg::BriefingFor) }</label>
                    <select id="briefing-for">
                        <option value={b.unit_code.clone()} selected=true>{ s(lang, Msg::WholeUnit) }</option>
                        { for b.groups.iter().map(|g| html! {
                            <option value={g.code.clone()} data-data="">{ g.name.clone() }</option>
                        }) }
                    </select>
                    { field_error(lang, &errors, "code") }
                </div>
                <div class="field">
                    <label for="briefing-day">{ s(lang, Msg::HeldOn) }</label>
                    <input id="briefing-day" type="date" />
                    { field_error(lang, &errors, "held_on") }
                </div>
                <div class="field">
                    <label for="briefing-topic">{ s(lang, Msg::BriefingTopic) }</label>
                    <input id="briefing-topic" type="text" />
                    { field_error(lang, &errors, "topic") }
                </div>
                <div class="field">
                    <label for="briefing-attendance">{ s(lang, Msg::BriefingAttendance) }</label>
                    <input id="briefing-attendance" type="text" inputmode="numeric" />
                    { field_error(lang, &errors, "attendance") }
                </div>
                <div class="field">
                    <label for="briefing-headcount">{ s(lang, Msg::BriefingHeadcount) }</label>
                    <input id="briefing-headcount" type="text" inputmode="numeric" />
                    { field_error(lang, &errors, "headcount") }
                </div>
                if school {
                    <div class="field check">
                        <input id="briefing-flag" type="checkbox" />
                        <label for="briefing-flag">{ s(lang, Msg::FlagCeremonyInput) }</label>
                    </div>
                }
                { field_error(lang, &errors, "form") }
                <button class="primary" type="submit">{ s(lang, Msg::BriefingSave) }</button>
            </form>
        </section>
    }
}
