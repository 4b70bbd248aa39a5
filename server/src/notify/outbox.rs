//! The outbox: a notice and its in-app deliveries, written inside the caller's transaction so
//! that a change that rolls back tells nobody and one that commits is never lost. E-mail and
//! webhook deliveries are added later by the worker ([`super::worker`]), which knows the
//! channels this installation runs.

use chrono::{DateTime, Utc};
use shelter_shared::staff::Role;
use sqlx::PgConnection;
use uuid::Uuid;

use super::content::NoticeKind;
use super::rota;

/// Who a notice is for. Accounts that are disabled, still enrolling or waiting for a
/// supervisor's confirmation never get one.
#[derive(Debug, Clone)]
pub enum Audience {
    /// One account.
    Person(Uuid),
    /// Every account holding `role`, but for `except` and anyone conflicted on `case`.
    Role {
        /// The role.
        role: Role,
        /// Accounts left out (a grant's proposer, the actor).
        except: Vec<Uuid>,
        /// The case whose conflicts apply.
        case: Option<Uuid>,
    },
    /// The case's assignee, then nobody if it has none.
    Assignee(Uuid),
    /// The accounts of a partner organisation.
    Partner(Uuid),
    /// Whoever is on call at the time of the notice; every supervisor when nobody is.
    OnCall,
}

impl Audience {
    /// Every supervisor but those conflicted on `case`.
    pub fn supervisors(case: Option<Uuid>) -> Self {
        Audience::Role { role: Role::Supervisor, except: Vec::new(), case }
    }
}

/// A notice to queue.
#[derive(Debug, Clone)]
pub struct NewNotice {
    /// What happened.
    pub kind: NoticeKind,
    /// The case behind it (for escalation; never rendered).
    pub case_id: Option<Uuid>,
    /// Makes a repeated event queue nothing the second time.
    pub dedupe_key: Option<String>,
    /// Who is told.
    pub audience: Audience,
}

impl NewNotice {
    /// A notice of `kind` for `audience`.
    pub fn new(kind: NoticeKind, audience: Audience) -> Self {
        NewNotice { kind, case_id: None, dedupe_key: None, audience }
    }

    /// About `case_id`.
    pub fn about_case(mut self, case_id: Uuid) -> Self {
        self.case_id = Some(case_id);
        self
    }

    /// Queued once only, whoever tries again with the same key.
    pub fn once(mut self, key: String) -> Self {
        self.dedupe_key = Some(key);
        self
    }
}

/// Queues `notice` in the caller's transaction; returns its id, or `None` when the same
/// event was queued before. Two statements: who, then the notice with its in-app deliveries.
pub async fn enqueue(tx: &mut PgConnection, notice: NewNotice, now: DateTime<Utc>) -> sqlx::Result<Option<Uuid>> {
    let mut recipients = recipients(tx, &notice.audience, now).await?;
    if recipients.is_empty() && matches!(notice.audience, Audience::OnCall) {
        // Nobody on the rota: an urgent case must still reach someone who can act.
        recipients = recipients_of_role(tx, Role::Supervisor, &[], notice.case_id).await?;
    }
    sqlx::query_scalar!(
        "with queued as (
             insert into notice (notice_id, kind, urgency, case_id, dedupe_key, created_at)
             values (gen_random_uuid(), $1, $2, $3, $4, $5) on conflict (dedupe_key) do nothing
             returning notice_id),
         delivered as (
             insert into notice_delivery (delivery_id, notice_id, staff_user_id, channel, status,
                                          next_attempt_at, give_up_at, sent_at, created_at)
             select gen_random_uuid(), q.notice_id, u.staff_user_id, 'in_app', 'sent', $5, $5, $5, $5
             from queued q join staff_user u on u.staff_user_id = any($6)
             where u.status = 'active' and not u.pending_confirmation)
         select notice_id from queued",
        notice.kind.as_str(),
        notice.kind.urgency().as_str(),
        notice.case_id,
        notice.dedupe_key.as_deref(),
        now,
        &recipients
    )
    .fetch_optional(&mut *tx)
    .await
}

async fn recipients(tx: &mut PgConnection, audience: &Audience, now: DateTime<Utc>) -> sqlx::Result<Vec<Uuid>> {
    match audience {
        Audience::Person(id) => Ok(vec![*id]),
        Audience::Role { role, except, case } => recipients_of_role(tx, *role, except, *case).await,
        Audience::Assignee(case_id) => {
            sqlx::query_scalar!(
                r#"select assignee as "assignee!" from cases where case_id = $1 and assignee is not null"#,
                case_id
            )
            .fetch_all(&mut *tx)
            .await
        }
        Audience::Partner(partner_id) => {
            sqlx::query_scalar!(
                "select staff_user_id from staff_user where partner_id = $1 and 'partner' = any(roles)",
                partner_id
            )
            .fetch_all(&mut *tx)
            .await
        }
        Audience::OnCall => rota::on_call_at(tx, now).await,
    }
}

async fn recipients_of_role(
    tx: &mut PgConnection,
    role: Role,
    except: &[Uuid],
    case: Option<Uuid>,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar!(
        "select u.staff_user_id from staff_user u
         where $1 = any(u.roles) and not (u.staff_user_id = any($2))
           and not exists (select 1 from case_conflict x where x.case_id = $3 and x.staff_user_id = u.staff_user_id)",
        role.as_str(),
        except,
        case
    )
    .fetch_all(&mut *tx)
    .await
}
