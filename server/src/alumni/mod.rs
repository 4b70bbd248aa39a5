//! The alumni registry: the network's members, sealed at rest, found by keyed name tokens.
//!
//! Each member has a random data key sealed under the directory key (re-sealed by a key
//! rotation); their names, organisation, focus, languages and contact are one document
//! sealed with it, bound to the member's id, and each timeline entry's source and note are
//! sealed with it too. Names are searched through [`index`]: keyed hashes of normalised
//! tokens, so the database holds no name, not even as an index.
//!
//! Who may see what is [`crate::policy::member_access`]; every function here asks it.

pub mod cli;
pub mod export;
pub mod import;
pub mod index;
pub mod members;

use std::sync::Arc;

use secrecy::SecretBox;
use shelter_shared::alumni::FieldProblem;
use sqlx::PgPool;
use uuid::Uuid;

use crate::clock::Clock;
use crate::keys::{self, Keys, Secret32};

/// The registry service.
#[derive(Clone)]
pub struct Alumni {
    /// The database.
    pub db: PgPool,
    /// Keys: the directory key seals member keys, the lookup key keys name tokens.
    pub keys: Arc<Keys>,
    /// The clock.
    pub clock: Arc<dyn Clock>,
    /// Where reads' access entries wait to be appended together.
    pub reads: Arc<crate::audit::group::ReadGroup>,
}

/// Why a registry operation is refused.
#[derive(Debug, thiserror::Error)]
pub enum AlumniError {
    /// Bad input: every problem, field by field.
    #[error("{}", describe(.0))]
    Invalid(Vec<FieldProblem>),
    /// No such member, or none the caller may know of.
    #[error("not found")]
    NotFound,
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// Clashes with what is stored (an external id in use).
    #[error("{0}")]
    Conflict(String),
    /// Anything else.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The problems in one line of words.
pub fn describe(problems: &[FieldProblem]) -> String {
    problems.iter().map(|p| format!("{}: {}", p.field, p.problem)).collect::<Vec<_>>().join("; ")
}

impl AlumniError {
    /// One problem with one field.
    pub fn field(field: &'static str, problem: impl Into<String>) -> Self {
        AlumniError::Invalid(vec![FieldProblem { field, problem: problem.into() }])
    }
}

impl From<sqlx::Error> for AlumniError {
    fn from(error: sqlx::Error) -> Self {
        AlumniError::Internal(error.into())
    }
}

impl From<crate::audit::AuditError> for AlumniError {
    fn from(error: crate::audit::AuditError) -> Self {
        AlumniError::Internal(error.into())
    }
}

/// The context a member's data key is sealed with.
pub fn key_context(member_id: Uuid) -> Vec<u8> {
    format!("alumni_member.sealed_key:{member_id}").into_bytes()
}

/// One member's data key.
pub struct MemberKey {
    member_id: Uuid,
    key: Secret32,
}

impl MemberKey {
    /// A new random key for `member_id` and its sealed form.
    pub fn generate(keys: &Keys, member_id: Uuid) -> anyhow::Result<(MemberKey, Vec<u8>)> {
        let raw = keys::random_bytes::<32>();
        let sealed = keys::seal(&keys.directory, &raw, &key_context(member_id))?;
        Ok((MemberKey { member_id, key: SecretBox::new(Box::new(raw)) }, sealed))
    }

    /// Opens a member's sealed key.
    pub fn open(keys: &Keys, member_id: Uuid, sealed: &[u8]) -> anyhow::Result<MemberKey> {
        let raw = keys::open(&keys.directory, sealed, &key_context(member_id))?;
        let raw: [u8; 32] = raw.try_into().map_err(|_| anyhow::anyhow!("a member key must be 32 bytes"))?;
        Ok(MemberKey { member_id, key: SecretBox::new(Box::new(raw)) })
    }

    fn context(&self, field: &str) -> Vec<u8> {
        format!("alumni:{}:{field}", self.member_id).into_bytes()
    }

    /// Seals `plaintext` as `field` of this member.
    pub fn seal(&self, field: &str, plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
        keys::seal(&self.key, plaintext, &self.context(field))
    }

    /// Opens `field` of this member as text.
    pub fn open_text(&self, field: &str, sealed: &[u8]) -> anyhow::Result<String> {
        let bytes = keys::open(&self.key, sealed, &self.context(field))?;
        String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("a sealed member field is not UTF-8"))
    }
}
