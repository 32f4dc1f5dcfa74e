//! The reporting year of the officer's province: each step, who sends what to whom, its days and
//! where it stands today, with the text each default day comes from.

use bvantq_shared::plan::calendar::{ReportingCalendar, StepState};
use web_form::form::day;
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, pick_owned, vn_today};
use crate::strings::{Msg, label, s};

#[function_component(Calendar)]
pub fn calendar() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let data = use_state(|| Load::<ReportingCalendar>::Loading);
    {
        let (auth, data) = (auth.clone(), data.clone());
        use_effect_with((), move |_| {
            let year = bvantq_shared::chrono::Datelike::year(&vn_today());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/calendar?year={year}");
                data.set(match auth.get::<ReportingCalendar>(&url).await {
                    Ok(c) => Load::Ready(c),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
        });
    }
    let body = match &*data {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(c) => html! {
            <table class="grid" data-testid="calendar">
                <thead><tr>
                    <th scope="col">{ s(lang, Msg::CalendarStep) }</th>
                    <th scope="col">{ s(lang, Msg::CalendarWho) }</th>
                    <th scope="col">{ s(lang, Msg::CalendarWhen) }</th>
                    <th scope="col">{ s(lang, Msg::Status) }</th>
                </tr></thead>
                <tbody>
                    { for c.entries.iter().map(|e| {
                        let class = match e.state {
                            StepState::Past => "clock stopped",
                            StepState::Open => "clock due-soon",
                            StepState::Upcoming => "clock on-time",
                        };
                        html! {
                            <tr>
                                <th scope="row">
                                    { pick_owned(lang, &e.label_vi, &e.label_en) }
                                    <br /><small class="muted" data-data="">{ e.source.clone() }</small>
                                </th>
                                <td>{ pick_owned(lang, &e.from_vi, &e.from_en) }{ " → " }{ pick_owned(lang, &e.to_vi, &e.to_en) }</td>
                                <td>
                                    { e.opens_on.map(|o| format!("{} – ", day(o))).unwrap_or_default() }
                                    { day(e.due_on) }
                                </td>
                                <td class={class}>{ label(lang, e.state) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        },
    };
    html! {
        <section data-testid="reporting-year">
            <h3>{ s(lang, Msg::CalendarTitle) }</h3>
            { body }
        </section>
    }
}
