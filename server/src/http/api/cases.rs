//! `/api/v1/cases`: the queue, the case, and the work on it.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use shelter_shared::api::ErrorCode;
use shelter_shared::api::{ErrorBody, MessageCreated, MessageRequest};
use shelter_shared::case::{CaseTransition, Outcome};
use shelter_shared::intake::{IncidentKind, Severity};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::cases::queue::{QueueFilter, QueueItem};
use crate::cases::record::CaseRecord;
use crate::cases::sla::Breach;
use crate::cases::triage::{Staff, TransitionInput, TriageInput};
use crate::cases::view::CaseView;
use crate::http::allow::{Allowed, Api, may};
use crate::http::auth::{ApiStaff, authorize};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::Action;

/// The case routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(queue))
        .routes(routes!(case))
        .routes(routes!(claim))
        .routes(routes!(triage))
        .routes(routes!(close))
        .routes(routes!(acknowledge))
        .routes(routes!(hold))
        .routes(routes!(resume))
        .routes(routes!(reopen))
        .routes(routes!(message))
        .routes(routes!(note))
        .routes(routes!(task_done))
        .routes(routes!(conflict))
        .routes(routes!(breaches))
}

/// The acting staff member.
pub fn staff(session: &StaffSession) -> Staff<'_> {
    Staff { id: session.user_id, roles: &session.roles, step_up_at: session.step_up_at }
}

/// Queue filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// new, acknowledged, active, on_hold or closed (default: the first three).
    pub status: Option<String>,
    /// critical, high, medium or low.
    pub severity: Option<String>,
    /// Incident kind.
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// Staff id of the assignee.
    pub assignee: Option<Uuid>,
    /// Only the caller's cases.
    pub mine: Option<bool>,
    /// Only unassigned cases.
    pub unassigned: Option<bool>,
    /// Only the case with this reference (as typed: any case, dashes optional), if the
    /// caller sees it in full.
    pub reference: Option<String>,
    /// Page, 1 to 10000.
    pub page: Option<i64>,
    /// Per page, 1 to 200 (default 50).
    pub per_page: Option<i64>,
}

/// The last page one may ask for (10,000 pages of up to 200 cases).
const MAX_PAGE: i64 = 10_000;

impl QueueParams {
    /// Checks every value; the first problem is the error.
    pub fn parse(&self, me: Uuid) -> Result<QueueFilter, String> {
        let per_page = self.per_page.unwrap_or(50);
        if !(1..=200).contains(&per_page) {
            return Err("per_page must be between 1 and 200".into());
        }
        // Bounded, so that the offset can never overflow into a negative one.
        let page = self.page.unwrap_or(1);
        if !(1..=MAX_PAGE).contains(&page) {
            return Err(format!("page must be between 1 and {MAX_PAGE}"));
        }
        let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        let statuses = match blank(&self.status) {
            Some(s) => vec![s.parse::<shelter_shared::case::CaseState>()?],
            None => vec![],
        };
        let severity = blank(&self.severity)
            .map(|s| s.parse::<Severity>())
            .transpose()
            .map_err(|_| "unknown severity".to_owned())?;
        let kind =
            blank(&self.kind).map(|k| k.parse::<IncidentKind>()).transpose().map_err(|_| "unknown kind".to_owned())?;
        let country = blank(&self.country)
            .map(|c| shelter_shared::intake::CountryCode::parse(&c).map(|c| c.to_string()))
            .transpose()
            .map_err(|_| "not an ISO 3166-1 alpha-2 country code".to_owned())?;
        let reference = blank(&self.reference)
            .map(|r| shelter_shared::intake::Reference::parse(&r).map(|r| r.to_string()))
            .map(|r| r.ok_or_else(|| "not a case reference: one reads like SH-7K2M-9QXD".to_owned()))
            .transpose()?;
        Ok(QueueFilter {
            statuses,
            severity,
            kind,
            country,
            assignee: if self.mine == Some(true) { Some(me) } else { self.assignee },
            unassigned: self.unassigned == Some(true),
            reference,
            limit: per_page,
            offset: (page - 1) * per_page,
        })
    }
}

/// A page of the queue.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct QueuePage {
    /// Cases, nearest deadline first.
    pub items: Vec<QueueItem>,
    /// This page.
    pub page: i64,
    /// Page size.
    pub per_page: i64,
}

/// A case's state after a change.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseState {
    /// Id.
    pub id: Uuid,
    /// State.
    pub status: shelter_shared::case::CaseState,
    /// Severity.
    pub severity: Option<String>,
    /// Kind.
    pub kind: String,
    /// Assignee.
    pub assignee: Option<Uuid>,
    /// The version to send with the next change.
    pub version: i32,
}

impl From<CaseRecord> for CaseState {
    fn from(case: CaseRecord) -> Self {
        CaseState {
            id: case.case_id,
            status: case.status,
            severity: case.severity,
            kind: case.kind,
            assignee: case.assignee,
            version: case.version,
        }
    }
}

