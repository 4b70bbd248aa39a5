//! `/api/v1/retention`, legal holds on cases, and the requester's own deletion.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use shelter_shared::api::ErrorBody;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::http::allow::{Allowed, Api, may};
use crate::http::api::cases::staff;
use crate::http::api::requester::ApiRequester;
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::retention::overview::Overview;

/// The retention routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(place_hold))
        .routes(routes!(lift_hold))
        .routes(routes!(deletion, request_deletion))
        .routes(routes!(cancel_deletion))
}

/// A legal hold decision: always with a rationale.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoldRequest {
    /// Why (sealed with the case key; shredded with the case).
    pub rationale: String,
}

/// A hold placed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HoldPlaced {
    /// The hold's id.
    pub hold_id: Uuid,
}

/// The requester's deletion request.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeletionStatus {
    /// When the request will be purged (unless cancelled before); null: not asked.
    pub purge_after: Option<DateTime<Utc>>,
}

#[utoipa::path(get, path = "/api/v1/retention", tag = "retention", security(("bearer" = [])),
    operation_id = "retention_overview",
    responses((status = 200, description = "The schedule, what the next run would purge, the held cases", body = Overview),
              (status = 403, description = "Not an administrator or a supervisor", body = ErrorBody)))]
pub(crate) async fn overview(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewRetention>,
) -> Result<Json<Overview>, AppError> {
    Ok(Json(state.retention.overview(session.user_id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/legal-hold", tag = "retention", security(("bearer" = [])),
    operation_id = "place_legal_hold", params(("case_id" = Uuid, Path, description = "Case id")),
    request_body = HoldRequest,
    responses((status = 201, description = "Held: the case is not purged until a second supervisor lifts the hold", body = HoldPlaced),
              (status = 403, description = "Not a supervisor", body = ErrorBody),
              (status = 404, description = "No such case, or one the caller may not know of", body = ErrorBody),
              (status = 409, description = "Already held, or purged", body = ErrorBody),
              (status = 422, description = "No rationale", body = ErrorBody)))]
pub(crate) async fn place_hold(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::PlaceLegalHold>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<HoldRequest>, AppError>,
) -> Result<(StatusCode, Json<HoldPlaced>), AppError> {
    let ApiJson(request) = body?;
    let hold_id = state.cases.place_legal_hold(staff(&session), case_id, &request.rationale).await?;
    Ok((StatusCode::CREATED, Json(HoldPlaced { hold_id })))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/legal-hold/lift", tag = "retention", security(("bearer" = [])),
    operation_id = "lift_legal_hold", params(("case_id" = Uuid, Path, description = "Case id")),
    request_body = HoldRequest,
    responses((status = 204, description = "Lifted: the case is purged when its schedule says so"),
              (status = 403, description = "Not a supervisor, the supervisor who placed the hold, or no fresh step-up", body = ErrorBody),
              (status = 404, description = "No such case, or one the caller may not know of", body = ErrorBody),
              (status = 409, description = "No hold on the case, or purged", body = ErrorBody),
              (status = 422, description = "No rationale", body = ErrorBody)))]
pub(crate) async fn lift_hold(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::LiftLegalHold>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<HoldRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    state.cases.lift_legal_hold(staff(&session), case_id, &request.rationale).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/requester/deletion", tag = "retention", security(("bearer" = [])),
    operation_id = "requester_deletion_status",
    responses((status = 200, description = "Whether the requester asked for deletion, and when it happens", body = DeletionStatus),
              (status = 401, description = "No valid requester token", body = ErrorBody)))]
pub(crate) async fn deletion(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
) -> Result<Json<DeletionStatus>, AppError> {
    let purge_after = match session.calm {
        // A calm session reads what it asked for, never the real state (see `Cases::calm_deletion`).
        Some(_) => calm_asked(&state, &session).await?.map(|at| at + state.retention.schedule.cooling()),
        None => state.retention.deletion_due(session.case_id).await.map_err(anyhow::Error::from)?,
    };
    Ok(Json(DeletionStatus { purge_after }))
}

/// When a calm session asked for deletion, if it did.
async fn calm_asked(
    state: &AppState,
    session: &crate::cases::portal::RequesterSession,
) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    state.cases.calm_deletion_asked(session.case_id).await.map_err(|e| AppError::Internal(e.into()))
}

#[utoipa::path(post, path = "/api/v1/requester/deletion", tag = "retention", security(("bearer" = [])),
    operation_id = "requester_request_deletion",
    responses((status = 202, description = "Asked: the request is purged after the cooling-off period unless cancelled \
                                            (a paid grant keeps its accounting record; a legal hold may keep the case)", body = DeletionStatus),
              (status = 401, description = "No valid requester token", body = ErrorBody)))]
pub(crate) async fn request_deletion(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
) -> Result<(StatusCode, Json<DeletionStatus>), AppError> {
    let due = if session.calm.is_some() {
        // Answered as a real request would be; remembered for the calm view, never carried out.
        state.cases.calm_deletion(&session, true).await.map_err(|e| AppError::Internal(e.into()))?;
        let asked = calm_asked(&state, &session).await?.unwrap_or_else(|| state.retention.clock.now());
        asked + state.retention.schedule.cooling()
    } else {
        state.retention.request_deletion(&session).await?
    };
    Ok((StatusCode::ACCEPTED, Json(DeletionStatus { purge_after: Some(due) })))
}

#[utoipa::path(post, path = "/api/v1/requester/deletion/cancel", tag = "retention", security(("bearer" = [])),
    operation_id = "requester_cancel_deletion",
    responses((status = 204, description = "Cancelled: the request is kept"),
              (status = 401, description = "No valid requester token", body = ErrorBody),
              (status = 409, description = "There was no deletion request to cancel", body = ErrorBody)))]
pub(crate) async fn cancel_deletion(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
) -> Result<StatusCode, AppError> {
    let cancelled = if session.calm.is_some() {
        let asked = calm_asked(&state, &session).await?.is_some();
        state.cases.calm_deletion(&session, false).await.map_err(|e| AppError::Internal(e.into()))?;
        asked
    } else {
        state.retention.cancel_deletion(&session).await?
    };
    if cancelled {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::Conflict("There is no deletion request to cancel.".into()))
    }
}
