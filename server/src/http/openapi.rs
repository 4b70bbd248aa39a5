//! The OpenAPI description of `/api/v1`, served at `GET /api/v1/openapi.json`.
//!
//! The API's routes and their description come from the same handlers: each route is
//! registered from its `#[utoipa::path]` annotation (utoipa-axum's `routes!`), so a route
//! cannot go undocumented, nor a documented path go unrouted. [`Responses`] then adds the
//! answers every operation of a kind can give (a malformed body, a missing token, …).

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

use super::{AppState, api, health};

mod responses;

use responses::Responses;

/// The API description's frame; the paths come from the routers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shelter API",
        description = "Emergency-aid case management for human-rights defenders. JSON in and out; errors are \
                       `{\"error\": {\"code\", \"message\", \"request_id\"}}`. Staff calls carry \
                       `Authorization: Bearer <token>` from `POST /api/v1/auth/token`; cookies are never accepted here."
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "health", description = "Liveness and readiness"),
        (name = "auth", description = "Staff enrolment, sign-in, step-up"),
        (name = "admin", description = "Staff accounts"),
        (name = "audit", description = "The tamper-evident audit trail"),
        (name = "referrals", description = "Legal referral: minimal packets, consent, partners' answers"),
        (name = "partners", description = "The directory of partner lawyers and organisations"),
        (name = "alumni", description = "The registry of the network's members: sealed fields, keyed name search in every script, status timelines, links to cases, the audited export"),
        (name = "cases", description = "The triage queue and case work"),
        (name = "grants", description = "Funds and their ledger, grant proposals, tiered four-eyes approval, exactly-once disbursement, receipts, reports, the register"),
        (name = "insights", description = "Figures for supervisors and donors, every small count suppressed"),
        (name = "notices", description = "One's own notices (generic lines only) and how they reach one"),
        (name = "requester", description = "Filing a request and following it, without an account"),
        (name = "vouching", description = "Asking trusted people to vouch for a requester, and their attestations, which grant approval counts"),
        (name = "retention", description = "The retention schedule, what the next purge takes, legal holds, the requester's own deletion"),
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

fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi()).merge(health::router()).merge(api::router())
}

/// The whole description, as served.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut document = routes().into_openapi();
    Responses.modify(&mut document);
    document
}

/// The API and health routes, and `GET /api/v1/openapi.json` describing them.
pub fn router() -> Router<AppState> {
    let (router, mut document) = routes().split_for_parts();
    Responses.modify(&mut document);
    let json: Arc<str> = document.to_json().unwrap_or_default().into();
    router.route(
        "/api/v1/openapi.json",
        get(move || {
            let json = json.clone();
            async move { ([(header::CONTENT_TYPE, "application/json")], json.to_string()).into_response() }
        }),
    )
}
