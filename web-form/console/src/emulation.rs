//! Emulation and awards in the console: a unit registers in one of its province's blocks by the
//! registration day and reviews its year; the province keeps its blocks, proposes awards for the
//! reviewed units and records each decision with number, date and signer; a unit's page lists
//! its award history.

use bvantq_shared::plan::calendar::{ReportingCalendar, ReportingStep};
use bvantq_shared::plan::emulation::{
    AwardForm, Block, BlockRequest, DecisionRequest, Entry, EntryStatus, ProposalRequest,
    RegisterRequest, ReviewRequest,
};
use web_form::form::{FieldErrors, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors, input_value};
use crate::strings::{Msg, label, s};

fn checked(r: &NodeRef) -> bool {
    r.cast::<web_sys::HtmlInputElement>()
        .is_some_and(|i| i.checked())
}

/// Posts a body as JSON to a path: on success the errors clear and the view reads its data
/// again; otherwise the server's answer shows on the fields it names.
fn poster(
    auth: AuthHandle,
    reload: UseStateHandle<u32>,
    errors: UseStateHandle<FieldErrors>,
) -> impl Fn(String, serde_json::Value) + Clone {
    move |path, body| {
        let (auth, reload, errors) = (auth.clone(), reload.clone(), errors.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match auth.post::<_, serde_json::Value>(&path, &body).await {
                Ok(_) => {
                    errors.set(FieldErrors::new());
                    reload.set(*reload + 1);
                }
                Err(e) => errors.set(field_errors(&e)),
            }
        });
    }
}

/// The award history of a unit: every year's entry with its status and decision.
fn history(lang: Lang, entries: &[Entry]) -> Html {
    if entries.is_empty() {
        return html! { <p class="muted">{ s(lang, Msg::EmulationNone) }</p> };
    }
    html! {
        <ul class="plans" data-testid="award-history">
            { for entries.iter().map(|e| html! {
                <li>
                    <strong>{ e.year }{ " · " }<span data-data="">{ e.aim.clone() }</span></strong>
                    <span class="row-meta">
                        <span data-data="">{ e.block.name.clone() }</span>{ " · " }
                        <span data-testid="entry-status">{ label(lang, e.status) }</span>
                        if let Some(a) = e.award { { " · " }{ label(lang, a) } }
                        if let Some(d) = &e.decision {
                            { " · " }{ s(lang, Msg::DecisionNo) }{ " " }<span data-data="">{ d.number.clone() }</span>
                            { format!(" ({}) · ", day(d.date)) }<span data-data="">{ d.signer.clone() }</span>
                        }
                    </span>
                </li>
            }) }
        </ul>
    }
}

