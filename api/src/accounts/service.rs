//! Accounts a manager sets up, lists, locks and resets, inside the manager's scope; `add_user`
//! is shared with the CLI.

use bvantq_shared::api::{NewUser, UserDto, UserPage};
use bvantq_shared::{Role, UnitCode, UnitKind, ValidationError};
use chrono::NaiveDateTime;

use crate::accounts::store::tokens;
use crate::accounts::store::users::{self, NewUserRow, UserRow};
use crate::auth::locked::LockedAccounts;
use crate::auth::{AuthUser, password, require_role};
use crate::infra::config::{Argon2Cost, Config};
use crate::infra::db::{self, DbConn};
use crate::infra::error::ApiError;
use crate::infra::request::{decode_cursor, page_limit, paginate};
use crate::units::scope::{require as require_scope, require_code as require_scope_code};
use crate::units::store as units;

#[derive(Debug, thiserror::Error)]
pub enum AddUserError {
    #[error("scope unit {0} does not exist")]
    UnknownUnit(String),
    #[error("a {role} cannot be scoped to a unit of kind {kind}")]
    WrongScopeKind { role: String, kind: UnitKind },
    #[error("username {0} or its CCCD is already registered")]
    Taken(String),
    #[error("{0}")]
    Other(String),
}

/// Creates an account after checking its scope unit exists and fits the role.
pub fn add_user(
    conn: &mut DbConn,
    new: &NewUser,
    cccd: &crate::infra::cccd_keys::CccdKeys,
    cost: Argon2Cost,
    now: NaiveDateTime,
) -> Result<UserRow, AddUserError> {
    let unit = units::find(conn, new.scope_unit.as_str())
        .map_err(|e| AddUserError::Other(e.to_string()))?
        .ok_or_else(|| AddUserError::UnknownUnit(new.scope_unit.to_string()))?;
    if !new.role.scope_kinds().contains(&unit.kind) {
        return Err(AddUserError::WrongScopeKind {
            role: new.role.to_string(),
            kind: unit.kind,
        });
    }
    let hash = password::hash(&new.password, cost).map_err(AddUserError::Other)?;
    users::insert(
        conn,
        &NewUserRow {
            id: db::new_id(),
            username: new.username.clone(),
            display_name: new.display_name.to_string(),
            password_hash: hash,
            role: new.role,
            scope_unit: unit.code,
            phone: new.phone.as_ref().map(|p| p.e164().to_string()),
            citizen_id_hmac: new.citizen_id.as_ref().map(|c| cccd.hash(c)),
            citizen_id_last4: new.citizen_id.as_ref().map(|c| c.last4().to_string()),
            active: true,
            created_at: now,
            updated_at: now,
        },
    )
    .map_err(|e| {
        if db::is_unique_violation(&e) {
            AddUserError::Taken(new.username.clone())
        } else {
            AddUserError::Other(e.to_string())
        }
    })
}

/// Province officers create any officer account in their province; ward officers create school
/// and organisation administrators for units of their commune.
pub fn may_grant(user: &AuthUser, new: &NewUser) -> Result<(), ApiError> {
    if user.role.may_grant(new.role) {
        Ok(())
    } else {
        Err(ApiError::Forbidden("forbidden"))
    }
}

/// Creates an account for a unit in the caller's scope.
pub fn create(
    conn: &mut DbConn,
    user: &AuthUser,
    new: &NewUser,
    cfg: &Config,
    now: NaiveDateTime,
) -> Result<UserDto, ApiError> {
    may_grant(user, new)?;
    let unit = units::find(conn, new.scope_unit.as_str())?
        .ok_or_else(|| ApiError::field("scope_unit", ValidationError::UnknownUnit))?;
    require_scope(user, &unit)?;
    let created = add_user(conn, new, &cfg.cccd, cfg.argon2, now).map_err(|e| match e {
        AddUserError::UnknownUnit(_) => ApiError::field("scope_unit", ValidationError::UnknownUnit),
        AddUserError::WrongScopeKind { .. } => {
            ApiError::field("scope_unit", ValidationError::UnitKindNotAllowed)
        }
        AddUserError::Taken(_) => ApiError::Conflict {
            code: "account_exists",
            vi: "Tên đăng nhập hoặc số CCCD này đã có tài khoản.".into(),
            en: "This username or CCCD already has an account.".into(),
        },
        AddUserError::Other(m) => ApiError::Internal(m),
    })?;
    tracing::info!(user_id = %created.id, role = %created.role, by = %user.id, "account created");
    Ok(created.to_dto())
}

