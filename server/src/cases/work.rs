//! Writing on a case: messages to the requester, internal notes, checklist, conflicts.

use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::CaseState;
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::Cases;
use super::portal::MESSAGE_MAX;
use super::triage::{Staff, WorkError};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::policy::CaseAccess;

/// What deciding on a task needs to know.
struct TaskFacts {
    /// Who does it (the playbook's role).
    role: Role,
    /// Who marked it done, if anyone.
    done_by: Option<Uuid>,
}

/// What a staff member writes on a case.
#[derive(Debug, Clone, Copy)]
enum Written {
    /// To the requester.
    Message,
    /// Internal.
    Note,
}

fn text(body: &str) -> Result<String, WorkError> {
    let body = shelter_shared::intake::clean(body);
    if body.is_empty() {
        return Err(WorkError::invalid(ErrorCode::InvalidMessage, "Write something first."));
    }
    if body.chars().count() > MESSAGE_MAX {
        return Err(WorkError::invalid(ErrorCode::InvalidMessage, format!("At most {MESSAGE_MAX} characters.")));
    }
    Ok(body)
}

impl Cases {
    /// Refuses unless `staff` sees the case in full.
    pub(crate) async fn full_access(
        &self,
        conn: &mut sqlx::PgConnection,
        staff: Staff<'_>,
        case_id: Uuid,
    ) -> Result<(), WorkError> {
        self.full_access_record(conn, staff, case_id).await.map(|_| ())
    }

    /// As [`Cases::full_access`], with the case's record.
    async fn full_access_record(
        &self,
        conn: &mut sqlx::PgConnection,
        staff: Staff<'_>,
        case_id: Uuid,
    ) -> Result<super::record::CaseRecord, WorkError> {
        let (case, access) = self.open_case(conn, staff, case_id).await?;
        if access == CaseAccess::Full {
            Ok(case)
        } else {
            Err(WorkError::Forbidden("Only the assigned handler or a supervisor may do this.".into()))
        }
    }

    /// A message from the network to the requester (they never see the author's name).
    pub async fn staff_message(&self, staff: Staff<'_>, case_id: Uuid, body: &str) -> Result<Uuid, WorkError> {
        self.write_sealed(staff, case_id, body, Written::Message).await
    }

    /// An internal note, sealed, never shown to the requester.
    pub async fn add_note(&self, staff: Staff<'_>, case_id: Uuid, body: &str) -> Result<Uuid, WorkError> {
        self.write_sealed(staff, case_id, body, Written::Note).await
    }

