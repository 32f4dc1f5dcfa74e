//! The review of a submitted assessment by the parent unit's officer: approve (it is locked) or
//! return it with a comment.

use web_form::form::{FieldErrors, field_error};
use web_form::i18n::Lang;
use yew::prelude::*;

use crate::helpers::Ctx;
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

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    /// The action and the comment, if one was written.
    pub on_review: Callback<(ReviewAction, Option<String>)>,
    pub busy: bool,
    pub errors: FieldErrors,
}

#[function_component(ReviewForm)]
pub fn review_form(p: &ReviewProps) -> Html {
    let Ctx(lang) = use_context::<Ctx>().unwrap_or(Ctx(Lang::Vi));
    let comment = use_node_ref();
    let act = |action: ReviewAction| {
        let comment = comment.clone();
        p.on_review.reform(move |_: MouseEvent| {
            let text = comment
                .cast::<web_sys::HtmlTextAreaElement>()
                .map(|t| t.value())
                .filter(|t| !t.trim().is_empty());
            (action, text)
        })
    };
    html! {
        <div class="action review">
            <h3>{ s(lang, Msg::Review) }</h3>
            <p class="hint">{ s(lang, Msg::ReviewHint) }</p>
            <label for="review-comment">{ s(lang, Msg::ReviewComment) }</label>
            <textarea id="review-comment" ref={comment.clone()} rows="3" />
            { field_error(lang, &p.errors, "comment") }
            <div class="toolbar">
                <button class="secondary" onclick={act(ReviewAction::Approve)} disabled={p.busy}>{ s(lang, Msg::Approve) }</button>
                <button class="secondary" onclick={act(ReviewAction::Return)} disabled={p.busy}>{ s(lang, Msg::Return) }</button>
            </div>
        </div>
    }
}
