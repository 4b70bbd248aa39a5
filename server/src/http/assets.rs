//! The stylesheet; Shelter serves nothing else static and loads nothing from other hosts.

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use super::AppState;

/// The asset routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/assets/style.css", get(stylesheet))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            // Not confidential, and versioned by URL: phones on slow links keep it a week.
            (header::CACHE_CONTROL, "public, max-age=604800"),
        ],
        shelter_frontend::STYLESHEET,
    )
}
