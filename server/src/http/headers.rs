//! Headers every response carries, and the request-size guard.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppError, AppState};

/// No script at all, styles and images only from here, forms only to here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";
/// Powerful browser features this site never uses.
const PERMISSIONS: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), microphone=(), \
                           payment=(), usb=(), interest-cohort=(), browsing-topics=()";

/// Adds the security headers; responses that did not choose a cache policy are not stored.
pub async fn security(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &'static str); 7] = [
        (header::CONTENT_SECURITY_POLICY, CSP),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (HeaderName::from_static("permissions-policy"), PERMISSIONS),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
        (HeaderName::from_static("cross-origin-resource-policy"), "same-origin"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if state.config.https {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    }
    headers.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    response
}

/// Refuses a body whose declared length is over the path's limit before reading any of
/// it, and cuts off a body without a declared length once it passes the limit.
pub async fn limit_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let declared =
        request.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let limit = state.config.body_limit(request.uri().path());
    if declared.is_some_and(|len| len > limit as u64) {
        return AppError::PayloadTooLarge { limit }.into_response();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// `Onion-Location` on requester pages when `SHELTER_ONION_URL` is set: Tor Browser offers
/// the same page over the onion service (it heeds the header on pages served over HTTPS).
/// Only a page fetched and shown (GET, 200) says it, with its path and language alone: a query
/// may carry a receipt token, which must not be echoed into a header.
pub async fn onion_location(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let shown = request.method() == axum::http::Method::GET;
    let lang = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("lang=")))
        .and_then(|tag| tag.parse::<shelter_shared::language::Language>().ok());
    let path = match lang {
        Some(language) => format!("{}?lang={}", request.uri().path(), language.tag()),
        None => request.uri().path().to_owned(),
    };
    let mut response = next.run(request).await;
    if shown
        && response.status() == axum::http::StatusCode::OK
        && let Some(origin) = &state.config.onion_origin
        && let Ok(value) = HeaderValue::from_str(&format!("{origin}{path}"))
    {
        response.headers_mut().insert(HeaderName::from_static("onion-location"), value);
    }
    response
}
