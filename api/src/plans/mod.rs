//! Plans and results: the plans a province keeps (`versions`), its reporting year (`calendar`), each unit against the targets of
//! the plan in force (`service`), and the November report.

pub mod calendar;
pub mod emulation;
pub mod festivals;
pub mod figures;
pub mod national;
pub mod pdf_report;
pub mod report;
pub mod routes;
pub mod service;
pub mod store;
pub mod submissions;
pub mod versions;
