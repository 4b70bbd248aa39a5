//! `GET /exit` (quick exit) and `GET /safety`.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum_extra::extract::CookieJar;
use shelter_frontend::pages::requester::safety;

use super::portal::requester_session;
use super::{Lang, html};
use crate::http::auth::{CookieName, removal};
use crate::http::{AppError, AppState};

/// The routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/exit", get(quick_exit)).route("/safety", get(safety_page))
}

/// Ends any portal session, tells the browser to forget this site's cookies and storage,
/// and leaves for a neutral site. A plain link, so it works without JavaScript.
async fn quick_exit(State(state): State<AppState>, headers: HeaderMap, jar: CookieJar) -> Result<Response, AppError> {
    if let Ok(Some(session)) = requester_session(&state, &headers).await {
        let _ = state.cases.portal_sign_out(&session).await;
    }
    let jar = jar.remove(removal(&state, CookieName::Requester));
    let mut response = (jar, StatusCode::SEE_OTHER).into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(&state.config.quick_exit_url) {
        headers.insert(header::LOCATION, location);
    }
    // "cache" also drops pages kept for Back (the back/forward cache) with what was typed in them.
    headers.insert("clear-site-data", HeaderValue::from_static("\"cache\", \"cookies\", \"storage\""));
    Ok(response)
}

#[derive(serde::Deserialize)]
struct SafetyQuery {
    lang: Option<String>,
    country: Option<String>,
}

async fn safety_page(State(state): State<AppState>, Query(query): Query<SafetyQuery>) -> Response {
    let t = Lang { lang: query.lang }.translator();
    let onion = state.config.onion_origin.as_deref();
    html(StatusCode::OK, safety::render_with(t, onion, query.country.as_deref()))
}
