//! `/units`: the administrative unit tree (public reading) and units the platform creates.

use actix_web::http::StatusCode;
use actix_web::web::{Bytes, Data, Json, Path, Query};
use actix_web::{HttpRequest, HttpResponse, get, post};
use bvantq_shared::api::{CreateUnitRequest, UnitDetail, UnitPage};
use bvantq_shared::error::Problem;
use bvantq_shared::text::fold;
use bvantq_shared::{UnitCode, UnitKind, ValidationError};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::AuthUser;
use crate::infra::core::Core;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::infra::idempotent;
use crate::infra::request::{decode_cursor, idempotency, page_limit, paginate, parse_json};
use crate::units::scope::require as require_scope;
use crate::units::store::{self as units, NewUnitRow, UnitQuery};
use crate::units::tree as unit_tree;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListParams {
    /// Children of this unit; without it (and without `q`), the top-level units (provinces).
    parent: Option<String>,
    /// Search text; diacritics and case are ignored (`ba dinh` finds "Ba Đình"); also matches a
    /// code prefix.
    q: Option<String>,
    /// Only units of this kind.
    kind: Option<String>,
    /// Include units that no longer exist (merged provinces, former districts).
    #[serde(default)]
    include_history: bool,
    cursor: Option<String>,
    /// 1–1000, default 100.
    limit: Option<i64>,
}

/// List or search units.
#[utoipa::path(
    tag = "units",
    params(ListParams),
    responses((status = 200, body = UnitPage), (status = 422, body = Problem))
)]
#[get("/units")]
pub async fn list(
    state: Data<Core>,
    params: Query<ListParams>,
) -> Result<Json<UnitPage>, ApiError> {
    let p = params.into_inner();
    let limit = page_limit(p.limit, 100, 1000)?;
    let parent = match p.parent.as_deref().filter(|s| !s.is_empty()) {
        Some(s) => Some(
            UnitCode::parse(s)
                .map_err(|e| ApiError::field("parent", e))?
                .to_string(),
        ),
        None => None,
    };
    let kind = match p.kind.as_deref().filter(|s| !s.is_empty()) {
        Some(k) => Some(UnitKind::parse(k).map_err(|e| ApiError::field("kind", e))?),
        None => None,
    };
    let q = p.q.as_deref().map(fold).filter(|s| !s.is_empty());
    if q.as_ref().is_some_and(|s| s.chars().count() > 100) {
        return Err(ApiError::field("q", ValidationError::TooLong { max: 100 }));
    }
    let after = p.cursor.as_deref().map(decode_cursor).transpose()?;
    let today = state.now().date();
    let query = UnitQuery {
        parent,
        q,
        kind,
        include_history: p.include_history,
        after,
        limit: limit + 1,
        under_path: None,
    };
    let rows = state
        .db(move |conn| Ok(units::list(conn, &query, today)?))
        .await?;
    let (rows, next_cursor) = paginate(rows, limit, |r| r.code.clone());
    Ok(Json(UnitPage {
        items: rows.iter().map(|r| r.to_dto(today)).collect(),
        next_cursor,
    }))
}

/// One unit with its ancestors and its history (what it replaced, what replaced it).
#[utoipa::path(
    tag = "units",
    params(("code" = String, Path, description = "Unit code, e.g. 56 or 22333")),
    responses((status = 200, body = UnitDetail), (status = 404, body = Problem), (status = 422, body = Problem))
)]
#[get("/units/{code}")]
pub async fn get_one(state: Data<Core>, code: Path<String>) -> Result<Json<UnitDetail>, ApiError> {
    let code = UnitCode::parse(&code).map_err(|e| ApiError::field("code", e))?;
    let today = state.now().date();
    let detail = state.db(move |conn| detail(conn, &code, today)).await?;
    Ok(Json(detail))
}

fn detail(
    conn: &mut DbConn,
    code: &UnitCode,
    today: chrono::NaiveDate,
) -> Result<UnitDetail, ApiError> {
    let unit = units::find(conn, code.as_str())?.ok_or(ApiError::NotFound)?;
    let lineage: Vec<&str> = unit.lineage();
    let ancestor_codes = &lineage[..lineage.len().saturating_sub(1)];
    let mut ancestors = units::find_many(conn, ancestor_codes)?;
    ancestors.sort_by_key(|a| a.path.len());
    Ok(UnitDetail {
        ancestors: ancestors.iter().map(|a| a.to_dto(today)).collect(),
        predecessors: units::predecessors(conn, &unit.code)?
            .iter()
            .map(|u| u.to_dto(today))
            .collect(),
        successors: units::successors(conn, &unit)?
            .iter()
            .map(|u| u.to_dto(today))
            .collect(),
        children_count: units::children_count(conn, &unit.code)?,
        unit: unit.to_dto(today),
    })
}

/// Create a residential area, school, class, agency, enterprise or department.
///
/// The parent must be in the caller's scope and the caller's role must be allowed to create that
/// kind: ward officers create residential areas, schools, agencies and enterprises in their
/// commune; school admins create classes; org admins create departments. Requires an
/// `Idempotency-Key` header.
#[utoipa::path(
    tag = "units",
    security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "1–100 ASCII characters, unique per intended write")),
    request_body = CreateUnitRequest,
    responses(
        (status = 201, body = UnitDetail),
        (status = 401, body = Problem),
        (status = 403, body = Problem),
        (status = 422, body = Problem),
    )
)]
#[post("/units")]
pub async fn create(
    state: Data<Core>,
    req: HttpRequest,
    user: AuthUser,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let idem = idempotency(&req, &body, &user.id, &state.config.tip_sealer)?;
    let input: CreateUnitRequest = parse_json(&body)?;
    let new = input.parse()?;
    if !user.role.may_create(new.kind) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    let now = state.now();
    idempotent::run(&state, idem, move |conn| {
        let parent = units::find(conn, new.parent.as_str())?
            .ok_or_else(|| ApiError::field("parent_code", ValidationError::UnknownUnit))?;
        require_scope(&user, &parent)?;
        if !parent.is_current(now.date()) || !new.kind.allowed_under(parent.kind) {
            return Err(ApiError::field("kind", ValidationError::UnitKindNotAllowed));
        }
        let code = unit_tree::next_platform_code(conn, &parent, new.kind)?;
        let row = NewUnitRow {
            name_ascii: fold(&new.name),
            path: units::child_path(Some(&parent), code.as_str()),
            code: code.to_string(),
            kind: new.kind,
            name: new.name,
            full_name: new.full_name,
            parent_code: Some(parent.code.clone()),
            valid_from: Some(now.date()),
            valid_to: None,
            replaced_by: None,
            created_at: now,
            updated_at: now,
        };
        units::insert(conn, &row)?;
        tracing::info!(unit = %row.code, kind = %row.kind, by = %user.id, "unit created");
        let d = detail(conn, &code, now.date())?;
        Ok((
            StatusCode::CREATED,
            serde_json::to_value(d).map_err(ApiError::internal)?,
        ))
    })
    .await
}
