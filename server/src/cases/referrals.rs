//! Legal referrals: a minimal packet for one partner, sent only once the requester (or a
//! handler who asked them another way) consents; the partner sees the packet and nothing
//! else, and loses it when they decline, a set time after they conclude, or the moment the
//! referral is withdrawn. The purpose, like the packet, is sealed with the case key.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value, json};
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use shelter_shared::referral::{self as machine, PacketField, ReferralActor, ReferralState, ReferralTransition};
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use super::Cases;
use super::portal::RequesterSession;
use super::triage::{Staff, WorkError};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::policy::CaseAccess;

/// A referral as its handler, the requester or the partner sees it (each gets only what
/// they may: see the functions that build it).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralView {
    /// Id.
    pub id: Uuid,
    /// Partner's display name.
    pub partner_name: String,
    /// `lawyer` or `organisation`.
    pub partner_kind: String,
    /// State.
    pub status: String,
    /// Why the case is referred.
    pub purpose: String,
    /// The parts of the case in the packet.
    pub fields: Vec<String>,
    /// The packet itself: field → text.
    pub packet: Value,
    /// The partner's reason for declining, or their outcome.
    pub answer: Option<String>,
    /// Proposed.
    pub created_at: DateTime<Utc>,
    /// Sent to the partner (after consent).
    pub sent_at: Option<DateTime<Utc>>,
    /// Sent over 48 hours ago and still not accepted: time to refer elsewhere.
    pub unanswered: bool,
    /// Messages between the partner and the network, oldest first.
    pub messages: Vec<ReferralMessage>,
}

/// A message about a referral.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ReferralMessage {
    /// Written by the partner (else by the network).
    pub from_partner: bool,
    /// The text.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// How long a partner has to accept before the referral is flagged.
pub const ACCEPT_WITHIN: chrono::Duration = chrono::Duration::hours(48);

#[derive(FromRow)]
struct Row {
    referral_id: Uuid,
    case_id: Uuid,
    partner_id: Uuid,
    partner_name: String,
    partner_kind: String,
    status: String,
    /// Only in rows written before purposes were sealed (sealed at the next start).
    purpose: Option<String>,
    purpose_sealed: Option<Vec<u8>>,
    fields: Vec<String>,
    packet_sealed: Vec<u8>,
    answer_sealed: Option<Vec<u8>>,
    version: i32,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
    answered_at: Option<DateTime<Utc>>,
}

const SELECT: &str =
    "select r.referral_id, r.case_id, r.partner_id, p.name as partner_name, p.kind as partner_kind, r.status,
                             r.purpose, r.purpose_sealed, r.fields, r.packet_sealed, r.answer_sealed, r.version,
                             r.created_at, r.sent_at, r.answered_at
                      from referral r join partner p using (partner_id)";

/// The sealed purpose's field name (bound to the referral, so it cannot be moved).
pub(crate) fn purpose_field(referral_id: Uuid) -> String {
    format!("referral-purpose:{referral_id}")
}

fn state(row: &Row) -> Result<ReferralState, WorkError> {
    row.status.parse().map_err(|e: String| WorkError::Internal(anyhow::anyhow!(e)))
}

fn refused(error: machine::ReferralError) -> WorkError {
    match error {
        machine::ReferralError::WrongState(..) => WorkError::Conflict(format!("{error}.")),
        machine::ReferralError::WrongActor(..) => WorkError::Forbidden("You may not do this to a referral.".into()),
    }
}

impl Cases {
    async fn load_referral(&self, conn: &mut PgConnection, id: Uuid) -> Result<Row, WorkError> {
        sqlx::query_as(&format!("{SELECT} where r.referral_id = $1"))
            .bind(id)
            .fetch_optional(conn)
            .await?
            .ok_or(WorkError::NotFound)
    }

    /// Whether the partner may still see this referral's packet.
    fn partner_sees(&self, row: &Row) -> Result<bool, WorkError> {
        Ok(machine::partner_may_see(state(row)?, row.answered_at, self.clock.now(), self.referral_access))
    }

