//! The checklist remembers for the handler: a task the playbook ties to a real action (a
//! referral approved, a grant decided or paid) ticks itself when that action happens, in
//! the action's own transaction, done by the action's actor and audited as theirs. A task
//! whose role rule (`policy::may_do_task`) the actor fails stays open for a person.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::case::CaseState;
use shelter_shared::staff::Role;
use sqlx::PgConnection;
use uuid::Uuid;

use super::triage::{Staff, WorkError};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::playbooks::TaskAction;

/// Ticks the open tasks of `case_id` tied to `action` that `staff` may do; returns their ids.
/// Call it inside the transaction that made the action and wrote its audit entry.
pub async fn tick(
    conn: &mut PgConnection,
    case_id: Uuid,
    action: TaskAction,
    staff: Staff<'_>,
    now: DateTime<Utc>,
) -> Result<Vec<Uuid>, WorkError> {
    let case = sqlx::query!(r#"select assignee, status as "status: CaseState" from cases where case_id = $1"#, case_id)
        .fetch_optional(&mut *conn)
        .await?;
    // A closed case's record of what was done stays as it was.
    let Some(case) = case.filter(|c| c.status != CaseState::Closed) else { return Ok(vec![]) };
    let holds_case = case.assignee == Some(staff.id);
    let open = sqlx::query!(
        r#"select task_id, role as "role: Role" from case_task
           where case_id = $1 and ticked_by = $2 and done_at is null order by position for update"#,
        case_id,
        action.as_str(),
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut ticked = vec![];
    for task in open.into_iter().filter(|t| crate::policy::may_do_task(staff.roles, t.role, holds_case)) {
        sqlx::query!(
            "update case_task set done_by = $2, done_at = $3 where task_id = $1 and done_at is null",
            task.task_id,
            staff.id,
            now,
        )
        .execute(&mut *conn)
        .await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::CaseTaskDone)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"task": task.task_id, "ticked_by": action.as_str()}));
        audit::record(&mut *conn, entry, now).await?;
        ticked.push(task.task_id);
    }
    if !ticked.is_empty() {
        super::work::next_deadline(conn, case_id, now).await?;
    }
    Ok(ticked)
}
