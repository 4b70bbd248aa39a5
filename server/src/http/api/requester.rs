//! `/api/v1/requester/*`: the portal for a relay bot or an app, with a requester's bearer token.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use shelter_frontend::i18n::Translator;
use shelter_shared::api::ErrorCode;
use shelter_shared::api::{
    CheckInAnswer, CheckInRequest, DuressPassphraseRequest, ErrorBody, MessageCreated, MessageRequest, RequesterCase,
    RequesterMessage, RequesterTokenRequest, RequesterTokenResponse,
};
use shelter_shared::language::Language;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::cases::CaseError;
use crate::cases::portal::RequesterSession;
use crate::http::api::auth::limit;
use crate::http::extract::{ApiJson, ClientIp};
use crate::http::{AppError, AppState};
use crate::identity::sessions::SessionKind;

/// The requester API routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(token))
        .routes(routes!(case))
        .routes(routes!(message))
        .routes(routes!(attachment))
        .routes(routes!(check_in))
        .routes(routes!(duress_passphrase))
}

/// A requester holding a bearer token from `POST /api/v1/requester/token`.
pub struct ApiRequester(pub RequesterSession);

impl FromRequestParts<AppState> for ApiRequester {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = crate::http::auth::bearer_token(&parts.headers)
            .ok_or_else(|| AppError::Unauthorized("Send a bearer token from POST /api/v1/requester/token.".into()))?;
        match state.cases.portal_session(token, SessionKind::Api).await.map_err(|e| AppError::Internal(e.into()))? {
            Some(session) => Ok(ApiRequester(session)),
            None => Err(AppError::Unauthorized("The token is unknown, expired or closed.".into())),
        }
    }
}

#[utoipa::path(post, path = "/api/v1/requester/token", operation_id = "requester_sign_in", tag = "requester", request_body = RequesterTokenRequest,
    responses((status = 200, body = RequesterTokenResponse),
              (status = 401, description = "Wrong reference or passphrase (never says which)", body = ErrorBody),
              (status = 429, description = "Paused after repeated failures", body = ErrorBody)))]
pub(crate) async fn token(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<RequesterTokenRequest>,
) -> Result<Json<RequesterTokenResponse>, AppError> {
    limit(&state, ip).await?;
    let (token, _) = state
        .cases
        .portal_sign_in(&request.reference, &request.passphrase, SessionKind::Api)
        .await
        .map_err(AppError::from)?;
    Ok(Json(RequesterTokenResponse { token }))
}

#[utoipa::path(get, path = "/api/v1/requester/case", operation_id = "requester_case", tag = "requester", security(("bearer" = [])),
    responses((status = 200, description = "Status in plain words and the messages", body = RequesterCase),
              (status = 401, body = ErrorBody)))]
pub(crate) async fn case(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
) -> Result<Json<RequesterCase>, AppError> {
    let view = state.cases.portal_view(&session).await.map_err(AppError::from)?;
    let language = sqlx::query_scalar!(
        r#"select language as "language: shelter_shared::language::Language" from cases where case_id = $1"#,
        session.case_id
    )
    .fetch_one(&state.db)
    .await?;
    let t = Translator::new(language);
    Ok(Json(RequesterCase {
        reference: view.reference,
        status: view.status.to_owned(),
        status_text: t.t(&format!("state-{}", view.status.replace('_', "-"))),
        messages: view
            .messages
            .into_iter()
            .map(|m| RequesterMessage {
                from: if m.from_requester { "you" } else { "network" }.into(),
                body: m.body,
                at: m.at,
            })
            .collect(),
        check_in_due_at: state.cases.check_in_due(&session).await.map_err(AppError::from)?,
    }))
}

