//! The requester's own deletion: they ask in the portal, and after the cooling-off period
//! the case is purged (unless a legal hold keeps it; a paid grant keeps only its
//! accounting record). Until then they may cancel.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::audit::AuditAction;
use uuid::Uuid;

use super::Retention;
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::portal::RequesterSession;

impl Retention {
    /// When the session's case will be purged at the requester's request, if they asked.
    pub async fn deletion_due(&self, case_id: Uuid) -> sqlx::Result<Option<DateTime<Utc>>> {
        let requested = sqlx::query_scalar!(
            "select deletion_requested_at from cases where case_id = $1 and purged_at is null",
            case_id
        )
        .fetch_optional(&self.db)
        .await?
        .flatten();
        Ok(requested.map(|at| at + self.schedule.cooling()))
    }

    /// The requester asks for their request to be deleted; asking again changes nothing.
    /// Returns when the purge will be due.
    pub async fn request_deletion(&self, session: &RequesterSession) -> anyhow::Result<DateTime<Utc>> {
        // A session that may not be the requester's never deletes (see `Cases::calm_deletion`).
        anyhow::ensure!(session.calm.is_none(), "a calm-view session cannot ask for deletion");
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let asked = sqlx::query_scalar!(
            r#"update cases set deletion_requested_at = $2, updated_at = $2
             where case_id = $1 and purged_at is null and deletion_requested_at is null
             returning deletion_requested_at as "deletion_requested_at!""#,
            session.case_id,
            now
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(asked) = asked else {
            drop(tx);
            let due = self.deletion_due(session.case_id).await?;
            return due.ok_or_else(|| anyhow::anyhow!("the case is gone"));
        };
        let due = asked + self.schedule.cooling();
        let entry = NewEntry::new(Actor::Requester(session.reference.clone()), AuditAction::DeletionRequested)
            .subject(Subject { kind: "case", id: session.case_id.to_string() })
            .details(json!({"purge_after": due}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(due)
    }

    /// The requester cancels their deletion request; returns whether there was one.
    pub async fn cancel_deletion(&self, session: &RequesterSession) -> anyhow::Result<bool> {
        anyhow::ensure!(session.calm.is_none(), "a calm-view session cannot cancel a deletion");
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let cancelled = sqlx::query!(
            "update cases set deletion_requested_at = null, updated_at = $2
             where case_id = $1 and purged_at is null and deletion_requested_at is not null",
            session.case_id,
            now
        )
        .execute(&mut *tx)
        .await?
        .rows_affected()
            > 0;
        if cancelled {
            let entry = NewEntry::new(Actor::Requester(session.reference.clone()), AuditAction::DeletionCancelled)
                .subject(Subject { kind: "case", id: session.case_id.to_string() });
            audit::record(&mut tx, entry, now).await?;
        }
        tx.commit().await?;
        Ok(cancelled)
    }
}