    async fn view_of(&self, conn: &mut PgConnection, row: Row) -> Result<ReferralView, WorkError> {
        let key = self.case_key(conn, row.case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let purpose = match (&row.purpose_sealed, &row.purpose) {
            (Some(sealed), _) => key.open_text(&purpose_field(row.referral_id), sealed)?,
            (None, legacy) => legacy.clone().unwrap_or_default(),
        };
        let packet: Value =
            serde_json::from_str(&key.open_text(&format!("referral-packet:{}", row.referral_id), &row.packet_sealed)?)
                .map_err(|e| WorkError::Internal(e.into()))?;
        let answer = row
            .answer_sealed
            .as_deref()
            .map(|sealed| key.open_text(&format!("referral-answer:{}", row.referral_id), sealed))
            .transpose()?;
        let sealed: Vec<(Uuid, bool, Vec<u8>, DateTime<Utc>)> = sqlx::query_as(
            "select message_id, from_partner, ciphertext, created_at from referral_message where referral_id = $1 order by created_at",
        )
        .bind(row.referral_id)
        .fetch_all(&mut *conn)
        .await?;
        let messages = sealed
            .into_iter()
            .map(|(id, from_partner, c, at)| {
                Ok(ReferralMessage { from_partner, body: key.open_text(&format!("referral-message:{id}"), &c)?, at })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let unanswered = row.status == ReferralState::Sent.as_str()
            && row.sent_at.is_some_and(|sent| self.clock.now() - sent > ACCEPT_WITHIN);
        Ok(ReferralView {
            messages,
            unanswered,
            sent_at: row.sent_at,
            id: row.referral_id,
            partner_name: row.partner_name,
            partner_kind: row.partner_kind,
            status: row.status,
            purpose,
            fields: row.fields,
            packet,
            answer,
            created_at: row.created_at,
        })
    }

    /// Moves a referral from the state it was read in; a concurrent change is refused.
    async fn move_referral(
        &self,
        tx: &mut PgConnection,
        row: &Row,
        to: ReferralState,
        extra: &str,
    ) -> Result<(), WorkError> {
        let updated = sqlx::query(&format!(
            "update referral set status = $3, version = version + 1, updated_at = $4 {extra}
             where referral_id = $1 and version = $2"
        ))
        .bind(row.referral_id)
        .bind(row.version)
        .bind(to.as_str())
        .bind(self.clock.now())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(WorkError::Conflict("This referral was changed meanwhile. Reload it.".into()));
        }
        Ok(())
    }

    async fn audit_referral(
        &self,
        tx: &mut PgConnection,
        actor: Actor,
        action: AuditAction,
        row: &Row,
        rationale: Option<String>,
        details: Value,
    ) -> Result<(), WorkError> {
        let mut entry = NewEntry::new(actor, action)
            .subject(Subject { kind: "case", id: row.case_id.to_string() })
            .details(details);
        if let Some(rationale) = rationale {
            let key = self.case_key(tx, row.case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
            entry = entry.rationale(audit::SealedRationale::for_case(&key, &rationale)?);
        }
        audit::record(tx, entry, self.clock.now()).await?;
        Ok(())
    }

    /// A handler proposes referring a case: the packet holds the minimal fields plus those
    /// chosen explicitly, and goes to a supervisor first if the playbook says so.
    pub async fn propose_referral(
        &self,
        staff: Staff<'_>,
        case_id: Uuid,
        partner_id: Uuid,
        purpose: &str,
        summary: &str,
        extra_fields: &[PacketField],
    ) -> Result<Uuid, WorkError> {
        let (purpose, summary) = (purpose.trim(), summary.trim());
        if purpose.is_empty() || summary.is_empty() || purpose.chars().count() > 1000 || summary.chars().count() > 5000
        {
            return Err(WorkError::invalid(
                ErrorCode::InvalidReferral,
                "Give a purpose (up to 1000 characters) and a summary (up to 5000).",
            ));
        }
        let mut tx = self.db.begin().await?;
        let (case, access) = self.open_case(&mut tx, staff, case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::Forbidden("Only the assigned handler or a supervisor refers a case.".into()));
        }
        if case.status == "closed" {
            return Err(WorkError::Conflict("A closed case is not referred.".into()));
        }
        let partner_ok: bool =
            sqlx::query_scalar("select exists (select 1 from partner where partner_id = $1 and active)")
                .bind(partner_id)
                .fetch_one(&mut *tx)
                .await?;
        if !partner_ok {
            return Err(WorkError::invalid(ErrorCode::InvalidPartner, "Choose a partner from the directory."));
        }
        let mut fields: Vec<PacketField> = PacketField::MINIMAL.to_vec();
        fields.extend(extra_fields.iter().copied().filter(|f| !PacketField::MINIMAL.contains(f)));
        fields.dedup();
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let sealed_fields: Vec<(String, Vec<u8>)> =
            sqlx::query_as("select field, ciphertext from case_field where case_id = $1")
                .bind(case_id)
                .fetch_all(&mut *tx)
                .await?;
        let field_text = |name: &str| -> Result<Option<String>, WorkError> {
            sealed_fields
                .iter()
                .find(|(n, _)| n == name)
                .map(|(n, c)| key.open_text(n, c).map_err(WorkError::from))
                .transpose()
        };
        let mut packet = Map::new();
        for field in &fields {
            let value = match field {
                PacketField::Kind => Some(case.kind.clone()),
                PacketField::Country => Some(case.country.clone()),
                PacketField::LegalHelp => Some(purpose.to_owned()),
                PacketField::Summary => Some(summary.to_owned()),
                PacketField::Names => field_text("at_risk")?,
                PacketField::Contact => field_text("contact")?,
                PacketField::Narrative => field_text("narrative")?,
            };
            if let Some(value) = value {
                packet.insert(field.as_str().to_owned(), Value::String(value));
            }
        }
        let referral_id = Uuid::new_v4();
        let packet_sealed =
            key.seal(&format!("referral-packet:{referral_id}"), Value::Object(packet).to_string().as_bytes())?;
        let purpose_sealed = key.seal(&purpose_field(referral_id), purpose.as_bytes())?;
        let needs_approval = self
            .playbooks
            .get(case.kind.parse().unwrap_or(shelter_shared::intake::IncidentKind::NotSure))
            .is_none_or(|p| p.referral_requires_approval);
        let actor = crate::policy::referral_actor(staff.roles);
        let status =
            machine::next(ReferralState::Draft, ReferralTransition::Submit, actor, needs_approval).map_err(refused)?;
        let now = self.clock.now();
        let field_names: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
        sqlx::query(
            "insert into referral (referral_id, case_id, partner_id, status, purpose_sealed, fields, packet_sealed, proposed_by,
                                   created_at, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(referral_id)
        .bind(case_id)
        .bind(partner_id)
        .bind(status.as_str())
        .bind(purpose_sealed)
        .bind(&field_names)
        .bind(packet_sealed)
        .bind(staff.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::ReferralProposed)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"referral": referral_id, "partner": partner_id, "fields": field_names, "status": status}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(referral_id)
    }

    /// The referrals of a case, for its handler or a supervisor.
    pub async fn case_referrals(&self, staff: Staff<'_>, case_id: Uuid) -> Result<Vec<ReferralView>, WorkError> {
        let mut conn = self.db.acquire().await?;
        let (_, access) = self.open_case(&mut conn, staff, case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::Forbidden("Only the assigned handler or a supervisor sees referrals.".into()));
        }
        let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} where r.case_id = $1 order by r.created_at"))
            .bind(case_id)
            .fetch_all(&mut *conn)
            .await?;
        let mut views = vec![];
        for row in rows {
            views.push(self.view_of(&mut conn, row).await?);
        }
        Ok(views)
    }

