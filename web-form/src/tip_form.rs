//! The tip form at `/to-giac`: what happened, where, when, photos (shrunk on the phone), anonymous
//! by default with an explicit choice to leave contact details, and a plain statement of how the
//! reporter is protected. The receipt page shows the receipt code once, large and grouped, with a
//! copy button. A tip is kept on the phone only if the reporter agrees, and cleared once sent.

use crate::i18n::Msg;

use bvantq_shared::TipCategory;
use bvantq_shared::tip::{ContactRequest, PhotoUpload, TipReceipt, TipRequest, VN_OFFSET_HOURS};
use serde::{Deserialize, Serialize};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::commune_select::CommuneSelect;
use crate::form::{FieldErrors, field_error, from_local, from_problem, storage};
use crate::i18n::{Lang, LangContext, t};
use crate::request::{RequestError, post_json, refused_for_good};

const OUTBOX: &str = "bvantq.outbox.tips";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PendingTip {
    idempotency_key: String,
    body: TipRequest,
}

fn kept() -> Option<PendingTip> {
    storage()
        .and_then(|s| s.get_item(OUTBOX).ok().flatten())
        .and_then(|t| crate::json::parse(&t))
}

fn keep(p: &PendingTip) {
    if let (Some(s), Some(t)) = (storage(), crate::json::stringify(p)) {
        let _ = s.set_item(OUTBOX, &t);
    }
}

fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(OUTBOX);
    }
}

/// Now in Vietnam (incident times are local).
fn now_vn() -> bvantq_shared::chrono::NaiveDateTime {
    match bvantq_shared::chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64) {
        Some(d) => d.naive_utc() + bvantq_shared::chrono::TimeDelta::hours(VN_OFFSET_HOURS),
        // As for `today`: a browser without a clock stops here, nothing is dated 1970.
        None => panic!("the browser gives no time"),
    }
}

#[derive(Clone, PartialEq)]
enum Sent {
    No,
    Sending,
    Saved,
    Failed,
    Done(Box<TipReceipt>),
}

/// A coordinate with 5 decimals (about a metre), without pulling float formatting into the
/// download.
fn degrees(v: f64) -> String {
    let micro = (v * 100_000.0).round() as i64;
    let sign = if micro < 0 { "-" } else { "" };
    let m = micro.unsigned_abs();
    format!("{sign}{}.{:05}", m / 100_000, m % 100_000)
}

/// Sends the tip kept on the phone, if any, and forgets it once the server has it (or refused it
/// for good).
async fn send_kept(sent: &UseStateHandle<Sent>) {
    let Some(p) = kept() else { return };
    match post_json::<_, TipReceipt>("/api/v1/tips", &p.body, &p.idempotency_key).await {
        Ok(r) => {
            forget();
            sent.set(Sent::Done(Box::new(r)));
        }
        Err(e) if e.is_final() => {
            forget();
            sent.set(Sent::No);
        }
        Err(_) => {}
    }
}

