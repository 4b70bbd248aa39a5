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

    /// Tells the handler of each referral sent 48 hours ago and still unanswered, once.
    pub async fn remind_unanswered_referrals(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let unanswered: Vec<(Uuid, Uuid)> = sqlx::query_as(
            "select r.referral_id, r.case_id from referral r
             where r.status = 'sent' and r.sent_at <= $1
               and not exists (select 1 from notice n where n.dedupe_key = 'referral-unanswered:' || r.referral_id)",
        )
        .bind(now - UNANSWERED_AFTER)
        .fetch_all(&mut *tx)
        .await?;
        let mut reminded = 0;
        for (referral_id, case_id) in unanswered {
            let notice = NewNotice::new(NoticeKind::ReferralUnanswered, Audience::Assignee(case_id))
                .about_case(case_id)
                .once(format!("referral-unanswered:{referral_id}"));
            if enqueue(&mut tx, notice, now).await?.is_some() {
                reminded += 1;
            }
        }
        tx.commit().await?;
        Ok(reminded)
    }
}

/// A sent referral unanswered this long is the handler's to chase.
const UNANSWERED_AFTER: chrono::Duration = chrono::Duration::hours(48);
