//! What the home pages show beyond the queue: the reviews waiting on a supervisor (decisions
//! to review, accounts to confirm) here, and the administrator's view of the installation
//! ([`admin`]). What waits on cases and grants is asked of their services
//! (`Cases::waiting_on`, `Grants::waiting_on`).

pub mod admin;

use chrono::{DateTime, Duration, Utc};
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

use crate::policy::{self, Action};
use shelter_shared::staff::Role;

/// Decisions are counted as waiting for review for this long after they were made.
pub const REVIEW_WINDOW_DAYS: i64 = 30;

/// An account that waits for a second person's confirmation.
#[derive(Debug, Clone)]
pub struct PendingAccount {
    /// The account.
    pub staff_user_id: Uuid,
    /// Its holder's name.
    pub display_name: String,
    /// Its roles.
    pub roles: Vec<String>,
    /// Created, or its second factor reset.
    pub reset: bool,
    /// Its holder enrolled (the account can be confirmed now).
    pub enrolled: bool,
}

/// How many decisions by others, of the last [`REVIEW_WINDOW_DAYS`], nobody has reviewed
/// yet; `None` for someone who may not review. Cases the reader is conflicted on are left
/// out, as the audit page leaves them out of the review.
pub async fn decisions_to_review(
    conn: &mut PgConnection,
    me: Uuid,
    roles: &[Role],
    now: DateTime<Utc>,
) -> sqlx::Result<Option<i64>> {
    if policy::authorize(roles, Action::ReviewDecision).is_err() {
        return Ok(None);
    }
    let decisions: Vec<String> =
        AuditAction::ALL.iter().filter(|a| a.is_decision()).map(|a| a.as_str().to_owned()).collect();
    let count = sqlx::query_scalar!(
        r#"select count(*) as "count!" from audit_log a
           where a.occurred_at >= $1
             and (a.action = any($2) or a.rationale is not null or a.rationale_sealed is not null)
             and a.actor_id is distinct from $3
             and not (a.subject_kind = 'case'
                      and a.subject_id in (select case_id::text from case_conflict where staff_user_id = $4))
             and not exists (select 1 from audit_log r where r.subject_kind = 'audit_entry'
                             and r.subject_id = a.seq::text and r.action = $5)"#,
        now - Duration::days(REVIEW_WINDOW_DAYS),
        &decisions,
        me.to_string(),
        me,
        AuditAction::AuditReviewed.as_str(),
    )
    .fetch_one(conn)
    .await?;
    Ok(Some(count))
}

/// Every account waiting for a confirmation (for administrators, who see them all).
pub async fn pending_accounts(conn: &mut PgConnection) -> sqlx::Result<Vec<(PendingAccount, Option<Uuid>)>> {
    let rows = sqlx::query!(
        r#"select staff_user_id, display_name, roles, pending_reason, pending_requested_by, status
           from staff_user where pending_confirmation and status <> 'disabled'
           order by credentials_since"#
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let account = PendingAccount {
                staff_user_id: r.staff_user_id,
                display_name: r.display_name,
                roles: r.roles,
                reset: r.pending_reason.as_deref() == Some("two_factor_reset"),
                enrolled: r.status == "active",
            };
            (account, r.pending_requested_by)
        })
        .collect())
}

/// The accounts `me` may confirm now, as the identity service decides
/// ([`policy::may_confirm_account`]): enrolled, and set up by someone else.
pub async fn accounts_to_confirm(
    conn: &mut PgConnection,
    me: Uuid,
    roles: &[Role],
) -> sqlx::Result<Vec<PendingAccount>> {
    if policy::authorize(roles, Action::ConfirmStaff).is_err() {
        return Ok(vec![]);
    }
    Ok(pending_accounts(conn)
        .await?
        .into_iter()
        .filter(|(account, requested_by)| {
            account.enrolled && policy::may_confirm_account(roles, me, account.staff_user_id, *requested_by)
        })
        .map(|(account, _)| account)
        .collect())
}
