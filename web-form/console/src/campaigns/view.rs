//! One campaign: its code, QR code and link, its signing window and its coverage.

use crate::strings::Msg;
use bvantq_shared::pledge::{CampaignDto, CampaignWindow, Coverage};
use serde_json::Value;
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use yew::prelude::*;

use super::*;
use crate::api::AuthHandle;
use crate::helpers::{Ctx, failure, field_errors, input_value};
use crate::results::{download, number};
use crate::strings::s;

#[derive(Properties, PartialEq)]
pub(crate) struct ViewProps {
    pub(crate) campaign: CampaignDto,
    pub(crate) on_close: Callback<()>,
    pub(crate) on_changed: Callback<()>,
}

#[function_component(CampaignView)]
pub(crate) fn campaign_view(props: &ViewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let c = &props.campaign;
    // Bumped after a roster import or a pledge's change: coverage follows.
    let changed = use_state(|| 0u32);
    let bump = {
        let changed = changed.clone();
        Callback::from(move |_| changed.set(*changed + 1))
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let link = format!("{origin}{}", c.form_path);
    let back = {
        let on_close = props.on_close.clone();
        Callback::from(move |_| on_close.emit(()))
    };
    let print = Callback::from(|_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let export = |ext: &'static str| {
        let (auth, code) = (auth.clone(), c.code.clone());
        Callback::from(move |_| {
            let (auth, code) = (auth.clone(), code.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/campaigns/{code}/pledges.{ext}");
                if let Ok(bytes) = auth.get_bytes(&url).await {
                    download(&bytes, &format!("cam-ket-{code}.{ext}"));
                }
            });
        })
    };
    html! {
        <section class="campaign">
            <button class="back no-print" onclick={back}>{ s(lang, Msg::BackCampaigns) }</button>
            <h2 data-testid="campaign-title"><span data-data="">{ c.title.clone() }</span></h2>
            <div class="share">
                <p class="muted">{ s(lang, Msg::ShareHint) }</p>
                <p class="receipt-code" data-testid="campaign-code" data-data="">{ c.code.clone() }</p>
                <img class="qr" src={format!("/api/v1/campaigns/{}/qr.svg", c.code)}
                    alt={s(lang, Msg::QrAlt)} width="220" height="220" />
                <p><a href={c.form_path.clone()} data-testid="campaign-link" data-data="">{ link }</a></p>
                <button class="secondary no-print" onclick={print}>{ s(lang, Msg::Print) }</button>
            </div>
            <WindowForm campaign={c.clone()} on_changed={props.on_changed.clone()} />
            <CoverageTable campaign={c.clone()} changed={*changed} />
            <RosterForm campaign={c.clone()} on_imported={bump.clone()} />
            <DeclaredForm campaign={c.clone()} on_saved={bump.clone()} />
            <crate::disputes::Disputes code={c.code.clone()} changed={*changed} on_changed={bump.clone()} />
            <Pledges campaign={c.clone()} changed={*changed} on_changed={bump} />
            <div class="toolbar no-print">
                <button class="secondary" onclick={export("xlsx")}>{ s(lang, Msg::ExportXlsx) }</button>
                <button class="secondary" onclick={export("csv")}>{ s(lang, Msg::ExportCsv) }</button>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct WindowProps {
    pub(crate) campaign: CampaignDto,
    pub(crate) on_changed: Callback<()>,
}

#[function_component(WindowForm)]
pub(crate) fn window_form(props: &WindowProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (opens, closes) = (use_node_ref(), use_node_ref());
    let errors = use_state(FieldErrors::new);
    let saved = use_state(|| false);
    let onsubmit = {
        let (opens, closes, errors, saved) =
            (opens.clone(), closes.clone(), errors.clone(), saved.clone());
        let (code, on_changed) = (props.campaign.code.clone(), props.on_changed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let w = CampaignWindow {
                opens_on: input_value(&opens),
                closes_on: input_value(&closes),
            };
            if let Err(e) = w.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (errors, saved, on_changed) = (errors.clone(), saved.clone(), on_changed.clone());
            let url = format!("/api/v1/campaigns/{code}/window");
            wasm_bindgen_futures::spawn_local(async move {
                match auth.put::<_, Value>(&url, &w).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        saved.set(true);
                        on_changed.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let c = &props.campaign;
    let invalid = |f: &str| errors.contains_key(f).to_string();
    html! {
        <form class="action window no-print" {onsubmit} novalidate=true>
            <h3>{ s(lang, Msg::Window) }</h3>
            <p class="hint">{ s(lang, Msg::WindowHint) }</p>
            <div class="toolbar">
                <label for="window-opens_on">{ s(lang, Msg::OpensOn) }</label>
                <input id="window-opens_on" type="date" ref={opens} value={c.opens_on.to_string()}
                    aria-invalid={invalid("opens_on")} />
                <label for="window-closes_on">{ s(lang, Msg::ClosesOn) }</label>
                <input id="window-closes_on" type="date" ref={closes} value={c.closes_on.to_string()}
                    aria-invalid={invalid("closes_on")} />
            </div>
            <div aria-live="polite">
                { field_error(lang, &errors, "opens_on") }
                { field_error(lang, &errors, "closes_on") }
                { field_error(lang, &errors, "form") }
                if *saved && errors.is_empty() {
                    <p class="muted" data-testid="window-saved">{ s(lang, Msg::Done) }</p>
                }
            </div>
            <button class="secondary" type="submit">{ s(lang, Msg::Save) }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct CoverageProps {
    pub(crate) campaign: CampaignDto,
    pub(crate) changed: u32,
}

#[function_component(CoverageTable)]
pub(crate) fn coverage_table(props: &CoverageProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let cov = use_state(|| None::<Result<Coverage, String>>);
    {
        let cov = cov.clone();
        let c = &props.campaign;
        let url = format!(
            "/api/v1/coverage?unit={}&year={}&kind={}",
            c.owner_unit,
            c.year,
            c.kind.as_str()
        );
        use_effect_with((url, props.changed), move |(url, _)| {
            let url = url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(auth) = auth {
                    let got = auth.get::<Coverage>(&url).await;
                    cov.set(Some(got.map_err(|e| failure(lang, &e))));
                }
            });
        });
    }
    let pct = |p: Option<f64>| p.map_or_else(|| "—".into(), |v| format!("{}%", number(lang, v)));
    let v = match &*cov {
        None => return html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Some(Err(why)) => return html! { <p class="error" role="alert">{ why.clone() }</p> },
        Some(Ok(v)) => v,
    };
    html! {
        <>
            <h3>{ s(lang, Msg::CoverageOf) }{ " " }{ v.year }</h3>
            <table class="grid" tabindex="0" data-testid="coverage">
                <thead><tr>
                    <th scope="col">{ s(lang, Msg::Unit) }</th>
                    <th scope="col">{ s(lang, Msg::Signed) }</th>
                    <th scope="col">{ s(lang, Msg::Expected) }</th>
                    <th scope="col">{ s(lang, Msg::Coverage) }</th>
                </tr></thead>
                <tbody>
                    { for v.children.iter().map(|l| html! {
                        <tr>
                            <th scope="row" data-data="">{ l.name.clone() }</th>
                            <td>{ l.signed }</td><td>{ l.expected }</td><td>{ pct(l.percent) }</td>
                        </tr>
                    }) }
                    <tr class="total">
                        <th scope="row" data-data="">{ v.total.name.clone() }</th>
                        <td data-testid="coverage-signed">{ v.total.signed }</td>
                        <td data-testid="coverage-expected">{ v.total.expected }</td>
                        <td>{ pct(v.total.percent) }</td>
                    </tr>
                </tbody>
            </table>
        </>
    }
}
