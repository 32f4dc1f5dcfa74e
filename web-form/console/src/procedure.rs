//! A province's corrections of the procedure's numbers (transfer limits, the 20 days, the
//! extensions, the warning points, the escalation minutes) and its yearly list of days off (Tết,
//! Giỗ Tổ, the second day of Quốc khánh, compensatory days), kept by the province's officers and
//! checked by `ProvinceProcedure::parse` as the server checks it.

use bvantq_shared::tip::procedure::{Holiday, ProcedureSettings, ProvinceProcedure};
use bvantq_shared::{Errors, ValidationError};
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, failure, field_errors};
use crate::strings::{Msg, pick, s};

/// The numbers, each with its field name, its words and its default's source.
const NUMBERS: [(&str, &str, &str); 9] = [
    (
        "transfer_urgent_hours",
        "Chuyển CQĐT, trường hợp khẩn (giờ) — TT 28/2020 Đ.7",
        "Transfer, urgent cases (hours) — TT 28/2020 art. 7",
    ),
    (
        "transfer_remote_hours",
        "Chuyển CQĐT, xã vùng sâu vùng xa (giờ)",
        "Transfer, remote communes (hours)",
    ),
    (
        "transfer_days",
        "Chuyển CQĐT, trường hợp khác (ngày)",
        "Transfer, other cases (days)",
    ),
    (
        "decision_days",
        "Thời hạn giải quyết (ngày) — BLTTHS Đ.147 k.1",
        "Time to decide (days) — BLTTHS art. 147 cl. 1",
    ),
    (
        "complex_months",
        "Vụ việc phức tạp (tháng) — Đ.147 k.2",
        "Complex case (months) — art. 147 cl. 2",
    ),
    (
        "procuracy_months",
        "VKS gia hạn (tháng) — Đ.147 k.2",
        "Procuracy's extension (months) — art. 147 cl. 2",
    ),
    (
        "extension_request_days",
        "Đề nghị gia hạn trước khi hết hạn (ngày) — TTLT 01/2017 Đ.11",
        "Ask for the extension before the end (days) — TTLT 01/2017 art. 11",
    ),
    (
        "closing_report_days",
        "Báo cáo kết quả trước khi hết hạn (ngày)",
        "Report the result before the end (days)",
    ),
    (
        "escalate_minutes",
        "Báo lên tỉnh khi tin khẩn chưa được mở (phút)",
        "Tell the province when an urgent tip is not opened (minutes)",
    ),
];

fn get(s: &ProcedureSettings, name: &str) -> u32 {
    match name {
        "transfer_urgent_hours" => s.transfer_urgent_hours,
        "transfer_remote_hours" => s.transfer_remote_hours,
        "transfer_days" => s.transfer_days,
        "decision_days" => s.decision_days,
        "complex_months" => s.complex_months,
        "procuracy_months" => s.procuracy_months,
        "extension_request_days" => s.extension_request_days,
        "closing_report_days" => s.closing_report_days,
        _ => s.escalate_minutes,
    }
}

fn set(s: &mut ProcedureSettings, name: &str, v: u32) {
    let slot = match name {
        "transfer_urgent_hours" => &mut s.transfer_urgent_hours,
        "transfer_remote_hours" => &mut s.transfer_remote_hours,
        "transfer_days" => &mut s.transfer_days,
        "decision_days" => &mut s.decision_days,
        "complex_months" => &mut s.complex_months,
        "procuracy_months" => &mut s.procuracy_months,
        "extension_request_days" => &mut s.extension_request_days,
        "closing_report_days" => &mut s.closing_report_days,
        _ => &mut s.escalate_minutes,
    };
    *slot = v;
}

fn value_of(e: &InputEvent) -> Option<String> {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|i| i.value())
}

