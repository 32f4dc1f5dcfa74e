//! The rules of pledge templates: who owns one (the nation — an administrator — or one province),
//! who may edit, publish or retire it (only its owner), and which a campaign may use (published,
//! not retired, national or of the campaign's own province).

use bvantq_shared::pledge::NewTemplate;
use bvantq_shared::{Role, ValidationError};

use crate::auth::AuthUser;
use crate::infra::error::ApiError;
use crate::pledges::store::campaigns::TemplateRow;
use crate::units::store::UnitRow;

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
    kind: bvantq_shared::PledgeKind,
) -> Result<TemplateRow, ApiError> {
    let province = province_of(owner);
    t.filter(|t| {
        t.published_at.is_some()
            && t.retired_at.is_none()
            && t.kind() == kind
            && t.owner_unit.as_deref().is_none_or(|p| Some(p) == province)
    })
    .ok_or_else(|| {
        ApiError::field(
            "template_id",
            ValidationError::UnknownValue { allowed: &[] },
        )
    })
}
