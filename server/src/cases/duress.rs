//! The second (duress) passphrase. Signing in with it opens the calm view (the request shown
//! as closed, nothing real on it) and silently raises a duress alert: the case is flagged,
//! its handler and whoever is on call are told (content-free), the audit trail records it.
//!
//! Every sign-in runs the same two argon2 verifications, the real hash and the second one
//! (a dummy when there is none, or when the reference is unknown), in [`verify_pair`] alone:
//! neither the answer, its size nor its timing says which passphrase was typed.

use secrecy::SecretString;
use serde_json::json;
use shelter_shared::audit::AuditAction;
use shelter_shared::passphrase::parse_duress;
use sqlx::PgConnection;
use uuid::Uuid;

use super::portal::{Calm, RequesterSession};
use super::triage::{Staff, WorkError};
use super::{CaseError, Cases};
use crate::audit::{self, Actor, NewEntry, SealedRationale, Subject};
use crate::identity::password::PasswordHasher;
use crate::policy::{self, Action};

/// Which passphrase a sign-in matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched {
    /// The requester's own.
    Real,
    /// The second passphrase: the calm view, and an alert.
    Duress,
    /// Neither.
    Neither,
}

/// Checks `typed` against both hashes, always both, at once (two argon2 runs on the bounded
/// hashing threads); a missing hash is checked against the dummy and never matches.
pub async fn verify_pair(
    passwords: &PasswordHasher,
    typed: &str,
    real: Option<&str>,
    duress: Option<&str>,
) -> anyhow::Result<Matched> {
    let typed = SecretString::from(shelter_shared::passphrase::normalise(typed));
    let (real, duress) = tokio::try_join!(passwords.verify(&typed, real), passwords.verify(&typed, duress))?;
    Ok(if real.matches {
        Matched::Real
    } else if duress.matches {
        Matched::Duress
    } else {
        Matched::Neither
    })
}

/// Raises the case's duress alert (kept from its first signal until staff clear it), with
/// its audit entry and notices, in the caller's transaction. `via` says what raised it.
pub async fn raise(
    tx: &mut PgConnection,
    case_id: Uuid,
    actor: Actor,
    via: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), CaseError> {
    sqlx::query!("update cases set duress_alert_at = coalesce(duress_alert_at, $2) where case_id = $1", case_id, now)
        .execute(&mut *tx)
        .await?;
    let entry = NewEntry::new(actor, AuditAction::DuressSignal)
        .subject(Subject { kind: "case", id: case_id.to_string() })
        .details(json!({"via": via}));
    audit::record(tx, entry, now).await?;
    crate::notify::hooks::duress_signal(tx, case_id, now).await?;
    Ok(())
}

/// Records that a calm-view session asked for `what`, which was not done.
pub async fn calm_action(
    tx: &mut PgConnection,
    session: &RequesterSession,
    what: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), CaseError> {
    let entry = NewEntry::new(Actor::Requester(session.reference.clone()), AuditAction::CalmSessionAction)
        .subject(Subject { kind: "case", id: session.case_id.to_string() })
        .details(json!({"asked": what, "calm": session.calm.map(|c| c.as_str())}));
    audit::record(tx, entry, now).await?;
    Ok(())
}

impl Cases {
    /// Hashes a second passphrase chosen at intake (already parsed).
    pub(crate) async fn hash_duress(&self, normalised: &str) -> anyhow::Result<String> {
        self.passwords.hash(&SecretString::from(normalised.to_owned())).await
    }

