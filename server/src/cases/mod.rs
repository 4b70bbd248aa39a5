//! Cases: intake, encryption at rest, the requester's portal.
//!
//! Every sensitive value (narrative, contact, place, messages, attachments) is sealed with
//! the case's own data key ([`crypto`]), itself sealed with a key derived from the master
//! key. The database alone yields no case content.

pub mod alumni;
pub mod assign;
pub mod attachments;
pub mod autotick;
pub mod check_ins;
pub mod crypto;
pub mod custody;
pub mod danger;
pub mod duress;
pub mod intake;
pub mod legacy;
pub mod news;
pub mod offers;
pub mod portal;
pub mod queue;
pub mod receipt;
pub mod record;
pub mod sla;
pub mod summary;
pub mod triage;
pub mod view;
pub mod view_read;
pub mod waiting;
pub mod work;

use std::sync::Arc;

use sqlx::PgPool;

use crate::clock::Clock;
use crate::identity::password::PasswordHasher;
use crate::keys::Keys;
use crate::playbooks::Playbooks;

/// The case service.
#[derive(Clone)]
pub struct Cases {
    /// The database.
    pub db: PgPool,
    /// Keys derived from the master key.
    pub keys: Arc<Keys>,
    /// The bounded argon2 hasher (passphrases).
    pub passwords: PasswordHasher,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// The playbooks (SLA targets, checklists).
    pub playbooks: Arc<Playbooks>,
    /// How long a partner keeps a packet after concluding.
    pub referral_access: chrono::Duration,
    /// Where reads' access entries wait to be appended together.
    pub reads: Arc<crate::audit::group::ReadGroup>,
}

/// What can go wrong with a case operation.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    /// The same form was sent twice; the first request stands. The answer never names
    /// its case: whoever sees or guesses an idempotency key must learn nothing from it.
    #[error("this request was already received")]
    Duplicate,
    /// Wrong reference or passphrase (never said which).
    #[error("the reference or the passphrase is not right")]
    InvalidCredentials,
    /// Too many failed attempts for this reference.
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    Locked {
        /// Seconds to wait.
        retry_after_secs: u64,
    },
    /// Bad input, named by its message id in the requester catalogue.
    #[error("invalid input: {message_id}")]
    Invalid {
        /// Message id.
        message_id: &'static str,
    },
    /// Anything else.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for CaseError {
    fn from(error: sqlx::Error) -> Self {
        CaseError::Internal(error.into())
    }
}

impl From<crate::audit::AuditError> for CaseError {
    fn from(error: crate::audit::AuditError) -> Self {
        CaseError::Internal(error.into())
    }
}
