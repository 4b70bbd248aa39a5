//! What staff do to their own account: step-up, password change, recovery codes, sessions.

use secrecy::{ExposeSecret, SecretString};

use super::sessions::{self, StaffSession};
use super::sign_in::SecondFactor;
use super::users;
use super::{Identity, IdentityError, password};
use crate::audit::{self, Actor, NewEntry, Subject};
use serde_json::json;
use shelter_shared::audit::AuditAction;

impl Identity {
    /// Confirms a fresh TOTP code for a signed-in session: sensitive actions within the
    /// next five minutes may proceed.
    pub async fn step_up(&self, session: &StaffSession, code: &str) -> Result<(), IdentityError> {
        let mut tx = self.db.begin().await?;
        let user = users::by_id(&mut tx, session.user_id).await?.ok_or(IdentityError::NotFound)?;
        if !self.check_second_factor(&mut tx, &user, SecondFactor::Totp(code)).await? {
            return Err(IdentityError::InvalidCode);
        }
        sqlx::query("update staff_session set step_up_at = $2 where staff_session_id = $1")
            .bind(session.session_id)
            .bind(self.clock.now())
            .execute(&mut *tx)
            .await?;
        self.audit_own(&mut tx, session, AuditAction::StepUp, json!({})).await?;
        tx.commit().await?;
        Ok(())
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
        sqlx::query("update staff_user set password_hash = $2, updated_at = $3 where staff_user_id = $1")
            .bind(user.staff_user_id)
            .bind(hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "update staff_session set ended_at = $3, end_reason = 'password changed'
             where staff_user_id = $1 and staff_session_id <> $2 and ended_at is null",
        )
        .bind(user.staff_user_id)
        .bind(session.session_id)
        .bind(now)
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
