//! Annual reports through the platform: a commune's police send the year's report (the results
//! the platform holds, frozen when sent, and the figures the unit enters, checked by the same
//! `shared` rules the server runs) and see what they have sent; the province sees who has sent,
//! on time or late, who has not, and opens each as XLSX or PDF.

use bvantq_shared::plan::submission::{
    AnnualReport, AnnualReportRequest, EnteredFigure, FigureValue, SubmissionBoard,
    SubmissionState, UnitSubmissions,
};
use web_form::form::{FieldErrors, day, field_error, vn_time};
use web_form::i18n::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors};
use crate::results::download;
use crate::strings::{Msg, label, s};

/// Fetches a sent report as `ext` (xlsx or pdf) and hands it to the browser as `name.ext`; a
/// failure is said in `error` (in `lang`), never dropped.
fn open_report(
    auth: &AuthHandle,
    (id, name, ext): (String, String, &'static str),
    error: &UseStateHandle<Option<String>>,
    lang: Lang,
) -> Callback<MouseEvent> {
    let (auth, error) = (auth.clone(), error.clone());
    let name = format!("{name}.{ext}");
    Callback::from(move |_| {
        let (auth, id, name, error) = (auth.clone(), id.clone(), name.clone(), error.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let url = format!("/api/v1/annual-reports/{id}/report.{ext}");
            match auth.get_bytes(&url).await {
                Ok(bytes) => {
                    error.set(None);
                    download(&bytes, &name);
                }
                Err(e) => error.set(Some(failure(lang, &e))),
            }
        });
    })
}

