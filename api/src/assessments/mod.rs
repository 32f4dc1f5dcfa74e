//! Assessments (đánh giá, phân loại) against TT 124/2021/TT-BCA: criteria sets, the yearly
//! assessment of a unit, its evidence, review and approval.

pub mod routes;
pub mod service;
pub mod store;
