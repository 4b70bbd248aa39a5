//! A case's plain (unencrypted) facts as stored, and who may see how much of it.

use chrono::{DateTime, Utc};
use shelter_shared::case::CaseState;
use sqlx::PgConnection;
use uuid::Uuid;

/// The unencrypted columns of a case: what the queue and the policy need.
#[derive(Debug, Clone)]
pub struct CaseRecord {
    /// Id.
    pub case_id: Uuid,
    /// Reference.
    pub reference: String,
    /// State.
    pub status: CaseState,
    /// Incident kind.
    pub kind: String,
    /// Severity set at triage.
    pub severity: Option<String>,
    /// Severity suggested by the requester's urgency.
    pub severity_hint: Option<String>,
    /// Country.
    pub country: String,
    /// Language.
    pub language: String,
    /// Needs.
    pub needs: Vec<String>,
    /// Assigned handler.
    pub assignee: Option<Uuid>,
    /// Playbook kind it was triaged under.
    pub playbook_kind: Option<String>,
    /// Playbook version it was triaged under.
    pub playbook_version: Option<i32>,
    /// Acknowledge by.
    pub acknowledge_due_at: Option<DateTime<Utc>>,
    /// Decide by.
    pub decide_due_at: Option<DateTime<Utc>>,
    /// The nearest open deadline.
    pub next_due_at: Option<DateTime<Utc>>,
    /// Outcome, when closed.
    pub outcome: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// Filed.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
    /// When its personal data was purged (see `crate::retention`).
    pub purged_at: Option<DateTime<Utc>>,
}

/// The case `id`, if it exists.
pub async fn load(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<CaseRecord>> {
    sqlx::query_as!(
        CaseRecord,
        r#"select case_id, reference, status as "status: CaseState", kind, severity, severity_hint, country, language,
                  needs, assignee, playbook_kind, playbook_version, acknowledge_due_at, decide_due_at, next_due_at,
                  outcome, version, created_at, updated_at, purged_at
           from cases where case_id = $1"#,
        id,
    )
    .fetch_optional(conn)
    .await
}

/// Whether `staff` declared a conflict of interest on `case`.
pub async fn conflicted(conn: &mut PgConnection, case: Uuid, staff: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from case_conflict where case_id = $1 and staff_user_id = $2) as "conflicted!""#,
        case,
        staff,
    )
    .fetch_one(conn)
    .await
}

/// How much of each of `cases` the staff member `staff` holding `roles` may see, decided as
/// the case page decides it ([`crate::policy::case_access`] on the assignee and conflicts);
/// cases that do not exist are left out.
pub async fn access_to(
    conn: &mut PgConnection,
    staff: Uuid,
    roles: &[shelter_shared::staff::Role],
    cases: &[Uuid],
) -> sqlx::Result<std::collections::HashMap<Uuid, crate::policy::CaseAccess>> {
    let rows = sqlx::query!(
        r#"select c.case_id, c.assignee,
                exists (select 1 from case_conflict x where x.case_id = c.case_id and x.staff_user_id = $2) as "conflicted!"
         from cases c where c.case_id = any($1)"#,
        cases,
        staff,
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let facts =
                crate::policy::CaseFacts { is_assignee: row.assignee == Some(staff), conflicted: row.conflicted };
            (row.case_id, crate::policy::case_access(roles, facts))
        })
        .collect())
}
