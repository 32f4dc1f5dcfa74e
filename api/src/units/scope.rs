//! Scope: an officer sees and acts only inside the subtree of their scope unit (administrators
//! everywhere). The one module every feature asks; a unit's path (`/56/22759/KD-22759-0001/`)
//! makes each check a prefix test.

use bvantq_shared::{Role, UnitCode, UnitKind};

use crate::auth::AuthUser;
use crate::infra::db::DbConn;
use crate::infra::error::ApiError;
use crate::units::store::{self, UnitRow};

/// Whether the unit at `path` lies in the caller's scope subtree (the scope unit included), for
/// a role that sees every kind of unit there; a role that sees some kinds only
/// ([`Role::sees_kind`]) is asked through [`in_scope`], which knows the unit's kind.
pub fn covers(user: &AuthUser, path: &str) -> bool {
    user.role == Role::Admin
        || (UnitKind::ALL.iter().all(|k| user.role.sees_kind(*k))
            && path.contains(&format!("/{}/", user.scope)))
}

/// Whether `unit` lies in the caller's scope subtree and is of a kind the caller's role sees
/// (the education department: schools and their classes).
pub fn in_scope(user: &AuthUser, unit: &UnitRow) -> bool {
    user.role == Role::Admin
        || (user.role.sees_kind(unit.kind) && unit.path.contains(&format!("/{}/", user.scope)))
}

/// The caller must be allowed to see `unit` (403 otherwise).
pub fn require(user: &AuthUser, unit: &UnitRow) -> Result<(), ApiError> {
    if in_scope(user, unit) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("out_of_scope"))
    }
}

/// Loads the unit `code` and checks it is in scope; an unknown code is a 404.
pub fn require_code(
    conn: &mut DbConn,
    user: &AuthUser,
    code: &UnitCode,
) -> Result<UnitRow, ApiError> {
    let unit = store::find(conn, code.as_str())?.ok_or(ApiError::NotFound)?;
    require(user, &unit)?;
    Ok(unit)
}

/// The unit a list or a count is about: `unit` if given, else the caller's scope unit; in scope.
pub fn target(conn: &mut DbConn, user: &AuthUser, unit: Option<&str>) -> Result<UnitRow, ApiError> {
    let code = match unit.map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => UnitCode::parse(u).map_err(|e| ApiError::field("unit", e))?,
        None => user.scope.clone(),
    };
    require_code(conn, user, &code)
}
