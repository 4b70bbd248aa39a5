//! The JSON API under `/api/v1`.

pub mod admin;
pub mod audit;
pub mod auth;
pub mod cases;
pub mod grants;
pub mod intake;
pub mod partners;
pub mod referrals;
pub mod requester;

use axum::Router;

use super::AppState;

/// Every API route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(admin::router())
        .merge(audit::router())
        .merge(intake::router())
        .merge(requester::router())
        .merge(cases::router())
        .merge(partners::router())
        .merge(referrals::router())
        .merge(grants::router())
}
