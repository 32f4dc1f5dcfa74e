//! The education department's board (`GET /provinces/{code}/schools`): the province's schools,
//! each with its pupils' pledge coverage, registration, assessment, briefings and models, and
//! the province's totals; a school opens its own results page.

use bvantq_shared::education::{SchoolBoard, SchoolLine};
use bvantq_shared::records::Share;
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, select_value};
use crate::results::{Results, percent};
use crate::strings::{Msg, label, s};

#[function_component(Schools)]
pub fn schools() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let year = use_state(|| None::<i32>);
    let data = use_state(|| Load::<SchoolBoard>::Loading);
    // The school opened (code, name), shown on its results page.
    let open = use_state(|| None::<(String, String)>);
    let province = auth.me().map(|m| m.scope_unit);
    {
        let (auth, data) = (auth.clone(), data.clone());
        use_effect_with((province.clone(), *year), move |(province, year)| {
            if let Some(p) = province.clone() {
                let url = match year {
                    Some(y) => format!("/api/v1/provinces/{p}/schools?year={y}"),
                    // The period today falls in, as the server reckons it.
                    None => format!("/api/v1/provinces/{p}/schools"),
                };
                data.set(Load::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    data.set(match auth.get::<SchoolBoard>(&url).await {
                        Ok(b) => Load::Ready(b),
                        Err(e) => Load::Failed(failure(lang, &e)),
                    });
                });
            }
        });
    }
    if let Some((code, name)) = (*open).clone() {
        let close = {
            let open = open.clone();
            Callback::from(move |_| open.set(None))
        };
        let key = code.clone();
        return html! {
            <>
                <button class="back" onclick={close} data-testid="back-to-schools">{ s(lang, Msg::BackToSchools) }</button>
                <Results {key} root={Some((code, name))} />
            </>
        };
    }
    let b = match &*data {
        Load::Loading => return html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => return html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(b) => b.clone(),
    };
    let on_year = {
        let year = year.clone();
        Callback::from(move |e: Event| year.set(select_value(&e).parse().ok()))
    };
    let share = |x: &Share| format!("{}/{} ({})", x.counted, x.units, percent(lang, x.percent));
    let t = &b.totals;
    let line = |l: &SchoolLine| {
        let pick = {
            let (open, code, name) = (open.clone(), l.unit_code.clone(), l.unit_name.clone());
            Callback::from(move |_| open.set(Some((code.clone(), name.clone()))))
        };
        let assessment = match (l.assessment, l.recognised) {
            (_, Some(true)) => s(lang, Msg::Recognised).to_string(),
            (_, Some(false)) => s(lang, Msg::NotRecognised).to_string(),
            (Some(st), None) => label(lang, st).to_string(),
            (None, None) => s(lang, Msg::SchoolNotAssessed).to_string(),
        };
        html! {
            <li data-testid={format!("school-{}", l.unit_code)}>
                <button class="link" onclick={pick}><span data-data="">{ l.unit_name.clone() }</span></button>
                if let Some(c) = &l.commune_name {
                    <span class="row-meta" data-data="">{ c.clone() }</span>
                }
                <span class="row-meta">
                    { s(lang, Msg::SchoolPupils) }{ ": " }{ share(&l.pupils) }
                </span>
                <span class="row-meta">
                    if let Some(x) = l.exclusion {
                        { label(lang, x) }
                    } else {
                        { s(lang, if l.registered { Msg::SchoolRegistered } else { Msg::SchoolNotRegistered }) }
                        { " · " }{ assessment }
                        { " · " }{ s(lang, if l.briefed { Msg::SchoolBriefed } else { Msg::SchoolNotBriefed }) }
                        { " · " }{ s(lang, if l.with_model { Msg::SchoolModel } else { Msg::SchoolNoModel }) }
                    }
                </span>
            </li>
        }
    };
    html! {
        <section class="results" data-testid="schools">
            <h2>{ s(lang, Msg::SchoolsTitle) }</h2>
            <div class="toolbar">
                <label for="school-year">{ s(lang, Msg::Period) }</label>
                <select id="school-year" onchange={on_year}>
                    { for (b.year - 4..=b.year + 1).rev().map(|p| html! {
                        <option value={p.to_string()} selected={p == b.year}>{ p }</option>
                    }) }
                </select>
            </div>
            <p class="hint">{ s(lang, Msg::SchoolsHint) }</p>
            <table class="grid" tabindex="0" data-testid="school-totals">
                <tbody>
                    <tr><th scope="row">{ s(lang, Msg::SchoolsCount) }</th>
                        <td>{ format!("{} ({} {})", t.schools, t.excluded, s(lang, Msg::SchoolsExcluded)) }</td></tr>
                    <tr><th scope="row">{ s(lang, Msg::SchoolPupils) }</th><td>{ share(&t.pupils) }</td></tr>
                    <tr><th scope="row">{ s(lang, Msg::SchoolRegistered) }</th><td>{ share(&t.registered) }</td></tr>
                    <tr><th scope="row">{ s(lang, Msg::Recognised) }</th><td>{ share(&t.recognised) }</td></tr>
                    <tr><th scope="row">{ s(lang, Msg::SchoolBriefed) }</th><td>{ share(&t.briefed) }</td></tr>
                    <tr><th scope="row">{ s(lang, Msg::SchoolModel) }</th><td>{ share(&t.with_model) }</td></tr>
                </tbody>
            </table>
            if b.lines.is_empty() {
                <p class="muted">{ s(lang, Msg::NoSchools) }</p>
            } else {
                <ul class="plans" data-testid="school-lines">
                    { for b.lines.iter().map(line) }
                </ul>
            }
        </section>
    }
}
