//! Funds and grants: `/api/v1/funds`, `/api/v1/cases/{id}/grants`, `/api/v1/grants…` and
//! the requester's `/api/v1/requester/grants…`. Approving, paying, changing payee details,
//! reversing and exporting need a step-up (a fresh TOTP code within five minutes).

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;
use shelter_shared::api::{ErrorBody, MessageCreated};
use shelter_shared::audit::AuditAction;
use uuid::Uuid;

use super::cases::staff;
use super::requester::ApiRequester;
use crate::audit::{self as trail, Actor, NewEntry};
use crate::grants::decide::Decision;
use crate::grants::follow_up::Reporter;
use crate::grants::funds::{FundBalance, NewFund};
use crate::grants::pay::{Disbursement, PayeeChange};
use crate::grants::propose::GrantProposal;
use crate::grants::register::{LIMIT, Register, RegisterParams};
use crate::grants::view::{GrantView, RequesterGrant};
use crate::http::auth::{ApiStaff, authorize};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::Action;

/// The fund and grant routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/funds", get(funds).post(create_fund))
        .route("/api/v1/cases/{case_id}/grants", get(case_grants).post(propose))
        .route("/api/v1/grants", get(register))
        .route("/api/v1/grants/export", get(export))
        .route("/api/v1/grants/{grant_id}", get(grant))
        .route("/api/v1/grants/{grant_id}/payee", put(payee))
        .route("/api/v1/grants/{grant_id}/disburse", post(disburse))
        .route("/api/v1/grants/{grant_id}/conflict", post(declare_conflict))
        .route("/api/v1/grants/{grant_id}/{action}", post(act))
        .route("/api/v1/requester/grants", get(requester_grants))
        .route("/api/v1/requester/grants/{grant_id}/{action}", post(requester_act))
}

/// Refuses unless the session confirmed a fresh second factor within five minutes.
pub fn require_step_up(state: &AppState, session: &StaffSession) -> Result<(), AppError> {
    if session.stepped_up(state.identity.clock.now()) {
        Ok(())
    } else {
        Err(AppError::Forbidden("Confirm with a fresh code from your authenticator app first (step-up).".into()))
    }
}

