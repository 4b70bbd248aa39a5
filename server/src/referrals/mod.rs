//! Legal referrals: a minimal packet for one partner, sent only once the requester (or a
//! handler who asked them another way) consents; the partner sees the packet and nothing
//! else, and loses it when they decline, a set time after they conclude, or the moment the
//! referral is withdrawn. The purpose, like the packet, is sealed with the case key.
//!
//! The operations are methods of the case service ([`Cases`]): a referral is part of its
//! case (its key, its access rules, its audit trail). This module holds the rows and the
//! views read from them; [`packet`] proposes, [`answer`] moves a referral through its
//! states, [`messages`] carries the exchanges with the partner.

pub mod answer;
pub mod disclosure;
pub mod messages;
pub mod packet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Value, json};
use shelter_shared::audit::AuditAction;
use shelter_shared::referral::{self as machine, ReferralState};
use sqlx::PgConnection;
use uuid::Uuid;

use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::Cases;
use crate::cases::portal::RequesterSession;
use crate::cases::triage::{Staff, WorkError};
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
    pub status: ReferralState,
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

/// A referral as stored, with its partner's name and kind.
struct Row {
    referral_id: Uuid,
    case_id: Uuid,
    partner_id: Uuid,
    partner_name: String,
    partner_kind: String,
    status: ReferralState,
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

/// `referral_rows!("where ...", args...)`: the [`Row`] query with its tail pasted in (a
/// literal, so the whole statement stays checked at build time).
macro_rules! referral_rows {
    ($tail:literal $(, $arg:expr)* $(,)?) => {
        sqlx::query_as!(
            Row,
            r#"select r.referral_id, r.case_id, r.partner_id, p.name as partner_name, p.kind as partner_kind,
                      r.status as "status: ReferralState", r.purpose, r.purpose_sealed, r.fields, r.packet_sealed,
                      r.answer_sealed, r.version, r.created_at, r.sent_at, r.answered_at
               from referral r join partner p using (partner_id) "# + $tail
            $(, $arg)*
        )
    };
}

/// The sealed purpose's field name (bound to the referral, so it cannot be moved).
pub(crate) fn purpose_field(referral_id: Uuid) -> String {
    format!("referral-purpose:{referral_id}")
}

fn refused(error: machine::ReferralError) -> WorkError {
    match error {
        machine::ReferralError::WrongState(..) => WorkError::Conflict(format!("{error}.")),
        machine::ReferralError::WrongActor(..) => WorkError::Forbidden("You may not do this to a referral.".into()),
    }
}

impl Cases {
    async fn load_referral(&self, conn: &mut PgConnection, id: Uuid) -> Result<Row, WorkError> {
        referral_rows!("where r.referral_id = $1", id).fetch_optional(conn).await?.ok_or(WorkError::NotFound)
    }

    /// Whether the partner may still see this referral's packet.
    fn partner_sees(&self, row: &Row) -> bool {
        machine::partner_may_see(row.status, row.answered_at, self.clock.now(), self.referral_access)
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
        let sealed = sqlx::query!(
            "select message_id, from_partner, ciphertext, created_at from referral_message where referral_id = $1 order by created_at",
            row.referral_id,
        )
        .fetch_all(&mut *conn)
        .await?;
        let messages = sealed
            .into_iter()
            .map(|m| {
                let body = key.open_text(&format!("referral-message:{}", m.message_id), &m.ciphertext)?;
                Ok(ReferralMessage { from_partner: m.from_partner, body, at: m.created_at })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let unanswered = row.status == ReferralState::Sent
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

    async fn partner_of(&self, conn: &mut PgConnection, user: Uuid) -> Result<Uuid, WorkError> {
        let partner = sqlx::query_scalar!("select partner_id from staff_user where staff_user_id = $1", user)
            .fetch_optional(conn)
            .await?;
        partner.flatten().ok_or_else(|| WorkError::Forbidden("This account belongs to no partner.".into()))
    }

    /// The referrals of a case, for its handler or a supervisor.
    pub async fn case_referrals(&self, staff: Staff<'_>, case_id: Uuid) -> Result<Vec<ReferralView>, WorkError> {
        let mut conn = self.db.acquire().await?;
        let (_, access) = self.open_case(&mut conn, staff, case_id).await?;
        if access != CaseAccess::Full {
            return Err(WorkError::Forbidden("Only the assigned handler or a supervisor sees referrals.".into()));
        }
        let rows = referral_rows!("where r.case_id = $1 order by r.created_at", case_id).fetch_all(&mut *conn).await?;
        let mut views = vec![];
        for row in rows {
            views.push(self.view_of(&mut conn, row).await?);
        }
        Ok(views)
    }

    /// The requester's referrals: exactly what would be or was shared, and with whom.
    pub async fn requester_referrals(&self, session: &RequesterSession) -> Result<Vec<ReferralView>, WorkError> {
        if session.calm.is_some() {
            // The calm view shows a closed request: nothing to share, nothing shared.
            return Ok(vec![]);
        }
        let mut conn = self.db.acquire().await?;
        let rows = referral_rows!(
            "where r.case_id = $1 and r.status <> all($2) order by r.created_at",
            session.case_id,
            ReferralState::AMONG_STAFF as _,
        )
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

    /// The packets a partner may see: consented, addressed to them, neither declined nor
    /// withdrawn, concluded no longer ago than the set time. Each packet shown is a read of
    /// its case's content, recorded against that case.
    pub async fn partner_referrals(&self, user: Uuid) -> Result<Vec<ReferralView>, WorkError> {
        let mut conn = self.db.acquire().await?;
        let partner = self.partner_of(&mut conn, user).await?;
        let rows = referral_rows!(
            "where r.partner_id = $1 and r.status = any($2) order by r.created_at desc",
            partner,
            ReferralState::PARTNER_VISIBLE as _,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut views = vec![];
        let mut read = vec![];
        for row in rows {
            if self.partner_sees(&row) {
                read.push((row.case_id, row.referral_id));
                views.push(self.view_of(&mut conn, row).await?);
            }
        }
        for (case_id, referral_id) in read {
            let entry = NewEntry::new(Actor::Staff(user), AuditAction::ReferralRead)
                .subject(Subject { kind: "case", id: case_id.to_string() })
                .details(json!({"referral": referral_id}));
            self.reads.append(&mut conn, entry, self.clock.now()).await?;
        }
        Ok(views)
    }

    /// The packets of one case that a partner account may see now, recording no read (the
    /// caller records what it shows). Empty for an account of no partner.
    pub async fn partner_case_packets(
        &self,
        conn: &mut PgConnection,
        user: Uuid,
        case_id: Uuid,
    ) -> Result<Vec<ReferralView>, WorkError> {
        let Ok(partner) = self.partner_of(conn, user).await else { return Ok(vec![]) };
        let rows = referral_rows!(
            "where r.partner_id = $1 and r.case_id = $2 and r.status = any($3) order by r.created_at",
            partner,
            case_id,
            ReferralState::PARTNER_VISIBLE as _,
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut views = vec![];
        for row in rows.into_iter().filter(|row| self.partner_sees(row)) {
            views.push(self.view_of(conn, row).await?);
        }
        Ok(views)
    }
}
