//! Plans and results: the plans a province keeps (`versions`), each unit against the targets of
//! the plan in force (`service`), and the November report.

pub mod report;
pub mod routes;
pub mod service;
pub mod store;
pub mod versions;
