//! Taking over a page the server drew (`api/src/app/citizen`): before the app is mounted, what
//! the person already typed, ticked and was told on that page is read from its fields, and the
//! components start from it; the data the server put in the page (`#bvantq-data`, the campaign
//! or the provinces) spares a request. Yew empties the host and draws the same form in the same
//! task (its scheduler runs in a microtask, before the next paint), and the field that had the
//! focus gets it back with its caret: nothing typed is lost and nothing flashes.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};

use crate::form::FieldErrors;

#[derive(Default)]
struct Drawn {
    values: BTreeMap<String, String>,
    checked: BTreeSet<String>,
    errors: FieldErrors,
    data: Option<String>,
    /// The id of the field that had the focus, and its caret.
    focus: Option<(String, Option<u32>)>,
}

thread_local! {
    static DRAWN: RefCell<Option<Drawn>> = const { RefCell::new(None) };
}

/// Reads the page the server drew into `host` (marked `data-server`); nothing when the page is
/// the bare shell.
pub fn read(host: &Element) {
    if !host.has_attribute("data-server") {
        return;
    }
    let mut d = Drawn::default();
    if let Ok(fields) = host.query_selector_all("input[id], select[id], textarea[id]") {
        for i in 0..fields.length() {
            let Some(node) = fields.item(i) else { continue };
            if let Some(input) = node.dyn_ref::<HtmlInputElement>() {
                match input.type_().as_str() {
                    "checkbox" => {
                        if input.checked() {
                            d.checked.insert(input.id());
                        }
                    }
                    // A browser never gives a script the files chosen in another page.
                    "file" => {}
                    _ => {
                        d.values.insert(input.id(), input.value());
                    }
                }
            } else if let Some(s) = node.dyn_ref::<HtmlSelectElement>() {
                d.values.insert(s.id(), s.value());
            } else if let Some(t) = node.dyn_ref::<HtmlTextAreaElement>() {
                d.values.insert(t.id(), t.value());
            }
        }
    }
    if let Ok(errors) = host.query_selector_all(".field-error[id^='err-']") {
        for i in 0..errors.length() {
            let Some(el) = errors.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let id = el.id();
            let Some(text) = el.text_content() else {
                continue;
            };
            if let Some(field) = id.strip_prefix("err-") {
                // The page is in one language: its message stands for both.
                d.errors.insert(field.to_string(), (text.clone(), text));
            }
        }
    }
    let doc = web_sys::window().and_then(|w| w.document());
    d.data = doc
        .as_ref()
        .and_then(|doc| doc.get_element_by_id("bvantq-data"))
        .and_then(|el| el.text_content());
    d.focus = doc
        .as_ref()
        .and_then(|doc| doc.active_element())
        .filter(|el| !el.id().is_empty() && host.contains(Some(el)))
        .map(|el| {
            let caret = el
                .dyn_ref::<HtmlInputElement>()
                .and_then(|i| i.selection_start().ok().flatten())
                .or_else(|| {
                    el.dyn_ref::<HtmlTextAreaElement>()
                        .and_then(|t| t.selection_start().ok().flatten())
                });
            (el.id(), caret)
        });
    DRAWN.with(|c| *c.borrow_mut() = Some(d));
}

fn with<T>(f: impl FnOnce(&Drawn) -> T) -> Option<T> {
    DRAWN.with(|c| c.borrow().as_ref().map(f))
}

/// What was typed in the drawn page's fields, by id (empty when the page was not drawn).
pub fn values() -> BTreeMap<String, String> {
    with(|d| d.values.clone()).unwrap_or_else(BTreeMap::new)
}

/// What was typed in one field of the drawn page: nothing when the page had no such field, or
/// was not drawn by the server.
pub fn typed(id: &str) -> String {
    DRAWN.with(|c| {
        c.borrow()
            .as_ref()
            .and_then(|d| d.values.get(id))
            .map_or("", String::as_str)
            .to_string()
    })
}

/// Whether the drawn page's checkbox `id` was ticked.
pub fn checked(id: &str) -> bool {
    with(|d| d.checked.contains(id)).is_some_and(|c| c)
}

/// The messages the server put on the drawn page's fields.
pub fn errors() -> FieldErrors {
    with(|d| d.errors.clone()).unwrap_or_else(FieldErrors::new)
}

/// The data the server put in the page, if it is a `T` (a page's data is its own kind).
pub fn data<T: serde::de::DeserializeOwned>() -> Option<T> {
    with(|d| d.data.as_deref().and_then(|s| crate::json::parse(s))).flatten()
}

/// Once the app has drawn (after yew's microtask): the field that had the focus gets it back,
/// with its caret, and the host is marked `data-wasm` (what tests and monitoring read to know the
/// page is now the app's).
pub fn after_mount(host: Element) {
    let focus = with(|d| d.focus.clone()).flatten();
    let again = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = host.set_attribute("data-wasm", "");
        let Some((id, caret)) = focus else { return };
        let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
        else {
            return;
        };
        if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
        if let Some(at) = caret {
            if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
                let _ = i.set_selection_range(at, at);
            } else if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
                let _ = t.set_selection_range(at, at);
            }
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(again.unchecked_ref(), 0);
    }
}
