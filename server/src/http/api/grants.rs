//! Funds and grants: `/api/v1/funds`, `/api/v1/cases/{id}/grants`, `/api/v1/grants…` and
//! the requester's `/api/v1/requester/grants…`. Approving, paying, changing payee details,
//! reversing and exporting need a step-up (a fresh TOTP code within five minutes).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::api::{ErrorBody, MessageCreated};
use shelter_shared::audit::AuditAction;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
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
use crate::http::allow::{Allowed, Api, may};
use crate::http::auth::{ApiStaff, authorize};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::Action;

/// The fund and grant routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(funds, create_fund))
        .routes(routes!(case_grants, propose))
        .routes(routes!(register))
        .routes(routes!(export))
        .routes(routes!(grant))
        .routes(routes!(payee))
        .routes(routes!(disburse))
        .routes(routes!(declare_conflict))
        .routes(routes!(approve))
        .routes(routes!(reject))
        .routes(routes!(reverse))
        .routes(routes!(cancel))
        .routes(routes!(confirm_receipt))
        .routes(routes!(report))
        .routes(routes!(requester_grants))
        .routes(routes!(requester_receipt))
        .routes(routes!(requester_report))
}

/// Refuses unless the session confirmed a fresh second factor within five minutes: for
/// the exports, which the HTTP layer builds itself (the grant services check their own).
pub fn require_step_up(state: &AppState, session: &StaffSession) -> Result<(), AppError> {
    if session.stepped_up(state.identity.clock.now()) {
        Ok(())
    } else {
        Err(AppError::Forbidden(crate::policy::STEP_UP_NEEDED.into()))
    }
}

