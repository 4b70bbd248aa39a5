//! `/staff/grants`: the register, its totals and its CSV export.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use shelter_frontend::countries;
use shelter_frontend::pages::staff::grants::{
    GrantLine, RegisterFilter, RegisterPage, TotalLine, Totals, mword, mwords, render_register,
};
use shelter_frontend::reader::Reader;
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

/// A totals table titled `title`; `key` puts each group's key in words.
fn totals(r: Reader, title: &str, rows: Vec<TotalRow>, key: impl Fn(&str) -> String) -> Result<Totals, AppError> {
    let rows = rows
        .into_iter()
        .map(|row| {
            Ok(TotalLine {
                key: r.t_texts("grant-totals-key", &[("key", &key(&row.key)), ("currency", &row.currency)]),
                count: row.count,
                committed: shown(row.committed_minor, &row.currency)?,
                paid: shown(row.paid_minor, &row.currency)?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    Ok(Totals { title: r.t(title), rows })
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
    let r = session.reader();
    let grants = register
        .grants
        .iter()
        .map(|g| {
            Ok(GrantLine {
                id: g.grant_id.to_string(),
                name: grant_name(r, g.case_reference.as_deref(), &g.category, &g.payee_alias),
                created: r.date(g.created_at),
                fund: g.fund_name.clone(),
                category: mword(r, "category", &g.category),
                country: countries::name(r.tr(), &g.country),
                status: mword(r, "state", &g.status),
                tier: mword(r, "tier", &g.tier),
                amount: shown(g.amount_minor, &g.currency)?,
                fund_amount: shown(g.fund_amount_minor, &g.fund_currency)?,
                payee_alias: g.payee_alias.clone(),
                paid_on: g.paid_on.map(|d| d.to_string()).unwrap_or_default(),
                method: g.method.as_deref().map(|m| mword(r, "method", m)).unwrap_or_default(),
                fees: match g.fees_minor {
                    Some(fees) => shown(fees, &g.currency)?,
                    None => String::new(),
                },
                reference: g.external_reference.clone().unwrap_or_default(),
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
        funds: register.funds.iter().map(|f| super::super::funds::line(r, f)).collect::<Result<_, _>>()?,
        statuses: mwords(r, "state", GrantState::ALL.iter().map(|s| s.as_str())),
        categories: mwords(r, "category", GrantCategory::ALL.iter().map(|c| c.as_str())),
        totals: vec![
            totals(r, "grant-totals-by-fund", register.by_fund, str::to_owned)?,
            totals(r, "grant-totals-by-category", register.by_category, |c| mword(r, "category", c))?,
            totals(r, "grant-totals-by-country", register.by_country, |c| countries::name(r.tr(), c))?,
            totals(r, "grant-totals-by-month", register.by_month, str::to_owned)?,
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
