//! The JSON API under `/api/v1`.

pub mod admin;
pub mod alumni;
pub mod audit;
pub mod auth;
pub mod case_hands;
pub mod cases;
pub mod danger;
pub mod grants;
pub mod insights;
pub mod intake;
pub mod notices;
pub mod partners;
pub mod referrals;
pub mod requester;
pub mod retention;
pub mod vouch;

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

/// Every API route, each with its OpenAPI operation.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::router())
        .merge(admin::router())
        .merge(audit::router())
        .merge(intake::router())
        .merge(requester::router())
        .merge(cases::router())
        .merge(case_hands::router())
        .merge(partners::router())
        .merge(alumni::router())
        .merge(referrals::router())
        .merge(grants::router())
        .merge(vouch::router())
        .merge(notices::router())
        .merge(insights::router())
        .merge(retention::router())
        .merge(danger::router())
}
