//! Public pages that need no data: the landing page and the 404.

use axum::Router;
use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use shelter_frontend::pages::landing;

use super::requester::Lang;
use super::{AppError, AppState};

/// The public page routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/", get(landing_page))
}

async fn landing_page(
    axum::extract::State(state): axum::extract::State<AppState>,
    Query(lang): Query<Lang>,
) -> Html<String> {
    Html(landing::render_with(lang.translator(), state.config.onion_origin.as_deref()))
}

/// Any address no route claims.
pub async fn not_found() -> AppError {
    AppError::NotFound
}
