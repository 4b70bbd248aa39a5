//! Which answers count, in one place: grant approval and every page that shows attestations
//! ask this. People are told apart by the address their link went to, so two registry
//! records (or a record and a partner account) sharing one address are one person.

use chrono::{DateTime, Duration, Utc};
use shelter_shared::staff::Role;
use shelter_shared::vouch::{self, ANSWER_STANDS_DAYS, VouchAnswer};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::policy;

/// The facts about one invite that decide whether its answer counts.
#[derive(Debug, Clone)]
pub struct Counted {
    /// The invite.
    pub invite_id: Uuid,
    /// Who it reached (keyed hash of the address).
    pub destination_hash: Vec<u8>,
    /// The answer, once given.
    pub answer: Option<String>,
    /// The member asked is the one the case is linked to.
    pub subject: bool,
    /// The partner account's roles, if a partner account was asked.
    pub partner_roles: Option<Vec<String>>,
    /// The partner account is active and confirmed, and its organisation active (`None` for a
    /// member).
    pub partner_active: Option<bool>,
    /// When the question was asked.
    pub asked_at: DateTime<Utc>,
}

impl Counted {
    /// Whether this invite's answer counts at `now`.
    pub fn counts(&self, now: DateTime<Utc>) -> bool {
        let partner_ok = match (&self.partner_roles, self.partner_active) {
            (Some(roles), Some(active)) => {
                active && policy::may_vouch(&roles.iter().filter_map(|r| r.parse::<Role>().ok()).collect::<Vec<_>>())
            }
            // A member, not a partner account.
            (None, None) => true,
            // A partner account whose facts could not be read counts for nothing.
            _ => false,
        };
        !self.subject && partner_ok && now - self.asked_at <= Duration::days(ANSWER_STANDS_DAYS)
    }

    fn answer(&self) -> Option<VouchAnswer> {
        self.answer.as_deref()?.parse().ok()
    }
}

/// Every invite of `case_id` with what decides whether it counts.
pub async fn invites(conn: &mut PgConnection, case_id: Uuid) -> sqlx::Result<Vec<Counted>> {
    // Roles and answers stay text here: a value this build cannot read makes the one
    // voucher count for nothing (the counting rule), not the whole case unreadable.
    sqlx::query_as!(
        Counted,
        r#"select i.invite_id, i.destination_hash, i.answer,
                exists (select 1 from alumni_case_link l where l.case_id = r.case_id and l.member_id = i.member_id)
                    as "subject!",
                pu.roles as "partner_roles?",
                case when i.partner_user_id is null then null
                     else coalesce(pu.status = 'active' and not pu.pending_confirmation and p.active, false) end
                    as "partner_active?",
                r.asked_at
         from vouch_invite i join vouch_request r using (vouch_request_id)
              left join staff_user pu on pu.staff_user_id = i.partner_user_id
              left join partner p on p.partner_id = pu.partner_id
         where r.case_id = $1"#,
        case_id
    )
    .fetch_all(conn)
    .await
}

/// Distinct people whose confirmation counts, and whose concern counts.
pub fn tally(invites: &[Counted], now: DateTime<Utc>) -> (usize, usize) {
    vouch::tally(
        invites.iter().filter(|i| i.counts(now)).filter_map(|i| Some((i.destination_hash.as_slice(), i.answer()?))),
    )
}

/// The confirmations of `case_id` that stand for approval at `now` (each concern cancels one).
pub async fn standing(conn: &mut PgConnection, case_id: Uuid, now: DateTime<Utc>) -> sqlx::Result<usize> {
    let (confirmations, concerns) = tally(&invites(conn, case_id).await?, now);
    Ok(vouch::standing(confirmations, concerns))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invite(subject: bool, roles: Option<&[&str]>, active: Option<bool>, days_ago: i64) -> Counted {
        let now = Utc::now();
        Counted {
            invite_id: Uuid::new_v4(),
            destination_hash: vec![1],
            answer: Some("confirm".into()),
            subject,
            partner_roles: roles.map(|r| r.iter().map(|s| (*s).to_owned()).collect()),
            partner_active: active,
            asked_at: now - Duration::days(days_ago),
        }
    }

    #[test]
    fn only_an_outsider_s_recent_answer_counts() {
        let now = Utc::now();
        assert!(invite(false, None, None, 1).counts(now), "a member");
        assert!(!invite(true, None, None, 1).counts(now), "the member the case concerns");
        assert!(invite(false, Some(&["partner"]), Some(true), 1).counts(now), "a partner account");
        assert!(!invite(false, Some(&["partner", "handler"]), Some(true), 1).counts(now), "now inside the network");
        assert!(!invite(false, Some(&["partner"]), Some(false), 1).counts(now), "disabled");
        assert!(!invite(false, None, Some(true), 1).counts(now), "a partner account that could not be read");
        assert!(!invite(false, None, None, ANSWER_STANDS_DAYS + 1).counts(now), "too old");
    }

    #[test]
    fn one_address_is_one_person_and_a_concern_weighs_as_much_as_a_confirmation() {
        let now = Utc::now();
        let mut same = invite(false, None, None, 1);
        let twice = same.clone();
        same.invite_id = Uuid::new_v4();
        let mut other = invite(false, None, None, 1);
        other.destination_hash = vec![2];
        other.answer = Some("concerned".into());
        assert_eq!(tally(&[same, twice, other], now), (1, 1));
    }
}