    /// Seals a text with the case key and stores it with its audit entry.
    async fn write_sealed(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        body: &str,
        written: Written,
    ) -> Result<Uuid, WorkError> {
        let body = text(body)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        self.full_access(&mut tx, staff, case_id).await?;
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let id = Uuid::new_v4();
        let (field, action) = match written {
            Written::Message => ("message", AuditAction::CaseStaffMessage),
            Written::Note => ("note", AuditAction::CaseNoteAdded),
        };
        let sealed = key.seal(&format!("{field}:{id}"), body.as_bytes())?;
        match written {
            Written::Message => {
                sqlx::query!(
                "insert into case_message (message_id, case_id, author_staff_id, ciphertext, created_at, author_kind)
                 values ($1, $2, $3, $4, $5, 'staff')",
                id,
                case_id,
                staff.id,
                sealed,
                now,
            )
                .execute(&mut *tx)
                .await?
            }
            Written::Note => sqlx::query!(
                "insert into case_note (note_id, case_id, author, ciphertext, created_at) values ($1, $2, $3, $4, $5)",
                id,
                case_id,
                staff.id,
                sealed,
                now,
            )
            .execute(&mut *tx)
            .await?,
        };
        let entry = NewEntry::new(Actor::Staff(staff.id), action)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({ field: id }));
        if matches!(written, Written::Message) {
            crate::notify::hooks::requester_news(&mut tx, case_id, now).await?;
        }
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Marks a checklist task done; the case's next deadline moves on.
    pub async fn complete_task(&self, staff: Staff<'_>, case_id: Uuid, task_id: Uuid) -> Result<(), WorkError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let case = self.open_checklist(&mut tx, staff, case_id).await?;
        let task = self.task_for_update(&mut tx, case_id, task_id).await?;
        if !crate::policy::may_do_task(staff.roles, task.role, case.assignee == Some(staff.id)) {
            return Err(WorkError::Forbidden(format!("Only a {} may mark this task done.", task.role)));
        }
        let done = sqlx::query!(
            "update case_task set done_by = $3, done_at = $4 where task_id = $1 and case_id = $2 and done_at is null",
            task_id,
            case_id,
            staff.id,
            now,
        )
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(WorkError::Conflict("That task is unknown or already done.".into()));
        }
        next_deadline(&mut tx, case_id, now).await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseTaskDone)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"task": task_id}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The case whose checklist is to change: seen in full, and not closed (a closed case's
    /// record of what was done stays as it was; reopening it comes first).
    async fn open_checklist(
        &self,
        conn: &mut sqlx::PgConnection,
        staff: Staff<'_>,
        case_id: Uuid,
    ) -> Result<super::record::CaseRecord, WorkError> {
        let case = self.full_access_record(conn, staff, case_id).await?;
        if case.status == CaseState::Closed {
            return Err(WorkError::Conflict("The case is closed: reopen it before changing its checklist.".into()));
        }
        Ok(case)
    }

    /// The task's role and who did it, locked until the transaction ends.
    async fn task_for_update(
        &self,
        conn: &mut sqlx::PgConnection,
        case_id: Uuid,
        task_id: Uuid,
    ) -> Result<TaskFacts, WorkError> {
        let row = sqlx::query!(
            r#"select role as "role: Role", done_by from case_task where task_id = $1 and case_id = $2 for update"#,
            task_id,
            case_id,
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| WorkError::Conflict("That task is unknown or already done.".into()))?;
        Ok(TaskFacts { role: row.role, done_by: row.done_by })
    }

    /// Reopens a task marked done: only by the person who marked it, with a reason (sealed
    /// with the case key in the audit entry); the case's next deadline moves back to it.
    pub async fn undo_task(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        task_id: Uuid,
        reason: &str,
    ) -> Result<(), WorkError> {
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(WorkError::invalid(ErrorCode::InvalidRationale, "Say why the task is not done after all."));
        }
        if reason.chars().count() > 5000 {
            return Err(WorkError::invalid(
                ErrorCode::InvalidRationale,
                "The reason is too long: at most 5000 characters.",
            ));
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let case = self.open_checklist(&mut tx, staff, case_id).await?;
        let task = self.task_for_update(&mut tx, case_id, task_id).await?;
        if task.done_by.is_none() {
            return Err(WorkError::Conflict("That task is not marked done.".into()));
        }
        let holds_case = case.assignee == Some(staff.id);
        if !crate::policy::may_undo_task(staff.roles, task.role, holds_case, staff.id, task.done_by) {
            return Err(WorkError::Forbidden("Only the person who marked this task done may undo it.".into()));
        }
        sqlx::query!("update case_task set done_by = null, done_at = null where task_id = $1", task_id)
            .execute(&mut *tx)
            .await?;
        next_deadline(&mut tx, case_id, now).await?;
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseTaskUndone)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"task": task_id}))
            .rationale(audit::SealedRationale::for_case(&key, reason)?);
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Declares a conflict of interest: the declarer is unassigned and no longer sees the case.
    pub async fn declare_conflict(&self, staff: Staff<'_>, case_id: Uuid) -> Result<(), WorkError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        self.open_case(&mut tx, staff, case_id).await?;
        sqlx::query!(
            "insert into case_conflict (case_id, staff_user_id, declared_at) values ($1, $2, $3) on conflict do nothing",
            case_id,
            staff.id,
            now,
        )
        .execute(&mut *tx)
        .await?;
        let unassigned = sqlx::query!(
            "update cases set assignee = null, version = version + 1, updated_at = $3 where case_id = $1 and assignee = $2",
            case_id,
            staff.id,
            now,
        )
        .execute(&mut *tx)
        .await?;
        if unassigned.rows_affected() == 0 {
            // A reassignment decided meanwhile (to this person, checked before this conflict
            // existed) must find the case changed, not hand it to someone who cannot see it.
            sqlx::query!("update cases set version = version + 1, updated_at = $2 where case_id = $1", case_id, now)
                .execute(&mut *tx)
                .await?;
        }
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::ConflictDeclared)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"unassigned": unassigned.rows_affected() == 1}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// After a task is ticked or reopened: the active case's next deadline is its earliest open
/// task's, and its version moves on.
pub(super) async fn next_deadline(
    conn: &mut sqlx::PgConnection,
    case_id: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<()> {
    sqlx::query!(
        "update cases set next_due_at = (select min(due_at) from case_task where case_id = $1 and done_at is null),
                              version = version + 1, updated_at = $2
             where case_id = $1 and status = $3",
        case_id,
        now,
        CaseState::Active as _,
    )
    .execute(conn)
    .await?;
    Ok(())
}
