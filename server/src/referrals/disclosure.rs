//! The network writes to a partner: first the check for details the requester did not
//! consent to share with them (`shared::disclosure`), against what the case holds and what
//! the referral's packet shares. A message that trips it is held, nothing written, until
//! the writer sends it anyway.

use serde_json::Value;
use shelter_shared::disclosure::{self, Consent, Finding};
use shelter_shared::referral::PacketField;
use sqlx::PgConnection;

use super::Row;
use crate::cases::Cases;
use crate::cases::triage::WorkError;

/// What became of a message to a partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sending {
    /// Written: its id.
    Sent(uuid::Uuid),
    /// Held back, nothing written.
    Held {
        /// What looks unconsented.
        findings: Vec<Finding>,
        /// The partner's name, for the form that asks again.
        partner: String,
    },
}

/// The refusal of a held message where no form can ask for confirmation (the API without
/// `send_anyway`): what kinds of details were found, never the details themselves.
pub fn held(found: &[Finding]) -> WorkError {
    let mut kinds: Vec<&str> = found
        .iter()
        .map(|f| match f {
            Finding::Phone(_) => "a phone number",
            Finding::Email(_) => "an e-mail address",
            Finding::Name(_) => "a name the packet does not share",
            Finding::Contact(_) => "contact details the packet does not share",
        })
        .collect();
    kinds.dedup();
    WorkError::invalid(
        shelter_shared::api::ErrorCode::UnconsentedDetails,
        format!(
            "This message seems to hold details the requester did not agree to share with this partner ({}); \
             nothing was sent. Remove them, or send it anyway if the requester agreed another way.",
            kinds.join(", ")
        ),
    )
}

impl Cases {
    /// What in `body` looks like details the requester did not consent to share with the
    /// partner of referral `row`.
    pub(super) async fn unconsented(
        &self,
        conn: &mut PgConnection,
        row: &Row,
        body: &str,
    ) -> Result<Vec<Finding>, WorkError> {
        let key = self.case_key(conn, row.case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let packet: Value =
            serde_json::from_str(&key.open_text(&format!("referral-packet:{}", row.referral_id), &row.packet_sealed)?)
                .map_err(|e| WorkError::Internal(e.into()))?;
        let shares = |field: PacketField| row.fields.iter().any(|f| f == field.as_str());
        let sealed = sqlx::query!(
            "select field, ciphertext from case_field where case_id = $1 and field = any($2)",
            row.case_id,
            &["at_risk".to_owned(), "contact".to_owned()] as &[String],
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut names = None;
        let mut contact = None;
        for field in sealed {
            let text = key.open_text(&field.field, &field.ciphertext)?;
            match field.field.as_str() {
                "at_risk" if !shares(PacketField::Names) => names = Some(text),
                "contact" if !shares(PacketField::Contact) => contact = Some(text),
                _ => {}
            }
        }
        let shared: Vec<&str> =
            packet.as_object().into_iter().flat_map(|o| o.values()).filter_map(Value::as_str).collect();
        let consent = Consent { shared, withheld_names: names.as_deref(), withheld_contact: contact.as_deref() };
        Ok(disclosure::check(body, &consent))
    }
}
