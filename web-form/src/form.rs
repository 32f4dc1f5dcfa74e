//! What the forms share: field errors — from the shared parsers or from the server's problem —
//! shown on the field they name, and the phone's local storage.

use std::collections::BTreeMap;

use bvantq_shared::{FieldError, Problem};
use yew::prelude::*;

use crate::i18n::Lang;

/// Field → (Vietnamese, English) message.
pub type FieldErrors = BTreeMap<String, (String, String)>;

/// Errors found in the browser, by the same parsers the server runs.
pub fn from_local(errors: &[FieldError]) -> FieldErrors {
    let mut m = FieldErrors::new();
    for e in errors {
        m.entry(e.field.clone())
            .or_insert((e.error.message_vi(), e.error.message_en()));
    }
    m
}

/// The server's problem, on the fields it names (or on `form`).
pub fn from_problem(p: &Problem) -> FieldErrors {
    let mut m = FieldErrors::new();
    for e in &p.errors {
        m.entry(e.field.clone())
            .or_insert((e.message_vi.clone(), e.message_en.clone()));
    }
    if m.is_empty() {
        m.insert(
            p.field.clone().unwrap_or_else(|| "form".into()),
            (p.message_vi.clone(), p.message_en.clone()),
        );
    }
    m
}

/// The message of `field`, if it has one, with the id its input's `aria-describedby` names.
pub fn field_error(lang: Lang, errors: &FieldErrors, field: &str) -> Html {
    match errors.get(field) {
        Some((vi, en)) => html! {
            <p class="field-error" id={format!("err-{field}")}>
                { if lang == Lang::Vi { vi.clone() } else { en.clone() } }
            </p>
        },
        None => html! {},
    }
}

/// The phone's local storage (absent in private modes and opaque origins).
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}
