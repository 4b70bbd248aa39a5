//! The staff area's pages: plain HTML forms posting to these handlers, no JavaScript.
//!
//! Most POSTs answer `303 See Other`. The exceptions show a secret exactly once (a TOTP
//! key, recovery codes, an enrolment code) and so render it in the POST's own response,
//! which is never cached (`Cache-Control: no-store`).

pub mod account;
pub mod alumni;
pub mod audit;
pub mod case_story;
pub mod case_summary;
pub mod cases;
pub mod danger;
pub mod enrol;
pub mod funds;
pub mod grants;
pub mod homes;
pub mod insights;
pub mod notices;
pub mod partner_writing;
pub mod partners;
pub mod referrals;
pub mod retention;
pub mod sign_in;
pub mod users;
pub mod vouch;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use shelter_frontend::pages::staff::Nav;
use shelter_frontend::reader::Reader;
use shelter_shared::language::Language;

use super::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// Every staff page route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(sign_in::router())
        .merge(enrol::router())
        .merge(account::router())
        .merge(users::router())
        .merge(audit::router())
        .merge(cases::router())
        .merge(case_summary::router())
        .merge(referrals::router())
        .merge(partners::router())
        .merge(alumni::router())
        .merge(funds::router())
        .merge(grants::router())
        .merge(notices::router())
        .merge(insights::router())
        .merge(retention::router())
        .merge(vouch::router())
        .merge(danger::router())
}

/// The navigation bar for `session`.
pub fn nav_for(session: &StaffSession) -> Nav {
    Nav {
        name: session.display_name.clone(),
        csrf: session.csrf_token.clone(),
        can_list_staff: policy::authorize(&session.roles, Action::ListStaff).is_ok(),
        can_read_audit: policy::authorize(&session.roles, Action::ReadAudit).is_ok(),
        can_manage_partners: policy::authorize(&session.roles, Action::ManagePartners).is_ok(),
        can_view_register: policy::authorize(&session.roles, Action::ViewGrantRegister).is_ok(),
        can_view_funds: policy::authorize(&session.roles, Action::ViewFunds).is_ok()
            && !session.roles.iter().all(|r| *r == shelter_shared::staff::Role::Handler),
        can_view_insights: policy::authorize(&session.roles, Action::ViewInsights).is_ok(),
        can_view_retention: policy::authorize(&session.roles, Action::ViewRetention).is_ok(),
        can_view_alumni: policy::authorize(&session.roles, Action::ViewAlumni).is_ok(),
        unread_notices: session.unread_notices,
        on_call: None,
        reader: session.reader(),
        here: session.here.clone(),
    }
}

/// The navigation bar of a home page, which also says who is on call now.
pub async fn home_nav(state: &AppState, session: &StaffSession) -> Result<Nav, AppError> {
    Ok(Nav { on_call: Some(state.notify.on_call_now().await?), ..nav_for(session) })
}

/// A form with no fields of its own (its CSRF token is checked by [`crate::http::posted::Posted`]).
#[derive(Deserialize)]
pub struct NoFields {}

/// A form carrying a code (TOTP or recovery) and its CSRF token.
#[derive(Deserialize)]
pub struct CodeForm {
    /// The token.
    #[serde(default)]
    pub csrf: String,
    /// The code.
    pub code: String,
}

/// A page re-rendered with an error, answering with the error's status. Server-side
/// failures are not shown on a form: they become the generic error page.
pub fn form_error(error: AppError, render: impl FnOnce(&str) -> String) -> Response {
    let status = error.status();
    if status.is_server_error() {
        return error.into_response();
    }
    let retry_after = match &error {
        AppError::TooManyRequests { retry_after_secs, .. } => Some(retry_after_secs.to_string()),
        _ => None,
    };
    let mut response = (status, Html(render(&error.public_message()))).into_response();
    if let Some(value) = retry_after.and_then(|v| v.parse().ok()) {
        response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
    }
    response
}

/// A refusal in the words of a staff page's reader: the code's sentence from `staff.ftl`
/// (`err-<code>`). English readers keep the service's own, more specific English sentence;
/// the API's JSON is untouched either way.
pub fn staff_error(r: Reader, error: &AppError) -> String {
    if r.language == Language::English {
        return error.public_message();
    }
    let text = r.t(&format!("err-{}", error.code().as_str()));
    if text.is_empty() { error.public_message() } else { text }
}

/// `?lang=` on the pages shown before anyone signs in (sign-in, enrolment).
#[derive(Deserialize, Default)]
pub struct LangQuery {
    /// A language tag; anything else means English.
    #[serde(default)]
    pub lang: Option<String>,
}

impl LangQuery {
    /// The reader of a page before sign-in: the chosen language, times in UTC.
    pub fn reader(&self) -> Reader {
        let language = self.lang.as_deref().and_then(|l| l.parse::<Language>().ok()).unwrap_or_default();
        Reader::new(language, 0)
    }
}

/// A page shown with 200.
pub fn page(html: String) -> Response {
    (StatusCode::OK, Html(html)).into_response()
}