#[utoipa::path(get, path = "/api/v1/funds", tag = "grants", security(("bearer" = [])),
    responses((status = 200, description = "Funds with committed, disbursed and available amounts computed from the ledger", body = [FundBalance]),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn funds(
    State(state): State<AppState>,
    Allowed(..): Allowed<Api, may::ViewFunds>,
) -> Result<Json<Vec<FundBalance>>, AppError> {
    Ok(Json(state.grants.funds().await?))
}

#[utoipa::path(post, path = "/api/v1/funds", tag = "grants", security(("bearer" = [])), request_body = NewFund,
    responses((status = 201, body = MessageCreated), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn create_fund(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ManageFunds>,
    body: Result<ApiJson<NewFund>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(fund) = body?;
    let id = state.grants.create_fund(session.user_id, fund).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}/grants", tag = "grants", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 200, body = [GrantView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn case_grants(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkGrants>,
    Path(case_id): Path<Uuid>,
) -> Result<Json<Vec<GrantView>>, AppError> {
    Ok(Json(state.grants.case_grants(staff(&session), case_id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/grants", operation_id = "propose_grant", tag = "grants", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = GrantProposal,
    responses((status = 201, description = "Proposed (step-up needed: it enters payment details)", body = MessageCreated),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn propose(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkGrants>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<GrantProposal>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(proposal) = body?;
    let id = state.grants.propose(staff(&session), case_id, proposal).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(get, path = "/api/v1/grants", operation_id = "grant_register", tag = "grants", security(("bearer" = [])), params(RegisterParams),
    responses((status = 200, description = "Grants (no case content), totals by fund, category, country and month, fund balances", body = Register),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn register(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewGrantRegister>,
    Query(params): Query<RegisterParams>,
) -> Result<Json<Register>, AppError> {
    let filter = params.parse().map_err(|m| AppError::invalid(ErrorCode::InvalidFilter, m))?;
    Ok(Json(state.grants.register(&filter, LIMIT, staff(&session)).await?))
}

/// The register as CSV, audited; needs a step-up.
pub async fn export_csv(
    state: &AppState,
    session: &StaffSession,
    params: &RegisterParams,
) -> Result<Response, AppError> {
    authorize(state, session, Action::ViewGrantRegister).await?;
    require_step_up(state, session)?;
    let filter = params.parse().map_err(|m| AppError::invalid(ErrorCode::InvalidFilter, m))?;
    let (csv, rows) = state.grants.register_csv(&filter, staff(session)).await?;
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

#[utoipa::path(get, path = "/api/v1/grants/export", operation_id = "export_grant_register", tag = "grants", security(("bearer" = [])), params(RegisterParams),
    responses((status = 200, description = "CSV of the filtered register (supervisors and finance; step-up; audited)", content_type = "text/csv", body = String),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn export(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Query(params): Query<RegisterParams>,
) -> Result<Response, AppError> {
    export_csv(&state, &session, &params).await
}

#[utoipa::path(get, path = "/api/v1/grants/{grant_id}", operation_id = "get_grant", tag = "grants", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path, description = "Grant id")),
    responses((status = 200, description = "The grant as the caller may see it: finance gets payment details (audited) and no case content", body = GrantView),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn grant(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewGrant>,
    Path(grant_id): Path<Uuid>,
) -> Result<Json<GrantView>, AppError> {
    Ok(Json(state.grants.grant(staff(&session), grant_id).await?))
}

#[utoipa::path(put, path = "/api/v1/grants/{grant_id}/payee", tag = "grants", security(("bearer" = [])),
    params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = PayeeChange,
    responses((status = 204, description = "Changed; the caller may no longer release the payment"), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn payee(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ChangePayee>,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<PayeeChange>, AppError>,
) -> Result<StatusCode, AppError> {
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
    Allowed(session, ..): Allowed<Api, may::DisburseGrants>,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<Disbursement>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(payment) = body?;
    let id = state.grants.disburse(staff(&session), grant_id, payment).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/conflict", tag = "grants", security(("bearer" = [])),
    operation_id = "declare_grant_conflict",
    params(("grant_id" = Uuid, Path, description = "Grant id")),
    responses((status = 204, description = "Conflict declared: the grant and its case are hidden from the caller from now on"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn declare_conflict(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::DeclareGrantConflict>,
    Path(grant_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.grants.declare_conflict(staff(&session), grant_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Approving a grant (supervisors, after a step-up).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproveRequest {
    /// Why.
    #[serde(default)]
    pub rationale: Option<String>,
    /// A provisional single approval for a critical case (a second supervisor ratifies within 72 h).
    #[serde(default)]
    pub provisional: bool,
}

/// Rejecting, reversing or cancelling a grant: why.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// Why.
    #[serde(default)]
    pub rationale: Option<String>,
}

/// Confirming receipt on the requester's behalf.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRequest {
    /// An optional note.
    #[serde(default)]
    pub note: Option<String>,
}

/// The report on a grant's use.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    /// How the grant was used (no names or places that could put anyone at risk).
    #[serde(default)]
    pub report: Option<String>,
}

/// The caller may take `action` on grants (the services ask for the step-up themselves).
async fn allowed(state: &AppState, session: &StaffSession, action: Action) -> Result<(), AppError> {
    authorize(state, session, action).await
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/approve", tag = "grants", security(("bearer" = [])),
    operation_id = "approve_grant", params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = ApproveRequest,
    responses((status = 204, description = "Approved by one more supervisor (never the proposer)"),
              (status = 403, description = "Not a supervisor, no recent step-up, or the proposer", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "Not in a state to approve, decided already, the fund cannot cover it, or fewer confirmations from vouchers than the tier needs (SHELTER_GRANT_VOUCHES_TIER_A / _TIER_BC; each concern cancels one; a provisional approval needs one)", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn approve(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<ApproveRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    allowed(&state, &session, Action::DecideGrants).await?;
    let ApiJson(request) = body?;
    let decision = Decision::Approve { provisional: request.provisional };
    state.grants.decide(staff(&session), grant_id, decision, request.rationale.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/reject", tag = "grants", security(("bearer" = [])),
    operation_id = "reject_grant", params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = ReasonRequest,
    responses((status = 204, description = "Rejected; the reservation is released"),
              (status = 403, description = "Not a supervisor, or no recent step-up", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn reject(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<ReasonRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    allowed(&state, &session, Action::DecideGrants).await?;
    let ApiJson(request) = body?;
    state.grants.decide(staff(&session), grant_id, Decision::Reject, request.rationale.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/reverse", tag = "grants", security(("bearer" = [])),
    operation_id = "reverse_grant_payment", params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = ReasonRequest,
    responses((status = 204, description = "The payment is reversed in the fund's ledger"),
              (status = 403, description = "Not finance, or no recent step-up", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn reverse(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<ReasonRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    allowed(&state, &session, Action::DisburseGrants).await?;
    let ApiJson(request) = body?;
    state.grants.reverse(staff(&session), grant_id, request.rationale.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/cancel", tag = "grants", security(("bearer" = [])),
    operation_id = "cancel_grant", params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = ReasonRequest,
    responses((status = 204, description = "Cancelled before payment; the reservation is released"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn cancel(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<ReasonRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    allowed(&state, &session, Action::WorkGrants).await?;
    let ApiJson(request) = body?;
    state.grants.cancel(staff(&session), grant_id, request.rationale.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/receipt", tag = "grants", security(("bearer" = [])),
    operation_id = "confirm_grant_receipt", params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = ReceiptRequest,
    responses((status = 204, description = "Receipt confirmed for the requester (asked another way)"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn confirm_receipt(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<ReceiptRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    allowed(&state, &session, Action::WorkGrants).await?;
    let ApiJson(request) = body?;
    state.grants.confirm_receipt(Reporter::Staff(staff(&session)), grant_id, request.note.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/grants/{grant_id}/report", tag = "grants", security(("bearer" = [])),
    operation_id = "report_grant_use", params(("grant_id" = Uuid, Path, description = "Grant id")), request_body = ReportRequest,
    responses((status = 204, description = "The report on the grant's use is recorded"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn report(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<ReportRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    allowed(&state, &session, Action::WorkGrants).await?;
    let ApiJson(request) = body?;
    let text = request.report.unwrap_or_default();
    state.grants.report(Reporter::Staff(staff(&session)), grant_id, &text).await?;
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

#[utoipa::path(post, path = "/api/v1/requester/grants/{grant_id}/receipt", tag = "requester", security(("bearer" = [])),
    operation_id = "requester_confirm_receipt", params(("grant_id" = Uuid, Path, description = "Grant id")),
    responses((status = 204, description = "The requester confirms the money arrived"), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub(crate) async fn requester_receipt(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    Path(grant_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.grants.confirm_receipt(Reporter::Requester(&session), grant_id, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/requester/grants/{grant_id}/report", tag = "requester", security(("bearer" = [])),
    operation_id = "requester_report_grant_use", params(("grant_id" = Uuid, Path, description = "Grant id")),
    request_body = ReportRequest,
    responses((status = 204, description = "The requester's report on the grant's use is recorded"),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn requester_report(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    Path(grant_id): Path<Uuid>,
    body: Result<ApiJson<ReportRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    let text = request.report.unwrap_or_default();
    state.grants.report(Reporter::Requester(&session), grant_id, &text).await?;
    Ok(StatusCode::NO_CONTENT)
}
