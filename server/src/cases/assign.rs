//! Who holds a case, beside the state machine: the assigned handler gives it back to the
//! queue, a supervisor hands it to another handler. The rule is `shared::case::
//! check_assignee_change` (asked through `policy`); each change commits with its audit entry.

use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::{self as machine, AssigneeChange, AssigneeError};
use uuid::Uuid;

use super::Cases;
use super::triage::{Staff, WorkError, changed_meanwhile};
use crate::audit::{self, Actor, NewEntry, Subject};

fn refusal(error: AssigneeError) -> WorkError {
    let text = error.to_string();
    let mut chars = text.chars();
    let text = chars.next().map(|c| format!("{}{}.", c.to_uppercase(), chars.as_str())).unwrap_or_default();
    match error {
        AssigneeError::NotAssignee | AssigneeError::NotSupervisor => WorkError::Forbidden(text),
        AssigneeError::WrongState(_) => WorkError::Conflict(text),
        AssigneeError::ReasonRequired => WorkError::invalid(ErrorCode::InvalidRationale, text),
    }
}

impl Cases {
    /// The assigned handler gives the case back: it is unassigned and shows in the queue
    /// again (as a preview to other handlers); its state and clocks stay.
    pub async fn unclaim(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        expected_version: Option<i32>,
    ) -> Result<(), WorkError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let (case, _) = self.open_case(&mut tx, staff, case_id).await?;
        let is_assignee = case.assignee == Some(staff.id);
        machine::check_assignee_change(AssigneeChange::GiveBack, case.status, staff.roles, is_assignee, true)
            .map_err(refusal)?;
        if expected_version.is_some_and(|v| v != case.version) {
            return Err(changed_meanwhile());
        }
        let updated = sqlx::query!(
            "update cases set assignee = null, version = version + 1, updated_at = $3
             where case_id = $1 and version = $2 and assignee = $4",
            case_id,
            case.version,
            now,
            staff.id,
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(changed_meanwhile());
        }
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseUnclaimed)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"state": case.status}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A supervisor hands the case to `to`, an active handler with no conflict on it, with a
    /// reason (sealed with the case key, like every decision's rationale).
    pub async fn reassign(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        to: Uuid,
        reason: &str,
        expected_version: Option<i32>,
    ) -> Result<(), WorkError> {
        let now = self.clock.now();
        let reason = reason.trim();
        if reason.chars().count() > 5000 {
            return Err(WorkError::invalid(
                ErrorCode::InvalidRationale,
                "The reason is too long: at most 5000 characters.",
            ));
        }
        let mut tx = self.db.begin().await?;
        let (case, _) = self.open_case(&mut tx, staff, case_id).await?;
        let is_assignee = case.assignee == Some(staff.id);
        machine::check_assignee_change(
            AssigneeChange::Reassign,
            case.status,
            staff.roles,
            is_assignee,
            !reason.is_empty(),
        )
        .map_err(refusal)?;
        if expected_version.is_some_and(|v| v != case.version) {
            return Err(changed_meanwhile());
        }
        if to == staff.id {
            // Taking a case from another handler is a second supervisor's decision: one
            // person holding both roles would otherwise choose themselves and then sign off.
            return Err(WorkError::Forbidden(
                "A supervisor does not reassign a case to themselves: another supervisor can.".into(),
            ));
        }
        if case.assignee == Some(to) {
            return Err(WorkError::invalid(
                ErrorCode::InvalidAssignee,
                "The case is already assigned to that handler.",
            ));
        }
        self.check_assignable(&mut tx, case_id, to).await?;
        let updated = sqlx::query!(
            "update cases set assignee = $3, version = version + 1, updated_at = $4 where case_id = $1 and version = $2",
            case_id,
            case.version,
            to,
            now,
        )
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(changed_meanwhile());
        }
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseReassigned)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"from": case.assignee, "to": to, "state": case.status}))
            .rationale(audit::SealedRationale::for_case(&key, reason)?);
        crate::notify::hooks::case_reassigned(&mut tx, case_id, case.assignee, to, now).await?;
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
