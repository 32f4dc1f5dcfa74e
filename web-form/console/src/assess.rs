//! Assessments (đánh giá, phân loại): a unit of the officer's scope and a period; the TT 124
//! criteria answered pass / fail with the platform's evidence beside them (an answer against it
//! needs a reason), the scorecard, and the outcome computed live by the same pure function the
//! server scores with; save, submit, and for the parent unit's officer approve or return with
//! comments.

use bvantq_shared::api::{UnitDetail, UnitPage};
use bvantq_shared::assessment::{
    ASSESSED_KINDS, Answers, AssessmentDto, CriteriaSet, CriterionAnswer, ReviewRequest,
    SaveAssessmentRequest, check_draft, check_overrides, score, with_evidence,
};
use bvantq_shared::{AssessmentStatus, UnitKind};
use wasm_bindgen::JsCast;
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use web_form::request::RequestError;
use yew::prelude::*;

use crate::api::AuthHandle;
use crate::strings::{label, pick, s};
use crate::{Ctx, failure, field_errors, pick_owned, select_value, vn_time};

#[derive(Debug, Clone, PartialEq)]
struct Pick {
    code: String,
    name: String,
    kind: UnitKind,
}

/// The units an officer assesses or reviews: their scope unit if it is assessed, and the
/// assessed units right below it.
async fn assessable(auth: &AuthHandle) -> Result<Vec<Pick>, RequestError> {
    let Some(me) = auth.me() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let scope: UnitDetail = auth
        .get(&format!("/api/v1/units/{}", me.scope_unit))
        .await?;
    if ASSESSED_KINDS.contains(&scope.unit.kind) {
        out.push(Pick {
            code: scope.unit.code,
            name: scope.unit.full_name,
            kind: scope.unit.kind,
        });
    }
    let below: UnitPage = auth
        .get(&format!(
            "/api/v1/units?parent={}&limit=1000",
            me.scope_unit
        ))
        .await?;
    out.extend(
        below
            .items
            .into_iter()
            .filter(|u| u.current && ASSESSED_KINDS.contains(&u.kind))
            .map(|u| Pick {
                code: u.code,
                name: u.full_name,
                kind: u.kind,
            }),
    );
    Ok(out)
}

fn this_year() -> i32 {
    js_sys::Date::new_0().get_full_year() as i32
}

