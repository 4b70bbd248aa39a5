//! `/staff/notices`: one's notices and who is on call; administrators also keep the rota
//! and retry deliveries the worker gave up on.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::pages::staff::notices::{
    FailedLine, NoticeLine, NoticesPage, PreferencesForm, ShiftLine, render,
};
use shelter_shared::api::ErrorCode;
use shelter_shared::language::Language;
use shelter_shared::notice::Digest;
use uuid::Uuid;

use super::{NoFields, form_error, nav_for, page};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::auth::BrowserStaff;
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::notify::preferences::Preferences;
use crate::notify::rota::{NewShift, hhmm, offset_text};
use crate::policy::{self, Action};

/// The notice routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/notices", get(show))
        .route("/staff/notices/read", post(mark_read))
        .route("/staff/notices/preferences", post(save_preferences))
        .route("/staff/notices/rota", post(add_shift))
        .route("/staff/notices/rota/{shift_id}/remove", post(remove_shift))
        .route("/staff/notices/{delivery_id}/retry", post(retry))
}

fn preferences_form(p: &Preferences) -> PreferencesForm {
    PreferencesForm {
        email_urgent: p.email_urgent,
        email_normal: p.email_normal,
        webhook_urgent: p.webhook_urgent,
        webhook_normal: p.webhook_normal,
        quiet_from: p.quiet_from.map(hhmm).unwrap_or_default(),
        quiet_until: p.quiet_until.map(hhmm).unwrap_or_default(),
        offset: offset_text(p.utc_offset_minutes),
        digest: p.digest.as_str().to_owned(),
        language: p.language.tag().to_owned(),
        address: p.address.clone().unwrap_or_default(),
        handle: p.handle.clone().unwrap_or_default(),
    }
}

/// A shift's hours on its own clock: "08:00–17:00 (UTC+07:00)".
fn shift_hours(s: &crate::notify::rota::Shift) -> String {
    let hm = |m: i16| format!("{:02}:{:02}", m / 60, m % 60);
    let sign = if s.utc_offset_minutes < 0 { '-' } else { '+' };
    format!("{}–{} (UTC{sign}{})", hm(s.starts_minute), hm(s.ends_minute), hm(s.utc_offset_minutes.abs()))
}

async fn html(
    state: &AppState,
    session: &StaffSession,
    error: Option<String>,
    notice: Option<String>,
) -> Result<String, AppError> {
    html_with(state, session, error, notice, None).await
}

/// The page; `typed` keeps a refused preferences form as it was typed.
async fn html_with(
    state: &AppState,
    session: &StaffSession,
    error: Option<String>,
    notice: Option<String>,
    typed: Option<PreferencesForm>,
) -> Result<String, AppError> {
    let notify = &state.notify;
    let r = session.reader();
    let notices = notify
        .inbox(session.user_id)
        .await?
        .into_iter()
        .map(|n| NoticeLine { kind: n.kind.as_str().to_owned(), urgent: n.urgent, at: r.time(n.at), unread: !n.read })
        .collect();
    let admin = if policy::authorize(&session.roles, Action::ManageNotices).is_ok() {
        let shifts = notify
            .shifts()
            .await?
            .iter()
            .map(|s| ShiftLine {
                shift_id: s.shift_id.to_string(),
                name: s.display_name.clone(),
                weekday: s.weekday,
                hours: shift_hours(s),
            })
            .collect();
        let failed = notify
            .failures()
            .await?
            .into_iter()
            .map(|f| FailedLine {
                delivery_id: f.delivery_id.to_string(),
                recipient: f.recipient,
                channel: f.channel,
                attempts: f.attempts,
                error: f.last_error.unwrap_or_default(),
                at: r.time(f.created_at),
            })
            .collect();
        Some((shifts, failed))
    } else {
        None
    };
    Ok(render(NoticesPage {
        nav: nav_for(session),
        csrf: &session.csrf_token,
        notices,
        on_call: notify.on_call_now().await?,
        preferences: match typed {
            Some(typed) => typed,
            None => preferences_form(&notify.preferences(session.user_id).await?),
        },
        admin,
        error,
        notice,
    }))
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewStaffHome>,
    Query(done): Query<Done>,
) -> Result<Response, AppError> {
    let notice = match done.done.as_deref() {
        Some("retry") => Some("not-done-retry"),
        Some("rota") => Some("not-done-rota"),
        Some("preferences") => Some("not-done-preferences"),
        _ => None,
    }
    .map(|id| session.reader().t(id));
    Ok(page(html(&state, &session, None, notice).await?))
}

