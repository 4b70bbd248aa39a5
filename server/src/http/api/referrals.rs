//! Referral routes for staff (`/api/v1/cases/{id}/referrals`, `/api/v1/referrals/{id}/…`),
//! the requester (`/api/v1/requester/referrals…`) and partners (`/api/v1/partner/referrals…`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shelter_shared::api::{ErrorBody, MessageCreated, MessageRequest};
use shelter_shared::partner::PartnerOffer;
use shelter_shared::referral::{PacketField, ReferralTransition};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::cases::staff;
use super::requester::ApiRequester;
use crate::http::allow::{Allowed, Api, may};
use crate::http::auth::{ApiStaff, authorize};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::Action;
use crate::referrals::ReferralView;
use crate::referrals::disclosure::Sending;

/// The referral routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(case_referrals, propose))
        .routes(routes!(partner_offers))
        .routes(routes!(approve))
        .routes(routes!(record_consent))
        .routes(routes!(withdraw))
        .routes(routes!(requester_referrals))
        .routes(routes!(requester_consent))
        .routes(routes!(requester_refuse))
        .routes(routes!(requester_withdraw))
        .routes(routes!(partner_referrals))
        .routes(routes!(accept))
        .routes(routes!(decline))
        .routes(routes!(conclude))
        .routes(routes!(staff_message))
        .routes(routes!(partner_message))
}

#[utoipa::path(post, path = "/api/v1/referrals/{referral_id}/messages", tag = "referrals", security(("bearer" = [])),
    params(("referral_id" = Uuid, Path, description = "Referral id")), request_body = NetworkMessageRequest,
    responses((status = 201, body = MessageCreated), (status = 404, body = ErrorBody),
              (status = 422, description = "Empty or too long (`invalid_message`), or it seems to hold details the \
                requester did not consent to share with this partner (`unconsented_details`): nothing was sent", body = ErrorBody)))]
pub(crate) async fn staff_message(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<NetworkMessageRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(request) = body?;
    match state.cases.network_message(staff(&session), referral_id, &request.body, request.send_anyway).await? {
        Sending::Sent(id) => Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() }))),
        Sending::Held { findings, .. } => Err(crate::referrals::disclosure::held(&findings).into()),
    }
}

/// The network's message to a referral's partner.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkMessageRequest {
    /// The text (1 to 5000 characters).
    pub body: String,
    /// Send even though the text seems to hold details the requester did not consent to
    /// share with the partner (phone numbers, e-mail addresses, names the packet leaves
    /// out): only after checking that they agreed another way. Audited.
    #[serde(default)]
    pub send_anyway: bool,
}

#[utoipa::path(post, path = "/api/v1/partner/referrals/{referral_id}/messages", tag = "referrals", security(("bearer" = [])),
    params(("referral_id" = Uuid, Path, description = "Referral id")), request_body = MessageRequest,
    responses((status = 201, body = MessageCreated), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn partner_message(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::AnswerReferrals>,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<MessageRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
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

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/referrals", operation_id = "propose_referral", tag = "referrals", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = ProposeRequest,
    responses((status = 201, body = MessageCreated), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn propose(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<ProposeRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
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
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
) -> Result<Json<Vec<ReferralView>>, AppError> {
    Ok(Json(state.cases.case_referrals(staff(&session), case_id).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}/partners", operation_id = "case_partner_offers", tag = "referrals", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 200, description = "Every active partner to refer this case to: those working in the case's country first \
                (those speaking the requester's language before them), then the others, each marked; never contact details. \
                For the assigned handler or a supervisor.", body = [PartnerOffer]),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn partner_offers(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::WorkCases>,
    Path(case_id): Path<Uuid>,
) -> Result<Json<Vec<PartnerOffer>>, AppError> {
    Ok(Json(state.cases.partner_offers(staff(&session), case_id).await?))
}

async fn staff_decision(
    state: &AppState,
    session: &StaffSession,
    referral_id: Uuid,
    transition: ReferralTransition,
    body: Result<ApiJson<RationaleRequest>, AppError>,
) -> Result<Json<ReferralView>, AppError> {
    authorize(state, session, Action::WorkCases).await?;
    let ApiJson(request) = body?;
    Ok(Json(state.cases.staff_referral(staff(session), referral_id, transition, Some(&request.rationale)).await?))
}

/// A staff decision on a referral: always with a rationale.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RationaleRequest {
    /// Why.
    pub rationale: String,
}

#[utoipa::path(post, path = "/api/v1/referrals/{referral_id}/approve", tag = "referrals", security(("bearer" = [])),
    operation_id = "approve_referral", params(("referral_id" = Uuid, Path, description = "Referral id")),
    request_body = RationaleRequest,
    responses((status = 200, description = "A supervisor approves sending the packet (when the playbook asks for it); the requester is asked next", body = ReferralView),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it, or it changed meanwhile", body = ErrorBody),
              (status = 422, description = "No rationale", body = ErrorBody)))]
pub(crate) async fn approve(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<RationaleRequest>, AppError>,
) -> Result<Json<ReferralView>, AppError> {
    staff_decision(&state, &session, referral_id, ReferralTransition::Approve, body).await
}

#[utoipa::path(post, path = "/api/v1/referrals/{referral_id}/consent", tag = "referrals", security(("bearer" = [])),
    operation_id = "record_referral_consent", params(("referral_id" = Uuid, Path, description = "Referral id")),
    request_body = RationaleRequest,
    responses((status = 200, description = "Staff record the requester's consent given another way (by phone); the packet is sent", body = ReferralView),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it, or it changed meanwhile", body = ErrorBody),
              (status = 422, description = "No rationale", body = ErrorBody)))]
