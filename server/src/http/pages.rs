//! Public pages that need no data: the landing page and the 404.

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use shelter_frontend::pages::landing;

use super::{AppError, AppState};

/// The public page routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/", get(landing_page))
}

async fn landing_page() -> Html<String> {
    Html(landing::render())
}

/// Any address no route claims.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
