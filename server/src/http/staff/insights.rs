//! `/staff/insights` (the dashboard) and `/staff/reports/donor` (the printable donor report,
//! its CSV behind a step-up): the same figures as the API, suppressed the same way.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use shelter_frontend::pages::staff::insights::{DonorPage, FilterForm, InsightsPage, render, render_donor};
use shelter_shared::audit::AuditAction;

use super::{form_error, nav_for, page};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::insights::{InsightParams, csv_response, dashboard_for, donor_for};
use crate::http::auth::BrowserStaff;
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// The insight routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/insights", get(dashboard))
        .route("/staff/reports/donor", get(donor))
        .route("/staff/reports/donor/csv", post(donor_csv))
}

fn typed(params: &InsightParams) -> FilterForm {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    FilterForm {
        from: text(&params.from),
        to: text(&params.to),
        country: text(&params.country),
        kind: text(&params.kind),
        severity: text(&params.severity),
        fund: text(&params.fund),
    }
}

async fn funds(conn: &mut sqlx::PgConnection) -> Result<Vec<(String, String)>, AppError> {
    let rows = sqlx::query!("select fund_id, name from fund order by name").fetch_all(&mut *conn).await?;
    Ok(rows.into_iter().map(|row| (row.fund_id.to_string(), row.name)).collect())
}

async fn dashboard(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewInsights>,
    Query(params): Query<InsightParams>,
) -> Result<Response, AppError> {
    let filters = params.filters(&state);
    let (insights, error) = match &filters {
        Ok(filters) => (Some(dashboard_for(&state, &session, filters).await?), None),
        Err(error) => (None, Some(error.public_message())),
    };
    let mut conn = state.db.acquire().await?;
    let mut form = typed(&params);
    if let Some(i) = &insights {
        (form.from, form.to) = (i.from.clone(), i.to.clone());
    }
    let html = render(InsightsPage {
        nav: nav_for(&session),
        filters: form,
        insights,
        funds: funds(&mut conn).await?,
        error,
        report_href: match (&filters, policy::authorize(&session.roles, Action::ViewDonorReport)) {
            (Ok(f), Ok(())) => {
                let (from, to) = f.whole_months();
                let fund = f.fund.map(|id| id.to_string()).unwrap_or_default();
                Some(format!("/staff/reports/donor?from={from}&to={to}&fund={fund}"))
            }
            _ => None,
        },
    });
    match filters {
        Ok(_) => Ok(page(html)),
        Err(error) => Ok(form_error(error, |_| html)),
    }
}

async fn donor(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewDonorReport>,
    Query(params): Query<InsightParams>,
) -> Result<Response, AppError> {
    let filters = params.filters(&state)?;
    Ok(page(donor_html(&state, &session, &params, &filters).await?))
}

async fn donor_html(
    state: &AppState,
    session: &StaffSession,
    params: &InsightParams,
    filters: &crate::insights::Filters,
) -> Result<String, AppError> {
    // One connection for the report, its audit entry and the fund's name.
    let mut conn = state.db.acquire().await?;
    let report = donor_for(state, &mut conn, session, filters, AuditAction::DonorReportViewed).await?;
    let fund_name = match filters.fund {
        Some(id) => funds(&mut conn).await?.into_iter().find(|(f, _)| *f == id.to_string()).map(|(_, name)| name),
        None => None,
    };
    let mut form = typed(params);
    (form.from, form.to) = (report.from.clone(), report.to.clone());
    Ok(render_donor(DonorPage {
        nav: nav_for(session),
        csrf: session.csrf_token.clone(),
        report,
        fund_name,
        filters: form,
        stepped_up: session.stepped_up(state.identity.clock.now()),
    }))
}

#[derive(Deserialize)]
struct CsvForm {
    #[serde(flatten)]
    params: InsightParams,
}

async fn donor_csv(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    Posted(ValidForm(form)): Posted<ValidForm<CsvForm>>,
) -> Result<Response, AppError> {
    csv_response(&state, &session, &form.params).await
}
