//! `/staff/grants`: the register, its totals and its CSV export.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use shelter_frontend::pages::staff::grants::{
    GrantLine, RegisterFilter, RegisterPage, TotalLine, Totals, render_register,
};
use shelter_shared::grant::{GrantCategory, GrantState};

use super::super::{form_error, nav_for, page};
use super::{grant_name, shown};
use crate::grants::register::{LIMIT, RegisterParams, TotalRow};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::api::cases::staff;
use crate::http::api::grants::export_csv;
use crate::http::auth::BrowserStaff;
use crate::http::extract::ValidForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;

fn totals(title: &str, rows: Vec<TotalRow>) -> Result<Totals, AppError> {
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok(TotalLine {
                key: format!("{} ({})", r.key, r.currency),
                count: r.count,
                committed: shown(r.committed_minor, &r.currency)?,
                paid: shown(r.paid_minor, &r.currency)?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Totals { title: title.to_owned(), rows })
}

async fn register_html(
    state: &AppState,
    session: &StaffSession,
    params: &RegisterParams,
    error: Option<String>,
) -> Result<String, AppError> {
    let (register, error) = match params.parse() {
        Ok(filter) => (state.grants.register(&filter, LIMIT, staff(session)).await?, error),
        Err(message) => (state.grants.register(&Default::default(), LIMIT, staff(session)).await?, Some(message)),
    };
    let grants = register
        .grants
        .iter()
        .map(|g| {
            Ok(GrantLine {
                id: g.grant_id.to_string(),
                name: grant_name(g.case_reference.as_deref(), &g.category, &g.payee_alias),
                created: g.created_at.format("%Y-%m-%d").to_string(),
                fund: g.fund_name.clone(),
                category: g.category.clone(),
                country: g.country.clone(),
                status: g.status.clone(),
                tier: g.tier.to_uppercase(),
                amount: shown(g.amount_minor, &g.currency)?,
                fund_amount: shown(g.fund_amount_minor, &g.fund_currency)?,
                payee_alias: g.payee_alias.clone(),
                paid_on: g.paid_on.map(|d| d.to_string()).unwrap_or_default(),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let value = |v: &Option<String>| v.clone().unwrap_or_default();
    Ok(render_register(RegisterPage {
        nav: nav_for(session),
        csrf: &session.csrf_token,
        filter: RegisterFilter {
            fund: value(&params.fund),
            status: value(&params.status),
            category: value(&params.category),
            country: value(&params.country),
            from: value(&params.from),
            to: value(&params.to),
        },
        fund_names: register.funds.iter().map(|f| f.name.clone()).collect(),
        funds: register.funds.iter().map(super::super::funds::line).collect::<Result<_, _>>()?,
        statuses: GrantState::ALL.iter().map(|s| s.as_str().to_owned()).collect(),
        categories: GrantCategory::ALL.iter().map(|c| c.as_str().to_owned()).collect(),
        totals: vec![
            totals("By fund", register.by_fund)?,
            totals("By category", register.by_category)?,
            totals("By country", register.by_country)?,
            totals("By month proposed", register.by_month)?,
        ],
        grants,
        stepped_up: session.stepped_up(state.identity.clock.now()),
        error,
        notice: None,
    }))
}

pub(super) async fn show_register(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewGrantRegister>,
    Query(params): Query<RegisterParams>,
) -> Result<Response, AppError> {
    Ok(page(register_html(&state, &session, &params, None).await?))
}

#[derive(Deserialize)]
pub(super) struct ExportForm {
    #[serde(flatten)]
    filter: RegisterParams,
}

pub(super) async fn export(
    State(state): State<AppState>,
    BrowserStaff(session): BrowserStaff,
    Posted(ValidForm(form)): Posted<ValidForm<ExportForm>>,
) -> Result<Response, AppError> {
    match export_csv(&state, &session, &form.filter).await {
        Ok(response) => Ok(response),
        Err(error) if error.status().is_client_error() && !matches!(error, AppError::NotFound) => {
            let html = register_html(&state, &session, &form.filter, Some(error.public_message())).await?;
            Ok(form_error(error, |_| html))
        }
        Err(error) => Err(error),
    }
}
