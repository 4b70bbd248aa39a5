//! The in-app list of one's notices, and the failed deliveries administrators retry.

use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use shelter_shared::audit::AuditAction;

use super::content::NoticeKind;
use super::{Notify, NotifyError};
use crate::audit::{self, Actor, NewEntry, Subject};

/// A notice in someone's list.
#[derive(Debug, Clone, Serialize)]
pub struct InboxItem {
    /// The kind.
    pub kind: NoticeKind,
    /// What happened, in one generic line.
    pub line: &'static str,
    /// Whether it is urgent.
    pub urgent: bool,
    /// When.
    pub at: DateTime<Utc>,
    /// Whether it was read.
    pub read: bool,
}

/// A delivery the worker gave up on.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FailedDelivery {
    /// The delivery.
    pub delivery_id: Uuid,
    /// The recipient's name.
    pub recipient: String,
    /// `email` or `webhook`.
    pub channel: String,
    /// The notice kind.
    pub kind: String,
    /// Attempts made.
    pub attempts: i32,
    /// The last error (never an address or content).
    pub last_error: Option<String>,
    /// When the notice was queued.
    pub created_at: DateTime<Utc>,
}

struct InboxRow {
    kind: String,
    urgency: String,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
}

impl Notify {
    /// The newest hundred of `user`'s notices.
    pub async fn inbox(&self, user: Uuid) -> Result<Vec<InboxItem>, NotifyError> {
        let rows: Vec<InboxRow> = sqlx::query_as!(
            InboxRow,
            "select n.kind, n.urgency, d.created_at, d.read_at
             from notice_delivery d join notice n using (notice_id)
             where d.staff_user_id = $1 and d.channel = 'in_app'
             order by d.created_at desc limit 100",
            user
        )
        .fetch_all(&self.db)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let kind = NoticeKind::parse(&row.kind)?;
                Some(InboxItem {
                    kind,
                    line: kind.in_app_line(),
                    urgent: row.urgency == "urgent",
                    at: row.created_at,
                    read: row.read_at.is_some(),
                })
            })
            .collect())
    }

    /// Marks all of `user`'s notices read.
    pub async fn mark_read(&self, user: Uuid) -> Result<(), NotifyError> {
        sqlx::query!(
            "update notice_delivery set read_at = $2
             where staff_user_id = $1 and channel = 'in_app' and read_at is null",
            user,
            self.clock.now()
        )
        .execute(&self.db)
        .await?;
        Ok(())
    }

    /// Deliveries given up on, newest first.
    pub async fn failures(&self) -> Result<Vec<FailedDelivery>, NotifyError> {
        // A requester or a voucher is named as such, never by reference or name: the page is
        // for staff who may not know the case.
        Ok(sqlx::query_as!(
            FailedDelivery,
            r#"select d.delivery_id,
                    coalesce(u.display_name,
                             case when d.vouch_invite_id is null then 'a requester (news)' else 'a voucher (link)' end)
                        as "recipient!", d.channel, n.kind,
                    d.attempts, d.last_error, d.created_at
             from notice_delivery d join notice n using (notice_id) left join staff_user u using (staff_user_id)
             where d.status = 'failed' order by d.created_at desc limit 200"#
        )
        .fetch_all(&self.db)
        .await?)
    }

    /// Puts a failed delivery back in the queue, due now, with a fresh give-up time; `by`
    /// (an administrator, checked by the caller) is recorded in the audit trail.
    pub async fn retry(&self, delivery_id: Uuid, by: Uuid) -> Result<(), NotifyError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let retried = sqlx::query!(
            "update notice_delivery set status = 'pending', next_attempt_at = $2,
                                        give_up_at = $2::timestamptz + $3::interval,
                                        leased_until = null
             where delivery_id = $1 and status = 'failed'",
            delivery_id,
            now,
            crate::db::interval(self.give_up_after)?
        )
        .execute(&mut *tx)
        .await?;
        if retried.rows_affected() == 0 {
            return Err(NotifyError::NotFound);
        }
        let entry = NewEntry::new(Actor::Staff(by), AuditAction::NoticeRetried)
            .subject(Subject { kind: "notice_delivery", id: delivery_id.to_string() });
        audit::record(&mut tx, entry, now).await.map_err(|e| NotifyError::Internal(e.into()))?;
        tx.commit().await?;
        Ok(())
    }
}
