//! Asking: the question, the people, and a notice with a link for each, in one transaction.

use chrono::Duration;
use serde_json::json;
use shelter_shared::alumni::Profile;
use shelter_shared::audit::AuditAction;
use shelter_shared::language::Language;
use shelter_shared::notice::{NewsChannel, parse_address};
use shelter_shared::staff::Role;
use shelter_shared::vouch::{self, AskVouchersRequest, LINK_HOURS, MAX_VOUCHERS, VouchProblem};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Vouching, question_field};
use crate::alumni::MemberKey;
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::triage::{Staff, WorkError};
use crate::notify::preferences::open_address;
use crate::policy::{self, CaseAccess};

/// One person to ask, and how their link reaches them.
struct Voucher {
    member: Option<Uuid>,
    partner: Option<Uuid>,
    channel: &'static str,
    language: Language,
}

fn invalid(problem: VouchProblem) -> WorkError {
    WorkError::Invalid(problem.to_string())
}

/// Parses ids as given, without repeats.
fn ids(given: &[String]) -> Result<Vec<Uuid>, WorkError> {
    let mut ids = Vec::with_capacity(given.len());
    for id in given {
        let id: Uuid = id.trim().parse().map_err(|_| WorkError::Invalid("Choose people from the lists.".into()))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

impl Vouching {
    /// Asks `request.members` and `request.partners` the question; returns the request's id.
    /// Only who sees the case in full, while it is open; never the member the case is about;
    /// only partner accounts that hold no role inside the network; only people this
    /// installation can reach.
    pub async fn ask(&self, staff: Staff<'_>, case_id: Uuid, request: &AskVouchersRequest) -> Result<Uuid, WorkError> {
        let question = vouch::question(&request.question).map_err(invalid)?;
        let (members, partners) = (ids(&request.members)?, ids(&request.partners)?);
        if members.is_empty() && partners.is_empty() || members.len() + partners.len() > MAX_VOUCHERS {
            return Err(invalid(VouchProblem::Vouchers));
        }
        let mut tx = self.cases.db.begin().await?;
        let (case, access) = self.cases.open_case(&mut tx, staff, case_id).await?;
        if access == CaseAccess::None {
            return Err(WorkError::NotFound);
        }
        if !policy::may_ask_vouchers(staff.roles, access, case.status != "closed") {
            return Err(WorkError::Forbidden(
                "Only the case's handler or a supervisor asks vouchers, while the case is open.".into(),
            ));
        }
        let mut vouchers = self.members(&mut tx, case_id, &members).await?;
        vouchers.extend(self.partners(&mut tx, staff.id, &partners).await?);

        let now = self.now();
        let request_id = Uuid::new_v4();
        let key = self.cases.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        sqlx::query(
            "insert into vouch_request (vouch_request_id, case_id, question_sealed, asked_by, asked_at, expires_at)
             values ($1, $2, $3, $4, $5, $6)",
        )
        .bind(request_id)
        .bind(case_id)
        .bind(key.seal(&question_field(request_id), question.as_bytes())?)
        .bind(staff.id)
        .bind(now)
        .bind(now + Duration::hours(LINK_HOURS))
        .execute(&mut *tx)
        .await?;
        let invites: Vec<Uuid> = vouchers.iter().map(|_| Uuid::new_v4()).collect();
        sqlx::query(
            "insert into vouch_invite (invite_id, vouch_request_id, member_id, partner_user_id, channel, language)
             select * from unnest($1::uuid[], array_fill($2::uuid, array[cardinality($1)]), $3::uuid[], $4::uuid[],
                                  $5::text[], $6::text[])",
        )
        .bind(&invites)
        .bind(request_id)
        .bind(vouchers.iter().map(|v| v.member).collect::<Vec<_>>())
        .bind(vouchers.iter().map(|v| v.partner).collect::<Vec<_>>())
        .bind(vouchers.iter().map(|v| v.channel).collect::<Vec<_>>())
        .bind(vouchers.iter().map(|v| v.language.tag()).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
        crate::notify::hooks::vouch_requested(&mut tx, case_id, &invites, now, self.notify.give_up_after).await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::VouchersAsked)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"request": request_id, "members": members.len(), "partners": partners.len()}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(request_id)
    }

    /// The registry members to ask, each with the channel their safe contact allows.
    async fn members(&self, conn: &mut PgConnection, case_id: Uuid, ids: &[Uuid]) -> Result<Vec<Voucher>, WorkError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(Uuid, Vec<u8>, Vec<u8>, bool)> = sqlx::query_as(
            "select m.member_id, m.sealed_key, m.profile_sealed,
                    exists (select 1 from alumni_case_link l where l.case_id = $2 and l.member_id = m.member_id)
             from alumni_member m where m.member_id = any($1)",
        )
        .bind(ids)
        .bind(case_id)
        .fetch_all(&mut *conn)
        .await?;
        if rows.len() != ids.len() {
            return Err(WorkError::Invalid("Choose registry members from the list.".into()));
        }
        rows.into_iter()
            .map(|(id, sealed_key, profile, concerned)| {
                if concerned {
                    return Err(WorkError::Invalid(
                        "The person this case concerns cannot vouch for themselves.".into(),
                    ));
                }
                let key = MemberKey::open(&self.cases.keys, id, &sealed_key)?;
                let profile: Profile = serde_json::from_str(&key.open_text("profile", &profile)?)
                    .map_err(|e| WorkError::Internal(e.into()))?;
                let name = profile.names.first().cloned().unwrap_or_default();
                let channel = self.channel_for(&profile.contact).ok_or_else(|| {
                    WorkError::Invalid(format!(
                        "Shelter cannot reach {name}: their safe contact is not an address this installation sends to."
                    ))
                })?;
                Ok(Voucher {
                    member: Some(id),
                    partner: None,
                    channel,
                    language: Language::first_spoken(&profile.languages),
                })
            })
            .collect()
    }

    /// The channel a member's safe contact can be reached on here: e-mail for an address
    /// when mail runs, else the messenger bridge for a handle when it runs.
    fn channel_for(&self, contact: &str) -> Option<&'static str> {
        let channels = self.notify.external_channels();
        if channels.contains(&"email") && parse_address(NewsChannel::Email, contact).is_ok() {
            return Some("email");
        }
        (channels.contains(&"webhook") && parse_address(NewsChannel::Messenger, contact).is_ok()).then_some("webhook")
    }

    /// The partner accounts to ask: active, confirmed, holding no role inside the network,
    /// not the asker.
    async fn partners(&self, conn: &mut PgConnection, asker: Uuid, ids: &[Uuid]) -> Result<Vec<Voucher>, WorkError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(Uuid, Vec<String>, bool, Option<String>)> = sqlx::query_as(
            "select u.staff_user_id, u.roles, u.status = 'active' and not u.pending_confirmation, p.language
             from staff_user u left join notice_preference p using (staff_user_id)
             where u.staff_user_id = any($1) and u.partner_id is not null",
        )
        .bind(ids)
        .fetch_all(&mut *conn)
        .await?;
        let refused = || WorkError::Invalid("Choose partner contacts from the list.".into());
        if rows.len() != ids.len() {
            return Err(refused());
        }
        let channels = self.notify.external_channels();
        let channel = if channels.contains(&"email") {
            "email"
        } else if channels.contains(&"webhook") {
            "webhook"
        } else {
            return Err(WorkError::Invalid("No e-mail or messenger bridge runs here: nobody can be asked.".into()));
        };
        rows.into_iter()
            .map(|(id, roles, active, language)| {
                let roles: Vec<Role> = roles.iter().filter_map(|r| r.parse().ok()).collect();
                if id == asker || !active || !policy::may_vouch(&roles) {
                    return Err(refused());
                }
                let language = language.and_then(|l| l.parse().ok()).unwrap_or_default();
                Ok(Voucher { member: None, partner: Some(id), channel, language })
            })
            .collect()
    }
}

