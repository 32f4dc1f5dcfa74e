//! JSON in the browser through the browser's own reader and writer (`JSON.parse`,
//! `JSON.stringify`), with serde over the JS values they give, instead of `serde_json` compiled
//! into the wasm: its text parser, number formatting and error texts were 12.3 kB (brotli) of the
//! pledge part (BENCHMARKS.md, "Under the budget"). Values are read by `de` and written by
//! `serde-wasm-bindgen`.
//!
//! Written as JSON: maps as plain objects, `None` as `null`, integers as numbers (what the API
//! reads; `Serializer::json_compatible`).

use serde::Serialize;
use serde::de::DeserializeOwned;

mod de;

/// A `T` from JSON text; `None` when the text is not JSON, or not a `T`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Option<T> {
    let value = js_sys::JSON::parse(text).ok()?;
    T::deserialize(de::Value(value)).ok()
}

/// `v` as JSON text; `None` only when the browser refuses to write it.
pub fn stringify<T: Serialize>(v: &T) -> Option<String> {
    let value = v
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .ok()?;
    js_sys::JSON::stringify(&value).ok()?.as_string()
}

/// A JSON list's entries, each as its own JSON text (so an entry this version cannot read is
/// kept as the JSON it was); `None` when the text is not a JSON list.
pub fn entries(text: &str) -> Option<Vec<String>> {
    let value = js_sys::JSON::parse(text).ok()?;
    let list: js_sys::Array = wasm_bindgen::JsCast::dyn_into(value).ok()?;
    list.iter()
        .map(|entry| js_sys::JSON::stringify(&entry).ok()?.as_string())
        .collect()
}
