//! `/api/v1/insights` and `/api/v1/reports/donor`: the same suppressed figures as the pages.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use shelter_shared::api::ErrorBody;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::insights::Insights;
use sqlx::{Connection, PgConnection};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Actor, NewEntry};
use crate::http::allow::{Allowed, Api, may};
use crate::http::api::grants::require_step_up;
use crate::http::auth::{ApiStaff, authorize};
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::insights::{self, Filters};
use crate::policy::{self, Action};

/// The insight routes.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(dashboard)).routes(routes!(donor)).routes(routes!(donor_csv))
}

/// The period and filters of a view.
#[derive(Debug, Default, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InsightParams {
    /// First day, `YYYY-MM-DD` (default: 89 days before `to`).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    pub to: Option<String>,
    /// Only cases in this country (ISO 3166-1 alpha-2).
    pub country: Option<String>,
    /// Only cases of this incident kind.
    pub kind: Option<String>,
    /// Only cases of this severity.
    pub severity: Option<String>,
    /// Only grants of this fund (its id).
    pub fund: Option<String>,
}

impl InsightParams {
    /// The filters, or a 422 saying what is wrong.
    pub fn filters(&self, state: &AppState) -> Result<Filters, AppError> {
        let today = state.identity.clock.now().date_naive();
        let (from, to, country) = (self.from.as_deref(), self.to.as_deref(), self.country.as_deref());
        Filters::parse(from, to, country, self.kind.as_deref(), self.severity.as_deref(), today)
            .and_then(|f| f.with_fund(self.fund.as_deref()))
            .map_err(|message| AppError::invalid(ErrorCode::InvalidFilter, message))
    }
}

/// The dashboard's figures for `session` (the parts its roles allow), then its audit entry.
/// A computation of the same figures already under way for another request is shared
/// instead of repeated (see [`insights::flight`]): only the request that computes holds a
/// connection meanwhile; each takes one afterwards, for its entry.
pub async fn dashboard_for(state: &AppState, session: &StaffSession, filters: &Filters) -> Result<Insights, AppError> {
    let parts = policy::insight_parts(&session.roles);
    let filters = filters.clone().for_parts(parts);
    let now = state.identity.clock.now();
    let k = state.config.suppress_below;
    let key = format!("{parts:?} {filters:?} {k}");
    let compute = || async {
        let mut conn = state.db.acquire().await?;
        Ok(insights::dashboard(&mut conn, parts, &filters, k, now).await?)
    };
    // Those who waited on a computation that failed may try again; its own request logged why.
    let failed = || AppError::Unavailable(anyhow::anyhow!("the shared computation of these figures failed"));
    let insights = state.dashboards.share(key, compute, failed).await?;
    // Each view is audited with its filters: narrow probing leaves a trace.
    let mut tx = state.db.begin().await?;
    let entry = NewEntry::new(Actor::Staff(session.user_id), AuditAction::InsightsViewed).details(json!({
        "from": insights.from, "to": insights.to, "country": filters.country.as_ref().map(|c| c.as_str().to_owned()),
        "kind": filters.kind, "severity": filters.severity, "fund": filters.fund,
    }));
    audit::record(&mut tx, entry, now).await.map_err(anyhow::Error::from)?;
    tx.commit().await?;
    Ok(insights)
}

/// The donor report, with its audit entry written on the same connection.
pub async fn donor_for(
    state: &AppState,
    conn: &mut PgConnection,
    session: &StaffSession,
    filters: &Filters,
    action: AuditAction,
) -> Result<Insights, AppError> {
    let now = state.identity.clock.now();
    let parts = policy::insight_parts(&session.roles);
    let filters =
        filters.clone().for_donors().map_err(|message| AppError::invalid(ErrorCode::InvalidPeriod, message))?;
    let mut tx = conn.begin().await?;
    let report = insights::donor_report(&mut tx, parts, &filters, state.config.suppress_below, now).await?;
    let entry = NewEntry::new(Actor::Staff(session.user_id), action)
        .details(json!({"from": report.from, "to": report.to, "fund": filters.fund}));
    audit::record(&mut tx, entry, now).await.map_err(anyhow::Error::from)?;
    tx.commit().await?;
    Ok(report)
}

#[utoipa::path(get, path = "/api/v1/insights", operation_id = "get_insights", tag = "insights", security(("bearer" = [])),
    params(InsightParams),
    responses((status = 200, description = "Every figure the reader's roles allow, small counts suppressed", body = Insights),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn dashboard(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewInsights>,
    Query(params): Query<InsightParams>,
) -> Result<Json<Insights>, AppError> {
    let filters = params.filters(&state)?;
    Ok(Json(dashboard_for(&state, &session, &filters).await?))
}

#[utoipa::path(get, path = "/api/v1/reports/donor", operation_id = "get_donor_report", tag = "insights", security(("bearer" = [])),
    params(InsightParams),
    responses((status = 200, description = "The donor report of the period (audited), small counts suppressed", body = Insights),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub(crate) async fn donor(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Api, may::ViewDonorReport>,
    Query(params): Query<InsightParams>,
) -> Result<Json<Insights>, AppError> {
    let filters = params.filters(&state)?;
    let mut conn = state.db.acquire().await?;
    Ok(Json(donor_for(&state, &mut conn, &session, &filters, AuditAction::DonorReportViewed).await?))
}

/// The donor report as a CSV download (after a fresh step-up; audited).
pub async fn csv_response(
    state: &AppState,
    session: &StaffSession,
    params: &InsightParams,
) -> Result<Response, AppError> {
    authorize(state, session, Action::ExportDonorReport).await?;
    require_step_up(state, session)?;
    let filters = params.filters(state)?;
    let mut conn = state.db.acquire().await?;
    let report = donor_for(state, &mut conn, session, &filters, AuditAction::DonorReportExported).await?;
    let body = insights::donor_csv(&report)?;
    let name = format!("attachment; filename=\"donor-report-{}-{}.csv\"", report.from, report.to);
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()), (header::CONTENT_DISPOSITION, name)], body)
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/reports/donor.csv", operation_id = "export_donor_report", tag = "insights", security(("bearer" = [])),
    params(InsightParams),
    responses((status = 200, description = "The donor report as CSV: figure, row, column, value (`< k` where suppressed); needs a fresh step-up; audited", content_type = "text/csv", body = String),
              (status = 401, body = ErrorBody), (status = 403, description = "Not allowed, or no fresh step-up", body = ErrorBody),
              (status = 422, body = ErrorBody)))]
pub(crate) async fn donor_csv(
    State(state): State<AppState>,
    ApiStaff(session): ApiStaff,
    Query(params): Query<InsightParams>,
) -> Result<Response, AppError> {
    csv_response(&state, &session, &params).await
}