async fn mark_read(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.notify.mark_read(session.user_id).await?;
    Ok(Redirect::to("/staff/notices").into_response())
}

async fn retry(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageNotices>,
    Path(delivery_id): Path<Uuid>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.notify.retry(delivery_id, session.user_id).await?;
    tracing::info!(delivery.id = %delivery_id, user.id = %session.user_id, "failed notice queued again");
    Ok(Redirect::to("/staff/notices?done=retry").into_response())
}

#[derive(Deserialize)]
struct ShiftForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    weekday: String,
    #[serde(default)]
    starts: String,
    #[serde(default)]
    ends: String,
    #[serde(default)]
    offset: String,
}

async fn add_shift(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageNotices>,
    Posted(ValidForm(form)): Posted<ValidForm<ShiftForm>>,
) -> Result<Response, AppError> {
    let added = match NewShift::parse(&form.email, &form.weekday, &form.starts, &form.ends, &form.offset) {
        Ok(shift) => state.notify.add_shift(shift, session.user_id).await.map_err(AppError::from),
        Err(message) => Err(AppError::invalid(ErrorCode::InvalidShift, message)),
    };
    match added {
        Ok(_) => Ok(Redirect::to("/staff/notices?done=rota").into_response()),
        Err(error) => {
            let error_page = html(&state, &session, Some(error.public_message()), None).await?;
            Ok(form_error(error, |_| error_page))
        }
    }
}

async fn remove_shift(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageNotices>,
    Path(shift_id): Path<Uuid>,
    Posted(ValidForm(NoFields {})): Posted<ValidForm<NoFields>>,
) -> Result<Response, AppError> {
    state.notify.remove_shift(shift_id, session.user_id).await?;
    Ok(Redirect::to("/staff/notices?done=rota").into_response())
}

#[derive(Deserialize)]
struct PreferencesInput {
    email_urgent: Option<String>,
    email_normal: Option<String>,
    webhook_urgent: Option<String>,
    webhook_normal: Option<String>,
    #[serde(default)]
    quiet_from: String,
    #[serde(default)]
    quiet_until: String,
    #[serde(default)]
    offset: String,
    #[serde(default)]
    digest: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    handle: String,
}

impl PreferencesInput {
    /// The form as typed, to show again beside its error.
    fn typed(self) -> PreferencesForm {
        PreferencesForm {
            email_urgent: self.email_urgent.is_some(),
            email_normal: self.email_normal.is_some(),
            webhook_urgent: self.webhook_urgent.is_some(),
            webhook_normal: self.webhook_normal.is_some(),
            quiet_from: self.quiet_from,
            quiet_until: self.quiet_until,
            offset: self.offset,
            digest: self.digest,
            language: self.language,
            address: self.address,
            handle: self.handle,
        }
    }

    /// The choices on the form, or what is wrong with them.
    fn parse(&self) -> Result<Preferences, &'static str> {
        // A checkbox is sent only when ticked.
        Preferences {
            email_urgent: self.email_urgent.is_some(),
            email_normal: self.email_normal.is_some(),
            webhook_urgent: self.webhook_urgent.is_some(),
            webhook_normal: self.webhook_normal.is_some(),
            // Left out of the form: the defaults, as for someone who never chose.
            digest: match self.digest.as_str() {
                "" => Digest::Immediately,
                other => other.parse().map_err(|_| "choose how other notices are gathered")?,
            },
            language: match self.language.as_str() {
                "" => Language::English,
                other => other.parse().map_err(|_| "choose a language from the list")?,
            },
            ..Preferences::default()
        }
        .with_quiet_hours(&self.quiet_from, &self.quiet_until, &self.offset)?
        .with_addresses(&self.address, &self.handle)
    }
}

async fn save_preferences(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    Posted(ValidForm(form)): Posted<ValidForm<PreferencesInput>>,
) -> Result<Response, AppError> {
    let saved = match form.parse() {
        Ok(preferences) => state
            .notify
            .set_preferences(session.user_id, &preferences, session.step_up_at)
            .await
            .map_err(AppError::from),
        Err(message) => Err(AppError::invalid(ErrorCode::InvalidPreferences, message)),
    };
    match saved {
        Ok(()) => Ok(Redirect::to("/staff/notices?done=preferences").into_response()),
        // Refused (bad input, or a new address without a fresh step-up): the form as typed, with why.
        Err(error @ (AppError::Invalid { .. } | AppError::Forbidden(_))) => {
            let error_page =
                html_with(&state, &session, Some(error.public_message()), None, Some(form.typed())).await?;
            Ok(form_error(error, |_| error_page))
        }
        Err(error) => Err(error),
    }
}
