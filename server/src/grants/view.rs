//! A grant as each reader may see it: the case's handler and supervisors see its purpose,
//! vouchers, rationales and report; finance sees the payee's payment details (each read
//! audited) and never the case's content; the requester sees their own grants plainly.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::GrantState;
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::{GrantRow, Grants, field, grant_rows};
use crate::audit::{Actor, NewEntry, Subject};
use crate::cases::portal::RequesterSession;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::{CaseAccess, CaseFacts, GrantMove, case_access};

/// A grant, for staff.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct GrantView {
    /// Id.
    pub id: Uuid,
    /// The case (for its handler and supervisors only).
    pub case_id: Option<Uuid>,
    /// The case's reference (for its handler and supervisors only).
    pub case_reference: Option<String>,
    /// The case playbook's cap for this grant's category (e.g. "3,000.00 USD"), if it has one.
    pub playbook_cap: Option<String>,
    /// Fund.
    pub fund_id: Uuid,
    /// Fund name.
    pub fund_name: String,
    /// Category.
    pub category: String,
    /// State.
    pub status: String,
    /// Approval tier: a, b or c.
    pub tier: String,
    /// Distinct supervisors who must approve.
    pub approvals_needed: i16,
    /// Supervisors who approved so far.
    pub approvals_given: usize,
    /// What the payee receives, minor units.
    pub amount_minor: i64,
    /// Its currency.
    pub currency: String,
    /// The same, formatted.
    pub amount: String,
    /// In the fund's currency, minor units.
    pub fund_amount_minor: i64,
    /// The fund's currency.
    pub fund_currency: String,
    /// The rate used when the currencies differ.
    pub rate: Option<String>,
    /// The payee's alias.
    pub payee_alias: String,
    /// Payment details: finance only.
    pub payee_details: Option<String>,
    /// Whether the reader may release the payment (finance holding no other hand on the grant).
    pub may_release: bool,
    /// Everything the reader may do to the grant now (step-up is asked when they do it):
    /// the same answer the API gives when they try, and the buttons the page shows.
    pub may: Vec<GrantMove>,
    /// Finance officers who may still release the payment (for supervisors and finance,
    /// while it waits to be paid); empty when nobody can.
    pub payers: Option<Vec<String>>,
    /// When the payment details were last changed after the proposal.
    pub payee_changed_at: Option<DateTime<Utc>>,
    /// Who changed them.
    pub payee_changed_by: Option<String>,
    /// Purpose: the case's handler and supervisors only.
    pub purpose: Option<String>,
    /// Vouchers named in free text by a proposal made before attestations existed
    /// (unverified): the case's handler and supervisors only.
    pub vouchers: Option<Vec<String>>,
    /// The case's attestations: the case's handler and supervisors only.
    pub verification: Option<shelter_shared::vouch::Verification>,
    /// Distinct confirmations the grant's tier needs before approval.
    pub confirmations_needed: usize,
    /// The report on its use: the case's handler and supervisors only.
    pub report: Option<String>,
    /// The case's country.
    pub country: String,
    /// Approved provisionally (critical case).
    pub provisional: bool,
    /// Ratify by, if provisional.
    pub ratify_due_at: Option<DateTime<Utc>>,
    /// Ratified.
    pub ratified_at: Option<DateTime<Utc>>,
    /// Receipt confirmed.
    pub receipt_at: Option<DateTime<Utc>>,
    /// Report due by.
    pub use_until: Option<DateTime<Utc>>,
    /// Who proposed it.
    pub proposed_by: Uuid,
    /// Supervisors' decisions.
    pub decisions: Vec<DecisionView>,
    /// The payment, once made.
    pub disbursement: Option<DisbursementView>,
    /// Proposed.
    pub created_at: DateTime<Utc>,
    /// Changes with every change of the grant: send it back when paying (`grant_version`).
    pub version: i32,
}

