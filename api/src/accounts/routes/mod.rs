//! `/auth/*` (a session) and `/users` (the accounts of a scope).

pub mod session;
pub mod users;
