//! Staff identity: accounts, enrolment, sign-in with a second factor, sessions, step-up.
//!
//! Every operation goes through [`Identity`], which holds the keys, the password hasher
//! and the clock. A write that changes an account commits in one transaction with its
//! audit entry.

pub mod account;
pub mod address_limit;
pub mod admin;
pub mod codes;
pub mod enrolment;
pub mod password;
pub mod sessions;
pub mod sign_in;
pub mod throttle;
pub mod totp;
pub mod users;

use std::sync::Arc;

use crate::clock::Clock;
use crate::keys::Keys;
use password::{PasswordHasher, WeakPassword};
use shelter_shared::api::ErrorCode;
use sqlx::PgPool;

/// The identity service.
#[derive(Clone)]
pub struct Identity {
    /// The database.
    pub db: PgPool,
    /// Keys derived from the master key.
    pub keys: Arc<Keys>,
    /// The bounded argon2 hasher.
    pub passwords: PasswordHasher,
    /// The clock every expiry is measured by.
    pub clock: Arc<dyn Clock>,
}

impl Identity {
    /// Builds the service.
    pub fn new(db: PgPool, keys: Arc<Keys>, clock: Arc<dyn Clock>) -> anyhow::Result<Self> {
        let passwords = PasswordHasher::new(secrecy::ExposeSecret::expose_secret(&keys.pepper))?;
        Ok(Identity { db, keys, passwords, clock })
    }
}

/// What can go wrong in identity operations; each maps to one HTTP status.
#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    /// Wrong e-mail, password, code, or an account that does not exist: never said which.
    #[error("The e-mail address, password or code is not right.")]
    InvalidCredentials,
    /// Too many failures recently for this name or address.
    #[error("Too many attempts. Please wait {retry_after_secs} seconds and try again.")]
    TooManyAttempts {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// 20 failures in a row: an administrator or supervisor must unlock.
    #[error("This sign-in is locked after too many failed attempts. Ask an administrator or supervisor to unlock it.")]
    Locked,
    /// The enrolment code is unknown, used or expired.
    #[error("This enrolment code is not valid. It may have expired (codes last 24 hours) or been used already.")]
    InvalidEnrolmentCode,
    /// The second-factor code did not match.
    #[error("That code is not right. Check the time on your phone and use the newest code.")]
    InvalidCode,
    /// The new password is refused.
    #[error(transparent)]
    WeakPassword(#[from] WeakPassword),
    /// The policy refuses this person.
    #[error("{0}")]
    Forbidden(String),
    /// A run of failed step-up attempts ended the session.
    #[error("Too many wrong codes: this session has ended. Sign in again.")]
    SessionEnded,
    /// The account waits for a supervisor's confirmation.
    #[error("This account waits for a supervisor's confirmation before it can sign in.")]
    AwaitingConfirmation,
    /// The action needs a fresh second factor.
    #[error("Confirm with a fresh code from your authenticator app first.")]
    StepUpRequired,
    /// Bad input: its kind, and a sentence saying what is wrong.
    #[error("{message}")]
    Invalid {
        /// The kind of invalid input, answered as the error's code.
        code: ErrorCode,
        /// What is wrong.
        message: String,
    },
    /// The thing acted on does not exist.
    #[error("not found")]
    NotFound,
    /// The state does not allow this now.
    #[error("{0}")]
    Conflict(String),
    /// Anything else.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl IdentityError {
    /// Bad input of kind `code`, with a sentence saying what is wrong.
    pub fn invalid(code: ErrorCode, message: impl Into<String>) -> Self {
        IdentityError::Invalid { code, message: message.into() }
    }
}

impl From<crate::audit::AuditError> for IdentityError {
    fn from(error: crate::audit::AuditError) -> Self {
        IdentityError::Internal(error.into())
    }
}

impl From<sqlx::Error> for IdentityError {
    fn from(error: sqlx::Error) -> Self {
        IdentityError::Internal(error.into())
    }
}
