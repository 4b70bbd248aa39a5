//! Creating accounts and enrolling them: a one-time code, a password, a TOTP app, and
//! ten recovery codes. Also the administrative acts on accounts.

use chrono::Duration;
use secrecy::{ExposeSecret, SecretString};
use shelter_shared::staff::{Email, Role};
use sqlx::PgConnection;
use uuid::Uuid;

use super::admin::Admin;
use super::users::{self, StaffUserRow};
use super::{Identity, IdentityError, codes, password, totp};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::keys;
use crate::policy::Action;
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;

/// How long an enrolment code works.
pub const ENROLMENT_VALID: Duration = Duration::hours(24);
/// Recovery codes issued at a time.
pub const RECOVERY_CODES: usize = 10;

/// A new account and the code its owner enrols with.
#[derive(Debug)]
pub struct NewAccount {
    /// The account's id.
    pub user_id: Uuid,
    /// The one-time enrolment code, shown once.
    pub enrolment_code: String,
    /// When the code stops working.
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

/// The second step of enrolment: what the authenticator app needs.
#[derive(Debug)]
pub struct TotpSetup {
    /// `otpauth://` URI (also drawn as a QR code).
    pub otpauth_uri: String,
    /// The secret in base32, for typing by hand.
    pub secret_base32: String,
    /// The account's e-mail, shown as the label.
    pub email: String,
}

/// The context a staff member's TOTP secret is sealed with.
pub fn totp_context(user_id: Uuid) -> Vec<u8> {
    [b"staff_user.totp_secret:".as_slice(), user_id.as_bytes()].concat()
}

impl Identity {
    pub(super) fn enrolment_hash(&self, code: &str) -> Vec<u8> {
        self.keys.lookup_hash("enrolment", codes::normalise(code).as_bytes())
    }

    fn recovery_hash(&self, user_id: Uuid, code: &str) -> Vec<u8> {
        let value = [user_id.as_bytes().as_slice(), codes::normalise(code).as_bytes()].concat();
        self.keys.lookup_hash("recovery", &value)
    }

    /// The keyed hash that names an e-mail in the sign-in throttle.
    pub(crate) fn throttle_subject(&self, email: &str) -> Vec<u8> {
        self.keys.lookup_hash("sign-in", email.trim().to_lowercase().as_bytes())
    }

    /// The account's TOTP secret, unsealed.
    pub(crate) fn totp_secret(&self, user: &StaffUserRow) -> Result<Option<Vec<u8>>, IdentityError> {
        user.totp_secret_sealed
            .as_deref()
            .map(|sealed| keys::open(&self.keys.totp, sealed, &totp_context(user.staff_user_id)))
            .transpose()
            .map_err(IdentityError::Internal)
    }

    /// Creates an account that can enrol with the returned code within 24 hours.
    pub async fn add_user(
        &self,
        by: &Admin<'_>,
        email: &Email,
        name: &str,
        roles: &[Role],
    ) -> Result<NewAccount, IdentityError> {
        self.add_user_for(by, email, name, roles, None).await
    }

