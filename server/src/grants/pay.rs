//! Finance: releasing a payment exactly once, changing payee details, reversing a payment.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::{
    self as machine, Approvals, GrantActor, GrantState, GrantTransition, Money, PaymentMethod, Rate,
};
use shelter_shared::intake::clean;
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::decide::refused;
use super::{Also, GrantRow, Grants, field, memo, rationale, refused_by_database};
use crate::audit::Actor;
use crate::cases::triage::{Staff, WorkError};
use crate::playbooks::TaskAction;
use crate::policy::GrantMove;
use sqlx::PgConnection;

/// A payment as finance records it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Disbursement {
    /// How the money went.
    pub method: PaymentMethod,
    /// The amount actually paid, in the grant's currency, as typed.
    pub paid: String,
    /// Fees, in the grant's currency (`"0"` for none).
    #[serde(default)]
    pub fees: Option<String>,
    /// When the grant's currency is not the fund's: the rate actually used; default the proposal's.
    #[serde(default)]
    pub rate: Option<String>,
    /// The bank's or provider's reference: bland, never naming the case (see the memo guidance).
    pub external_reference: String,
    /// The day it was paid.
    pub paid_on: NaiveDate,
    /// The grant's `version` as the payer saw it: when given, a grant changed since (new
    /// payment details, new approvals) is refused, so nobody pays details they never saw.
    #[serde(default)]
    pub grant_version: Option<i32>,
}

/// New payee details.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayeeChange {
    /// A new alias, or the same.
    #[serde(default)]
    pub payee_alias: Option<String>,
    /// The new payment details.
    pub payee_details: String,
}

const NO_APPROVALS: Approvals = Approvals { given: 0, needed: 1, provisional: false };

fn invalid(code: ErrorCode, message: impl Into<String>) -> WorkError {
    WorkError::invalid(code, message)
}

