//! The pledge form at `/k/{code}` (what a campaign's QR code opens): the commitments in full,
//! each to accept, the fields of the campaign's audience, the guardian block for a student under
//! 18, and the receipt. Every field is checked by the shared parsers before sending, with the
//! same code and message the server would give; the server's problems land on the field they name.

use crate::i18n::Msg;
use std::collections::BTreeMap;

use bvantq_shared::PledgeKind;
use bvantq_shared::chrono::NaiveDate;
use bvantq_shared::pledge::{
    ADULT_AGE, PledgeReceipt, PublicCampaign, SignContext, SignRequest, age_on, parse_date,
};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::form::{FieldErrors, field_error, from_local, from_problem};
use crate::i18n::{Lang, LangContext, t};
use crate::outbox::{self, Pending};
use crate::request::{RequestError, get_json, post_json, refused_for_good};

mod kept;
mod receipt;

use kept::{kept_without_id, send_kept};
use receipt::receipt;

/// The phone's date. A browser's date always exists; if it did not, the page stops with this
/// message rather than checking dates against 1970.
pub fn today() -> NaiveDate {
    let d = js_sys::Date::new_0();
    match NaiveDate::from_ymd_opt(d.get_full_year() as i32, d.get_month() + 1, d.get_date()) {
        Some(day) => day,
        None => panic!("the browser gives no date"),
    }
}

#[derive(Clone, PartialEq)]
enum Stage {
    Loading,
    Failed,
    Form(Box<PublicCampaign>),
}

#[derive(Clone, PartialEq)]
enum Sent {
    No,
    Sending,
    /// Kept on the phone; will be sent.
    Saved,
    Done(Box<PledgeReceipt>),
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub code: String,
}

/// The form's values from a kept signing.
fn values_of(b: &SignRequest) -> BTreeMap<String, String> {
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: Option<&str>| {
        if let Some(v) = v {
            m.insert(k.to_string(), v.to_string());
        }
    };
    put("unit_code", Some(&b.unit_code));
    put("full_name", Some(&b.full_name));
    put("birth_date", Some(&b.birth_date));
    put("phone", b.phone.as_deref());
    put("address", b.address.as_deref());
    let members = b.members.map(|n| n.to_string());
    put("members", members.as_deref());
    if let Some(g) = &b.guardian {
        put("guardian_name", Some(&g.name));
        put("guardian_relation", Some(&g.relation));
        put("guardian_phone", Some(&g.phone));
    }
    m
}

