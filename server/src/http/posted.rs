//! A form that a signed-in staff member posted from one of Shelter's pages: its `csrf` field
//! must match the session's token before the fields are read. Handlers take
//! `Posted(ValidForm(form)): Posted<ValidForm<T>>` (or `MultiForm<T>` for repeated fields)
//! and never compare tokens themselves; their form types need no `csrf` field.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};

use super::auth::{BrowserStaff, check_csrf};
use super::extract::{buffered, with_body};
use super::{AppError, AppState};

/// The form `F` (a [`super::extract::ValidForm`] or [`super::extract::MultiForm`]) after its
/// CSRF token matched the signed-in session's.
pub struct Posted<F>(pub F);

impl<F: FromRequest<AppState, Rejection = AppError>> FromRequest<AppState> for Posted<F> {
    type Rejection = Response;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = request.into_parts();
        let BrowserStaff(session) = BrowserStaff::from_request_parts(&mut parts, state).await?;
        let (head, bytes) =
            buffered(Request::from_parts(parts, body), state).await.map_err(IntoResponse::into_response)?;
        let submitted = url::form_urlencoded::parse(&bytes).find(|(name, _)| name == "csrf").map(|(_, v)| v);
        check_csrf(&session, submitted.as_deref().unwrap_or_default()).map_err(IntoResponse::into_response)?;
        let form = F::from_request(with_body(head, bytes), state).await.map_err(IntoResponse::into_response)?;
        Ok(Posted(form))
    }
}
