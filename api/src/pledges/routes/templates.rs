//! `/pledge-templates`: versioned pledge texts, each owned by the nation (administrators) or by
//! one province. A published version never changes; an edit of it is a new version. Campaigns
//! use national templates and their own province's.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post, put};
use bvantq_shared::error::Problem;
use bvantq_shared::pledge::{TemplateDto, TemplateRequest};
use bvantq_shared::{PledgeKind, UnitCode};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::db::{self};
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{idempotency, parse_json};
use crate::pledges::store::campaigns::{self, TemplateRow};
use crate::pledges::templates::{managed_owners, owner_of_new, province_of, require_owner};
use crate::units::store as units;

fn published_conflict() -> ApiError {
    ApiError::Conflict {
        code: "template_published",
        vi: "Mẫu cam kết đã ban hành không thể sửa; hãy tạo phiên bản mới.".into(),
        en: "A published template cannot change; create a new version.".into(),
    }
}

fn parse_kind(kind: Option<&str>) -> Result<Option<PledgeKind>, ApiError> {
    kind.map(PledgeKind::parse)
        .transpose()
        .map_err(|e| ApiError::field("kind", e))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// household, student or worker
    kind: Option<String>,
    /// A unit whose campaigns would use the template: its province's templates are listed
    /// (first) beside the national ones. Without it, the national ones only.
    unit: Option<String>,
}

/// The templates a new campaign may use: published, not retired, national and (with `unit`)
/// of the unit's province — the province's own first, each newest version first.
#[utoipa::path(tag = "pledges", params(ListParams), responses((status = 200, body = [TemplateDto]), (status = 404, body = Problem), (status = 422, body = Problem)))]
#[get("/pledge-templates")]
pub async fn list(
    state: Data<Core>,
    params: Query<ListParams>,
) -> Result<Json<Vec<TemplateDto>>, ApiError> {
    let kind = parse_kind(params.kind.as_deref())?;
    let unit = params
        .unit
        .as_deref()
        .map(UnitCode::parse)
        .transpose()
        .map_err(|e| ApiError::field("unit", e))?;
    let rows = state
        .db(move |conn| {
            let province = match unit {
                Some(u) => {
                    let u = units::find(conn, u.as_str())?.ok_or(ApiError::NotFound)?;
                    province_of(&u).map(str::to_string)
                }
                None => None,
            };
            let mut rows = campaigns::templates(conn, kind, &[None, province.as_deref()], true)?;
            // The province's own before the national ones (a stable sort keeps versions in order).
            rows.sort_by_key(|t| t.owner_unit.is_none());
            Ok(rows)
        })
        .await?;
    Ok(Json(rows.iter().map(TemplateRow::to_dto).collect()))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct KindParams {
    /// household, student or worker
    kind: Option<String>,
}

/// The templates the caller owns, in every state (drafts, published, retired): a province
/// officer's province's, or an administrator's national ones.
#[utoipa::path(tag = "pledges", security(("bearer" = [])), params(KindParams),
    responses((status = 200, body = [TemplateDto]), (status = 403, body = Problem)))]
#[get("/pledge-templates/managed")]
pub async fn managed(
    state: Data<Core>,
    user: AuthUser,
    params: Query<KindParams>,
) -> Result<Json<Vec<TemplateDto>>, ApiError> {
    let kind = parse_kind(params.kind.as_deref())?;
    let owners = managed_owners(&user)?;
    let rows = state
        .db(move |conn| {
            let owners: Vec<Option<&str>> = owners.iter().map(Option::as_deref).collect();
            Ok(campaigns::templates(conn, kind, &owners, false)?)
        })
        .await?;
    Ok(Json(rows.iter().map(TemplateRow::to_dto).collect()))
}

/// Create a draft template: the next version of its kind, owned by the caller's province (a
/// province officer) or national (an administrator; or a province's, with `province`).
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)),
    request_body = TemplateRequest,
    responses((status = 201, body = TemplateDto), (status = 403, body = Problem), (status = 422, body = Problem))
)]
#[post("/pledge-templates")]
pub async fn create(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    managed_owners(&user)?;
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let new = parse_json::<TemplateRequest>(&body)?.parse()?;
    let owner = owner_of_new(&user, &new)?;
    let now = state.now();
    idempotent::run(&state, idem, move |conn| {
        if let Some(p) = &owner {
            units::find(conn, p)?
                .filter(|u| u.kind() == bvantq_shared::UnitKind::Province)
                .ok_or_else(|| {
                    ApiError::field("province", bvantq_shared::ValidationError::UnknownUnit)
                })?;
        }
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
            owner_unit: owner,
            retired_at: None,
        };
        campaigns::insert_template(conn, &row)?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(row.to_dto()).map_err(ApiError::internal)?,
        ))
    })
    .await
}

/// Edit a draft template (its owner only; 409 once published).
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    request_body = TemplateRequest,
    responses((status = 200, body = TemplateDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem))
)]
#[put("/pledge-templates/{id}")]
pub async fn update(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
    body: Bytes,
) -> Result<Json<TemplateDto>, ApiError> {
    managed_owners(&user)?;
    let new = parse_json::<TemplateRequest>(&body)?.parse()?;
    let id = id.into_inner();
    let row = state
        .db_write(move |conn| {
            let existing = campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)?;
            require_owner(&user, &existing)?;
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

/// Publish a draft (its owner only): from now on it is immutable and campaigns may use it.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = TemplateDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem))
)]
#[post("/pledge-templates/{id}/publish")]
pub async fn publish(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<Json<TemplateDto>, ApiError> {
    let id = id.into_inner();
    let now = state.now();
    let row = state
        .db_write(move |conn| {
            let t = campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)?;
            require_owner(&user, &t)?;
            if !campaigns::publish(conn, &id, now)? {
                return Err(published_conflict());
            }
            tracing::info!(template = %id, by = %user.id, "pledge template published");
            campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(Json(row.to_dto()))
}

/// Retire a published template (its owner only): no new campaign may use it; campaigns that do
/// keep their text.
#[utoipa::path(
    tag = "pledges",
    security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 200, body = TemplateDto), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem))
)]
#[post("/pledge-templates/{id}/retire")]
pub async fn retire(
    state: Data<Core>,
    user: AuthUser,
    id: Path<String>,
) -> Result<Json<TemplateDto>, ApiError> {
    let id = id.into_inner();
    let now = state.now();
    let row = state
        .db_write(move |conn| {
            let t = campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)?;
            require_owner(&user, &t)?;
            if !campaigns::retire(conn, &id, now)? {
                return Err(ApiError::Conflict {
                    code: "template_not_retirable",
                    vi: "Chỉ thôi dùng được mẫu đã ban hành và chưa thôi dùng.".into(),
                    en: "Only a published template that is still in use can be retired.".into(),
                });
            }
            tracing::info!(template = %id, by = %user.id, "pledge template retired");
            campaigns::template(conn, &id)?.ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(Json(row.to_dto()))
}
