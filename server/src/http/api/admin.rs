//! `/api/v1/admin/users`: staff accounts, for administrators (supervisors may list and unlock).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use shelter_shared::api::ErrorCode;
use shelter_shared::api::{EnrolmentCode, ErrorBody, NewStaffRequest, StaffAccount};
use shelter_shared::staff::Email;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::http::allow::{Allowed, Api, may};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::identity::admin::Admin;
use crate::identity::users::StaffUserRow;

/// The admin routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(disable))
        .routes(routes!(unlock))
        .routes(routes!(reset_two_factor))
        .routes(routes!(confirm))
}

/// The public view of an account row.
pub fn account(row: &StaffUserRow) -> StaffAccount {
    StaffAccount {
        id: row.staff_user_id.to_string(),
        email: row.email.clone(),
        name: row.display_name.clone(),
        roles: row.roles(),
        status: row.status.clone(),
        pending_confirmation: row.pending_confirmation,
        created_at: row.created_at,
    }
}

#[utoipa::path(get, path = "/api/v1/admin/users", operation_id = "list_staff_users", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "Every staff account (admin, supervisor)", body = [StaffAccount]),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Allowed(..): Allowed<Api, may::ListStaff>,
) -> Result<Json<Vec<StaffAccount>>, AppError> {
    let mut conn = state.db.acquire().await?;
    let rows = crate::identity::users::all(&mut conn).await?;
    Ok(Json(rows.iter().map(account).collect()))
}

#[utoipa::path(post, path = "/api/v1/admin/users", operation_id = "create_staff_user", tag = "admin", security(("bearer" = [])), request_body = NewStaffRequest,
    responses((status = 201, description = "Created; the enrolment code is shown once", body = EnrolmentCode),
              (status = 409, description = "The e-mail is taken", body = ErrorBody),
              (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::CreateStaff>,
    body: Result<ApiJson<NewStaffRequest>, AppError>,
) -> Result<(StatusCode, Json<EnrolmentCode>), AppError> {
    let ApiJson(request) = body?;
    let email = Email::parse(&request.email).map_err(|e| AppError::invalid(ErrorCode::InvalidEmail, e.to_string()))?;
    let partner = request
        .partner_id
        .as_deref()
        .map(|p| p.parse::<Uuid>())
        .transpose()
        .map_err(|_| AppError::invalid(ErrorCode::InvalidPartner, "partner_id must be a partner's id"))?;
    let created =
        state.identity.add_user_for(&Admin::Staff(&session), &email, &request.name, &request.roles, partner).await?;
    Ok((
        StatusCode::CREATED,
        Json(EnrolmentCode {
            id: created.user_id.to_string(),
            enrolment_code: created.enrolment_code,
            expires_at: created.expires_at,
        }),
    ))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/disable", operation_id = "disable_staff_user", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path, description = "Account id")),
    responses((status = 204, description = "Disabled; its sessions ended"), (status = 404, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub(crate) async fn disable(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::DisableStaff>,
    Path(user_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.identity.disable_user(&Admin::Staff(&session), user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/unlock", operation_id = "unlock_staff_user", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path, description = "Account id")),
    responses((status = 204, description = "Sign-in unlocked (admin, supervisor)"), (status = 404, body = ErrorBody)))]
pub(crate) async fn unlock(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::UnlockStaff>,
    Path(user_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.identity.unlock_user(&Admin::Staff(&session), user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/reset-2fa", operation_id = "reset_staff_two_factor", tag = "admin", security(("bearer" = [])),
    params(("user_id" = String, Path, description = "Account id")),
    responses((status = 200, description = "Second factor cleared, sessions ended, new enrolment code", body = EnrolmentCode)))]
pub(crate) async fn reset_two_factor(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ResetStaffTwoFactor>,
    Path(user_id): Path<Uuid>,
) -> Result<Json<EnrolmentCode>, AppError> {
    let reset = state.identity.reset_two_factor(&Admin::Staff(&session), user_id).await?;
    Ok(Json(EnrolmentCode {
        id: reset.user_id.to_string(),
        enrolment_code: reset.enrolment_code,
        expires_at: reset.expires_at,
    }))
}

#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/confirm", tag = "admin", security(("bearer" = [])),
    operation_id = "confirm_staff_account",
    params(("user_id" = Uuid, Path, description = "Account id")),
    responses((status = 204, description = "Confirmed: the privileged account may sign in (a supervisor who did not create or reset it; step-up)"),
              (status = 403, description = "Not a supervisor, no fresh step-up, or the one who set the account up", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "The account is not waiting for confirmation", body = ErrorBody)))]
pub(crate) async fn confirm(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ConfirmStaff>,
    Path(user_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.identity.confirm_user(&Admin::Staff(&session), user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
