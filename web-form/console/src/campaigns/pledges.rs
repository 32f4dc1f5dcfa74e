//! The pledges signed: search, verify, void with a reason.

use crate::strings::Msg;
use bvantq_shared::PledgeStatus;
use bvantq_shared::pledge::{CampaignDto, PledgeDto, PledgePage, StatusRequest};
use serde_json::Value;
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, field_errors, input_value, vn_time};
use crate::strings::{label, pick, s};

#[derive(Properties, PartialEq)]
pub(crate) struct PledgesProps {
    pub(crate) campaign: CampaignDto,
    /// Bumped when something outside the list changed it (a dispute decided).
    pub(crate) changed: u32,
    pub(crate) on_changed: Callback<()>,
}

#[function_component(Pledges)]
pub(crate) fn pledges(props: &PledgesProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let q = use_state(String::new);
    let search = use_node_ref();
    let page = use_state(|| None::<PledgePage>);
    let reload = use_state(|| 0u32);
    {
        let (page, code) = (page.clone(), props.campaign.code.clone());
        let auth = auth.clone();
        use_effect_with(((*q).clone(), *reload, props.changed), move |(q, _, _)| {
            let url = format!(
                "/api/v1/campaigns/{code}/pledges?limit=100&q={}",
                js_sys::encode_uri_component(q)
            );
            wasm_bindgen_futures::spawn_local(async move {
                if let Some(auth) = auth
                    && let Ok(p) = auth.get::<PledgePage>(&url).await
                {
                    page.set(Some(p));
                }
            });
        });
    }
    let onsubmit = {
        let (q, search) = (q.clone(), search.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            q.set(input_value(&search));
        })
    };
    let changed = {
        let (reload, on_changed) = (reload.clone(), props.on_changed.clone());
        Callback::from(move |_| {
            reload.set(*reload + 1);
            on_changed.emit(());
        })
    };
    html! {
        <section class="pledges">
            <h3>{ s(lang, Msg::PledgesSigned) }</h3>
            <form class="toolbar no-print" {onsubmit}>
                <label for="pledge-search">{ s(lang, Msg::SearchName) }</label>
                <input id="pledge-search" type="search" ref={search} />
                <button class="secondary" type="submit">{ s(lang, Msg::Search) }</button>
            </form>
            {
                match &*page {
                    None => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
                    Some(p) if p.items.is_empty() => html! { <p class="muted">{ s(lang, Msg::NoPledges) }</p> },
                    Some(p) => html! {
                        <ul class="queue" data-testid="pledges">
                            { for p.items.iter().map(|x| html! {
                                <PledgeRow pledge={x.clone()} on_changed={changed.clone()} />
                            }) }
                        </ul>
                    },
                }
            }
            if page.as_ref().is_some_and(|p| p.next_cursor.is_some()) {
                <p class="hint">{ s(lang, Msg::MoreInExport) }</p>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct RowProps {
    pub(crate) pledge: PledgeDto,
    pub(crate) on_changed: Callback<()>,
}

#[function_component(PledgeRow)]
pub(crate) fn pledge_row(props: &RowProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let voiding = use_state(|| false);
    let reason = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let p = &props.pledge;
    let act = |action: &'static str, needs_reason: bool| {
        let (auth, errors, reason, voiding) = (
            auth.clone(),
            errors.clone(),
            reason.clone(),
            voiding.clone(),
        );
        let (id, on_changed) = (p.id.clone(), props.on_changed.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let req = StatusRequest {
                reason: needs_reason.then(|| input_value(&reason)),
            };
            if let Err(e) = req.reason(needs_reason) {
                errors.set(from_local(&e));
                return;
            }
            let (errors, voiding, on_changed) =
                (errors.clone(), voiding.clone(), on_changed.clone());
            let url = format!("/api/v1/pledges/{id}/{action}");
            wasm_bindgen_futures::spawn_local(async move {
                match auth.post::<_, Value>(&url, &req).await {
                    Ok(_) => {
                        voiding.set(false);
                        on_changed.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let start_void = {
        let voiding = voiding.clone();
        Callback::from(move |_| voiding.set(true))
    };
    let reason_id = format!("void-reason-{}", p.id);
    html! {
        <li class="pledge-row">
            <p class="row-top">
                <strong data-data="">{ p.full_name.clone() }</strong>
                <span>{ label(lang, p.status) }</span>
            </p>
            <p class="row-meta">
                { vn_time(p.signed_at) }{ " · " }
                { label(lang, p.channel) }
                { " · " }{ s(lang, if p.on_roster { Msg::OnRoster } else { Msg::NotOnRoster }) }
                if let Some(last4) = &p.citizen_id_last4 {
                    { " · CCCD …" }<span data-data="">{ last4.clone() }</span>
                }
                if let Some(r) = &p.status_reason {
                    { " · " }{ s(lang, Msg::Reason) }{ ": " }<span data-data="">{ r.clone() }</span>
                }
            </p>
            if !p.flags.is_empty() {
                <p class="flags" data-testid="flags">
                    { for p.flags.iter().map(|f| html! {
                        <span class="flag">{ pick(lang, f.label_vi(), f.label_en()) }</span>
                    }) }
                </p>
            }
            if !matches!(p.status, PledgeStatus::Void | PledgeStatus::Disputed) {
                <form class="toolbar no-print" onsubmit={act("verify", false)}>
                    if p.status == PledgeStatus::Valid {
                        <button class="secondary" type="submit">{ s(lang, Msg::Verify) }</button>
                    }
                    if !*voiding {
                        <button class="secondary" type="button" onclick={start_void}>{ s(lang, Msg::Void) }</button>
                    }
                </form>
            }
            if !matches!(p.status, PledgeStatus::Void | PledgeStatus::Disputed) && *voiding {
                <form class="no-print" onsubmit={act("void", true)} novalidate=true>
                    <label for={reason_id.clone()}>{ s(lang, Msg::VoidReason) }</label>
                    <input id={reason_id} ref={reason}
                        aria-invalid={errors.contains_key("reason").to_string()} />
                    { field_error(lang, &errors, "reason") }
                    <button class="secondary" type="submit">{ s(lang, Msg::ConfirmVoid) }</button>
                </form>
            }
            { field_error(lang, &errors, "form") }
        </li>
    }
}
