//! Who is told what: one function per event, called by the domain service inside the
//! transaction that makes the change (so the notice commits or rolls back with it).

use chrono::{DateTime, Utc};
use shelter_shared::intake::Severity;
use shelter_shared::staff::Role;
use sqlx::PgConnection;
use uuid::Uuid;

use super::content::NoticeKind;
use super::outbox::{Audience, NewNotice, enqueue};

type Done = sqlx::Result<()>;

/// A new case: critical or high ones go to whoever is on call, at once.
pub async fn case_filed(tx: &mut PgConnection, case_id: Uuid, severity: Severity, now: DateTime<Utc>) -> Done {
    if matches!(severity, Severity::Critical | Severity::High) {
        let notice = NewNotice::new(NoticeKind::UrgentCaseArrived, Audience::OnCall).about_case(case_id);
        enqueue(tx, notice, now).await?;
    }
    Ok(())
}

/// An SLA deadline passed: the assignee, and the supervisors.
pub async fn sla_breached(tx: &mut PgConnection, case_id: Uuid, clock: &str, now: DateTime<Utc>) -> Done {
    let assignee = NewNotice::new(NoticeKind::SlaBreached, Audience::Assignee(case_id))
        .about_case(case_id)
        .once(format!("breach:{case_id}:{clock}:assignee"));
    enqueue(tx, assignee, now).await?;
    let supervisors = NewNotice::new(NoticeKind::SlaBreached, Audience::supervisors(Some(case_id)))
        .about_case(case_id)
        .once(format!("breach:{case_id}:{clock}:supervisors"));
    enqueue(tx, supervisors, now).await?;
    Ok(())
}

/// A grant waits for approval: supervisors who may approve it (not its proposer, nobody conflicted).
pub async fn grant_proposed(tx: &mut PgConnection, case_id: Uuid, proposer: Uuid, now: DateTime<Utc>) -> Done {
    let audience = Audience::Role { role: Role::Supervisor, except: vec![proposer], case: Some(case_id) };
    enqueue(tx, NewNotice::new(NoticeKind::GrantAwaitsApproval, audience), now).await?;
    Ok(())
}

/// A grant may now be paid: finance, but for anyone who already had a hand on it.
pub async fn grant_payable(tx: &mut PgConnection, case_id: Uuid, hands: Vec<Uuid>, now: DateTime<Utc>) -> Done {
    let audience = Audience::Role { role: Role::Finance, except: hands, case: Some(case_id) };
    enqueue(tx, NewNotice::new(NoticeKind::GrantAwaitsPayment, audience), now).await?;
    Ok(())
}

