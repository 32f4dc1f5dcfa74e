//! A documented path asked with a method it does not have: `405 Method Not Allowed` with an
//! `Allow` header naming the ones it has (RFC 9110 §15.5.6), not a 404 that would tell a client the
//! path does not exist. The paths and their methods are read from the OpenAPI document.

use actix_web::http::header::ALLOW;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use bvantq_shared::Problem;
use bvantq_shared::error::PROBLEM_CONTENT_TYPE;

/// Each documented path as its segments (`{name}` matches any one segment), with its methods.
#[derive(Debug, Default)]
pub struct Routes(Vec<(Vec<String>, Vec<&'static str>)>);

impl Routes {
    pub fn from_doc(api: &utoipa::openapi::OpenApi) -> Self {
        let mut out = Vec::new();
        for (path, item) in &api.paths.paths {
            let methods: Vec<&'static str> = [
                ("GET", item.get.is_some()),
                ("PUT", item.put.is_some()),
                ("POST", item.post.is_some()),
                ("DELETE", item.delete.is_some()),
                ("PATCH", item.patch.is_some()),
            ]
            .into_iter()
            .filter_map(|(m, has)| has.then_some(m))
            .collect();
            let segments = path.split('/').map(str::to_string).collect();
            out.push((segments, methods));
        }
        Routes(out)
    }

    /// The methods of the documented path `path` matches, if any.
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let asked: Vec<&str> = path.split('/').collect();
        let mut found: Vec<&'static str> = Vec::new();
        for (segments, methods) in &self.0 {
            let same = segments.len() == asked.len()
                && segments.iter().zip(&asked).all(|(s, a)| {
                    (s.starts_with('{') && s.ends_with('}') && !a.is_empty()) || s == a
                });
            if same {
                found.extend(methods.iter().copied());
            }
        }
        found.sort_unstable();
        found.dedup();
        (!found.is_empty()).then_some(found)
    }
}

/// Whatever no route answers: a 405 for a documented path, else a 404 (both problem+json).
pub async fn fallback(req: HttpRequest, routes: Data<Routes>) -> HttpResponse {
    let allowed = routes.allowed(req.path());
    let (status, code, title, vi, en) = match &allowed {
        Some(_) => (
            405,
            "method_not_allowed",
            "Method Not Allowed",
            "Phương thức không được hỗ trợ cho địa chỉ này.",
            "This address does not take this method.",
        ),
        None => (
            404,
            "no_route",
            "Not Found",
            "Không tìm thấy.",
            "Not found.",
        ),
    };
    let p = Problem::new(status, code, title, vi.into(), en.into());
    let mut res = match allowed {
        Some(m) => {
            let mut r = HttpResponse::MethodNotAllowed();
            r.insert_header((ALLOW, m.join(", ")));
            r
        }
        None => HttpResponse::NotFound(),
    };
    res.content_type(PROBLEM_CONTENT_TYPE).json(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_path_names_its_methods() {
        let api = crate::app::openapi::openapi();
        let r = Routes::from_doc(&api);
        assert_eq!(r.allowed("/api/v1/units"), Some(vec!["GET", "POST"]));
        assert_eq!(r.allowed("/api/v1/units/22333"), Some(vec!["GET"]));
        assert_eq!(r.allowed("/api/v1/tips/abc/transition"), Some(vec!["POST"]));
        assert_eq!(r.allowed("/api/v1/nothing"), None);
        assert_eq!(r.allowed("/api/v1/units//x"), None);
    }
}
