//! A handler proposes a grant from a case: checked against the playbook's cap for the
//! category, the fund's period, restrictions and available balance. Verification is not
//! named here: the vouchers' attestations on the case are counted when a supervisor
//! approves ([`crate::vouch`]).

use serde::Deserialize;
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::{Currency, GrantCategory, GrantState, Money, Rate, Tier};
use shelter_shared::intake::{IncidentKind, clean};
use uuid::Uuid;

use super::{Grants, field, rationale};
use crate::audit::Actor;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::CaseAccess;

/// A proposed grant.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantProposal {
    /// The fund to pay from.
    pub fund_id: Uuid,
    /// What it pays for.
    pub category: GrantCategory,
    /// The amount the payee receives, as typed: `1,500.00`.
    pub amount: String,
    /// Its ISO 4217 currency.
    #[schema(value_type = String, example = "USD")]
    pub currency: Currency,
    /// When the currency is not the fund's: one unit of it in the fund's currency (`"0.0000393"`).
    #[serde(default)]
    pub rate: Option<String>,
    /// A name for the payee everyone may see (no real name needed).
    pub payee_alias: String,
    /// Payment details (account, phone, provider): sealed, shown only to finance.
    pub payee_details: String,
    /// What the money is for.
    pub purpose: String,
    /// Why this grant.
    pub rationale: String,
}

fn invalid(code: ErrorCode, message: impl Into<String>) -> WorkError {
    WorkError::invalid(code, message)
}

/// A required text, cleaned, of at most `max` characters.
fn text(value: &str, what: &str, max: usize, code: ErrorCode) -> Result<String, WorkError> {
    let value = clean(value);
    if value.is_empty() || value.chars().count() > max {
        return Err(invalid(code, format!("Give {what} (1 to {max} characters).")));
    }
    Ok(value)
}

/// What a proposal amounts to, once checked.
struct Priced {
    amount: Money,
    fund_amount: Money,
    rate: Option<Rate>,
    usd_minor: i64,
    tier: Tier,
}

impl Grants {
    /// Records a proposal; returns its id.
    pub async fn propose(&self, staff: Staff<'_>, case_id: Uuid, proposal: GrantProposal) -> Result<Uuid, WorkError> {
        let reason = rationale(Some(&proposal.rationale))?.to_owned();
        let alias = text(&proposal.payee_alias, "the payee an alias", 100, ErrorCode::InvalidPayee)?;
        let details = text(&proposal.payee_details, "the payment details", 2000, ErrorCode::InvalidPayee)?;
        let purpose = text(&proposal.purpose, "the purpose", 2000, ErrorCode::InvalidPurpose)?;
        let amount = Money::parse(&proposal.amount, proposal.currency)
            .map_err(|e| invalid(ErrorCode::InvalidAmount, format!("Amount: {e}.")))?;

        let mut tx = self.cases.db.begin().await?;
        let (case, access) = self.cases.open_case(&mut tx, staff, case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::Forbidden("Only the case's handler or a supervisor proposes a grant.".into()));
        }
        // Proposing enters the payee's payment details.
        staff.require_step_up(self.now())?;
        if case.status != shelter_shared::case::CaseState::Active {
            return Err(WorkError::Conflict("Grants are proposed for triaged, active cases.".into()));
        }
        let fund = self
            .fund(&mut tx, proposal.fund_id)
            .await?
            .ok_or_else(|| invalid(ErrorCode::InvalidFund, "Choose a fund from the list."))?;
        let today = self.now().date_naive();
        if today < fund.period_start || today > fund.period_end {
            return Err(invalid(
                ErrorCode::InvalidFund,
                format!("The fund {} runs {} to {}.", fund.name, fund.period_start, fund.period_end),
            ));
        }
        if !fund.allowed_categories.is_empty()
            && !fund.allowed_categories.iter().any(|c| c == proposal.category.as_str())
        {
            return Err(invalid(
                ErrorCode::InvalidFund,
                format!("The fund {} does not pay for {}.", fund.name, proposal.category),
            ));
        }
        if !fund.allowed_countries.is_empty() && !fund.allowed_countries.contains(&case.country) {
            return Err(invalid(
                ErrorCode::InvalidFund,
                format!("The fund {} does not pay grants in {}.", fund.name, case.country),
            ));
        }
        let priced = self.price(&fund, amount, proposal.rate.as_deref())?;
        self.check_cap(&case.kind, case.playbook_kind.as_deref(), proposal.category, &priced)?;
        if priced.fund_amount.minor > fund.available_minor {
            return Err(WorkError::Conflict(format!(
                "The fund {} has {} available; this grant needs {}.",
                fund.name,
                fund.money(fund.available_minor)?,
                priced.fund_amount
            )));
        }