/// Where a partner account's links go: the notice address it chose, else its sign-in address.
pub(crate) fn partner_address(
    keys: &crate::keys::Keys,
    user: Uuid,
    sealed: Option<&[u8]>,
    email: Option<String>,
) -> Option<String> {
    open_address(keys, user, "address", sealed).or(email)
}

/// A partner contact who may be asked: (account id, "name (organisation)").
pub type PartnerContact = (Uuid, String);

impl Vouching {
    /// The case's reference, for the ask page, if `staff` may ask vouchers for it.
    pub async fn askable(&self, staff: Staff<'_>, case_id: Uuid) -> Result<String, WorkError> {
        let mut conn = self.cases.db.acquire().await?;
        let (case, access) = self.cases.open_case(&mut conn, staff, case_id).await?;
        if access == CaseAccess::None {
            return Err(WorkError::NotFound);
        }
        if !policy::may_ask_vouchers(staff.roles, access, case.status != "closed") {
            return Err(WorkError::Forbidden(
                "Only the case's handler or a supervisor asks vouchers, while the case is open.".into(),
            ));
        }
        Ok(case.reference)
    }

    /// Partner accounts that may be asked: active, confirmed, holding the partner role and no
    /// other, of an active partner organisation.
    pub async fn partner_contacts(&self, conn: &mut PgConnection) -> Result<Vec<PartnerContact>, WorkError> {
        let rows: Vec<(Uuid, String, Vec<String>)> = sqlx::query_as(
            "select u.staff_user_id, u.display_name || ' (' || p.name || ')', u.roles
             from staff_user u join partner p using (partner_id)
             where u.status = 'active' and not u.pending_confirmation and p.active
             order by p.name, u.display_name",
        )
        .fetch_all(conn)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|(_, _, roles)| policy::may_vouch(&roles.iter().filter_map(|r| r.parse().ok()).collect::<Vec<_>>()))
            .map(|(id, label, _)| (id, label))
            .collect())
    }
}
