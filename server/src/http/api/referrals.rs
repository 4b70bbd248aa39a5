//! Referral routes for staff (`/api/v1/cases/{id}/referrals`, `/api/v1/referrals/{id}/…`),
//! the requester (`/api/v1/requester/referrals…`) and partners (`/api/v1/partner/referrals…`).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use shelter_shared::api::{ErrorBody, MessageCreated, MessageRequest};
use shelter_shared::referral::{PacketField, ReferralTransition};
use uuid::Uuid;

use super::cases::staff;
use super::requester::ApiRequester;
use crate::cases::referrals::ReferralView;
use crate::http::auth::{ApiStaff, authorize};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::policy::Action;

/// The referral routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/cases/{case_id}/referrals", get(case_referrals).post(propose))
        .route("/api/v1/referrals/{referral_id}/{action}", post(staff_decision))
        .route("/api/v1/requester/referrals", get(requester_referrals))
        .route("/api/v1/requester/referrals/{referral_id}/{action}", post(requester_decision))
        .route("/api/v1/partner/referrals", get(partner_referrals))
        .route("/api/v1/partner/referrals/{referral_id}/{action}", post(partner_decision))
        .route("/api/v1/referrals/{referral_id}/messages", post(staff_message))
        .route("/api/v1/partner/referrals/{referral_id}/messages", post(partner_message))
}

#[utoipa::path(post, path = "/api/v1/referrals/{referral_id}/messages", tag = "referrals", security(("bearer" = [])),
    params(("referral_id" = Uuid, Path, description = "Referral id")), request_body = MessageRequest,
    responses((status = 201, body = MessageCreated), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn staff_message(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<MessageRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    authorize(&state, &session, Action::WorkCases).await?;
    let ApiJson(request) = body?;
    let id = state.cases.referral_message(staff(&session), referral_id, false, &request.body).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(post, path = "/api/v1/partner/referrals/{referral_id}/messages", tag = "referrals", security(("bearer" = [])),
    params(("referral_id" = Uuid, Path, description = "Referral id")), request_body = MessageRequest,
    responses((status = 201, body = MessageCreated), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn partner_message(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<MessageRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    authorize(&state, &session, Action::AnswerReferrals).await?;
    let ApiJson(request) = body?;
    let id = state.cases.referral_message(staff(&session), referral_id, true, &request.body).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

/// A proposed referral.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeRequest {
    /// The partner, from the directory.
    pub partner_id: Uuid,
    /// What legal help is needed.
    pub purpose: String,
    /// A summary the handler writes for the partner.
    pub summary: String,
    /// Parts added to the minimal packet (kind, country, legal_help, summary): names, contact, narrative.
    #[serde(default)]
    pub fields: Vec<PacketField>,
}

/// A rationale (staff) or a text (partner: the reason for declining, or the outcome).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextRequest {
    /// Staff: why. Partner: reason or outcome.
    #[serde(default)]
    pub rationale: Option<String>,
    /// Partner's text.
    #[serde(default)]
    pub text: Option<String>,
}

fn transition(action: &str, allowed: &[ReferralTransition]) -> Result<ReferralTransition, AppError> {
    action.parse::<ReferralTransition>().ok().filter(|t| allowed.contains(t)).ok_or(AppError::NotFound)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/referrals", tag = "referrals", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = ProposeRequest,
    responses((status = 201, body = MessageCreated), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn propose(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<ProposeRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    authorize(&state, &session, Action::WorkCases).await?;
    let ApiJson(request) = body?;
    let id = state
        .cases
        .propose_referral(
            staff(&session),
            case_id,
            request.partner_id,
            &request.purpose,
            &request.summary,
            &request.fields,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}/referrals", tag = "referrals", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 200, body = [ReferralView]), (status = 403, body = ErrorBody)))]
pub(crate) async fn case_referrals(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(case_id): Path<Uuid>,
) -> Result<Json<Vec<ReferralView>>, AppError> {
    authorize(&state, &session, Action::WorkCases).await?;
    Ok(Json(state.cases.case_referrals(staff(&session), case_id).await?))
}

#[utoipa::path(post, path = "/api/v1/referrals/{referral_id}/{action}", tag = "referrals", security(("bearer" = [])),
    params(("referral_id" = Uuid, Path, description = "Referral id"),
           ("action" = String, Path, description = "approve (supervisors), consent (recorded by staff: asked another way), withdraw")),
    request_body = TextRequest,
    responses((status = 200, body = ReferralView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn staff_decision(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path((referral_id, action)): Path<(Uuid, String)>,
    body: Result<ApiJson<TextRequest>, AppError>,
) -> Result<Json<ReferralView>, AppError> {
    authorize(&state, &session, Action::WorkCases).await?;
    let transition =
        transition(&action, &[ReferralTransition::Approve, ReferralTransition::Consent, ReferralTransition::Withdraw])?;
    let ApiJson(request) = body?;
    Ok(Json(state.cases.staff_referral(staff(&session), referral_id, transition, request.rationale.as_deref()).await?))
}

#[utoipa::path(get, path = "/api/v1/requester/referrals", tag = "requester", security(("bearer" = [])),
    responses((status = 200, description = "Exactly what would be, or was, shared, and with whom", body = [ReferralView])))]
pub(crate) async fn requester_referrals(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
) -> Result<Json<Vec<ReferralView>>, AppError> {
    Ok(Json(state.cases.requester_referrals(&session).await?))
}

#[utoipa::path(post, path = "/api/v1/requester/referrals/{referral_id}/{action}", tag = "requester", security(("bearer" = [])),
    params(("referral_id" = Uuid, Path, description = "Referral id"), ("action" = String, Path, description = "consent, refuse or withdraw")),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub(crate) async fn requester_decision(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    Path((referral_id, action)): Path<(Uuid, String)>,
) -> Result<StatusCode, AppError> {
    let transition = match action.as_str() {
        "consent" => ReferralTransition::Consent,
        "refuse" | "withdraw" => ReferralTransition::Withdraw,
        _ => return Err(AppError::NotFound),
    };
    state.cases.requester_referral(&session, referral_id, transition).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/partner/referrals", tag = "referrals", security(("bearer" = [])),
    responses((status = 200, description = "Packets addressed to the caller's organisation, after consent and until withdrawn", body = [ReferralView]),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn partner_referrals(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
) -> Result<Json<Vec<ReferralView>>, AppError> {
    authorize(&state, &session, Action::AnswerReferrals).await?;
    Ok(Json(state.cases.partner_referrals(session.user_id).await?))
}

#[utoipa::path(post, path = "/api/v1/partner/referrals/{referral_id}/{action}", tag = "referrals", security(("bearer" = [])),
    params(("referral_id" = Uuid, Path, description = "Referral id"), ("action" = String, Path, description = "accept, decline (with a reason) or conclude (with the outcome)")),
    request_body = TextRequest,
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn partner_decision(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path((referral_id, action)): Path<(Uuid, String)>,
    body: Result<ApiJson<TextRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    authorize(&state, &session, Action::AnswerReferrals).await?;
    let transition =
        transition(&action, &[ReferralTransition::Accept, ReferralTransition::Decline, ReferralTransition::Conclude])?;
    let ApiJson(request) = body?;
    let text = request.text.or(request.rationale).unwrap_or_default();
    state.cases.partner_answer(session.user_id, referral_id, transition, &text).await?;
    Ok(StatusCode::NO_CONTENT)
}
