//! A form posted by a browser without script: `application/x-www-form-urlencoded`, or
//! `multipart/form-data` when it carries photos. Read whole within a limit (what is over it is a
//! 413, drawn as a page), text fields as UTF-8.

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::Payload;
use base64::Engine;
use bvantq_shared::tip::PhotoUpload;
use futures_util::StreamExt;

use actix_web::HttpResponse;
use bvantq_shared::i18n::Lang;

use super::page::{Values, error_page, language};
use crate::app::state::Site;
use crate::infra::error::ApiError;
use crate::infra::request::read_body;

pub struct Posted {
    fields: Vec<(String, String)>,
    /// Files chosen, by field name, in the order sent (an input left empty sends none).
    files: Vec<(String, Vec<u8>)>,
}

fn bad(what: &str) -> ApiError {
    ApiError::BadBody(what.to_string())
}

impl Posted {
    /// The post read whole and the language its page answers in; when it cannot be read, the
    /// page that says why, in the language the request otherwise asks for.
    pub async fn read_form(
        req: &HttpRequest,
        payload: Payload,
        limit: usize,
        path: &str,
        site: &Site,
    ) -> Result<(Self, Lang), HttpResponse> {
        match Self::read(req, payload, limit).await {
            Ok(p) => {
                let (lang, _) = language(req, p.get("lang"));
                Ok((p, lang))
            }
            Err(e) => Err(error_page(&e, req, language(req, None).0, path, site)),
        }
    }

    pub async fn read(req: &HttpRequest, payload: Payload, limit: usize) -> Result<Self, ApiError> {
        let kind = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map_or(String::new(), str::to_ascii_lowercase);
        if kind.starts_with("multipart/form-data") {
            return Self::multipart(req, payload, limit).await;
        }
        if !kind.starts_with("application/x-www-form-urlencoded") {
            return Err(bad(
                "a form is posted as application/x-www-form-urlencoded or multipart/form-data",
            ));
        }
        let body = read_body(payload, limit).await?;
        let fields = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body)
            .map_err(|_| bad("the form's fields could not be read"))?;
        Ok(Posted {
            fields,
            files: Vec::new(),
        })
    }

    async fn multipart(
        req: &HttpRequest,
        payload: Payload,
        limit: usize,
    ) -> Result<Self, ApiError> {
        let mut parts = actix_multipart::Multipart::new(req.headers(), payload);
        let (mut fields, mut files, mut total) = (Vec::new(), Vec::new(), 0usize);
        while let Some(part) = parts.next().await {
            let mut part = part.map_err(|_| bad("the form's parts could not be read"))?;
            let (name, is_file) = match part.content_disposition() {
                Some(cd) => (
                    cd.get_name().map(str::to_string),
                    cd.get_filename().is_some(),
                ),
                None => (None, false),
            };
            let name = name.ok_or_else(|| bad("a part of the form has no name"))?;
            let mut bytes = Vec::new();
            while let Some(chunk) = part.next().await {
                let chunk = chunk.map_err(|_| bad("the form's parts could not be read"))?;
                total += chunk.len();
                if total > limit {
                    return Err(ApiError::TooLarge { max_bytes: limit });
                }
                bytes.extend_from_slice(&chunk);
            }
            if is_file {
                if !bytes.is_empty() {
                    files.push((name, bytes));
                }
            } else {
                let text = String::from_utf8(bytes)
                    .map_err(|_| bad("a field of the form is not UTF-8"))?;
                fields.push((name, text));
            }
        }
        Ok(Posted { fields, files })
    }

    /// The first value of field `k`, if sent.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of field `k`, in the order sent.
    pub fn all<'a>(&'a self, k: &'a str) -> impl Iterator<Item = &'a str> {
        self.fields
            .iter()
            .filter(move |(name, _)| name == k)
            .map(|(_, v)| v.as_str())
    }

    /// A checkbox: sent (a browser sends only the ticked ones) with a value other than `off`.
    pub fn checked(&self, k: &str) -> bool {
        self.get(k).is_some_and(|v| !v.is_empty() && v != "off")
    }

    /// The fields of `names` that were sent, as typed.
    pub fn values(&self, names: &[&str]) -> Values {
        names
            .iter()
            .filter_map(|n| self.get(n).map(|v| (n.to_string(), v.to_string())))
            .collect()
    }

    /// The photos chosen in field `name`, as the API takes them (base64 in a data URL; the
    /// bytes decide the type, `tips::service::intake`, not the label).
    pub fn photos(&self, name: &str) -> impl Iterator<Item = PhotoUpload> {
        let b64 = base64::engine::general_purpose::STANDARD;
        self.files
            .iter()
            .filter(move |(n, _)| n == name)
            .map(move |(_, bytes)| PhotoUpload {
                data: format!("data:application/octet-stream;base64,{}", b64.encode(bytes)),
            })
    }
}
