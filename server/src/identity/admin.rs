//! Administrative powers over accounts, made accountable: each needs a fresh second factor,
//! and a supervisor or finance account an administrator creates or resets waits for a
//! supervisor who is not that administrator to confirm it before it can sign in.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;
use shelter_shared::api::ErrorCode;
use shelter_shared::audit::AuditAction;
use sqlx::{FromRow, PgConnection};
use uuid::Uuid;

use super::enrolment::{ENROLMENT_VALID, NewAccount};
use super::sessions::{self, StaffSession};
use super::users::{self, StaffUserRow};
use super::{Identity, IdentityError, codes, throttle};
use crate::audit::{self, Actor, NewEntry, Subject};
use crate::policy::{self, Action};

/// Who exercises an administrative power.
#[derive(Debug, Clone, Copy)]
pub enum Admin<'a> {
    /// The operator at the server's shell (`shelter user …`): holds the key file anyway.
    Operator,
    /// A signed-in staff member, whose session must hold the role and a fresh second factor.
    Staff(&'a StaffSession),
}

impl Admin<'_> {
    /// The staff member's id, if a staff member acts.
    pub fn staff_id(&self) -> Option<Uuid> {
        match self {
            Admin::Operator => None,
            Admin::Staff(session) => Some(session.user_id),
        }
    }
}

/// A recent change to a privileged account, for supervisors to watch.
#[derive(Debug, Clone, FromRow)]
pub struct PrivilegedChange {
    /// The account.
    pub staff_user_id: Uuid,
    /// Its name.
    pub display_name: String,
    /// Its roles.
    pub roles: Vec<String>,
    /// When it got its present credentials (created or reset).
    pub credentials_since: DateTime<Utc>,
    /// Created (or reset) by this administrator; none from the command line.
    pub requested_by: Option<String>,
    /// Still waiting for a supervisor's confirmation.
    pub pending_confirmation: bool,
    /// `created` or `two_factor_reset` while pending.
    pub pending_reason: Option<String>,
}

/// Whether `me` may disable `target`, given the ids of the active administrators (see
/// [`users::active_admins_locked`]): the service and the accounts page ask the same.
pub fn disable_check(
    active_admins: &[Uuid],
    me: Option<Uuid>,
    target: &StaffUserRow,
) -> Result<(), policy::DisableRefusal> {
    let target_active_admin = active_admins.contains(&target.staff_user_id);
    let others = active_admins.iter().filter(|id| **id != target.staff_user_id).count();
    policy::may_disable(me, target.staff_user_id, target_active_admin, others)
}

impl Identity {
    /// The actor to record, once the policy and the step-up allow `action`.
    pub(super) fn admin_actor(&self, by: &Admin<'_>, action: Action) -> Result<Actor, IdentityError> {
        match by {
            Admin::Operator => Ok(Actor::System),
            Admin::Staff(session) => {
                if policy::authorize(&session.roles, action).is_err() {
                    return Err(IdentityError::Forbidden("You may not do this.".into()));
                }
                if policy::needs_step_up(action) && !policy::fresh(session.step_up_at, self.clock.now()) {
                    return Err(IdentityError::StepUpRequired);
                }
                Ok(Actor::Staff(session.user_id))
            }
        }
    }

    /// A privileged account set up by a staff member waits for a second person, unless no
    /// supervisor account exists at all besides the account itself (the very first ones
    /// cannot wait). An administrator who is the only supervisor is no second person: their
    /// accounts wait too, and the operator's command line is the way out.
    pub(super) async fn needs_confirmation(
        &self,
        conn: &mut PgConnection,
        by: &Admin<'_>,
        account: Uuid,
        privileged: bool,
    ) -> Result<bool, IdentityError> {
        match by.staff_id() {
            Some(_) if privileged => Ok(users::supervisor_exists(conn, &[account]).await?),
            _ => Ok(false),
        }
    }

    /// Records a refused administrative act (committed on its own) and returns the refusal.
    async fn refuse(&self, by: &Admin<'_>, target: Uuid, reason: &str) -> IdentityError {
        let actor = by.staff_id().map(Actor::Staff).unwrap_or(Actor::System);
        let entry = NewEntry::new(actor, AuditAction::AuthorisationRefused)
            .subject(Subject::staff_user(target))
            .details(json!({"reason": reason}));
        match audit::record_alone(&self.db, entry, self.clock.now()).await {
            Ok(_) => IdentityError::Forbidden(reason.to_owned()),
            Err(error) => error.into(),
        }
    }

