//! The province's plans: every version (drafts, published, and those made for a former province
//! that merged into it), a draft written target by target and checked by the same `shared`
//! parser the server runs, and publishing — after which a plan is never edited, and a new version
//! takes over from its first period.

use bvantq_shared::ValidationError;
use bvantq_shared::plan::versions::{self, PlanRequest, PlanStatus, PlanVersion, TargetRequest};
use bvantq_shared::plan::{Group, Metric};
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::helpers::{Ctx, Load, failure, field_errors, pick_owned, select_value, vn_today};
use crate::strings::{Msg, label, pick, s};

fn blank_target() -> TargetRequest {
    TargetRequest {
        metric: Metric::SafePercent.as_str().into(),
        group: Group::Commune.as_str().into(),
        ..Default::default()
    }
}

/// A draft to start from: the next five periods, one target.
fn blank_plan() -> PlanRequest {
    let y = bvantq_shared::chrono::Datelike::year(&vn_today());
    PlanRequest {
        from_period: y,
        to_period: y + 4,
        targets: vec![blank_target()],
        ..Default::default()
    }
}

fn as_request(v: &PlanVersion) -> PlanRequest {
    PlanRequest {
        title_vi: v.plan.title_vi.clone(),
        title_en: v.plan.title_en.clone(),
        source: v.source.clone(),
        from_period: v.plan.from_period,
        to_period: v.plan.to_period,
        supersedes: v.supersedes.clone(),
        targets: v
            .plan
            .targets
            .iter()
            .map(|t| TargetRequest {
                metric: t.metric.as_str().into(),
                group: t.group.as_str().into(),
                min: t.min,
                max: t.max,
                of_safe: t.of_safe,
                label_vi: t.label_vi.clone(),
                label_en: t.label_en.clone(),
            })
            .collect(),
    }
}

#[derive(Properties, PartialEq)]
pub struct PlansProps {
    /// A plan was published: the results above read the plan in force again.
    pub on_published: Callback<()>,
}

