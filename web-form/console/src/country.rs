//! The country, for administrators (`GET /api/v1/dashboard/national`): the country's results by
//! group, its pledges and overdue tips, then each province beside it; a province opens its own
//! results page. The figures are a snapshot, and the page says when they were read.

use bvantq_shared::plan::DashboardRow;
use bvantq_shared::plan::national::NationalDashboard;
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, select_value};
use crate::results::{Results, groups_table, pledges_table, rows_table};
use crate::strings::{Msg, s};

/// When the snapshot's figures were read, in Vietnam's time ("15:03 ngày 04/12/2026").
fn as_of(lang: Lang, d: &NationalDashboard) -> String {
    let vn = d.computed_at
        + bvantq_shared::chrono::TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS);
    let at = vn.format("%H:%M");
    let day = vn.format("%d/%m/%Y");
    let every = d.max_age_seconds;
    match (lang, every) {
        (Lang::Vi, 0) => format!("Số liệu đọc lúc {at} ngày {day} (giờ Việt Nam)."),
        (Lang::En, 0) => format!("Figures read at {at} on {day} (Vietnam time)."),
        (Lang::Vi, n) => format!(
            "Số liệu đọc lúc {at} ngày {day} (giờ Việt Nam), làm mới ít nhất {n} giây một lần."
        ),
        (Lang::En, n) => format!(
            "Figures read at {at} on {day} (Vietnam time), refreshed at least every {n} seconds."
        ),
    }
}

#[function_component(Country)]
pub fn country() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let period = use_state(|| None::<i32>);
    let data = use_state(|| Load::<Box<NationalDashboard>>::Loading);
    // The province opened (code, name), shown on its results page.
    let open = use_state(|| None::<(String, String)>);
    {
        let (auth, data) = (auth.clone(), data.clone());
        use_effect_with(*period, move |period| {
            let url = match period {
                Some(p) => format!("/api/v1/dashboard/national?period={p}"),
                // The period today falls in, as the server reckons it.
                None => "/api/v1/dashboard/national".to_string(),
            };
            data.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                data.set(match auth.get::<NationalDashboard>(&url).await {
                    Ok(d) => Load::Ready(Box::new(d)),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
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
                <button class="back" onclick={close} data-testid="back-to-country">{ s(lang, Msg::BackToCountry) }</button>
                <Results {key} root={Some((code, name))} />
            </>
        };
    }
    let d = match &*data {
        Load::Loading => return html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => return html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(d) => d.clone(),
    };
    let on_period = {
        let period = period.clone();
        Callback::from(move |e: Event| period.set(select_value(&e).parse().ok()))
    };
    let open_province = |r: &DashboardRow| {
        let (open, code, name) = (open.clone(), r.unit_code.clone(), r.unit_name.clone());
        Callback::from(move |_| open.set(Some((code.clone(), name.clone()))))
    };
    let t = &d.total;
    html! {
        <section class="results" data-testid="country">
            <h2>{ s(lang, Msg::CountryTitle) }</h2>
            <div class="toolbar">
                <label for="country-period">{ s(lang, Msg::Period) }</label>
                <select id="country-period" onchange={on_period}>
                    { for (d.period - 4..=d.period + 1).rev().map(|p| html! {
                        <option value={p.to_string()} selected={p == d.period}>{ p }</option>
                    }) }
                </select>
            </div>
            <p class="hint" data-testid="as-of">{ as_of(lang, &d) }</p>
            <p class="hint">{ s(lang, Msg::CountryHint) }</p>

            <h3>{ s(lang, Msg::Assessments) }</h3>
            { groups_table(lang, &t.groups, "country-groups") }

            <h3>{ s(lang, Msg::Pledges) }</h3>
            { pledges_table(lang, &t.pledges, "country-pledges") }
            <p>{ s(lang, Msg::TipsOverdue) }{ ": " }<strong>{ t.tips_overdue }</strong></p>

            <h3>{ s(lang, Msg::Provinces) }</h3>
            { rows_table(lang, &d.provinces, true, &open_province, "provinces") }
        </section>
    }
}
