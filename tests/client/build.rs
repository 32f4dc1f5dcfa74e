//! Generates the client from the committed OpenAPI document.
//!
//! The server's document is OpenAPI 3.1 (utoipa 6); progenitor reads 3.0. The two differ here in
//! four ways only, each rewritten to the 3.0 spelling with the same meaning:
//! - `"type": ["string", "null"]` is `"type": "string", "nullable": true`;
//! - `"oneOf": [{"type": "null"}, X]` is `X` with `"nullable": true` (as `allOf: [X]` when X is a
//!   reference, since 3.0 ignores a reference's siblings);
//! - a reference with a `description` beside it loses the description (3.0 ignores it anyway);
//! - a body of bytes, `contentMediaType` in 3.1, is `format: binary` (text stays a string).
//!
//! progenitor 0.15 sends bodies of four media types only (JSON, octet-stream, form, text/plain),
//! so the one operation whose body is `text/csv` (a class roster) is left out of this client; a
//! generator that sends any media type (OpenAPI Generator) keeps it. The list is checked, so an
//! operation added with another body type is noticed here.
//!
//! Anything else 3.1-only fails the build, so a new construct in the document is noticed here
//! rather than generated wrongly.

// A build script reports a broken input by failing the build, with the reason.
#![allow(clippy::expect_used)]

use std::path::PathBuf;

use serde_json::{Map, Value, json};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let doc_path = manifest.join("../../api/openapi.json");
    println!("cargo:rerun-if-changed={}", doc_path.display());
    let text = std::fs::read_to_string(&doc_path)
        .unwrap_or_else(|e| panic!("{}: {e}", doc_path.display()));
    let mut doc: Value = serde_json::from_str(&text).expect("api/openapi.json is JSON");
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "expected an OpenAPI 3.1 document"
    );
    doc["openapi"] = json!("3.0.3");
    if let Some(license) = doc
        .pointer_mut("/info/license")
        .and_then(Value::as_object_mut)
    {
        license.remove("identifier");
    }
    to_3_0(&mut doc);
    let left_out = leave_out_unsendable(&mut doc);
    assert_eq!(
        left_out,
        ["post /api/v1/campaigns/{code}/roster"],
        "operations progenitor cannot send changed; say so in this file's header"
    );
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(doc).expect("the rewritten document is OpenAPI 3.0");
    let mut generator = progenitor::Generator::new(
        progenitor::GenerationSettings::default()
            .with_interface(progenitor::InterfaceStyle::Builder)
            .with_tag(progenitor::TagStyle::Merged),
    );
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("progenitor cannot generate a client: {e}"));
    let file: syn::File = syn::parse2(tokens).expect("generated code parses");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("client.rs");
    std::fs::write(out, prettyplease::unparse(&file)).expect("write the client");
}

fn to_3_0(v: &mut Value) {
    match v {
        Value::Object(m) => {
            for child in m.values_mut() {
                to_3_0(child);
            }
            rewrite(m);
        }
        Value::Array(a) => a.iter_mut().for_each(to_3_0),
        _ => {}
    }
}

fn rewrite(m: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = m.get("type") {
        let non_null: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        assert_eq!(
            non_null.len(),
            1,
            "a type list other than [T, null]: {types:?}"
        );
        let nullable = non_null.len() < types.len();
        m.insert("type".into(), non_null[0].clone());
        if nullable {
            m.insert("nullable".into(), json!(true));
        }
    }
    if let Some(Value::Array(options)) = m.get("oneOf") {
        let null = json!({"type": "null"});
        if options.len() == 2 && options.contains(&null) {
            let other = options
                .iter()
                .find(|o| **o != null)
                .cloned()
                .expect("two options");
            m.remove("oneOf");
            if other.get("$ref").is_some() {
                m.insert("allOf".into(), json!([other]));
            } else if let Value::Object(o) = other {
                m.extend(o);
            }
            m.insert("nullable".into(), json!(true));
        }
    }
    if let Some(Value::String(media)) = m.remove("contentMediaType") {
        // 3.0 says a body of bytes with `format: binary`; text stays a plain string.
        if !media.starts_with("text/") && !media.ends_with("+xml") {
            m.insert("format".into(), json!("binary"));
        }
    }
    if m.contains_key("$ref") && m.len() > 1 {
        m.retain(|k, _| k == "$ref");
    }
    for key in [
        "const",
        "examples",
        "prefixItems",
        "$schema",
        "unevaluatedProperties",
    ] {
        assert!(
            !m.contains_key(key),
            "a 3.1-only keyword `{key}` in the document"
        );
    }
}

/// Removes the operations whose request body progenitor cannot send; their `method path`.
fn leave_out_unsendable(doc: &mut Value) -> Vec<String> {
    const SENDABLE: [&str; 4] = [
        "application/json",
        "application/octet-stream",
        "application/x-www-form-urlencoded",
        "text/plain",
    ];
    let mut out = Vec::new();
    let paths = doc["paths"].as_object_mut().expect("paths");
    for (path, item) in paths.iter_mut() {
        let item = item.as_object_mut().expect("a path item");
        item.retain(|method, op| {
            let sendable = op
                .pointer("/requestBody/content")
                .and_then(Value::as_object)
                .is_none_or(|content| {
                    content
                        .keys()
                        .any(|media| SENDABLE.contains(&media.as_str()))
                });
            if !sendable {
                out.push(format!("{method} {path}"));
            }
            sendable
        });
    }
    out
}
