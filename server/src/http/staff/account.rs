//! `/staff/account`: password, step-up, recovery codes, sessions.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use secrecy::SecretString;
use serde::Deserialize;
use shelter_frontend::dates::staff_time;
use shelter_frontend::pages::staff::{account, enrol};
use shelter_shared::api::ErrorCode;
use shelter_shared::language::Language;
use shelter_shared::local_time::is_staff_offset;
use uuid::Uuid;

use super::{NoFields, form_error, nav_for, page};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::auth::{BrowserStaff, CookieName, authorize, removal};
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::identity::users;
use crate::policy::Action;

/// The account routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/account", get(show))
        .route("/staff/account/password", post(change_password))
        .route("/staff/step-up", post(step_up))
        .route("/staff/account/language", post(set_language))
        .route("/staff/account/time-zone", post(set_time_zone))
        .route("/staff/account/recovery-codes", post(recovery_codes))
        .route("/staff/account/sessions/end-all", post(end_all))
        .route("/staff/account/sessions/{session_id}/end", post(end_one))
}

#[derive(Deserialize)]
struct Notice {
    notice: Option<String>,
}

#[derive(Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
}

fn notice_text(key: &str) -> Option<String> {
    let text = match key {
        "password" => "Your password was changed. Your other sessions were signed out.",
        "stepped-up" => "Confirmed. For the next five minutes you can make sensitive changes.",
        "session-ended" => "That session was signed out.",
        "time-zone" => "Times on these pages are now shown in your time zone.",
        _ => return None,
    };
    Some(text.to_owned())
}

async fn render(
    state: &AppState,
    session: &StaffSession,
    notice: Option<String>,
    error: Option<String>,
) -> Result<String, AppError> {
    let sessions = state.identity.list_sessions(session.user_id).await?;
    Ok(account::render(account::AccountPage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        email: session.email.clone(),
        sessions: sessions
            .into_iter()
            .map(|s| account::SessionLine {
                id: s.staff_session_id.to_string(),
                current: s.staff_session_id == session.session_id,
                kind: s.kind,
                created: staff_time(s.created_at),
                last_seen: staff_time(s.last_seen_at),
            })
            .collect(),
        stepped_up: session.stepped_up(state.identity.clock.now()),
        notice,
        error,
    }))
}

async fn show(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageOwnAccount>,
    Query(query): Query<Notice>,
) -> Result<Response, AppError> {
    let notice = query.notice.as_deref().and_then(notice_text);
    Ok(page(render(&state, &session, notice, None).await?))
}

async fn error_page(state: &AppState, session: &StaffSession, error: AppError) -> Result<Response, AppError> {
    let html = render(state, session, None, Some(error.public_message())).await?;
    Ok(form_error(error, |_| html))
}

async fn change_password(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageOwnAccount>,
    Posted(ValidForm(form)): Posted<ValidForm<PasswordForm>>,
) -> Result<Response, AppError> {
    let outcome = state
        .identity
        .change_password(&session, &SecretString::from(form.current), &SecretString::from(form.new))
        .await;
    match outcome {
        Ok(()) => Ok(Redirect::to("/staff/account?notice=password").into_response()),
        Err(error) => error_page(&state, &session, error.into()).await,
    }
}

#[derive(Deserialize)]
struct LanguageForm {
    language: String,
    /// The page the switcher was on; only staff pages are accepted.
    #[serde(default)]
    next: Option<String>,
}

#[derive(Deserialize)]
struct TimeZoneForm {
    /// Minutes east of UTC.
    utc_offset_minutes: String,
}

fn invalid_preference(message: &str) -> AppError {
    AppError::Invalid { code: ErrorCode::InvalidPreference, message: message.to_owned() }
}

/// The language switcher on every staff page: kept on the account, back to the same page.
async fn set_language(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageOwnAccount>,
    Posted(ValidForm(form)): Posted<ValidForm<LanguageForm>>,
) -> Result<Response, AppError> {
    let Ok(language) = form.language.parse::<Language>() else {
        return Err(invalid_preference("Choose one of the languages offered."));
    };
    let mut conn = state.db.acquire().await?;
    users::set_reading(&mut conn, session.user_id, language, session.utc_offset_minutes).await?;
    Ok(Redirect::to(match form.next.as_deref() {
        Some(next) if next == "/staff" || is_staff_page(next) => next,
        _ => "/staff",
    })
    .into_response())
}