#[utoipa::path(post, path = "/api/v1/requester/messages", operation_id = "requester_message", tag = "requester", security(("bearer" = [])), request_body = MessageRequest,
    responses((status = 201, body = MessageCreated), (status = 422, description = "Empty or too long", body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub(crate) async fn message(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    ApiJson(request): ApiJson<MessageRequest>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let id = state.cases.portal_message(&session, &request.body).await.map_err(AppError::from)?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(post, path = "/api/v1/requester/attachments", operation_id = "requester_attachment", tag = "requester", security(("bearer" = [])),
    request_body(content_type = "multipart/form-data", description = "One `file` field: a JPEG, PNG or WebP photo (metadata is removed) or a PDF"),
    responses((status = 201, body = MessageCreated, description = "Stored, sealed; the id of the attachment"),
              (status = 413, description = "Larger than the limit", body = ErrorBody),
              (status = 415, description = "Not a photo or PDF (decided from the content)", body = ErrorBody),
              (status = 422, description = "Too many files on this case", body = ErrorBody)))]
pub(crate) async fn attachment(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    multipart: axum::extract::Multipart,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let t = Translator::new(Language::English);
    let limits = state.config.attachments;
    let refuse = |message_id: &'static str| {
        let message = if message_id == "error-too-many-files" {
            t.t_num(message_id, "max", usize::try_from(limits.per_case).unwrap_or(0))
        } else {
            t.t_num(message_id, "max_mb", limits.max_bytes / (1024 * 1024))
        };
        match crate::http::requester::portal::upload_status(message_id) {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::Rejected { status: StatusCode::PAYLOAD_TOO_LARGE, message },
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                AppError::Rejected { status: StatusCode::UNSUPPORTED_MEDIA_TYPE, message }
            }
            _ => AppError::invalid(ErrorCode::InvalidAttachment, message),
        }
    };
    let upload = crate::http::requester::portal::read_upload(multipart).await.map_err(refuse)?;
    match state.cases.portal_attachment(&session, limits, &upload.name, upload.bytes).await {
        Ok(id) => Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() }))),
        Err(CaseError::Invalid { message_id }) => Err(refuse(message_id)),
        Err(error) => Err(AppError::from(error)),
    }
}

#[utoipa::path(post, path = "/api/v1/requester/check-in", operation_id = "requester_check_in", tag = "requester", security(("bearer" = [])), request_body = CheckInRequest,
    description = "\"I am all right\": answers the check-ins the network asked for. With a safe word agreed, send it: a wrong or missing \
                   one is answered exactly like a right one (and quietly tells the network the requester may be forced).",
    responses((status = 200, description = "Checked in; when the next one is due", body = CheckInAnswer),
              (status = 409, description = "No check-ins are asked of this request", body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub(crate) async fn check_in(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    ApiJson(request): ApiJson<CheckInRequest>,
) -> Result<Json<CheckInAnswer>, AppError> {
    use crate::cases::check_ins::Via;
    let next_due_at =
        state.cases.check_in(&session, request.safe_word.as_deref(), Via::Api).await.map_err(AppError::from)?;
    Ok(Json(CheckInAnswer { next_due_at }))
}

#[utoipa::path(put, path = "/api/v1/requester/duress-passphrase", operation_id = "requester_duress_passphrase", tag = "requester", security(("bearer" = [])), request_body = DuressPassphraseRequest,
    description = "Sets or replaces the second passphrase. Signing in with it (here or in the portal) gives a token and a view \
                   like any other, showing the request as closed with nothing on it, and quietly warns the network.",
    responses((status = 204, description = "Set"),
              (status = 422, description = "Shorter than 8 or longer than 200 characters, or the same as the passphrase", body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub(crate) async fn duress_passphrase(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    ApiJson(request): ApiJson<DuressPassphraseRequest>,
) -> Result<StatusCode, AppError> {
    match state.cases.set_duress_passphrase(&session, &request.passphrase).await {
        Ok(()) => Ok(StatusCode::NO_CONTENT),
        Err(CaseError::Invalid { message_id }) => {
            Err(AppError::invalid(ErrorCode::InvalidPassphrase, Translator::new(Language::English).t(message_id)))
        }
        Err(error) => Err(AppError::from(error)),
    }
}
