//! Messages about a referral, between its partner and the case's handler or a supervisor.
//! Neither side's message moves the referral: a partner asks or tells without answering.

use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use uuid::Uuid;

use super::disclosure::Sending;
use crate::audit::Actor;
use crate::cases::Cases;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::CaseAccess;

/// Who writes, and whether a message the disclosure check held may go anyway.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writer {
    /// The referral's partner.
    Partner,
    /// The case's handler or a supervisor; `send_anyway` once they confirmed.
    Network { send_anyway: bool },
}

impl Cases {
    /// A message about a referral, from its partner (`from_partner`) or from the case's
    /// handler or a supervisor. The partner may write only while the packet is theirs to see.
    /// A network message that seems to hold unconsented details is refused
    /// ([`ErrorCode::UnconsentedDetails`]); [`Cases::network_message`] lets the writer confirm.
    pub async fn referral_message(
        &self,
        staff: Staff<'_>,
        referral_id: Uuid,
        from_partner: bool,
        body: &str,
    ) -> Result<Uuid, WorkError> {
        let writer = if from_partner { Writer::Partner } else { Writer::Network { send_anyway: false } };
        match self.write_referral_message(staff, referral_id, writer, body).await? {
            Sending::Sent(id) => Ok(id),
            Sending::Held { findings, .. } => Err(super::disclosure::held(&findings)),
        }
    }

    /// The network writes to a referral's partner: held, nothing written, when the text
    /// seems to hold details the requester did not consent to share, unless `send_anyway`.
    pub async fn network_message(
        &self,
        staff: Staff<'_>,
        referral_id: Uuid,
        body: &str,
        send_anyway: bool,
    ) -> Result<Sending, WorkError> {
        self.write_referral_message(staff, referral_id, Writer::Network { send_anyway }, body).await
    }

    async fn write_referral_message(
        &self,
        staff: Staff<'_>,
        referral_id: Uuid,
        writer: Writer,
        body: &str,
    ) -> Result<Sending, WorkError> {
        let body = shelter_shared::intake::clean(body);
        if body.is_empty() || body.chars().count() > 5000 {
            return Err(WorkError::invalid(ErrorCode::InvalidMessage, "Write a message of 1 to 5000 characters."));
        }
        let from_partner = writer == Writer::Partner;
        let mut tx = self.db.begin().await?;
        let row = self.load_referral(&mut tx, referral_id).await?;
        if from_partner {
            let partner = self.partner_of(&mut tx, staff.id).await?;
            if row.partner_id != partner || !self.partner_sees(&row) {
                return Err(WorkError::NotFound);
            }
        } else {
            let (_, access) = self.open_case(&mut tx, staff, row.case_id).await?;
            if access != CaseAccess::Full {
                return Err(WorkError::NotFound);
            }
        }
        let confirmed = matches!(writer, Writer::Network { send_anyway: true });
        let mut unconsented = 0;
        if let Writer::Network { send_anyway } = writer {
            let found = self.unconsented(&mut tx, &row, &body).await?;
            unconsented = found.len();
            if !found.is_empty() && !send_anyway {
                return Ok(Sending::Held { findings: found, partner: row.partner_name });
            }
        }
        let key = self.case_key(&mut tx, row.case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let message_id = Uuid::new_v4();
        let sealed = key.seal(&format!("referral-message:{message_id}"), body.as_bytes())?;
        sqlx::query!(
            "insert into referral_message (message_id, referral_id, author, from_partner, ciphertext, created_at)
             values ($1, $2, $3, $4, $5, $6)",
            message_id,
            referral_id,
            staff.id,
            from_partner,
            sealed,
            self.clock.now(),
        )
        .execute(&mut *tx)
        .await?;
        if from_partner {
            // The referral keeps its state: a reply is not an answer; the handler hears of it.
            crate::notify::hooks::partner_wrote(&mut tx, row.case_id, self.clock.now()).await?;
        }
        let mut details = json!({"referral": referral_id, "message": message_id, "from_partner": from_partner});
        if confirmed && unconsented > 0 {
            // The writer confirmed past the warning: how many findings (never what they were).
            details["sent_anyway"] = json!(unconsented);
        }
        self.audit_referral(&mut tx, Actor::Staff(staff.id), AuditAction::ReferralMessage, &row, None, details).await?;
        tx.commit().await?;
        Ok(Sending::Sent(message_id))
    }
}
