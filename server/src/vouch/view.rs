//! A case's verification as its readers see it: each question, who was asked (by name and
//! cohort or organisation, never their contact), each answer and comment.

use chrono::{DateTime, Utc};
use shelter_shared::alumni::Profile;
use shelter_shared::vouch::{self, Verification, VouchAnswer, VouchRequestView, VoucherView};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{comment_field, question_field, standing};
use crate::alumni::MemberKey;
use crate::cases::crypto::CaseKey;
use crate::keys::Keys;

struct Row {
    vouch_request_id: Uuid,
    question_sealed: Option<Vec<u8>>,
    asked_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    asked_by: String,
    invite_id: Uuid,
    member_id: Option<Uuid>,
    answer: Option<VouchAnswer>,
    answered_at: Option<DateTime<Utc>>,
    comment_sealed: Option<Vec<u8>>,
    member_key: Option<Vec<u8>>,
    member_profile: Option<Vec<u8>>,
    cohort_year: Option<i32>,
    partner_name: Option<String>,
    organisation: Option<String>,
}

/// The verification of `case_id`, in `conn`. With the case's `key` (a reader who sees the
/// case in full) the questions and comments are opened; without it, only who answered what.
pub async fn verification(
    conn: &mut PgConnection,
    keys: &Keys,
    case_id: Uuid,
    key: Option<&CaseKey>,
    now: DateTime<Utc>,
) -> anyhow::Result<Verification> {
    let rows = sqlx::query_as!(
        Row,
        r#"select r.vouch_request_id, r.question_sealed, r.asked_at, r.expires_at, u.display_name as asked_by,
                i.invite_id, i.member_id, i.answer as "answer: VouchAnswer", i.answered_at, i.comment_sealed,
                m.sealed_key as "member_key?", m.profile_sealed as "member_profile?", m.cohort_year as "cohort_year?",
                pu.display_name as "partner_name?", p.name as "organisation?"
         from vouch_request r join staff_user u on u.staff_user_id = r.asked_by
              join vouch_invite i using (vouch_request_id)
              left join alumni_member m on m.member_id = i.member_id
              left join staff_user pu on pu.staff_user_id = i.partner_user_id
              left join partner p on p.partner_id = pu.partner_id
         where r.case_id = $1
         order by r.asked_at desc, r.vouch_request_id, i.invite_id"#,
        case_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let invites = standing::invites(conn, case_id).await?;
    let (confirmations, concerns) = standing::tally(&invites, now);
    let counts = |invite: Uuid| invites.iter().any(|i| i.invite_id == invite && i.counts(now));
    let mut requests: Vec<VouchRequestView> = Vec::new();
    for row in &rows {
        let voucher = voucher(keys, key, row, counts(row.invite_id))?;
        match requests.last_mut() {
            Some(last) if last.id == row.vouch_request_id.to_string() => last.vouchers.push(voucher),
            _ => {
                let question = match (key, &row.question_sealed) {
                    (Some(key), Some(sealed)) => Some(key.open_text(&question_field(row.vouch_request_id), sealed)?),
                    _ => None,
                };
                requests.push(VouchRequestView {
                    id: row.vouch_request_id.to_string(),
                    question,
                    asked_by: row.asked_by.clone(),
                    asked_at: row.asked_at,
                    expires_at: row.expires_at,
                    vouchers: vec![voucher],
                });
            }
        }
    }
    Ok(Verification { confirmations, concerns, standing: vouch::standing(confirmations, concerns), requests })
}

/// One person asked, named as staff know them.
fn voucher(keys: &Keys, key: Option<&CaseKey>, row: &Row, counts: bool) -> anyhow::Result<VoucherView> {
    let (kind, name) = match (row.member_id, &row.member_key, &row.member_profile) {
        (Some(member), Some(sealed_key), Some(profile)) => {
            let member_key = MemberKey::open(keys, member, sealed_key)?;
            let profile: Profile = serde_json::from_str(&member_key.open_text("profile", profile)?)?;
            let name = profile.names.first().cloned().unwrap_or_default();
            ("member", format!("{name} (cohort {})", row.cohort_year.unwrap_or_default()))
        }
        _ => {
            let name = row.partner_name.clone().unwrap_or_default();
            ("partner", format!("{name} ({})", row.organisation.clone().unwrap_or_default()))
        }
    };
    let comment = match (key, &row.comment_sealed) {
        (Some(key), Some(sealed)) => Some(key.open_text(&comment_field(row.invite_id), sealed)?),
        _ => None,
    };
    Ok(VoucherView { kind: kind.to_owned(), name, answer: row.answer, answered_at: row.answered_at, comment, counts })
}

impl super::Vouching {
    /// The verification of a case for `staff`, and whether they may ask more people; `None`
    /// unless they see the case in full.
    pub async fn for_case(
        &self,
        staff: crate::cases::triage::Staff<'_>,
        case_id: Uuid,
    ) -> Result<Option<(Verification, bool)>, crate::cases::triage::WorkError> {
        let mut conn = self.cases.db.acquire().await?;
        let (case, access) = self.cases.open_case_any(&mut conn, staff, case_id).await?;
        if access != crate::policy::CaseAccess::Full || case.purged_at.is_some() {
            return Ok(None);
        }
        let key = self.cases.case_key(&mut conn, case_id).await.map_err(|e| anyhow::anyhow!(e))?;
        let verification = verification(&mut conn, &self.cases.keys, case_id, Some(&key), self.now()).await?;
        let may_ask = crate::policy::may_ask_vouchers(
            staff.roles,
            access,
            case.status != shelter_shared::case::CaseState::Closed,
        );
        Ok(Some((verification, may_ask)))
    }
}
