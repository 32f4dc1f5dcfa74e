//! A new campaign: its audience's units, a template, a window.

use crate::strings::Msg;
use bvantq_shared::api::{UnitDetail, UnitPage};
use bvantq_shared::pledge::{CampaignDto, CreateCampaignRequest, TemplateDto, leaf_kinds};
use bvantq_shared::{PledgeKind, UnitKind};
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use web_form::request::RequestError;
use yew::prelude::*;

use super::*;
use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors, input_value};
use crate::strings::{pick, s};

#[derive(Properties, PartialEq)]
pub(crate) struct NewProps {
    pub(crate) kind: PledgeKind,
    pub(crate) on_done: Callback<Option<CampaignDto>>,
}

/// The units a new campaign of the officer's scope may cover: the scope unit itself where its
/// kind may (a commune, an agency or enterprise), and its children of the right kinds.
async fn choices(
    auth: &AuthHandle,
    kind: PledgeKind,
) -> Result<Vec<(String, String)>, RequestError> {
    let Some(me) = auth.me() else {
        return Ok(Vec::new());
    };
    let allowed = leaf_kinds(kind);
    let mut out = Vec::new();
    let scope: UnitDetail = auth
        .get(&format!("/api/v1/units/{}", me.scope_unit))
        .await?;
    if allowed.contains(&scope.unit.kind) {
        out.push((scope.unit.code.clone(), scope.unit.full_name.clone()));
    }
    let children: UnitPage = auth
        .get(&format!(
            "/api/v1/units?parent={}&limit=1000",
            me.scope_unit
        ))
        .await?;
    out.extend(
        children
            .items
            .into_iter()
            .filter(|u| u.current && allowed.contains(&u.kind) && u.kind != UnitKind::Commune)
            .map(|u| (u.code, u.full_name)),
    );
    Ok(out)
}

