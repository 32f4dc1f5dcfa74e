//! The administrative unit tree with its history, and the platform's own units (residential
//! areas, schools, classes, agencies, enterprises, departments).

pub mod routes;
pub mod scope;
pub mod service;
pub mod store;
pub mod tree;