#[function_component(ProcedureView)]
pub fn procedure_view() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(province) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let url = format!("/api/v1/provinces/{province}/procedure");
    let data = use_state(|| None::<Result<ProvinceProcedure, String>>);
    // What the officer typed in the number fields (a non-number stays visible until corrected).
    let typed = use_state(std::collections::HashMap::<&'static str, String>::new);
    let errors = use_state(FieldErrors::new);
    let saved = use_state(|| false);
    {
        let (auth, data, url) = (auth.clone(), data.clone(), url.clone());
        use_effect_with(url, move |url| {
            let url = url.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let got = auth.get::<ProvinceProcedure>(&url).await;
                data.set(Some(got.map_err(|e| failure(lang, &e))));
            });
        });
    }
    let p = match &*data {
        None => return html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Some(Err(why)) => return html! { <p class="error" role="alert">{ why.clone() }</p> },
        Some(Ok(p)) => p.clone(),
    };
    // A change to the form's copy: returns what applies it.
    let edit = {
        let (data, saved) = (data.clone(), saved.clone());
        move |f: Box<dyn Fn(&mut ProvinceProcedure)>| {
            let (data, saved) = (data.clone(), saved.clone());
            move || {
                if let Some(Ok(p)) = &*data {
                    let mut p = p.clone();
                    f(&mut p);
                    data.set(Some(Ok(p)));
                    saved.set(false);
                }
            }
        }
    };
    let onsubmit = {
        let (auth, url, errors, saved, typed, data) = (
            auth.clone(),
            url.clone(),
            errors.clone(),
            saved.clone(),
            typed.clone(),
            data.clone(),
        );
        let p = p.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            // A number field that holds no number is named before anything is sent.
            let mut local = Errors::new();
            for (name, _, _) in NUMBERS {
                if let Some(t) = typed.get(name)
                    && t.trim().parse::<u32>().is_err()
                {
                    local.push(
                        ValidationError::OutOfRange {
                            min: 0,
                            max: 10_000,
                        }
                        .on(format!("settings.{name}")),
                    );
                }
            }
            let checked = local.into_result().and_then(|()| p.clone().parse());
            match checked {
                Err(e) => errors.set(from_local(&e)),
                Ok(body) => {
                    let (auth, url, errors, saved, data) = (
                        auth.clone(),
                        url.clone(),
                        errors.clone(),
                        saved.clone(),
                        data.clone(),
                    );
                    wasm_bindgen_futures::spawn_local(async move {
                        match auth.put::<_, ProvinceProcedure>(&url, &body).await {
                            Ok(p) => {
                                errors.set(FieldErrors::new());
                                data.set(Some(Ok(p)));
                                saved.set(true);
                            }
                            Err(e) => errors.set(field_errors(&e)),
                        }
                    });
                }
            }
        })
    };
    let add = {
        let today = crate::helpers::vn_today();
        let f = edit(Box::new(move |p: &mut ProvinceProcedure| {
            p.holidays.push(Holiday {
                date: today,
                name: String::new(),
            })
        }));
        Callback::from(move |_: MouseEvent| f())
    };
    html! {
        <form class="action procedure" {onsubmit} novalidate=true>
            <h3>{ s(lang, Msg::ProcedureTitle) }</h3>
            <p class="hint">{ s(lang, Msg::ProcedureHint) }</p>
            { for NUMBERS.iter().map(|&(name, vi, en)| {
                let id = format!("settings.{name}");
                let shown = typed.get(name).cloned().unwrap_or_else(|| get(&p.settings, name).to_string());
                let oninput = {
                    let (typed, f) = (typed.clone(), edit.clone());
                    Callback::from(move |e: InputEvent| {
                        let Some(v) = value_of(&e) else { return };
                        let mut t = (*typed).clone();
                        t.insert(name, v.clone());
                        typed.set(t);
                        if let Ok(n) = v.trim().parse::<u32>() {
                            (f(Box::new(move |p: &mut ProvinceProcedure| set(&mut p.settings, name, n))))();
                        }
                    })
                };
                let invalid = errors.contains_key(&id);
                html! {
                    <>
                        <label for={id.clone()}>{ pick(lang, vi, en) }</label>
                        <input id={id.clone()} type="number" inputmode="numeric" min="0" value={shown} {oninput}
                            aria-invalid={invalid.to_string()}
                            aria-describedby={invalid.then(|| format!("err-{id}"))} />
                        { field_error(lang, &errors, &id) }
                    </>
                }
            }) }
            <h3>{ s(lang, Msg::DaysOff) }</h3>
            <p class="hint">{ s(lang, Msg::DaysOffHint) }</p>
            <ul class="holidays" data-testid="holidays">
                { for p.holidays.iter().enumerate().map(|(i, h)| {
                    let date_id = format!("holidays[{i}].date");
                    let name_id = format!("holidays[{i}].name");
                    let on_date = {
                        let f = edit.clone();
                        Callback::from(move |e: InputEvent| {
                            if let Some(Ok(d)) = value_of(&e).map(|v| bvantq_shared::pledge::parse_date(&v)) {
                                (f(Box::new(move |p: &mut ProvinceProcedure| p.holidays[i].date = d)))();
                            }
                        })
                    };
                    let on_name = {
                        let f = edit.clone();
                        Callback::from(move |e: InputEvent| {
                            let Some(v) = value_of(&e) else { return };
                            (f(Box::new(move |p: &mut ProvinceProcedure| p.holidays[i].name = v.clone())))();
                        })
                    };
                    let remove = {
                        let f = edit.clone();
                        Callback::from(move |_: MouseEvent| {
                            (f(Box::new(move |p: &mut ProvinceProcedure| { p.holidays.remove(i); })))();
                        })
                    };
                    html! {
                        <li>
                            <label for={date_id.clone()}>{ s(lang, Msg::Day) }</label>
                            <input id={date_id.clone()} type="date" value={h.date.to_string()} oninput={on_date} />
                            { field_error(lang, &errors, &date_id) }
                            <label for={name_id.clone()}>{ s(lang, Msg::DayName) }</label>
                            <input id={name_id.clone()} value={h.name.clone()} oninput={on_name}
                                aria-invalid={errors.contains_key(&name_id).to_string()}
                                aria-describedby={errors.contains_key(&name_id).then(|| format!("err-{name_id}"))} />
                            { field_error(lang, &errors, &name_id) }
                            <button type="button" class="secondary" onclick={remove}>{ s(lang, Msg::Remove) }</button>
                        </li>
                    }
                }) }
            </ul>
            { field_error(lang, &errors, "holidays") }
            <button type="button" class="secondary" onclick={add}>{ s(lang, Msg::AddDayOff) }</button>
            <div aria-live="polite">
                { field_error(lang, &errors, "form") }
                if *saved {
                    <p class="ok" data-testid="procedure-saved">{ s(lang, Msg::SavedProcedure) }</p>
                }
            </div>
            <button class="primary" type="submit">{ s(lang, Msg::Save) }</button>
        </form>
    }
}