/// A grant froze because its provisional approval was not ratified: supervisors.
pub async fn grant_frozen(tx: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> Done {
    enqueue(tx, NewNotice::new(NoticeKind::GrantFrozen, Audience::supervisors(Some(case_id))), now).await?;
    Ok(())
}

/// A receipt or report on a grant is overdue: the case's assignee.
pub async fn grant_follow_up_overdue(tx: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> Done {
    enqueue(tx, NewNotice::new(NoticeKind::GrantFollowUpOverdue, Audience::Assignee(case_id)), now).await?;
    Ok(())
}

/// A supervisor reassigned a case: its new holder, and the one it was taken from.
pub async fn case_reassigned(
    tx: &mut PgConnection,
    case_id: Uuid,
    from: Option<Uuid>,
    to: Uuid,
    now: DateTime<Utc>,
) -> Done {
    enqueue(tx, NewNotice::new(NoticeKind::CaseAssignedToYou, Audience::Person(to)).about_case(case_id), now).await?;
    if let Some(from) = from {
        let notice = NewNotice::new(NoticeKind::CaseTakenFromYou, Audience::Person(from)).about_case(case_id);
        enqueue(tx, notice, now).await?;
    }
    Ok(())
}

/// A referral was sent: the partner organisation's accounts.
pub async fn referral_sent(tx: &mut PgConnection, partner_id: Uuid, now: DateTime<Utc>) -> Done {
    enqueue(tx, NewNotice::new(NoticeKind::ReferralReceived, Audience::Partner(partner_id)), now).await?;
    Ok(())
}

/// A partner wrote about a referral: the case's handler, or every supervisor when nobody
/// holds the case (the partner's question must reach someone who can answer).
pub async fn partner_wrote(tx: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> Done {
    let handler = handler_or_supervisors(tx, case_id).await?;
    enqueue(tx, NewNotice::new(NoticeKind::PartnerWrote, handler).about_case(case_id), now).await?;
    Ok(())
}

/// The requester wrote: the case's assignee.
pub async fn requester_message(tx: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> Done {
    enqueue(tx, NewNotice::new(NoticeKind::RequesterMessage, Audience::Assignee(case_id)), now).await?;
    Ok(())
}

/// A privileged account was created or reset: every supervisor but that account.
pub async fn privileged_account_changed(tx: &mut PgConnection, user_id: Uuid, now: DateTime<Utc>) -> Done {
    let audience = Audience::Role { role: Role::Supervisor, except: vec![user_id], case: None };
    enqueue(tx, NewNotice::new(NoticeKind::PrivilegedAccountChanged, audience), now).await?;
    Ok(())
}

/// The network wrote to a requester, or their request moved on: if they asked to be told,
/// they are, at most once an hour (a burst of replies is one piece of news).
pub async fn requester_news(tx: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> Done {
    sqlx::query!(
        "insert into notice (notice_id, kind, urgency, case_id, created_at)
         select gen_random_uuid(), $3, 'normal', $1, $2
         where exists (select 1 from requester_notice_contact where case_id = $1)
           -- custody mode or a standing duress alert: the phone may be in other hands.
           and not exists (select 1 from cases where case_id = $1 and duress_alert_at is not null)
           and not exists (select 1 from case_custody where case_id = $1 and lifted_at is null)
           and not exists (select 1 from notice where case_id = $1 and kind = $3
                             and created_at > $2::timestamptz - interval '1 hour')",
        case_id,
        now,
        NoticeKind::RequesterNews.as_str()
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// People were asked to vouch: one notice, one delivery per invite on the channel chosen
/// for it, due at once. The text is fixed (a question waits; the link); see `content`.
pub async fn vouch_requested(
    tx: &mut PgConnection,
    case_id: Uuid,
    invites: &[Uuid],
    now: DateTime<Utc>,
    give_up_after: chrono::Duration,
) -> Done {
    sqlx::query!(
        "with queued as (
             insert into notice (notice_id, kind, urgency, case_id, fanned_out, created_at)
             values (gen_random_uuid(), $1, $2, $3, true, $4) returning notice_id)
         insert into notice_delivery (delivery_id, notice_id, vouch_invite_id, channel, status, next_attempt_at,
                                      give_up_at, created_at)
         select gen_random_uuid(), q.notice_id, i.invite_id, i.channel, 'pending', $4,
                $4::timestamptz + $6::interval, $4
         from queued q cross join vouch_invite i where i.invite_id = any($5)",
        NoticeKind::VouchRequested.as_str(),
        NoticeKind::VouchRequested.urgency().as_str(),
        case_id,
        now,
        invites,
        crate::db::interval(give_up_after)?
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// A voucher answered: whoever asked.
pub async fn vouch_answered(tx: &mut PgConnection, case_id: Uuid, asker: Uuid, now: DateTime<Utc>) -> Done {
    enqueue(tx, NewNotice::new(NoticeKind::VouchAnswered, Audience::Person(asker)).about_case(case_id), now).await?;
    Ok(())
}

/// The case's assignee, or every supervisor when it has none: an alert about a person in
/// danger must reach someone who can act.
async fn handler_or_supervisors(tx: &mut PgConnection, case_id: Uuid) -> sqlx::Result<Audience> {
    let assigned: bool = sqlx::query_scalar!(
        r#"select exists (select 1 from cases where case_id = $1 and assignee is not null) as "exists!""#,
        case_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(if assigned { Audience::Assignee(case_id) } else { Audience::supervisors(Some(case_id)) })
}

/// A duress signal (a sign-in with the second passphrase, a wrong safe word): the case's
/// handler and whoever is on call, at once.
pub async fn duress_signal(tx: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> Done {
    let assignee: Option<Uuid> = sqlx::query_scalar!("select assignee from cases where case_id = $1", case_id)
        .fetch_optional(&mut *tx)
        .await?
        .flatten();
    if assignee.is_some() {
        enqueue(tx, NewNotice::new(NoticeKind::DuressSignal, Audience::Assignee(case_id)).about_case(case_id), now)
            .await?;
    }
    // The supervisors too (none conflicted on the case): the alert never rests with one person,
    // who could clear it alone, and someone who sees every case can tell which one it is.
    let supervisors =
        Audience::Role { role: Role::Supervisor, except: assignee.into_iter().collect(), case: Some(case_id) };
    enqueue(tx, NewNotice::new(NoticeKind::DuressSignal, supervisors).about_case(case_id), now).await?;
    enqueue(tx, NewNotice::new(NoticeKind::DuressSignal, Audience::OnCall).about_case(case_id), now).await?;
    Ok(())
}

/// Someone signed in, or tried to, to a case in custody mode: its handler.
pub async fn custody_sign_in(tx: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> Done {
    let handler = handler_or_supervisors(tx, case_id).await?;
    enqueue(tx, NewNotice::new(NoticeKind::CustodySignIn, handler).about_case(case_id), now).await?;
    Ok(())
}

/// A check-in slot passed its grace period unanswered: the handler, once per slot.
pub async fn check_in_missed(tx: &mut PgConnection, case_id: Uuid, slot: &str, now: DateTime<Utc>) -> Done {
    let handler = handler_or_supervisors(tx, case_id).await?;
    let notice = NewNotice::new(NoticeKind::CheckInMissed, handler)
        .about_case(case_id)
        .once(format!("check-in:{case_id}:{slot}:handler"));
    enqueue(tx, notice, now).await?;
    Ok(())
}

/// Still no check-in a grace period later: every supervisor, once per slot.
pub async fn check_in_still_missed(tx: &mut PgConnection, case_id: Uuid, slot: &str, now: DateTime<Utc>) -> Done {
    let notice = NewNotice::new(NoticeKind::CheckInMissed, Audience::supervisors(Some(case_id)))
        .about_case(case_id)
        .once(format!("check-in:{case_id}:{slot}:supervisors"));
    enqueue(tx, notice, now).await?;
    Ok(())
}
