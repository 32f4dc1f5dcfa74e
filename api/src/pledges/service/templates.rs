//! Pledge templates (mẫu cam kết): who owns one (the nation — an administrator — or one
//! province), who may edit, publish or retire it (only its owner), which a campaign may use
//! (published, not retired, national or of the campaign's own province). A published version
//! never changes; an edit of it is a new version.

use bvantq_shared::pledge::{NewTemplate, TemplateDto};
use bvantq_shared::{PledgeKind, Role, UnitCode, UnitKind, ValidationError};
use chrono::NaiveDateTime;

use crate::auth::AuthUser;
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::pledges::store::campaigns::{self, TemplateRow};
use crate::units::store::{self as units, UnitRow};

/// The province a unit belongs to (the root of its lineage).
pub fn province_of(unit: &UnitRow) -> Option<&str> {
    unit.lineage().first().copied()
}

/// The owner of a new template: `None` for a national one.
pub fn owner_of_new(user: &AuthUser, new: &NewTemplate) -> Result<Option<String>, ApiError> {
    match (user.role, &new.province) {
        (Role::Admin, p) => Ok(p.as_ref().map(|p| p.to_string())),
        (Role::ProvinceOfficer, None) => Ok(Some(user.scope.to_string())),
        (Role::ProvinceOfficer, Some(p)) if *p == user.scope => Ok(Some(p.to_string())),
        (Role::ProvinceOfficer, Some(_)) => Err(ApiError::Forbidden("out_of_scope")),
        _ => Err(ApiError::Forbidden("forbidden")),
    }
}

/// Only the owner edits, publishes or retires: an administrator for a national template, the
/// officers of its province (or an administrator) for a province's.
pub fn require_owner(user: &AuthUser, t: &TemplateRow) -> Result<(), ApiError> {
    let ok = match (&t.owner_unit, user.role) {
        (_, Role::Admin) => true,
        (Some(p), Role::ProvinceOfficer) => p == user.scope.as_str(),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(ApiError::Forbidden("template_owner"))
    }
}

/// The owners whose templates the caller manages (`None`: national).
pub fn managed_owners(user: &AuthUser) -> Result<Vec<Option<String>>, ApiError> {
    match user.role {
        Role::Admin => Ok(vec![None]),
        Role::ProvinceOfficer => Ok(vec![Some(user.scope.to_string())]),
        _ => Err(ApiError::Forbidden("forbidden")),
    }
}

/// The template a campaign owned by `owner` may use: published, not retired, of the campaign's
/// kind, national or of the owner's province.
pub fn require_usable(
    t: Option<TemplateRow>,
    owner: &UnitRow,
    kind: PledgeKind,
) -> Result<TemplateRow, ApiError> {
    let province = province_of(owner);
    t.filter(|t| {
        t.published_at.is_some()
            && t.retired_at.is_none()
            && t.kind == kind
            && t.owner_unit.as_deref().is_none_or(|p| Some(p) == province)
    })
    .ok_or_else(|| {
        ApiError::field(
            "template_id",
            ValidationError::UnknownValue { allowed: &[] },
        )
    })
}

fn published_conflict() -> ApiError {
    ApiError::Conflict {
        code: "template_published",
        vi: "Mẫu cam kết đã ban hành không thể sửa; hãy tạo phiên bản mới.".into(),
        en: "A published template cannot change; create a new version.".into(),
    }
}

fn dtos(rows: &[TemplateRow]) -> Result<Vec<TemplateDto>, ApiError> {
    rows.iter()
        .map(|t| t.to_dto().map_err(ApiError::internal))
        .collect()
}

fn dto(row: &TemplateRow) -> Result<TemplateDto, ApiError> {
    row.to_dto().map_err(ApiError::internal)
}

/// The templates a new campaign may use: published, not retired, national and (with `unit`)
/// of the unit's province — the province's own first, each newest version first.
pub fn usable(
    conn: &mut DbConn,
    kind: Option<PledgeKind>,
    unit: Option<&UnitCode>,
) -> Result<Vec<TemplateDto>, ApiError> {
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
    dtos(&rows)
}

/// The templates the caller owns, in every state (drafts, published, retired).
pub fn managed(
    conn: &mut DbConn,
    user: &AuthUser,
    kind: Option<PledgeKind>,
) -> Result<Vec<TemplateDto>, ApiError> {
    let owners = managed_owners(user)?;
    let owners: Vec<Option<&str>> = owners.iter().map(Option::as_deref).collect();
    dtos(&campaigns::templates(conn, kind, &owners, false)?)
}

/// A new draft: the next version of its kind, owned by the caller's province (a province
/// officer) or national (an administrator; or a province's, with `province`).
pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    new: NewTemplate,
    now: NaiveDateTime,
) -> Result<TemplateDto, ApiError> {
    let owner = owner_of_new(user, &new)?;
    if let Some(p) = &owner {
        units::find(conn, p)?
            .filter(|u| u.kind == UnitKind::Province)
            .ok_or_else(|| ApiError::field("province", ValidationError::UnknownUnit))?;
    }
    let row = TemplateRow {
        id: db::new_id(),
        kind: new.kind,
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
    dto(&row)
}

/// Edits a draft (its owner only; a conflict once published). Its kind cannot change.
pub fn update(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    new: &NewTemplate,
) -> Result<TemplateDto, ApiError> {
    let existing = campaigns::template(conn, id)?.ok_or(ApiError::NotFound)?;
    require_owner(user, &existing)?;
    if existing.kind != new.kind {
        return Err(ApiError::field("kind", ValidationError::UnitKindNotAllowed));
    }
    let json = serde_json::to_string(&new.commitments).map_err(ApiError::internal)?;
    if !campaigns::update_draft(conn, id, &new.title_vi, new.title_en.as_deref(), &json)? {
        return Err(published_conflict());
    }
    dto(&campaigns::template(conn, id)?.ok_or(ApiError::NotFound)?)
}

/// Publishes a draft (its owner only): from now on it is immutable and campaigns may use it.
pub fn publish(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    now: NaiveDateTime,
) -> Result<TemplateDto, ApiError> {
    let t = campaigns::template(conn, id)?.ok_or(ApiError::NotFound)?;
    require_owner(user, &t)?;
    if !campaigns::publish(conn, id, now)? {
        return Err(published_conflict());
    }
    tracing::info!(template = %id, by = %user.id, "pledge template published");
    dto(&campaigns::template(conn, id)?.ok_or(ApiError::NotFound)?)
}

/// Retires a published template (its owner only): no new campaign may use it; campaigns that
/// do keep their text.
pub fn retire(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    now: NaiveDateTime,
) -> Result<TemplateDto, ApiError> {
    let t = campaigns::template(conn, id)?.ok_or(ApiError::NotFound)?;
    require_owner(user, &t)?;
    if !campaigns::retire(conn, id, now)? {
        return Err(ApiError::Conflict {
            code: "template_not_retirable",
            vi: "Chỉ thôi dùng được mẫu đã ban hành và chưa thôi dùng.".into(),
            en: "Only a published template that is still in use can be retired.".into(),
        });
    }
    tracing::info!(template = %id, by = %user.id, "pledge template retired");
    dto(&campaigns::template(conn, id)?.ok_or(ApiError::NotFound)?)
}
