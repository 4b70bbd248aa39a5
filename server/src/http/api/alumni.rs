//! `/api/v1/alumni`: the registry of the network's members, and linking cases to them.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use shelter_shared::alumni::{
    CaseMember, LinkRequest, MemberSummary, MemberView, NewMemberRequest, StatusEntryRequest,
};
use shelter_shared::api::ErrorCode;
use shelter_shared::api::{ErrorBody, MessageCreated};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

use super::cases::staff;
use crate::alumni::AlumniError;
use crate::alumni::members::SearchFilter;
use crate::http::allow::{Allowed, Api, may};
use crate::http::extract::ApiJson;
use crate::http::{AppError, AppState};

/// The registry routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search, add))
        .routes(routes!(export))
        .routes(routes!(member))
        .routes(routes!(status))
        .routes(routes!(case_member, link))
        .routes(routes!(case_status))
}

/// Search terms; all optional, all must match.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Any spelling of any part of a name, in any script (two characters or more in Burmese, Thai, Khmer, Lao).
    pub name: Option<String>,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    /// Cohort year.
    pub cohort: Option<String>,
}

impl SearchParams {
    /// The typed filter, or what is wrong.
    pub fn filter(&self) -> Result<SearchFilter, AlumniError> {
        let blank = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        let country = blank(&self.country)
            .map(|c| shelter_shared::intake::CountryCode::parse(&c).map(|c| c.to_string()))
            .transpose()
            .map_err(|_| AlumniError::field("country", "not an ISO 3166-1 alpha-2 code"))?;
        let cohort_year = blank(&self.cohort)
            .map(|y| y.parse::<i32>())
            .transpose()
            .map_err(|_| AlumniError::field("cohort", "not a year"))?;
        if blank(&self.name).is_some_and(|n| n.chars().count() > 200) {
            return Err(AlumniError::field("name", "at most 200 characters"));
        }
        Ok(SearchFilter { name: blank(&self.name), country, cohort_year })
    }
}

#[utoipa::path(get, path = "/api/v1/alumni", operation_id = "search_alumni", tag = "alumni", security(("bearer" = [])), params(SearchParams),
    responses((status = 200, description = "Matching members (at most 100), minimal fields: names, country, cohort", body = [MemberSummary]),
              (status = 403, description = "Handlers, supervisors and administrators only", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn search(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewAlumni>,
    Query(params): Query<SearchParams>,
) -> Result<Json<Vec<MemberSummary>>, AppError> {
    let filter = params.filter()?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(state.alumni.search(&mut conn, staff(&session), &filter).await?))
}

#[utoipa::path(post, path = "/api/v1/alumni", operation_id = "add_alumni_member", tag = "alumni", security(("bearer" = [])), request_body = NewMemberRequest,
    responses((status = 201, description = "Added; the member's id", body = MessageCreated),
              (status = 403, description = "Administrators only", body = ErrorBody),
              (status = 409, description = "The external id is in use", body = ErrorBody),
              (status = 422, description = "Every bad field, named", body = ErrorBody)))]
pub(crate) async fn add(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ManageAlumni>,
    body: Result<ApiJson<NewMemberRequest>, AppError>,
) -> Result<(StatusCode, Json<MessageCreated>), AppError> {
    let ApiJson(request) = body?;
    let id = state.alumni.add(staff(&session), &request).await?;
    Ok((StatusCode::CREATED, Json(MessageCreated { id: id.to_string() })))
}

#[utoipa::path(get, path = "/api/v1/alumni/{member_id}", operation_id = "read_alumni_member", tag = "alumni", security(("bearer" = [])),
    params(("member_id" = Uuid, Path, description = "Member id")),
    responses((status = 200, description = "The minimal fields; `details` (sealed fields, timeline, the cases the reader may see) for supervisors, administrators and a handler of a linked case; a read of details is audited", body = MemberView),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn member(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewAlumni>,
    Path(member_id): Path<Uuid>,
) -> Result<Json<MemberView>, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(state.alumni.view(&mut conn, staff(&session), member_id).await?))
}

#[utoipa::path(post, path = "/api/v1/alumni/{member_id}/status", operation_id = "record_alumni_status", tag = "alumni", security(("bearer" = [])),
    params(("member_id" = Uuid, Path, description = "Member id")), request_body = StatusEntryRequest,
    responses((status = 204, description = "Added to the timeline"), (status = 403, description = "Administrators only", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn status(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ManageAlumni>,
    Path(member_id): Path<Uuid>,
    body: Result<ApiJson<StatusEntryRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    state.alumni.record_status(staff(&session), member_id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The export as a download.
pub fn csv_download(bytes: Vec<u8>) -> Response {
    let disposition = "attachment; filename=\"alumni-registry.csv\"";
    ([(header::CONTENT_TYPE, "text/csv; charset=utf-8"), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

#[utoipa::path(get, path = "/api/v1/alumni/export.csv", operation_id = "export_alumni", tag = "alumni", security(("bearer" = [])),
    responses((status = 200, description = "Every member opened, in the import's columns with the newest status (administrators; fresh step-up; audited)", content_type = "text/csv", body = String),
              (status = 403, description = "Not an administrator, or no fresh step-up", body = ErrorBody)))]
pub(crate) async fn export(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ExportAlumni>,
) -> Result<Response, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(csv_download(state.alumni.export(&mut conn, staff(&session)).await?))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}/alumni", operation_id = "case_alumni_member", tag = "alumni", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")),
    responses((status = 200, description = "The linked member's cohort, country and current status; null when none", body = Option<CaseMember>),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub(crate) async fn case_member(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::LinkAlumni>,
    Path(case_id): Path<Uuid>,
) -> Result<Json<Option<CaseMember>>, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(state.cases.case_member(&mut conn, staff(&session), case_id).await?))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/alumni", operation_id = "link_alumni_member", tag = "alumni", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = LinkRequest,
    responses((status = 204, description = "Linked; audited with the rationale"),
              (status = 403, description = "Only the case's handler or a supervisor", body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "Already linked", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn link(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::LinkMember>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<LinkRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    let member_id: Uuid =
        request.member_id.parse().map_err(|_| AppError::invalid(ErrorCode::InvalidMember, "member_id is not an id"))?;
    state.cases.link_member(staff(&session), case_id, member_id, &request.rationale).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/alumni/status", operation_id = "record_alumni_status_from_case", tag = "alumni", security(("bearer" = [])),
    params(("case_id" = Uuid, Path, description = "Case id")), request_body = StatusEntryRequest,
    responses((status = 204, description = "Added to the linked member's timeline"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "No member linked", body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn case_status(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::LinkAlumni>,
    Path(case_id): Path<Uuid>,
    body: Result<ApiJson<StatusEntryRequest>, AppError>,
) -> Result<StatusCode, AppError> {
    let ApiJson(request) = body?;
    state.cases.member_status(staff(&session), case_id, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}
