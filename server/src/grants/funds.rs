//! Funds: a budget in one currency for a period, with donor restrictions. What is
//! committed, disbursed and available comes from the running totals that each ledger entry
//! moves in its own transaction (migration 0024), so it always equals the ledger's sums.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::{Currency, GrantCategory, Money, Rate};
use shelter_shared::intake::CountryCode;
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Grants, money};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::triage::WorkError;

/// A new fund, as an administrator types it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFund {
    /// A unique name.
    pub name: String,
    /// ISO 4217 code.
    #[schema(value_type = String, example = "USD")]
    pub currency: Currency,
    /// The budget, as typed: `50,000.00`.
    pub budget: String,
    /// First day of the period.
    pub period_start: NaiveDate,
    /// Last day of the period.
    pub period_end: NaiveDate,
    /// Categories the donor allows; empty: any.
    #[serde(default)]
    pub allowed_categories: Vec<GrantCategory>,
    /// Countries (ISO 3166 alpha-2) the donor allows; empty: any.
    #[serde(default)]
    pub allowed_countries: Vec<String>,
    /// What one US dollar buys in the fund's currency (`"25400"`); `"1"` or omitted for USD.
    /// Tiers and playbook caps are set in dollars and applied through it.
    #[serde(default)]
    pub usd_rate: Option<String>,
}

/// A fund and its balances, as the ledger makes them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FundBalance {
    /// Id.
    pub fund_id: Uuid,
    /// Name.
    pub name: String,
    /// ISO 4217 code.
    pub currency: String,
    /// Budget, minor units.
    pub budget_minor: i64,
    /// Reserved by approved grants not yet paid, minor units.
    pub committed_minor: i64,
    /// Paid out (reversals deducted), minor units.
    pub disbursed_minor: i64,
    /// Budget less committed and disbursed, minor units.
    pub available_minor: i64,
    /// First day.
    pub period_start: NaiveDate,
    /// Last day.
    pub period_end: NaiveDate,
    /// Allowed categories; empty: any.
    pub allowed_categories: Vec<String>,
    /// Allowed countries; empty: any.
    pub allowed_countries: Vec<String>,
    /// 1 USD in the fund's currency.
    pub usd_rate: String,
}

impl FundBalance {
    /// An amount of this fund's currency.
    pub fn money(&self, minor: i64) -> Result<Money, WorkError> {
        money(minor, &self.currency)
    }
}

/// `balances!("where … order by …", args…)`: funds with their balances, read from the
/// running totals the ledger trigger keeps on each fund row (equal to the ledger's sums).
macro_rules! balances {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            FundBalance,
            r#"select f.fund_id, f.name, f.currency, f.budget_minor, f.committed_minor, f.disbursed_minor,
                f.budget_minor - f.committed_minor - f.disbursed_minor as "available_minor!",
                f.period_start, f.period_end, f.allowed_categories, f.allowed_countries, f.usd_rate
            from fund f "# + $tail $(, $arg)*
        )
    };
}

impl Grants {
    /// Every fund with its balances, by name.
    pub async fn funds(&self) -> Result<Vec<FundBalance>, WorkError> {
        Ok(balances!("order by f.name").fetch_all(&self.cases.db).await?)
    }

    /// One fund's balances, as the transaction sees them.
    pub(crate) async fn fund(&self, conn: &mut PgConnection, id: Uuid) -> Result<Option<FundBalance>, WorkError> {
        Ok(balances!("where f.fund_id = $1", id).fetch_optional(conn).await?)
    }

    /// An administrator creates a fund.
    pub async fn create_fund(&self, admin: Uuid, fund: NewFund) -> Result<Uuid, WorkError> {
        let name = fund.name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(WorkError::invalid(ErrorCode::InvalidName, "Give the fund a name of 1 to 200 characters."));
        }
        let budget = Money::parse(&fund.budget, fund.currency)
            .map_err(|e| WorkError::invalid(ErrorCode::InvalidAmount, format!("Budget: {e}.")))?;
        if fund.period_end < fund.period_start {
            return Err(WorkError::invalid(ErrorCode::InvalidPeriod, "The period must end on or after its first day."));
        }
        let usd_rate: Rate = match (fund.currency, fund.usd_rate.as_deref().map(str::trim)) {
            (Currency::USD, None | Some("1")) => Rate::ONE,
            (Currency::USD, Some(_)) => {
                return Err(WorkError::invalid(ErrorCode::InvalidRate, "A fund in US dollars has the rate 1."));
            }
            (_, None | Some("")) => {
                return Err(WorkError::invalid(
                    ErrorCode::InvalidRate,
                    format!(
                        "Give what one US dollar buys in {}: tiers and playbook caps are set in dollars.",
                        fund.currency
                    ),
                ));
            }
            (_, Some(text)) => {
                text.parse().map_err(|e| WorkError::invalid(ErrorCode::InvalidRate, format!("Rate: {e}.")))?
            }
        };
        let mut countries = vec![];
        for code in &fund.allowed_countries {
            let country = CountryCode::parse(code).map_err(|_| {
                WorkError::invalid(ErrorCode::InvalidCountry, format!("{code:?} is not an ISO 3166 country code."))
            })?;
            countries.push(country.as_str().to_owned());
        }
        let categories: Vec<&str> = fund.allowed_categories.iter().map(|c| c.as_str()).collect();
        let id = Uuid::new_v4();
        let now = self.now();
        let mut tx = self.cases.db.begin().await?;
        let inserted = sqlx::query!(
            "insert into fund (fund_id, name, currency, budget_minor, period_start, period_end, allowed_categories,
                               allowed_countries, usd_rate, created_by, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) on conflict (name) do nothing",
            id,
            name,
            fund.currency as _,
            budget.minor,
            fund.period_start,
            fund.period_end,
            fund.allowed_categories.as_slice() as _,
            &countries,
            usd_rate.to_string(),
            admin,
            now
        )
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(WorkError::Conflict(format!("A fund named {name:?} exists already.")));
        }
        let entry = NewEntry::new(Actor::Staff(admin), AuditAction::FundCreated)
            .subject(Subject { kind: "fund", id: id.to_string() })
            .details(
                json!({"currency": fund.currency, "budget_minor": budget.minor, "period_start": fund.period_start,
                            "period_end": fund.period_end, "categories": categories, "countries": countries,
                            "usd_rate": usd_rate.to_string()}),
            );
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }
}