#[function_component(NewCampaign)]
pub(crate) fn new_campaign(props: &NewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (year_now, today) = today();
    let units = use_state(|| Load::<Vec<(String, String)>>::Loading);
    let templates = use_state(Vec::<TemplateDto>::new);
    let chosen = use_state(Vec::<String>::new);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let (title, year, template, opens, closes) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    {
        let (auth, units, templates, kind) =
            (auth.clone(), units.clone(), templates.clone(), props.kind);
        use_effect_with(kind, move |kind| {
            let kind = *kind;
            wasm_bindgen_futures::spawn_local(async move {
                let Some(auth) = auth else { return };
                match choices(&auth, kind).await {
                    Ok(v) => units.set(Load::Ready(v)),
                    Err(e) => units.set(Load::Failed(failure(lang, &e))),
                }
                // The templates usable here: the province's own first, then the national ones.
                let scope = auth.me().map(|m| m.scope_unit).unwrap_or_default();
                let url = format!(
                    "/api/v1/pledge-templates?kind={}&unit={}",
                    kind.as_str(),
                    js_sys::encode_uri_component(&scope)
                );
                if let Ok(v) = auth.get::<Vec<TemplateDto>>(&url).await {
                    templates.set(v);
                }
            });
        });
    }
    let onsubmit = {
        let (chosen, errors, busy, on_done, kind) = (
            chosen.clone(),
            errors.clone(),
            busy.clone(),
            props.on_done.clone(),
            props.kind,
        );
        let (title, year, template, opens, closes) = (
            title.clone(),
            year.clone(),
            template.clone(),
            opens.clone(),
            closes.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let template_id = template
                .cast::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let req = CreateCampaignRequest {
                kind: kind.as_str().into(),
                year: input_value(&year).trim().parse().unwrap_or(0),
                title: input_value(&title),
                template_id,
                opens_on: input_value(&opens),
                closes_on: input_value(&closes),
                units: (*chosen).clone(),
            };
            if let Err(e) = req.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (errors, busy, on_done) = (errors.clone(), busy.clone(), on_done.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match auth.post::<_, CampaignDto>("/api/v1/campaigns", &req).await {
                    Ok(c) => on_done.emit(Some(c)),
                    Err(e) => {
                        errors.set(field_errors(&e));
                        busy.set(false);
                    }
                }
            });
        })
    };
    let cancel = {
        let on_done = props.on_done.clone();
        Callback::from(move |_| on_done.emit(None))
    };
    let invalid = |f: &str| errors.contains_key(f).to_string();
    let described = |f: &str| errors.contains_key(f).then(|| format!("err-{f}"));
    let unit_error = errors
        .iter()
        .find(|(k, _)| k.starts_with("units"))
        .map(|(k, _)| k.clone());
    html! {
        <form class="new-campaign" {onsubmit} novalidate=true>
            <button class="back" type="button" onclick={cancel}>{ s(lang, Msg::BackCampaigns) }</button>
            <h2>{ s(lang, Msg::NewCampaign) }{ " — " }{ pick(lang, props.kind.label_vi(), props.kind.label_en()) }</h2>
            <div class="field">
                <label for="title">{ s(lang, Msg::CampaignTitle) }</label>
                <input id="title" ref={title} aria-invalid={invalid("title")} aria-describedby={described("title")} />
                { field_error(lang, &errors, "title") }
            </div>
            <div class="field">
                <label for="year">{ s(lang, Msg::Year) }</label>
                <input id="year" ref={year} inputmode="numeric" value={year_now.to_string()}
                    aria-invalid={invalid("year")} aria-describedby={described("year")} />
                { field_error(lang, &errors, "year") }
            </div>
            <div class="field">
                <label for="template_id">{ s(lang, Msg::Template) }</label>
                <select id="template_id" ref={template} aria-invalid={invalid("template_id")}
                    aria-describedby={described("template_id")}>
                    { for templates.iter().map(|t| html! {
                        <option value={t.id.clone()} data-data="">
                            { format!("v{} — {}", t.version, t.title_vi) }
                        </option>
                    }) }
                </select>
                { field_error(lang, &errors, "template_id") }
            </div>
            <div class="field">
                <label for="opens_on">{ s(lang, Msg::OpensOn) }</label>
                <input id="opens_on" ref={opens} type="date" value={today.clone()}
                    aria-invalid={invalid("opens_on")} aria-describedby={described("opens_on")} />
                { field_error(lang, &errors, "opens_on") }
            </div>
            <div class="field">
                <label for="closes_on">{ s(lang, Msg::ClosesOn) }</label>
                <input id="closes_on" ref={closes} type="date" value={format!("{year_now}-12-31")}
                    aria-invalid={invalid("closes_on")} aria-describedby={described("closes_on")} />
                { field_error(lang, &errors, "closes_on") }
            </div>
            <fieldset>
                <legend>{ s(lang, Msg::CampaignUnits) }</legend>
                {
                    match &*units {
                        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                        Load::Failed(why) => html! { <p class="error">{ why.clone() }</p> },
                        Load::Ready(v) if v.is_empty() => html! { <p class="muted">{ s(lang, Msg::NoUnits) }</p> },
                        Load::Ready(v) => html! {
                            <>{ for v.iter().map(|(code, name)| {
                                let id = format!("unit-{code}");
                                let checked = chosen.contains(code);
                                let onchange = {
                                    let (chosen, code) = (chosen.clone(), code.clone());
                                    Callback::from(move |_| {
                                        let mut c = (*chosen).clone();
                                        if let Some(i) = c.iter().position(|x| *x == code) {
                                            c.remove(i);
                                        } else {
                                            c.push(code.clone());
                                        }
                                        chosen.set(c);
                                    })
                                };
                                html! {
                                    <div class="check">
                                        <input type="checkbox" id={id.clone()} {checked} {onchange} />
                                        <label for={id} data-data="">{ name.clone() }</label>
                                    </div>
                                }
                            }) }</>
                        },
                    }
                }
                if let Some(k) = unit_error {
                    { field_error(lang, &errors, &k) }
                }
            </fieldset>
            <div aria-live="polite">{ field_error(lang, &errors, "form") }{ field_error(lang, &errors, "kind") }</div>
            <button class="primary" type="submit" disabled={*busy}>{ s(lang, Msg::CreateCampaign) }</button>
        </form>
    }
}
