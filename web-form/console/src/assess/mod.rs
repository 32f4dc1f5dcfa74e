//! Assessments (đánh giá, phân loại): a unit of the officer's scope and a period; the TT 124
//! criteria answered pass / fail with the platform's evidence beside them (an answer against it
//! needs a reason), the scorecard, and the outcome computed live by the same pure function the
//! server scores with; save, submit, and for the parent unit's officer approve or return with
//! comments.

use bvantq_shared::UnitKind;
use bvantq_shared::api::{UnitDetail, UnitPage};
use bvantq_shared::assessment::ASSESSED_KINDS;
use bvantq_shared::recognition::RecognitionLine;
use web_form::i18n::Lang;
use web_form::request::RequestError;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, failure, select_value};
use crate::strings::{Msg, label, s};

mod criteria;
mod files;
mod review;
mod scorecard;
mod titles;
mod view;

use view::AssessmentView;

#[derive(Debug, Clone, PartialEq)]
struct Pick {
    code: String,
    name: String,
    kind: UnitKind,
}

/// The units an officer assesses or reviews: their scope unit if it is assessed, and the
/// assessed units right below it.
async fn assessable(auth: &AuthHandle) -> Result<Vec<Pick>, RequestError> {
    let Some(me) = auth.me() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let scope: UnitDetail = auth
        .get(&format!("/api/v1/units/{}", me.scope_unit))
        .await?;
    if ASSESSED_KINDS.contains(&scope.unit.kind) {
        out.push(Pick {
            code: scope.unit.code,
            name: scope.unit.full_name,
            kind: scope.unit.kind,
        });
    }
    let below: UnitPage = auth
        .get(&format!(
            "/api/v1/units?parent={}&limit=1000",
            me.scope_unit
        ))
        .await?;
    out.extend(
        below
            .items
            .into_iter()
            .filter(|u| u.current && ASSESSED_KINDS.contains(&u.kind))
            .map(|u| Pick {
                code: u.code,
                name: u.full_name,
                kind: u.kind,
            }),
    );
    Ok(out)
}

fn this_year() -> i32 {
    js_sys::Date::new_0().get_full_year() as i32
}

#[function_component(Assessments)]
pub fn assessments() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let units = use_state(|| None::<Result<Vec<Pick>, String>>);
    let chosen = use_state(|| None::<Pick>);
    let period = use_state(this_year);
    {
        let (auth, units) = (auth.clone(), units.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let got = assessable(&auth).await;
                units.set(Some(got.map_err(|e| failure(lang, &e))));
            });
        });
    }
    if let Some(p) = (*chosen).clone() {
        let back = {
            let chosen = chosen.clone();
            Callback::from(move |_| chosen.set(None))
        };
        return html! {
            <section class="assessment">
                <button class="back" onclick={back}>{ s(lang, Msg::BackUnits) }</button>
                <AssessmentView code={p.code} name={p.name} kind={p.kind} period={*period} />
            </section>
        };
    }
    let on_period = {
        let period = period.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = select_value(&e).parse() {
                period.set(v);
            }
        })
    };
    let now = this_year();
    html! {
        <section class="assessments">
            <h2>{ s(lang, Msg::AssessmentsTitle) }</h2>
            <div class="toolbar">
                <label for="assess-period">{ s(lang, Msg::Period) }</label>
                <select id="assess-period" onchange={on_period}>
                    { for (now - 3..=now + 1).rev().map(|y| html! {
                        <option value={y.to_string()} selected={y == *period}>{ y }</option>
                    }) }
                </select>
            </div>
            <p class="hint">{ s(lang, Msg::PeriodHint) }</p>
            {
                match &*units {
                    None => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                    Some(Err(why)) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Some(Ok(v)) if v.is_empty() => html! { <p class="muted">{ s(lang, Msg::NoUnits) }</p> },
                    Some(Ok(v)) => html! {
                        <ul class="queue" data-testid="assess-units">
                            { for v.iter().map(|p| {
                                let onclick = {
                                    let (chosen, p) = (chosen.clone(), p.clone());
                                    Callback::from(move |_| chosen.set(Some(p.clone())))
                                };
                                html! {
                                    <li>
                                        <button class="tip-open" {onclick}>
                                            <span class="row-top">
                                                <strong data-data="">{ p.name.clone() }</strong>
                                                <span>{ label(lang, p.kind) }</span>
                                            </span>
                                        </button>
                                    </li>
                                }
                            }) }
                        </ul>
                    },
                }
            }
        </section>
    }
}

/// The assessments approved for the period under the unit shown, each with its recognition
/// decision (the dashboard's list, as the November report's sheet «Công nhận» carries it); a
/// score on a scorecard without a source is marked provisional.
pub fn recognitions(lang: Lang, lines: &[RecognitionLine]) -> Html {
    if lines.is_empty() {
        return html! { <p class="muted">{ s(lang, Msg::NoRecognitions) }</p> };
    }
    html! {
        <ul class="plans" data-testid="recognitions">
            { for lines.iter().map(|r| html! {
                <li>
                    <strong data-data="">{ r.unit_name.clone() }</strong>
                    <span class="row-meta">
                        { label(lang, r.unit_kind) }{ " · " }
                        { s(lang, if r.recognised { Msg::Recognised } else { Msg::NotRecognised }) }
                        if let Some(c) = r.classification {
                            { " · " }{ label(lang, c) }
                        }
                        if let Some(score) = r.score {
                            { format!(" · {}: {score}/100", s(lang, Msg::Score)) }
                            if r.score_provisional {
                                { " (" }{ s(lang, Msg::ProvisionalShort) }{ ")" }
                            }
                        }
                        if let Some(d) = &r.decision {
                            { " · " }{ s(lang, Msg::DecisionNo) }{ " " }
                            <span data-data="">{ d.number.clone() }</span>
                            { format!(" ({}), ", d.date.format("%d/%m/%Y")) }
                            <span data-data="">{ d.signer.clone() }</span>
                        } else if r.recognised {
                            { " · " }{ s(lang, Msg::NoDecisionRecorded) }
                        }
                    </span>
                </li>
            }) }
        </ul>
    }
}
