//! Rationales are confidential ("bail hearing tomorrow"): they enter the trail sealed.
//!
//! A rationale about a case is sealed with that case's key, so purging the case shreds it
//! with the rest; any other with a key derived from the master key. The chain hashes the
//! sealed bytes, so verifying it needs no key; reading a rationale does.

use std::collections::HashMap;

use sqlx::PgConnection;
use uuid::Uuid;

use crate::cases::crypto::CaseKey;
use crate::keys::{self, Keys};

const FIELD: &str = "audit-rationale";

/// A rationale ready for the trail: trimmed, non-empty, sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedRationale {
    /// The case whose key sealed it; `None`: the master-derived audit key.
    pub case: Option<Uuid>,
    /// Nonce and ciphertext.
    pub bytes: Vec<u8>,
}

fn trimmed(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

impl SealedRationale {
    /// Seals a rationale about the case whose key this is; `None` when it is blank.
    pub fn for_case(key: &CaseKey, text: &str) -> anyhow::Result<Option<Self>> {
        let Some(text) = trimmed(text) else { return Ok(None) };
        Ok(Some(SealedRationale { case: Some(key.case_id()), bytes: key.seal(FIELD, text.as_bytes())? }))
    }

    /// Seals a rationale that concerns no case; `None` when it is blank.
    pub fn general(keys: &Keys, text: &str) -> anyhow::Result<Option<Self>> {
        let Some(text) = trimmed(text) else { return Ok(None) };
        Ok(Some(SealedRationale { case: None, bytes: keys::seal(&keys.audit, text.as_bytes(), FIELD.as_bytes())? }))
    }
}

/// Opens the rationales of a page of entries, reading each case key once on `conn`.
/// Returns them in order; one whose key is gone (a purged case) reads as a notice.
pub async fn open_all(
    conn: &mut PgConnection,
    keys: &Keys,
    sealed: &[(Option<Uuid>, Option<Vec<u8>>)],
) -> anyhow::Result<Vec<Option<String>>> {
    let mut cases: Vec<Uuid> = sealed.iter().filter(|(_, b)| b.is_some()).filter_map(|(c, _)| *c).collect();
    cases.sort();
    cases.dedup();
    // A purged case has no key: its rationales read as shredded.
    let rows = sqlx::query!(
        r#"select case_id, sealed_key as "sealed_key!" from cases where case_id = any($1) and sealed_key is not null"#,
        &cases
    )
    .fetch_all(conn)
    .await?;
    let case_keys = rows
        .into_iter()
        .map(|row| Ok((row.case_id, CaseKey::open(keys, row.case_id, &row.sealed_key)?)))
        .collect::<anyhow::Result<HashMap<_, _>>>()?;
    open_with(keys, &case_keys, sealed)
}

/// Opens `sealed` with the case keys at hand (a case missing from `case_keys` was purged:
/// its rationales read as shredded) and the audit key.
pub fn open_with(
    keys: &Keys,
    case_keys: &HashMap<Uuid, CaseKey>,
    sealed: &[(Option<Uuid>, Option<Vec<u8>>)],
) -> anyhow::Result<Vec<Option<String>>> {
    sealed
        .iter()
        .map(|(case, bytes)| {
            let Some(bytes) = bytes else { return Ok(None) };
            let text = match case {
                Some(case) => match case_keys.get(case) {
                    Some(key) => key.open_text(FIELD, bytes)?,
                    None => "(shredded with its case)".to_owned(),
                },
                None => String::from_utf8(keys.open_audit(bytes, FIELD.as_bytes())?)?,
            };
            Ok(Some(text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretBox;

    #[test]
    fn blank_rationales_are_not_sealed_and_others_do_not_show_their_text() {
        let keys = Keys::derive(&SecretBox::new(Box::new([3u8; 32])));
        assert_eq!(SealedRationale::general(&keys, "  ").ok().flatten(), None);
        let sealed = SealedRationale::general(&keys, "bail hearing tomorrow").ok().flatten();
        let bytes = sealed.map(|s| s.bytes).unwrap_or_default();
        assert!(!bytes.windows(4).any(|w| w == b"bail"));
        let opened = keys::open(&keys.audit, &bytes, FIELD.as_bytes()).unwrap_or_default();
        assert_eq!(opened, b"bail hearing tomorrow");
    }
}
