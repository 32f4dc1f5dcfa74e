//! Pledges (cam kết): templates, campaigns, signing (one path, batched on PostgreSQL), rosters,
//! coverage, disputes and exports.

pub mod batch;
pub mod cache;
pub mod exports;
pub mod listen;
pub mod routes;
pub mod service;
pub mod state;
pub mod store;