/// Why opening a report failed, if it did.
fn open_error(error: &UseStateHandle<Option<String>>) -> Html {
    match &**error {
        Some(why) => {
            html! { <p class="error" role="alert" data-testid="open-error">{ why.clone() }</p> }
        }
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct SentProps {
    unit: String,
    year: i32,
    /// The version just sent, if any: the list is read again after each sending.
    latest: Option<i32>,
}

/// What the commune has sent this year: the state the first sending decided, and each version
/// to open as XLSX or PDF.
#[function_component(Sent)]
fn sent_list(props: &SentProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let data = use_state(|| Load::<UnitSubmissions>::Loading);
    let error = use_state(|| None::<String>);
    {
        let (auth, data) = (auth.clone(), data.clone());
        use_effect_with(
            (props.unit.clone(), props.year, props.latest),
            move |(unit, year, _)| {
                let url = format!("/api/v1/units/{unit}/annual-reports?year={year}");
                wasm_bindgen_futures::spawn_local(async move {
                    data.set(match auth.get::<UnitSubmissions>(&url).await {
                        Ok(u) => Load::Ready(u),
                        Err(e) => Load::Failed(failure(lang, &e)),
                    });
                });
            },
        );
    }
    match &*data {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(u) => html! {
            <div data-testid="annual-mine">
                <h4>{ s(lang, Msg::AnnualMine) }</h4>
                <p>
                    <span class={state_class(u.state)}>{ label(lang, u.state) }</span>
                    { format!(" · {} {}", s(lang, Msg::AnnualDue), day(u.due_on)) }
                </p>
                if u.versions.is_empty() {
                    <p class="muted">{ s(lang, Msg::AnnualNoneSent) }</p>
                } else {
                    <ul>
                        { for u.versions.iter().map(|v| {
                            let name = format!("bao-cao-nam-{}-{}-v{}", u.unit_code, u.year, v.version);
                            html! {
                                <li>
                                    { format!("{} {} · {} · ", s(lang, Msg::AnnualVersion), v.version, vn_time(v.sent_at)) }
                                    <button class="link" onclick={open_report(&auth, (v.id.clone(), name.clone(), "xlsx"), &error, lang)}>{ "XLSX" }</button>
                                    { " · " }
                                    <button class="link" onclick={open_report(&auth, (v.id.clone(), name, "pdf"), &error, lang)}>{ "PDF" }</button>
                                </li>
                            }
                        }) }
                    </ul>
                }
                { open_error(&error) }
            </div>
        },
    }
}

fn state_class(st: SubmissionState) -> &'static str {
    match st {
        SubmissionState::OnTime => "clock on-time",
        SubmissionState::NotYet => "clock due-soon",
        SubmissionState::Late | SubmissionState::Overdue => "clock overdue",
    }
}

/// A commune's form: the four figures and a note, sent as the year's report.
#[function_component(SendReport)]
pub fn send_report() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(unit) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let values = use_state(|| vec![String::new(); EnteredFigure::ALL.len()]);
    let note = use_node_ref();
    let errors = use_state(FieldErrors::new);
    let sent = use_state(|| None::<AnnualReport>);
    let busy = use_state(|| false);
    // The reporting year by the server's clock (not the phone's).
    let year = use_state(|| None::<i32>);
    {
        let (auth, year, errors) = (auth.clone(), year.clone(), errors.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let url = "/api/v1/calendar";
                // Without the year the report cannot be sent: say why instead of a dead button.
                match auth
                    .get::<bvantq_shared::plan::calendar::ReportingCalendar>(url)
                    .await
                {
                    Ok(c) => year.set(Some(c.year)),
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        });
    }
    let on_input = |i: usize| {
        let values = values.clone();
        Callback::from(move |e: InputEvent| {
            let mut v = (*values).clone();
            v[i] = e.target_unchecked_into::<HtmlInputElement>().value();
            values.set(v);
        })
    };
    let submit = {
        let (report_year, unit) = (*year, unit.clone());
        let (auth, values, errors, sent, busy, note) = (
            auth.clone(),
            values.clone(),
            errors.clone(),
            sent.clone(),
            busy.clone(),
            note.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(report_year) = report_year else {
                return;
            };
            // A figure that is no whole number is named on its field, never sent as 0.
            let mut bad = FieldErrors::new();
            let mut figures = Vec::new();
            for (f, v) in EnteredFigure::ALL.iter().zip(values.iter()) {
                match v.trim().parse::<i64>() {
                    Ok(n) => figures.push(FigureValue {
                        figure: *f,
                        value: n,
                    }),
                    Err(_) if v.trim().is_empty() => {}
                    Err(_) => {
                        let e = bvantq_shared::ValidationError::OutOfRange {
                            min: 0,
                            max: bvantq_shared::plan::submission::FIGURE_MAX,
                        };
                        bad.insert(
                            format!("figures.{}", f.as_str()),
                            (e.message_vi(), e.message_en()),
                        );
                    }
                }
            }
            let text = note
                .cast::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .filter(|t| !t.trim().is_empty());
            let req = AnnualReportRequest {
                year: report_year,
                figures,
                note: text,
            };
            if let Err(errs) = req.check() {
                for fe in errs {
                    bad.entry(fe.field.clone())
                        .or_insert((fe.error.message_vi(), fe.error.message_en()));
                }
            }
            if !bad.is_empty() {
                errors.set(bad);
                return;
            }
            errors.set(FieldErrors::new());
            busy.set(true);
            let (auth, errors, sent, busy, unit) = (
                auth.clone(),
                errors.clone(),
                sent.clone(),
                busy.clone(),
                unit.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/units/{unit}/annual-reports");
                match auth.post::<_, AnnualReport>(&url, &req).await {
                    Ok(r) => sent.set(Some(r)),
                    Err(e) => errors.set(field_errors(&e)),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <section class="annual-send" data-testid="annual-send">
            <h3>
                { s(lang, Msg::AnnualSendTitle) }
                if let Some(y) = *year { { format!(" {y}") } }
            </h3>
            <p class="hint">{ s(lang, Msg::AnnualSendHint) }</p>
            <form onsubmit={submit} novalidate=true>
                { for EnteredFigure::ALL.iter().enumerate().map(|(i, f)| {
                    let id = format!("figure-{}", f.as_str());
                    let field = format!("figures.{}", f.as_str());
                    html! {
                        <div class="field">
                            <label for={id.clone()}>{ label(lang, *f) }</label>
                            <input id={id} type="text" inputmode="numeric" value={values[i].clone()}
                                aria-invalid={errors.contains_key(&field).to_string()}
                                oninput={on_input(i)} />
                            { field_error(lang, &errors, &field) }
                        </div>
                    }
                }) }
                <div class="field">
                    <label for="annual-note">{ s(lang, Msg::AnnualNote) }</label>
                    <textarea id="annual-note" ref={note} rows="3" />
                    { field_error(lang, &errors, "note") }
                </div>
                { field_error(lang, &errors, "form") }
                <button class="primary" type="submit" disabled={*busy || year.is_none()} data-testid="annual-send-button">
                    { s(lang, Msg::AnnualSend) }
                </button>
            </form>
            if let Some(r) = &*sent {
                <p class="notice" role="status" data-testid="annual-sent">
                    { s(lang, Msg::AnnualSent) }{ format!(" {} · ", r.version) }
                    <span class={state_class(r.state)}>{ label(lang, r.state) }</span>
                    { format!(" · {} {}", s(lang, Msg::AnnualDue), day(r.due_on)) }
                </p>
            }
            if let Some(y) = *year {
                <Sent unit={unit.clone()} year={y} latest={sent.as_ref().map(|r| r.version)} />
            }
        </section>
    }
}

/// The province's board: every commune with its state, the first sending, and the report to
/// open.
#[function_component(Board)]
pub fn board() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(province) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let data = use_state(|| Load::<SubmissionBoard>::Loading);
    {
        let (auth, data) = (auth.clone(), data.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                // This year by the server's clock.
                let url = format!("/api/v1/provinces/{province}/annual-reports");
                data.set(match auth.get::<SubmissionBoard>(&url).await {
                    Ok(b) => Load::Ready(b),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
        });
    }
    let error = use_state(|| None::<String>);
    let open = |id: String, name: String, ext: &'static str| {
        open_report(&auth, (id, name, ext), &error, lang)
    };
    let body = match &*data {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(b) => {
            let year = b.year;
            let count = |st: SubmissionState| b.lines.iter().filter(|l| l.state == st).count();
            html! {
                <>
                    <p data-testid="annual-summary">
                        { format!("{} {} · ", s(lang, Msg::AnnualDue), day(b.due_on)) }
                        { for [SubmissionState::OnTime, SubmissionState::Late, SubmissionState::Overdue, SubmissionState::NotYet]
                            .into_iter().filter(|st| count(*st) > 0).map(|st| html! {
                                <span class={state_class(st)}>{ format!("{}: {} ", label(lang, st), count(st)) }</span>
                            }) }
                    </p>
                    <table class="grid" tabindex="0" data-testid="annual-board">
                        <thead><tr>
                            <th scope="col">{ s(lang, Msg::Unit) }</th>
                            <th scope="col">{ s(lang, Msg::Status) }</th>
                            <th scope="col">{ s(lang, Msg::AnnualFirstSent) }</th>
                            <th scope="col">{ s(lang, Msg::AnnualReport) }</th>
                        </tr></thead>
                        <tbody>
                            { for b.lines.iter().map(|l| html! {
                                <tr data-unit={l.unit_code.clone()}>
                                    <th scope="row"><span data-data="">{ l.unit_name.clone() }</span></th>
                                    <td class={state_class(l.state)}>{ label(lang, l.state) }</td>
                                    <td>{ l.first_sent_at.map(vn_time).unwrap_or_else(|| "—".into()) }</td>
                                    <td>
                                        if let Some(id) = &l.latest_id {
                                            <button class="link" onclick={open(id.clone(), format!("bao-cao-nam-{}-{year}-v{}", l.unit_code, l.versions), "xlsx")}>
                                                { format!("XLSX (v{})", l.versions) }
                                            </button>
                                            { " · " }
                                            <button class="link" onclick={open(id.clone(), format!("bao-cao-nam-{}-{year}-v{}", l.unit_code, l.versions), "pdf")}>
                                                { format!("PDF (v{})", l.versions) }
                                            </button>
                                        } else {
                                            { "—" }
                                        }
                                    </td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </>
            }
        }
    };
    html! {
        <section data-testid="annual-reports">
            <h3>{ s(lang, Msg::AnnualBoardTitle) }</h3>
            { body }
            { open_error(&error) }
        </section>
    }
}
