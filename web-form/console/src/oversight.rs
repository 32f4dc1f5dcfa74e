//! Oversight of the tip work: statistics of the scope with small counts suppressed (no cell from
//! 1 to 4 is ever shown, so no small group of reporters stands out), and for province officers
//! the audit log — who read or did what to which tip, and when; never content.

use crate::strings::Msg;
use std::collections::HashMap;

use bvantq_shared::api::UserPage;
use bvantq_shared::tip::{AuditEntry, AuditPage, StatTable, TipStats};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, failure, pick_owned, select_value, vn_time};
use crate::strings::{label, s};

fn table(lang: Lang, title: Msg, t: &StatTable, testid: &'static str) -> Html {
    html! {
        <>
            <h3>{ s(lang, title) }</h3>
            <table class="grid" tabindex="0" data-testid={testid}>
                <tbody>
                    { for t.rows.iter().map(|r| html! {
                        <tr>
                            <th scope="row">{ pick_owned(lang, &r.label_vi, &r.label_en) }</th>
                            <td>{ r.cell.display.clone() }</td>
                        </tr>
                    }) }
                    <tr class="total">
                        <th scope="row">{ s(lang, Msg::Total) }</th>
                        <td>{ t.total.display.clone() }</td>
                    </tr>
                </tbody>
            </table>
        </>
    }
}

#[function_component(Stats)]
pub fn stats() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let now = js_sys::Date::new_0().get_full_year() as i32;
    let year = use_state(|| now);
    let data = use_state(|| None::<Result<TipStats, String>>);
    {
        let data = data.clone();
        use_effect_with(*year, move |y| {
            let url = format!("/api/v1/tips/stats?year={y}");
            wasm_bindgen_futures::spawn_local(async move {
                let got = auth.get::<TipStats>(&url).await;
                data.set(Some(got.map_err(|e| failure(lang, &e))));
            });
        });
    }
    let on_year = {
        let year = year.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = select_value(&e).parse() {
                year.set(v);
            }
        })
    };
    html! {
        <section class="stats">
            <div class="toolbar">
                <label for="stats-year">{ s(lang, Msg::Year) }</label>
                <select id="stats-year" onchange={on_year}>
                    { for (now - 4..=now).rev().map(|y| html! {
                        <option value={y.to_string()} selected={y == *year}>{ y }</option>
                    }) }
                </select>
            </div>
            <p class="hint">{ s(lang, Msg::StatsHint) }</p>
            {
                match &*data {
                    None => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                    Some(Err(why)) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Some(Ok(t)) => html! {
                        <>
                            { table(lang, Msg::ByCategory, &t.by_category, "stats-category") }
                            { table(lang, Msg::ByStatus, &t.by_status, "stats-status") }
                            { table(lang, Msg::ByMonth, &t.by_month, "stats-month") }
                            { table(lang, Msg::ByUnit, &t.by_unit, "stats-unit") }
                        </>
                    },
                }
            }
        </section>
    }
}

/// An audit action in words.
#[function_component(AuditLog)]
pub fn audit_log() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let entries = use_state(|| None::<Result<Vec<AuditEntry>, String>>);
    let next = use_state(|| None::<String>);
    let names = use_state(HashMap::<String, String>::new);
    {
        let (auth, entries, next, names) =
            (auth.clone(), entries.clone(), next.clone(), names.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match auth.get::<AuditPage>("/api/v1/audit?limit=100").await {
                    Ok(p) => {
                        next.set(p.next_cursor);
                        entries.set(Some(Ok(p.items)));
                    }
                    Err(e) => entries.set(Some(Err(failure(lang, &e)))),
                }
                // Who is who: the accounts of the scope (an officer's id alone says little).
                if let Ok(u) = auth.get::<UserPage>("/api/v1/users?limit=500").await {
                    names.set(
                        u.items
                            .into_iter()
                            .map(|u| (u.id, format!("{} ({})", u.display_name, u.username)))
                            .collect(),
                    );
                }
            });
        });
    }
    let more = {
        let (entries, next) = (entries.clone(), next.clone());
        Callback::from(move |_| {
            let Some(cursor) = (*next).clone() else {
                return;
            };
            let (auth, entries, next) = (auth.clone(), entries.clone(), next.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/audit?limit=100&cursor={cursor}");
                if let Ok(p) = auth.get::<AuditPage>(&url).await {
                    let mut all = match &*entries {
                        Some(Ok(v)) => v.clone(),
                        _ => Vec::new(),
                    };
                    all.extend(p.items);
                    next.set(p.next_cursor);
                    entries.set(Some(Ok(all)));
                }
            });
        })
    };
    html! {
        <section class="audit">
            <p class="hint">{ s(lang, Msg::AuditHint) }</p>
            {
                match &*entries {
                    None => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                    Some(Err(why)) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Some(Ok(v)) if v.is_empty() => html! { <p class="muted">{ s(lang, Msg::AuditEmpty) }</p> },
                    Some(Ok(v)) => html! {
                        <table class="grid" tabindex="0" data-testid="audit">
                            <thead><tr>
                                <th scope="col">{ s(lang, Msg::When) }</th>
                                <th scope="col">{ s(lang, Msg::Who) }</th>
                                <th scope="col">{ s(lang, Msg::What) }</th>
                                <th scope="col">{ s(lang, Msg::WhichTip) }</th>
                            </tr></thead>
                            <tbody>
                                { for v.iter().map(|e| html! {
                                    <tr>
                                        <td>{ vn_time(e.at) }</td>
                                        <td data-data="">{ names.get(&e.actor_id).cloned().unwrap_or_else(|| e.actor_id.clone()) }</td>
                                        <td>{ label(lang, e.action) }</td>
                                        <td class="code" data-data="">{ e.tip_id.as_deref().map(|t| t.chars().take(8).collect::<String>()).unwrap_or_default() }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                    },
                }
            }
            if next.is_some() {
                <button class="secondary" onclick={more}>{ s(lang, Msg::More) }</button>
            }
        </section>
    }
}
