//! `/api/v1/cases/{id}/danger`, `/custody`, `/duress/clear`, `/check-ins`: staff watching
//! over a requester who may be in danger (issue 16).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shelter_shared::api::ErrorBody;
use shelter_shared::api::ErrorCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::cases::staff;
use crate::cases::check_ins::NewSchedule;
use crate::cases::danger::DangerView;
use crate::http::allow::{Allowed, Api, may};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(danger))
        .routes(routes!(set_custody))
        .routes(routes!(lift_custody))
        .routes(routes!(clear_duress))
        .routes(routes!(schedule_check_ins))
        .routes(routes!(end_check_ins))
}

/// A decision that needs only its rationale.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RationaleRequest {
    /// Why.
    pub rationale: String,
}

/// Check-ins to ask of the requester.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInSchedule {
    /// Hours between check-ins, 1 to 720.
    pub every_hours: i64,
    /// Hours of grace after each, 0 to 168, before it counts as missed.
    pub grace_hours: i64,
    /// When check-ins end: a date `YYYY-MM-DD` (its end, UTC) or an RFC 3339 time, within a year.
    pub until: String,
    /// A safe word agreed with the requester beforehand; a check-in without it raises a duress alert.
    #[serde(default)]
    pub safe_word: Option<String>,
}

const PATH: &str = "Case id";

#[utoipa::path(get, path = "/api/v1/cases/{case_id}/danger", operation_id = "case_danger", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = PATH)),
    responses((status = 200, description = "The duress alert, custody mode, the check-in schedule and its history", body = DangerView),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn danger(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
) -> Result<Json<DangerView>, AppError> {
    Ok(Json(state.cases.danger(staff(&session), case_id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/custody", operation_id = "set_custody", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = PATH)), request_body = RationaleRequest,
    description = "Custody mode: the requester may be detained or their device seized. Every portal sign-in then sees a calm view \
                   (the request closed, nothing on it), portal messages are marked as possibly not from the requester, new files \
                   are held back unopened, every sign-in attempt alerts the handler, the requester's news stops, and consent \
                   cannot be given from the portal.",
    responses((status = 204, description = "Set"), (status = 403, description = "Not the case's handler or a supervisor", body = ErrorBody),
              (status = 409, description = "Already in custody mode", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn set_custody(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::SetCustody>,
    Path(case_id): Path<Uuid>,
    ApiJson(request): ApiJson<RationaleRequest>,
) -> Result<StatusCode, AppError> {
    state.cases.set_custody(staff(&session), case_id, &request.rationale).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/custody/lift", operation_id = "lift_custody", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = PATH)), request_body = RationaleRequest,
    responses((status = 204, description = "Lifted"), (status = 403, description = "Only supervisors lift custody mode", body = ErrorBody),
              (status = 409, description = "Not in custody mode", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn lift_custody(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::LiftCustody>,
    Path(case_id): Path<Uuid>,
    ApiJson(request): ApiJson<RationaleRequest>,
) -> Result<StatusCode, AppError> {
    state.cases.lift_custody(staff(&session), case_id, &request.rationale).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/duress/clear", operation_id = "clear_duress", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = PATH)), request_body = RationaleRequest,
    responses((status = 204, description = "Cleared"), (status = 409, description = "No duress alert", body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn clear_duress(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WatchRequester>,
    Path(case_id): Path<Uuid>,
    ApiJson(request): ApiJson<RationaleRequest>,
) -> Result<StatusCode, AppError> {
    state.cases.clear_duress(staff(&session), case_id, &request.rationale).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/check-ins", operation_id = "schedule_check_ins", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = PATH)), request_body = CheckInSchedule,
    description = "Asks the requester to check in (portal or `POST /api/v1/requester/check-in`) at least every `every_hours`. \
                   A slot unanswered `grace_hours` later notifies the handler, and a grace period after that the supervisors, \
                   each once per slot. Replaces a live schedule; ends with the case.",
    responses((status = 201, description = "Scheduled"), (status = 409, description = "The case is closed", body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn schedule_check_ins(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WatchRequester>,
    Path(case_id): Path<Uuid>,
    ApiJson(request): ApiJson<CheckInSchedule>,
) -> Result<StatusCode, AppError> {
    let now = state.identity.clock.now();
    let new =
        NewSchedule::parse(request.every_hours, request.grace_hours, &request.until, request.safe_word.as_deref(), now)
            .map_err(|m| AppError::invalid(ErrorCode::InvalidSchedule, m))?;
    state.cases.schedule_check_ins(staff(&session), case_id, new).await?;
    Ok(StatusCode::CREATED)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/check-ins/end", operation_id = "end_check_ins", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = PATH)),
    responses((status = 204, description = "Ended"), (status = 409, description = "None scheduled", body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn end_check_ins(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WatchRequester>,
    Path(case_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.cases.end_check_ins(staff(&session), case_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
