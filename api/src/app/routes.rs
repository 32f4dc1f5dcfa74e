//! The route table: every API route is registered here, once, and the OpenAPI document is
//! generated from the same registration, so the two cannot drift apart.

use crate::accounts::routes::{session as auth, users};
use crate::app::{pages as web, system};
use crate::assessments::routes as assessments;
use crate::plans::routes as dashboard;
use crate::pledges::routes::{
    campaigns, coverage, disputes, exports, pledges, roster, signing, templates,
};
use crate::tips::routes::{
    audit as tip_audit, desk as tip_desk, queue as tip_queue, reporter as tip_reporter,
};
use crate::units::routes as units;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::service_config::ServiceConfig;

/// Routes under `/api/v1`.
pub fn api_v1(cfg: &mut ServiceConfig) {
    cfg.service(auth::login)
        .service(auth::refresh_token)
        .service(auth::logout)
        .service(auth::me)
        .service(auth::change_password)
        .service(units::list)
        .service(units::get_one)
        .service(units::create)
        .service(users::create)
        .service(users::list)
        .service(users::set_active)
        .service(users::reset_password)
        .service(templates::list)
        .service(templates::managed)
        .service(templates::create)
        .service(templates::update)
        .service(templates::publish)
        .service(templates::retire)
        .service(campaigns::create)
        .service(campaigns::list)
        .service(campaigns::public)
        .service(campaigns::qr)
        .service(signing::sign)
        .service(signing::contest)
        .service(disputes::disputes)
        .service(signing::paper)
        .service(roster::roster)
        .service(roster::declare)
        .service(campaigns::move_window)
        .service(exports::pledges_list)
        .service(exports::export_csv)
        .service(exports::export_xlsx)
        .service(pledges::receipt_qr)
        .service(pledges::verify_receipt)
        .service(pledges::mark_verified)
        .service(pledges::void)
        .service(disputes::resolve_dispute)
        .service(coverage::coverage)
        .service(tip_reporter::submit)
        .service(tip_queue::list)
        .service(tip_reporter::follow_up)
        .service(tip_reporter::reporter_message)
        .service(tip_queue::deadlines)
        .service(tip_queue::stats)
        .service(tip_desk::detail)
        .service(tip_desk::photo)
        .service(tip_desk::transition)
        .service(tip_desk::assign)
        .service(tip_desk::priority)
        .service(tip_desk::extend)
        .service(tip_desk::message)
        .service(tip_desk::note)
        .service(tip_audit::tip_audit)
        .service(tip_audit::audit_log)
        .service(assessments::criteria_sets)
        .service(assessments::create_set)
        .service(assessments::get_one)
        .service(assessments::save)
        .service(assessments::submit)
        .service(assessments::approve)
        .service(assessments::return_it)
        .service(assessments::attach)
        .service(assessments::file)
        .service(dashboard::get_dashboard)
        .service(dashboard::report_csv)
        .service(dashboard::report_xlsx)
        .service(web::openapi_json);
}

/// Operational routes at the root.
pub fn system(cfg: &mut ServiceConfig) {
    cfg.service(system::healthz)
        .service(system::readyz)
        .service(system::metrics);
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "bvantq API",
        description = "API of bvantq, the platform of the movement «Toàn dân bảo vệ an ninh Tổ quốc»: \
            pledges, crime tips and assessments. Errors are RFC 7807 `application/problem+json` with a \
            stable `code`, the invalid `field`, and messages in Vietnamese (`message_vi`) and English \
            (`message_en`). Lists use opaque cursors. Public POSTs require an `Idempotency-Key` header."
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(c) = openapi.components.as_mut() {
            c.add_security_scheme(
                "bearer",
                SecurityScheme::Http(
                    HttpBuilder::new()
                        .scheme(HttpAuthScheme::Bearer)
                        .bearer_format("JWT")
                        .build(),
                ),
            );
        }
    }
}

/// The document as the route table built it, with what no route says: the bearer scheme.
pub fn finish(mut api: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    BearerAuth.modify(&mut api);
    api
}

/// The OpenAPI document of every registered route (for tools and tests; the server serves the
/// one it built with its routes).
pub fn openapi() -> utoipa::openapi::OpenApi {
    use utoipa_actix_web::AppExt;
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(api_v1))
        .configure(system)
        .split_for_parts();
    finish(api)
}
