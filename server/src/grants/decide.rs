//! Supervisors' decisions (approve, reject, ratify) and cancellation. Approval reserves
//! the amount in the fund; cancellation and rejection release it.

use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::grant::{self as machine, Approvals, GrantActor, GrantState, GrantTransition};
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::{Also, GrantRow, Grants, rationale};
use crate::audit::Actor;
use crate::cases::triage::{Staff, WorkError};
use crate::playbooks::TaskAction;
use crate::policy::GrantMove;

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
    /// A supervisor approves or rejects: never the proposer or the payer, never someone with
    /// a declared conflict on the case, each supervisor once, with a fresh second factor.
    /// The grant is approved once as many distinct supervisors as its tier needs have
    /// approved; an account created or reset recently does not count toward tier B or C.
    pub async fn decide(
        &self,
        staff: Staff<'_>,
        grant_id: Uuid,
        decision: Decision,
        reason: Option<&str>,
    ) -> Result<GrantState, WorkError> {
        let reason = rationale(reason)?;
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let provisional = matches!(decision, Decision::Approve { provisional: true });
        let step = match decision {
            Decision::Reject => GrantMove::Reject,
            Decision::Approve { provisional: true } => GrantMove::ApproveProvisionally,
            Decision::Approve { provisional: false } => GrantMove::Approve,
        };
        let (mut tx, context) = self.allow(tx, &row, staff, step).await?;
        staff.require_step_up(self.now())?;
        let from = row.status;
        let given = context.approvers.len();
        let approvals = Approvals { given: given + 1, needed: row.approvals_needed as usize, provisional };
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
        sqlx::query!(
            "insert into grant_decision (grant_id, supervisor, decision, provisional, rationale_sealed, decided_at)
             values ($1, $2, $3, $4, $5, $6)",
            grant_id,
            staff.id,
            if decision == Decision::Reject { "reject" } else { "approve" },
            provisional,
            sealed,
            self.now()
        )
        .execute(&mut *tx)
        .await?;
        let reserved = self.reserved(&mut tx, grant_id).await?;
        if to.holds_reservation() && !reserved {
            self.reserve(&mut tx, &row).await?;
        }
        // A grant sent back for approval keeps its reservation; only a rejection releases it.
        if reserved && to == GrantState::Rejected {
            self.ledger(&mut tx, &row, "release", row.fund_amount_minor, Some(staff.id)).await?;
        }
        let ratified = transition == GrantTransition::Ratify && approvals.given >= approvals.needed;
        let also = match (to, ratified) {
            (GrantState::ProvisionallyApproved, _) => {
                Also::Provisional { ratify_due_at: self.now() + self.rules.ratify_within }
            }
            (_, true) => Also::Ratified,
            _ => Also::Nothing,
        };
        self.move_to(&mut tx, &row, to, also).await?;
        let details = json!({"grant": grant_id, "from": from, "to": to, "approvals": approvals.given,
                             "needed": approvals.needed, "tier": row.tier});
        self.audit(&mut tx, Actor::Staff(staff.id), action, &row, Some(reason), details).await?;
        // The decision is made once the grant leaves the approval steps: the playbook's
        // "decide" task ticks itself then, by the supervisor who completed it.
        if to != from && matches!(to, GrantState::Approved | GrantState::ProvisionallyApproved | GrantState::Rejected) {
            crate::cases::autotick::tick(&mut tx, row.case_id, TaskAction::GrantDecided, staff, self.now()).await?;
        }
        if matches!(to, GrantState::Approved | GrantState::ProvisionallyApproved) {
            let mut hands = context.approvers.clone();
            hands.extend([staff.id, row.proposed_by].iter().chain(&row.payee_editors));
            crate::notify::hooks::grant_payable(&mut tx, row.case_id, hands, self.now()).await?;
        }
        tx.commit().await?;
        Ok(to)
    }

    /// Reserves the grant's amount, refusing clearly when the fund cannot cover it; the
    /// ledger's trigger refuses it again should two approvals race.
    async fn reserve(&self, tx: &mut sqlx::PgConnection, row: &GrantRow) -> Result<(), WorkError> {
        sqlx::query_scalar!("select 1 as one from fund where fund_id = $1 for update", row.fund_id)
            .fetch_optional(&mut *tx)
            .await?;
        let fund = self.fund(tx, row.fund_id).await?.ok_or(WorkError::NotFound)?;
        if row.fund_amount_minor > fund.available_minor {
            return Err(WorkError::Conflict(format!(
                "The fund {} has {} available; this grant needs {}. Nothing was approved.",
                fund.name,
                fund.money(fund.available_minor)?,
                row.fund_amount()
            )));
        }
        self.ledger(tx, row, "reservation", row.fund_amount_minor, None).await
    }

    /// The case's handler or a supervisor cancels an unpaid grant, releasing its reservation.
    pub async fn cancel(&self, staff: Staff<'_>, grant_id: Uuid, reason: Option<&str>) -> Result<(), WorkError> {
        let reason = rationale(reason)?;
        let mut tx = self.cases.db.begin().await?;
        let row = self.lock(&mut tx, grant_id).await?;
        let (mut tx, _) = self.allow(tx, &row, staff, GrantMove::Cancel).await?;
        let actor = if staff.roles.contains(&Role::Supervisor) { GrantActor::Supervisor } else { GrantActor::Handler };
        let from = row.status;
        let to =
            machine::next(from, GrantTransition::Cancel, actor, Approvals { given: 0, needed: 1, provisional: false })
                .map_err(refused)?;
        let reserved = self.reserved(&mut tx, grant_id).await?;
        if reserved {
            self.ledger(&mut tx, &row, "release", row.fund_amount_minor, Some(staff.id)).await?;
        }
        self.move_to(&mut tx, &row, to, Also::Nothing).await?;
        let details = json!({"grant": grant_id, "from": from, "to": to, "released": reserved});
        self.audit(&mut tx, Actor::Staff(staff.id), AuditAction::GrantCancelled, &row, Some(reason), details).await?;
        tx.commit().await?;
        Ok(())
    }
}