/// A listing of accounts, checked before any database work.
#[derive(Debug)]
pub struct Listing {
    unit: UnitCode,
    after: Option<String>,
    limit: i64,
}

impl Listing {
    /// Accounts scoped to `unit` or below it (default: the caller's scope): the province's and
    /// the wards' officers, a school for its form teachers.
    pub fn parse(
        user: &AuthUser,
        unit: Option<&str>,
        cursor: Option<&str>,
        limit: Option<i64>,
    ) -> Result<Self, ApiError> {
        require_role(
            user,
            &[Role::ProvinceOfficer, Role::WardOfficer, Role::SchoolAdmin],
        )?;
        let limit = page_limit(limit, 100, 500)?;
        let unit = match unit {
            Some(u) => UnitCode::parse(u).map_err(|e| ApiError::field("unit", e))?,
            None => user.scope.clone(),
        };
        let after = cursor.map(decode_cursor).transpose()?;
        Ok(Listing { unit, after, limit })
    }
}

/// One page of accounts in a unit's subtree, by username.
pub fn list(conn: &mut DbConn, user: &AuthUser, l: &Listing) -> Result<UserPage, ApiError> {
    let unit = require_scope_code(conn, user, &l.unit)?;
    let rows = users::list_under(conn, &unit.path, l.after.as_deref(), l.limit + 1)?;
    let (rows, next_cursor) = paginate(rows, l.limit, |r| r.username.clone());
    Ok(UserPage {
        items: rows.iter().map(|r| r.to_dto()).collect(),
        next_cursor,
    })
}

/// The account `id`, if the caller manages it: inside the caller's scope, of a role the caller may
/// manage (not a peer's, unless the caller is an administrator), and not the caller's own (nobody
/// locks themselves out or resets their own password here).
fn managed(conn: &mut DbConn, user: &AuthUser, id: &str) -> Result<UserRow, ApiError> {
    let target = users::by_id(conn, id)?.ok_or(ApiError::NotFound)?;
    let unit = units::find(conn, &target.scope_unit)?.ok_or(ApiError::NotFound)?;
    require_scope(user, &unit)?;
    if target.id == user.id || !user.role.may_manage(target.role) {
        return Err(ApiError::Forbidden("forbidden"));
    }
    Ok(target)
}

/// Locks an account (its sessions end: its refresh tokens stop working and its access token is
/// refused from now on) or unlocks it.
pub fn set_active(
    conn: &mut DbConn,
    user: &AuthUser,
    locked: &LockedAccounts,
    id: &str,
    active: bool,
    now: NaiveDateTime,
) -> Result<UserDto, ApiError> {
    let target = managed(conn, user, id)?;
    users::set_active(conn, &target.id, active, now)?;
    if !active {
        tokens::revoke_user(conn, &target.id, now)?;
    }
    // Refused here at once; by other instances within seconds (their maintenance thread).
    locked.set(&target.id, !active);
    tracing::info!(user_id = %target.id, active, by = %user.id, "account active flag set");
    let row = users::by_id(conn, &target.id)?.ok_or(ApiError::NotFound)?;
    Ok(row.to_dto())
}

/// Sets a new password (already hashed) for an account the caller manages; its sessions end.
pub fn reset_password(
    conn: &mut DbConn,
    user: &AuthUser,
    id: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let target = managed(conn, user, id)?;
    users::set_password(conn, &target.id, hash, now)?;
    tokens::revoke_user(conn, &target.id, now)?;
    tracing::info!(user_id = %target.id, by = %user.id, "account password reset");
    Ok(())
}
