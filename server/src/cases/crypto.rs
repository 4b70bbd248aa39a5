//! Per-case data keys: a random 256-bit key per case, sealed with the master-derived case
//! key; each field sealed with the case key and bound to its case and field name, so a
//! ciphertext moved to another case or field does not open.

use secrecy::SecretBox;
use uuid::Uuid;

use crate::keys::{self, Keys, Secret32};

/// One case's data key.
pub struct CaseKey {
    case_id: Uuid,
    key: Secret32,
}

/// The context a case's data key is sealed with.
pub fn key_context(case_id: Uuid) -> Vec<u8> {
    format!("cases.sealed_key:{case_id}").into_bytes()
}

fn field_context(case_id: Uuid, field: &str) -> Vec<u8> {
    format!("case:{case_id}:{field}").into_bytes()
}

impl CaseKey {
    /// A new random key for `case_id` and its sealed form for the database.
    pub fn generate(keys: &Keys, case_id: Uuid) -> anyhow::Result<(CaseKey, Vec<u8>)> {
        let raw = keys::random_bytes::<32>();
        let sealed = keys::seal(&keys.case_keys, &raw, &key_context(case_id))?;
        Ok((CaseKey { case_id, key: SecretBox::new(Box::new(raw)) }, sealed))
    }

    /// Opens the sealed key of `case_id`.
    pub fn open(keys: &Keys, case_id: Uuid, sealed: &[u8]) -> anyhow::Result<CaseKey> {
        let raw = keys::open(&keys.case_keys, sealed, &key_context(case_id))?;
        let raw: [u8; 32] = raw.try_into().map_err(|_| anyhow::anyhow!("a case key must be 32 bytes"))?;
        Ok(CaseKey { case_id, key: SecretBox::new(Box::new(raw)) })
    }

    /// The case this key belongs to.
    pub fn case_id(&self) -> Uuid {
        self.case_id
    }

    /// Seals `plaintext` as `field` of this case.
    pub fn seal(&self, field: &str, plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
        keys::seal(&self.key, plaintext, &field_context(self.case_id, field))
    }

    /// Opens `field` of this case.
    pub fn open_field(&self, field: &str, sealed: &[u8]) -> anyhow::Result<Vec<u8>> {
        keys::open(&self.key, sealed, &field_context(self.case_id, field))
    }

    /// Opens `field` as text.
    pub fn open_text(&self, field: &str, sealed: &[u8]) -> anyhow::Result<String> {
        String::from_utf8(self.open_field(field, sealed)?).map_err(|_| anyhow::anyhow!("a sealed text is not UTF-8"))
    }
}