    /// A staff decision on a referral: a supervisor's approval, consent recorded by a
    /// handler (asked another way, with a rationale), or withdrawal.
    pub async fn staff_referral(
        &self,
        staff: Staff<'_>,
        referral_id: Uuid,
        transition: ReferralTransition,
        rationale: Option<&str>,
    ) -> Result<ReferralView, WorkError> {
        let rationale = rationale.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
        if rationale.is_none() {
            return Err(WorkError::invalid(ErrorCode::InvalidRationale, "Give a rationale."));
        }
        let mut tx = self.db.begin().await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        let (_, access) = self.open_case(&mut tx, staff, row.case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::NotFound);
        }
        let actor = crate::policy::referral_actor(staff.roles);
        let to = machine::next(state(&row)?, transition, actor, true).map_err(refused)?;
        let (action, extra) = match transition {
            ReferralTransition::Approve => (AuditAction::ReferralApproved, ""),
            ReferralTransition::Consent => {
                (AuditAction::ReferralConsented, ", consent_by = 'staff', consented_at = $4, sent_at = $4")
            }
            ReferralTransition::Withdraw => (AuditAction::ReferralWithdrawn, ", withdrawn_at = $4"),
            _ => return Err(WorkError::Forbidden("You may not do this to a referral.".into())),
        };
        self.move_referral(&mut tx, &row, to, extra).await?;
        if to == ReferralState::Sent {
            crate::notify::hooks::referral_sent(&mut tx, row.partner_id, self.clock.now()).await?;
        }
        if to == ReferralState::AwaitingConsent {
            // The requester's consent is asked: if they asked to be told, they hear there is news.
            crate::notify::hooks::requester_news(&mut tx, row.case_id, self.clock.now()).await?;
        }
        if transition == ReferralTransition::Approve {
            sqlx::query("update referral set approved_by = $2 where referral_id = $1")
                .bind(referral_id)
                .bind(staff.id)
                .execute(&mut *tx)
                .await?;
        }
        let details = json!({"referral": referral_id, "from": row.status, "to": to});
        self.audit_referral(&mut tx, Actor::Staff(staff.id), action, &row, rationale, details).await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        let view = self.view_of(&mut tx, row).await?;
        tx.commit().await?;
        Ok(view)
    }

    /// The requester's referrals: exactly what would be or was shared, and with whom.
    pub async fn requester_referrals(&self, session: &RequesterSession) -> Result<Vec<ReferralView>, WorkError> {
        if session.calm.is_some() {
            // The calm view shows a closed request: nothing to share, nothing shared.
            return Ok(vec![]);
        }
        let mut conn = self.db.acquire().await?;
        let rows: Vec<Row> = sqlx::query_as(&format!("{SELECT} where r.case_id = $1 and r.status <> 'draft' and r.status <> 'awaiting_approval' order by r.created_at"))
            .bind(session.case_id)
            .fetch_all(&mut *conn)
            .await?;
        let mut views = vec![];
        for row in rows {
            let mut view = self.view_of(&mut conn, row).await?;
            // The partner's answer and their exchanges with the network stay between them.
            view.answer = None;
            view.messages.clear();
            views.push(view);
        }
        Ok(views)
    }

    /// The requester consents, refuses, or withdraws consent.
    pub async fn requester_referral(
        &self,
        session: &RequesterSession,
        referral_id: Uuid,
        transition: ReferralTransition,
    ) -> Result<(), WorkError> {
        if session.calm.is_some() {
            // Consent is never given (nor withdrawn) from a session that may not be the requester's;
            // answered as an id the case does not have is, so no answer tells the two apart.
            return Err(WorkError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        if row.case_id != session.case_id {
            return Err(WorkError::NotFound);
        }
        let current = state(&row)?;
        // Refusing is withdrawing before anything was sent.
        let (to, action, extra) = match transition {
            ReferralTransition::Consent => (
                machine::next(current, transition, ReferralActor::Requester, true).map_err(refused)?,
                AuditAction::ReferralConsented,
                ", consent_by = 'requester', consented_at = $4, sent_at = $4",
            ),
            ReferralTransition::Withdraw => (
                machine::next(current, transition, ReferralActor::Requester, true).map_err(refused)?,
                if current == ReferralState::AwaitingConsent {
                    AuditAction::ReferralRefused
                } else {
                    AuditAction::ReferralWithdrawn
                },
                ", withdrawn_at = $4",
            ),
            _ => return Err(WorkError::Forbidden("You may not do this to a referral.".into())),
        };
        self.move_referral(&mut tx, &row, to, extra).await?;
        if to == ReferralState::Sent {
            crate::notify::hooks::referral_sent(&mut tx, row.partner_id, self.clock.now()).await?;
        }
        let details = json!({"referral": referral_id, "from": row.status, "to": to});
        self.audit_referral(&mut tx, Actor::Requester(session.reference.clone()), action, &row, None, details).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn partner_of(&self, conn: &mut PgConnection, user: Uuid) -> Result<Uuid, WorkError> {
        let partner: Option<Option<Uuid>> =
            sqlx::query_scalar("select partner_id from staff_user where staff_user_id = $1")
                .bind(user)
                .fetch_optional(conn)
                .await?;
        partner.flatten().ok_or_else(|| WorkError::Forbidden("This account belongs to no partner.".into()))
    }

    /// The packets a partner may see: consented, addressed to them, neither declined nor
    /// withdrawn, concluded no longer ago than the set time. Each packet shown is a read of
    /// its case's content, recorded against that case.
    pub async fn partner_referrals(&self, user: Uuid) -> Result<Vec<ReferralView>, WorkError> {
        let mut conn = self.db.acquire().await?;
        let partner = self.partner_of(&mut conn, user).await?;
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "{SELECT} where r.partner_id = $1 and r.status in ('sent', 'accepted', 'concluded') order by r.created_at desc"
        ))
        .bind(partner)
        .fetch_all(&mut *conn)
        .await?;
        let mut views = vec![];
        let mut read = vec![];
        for row in rows {
            if self.partner_sees(&row)? {
                read.push((row.case_id, row.referral_id));
                views.push(self.view_of(&mut conn, row).await?);
            }
        }
        for (case_id, referral_id) in read {
            let entry = NewEntry::new(Actor::Staff(user), AuditAction::ReferralRead)
                .subject(Subject { kind: "case", id: case_id.to_string() })
                .details(json!({"referral": referral_id}));
            audit::record_read_on(&mut conn, entry, self.clock.now()).await?;
        }
        Ok(views)
    }

    /// The partner accepts, declines (with a reason) or reports the outcome.
    pub async fn partner_answer(
        &self,
        user: Uuid,
        referral_id: Uuid,
        transition: ReferralTransition,
        text: &str,
    ) -> Result<(), WorkError> {
        let text = text.trim();
        if text.chars().count() > 5000 {
            return Err(WorkError::invalid(ErrorCode::InvalidAnswer, "At most 5000 characters."));
        }
        if matches!(transition, ReferralTransition::Decline | ReferralTransition::Conclude) && text.is_empty() {
            return Err(WorkError::invalid(ErrorCode::InvalidAnswer, "Say why you decline, or what the outcome was."));
        }
        let mut tx = self.db.begin().await?;
        let partner = self.partner_of(&mut tx, user).await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        if row.partner_id != partner || !self.partner_sees(&row)? {
            return Err(WorkError::NotFound);
        }
        let to = machine::next(state(&row)?, transition, ReferralActor::Partner, true).map_err(refused)?;
        let action = match transition {
            ReferralTransition::Accept => AuditAction::ReferralAccepted,
            ReferralTransition::Decline => AuditAction::ReferralDeclined,
            _ => AuditAction::ReferralConcluded,
        };
        self.move_referral(&mut tx, &row, to, ", answered_at = $4").await?;
        if !text.is_empty() {
            let key = self.case_key(&mut tx, row.case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
            let sealed = key.seal(&format!("referral-answer:{referral_id}"), text.as_bytes())?;
            sqlx::query("update referral set answer_sealed = $2 where referral_id = $1")
                .bind(referral_id)
                .bind(sealed)
                .execute(&mut *tx)
                .await?;
        }
        let details = json!({"referral": referral_id, "from": row.status, "to": to});
        self.audit_referral(&mut tx, Actor::Staff(user), action, &row, None, details).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Cases {
    /// A message about a referral, from its partner (`from_partner`) or from the case's
    /// handler or a supervisor. The partner may write only while the packet is theirs to see.
    pub async fn referral_message(
        &self,
        staff: Staff<'_>,
        referral_id: Uuid,
        from_partner: bool,
        body: &str,
    ) -> Result<Uuid, WorkError> {
        let body = shelter_shared::intake::clean(body);
        if body.is_empty() || body.chars().count() > 5000 {
            return Err(WorkError::invalid(ErrorCode::InvalidMessage, "Write a message of 1 to 5000 characters."));
        }
        let mut tx = self.db.begin().await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        if from_partner {
            let partner = self.partner_of(&mut tx, staff.id).await?;
            if row.partner_id != partner || !self.partner_sees(&row)? {
                return Err(WorkError::NotFound);
            }
        } else {
            let (_, access) = self.open_case(&mut tx, staff, row.case_id).await?;
            if access != CaseAccess::Full {
                return Err(WorkError::NotFound);
            }
        }
        let key = self.case_key(&mut tx, row.case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let message_id = Uuid::new_v4();
        let sealed = key.seal(&format!("referral-message:{message_id}"), body.as_bytes())?;
        sqlx::query("insert into referral_message (message_id, referral_id, author, from_partner, ciphertext, created_at) values ($1, $2, $3, $4, $5, $6)")
            .bind(message_id)
            .bind(referral_id)
            .bind(staff.id)
            .bind(from_partner)
            .bind(sealed)
            .bind(self.clock.now())
            .execute(&mut *tx)
            .await?;
        let details = json!({"referral": referral_id, "message": message_id, "from_partner": from_partner});
        self.audit_referral(&mut tx, Actor::Staff(staff.id), AuditAction::ReferralMessage, &row, None, details).await?;
        tx.commit().await?;
        Ok(message_id)
    }
}