#[utoipa::path(get, path = "/api/v1/funds", tag = "grants", security(("bearer" = [])),
    responses((status = 200, description = "Funds with committed, disbursed and available amounts computed from the ledger", body = [FundBalance]),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn funds(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
) -> Result<Json<Vec<FundBalance>>, AppError> {
    authorize(&state, &session, Action::ViewFunds).await?;
    Ok(Json(state.grants.funds().await?))
}

#[utoipa::path(post, path = "/api/v1/funds", tag = "grants", security(("bearer" = [])), request_body = NewFund,
    responses((status = 201, body = MessageCreated), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn create_fund(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    body: Result<ApiJson<NewFund>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    authorize(&state, &session, Action::ManageFunds).await?;
    let ApiJson(fund) = body?;
    let id = state.grants.create_fund(session.user_id, fund).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}/grants", tag = "grants", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 200, body = [GrantView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn case_grants(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(case_id): Path<Uuid>,
) -> Result<Json<Vec<GrantView>>, AppError> {
    authorize(&state, &session, Action::WorkGrants).await?;
    Ok(Json(state.grants.case_grants(staff(&session), case_id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/grants", tag = "grants", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = GrantProposal,
    responses((status = 201, description = "Proposed (step-up needed: it enters payment details)", body = MessageCreated),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn propose(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<GrantProposal>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    authorize(&state, &session, Action::WorkGrants).await?;
    require_step_up(&state, &session)?;
    let ApiJson(proposal) = body?;
    let id = state.grants.propose(staff(&session), case_id, proposal).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(get, path = "/api/v1/grants", tag = "grants", security(("bearer" = [])), params(RegisterParams),
    responses((status = 200, description = "Grants (no case content), totals by fund, category, country and month, fund balances", body = Register),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn register(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Query(params): Query<RegisterParams>,
) -> Result<Json<Register>, AppError> {
    authorize(&state, &session, Action::ViewGrantRegister).await?;
    let filter = params.parse().map_err(|m| AppError::invalid("invalid_filter", m))?;
    Ok(Json(state.grants.register(&filter, LIMIT, session.user_id).await?))
}

/// The register as CSV, audited; needs a step-up.
pub async fn export_csv(
    state: &AppState,
    session: &StaffSession,
    params: &RegisterParams,
) -> Result<Response, AppError> {
    authorize(state, session, Action::ViewGrantRegister).await?;
    require_step_up(state, session)?;
    let filter = params.parse().map_err(|m| AppError::invalid("invalid_filter", m))?;
    let (csv, rows) = state.grants.register_csv(&filter, session.user_id).await?;
    let entry = NewEntry::new(Actor::Staff(session.user_id), AuditAction::GrantsExported)
        .details(json!({"rows": rows, "filter": params}));
    trail::record_alone(&state.db, entry, state.identity.clock.now()).await.map_err(anyhow::Error::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"shelter-grants.csv\""),
        ],
        csv,
    )
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/grants/export", tag = "grants", security(("bearer" = [])), params(RegisterParams),
    responses((status = 200, description = "CSV of the filtered register (supervisors and finance; step-up; audited)", content_type = "text/csv", body = String),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn export(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Query(params): Query<RegisterParams>,
) -> Result<Response, AppError> {
    export_csv(&state, &session, &params).await
}

#[utoipa::path(get, path = "/api/v1/grants/{grant_id}", tag = "grants", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path, description = "Grant id")),
    responses((status = 200, description = "The grant as the caller may see it: finance gets payment details (audited) and no case content", body = GrantView),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn grant(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
) -> Result<Json<GrantView>, AppError> {
    authorize(&state, &session, Action::ViewGrant).await?;
    Ok(Json(state.grants.grant(staff(&session), grant_id).await?))
}

#[utoipa::path(put, path = "/api/v1/grants/{grant_id}/payee", tag = "grants", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = PayeeChange,
    responses((status = 204, description = "Changed; the caller may no longer release the payment"), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn payee(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<PayeeChange>, AppError>,
) -> Result<StatusCode, AppError> {
    authorize(&state, &session, Action::ChangePayee).await?;
    require_step_up(&state, &session)?;
    let ApiJson(change) = body?;
    state.grants.change_payee(staff(&session), grant_id, change).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/disburse", tag = "grants", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = Disbursement,
    responses((status = 201, description = "Paid, exactly once", body = MessageCreated), (status = 403, body = ErrorBody),
              (status = 409, description = "Not approved, frozen, already paid, or the fund cannot cover it", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn disburse(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<Disbursement>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    authorize(&state, &session, Action::DisburseGrants).await?;
    require_step_up(&state, &session)?;
    let ApiJson(payment) = body?;
    let id = state.grants.disburse(staff(&session), grant_id, payment).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/conflict", tag = "grants", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path, description = "Grant id")),
    responses((status = 204, description = "Conflict declared: the grant and its case are hidden from the caller from now on"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn declare_conflict(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    authorize(&state, &session, Action::DeclareGrantConflict).await?;
    state.grants.declare_conflict(staff(&session), grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A decision, a follow-up or a cancellation.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantActionRequest {
    /// Why (approve, reject, cancel, reverse).
    #[serde(default)]
    pub rationale: Option<String>,
    /// approve: a provisional single approval for a critical case.
    #[serde(default)]
    pub provisional: bool,
    /// receipt: an optional note.
    #[serde(default)]
    pub note: Option<String>,
    /// report: how the grant was used.
    #[serde(default)]
    pub report: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/{action}", tag = "grants", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path, description = "Grant id"),
           ("action" = String, Path, description = "approve or reject (supervisors, step-up), reverse (finance, step-up), receipt, report or cancel (the case's handler or a supervisor)")),
    request_body = GrantActionRequest,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn act(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path((grant_id, action)): Path<(Uuid, String)>,
    body: Result<ApiJson<GrantActionRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let needs = match action.as_str() {
        "approve" | "reject" => Action::DecideGrants,
        "reverse" => Action::DisburseGrants,
        "receipt" | "report" | "cancel" => Action::WorkGrants,
        _ => return Err(AppError::NotFound),
    };
    authorize(&state, &session, needs).await?;
    if matches!(needs, Action::DecideGrants | Action::DisburseGrants) {
        require_step_up(&state, &session)?;
    }
    let ApiJson(request) = body?;
    let who = staff(&session);
    let grants = &state.grants;
    match action.as_str() {
        "approve" => {
            grants
                .decide(
                    who,
                    grant_id,
                    Decision::Approve { provisional: request.provisional },
                    request.rationale.as_deref(),
                )
                .await?;
        }
        "reject" => {
            grants.decide(who, grant_id, Decision::Reject, request.rationale.as_deref()).await?;
        }
        "reverse" => grants.reverse(who, grant_id, request.rationale.as_deref()).await?,
        "receipt" => grants.confirm_receipt(Reporter::Staff(who), grant_id, request.note.as_deref()).await?,
        "report" => {
            grants.report(Reporter::Staff(who), grant_id, request.report.as_deref().unwrap_or_default()).await?
        }
        _ => grants.cancel(who, grant_id, request.rationale.as_deref()).await?,
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/requester/grants", tag = "requester", security(("bearer" = [])),
    responses((status = 200, description = "Grants decided on the requester's case", body = [RequesterGrant])))]
pub(crate) async fn requester_grants(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
) -> Result<Json<Vec<RequesterGrant>>, AppError> {
    Ok(Json(state.grants.requester_grants(&session).await?))
}

/// The requester's report.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequesterReport {
    /// report: how the grant was used (no names or places that could put anyone at risk).
    #[serde(default)]
    pub report: Option<String>,
}

#[utoipa::path(post, path = "/api/v1/requester/grants/{grant_id}/{action}", tag = "requester", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path, description = "Grant id"), ("action" = String, Path, description = "receipt or report")),
    request_body = RequesterReport,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn requester_act(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    Path((grant_id, action)): Path<(Uuid, String)>,
    body: Result<ApiJson<RequesterReport>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    match action.as_str() {
        "receipt" => state.grants.confirm_receipt(Reporter::Requester(&session), grant_id, None).await?,
        "report" => {
            state
                .grants
                .report(Reporter::Requester(&session), grant_id, request.report.as_deref().unwrap_or_default())
                .await?
        }
        _ => return Err(AppError::NotFound),
    }
    Ok(StatusCode::NO_CONTENT)
}
