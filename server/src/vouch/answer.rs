//! The voucher's side: what their link opens, and their one answer.

use chrono::{DateTime, Utc};
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::vouch::VouchAnswer;
use sqlx::PgConnection;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{Vouching, comment_field, link, question_field};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::cases::crypto::CaseKey;

/// What a link opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invitation {
    /// Not a link Shelter made, or its invite is gone: said the same way, so a guesser
    /// learns nothing.
    Unknown,
    /// Answered already: a link works once.
    Answered,
    /// Past its time, or its case was closed or purged.
    Closed,
    /// Waiting for the answer.
    Open {
        /// The invite.
        invite: Uuid,
        /// The question, and nothing else of the case.
        question: String,
        /// Until when the link works.
        expires_at: DateTime<Utc>,
    },
}

struct InviteRow {
    vouch_request_id: Uuid,
    case_id: Uuid,
    asked_by: Uuid,
    question_sealed: Option<Vec<u8>>,
    case_key_sealed: Option<Vec<u8>>,
    case_open: bool,
    expires_at: DateTime<Utc>,
    answered: bool,
    secret_hash: Option<Vec<u8>>,
}

impl InviteRow {
    /// Whether `hash` is the hash of this invite's newest link's secret.
    fn secret_is(&self, hash: &[u8]) -> bool {
        self.secret_hash.as_deref().is_some_and(|stored| bool::from(stored.ct_eq(hash)))
    }
}

impl Vouching {
    /// What the link with `token` opens now.
    pub async fn invitation(&self, token: &str) -> anyhow::Result<Invitation> {
        let Some((invite, secret)) = link::parse(token) else { return Ok(Invitation::Unknown) };
        let mut conn = self.cases.db.acquire().await?;
        match load(&mut conn, invite).await? {
            Some(row) if row.secret_is(&secret) => self.state(invite, &row),
            _ => Ok(Invitation::Unknown),
        }
    }

    fn state(&self, invite: Uuid, row: &InviteRow) -> anyhow::Result<Invitation> {
        if row.answered {
            return Ok(Invitation::Answered);
        }
        let (Some(question), Some(key), true) = (&row.question_sealed, &row.case_key_sealed, row.case_open) else {
            return Ok(Invitation::Closed);
        };
        if row.expires_at <= self.now() {
            return Ok(Invitation::Closed);
        }
        let key = CaseKey::open(&self.cases.keys, row.case_id, key)?;
        let question = key.open_text(&question_field(row.vouch_request_id), question)?;
        Ok(Invitation::Open { invite, question, expires_at: row.expires_at })
    }

    /// Records the answer of the link with `token`, once: the answer, the sealed comment, the
    /// audit entry (by the voucher, named by the invite) and a notice to whoever asked, in one
    /// transaction. A second answer, a late one or an unknown link changes nothing and
    /// returns the link's state.
    pub async fn answer(
        &self,
        token: &str,
        answer: VouchAnswer,
        comment: Option<&str>,
    ) -> anyhow::Result<Result<(), Invitation>> {
        let Some((invite, secret)) = link::parse(token) else { return Ok(Err(Invitation::Unknown)) };
        let mut tx = self.cases.db.begin().await?;
        let row = match load(&mut tx, invite).await? {
            Some(row) if row.secret_is(&secret) => row,
            _ => return Ok(Err(Invitation::Unknown)),
        };
        match self.state(invite, &row)? {
            Invitation::Open { .. } => {}
            other => return Ok(Err(other)),
        }
        let now = self.now();
        let sealed = match (comment, &row.case_key_sealed) {
            (Some(text), Some(key)) => {
                Some(CaseKey::open(&self.cases.keys, row.case_id, key)?.seal(&comment_field(invite), text.as_bytes())?)
            }
            _ => None,
        };
        sqlx::query!(
            "update vouch_invite set answer = $2, comment_sealed = $3, answered_at = $4
             where invite_id = $1 and answered_at is null",
            invite,
            answer as _,
            sealed,
            now
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Voucher(invite), AuditAction::VouchAnswered)
            .subject(Subject { kind: "case", id: row.case_id.to_string() })
            .details(json!({"request": row.vouch_request_id, "answer": answer, "comment": comment.is_some()}));
        crate::notify::hooks::vouch_answered(&mut tx, row.case_id, row.asked_by, now).await?;
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}

/// The invite with what its page needs, locked until the transaction ends: two answers
/// sent at once are taken one after the other, and the second finds it answered; the case
/// is held too, so a close that commits first is seen.
async fn load(conn: &mut PgConnection, invite: Uuid) -> sqlx::Result<Option<InviteRow>> {
    sqlx::query_as!(
        InviteRow,
        r#"select r.vouch_request_id, r.case_id, r.asked_by, r.question_sealed, c.sealed_key as "case_key_sealed?",
                c.status <> 'closed' and c.purged_at is null as "case_open!", r.expires_at,
                i.answered_at is not null as "answered!", i.secret_hash
         from vouch_invite i join vouch_request r using (vouch_request_id) join cases c using (case_id)
         where i.invite_id = $1 for update of i for share of c"#,
        invite
    )
    .fetch_optional(conn)
    .await
}
