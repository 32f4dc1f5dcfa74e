//! Infrastructure every feature uses and that uses no feature: configuration, keys, the database
//! connection, errors, HTTP helpers, limits, metrics, logs, files, images, spreadsheets.

pub mod background;
pub mod cccd_keys;
pub mod clock;
pub mod config;
pub mod core;
pub mod db;
pub mod error;
pub mod etag;
pub mod export;
pub mod idempotent;
pub mod images;
pub mod metrics;
pub mod pdf;
pub mod qr;
pub mod ratelimit;
pub mod request;
pub mod sealing;
pub mod static_files;
pub mod telemetry;
pub mod webhook;
