//! The review of a submitted assessment by the authority that recognises the unit (TT 124 arts.
//! 9–10): approve (it is locked) — with the recognition decision as signed when the outcome
//! recognises the unit — or return it with a comment.

use bvantq_shared::ValidationError;
use bvantq_shared::chrono::NaiveDate;
use bvantq_shared::recognition::RecognitionDecision;
use web_form::form::{FieldErrors, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::helpers::{Ctx, input_value};
use crate::strings::{Msg, s};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewAction {
    Approve,
    Return,
}

impl ReviewAction {
    /// The path under the assessment's address.
    pub fn path(self) -> &'static str {
        match self {
            ReviewAction::Approve => "approve",
            ReviewAction::Return => "return",
        }
    }
}

/// What the reviewer sends: the action, the comment if one was written, and for an approval
/// that recognises the unit the decision — or the field its date fails on.
pub type Reviewed = (
    ReviewAction,
    Option<String>,
    Result<Option<RecognitionDecision>, ValidationError>,
);

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    pub on_review: Callback<Reviewed>,
    pub busy: bool,
    pub errors: FieldErrors,
    /// Whether the submitted outcome recognises the unit: approving it records the decision.
    pub recognises: bool,
}

#[function_component(ReviewForm)]
pub fn review_form(p: &ReviewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let comment = use_node_ref();
    let (number, date, signer) = (use_node_ref(), use_node_ref(), use_node_ref());
    let recognises = p.recognises;
    let act = |action: ReviewAction| {
        let (comment, number, date, signer) = (
            comment.clone(),
            number.clone(),
            date.clone(),
            signer.clone(),
        );
        p.on_review.reform(move |_: MouseEvent| {
            let text = comment
                .cast::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .filter(|t| !t.trim().is_empty());
            let decision = if recognises && action == ReviewAction::Approve {
                NaiveDate::parse_from_str(&input_value(&date), "%Y-%m-%d")
                    .map(|date| {
                        Some(RecognitionDecision {
                            number: input_value(&number),
                            date,
                            signer: input_value(&signer),
                        })
                    })
                    .map_err(|_| ValidationError::DateFormat)
            } else {
                Ok(None)
            };
            (action, text, decision)
        })
    };
    html! {
        <div class="action review" data-testid="review-form">
            <h3>{ s(lang, Msg::Review) }</h3>
            <p class="hint">{ s(lang, Msg::ReviewHint) }</p>
            <label for="review-comment">{ s(lang, Msg::ReviewComment) }</label>
            <textarea id="review-comment" ref={comment.clone()} rows="3" />
            { field_error(lang, &p.errors, "comment") }
            if recognises {
                <fieldset class="decision">
                    <legend>{ s(lang, Msg::RecognitionDecision) }</legend>
                    <p class="hint">{ s(lang, Msg::RecognitionDecisionHint) }</p>
                    { field_error(lang, &p.errors, "decision") }
                    <label for="review-decision-number">{ s(lang, Msg::DecisionNo) }</label>
                    <input id="review-decision-number" ref={number.clone()} placeholder="45/QĐ-UBND" />
                    { field_error(lang, &p.errors, "decision.number") }
                    <label for="review-decision-date">{ s(lang, Msg::DecisionDate) }</label>
                    <input id="review-decision-date" type="date" ref={date.clone()} />
                    { field_error(lang, &p.errors, "decision.date") }
                    <label for="review-decision-signer">{ s(lang, Msg::DecisionSigner) }</label>
                    <input id="review-decision-signer" ref={signer.clone()} />
                    { field_error(lang, &p.errors, "decision.signer") }
                </fieldset>
            }
            <div class="toolbar">
                <button class="secondary" onclick={act(ReviewAction::Approve)} disabled={p.busy}>{ s(lang, Msg::Approve) }</button>
                <button class="secondary" onclick={act(ReviewAction::Return)} disabled={p.busy}>{ s(lang, Msg::Return) }</button>
            </div>
        </div>
    }
}
