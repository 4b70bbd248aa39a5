//! What staff do to their own account: step-up, password change, recovery codes, sessions.

use secrecy::{ExposeSecret, SecretString};

use super::sessions::{self, StaffSession};
use super::sign_in::SecondFactor;
use super::throttle::{self, Gate};
use super::users;
use super::{Identity, IdentityError, password};

/// Failed step-up attempts (wrong codes, or tries while paused) that end a session: a
/// stolen session cannot keep guessing, and its owner simply signs in again.
pub const STEP_UP_FAILURES_PER_SESSION: i32 = 10;
use crate::audit::{self, Actor, NewEntry, Subject};
use serde_json::json;
use shelter_shared::audit::AuditAction;

impl Identity {
    /// Confirms a fresh TOTP code for a signed-in session: sensitive actions within the
    /// next five minutes may proceed. A step-up is a sign-in: failures count against the
    /// account's sign-in throttle (a few free, then growing waits, then a lock), each is
    /// audited, and a run of them ends the session. Pages and the API both come here. The
    /// throttle and session rows are locked first, so attempts sent in parallel are judged
    /// one after another, each seeing the failures before it.
    pub async fn step_up(&self, session: &StaffSession, code: &str) -> Result<(), IdentityError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let user = users::by_id(&mut tx, session.user_id).await?.ok_or(IdentityError::NotFound)?;
        let subject = self.throttle_subject(&user.email);
        throttle::lock(&mut tx, &subject, now).await?;
        let failures: Option<i32> = sqlx::query_scalar!(
            "select step_up_failures from staff_session where staff_session_id = $1 and ended_at is null for update",
            session.session_id
        )
        .fetch_optional(&mut *tx)
        .await?;
        let Some(failures) = failures else { return Err(IdentityError::SessionEnded) };
        if failures >= STEP_UP_FAILURES_PER_SESSION {
            return Err(IdentityError::SessionEnded);
        }
        let gate = throttle::gate(&mut tx, &subject, now).await?;
        let wrong = gate == Gate::Open && !self.check_second_factor(&mut tx, &user, SecondFactor::Totp(code)).await?;
        if gate != Gate::Open || wrong {
            let (gate, ended) = self.step_up_failure(&mut tx, session, &subject, gate, wrong).await?;
            tx.commit().await?;
            return Err(match (gate, ended) {
                (_, true) => IdentityError::SessionEnded,
                (Gate::Locked, _) => IdentityError::Locked,
                (Gate::Wait(secs), _) if !wrong => IdentityError::TooManyAttempts { retry_after_secs: secs },
                _ => IdentityError::InvalidCode,
            });
        }
        throttle::clear(&mut tx, &subject).await?;
        sqlx::query!(
            "update staff_session set step_up_at = $2, step_up_failures = 0 where staff_session_id = $1",
            session.session_id,
            now
        )
        .execute(&mut *tx)
        .await?;
        self.audit_own(&mut tx, session, AuditAction::StepUp, json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a failed step-up in the caller's transaction: a wrong code counts against
    /// the account, an attempt while paused only against the session; a run of them ends
    /// the session. Returns the account's gate and whether the session ended.
    async fn step_up_failure(
        &self,
        tx: &mut sqlx::PgConnection,
        session: &StaffSession,
        subject: &[u8],
        gate: Gate,
        wrong: bool,
    ) -> Result<(Gate, bool), IdentityError> {
        let now = self.clock.now();
        let gate = if wrong { throttle::record_failure(&mut *tx, subject, now).await? } else { gate };
        let failures: i32 = sqlx::query_scalar!(
            "update staff_session set step_up_failures = step_up_failures + 1 where staff_session_id = $1
             returning step_up_failures",
            session.session_id
        )
        .fetch_one(&mut *tx)
        .await?;
        let details = json!({"session": session.session_id, "wrong_code": wrong, "session_failures": failures});
        self.audit_own(&mut *tx, session, AuditAction::StepUpFailed, details).await?;
        if gate == Gate::Locked && wrong {
            let entry =
                NewEntry::new(Actor::System, AuditAction::SignInLocked).subject(Subject::staff_user(session.user_id));
            audit::record(&mut *tx, entry, now).await?;
        }
        let ended = failures >= STEP_UP_FAILURES_PER_SESSION;
        if ended {
            sessions::end_session(&mut *tx, session.session_id, now, "step-up failures").await?;
            let details = json!({"session": session.session_id, "failures": failures});
            self.audit_own(&mut *tx, session, AuditAction::StepUpSessionEnded, details).await?;
        }
        Ok((gate, ended))
    }

    /// Changes the password given the current one; other sessions end.
    pub async fn change_password(
        &self,
        session: &StaffSession,
        current: &SecretString,
        new: &SecretString,
    ) -> Result<(), IdentityError> {
        let mut tx = self.db.begin().await?;
        let user = users::by_id(&mut tx, session.user_id).await?.ok_or(IdentityError::NotFound)?;
        if !self.passwords.verify(current, user.password_hash.as_deref()).await?.matches {
            drop(tx);
            let subject = self.throttle_subject(&user.email);
            return Err(self.fail(&subject, Some(user.staff_user_id), "password_change").await);
        }
        password::check_strength(new.expose_secret(), &[&user.email, &user.display_name])?;
        let hash = self.passwords.hash(new).await?;
        let now = self.clock.now();
        sqlx::query!(
            "update staff_user set password_hash = $2, updated_at = $3 where staff_user_id = $1",
            user.staff_user_id,
            hash,
            now
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "update staff_session set ended_at = $3, end_reason = 'password changed'
             where staff_user_id = $1 and staff_session_id <> $2 and ended_at is null",
            user.staff_user_id,
            session.session_id,
            now
        )
        .execute(&mut *tx)
        .await?;
        self.audit_own(&mut tx, session, AuditAction::PasswordChanged, json!({})).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records an act of a staff member on their own account.
    async fn audit_own(
        &self,
        conn: &mut sqlx::PgConnection,
        session: &StaffSession,
        action: AuditAction,
        details: serde_json::Value,
    ) -> Result<(), IdentityError> {
        let entry = NewEntry::new(Actor::Staff(session.user_id), action)
            .subject(Subject::staff_user(session.user_id))
            .details(details);
        audit::record(conn, entry, self.clock.now()).await?;
        Ok(())
    }

    /// Issues ten new recovery codes (the old ones stop working); needs a fresh step-up.
    pub async fn regenerate_recovery_codes(&self, session: &StaffSession) -> Result<Vec<String>, IdentityError> {
        if !session.stepped_up(self.clock.now()) {
            return Err(IdentityError::StepUpRequired);
        }
        let mut tx = self.db.begin().await?;
        let codes = self.replace_recovery_codes(&mut tx, session.user_id).await?;
        self.audit_own(&mut tx, session, AuditAction::RecoveryCodesRegenerated, json!({})).await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Ends every session of the signed-in person, this one included.
    pub async fn sign_out_everywhere(&self, session: &StaffSession) -> Result<u64, IdentityError> {
        let mut tx = self.db.begin().await?;
        let ended = sessions::end_all(&mut tx, session.user_id, self.clock.now(), "signed out everywhere").await?;
        self.audit_own(&mut tx, session, AuditAction::SignOutEverywhere, json!({"sessions_ended": ended})).await?;
        tx.commit().await?;
        Ok(ended)
    }

    /// Ends this session.
    pub async fn sign_out(&self, session: &StaffSession) -> Result<(), IdentityError> {
        let mut tx = self.db.begin().await?;
        sessions::end_session(&mut tx, session.session_id, self.clock.now(), "signed out").await?;
        let details = json!({"session": session.session_id, "session_kind": session.kind.as_str()});
        self.audit_own(&mut tx, session, AuditAction::SignOut, details).await?;
        tx.commit().await?;
        Ok(())
    }
}
