//! The reporting year of the officer's province: each step, who sends what to whom, its days and
//! where it stands today, with the text each default day comes from.

use bvantq_shared::plan::calendar::{CalendarSettings, DayMonth, ReportingCalendar, StepState};
use web_form::form::{FieldErrors, day, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors, input_value, pick_owned, vn_today};
use crate::strings::{Msg, label, s};

#[function_component(Calendar)]
pub fn calendar() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let data = use_state(|| Load::<ReportingCalendar>::Loading);
    // Bumped when the province saves its days: the calendar is read again.
    let reload = use_state(|| 0u32);
    // The province's officers keep its days.
    let province = auth
        .me()
        .filter(|m| m.role == bvantq_shared::Role::ProvinceOfficer)
        .map(|m| m.scope_unit);
    {
        let (auth, data) = (auth.clone(), data.clone());
        use_effect_with(*reload, move |_| {
            let year = bvantq_shared::chrono::Datelike::year(&vn_today());
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/calendar?year={year}");
                data.set(match auth.get::<ReportingCalendar>(&url).await {
                    Ok(c) => Load::Ready(c),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
        });
    }
    let body = match &*data {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(c) => html! {
            <table class="grid" tabindex="0" data-testid="calendar">
                <thead><tr>
                    <th scope="col">{ s(lang, Msg::CalendarStep) }</th>
                    <th scope="col">{ s(lang, Msg::CalendarWho) }</th>
                    <th scope="col">{ s(lang, Msg::CalendarWhen) }</th>
                    <th scope="col">{ s(lang, Msg::Status) }</th>
                </tr></thead>
                <tbody>
                    { for c.entries.iter().map(|e| {
                        let class = match e.state {
                            StepState::Past => "clock stopped",
                            StepState::Open => "clock due-soon",
                            StepState::Upcoming => "clock on-time",
                        };
                        html! {
                            <tr>
                                <th scope="row">
                                    { pick_owned(lang, &e.label_vi, &e.label_en) }
                                    <br /><small class="muted" data-data="">{ e.source.clone() }</small>
                                </th>
                                <td>{ pick_owned(lang, &e.from_vi, &e.from_en) }{ " → " }{ pick_owned(lang, &e.to_vi, &e.to_en) }</td>
                                <td>
                                    { e.opens_on.map(|o| format!("{} – ", day(o))).unwrap_or_default() }
                                    { day(e.due_on) }
                                </td>
                                <td class={class}>{ label(lang, e.state) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        },
    };
    html! {
        <section data-testid="reporting-year">
            <h3>{ s(lang, Msg::CalendarTitle) }</h3>
            { body }
            if let Some(code) = province {
                <CalendarEditor province={code} on_saved={{
                    let reload = reload.clone();
                    Callback::from(move |_| reload.set(*reload + 1))
                }} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub province: String,
    pub on_saved: Callback<()>,
}

/// The province's own days for each step ("dd/mm"), read from and written to
/// `/provinces/{code}/calendar`; a day that does not read is named on its field.
#[function_component(CalendarEditor)]
fn calendar_editor(props: &EditorProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let settings = use_state(|| Load::<CalendarSettings>::Loading);
    let open = use_state(|| false);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let saved = use_state(|| false);
    let refs: Vec<(NodeRef, NodeRef)> = (0..bvantq_shared::plan::calendar::ReportingStep::ALL
        .len())
        .map(|_| (NodeRef::default(), NodeRef::default()))
        .collect();
    let refs = use_memo((), move |_| refs);
    {
        let (auth, settings, code) = (auth.clone(), settings.clone(), props.province.clone());
        use_effect_with(*open, move |open| {
            if *open {
                wasm_bindgen_futures::spawn_local(async move {
                    let url = format!("/api/v1/provinces/{code}/calendar");
                    settings.set(match auth.get::<CalendarSettings>(&url).await {
                        Ok(c) => Load::Ready(c),
                        Err(e) => Load::Failed(failure(lang, &e)),
                    });
                });
            }
        });
    }
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    if !*open {
        return html! {
            <button class="secondary" onclick={toggle} data-testid="calendar-edit">{ s(lang, Msg::CalendarEdit) }</button>
        };
    }
    let Load::Ready(current) = &*settings else {
        return match &*settings {
            Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
            _ => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        };
    };
    let submit = {
        let (auth, errors, busy, saved, refs) = (
            auth.clone(),
            errors.clone(),
            busy.clone(),
            saved.clone(),
            refs.clone(),
        );
        let (current, code, done) = (
            current.clone(),
            props.province.clone(),
            props.on_saved.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut next = current.clone();
            let mut bad = FieldErrors::new();
            for (i, (step, (opens_ref, due_ref))) in
                next.steps.iter_mut().zip(refs.iter()).enumerate()
            {
                match DayMonth::parse(&input_value(due_ref)) {
                    Ok(d) => step.due = d,
                    Err(e) => {
                        bad.insert(format!("steps.{i}.due"), (e.message_vi(), e.message_en()));
                    }
                }
                if step.opens.is_some() {
                    match DayMonth::parse(&input_value(opens_ref)) {
                        Ok(d) => step.opens = Some(d),
                        Err(e) => {
                            bad.insert(
                                format!("steps.{i}.opens"),
                                (e.message_vi(), e.message_en()),
                            );
                        }
                    }
                }
            }
            // The same checks the server runs (an opening after its day, a step missing).
            if let Err(list) = next.check() {
                for f in list {
                    bad.entry(f.field)
                        .or_insert((f.error.message_vi(), f.error.message_en()));
                }
            }
            saved.set(false);
            if !bad.is_empty() {
                errors.set(bad);
                return;
            }
            let (auth, errors, busy, saved, code, done) = (
                auth.clone(),
                errors.clone(),
                busy.clone(),
                saved.clone(),
                code.clone(),
                done.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/provinces/{code}/calendar");
                match auth.put::<_, CalendarSettings>(&url, &next).await {
                    Ok(_) => {
                        errors.set(FieldErrors::new());
                        saved.set(true);
                        done.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <form class="calendar-editor" onsubmit={submit} novalidate=true data-testid="calendar-editor">
            <h4>{ s(lang, Msg::CalendarEdit) }</h4>
            <p class="hint">{ s(lang, Msg::CalendarEditHint) }</p>
            { for current.steps.iter().zip(refs.iter()).enumerate().map(|(i, (step, (opens_ref, due_ref)))| {
                let due = format!("steps.{i}.due");
                let opens = format!("steps.{i}.opens");
                html! {
                    <fieldset class="target">
                        <legend>{ label(lang, step.step) }</legend>
                        if let Some(o) = step.opens {
                            <label for={opens.clone()}>{ s(lang, Msg::CalendarOpens) }</label>
                            <input id={opens.clone()} ref={opens_ref.clone()} type="text" inputmode="numeric" value={o.text()} />
                            { field_error(lang, &errors, &opens) }
                        }
                        <label for={due.clone()}>{ s(lang, Msg::CalendarDue) }</label>
                        <input id={due.clone()} ref={due_ref.clone()} type="text" inputmode="numeric" value={step.due.text()} />
                        { field_error(lang, &errors, &due) }
                    </fieldset>
                }
            }) }
            { field_error(lang, &errors, "form") }
            if *saved {
                <p class="notice" role="status" data-testid="calendar-saved">{ s(lang, Msg::CalendarSaved) }</p>
            }
            <div class="actions">
                <button type="submit" class="primary" disabled={*busy}>{ s(lang, Msg::CalendarSave) }</button>
                <button type="button" class="secondary" onclick={toggle}>{ s(lang, Msg::Cancel) }</button>
            </div>
        </form>
    }
}