        let grant_id = Uuid::new_v4();
        let key = self.key(&mut tx, case_id).await?;
        let now = self.now();
        sqlx::query!(
            "insert into grants (grant_id, case_id, fund_id, category, amount_minor, currency, fund_amount_minor, rate,
                                 usd_minor, tier, approvals_needed, status, payee_alias, payee_sealed, payee_editors,
                                 purpose_sealed, country, proposed_by, created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19)",
            grant_id,
            case_id,
            fund.fund_id,
            proposal.category as _,
            priced.amount.minor,
            priced.amount.currency as _,
            priced.fund_amount.minor,
            priced.rate.map(|r| r.to_string()),
            priced.usd_minor,
            priced.tier as _,
            priced.tier.approvals_needed() as i16,
            GrantState::Proposed as _,
            &alias,
            key.seal(&field("payee", grant_id), details.as_bytes())?,
            &[staff.id],
            key.seal(&field("purpose", grant_id), purpose.as_bytes())?,
            &case.country,
            staff.id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let row = self.load(&mut tx, grant_id).await?;
        let details = json!({
            "grant": grant_id, "fund": fund.fund_id, "category": proposal.category, "amount_minor": priced.amount.minor,
            "currency": priced.amount.currency, "fund_amount_minor": priced.fund_amount.minor,
            "rate": priced.rate.map(|r| r.to_string()), "tier": priced.tier,
        });
        self.audit(&mut tx, Actor::Staff(staff.id), AuditAction::GrantProposed, &row, Some(&reason), details).await?;
        crate::notify::hooks::grant_proposed(&mut tx, row.case_id, staff.id, now).await?;
        tx.commit().await?;
        Ok(grant_id)
    }

    /// The amount in the fund's currency and in dollars, and its tier.
    fn price(&self, fund: &super::funds::FundBalance, amount: Money, rate: Option<&str>) -> Result<Priced, WorkError> {
        let fund_currency: Currency =
            fund.currency.parse().map_err(|e: String| WorkError::Internal(anyhow::anyhow!(e)))?;
        let rate = rate.map(str::trim).filter(|r| !r.is_empty());
        let (fund_amount, rate) = match rate {
            _ if amount.currency == fund_currency => (amount, None),
            None => {
                return Err(invalid(
                    ErrorCode::InvalidRate,
                    format!(
                        "The fund is in {fund_currency}: give the rate used (1 {} in {fund_currency}).",
                        amount.currency
                    ),
                ));
            }
            Some(text) => {
                let rate: Rate = text.parse().map_err(|e| invalid(ErrorCode::InvalidRate, format!("Rate: {e}.")))?;
                let converted = rate.convert(amount, fund_currency).ok_or_else(|| {
                    invalid(ErrorCode::InvalidRate, "At that rate the amount is nothing, or too large.")
                })?;
                (converted, Some(rate))
            }
        };
        let usd_rate: Rate = fund.usd_rate.parse().map_err(|e| WorkError::Internal(anyhow::anyhow!("{e}")))?;
        let usd_minor = usd_rate.convert_back(fund_amount, Currency::USD).map(|m| m.minor).ok_or_else(|| {
            invalid(ErrorCode::InvalidAmount, "The amount is too small or too large to price in dollars.")
        })?;
        let tier = self.rules.tiers.tier_of(usd_minor).ok_or_else(|| {
            invalid(
                ErrorCode::OverCap,
                format!(
                    "{} is above the hard cap of {} for any grant.",
                    Money { minor: usd_minor, currency: Currency::USD },
                    Money { minor: self.rules.tiers.hard_cap, currency: Currency::USD }
                ),
            )
        })?;
        Ok(Priced { amount, fund_amount, rate, usd_minor, tier })
    }

    /// The grant categories the playbook of a case of `kind` (triaged under `playbook_kind`)
    /// funds, each with its cap: shown beside the amount when proposing and approving.
    pub fn playbook_caps(&self, kind: &str, playbook_kind: Option<&str>) -> Vec<(GrantCategory, Money)> {
        let kind: IncidentKind = playbook_kind.unwrap_or(kind).parse().unwrap_or(IncidentKind::NotSure);
        self.cases
            .playbooks
            .get(kind)
            .map(|p| {
                p.grants.iter().map(|g| (g.category, Money { minor: g.cap_minor, currency: g.currency })).collect()
            })
            .unwrap_or_default()
    }

    /// The case's playbook must allow the category, up to its cap.
    fn check_cap(
        &self,
        kind: &str,
        playbook_kind: Option<&str>,
        category: GrantCategory,
        priced: &Priced,
    ) -> Result<(), WorkError> {
        let kind: IncidentKind = playbook_kind.unwrap_or(kind).parse().unwrap_or(IncidentKind::NotSure);
        let playbook = self.cases.playbooks.get(kind).ok_or_else(|| {
            invalid(ErrorCode::NoPlaybook, "Triage the case under a playbook before proposing a grant.")
        })?;
        let cap = playbook.grants.iter().find(|g| g.category == category).ok_or_else(|| {
            invalid(ErrorCode::InvalidCategory, format!("The {} playbook does not fund {category}.", playbook.title))
        })?;
        let compared = if cap.currency == priced.fund_amount.currency {
            priced.fund_amount.minor
        } else if cap.currency == Currency::USD {
            priced.usd_minor
        } else if cap.currency == priced.amount.currency {
            priced.amount.minor
        } else {
            return Err(invalid(
                ErrorCode::InvalidCurrency,
                format!("The playbook's cap is in {}, which this fund cannot compare.", cap.currency),
            ));
        };
        if compared > cap.cap_minor {
            return Err(invalid(
                ErrorCode::OverCap,
                format!(
                    "The {} playbook caps {category} at {}.",
                    playbook.title,
                    Money { minor: cap.cap_minor, currency: cap.currency }
                ),
            ));
        }
        Ok(())
    }
}
