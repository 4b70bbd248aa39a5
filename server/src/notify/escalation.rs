//! Escalation: an urgent case that nobody acknowledged within half its acknowledge target
//! reaches every supervisor, exactly once (a unique key per case in the outbox).

use shelter_shared::case::CaseState;
use shelter_shared::referral::ReferralState;
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
        let overdue: Vec<Uuid> = sqlx::query_scalar!(
            "select c.case_id from cases c
             where c.status = $4 and c.acknowledged_at is null
               and c.created_at + (c.acknowledge_due_at - c.created_at) / 2 <= $1
               and exists (select 1 from notice a where a.case_id = c.case_id and a.kind = $2)
               and not exists (select 1 from notice e where e.case_id = c.case_id and e.kind = $3)",
            now,
            NoticeKind::UrgentCaseArrived.as_str(),
            NoticeKind::UrgentCaseUnacknowledged.as_str(),
            CaseState::New as _
        )
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
        let unanswered = sqlx::query!(
            "select r.referral_id, r.case_id from referral r
             where r.status = $2 and r.sent_at <= $1
               and not exists (select 1 from notice n where n.dedupe_key = 'referral-unanswered:' || r.referral_id)",
            now - UNANSWERED_AFTER,
            ReferralState::Sent as _
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut reminded = 0;
        for row in unanswered {
            let (referral_id, case_id) = (row.referral_id, row.case_id);
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

impl Notify {
    /// Tells the assignee (whoever is on call, for a case nobody holds) of each open case
    /// whose next deadline falls within the hour, once per deadline.
    pub async fn remind_due_soon(&self) -> anyhow::Result<usize> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        // Open cases: those with deadlines still running.
        let open = [CaseState::New, CaseState::Acknowledged, CaseState::Active];
        let due = sqlx::query!(
            r#"select c.case_id, c.assignee is not null as "assigned!", c.next_due_at as "next_due_at!" from cases c
             where c.status = any($3) and c.next_due_at > $1 and c.next_due_at <= $2"#,
            now,
            now + DUE_SOON,
            &open as &[CaseState]
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut reminded = 0;
        for row in due {
            let (case_id, assigned, due_at) = (row.case_id, row.assigned, row.next_due_at);
            let audience = if assigned { Audience::Assignee(case_id) } else { Audience::OnCall };
            let notice = NewNotice::new(NoticeKind::SlaDueSoon, audience)
                .about_case(case_id)
                .once(format!("due-soon:{case_id}:{}", due_at.timestamp()));
            if enqueue(&mut tx, notice, now).await?.is_some() {
                reminded += 1;
            }
        }
        tx.commit().await?;
        Ok(reminded)
    }
}

/// How near a deadline is "due soon" (the queue marks the same hour).
const DUE_SOON: chrono::Duration = chrono::Duration::hours(1);

/// A sent referral unanswered this long is the handler's to chase.
const UNANSWERED_AFTER: chrono::Duration = chrono::Duration::hours(48);
