//! The scorecard (bảng chấm điểm) and the outcome computed live by the same pure function the
//! server scores with.

use bvantq_shared::assessment::{Answers, CriteriaSet, Outcome};
use wasm_bindgen::JsCast;
use web_form::form::{FieldErrors, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::helpers::{Ctx, pick_owned};
use crate::strings::{Msg, label, s};

#[derive(Properties, PartialEq)]
pub struct ScorecardProps {
    pub set: Box<CriteriaSet>,
    pub answers: UseStateHandle<Answers>,
    pub editable: bool,
    pub errors: FieldErrors,
}

#[function_component(Scorecard)]
pub fn scorecard(p: &ScorecardProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let set_points = |code: String| {
        let answers = p.answers.clone();
        Callback::from(move |e: InputEvent| {
            let Some(v) = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
            else {
                return;
            };
            let mut a = (*answers).clone();
            // What does not read as points is no answer (the checks then name the item).
            match v.trim().parse::<u32>() {
                Ok(points) => a.scores.insert(code.clone(), points),
                Err(_) => a.scores.remove(&code),
            };
            answers.set(a);
        })
    };
    html! {
        <>
            <h3>{ s(lang, Msg::Scorecard) }</h3>
            <p class="hint" data-testid="scorecard-source">
                if let Some(src) = &p.set.scorecard_source {
                    { s(lang, Msg::ScorecardFrom) }{ ": " }<span data-data="">{ src.clone() }</span>
                } else {
                    { s(lang, Msg::ScorecardProvisional) }
                }
            </p>
            <table class="grid scorecard">
                <thead><tr>
                    <th scope="col">{ s(lang, Msg::Item) }</th>
                    <th scope="col">{ s(lang, Msg::MaxPoints) }</th>
                    <th scope="col">{ s(lang, Msg::Points) }</th>
                </tr></thead>
                <tbody>
                    { for p.set.scorecard.iter().map(|i| {
                        let id = format!("score-{}", i.code);
                        let field = format!("scores.{}", i.code);
                        let value = p.answers.scores.get(&i.code).map(|n| n.to_string());
                        html! {
                            <tr>
                                <th scope="row"><label for={id.clone()} data-data="">{ pick_owned(lang, &i.title_vi, &i.title_en) }</label></th>
                                <td>{ i.max_points }</td>
                                <td>
                                    <input {id} inputmode="numeric" class="points" disabled={!p.editable}
                                        value={value.unwrap_or_default()}
                                        aria-invalid={p.errors.contains_key(&field).to_string()}
                                        oninput={set_points(i.code.clone())} />
                                    { field_error(lang, &p.errors, &field) }
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct OutcomeProps {
    /// The outcome of complete answers; `None` while `missing` answers are still to give.
    pub outcome: Option<Outcome>,
    pub missing: usize,
}

#[function_component(OutcomeLine)]
pub fn outcome_line(p: &OutcomeProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    html! {
        <div class="outcome" aria-live="polite" data-testid="assess-outcome">
            if let Some(o) = &p.outcome {
                <p>
                    <strong class={if o.recognised { "met" } else { "not-met" }}>
                        { s(lang, if o.recognised { Msg::Recognised } else { Msg::NotRecognised }) }
                    </strong>
                    { " · " }{ s(lang, Msg::Score) }{ ": " }{ o.score }{ "/100 · " }
                    { label(lang, o.classification) }
                </p>
            } else {
                <p class="muted">{ s(lang, Msg::Incomplete) }{ " " }{ p.missing }</p>
            }
        </div>
    }
}