/// The time zone on the account page: every time on the staff pages is shown on that clock.
async fn set_time_zone(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageOwnAccount>,
    Posted(ValidForm(form)): Posted<ValidForm<TimeZoneForm>>,
) -> Result<Response, AppError> {
    let offset = form.utc_offset_minutes.trim().parse::<i16>().ok().filter(|m| is_staff_offset(i32::from(*m)));
    let Some(offset) = offset else {
        return error_page(&state, &session, invalid_preference("Choose one of the time zones offered.")).await;
    };
    let mut conn = state.db.acquire().await?;
    users::set_reading(&mut conn, session.user_id, session.language, offset).await?;
    Ok(Redirect::to("/staff/account?notice=time-zone").into_response())
}

#[derive(Deserialize)]
struct StepUpForm {
    code: String,
    /// Where to go back to; only staff pages are accepted.
    #[serde(default)]
    next: Option<String>,
}

async fn step_up(
    State(state): State<AppState>,
    ip: crate::http::extract::ClientIp,
    BrowserStaff(session): BrowserStaff,
    Posted(ValidForm(form)): Posted<ValidForm<StepUpForm>>,
) -> Result<Response, AppError> {
    // The same per-address limit as the API's step-up and every sign-in.
    crate::http::api::auth::limit(&state, ip).await?;
    authorize(&state, &session, Action::ManageOwnAccount).await?;
    match state.identity.step_up(&session, &form.code).await {
        Ok(()) => Ok(Redirect::to(match form.next.as_deref() {
            Some(next) if is_staff_page(next) => next,
            _ => "/staff/account?notice=stepped-up",
        })
        .into_response()),
        // A run of wrong codes ended the session: back to the sign-in page.
        Err(crate::identity::IdentityError::SessionEnded) => Ok(Redirect::to("/staff").into_response()),
        Err(error) => error_page(&state, &session, error.into()).await,
    }
}

async fn recovery_codes(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageOwnAccount>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    match state.identity.regenerate_recovery_codes(&session).await {
        Ok(codes) => Ok(page(enrol::render_recovery_codes(enrol::RecoveryCodes {
            codes: &codes,
            next_href: "/staff/account",
            next_label: "Back to account security",
        }))),
        Err(error) => error_page(&state, &session, error.into()).await,
    }
}

async fn end_all(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageOwnAccount>,
    jar: CookieJar,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.identity.sign_out_everywhere(&session).await?;
    Ok((jar.remove(removal(&state, CookieName::Session)), Redirect::to("/staff")).into_response())
}

async fn end_one(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageOwnAccount>,
    Path(session_id): Path<Uuid>,
    jar: CookieJar,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.identity.end_own_session(session.user_id, session_id, "ended by its owner").await?;
    if session_id == session.session_id {
        return Ok((jar.remove(removal(&state, CookieName::Session)), Redirect::to("/staff")).into_response());
    }
    Ok(Redirect::to("/staff/account?notice=session-ended").into_response())
}

/// Whether `path` is one of our staff pages to return to after a step-up: a plain path
/// under `/staff/` (no scheme, host, query or traversal), so it cannot send anyone away.
fn is_staff_page(path: &str) -> bool {
    path.starts_with("/staff/")
        && !path.contains("//")
        && !path.contains("..")
        && path.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'-')
}

#[cfg(test)]
mod tests {
    #[test]
    fn step_up_returns_only_to_staff_pages() {
        assert!(super::is_staff_page("/staff/audit"));
        assert!(super::is_staff_page("/staff/grants/0b7f8a3e-4c1d-4e55-9d7a-1f2b3c4d5e6f"));
        for bad in [
            "https://evil.example/",
            "//evil.example",
            "/staff//evil.example",
            "/staff/../x",
            "/staff/a?b=c",
            "/status",
        ] {
            assert!(!super::is_staff_page(bad), "{bad}");
        }
    }
}
