//! The hash chain: a canonical, versioned encoding of an entry and its predecessor's hash.
//!
//! `hash = SHA-256("shelter-audit/v1" ‖ seq ‖ time ‖ actor ‖ action ‖ subject ‖ rationale ‖
//! details ‖ prev_hash)`, every text length-prefixed and every optional field flagged, so
//! no two different entries encode alike. Details are hashed as JSON with keys sorted at
//! every depth ([`canonical_json`]), which survives PostgreSQL's jsonb normalisation.
//!
//! Entries with a sealed rationale use `shelter-audit/v2`: the same encoding with the sealed
//! bytes and the case whose key sealed them in place of the plain rationale, so the chain
//! covers the ciphertext and verifying needs no key. Older entries keep their v1 hash.

use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: [u8; 32] = [0; 32];
const VERSION: &str = "shelter-audit/v1";
const VERSION_SEALED: &str = "shelter-audit/v2";

/// An entry as hashed and stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Record {
    /// Sequence number, from 1 without gaps.
    pub seq: i64,
    /// When, to the microsecond (PostgreSQL's precision).
    pub occurred_at: DateTime<Utc>,
    /// `staff`, `requester` or `system`.
    pub actor_kind: String,
    /// Staff id or case reference.
    pub actor_id: Option<String>,
    /// Dotted action name.
    pub action: String,
    /// Subject kind.
    pub subject_kind: Option<String>,
    /// Subject id.
    pub subject_id: Option<String>,
    /// Rationale of a decision, in plain text (entries written before rationales were sealed).
    pub rationale: Option<String>,
    /// Rationale of a decision, sealed.
    pub rationale_sealed: Option<Vec<u8>>,
    /// The case whose key sealed the rationale (none: the master-derived audit key).
    pub rationale_case: Option<uuid::Uuid>,
    /// Details.
    pub details: Value,
    /// The predecessor's hash.
    #[sqlx(try_from = "Vec<u8>")]
    pub prev_hash: HashBytes,
}

/// 32 bytes read from a `bytea` (wrong lengths become zeros, which never verify).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashBytes(pub [u8; 32]);

impl From<Vec<u8>> for HashBytes {
    fn from(bytes: Vec<u8>) -> Self {
        HashBytes(to_hash(&bytes))
    }
}

impl std::ops::Deref for HashBytes {
    type Target = [u8; 32];

    fn deref(&self) -> &[u8; 32] {
        &self.0
    }
}

impl From<[u8; 32]> for HashBytes {
    fn from(bytes: [u8; 32]) -> Self {
        HashBytes(bytes)
    }
}

/// Copies 32 bytes; anything else becomes zeros.
pub fn to_hash(bytes: &[u8]) -> [u8; 32] {
    bytes.try_into().unwrap_or([0; 32])
}

/// Truncates to whole microseconds, as PostgreSQL stores it.
pub fn to_micros(time: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(time.timestamp_micros()).unwrap_or(time)
}

/// Where an entry's encoding goes: the hasher, or bytes sent for PostgreSQL to hash.
trait Sink {
    fn put(&mut self, bytes: &[u8]);
}

impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

fn text(sink: &mut impl Sink, value: &str) {
    sink.put(&(value.len() as u64).to_be_bytes());
    sink.put(value.as_bytes());
}

fn optional(sink: &mut impl Sink, value: Option<&str>) {
    match value {
        Some(value) => {
            sink.put(&[1]);
            text(sink, value);
        }
        None => sink.put(&[0]),
    }
}

fn optional_bytes(sink: &mut impl Sink, value: Option<&[u8]>) {
    match value {
        Some(value) => {
            sink.put(&[1]);
            sink.put(&(value.len() as u64).to_be_bytes());
            sink.put(value);
        }
        None => sink.put(&[0]),
    }
}

/// An entry's encoding around the two parts only the head of the chain decides (its
/// sequence number and its predecessor's hash): `hash = SHA-256(before ‖ seq ‖ after ‖
/// prev_hash)`. The append sends these for PostgreSQL to finish under the chain lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Encoded {
    /// The version tag, length-prefixed.
    pub before: Vec<u8>,
    /// Everything from the time to the details.
    pub after: Vec<u8>,
}

