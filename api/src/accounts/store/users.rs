//! Officer and administrator accounts.

use bvantq_shared::Role;
use bvantq_shared::api::UserDto;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::infra::db::DbConn;
use crate::infra::db::schema::{units, users};

#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub scope_unit: String,
    pub phone: Option<String>,
    pub citizen_id_hmac: Option<String>,
    pub citizen_id_last4: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl UserRow {
    pub fn to_dto(&self) -> UserDto {
        UserDto {
            id: self.id.clone(),
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: self.role,
            scope_unit: self.scope_unit.clone(),
            active: self.active,
            citizen_id_last4: self.citizen_id_last4.clone(),
            created_at: self.created_at,
        }
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub scope_unit: String,
    pub phone: Option<String>,
    pub citizen_id_hmac: Option<String>,
    pub citizen_id_last4: Option<String>,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, row: &NewUserRow) -> QueryResult<UserRow> {
    diesel::insert_into(users::table)
        .values(row)
        .execute(conn)?;
    users::table
        .find(&row.id)
        .select(UserRow::as_select())
        .first(conn)
}

pub fn by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn by_id(conn: &mut DbConn, id: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

/// Accounts whose scope unit lies under `path_prefix`, ordered by username.
pub fn list_under(
    conn: &mut DbConn,
    path_prefix: &str,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<UserRow>> {
    let mut q = users::table
        .inner_join(units::table)
        .filter(
            units::path
                .like(crate::units::store::like_prefix(path_prefix))
                .escape('\\'),
        )
        .select(UserRow::as_select())
        .into_boxed();
    if let Some(a) = after {
        q = q.filter(users::username.gt(a.to_string()));
    }
    q.order(users::username.asc()).limit(limit).load(conn)
}

pub fn set_password(
    conn: &mut DbConn,
    id: &str,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
}

/// Locks or unlocks an account.
pub fn set_active(
    conn: &mut DbConn,
    id: &str,
    active: bool,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(users::table.find(id))
        .set((users::active.eq(active), users::updated_at.eq(now)))
        .execute(conn)
}

/// Ids of locked accounts (their access tokens are refused at once).
pub fn locked_ids(conn: &mut DbConn) -> QueryResult<Vec<String>> {
    users::table
        .filter(users::active.eq(false))
        .select(users::id)
        .load(conn)
}
