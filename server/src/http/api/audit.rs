//! `/api/v1/audit`: the trail for supervisors, reviews of decisions, CSV export.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shelter_frontend::reader::Reader;
use shelter_shared::api::ErrorBody;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::{AuditAction, ReviewVerdict};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::query::{self, Entry, FilterParams};
use crate::audit::review;
use crate::audit::{self as trail, Actor, NewEntry};
use crate::http::allow::{Allowed, Api, may};
use crate::http::auth::{ApiStaff, authorize};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::Action;

/// Most rows one export may hold.
pub const EXPORT_LIMIT: i64 = 100_000;

/// The audit routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(export)).routes(routes!(review_entry))
}

/// A page of the trail.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    /// Entries, newest first.
    pub entries: Vec<Entry>,
    /// Pass as `before` for the next page; absent on the last page.
    pub next_before: Option<i64>,
}

/// A verdict on a recorded decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    /// `reviewed` or `concern`.
    pub verdict: ReviewVerdict,
    /// Why (1 to 2000 characters).
    pub comment: String,
}

#[utoipa::path(get, path = "/api/v1/audit", operation_id = "list_audit_entries", tag = "audit", security(("bearer" = [])), params(FilterParams),
    responses((status = 200, description = "Entries matching the filters, newest first (supervisors)", body = AuditPage),
              (status = 422, description = "A filter value is not valid", body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ReadAudit>,
    Query(params): Query<FilterParams>,
) -> Result<Json<AuditPage>, AppError> {
    let (filter, limit) = params.parse().map_err(|m| AppError::invalid(ErrorCode::InvalidFilter, m))?;
    let entries =
        query::page(&state.db, &state.cases.keys, &filter, limit, (session.user_id, &session.roles), Reader::default())
            .await?;
    let next_before = (entries.len() as i64 == limit).then(|| entries.last().map(|e| e.seq)).flatten();
    Ok(Json(AuditPage { entries, next_before }))
}

#[utoipa::path(post, path = "/api/v1/audit/{seq}/review", operation_id = "review_audit_entry", tag = "audit", security(("bearer" = [])),
    params(("seq" = i64, Path, description = "The decision's sequence number")), request_body = ReviewRequest,
    responses((status = 201, description = "The review was recorded (as an audit entry)"),
              (status = 403, description = "Not a supervisor, or one's own decision", body = ErrorBody),
              (status = 422, description = "Not a decision, or no comment", body = ErrorBody)))]
pub(crate) async fn review_entry(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ReviewDecision>,
    Path(seq): Path<i64>,
    body: Result<ApiJson<ReviewRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    let clock = state.identity.clock.as_ref();
    review::review(&state.db, &state.cases.keys, clock, session.user_id, seq, request.verdict, &request.comment)
        .await?;
    Ok(StatusCode::CREATED)
}

/// Builds the CSV of a filtered view and records the export; needs a fresh second factor.
pub async fn export_csv(state: &AppState, session: &StaffSession, params: &FilterParams) -> Result<Response, AppError> {
    authorize(state, session, Action::ExportAudit).await?;
    crate::http::api::grants::require_step_up(state, session)?;
    let (filter, _) = params.parse().map_err(|m| AppError::invalid(ErrorCode::InvalidFilter, m))?;
    let (csv, rows) =
        query::csv(&state.db, &state.cases.keys, &filter, EXPORT_LIMIT, session.user_id, &session.roles).await?;
    let details = json!({
        "rows": rows,
        "filter": {"case": filter.case, "actor": filter.actor, "action": filter.action,
                   "from": filter.from, "to": filter.to},
    });
    let entry = NewEntry::new(Actor::Staff(session.user_id), AuditAction::AuditExported).details(details);
    trail::record_alone(&state.db, entry, state.identity.clock.now()).await.map_err(anyhow::Error::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"shelter-audit.csv\""),
        ],
        csv,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/audit/export", operation_id = "export_audit_csv", tag = "audit", security(("bearer" = [])), params(FilterParams),
    responses((status = 200, description = "CSV of the filtered trail, oldest first (supervisors; step-up within 5 minutes; audited)", content_type = "text/csv", body = String),
              (status = 403, description = "Not a supervisor, or no recent step-up", body = ErrorBody)))]
pub(crate) async fn export(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Query(params): Query<FilterParams>,
) -> Result<Response, AppError> {
    export_csv(&state, &session, &params).await
}
