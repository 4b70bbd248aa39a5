//! Who is calling: the browser session (cookie + CSRF token + Origin) or the API bearer
//! token (never a cookie), and the checks every state-changing request passes.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use subtle::ConstantTimeEq;

use super::{AppError, AppState};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::identity::sessions::{SessionKind, StaffSession};
use crate::keys::random_bytes;
use crate::policy::{self, Action};
use shelter_shared::audit::AuditAction;

/// Names of Shelter's cookies; `__Host-` (Secure, host-only, path /) behind TLS.
#[derive(Debug, Clone, Copy)]
pub enum CookieName {
    /// The staff session.
    Session,
    /// Between the password and the second-factor steps.
    Challenge,
    /// The double-submit token of forms shown before sign-in.
    Form,
    /// A requester's portal session.
    Requester,
}

impl CookieName {
    /// The cookie's name under the current settings.
    pub fn get(self, state: &AppState) -> &'static str {
        match (self, state.config.https) {
            (CookieName::Session, true) => "__Host-shelter_session",
            (CookieName::Session, false) => "shelter_session",
            (CookieName::Challenge, true) => "__Host-shelter_challenge",
            (CookieName::Challenge, false) => "shelter_challenge",
            (CookieName::Form, true) => "__Host-shelter_form",
            (CookieName::Form, false) => "shelter_form",
            (CookieName::Requester, true) => "__Host-shelter_requester",
            (CookieName::Requester, false) => "shelter_requester",
        }
    }
}

/// A cookie with Shelter's flags: HttpOnly, SameSite=Strict, path /, Secure behind TLS,
/// no expiry (it dies with the browser; the server enforces the real limits).
pub fn cookie(state: &AppState, name: CookieName, value: String) -> Cookie<'static> {
    let mut cookie = Cookie::new(name.get(state), value);
    cookie.set_http_only(true);
    cookie.set_same_site(SameSite::Strict);
    cookie.set_path("/");
    cookie.set_secure(state.config.https);
    cookie
}

/// A cookie that deletes `name`.
pub fn removal(state: &AppState, name: CookieName) -> Cookie<'static> {
    let mut cookie = cookie(state, name, String::new());
    cookie.make_removal();
    cookie
}

/// The signed-in browser session, or `None`.
pub async fn browser_session(state: &AppState, headers: &HeaderMap) -> Result<Option<StaffSession>, AppError> {
    let jar = CookieJar::from_headers(headers);
    let Some(token) = jar.get(CookieName::Session.get(state)).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    Ok(state.identity.session(&token, SessionKind::Browser).await?)
}

/// A signed-in staff member in the browser; anyone else is sent to the sign-in page.
#[derive(Clone)]
pub struct BrowserStaff(pub StaffSession);

impl FromRequestParts<AppState> for BrowserStaff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Several extractors of one request ask (authorisation, then the posted form): the
        // session is looked up once.
        if let Some(BrowserStaff(session)) = parts.extensions.get::<BrowserStaff>() {
            return Ok(BrowserStaff(session.clone()));
        }
        match browser_session(state, &parts.headers).await {
            Ok(Some(mut session)) => {
                if parts.method == axum::http::Method::GET {
                    session.here = Some(parts.uri.path().to_owned());
                }
                parts.extensions.insert(BrowserStaff(session.clone()));
                Ok(BrowserStaff(session))
            }
            Ok(None) => Err(Redirect::to("/staff").into_response()),
            Err(error) => Err(error.into_response()),
        }
    }
}

/// The token of an `Authorization: Bearer` header, if there is one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// A staff member calling the API with `Authorization: Bearer`; cookies are ignored.
pub struct ApiStaff(pub StaffSession);

impl FromRequestParts<AppState> for ApiStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers)
            .ok_or_else(|| AppError::Unauthorized("Send a bearer token from POST /api/v1/auth/token.".into()))?;
        match state.identity.session(token, SessionKind::Api).await? {
            Some(session) => Ok(ApiStaff(session)),
            None => Err(AppError::Unauthorized("The token is unknown, expired or signed out.".into())),
        }
    }
}

/// Asks the policy; a refusal is a 403 and an audit entry.
pub async fn authorize(state: &AppState, session: &StaffSession, action: Action) -> Result<(), AppError> {
    let Err(denied) = policy::authorize(&session.roles, action) else { return Ok(()) };
    tracing::warn!(user.id = %session.user_id, action = ?denied.action, "authorisation refused");
    let entry = NewEntry::new(Actor::Staff(session.user_id), AuditAction::AuthorisationRefused)
        .subject(Subject::staff_user(session.user_id))
        .details(serde_json::json!({"action": format!("{:?}", denied.action)}));
    audit::record_alone(&state.db, entry, state.identity.clock.now()).await.map_err(anyhow::Error::from)?;
    Err(AppError::Forbidden("You may not do this.".into()))
}

fn csrf_refused() -> AppError {
    AppError::Forbidden("This form has expired or did not come from Shelter. Reload the page and try again.".into())
}

/// Checks a signed-in form's CSRF token against the session's.
pub fn check_csrf(session: &StaffSession, submitted: &str) -> Result<(), AppError> {
    if bool::from(session.csrf_token.as_bytes().ct_eq(submitted.as_bytes())) { Ok(()) } else { Err(csrf_refused()) }
}

/// The double-submit token for forms shown before sign-in: the cookie's value if there is
/// one, else a new one and the cookie to set.
pub fn form_token(state: &AppState, jar: CookieJar) -> (CookieJar, String) {
    if let Some(existing) = jar.get(CookieName::Form.get(state)).map(|c| c.value().to_owned())
        && existing.len() == 43
    {
        return (jar, existing);
    }
    let token = URL_SAFE_NO_PAD.encode(random_bytes::<32>());
    (jar.add(cookie(state, CookieName::Form, token.clone())), token)
}

/// Checks a pre-sign-in form's token against its cookie.
pub fn check_form_token(state: &AppState, jar: &CookieJar, submitted: &str) -> Result<(), AppError> {
    let expected = jar.get(CookieName::Form.get(state)).map(|c| c.value().to_owned()).unwrap_or_default();
    if !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes())) {
        Ok(())
    } else {
        Err(csrf_refused())
    }
}

/// Refuses state-changing browser requests sent from another site: the `Origin` (or,
/// without one, `Sec-Fetch-Site`) must name this site. The API is exempt: it takes
/// bearer tokens only, which a browser never attaches by itself.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !request.uri().path().starts_with("/api/") && !same_origin(&state, request.headers()) {
        tracing::warn!("cross-origin form submission refused");
        return AppError::Forbidden("This form was not sent from Shelter's own pages.".into()).into_response();
    }
    next.run(request).await
}

fn same_origin(state: &AppState, headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    // Our own `Referrer-Policy: no-referrer` makes browsers send `Origin: null` on form
    // posts (found by the Chromium test), so "null" says nothing and Fetch Metadata decides.
    if let Some(origin) = text("origin").filter(|o| *o != "null") {
        let expected = match &state.config.public_origin {
            Some(origin) => origin.clone(),
            None => format!("http://{}", text("host").unwrap_or_default()),
        };
        return origin.eq_ignore_ascii_case(&expected);
    }
    // No usable Origin: rely on Fetch Metadata if sent, else on the CSRF token alone.
    !matches!(text("sec-fetch-site"), Some("cross-site" | "same-site"))
}