/// A supervisor's decision.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DecisionView {
    /// Who.
    pub supervisor: Uuid,
    /// Their name.
    pub name: String,
    /// approve or reject.
    pub decision: String,
    /// A provisional single approval.
    pub provisional: bool,
    /// Why (hidden from finance).
    pub rationale: Option<String>,
    /// When.
    pub decided_at: DateTime<Utc>,
}

/// A payment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DisbursementView {
    /// Method.
    pub method: String,
    /// Paid, minor units of the grant's currency.
    pub paid_minor: i64,
    /// Fees, minor units of the grant's currency.
    pub fees_minor: i64,
    /// Paid plus fees, in the fund's currency.
    pub fund_amount_minor: i64,
    /// The rate used.
    pub rate: Option<String>,
    /// The external reference.
    pub external_reference: String,
    /// The day paid.
    pub paid_on: NaiveDate,
    /// Who released it.
    pub released_by: Uuid,
}

/// A grant as the requester sees it: no staff, no payment details.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RequesterGrant {
    /// Id.
    pub id: Uuid,
    /// Category.
    pub category: String,
    /// Amount, formatted.
    pub amount: String,
    /// State.
    pub status: String,
    /// They may confirm receipt now.
    pub can_confirm: bool,
    /// They may send the report now.
    pub can_report: bool,
    /// Report due by.
    pub use_until: Option<DateTime<Utc>>,
    /// How it was paid (`bank_transfer`, `mobile_money`, `cash_intermediary`,
    /// `direct_to_provider`), once paid.
    pub method: Option<String>,
    /// The month it was paid (`YYYY-MM`), once paid: never the day, which beside the amount
    /// and the method could single the payment out in bank records to whoever holds a seized,
    /// signed-in phone.
    pub paid_in: Option<String>,
}

/// What a reader may see of a grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sight {
    case: bool,
    finance: bool,
}

impl Grants {
    async fn sight(&self, staff: Staff<'_>, row: &GrantRow) -> Result<Sight, WorkError> {
        let mut conn = self.cases.db.acquire().await?;
        let assignee = sqlx::query_scalar!("select assignee from cases where case_id = $1", row.case_id)
            .fetch_one(&mut *conn)
            .await?;
        let conflicted = crate::cases::record::conflicted(&mut conn, row.case_id, staff.id).await?;
        let facts = CaseFacts { is_assignee: assignee == Some(staff.id), conflicted };
        let sight = Sight {
            case: case_access(staff.roles, facts) == CaseAccess::Full,
            finance: staff.roles.contains(&Role::Finance) && !conflicted,
        };
        if !sight.case && !sight.finance {
            return Err(WorkError::NotFound);
        }
        Ok(sight)
    }

