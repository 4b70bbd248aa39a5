//! What a person's cases wait on them for, for their home page: overdue checklist tasks
//! and unread requester messages on the cases they hold, and referrals they may approve.
//! Each is asked of the policy that authorises the act (case access, who does a task, the
//! referral machine), never of role names.

use shelter_shared::referral::{ReferralState, ReferralTransition};
use shelter_shared::staff::Role;
use uuid::Uuid;

use super::Cases;
use super::triage::{Staff, WorkError};
use crate::policy::{self, CaseAccess, CaseFacts};

/// One case's part of what waits: what it is and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseWaiting {
    /// The case.
    pub case_id: Uuid,
    /// Its reference.
    pub reference: String,
    /// How many (tasks, messages, referrals).
    pub count: usize,
}

/// What a person's cases wait on them for.
#[derive(Debug, Clone, Default)]
pub struct CasesWaiting {
    /// Cases they hold with checklist tasks past due that they may do.
    pub overdue_tasks: Vec<CaseWaiting>,
    /// Cases they hold whose requester wrote since they last opened them.
    pub unread: Vec<CaseWaiting>,
    /// Cases with referrals waiting for an approval they may give.
    pub referrals_to_approve: Vec<CaseWaiting>,
}

/// At most this many cases per list.
const LIST_AT_MOST: i64 = 50;

impl Cases {
    /// What `staff`'s cases wait on them for.
    pub async fn waiting_on(&self, staff: Staff<'_>) -> Result<CasesWaiting, WorkError> {
        if policy::authorize(staff.roles, policy::Action::WorkCases).is_err() {
            return Ok(CasesWaiting::default());
        }
        let mut conn = self.db.acquire().await?;
        let now = self.clock.now();
        let held = |conflicted: bool| {
            policy::case_access(staff.roles, CaseFacts { is_assignee: true, conflicted }) == CaseAccess::Full
        };
        let tasks = sqlx::query!(
            r#"select c.case_id, c.reference, t.role, count(*) as "count!",
                      exists (select 1 from case_conflict x where x.case_id = c.case_id and x.staff_user_id = $1)
                          as "conflicted!"
               from case_task t join cases c using (case_id)
               where c.assignee = $1 and c.status <> 'closed' and c.purged_at is null
                 and t.done_at is null and t.due_at < $2
               group by c.case_id, c.reference, t.role
               order by min(t.due_at) limit $3"#,
            staff.id,
            now,
            LIST_AT_MOST,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut overdue_tasks: Vec<CaseWaiting> = vec![];
        for row in tasks {
            let Ok(role) = row.role.parse::<Role>() else { continue };
            if !held(row.conflicted) || !policy::may_do_task(staff.roles, role, true) {
                continue;
            }
            let count = usize::try_from(row.count).unwrap_or(0);
            match overdue_tasks.iter_mut().find(|w| w.case_id == row.case_id) {
                Some(waiting) => waiting.count += count,
                None => overdue_tasks.push(CaseWaiting { case_id: row.case_id, reference: row.reference, count }),
            }
        }
        let unread = sqlx::query!(
            r#"select c.case_id, c.reference, count(*) as "count!",
                      exists (select 1 from case_conflict x where x.case_id = c.case_id and x.staff_user_id = $1)
                          as "conflicted!"
               from cases c join case_message m on m.case_id = c.case_id and m.author_kind = 'requester'
                    left join case_view v on v.case_id = c.case_id and v.staff_user_id = $1
               where c.assignee = $1 and c.purged_at is null and m.created_at > coalesce(v.seen_at, '-infinity')
               group by c.case_id, c.reference
               order by min(m.created_at) limit $2"#,
            staff.id,
            LIST_AT_MOST,
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter(|row| held(row.conflicted))
        .map(|row| CaseWaiting {
            case_id: row.case_id,
            reference: row.reference,
            count: usize::try_from(row.count).unwrap_or(0),
        })
        .collect();
        let may_approve =
            policy::referral_moves(staff.roles, ReferralState::AwaitingApproval).contains(&ReferralTransition::Approve);
        if !may_approve {
            return Ok(CasesWaiting { overdue_tasks, unread, referrals_to_approve: vec![] });
        }
        let referrals = sqlx::query!(
            r#"select c.case_id, c.reference, c.assignee, count(*) as "count!",
                      exists (select 1 from case_conflict x where x.case_id = c.case_id and x.staff_user_id = $1)
                          as "conflicted!"
               from referral r join cases c using (case_id)
               where r.status = $2 and c.purged_at is null
               group by c.case_id, c.reference, c.assignee
               order by min(r.created_at) limit $3"#,
            staff.id,
            ReferralState::AwaitingApproval as _,
            LIST_AT_MOST,
        )
        .fetch_all(&mut *conn)
        .await?;
        let referrals_to_approve = referrals
            .into_iter()
            .filter(|row| {
                let facts = CaseFacts { is_assignee: row.assignee == Some(staff.id), conflicted: row.conflicted };
                policy::case_access(staff.roles, facts) == CaseAccess::Full
            })
            .map(|row| CaseWaiting {
                case_id: row.case_id,
                reference: row.reference,
                count: usize::try_from(row.count).unwrap_or(0),
            })
            .collect();
        Ok(CasesWaiting { overdue_tasks, unread, referrals_to_approve })
    }
}
