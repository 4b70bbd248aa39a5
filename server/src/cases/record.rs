//! A case's plain (unencrypted) facts as stored, and who may see how much of it.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

/// The unencrypted columns of a case: what the queue and the policy need.
#[derive(Debug, Clone, FromRow)]
pub struct CaseRecord {
    /// Id.
    pub case_id: Uuid,
    /// Reference.
    pub reference: String,
    /// State.
    pub status: String,
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

/// The columns of [`CaseRecord`], for queries.
pub const COLUMNS: &str = "case_id, reference, status, kind, severity, severity_hint, country, language, needs, assignee, \
                           playbook_kind, playbook_version, acknowledge_due_at, decide_due_at, next_due_at, outcome, \
                           version, created_at, updated_at, purged_at";

/// The case `id`, if it exists.
pub async fn load(conn: &mut PgConnection, id: Uuid) -> sqlx::Result<Option<CaseRecord>> {
    sqlx::query_as(&format!("select {COLUMNS} from cases where case_id = $1")).bind(id).fetch_optional(conn).await
}

/// Whether `staff` declared a conflict of interest on `case`.
pub async fn conflicted(conn: &mut PgConnection, case: Uuid, staff: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists (select 1 from case_conflict where case_id = $1 and staff_user_id = $2)")
        .bind(case)
        .bind(staff)
        .fetch_one(conn)
        .await
}
