//! `/pledge-templates`: versioned pledge texts. A published version never changes; an edit of it
//! is a new version.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{TemplateDto, TemplateRequest};
use bvantq_shared::{PledgeKind, Role};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{AuthUser, require_role};
use crate::db::campaigns::{self, TemplateRow};
use crate::db::{self};
use crate::error::ApiError;
use crate::idempotent;
use crate::request::{idempotency, parse_json};
use crate::state::AppState;

fn published_conflict() -> ApiError {
    ApiError::Conflict {
        code: "template_published",
        vi: "Mẫu cam kết đã ban hành không thể sửa; hãy tạo phiên bản mới.".into(),
        en: "A published template cannot change; create a new version.".into(),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// household, student or worker
    kind: Option<String>,
}

/// List pledge templates, newest version first.
#[utoipa::path(tag = "pledges", params(ListParams), responses((status = 200, body = [TemplateDto])))]
#[get("/pledge-templates")]
pub async fn list(
    state: Data<AppState>,
    params: Query<ListParams>,
) -> Result<Json<Vec<TemplateDto>>, ApiError> {
    let kind = params
        .kind
        .as_deref()
        .map(PledgeKind::parse)
        .transpose()
        .map_err(|e| ApiError::field("kind", e))?;
    let rows = state
        .db(move |conn| Ok(campaigns::templates(conn, kind)?))
        .await?;
    Ok(Json(rows.iter().map(TemplateRow::to_dto).collect()))
}

/// Create a draft template: the next version of its kind.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    request_body = TemplateRequest,
    responses((status = 201, body = TemplateDto), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[post("/pledge-templates")]
pub async fn create(
    state: Data<AppState>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    require_role(&user, &[Role::ProvinceOfficer])?;
    let idem = idempotency(&req, &body, &user.id)?;
    let new = parse_json::<TemplateRequest>(&body)?.parse()?;
    let now = state.now();
    idempotent::run(&state, idem, move |conn| {
        let row = TemplateRow {
            id: db::new_id(),
            kind: new.kind.as_str().into(),
            version: campaigns::next_template_version(conn, new.kind)?,
            title_vi: new.title_vi,
            title_en: new.title_en,
            commitments: serde_json::to_string(&new.commitments).map_err(ApiError::internal)?,
            published_at: None,
            created_by: user.id.clone(),
            created_at: now,
        };
        campaigns::insert_template(conn, &row)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(row.to_dto()).map_err(ApiError::internal)?,
        ))
    })
    .await
}

/// Edit a draft template (409 once published).
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = TemplateRequest,
    responses((status = 200, body = TemplateDto), (status = 409, body = Problem), (status = 422, body = Problem))
)]
#[put("/pledge-templates/{id}")]
pub async fn update(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<TemplateDto>, ApiError> {
    require_role(&user, &[Role::ProvinceOfficer])?;
    let new = parse_json::<TemplateRequest>(&body)?.parse()?;
    let id = id.into_inner();
    let row = state
        .db(move |conn| {
            let existing = campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)?;
            if existing.kind() != new.kind {
                return Err(ApiError::field(
                    "kind",
                    bvantq_shared::ValidationError::UnitKindNotAllowed,
                ));
            }
            let json = serde_json::to_string(&new.commitments).map_err(ApiError::internal)?;
            if !campaigns::update_draft(conn, &id, &new.title_vi, new.title_en.as_deref(), &json)? {
                return Err(published_conflict());
            }
            campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(Json(row.to_dto()))
}

/// Publish a draft: from now on it is immutable and campaigns may use it.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = TemplateDto), (status = 409, body = Problem))
)]
#[post("/pledge-templates/{id}/publish")]
pub async fn publish(
    state: Data<AppState>,
    user: AuthUser,
    id: Path<String>,
) -> Result<Json<TemplateDto>, ApiError> {
    require_role(&user, &[Role::ProvinceOfficer])?;
    let id = id.into_inner();
    let now = state.now();
    let row = state
        .db(move |conn| {
            campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)?;
            if !campaigns::publish(conn, &id, now)? {
                return Err(published_conflict());
            }
            campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(Json(row.to_dto()))
}