impl Record {
    fn sealed(&self) -> bool {
        self.rationale_sealed.is_some() || self.rationale_case.is_some()
    }

    fn before(&self, sink: &mut impl Sink) {
        text(sink, if self.sealed() { VERSION_SEALED } else { VERSION });
    }

    fn after(&self, sink: &mut impl Sink) {
        sink.put(&self.occurred_at.timestamp_micros().to_be_bytes());
        text(sink, &self.actor_kind);
        optional(sink, self.actor_id.as_deref());
        text(sink, &self.action);
        optional(sink, self.subject_kind.as_deref());
        optional(sink, self.subject_id.as_deref());
        optional(sink, self.rationale.as_deref());
        if self.sealed() {
            optional_bytes(sink, self.rationale_sealed.as_deref());
            optional_bytes(sink, self.rationale_case.as_ref().map(|c| c.as_bytes().as_slice()));
        }
        let mut details = String::new();
        canonical_json(&self.details, &mut details);
        text(sink, &details);
    }

    /// This entry's hash.
    pub fn hash(&self) -> [u8; 32] {
        let mut hasher = Sha256::new();
        self.before(&mut hasher);
        hasher.update(self.seq.to_be_bytes());
        self.after(&mut hasher);
        hasher.update(self.prev_hash.0);
        hasher.finalize().into()
    }

    /// This entry's encoding without its sequence number and predecessor's hash.
    pub fn encoded(&self) -> Encoded {
        let (mut before, mut after) = (Vec::with_capacity(24), Vec::with_capacity(256));
        self.before(&mut before);
        self.after(&mut after);
        Encoded { before, after }
    }
}

/// JSON with object keys sorted at every depth, whatever order the map keeps them in
/// (PostgreSQL's jsonb reorders keys; serde_json may keep insertion order).
pub fn canonical_json(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                canonical_json(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> Record {
        Record {
            seq: 1,
            occurred_at: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap_or_default(),
            actor_kind: "system".into(),
            actor_id: None,
            action: "audit.checkpoint".into(),
            subject_kind: None,
            subject_id: None,
            rationale: None,
            rationale_sealed: None,
            rationale_case: None,
            details: serde_json::json!({"b": 1, "a": [1, 2]}),
            prev_hash: GENESIS.into(),
        }
    }

    #[test]
    fn every_field_changes_the_hash() {
        let base = record().hash();
        let mut changed = record();
        changed.seq = 2;
        assert_ne!(changed.hash(), base);
        let mut changed = record();
        changed.actor_id = Some(String::new());
        assert_ne!(changed.hash(), base, "empty is not absent");
        let mut changed = record();
        changed.details = serde_json::json!({"b": 2, "a": [1, 2]});
        assert_ne!(changed.hash(), base);
        let mut changed = record();
        changed.prev_hash = [1; 32].into();
        assert_ne!(changed.hash(), base);
        let mut sealed = record();
        sealed.rationale_sealed = Some(vec![1, 2, 3]);
        assert_ne!(sealed.hash(), base);
        let mut other = sealed.clone();
        other.rationale_sealed = Some(vec![1, 2, 4]);
        assert_ne!(other.hash(), sealed.hash(), "the sealed bytes are hashed");
        let mut moved = sealed.clone();
        moved.rationale_case = Some(uuid::Uuid::nil());
        assert_ne!(moved.hash(), sealed.hash(), "and the case whose key sealed them");
    }

    #[test]
    fn the_encoding_around_seq_and_prev_hash_hashes_alike() {
        let mut sealed = record();
        sealed.rationale_sealed = Some(vec![9; 40]);
        sealed.prev_hash = [7; 32].into();
        for record in [record(), sealed] {
            let Encoded { before, after } = record.encoded();
            let whole = [before.as_slice(), &record.seq.to_be_bytes(), &after, &record.prev_hash.0].concat();
            assert_eq!(<[u8; 32]>::from(Sha256::digest(&whole)), record.hash());
        }
    }

    #[test]
    fn key_order_does_not_matter() {
        let mut other = record();
        other.details = serde_json::from_str(r#"{"a": [1, 2], "b": 1}"#).unwrap_or_default();
        assert_eq!(other.hash(), record().hash());
    }
}