pub(crate) async fn record_consent(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<RationaleRequest>, AppError>,
) -> Result<Json<ReferralView>, AppError> {
    staff_decision(&state, &session, referral_id, ReferralTransition::Consent, body).await
}

#[utoipa::path(post, path = "/api/v1/referrals/{referral_id}/withdraw", tag = "referrals", security(("bearer" = [])),
    operation_id = "withdraw_referral", params(("referral_id" = Uuid, Path, description = "Referral id")),
    request_body = RationaleRequest,
    responses((status = 200, description = "Staff withdraw the referral at any state: the partner's access ends at once", body = ReferralView),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it, or it changed meanwhile", body = ErrorBody),
              (status = 422, description = "No rationale", body = ErrorBody)))]
pub(crate) async fn withdraw(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<RationaleRequest>, AppError>,
) -> Result<Json<ReferralView>, AppError> {
    staff_decision(&state, &session, referral_id, ReferralTransition::Withdraw, body).await
}

#[utoipa::path(get, path = "/api/v1/requester/referrals", tag = "requester", security(("bearer" = [])),
    responses((status = 200, description = "Exactly what would be, or was, shared, and with whom", body = [ReferralView])))]
pub(crate) async fn requester_referrals(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
) -> Result<Json<Vec<ReferralView>>, AppError> {
    Ok(Json(state.cases.requester_referrals(&session).await?))
}

#[utoipa::path(post, path = "/api/v1/requester/referrals/{referral_id}/consent", tag = "requester", security(("bearer" = [])),
    operation_id = "consent_to_referral", params(("referral_id" = Uuid, Path, description = "Referral id")),
    responses((status = 204, description = "The requester consents: the packet goes to the partner"), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it", body = ErrorBody)))]
pub(crate) async fn requester_consent(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    Path(referral_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.cases.requester_referral(&session, referral_id, ReferralTransition::Consent).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/requester/referrals/{referral_id}/refuse", tag = "requester", security(("bearer" = [])),
    operation_id = "refuse_referral", params(("referral_id" = Uuid, Path, description = "Referral id")),
    responses((status = 204, description = "The requester refuses before anything is sent"), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it", body = ErrorBody)))]
pub(crate) async fn requester_refuse(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    Path(referral_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.cases.requester_referral(&session, referral_id, ReferralTransition::Withdraw).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/requester/referrals/{referral_id}/withdraw", tag = "requester", security(("bearer" = [])),
    operation_id = "withdraw_referral_consent", params(("referral_id" = Uuid, Path, description = "Referral id")),
    responses((status = 204, description = "The requester withdraws consent: the partner's access ends at once"), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it", body = ErrorBody)))]
pub(crate) async fn requester_withdraw(
    State(state): State<AppState>,
    ApiRequester(session): ApiRequester,
    Path(referral_id): Path<Uuid>,
) -> Result<StatusCode, AppError> {
    state.cases.requester_referral(&session, referral_id, ReferralTransition::Withdraw).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/partner/referrals", tag = "referrals", security(("bearer" = [])),
    responses((status = 200, description = "Packets addressed to the caller's organisation, after consent and until withdrawn", body = [ReferralView]),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn partner_referrals(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::AnswerReferrals>,
) -> Result<Json<Vec<ReferralView>>, AppError> {
    Ok(Json(state.cases.partner_referrals(session.user_id).await?))
}

/// A partner's answer: optional when accepting; the reason when declining; the outcome when concluding.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    /// The reason or the outcome.
    #[serde(default)]
    pub text: Option<String>,
}

async fn answer(
    state: &AppState,
    session: &StaffSession,
    referral_id: Uuid,
    transition: ReferralTransition,
    body: Result<ApiJson<AnswerRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    authorize(state, session, Action::AnswerReferrals).await?;
    let ApiJson(request) = body?;
    state.cases.partner_answer(session.user_id, referral_id, transition, &request.text.unwrap_or_default()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/partner/referrals/{referral_id}/accept", tag = "referrals", security(("bearer" = [])),
    operation_id = "accept_referral", params(("referral_id" = Uuid, Path, description = "Referral id")),
    request_body = AnswerRequest,
    responses((status = 204, description = "The partner takes the case"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it", body = ErrorBody),
              (status = 422, description = "No text where one is needed, or too long", body = ErrorBody)))]
pub(crate) async fn accept(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<AnswerRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    answer(&state, &session, referral_id, ReferralTransition::Accept, body).await
}

#[utoipa::path(post, path = "/api/v1/partner/referrals/{referral_id}/decline", tag = "referrals", security(("bearer" = [])),
    operation_id = "decline_referral", params(("referral_id" = Uuid, Path, description = "Referral id")),
    request_body = AnswerRequest,
    responses((status = 204, description = "The partner declines (text: the reason); their access ends at once"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it", body = ErrorBody),
              (status = 422, description = "No text where one is needed, or too long", body = ErrorBody)))]
pub(crate) async fn decline(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<AnswerRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    answer(&state, &session, referral_id, ReferralTransition::Decline, body).await
}

#[utoipa::path(post, path = "/api/v1/partner/referrals/{referral_id}/conclude", tag = "referrals", security(("bearer" = [])),
    operation_id = "conclude_referral", params(("referral_id" = Uuid, Path, description = "Referral id")),
    request_body = AnswerRequest,
    responses((status = 204, description = "The partner reports the outcome (text); their access ends after the set time"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "The referral's state does not allow it", body = ErrorBody),
              (status = 422, description = "No text where one is needed, or too long", body = ErrorBody)))]
pub(crate) async fn conclude(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Path(referral_id): Path<Uuid>,
    body: Result<ApiJson<AnswerRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    answer(&state, &session, referral_id, ReferralTransition::Conclude, body).await
}
