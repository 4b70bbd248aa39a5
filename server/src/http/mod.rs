//! The HTTP edge: routes, middleware, errors.

pub mod assets;
pub mod error;
pub mod headers;
pub mod health;
pub mod metrics;
pub mod pages;
pub mod request_id;
pub mod state;

use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

pub use error::AppError;
pub use state::AppState;

/// The public application: every route and the middleware around them.
pub fn router(state: AppState) -> Router {
    let timeout = Duration::from_secs(state.config.request_timeout_secs);
    let max_body = state.config.max_body_bytes;
    Router::new()
        .merge(health::router())
        .merge(pages::router())
        .merge(assets::router())
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
                .layer(CompressionLayer::new())
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
                .layer(from_fn_with_state(state.clone(), headers::limit_body))
                .layer(DefaultBodyLimit::max(max_body)),
        )
        .with_state(state)
}
