//! A fresh id for every request, in the logs, on error pages and in `x-request-id`.
//!
//! An id sent by the client is ignored: it could forge log lines or collide.

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Span;

/// The id of the request being served.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Gives the request a new id and echoes it in the response.
pub async fn assign(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::new_v4().simple().to_string();
    request.extensions_mut().insert(RequestId(id.clone()));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// The tracing span of a request: its id, method and route, never the query or body.
pub fn span(request: &Request) -> Span {
    let id = request.extensions().get::<RequestId>().map(|r| r.0.as_str()).unwrap_or("-");
    let route = request.extensions().get::<MatchedPath>().map(|p| p.as_str()).unwrap_or("unmatched");
    tracing::info_span!("request", request_id = %id, method = %request.method(), route = %route)
}