    /// Disables an account and ends its sessions at once.
    pub async fn disable_user(&self, by: &Admin<'_>, user_id: Uuid) -> Result<StaffUserRow, IdentityError> {
        let actor = self.admin_actor(by, Action::DisableStaff)?;
        let mut tx = self.db.begin().await?;
        let user = users::by_id(&mut tx, user_id).await?.ok_or(IdentityError::NotFound)?;
        // Locks the active administrators, so two of them cannot disable each other at once.
        let admins = users::active_admins_locked(&mut tx).await?;
        match disable_check(&admins, by.staff_id(), &user) {
            Ok(()) => {}
            Err(policy::DisableRefusal::Yourself) => {
                drop(tx);
                return Err(self.refuse(by, user_id, policy::DisableRefusal::Yourself.message()).await);
            }
            Err(refusal) => return Err(IdentityError::Conflict(refusal.message().into())),
        }
        let now = self.clock.now();
        sqlx::query!(
            "update staff_user set status = 'disabled', enrolment_code_hash = null, updated_at = $2
             where staff_user_id = $1",
            user_id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let ended = sessions::end_all(&mut tx, user_id, now, "account disabled").await?;
        let entry = NewEntry::new(actor, AuditAction::UserDisabled)
            .subject(Subject::staff_user(user_id))
            .details(json!({"sessions_ended": ended, "previous_status": user.status}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Clears the second factor and recovery codes, ends every session, and issues a new
    /// enrolment code: the owner enrols again (new password and authenticator). A supervisor
    /// or finance account reset by an administrator then waits for a supervisor's confirmation.
    pub async fn reset_two_factor(&self, by: &Admin<'_>, user_id: Uuid) -> Result<NewAccount, IdentityError> {
        let actor = self.admin_actor(by, Action::ResetStaffTwoFactor)?;
        let mut tx = self.db.begin().await?;
        let user = users::by_id(&mut tx, user_id).await?.ok_or(IdentityError::NotFound)?;
        if user.status == "disabled" {
            return Err(IdentityError::Conflict("This account is disabled.".into()));
        }
        if by.staff_id() == Some(user_id) {
            drop(tx);
            return Err(self.refuse(by, user_id, "Another administrator must reset your own second factor.").await);
        }
        let pending = self.needs_confirmation(&mut tx, by, user_id, policy::is_privileged(&user.roles())).await?;
        let now = self.clock.now();
        let code = codes::enrolment_code();
        sqlx::query!(
            "update staff_user set status = 'enrolling', totp_secret_sealed = null, totp_last_step = null,
                                   password_hash = null, enrolment_code_hash = $2, enrolment_expires_at = $3,
                                   updated_at = $4, credentials_since = $4,
                                   pending_confirmation = pending_confirmation or $5,
                                   pending_reason = case when $5 then 'two_factor_reset' else pending_reason end,
                                   pending_requested_by = case when $5 then $6 else pending_requested_by end
             where staff_user_id = $1",
            user_id,
            self.enrolment_hash(&code),
            now + ENROLMENT_VALID,
            now,
            pending,
            by.staff_id()
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!("delete from staff_recovery_code where staff_user_id = $1", user_id).execute(&mut *tx).await?;
        let ended = sessions::end_all(&mut tx, user_id, now, "second factor reset").await?;
        let entry = NewEntry::new(actor, AuditAction::UserTwoFactorReset)
            .subject(Subject::staff_user(user_id))
            .details(json!({"sessions_ended": ended, "roles": user.roles, "pending_confirmation": pending}));
        if policy::is_privileged(&user.roles()) {
            crate::notify::hooks::privileged_account_changed(&mut tx, user_id, now).await?;
        }
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(NewAccount { user_id, enrolment_code: code, expires_at: now + ENROLMENT_VALID })
    }

    /// Lifts a sign-in lock (and forgets the failures); false if there was none.
    pub async fn unlock_user(&self, by: &Admin<'_>, user_id: Uuid) -> Result<bool, IdentityError> {
        let actor = self.admin_actor(by, Action::UnlockStaff)?;
        let mut tx = self.db.begin().await?;
        let user = users::by_id(&mut tx, user_id).await?.ok_or(IdentityError::NotFound)?;
        let cleared = throttle::clear(&mut tx, &self.throttle_subject(&user.email)).await?;
        let entry = NewEntry::new(actor, AuditAction::UserUnlocked)
            .subject(Subject::staff_user(user_id))
            .details(json!({"had_failures": cleared}));
        audit::record(&mut tx, entry, self.clock.now()).await?;
        tx.commit().await?;
        Ok(cleared)
    }

    /// A supervisor who neither created (or reset) the account nor holds it confirms a
    /// pending privileged account; it may then sign in.
    pub async fn confirm_user(&self, by: &Admin<'_>, user_id: Uuid) -> Result<(), IdentityError> {
        let actor = self.admin_actor(by, Action::ConfirmStaff)?;
        let mut tx = self.db.begin().await?;
        let user = users::by_id(&mut tx, user_id).await?.ok_or(IdentityError::NotFound)?;
        if !user.pending_confirmation {
            return Err(IdentityError::Conflict("This account is not waiting for confirmation.".into()));
        }
        if user.status != "active" {
            return Err(IdentityError::Conflict(
                "Confirm an account once its holder has enrolled (password and authenticator).".into(),
            ));
        }
        let second_person = match by {
            Admin::Operator => true,
            Admin::Staff(session) => {
                crate::policy::may_confirm_account(&session.roles, session.user_id, user_id, user.pending_requested_by)
            }
        };
        if !second_person {
            drop(tx);
            let reason =
                "You set up this account, hold it, or administer accounts: another supervisor must confirm it.";
            return Err(self.refuse(by, user_id, reason).await);
        }
        let now = self.clock.now();
        // Its approvals count toward tier B and C only a while after the confirmation.
        sqlx::query!(
            "update staff_user set pending_confirmation = false, pending_reason = null, updated_at = $2,
                                   credentials_since = $2
             where staff_user_id = $1",
            user_id,
            now
        )
        .execute(&mut *tx)
        .await?;
        let entry = NewEntry::new(actor, AuditAction::UserConfirmed)
            .subject(Subject::staff_user(user_id))
            .details(json!({"reason": user.pending_reason, "requested_by": user.pending_requested_by}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Links a partner account to its organisation in the directory (or moves it to another):
    /// the same policy, step-up and audit as any other change to an account.
    pub async fn link_partner(&self, by: &Admin<'_>, user_id: Uuid, partner: Uuid) -> Result<(), IdentityError> {
        let actor = self.admin_actor(by, Action::LinkPartnerAccount)?;
        let mut tx = self.db.begin().await?;
        let user = users::by_id(&mut tx, user_id).await?.ok_or(IdentityError::NotFound)?;
        if by.staff_id() == Some(user_id) {
            drop(tx);
            return Err(self.refuse(by, user_id, "Another administrator must link your own account.").await);
        }
        if !crate::policy::may_belong_to_partner(&user.roles()) {
            return Err(IdentityError::invalid(
                ErrorCode::InvalidPartner,
                "Only an account holding the partner role alone belongs to a partner organisation.",
            ));
        }
        if user.status == "disabled" {
            return Err(IdentityError::Conflict("This account is disabled.".into()));
        }
        let known: bool = sqlx::query_scalar!(
            r#"select exists (select 1 from partner where partner_id = $1 and active) as "exists!""#,
            partner
        )
        .fetch_one(&mut *tx)
        .await?;
        if !known {
            return Err(IdentityError::invalid(
                ErrorCode::InvalidPartner,
                "There is no such partner in the directory.",
            ));
        }
        let now = self.clock.now();
        let before = sqlx::query_scalar!(
            "update staff_user u set partner_id = $2, updated_at = $3
             from staff_user old where old.staff_user_id = u.staff_user_id and u.staff_user_id = $1
             returning old.partner_id",
            user_id,
            partner,
            now
        )
        .fetch_one(&mut *tx)
        .await?;
        let entry = NewEntry::new(actor, AuditAction::UserPartnerLinked)
            .subject(Subject::staff_user(user_id))
            .details(json!({"partner": partner, "previous": before}));
        audit::record(&mut tx, entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Supervisor and finance accounts created, reset or still pending within `days`.
    pub async fn privileged_changes(&self, days: i64) -> Result<Vec<PrivilegedChange>, IdentityError> {
        let since = self.clock.now() - Duration::days(days);
        Ok(sqlx::query_as!(
            PrivilegedChange,
            r#"select u.staff_user_id, u.display_name, u.roles, u.credentials_since, r.display_name as "requested_by?",
                    u.pending_confirmation, u.pending_reason
             from staff_user u left join staff_user r on r.staff_user_id = u.pending_requested_by
             where u.roles && array['supervisor', 'finance'] and (u.credentials_since >= $1 or u.pending_confirmation)
             order by u.credentials_since desc"#,
            since
        )
        .fetch_all(&self.db)
        .await?)
    }
}
