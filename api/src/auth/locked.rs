//! Accounts that are locked: their access tokens (valid up to 15 minutes after they were issued)
//! are refused at once. The set is kept in memory, changed by the process that locks or unlocks
//! an account and read again from the database every few seconds by the maintenance thread, so
//! a lock made through another instance reaches this one within [`crate::app::jobs::TICK`].

use std::collections::HashSet;
use std::sync::{PoisonError, RwLock};

use crate::accounts::store::users;
use crate::infra::db::DbConn;

#[derive(Debug, Default)]
pub struct LockedAccounts {
    ids: RwLock<HashSet<String>>,
}

impl LockedAccounts {
    pub fn contains(&self, id: &str) -> bool {
        self.ids
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .contains(id)
    }

    pub fn set(&self, id: &str, locked: bool) {
        let mut ids = self.ids.write().unwrap_or_else(PoisonError::into_inner);
        if locked {
            ids.insert(id.to_string());
        } else {
            ids.remove(id);
        }
    }

    /// Reads the set from the database.
    pub fn reload(&self, conn: &mut DbConn) -> diesel::QueryResult<()> {
        let fresh: HashSet<String> = users::locked_ids(conn)?.into_iter().collect();
        *self.ids.write().unwrap_or_else(PoisonError::into_inner) = fresh;
        Ok(())
    }
}
