//! Supervisors' decisions (approve, reject, ratify) and cancellation. Approval reserves
//! the amount in the fund; cancellation and rejection release it.

use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::{self as machine, Approvals, GrantActor, GrantState, GrantTransition};
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::{GrantRow, Grants, rationale};
use crate::audit::Actor;
use crate::cases::record;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::CaseAccess;

/// A supervisor's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Approve (or ratify a provisional approval).
    Approve {
        /// Ask for a provisional single approval (critical cases).
        provisional: bool,
    },
    /// Reject.
    Reject,
}

pub(crate) fn refused(error: machine::GrantError) -> WorkError {
    match error {
        machine::GrantError::WrongState(..) => WorkError::Conflict(format!("{error}.")),
        machine::GrantError::WrongActor(..) => WorkError::Forbidden("You may not do this to a grant.".into()),
    }
}

impl Grants {
    /// A supervisor approves or rejects: never the proposer, never someone with a declared
    /// conflict on the case, each supervisor once. The grant is approved once as many
    /// distinct supervisors as its tier needs have approved.
    pub async fn decide(
        &self,
        staff: Staff<'_>,
        grant_id: Uuid,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<GrantState, WorkError> {
        let reason = rationale(reason)?;
        if !staff.roles.contains(&Role::Supervisor) {
            return Err(WorkError::Forbidden("Only supervisors decide on grants.".into()));
        }
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        if record::conflicted(&mut tx, row.case_id, staff.id).await? {
            return Err(WorkError::Forbidden(
                "You declared a conflict of interest on this case: another supervisor must decide.".into(),
            ));
        }
        if row.proposed_by == staff.id {
            return Err(WorkError::Forbidden("You proposed this grant: another supervisor must decide.".into()));
        }
        let decided: Option<String> =
            sqlx::query_scalar("select decision from grant_decision where grant_id = $1 and supervisor = $2")
                .bind(grant_id)
                .bind(staff.id)
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(decided) = decided {
            return Err(WorkError::Conflict(format!(
                "You already decided on this grant ({decided}); approvals must come from distinct supervisors."
            )));
        }
        let given: i64 =
            sqlx::query_scalar("select count(*) from grant_decision where grant_id = $1 and decision = 'approve'")
                .bind(grant_id)
                .fetch_one(&mut *tx)
                .await?;
        let from = row.state()?;
        let provisional = matches!(decision, Decision::Approve { provisional: true });
        if provisional {
            let severity: Option<String> = sqlx::query_scalar("select severity from cases where case_id = $1")
                .bind(row.case_id)
                .fetch_one(&mut *tx)
                .await?;
            if severity.as_deref() != Some("critical") || row.approvals_needed < 2 || from != GrantState::Proposed {
                return Err(WorkError::Invalid(
                    "A provisional single approval is only for a critical case's grant that needs more than one approval."
                        .into(),
                ));
            }
        }
        let approvals = Approvals { given: given as usize + 1, needed: row.approvals_needed as usize, provisional };
        let (transition, to, action) = match decision {
            Decision::Reject => {
                let to =
                    machine::next(from, GrantTransition::Reject, GrantActor::Supervisor, approvals).map_err(refused)?;
                (GrantTransition::Reject, to, AuditAction::GrantRejected)
            }
            Decision::Approve { .. } if from.is_paid() && row.provisional && row.ratified_at.is_none() => {
                // Paid on a provisional approval: the ratification is still owed, the state stays.
                let complete = approvals.given >= approvals.needed;
                (
                    GrantTransition::Ratify,
                    from,
                    if complete { AuditAction::GrantRatified } else { AuditAction::GrantApproved },
                )
            }
            Decision::Approve { .. } => {
                let transition = match from {
                    GrantState::ProvisionallyApproved | GrantState::Frozen => GrantTransition::Ratify,
                    _ => GrantTransition::Approve,
                };
                let to = machine::next(from, transition, GrantActor::Supervisor, approvals).map_err(refused)?;
                let action = match (transition, to) {
                    (GrantTransition::Ratify, GrantState::Approved) => AuditAction::GrantRatified,
                    (_, GrantState::ProvisionallyApproved) => AuditAction::GrantProvisionallyApproved,
                    _ => AuditAction::GrantApproved,
                };
                (transition, to, action)
            }
        };
        // Sealed with the case key, like the audit entry's copy.
        let sealed = self
            .key(&mut tx, row.case_id)
            .await?
            .seal(&super::decision_field(grant_id, staff.id), reason.as_bytes())?;
        sqlx::query(
            "insert into grant_decision (grant_id, supervisor, decision, provisional, rationale_sealed, decided_at)
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(grant_id)
        .bind(staff.id)
        .bind(if decision == Decision::Reject { "reject" } else { "approve" })
        .bind(provisional)
        .bind(sealed)
        .bind(self.now())
        .execute(&mut *tx)
        .await?;
        if !from.holds_reservation() && to.holds_reservation() {
            self.reserve(&mut tx, &row).await?;
        }
        if from.holds_reservation() && !to.holds_reservation() {
            self.ledger(&mut tx, &row, "release", row.fund_amount_minor, Some(staff.id)).await?;
        }
        let ratified = transition == GrantTransition::Ratify && approvals.given >= approvals.needed;
        let extra = match (to, ratified) {
            (GrantState::ProvisionallyApproved, _) => {
                format!(
                    ", provisional = true, ratify_due_at = $3 + interval '{} seconds'",
                    self.rules.ratify_within.num_seconds()
                )
            }
            (_, true) => ", ratified_at = $3".to_owned(),
            _ => String::new(),
        };
        self.move_to(&mut tx, &row, to, &extra).await?;
        let details = json!({"grant": grant_id, "from": from, "to": to, "approvals": approvals.given,
                             "needed": approvals.needed, "tier": row.tier});
        self.audit(&mut tx, Actor::Staff(staff.id), action, &row, Some(reason), details).await?;
        tx.commit().await?;
        Ok(to)
    }

    /// Reserves the grant's amount, refusing clearly when the fund cannot cover it; the
    /// ledger's trigger refuses it again should two approvals race.
    async fn reserve(&self, tx: &mut sqlx::PgConnection, row: &GrantRow) -> Result<(), WorkError> {
        sqlx::query("select 1 from fund where fund_id = $1 for update").bind(row.fund_id).execute(&mut *tx).await?;
        let fund = self.fund(tx, row.fund_id).await?.ok_or(WorkError::NotFound)?;
        if row.fund_amount_minor > fund.available_minor {
            return Err(WorkError::Conflict(format!(
                "The fund {} has {} available; this grant needs {}. Nothing was approved.",
                fund.name,
                fund.money(fund.available_minor)?,
                row.fund_amount()?
            )));
        }
        self.ledger(tx, row, "reservation", row.fund_amount_minor, None).await
    }

    /// The case's handler or a supervisor cancels an unpaid grant, releasing its reservation.
    pub async fn cancel(&self, staff: Staff<'_>, grant_id: Uuid, reason: Option<&str>) -> Result<(), WorkError> {
        let reason = rationale(reason)?;
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let (_, access) = self.cases.open_case(&mut tx, staff, row.case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::NotFound);
        }
        let actor = if staff.roles.contains(&Role::Supervisor) { GrantActor::Supervisor } else { GrantActor::Handler };
        let from = row.state()?;
        let to =
            machine::next(from, GrantTransition::Cancel, actor, Approvals { given: 0, needed: 1, provisional: false })
                .map_err(refused)?;
        if from.holds_reservation() {
            self.ledger(&mut tx, &row, "release", row.fund_amount_minor, Some(staff.id)).await?;
        }
        self.move_to(&mut tx, &row, to, "").await?;
        let details = json!({"grant": grant_id, "from": from, "to": to, "released": from.holds_reservation()});
        self.audit(&mut tx, Actor::Staff(staff.id), AuditAction::GrantCancelled, &row, Some(reason), details).await?;
        tx.commit().await?;
        Ok(())
    }
}
