//! The composition root: the route table and its OpenAPI document, the server and its shared
//! state, the pages, the scheduled jobs and the demo data. Nothing below imports from here.

pub mod backup;
pub mod citizen;
pub mod demo;
pub mod jobs;
pub mod methods;
pub mod openapi;
pub mod pages;
pub mod routes;
pub mod server;
pub mod state;
pub mod system;
