//! Conditional answers for the public lists a phone re-opens often (a campaign's page, the unit
//! tree): each answer carries an `ETag` (a hash of its bytes); a request whose `If-None-Match`
//! names it gets `304 Not Modified` and no body, so a phone on metered data downloads a page only
//! when it changed. The answer may be stored but is revalidated each time (`no-cache`).

use actix_web::HttpRequest;
use actix_web::HttpResponse;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::infra::error::ApiError;

/// The entity tag of `bytes`: 128 bits of their SHA-256, quoted (a strong tag).
pub fn tag_of(bytes: &[u8]) -> String {
    format!(
        "\"{}\"",
        crate::infra::db::hex(&Sha256::digest(bytes)[..16])
    )
}

/// Whether `If-None-Match` (a list of tags, or `*`) names `tag`.
fn matches(req: &HttpRequest, tag: &str) -> bool {
    req.headers()
        .get_all(IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == tag)
}

/// `body` as JSON with its `ETag`, or a bodiless 304 when the client already holds it.
pub fn json<T: Serialize>(req: &HttpRequest, body: &T) -> Result<HttpResponse, ApiError> {
    let bytes = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let tag = tag_of(&bytes);
    if matches(req, &tag) {
        return Ok(HttpResponse::NotModified()
            .insert_header((ETAG, tag))
            .insert_header((CACHE_CONTROL, "no-cache"))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/json"))
        .insert_header((ETAG, tag))
        .insert_header((CACHE_CONTROL, "no-cache"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn a_known_tag_gets_a_304_and_a_changed_body_a_200() {
        let body = serde_json::json!({"code": "K7M2QZ", "open": true});
        let first = json(&TestRequest::default().to_http_request(), &body).unwrap();
        assert_eq!(first.status(), 200);
        let tag = first
            .headers()
            .get(ETAG)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let again = TestRequest::default()
            .insert_header((IF_NONE_MATCH, tag.clone()))
            .to_http_request();
        let r = json(&again, &body).unwrap();
        assert_eq!(r.status(), 304);
        assert_eq!(r.headers().get(ETAG).unwrap().to_str().unwrap(), tag);
        // The campaign closed: another body, another tag, a full answer.
        let changed = serde_json::json!({"code": "K7M2QZ", "open": false});
        assert_eq!(json(&again, &changed).unwrap().status(), 200);
        // A list of tags, one of them ours, and `*`.
        for header in [format!("\"x\", {tag}"), "*".to_string(), format!("W/{tag}")] {
            let req = TestRequest::default()
                .insert_header((IF_NONE_MATCH, header.clone()))
                .to_http_request();
            assert_eq!(json(&req, &body).unwrap().status(), 304, "{header}");
        }
    }
}
