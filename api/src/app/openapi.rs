//! The OpenAPI document: generated from the route table (`app::routes`), then made exact about
//! what no single route says — the bearer scheme, the content type of errors, and the statuses
//! every operation of a kind can answer (a secured one 401 and 403, one with a path 404, one with a
//! body 413 and 422, any of them 500 and 503), each with the `Problem` schema. A generated client
//! trusts this document; `tests/tests/contract.rs` checks the server against it.

use utoipa::openapi::path::{Operation, ParameterIn, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, HeaderBuilder, ObjectBuilder, Ref, RefOr, Required, Type};
use utoipa::{Modify, OpenApi};

use crate::app::routes::{api_v1, system};
use bvantq_shared::error::PROBLEM_CONTENT_TYPE;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "bvantq API",
        description = "API of bvantq, the platform of the movement «Toàn dân bảo vệ an ninh Tổ quốc»: \
            pledges, crime tips and assessments. Errors are RFC 7807 `application/problem+json` with a \
            stable `code`, the invalid `field`, and messages in Vietnamese (`message_vi`) and English \
            (`message_en`). Instants are RFC 3339 in UTC (`2026-12-02T00:45:46.626Z`); a time a person \
            gave in Vietnam time keeps its `+07:00`; legal dates are `YYYY-MM-DD`. Lists use opaque \
            cursors. Public POSTs require an `Idempotency-Key` header. A 429 or 503 carries \
            `Retry-After` (seconds). Versioning: see the README (additions only within /api/v1)."
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .build(),
                ),
            );
        }
    }
}

/// Why an operation of a kind can answer a status, as the document says it.
fn reason(status: u16) -> &'static str {
    match status {
        400 => "The path or the query string does not parse (a number that is not one, say).",
        401 => "No access token, or one that is invalid, expired or of a locked account.",
        403 => "The account's role or scope does not allow this.",
        404 => "Nothing is there, or it is outside what the caller may see.",
        409 => "The resource is not in a state that allows this.",
        413 => "The request body is too large.",
        422 => "A value is invalid; `field` names it.",
        429 => "Too many requests; `Retry-After` says in how many seconds to try again.",
        500 => "Something went wrong on the server (logged; nothing internal in the body).",
        503 => "The server is busy or lost its database; `Retry-After` when it knows.",
        200 => "OK.",
        201 => "Created.",
        202 => "Accepted; the work goes on after the answer.",
        204 => "Done; nothing to return.",
        304 => "Not modified since the `ETag` given in `If-None-Match`.",
        _ => "The request failed.",
    }
}

/// The `Retry-After` header of a 429 or a 503.
fn retry_after() -> utoipa::openapi::Header {
    HeaderBuilder::new()
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(0)),
        ))
        .description(Some("Seconds to wait before trying again."))
        .build()
}

fn problem_response(status: u16) -> Response {
    let mut b = ResponseBuilder::new().description(reason(status)).content(
        PROBLEM_CONTENT_TYPE,
        Content::new(Some(Ref::from_schema_name("Problem"))),
    );
    if matches!(status, 429 | 503) {
        b = b.header("Retry-After", retry_after());
    }
    b.build()
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The statuses an operation can answer whatever its handler says, from its shape.
fn implied_statuses(path: &str, op: &Operation) -> Vec<u16> {
    let params = op.parameters.iter().flatten().filter_map(|p| match p {
        RefOr::T(p) => Some((p.parameter_in.clone(), p.required == Required::True)),
        RefOr::Ref(_) => None,
    });
    let (mut in_path, mut in_query, mut idempotent) = (false, false, false);
    for (place, _) in params {
        match place {
            ParameterIn::Path => in_path = true,
            ParameterIn::Query | ParameterIn::QueryString => in_query = true,
            ParameterIn::Header => idempotent = true,
            ParameterIn::Cookie => {}
        }
    }
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut out = Vec::new();
    if !path.starts_with("/api/v1/") {
        // healthz, readyz, metrics: what their handlers list.
        return out;
    }
    if in_path || in_query {
        out.extend([400, 422]);
    }
    if in_path {
        out.push(404);
    }
    if secured {
        out.extend([401, 403]);
    }
    if op.request_body.is_some() || idempotent {
        out.extend([413, 422]);
    }
    out.extend([500, 503]);
    out
}

/// Errors are `application/problem+json`, and every operation lists the statuses its shape
/// implies.
fn exact_errors(api: &mut utoipa::openapi::OpenApi) {
    for (path, item) in api.paths.paths.iter_mut() {
        for op in operations(item) {
            for (status, resp) in op.responses.responses.iter_mut() {
                let (Ok(code), RefOr::T(r)) = (status.parse::<u16>(), resp) else {
                    continue;
                };
                // A response without a description is invalid OpenAPI (3.0 and 3.1 alike).
                if r.description.is_empty() {
                    r.description = reason(code).to_string();
                }
                if code >= 400 {
                    if let Some(c) = r.content.shift_remove("application/json") {
                        r.content.insert(PROBLEM_CONTENT_TYPE.to_string(), c);
                    }
                    if matches!(code, 429 | 503) && r.headers.is_empty() {
                        r.headers
                            .insert("Retry-After".to_string(), RefOr::T(retry_after()));
                    }
                }
            }
            for status in implied_statuses(path, op) {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::T(problem_response(status)));
            }
        }
    }
}