    /// Same as [`Identity::add_user`]; a partner account may name the partner organisation
    /// it belongs to (it sees only that organisation's referral packets). A supervisor or
    /// finance account that an administrator creates waits for a supervisor's confirmation
    /// (unless no other supervisor exists yet to give it).
    pub async fn add_user_for(
        &self,
        by: &Admin<'_>,
        email: &Email,
        name: &str,
        roles: &[Role],
        partner: Option<Uuid>,
    ) -> Result<NewAccount, IdentityError> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 200 {
            return Err(IdentityError::invalid(ErrorCode::InvalidName, "The name must have 1 to 200 characters."));
        }
        if roles.is_empty() {
            return Err(IdentityError::invalid(ErrorCode::InvalidRoles, "Give the account at least one role."));
        }
        let now = self.clock.now();
        let code = codes::enrolment_code();
        let user_id = Uuid::new_v4();
        let actor = self.admin_actor(by, Action::CreateStaff)?;
        let privileged = crate::policy::is_privileged(roles);
        let mut roles: Vec<&str> = roles.iter().map(|r| r.as_str()).collect();
        roles.sort();
        roles.dedup();
        let mut tx = self.db.begin().await?;
        let pending = self.needs_confirmation(&mut tx, by, user_id, privileged).await?;
        if let Some(partner) = partner {
            if !roles.contains(&"partner") {
                return Err(IdentityError::invalid(
                    ErrorCode::InvalidPartner,
                    "Only partner accounts belong to a partner organisation.",
                ));
            }
            let known: bool = sqlx::query_scalar!(
                r#"select exists (select 1 from partner where partner_id = $1) as "exists!""#,
                partner
            )
            .fetch_one(&mut *tx)
            .await?;
            if !known {
                return Err(IdentityError::invalid(
                    ErrorCode::InvalidPartner,
                    "There is no partner with that id in the directory.",
                ));
            }
        }
        let inserted = sqlx::query!(
            "insert into staff_user (staff_user_id, email, display_name, roles, enrolment_code_hash,
                                     enrolment_expires_at, created_at, updated_at, partner_id, credentials_since,
                                     pending_confirmation, pending_reason, pending_requested_by)
             values ($1, $2, $3, $4, $5, $6, $7, $7, $8, $7, $9, case when $9 then 'created' end, $10)
             on conflict (email) do nothing",
            user_id,
            email.as_str(),
            name,
            &roles as &[&str],
            self.enrolment_hash(&code),
            now + ENROLMENT_VALID,
            now,
            partner,
            pending,
            pending.then(|| by.staff_id()).flatten()
        )
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(IdentityError::Conflict(format!("An account for {email} exists already.")));
        }
        let entry = NewEntry::new(actor, AuditAction::UserCreated)
            .subject(Subject::staff_user(user_id))
            .details(json!({"roles": roles, "partner": partner, "pending_confirmation": pending}));
        if privileged {
            crate::notify::hooks::privileged_account_changed(&mut tx, user_id, now).await?;
        }
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(NewAccount { user_id, enrolment_code: code, expires_at: now + ENROLMENT_VALID })
    }

    async fn enrolling_user(&self, conn: &mut PgConnection, code: &str) -> Result<StaffUserRow, IdentityError> {
        let user = users::by_enrolment_code(conn, &self.enrolment_hash(code)).await?;
        match user {
            Some(user)
                if user.status == "enrolling" && user.enrolment_expires_at.is_some_and(|t| t > self.clock.now()) =>
            {
                Ok(user)
            }
            _ => Err(IdentityError::InvalidEnrolmentCode),
        }
    }

    /// Step one: the code and a new password; returns the TOTP secret to add to an app.
    /// Repeating it before confirming starts over with a new secret.
    pub async fn begin_enrolment(&self, code: &str, password: &SecretString) -> Result<TotpSetup, IdentityError> {
        let mut tx = self.db.begin().await?;
        let user = self.enrolling_user(&mut tx, code).await?;
        password::check_strength(password.expose_secret(), &[&user.email, &user.display_name])?;
        let hash = self.passwords.hash(password).await?;
        let secret = totp::new_secret();
        let sealed = keys::seal(&self.keys.totp, &secret, &totp_context(user.staff_user_id))?;
        sqlx::query!(
            "update staff_user set password_hash = $2, totp_secret_sealed = $3, totp_last_step = null, updated_at = $4
             where staff_user_id = $1",
            user.staff_user_id,
            hash,
            sealed,
            self.clock.now()
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(Actor::Staff(user.staff_user_id), AuditAction::EnrolmentStarted)
            .subject(Subject::staff_user(user.staff_user_id));
        audit::record(&mut tx, entry, self.clock.now()).await?;
        tx.commit().await?;
        let otpauth_uri = totp::otpauth_uri(&secret, &user.email)
            .ok_or_else(|| IdentityError::Internal(anyhow::anyhow!("cannot build the otpauth URI")))?;
        Ok(TotpSetup { otpauth_uri, secret_base32: totp::base32(&secret), email: user.email })
    }

    /// The TOTP setup of an enrolment in progress, to show again after a wrong code.
    pub async fn enrolment_setup(&self, code: &str) -> Result<TotpSetup, IdentityError> {
        let mut tx = self.db.begin().await?;
        let user = self.enrolling_user(&mut tx, code).await?;
        let secret = self.totp_secret(&user)?.ok_or(IdentityError::InvalidEnrolmentCode)?;
        let otpauth_uri = totp::otpauth_uri(&secret, &user.email)
            .ok_or_else(|| IdentityError::Internal(anyhow::anyhow!("cannot build the otpauth URI")))?;
        Ok(TotpSetup { otpauth_uri, secret_base32: totp::base32(&secret), email: user.email })
    }

    /// Step two: a code from the app proves it works; the account becomes active and gets
    /// its recovery codes, shown once.
    pub async fn confirm_enrolment(&self, code: &str, totp_code: &str) -> Result<Vec<String>, IdentityError> {
        let mut tx = self.db.begin().await?;
        let user = self.enrolling_user(&mut tx, code).await?;
        let Some(secret) = self.totp_secret(&user)? else {
            return Err(IdentityError::Conflict("Choose a password first.".into()));
        };
        let now = self.clock.now();
        let step =
            totp::matching_step(&secret, totp_code, now.timestamp().max(0) as u64).ok_or(IdentityError::InvalidCode)?;
        if !users::claim_totp_step(&mut tx, user.staff_user_id, step).await? {
            return Err(IdentityError::InvalidCode);
        }
        sqlx::query!(
            "update staff_user set status = 'active', enrolment_code_hash = null, enrolment_expires_at = null,
                                   updated_at = $2
             where staff_user_id = $1",
            user.staff_user_id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let codes = self.replace_recovery_codes(&mut tx, user.staff_user_id).await?;
        let entry = NewEntry::new(Actor::Staff(user.staff_user_id), AuditAction::Enrolled)
            .subject(Subject::staff_user(user.staff_user_id));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Replaces the account's recovery codes with ten new ones.
    pub(crate) async fn replace_recovery_codes(
        &self,
        conn: &mut PgConnection,
        user_id: Uuid,
    ) -> Result<Vec<String>, IdentityError> {
        sqlx::query!("delete from staff_recovery_code where staff_user_id = $1", user_id).execute(&mut *conn).await?;
        let codes: Vec<String> = (0..RECOVERY_CODES).map(|_| codes::recovery_code()).collect();
        for code in &codes {
            sqlx::query!(
                "insert into staff_recovery_code (staff_user_id, code_hash) values ($1, $2)",
                user_id,
                self.recovery_hash(user_id, code)
            )
            .execute(&mut *conn)
            .await?;
        }
        Ok(codes)
    }

    /// Uses up one recovery code; false if it is unknown or was used.
    pub(crate) async fn use_recovery_code(
        &self,
        conn: &mut PgConnection,
        user_id: Uuid,
        code: &str,
    ) -> Result<bool, IdentityError> {
        let done = sqlx::query!(
            "update staff_recovery_code set used_at = $3
             where staff_user_id = $1 and code_hash = $2 and used_at is null",
            user_id,
            self.recovery_hash(user_id, code),
            self.clock.now()
        )
        .execute(conn)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Finds an account by e-mail (for the CLI).
    pub async fn user_by_email(&self, email: &Email) -> Result<StaffUserRow, IdentityError> {
        let mut conn = self.db.acquire().await?;
        users::by_email(&mut conn, email.as_str()).await?.ok_or(IdentityError::NotFound)
    }
}
