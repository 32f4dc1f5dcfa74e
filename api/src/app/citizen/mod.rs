//! The citizen pages drawn on the server: the pledge form (`/k/{code}`), the tip form
//! (`/to-giac`) and the follow-up page (`/theo-doi`) arrive as complete HTML forms that post
//! back here with no script at all (`application/x-www-form-urlencoded`, or
//! `multipart/form-data` with photos). A bad field draws the form again with every value kept and
//! the server's message on the field, in the page's language; a good one draws the receipt.
//!
//! These are server templates, not yew's renderer: the markup mirrors the wasm components'
//! element for element (the same classes, ids and order), the words come from the one table in
//! `shared::i18n`, and every check is the `shared` parser the API runs, called through the same
//! operations the API's routes call. When the wasm arrives on a form page it reads what is
//! already typed there and draws the same form over it (`web-form/src/lib.rs`, `mount`).

mod follow;
mod page;
mod pledge;
mod posted;
mod tip;
mod tip_page;

use actix_web::web;

/// The page routes (GET draws, POST takes the form).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/k/{code}", web::get().to(pledge::show))
        .route("/k/{code}", web::post().to(pledge::take))
        .route("/to-giac", web::get().to(tip::show))
        .route("/to-giac", web::post().to(tip::take))
        .route("/theo-doi", web::get().to(follow::show))
        .route("/theo-doi", web::post().to(follow::take));
}
