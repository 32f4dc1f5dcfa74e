//! Account administration shared by the CLI and tests.

use bvantq_shared::UnitKind;
use bvantq_shared::api::NewUser;
use chrono::NaiveDateTime;

use crate::accounts::store::users::{self, NewUserRow, UserRow};
use crate::auth::password;
use crate::infra::config::Argon2Cost;
use crate::infra::db::{self, DbConn};
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
