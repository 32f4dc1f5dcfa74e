//! The route table: every API route is registered here, once, and the OpenAPI document is
//! generated from the same registration (`app::openapi`), so the two cannot drift apart.

use crate::accounts::routes::{session as auth, users};
use crate::app::{pages as web, system};
use crate::assessments::routes as assessments;
use crate::plans::emulation::routes as emulation;
use crate::plans::festivals::routes as festivals;
use crate::plans::routes as dashboard;
use crate::pledges::routes::{
    campaigns, coverage, disputes, exports, pledges, roster, signing, templates,
};
use crate::records::routes as records;
use crate::tips::routes::{
    audit as tip_audit, desk as tip_desk, notices as tip_notices, queue as tip_queue,
    reporter as tip_reporter,
};
use crate::units::routes as units;
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
        .service(roster::class_sheet)
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
        .service(tip_queue::indicator_clusters)
        .service(tip_desk::detail)
        .service(tip_desk::photo)
        .service(tip_desk::step)
        .service(tip_desk::transition)
        .service(tip_desk::assign)
        .service(tip_desk::priority)
        .service(tip_desk::extend)
        .service(tip_desk::message)
        .service(tip_desk::note)
        .service(tip_notices::list)
        .service(tip_notices::stream)
        .service(tip_notices::dead_letters)
        .service(tip_desk::get_procedure)
        .service(tip_desk::put_procedure)
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
        .service(dashboard::report_pdf)
        .service(dashboard::list_plans)
        .service(dashboard::create_plan)
        .service(dashboard::update_plan)
        .service(dashboard::publish_plan)
        .service(dashboard::enter_figure)
        .service(dashboard::reporting_calendar)
        .service(dashboard::get_calendar)
        .service(dashboard::put_calendar)
        .service(dashboard::send_annual_report)
        .service(dashboard::annual_report_board)
        .service(dashboard::unit_annual_reports)
        .service(dashboard::get_annual_report)
        .service(dashboard::annual_report_xlsx)
        .service(dashboard::annual_report_pdf)
        .service(emulation::list_blocks)
        .service(emulation::create_block)
        .service(emulation::unit_entries)
        .service(emulation::register)
        .service(emulation::review)
        .service(emulation::propose)
        .service(emulation::decide)
        .service(emulation::province_entries)
        .service(festivals::record)
        .service(festivals::board)
        .service(festivals::photo)
        .service(records::school_board)
        .service(records::add_model)
        .service(records::edit_model)
        .service(records::rate_model)
        .service(records::model_board)
        .service(records::put_team)
        .service(records::rate_team)
        .service(records::team_board)
        .service(records::put_registration)
        .service(records::put_eligibility)
        .service(records::registration_board)
        .service(records::add_incident)
        .service(records::incident_board)
        .service(records::put_subunit_titles)
        .service(records::get_subunit_titles)
        .service(records::add_briefing)
        .service(records::briefing_board)
        .service(web::openapi_json);
}

/// Operational routes at the root.
pub fn system(cfg: &mut ServiceConfig) {
    cfg.service(system::healthz)
        .service(system::readyz)
        .service(system::metrics);
}