#[function_component(TipForm)]
pub fn tip_form() -> Html {
    let lang = use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or(Lang::Vi);
    // What was typed and ticked in the page the server drew (`crate::takeover`).
    let values = use_state(crate::takeover::values);
    let commune = use_state(|| None::<(String, String)>);
    let contact = use_state(|| crate::takeover::checked("leave_contact"));
    let danger = use_state(|| crate::takeover::checked("danger"));
    let keep_on_phone = use_state(|| false);
    let photos = use_state(Vec::<String>::new);
    let errors = use_state(|| {
        // The drawn page's inputs are `contact_name`/`contact_phone`; the parser's fields are
        // `contact.name`/`contact.phone`, as this form names them.
        let mut e = crate::takeover::errors();
        for (from, to) in [
            ("contact_name", "contact.name"),
            ("contact_phone", "contact.phone"),
        ] {
            if let Some(m) = e.remove(from) {
                e.insert(to.into(), m);
            }
        }
        e
    });
    let sent = use_state(|| Sent::No);
    let coords = use_state(|| None::<(f64, f64)>);
    let locating = use_state(|| None::<Msg>);
    let indicator_rows = use_state(|| vec![crate::indicators::blank()]);

    // A tip the reporter chose to keep goes as soon as the page opens again, and while the page
    // stays open, as soon as the network or the server is back.
    {
        let sent = sent.clone();
        use_effect_with((), move |_| {
            crate::mark_ready();
            if kept().is_some() {
                sent.set(Sent::Saved);
                wasm_bindgen_futures::spawn_local(async move { send_kept(&sent).await });
            }
        });
    }
    crate::form::use_focus_first_error(&errors);
    crate::form::use_reveal(matches!(*sent, Sent::Saved), "saved");
    crate::form::use_reveal(matches!(*sent, Sent::Failed), "not-sent");
    {
        let sent_now = sent.clone();
        crate::outbox::use_retry(matches!(*sent, Sent::Saved), move || {
            let sent = sent_now.clone();
            wasm_bindgen_futures::spawn_local(async move { send_kept(&sent).await });
        });
    }

    if let Sent::Done(r) = &*sent {
        return html! { <ReceiptView receipt={(**r).clone()} /> };
    }

    let value = |k: &str| values.get(k).cloned().unwrap_or_default();
    let set = |k: &'static str| {
        let values = values.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_dyn_into::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .or_else(|| e.target_dyn_into::<HtmlInputElement>().map(|i| i.value()))
                .unwrap_or_default();
            let mut m = (*values).clone();
            m.insert(k.to_string(), v);
            values.set(m);
        })
    };
    let on_category = {
        let values = values.clone();
        Callback::from(move |e: Event| {
            let s: HtmlSelectElement = e.target_unchecked_into();
            let mut m = (*values).clone();
            m.insert("category".into(), s.value());
            values.set(m);
        })
    };
    let toggle = |state: &UseStateHandle<bool>| {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let i: HtmlInputElement = e.target_unchecked_into();
            state.set(i.checked());
        })
    };
    let on_photos = {
        let errors = errors.clone();
        crate::photos::picker(
            photos.clone(),
            Callback::from(move |_| {
                let mut m = (*errors).clone();
                let e = bvantq_shared::ValidationError::ImageType;
                m.insert("photos".into(), (e.message_vi(), e.message_en()));
                errors.set(m);
            }),
        )
    };
    let locate = {
        let (coords, locating) = (coords.clone(), locating.clone());
        Callback::from(move |_| {
            let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
                locating.set(Some(Msg::LocationFailed));
                return;
            };
            locating.set(Some(Msg::Locating));
            let (c2, l2, l3) = (coords.clone(), locating.clone(), locating.clone());
            let ok =
                wasm_bindgen::closure::Closure::once_into_js(move |pos: wasm_bindgen::JsValue| {
                    let get = |v: &wasm_bindgen::JsValue, k: &str| {
                        js_sys::Reflect::get(v, &k.into()).ok()
                    };
                    let c = get(&pos, "coords");
                    let lat = c
                        .as_ref()
                        .and_then(|c| get(c, "latitude"))
                        .and_then(|v| v.as_f64());
                    let lon = c
                        .as_ref()
                        .and_then(|c| get(c, "longitude"))
                        .and_then(|v| v.as_f64());
                    match (lat, lon) {
                        (Some(a), Some(o)) => {
                            c2.set(Some((a, o)));
                            l2.set(Some(Msg::LocationTaken));
                        }
                        _ => l2.set(Some(Msg::LocationFailed)),
                    }
                });
            let fail =
                wasm_bindgen::closure::Closure::once_into_js(move |_: wasm_bindgen::JsValue| {
                    l3.set(Some(Msg::LocationFailed));
                });
            if geo
                .get_current_position_with_error_callback(
                    wasm_bindgen::JsCast::unchecked_ref(&ok),
                    Some(wasm_bindgen::JsCast::unchecked_ref(&fail)),
                )
                .is_err()
            {
                locating.set(Some(Msg::LocationFailed));
            }
        })
    };
    let forget_location = {
        let (coords, locating) = (coords.clone(), locating.clone());
        Callback::from(move |_| {
            coords.set(None);
            locating.set(None);
        })
    };
    let on_commune = {
        let commune = commune.clone();
        Callback::from(move |c: (String, String)| commune.set(Some(c)))
    };

    let on_indicators = {
        let rows = indicator_rows.clone();
        Callback::from(move |r: Vec<bvantq_shared::tip::indicator::IndicatorRequest>| rows.set(r))
    };
    let fraud = value("category") == TipCategory::Fraud.as_str();

    let onsubmit = {
        let (coords, indicator_rows) = (coords.clone(), indicator_rows.clone());
        let (values, commune, contact, danger, keep_on_phone, photos, errors, sent) = (
            values.clone(),
            commune.clone(),
            contact.clone(),
            danger.clone(),
            keep_on_phone.clone(),
            photos.clone(),
            errors.clone(),
            sent.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let v = |k: &str| values.get(k).cloned().unwrap_or_default();
            let opt = |k: &str| Some(v(k)).filter(|s| !s.trim().is_empty());
            // Only a fraud tip carries indicators; blank rows go, so an error's row number is
            // the row on screen.
            let indicators = if v("category") == TipCategory::Fraud.as_str() {
                crate::indicators::filled(&indicator_rows)
            } else {
                Vec::new()
            };
            if !indicators.is_empty() {
                indicator_rows.set(indicators.clone());
            }
            let body = TipRequest {
                category: v("category"),
                description: v("description"),
                commune_code: commune.as_ref().map(|c| c.0.clone()).unwrap_or_default(),
                place: opt("place"),
                latitude: coords.map(|c| c.0),
                longitude: coords.map(|c| c.1),
                incident_at: opt("incident_at"),
                danger_to_life: *danger,
                anonymous: !*contact,
                contact: contact.then(|| ContactRequest {
                    name: opt("contact_name"),
                    phone: opt("contact_phone"),
                }),
                photos: photos
                    .iter()
                    .map(|d| PhotoUpload { data: d.clone() })
                    .collect(),
                indicators,
            };
            if let Err(errs) = body.parse(now_vn()) {
                errors.set(from_local(&errs));
                return;
            }
            errors.set(FieldErrors::new());
            sent.set(Sent::Sending);
            let pending = PendingTip {
                idempotency_key: crate::outbox::new_key(),
                body,
            };
            let keep_it = *keep_on_phone;
            let (errors, sent) = (errors.clone(), sent.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match post_json::<_, TipReceipt>(
                    "/api/v1/tips",
                    &pending.body,
                    &pending.idempotency_key,
                )
                .await
                {
                    Ok(r) => sent.set(Sent::Done(Box::new(r))),
                    Err(RequestError::Problem(p)) if refused_for_good(&p) => {
                        errors.set(from_problem(&p));
                        sent.set(Sent::No);
                    }
                    Err(_) if keep_it => {
                        keep(&pending);
                        sent.set(Sent::Saved);
                    }
                    Err(_) => sent.set(Sent::Failed),
                }
            });
        })
    };

    let err = |field: &str| field_error(lang, &errors, field);
    let invalid = |f: &str| errors.contains_key(f).then_some("true");
    let sending = matches!(*sent, Sent::Sending);

    html! {
        <form class="tip" novalidate=true {onsubmit}>
            <h2>{ t(lang, Msg::TipTitle) }</h2>
            <p class="protect" data-testid="protection">{ t(lang, Msg::TipProtection) }</p>
            if matches!(*sent, Sent::Saved) {
                <p class="notice" role="status" data-testid="saved">{ t(lang, Msg::TipSaved) }</p>
            }
            if matches!(*sent, Sent::Failed) {
                <p class="error" role="alert" data-testid="not-sent">{ t(lang, Msg::TipNotSent) }</p>
            }
            <div role="alert" aria-live="assertive" class="sr-summary">
                if !errors.is_empty() { { t(lang, Msg::FixErrors) } }
            </div>
            { err("form") }
            <div class="field">
                <label for="category">{ t(lang, Msg::TipCategory) }</label>
                <select id="category" onchange={on_category} aria-invalid={invalid("category")}>
                    <option value="">{ t(lang, Msg::Choose) }</option>
                    { for TipCategory::ALL.iter().map(|c| html! {
                        <option value={c.as_str()} selected={value("category") == c.as_str()}>
                            { if lang == Lang::Vi { c.label_vi() } else { c.label_en() } }
                        </option>
                    }) }
                </select>
                { err("category") }
            </div>
            <div class="field">
                <label for="description">{ t(lang, Msg::TipDescription) }</label>
                <textarea id="description" rows="6" value={value("description")} oninput={set("description")}
                    aria-invalid={invalid("description")} aria-describedby="err-description" />
                { err("description") }
            </div>
            if fraud {
                <crate::indicators::Indicators rows={(*indicator_rows).clone()} on_change={on_indicators}
                    errors={(*errors).clone()} />
            }
            <CommuneSelect on_select={on_commune} chosen={(*commune).clone()} invalid={errors.contains_key("commune_code")} />
            { err("commune_code") }
            <div class="field">
                <label for="place">{ t(lang, Msg::TipPlace) }</label>
                <input id="place" type="text" value={value("place")} oninput={set("place")} aria-invalid={invalid("place")} />
                { err("place") }
            </div>
            <div class="field location">
                <button type="button" class="secondary" onclick={locate}>{ t(lang, Msg::UseLocation) }</button>
                if let Some(key) = *locating {
                    <p class="hint" role="status" data-testid="location">
                        { t(lang, key) }
                        if let Some((a, o)) = *coords { { format!(" ({}, {})", degrees(a), degrees(o)) } }
                    </p>
                }
                if coords.is_some() {
                    <button type="button" class="back" onclick={forget_location}>{ t(lang, Msg::ForgetLocation) }</button>
                }
                { err("latitude") }{ err("longitude") }
            </div>
            <div class="field">
                <label for="incident_at">{ t(lang, Msg::TipWhen) }</label>
                <input id="incident_at" type="datetime-local" value={value("incident_at")} oninput={set("incident_at")}
                    aria-invalid={invalid("incident_at")} />
                { err("incident_at") }
            </div>
            <div class="check">
                <input type="checkbox" id="danger" checked={*danger} onchange={toggle(&danger)} />
                <label for="danger">{ t(lang, Msg::TipDanger) }</label>
            </div>
            <div class="field">
                <label for="photos">{ t(lang, Msg::TipPhotos) }</label>
                <input id="photos" type="file" accept="image/*" multiple=true onchange={on_photos} />
                <p class="hint" data-testid="photo-count">{ format!("{} / {}", photos.len(), bvantq_shared::tip::MAX_PHOTOS) }</p>
                { err("photos") }{ err("photos.0") }{ err("photos.1") }{ err("photos.2") }{ err("photos.3") }{ err("photos.4") }
            </div>
            <div class="check">
                <input type="checkbox" id="leave_contact" checked={*contact} onchange={toggle(&contact)} />
                <label for="leave_contact">{ t(lang, Msg::TipLeaveContact) }</label>
            </div>
            if *contact {
                <div class="field">
                    <label for="contact_name">{ t(lang, Msg::TipContactName) }</label>
                    <input id="contact_name" type="text" value={value("contact_name")} oninput={set("contact_name")} aria-invalid={invalid("contact.name")} />
                    { err("contact.name") }
                </div>
                <div class="field">
                    <label for="contact_phone">{ t(lang, Msg::TipContactPhone) }</label>
                    <input id="contact_phone" type="tel" value={value("contact_phone")} oninput={set("contact_phone")} aria-invalid={invalid("contact.phone")} />
                    { err("contact.phone") }
                </div>
            }
            <div class="check">
                <input type="checkbox" id="keep_on_phone" checked={*keep_on_phone} onchange={toggle(&keep_on_phone)} />
                <label for="keep_on_phone">{ t(lang, Msg::TipKeep) }</label>
            </div>
            <button type="submit" class="primary" disabled={sending}>
                { if sending { t(lang, Msg::Sending) } else { t(lang, Msg::TipSend) } }
            </button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
struct ReceiptProps {
    receipt: TipReceipt,
}

#[function_component(ReceiptView)]
fn receipt_view(props: &ReceiptProps) -> Html {
    let lang = use_context::<LangContext>()
        .map(|c| c.0)
        .unwrap_or(Lang::Vi);
    let code = props.receipt.receipt_code.clone();
    let copied = use_state(|| false);
    let copy = {
        let (code, copied) = (code.clone(), copied.clone());
        Callback::from(move |_| {
            if let Some(w) = web_sys::window() {
                let _ = w.navigator().clipboard().write_text(&code);
                copied.set(true);
            }
        })
    };
    html! {
        <section class="receipt" data-testid="tip-receipt">
            <h2>{ t(lang, Msg::TipReceived) }</h2>
            <p>{ t(lang, Msg::TipCodeIs) }</p>
            <p class="receipt-code big" data-testid="tip-code">{ &code }</p>
            <button type="button" class="secondary" onclick={copy}>
                { if *copied { t(lang, Msg::Copied) } else { t(lang, Msg::Copy) } }
            </button>
            <p class="warning" role="note">{ t(lang, Msg::TipCodeOnce) }</p>
            <p><a href="/theo-doi">{ t(lang, Msg::FollowLink) }</a></p>
        </section>
    }
}
