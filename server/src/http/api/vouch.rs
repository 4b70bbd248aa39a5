//! `/api/v1/cases/{id}/vouch-requests` and `/api/v1/vouch-partners`: asking people to vouch
//! for a case's requester, and reading their answers. The vouchers answer on their own
//! page (`/vouch/{token}`), never through the API.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Serialize;
use shelter_shared::api::{ErrorBody, MessageCreated};
use shelter_shared::vouch::{AskVouchersRequest, Verification};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::cases::staff;
use crate::http::allow::{Allowed, Api, may};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};

/// The vouching routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(verification, ask)).routes(routes!(partners))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}/vouch-requests", operation_id = "read_case_verification", tag = "vouching",
    security(("bearer" = [])), params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 200, description = "Every question asked, the people asked (names only), their answers and comments, and the distinct confirmations", body = Verification),
              (status = 403, body = ErrorBody),
              (status = 404, description = "No such case, not one the reader sees in full, or purged", body = ErrorBody)))]
pub(crate) async fn verification(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::AskVouchers>,
    Path(case_id): Path<Uuid>,
) -> Result<Json<Verification>, AppError> {
    let (verification, _) = state.vouching.for_case(staff(&session), case_id).await?.ok_or(AppError::NotFound)?;
    Ok(Json(verification))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/vouch-requests", operation_id = "ask_vouchers", tag = "vouching",
    security(("bearer" = [])), params(("case_id" = Uuid, Path, description = "Case id")), request_body = AskVouchersRequest,
    responses((status = 201, description = "Asked: each person gets a content-free notice with a link of their own (single use, 72 hours)", body = MessageCreated),
              (status = 403, description = "Only the case's handler or a supervisor, while the case is open, after a fresh step-up", body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "The case was purged, or the asker reached the day's allowance of invites (30)", body = ErrorBody),
              (status = 422, description = "A bad question, nobody or too many chosen, an unknown person, the person the case concerns, a record changed too recently, a member detained or deceased, someone reached at a staff account's address, two people at one address, or someone Shelter cannot reach", body = ErrorBody)))]
pub(crate) async fn ask(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::AskVouchers>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<AskVouchersRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(request) = body?;
    let id = state.vouching.ask(staff(&session), case_id, &request).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

/// A partner contact who may be asked to vouch.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PartnerContact {
    /// The account's id, for `partners` in a request.
    pub id: String,
    /// Name and organisation.
    pub label: String,
}

#[utoipa::path(get, path = "/api/v1/vouch-partners", operation_id = "list_vouch_partners", tag = "vouching",
    security(("bearer" = [])),
    responses((status = 200, description = "Partner accounts that may be asked to vouch (active, holding no role inside the network)", body = [PartnerContact]),
              (status = 403, body = ErrorBody)))]
pub(crate) async fn partners(
    State(state): State<AppState>,
    Allowed(..): Allowed<Api, may::AskVouchers>,
) -> Result<Json<Vec<PartnerContact>>, AppError> {
    let mut conn = state.db.acquire().await?;
    let contacts = state.vouching.partner_contacts(&mut conn).await?;
    Ok(Json(contacts.into_iter().map(|(id, label)| PartnerContact { id: id.to_string(), label }).collect()))
}
