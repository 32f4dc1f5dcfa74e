//! What the forms share: field errors — from the shared parsers or from the server's problem —
//! shown on the field they name, and the phone's local storage.

use bvantq_shared::{FieldError, Problem};
use yew::prelude::*;

use crate::i18n::Lang;

/// Field → (Vietnamese, English) message.
pub type FieldErrors = bvantq_shared::messages::FieldMessages;

/// An error about the whole form (shown where `err("form")` is), in both languages.
pub fn form_error(vi: &str, en: &str) -> FieldErrors {
    let mut m = FieldErrors::new();
    m.insert("form".into(), (vi.to_string(), en.to_string()));
    m
}

/// Errors found in the browser, by the same parsers the server runs.
pub fn from_local(errors: &[FieldError]) -> FieldErrors {
    bvantq_shared::messages::field_messages(errors)
}

/// Adds an error found in the browser on its field (the first one found on a field stays).
pub fn add_error(m: &mut FieldErrors, e: &FieldError) {
    m.entry(e.field.clone())
        .or_insert((e.error.message_vi(), e.error.message_en()));
}

/// The server's problem, on the fields it names (or on `form`).
pub fn from_problem(p: &Problem) -> FieldErrors {
    p.by_field()
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

/// `dd/mm/yyyy`, as Vietnamese write a date (by hand: chrono's strftime would add to the
/// download).
pub fn day(d: bvantq_shared::chrono::NaiveDate) -> String {
    use bvantq_shared::chrono::Datelike;
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year())
}

/// A Vietnam time as people read it, `dd/mm/yyyy hh:mm`.
pub fn local_time(t: bvantq_shared::chrono::NaiveDateTime) -> String {
    use bvantq_shared::chrono::Timelike;
    format!("{} {:02}:{:02}", day(t.date()), t.hour(), t.minute())
}

/// An instant (UTC, as the API gives it) in Vietnam time (UTC+7), `dd/mm/yyyy hh:mm`: every time
/// shown to a person is in Vietnam time, whatever the phone's zone.
pub fn vn_time(utc: bvantq_shared::chrono::NaiveDateTime) -> String {
    local_time(utc + bvantq_shared::chrono::TimeDelta::hours(bvantq_shared::tip::VN_OFFSET_HOURS))
}

/// The phone's local storage (absent in private modes and opaque origins).
pub fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn document() -> Option<web_sys::Document> {
    web_sys::window().and_then(|w| w.document())
}

/// Once field errors are on screen (after the render that shows them), the first invalid field
/// takes the focus: the phone scrolls to it, and a screen reader reads its label and its error.
#[hook]
pub fn use_focus_first_error(errors: &FieldErrors) {
    use_effect_with(errors.clone(), |errors| {
        if !errors.is_empty()
            && let Some(el) = document().and_then(|d| {
                d.query_selector("[aria-invalid=true], .field-error")
                    .ok()
                    .flatten()
            })
            && let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el)
        {
            if el.class_name() == "field-error" {
                el.scroll_into_view();
            } else {
                let _ = el.focus();
            }
        }
    });
}

/// Once a notice is on screen (e.g. "saved, will be sent" after the person tapped the button at
/// the bottom of the form), it is scrolled to the middle of the screen.
#[hook]
pub fn use_reveal(shown: bool, testid: &'static str) {
    use_effect_with(shown, move |shown| {
        if *shown
            && let Some(el) = document().and_then(|d| {
                d.query_selector(&format!("[data-testid={testid}]"))
                    .ok()
                    .flatten()
            })
        {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Center);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use bvantq_shared::chrono::{NaiveDate, NaiveDateTime};

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .unwrap_or_else(|| panic!("a valid time"))
    }

    /// The API gives instants in UTC; a person reads them in Vietnam time, across midnight too.
    #[test]
    fn times_shown_are_vietnam_time() {
        assert_eq!(vn_time(at(2026, 12, 2, 0, 45)), "02/12/2026 07:45");
        assert_eq!(vn_time(at(2026, 12, 31, 17, 30)), "01/01/2027 00:30");
        // A time already in Vietnam time (a tip's incident time, `+07:00`) is shown as it is.
        assert_eq!(local_time(at(2026, 12, 2, 7, 45)), "02/12/2026 07:45");
    }
}
