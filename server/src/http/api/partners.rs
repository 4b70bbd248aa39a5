//! `/api/v1/partners`: the partner directory.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::Deserialize;
use shelter_shared::api::ErrorCode;
use shelter_shared::api::{ErrorBody, MessageCreated};
use shelter_shared::partner::{CapacityRequest, NewPartnerRequest, PartnerSummary};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use crate::audit::Actor;
use crate::http::allow::{Allowed, Api, may};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};
use crate::partners::PartnerFilter;

/// The directory routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(capacity))
}

/// Directory filters.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartnerParams {
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    /// Language tag.
    pub language: Option<String>,
    /// criminal_defence, land_environment, slapp, digital_rights or asylum_relocation.
    pub expertise: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/partners", operation_id = "list_partners", tag = "partners", security(("bearer" = [])), params(PartnerParams),
    responses((status = 200, description = "Active partners, those with capacity first; never their contact details", body = [PartnerSummary]),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    Allowed(..): Allowed<Api, may::ViewPartners>,
    Query(params): Query<PartnerParams>,
) -> Result<Json<Vec<PartnerSummary>>, AppError> {
    let country = params
        .country
        .map(|c| shelter_shared::intake::CountryCode::parse(&c).map(|c| c.to_string()))
        .transpose()
        .map_err(|_| AppError::invalid(ErrorCode::InvalidFilter, "country must be an ISO 3166-1 alpha-2 code"))?;
    let language = params
        .language
        .map(|l| l.parse::<shelter_shared::language::Language>().map(|l| l.tag().to_owned()))
        .transpose()
        .map_err(|e| AppError::invalid(ErrorCode::InvalidFilter, e.to_string()))?;
    let expertise = params
        .expertise
        .map(|e| e.parse::<shelter_shared::referral::Expertise>().map(|e| e.as_str().to_owned()))
        .transpose()
        .map_err(|e| AppError::invalid(ErrorCode::InvalidFilter, e))?;
    Ok(Json(state.partners.list(&PartnerFilter { country, language, expertise }).await?))
}

#[utoipa::path(post, path = "/api/v1/partners", operation_id = "create_partner", tag = "partners", security(("bearer" = [])), request_body = NewPartnerRequest,
    responses((status = 201, description = "Added; the id", body = MessageCreated),
              (status = 403, description = "Administrators only", body = ErrorBody),
              (status = 422, description = "A field is not valid", body = ErrorBody)))]
pub(crate) async fn create(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ManagePartners>,
    body: Result<ApiJson<NewPartnerRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(request) = body?;
    let id = state.partners.create(&Actor::Staff(session.user_id), &request).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(post, path = "/api/v1/partners/{partner_id}/capacity", operation_id = "set_partner_capacity", tag = "partners", security(("bearer" = [])),
    params(("partner_id" = Uuid, Path, description = "Partner id")), request_body = CapacityRequest,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn capacity(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ManagePartners>,
    Path(partner_id): Path<Uuid>,
    body: Result<ApiJson<CapacityRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    state.partners.set_capacity(&Actor::Staff(session.user_id), partner_id, request.capacity).await?;
    Ok(StatusCode::NO_CONTENT)
}
