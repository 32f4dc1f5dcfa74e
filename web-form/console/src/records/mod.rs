//! The records a commune keeps through the year: the registrations of quarter I with the units
//! outside Thông tư 124 and the commune's rule of art. 5.4, the self-managed models of its units
//! (added, reviewed each year, retired and kept) and the security team (Tổ bảo vệ an ninh, trật
//! tự) of each residential area with its members, and the events of criterion 4 with the
//! force-majeure exception of art. 4.4; each list says how many count.

use bvantq_shared::ValidationError;
use bvantq_shared::chrono::NaiveDate;
use bvantq_shared::incident::IncidentBoard;
use bvantq_shared::records::{ModelBoard, TeamBoard};
use bvantq_shared::registration::RegistrationBoard;
use web_form::form::{FieldErrors, add_error};
use web_form::i18n::Lang;
use yew::prelude::*;

mod briefings;
mod incidents;
mod models;
mod registrations;
mod teams;

pub use briefings::BriefingsDesk;

use crate::api::AuthHandle;
use crate::helpers::value_of;
use crate::helpers::{Ctx, Load, failure};
use crate::strings::{Msg, s};
use incidents::Incidents;
use models::Models;
use registrations::Registrations;
use teams::Teams;

/// A day typed in a date field: none when empty, the field's error when it does not read.
pub(crate) fn date_of(id: &str, field: &str, bad: &mut FieldErrors) -> Option<Option<NaiveDate>> {
    let v = value_of(id);
    if v.trim().is_empty() {
        return Some(None);
    }
    match NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d") {
        Ok(d) => Some(Some(d)),
        Err(_) => {
            add_error(bad, &ValidationError::DateFormat.on(field));
            None
        }
    }
}

/// A day that must be given: [`date_of`], with an empty field named as required.
pub(crate) fn required_date_of(id: &str, field: &str, bad: &mut FieldErrors) -> Option<NaiveDate> {
    let day = date_of(id, field, bad)?;
    if day.is_none() {
        add_error(bad, &ValidationError::Required.on(field));
    }
    day
}

pub(crate) fn share_text(
    lang: Lang,
    counted: i64,
    units: i64,
    percent: Option<f64>,
    what: Msg,
) -> String {
    format!(
        "{counted}/{units} {} ({})",
        s(lang, what),
        crate::results::percent(lang, percent)
    )
}

#[function_component(RecordsDesk)]
pub fn records_desk() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(unit) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let registered = use_state(|| Load::<RegistrationBoard>::Loading);
    let models = use_state(|| Load::<ModelBoard>::Loading);
    let teams = use_state(|| Load::<TeamBoard>::Loading);
    let incidents = use_state(|| Load::<IncidentBoard>::Loading);
    let reload = use_state(|| 0u32);
    {
        let (auth, registered, models, teams, incidents, unit) = (
            auth.clone(),
            registered.clone(),
            models.clone(),
            teams.clone(),
            incidents.clone(),
            unit.clone(),
        );
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // This year by the server's clock.
                let url = format!("/api/v1/units/{unit}/registrations");
                registered.set(match auth.get::<RegistrationBoard>(&url).await {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
                let url = format!("/api/v1/units/{unit}/models");
                models.set(match auth.get::<ModelBoard>(&url).await {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
                let url = format!("/api/v1/units/{unit}/security-teams");
                teams.set(match auth.get::<TeamBoard>(&url).await {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
                let url = format!("/api/v1/units/{unit}/incidents");
                incidents.set(match auth.get::<IncidentBoard>(&url).await {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
        });
    }
    let done = {
        let reload = reload.clone();
        Callback::from(move |_| reload.set(*reload + 1))
    };
    // The units an event may be recorded in: those the registrations board lists.
    let units: Vec<(String, String)> = match &*registered {
        Load::Ready(b) => b
            .lines
            .iter()
            .map(|l| (l.unit_code.clone(), l.unit_name.clone()))
            .collect(),
        _ => Vec::new(),
    };
    html! {
        <section data-testid="records">
            <h3>{ s(lang, Msg::RegistrationsTitle) }</h3>
            { match &*registered {
                Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                Load::Ready(b) => html! { <Registrations commune={unit.clone()} board={b.clone()} done={done.clone()} /> },
            } }
            <h3>{ s(lang, Msg::ModelsTitle) }</h3>
            { match &*models {
                Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                Load::Ready(b) => html! { <Models board={b.clone()} done={done.clone()} /> },
            } }
            <h3>{ s(lang, Msg::TeamsTitle) }</h3>
            { match &*teams {
                Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                Load::Ready(b) => html! { <Teams board={b.clone()} done={done.clone()} /> },
            } }
            <h3>{ s(lang, Msg::IncidentsTitle) }</h3>
            { match &*incidents {
                Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                Load::Ready(b) => html! { <Incidents commune={unit.clone()} board={b.clone()} {units} {done} /> },
            } }
        </section>
    }
}
