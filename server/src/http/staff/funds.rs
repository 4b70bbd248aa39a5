//! `/staff/funds`: funds and their balances; administrators create them.

use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::NaiveDate;
use serde::Deserialize;
use shelter_frontend::countries;
use shelter_frontend::pages::staff::funds::{FundLine, FundsPage, render};
use shelter_frontend::pages::staff::grants::{mword, mwords};
use shelter_frontend::reader::Reader;
use shelter_shared::api::ErrorCode;
use shelter_shared::grant::{Currency, GrantCategory};

use super::{form_error, nav_for, page};
use crate::grants::funds::{FundBalance, NewFund};
use crate::http::allow::{Allowed, Browser, may};
use crate::http::extract::MultiForm;
use crate::http::posted::Posted;
use crate::http::{AppError, AppState};
use crate::identity::sessions::StaffSession;
use crate::policy::{self, Action};

/// The fund routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/staff/funds", get(show).post(create))
}

/// A fund's balances, formatted for pages.
pub fn line(r: Reader, fund: &FundBalance) -> Result<FundLine, AppError> {
    let show = |minor: i64| fund.money(minor).map(|m| m.to_string()).map_err(AppError::from);
    let any = |list: Vec<String>| if list.is_empty() { r.t("mword-any") } else { list.join(", ") };
    let categories = any(fund.allowed_categories.iter().map(|c| mword(r, "category", c)).collect());
    let countries = any(fund.allowed_countries.iter().map(|c| countries::name(r.tr(), c)).collect());
    Ok(FundLine {
        name: fund.name.clone(),
        currency: fund.currency.clone(),
        budget: show(fund.budget_minor)?,
        committed: show(fund.committed_minor)?,
        disbursed: show(fund.disbursed_minor)?,
        available: show(fund.available_minor)?,
        period: r
            .t_texts("fund-period", &[("from", &fund.period_start.to_string()), ("to", &fund.period_end.to_string())]),
        restrictions: r.t_texts("fund-restrictions", &[("categories", &categories), ("countries", &countries)]),
        usd_rate: match fund.usd_rate.parse::<shelter_shared::money::Rate>() {
            Ok(rate) => format!("1 USD = {} {}", rate.grouped(), fund.currency),
            Err(_) => format!("1 USD = {} {}", fund.usd_rate, fund.currency),
        },
    })
}

async fn html(
    state: &AppState,
    session: &StaffSession,
    error: Option<String>,
    notice: Option<String>,
) -> Result<String, AppError> {
    let r = session.reader();
    let funds = state.grants.funds().await?.iter().map(|f| line(r, f)).collect::<Result<_, _>>()?;
    Ok(render(FundsPage {
        nav: nav_for(session),
        csrf: &session.csrf_token,
        funds,
        can_manage: policy::authorize(&session.roles, Action::ManageFunds).is_ok(),
        currencies: Currency::ALL.iter().map(|c| c.to_string()).collect(),
        categories: mwords(r, "category", GrantCategory::ALL.iter().map(|c| c.as_str())),
        error,
        notice,
    }))
}

#[derive(Deserialize)]
struct Notice {
    created: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ViewFunds>,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    let notice = notice.created.map(|_| session.reader().t("fund-created"));
    Ok(page(html(&state, &session, None, notice).await?))
}

#[derive(Deserialize)]
struct FundForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    budget: String,
    #[serde(default)]
    period_start: String,
    #[serde(default)]
    period_end: String,
    #[serde(default)]
    usd_rate: String,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    countries: String,
}

impl FundForm {
    fn parse(self, r: Reader) -> Result<NewFund, AppError> {
        let invalid = |code, m: String| AppError::invalid(code, m);
        let date = |text: &str, id: &str| {
            NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| invalid(ErrorCode::InvalidPeriod, r.t(id)))
        };
        Ok(NewFund {
            name: self.name,
            currency: self.currency.parse().map_err(|m| invalid(ErrorCode::InvalidCurrency, m))?,
            budget: self.budget,
            period_start: date(&self.period_start, "fund-error-first-day")?,
            period_end: date(&self.period_end, "fund-error-last-day")?,
            allowed_categories: self
                .categories
                .iter()
                .map(|c| c.parse::<GrantCategory>())
                .collect::<Result<_, _>>()
                .map_err(|m| invalid(ErrorCode::InvalidCategory, m))?,
            allowed_countries: self
                .countries
                .split([',', ' '])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            usd_rate: Some(self.usd_rate).filter(|r| !r.trim().is_empty()),
        })
    }
}

async fn create(
    State(state): State<AppState>,
    Allowed(session, ..): Allowed<Browser, may::ManageFunds>,
    Posted(MultiForm(form)): Posted<MultiForm<FundForm>>,
) -> Result<Response, AppError> {
    let outcome = match form.parse(session.reader()) {
        Ok(fund) => state.grants.create_fund(session.user_id, fund).await.map_err(AppError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(_) => Ok(Redirect::to("/staff/funds?created=1").into_response()),
        Err(error) => {
            let html = html(&state, &session, Some(error.public_message()), None).await?;
            Ok(form_error(error, |_| html))
        }
    }
}
