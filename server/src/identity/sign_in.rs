//! Signing in: a password, then a TOTP code or a recovery code.
//!
//! Every failure answers the same for unknown and known accounts (a dummy hash is checked
//! when there is no account) and counts against the sign-in name's throttle.

use chrono::Duration;
use secrecy::SecretString;
use sqlx::PgConnection;
use uuid::Uuid;

use super::sessions::{NewSession, SessionKind};
use super::throttle::{self, Gate};
use super::users::{self, StaffUserRow};
use super::{Identity, IdentityError, totp};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::keys::random_bytes;
use serde_json::json;
use shelter_shared::audit::AuditAction;

/// How long the second-factor step may follow the password step.
const CHALLENGE_VALID: Duration = Duration::minutes(5);

/// The second factor offered.
#[derive(Debug, Clone, Copy)]
pub enum SecondFactor<'a> {
    /// A six-digit code from the authenticator app.
    Totp(&'a str),
    /// One of the ten single-use recovery codes.
    Recovery(&'a str),
}

fn gate_error(gate: Gate) -> Option<IdentityError> {
    match gate {
        Gate::Open => None,
        Gate::Wait(secs) => Some(IdentityError::TooManyAttempts { retry_after_secs: secs }),
        Gate::Locked => Some(IdentityError::Locked),
    }
}

impl Identity {
    async fn ensure_gate_open(&self, conn: &mut PgConnection, subject: &[u8]) -> Result<(), IdentityError> {
        match gate_error(throttle::gate(conn, subject, self.clock.now()).await?) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// Counts a failure and audits it (committed on their own, whatever else fails) and
    /// says what to answer. `user` is the account, when the name belongs to one.
    pub(super) async fn fail(&self, subject: &[u8], user: Option<uuid::Uuid>, step: &str) -> IdentityError {
        match self.record_failure(subject, user, step).await {
            Ok(Gate::Locked) => IdentityError::Locked,
            Ok(_) => IdentityError::InvalidCredentials,
            Err(error) => error,
        }
    }

    async fn record_failure(
        &self,
        subject: &[u8],
        user: Option<uuid::Uuid>,
        step: &str,
    ) -> Result<Gate, IdentityError> {
        let now = self.clock.now();
        let mut tx = self.db.begin().await?;
        let gate = throttle::record_failure(&mut tx, subject, now).await?;
        // An unknown name is identified only by a prefix of its keyed hash.
        let target = match user {
            Some(id) => Subject::staff_user(id),
            None => Subject { kind: "sign_in_name", id: hex::encode(&subject[..8.min(subject.len())]) },
        };
        let entry = NewEntry::new(Actor::System, AuditAction::SignInFailed)
            .subject(target.clone())
            .details(json!({"step": step}));
        audit::record(&mut tx, entry, now).await?;
        if gate == Gate::Locked {
            audit::record(&mut tx, NewEntry::new(Actor::System, AuditAction::SignInLocked).subject(target), now)
                .await?;
        }
        tx.commit().await?;
        Ok(gate)
    }

    /// The password step. Returns the account's id when the password is right.
    pub async fn check_password(&self, email: &str, password: &SecretString) -> Result<Uuid, IdentityError> {
        let subject = self.throttle_subject(email);
        let mut conn = self.db.acquire().await?;
        self.ensure_gate_open(&mut conn, &subject).await?;
        let email = email.trim().to_lowercase();
        let user = users::by_email(&mut conn, &email).await?.filter(|u| u.status == "active");
        drop(conn);
        let stored = user.as_ref().and_then(|u| u.password_hash.as_deref());
        let verified = self.passwords.verify(password, stored).await?;
        let known = user.as_ref().map(|u| u.staff_user_id);
        let Some(user) = user.filter(|_| verified.matches) else {
            return Err(self.fail(&subject, known, "password").await);
        };
        if user.pending_confirmation {
            let entry = NewEntry::new(Actor::System, AuditAction::SignInFailed)
                .subject(Subject::staff_user(user.staff_user_id))
                .details(json!({"step": "awaiting_confirmation"}));
            audit::record_alone(&self.db, entry, self.clock.now()).await?;
            return Err(IdentityError::AwaitingConfirmation);
        }
        if verified.needs_rehash {
            let hash = self.passwords.hash(password).await?;
            sqlx::query!("update staff_user set password_hash = $2 where staff_user_id = $1", user.staff_user_id, hash)
                .execute(&self.db)
                .await?;
        }
        Ok(user.staff_user_id)
    }

    /// Checks a second factor for `user` inside `conn`'s transaction; a TOTP step or a
    /// recovery code is used up only if the transaction commits.
    pub(crate) async fn check_second_factor(
        &self,
        conn: &mut PgConnection,
        user: &StaffUserRow,
        factor: SecondFactor<'_>,
    ) -> Result<bool, IdentityError> {
        match factor {
            SecondFactor::Totp(code) => {
                let Some(secret) = self.totp_secret(user)? else { return Ok(false) };
                let now = self.clock.now().timestamp().max(0) as u64;
                match totp::matching_step(&secret, code, now) {
                    Some(step) => Ok(users::claim_totp_step(conn, user.staff_user_id, step).await?),
                    None => Ok(false),
                }
            }
            SecondFactor::Recovery(code) => self.use_recovery_code(conn, user.staff_user_id, code).await,
        }
    }

    /// The second step: on success a new session (with a new token) begins.
    pub async fn finish_sign_in(
        &self,
        user_id: Uuid,
        factor: SecondFactor<'_>,
        kind: SessionKind,
    ) -> Result<NewSession, IdentityError> {
        // A sign-in with an authenticator code lost in a crash is only signed in again, and
        // waiting for the disk would add a flush to every sign-in (DESIGN.md's budget: 1.2×
        // one password hash). A recovery code is used up for good: that commit waits.
        let mut tx = match factor {
            SecondFactor::Totp(_) => crate::db::begin_lazily(&self.db).await?,
            SecondFactor::Recovery(_) => self.db.begin().await?,
        };
        let user = users::by_id(&mut tx, user_id)
            .await?
            .filter(|u| u.status == "active" && !u.pending_confirmation)
            .ok_or(IdentityError::InvalidCredentials)?;
        let subject = self.throttle_subject(&user.email);
        // Failures are forgotten with the success, and checked as they are: a closed gate
        // (failures counted while the password was hashed) refuses, and dropping the
        // transaction keeps them.
        if let Some(error) = gate_error(throttle::clear_returning_gate(&mut tx, &subject, self.clock.now()).await?) {
            return Err(error);
        }
        if !self.check_second_factor(&mut tx, &user, factor).await? {
            drop(tx);
            return Err(self.fail(&subject, Some(user_id), "second_factor").await);
        }
        let session = self.create_session(&mut tx, user_id, kind).await?;
        let factor = match factor {
            SecondFactor::Totp(_) => "totp",
            SecondFactor::Recovery(_) => "recovery_code",
        };
        let entry = NewEntry::new(Actor::Staff(user_id), AuditAction::SignIn)
            .subject(Subject::staff_user(user_id))
            .details(json!({"session_kind": kind.as_str(), "second_factor": factor}));
        audit::record(&mut tx, entry, self.clock.now()).await?;
        tx.commit().await?;
        Ok(session)
    }

    /// Browser sign-in: after the password step, a short-lived challenge names the account
    /// for the second-factor form without signing anyone in yet.
    pub async fn start_challenge(&self, user_id: Uuid) -> Result<String, IdentityError> {
        let token = hex::encode(random_bytes::<32>());
        sqlx::query!("delete from staff_sign_in_challenge where expires_at < $1", self.clock.now())
            .execute(&self.db)
            .await?;
        sqlx::query!(
            "insert into staff_sign_in_challenge (token_hash, staff_user_id, expires_at) values ($1, $2, $3)",
            self.keys.lookup_hash("challenge", token.as_bytes()),
            user_id,
            self.clock.now() + CHALLENGE_VALID
        )
        .execute(&self.db)
        .await?;
        Ok(token)
    }

    /// The account a live challenge names.
    pub async fn challenge_user(&self, token: &str) -> Result<Option<Uuid>, IdentityError> {
        Ok(sqlx::query_scalar!(
            "select staff_user_id from staff_sign_in_challenge where token_hash = $1 and expires_at > $2",
            self.keys.lookup_hash("challenge", token.as_bytes()),
            self.clock.now()
        )
        .fetch_optional(&self.db)
        .await?)
    }

    /// Completes a browser sign-in and removes the challenge.
    pub async fn complete_challenge(&self, token: &str, factor: SecondFactor<'_>) -> Result<NewSession, IdentityError> {
        let user_id = self.challenge_user(token).await?.ok_or(IdentityError::InvalidCredentials)?;
        let session = self.finish_sign_in(user_id, factor, SessionKind::Browser).await?;
        sqlx::query!(
            "delete from staff_sign_in_challenge where token_hash = $1",
            self.keys.lookup_hash("challenge", token.as_bytes())
        )
        .execute(&self.db)
        .await?;
        Ok(session)
    }

    /// API sign-in in one call: e-mail, password and a TOTP (or recovery) code.
    pub async fn sign_in_api(
        &self,
        email: &str,
        password: &SecretString,
        factor: SecondFactor<'_>,
    ) -> Result<NewSession, IdentityError> {
        let user_id = self.check_password(email, password).await?;
        self.finish_sign_in(user_id, factor, SessionKind::Api).await
    }
}
