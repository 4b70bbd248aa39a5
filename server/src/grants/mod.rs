//! Emergency grants: funds and their ledger, proposals, tiered four-eyes approval,
//! disbursement exactly once, receipts, reports and the register.
//!
//! Money never moves on one person's word: supervisors other than the proposer approve
//! (one, two or three by tier), finance officers other than whoever entered the payee's
//! details pay, and the database refuses a second payment and a fund below zero on its own
//! (a unique key and a balance trigger), whatever the pages do.

pub mod decide;
pub mod follow_up;
pub mod funds;
pub mod hands;
pub mod memo;
pub mod pay;
pub mod propose;
pub mod register;
pub mod view;
pub mod waiting;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::{Currency, GrantCategory, GrantState, Money, Tier, Tiers};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::Cases;
use crate::cases::crypto::CaseKey;
use crate::cases::triage::WorkError;

/// Rules an operator may set.
#[derive(Debug, Clone, Copy)]
pub struct GrantRules {
    /// The approval tiers, in US cents.
    pub tiers: Tiers,
    /// How long after receipt the report is due.
    pub use_window: Duration,
    /// How long a provisional approval waits for ratification before the grant freezes.
    pub ratify_within: Duration,
    /// How long a payment may go unconfirmed before the handler is reminded.
    pub receipt_within: Duration,
    /// How long after creation or a reset an account's approval counts toward tier B or C.
    pub new_approver_wait: Duration,
    /// Confirmations from vouchers each tier needs before approval.
    pub vouches: Vouches,
}

/// Distinct vouchers who must confirm the requester before a grant of each tier is
/// approved: one for tier A and two above, as real emergency funds ask references.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vouches {
    /// Tier A.
    pub tier_a: usize,
    /// Tiers B and C.
    pub tier_bc: usize,
}

impl Default for Vouches {
    fn default() -> Self {
        Vouches { tier_a: 1, tier_bc: 2 }
    }
}

impl Vouches {
    /// Confirmations a grant of `tier` needs.
    pub fn needed(self, tier: Tier) -> usize {
        if tier == Tier::A { self.tier_a } else { self.tier_bc }
    }
}

impl Default for GrantRules {
    fn default() -> Self {
        GrantRules {
            tiers: Tiers::default(),
            use_window: Duration::days(90),
            ratify_within: Duration::hours(72),
            receipt_within: Duration::days(14),
            new_approver_wait: Duration::hours(72),
            vouches: Vouches::default(),
        }
    }
}

/// The grant service.
#[derive(Clone)]
pub struct Grants {
    /// Cases: keys, access, playbooks, database and clock.
    pub cases: Cases,
    /// Tiers and windows.
    pub rules: GrantRules,
}

/// A grant as stored, with its fund's name and currency.
#[derive(Debug, Clone)]
pub(crate) struct GrantRow {
    pub grant_id: Uuid,
    pub case_id: Uuid,
    pub fund_id: Uuid,
    pub fund_name: String,
    pub fund_currency: Currency,
    pub category: GrantCategory,
    pub amount_minor: i64,
    pub currency: Currency,
    pub fund_amount_minor: i64,
    pub rate: Option<String>,
    pub tier: Tier,
    pub approvals_needed: i16,
    pub status: GrantState,
    pub payee_alias: String,
    // Empty once the grant's case is purged: the financial record stays without them.
    pub payee_sealed: Option<Vec<u8>>,
    pub payee_editors: Vec<Uuid>,
    pub purpose_sealed: Option<Vec<u8>>,
    pub vouchers_sealed: Option<Vec<u8>>,
    pub country: String,
    pub proposed_by: Uuid,
    pub provisional: bool,
    pub ratify_due_at: Option<DateTime<Utc>>,
    pub ratified_at: Option<DateTime<Utc>>,
    pub receipt_at: Option<DateTime<Utc>>,
    pub use_until: Option<DateTime<Utc>>,
    pub report_sealed: Option<Vec<u8>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub payee_changed_at: Option<DateTime<Utc>>,
    pub payee_changed_by: Option<Uuid>,
}