/// A triage decision.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriageRequest {
    /// critical, high, medium, low.
    pub severity: Severity,
    /// The incident kind; its playbook follows.
    pub kind: IncidentKind,
    /// Why.
    pub rationale: String,
    /// The handler to assign (supervisors; default: the current assignee or the caller).
    #[serde(default)]
    pub assignee: Option<Uuid>,
    /// The version the caller saw.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Acknowledging a case (a rationale is optional).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// Why.
    #[serde(default)]
    pub rationale: Option<String>,
    /// The version the caller saw.
    #[serde(default)]
    pub version: Option<i32>,
}

/// Closing a case.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// How it ended.
    pub outcome: Outcome,
    /// Why.
    pub rationale: String,
    /// The version the caller saw.
    #[serde(default)]
    pub version: Option<i32>,
    /// Optional: a status entry for the registry member the case is linked to ("released on
    /// bail"), added in the same transaction as the closing and audited. Only for those who
    /// may record a member's status from the case (its handler, a supervisor); refused (422)
    /// when no member is linked, and then the case stays open.
    #[serde(default)]
    pub member_status: Option<shelter_shared::alumni::ClosingStatusRequest>,
}

#[utoipa::path(get, path = "/api/v1/cases", operation_id = "case_queue", tag = "cases", security(("bearer" = [])), params(QueueParams),
    responses((status = 200, description = "Open cases, nearest SLA deadline first; unassigned ones as previews", body = QueuePage),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn queue(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Query(params): Query<QueueParams>,
) -> Result<Json<QueuePage>, AppError> {
    let filter = params.parse(session.user_id).map_err(|m| AppError::invalid(ErrorCode::InvalidFilter, m))?;
    let items = state.cases.queue(staff(&session), &filter).await?;
    Ok(Json(QueuePage { items, page: filter.offset / filter.limit + 1, per_page: filter.limit }))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}", operation_id = "get_case", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 200, description = "The whole case (assigned handler or supervisor); the read is audited", body = CaseView),
              (status = 403, description = "Only a preview is allowed: claim the case first", body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub(crate) async fn case(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
) -> Result<Json<CaseView>, AppError> {
    Ok(Json(state.cases.view(staff(&session), case_id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/claim", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 200, body = CaseState), (status = 409, description = "Already assigned, or changed meanwhile", body = ErrorBody)))]
pub(crate) async fn claim(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
) -> Result<Json<CaseState>, AppError> {
    Ok(Json(state.cases.claim(staff(&session), case_id).await?.into()))
}

async fn decide(
    state: &AppState,
    session: &StaffSession,
    case_id: Uuid,
    transition: CaseTransition,
    input: TransitionInput,
) -> Result<Json<CaseState>, AppError> {
    authorize(state, session, Action::WorkCases).await?;
    Ok(Json(state.cases.transition(staff(session), case_id, transition, input).await?.into()))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/acknowledge", tag = "cases", security(("bearer" = [])),
    operation_id = "acknowledge_case", params(("case_id" = Uuid, Path, description = "Case id")),
    request_body = DecisionRequest,
    responses((status = 200, description = "Acknowledged: the requester is told someone is on it", body = CaseState),
              (status = 403, description = "Not the assignee or a supervisor", body = ErrorBody),
              (status = 409, description = "Changed meanwhile, or the state does not allow it", body = ErrorBody)))]
pub(crate) async fn acknowledge(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<DecisionRequest>, AppError>,
) -> Result<Json<CaseState>, AppError> {
    let ApiJson(request) = body?;
    let input =
        TransitionInput { rationale: request.rationale, expected_version: request.version, ..Default::default() };
    decide(&state, &session, case_id, CaseTransition::Acknowledge, input).await
}

/// Holding, resuming or reopening a case: always with a rationale.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonedRequest {
    /// Why.
    pub rationale: String,
    /// The version the caller saw.
    #[serde(default)]
    pub version: Option<i32>,
}

async fn reasoned(
    state: &AppState,
    session: &StaffSession,
    case_id: Uuid,
    transition: CaseTransition,
    body: Result<ApiJson<ReasonedRequest>, AppError>,
) -> Result<Json<CaseState>, AppError> {
    authorize(state, session, Action::WorkCases).await?;
    let ApiJson(request) = body?;
    let input =
        TransitionInput { rationale: Some(request.rationale), expected_version: request.version, ..Default::default() };
    decide(state, session, case_id, transition, input).await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/hold", tag = "cases", security(("bearer" = [])),
    operation_id = "hold_case", params(("case_id" = Uuid, Path, description = "Case id")),
    request_body = ReasonedRequest,
    responses((status = 200, description = "On hold; its clocks stop", body = CaseState),
              (status = 403, description = "Not the assignee or a supervisor", body = ErrorBody),
              (status = 409, description = "Changed meanwhile, or the state does not allow it", body = ErrorBody),
              (status = 422, description = "No rationale", body = ErrorBody)))]
pub(crate) async fn hold(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<ReasonedRequest>, AppError>,
) -> Result<Json<CaseState>, AppError> {
    reasoned(&state, &session, case_id, CaseTransition::Hold, body).await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/resume", tag = "cases", security(("bearer" = [])),
    operation_id = "resume_case", params(("case_id" = Uuid, Path, description = "Case id")),
    request_body = ReasonedRequest,
    responses((status = 200, description = "Active again", body = CaseState),
              (status = 403, description = "Not the assignee or a supervisor", body = ErrorBody),
              (status = 409, description = "Changed meanwhile, or the state does not allow it", body = ErrorBody),
              (status = 422, description = "No rationale", body = ErrorBody)))]
pub(crate) async fn resume(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<ReasonedRequest>, AppError>,
) -> Result<Json<CaseState>, AppError> {
    reasoned(&state, &session, case_id, CaseTransition::Resume, body).await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/reopen", tag = "cases", security(("bearer" = [])),
    operation_id = "reopen_case", params(("case_id" = Uuid, Path, description = "Case id")),
    request_body = ReasonedRequest,
    responses((status = 200, description = "Reopened (supervisors)", body = CaseState),
              (status = 403, description = "Not a supervisor", body = ErrorBody),
              (status = 409, description = "Changed meanwhile, or the case is not closed", body = ErrorBody),
              (status = 422, description = "No rationale", body = ErrorBody)))]
pub(crate) async fn reopen(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<ReasonedRequest>, AppError>,
) -> Result<Json<CaseState>, AppError> {
    reasoned(&state, &session, case_id, CaseTransition::Reopen, body).await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/triage", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = TriageRequest,
    responses((status = 200, description = "Triaged: severity, kind, playbook version, assignee; tasks created", body = CaseState),
              (status = 403, description = "Not the assignee, or assigning someone else without being a supervisor", body = ErrorBody),
              (status = 409, description = "Changed meanwhile, or the state does not allow it", body = ErrorBody),
              (status = 422, description = "No rationale, no playbook for the kind, or an assignee who cannot take it", body = ErrorBody)))]
