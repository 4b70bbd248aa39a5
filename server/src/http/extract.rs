//! Extractors that turn malformed bodies into Shelter's error format, and find the
//! caller's address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::{Form, Json};
use serde::de::DeserializeOwned;

use super::{AppError, AppState};

/// A JSON body; a malformed one is a JSON error with a fitting status.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
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
