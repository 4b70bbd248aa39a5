//! The requester's choice to be told when there is news: an address or messenger handle
//! sealed with the case's own key (so it goes when the case's data goes), set at intake or
//! in the portal, and deleted, with any news still waiting, when they turn it off.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::language::Language;
use shelter_shared::notice::NewsChannel;
use sqlx::PgConnection;

use super::crypto::CaseKey;
use super::portal::RequesterSession;
use super::{CaseError, Cases};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::notify::worker::NEWS_FIELD;

/// Stores (or replaces) the case's address for news, sealed, in the caller's transaction.
pub(crate) async fn store(
    tx: &mut PgConnection,
    key: &CaseKey,
    channel: NewsChannel,
    address: &str,
    language: Language,
    now: DateTime<Utc>,
) -> Result<(), CaseError> {
    let sealed = key.seal(NEWS_FIELD, address.as_bytes())?;
    sqlx::query!(
        "insert into requester_notice_contact (case_id, channel, address_sealed, language, created_at)
         values ($1, $2, $3, $4, $5)
         on conflict (case_id) do update set channel = excluded.channel, address_sealed = excluded.address_sealed,
                                             language = excluded.language, created_at = excluded.created_at",
        key.case_id(),
        channel as _,
        sealed,
        language as _,
        now,
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

fn entry(session: &RequesterSession, action: AuditAction) -> NewEntry {
    NewEntry::new(Actor::Requester(session.reference.clone()), action)
        .subject(Subject { kind: "case", id: session.case_id.to_string() })
}

impl Cases {
    /// The requester asks to be told about news at `address`, in `language`.
    pub async fn news_on(
        &self,
        session: &RequesterSession,
        channel: NewsChannel,
        address: &str,
        language: Language,
    ) -> Result<(), CaseError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let key = self.case_key(&mut tx, session.case_id).await?;
        store(&mut tx, &key, channel, address, language, now).await?;
        let on = entry(session, AuditAction::RequesterNewsOn).details(json!({"channel": channel}));
        audit::record(&mut tx, on, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The requester stops being told: the address and any news not yet sent are deleted.
    pub async fn news_off(&self, session: &RequesterSession) -> Result<(), CaseError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let removed = sqlx::query!("delete from requester_notice_contact where case_id = $1", session.case_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query!(
            "with waiting as (
                 delete from notice_delivery where requester_case_id = $1 and status = 'pending' returning delivery_id)
             delete from notice_attempt where delivery_id in (select delivery_id from waiting)",
            session.case_id,
        )
        .execute(&mut *tx)
        .await?;
        if removed.rows_affected() > 0 {
            audit::record(&mut tx, entry(session, AuditAction::RequesterNewsOff), now).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
