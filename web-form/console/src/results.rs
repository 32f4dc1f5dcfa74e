//! Results against the plan: for a unit of the officer's scope and a period, the assessment
//! results by group and class, pledge coverage per audience and overdue tips, each target beside
//! the figure (`/api/v1/dashboard`), for the unit and each child — a child opens its own page —
//! and the November report as XLSX or CSV.

use crate::strings::Msg;
use bvantq_shared::Classification;
use bvantq_shared::plan::{Dashboard, DashboardRow, GroupLine, PledgeLine};
use wasm_bindgen::JsCast;
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, pick_owned, select_value};
use crate::strings::{pick, s};

/// A figure as each language writes it: `97,5` in Vietnamese, `97.5` in English.
pub(crate) fn number(lang: Lang, v: f64) -> String {
    bvantq_shared::plan::figure(v, lang == Lang::Vi)
}

pub(crate) fn percent(lang: Lang, v: Option<f64>) -> String {
    bvantq_shared::plan::percent_text(v, lang == Lang::Vi)
}

fn class_label(lang: Lang, c: Classification) -> &'static str {
    pick(lang, c.label_vi(), c.label_en())
}

/// Saves `bytes` as a file named `name` (the browser's download).
pub(crate) fn download(bytes: &[u8], name: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence(&parts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[derive(Properties, PartialEq, Clone, Default)]
pub struct ResultsProps {
    /// The unit to open first (code, name) instead of the officer's scope unit: a school the
    /// education department chose from its board.
    #[prop_or_default]
    pub root: Option<(String, String)>,
}

#[function_component(Results)]
pub fn results(props: &ResultsProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    // The units opened, from the officer's scope unit (or the root given) down: the last one is
    // shown.
    let trail = {
        let root = props.root.clone();
        use_state(move || root.into_iter().collect::<Vec<(String, String)>>())
    };
    let period = use_state(|| None::<i32>);
    let data = use_state(|| Load::<Box<Dashboard>>::Loading);
    let busy = use_state(|| false);
    // Why the last report download failed, said under the buttons (never dropped silently).
    let report_error = use_state(|| None::<String>);
    // Bumped when the province publishes a plan or a unit is added: the page is read again in
    // place (the figures shown until the new ones arrive).
    let refresh = use_state(|| 0u32);
    let unit = trail.last().map(|(c, _)| c.clone());
    // The unit and period last shown: only a change of either shows "loading".
    let shown = use_mut_ref(|| None::<(Option<String>, Option<i32>)>);
    {
        let (auth, data) = (auth.clone(), data.clone());
        use_effect_with(
            (unit.clone(), *period, *refresh),
            move |(unit, period, _)| {
                let mut q = Vec::new();
                if let Some(u) = unit {
                    q.push(format!("unit={u}"));
                }
                if let Some(p) = period {
                    q.push(format!("period={p}"));
                }
                let url = format!("/api/v1/dashboard?{}", q.join("&"));
                let key = Some((unit.clone(), *period));
                if *shown.borrow() != key {
                    data.set(Load::Loading);
                    *shown.borrow_mut() = key;
                }
                wasm_bindgen_futures::spawn_local(async move {
                    match auth.get::<Dashboard>(&url).await {
                        Ok(d) => data.set(Load::Ready(Box::new(d))),
                        Err(e) => data.set(Load::Failed(failure(lang, &e))),
                    }
                });
            },
        );
    }
    let d = match &*data {
        Load::Loading => return html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => return html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(d) => d.clone(),
    };
    let open_child = |row: &DashboardRow| {
        let (trail, code, name) = (trail.clone(), row.unit_code.clone(), row.unit_name.clone());
        let top = (d.unit.unit_code.clone(), d.unit.unit_name.clone());
        Callback::from(move |_| {
            let mut t = (*trail).clone();
            if t.is_empty() {
                t.push(top.clone());
            }
            t.push((code.clone(), name.clone()));
            trail.set(t);
        })
    };
    let up = {
        let trail = trail.clone();
        Callback::from(move |_| {
            let mut t = (*trail).clone();
            t.pop();
            trail.set(t);
        })
    };
    let on_period = {
        let period = period.clone();
        Callback::from(move |e: Event| period.set(select_value(&e).parse().ok()))
    };
    let report = |ext: &'static str| {
        let (auth, busy, report_error) = (auth.clone(), busy.clone(), report_error.clone());
        let (code, p) = (d.unit.unit_code.clone(), d.period);
        Callback::from(move |_| {
            let (auth, busy, code, report_error) = (
                auth.clone(),
                busy.clone(),
                code.clone(),
                report_error.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/dashboard/report.{ext}?unit={code}&period={p}");
                match auth.get_bytes(&url).await {
                    Ok(bytes) => {
                        report_error.set(None);
                        download(&bytes, &format!("bao-cao-{code}-{p}.{ext}"));
                    }
                    Err(e) => report_error.set(Some(failure(lang, &e))),
                }
                busy.set(false);
            });
        })
    };
    // The officer's own unit: where the sections of its work are kept.
    let at_top = trail.len() <= 1 && props.root.is_none();
    // The education department sees nothing of tips.
    let sees_tips = auth
        .me()
        .is_some_and(|m| m.role != bvantq_shared::Role::EducationOfficer);
    let u = &d.unit;
    let met = u.targets.iter().filter(|t| t.met).count();
    // The province's officers keep its plans (below its own results).
    // The province's officers enter the figures of its plan's own targets.
    let enters_figures = auth
        .me()
        .is_some_and(|m| m.role == bvantq_shared::Role::ProvinceOfficer);
    let keeps_plans = auth.me().is_some_and(|m| {
        matches!(
            m.role,
            bvantq_shared::Role::ProvinceOfficer | bvantq_shared::Role::Admin
        )
    });
    // A commune's police send its annual report.
    let sends_reports = auth.me().is_some_and(|m| {
        matches!(
            m.role,
            bvantq_shared::Role::WardOfficer | bvantq_shared::Role::CommuneHead
        )
    });
    // An agency's, enterprise's or school's account keeps its briefings.
    let keeps_briefings = auth.me().is_some_and(|m| {
        matches!(
            m.role,
            bvantq_shared::Role::SchoolAdmin | bvantq_shared::Role::OrgAdmin
        )
    });
    html! {
        <section class="results">
            if trail.len() > 1 {
                <button class="back" onclick={up}>{ s(lang, Msg::Up) }</button>
            }
            <h2 data-testid="results-title"><span data-data="">{ u.unit_name.clone() }</span></h2>
            <div class="toolbar">
                <label for="period">{ s(lang, Msg::Period) }</label>
                <select id="period" onchange={on_period}>
                    { for (d.period - 4..=d.period + 1).rev().map(|p| html! {
                        <option value={p.to_string()} selected={p == d.period}>{ p }</option>
                    }) }
                </select>
                <button class="secondary" onclick={report("xlsx")} disabled={*busy}>{ s(lang, Msg::ReportXlsx) }</button>
                <button class="secondary" onclick={report("pdf")} disabled={*busy} data-testid="report-pdf">{ s(lang, Msg::ReportPdf) }</button>
                <button class="secondary" onclick={report("csv")} disabled={*busy}>{ s(lang, Msg::ReportCsv) }</button>
            </div>
            if let Some(why) = &*report_error {
                <p class="error" role="alert" data-testid="report-error">{ why.clone() }</p>
            }
            <p class="hint">{ s(lang, Msg::PeriodHint) }</p>

            <h3>{ s(lang, Msg::Targets) }</h3>
            if let Some(plan) = &d.plan {
                <p data-testid="plan"><span data-data="">{ pick_owned(lang, &plan.title_vi, &plan.title_en) }</span>
                    { " — " }{ format!("{met}/{}", u.targets.len()) }{ " " }{ s(lang, Msg::TargetsMet) }</p>
                <table class="grid" tabindex="0" data-testid="targets">
                    <thead><tr>
                        <th scope="col">{ s(lang, Msg::Target) }</th>
                        <th scope="col">{ s(lang, Msg::PlanFigure) }</th>
                        <th scope="col">{ s(lang, Msg::Actual) }</th>
                        <th scope="col">{ s(lang, Msg::Result) }</th>
                    </tr></thead>
                    <tbody>
                        { for u.targets.iter().map(|t| html! {
                            <tr>
                                <th scope="row">{ pick_owned(lang, &t.label_vi, &t.label_en) }</th>
                                <td>{ t.target_text(lang == Lang::Vi) }</td>
                                <td>{ t.actual_text(lang == Lang::Vi) }</td>
                                <td class={if t.met { "met" } else { "not-met" }}>
                                    { s(lang, if t.met { Msg::Met } else { Msg::NotMet }) }
                                </td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                // The figures of the targets the plan words itself, entered by the province.
                if enters_figures {
                    { for u.targets.iter().filter(|t| t.metric == bvantq_shared::plan::Metric::Manual).map(|t| html! {
                        <crate::figures::FigureEntry
                            name={pick_owned(lang, &t.label_vi, &t.label_en)}
                            plan_id={plan.id.clone()} seq={t.seq} unit={u.unit_code.clone()}
                            period={d.period} current={t.actual}
                            on_saved={{
                                let refresh = refresh.clone();
                                Callback::from(move |_| refresh.set(*refresh + 1))
                            }} />
                    }) }
                }
            } else {
                <p class="muted" data-testid="no-plan">{ s(lang, Msg::NoPlan) }</p>
            }

            <h3>{ s(lang, Msg::Assessments) }</h3>
            { groups_table(lang, &u.groups, "groups") }

            <h3>{ s(lang, Msg::YearRecords) }</h3>
            { crate::deadlines::records(lang, &u.groups) }
            <h3>{ s(lang, Msg::Deadlines) }</h3>
            { crate::deadlines::deadlines(lang, &d.deadlines) }

            { crate::charts::classes(lang, &u.groups) }
            if let Some(plan) = &d.plan {
                <crate::charts::Years unit={u.unit_code.clone()} from={plan.from_period}
                    to={plan.to_period.min(d.period)} />
            }

            <h3>{ s(lang, Msg::Pledges) }</h3>
            { pledges_table(lang, &u.pledges, "pledges") }
            if sees_tips {
                <p>{ s(lang, Msg::TipsOverdue) }{ ": " }<strong>{ u.tips_overdue }</strong></p>
                <p data-testid="tips-year">
                    { s(lang, Msg::TipsYear) }{ format!(" {}: ", d.period) }
                    { format!("{} {}, ", u.tips.received, s(lang, Msg::TipsReceived)) }
                    { format!("{} {}, ", u.tips.transferred, s(lang, Msg::TipsTransferred)) }
                    { format!("{}/{} {} ({})", u.tips.on_time, u.tips.concluded, s(lang, Msg::TipsOnTime), percent(lang, u.tips.on_time_percent)) }
                </p>
            }

            if at_top {
                <crate::calendar::Calendar />
            }
            <h3>{ s(lang, Msg::Awards) }</h3>
            { crate::emulation::awards(lang, &d.awards) }
            <h3>{ s(lang, Msg::Recognitions) }</h3>
            { crate::assess::recognitions(lang, &d.recognitions) }
            if keeps_briefings && at_top {
                <crate::records::BriefingsDesk />
            }
            if at_top {
                <crate::units_desk::AddUnit parent_code={u.unit_code.clone()} parent_kind={u.unit_kind}
                    on_added={{
                        let refresh = refresh.clone();
                        Callback::from(move |_| refresh.set(*refresh + 1))
                    }} />
            }
            if sends_reports && at_top {
                <crate::annual::SendReport />
                <crate::emulation::UnitEmulation />
                <crate::festival::FestivalDesk />
                <crate::records::RecordsDesk key={*refresh} />
            }
            if keeps_plans && at_top {
                <crate::annual::Board />
                <crate::emulation::ProvinceEmulation />
            }
            if keeps_plans && at_top {
                <crate::plans::Plans on_published={{
                    let refresh = refresh.clone();
                    Callback::from(move |_| refresh.set(*refresh + 1))
                }} />
                <crate::criteria_sets::ProvinceSets />
            }
            if !d.children.is_empty() {
                <h3>{ s(lang, Msg::Children) }</h3>
                { crate::charts::coverage(lang, &d.children) }
                { rows_table(lang, &d.children, sees_tips, &open_child, "children") }
            }
        </section>
    }
}

/// The results of each group of units (those with units), with the classes.
pub(crate) fn groups_table(lang: Lang, groups: &[GroupLine], testid: &'static str) -> Html {
    html! {
        <table class="grid" tabindex="0" data-testid={testid}>
            <thead><tr>
                <th scope="col">{ s(lang, Msg::Group) }</th>
                <th scope="col">{ s(lang, Msg::Units) }</th>
                <th scope="col">{ s(lang, Msg::Safe) }</th>
                <th scope="col">{ s(lang, Msg::NotSafe) }</th>
                <th scope="col">{ s(lang, Msg::NotAssessed) }</th>
                <th scope="col">{ class_label(lang, Classification::XuatSac) }</th>
                <th scope="col">{ class_label(lang, Classification::Kha) }</th>
                <th scope="col">{ class_label(lang, Classification::TrungBinh) }</th>
                <th scope="col">{ class_label(lang, Classification::Yeu) }</th>
            </tr></thead>
            <tbody>
                { for groups.iter().filter(|g| g.counts.units > 0).map(|g| html! {
                    <tr>
                        <th scope="row">{ pick(lang, g.group.label_vi(), g.group.label_en()) }</th>
                        <td>{ g.counts.units }</td>
                        <td>{ g.counts.safe }{ " (" }{ percent(lang, g.safe_percent) }{ ")" }</td>
                        <td>{ g.counts.not_safe }</td>
                        <td>{ g.counts.not_assessed }</td>
                        <td>{ g.counts.xuat_sac }</td>
                        <td>{ g.counts.kha }</td>
                        <td>{ g.counts.trung_binh }</td>
                        <td>{ g.counts.yeu }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// Signed, expected and coverage per audience.
pub(crate) fn pledges_table(lang: Lang, pledges: &[PledgeLine], testid: &'static str) -> Html {
    html! {
        <table class="grid" tabindex="0" data-testid={testid}>
            <thead><tr>
                <th scope="col">{ s(lang, Msg::Audience) }</th>
                <th scope="col">{ s(lang, Msg::Signed) }</th>
                <th scope="col">{ s(lang, Msg::Expected) }</th>
                <th scope="col">{ s(lang, Msg::Coverage) }</th>
            </tr></thead>
            <tbody>
                { for pledges.iter().map(|p| html! {
                    <tr>
                        <th scope="row">{ pick(lang, p.audience.label_vi(), p.audience.label_en()) }</th>
                        <td>{ p.signed }</td>
                        <td>{ p.expected }</td>
                        <td>{ percent(lang, p.percent) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

/// One line per unit below (a commune, a province): safe share, pledges, overdue tips (for
/// those who see tips) and targets met; the unit's name opens it (`open`).
pub(crate) fn rows_table(
    lang: Lang,
    rows: &[DashboardRow],
    sees_tips: bool,
    open: &dyn Fn(&DashboardRow) -> Callback<MouseEvent>,
    testid: &'static str,
) -> Html {
    html! {
        <table class="grid" tabindex="0" data-testid={testid}>
            <thead><tr>
                <th scope="col">{ s(lang, Msg::Unit) }</th>
                <th scope="col">{ s(lang, Msg::SafeAll) }</th>
                <th scope="col">{ s(lang, Msg::Pledged) }</th>
                if sees_tips {
                    <th scope="col">{ s(lang, Msg::TipsOverdue) }</th>
                }
                <th scope="col">{ s(lang, Msg::TargetsMet) }</th>
            </tr></thead>
            <tbody>
                { for rows.iter().map(|c| {
                    let all = c.group(bvantq_shared::plan::Group::All);
                    let pledged = c.pledges.iter().map(|p| p.signed).sum::<i64>();
                    let expected = c.pledges.iter().map(|p| p.expected).sum::<i64>();
                    let met = c.targets.iter().filter(|t| t.met).count();
                    html! {
                        <tr data-testid={format!("row-{}", c.unit_code)}>
                            <th scope="row">
                                <button class="link" onclick={open(c)}>
                                    <span data-data="">{ c.unit_name.clone() }</span>
                                </button>
                            </th>
                            <td>{ all.map_or_else(|| "—".to_string(), |g| percent(lang, g.safe_percent)) }</td>
                            <td>{ format!("{pledged}/{expected}") }</td>
                            if sees_tips {
                                <td>{ c.tips_overdue }</td>
                            }
                            <td>{ if c.targets.is_empty() { "—".to_string() } else { format!("{met}/{}", c.targets.len()) } }</td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