    async fn view(&self, staff: Staff<'_>, row: GrantRow, sight: Sight) -> Result<GrantView, WorkError> {
        let mut conn = self.cases.db.acquire().await?;
        // A purged case has no key: its grants show their financial record only.
        let key = match row.payee_sealed {
            Some(_) => Some(self.key(&mut conn, row.case_id).await?),
            None => None,
        };
        let case = sqlx::query!("select reference, kind, playbook_kind from cases where case_id = $1", row.case_id)
            .fetch_one(&mut *conn)
            .await?;
        let (reference, kind, playbook_kind) = (case.reference, case.kind, case.playbook_kind);
        let playbook_cap = self
            .playbook_caps(&kind, playbook_kind.as_deref())
            .into_iter()
            .find(|(category, _)| *category == row.category)
            .map(|(_, cap)| cap.to_string());
        let context = self.context(&mut conn, &row, staff.id).await?;
        let may = context.moves(&row, staff);
        let state = row.status;
        let awaiting_payment = matches!(state, GrantState::Approved | GrantState::ProvisionallyApproved);
        let payers = if awaiting_payment && (sight.finance || staff.roles.contains(&Role::Supervisor)) {
            Some(self.payers(&mut conn, &row, &context).await?.into_iter().map(|p| p.display_name).collect())
        } else {
            None
        };
        let payee_changed_by: Option<String> = match row.payee_changed_by {
            Some(id) => {
                sqlx::query_scalar!("select display_name from staff_user where staff_user_id = $1", id)
                    .fetch_optional(&mut *conn)
                    .await?
            }
            None => None,
        };
        let sealed = sqlx::query!(
            "select d.supervisor, u.display_name as name, d.decision, d.provisional, d.rationale, d.rationale_sealed,
                    d.decided_at
             from grant_decision d join staff_user u on u.staff_user_id = d.supervisor
             where d.grant_id = $1 order by d.decided_at",
            row.grant_id
        )
        .fetch_all(&mut *conn)
        .await?;
        let decisions = sealed
            .into_iter()
            .map(|d| {
                let opened = match (d.rationale_sealed, &key) {
                    (Some(s), Some(key)) => {
                        Some(key.open_text(&super::decision_field(row.grant_id, d.supervisor), &s)?)
                    }
                    _ => None,
                };
                Ok(DecisionView {
                    supervisor: d.supervisor,
                    name: d.name,
                    decision: d.decision,
                    provisional: d.provisional,
                    rationale: opened.or(d.rationale),
                    decided_at: d.decided_at,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let disbursement = sqlx::query_as!(
            DisbursementView,
            "select method, paid_minor, fees_minor, fund_amount_minor, rate, external_reference, paid_on, released_by
             from disbursement where grant_id = $1",
            row.grant_id
        )
        .fetch_optional(&mut *conn)
        .await?;
        let verification = match (&key, sight.case) {
            (Some(key), true) => Some(
                crate::vouch::view::verification(&mut conn, &self.cases.keys, row.case_id, Some(key), self.now())
                    .await?,
            ),
            _ => None,
        };
        drop(conn);
        let open = |name: &str, sealed: &Option<Vec<u8>>, shown: bool| -> anyhow::Result<Option<String>> {
            match (sealed, &key, shown) {
                (Some(sealed), Some(key), true) => Ok(Some(key.open_text(&field(name, row.grant_id), sealed)?)),
                _ => Ok(None),
            }
        };
        let vouchers: Option<Vec<String>> = open("vouchers", &row.vouchers_sealed, sight.case)?
            .map(|text| serde_json::from_str(&text))
            .transpose()
            .map_err(|e| WorkError::Internal(e.into()))?;
        let payee_details = open("payee", &row.payee_sealed, sight.finance)?;
        Ok(GrantView {
            id: row.grant_id,
            case_id: sight.case.then_some(row.case_id),
            case_reference: sight.case.then_some(reference),
            playbook_cap,
            fund_id: row.fund_id,
            fund_name: row.fund_name.clone(),
            category: row.category.to_string(),
            status: row.status.to_string(),
            tier: row.tier.to_string(),
            approvals_needed: row.approvals_needed,
            approvals_given: decisions.iter().filter(|d| d.decision == "approve").count(),
            amount_minor: row.amount_minor,
            currency: row.currency.to_string(),
            amount: row.amount().to_string(),
            fund_amount_minor: row.fund_amount_minor,
            fund_currency: row.fund_currency.to_string(),
            rate: row.rate.clone(),
            payee_alias: row.payee_alias.clone(),
            may_release: may.contains(&GrantMove::Disburse),
            may,
            payers,
            payee_changed_at: row.payee_changed_at,
            payee_changed_by,
            payee_details,
            purpose: open("purpose", &row.purpose_sealed, sight.case)?,
            vouchers,
            verification,
            confirmations_needed: context.confirmations_needed,
            report: open("report", &row.report_sealed, sight.case)?,
            country: row.country.clone(),
            provisional: row.provisional,
            ratify_due_at: row.ratify_due_at,
            ratified_at: row.ratified_at,
            receipt_at: row.receipt_at,
            use_until: row.use_until,
            proposed_by: row.proposed_by,
            decisions: decisions
                .into_iter()
                .map(|d| DecisionView { rationale: d.rationale.filter(|_| sight.case), ..d })
                .collect(),
            disbursement,
            created_at: row.created_at,
            version: row.version,
        })
    }

    /// One grant for a staff member who may see it; finance's read of payment details is audited.
    pub async fn grant(&self, staff: Staff<'_>, grant_id: Uuid) -> Result<GrantView, WorkError> {
        let row = self.load(&mut *self.cases.db.acquire().await?, grant_id).await?;
        let sight = self.sight(staff, &row).await?;
        let case_id = row.case_id;
        let view = self.view(staff, row, sight).await?;
        if sight.finance && view.payee_details.is_some() {
            let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::GrantPayeeRead)
                .subject(Subject { kind: "case", id: case_id.to_string() })
                .details(json!({"grant": grant_id}));
            self.cases.reads.append(&mut *self.cases.db.acquire().await?, entry, self.now()).await?;
        }
        Ok(view)
    }

    /// A case's grants, for its handler and supervisors.
    pub async fn case_grants(&self, staff: Staff<'_>, case_id: Uuid) -> Result<Vec<GrantView>, WorkError> {
        let mut conn = self.cases.db.acquire().await?;
        // A purged case's grants still show their financial record.
        let (_, access) = self.cases.open_case_any(&mut conn, staff, case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::Forbidden("Only the case's handler or a supervisor sees its grants.".into()));
        }
        let rows = grant_rows!("where g.case_id = $1 order by g.created_at", case_id).fetch_all(&mut *conn).await?;
        drop(conn);
        let mut views = vec![];
        for row in rows {
            views.push(self.view(staff, row, Sight { case: true, finance: false }).await?);
        }
        Ok(views)
    }

    /// A case's grants as finance sees them for the printable summary: no purpose, report,
    /// rationale or case reference, and no payment details (a printout is no place for them).
    pub async fn case_grants_for_finance(&self, staff: Staff<'_>, case_id: Uuid) -> Result<Vec<GrantView>, WorkError> {
        let mut conn = self.cases.db.acquire().await?;
        let conflicted = crate::cases::record::conflicted(&mut conn, case_id, staff.id).await?;
        if !staff.roles.contains(&Role::Finance) || conflicted {
            return Err(WorkError::NotFound);
        }
        let rows = grant_rows!("where g.case_id = $1 order by g.created_at", case_id).fetch_all(&mut *conn).await?;
        drop(conn);
        let mut views = vec![];
        for row in rows {
            views.push(self.view(staff, row, Sight { case: false, finance: false }).await?);
        }
        Ok(views)
    }

    /// The requester's grants, once a supervisor has decided on them.
    pub async fn requester_grants(&self, session: &RequesterSession) -> Result<Vec<RequesterGrant>, WorkError> {
        if session.calm.is_some() {
            // The calm view shows no grants.
            return Ok(vec![]);
        }
        // A proposal shows once decided, or once sent back for approval after a decision.
        let rows = grant_rows!(
            "where g.case_id = $1 and (g.status <> $2
                    or exists (select 1 from grant_decision_voided v where v.grant_id = g.grant_id))
             order by g.created_at",
            session.case_id,
            GrantState::Proposed as _,
        )
        .fetch_all(&self.cases.db)
        .await?;
        let paid: Vec<(Uuid, String, chrono::NaiveDate)> = sqlx::query!(
            "select d.grant_id, d.method, d.paid_on from disbursement d join grants g using (grant_id) where g.case_id = $1",
            session.case_id
        )
        .fetch_all(&self.cases.db)
        .await?
        .into_iter()
        .map(|p| (p.grant_id, p.method, p.paid_on))
        .collect();
        rows.into_iter()
            .map(|row| {
                let state = row.status;
                let payment = paid.iter().find(|(id, _, _)| *id == row.grant_id);
                Ok(RequesterGrant {
                    method: payment.map(|(_, method, _)| method.clone()),
                    paid_in: payment.map(|(_, _, on)| on.format("%Y-%m").to_string()),
                    id: row.grant_id,
                    category: row.category.to_string(),
                    amount: row.amount().to_string(),
                    status: row.status.to_string(),
                    can_confirm: state == GrantState::Disbursed,
                    can_report: state == GrantState::ReceiptConfirmed,
                    use_until: row.use_until,
                })
            })
            .collect()
    }
}
