//! Escalation: an urgent case that nobody acknowledged within half its acknowledge target
//! reaches every supervisor, exactly once (a unique key per case in the outbox).

use uuid::Uuid;

use super::Notify;
use super::content::NoticeKind;
use super::outbox::{Audience, NewNotice, enqueue};

impl Notify {
    /// Queues the escalation of every urgent case unacknowledged past half its target;
    /// returns how many were escalated now.
    pub async fn escalate(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let overdue: Vec<Uuid> = sqlx::query_scalar(
            "select c.case_id from cases c
             where c.status = 'new' and c.acknowledged_at is null
               and c.created_at + (c.acknowledge_due_at - c.created_at) / 2 <= $1
               and exists (select 1 from notice a where a.case_id = c.case_id and a.kind = $2)
               and not exists (select 1 from notice e where e.case_id = c.case_id and e.kind = $3)",
        )
        .bind(now)
        .bind(NoticeKind::UrgentCaseArrived.as_str())
        .bind(NoticeKind::UrgentCaseUnacknowledged.as_str())
        .fetch_all(&mut *tx)
        .await?;
        let mut escalated = 0;
        for case_id in overdue {
            let notice = NewNotice::new(NoticeKind::UrgentCaseUnacknowledged, Audience::supervisors(Some(case_id)))
                .about_case(case_id)
                .once(format!("escalate:{case_id}"));
            if enqueue(&mut tx, notice, now).await?.is_some() {
                escalated += 1;
            }
        }
        tx.commit().await?;
        Ok(escalated)
    }
}