pub(crate) async fn triage(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<TriageRequest>, AppError>,
) -> Result<Json<CaseState>, AppError> {
    let ApiJson(request) = body?;
    let input = TransitionInput {
        rationale: Some(request.rationale),
        expected_version: request.version,
        triage: Some(TriageInput { severity: request.severity, kind: request.kind, assignee: request.assignee }),
        ..Default::default()
    };
    decide(&state, &session, case_id, CaseTransition::Triage, input).await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/close", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = CloseRequest,
    responses((status = 200, description = "Closed, with the member's status entry if one was given", body = CaseState),
              (status = 403, description = "Not the assignee or a supervisor, or may not record the member's status", body = ErrorBody),
              (status = 409, description = "Changed meanwhile, or the state does not allow it", body = ErrorBody),
              (status = 422, description = "No rationale or outcome; a bad status entry; a status entry for a case linked to no member", body = ErrorBody)))]
pub(crate) async fn close(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<CloseRequest>, AppError>,
) -> Result<Json<CaseState>, AppError> {
    let ApiJson(request) = body?;
    let input = TransitionInput {
        rationale: Some(request.rationale),
        outcome: Some(request.outcome),
        expected_version: request.version,
        member_status: request.member_status,
        ..Default::default()
    };
    decide(&state, &session, case_id, CaseTransition::Close, input).await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/messages", operation_id = "message_requester", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = MessageRequest,
    responses((status = 201, body = MessageCreated), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn message(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<MessageRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(request) = body?;
    let id = state.cases.staff_message(staff(&session), case_id, &request.body).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/notes", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = MessageRequest,
    responses((status = 201, body = MessageCreated), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn note(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<MessageRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(request) = body?;
    let id = state.cases.add_note(staff(&session), case_id, &request.body).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/tasks/{task_id}/done", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id"), ("task_id" = Uuid, Path, description = "Task id")),
    responses((status = 204), (status = 409, body = ErrorBody)))]
pub(crate) async fn task_done(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path((case_id, task_id)): Path<(Uuid, Uuid)>,
) -> Result<StatusCode, AppError> {
    state.cases.complete_task(staff(&session), case_id, task_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/conflict", tag = "cases", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 204, description = "Declared: the caller is unassigned and no longer sees the case")))]
pub(crate) async fn conflict(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.cases.declare_conflict(staff(&session), case_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/sla/breaches", tag = "cases", security(("bearer" = [])),
    responses((status = 200, description = "Breached deadlines of open cases (supervisors)", body = [Breach])))]
pub(crate) async fn breaches(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewSlaBreaches>,
) -> Result<Json<Vec<Breach>>, AppError> {
    Ok(Json(state.cases.open_breaches(session.user_id).await?))
}
