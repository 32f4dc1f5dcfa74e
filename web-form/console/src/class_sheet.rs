//! A form teacher's class (giáo viên chủ nhiệm): each pupils' campaign of the year the class is
//! in, with its roster and who has signed (on a phone or from paper), the pupils signed off the
//! roster, and a form to enter a paper form — a roster row fills its name and birth date.

use bvantq_shared::PledgeChannel;
use bvantq_shared::pledge::{
    ClassCampaign, ClassSheet, GuardianRequest, PledgeReceipt, SignRequest,
};
use web_form::form::{FieldErrors, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, checked_of, failure, field_errors, value_of};
use crate::results::percent;
use crate::strings::{Msg, s};

fn status(lang: Lang, signed: Option<PledgeChannel>) -> Html {
    match signed {
        Some(PledgeChannel::SelfSigned) => {
            html! { <span class="met">{ s(lang, Msg::SignedOnline) }</span> }
        }
        Some(PledgeChannel::Paper) => {
            html! { <span class="met">{ s(lang, Msg::SignedPaper) }</span> }
        }
        None => html! { <strong class="not-met">{ s(lang, Msg::NotSignedYet) }</strong> },
    }
}

#[function_component(ClassSheetView)]
pub fn class_sheet_view() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(me) = auth.me() else {
        return html! {};
    };
    let class = me.scope_unit.clone();
    let sheet = use_state(|| Load::<ClassSheet>::Loading);
    let errors = use_state(FieldErrors::new);
    let reload = use_state(|| 0u32);
    // A roster row chosen to fill the paper form (name, birth date).
    let prefill = use_state(|| (String::new(), None::<bvantq_shared::chrono::NaiveDate>));
    let saved = use_state(|| None::<String>);
    {
        let (auth, sheet, class) = (auth.clone(), sheet.clone(), class.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{class}/class-sheet");
                sheet.set(match auth.get::<ClassSheet>(&url).await {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
        });
    }
    let b = match &*sheet {
        Load::Loading => return html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => return html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(b) => b.clone(),
    };
    let enter = {
        let (auth, errors, reload, saved, prefill) = (
            auth.clone(),
            errors.clone(),
            reload.clone(),
            saved.clone(),
            prefill.clone(),
        );
        let (class, campaigns) = (class.clone(), b.campaigns.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let code = value_of("paper-campaign");
            let Some(c) = campaigns.iter().find(|c| c.code == code) else {
                return;
            };
            // The paper form carries every commitment, accepted by the pupil and the guardian.
            let all = checked_of("paper-commitments");
            let req = SignRequest {
                unit_code: class.clone(),
                full_name: value_of("paper-name"),
                birth_date: value_of("paper-birth"),
                commitments_accepted: if all {
                    (1..=c.commitments as i64).collect()
                } else {
                    Vec::new()
                },
                guardian: Some(GuardianRequest {
                    name: value_of("paper-guardian"),
                    relation: value_of("paper-relation"),
                    phone: value_of("paper-phone"),
                }),
                privacy_consent: checked_of("paper-consent"),
                ..SignRequest::default()
            };
            let (auth, errors, reload, saved, prefill) = (
                auth.clone(),
                errors.clone(),
                reload.clone(),
                saved.clone(),
                prefill.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/campaigns/{code}/paper-pledges");
                match auth.post::<_, PledgeReceipt>(&url, &req).await {
                    Ok(r) => {
                        // The next pupil's form starts blank: no guardian carried over.
                        crate::helpers::clear_inputs(&[
                            "paper-name",
                            "paper-birth",
                            "paper-guardian",
                            "paper-relation",
                            "paper-phone",
                            "paper-commitments",
                            "paper-consent",
                        ]);
                        prefill.set((String::new(), None));
                        errors.set(FieldErrors::new());
                        saved.set(Some(r.receipt));
                        reload.set(*reload + 1);
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let campaign = |c: &ClassCampaign| {
        let left = c.left().count();
        html! {
            <section data-testid={format!("class-campaign-{}", c.code)}>
                <h3><span data-data="">{ c.title.clone() }</span></h3>
                <p class="row-meta">{ format!("{} – {}", day(c.opens_on), day(c.closes_on)) }</p>
                <p data-testid="class-signed">
                    { format!("{}/{} ", c.signed, c.expected) }{ s(lang, Msg::PupilsSigned) }
                    { format!(" ({})", percent(lang, bvantq_shared::api::percent(c.signed, c.expected))) }
                    if !c.roster.is_empty() {
                        { format!(" · {left} ") }{ s(lang, Msg::PupilsLeft) }
                    }
                    if c.off_roster > 0 {
                        { format!(" · {} ", c.off_roster) }{ s(lang, Msg::PupilsOffRoster) }
                    }
                </p>
                if c.roster.is_empty() {
                    <p class="muted">{ s(lang, Msg::NoRoster) }</p>
                } else {
                    <ul class="plans" data-testid="class-roster">
                        { for c.roster.iter().map(|p| {
                            let fill = {
                                let prefill = prefill.clone();
                                let v = (p.full_name.clone(), p.birth_date);
                                Callback::from(move |_| prefill.set(v.clone()))
                            };
                            html! {
                                <li>
                                    <span data-data="">{ p.full_name.clone() }</span>
                                    if let Some(d) = p.birth_date {
                                        <span class="row-meta">{ day(d) }</span>
                                    }
                                    <span class="row-meta">{ status(lang, p.signed) }</span>
                                    if p.signed.is_none() {
                                        <button class="link" type="button" onclick={fill}>{ s(lang, Msg::EnterPaper) }</button>
                                    }
                                </li>
                            }
                        }) }
                    </ul>
                }
            </section>
        }
    };
    html! {
        <section class="results" data-testid="class-sheet">
            <h2><span data-data="">{ b.unit_name.clone() }</span></h2>
            <p class="hint">{ s(lang, Msg::ClassSheetHint) }</p>
            if b.campaigns.is_empty() {
                <p class="muted">{ s(lang, Msg::NoClassCampaigns) }</p>
            }
            { for b.campaigns.iter().map(campaign) }
            if !b.campaigns.is_empty() {
                <form class="emulation-form" onsubmit={enter} novalidate=true data-testid="paper-form">
                    <h3>{ s(lang, Msg::PaperTitle) }</h3>
                    <div class="field">
                        <label for="paper-campaign">{ s(lang, Msg::PaperCampaign) }</label>
                        <select id="paper-campaign">
                            { for b.campaigns.iter().enumerate().map(|(i, c)| html! {
                                <option value={c.code.clone()} selected={i == 0} data-data="">{ c.title.clone() }</option>
                            }) }
                        </select>
                    </div>
                    <div class="field">
                        <label for="paper-name">{ s(lang, Msg::PupilName) }</label>
                        <input id="paper-name" type="text" value={prefill.0.clone()} autocomplete="off" />
                        { field_error(lang, &errors, "full_name") }
                    </div>
                    <div class="field">
                        <label for="paper-birth">{ s(lang, Msg::PupilBirth) }</label>
                        <input id="paper-birth" type="date" value={prefill.1.map(|d| d.to_string())} />
                        { field_error(lang, &errors, "birth_date") }
                    </div>
                    <div class="field">
                        <label for="paper-guardian">{ s(lang, Msg::GuardianName) }</label>
                        <input id="paper-guardian" type="text" autocomplete="off" />
                        { field_error(lang, &errors, "guardian.name") }
                    </div>
                    <div class="field">
                        <label for="paper-relation">{ s(lang, Msg::GuardianRelation) }</label>
                        <input id="paper-relation" type="text" autocomplete="off" />
                        { field_error(lang, &errors, "guardian.relation") }
                    </div>
                    <div class="field">
                        <label for="paper-phone">{ s(lang, Msg::GuardianPhone) }</label>
                        <input id="paper-phone" type="tel" inputmode="tel" autocomplete="off" />
                        { field_error(lang, &errors, "guardian.phone") }
                        { field_error(lang, &errors, "guardian") }
                    </div>
                    <div class="field check">
                        <input id="paper-commitments" type="checkbox" />
                        <label for="paper-commitments">{ s(lang, Msg::PaperCommitments) }</label>
                    </div>
                    { field_error(lang, &errors, "commitments_accepted") }
                    <div class="field check">
                        <input id="paper-consent" type="checkbox" />
                        <label for="paper-consent">{ s(lang, Msg::PaperConsent) }</label>
                    </div>
                    { field_error(lang, &errors, "privacy_consent") }
                    { field_error(lang, &errors, "unit_code") }
                    { field_error(lang, &errors, "form") }
                    if let Some(r) = &*saved {
                        <p class="met" role="status" data-testid="paper-saved">
                            { s(lang, Msg::PaperSaved) }{ " " }<span class="code" data-data="">{ r.clone() }</span>
                        </p>
                    }
                    <button class="primary" type="submit">{ s(lang, Msg::PaperSave) }</button>
                </form>
            }
        </section>
    }
}