/// A body that is not JSON (a CSV, a spreadsheet, a photo, an attachment) is a string of that
/// media type, as OpenAPI 3.1 says it (`contentMediaType`), not the array of integers a `Vec<u8>`
/// would derive nor a schema-less body a client cannot type.
fn media_bodies(api: &mut utoipa::openapi::OpenApi) {
    let fix = |content: &mut RefOr<Content>, media: &str| {
        if let (false, RefOr::T(content)) = (media.contains("json"), content) {
            content.schema = Some(RefOr::T(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .content_media_type(media)
                    .into(),
            ));
        }
    };
    for item in api.paths.paths.values_mut() {
        for op in operations(item) {
            if let Some(RefOr::T(body)) = op.request_body.as_mut() {
                for (media, content) in body.content.iter_mut() {
                    fix(content, media);
                }
            }
            for resp in op.responses.responses.values_mut() {
                if let RefOr::T(r) = resp {
                    for (media, content) in r.content.iter_mut() {
                        fix(content, media);
                    }
                }
            }
        }
    }
}

/// A parameter that may be left out is absent, not null: a header or a query string has no way
/// to say null, and a generated client would otherwise type it `Option<Option<_>>` or try to
/// print a null.
fn absent_not_null(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::schema::{Schema, SchemaType};
    for item in api.paths.paths.values_mut() {
        for op in operations(item) {
            for p in op.parameters.iter_mut().flatten() {
                if let RefOr::T(p) = p
                    && let Some(RefOr::T(Schema::Object(o))) = p.schema.as_mut()
                    && let SchemaType::Array(types) = &o.schema_type
                {
                    let kept: Vec<Type> = types
                        .iter()
                        .filter(|t| **t != Type::Null)
                        .cloned()
                        .collect();
                    if let [one] = kept.as_slice() {
                        o.schema_type = SchemaType::Type(one.clone());
                    }
                }
            }
        }
    }
}

/// The document as the route table built it, with what no route says.
pub fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    BearerAuth.modify(&mut api);
    exact_errors(&mut api);
    media_bodies(&mut api);
    absent_not_null(&mut api);
    deprecations(&mut api);
    api
}

/// Marks the retired operations deprecated and documents the headers their answers carry
/// (`tips::routes::desk::DEPRECATED`).
fn deprecations(api: &mut utoipa::openapi::OpenApi) {
    use crate::tips::routes::desk::{DEPRECATED, SUNSET};
    for item in api.paths.paths.values_mut() {
        for op in operations(item) {
            if !op
                .operation_id
                .as_deref()
                .is_some_and(|id| DEPRECATED.contains(&id))
            {
                continue;
            }
            op.deprecated = Some(utoipa::openapi::Deprecated::True);
            if let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") {
                ok.headers.insert(
                    "Deprecation".into(),
                    RefOr::T(
                        HeaderBuilder::new()
                            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                            .description(Some("RFC 9745: when the operation was deprecated."))
                            .build(),
                    ),
                );
                ok.headers.insert(
                    "Sunset".into(),
                    RefOr::T(HeaderBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                        .description(Some(format!(
                            "RFC 8594: served until {SUNSET}; use `POST /api/v1/tips/{{id}}/steps`."
                        )))
                        .build()),
                );
            }
        }
    }
}

/// The OpenAPI document of every registered route (for tools and tests; the server serves the
/// one it built with its routes, which is the same).
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa_actix_web::AppExt;
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(api_v1))
        .configure(system)
        .split_for_parts();
    finish(api)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Generated clients name a method after each `operationId` (progenitor refuses a document
    /// where two are the same), and every response needs a description to be valid OpenAPI.
    #[test]
    fn operation_ids_are_unique_and_responses_described() {
        let api = openapi();
        let mut seen = std::collections::BTreeMap::new();
        for (path, item) in api.paths.paths.clone().iter_mut() {
            for op in operations(item) {
                let id = op
                    .operation_id
                    .clone()
                    .filter(|id| !id.is_empty())
                    .unwrap_or_else(|| panic!("{path}: an operation without an id"));
                if let Some(other) = seen.insert(id.clone(), path.clone()) {
                    panic!("operationId `{id}` on {other} and {path}");
                }
                for (status, resp) in &op.responses.responses {
                    if let RefOr::T(r) = resp {
                        assert!(!r.description.is_empty(), "{path} {status}: no description");
                    }
                }
            }
        }
        assert!(seen.len() > 60, "{} operations", seen.len());
    }
}
