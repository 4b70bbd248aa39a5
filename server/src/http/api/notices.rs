//! `/api/v1/notices`: one's own notices and how they reach one.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use shelter_shared::api::ErrorBody;
use shelter_shared::api::ErrorCode;
use shelter_shared::notice::{NoticeItem, NoticeList, NoticePreferences};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::allow::{Allowed, Api, may};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::notify::preferences::Preferences;
use crate::notify::rota::{hhmm, offset_text};

/// The notice routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(mark_read)).routes(routes!(preferences, set_preferences))
}

#[utoipa::path(get, path = "/api/v1/notices", operation_id = "list_notices", tag = "notices", security(("bearer" = [])),
    responses((status = 200, description = "One's newest notices: generic lines, never case data", body = NoticeList),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewStaffHome>,
) -> Result<Json<NoticeList>, AppError> {
    let notices = state
        .notify
        .inbox(session.user_id)
        .await?
        .into_iter()
        .map(|n| NoticeItem {
            kind: n.kind.as_str().to_owned(),
            line: n.line.to_owned(),
            urgent: n.urgent,
            at: n.at,
            read: n.read,
        })
        .collect();
    Ok(Json(NoticeList { notices, unread: session.unread_notices }))
}

#[utoipa::path(post, path = "/api/v1/notices/read", operation_id = "mark_notices_read", tag = "notices", security(("bearer" = [])),
    responses((status = 204, description = "Every notice of one's is read"),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn mark_read(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewStaffHome>,
) -> Result<StatusCode, AppError> {
    state.notify.mark_read(session.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn to_api(p: Preferences) -> NoticePreferences {
    NoticePreferences {
        email_urgent: p.email_urgent,
        email_normal: p.email_normal,
        webhook_urgent: p.webhook_urgent,
        webhook_normal: p.webhook_normal,
        quiet_from: p.quiet_from.map(hhmm),
        quiet_until: p.quiet_until.map(hhmm),
        utc_offset: offset_text(p.utc_offset_minutes),
        digest: p.digest,
        language: p.language.tag().to_owned(),
        address: p.address,
        handle: p.handle,
    }
}

fn from_api(p: &NoticePreferences) -> Result<Preferences, AppError> {
    let invalid = |message: &'static str| AppError::invalid(ErrorCode::InvalidPreferences, message);
    Preferences {
        email_urgent: p.email_urgent,
        email_normal: p.email_normal,
        webhook_urgent: p.webhook_urgent,
        webhook_normal: p.webhook_normal,
        digest: p.digest,
        language: p.language.parse().map_err(|_| invalid("language must be one of en, my, th, km, lo, vi, zh-Hans"))?,
        ..Preferences::default()
    }
    .with_quiet_hours(
        p.quiet_from.as_deref().unwrap_or_default(),
        p.quiet_until.as_deref().unwrap_or_default(),
        &p.utc_offset,
    )
    .and_then(|chosen| {
        chosen.with_addresses(p.address.as_deref().unwrap_or_default(), p.handle.as_deref().unwrap_or_default())
    })
    .map_err(invalid)
}

#[utoipa::path(get, path = "/api/v1/notices/preferences", operation_id = "get_notice_preferences", tag = "notices", security(("bearer" = [])),
    responses((status = 200, description = "One's choices", body = NoticePreferences),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn preferences(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewStaffHome>,
) -> Result<Json<NoticePreferences>, AppError> {
    Ok(Json(to_api(state.notify.preferences(session.user_id).await?)))
}

#[utoipa::path(put, path = "/api/v1/notices/preferences", operation_id = "set_notice_preferences", tag = "notices", security(("bearer" = [])),
    request_body = NoticePreferences,
    responses((status = 200, description = "Saved (audited, without the addresses); the choices as stored", body = NoticePreferences),
              (status = 401, body = ErrorBody), (status = 403, description = "A new address or handle needs a fresh step-up", body = ErrorBody),
              (status = 422, description = "A time, offset, language, address or handle is not valid", body = ErrorBody)))]
pub(crate) async fn set_preferences(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewStaffHome>,
    body: Result<ApiJson<NoticePreferences>, AppError>,
) -> Result<Json<NoticePreferences>, AppError> {
    let ApiJson(request) = body?;
    let chosen = from_api(&request)?;
    state.notify.set_preferences(session.user_id, &chosen, session.step_up_at).await?;
    Ok(Json(to_api(chosen)))
}
