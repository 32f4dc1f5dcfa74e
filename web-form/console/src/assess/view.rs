//! One assessment: it loads with its criteria set, keeps the answers being edited, and sends a
//! save, a submission or a review, showing what the server answers with.

use bvantq_shared::assessment::{
    Answers, AssessmentDto, AssessmentEvent, CriteriaSet, EvidenceSource, ReviewRequest,
    SaveAssessmentRequest, check_draft, check_overrides, score, with_evidence,
};
use bvantq_shared::recognition::{Step, allows, authority, may_decide_own};
use bvantq_shared::{AssessmentStatus, Role, UnitKind};
use web_form::form::{FieldErrors, field_error, from_local};
use web_form::i18n::Lang;
use web_form::request::RequestError;
use yew::prelude::*;

use super::criteria::CriteriaList;
use super::review::{ReviewAction, ReviewForm, Reviewed};
use super::scorecard::{OutcomeLine, Scorecard};
use crate::api::AuthHandle;
use crate::helpers::{Ctx, failure, field_errors, pick_owned, vn_time};
use crate::strings::{Msg, label, pick, s};

#[derive(Properties, PartialEq)]
pub struct ViewProps {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub period: i32,
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
            None => Load::Failed(format!("{} {}", s(lang, Msg::SetMissing), d.set_id)),
        },
        Err(e) => Load::Failed(failure(lang, &e)),
    }
}

/// What the officer asks of the server.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Send {
    /// Store the answers (the first save creates the assessment).
    Save,
    /// Store the answers, then submit them for review.
    Submit,
    Review(ReviewAction),
}

async fn send(
    auth: &AuthHandle,
    url: &str,
    what: Send,
    body: serde_json::Value,
) -> Result<AssessmentDto, RequestError> {
    match what {
        Send::Save => auth.put(url, &body).await,
        Send::Submit => {
            auth.put::<_, AssessmentDto>(url, &body).await?;
            auth.post(&format!("{url}/submit"), &()).await
        }
        Send::Review(a) => auth.post(&format!("{url}/{}", a.path()), &body).await,
    }
}