/// `grant_rows!("where …", args…)`: the checked query for [`GrantRow`]s, the one select
/// pasted before the caller's literal tail (the macros need the whole text at compile time).
macro_rules! grant_rows {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            $crate::grants::GrantRow,
            r#"select g.grant_id, g.case_id, g.fund_id, f.name as fund_name,
                      f.currency as "fund_currency: shelter_shared::grant::Currency",
                      g.category as "category: shelter_shared::grant::GrantCategory",
                      g.amount_minor, g.currency as "currency: shelter_shared::grant::Currency",
                      g.fund_amount_minor, g.rate, g.tier as "tier: shelter_shared::grant::Tier",
                      g.approvals_needed, g.status as "status: shelter_shared::grant::GrantState",
                      g.payee_alias, g.payee_sealed, g.payee_editors, g.purpose_sealed, g.vouchers_sealed, g.country,
                      g.proposed_by, g.provisional, g.ratify_due_at, g.ratified_at, g.receipt_at, g.use_until,
                      g.report_sealed, g.version, g.created_at, g.payee_changed_at, g.payee_changed_by
               from grants g join fund f using (fund_id) "# + $tail $(, $arg)*
        )
    };
}
pub(crate) use grant_rows;

impl GrantRow {
    pub(crate) fn amount(&self) -> Money {
        Money { minor: self.amount_minor, currency: self.currency }
    }

    pub(crate) fn fund_amount(&self) -> Money {
        Money { minor: self.fund_amount_minor, currency: self.fund_currency }
    }
}

/// What a move sets besides the state, each a fixed statement (no caller writes SQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Also {
    /// Only the state.
    Nothing,
    /// A provisional approval: ratified by `ratify_due_at` or frozen.
    Provisional { ratify_due_at: DateTime<Utc> },
    /// The approval is ratified now.
    Ratified,
    /// Receipt confirmed now, by the requester or staff; the use window runs to `use_until`.
    Receipt { by: ReceiptBy, use_until: DateTime<Utc> },
    /// The report arrived now.
    Reported,
}

/// Who confirmed a receipt, as stored in `grants.receipt_by`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReceiptBy {
    Requester,
    Staff,
}

impl ReceiptBy {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ReceiptBy::Requester => "requester",
            ReceiptBy::Staff => "staff",
        }
    }
}

/// An amount read back from the database.
pub(crate) fn money(minor: i64, currency: &str) -> Result<Money, WorkError> {
    let currency: Currency = currency.parse().map_err(|e: String| WorkError::Internal(anyhow::anyhow!(e)))?;
    Ok(Money { minor, currency })
}

/// The sealed-field names: each ciphertext is bound to its grant and its purpose.
pub(crate) fn field(name: &str, grant: Uuid) -> String {
    format!("grant-{name}:{grant}")
}

/// The sealed-field name of one supervisor's decision rationale on a grant.
pub(crate) fn decision_field(grant: Uuid, supervisor: Uuid) -> String {
    field(&format!("decision-{supervisor}"), grant)
}

/// Turns the database's own refusals into answers: a second payment (unique key) and a
/// fund below zero (the balance trigger).
pub(crate) fn refused_by_database(error: sqlx::Error) -> WorkError {
    if let Some(db) = error.as_database_error() {
        match db.constraint() {
            Some("disbursement_grant_id_key") | Some("fund_entry_once") => {
                return WorkError::Conflict("This grant was already paid. Nothing was recorded twice.".into());
            }
            Some("fund_available_not_negative") => {
                return WorkError::Conflict(
                    "The fund does not have enough available for this. Nothing was recorded.".into(),
                );
            }
            _ => {}
        }
    }
    WorkError::from(error)
}

