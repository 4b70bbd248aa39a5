//! `/api/v1/auth/*`: enrolment, sign-in for a bearer token, step-up, sign-out.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use secrecy::SecretString;
use shelter_shared::api::ErrorCode;
use shelter_shared::api::{
    EnrolConfirmRequest, EnrolRequest, EnrolResponse, ErrorBody, Me, RecoveryCodesResponse, SessionInfo, StepUpRequest,
    TokenRequest, TokenResponse,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::allow::{Allowed, Api, may};
use crate::http::auth::{ApiStaff, authorize};
use crate::http::extract::{ApiJson, ClientIp};
use crate::http::{AppError, AppState};
use crate::identity::sign_in::SecondFactor;
use crate::policy::Action;

/// The auth routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enrol))
        .routes(routes!(confirm))
        .routes(routes!(token))
        .routes(routes!(step_up))
        .routes(routes!(sign_out))
        .routes(routes!(me))
        .routes(routes!(sessions))
}

/// Refuses the request when its address has made too many attempts.
pub async fn limit(state: &AppState, ip: ClientIp) -> Result<(), AppError> {
    state.sign_in_limiter.check(ip.0).await?.map_err(|retry_after_secs| AppError::TooManyRequests {
        message: format!("Too many attempts from this network. Please wait {retry_after_secs} seconds."),
        retry_after_secs,
    })
}

#[utoipa::path(post, path = "/api/v1/auth/enrol", tag = "auth", request_body = EnrolRequest,
    responses((status = 200, description = "Add this secret to an authenticator app", body = EnrolResponse),
              (status = 422, description = "Unknown or expired code, or a weak password", body = ErrorBody),
              (status = 429, description = "Too many attempts from this address", body = ErrorBody)))]
pub(crate) async fn enrol(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<(StatusCode, Json<EnrolResponse>), AppError> {
    limit(&state, ip).await?;
    let setup = state.identity.begin_enrolment(&request.code, &SecretString::from(request.password)).await?;
    Ok((StatusCode::OK, Json(EnrolResponse { otpauth_uri: setup.otpauth_uri, secret: setup.secret_base32 })))
}

#[utoipa::path(post, path = "/api/v1/auth/enrol/confirm", tag = "auth", request_body = EnrolConfirmRequest,
    responses((status = 200, description = "Enrolled; the recovery codes are shown once", body = RecoveryCodesResponse),
              (status = 422, description = "Wrong code", body = ErrorBody)))]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<EnrolConfirmRequest>,
) -> Result<Json<RecoveryCodesResponse>, AppError> {
    limit(&state, ip).await?;
    let recovery_codes = state.identity.confirm_enrolment(&request.code, &request.totp).await?;
    Ok(Json(RecoveryCodesResponse { recovery_codes }))
}

#[utoipa::path(post, path = "/api/v1/auth/token", operation_id = "staff_sign_in", tag = "auth", request_body = TokenRequest,
    responses((status = 200, description = "A bearer token bound to a server-side session", body = TokenResponse),
              (status = 401, description = "Wrong credentials (never says which), or locked", body = ErrorBody),
              (status = 422, description = "No second factor given", body = ErrorBody),
              (status = 429, description = "Too many attempts; see Retry-After", body = ErrorBody)))]
pub(crate) async fn token(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    limit(&state, ip).await?;
    let factor = match (request.totp.as_deref(), request.recovery_code.as_deref()) {
        (Some(code), None) => SecondFactor::Totp(code),
        (None, Some(code)) => SecondFactor::Recovery(code),
        _ => {
            return Err(AppError::invalid(
                ErrorCode::SecondFactorRequired,
                "Give exactly one of totp or recovery_code.",
            ));
        }
    };
    let session = state.identity.sign_in_api(&request.email, &SecretString::from(request.password), factor).await?;
    Ok(Json(TokenResponse { token: session.token, expires_at: session.expires_at }))
}

#[utoipa::path(post, path = "/api/v1/auth/step-up", tag = "auth", request_body = StepUpRequest,
    security(("bearer" = [])),
    responses((status = 204, description = "Sensitive actions are allowed for five minutes"),
              (status = 401, description = "Ten failed tries ended the session, or the account is locked", body = ErrorBody),
              (status = 422, description = "Wrong or replayed code", body = ErrorBody),
              (status = 429, description = "Attempts are paused for this account or address", body = ErrorBody)))]
pub(crate) async fn step_up(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiStaff(session): ApiStaff,
    body: Result<ApiJson<StepUpRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    limit(&state, ip).await?;
    authorize(&state, &session, Action::ManageOwnAccount).await?;
    let ApiJson(request) = body?;
    state.identity.step_up(&session, &request.totp).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/auth/sign-out", tag = "auth", security(("bearer" = [])),
    responses((status = 204, description = "The session has ended on the server")))]
pub(crate) async fn sign_out(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
) -> Result<StatusCode, AppError> {
    state.identity.sign_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The caller", body = Me), (status = 401, body = ErrorBody)))]
pub(crate) async fn me(Allowed(session, ..): Allowed<Api, may::ViewStaffHome>) -> Result<Json<Me>, AppError> {
    Ok(Json(Me {
        id: session.user_id.to_string(),
        email: session.email,
        name: session.display_name,
        roles: session.roles,
    }))
}

#[utoipa::path(get, path = "/api/v1/auth/sessions", tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The caller's live sessions", body = [SessionInfo])))]
pub(crate) async fn sessions(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ManageOwnAccount>,
) -> Result<Json<Vec<SessionInfo>>, AppError> {
    let list = state.identity.list_sessions(session.user_id).await?;
    Ok(Json(
        list.into_iter()
            .map(|s| SessionInfo {
                id: s.staff_session_id.to_string(),
                current: s.staff_session_id == session.session_id,
                kind: s.kind,
                created_at: s.created_at,
                last_seen_at: s.last_seen_at,
            })
            .collect(),
    ))
}
