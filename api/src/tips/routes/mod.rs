//! `/tips`: anonymous intake, the reporter's follow-up by receipt code, and the ward's queue.
//!
//! The public routes never see an address stored or logged: the client address lives only in the
//! in-memory rate limiters, and the request log skips these routes (see `app::server`).

pub mod audit;
pub mod desk;
pub mod notices;
pub mod queue;
pub mod reporter;

/// Largest tip or reporter message body: five photos at the cap, base64-encoded, plus text.
pub const TIP_BODY_LIMIT: usize = 22 * 1024 * 1024;

/// A reporter's routes (method, pattern): no request log line, only hourly totals in metrics.
pub const UNLOGGED: &[(&str, &str)] = &[
    ("POST", "/api/v1/tips"),
    ("POST", "/api/v1/tips/follow-up"),
    ("POST", "/api/v1/tips/follow-up/messages"),
    // The same, posted from the pages the server draws (`app::citizen`).
    ("POST", "/to-giac"),
    ("POST", "/theo-doi"),
];
