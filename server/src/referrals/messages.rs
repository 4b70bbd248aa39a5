//! Messages about a referral, between its partner and the case's handler or a supervisor.

use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use uuid::Uuid;

use crate::audit::Actor;
use crate::cases::Cases;
use crate::cases::triage::{Staff, WorkError};
use crate::policy::CaseAccess;

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
            if row.partner_id != partner || !self.partner_sees(&row) {
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
        let details = json!({"referral": referral_id, "message": message_id, "from_partner": from_partner});
        self.audit_referral(&mut tx, Actor::Staff(staff.id), AuditAction::ReferralMessage, &row, None, details).await?;
        tx.commit().await?;
        Ok(message_id)
    }
}
