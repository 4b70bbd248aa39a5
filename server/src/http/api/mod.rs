//! The JSON API under `/api/v1`.

pub mod admin;
pub mod audit;
pub mod auth;

use axum::Router;

use super::AppState;

/// Every API route.
pub fn router() -> Router<AppState> {
    Router::new().merge(auth::router()).merge(admin::router()).merge(audit::router())
}