/// A unit's emulation: register, review, and its history.
#[function_component(UnitEmulation)]
pub fn unit_emulation() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(unit) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let entries = use_state(|| Load::<Vec<Entry>>::Loading);
    let blocks = use_state(Vec::<Block>::new);
    let due = use_state(|| None::<bvantq_shared::chrono::NaiveDate>);
    // The server's year (its clock decides, not the phone's).
    let year = use_state(|| None::<i32>);
    let reload = use_state(|| 0u32);
    let errors = use_state(FieldErrors::new);
    let (block, aim, summary, reached) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    {
        let (auth, entries, blocks, due, unit, year) = (
            auth.clone(),
            entries.clone(),
            blocks.clone(),
            due.clone(),
            unit.clone(),
            year.clone(),
        );
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{unit}/emulation");
                entries.set(match auth.get::<Vec<Entry>>(&url).await {
                    Ok(v) => Load::Ready(v),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
                // Without the year, the day and the blocks nothing can be registered: say so.
                match auth.get::<ReportingCalendar>("/api/v1/calendar").await {
                    Ok(c) => {
                        year.set(Some(c.year));
                        due.set(
                            c.entries
                                .iter()
                                .find(|e| e.step == ReportingStep::Registration)
                                .map(|e| e.due_on),
                        );
                        let url = format!("/api/v1/provinces/{}/emulation-blocks", c.province_code);
                        match auth.get::<Vec<Block>>(&url).await {
                            Ok(b) => blocks.set(b),
                            Err(e) => entries.set(Load::Failed(failure(lang, &e))),
                        }
                    }
                    Err(e) => entries.set(Load::Failed(failure(lang, &e))),
                }
            });
        });
    }
    let send = poster(auth.clone(), reload.clone(), errors.clone());
    let on_register = {
        let (block, aim, unit, send) = (block.clone(), aim.clone(), unit.clone(), send.clone());
        let year = *year;
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(year) = year else {
                return;
            };
            let Some(block_id) = block
                .cast::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
            else {
                return;
            };
            let req = RegisterRequest {
                year,
                block_id,
                aim: input_value(&aim),
            };
            if let Ok(body) = serde_json::to_value(&req) {
                send(format!("/api/v1/units/{unit}/emulation"), body);
            }
        })
    };
    let current = match &*entries {
        Load::Ready(v) => v.iter().find(|e| Some(e.year) == *year).cloned(),
        _ => None,
    };
    let on_review = {
        let (summary, reached, send) = (summary.clone(), reached.clone(), send.clone());
        let id = current.as_ref().map(|e| e.id.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(id) = &id else {
                return;
            };
            let req = ReviewRequest {
                summary: input_value(&summary),
                aim_reached: checked(&reached),
            };
            if let Ok(body) = serde_json::to_value(&req) {
                send(format!("/api/v1/emulation/{id}/review"), body);
            }
        })
    };
    let body = match &*entries {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(list) => html! {
            <>
                if current.is_none() && year.is_some() {
                    <form class="emulation-form" onsubmit={on_register} novalidate=true data-testid="emulation-register">
                        if let Some(d) = *due {
                            <p class="hint">{ s(lang, Msg::EmulationDue) }{ " " }{ day(d) }</p>
                        }
                        <div class="field">
                            <label for="emulation-block">{ s(lang, Msg::EmulationBlock) }</label>
                            <select id="emulation-block" ref={block.clone()}>
                                { for blocks.iter().map(|b| html! {
                                    <option value={b.id.clone()}>{ b.name.clone() }</option>
                                }) }
                            </select>
                            { field_error(lang, &errors, "block_id") }
                        </div>
                        <div class="field">
                            <label for="emulation-aim">{ s(lang, Msg::EmulationAim) }</label>
                            <input id="emulation-aim" type="text" ref={aim.clone()} />
                            { field_error(lang, &errors, "aim") }
                        </div>
                        { field_error(lang, &errors, "form") }
                        <button class="primary" type="submit">{ s(lang, Msg::EmulationRegister) }</button>
                    </form>
                }
                if current.as_ref().is_some_and(|e| e.status == EntryStatus::Registered) {
                    <form class="emulation-form" onsubmit={on_review} novalidate=true data-testid="emulation-review">
                        <div class="field">
                            <label for="emulation-summary">{ s(lang, Msg::EmulationSummary) }</label>
                            <textarea id="emulation-summary" rows="3" ref={summary.clone()} />
                            { field_error(lang, &errors, "summary") }
                        </div>
                        <div class="field check">
                            <input id="emulation-reached" type="checkbox" ref={reached.clone()} />
                            <label for="emulation-reached">{ s(lang, Msg::EmulationReached) }</label>
                        </div>
                        { field_error(lang, &errors, "form") }
                        <button class="primary" type="submit">{ s(lang, Msg::EmulationReview) }</button>
                    </form>
                }
                <h4>{ s(lang, Msg::AwardHistory) }</h4>
                { history(lang, list) }
            </>
        },
    };
    html! {
        <section data-testid="emulation">
            <h3>{ s(lang, Msg::EmulationTitle) }</h3>
            { body }
        </section>
    }
}