#[function_component(PledgeForm)]
pub fn pledge_form(props: &Props) -> Html {
    let lang = use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or(Lang::Vi);
    // The campaign the server put in the page it drew (no request, no "loading" line), with what
    // was typed and ticked there (`crate::takeover`).
    let drawn = use_memo(props.code.clone(), |code| {
        crate::takeover::data::<PublicCampaign>().filter(|c| &c.code == code)
    });
    let stage = use_state(|| match &*drawn {
        Some(c) => Stage::Form(Box::new(c.clone())),
        None => Stage::Loading,
    });
    let sent = use_state(|| Sent::No);
    let errors = use_state(crate::takeover::errors);
    let values = use_state(crate::takeover::values);
    let accepted = use_state(|| match &*drawn {
        Some(c) => (1..=c.commitments.len())
            .map(|i| crate::takeover::checked(&format!("commitment-{i}")))
            .collect(),
        None => Vec::new(),
    });
    let consent = use_state(|| crate::takeover::checked("privacy_consent"));
    // Kept without its CCCD (embedded): the form is filled again and asks for the number.
    let kept_key = use_state(|| None::<String>);
    // What was last sent, for a contest of the pledge already signed in the same name.
    let last_body = use_state(|| None::<SignRequest>);

    {
        let (stage, accepted, sent, code) = (
            stage.clone(),
            accepted.clone(),
            sent.clone(),
            props.code.clone(),
        );
        let (values, consent, kept_key) = (values.clone(), consent.clone(), kept_key.clone());
        let drawn = (*drawn).clone();
        use_effect_with(props.code.clone(), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let found = match drawn {
                    Some(c) => Ok(c),
                    None => get_json::<PublicCampaign>(&format!("/api/v1/campaigns/{code}")).await,
                };
                match found {
                    Ok(c) => {
                        // What the drawn page had ticked, else nothing.
                        let mut ticks = (*accepted).clone();
                        ticks.resize(c.commitments.len(), false);
                        if let Some(k) = kept_without_id(&code) {
                            for i in &k.body.commitments_accepted {
                                if let Some(t) =
                                    usize::try_from(*i - 1).ok().and_then(|i| ticks.get_mut(i))
                                {
                                    *t = true;
                                }
                            }
                            values.set(values_of(&k.body));
                            consent.set(k.body.privacy_consent);
                            kept_key.set(Some(k.idempotency_key));
                        }
                        accepted.set(ticks);
                        stage.set(Stage::Form(Box::new(c)));
                    }
                    Err(_) => stage.set(Stage::Failed),
                }
                // Anything kept from an earlier visit goes now.
                if outbox::load().iter().any(|p| p.campaign == code) {
                    sent.set(Sent::Saved);
                    send_kept(&code, &sent).await;
                }
            });
        });
    }

    crate::form::use_focus_first_error(&errors);
    crate::form::use_reveal(matches!(*sent, Sent::Saved), "saved");

    // While something is kept, it goes as soon as the network (or the server) is back.
    {
        let (sent_now, code) = (sent.clone(), props.code.clone());
        outbox::use_retry(matches!(*sent, Sent::Saved), move || {
            let (sent, code) = (sent_now.clone(), code.clone());
            wasm_bindgen_futures::spawn_local(async move { send_kept(&code, &sent).await });
        });
    }

    {
        let shown = matches!(&*stage, Stage::Form(_));
        use_effect_with(shown, move |shown| {
            if *shown {
                crate::mark_ready();
            }
        });
    }

    let campaign = match &*stage {
        Stage::Loading => {
            return html! { <p class="muted" role="status">{ t(lang, Msg::Loading) }</p> };
        }
        Stage::Failed => {
            return html! { <p class="error" role="alert">{ t(lang, Msg::CampaignNotFound) }</p> };
        }
        Stage::Form(c) => (**c).clone(),
    };

    if let Sent::Done(r) = &*sent {
        let contest = (!r.created).then(|| {
            let (sent, last_body, code) = (sent.clone(), last_body.clone(), props.code.clone());
            Callback::from(move |_: MouseEvent| {
                let Some(body) = (*last_body).clone() else {
                    return;
                };
                let (sent, code) = (sent.clone(), code.clone());
                sent.set(Sent::Sending);
                wasm_bindgen_futures::spawn_local(async move {
                    let url = format!("/api/v1/campaigns/{code}/pledges/contest");
                    match post_json::<_, PledgeReceipt>(&url, &body, &outbox::new_key()).await {
                        Ok(r) => sent.set(Sent::Done(Box::new(r))),
                        Err(_) => sent.set(Sent::No),
                    }
                });
            })
        });
        return receipt(lang, &campaign, r, contest.filter(|_| last_body.is_some()));
    }

    let value = |k: &str| values.get(k).cloned().unwrap_or_default();
    let set_value = |k: &'static str| {
        let values = values.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut m = (*values).clone();
            m.insert(k.to_string(), input.value());
            values.set(m);
        })
    };
    let set_select = |k: &'static str| {
        let values = values.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let mut m = (*values).clone();
            m.insert(k.to_string(), input.value());
            values.set(m);
        })
    };
    let today = today();
    let kind = campaign.kind;
    let rules = campaign.fields.clone();
    let under_18 = parse_date(&value("birth_date"))
        .map(|b| age_on(b, today) < ADULT_AGE)
        .unwrap_or(false);
    let show_guardian = rules.guardian_under_18 && under_18;

    let build = {
        let (values, accepted, consent) = (values.clone(), accepted.clone(), consent.clone());
        let first_unit = campaign
            .units
            .first()
            .map_or_else(String::new, |u| u.code.clone());
        move || {
            let ticked = accepted
                .iter()
                .enumerate()
                .filter(|(_, a)| **a)
                .map(|(i, _)| i as i64 + 1)
                .collect();
            SignRequest::from_form(&values, ticked, *consent, &first_unit)
        }
    };

    let onsubmit = {
        let (errors, sent, code) = (errors.clone(), sent.clone(), props.code.clone());
        let (last_body, kept_key) = (last_body.clone(), kept_key.clone());
        let n = campaign.commitments.len();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let body = build();
            // The same checks the server runs, with the same messages.
            if let Err(errs) = body.parse(SignContext {
                kind,
                commitments: n,
                today,
            }) {
                errors.set(from_local(&errs));
                return;
            }
            errors.set(FieldErrors::new());
            sent.set(Sent::Sending);
            last_body.set(Some(body.clone()));
            // A pledge kept without its CCCD goes with the key it was kept under: it arrives once.
            let kept = (*kept_key).clone();
            let pending = Pending {
                campaign: code.clone(),
                idempotency_key: kept.clone().unwrap_or_else(outbox::new_key),
                body,
                needs_citizen_id: false,
            };
            if let Some(k) = &kept {
                outbox::remove(k);
                kept_key.set(None);
            }
            let (errors, sent) = (errors.clone(), sent.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/campaigns/{}/pledges", pending.campaign);
                match post_json::<_, PledgeReceipt>(&url, &pending.body, &pending.idempotency_key)
                    .await
                {
                    Ok(r) => sent.set(Sent::Done(Box::new(r))),
                    Err(RequestError::Problem(p)) if refused_for_good(&p) => {
                        errors.set(from_problem(&p));
                        sent.set(Sent::No);
                    }
                    // Offline, server down or busy: kept on the phone, sent later — unless the
                    // phone will not keep it, which the person is told.
                    Err(_) => {
                        if outbox::push(pending) {
                            sent.set(Sent::Saved);
                        } else {
                            errors.set(crate::form::form_error(
                                Msg::NotSaved.vi(),
                                Msg::NotSaved.en(),
                            ));
                            sent.set(Sent::No);
                        }
                    }
                }
            });
        })
    };

    let err = |field: &str| field_error(lang, &errors, field);
    let invalid = |field: &str| errors.contains_key(field).then_some("true");
    let described = |field: &str| errors.contains_key(field).then(|| format!("err-{field}"));
    let text_field = |id: &'static str,
                      label: &str,
                      kind: &'static str,
                      required: bool,
                      hint: Option<&str>| {
        html! {
            <div class="field">
                <label for={id}>{ label }{ if required { html!{<span class="req" aria-hidden="true">{" *"}</span>} } else { html!{} } }</label>
                if let Some(h) = hint { <p class="hint">{ h.to_string() }</p> }
                <input id={id} name={id} type={kind} required={required}
                    value={value(id)} oninput={set_value(id)}
                    aria-invalid={invalid(id)} aria-describedby={described(id)} />
                { err(id) }
            </div>
        }
    };

    let commitments = campaign.commitments.iter().enumerate().map(|(i, c)| {
        let checked = accepted.get(i).copied().unwrap_or(false);
        let accepted = accepted.clone();
        let onchange = Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut v = (*accepted).clone();
            if let Some(x) = v.get_mut(i) {
                *x = input.checked();
            }
            accepted.set(v);
        });
        let text = match (lang, &c.en) {
            (Lang::En, Some(en)) => en.clone(),
            _ => c.vi.clone(),
        };
        let id = format!("commitment-{}", i + 1);
        html! {
            <li class="check">
                <input type="checkbox" id={id.clone()} {checked} {onchange} />
                <label for={id}>{ format!("{}. {}", i + 1, text) }</label>
            </li>
        }
    });
    let consent_change = {
        let consent = consent.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            consent.set(input.checked());
        })
    };
    let title = match (lang, &campaign.template_title_en) {
        (Lang::En, Some(en)) => en.clone(),
        _ => campaign.template_title_vi.clone(),
    };
    let unit_label = match kind {
        PledgeKind::Household => t(lang, Msg::UnitHousehold),
        PledgeKind::Student => t(lang, Msg::UnitStudent),
        PledgeKind::Worker => t(lang, Msg::UnitWorker),
    };
    let sending = matches!(*sent, Sent::Sending);

    html! {
        <form class="pledge" novalidate=true {onsubmit}>
            <p class="muted" data-data="owner">{ &campaign.owner_name }{ " · " }{ campaign.year }</p>
            <h2>{ title }</h2>
            <p class="muted" data-testid="window">
                { t(lang, Msg::SigningPeriod) }{ " " }
                { crate::form::day(campaign.opens_on) }{ " – " }{ crate::form::day(campaign.closes_on) }
            </p>
            if !campaign.open {
                <p class="error" role="alert">{ t(lang, Msg::CampaignClosed) }</p>
            }
            if matches!(*sent, Sent::Saved) {
                <p class="notice" role="status" data-testid="saved">{ t(lang, Msg::SavedWillSend) }</p>
            }
            if kept_key.is_some() {
                <p class="notice" role="status" data-testid="kept-without-cccd">{ t(lang, Msg::KeptWithoutCccd) }</p>
            }
            <div role="alert" aria-live="assertive" class="sr-summary">
                if !errors.is_empty() { { t(lang, Msg::FixErrors) } }
            </div>
            { err("form") }
            <fieldset>
                <legend>{ t(lang, Msg::Commitments) }</legend>
                <ul class="commitments">{ for commitments }</ul>
                { err("commitments_accepted") }
            </fieldset>
            <fieldset>
                <legend>{ t(lang, Msg::AboutYou) }</legend>
                <div class="field">
                    <label for="unit_code">{ unit_label }</label>
                    <select id="unit_code" onchange={set_select("unit_code")} aria-invalid={invalid("unit_code")}>
                        { for campaign.units.iter().map(|u| html! {
                            <option value={u.code.clone()} data-data="unit" selected={value("unit_code") == u.code}>{ &u.name }</option>
                        }) }
                    </select>
                    { err("unit_code") }
                </div>
                { text_field("full_name", if kind == PledgeKind::Household { t(lang, Msg::HeadName) } else { t(lang, Msg::FullName) }, "text", true, None) }
                { text_field("birth_date", t(lang, Msg::BirthDate), "date", true, None) }
                { text_field("citizen_id", t(lang, Msg::CitizenId), "text", rules.citizen_id_required, Some(t(lang, Msg::CitizenIdHint))) }
                { text_field("phone", t(lang, Msg::PhoneOptional), "tel", false, None) }
                if rules.household {
                    { text_field("address", t(lang, Msg::Address), "text", true, None) }
                    { text_field("members", t(lang, Msg::Members), "number", true, None) }
                }
            </fieldset>
            if show_guardian {
                <fieldset class="guardian" data-testid="guardian">
                    <legend>{ t(lang, Msg::Guardian) }</legend>
                    <p class="hint">{ t(lang, Msg::GuardianHint) }</p>
                    { text_field("guardian_name", t(lang, Msg::GuardianName), "text", true, None) }
                    { text_field("guardian_relation", t(lang, Msg::GuardianRelation), "text", true, None) }
                    { text_field("guardian_phone", t(lang, Msg::GuardianPhone), "tel", true, None) }
                </fieldset>
            }
            { err("guardian") }
            <div class="check consent">
                <input type="checkbox" id="privacy_consent" checked={*consent} onchange={consent_change}
                    aria-invalid={invalid("privacy_consent")} aria-describedby={described("privacy_consent")} />
                <label for="privacy_consent">{ t(lang, Msg::Consent) }</label>
            </div>
            { err("privacy_consent") }
            <button type="submit" class="primary" disabled={sending || !campaign.open}>
                { if sending { t(lang, Msg::Sending) } else { t(lang, Msg::Sign) } }
            </button>
        </form>
    }
}