#[function_component(Plans)]
pub fn plans(props: &PlansProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let Some(province) = auth.me().map(|m| m.scope_unit) else {
        return html! {};
    };
    let list = use_state(|| Load::<Vec<PlanVersion>>::Loading);
    let reload = use_state(|| 0u32);
    // The draft being written: (its id once saved, the request).
    let editing = use_state(|| None::<(Option<String>, PlanRequest)>);
    let errors = use_state(FieldErrors::new);
    {
        let (auth, list, province) = (auth.clone(), list.clone(), province.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let url = format!("/api/v1/provinces/{province}/plans");
                list.set(match auth.get::<Vec<PlanVersion>>(&url).await {
                    Ok(v) => Load::Ready(v),
                    Err(e) => Load::Failed(failure(lang, &e)),
                });
            });
        });
    }
    let publish = |id: String| {
        let (auth, reload, errors) = (auth.clone(), reload.clone(), errors.clone());
        let published = props.on_published.clone();
        Callback::from(move |_| {
            let ok = web_sys::window()
                .and_then(|w| {
                    w.confirm_with_message(s(lang, Msg::PlanPublishConfirm))
                        .ok()
                })
                .unwrap_or(false);
            if !ok {
                return;
            }
            let (auth, reload, errors, id) =
                (auth.clone(), reload.clone(), errors.clone(), id.clone());
            let published = published.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match auth
                    .post::<_, PlanVersion>(&format!("/api/v1/plans/{id}/publish"), &())
                    .await
                {
                    Ok(_) => {
                        reload.set(*reload + 1);
                        published.emit(());
                    }
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let edit = |v: Option<&PlanVersion>| {
        let editing = editing.clone();
        let start = v.map_or_else(
            || (None, blank_plan()),
            |v| (Some(v.plan.id.clone()), as_request(v)),
        );
        Callback::from(move |_| editing.set(Some(start.clone())))
    };
    let versions = match &*list {
        Load::Loading => html! { <p class="muted">{ s(lang, Msg::Loading) }</p> },
        Load::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
        Load::Ready(v) if v.is_empty() => html! { <p class="muted">{ s(lang, Msg::NoPlans) }</p> },
        Load::Ready(v) => html! {
            <ul class="plans" data-testid="plans">
                { for v.iter().map(|p| html! {
                    <li>
                        <strong data-data="">{ pick_owned(lang, &p.plan.title_vi, &p.plan.title_en) }</strong>
                        <span class="row-meta">
                            { format!("{}–{}", p.plan.from_period, p.plan.to_period) }
                            { " · " }<span data-testid="plan-status">{ label(lang, p.status) }</span>
                            if p.inherited { { " · " }{ s(lang, Msg::PlanInherited) } }
                            if let Some(src) = &p.source { { " · " }<span data-data="">{ src.clone() }</span> }
                        </span>
                        if p.status == PlanStatus::Draft && !p.inherited {
                            <span class="actions">
                                <button class="secondary" onclick={edit(Some(p))}>{ s(lang, Msg::PlanEdit) }</button>
                                <button class="primary" onclick={publish(p.plan.id.clone())}>{ s(lang, Msg::PlanPublish) }</button>
                            </span>
                        }
                    </li>
                }) }
            </ul>
        },
    };
    let superseding: Vec<(String, String)> = match &*list {
        Load::Ready(v) => v
            .iter()
            .filter(|p| p.status == PlanStatus::Published && !p.inherited)
            .map(|p| {
                (
                    p.plan.id.clone(),
                    pick_owned(lang, &p.plan.title_vi, &p.plan.title_en),
                )
            })
            .collect(),
        _ => Vec::new(),
    };
    html! {
        <section class="plan-desk" data-testid="plan-desk">
            <h3>{ s(lang, Msg::PlansTitle) }</h3>
            <p class="hint">{ s(lang, Msg::PlansHint) }</p>
            { versions }
            { field_error(lang, &errors, "form") }
            if let Some((id, req)) = (*editing).clone() {
                <Editor {id} {req} {province} {superseding}
                    on_done={{
                        let (editing, reload) = (editing.clone(), reload.clone());
                        Callback::from(move |_| { editing.set(None); reload.set(*reload + 1); })
                    }} />
            } else {
                <button class="secondary" onclick={edit(None)} data-testid="new-plan">{ s(lang, Msg::PlanNew) }</button>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    id: Option<String>,
    req: PlanRequest,
    province: String,
    superseding: Vec<(String, String)>,
    on_done: Callback<()>,
}

#[function_component(Editor)]
fn editor(props: &EditorProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let req = use_state(|| props.req.clone());
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let change = |f: fn(&mut PlanRequest, String)| {
        let req = req.clone();
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            let mut r = (*req).clone();
            f(&mut r, i.value());
            req.set(r);
        })
    };
    // Figures typed that do not read as numbers: named on their field (never taken as 0 or as
    // blank), and the draft is not sent while any is.
    let typos = use_state(FieldErrors::new);
    let year = bvantq_shared::chrono::Datelike::year(&vn_today());
    let period = |field: &'static str, f: fn(&mut PlanRequest, i32)| {
        let (req, typos) = (req.clone(), typos.clone());
        Callback::from(move |e: InputEvent| {
            let i: HtmlInputElement = e.target_unchecked_into();
            let mut t = (*typos).clone();
            match i.value().trim().parse::<i32>() {
                Ok(y) => {
                    let mut r = (*req).clone();
                    f(&mut r, y);
                    req.set(r);
                    t.remove(field);
                }
                Err(_) => {
                    let e = ValidationError::OutOfRange {
                        min: i64::from(year - versions::MAX_PLAN_YEARS),
                        max: i64::from(year + versions::MAX_PLAN_YEARS),
                    };
                    t.insert(field.into(), (e.message_vi(), e.message_en()));
                }
            }
            typos.set(t);
        })
    };
    let figure_input = |i: usize, field: String, f: fn(&mut TargetRequest, Option<f64>)| {
        let (req, typos) = (req.clone(), typos.clone());
        Callback::from(move |e: InputEvent| {
            let raw = e.target_unchecked_into::<HtmlInputElement>().value();
            let raw = raw.trim().replace(',', ".");
            let mut t = (*typos).clone();
            let value = if raw.is_empty() {
                Ok(None)
            } else {
                raw.parse::<f64>().map(Some)
            };
            match value {
                Ok(v) => {
                    let mut r = (*req).clone();
                    if let Some(x) = r.targets.get_mut(i) {
                        f(x, v);
                    }
                    req.set(r);
                    t.remove(&field);
                }
                Err(_) => {
                    let e = ValidationError::OutOfRange { min: 0, max: 100 };
                    t.insert(field.clone(), (e.message_vi(), e.message_en()));
                }
            }
            typos.set(t);
        })
    };
    let target = |i: usize, f: fn(&mut TargetRequest, String)| {
        let req = req.clone();
        move |v: String| {
            let mut r = (*req).clone();
            if let Some(t) = r.targets.get_mut(i) {
                f(t, v);
            }
            req.set(r);
        }
    };
    let save = {
        let (auth, req, errors, busy, done) = (
            auth.clone(),
            req.clone(),
            errors.clone(),
            busy.clone(),
            props.on_done.clone(),
        );
        let (id, province) = (props.id.clone(), props.province.clone());
        let typos = typos.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !typos.is_empty() {
                errors.set((*typos).clone());
                return;
            }
            if let Err(errs) = req.parse(year) {
                errors.set(from_local(&errs));
                return;
            }
            let (auth, body, errors, busy, done, id, province) = (
                auth.clone(),
                (*req).clone(),
                errors.clone(),
                busy.clone(),
                done.clone(),
                id.clone(),
                province.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let r = match id {
                    Some(id) => {
                        auth.put::<_, PlanVersion>(&format!("/api/v1/plans/{id}"), &body)
                            .await
                    }
                    None => {
                        auth.post::<_, PlanVersion>(
                            &format!("/api/v1/provinces/{province}/plans"),
                            &body,
                        )
                        .await
                    }
                };
                busy.set(false);
                match r {
                    Ok(_) => done.emit(()),
                    Err(e) => errors.set(field_errors(&e)),
                }
            });
        })
    };
    let err = |f: &str| {
        if typos.contains_key(f) {
            field_error(lang, &typos, f)
        } else {
            field_error(lang, &errors, f)
        }
    };
    let add = {
        let req = req.clone();
        Callback::from(move |_| {
            let mut r = (*req).clone();
            r.targets.push(blank_target());
            req.set(r);
        })
    };
    let cancel = {
        let done = props.on_done.clone();
        Callback::from(move |_| done.emit(()))
    };
    let figure = |v: Option<f64>| v.map_or_else(String::new, |x| x.to_string());
    html! {
        <form class="plan-editor" novalidate=true onsubmit={save} data-testid="plan-editor">
            { err("form") }
            <label for="plan-title-vi">{ s(lang, Msg::PlanTitleVi) }</label>
            <input id="plan-title-vi" type="text" value={req.title_vi.clone()} oninput={change(|r, v| r.title_vi = v)} />
            { err("title_vi") }
            <label for="plan-title-en">{ s(lang, Msg::PlanTitleEn) }</label>
            <input id="plan-title-en" type="text" value={req.title_en.clone()} oninput={change(|r, v| r.title_en = v)} />
            { err("title_en") }
            <label for="plan-source">{ s(lang, Msg::PlanSource) }</label>
            <input id="plan-source" type="text" value={req.source.clone().unwrap_or_default()}
                oninput={change(|r, v| r.source = Some(v).filter(|s| !s.trim().is_empty()))} />
            { err("source") }
            <div class="periods">
                <label for="plan-from">{ s(lang, Msg::PlanFrom) }</label>
                <input id="plan-from" type="number" inputmode="numeric" value={req.from_period.to_string()}
                    oninput={period("from_period", |r, y| r.from_period = y)} />
                { err("from_period") }
                <label for="plan-to">{ s(lang, Msg::PlanTo) }</label>
                <input id="plan-to" type="number" inputmode="numeric" value={req.to_period.to_string()}
                    oninput={period("to_period", |r, y| r.to_period = y)} />
                { err("to_period") }
            </div>
            if !props.superseding.is_empty() {
                <label for="plan-supersedes">{ s(lang, Msg::PlanSupersedes) }</label>
                <select id="plan-supersedes" onchange={{
                    let req = req.clone();
                    Callback::from(move |e: Event| {
                        let mut r = (*req).clone();
                        r.supersedes = Some(select_value(&e)).filter(|s| !s.is_empty());
                        req.set(r);
                    })
                }}>
                    <option value="">{ s(lang, Msg::PlanSupersedesNone) }</option>
                    { for props.superseding.iter().map(|(id, title)| html! {
                        <option value={id.clone()} selected={req.supersedes.as_deref() == Some(id.as_str())}>{ title.clone() }</option>
                    }) }
                </select>
                { err("supersedes") }
            }
            <h4>{ s(lang, Msg::Targets) }</h4>
            { err("targets") }
            { for req.targets.iter().enumerate().map(|(i, t)| {
                let f = |n: &str| format!("targets.{i}.{n}");
                // A manual target counts no group of units and the tips on time all tips: their
                // group is "all"; a team target counts residential areas.
                let set_metric = target(i, |t, v| {
                    if v == Metric::Manual.as_str() || v == Metric::TipsOnTimePercent.as_str() {
                        t.group = Group::All.as_str().into();
                    } else if v == Metric::TeamPercent.as_str() {
                        t.group = Group::ResidentialArea.as_str().into();
                    }
                    t.metric = v;
                });
                let manual = t.metric == Metric::Manual.as_str();
                let set_label_vi = target(i, |t, v| t.label_vi = Some(v));
                let set_label_en = target(i, |t, v| t.label_en = Some(v));
                let text = |set: Box<dyn Fn(String)>| {
                    Callback::from(move |e: InputEvent| set(e.target_unchecked_into::<HtmlInputElement>().value()))
                };
                let set_group = target(i, |t, v| t.group = v);
                let set_min = figure_input(i, f("min"), |t, v| t.min = v);
                let set_max = figure_input(i, f("max"), |t, v| t.max = v);
                let set_safe = target(i, |t, v| t.of_safe = v == "true");
                let remove = {
                    let req = req.clone();
                    Callback::from(move |_| {
                        let mut r = (*req).clone();
                        r.targets.remove(i);
                        req.set(r);
                    })
                };
                html! {
                    <fieldset class="target" data-testid={format!("target-{i}")}>
                        <legend>{ format!("{} {}", s(lang, Msg::Target), i + 1) }</legend>
                        <label for={f("metric")}>{ s(lang, Msg::PlanMetric) }</label>
                        <select id={f("metric")} onchange={Callback::from(move |e: Event| set_metric(select_value(&e)))}>
                            { for Metric::ALL.iter().map(|m| html! {
                                <option value={m.as_str()} selected={t.metric == m.as_str()}>{ pick(lang, m.label_vi(), m.label_en()) }</option>
                            }) }
                        </select>
                        { err(&f("metric")) }
                        if manual {
                            <p class="hint">{ s(lang, Msg::PlanManualHint) }</p>
                            <label for={f("label_vi")}>{ s(lang, Msg::PlanLabelVi) }</label>
                            <input id={f("label_vi")} type="text" value={t.label_vi.clone()}
                                oninput={text(Box::new(set_label_vi))} />
                            { err(&f("label_vi")) }
                            <label for={f("label_en")}>{ s(lang, Msg::PlanLabelEn) }</label>
                            <input id={f("label_en")} type="text" value={t.label_en.clone()}
                                oninput={text(Box::new(set_label_en))} />
                            { err(&f("label_en")) }
                        } else {
                            <label for={f("group")}>{ s(lang, Msg::Group) }</label>
                            <select id={f("group")} onchange={Callback::from(move |e: Event| set_group(select_value(&e)))}>
                                { for Group::ALL.iter().map(|g| html! {
                                    <option value={g.as_str()} selected={t.group == g.as_str()}>{ pick(lang, g.label_vi(), g.label_en()) }</option>
                                }) }
                            </select>
                        }
                        { err(&f("group")) }
                        <label for={f("min")}>{ s(lang, Msg::PlanMin) }</label>
                        <input id={f("min")} type="text" inputmode="decimal" value={figure(t.min)}
                            oninput={set_min} />
                        { err(&f("min")) }
                        <label for={f("max")}>{ s(lang, Msg::PlanMax) }</label>
                        <input id={f("max")} type="text" inputmode="decimal" value={figure(t.max)}
                            oninput={set_max} />
                        { err(&f("max")) }
                        if !manual {
                            <div class="check">
                                <input type="checkbox" id={f("of_safe")} checked={t.of_safe}
                                    onchange={Callback::from(move |e: Event| set_safe(e.target_unchecked_into::<HtmlInputElement>().checked().to_string()))} />
                                <label for={f("of_safe")}>{ s(lang, Msg::PlanOfSafe) }</label>
                            </div>
                        }
                        <button type="button" class="back" onclick={remove}>{ s(lang, Msg::PlanRemoveTarget) }</button>
                    </fieldset>
                }
            }) }
            <button type="button" class="secondary" onclick={add}>{ s(lang, Msg::PlanAddTarget) }</button>
            <div class="actions">
                <button type="submit" class="primary" disabled={*busy}>{ s(lang, Msg::PlanSave) }</button>
                <button type="button" class="secondary" onclick={cancel}>{ s(lang, Msg::Cancel) }</button>
            </div>
        </form>
    }
}
