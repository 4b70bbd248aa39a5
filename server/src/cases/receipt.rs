//! The one-time receipt after a form submission: the passphrase, sealed with a key that
//! only the redirect URL holds, shown once and deleted (post/redirect/get without ever
//! storing the passphrase readably).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use secrecy::SecretBox;
use uuid::Uuid;

use super::Cases;
use crate::keys;

/// What the one-time receipt shows.
#[derive(Debug)]
pub struct Receipt {
    /// The case's reference.
    pub reference: String,
    /// The passphrase, as shown.
    pub passphrase: String,
    /// Hours within which the network aims to answer (the case's acknowledgement target).
    pub reply_within_hours: i64,
}

struct ReceiptRow {
    case_id: Uuid,
    sealed: Vec<u8>,
    expires_at: chrono::DateTime<chrono::Utc>,
    reference: String,
    reply_secs: i64,
}

/// How long the receipt page can be opened.
const VALID: Duration = Duration::minutes(10);

impl Cases {
    /// Stores the sealed passphrase; returns the token for the receipt URL.
    pub async fn create_receipt(&self, case_id: Uuid, passphrase: &str) -> anyhow::Result<String> {
        let raw = keys::random_bytes::<32>();
        let token = URL_SAFE_NO_PAD.encode(raw);
        let sealed = keys::seal(&SecretBox::new(Box::new(raw)), passphrase.as_bytes(), case_id.as_bytes())?;
        sqlx::query!("delete from intake_receipt where expires_at < $1", self.clock.now()).execute(&self.db).await?;
        sqlx::query!(
            "insert into intake_receipt (token_hash, case_id, passphrase_sealed, expires_at) values ($1, $2, $3, $4)",
            self.keys.lookup_hash("receipt", token.as_bytes()),
            case_id,
            sealed,
            self.clock.now() + VALID,
        )
        .execute(&self.db)
        .await?;
        Ok(token)
    }

    /// The reference, passphrase and reply target, once; `None` if unknown, used or expired.
    pub async fn take_receipt(&self, token: &str) -> anyhow::Result<Option<Receipt>> {
        let raw: [u8; 32] = match URL_SAFE_NO_PAD.decode(token).ok().and_then(|b| b.try_into().ok()) {
            Some(raw) => raw,
            None => return Ok(None),
        };
        // The case's own acknowledgement clock, set at intake from the playbook's SLA for
        // the urgency the requester chose: the receipt promises what staff are held to.
        let row = sqlx::query_as!(
            ReceiptRow,
            r#"delete from intake_receipt r using cases c
             where r.token_hash = $1 and c.case_id = r.case_id
             returning r.case_id, r.passphrase_sealed as sealed, r.expires_at, c.reference,
                       extract(epoch from c.acknowledge_due_at - c.created_at)::bigint as "reply_secs!""#,
            self.keys.lookup_hash("receipt", token.as_bytes()),
        )
        .fetch_optional(&self.db)
        .await?;
        let Some(ReceiptRow { case_id, sealed, expires_at, reference, reply_secs }) = row else { return Ok(None) };
        if expires_at <= self.clock.now() {
            return Ok(None);
        }
        let passphrase = keys::open(&SecretBox::new(Box::new(raw)), &sealed, case_id.as_bytes())?;
        let passphrase = String::from_utf8(passphrase)?;
        Ok(Some(Receipt { reference, passphrase, reply_within_hours: ((reply_secs + 3599) / 3600).max(1) }))
    }
}