/// The province's desk: its blocks, and each unit's entry of the year with the step it awaits.
#[function_component(ProvinceEmulation)]
pub fn province_emulation() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(province) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let entries = use_state(|| Load::<Vec<Entry>>::Loading);
    let blocks = use_state(Vec::<Block>::new);
    let reload = use_state(|| 0u32);
    let errors = use_state(FieldErrors::new);
    let block_name = use_node_ref();
    {
        let (auth, entries, blocks, province) = (
            auth.clone(),
            entries.clone(),
            blocks.clone(),
            province.clone(),
        );
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // This year by the server's clock.
                let url = format!("/api/v1/provinces/{province}/emulation");
                entries.set(match auth.get::<Vec<Entry>>(&url).await {
                    Ok(v) => Load::Ready(v),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
                let url = format!("/api/v1/provinces/{province}/emulation-blocks");
                match auth.get::<Vec<Block>>(&url).await {
                    Ok(b) => blocks.set(b),
                    Err(e) => entries.set(Load::Failed(failure(lang, &e))),
                }
            });
        });
    }
    let send = poster(auth.clone(), reload.clone(), errors.clone());
    let on_block = {
        let (block_name, province, send) = (block_name.clone(), province.clone(), send.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let req = BlockRequest {
                name: input_value(&block_name),
            };
            if let Ok(body) = serde_json::to_value(&req) {
                send(
                    format!("/api/v1/provinces/{province}/emulation-blocks"),
                    body,
                );
            }
        })
    };
    let propose = |id: String| {
        let (send, errors) = (send.clone(), errors.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let doc = web_sys::window().and_then(|w| w.document());
            let element = |field: &str| {
                doc.as_ref()
                    .and_then(|d| d.get_element_by_id(&format!("{field}-{id}")))
            };
            let (Some(award), Some(reason)) = (
                element("award")
                    .and_then(|el| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(el).ok()
                    })
                    .map(|s| s.value()),
                element("reason")
                    .and_then(|el| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlTextAreaElement>(el).ok()
                    })
                    .map(|t| t.value()),
            ) else {
                return;
            };
            let award = match AwardForm::parse(&award) {
                Ok(a) => a,
                Err(e) => {
                    let mut m = FieldErrors::new();
                    m.insert("award".into(), (e.message_vi(), e.message_en()));
                    errors.set(m);
                    return;
                }
            };
            let req = ProposalRequest { award, reason };
            if let Ok(body) = serde_json::to_value(&req) {
                send(format!("/api/v1/emulation/{id}/proposal"), body);
            }
        })
    };
    let decide = |id: String| {
        let (send, errors) = (send.clone(), errors.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let input = |field: &str| {
                web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id(&format!("{field}-{id}")))
                    .and_then(|el| {
                        wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlInputElement>(el).ok()
                    })
            };
            let (Some(number), Some(date), Some(signer), Some(awarded)) = (
                input("number"),
                input("date"),
                input("signer"),
                input("awarded"),
            ) else {
                return;
            };
            // A date the browser could not read is named on its field, never sent as another day.
            let Ok(date) =
                bvantq_shared::chrono::NaiveDate::parse_from_str(&date.value(), "%Y-%m-%d")
            else {
                let e = bvantq_shared::ValidationError::DateFormat;
                let mut m = FieldErrors::new();
                m.insert("date".into(), (e.message_vi(), e.message_en()));
                errors.set(m);
                return;
            };
            let req = DecisionRequest {
                awarded: awarded.checked(),
                number: number.value(),
                date,
                signer: signer.value(),
            };
            if let Ok(body) = serde_json::to_value(&req) {
                send(format!("/api/v1/emulation/{id}/decision"), body);
            }
        })
    };
    let list = match &*entries {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(v) if v.is_empty() => {
            html! { <p class="muted">{ s(lang, Msg::EmulationNone) }</p> }
        }
        Load::Ready(v) => html! {
            <ul class="plans" data-testid="emulation-entries">
                { for v.iter().map(|e| html! {
                    <li data-unit={e.unit_code.clone()}>
                        <strong data-data="">{ e.unit_name.clone() }</strong>
                        <span class="row-meta">
                            <span data-data="">{ e.block.name.clone() }</span>{ " · " }
                            <span data-data="">{ e.aim.clone() }</span>{ " · " }
                            <span data-testid="entry-status">{ label(lang, e.status) }</span>
                            if let Some(a) = e.award { { " · " }{ label(lang, a) } }
                            if let Some(d) = &e.decision {
                                { " · " }{ s(lang, Msg::DecisionNo) }{ " " }<span data-data="">{ d.number.clone() }</span>
                                { format!(" ({})", day(d.date)) }
                            }
                        </span>
                        if let Some(r) = &e.review_summary {
                            <p class="hint"><span data-data="">{ r.clone() }</span></p>
                        }
                        if e.status == EntryStatus::Reviewed {
                            <form class="emulation-form" onsubmit={propose(e.id.clone())} novalidate=true data-testid="propose">
                                <div class="field">
                                    <label for={format!("award-{}", e.id)}>{ s(lang, Msg::AwardForm) }</label>
                                    <select id={format!("award-{}", e.id)}>
                                        { for AwardForm::ALL.iter().map(|a| html! {
                                            <option value={a.as_str()} selected={*a == AwardForm::ProvinceCertificate}>{ label(lang, *a) }</option>
                                        }) }
                                    </select>
                                    { field_error(lang, &errors, "award") }
                                </div>
                                <div class="field">
                                    <label for={format!("reason-{}", e.id)}>{ s(lang, Msg::ProposalReason) }</label>
                                    <textarea id={format!("reason-{}", e.id)} rows="2" />
                                    { field_error(lang, &errors, "reason") }
                                </div>
                                <button class="primary" type="submit">{ s(lang, Msg::Propose) }</button>
                            </form>
                        }
                        if e.status == EntryStatus::Proposed {
                            <form class="emulation-form" onsubmit={decide(e.id.clone())} novalidate=true data-testid="decide">
                                <div class="field">
                                    <label for={format!("number-{}", e.id)}>{ s(lang, Msg::DecisionNo) }</label>
                                    <input id={format!("number-{}", e.id)} type="text" placeholder="1234/QĐ-UBND" data-data="" />
                                    { field_error(lang, &errors, "number") }
                                </div>
                                <div class="field">
                                    <label for={format!("date-{}", e.id)}>{ s(lang, Msg::DecisionDate) }</label>
                                    <input id={format!("date-{}", e.id)} type="date" />
                                    { field_error(lang, &errors, "date") }
                                </div>
                                <div class="field">
                                    <label for={format!("signer-{}", e.id)}>{ s(lang, Msg::DecisionSigner) }</label>
                                    <input id={format!("signer-{}", e.id)} type="text" />
                                    { field_error(lang, &errors, "signer") }
                                </div>
                                <div class="field check">
                                    <input id={format!("awarded-{}", e.id)} type="checkbox" checked=true />
                                    <label for={format!("awarded-{}", e.id)}>{ s(lang, Msg::Awarded) }</label>
                                </div>
                                <button class="primary" type="submit">{ s(lang, Msg::RecordDecision) }</button>
                            </form>
                        }
                    </li>
                }) }
            </ul>
        },
    };
    html! {
        <section data-testid="province-emulation">
            <h3>{ s(lang, Msg::EmulationDeskTitle) }</h3>
            <h4>{ s(lang, Msg::EmulationBlocks) }</h4>
            <ul class="plans" data-testid="emulation-blocks">
                { for blocks.iter().map(|b| html! { <li data-data="">{ b.name.clone() }</li> }) }
            </ul>
            <form class="emulation-form" onsubmit={on_block} novalidate=true data-testid="new-block">
                <div class="field">
                    <label for="block-name">{ s(lang, Msg::EmulationBlockName) }</label>
                    <input id="block-name" type="text" ref={block_name} />
                    { field_error(lang, &errors, "name") }
                </div>
                <button class="secondary" type="submit">{ s(lang, Msg::EmulationAddBlock) }</button>
            </form>
            { field_error(lang, &errors, "form") }
            { list }
        </section>
    }
}

/// The awards decided for the period to the unit shown and the units below it (the dashboard's
/// list, as the November report carries it).
pub fn awards(lang: Lang, lines: &[bvantq_shared::plan::emulation::AwardLine]) -> Html {
    if lines.is_empty() {
        return html! { <p class="muted">{ s(lang, Msg::NoAwards) }</p> };
    }
    html! {
        <ul class="plans" data-testid="awards">
            { for lines.iter().map(|a| html! {
                <li>
                    <strong data-data="">{ a.unit_name.clone() }</strong>
                    <span class="row-meta">
                        { label(lang, a.award) }{ " · " }{ s(lang, Msg::DecisionNo) }{ " " }
                        <span data-data="">{ a.decision.number.clone() }</span>
                        { format!(" ({})", day(a.decision.date)) }
                    </span>
                </li>
            }) }
        </ul>
    }
}
