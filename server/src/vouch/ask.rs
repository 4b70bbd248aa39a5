//! Asking: the question, the people, and a notice with a link for each, in one transaction.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use shelter_shared::alumni::{MemberStatus, Profile};
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::language::Language;
use shelter_shared::notice::{NewsChannel, parse_address};
use shelter_shared::staff::Role;
use shelter_shared::vouch::{self, AskVouchersRequest, LINK_HOURS, MAX_VOUCHERS, VouchProblem};
use sqlx::PgConnection;
use uuid::Uuid;

use super::{Vouching, destination_context, question_field};
use crate::alumni::MemberKey;
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::triage::{Staff, WorkError};
use crate::keys;
use crate::notify::preferences::open_address;
use crate::policy::{self, CaseAccess};

/// One person to ask, and where their link goes.
struct Voucher {
    member: Option<Uuid>,
    partner: Option<Uuid>,
    /// Their usual name, for refusals.
    name: String,
    channel: &'static str,
    /// The address or handle, in its normal form.
    destination: String,
    language: Language,
}

/// Invites one person may send in a day: enough for any real week, too few to use
/// vouching as a way to message the registry.
const INVITES_PER_DAY: i64 = 30;

fn invalid(problem: VouchProblem) -> WorkError {
    let code = match problem {
        VouchProblem::Question => ErrorCode::InvalidQuestion,
        VouchProblem::Vouchers => ErrorCode::InvalidVouchers,
        // The voucher's own problems: the answer and its comment.
        VouchProblem::Answer | VouchProblem::Comment => ErrorCode::InvalidAnswer,
    };
    WorkError::invalid(code, problem.to_string())
}

