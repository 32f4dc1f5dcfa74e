//! What every view of the console uses: the language in force, a request's failure in words or
//! as field errors, a view's loading state, form values, Vietnam time.

use web_form::i18n::Lang;
use web_form::request::RequestError;
use yew::prelude::*;

use crate::strings::{Msg, s};

/// The language in force, for every view.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ctx(pub Lang);

/// A request's failure in words: the server's own message, else "could not reach the server".
pub fn failure(lang: Lang, e: &RequestError) -> String {
    match e {
        RequestError::Problem(p) => {
            let field = p
                .errors
                .first()
                .map(|f| pick_owned(lang, &f.message_vi, &f.message_en));
            field.unwrap_or_else(|| pick_owned(lang, &p.message_vi, &p.message_en))
        }
        RequestError::Network(_) => s(lang, Msg::Network).to_string(),
    }
}

/// A failed request as field errors: the server's problem on the fields it names, or "could not
/// reach the server" on `form`.
pub fn field_errors(e: &RequestError) -> web_form::form::FieldErrors {
    match e {
        RequestError::Problem(p) => web_form::form::from_problem(p),
        RequestError::Network(_) => {
            let mut m = web_form::form::FieldErrors::new();
            m.insert("form".into(), (failure(Lang::Vi, e), failure(Lang::En, e)));
            m
        }
    }
}

/// What a view shows while its data loads, if it failed, and once it is there.
#[derive(Clone, PartialEq)]
pub enum Load<T> {
    Loading,
    Failed(String),
    Ready(T),
}

/// The value of a form control (input, text area or select); empty for any other element.
fn control_value(el: &web_sys::Element) -> String {
    use wasm_bindgen::JsCast;
    if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
        i.value()
    } else if let Some(t) = el.dyn_ref::<web_sys::HtmlTextAreaElement>() {
        t.value()
    } else if let Some(s) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
        s.value()
    } else {
        String::new()
    }
}

/// The value of the input, text area or select behind `r`.
pub fn input_value(r: &NodeRef) -> String {
    match r.cast::<web_sys::Element>() {
        Some(el) => control_value(&el),
        None => String::new(),
    }
}

/// The value of the input, text area or select with `id`, for forms whose rows come and go
/// (no `NodeRef` per row); empty when there is none.
pub fn value_of(id: &str) -> String {
    match web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
    {
        Some(el) => control_value(&el),
        None => String::new(),
    }
}

/// Whether the checkbox with `id` is ticked (false when there is none).
pub fn checked_of(id: &str) -> bool {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|el| el.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// The value of the select an event came from.
pub fn select_value(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
        .map(|s| s.value())
        .unwrap_or_default()
}

pub fn pick_owned(lang: Lang, vi: &str, en: &str) -> String {
    if lang == Lang::Vi { vi } else { en }.to_string()
}

/// Vietnam time (UTC+7) of a UTC timestamp, `dd/mm/yyyy hh:mm`.
pub use web_form::form::vn_time;

/// Today's date in Vietnam, from the browser's clock (the date a decision may not come after).
pub fn vn_today() -> bvantq_shared::chrono::NaiveDate {
    match bvantq_shared::chrono::DateTime::from_timestamp_millis(js_sys::Date::now() as i64) {
        Some(t) => bvantq_shared::tip::vn_date(t.naive_utc()),
        None => panic!("the browser gives no time"),
    }
}

/// Empties the inputs `ids` (text and dates to "", boxes unticked) once what they held is saved,
/// so the next entry starts blank and a second press does not send the same again.
pub fn clear_inputs(ids: &[&str]) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    for id in ids {
        if let Some(input) = doc
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.set_value("");
            input.set_checked(false);
        }
    }
}

/// The file chosen in the file input `input`, or the error to show on the field `file`.
pub fn chosen_file(input: &yew::NodeRef) -> Result<web_sys::File, web_form::form::FieldErrors> {
    input
        .cast::<web_sys::HtmlInputElement>()
        .and_then(|i| i.files())
        .and_then(|l| l.get(0))
        .ok_or_else(|| {
            let mut m = web_form::form::FieldErrors::new();
            let required = bvantq_shared::ValidationError::Required;
            m.insert(
                "file".into(),
                (required.message_vi(), required.message_en()),
            );
            m
        })
}

/// A whole number typed in the input `id`: `None` when left empty; the error `OutOfRange {min,
/// max}` on `field` (and `Some(None)` no more) when it does not read as one up to `max`.
pub fn number_of(
    id: &str,
    field: &str,
    min: u32,
    max: u32,
    bad: &mut web_form::form::FieldErrors,
) -> Option<Option<u32>> {
    let v = value_of(id);
    if v.trim().is_empty() {
        return Some(None);
    }
    match v.trim().parse::<u32>() {
        Ok(n) if n <= max => Some(Some(n)),
        _ => {
            let e = bvantq_shared::ValidationError::OutOfRange {
                min: i64::from(min),
                max: i64::from(max),
            };
            web_form::form::add_error(bad, &e.on(field));
            None
        }
    }
}
