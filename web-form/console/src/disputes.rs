//! A campaign's disputes: a household (or person) contesting the pledge signed in its name.
//! Both pledges side by side; the ward keeps one, with a reason (the other is void, kept).

use crate::strings::Msg;
use bvantq_shared::pledge::{DisputeDto, DisputeKeep, DisputeStatus, PledgeDto, ResolveDispute};
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors, input_value, vn_time};
use crate::strings::s;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub code: String,
    /// Bumped by the campaign when something changed; a decision bumps it back.
    pub changed: u32,
    pub on_changed: Callback<()>,
}

#[function_component(Disputes)]
pub fn disputes(props: &Props) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let list = use_state(|| Load::<Vec<DisputeDto>>::Loading);
    {
        let (list, code, auth) = (list.clone(), props.code.clone(), auth.clone());
        use_effect_with(props.changed, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Some(auth) = auth else { return };
                let url = format!("/api/v1/campaigns/{code}/disputes?open=true");
                match auth.get::<Vec<DisputeDto>>(&url).await {
                    Ok(v) => list.set(Load::Ready(v)),
                    Err(e) => list.set(Load::Failed(failure(lang, &e))),
                }
            });
        });
    }
    let body = match &*list {
        Load::Loading => return html! {},
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(v) if v.is_empty() => return html! {},
        Load::Ready(v) => html! {
            <ul class="queue" data-testid="disputes">
                { for v.iter().map(|d| html! {
                    <DisputeRow dispute={d.clone()} on_changed={props.on_changed.clone()} />
                }) }
            </ul>
        },
    };
    html! {
        <section class="disputes">
            <h3>{ s(lang, Msg::Disputes) }</h3>
            <p class="hint">{ s(lang, Msg::DisputesHint) }</p>
            { body }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    dispute: DisputeDto,
    on_changed: Callback<()>,
}

fn side(lang: Lang, title: Msg, p: &PledgeDto) -> Html {
    html! {
        <div class="dispute-side">
            <p class="muted">{ s(lang, title) }</p>
            <p><strong data-data="">{ p.full_name.clone() }</strong></p>
            <p class="row-meta">
                { vn_time(p.signed_at) }
                if let Some(a) = &p.address {
                    { " · " }<span data-data="">{ a.clone() }</span>
                }
                if let Some(last4) = &p.citizen_id_last4 {
                    { " · CCCD …" }<span data-data="">{ last4.clone() }</span>
                }
                if let Some(ph) = &p.phone {
                    { " · " }<span data-data="">{ ph.clone() }</span>
                }
                { " · " }{ s(lang, if p.on_roster { Msg::OnRoster } else { Msg::NotOnRoster }) }
            </p>
        </div>
    }
}

#[function_component(DisputeRow)]
fn dispute_row(props: &RowProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let reason = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let d = &props.dispute;
    let decide = |keep: DisputeKeep| {
        let (auth, errors, reason) = (auth.clone(), errors.clone(), reason.clone());
        let (id, on_changed) = (d.id.clone(), props.on_changed.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(auth) = auth.clone() else { return };
            let req = ResolveDispute {
                keep,
                reason: Some(input_value(&reason)),
            };
            if let Err(e) = req.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (errors, on_changed) = (errors.clone(), on_changed.clone());
            let url = format!("/api/v1/pledge-disputes/{id}/resolve");
            wasm_bindgen_futures::spawn_local(async move {
                match auth.post::<_, DisputeDto>(&url, &req).await {
                    Ok(_) => on_changed.emit(()),
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let reason_id = format!("dispute-reason-{}", d.id);
    html! {
        <li class="dispute" data-testid="dispute">
            <p class="row-meta">{ s(lang, Msg::ContestedOn) }{ " " }{ vn_time(d.created_at) }</p>
            <div class="dispute-sides">
                { side(lang, Msg::DisputeOriginal, &d.original) }
                { side(lang, Msg::DisputeContest, &d.contest) }
            </div>
            if d.status == DisputeStatus::Open {
                <div class="field no-print">
                    <label for={reason_id.clone()}>{ s(lang, Msg::DisputeReason) }</label>
                    <input id={reason_id} ref={reason.clone()}
                        aria-invalid={errors.contains_key("reason").to_string()} />
                    { field_error(lang, &errors, "reason") }
                </div>
                <div class="toolbar no-print">
                    <button class="secondary" type="button" data-testid="keep-original"
                        onclick={decide(DisputeKeep::Original)}>{ s(lang, Msg::KeepOriginal) }</button>
                    <button class="secondary" type="button" data-testid="keep-contest"
                        onclick={decide(DisputeKeep::Contest)}>{ s(lang, Msg::KeepContest) }</button>
                </div>
                { field_error(lang, &errors, "form") }
            }
        </li>
    }
}
