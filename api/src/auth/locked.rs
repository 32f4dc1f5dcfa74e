//! Accounts that are locked: their access tokens (valid up to 15 minutes after they were issued)
//! are refused at once. The set is kept in memory, changed by the process that locks or unlocks
//! an account and replaced with what the database says every few seconds by the maintenance
//! thread, so a lock made through another instance reaches this one within seconds.

use std::collections::HashSet;
use std::sync::{PoisonError, RwLock};

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

    /// Replaces the set with the ids of the accounts locked now.
    pub fn replace(&self, ids: impl IntoIterator<Item = String>) {
        let fresh: HashSet<String> = ids.into_iter().collect();
        *self.ids.write().unwrap_or_else(PoisonError::into_inner) = fresh;
    }
}
