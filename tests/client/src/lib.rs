//! The bvantq API as a generated client: `build.rs` reads the committed `api/openapi.json`,
//! states it in OpenAPI 3.0 (what progenitor reads; see there), and generates this crate's code
//! with progenitor, as a mobile team generates theirs with OpenAPI Generator. The journey test
//! (`tests/tests/client_journey.rs`) drives the real server through it.
#![allow(
    clippy::all,
    clippy::unwrap_used,
    clippy::expect_used,
    unused,
    missing_docs
)]

include!(concat!(env!("OUT_DIR"), "/client.rs"));
