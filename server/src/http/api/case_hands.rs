//! `/api/v1/cases/{id}/…`: who holds a case and undoing a ticked task, with the same rules
//! as the case page (`cases/assign.rs`, `shared::case::check_assignee_change` through
//! `policy`, `policy::may_undo_task`): the services decide, these routes only translate.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shelter_shared::api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::cases::staff;
use crate::http::allow::{Allowed, Api, may};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};

/// The routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(give_back)).routes(routes!(reassign)).routes(routes!(undo_task))
}

/// Giving a case back to the queue.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiveBackRequest {
    /// The version the caller saw.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Handing a case to another handler.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReassignRequest {
    /// The handler who takes the case: active, holding the handler role, not conflicted on
    /// it, and not the supervisor asking.
    pub assignee: Uuid,
    /// Why (sealed with the case key in the audit entry).
    pub reason: String,
    /// The version the caller saw.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Reopening a task marked done.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoTaskRequest {
    /// Why the task is not done after all (sealed with the case key in the audit entry).
    pub reason: String,
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/unclaim", tag = "cases", security(("bearer" = [])),
    operation_id = "give_back_case", params(("case_id" = Uuid, Path, description = "Case id")),
    request_body = GiveBackRequest,
    responses((status = 204, description = "Given back: unassigned, in the queue again; state and clocks stay"),
              (status = 403, description = "Not the case's assigned handler", body = ErrorBody),
              (status = 404, description = "No such case, or one the caller may not see", body = ErrorBody),
              (status = 409, description = "Changed meanwhile, or the state does not allow it", body = ErrorBody)))]
pub(crate) async fn give_back(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<GiveBackRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    state.cases.unclaim(staff(&session), case_id, request.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/reassign", tag = "cases", security(("bearer" = [])),
    operation_id = "reassign_case", params(("case_id" = Uuid, Path, description = "Case id")),
    request_body = ReassignRequest,
    responses((status = 204, description = "Reassigned; the new holder and the one it was taken from get a notice"),
              (status = 403, description = "Not a supervisor, or reassigning to oneself", body = ErrorBody),
              (status = 404, description = "No such case, or one the caller may not see", body = ErrorBody),
              (status = 409, description = "Changed meanwhile, or the state does not allow it", body = ErrorBody),
              (status = 422, description = "No reason, or a handler who cannot take the case", body = ErrorBody)))]
pub(crate) async fn reassign(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<ReassignRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    state.cases.reassign(staff(&session), case_id, request.assignee, &request.reason, request.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/tasks/{task_id}/undo", tag = "cases", security(("bearer" = [])),
    operation_id = "undo_task", request_body = UndoTaskRequest,
    params(("case_id" = Uuid, Path, description = "Case id"), ("task_id" = Uuid, Path, description = "Task id")),
    responses((status = 204, description = "The task is open again; the case's next deadline moves back to it"),
              (status = 403, description = "Not the person who marked it done", body = ErrorBody),
              (status = 404, description = "No such case, or one the caller may not see", body = ErrorBody),
              (status = 409, description = "Not marked done, unknown, or the case is closed", body = ErrorBody),
              (status = 422, description = "No reason, or one too long", body = ErrorBody)))]
pub(crate) async fn undo_task(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path((case_id, task_id)): Path<(Uuid, Uuid)>,
    body: Result<ApiJson<UndoTaskRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    state.cases.undo_task(staff(&session), case_id, task_id, &request.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