    /// Sets or replaces the second passphrase from the portal. A calm session does the same
    /// argon2 work and gets the same answer, but nothing changes: it must learn neither
    /// whether what it typed is the real passphrase nor that its own was the second one.
    pub async fn set_duress_passphrase(&self, session: &RequesterSession, typed: &str) -> Result<(), CaseError> {
        let phrase = parse_duress(typed)
            .map_err(|e| CaseError::Invalid { message_id: e.message_id() })?
            .ok_or(CaseError::Invalid { message_id: "error-duress-short" })?;
        let hashes = sqlx::query!("select passphrase_hash, duress_hash from cases where case_id = $1", session.case_id)
            .fetch_one(&self.db)
            .await?;
        let (real, second) = (hashes.passphrase_hash, hashes.duress_hash);
        // Both checks always run (a missing hash is checked against a dummy), so every session
        // does the same work; each is told "the same as the one you signed in with" alike.
        let secret = SecretString::from(phrase.clone());
        let is_real = self.passwords.verify(&secret, real.as_deref()).await?.matches;
        let is_second = self.passwords.verify(&secret, second.as_deref()).await?.matches;
        let hash = self.passwords.hash(&secret).await?;
        let same = match session.calm {
            None => is_real,
            Some(Calm::Duress) => is_second,
            // In custody mode either passphrase may have opened the session.
            Some(Calm::Custody) => is_real || is_second,
        };
        if same {
            return Err(CaseError::Invalid { message_id: "error-duress-same" });
        }
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        if session.calm.is_some() {
            calm_action(&mut tx, session, "duress_passphrase", now).await?;
            tx.commit().await?;
            return Ok(());
        }
        sqlx::query!("update cases set duress_hash = $2 where case_id = $1", session.case_id, hash)
            .execute(&mut *tx)
            .await?;
        let entry = NewEntry::new(Actor::Requester(session.reference.clone()), AuditAction::DuressPassphraseSet)
            .subject(Subject { kind: "case", id: session.case_id.to_string() });
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Clears a case's duress alert once staff know the requester is safe: its handler or a
    /// supervisor, with a rationale (sealed with the case key).
    pub async fn clear_duress(&self, staff: Staff<'_>, case_id: Uuid, text: &str) -> Result<(), WorkError> {
        policy::authorize(staff.roles, Action::WatchRequester)
            .map_err(|_| WorkError::Forbidden("Only the case's handler or a supervisor clears an alert.".into()))?;
        let text = super::custody::rationale(text)?;
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        self.full_access(&mut tx, staff, case_id).await?;
        let cleared = sqlx::query!(
            "update cases set duress_alert_at = null where case_id = $1 and duress_alert_at is not null",
            case_id,
        )
        .execute(&mut *tx)
        .await?;
        if cleared.rows_affected() == 0 {
            return Err(WorkError::Conflict("This case has no duress alert.".into()));
        }
        let key = self.case_key(&mut tx, case_id).await.map_err(|e| WorkError::Internal(e.into()))?;
        let entry = NewEntry::new(Actor::Staff(staff.id), AuditAction::DuressCleared)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .rationale(SealedRationale::for_case(&key, text)?);
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

impl Cases {
    /// A calm session asks for deletion (`ask`) or cancels it: remembered for calm sessions
    /// only, so that their page stays consistent, and never carried out.
    pub async fn calm_deletion(&self, session: &RequesterSession, ask: bool) -> Result<(), CaseError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        sqlx::query!(
            "update cases set decoy_deletion_at = case when $2 then coalesce(decoy_deletion_at, $3) end
             where case_id = $1",
            session.case_id,
            ask,
            now,
        )
        .execute(&mut *tx)
        .await?;
        calm_action(&mut tx, session, if ask { "deletion" } else { "deletion_cancel" }, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// When a calm session asked for deletion, if it did.
    pub async fn calm_deletion_asked(&self, case_id: Uuid) -> Result<Option<chrono::DateTime<chrono::Utc>>, CaseError> {
        Ok(sqlx::query_scalar!("select decoy_deletion_at from cases where case_id = $1", case_id)
            .fetch_optional(&self.db)
            .await?
            .flatten())
    }

    /// A calm session turns news on or off: remembered for calm sessions only (so their page
    /// answers as the requester's would), audited, never carried out.
    pub async fn calm_news(&self, session: &RequesterSession, on: bool) -> Result<(), CaseError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        sqlx::query!("update cases set decoy_news_on = $2 where case_id = $1", session.case_id, on)
            .execute(&mut *tx)
            .await?;
        calm_action(&mut tx, session, "news", now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a calm session turned news on.
    pub async fn calm_news_on(&self, case_id: Uuid) -> Result<bool, CaseError> {
        Ok(sqlx::query_scalar!("select decoy_news_on from cases where case_id = $1", case_id)
            .fetch_optional(&self.db)
            .await?
            .unwrap_or(false))
    }

    /// Raises the alert of the duress session `session_id`, exactly once (the session row
    /// remembers it); returns whether it was owed.
    pub async fn raise_duress_of(&self, session_id: Uuid) -> Result<bool, CaseError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let owed = sqlx::query!(
            "update requester_session s set duress_alerted_at = $2 from cases c
             where s.requester_session_id = $1 and s.duress and s.duress_alerted_at is null and c.case_id = s.case_id
             returning s.case_id, c.reference",
            session_id,
            now,
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(owed) = owed else { return Ok(false) };
        raise(&mut tx, owed.case_id, Actor::Requester(owed.reference), "sign_in", now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Raises the alert of a check-in with a wrong safe word, exactly once; returns whether
    /// it was owed.
    pub async fn raise_check_in_duress(&self, check_in_id: Uuid) -> Result<bool, CaseError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let owed = sqlx::query!(
            "update check_in k set duress_alerted_at = $2 from cases c
             where k.check_in_id = $1 and k.duress and k.duress_alerted_at is null and c.case_id = k.case_id
             returning k.case_id, c.reference",
            check_in_id,
            now,
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(owed) = owed else { return Ok(false) };
        raise(&mut tx, owed.case_id, Actor::Requester(owed.reference), "safe_word", now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Raises every duress alert still owed (the process stopped between a duress sign-in or
    /// a wrong safe word and its alert); the check-in clock runs it each round. Returns how many.
    pub async fn raise_owed_duress(&self) -> Result<usize, CaseError> {
        let sessions = sqlx::query_scalar!(
            "select requester_session_id from requester_session where duress and duress_alerted_at is null",
        )
        .fetch_all(&self.db)
        .await?;
        let check_ins =
            sqlx::query_scalar!("select check_in_id from check_in where duress and duress_alerted_at is null")
                .fetch_all(&self.db)
                .await?;
        let mut raised = 0;
        for session_id in sessions {
            raised += usize::from(self.raise_duress_of(session_id).await?);
        }
        for check_in_id in check_ins {
            raised += usize::from(self.raise_check_in_duress(check_in_id).await?);
        }
        Ok(raised)
    }
}
