//! The OpenAPI description of `/api/v1`, served at `GET /api/v1/openapi.json`.

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::AppState;
use super::api::{admin, audit, auth, cases, grants, intake, partners, referrals, requester};
use super::health;

/// The API description, assembled from the handlers' annotations.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shelter API",
        description = "Emergency-aid case management for human-rights defenders. JSON in and out; errors are \
                       `{\"error\": {\"code\", \"message\", \"request_id\"}}`. Staff calls carry \
                       `Authorization: Bearer <token>` from `POST /api/v1/auth/token`; cookies are never accepted here."
    ),
    paths(
        health::healthz, health::readyz,
        auth::enrol, auth::confirm, auth::token, auth::step_up, auth::sign_out, auth::me, auth::sessions,
        admin::list, admin::create, admin::disable, admin::unlock, admin::reset_two_factor, admin::confirm,
        audit::list, audit::review_entry, audit::export,
        intake::intake, requester::token, requester::case, requester::message, requester::attachment,
        cases::queue, cases::case, cases::claim, cases::decision, cases::triage, cases::close, cases::message, cases::note, cases::task_done, cases::conflict, cases::breaches,
        partners::list, partners::create, partners::capacity,
        referrals::propose, referrals::case_referrals, referrals::staff_decision, referrals::requester_referrals,
        referrals::requester_decision, referrals::partner_referrals, referrals::partner_decision,
        referrals::staff_message, referrals::partner_message,
        grants::funds, grants::create_fund, grants::case_grants, grants::propose, grants::register, grants::export,
        grants::grant, grants::payee, grants::disburse, grants::declare_conflict, grants::act, grants::requester_grants, grants::requester_act,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Staff enrolment, sign-in, step-up"),
        (name = "admin", description = "Staff accounts"),
        (name = "audit", description = "The tamper-evident audit trail"),
        (name = "referrals", description = "Legal referral: minimal packets, consent, partners' answers"),
        (name = "partners", description = "The directory of partner lawyers and organisations"),
        (name = "cases", description = "The triage queue and case work"),
        (name = "grants", description = "Funds and their ledger, grant proposals, tiered four-eyes approval, exactly-once disbursement, receipts, reports, the register"),
        (name = "requester", description = "Filing a request and following it, without an account"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// `GET /api/v1/openapi.json`.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/openapi.json", get(|| async { Json(ApiDoc::openapi()) }))
}