impl Grants {
    /// Finance releases the payment of an approved, unfrozen grant. Exactly once: the grant
    /// row is locked, and the database's unique key on the payment refuses a second one
    /// whatever happens above it. Whoever proposed, approved, or entered or changed the
    /// payee's details may not (the policy's rule per grant).
    pub async fn disburse(&self, staff: Staff<'_>, grant_id: Uuid, payment: Disbursement) -> Result<Uuid, WorkError> {
        let reference = clean(&payment.external_reference);
        if reference.is_empty() || reference.chars().count() > 100 {
            return Err(invalid(ErrorCode::InvalidReference, "Give the external reference (1 to 100 characters)."));
        }
        if payment.paid_on > self.now().date_naive() {
            return Err(invalid(ErrorCode::InvalidDate, "The payment date cannot be in the future."));
        }
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let (mut tx, _) = self.allow(tx, &row, staff, GrantMove::Disburse).await?;
        staff.require_step_up(self.now())?;
        if payment.grant_version.is_some_and(|seen| seen != row.version) {
            return Err(WorkError::Conflict(
                "This grant changed since you opened it (its payment details may be new). Reload it and check before paying."
                    .into(),
            ));
        }
        let from = row.status;
        let to = machine::next(from, GrantTransition::Disburse, GrantActor::Finance, NO_APPROVALS).map_err(refused)?;
        let case_reference = sqlx::query_scalar!("select reference from cases where case_id = $1", row.case_id)
            .fetch_one(&mut *tx)
            .await?;
        memo::check_reference(&reference, &case_reference).map_err(|m| invalid(ErrorCode::InvalidReference, m))?;
        let amount = row.amount();
        let paid = Money::parse(&payment.paid, amount.currency)
            .map_err(|e| invalid(ErrorCode::InvalidAmount, format!("Paid: {e}.")))?;
        if paid.minor > amount.minor {
            return Err(invalid(ErrorCode::InvalidAmount, format!("The payment cannot exceed the approved {amount}.")));
        }
        let fees = match payment.fees.as_deref().map(str::trim) {
            None | Some("" | "0" | "0.00" | "0.0") => Money { minor: 0, currency: amount.currency },
            Some(text) => Money::parse(text, amount.currency)
                .map_err(|e| invalid(ErrorCode::InvalidAmount, format!("Fees: {e}.")))?,
        };
        let total =
            paid.checked_add(fees).ok_or_else(|| invalid(ErrorCode::InvalidAmount, "The amounts are too large."))?;
        let fund_currency = row.fund_currency;
        let rate = match payment.rate.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(text) => {
                Some(text.parse::<Rate>().map_err(|e| invalid(ErrorCode::InvalidRate, format!("Rate: {e}.")))?)
            }
            None => row.rate.as_deref().and_then(|r| r.parse().ok()),
        };
        let fund_total = match rate {
            _ if total.currency == fund_currency => total,
            Some(rate) => rate
                .convert(total, fund_currency)
                .ok_or_else(|| invalid(ErrorCode::InvalidRate, "At that rate the payment is nothing."))?,
            None => return Err(invalid(ErrorCode::InvalidRate, "Give the rate used.")),
        };
        let disbursement_id = Uuid::new_v4();
        sqlx::query!(
            "insert into disbursement (disbursement_id, grant_id, method, paid_minor, fees_minor, currency, fund_amount_minor,
                                       rate, external_reference, paid_on, released_by, created_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            disbursement_id,
            grant_id,
            payment.method as _,
            paid.minor,
            fees.minor,
            amount.currency as _,
            fund_total.minor,
            (total.currency != fund_currency).then(|| rate.map(|r| r.to_string())).flatten(),
            &reference,
            payment.paid_on,
            staff.id,
            self.now()
        )
        .execute(&mut *tx)
        .await
        .map_err(refused_by_database)?;
        // The reservation is released before the payment is booked, so the balance trigger
        // sees the payment against what is really left.
        self.ledger(&mut tx, &row, "release", row.fund_amount_minor, Some(staff.id)).await?;
        self.ledger(&mut tx, &row, "payment", fund_total.minor, Some(staff.id)).await?;
        self.move_to(&mut tx, &row, to, Also::Nothing).await?;
        let details = json!({"grant": grant_id, "disbursement": disbursement_id, "method": payment.method,
                             "paid_minor": paid.minor, "fees_minor": fees.minor, "currency": amount.currency,
                             "fund_amount_minor": fund_total.minor, "paid_on": payment.paid_on,
                             "provisional": row.provisional && row.ratified_at.is_none()});
        self.audit(&mut tx, Actor::Staff(staff.id), AuditAction::GrantDisbursed, &row, None, details).await?;
        crate::cases::autotick::tick(&mut tx, row.case_id, TaskAction::GrantPaid, staff, self.now()).await?;
        // The requester is asked to confirm receipt: if they asked to be told, they hear there is news.
        crate::notify::hooks::requester_news(&mut tx, row.case_id, self.now()).await?;
        tx.commit().await?;
        Ok(disbursement_id)
    }

    /// The case's handler or a finance officer changes the payee's details before payment;
    /// they join the people who may not release it.
    pub async fn change_payee(&self, staff: Staff<'_>, grant_id: Uuid, change: PayeeChange) -> Result<(), WorkError> {
        let details = clean(&change.payee_details);
        if details.is_empty() || details.chars().count() > 2000 {
            return Err(invalid(ErrorCode::InvalidPayee, "Give the payment details (1 to 2000 characters)."));
        }
        let alias = change.payee_alias.as_deref().map(clean).filter(|a| !a.is_empty());
        if alias.as_ref().is_some_and(|a| a.chars().count() > 100) {
            return Err(invalid(ErrorCode::InvalidPayee, "The alias may have up to 100 characters."));
        }
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let (mut tx, context) = self.allow(tx, &row, staff, GrantMove::ChangePayee).await?;
        staff.require_step_up(self.now())?;
        let key = self.key(&mut tx, row.case_id).await?;
        let sealed = key.seal(&field("payee", grant_id), details.as_bytes())?;
        let alias = alias.unwrap_or_else(|| row.payee_alias.clone());
        let updated = sqlx::query!(
            "update grants set payee_sealed = $2, payee_alias = $3,
                    payee_editors = case when $4 = any(payee_editors) then payee_editors else payee_editors || $4 end,
                    payee_changed_at = $5, payee_changed_by = $4, version = version + 1, updated_at = $5
             where grant_id = $1 and version = $6",
            grant_id,
            sealed,
            &alias,
            staff.id,
            self.now(),
            row.version
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(WorkError::Conflict("This grant was changed meanwhile. Reload it.".into()));
        }
        let details = json!({"grant": grant_id, "alias_changed": alias != row.payee_alias});
        self.audit(&mut tx, Actor::Staff(staff.id), AuditAction::GrantPayeeChanged, &row, None, details).await?;
        if !context.deciders.is_empty() || row.status != GrantState::Proposed {
            self.void_approvals(&mut tx, &row, staff).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// New payment details void every decision given on the old ones: the grant goes back
    /// for approval (its reservation stays) and the decisions are kept apart, marked void.
    async fn void_approvals(&self, tx: &mut PgConnection, row: &GrantRow, staff: Staff<'_>) -> Result<(), WorkError> {
        let now = self.now();
        let voided = sqlx::query!(
            "insert into grant_decision_voided (grant_id, supervisor, decision, provisional, rationale, rationale_sealed,
                                                decided_at, voided_at)
             select grant_id, supervisor, decision, provisional, rationale, rationale_sealed, decided_at, $2
             from grant_decision where grant_id = $1",
            row.grant_id,
            now
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query!("delete from grant_decision where grant_id = $1", row.grant_id).execute(&mut *tx).await?;
        sqlx::query!(
            "update grants set status = $2, provisional = false, ratify_due_at = null, ratified_at = null,
                    version = version + 1, updated_at = $3
             where grant_id = $1",
            row.grant_id,
            GrantState::Proposed as _,
            now
        )
        .execute(&mut *tx)
        .await?;
        let details = json!({"grant": row.grant_id, "from": row.status, "to": GrantState::Proposed,
                             "decisions_voided": voided});
        self.audit(tx, Actor::Staff(staff.id), AuditAction::GrantApprovalsVoided, row, None, details).await?;
        // Back for approval: the supervisors are told again, as when it was proposed.
        crate::notify::hooks::grant_proposed(tx, row.case_id, staff.id, now).await?;
        Ok(())
    }

    /// Finance reverses a payment (returned, bounced, paid in error): the payment stays in
    /// the ledger and a reversal entry is added beside it.
    pub async fn reverse(&self, staff: Staff<'_>, grant_id: Uuid, reason: Option<&str>) -> Result<(), WorkError> {
        let reason = rationale(reason)?;
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let (mut tx, _) = self.allow(tx, &row, staff, GrantMove::Reverse).await?;
        staff.require_step_up(self.now())?;
        let from = row.status;
        let actor = if staff.roles.contains(&Role::Finance) { GrantActor::Finance } else { GrantActor::Handler };
        let to = machine::next(from, GrantTransition::Reverse, actor, NO_APPROVALS).map_err(refused)?;
        let paid = sqlx::query_scalar!("select fund_amount_minor from disbursement where grant_id = $1", grant_id)
            .fetch_one(&mut *tx)
            .await?;
        self.ledger(&mut tx, &row, "reversal", paid, Some(staff.id)).await?;
        self.move_to(&mut tx, &row, to, Also::Nothing).await?;
        let details = json!({"grant": grant_id, "from": from, "to": to, "fund_amount_minor": paid});
        self.audit(&mut tx, Actor::Staff(staff.id), AuditAction::GrantReversed, &row, Some(reason), details).await?;
        tx.commit().await?;
        Ok(())
    }
}