#[function_component(AssessmentView)]
pub fn assessment_view(props: &ViewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let Some(auth) = use_context::<AuthHandle>() else {
        return html! {};
    };
    // Who is looking: what they may do follows TT 124 arts. 9–10 (`shared::recognition`).
    let me = auth.me();
    let data = use_state(|| Load::Loading);
    let answers = use_state(Answers::default);
    let errors = use_state(FieldErrors::new);
    let busy = use_state(|| false);
    let saved = use_state(|| false);
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
    // Sends a request and shows the assessment the server answers with.
    let request = {
        let auth = auth.clone();
        let (data, answers, errors, busy, saved) = (
            data.clone(),
            answers.clone(),
            errors.clone(),
            busy.clone(),
            saved.clone(),
        );
        let url = format!("/api/v1/assessments/{}/{}", props.code, props.period);
        Callback::from(move |(what, body): (Send, serde_json::Value)| {
            let (auth, data, answers, errors, busy, saved, url) = (
                auth.clone(),
                data.clone(),
                answers.clone(),
                errors.clone(),
                busy.clone(),
                saved.clone(),
                url.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let set = match &*data {
                    Load::Ready(_, set) => Some(set.clone()),
                    _ => None,
                };
                match send(&auth, &url, what, body).await {
                    Ok(d) => {
                        errors.set(FieldErrors::new());
                        saved.set(true);
                        answers.set(d.answers.clone());
                        match set.filter(|s| s.id == d.set_id) {
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
        })
    };
    let heading = html! {
        <h2 data-testid="assess-title">
            <span data-data="">{ props.name.clone() }</span>{ " · " }{ s(lang, Msg::Period) }{ " " }{ props.period }
        </h2>
    };
    let (d, set) = match &*data {
        Load::Loading => {
            return html! { <>{ heading }<p class="muted">{ s(lang, Msg::Loading) }</p></> };
        }
        Load::Failed(why) => {
            return html! { <>{ heading }<p class="error" role="alert">{ why.clone() }</p></> };
        }
        Load::Missing => {
            let may_start = me
                .as_ref()
                .is_some_and(|m| allows(m.role, props.kind, Step::Prepare));
            let start = request.reform(|_| {
                let body = serde_json::json!(SaveAssessmentRequest::default());
                (Send::Save, body)
            });
            return html! {
                <>
                    { heading }
                    <p class="muted" data-testid="assess-missing">{ s(lang, Msg::NoAssessment) }</p>
                    { authority_line(lang, props.kind) }
                    if may_start {
                        <button class="secondary" onclick={start} disabled={*busy}>{ s(lang, Msg::StartAssessment) }</button>
                    }
                    <div aria-live="polite">{ field_error(lang, &errors, "form") }</div>
                </>
            };
        }
        Load::Ready(d, set) => (d.clone(), set.clone()),
    };
    let editable = d.status.editable();
    // The same checks the server runs before a save (and, to submit, a complete scorecard).
    let save = |what: Send| {
        let (request, answers, errors) = (request.clone(), answers.clone(), errors.clone());
        let (set, evidence) = (set.clone(), d.evidence.clone());
        Callback::from(move |_| {
            let a = (*answers).clone();
            let mut problems = Vec::new();
            if let Err(e) = check_draft(&set, &a) {
                problems.extend(e);
            }
            if let Err(e) = check_overrides(&a, &evidence) {
                problems.extend(e);
            }
            if what == Send::Submit
                && let Err(e) = score(&set, &with_evidence(&a, &evidence))
            {
                problems.extend(e);
            }
            if problems.is_empty() {
                request.emit((
                    what,
                    serde_json::json!(SaveAssessmentRequest { answers: a }),
                ));
            } else {
                errors.set(from_local(&problems));
            }
        })
    };
    let on_review = {
        let (request, errors) = (request.clone(), errors.clone());
        Callback::from(
            move |(action, comment, decision): Reviewed| match decision {
                Ok(decision) => request.emit((
                    Send::Review(action),
                    serde_json::json!(ReviewRequest { comment, decision }),
                )),
                Err(e) => errors.set(from_local(&[e.on("decision.date")])),
            },
        )
    };
    let may = |step: Step| {
        me.as_ref()
            .is_some_and(|m| allows(m.role, d.unit_kind, step))
    };
    // Nobody reviews what they filled (the server refuses it too).
    let filled_by_me = me
        .as_ref()
        .is_some_and(|m| !may_decide_own(&filled_by(&d.history), &m.id));
    // A file attached: the assessment is read again in place (its files and history), keeping
    // the answers being typed and where the page stands.
    let attached = {
        let (auth, data) = (auth.clone(), data.clone());
        let (code, period) = (props.code.clone(), props.period);
        Callback::from(move |_| {
            let (auth, data, code) = (auth.clone(), data.clone(), code.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let l = load(&auth, lang, &code, period).await;
                if matches!(l, Load::Ready(..)) {
                    data.set(l);
                }
            });
        })
    };
    // The 70% criterion of an agency, enterprise or school counts its sub-units' titles,
    // which the unit declares here (arts. 6.5, 7.6).
    let declares_titles = set.criteria.iter().any(|c| {
        c.sources()
            .iter()
            .any(|(x, _)| *x == EvidenceSource::SubunitTitles)
    });
    let recognises = d.outcome.as_ref().is_some_and(|o| o.recognised);
    let live = score(&set, &with_evidence(&answers, &d.evidence));
    html! {
        <>
            { heading }
            <p data-testid="assess-status">
                { s(lang, Msg::Status) }{ ": " }<strong>{ label(lang, d.status) }</strong>
                { " · " }<span data-data="">{ pick_owned(lang, &set.title_vi, &set.title_en) }</span>
            </p>
            { authority_line(lang, d.unit_kind) }
            if let Some(c) = &d.review_comment {
                <p class="warning">{ s(lang, Msg::ReviewComment) }{ ": " }<span data-data="">{ c.clone() }</span></p>
            }
            if let Some(dec) = &d.decision {
                <p class="notice" data-testid="assess-decision">
                    { s(lang, Msg::RecognisedBy) }{ " " }<strong data-data="">{ dec.number.clone() }</strong>
                    { " " }{ s(lang, Msg::DatedOn) }{ " " }{ dec.date.format("%d/%m/%Y").to_string() }
                    { ", " }{ s(lang, Msg::SignedBy) }{ " " }<span data-data="">{ dec.signer.clone() }</span>
                </p>
            }
            <CriteriaList set={set.clone()} answers={answers.clone()} evidence={d.evidence.clone()}
                {editable} errors={(*errors).clone()} />
            if editable && may(Step::Prepare) && declares_titles {
                <super::titles::SubunitTitlesForm code={props.code.clone()} period={props.period}
                    on_saved={attached.clone()} />
            }
            <Scorecard set={set.clone()} answers={answers.clone()} {editable} errors={(*errors).clone()} />
            <super::files::EvidenceFiles code={props.code.clone()} period={props.period} set={set.clone()}
                files={d.files.clone()} may_attach={editable && may(Step::Prepare)}
                on_attached={attached} />
            <OutcomeLine outcome={live.as_ref().ok().cloned()} missing={live.as_ref().err().map_or(0, Vec::len)} />
            <div aria-live="polite">
                { field_error(lang, &errors, "form") }
                { field_error(lang, &errors, "answers") }
                if *saved && errors.is_empty() {
                    <p class="muted" data-testid="assess-saved">{ s(lang, Msg::Done) }</p>
                }
            </div>
            if editable && may(Step::Prepare) {
                <div class="toolbar">
                    <button class="secondary" onclick={save(Send::Save)} disabled={*busy}>{ s(lang, Msg::SaveDraft) }</button>
                    if may(Step::Submit) {
                        <button class="primary" onclick={save(Send::Submit)} disabled={*busy}>{ s(lang, Msg::SubmitReview) }</button>
                    }
                </div>
                if !may(Step::Submit) {
                    <p class="hint" data-testid="assess-prepare-only">
                        { s(lang, Msg::PreparedNotSubmitted) }{ " " }
                        { authority(d.unit_kind).map(|a| role_names(lang, a.submit)) }
                    </p>
                }
            }
            if d.status == AssessmentStatus::Submitted && may(Step::Decide) {
                if filled_by_me {
                    <p class="hint" data-testid="assess-filled-by-you">{ s(lang, Msg::FilledByYou) }</p>
                } else {
                    <ReviewForm {on_review} busy={*busy} errors={(*errors).clone()} {recognises} />
                }
            }
            { history(lang, &d.history) }
        </>
    }
}

/// The accounts that filled the assessment, from its history (the server also counts the
/// creator and the submitter, who appear there too).
fn filled_by(events: &[AssessmentEvent]) -> Vec<&str> {
    events
        .iter()
        .filter(|e| e.action.fills())
        .map(|e| e.actor.as_str())
        .collect()
}

/// Roles by name, joined.
fn role_names(lang: Lang, roles: &[Role]) -> String {
    roles
        .iter()
        .map(|r| pick(lang, r.label_vi(), r.label_en()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Who prepares, who proposes and who recognises a unit of this kind, with the article.
fn authority_line(lang: Lang, kind: UnitKind) -> Html {
    let Some(a) = authority(kind) else {
        return html! {};
    };
    let names = |roles: &[Role]| role_names(lang, roles);
    html! {
        <p class="hint" data-testid="assess-authority">
            { s(lang, Msg::AuthorityLine) }{ ": " }
            { names(a.prepare) }{ " " }{ s(lang, Msg::AuthorityPrepares) }{ "; " }
            { names(a.submit) }{ " " }{ s(lang, Msg::AuthoritySubmits) }{ "; " }
            { names(&[a.decide]) }{ " " }{ s(lang, Msg::AuthorityDecides) }
            { " (" }<span data-data="">{ a.article }</span>{ ")" }
        </p>
    }
}

fn history(lang: Lang, events: &[AssessmentEvent]) -> Html {
    html! {
        <>
            <h3>{ s(lang, Msg::History) }</h3>
            <ol class="history">
                { for events.iter().map(|e| html! {
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
