//! `/api/v1/auth/*`: enrolment, sign-in for a bearer token, step-up, sign-out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use secrecy::SecretString;
use shelter_shared::api::{
    EnrolConfirmRequest, EnrolRequest, EnrolResponse, Me, RecoveryCodesResponse, SessionInfo, StepUpRequest,
    TokenRequest, TokenResponse,
};

use crate::http::auth::{ApiStaff, authorize};
use crate::http::extract::{ApiJson, ClientIp};
use crate::http::{AppError, AppState};
use crate::identity::sign_in::SecondFactor;
use crate::policy::Action;

/// The auth routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/auth/enrol", post(enrol))
        .route("/api/v1/auth/enrol/confirm", post(confirm))
        .route("/api/v1/auth/token", post(token))
        .route("/api/v1/auth/step-up", post(step_up))
        .route("/api/v1/auth/sign-out", post(sign_out))
        .route("/api/v1/auth/me", get(me))
        .route("/api/v1/auth/sessions", get(sessions))
}

/// Refuses the request when its address has made too many attempts.
pub fn limit(state: &AppState, ip: ClientIp) -> Result<(), AppError> {
    state.sign_in_limiter.check(ip.0).map_err(|retry_after_secs| AppError::TooManyRequests {
        message: format!("Too many attempts from this network. Please wait {retry_after_secs} seconds."),
        retry_after_secs,
    })
}

async fn enrol(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<EnrolRequest>,
) -> Result<(StatusCode, Json<EnrolResponse>), AppError> {
    limit(&state, ip)?;
    let setup = state.identity.begin_enrolment(&request.code, &SecretString::from(request.password)).await?;
    Ok((StatusCode::OK, Json(EnrolResponse { otpauth_uri: setup.otpauth_uri, secret: setup.secret_base32 })))
}

async fn confirm(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<EnrolConfirmRequest>,
) -> Result<Json<RecoveryCodesResponse>, AppError> {
    limit(&state, ip)?;
    let recovery_codes = state.identity.confirm_enrolment(&request.code, &request.totp).await?;
    Ok(Json(RecoveryCodesResponse { recovery_codes }))
}

async fn token(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(request): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, AppError> {
    limit(&state, ip)?;
    let factor = match (request.totp.as_deref(), request.recovery_code.as_deref()) {
        (Some(code), None) => SecondFactor::Totp(code),
        (None, Some(code)) => SecondFactor::Recovery(code),
        _ => return Err(AppError::invalid("second_factor_required", "Give exactly one of totp or recovery_code.")),
    };
    let session = state.identity.sign_in_api(&request.email, &SecretString::from(request.password), factor).await?;
    Ok(Json(TokenResponse { token: session.token, expires_at: session.expires_at }))
}

async fn step_up(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiStaff(session): ApiStaff,
    ApiJson(request): ApiJson<StepUpRequest>,
) -> Result<StatusCode, AppError> {
    limit(&state, ip)?;
    authorize(&session, Action::ManageOwnAccount)?;
    state.identity.step_up(&session, &request.totp).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn sign_out(State(state): State<AppState>, ApiStaff(session): ApiStaff) -> Result<StatusCode, AppError> {
    state.identity.sign_out(&session).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(ApiStaff(session): ApiStaff) -> Result<Json<Me>, AppError> {
    authorize(&session, Action::ViewStaffHome)?;
    Ok(Json(Me {
        id: session.user_id.to_string(),
        email: session.email,
        name: session.display_name,
        roles: session.roles,
    }))
}

async fn sessions(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
) -> Result<Json<Vec<SessionInfo>>, AppError> {
    authorize(&session, Action::ManageOwnAccount)?;
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