/// Parses ids as given, without repeats.
fn ids(given: &[String]) -> Result<Vec<Uuid>, WorkError> {
    let mut ids = Vec::with_capacity(given.len());
    for id in given {
        let id: Uuid = id
            .trim()
            .parse()
            .map_err(|_| WorkError::invalid(ErrorCode::InvalidVouchers, "Choose people from the lists."))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The normal form of an address or handle, which two spellings of one share.
fn normal(destination: &str) -> String {
    destination.trim().to_lowercase()
}

impl Vouching {
    /// Asks `request.members` and `request.partners` the question; returns the request's id.
    /// Only who sees the case in full, while it is open, with a fresh second factor (the
    /// question leaves the network); never the member the case is about, nor anyone reached
    /// at a staff account's address; only partner accounts that hold no role inside the
    /// network; only people this installation can reach, each address once.
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
        if !policy::may_ask_vouchers(staff.roles, access, case.status != shelter_shared::case::CaseState::Closed) {
            return Err(WorkError::Forbidden(
                "Only the case's handler or a supervisor asks vouchers, while the case is open.".into(),
            ));
        }
        let now = self.now();
        staff.require_step_up(now)?;
        self.within_daily_allowance(&mut tx, staff.id, members.len() + partners.len(), now).await?;
        let mut vouchers = self.members(&mut tx, case_id, &members, now).await?;
        vouchers.extend(self.partners(&mut tx, staff.id, &partners).await?);
        self.outsiders_only(&mut tx, &vouchers).await?;
        let invites: Vec<Uuid> = vouchers.iter().map(|_| Uuid::new_v4()).collect();
        let keys = &self.cases.keys;
        let mut sealed = Vec::with_capacity(vouchers.len());
        let mut hashes = Vec::with_capacity(vouchers.len());
        for (invite, voucher) in invites.iter().zip(&vouchers) {
            sealed.push(keys::seal(&keys.directory, voucher.destination.as_bytes(), &destination_context(*invite))?);
            hashes.push(keys.lookup_hash("vouch-destination", voucher.destination.as_bytes()));
        }
        let mut distinct = hashes.clone();
        distinct.sort();
        distinct.dedup();
        if distinct.len() != hashes.len() {
            return Err(WorkError::invalid(
                ErrorCode::InvalidVouchers,
                "Two of the people chosen are reached at the same address: ask each person once.",
            ));
        }

        let request_id = Uuid::new_v4();
        let key = self.cases.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        sqlx::query!(
            "insert into vouch_request (vouch_request_id, case_id, question_sealed, asked_by, asked_at, expires_at)
             values ($1, $2, $3, $4, $5, $6)",
            request_id,
            case_id,
            key.seal(&question_field(request_id), question.as_bytes())?,
            staff.id,
            now,
            now + Duration::hours(LINK_HOURS)
        )
        .execute(&mut *tx)
        .await?;
        // One row per voucher; a member's partner column is null and the other way round.
        let members: Vec<Option<Uuid>> = vouchers.iter().map(|v| v.member).collect();
        let partners: Vec<Option<Uuid>> = vouchers.iter().map(|v| v.partner).collect();
        let channels: Vec<&str> = vouchers.iter().map(|v| v.channel).collect();
        let languages: Vec<Language> = vouchers.iter().map(|v| v.language).collect();
        sqlx::query!(
            "insert into vouch_invite (invite_id, vouch_request_id, member_id, partner_user_id, destination_sealed,
                                       destination_hash, channel, language)
             select * from unnest($1::uuid[], array_fill($2::uuid, array[cardinality($1)]), $3::uuid[], $4::uuid[],
                                  $5::bytea[], $6::bytea[], $7::text[], $8::text[])",
            &invites,
            request_id,
            &members as _,
            &partners as _,
            &sealed,
            &hashes,
            &channels as _,
            &languages as _
        )
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

    /// Refuses more than [`INVITES_PER_DAY`] invites from one person in a day.
    async fn within_daily_allowance(
        &self,
        conn: &mut PgConnection,
        asker: Uuid,
        more: usize,
        now: DateTime<Utc>,
    ) -> Result<(), WorkError> {
        let sent = sqlx::query_scalar!(
            r#"select count(*) as "count!" from vouch_invite i join vouch_request r using (vouch_request_id)
             where r.asked_by = $1 and r.asked_at > $2::timestamptz - interval '1 day'"#,
            asker,
            now
        )
        .fetch_one(conn)
        .await?;
        if sent + i64::try_from(more).unwrap_or(i64::MAX) > INVITES_PER_DAY {
            return Err(WorkError::Conflict(format!(
                "You asked {sent} people in the last 24 hours; at most {INVITES_PER_DAY} a day. Try again tomorrow."
            )));
        }
        Ok(())
    }

    /// The registry members to ask, each with the channel and address their safe contact
    /// allows. Not the member the case is linked to; not a record created or changed in the
    /// last [`Vouching::fresh_record_wait`]; not a member detained or deceased.
    async fn members(
        &self,
        conn: &mut PgConnection,
        case_id: Uuid,
        ids: &[Uuid],
        now: DateTime<Utc>,
    ) -> Result<Vec<Voucher>, WorkError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query!(
            r#"select m.member_id, m.sealed_key, m.profile_sealed,
                    exists (select 1 from alumni_case_link l where l.case_id = $2 and l.member_id = m.member_id)
                        as "concerned!",
                    m.updated_at > $3 or m.created_at > $3 as "fresh!"
             from alumni_member m where m.member_id = any($1)"#,
            ids,
            case_id,
            now - self.fresh_record_wait
        )
        .fetch_all(&mut *conn)
        .await?;
        if rows.len() != ids.len() {
            return Err(WorkError::invalid(ErrorCode::InvalidVouchers, "Choose registry members from the list."));
        }
        let mut vouchers = Vec::with_capacity(rows.len());
        for row in rows {
            let (id, sealed_key, profile, concerned, fresh) =
                (row.member_id, row.sealed_key, row.profile_sealed, row.concerned, row.fresh);
            let key = MemberKey::open(&self.cases.keys, id, &sealed_key)?;
            let profile: Profile = serde_json::from_str(&key.open_text("profile", &profile)?)
                .map_err(|e| WorkError::Internal(e.into()))?;
            let name = profile.names.first().cloned().unwrap_or_default();
            let refuse = |why: &str| {
                WorkError::invalid(ErrorCode::VoucherNotEligible, format!("{name} cannot be asked: {why}."))
            };
            if concerned {
                return Err(refuse("this case concerns them, and nobody vouches for themselves"));
            }
            if fresh {
                return Err(refuse(
                    "their record was added or changed too recently (a contact changed for the occasion would get the link)",
                ));
            }
            let status = crate::alumni::members::current_status(conn, id).await?;
            if matches!(status, Some(MemberStatus::Detained | MemberStatus::Deceased)) {
                return Err(refuse("their status says they are detained or deceased"));
            }
            let Some((channel, destination)) = self.destination_for(&profile.contact) else {
                return Err(refuse("Shelter cannot send them a link (no usable contact)"));
            };
            vouchers.push(Voucher {
                member: Some(id),
                partner: None,
                name,
                channel,
                destination,
                language: Language::first_spoken(&profile.languages),
            });
        }
        Ok(vouchers)
    }

    /// The channel and address a member's safe contact can be reached at here: e-mail for an
    /// address when mail runs, else the messenger bridge for a handle when it runs.
    fn destination_for(&self, contact: &str) -> Option<(&'static str, String)> {
        let channels = self.notify.external_channels();
        if channels.contains(&"email")
            && let Ok(address) = parse_address(NewsChannel::Email, contact)
        {
            return Some(("email", normal(&address)));
        }
        if channels.contains(&"webhook")
            && let Ok(handle) = parse_address(NewsChannel::Messenger, contact)
        {
            return Some(("webhook", normal(&handle)));
        }
        None
    }

    /// The partner accounts to ask: active, confirmed, of an active organisation, holding no
    /// role inside the network, not the asker; reached at their notice address or sign-in
    /// address (e-mail), else their handle (messenger).
    async fn partners(&self, conn: &mut PgConnection, asker: Uuid, ids: &[Uuid]) -> Result<Vec<Voucher>, WorkError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let rows = sqlx::query_as!(
            PartnerRow,
            r#"select u.staff_user_id, u.display_name, u.roles as "roles: Vec<Role>",
                    u.status = 'active' and not u.pending_confirmation and p.active as "active!", u.email,
                    n.language as "language?: Language", n.address_sealed as "address_sealed?",
                    n.handle_sealed as "handle_sealed?"
             from staff_user u join partner p using (partner_id)
                  left join notice_preference n using (staff_user_id)
             where u.staff_user_id = any($1)"#,
            ids
        )
        .fetch_all(&mut *conn)
        .await?;
        if rows.len() != ids.len() {
            return Err(WorkError::invalid(ErrorCode::InvalidVouchers, "Choose partner contacts from the list."));
        }
        rows.into_iter().map(|row| self.partner(asker, row)).collect()
    }

    fn partner(&self, asker: Uuid, row: PartnerRow) -> Result<Voucher, WorkError> {
        if row.staff_user_id == asker || !row.active || !policy::may_vouch(&row.roles) {
            return Err(WorkError::invalid(ErrorCode::InvalidVouchers, "Choose partner contacts from the list."));
        }
        let (keys, id) = (&self.cases.keys, row.staff_user_id);
        let channels = self.notify.external_channels();
        let (channel, destination) = if channels.contains(&"email") {
            ("email", open_address(keys, id, "address", row.address_sealed.as_deref()).unwrap_or(row.email))
        } else if channels.contains(&"webhook") {
            let handle = open_address(keys, id, "handle", row.handle_sealed.as_deref()).ok_or_else(|| {
                WorkError::invalid(
                    ErrorCode::VoucherNotEligible,
                    format!("{} has no messenger handle for the bridge to reach.", row.display_name),
                )
            })?;
            ("webhook", handle)
        } else {
            return Err(WorkError::invalid(
                ErrorCode::NoChannel,
                "No e-mail or messenger bridge runs here: nobody can be asked.",
            ));
        };
        Ok(Voucher {
            member: None,
            partner: Some(id),
            name: row.display_name,
            channel,
            destination: normal(&destination),
            language: row.language.unwrap_or_default(),
        })
    }

    /// Refuses anyone reached at the address or handle of a staff account (other than the
    /// partner account being asked itself): a voucher is someone outside the staff, and a
    /// member record given a staff member's address would let them vouch for their own case.
    async fn outsiders_only(&self, conn: &mut PgConnection, vouchers: &[Voucher]) -> Result<(), WorkError> {
        let staff = sqlx::query!(
            r#"select u.staff_user_id as "staff_user_id!", u.email as "email!", n.address_sealed as "address_sealed?", n.handle_sealed as "handle_sealed?"
             from staff_user u left join notice_preference n using (staff_user_id)"#
        )
        .fetch_all(conn)
        .await?;
        let keys = &self.cases.keys;
        for row in staff {
            let (id, email, address, handle) = (row.staff_user_id, row.email, row.address_sealed, row.handle_sealed);
            let addresses = [
                Some(email),
                open_address(keys, id, "address", address.as_deref()),
                open_address(keys, id, "handle", handle.as_deref()),
            ];
            for address in addresses.into_iter().flatten().map(|a| normal(&a)) {
                if let Some(v) = vouchers.iter().find(|v| v.destination == address && v.partner != Some(id)) {
                    return Err(WorkError::invalid(
                        ErrorCode::VoucherNotEligible,
                        format!(
                            "{} cannot be asked: their contact is a staff account's address, and a voucher is someone \
                         outside the staff.",
                            v.name
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

struct PartnerRow {
    staff_user_id: Uuid,
    display_name: String,
    roles: Vec<Role>,
    active: bool,
    email: String,
    language: Option<Language>,
    address_sealed: Option<Vec<u8>>,
    handle_sealed: Option<Vec<u8>>,
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
        if !policy::may_ask_vouchers(staff.roles, access, case.status != shelter_shared::case::CaseState::Closed) {
            return Err(WorkError::Forbidden(
                "Only the case's handler or a supervisor asks vouchers, while the case is open.".into(),
            ));
        }
        Ok(case.reference)
    }

    /// Partner accounts that may be asked: active, confirmed, holding the partner role and no
    /// other, of an active partner organisation.
    pub async fn partner_contacts(&self, conn: &mut PgConnection) -> Result<Vec<PartnerContact>, WorkError> {
        let rows = sqlx::query!(
            r#"select u.staff_user_id, u.display_name || ' (' || p.name || ')' as "label!", u.roles as "roles: Vec<Role>"
             from staff_user u join partner p using (partner_id)
             where u.status = 'active' and not u.pending_confirmation and p.active
             order by p.name, u.display_name"#
        )
        .fetch_all(conn)
        .await?;
        Ok(rows.into_iter().filter(|r| policy::may_vouch(&r.roles)).map(|r| (r.staff_user_id, r.label)).collect())
    }
}