#[function_component(Assessments)]
pub fn assessments() -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let units = use_state(|| None::<Result<Vec<Pick>, String>>);
    let chosen = use_state(|| None::<Pick>);
    let period = use_state(this_year);
    {
        let (auth, units) = (auth.clone(), units.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let got = assessable(&auth).await;
                units.set(Some(got.map_err(|e| failure(lang, &e))));
            });
        });
    }
    if let Some(p) = (*chosen).clone() {
        let back = {
            let chosen = chosen.clone();
            Callback::from(move |_| chosen.set(None))
        };
        return html! {
            <section class="assessment">
                <button class="back" onclick={back}>{ s(lang, "back_units") }</button>
                <AssessmentView code={p.code} name={p.name} period={*period} />
            </section>
        };
    }
    let on_period = {
        let period = period.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = select_value(&e).parse() {
                period.set(v);
            }
        })
    };
    let now = this_year();
    html! {
        <section class="assessments">
            <h2>{ s(lang, "assessments_title") }</h2>
            <div class="toolbar">
                <label for="assess-period">{ s(lang, "period") }</label>
                <select id="assess-period" onchange={on_period}>
                    { for (now - 3..=now + 1).rev().map(|y| html! {
                        <option value={y.to_string()} selected={y == *period}>{ y }</option>
                    }) }
                </select>
            </div>
            <p class="hint">{ s(lang, "period_hint") }</p>
            {
                match &*units {
                    None => html! { <p class="muted">{ s(lang, "loading") }</p> },
                    Some(Err(why)) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    Some(Ok(v)) if v.is_empty() => html! { <p class="muted">{ s(lang, "no_units") }</p> },
                    Some(Ok(v)) => html! {
                        <ul class="queue" data-testid="assess-units">
                            { for v.iter().map(|p| {
                                let onclick = {
                                    let (chosen, p) = (chosen.clone(), p.clone());
                                    Callback::from(move |_| chosen.set(Some(p.clone())))
                                };
                                html! {
                                    <li>
                                        <button class="tip-open" {onclick}>
                                            <span class="row-top">
                                                <strong data-data="">{ p.name.clone() }</strong>
                                                <span>{ pick(lang, p.kind.label_vi(), p.kind.label_en()) }</span>
                                            </span>
                                        </button>
                                    </li>
                                }
                            }) }
                        </ul>
                    },
                }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ViewProps {
    code: String,
    name: String,
    period: i32,
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Missing,
    Failed(String),
    Ready(Box<AssessmentDto>, Box<CriteriaSet>),
}

async fn load(auth: &AuthHandle, lang: Lang, code: &str, period: i32) -> Load {
    let url = format!("/api/v1/assessments/{code}/{period}");
    let d = match auth.get::<AssessmentDto>(&url).await {
        Ok(d) => d,
        Err(RequestError::Problem(p)) if p.status == 404 => return Load::Missing,
        Err(e) => return Load::Failed(failure(lang, &e)),
    };
    let sets_url = format!("/api/v1/criteria-sets?kind={}", d.unit_kind.as_str());
    match auth.get::<Vec<CriteriaSet>>(&sets_url).await {
        Ok(sets) => match sets.into_iter().find(|s| s.id == d.set_id) {
            Some(set) => Load::Ready(Box::new(d), Box::new(set)),
            None => Load::Failed(format!("{} {}", s(lang, "set_missing"), d.set_id)),
        },
        Err(e) => Load::Failed(failure(lang, &e)),
    }
}

#[function_component(AssessmentView)]
fn assessment_view(props: &ViewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    let data = use_state(|| Load::Loading);
    let answers = use_state(Answers::default);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let saved = use_state(|| false);
    let comment = use_node_ref();
    {
        let (auth, data, answers) = (auth.clone(), data.clone(), answers.clone());
        use_effect_with((props.code.clone(), props.period), move |(code, period)| {
            let (code, period) = (code.clone(), *period);
            data.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                let l = load(&auth, lang, &code, period).await;
                if let Load::Ready(d, _) = &l {
                    answers.set(d.answers.clone());
                }
                data.set(l);
            });
        });
    }
    let url = format!("/api/v1/assessments/{}/{}", props.code, props.period);
    // Sends `req` (a save, submit or review) and shows the assessment the server answers with.
    let send = {
        let (auth, data, answers, errors, busy, saved) = (
            auth.clone(),
            data.clone(),
            answers.clone(),
            errors.clone(),
            busy.clone(),
            saved.clone(),
        );
        move |action: &'static str, body: Option<serde_json::Value>| {
            let (auth, data, answers, errors, busy, saved) = (
                auth.clone(),
                data.clone(),
                answers.clone(),
                errors.clone(),
                busy.clone(),
                saved.clone(),
            );
            let url = url.clone();
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let set = match &*data {
                    Load::Ready(_, set) => Some(set.clone()),
                    _ => None,
                };
                let out = match (action, body) {
                    ("save", Some(b)) => auth.put::<_, AssessmentDto>(&url, &b).await,
                    ("submit", Some(b)) => match auth.put::<_, AssessmentDto>(&url, &b).await {
                        Ok(_) => {
                            auth.post::<_, AssessmentDto>(&format!("{url}/submit"), &())
                                .await
                        }
                        Err(e) => Err(e),
                    },
                    (other, b) => {
                        let b = b.unwrap_or(serde_json::Value::Null);
                        auth.post::<_, AssessmentDto>(&format!("{url}/{other}"), &b)
                            .await
                    }
                };
                match out {
                    Ok(d) => {
                        errors.set(FieldErrors::new());
                        saved.set(true);
                        answers.set(d.answers.clone());
                        let set = match set {
                            Some(s) if s.id == d.set_id => Some(s),
                            _ => None,
                        };
                        match set {
                            Some(s) => data.set(Load::Ready(Box::new(d), s)),
                            None => data.set(load(&auth, lang, &d.unit_code, d.period.year).await),
                        }
                    }
                    Err(e) => {
                        saved.set(false);
                        errors.set(field_errors(&e));
                    }
                }
                busy.set(false);
            });
        }
    };
    let heading = html! {
        <h2 data-testid="assess-title">
            <span data-data="">{ props.name.clone() }</span>{ " · " }{ s(lang, "period") }{ " " }{ props.period }
        </h2>
    };
    let (d, set) = match &*data {
        Load::Loading => {
            return html! { <>{ heading }<p class="muted">{ s(lang, "loading") }</p></> };
        }
        Load::Failed(why) => {
            return html! { <>{ heading }<p class="error" role="alert">{ why.clone() }</p></> };
        }
        Load::Missing => {
            let start = {
                let send = send.clone();
                Callback::from(move |_| {
                    let body = serde_json::to_value(SaveAssessmentRequest::default()).ok();
                    send("save", body);
                })
            };
            return html! {
                <>
                    { heading }
                    <p class="muted" data-testid="assess-missing">{ s(lang, "no_assessment") }</p>
                    <button class="secondary" onclick={start} disabled={*busy}>{ s(lang, "start_assessment") }</button>
                    <div aria-live="polite">{ field_error(lang, &errors, "form") }</div>
                </>
            };
        }
        Load::Ready(d, set) => (d.clone(), set.clone()),
    };
    let editable = matches!(d.status.as_str(), "draft" | "returned");
    let full = with_evidence(&answers, &d.evidence);
    let live = score(&set, &full);
    let set_answer = |code: String, passed: bool| {
        let answers = answers.clone();
        Callback::from(move |_| {
            let mut a = (*answers).clone();
            let e = a.criteria.entry(code.clone()).or_insert(CriterionAnswer {
                passed,
                note: None,
                override_reason: None,
            });
            e.passed = passed;
            answers.set(a);
        })
    };
    let set_text = |code: String, reason: bool| {
        let answers = answers.clone();
        Callback::from(move |e: InputEvent| {
            let Some(v) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
            else {
                return;
            };
            let mut a = (*answers).clone();
            if let Some(ans) = a.criteria.get_mut(&code) {
                let v = (!v.trim().is_empty()).then_some(v);
                if reason {
                    ans.override_reason = v;
                } else {
                    ans.note = v;
                }
                answers.set(a);
            }
        })
    };
    let set_points = |code: String| {
        let answers = answers.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default();
            let mut a = (*answers).clone();
            match v.trim().parse::<u32>() {
                Ok(p) => {
                    a.scores.insert(code.clone(), p);
                }
                Err(_) => {
                    a.scores.remove(&code);
                }
            }
            answers.set(a);
        })
    };
    let save = {
        let (send, answers, errors, evidence) = (
            send.clone(),
            answers.clone(),
            errors.clone(),
            d.evidence.clone(),
        );
        let set = set.clone();
        move |submit: bool| {
            let (send, answers, errors, evidence, set) = (
                send.clone(),
                answers.clone(),
                errors.clone(),
                evidence.clone(),
                set.clone(),
            );
            Callback::from(move |_| {
                let a = (*answers).clone();
                let mut problems = Vec::new();
                if let Err(e) = check_draft(&set, &a) {
                    problems.extend(e);
                }
                if let Err(e) = check_overrides(&a, &evidence) {
                    problems.extend(e);
                }
                if submit && let Err(e) = score(&set, &with_evidence(&a, &evidence)) {
                    problems.extend(e);
                }
                if !problems.is_empty() {
                    errors.set(from_local(&problems));
                    return;
                }
                let body = serde_json::to_value(SaveAssessmentRequest { answers: a }).ok();
                send(if submit { "submit" } else { "save" }, body);
            })
        }
    };
    let review = {
        let (send, comment) = (send.clone(), comment.clone());
        move |action: &'static str| {
            let (send, comment) = (send.clone(), comment.clone());
            Callback::from(move |_| {
                let text = comment
                    .cast::<web_sys::HtmlTextAreaElement>()
                    .map(|t| t.value())
                    .filter(|t| !t.trim().is_empty());
                let body = serde_json::to_value(ReviewRequest { comment: text }).ok();
                send(action, body);
            })
        }
    };
    let evidence_of = |code: &str| d.evidence.iter().find(|e| e.criterion == code);
    html! {
        <>
            { heading }
            <p data-testid="assess-status">
                { s(lang, "status") }{ ": " }<strong>{ label(lang, d.status) }</strong>
                { " · " }<span data-data="">{ pick_owned(lang, &set.title_vi, &set.title_en) }</span>
            </p>
            if let Some(c) = &d.review_comment {
                <p class="warning">{ s(lang, "review_comment") }{ ": " }<span data-data="">{ c.clone() }</span></p>
            }
            <h3>{ s(lang, "criteria") }</h3>
            <ol class="criteria">
                { for set.criteria.iter().map(|c| {
                    let a = answers.criteria.get(&c.code).cloned();
                    let ev = evidence_of(&c.code);
                    let filled = full.criteria.get(&c.code).map(|x| x.passed);
                    let against = matches!((ev.and_then(|e| e.passed), &a), (Some(x), Some(a)) if a.passed != x);
                    let name = format!("crit-{}", c.code);
                    let field = format!("criteria.{}", c.code);
                    let reason_field = format!("criteria.{}.override_reason", c.code);
                    html! {
                        <li class="criterion" data-criterion={c.code.clone()}>
                            <fieldset>
                                <legend><span data-data="">{ pick_owned(lang, &c.title_vi, &c.title_en) }</span></legend>
                                if !c.sub_items.is_empty() {
                                    <ul class="hint">{ for c.sub_items.iter().map(|x| html! { <li data-data="">{ x.clone() }</li> }) }</ul>
                                }
                                if let Some(e) = ev {
                                    <p class="evidence" data-testid={format!("evidence-{}", c.code)}>
                                        { s(lang, "evidence") }{ ": " }<span data-data="">{ e.value.clone() }</span>
                                        { " — " }<span data-data="">{ pick_owned(lang, &e.source_vi, &e.source_en) }</span>
                                        if let Some(p) = e.passed {
                                            { " → " }<strong>{ s(lang, if p { "passes" } else { "fails" }) }</strong>
                                        }
                                    </p>
                                }
                                <div class="choices">
                                    <div class="check">
                                        <input type="radio" id={format!("{name}-pass")} name={name.clone()}
                                            checked={filled == Some(true)} disabled={!editable}
                                            onchange={set_answer(c.code.clone(), true)} />
                                        <label for={format!("{name}-pass")}>{ s(lang, "passes") }</label>
                                    </div>
                                    <div class="check">
                                        <input type="radio" id={format!("{name}-fail")} name={name.clone()}
                                            checked={filled == Some(false)} disabled={!editable}
                                            onchange={set_answer(c.code.clone(), false)} />
                                        <label for={format!("{name}-fail")}>{ s(lang, "fails") }</label>
                                    </div>
                                </div>
                                { field_error(lang, &errors, &field) }
                                if a.is_some() && editable {
                                    <label for={format!("{name}-note")}>{ s(lang, "note_optional") }</label>
                                    <input id={format!("{name}-note")} disabled={!editable}
                                        value={a.as_ref().and_then(|x| x.note.clone()).unwrap_or_default()}
                                        oninput={set_text(c.code.clone(), false)} />
                                }
                                if against {
                                    <label for={format!("{name}-reason")}>{ s(lang, "override_reason") }</label>
                                    <input id={format!("{name}-reason")} disabled={!editable}
                                        value={a.as_ref().and_then(|x| x.override_reason.clone()).unwrap_or_default()}
                                        aria-invalid={errors.contains_key(&reason_field).to_string()}
                                        oninput={set_text(c.code.clone(), true)} />
                                    { field_error(lang, &errors, &reason_field) }
                                }
                            </fieldset>
                        </li>
                    }
                }) }
            </ol>

            <h3>{ s(lang, "scorecard") }</h3>
            <table class="grid scorecard">
                <thead><tr>
                    <th scope="col">{ s(lang, "item") }</th>
                    <th scope="col">{ s(lang, "max_points") }</th>
                    <th scope="col">{ s(lang, "points") }</th>
                </tr></thead>
                <tbody>
                    { for set.scorecard.iter().map(|i| {
                        let id = format!("score-{}", i.code);
                        let field = format!("scores.{}", i.code);
                        html! {
                            <tr>
                                <th scope="row"><label for={id.clone()} data-data="">{ pick_owned(lang, &i.title_vi, &i.title_en) }</label></th>
                                <td>{ i.max_points }</td>
                                <td>
                                    <input id={id} inputmode="numeric" class="points" disabled={!editable}
                                        value={answers.scores.get(&i.code).map(|p| p.to_string()).unwrap_or_default()}
                                        aria-invalid={errors.contains_key(&field).to_string()}
                                        oninput={set_points(i.code.clone())} />
                                    { field_error(lang, &errors, &field) }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>

            <div class="outcome" aria-live="polite" data-testid="assess-outcome">
                {
                    match &live {
                        Ok(o) => html! {
                            <p>
                                <strong class={if o.recognised { "met" } else { "not-met" }}>
                                    { s(lang, if o.recognised { "recognised" } else { "not_recognised" }) }
                                </strong>
                                { " · " }{ s(lang, "score") }{ ": " }{ o.score }{ "/100 · " }
                                { pick(lang, o.classification.label_vi(), o.classification.label_en()) }
                            </p>
                        },
                        Err(missing) => html! {
                            <p class="muted">{ s(lang, "incomplete") }{ " " }{ missing.len() }</p>
                        },
                    }
                }
            </div>

            <div aria-live="polite">
                { field_error(lang, &errors, "form") }
                { field_error(lang, &errors, "answers") }
                if *saved && errors.is_empty() {
                    <p class="muted" data-testid="assess-saved">{ s(lang, "done") }</p>
                }
            </div>
            if editable {
                <div class="toolbar">
                    <button class="secondary" onclick={save(false)} disabled={*busy}>{ s(lang, "save_draft") }</button>
                    <button class="primary" onclick={save(true)} disabled={*busy}>{ s(lang, "submit_review") }</button>
                </div>
            }
            if d.status == AssessmentStatus::Submitted {
                <div class="action review">
                    <h3>{ s(lang, "review") }</h3>
                    <p class="hint">{ s(lang, "review_hint") }</p>
                    <label for="review-comment">{ s(lang, "review_comment") }</label>
                    <textarea id="review-comment" ref={comment} rows="3" />
                    { field_error(lang, &errors, "comment") }
                    <div class="toolbar">
                        <button class="secondary" onclick={review("approve")} disabled={*busy}>{ s(lang, "approve") }</button>
                        <button class="secondary" onclick={review("return")} disabled={*busy}>{ s(lang, "return") }</button>
                    </div>
                </div>
            }
            <h3>{ s(lang, "history") }</h3>
            <ol class="history">
                { for d.history.iter().map(|e| html! {
                    <li>{ vn_time(e.at) }{ " · " }<span class="code" data-data="">{ e.action.as_str() }</span>
                        if let Some(c) = &e.comment {
                            { " · " }<span data-data="">{ c.clone() }</span>
                        }
                    </li>
                }) }
            </ol>
        </>
    }
}
