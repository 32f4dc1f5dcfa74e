//! Fraud indicators in the console: on a tip, the suspect's phone numbers, accounts and links the
//! reporter gave and the other tips of the officer's scope that name one of them; for the
//! province, the indicators tips of several communes share — a count per commune, and the tips
//! only where a commune has 5 or more.

use bvantq_shared::tip::TipDetail;
use bvantq_shared::tip::indicator::IndicatorClusters;
use web_form::form::day;
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure};
use crate::strings::{Msg, label, s};

/// The tip's indicators and the other tips that share them (fraud tips only).
pub fn section(lang: Lang, t: &TipDetail, on_open: &Callback<String>) -> Html {
    if t.indicators.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{ s(lang, Msg::IndicatorsHeading) }</h3>
            <table class="grid" tabindex="0" data-testid="tip-indicators">
                <thead><tr>
                    <th scope="col">{ s(lang, Msg::IndicatorKindCol) }</th>
                    <th scope="col">{ s(lang, Msg::IndicatorValueCol) }</th>
                    <th scope="col">{ s(lang, Msg::IndicatorNoteCol) }</th>
                </tr></thead>
                <tbody>
                    { for t.indicators.iter().map(|i| html! {
                        <tr>
                            <td>{ label(lang, i.kind) }</td>
                            <td class="code" data-data="">{ i.value.clone() }</td>
                            <td data-data="">{ i.note.clone().unwrap_or_default() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <h4>{ s(lang, Msg::SharedIndicators) }</h4>
            if t.shared_indicators.is_empty() {
                <p class="muted" data-testid="no-shared">{ s(lang, Msg::NoSharedIndicators) }</p>
            } else {
                <ul class="shared" data-testid="shared-indicators">
                    { for t.shared_indicators.iter().map(|x| {
                        let open = {
                            let (on_open, id) = (on_open.clone(), x.tip_id.clone());
                            Callback::from(move |_| on_open.emit(id.clone()))
                        };
                        html! {
                            <li>
                                <span class="code" data-data="">{ x.value.clone() }</span>
                                { " · " }<span data-data="">{ x.commune_name.clone() }</span>
                                { " · " }{ day(x.received_on) }
                                { " · " }{ label(lang, x.status) }
                                { " " }
                                <button class="secondary" onclick={open}>{ s(lang, Msg::OpenTip) }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct ClustersProps {
    pub on_open: Callback<String>,
}

/// The province's view: indicators shared across its communes, most communes first.
#[function_component(Clusters)]
pub fn clusters(props: &ClustersProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let data = use_state(|| Load::<IndicatorClusters>::Loading);
    {
        let (auth, data) = (auth.clone(), data.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(
                    match auth
                        .get::<IndicatorClusters>("/api/v1/tips/indicator-clusters")
                        .await
                    {
                        Ok(c) => Load::Ready(c),
                        Err(e) => Load::Failed(failure(lang, &e)),
                    },
                );
            });
        });
    }
    let body = match &*data {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(c) if c.items.is_empty() => html! {
            <p class="muted" data-testid="no-clusters">{ s(lang, Msg::NoClusters) }</p>
        },
        Load::Ready(c) => html! {
            <ol class="clusters" data-testid="clusters">
                { for c.items.iter().map(|k| html! {
                    <li class="cluster">
                        <p>
                            <strong>{ label(lang, k.kind) }</strong>
                            { " · " }<span class="code">{ k.id.clone() }</span>
                            { " · " }{ format!("{} {}", k.tips, s(lang, Msg::ClusterTips)) }
                            { " · " }{ format!("{} {}", k.communes.len(), s(lang, Msg::ClusterCommunes)) }
                            { " · " }{ format!("{} – {}", day(k.first_received_on), day(k.last_received_on)) }
                        </p>
                        <ul>
                            { for k.communes.iter().map(|m| html! {
                                <li>
                                    <span data-data="">{ m.commune_name.clone() }</span>{ format!(": {}", m.tips) }
                                    if m.tip_ids.is_empty() {
                                        <span class="muted">{ " — " }{ s(lang, Msg::CountOnly) }</span>
                                    } else {
                                        { " " }
                                        { for m.tip_ids.iter().map(|id| {
                                            let open = {
                                                let (on_open, id) = (props.on_open.clone(), id.clone());
                                                Callback::from(move |_| on_open.emit(id.clone()))
                                            };
                                            html! { <button class="secondary" onclick={open}>{ s(lang, Msg::OpenTip) }</button> }
                                        }) }
                                    }
                                </li>
                            }) }
                        </ul>
                    </li>
                }) }
            </ol>
        },
    };
    html! {
        <section data-testid="indicator-clusters">
            <h3>{ s(lang, Msg::ClustersTab) }</h3>
            <p class="hint">{ s(lang, Msg::ClustersHint) }</p>
            { body }
        </section>
    }
}
