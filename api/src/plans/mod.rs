//! Plans and results: each unit against its province's plan targets, and the November report.

pub mod report;
pub mod routes;
pub mod service;