impl Grants {
    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.cases.clock.now()
    }

    /// Loads a grant, locking it for the rest of the transaction: concurrent decisions on
    /// one grant happen one after another, each seeing the last.
    pub(crate) async fn lock(&self, tx: &mut PgConnection, id: Uuid) -> Result<GrantRow, WorkError> {
        let row = grant_rows!("where g.grant_id = $1 for update of g", id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(WorkError::NotFound)?;
        // A purged case's grant is a closed financial record: nothing about it changes.
        let purged = sqlx::query_scalar!(
            r#"select purged_at is not null as "purged!" from cases where case_id = $1"#,
            row.case_id
        )
        .fetch_one(&mut *tx)
        .await?;
        if purged {
            return Err(WorkError::Conflict(
                "This grant's case was purged: its financial record is kept as it is and can no longer change.".into(),
            ));
        }
        Ok(row)
    }

    pub(crate) async fn load(&self, conn: &mut PgConnection, id: Uuid) -> Result<GrantRow, WorkError> {
        grant_rows!("where g.grant_id = $1", id).fetch_optional(conn).await?.ok_or(WorkError::NotFound)
    }

    /// The case's key, read on the request's own connection.
    pub(crate) async fn key(&self, conn: &mut PgConnection, case_id: Uuid) -> Result<CaseKey, WorkError> {
        self.cases.case_key(conn, case_id).await.map_err(|e| WorkError::Internal(e.into()))
    }

    /// Moves a grant to `to` and bumps its version, setting what `also` names; refuses if
    /// the grant changed since `row` was read.
    pub(crate) async fn move_to(
        &self,
        tx: &mut PgConnection,
        row: &GrantRow,
        to: GrantState,
        also: Also,
    ) -> Result<(), WorkError> {
        let (id, now, version) = (row.grant_id, self.now(), row.version);
        let updated = match also {
            Also::Nothing => sqlx::query!(
                "update grants set status = $2, version = version + 1, updated_at = $3
                 where grant_id = $1 and version = $4",
                id,
                to as _,
                now,
                version
            ),
            Also::Provisional { ratify_due_at } => sqlx::query!(
                "update grants set status = $2, version = version + 1, updated_at = $3,
                        provisional = true, ratify_due_at = $5
                 where grant_id = $1 and version = $4",
                id,
                to as _,
                now,
                version,
                ratify_due_at
            ),
            Also::Ratified => sqlx::query!(
                "update grants set status = $2, version = version + 1, updated_at = $3, ratified_at = $3
                 where grant_id = $1 and version = $4",
                id,
                to as _,
                now,
                version
            ),
            Also::Receipt { by, use_until } => sqlx::query!(
                "update grants set status = $2, version = version + 1, updated_at = $3,
                        receipt_by = $5, receipt_at = $3, use_until = $6
                 where grant_id = $1 and version = $4",
                id,
                to as _,
                now,
                version,
                by.as_str(),
                use_until
            ),
            Also::Reported => sqlx::query!(
                "update grants set status = $2, version = version + 1, updated_at = $3, reported_at = $3
                 where grant_id = $1 and version = $4",
                id,
                to as _,
                now,
                version
            ),
        }
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(WorkError::Conflict("This grant was changed meanwhile. Reload it.".into()));
        }
        Ok(())
    }

    /// Whether the fund holds a reservation for the grant now (reserved and not released):
    /// a grant sent back for approval keeps its reservation.
    pub(crate) async fn reserved(&self, tx: &mut PgConnection, grant_id: Uuid) -> Result<bool, WorkError> {
        Ok(sqlx::query_scalar!(
            r#"select exists (select 1 from fund_entry where grant_id = $1 and kind = 'reservation')
                    and not exists (select 1 from fund_entry where grant_id = $1 and kind = 'release') as "reserved!""#,
            grant_id
        )
        .fetch_one(tx)
        .await?)
    }

    /// Appends one ledger entry in the fund's currency.
    pub(crate) async fn ledger(
        &self,
        tx: &mut PgConnection,
        row: &GrantRow,
        kind: &str,
        amount_minor: i64,
        by: Option<Uuid>,
    ) -> Result<(), WorkError> {
        sqlx::query!(
            "insert into fund_entry (fund_id, grant_id, kind, amount_minor, created_by, created_at)
             values ($1, $2, $3, $4, $5, $6)",
            row.fund_id,
            row.grant_id,
            kind,
            amount_minor,
            by,
            self.now()
        )
        .execute(&mut *tx)
        .await
        .map_err(refused_by_database)?;
        Ok(())
    }

    /// The grant's audit entry, filed under its case.
    pub(crate) async fn audit(
        &self,
        tx: &mut PgConnection,
        actor: Actor,
        action: AuditAction,
        row: &GrantRow,
        rationale: Option<&str>,
        details: Value,
    ) -> Result<(), WorkError> {
        let mut entry = NewEntry::new(actor, action)
            .subject(Subject { kind: "case", id: row.case_id.to_string() })
            .details(details);
        if let Some(rationale) = rationale {
            let key = self.key(tx, row.case_id).await?;
            entry = entry.rationale(audit::SealedRationale::for_case(&key, rationale)?);
        }
        audit::record(tx, entry, self.now()).await?;
        Ok(())
    }
}

/// A required rationale, trimmed; at most 5000 characters.
pub(crate) fn rationale(text: Option<&str>) -> Result<&str, WorkError> {
    let text = text.map(str::trim).unwrap_or_default();
    if text.is_empty() || text.chars().count() > 5000 {
        return Err(WorkError::invalid(ErrorCode::InvalidRationale, "Give a rationale (up to 5000 characters)."));
    }
    Ok(text)
}
