//! Tables of accounts: users and refresh tokens.

pub mod tokens;
pub mod users;
