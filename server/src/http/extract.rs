//! Extractors that turn malformed bodies into Shelter's error format, and find the
//! caller's address.
//!
//! Every JSON and form body passes through here, so here every text value loses its
//! bidirectional controls (which can make staff read a name or an amount backwards):
//! one place, and no free-text field can forget it.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::body::{Body, Bytes};
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::{Form, Json};
use serde::de::DeserializeOwned;
use serde_json::Value;
use shelter_shared::intake::{is_bidi_control, strip_bidi};

use super::{AppError, AppState};

/// The request with its body rewritten by `clean` (which returns `None` when it has
/// nothing to change); a body too large or unreadable is refused as axum would.
async fn cleaned<S: Send + Sync>(
    request: Request,
    state: &S,
    clean: fn(&[u8]) -> Option<Vec<u8>>,
) -> Result<Request, AppError> {
    let (head, bytes) = buffered(request, state).await?;
    let bytes = clean(&bytes).map(Bytes::from).unwrap_or(bytes);
    Ok(with_body(head, bytes))
}

/// The request's head (method, URI, headers) and its whole body, read within the body limit;
/// a body too large or unreadable is refused as axum would.
pub(crate) async fn buffered<S: Send + Sync>(request: Request, state: &S) -> Result<(Request, Bytes), AppError> {
    let mut head = Request::new(Body::empty());
    *head.method_mut() = request.method().clone();
    *head.uri_mut() = request.uri().clone();
    *head.headers_mut() = request.headers().clone();
    head.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(|rejection| AppError::Rejected { status: rejection.status(), message: rejection.body_text() })?;
    Ok((head, bytes))
}

/// `head` (from [`buffered`]) with `bytes` as its body again.
pub(crate) fn with_body(mut head: Request, bytes: Bytes) -> Request {
    *head.body_mut() = Body::from(bytes);
    head
}

fn strip_json(value: &mut Value) {
    match value {
        Value::String(text) if text.chars().any(is_bidi_control) => *text = strip_bidi(text).into_owned(),
        Value::Array(items) => items.iter_mut().for_each(strip_json),
        Value::Object(map) => map.values_mut().for_each(strip_json),
        _ => {}
    }
}

/// A JSON body without bidi controls in any string; `None` when it had none (or is not
/// JSON, which the JSON extractor then refuses with its own message).
fn clean_json(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut value: Value = serde_json::from_slice(bytes).ok()?;
    let before = value.clone();
    strip_json(&mut value);
    (value != before).then(|| serde_json::to_vec(&value).ok()).flatten()
}

/// A urlencoded body without bidi controls in any name or value; `None` when it had none.
fn clean_form(bytes: &[u8]) -> Option<Vec<u8>> {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(bytes).into_owned().collect();
    if !pairs.iter().any(|(k, v)| k.chars().chain(v.chars()).any(is_bidi_control)) {
        return None;
    }
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in &pairs {
        out.append_pair(&strip_bidi(key), &strip_bidi(value));
    }
    Some(out.finish().into_bytes())
}

/// A JSON body; a malformed one is a JSON error with a fitting status.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let request = cleaned(request, state, clean_json).await?;
        Json::<T>::from_request(request, state).await.map(|Json(value)| ApiJson(value)).map_err(
            |rejection: JsonRejection| AppError::Rejected {
                status: rejection.status(),
                message: rejection.body_text(),
            },
        )
    }
}

/// A urlencoded form body; a malformed one is an error page.
pub struct ValidForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ValidForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let request = cleaned(request, state, clean_form).await?;
        Form::<T>::from_request(request, state).await.map(|Form(value)| ValidForm(value)).map_err(
            |rejection: FormRejection| AppError::Rejected {
                status: rejection.status(),
                message: "The form could not be read. Please reload the page and try again.".into(),
            },
        )
    }
}

/// A urlencoded form whose fields may repeat (checkboxes); a malformed one is an error page.
pub struct MultiForm<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for MultiForm<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let request = cleaned(request, state, clean_form).await?;
        axum_extra::extract::Form::<T>::from_request(request, state)
            .await
            .map(|axum_extra::extract::Form(v)| MultiForm(v))
            .map_err(|rejection| AppError::Rejected {
                status: rejection.status(),
                message: "The form could not be read. Please reload the page and try again.".into(),
            })
    }
}

/// The caller's address: the peer, or, behind a trusted proxy, the address the proxy
/// appended last to `X-Forwarded-For`. Used only for throttling, never logged or stored.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if state.config.trust_proxy_headers {
            let forwarded = parts
                .headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .filter_map(|ip| ip.trim().parse::<IpAddr>().ok())
                .next_back();
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip());
        Ok(ClientIp(peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))))
    }
}

/// Path parameters that must parse (ids, an action's name, into their types, once); any
/// other path names a page that does not exist, a 404 like any unknown address.
pub struct PagePath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for PagePath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| PagePath(value))
            .map_err(|_| AppError::NotFound)
    }
}
