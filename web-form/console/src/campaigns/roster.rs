//! The roster import with its per-row report, and a declared count for a unit without a list.

use crate::strings::Msg;
use bvantq_shared::PledgeKind;
use bvantq_shared::pledge::{CampaignDto, DeclaredCount, RosterReport};
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, field_errors, input_value};
use crate::strings::s;

#[derive(Properties, PartialEq)]
pub(crate) struct RosterProps {
    pub(crate) campaign: CampaignDto,
    pub(crate) on_imported: Callback<()>,
}

#[function_component(RosterForm)]
pub(crate) fn roster_form(props: &RosterProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (unit, file, partial) = (use_node_ref(), use_node_ref(), use_node_ref());
    let report = use_state(|| None::<RosterReport>);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let onsubmit = {
        let (unit, file, partial, report, errors, busy) = (
            unit.clone(),
            file.clone(),
            partial.clone(),
            report.clone(),
            errors.clone(),
            busy.clone(),
        );
        let (code, on_imported) = (props.campaign.code.clone(), props.on_imported.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let unit_code = unit
                .cast::<web_sys::HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let accept_partial = partial
                .cast::<web_sys::HtmlInputElement>()
                .is_some_and(|i| i.checked());
            let f = match crate::helpers::chosen_file(&file) {
                Ok(f) => f,
                Err(m) => {
                    errors.set(m);
                    return;
                }
            };
            let (report, errors, busy, on_imported) = (
                report.clone(),
                errors.clone(),
                busy.clone(),
                on_imported.clone(),
            );
            let url = format!(
                "/api/v1/campaigns/{code}/roster?unit={unit_code}{}",
                if accept_partial {
                    "&accept_partial=true"
                } else {
                    ""
                }
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let Some(text) = wasm_bindgen_futures::JsFuture::from(f.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                else {
                    // Sending nothing would read as an empty list: say the file was unreadable.
                    report.set(None);
                    errors.set(web_form::form::form_error(
                        Msg::FileUnreadable.vi(),
                        Msg::FileUnreadable.en(),
                    ));
                    busy.set(false);
                    return;
                };
                match auth.post_csv::<RosterReport>(&url, &text).await {
                    Ok((_, r)) => {
                        errors.set(FieldErrors::new());
                        if r.imported {
                            on_imported.emit(());
                        }
                        report.set(Some(r));
                    }
                    Err(e) => {
                        report.set(None);
                        errors.set(field_errors(&e));
                    }
                }
                busy.set(false);
            });
        })
    };
    let c = &props.campaign;
    html! {
        <form class="action roster no-print" {onsubmit} novalidate=true>
            <h3>{ s(lang, Msg::Roster) }</h3>
            <p class="hint">{ s(lang, match c.kind {
                PledgeKind::Household => Msg::RosterHintHousehold,
                PledgeKind::Student => Msg::RosterHintStudent,
                PledgeKind::Worker => Msg::RosterHintWorker,
            }) }</p>
            <label for="roster-unit">{ s(lang, Msg::Unit) }</label>
            <select id="roster-unit" ref={unit}>
                { for c.units.iter().map(|u| html! {
                    <option value={u.code.clone()} data-data="">{ u.name.clone() }</option>
                }) }
            </select>
            <label for="roster-file">{ s(lang, Msg::RosterFile) }</label>
            <input id="roster-file" type="file" accept=".csv,text/csv" ref={file}
                aria-invalid={errors.contains_key("file").to_string()} />
            { field_error(lang, &errors, "file") }
            <div class="check">
                <input id="roster-partial" type="checkbox" ref={partial} />
                <label for="roster-partial">{ s(lang, Msg::AcceptPartial) }</label>
            </div>
            <div aria-live="polite">
                { field_error(lang, &errors, "unit") }
                { field_error(lang, &errors, "form") }
                if let Some(r) = &*report {
                    <div class={if r.imported { "notice" } else { "warning" }} data-testid="roster-report">
                        <p>
                            { s(lang, Msg::RosterRows) }{ ": " }{ r.rows }{ " · " }
                            { s(lang, Msg::RosterAccepted) }{ ": " }{ r.accepted }{ " · " }
                            { s(lang, Msg::RosterRejected) }{ ": " }{ r.rejected.len() }
                        </p>
                        <p><strong>{ s(lang, if r.imported { Msg::RosterImported } else { Msg::RosterNotImported }) }</strong></p>
                        if !r.rejected.is_empty() {
                            <ul>
                                { for r.rejected.iter().map(|x| html! {
                                    <li>
                                        { s(lang, Msg::Line) }{ " " }{ x.line }{ " (" }<span class="code" data-data="">{ x.field.clone() }</span>{ "): " }
                                        { crate::helpers::pick_owned(lang, &x.message_vi, &x.message_en) }
                                    </li>
                                }) }
                            </ul>
                        }
                    </div>
                }
            </div>
            <button class="secondary" type="submit" disabled={*busy}>{ s(lang, Msg::Import) }</button>
        </form>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct DeclaredProps {
    pub(crate) campaign: CampaignDto,
    pub(crate) on_saved: Callback<()>,
}

/// A declared number of signers, for a unit with no list (households counted by the ward, say).
#[function_component(DeclaredForm)]
pub(crate) fn declared_form(props: &DeclaredProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let auth = use_context::<AuthHandle>();
    let (unit, count) = (use_node_ref(), use_node_ref());
    let errors = use_state(FieldErrors::new);
    let saved = use_state(|| false);
    let onsubmit = {
        let (unit, count, errors, saved) =
            (unit.clone(), count.clone(), errors.clone(), saved.clone());
        let (code, on_saved) = (props.campaign.code.clone(), props.on_saved.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(auth) = auth.clone() else { return };
            let req = DeclaredCount {
                unit_code: unit
                    .cast::<web_sys::HtmlSelectElement>()
                    .map(|s| s.value())
                    .unwrap_or_default(),
                expected: input_value(&count).trim().parse().unwrap_or(-1),
            };
            if let Err(e) = req.parse() {
                errors.set(from_local(&e));
                return;
            }
            let (errors, saved, on_saved) = (errors.clone(), saved.clone(), on_saved.clone());
            let url = format!("/api/v1/campaigns/{code}/expected");
            wasm_bindgen_futures::spawn_local(async move {
                match auth.put::<_, DeclaredCount>(&url, &req).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        saved.set(true);
                        on_saved.emit(());
                    }
                    Err(e) => {
                        saved.set(false);
                        errors.set(field_errors(&e));
                    }
                }
            });
        })
    };
    let c = &props.campaign;
    html! {
        <form class="action declared no-print" {onsubmit} novalidate=true>
            <h3>{ s(lang, Msg::Declared) }</h3>
            <p class="hint">{ s(lang, Msg::DeclaredHint) }</p>
            <label for="declared-unit">{ s(lang, Msg::Unit) }</label>
            <select id="declared-unit" ref={unit}>
                { for c.units.iter().map(|u| html! {
                    <option value={u.code.clone()} data-data="">{ u.name.clone() }</option>
                }) }
            </select>
            <label for="declared-expected">{ s(lang, Msg::DeclaredCount) }</label>
            <input id="declared-expected" ref={count} inputmode="numeric"
                aria-invalid={errors.contains_key("expected").to_string()} />
            <div aria-live="polite">
                { field_error(lang, &errors, "expected") }
                { field_error(lang, &errors, "unit_code") }
                { field_error(lang, &errors, "form") }
                if *saved && errors.is_empty() {
                    <p class="muted" data-testid="declared-saved">{ s(lang, Msg::Done) }</p>
                }
            </div>
            <button class="secondary" type="submit">{ s(lang, Msg::Save) }</button>
        </form>
    }
}
