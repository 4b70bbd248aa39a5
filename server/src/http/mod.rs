//! The HTTP edge: routes, middleware, errors.

pub mod allow;
pub mod api;
pub mod assets;
pub mod auth;
pub mod domain_metrics;
pub mod error;
pub mod extract;
pub mod headers;
pub mod health;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod posted;
pub mod request_id;
pub mod requester;
pub mod staff;
pub mod state;
pub mod vouch;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{NotForContentType, Predicate};
use tower_http::compression::{CompressionLayer, DefaultPredicate};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use error::AppError;
pub use state::AppState;

/// The public application: every route and the middleware around them.
pub fn router(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.config.request_timeout_secs);
    // Requester pages only: staff pages and the API are not offered over the onion address.
    let requester_pages =
        pages::router().merge(requester::router()).layer(from_fn_with_state(state.clone(), headers::onion_location));
    Router::new()
        .merge(requester_pages)
        .merge(assets::router())
        .merge(staff::router())
        .merge(vouch::router())
        .merge(openapi::router())
        .fallback(pages::not_found)
        .layer(
            // Outermost first: every layer below sees the request id.
            ServiceBuilder::new()
                .layer(from_fn(request_id::assign))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(request_id::span)
                        .on_request(())
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(from_fn(metrics::track))
                .layer(from_fn_with_state(state.clone(), headers::security))
                .layer(from_fn(error::render))
                .layer(CatchPanicLayer::custom(error::panic_response))
                // HTML is never compressed: pages carry CSRF tokens next to reflected input,
                // the setting BREACH needs. Pages are small; CSS and JSON still shrink.
                .layer(
                    CompressionLayer::new()
                        .compress_when(DefaultPredicate::new().and(NotForContentType::new("text/html"))),
                )
                .layer(from_fn_with_state(state.clone(), auth::check_origin))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
                .layer(from_fn_with_state(state.clone(), headers::limit_body))
                // limit_body enforces the limit of each path; axum's own default would cap uploads.
                .layer(DefaultBodyLimit::disable()),
        )
        .with_state(state)
}
