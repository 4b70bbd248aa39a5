//! `shelter audit verify`: walks the whole chain and names the first fault.

use std::collections::HashMap;
use std::fmt;

use futures_util::TryStreamExt;
use sqlx::PgPool;

use super::chain::{GENESIS, Record};

/// A head hash written down earlier: `SEQ:HEX` or just `HEX`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The sequence number, when given.
    pub seq: Option<i64>,
    /// The hash.
    pub hash: [u8; 32],
}

impl std::str::FromStr for Anchor {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (seq, hex_hash) = match text.trim().split_once(':') {
            Some((seq, hash)) => (Some(seq.parse::<i64>().map_err(|_| format!("bad sequence number {seq:?}"))?), hash),
            None => (None, text.trim()),
        };
        let bytes = hex::decode(hex_hash).map_err(|_| "the hash must be hexadecimal".to_owned())?;
        let hash = bytes.try_into().map_err(|_| "the hash must be 32 bytes (64 hex characters)".to_owned())?;
        Ok(Anchor { seq, hash })
    }
}

/// What is wrong with the chain, at the first place it goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The entry's content no longer matches its hash.
    Altered {
        /// Where.
        seq: i64,
    },
    /// The entry is intact but stands in another's place.
    Reordered {
        /// Where it stands.
        seq: i64,
        /// Where it was written.
        written_at: i64,
    },
    /// Entries are missing between two sequence numbers.
    Missing {
        /// The last entry before the gap (0: the start).
        after: i64,
        /// The next entry present.
        next: i64,
    },
    /// The entry does not follow the one before it (an entry was replaced or inserted).
    BrokenLink {
        /// Where.
        seq: i64,
    },
    /// A checkpoint names an entry that is gone: the tail was cut off.
    Truncated {
        /// The checkpoint's sequence number.
        checkpoint_seq: i64,
        /// The last entry left.
        last_seq: i64,
    },
    /// A checkpoint's hash differs from the entry now at its sequence number.
    CheckpointMismatch {
        /// Where.
        seq: i64,
    },
    /// The anchor given is not in the chain.
    AnchorNotFound,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::Altered { seq } => write!(f, "entry {seq} was altered: its content no longer matches its hash"),
            Fault::Reordered { seq, written_at } => {
                write!(f, "entries were reordered: entry {seq} holds the entry written as {written_at}")
            }
            Fault::Missing { after, next } => {
                write!(
                    f,
                    "entries are missing: after {after} the next entry is {next} (deleted {}..={})",
                    after + 1,
                    next - 1
                )
            }
            Fault::BrokenLink { seq } => {
                write!(f, "entry {seq} does not follow entry {}: an entry was replaced, inserted or deleted", seq - 1)
            }
            Fault::Truncated { checkpoint_seq, last_seq } => write!(
                f,
                "the trail was truncated: a checkpoint recorded entry {checkpoint_seq}, but the last entry is {last_seq}"
            ),
            Fault::CheckpointMismatch { seq } => {
                write!(f, "entry {seq} differs from the checkpoint recorded for it: history was rewritten")
            }
            Fault::AnchorNotFound => write!(f, "the anchor is not in the chain: history was rewritten or truncated"),
        }
    }
}

/// The outcome of a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Entries read.
    pub entries: u64,
    /// The last entry: sequence number and hash.
    pub head: Option<(i64, [u8; 32])>,
    /// The first fault found, if any.
    pub fault: Option<Fault>,
}

struct Stored {
    record: Record,
    hash: Vec<u8>,
}

/// Walks the chain in order, recomputing each hash and link; then checks the recorded
/// checkpoints and the anchor, if given.
pub async fn verify(pool: &PgPool, anchor: Option<&Anchor>) -> Result<Report, sqlx::Error> {
    let checkpoints: HashMap<i64, Vec<u8>> = sqlx::query!("select seq, hash from audit_checkpoint")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|row| (row.seq, row.hash))
        .collect();
    // The action stays the text stored: the chain hashes exactly what was written.
    let mut rows = sqlx::query!(
        "select seq, occurred_at, actor_kind, actor_id, action, subject_kind, subject_id, rationale, rationale_sealed,
                rationale_case, details, prev_hash, hash
         from audit_log order by seq"
    )
    .map(|row| Stored {
        record: Record {
            seq: row.seq,
            occurred_at: row.occurred_at,
            actor_kind: row.actor_kind,
            actor_id: row.actor_id,
            action: row.action,
            subject_kind: row.subject_kind,
            subject_id: row.subject_id,
            rationale: row.rationale,
            rationale_sealed: row.rationale_sealed,
            rationale_case: row.rationale_case,
            details: row.details,
            prev_hash: row.prev_hash.into(),
        },
        hash: row.hash,
    })
    .fetch(pool);
    let mut report = Report { entries: 0, head: None, fault: None };
    let (mut prev_seq, mut prev_hash) = (0i64, GENESIS);
    let mut anchor_found = false;
    while let Some(Stored { record, hash: stored }) = rows.try_next().await? {
        report.entries += 1;
        let stored: [u8; 32] = stored.as_slice().try_into().unwrap_or([0; 32]);
        if report.fault.is_none() {
            report.fault = check_entry(&record, &stored, prev_seq, &prev_hash).or_else(|| {
                checkpoints
                    .get(&record.seq)
                    .filter(|h| h.as_slice() != stored)
                    .map(|_| Fault::CheckpointMismatch { seq: record.seq })
            });
        }
        if let Some(anchor) = anchor {
            anchor_found |= anchor.hash == stored && anchor.seq.is_none_or(|s| s == record.seq);
        }
        prev_seq = record.seq;
        prev_hash = stored;
        report.head = Some((record.seq, stored));
    }
    if report.fault.is_none() {
        if let Some(&checkpoint_seq) = checkpoints.keys().filter(|&&s| s > prev_seq).max() {
            report.fault = Some(Fault::Truncated { checkpoint_seq, last_seq: prev_seq });
        } else if anchor.is_some() && !anchor_found {
            report.fault = Some(match anchor.and_then(|a| a.seq).filter(|&s| s > prev_seq) {
                Some(checkpoint_seq) => Fault::Truncated { checkpoint_seq, last_seq: prev_seq },
                None => Fault::AnchorNotFound,
            });
        }
    }
    Ok(report)
}

fn check_entry(record: &Record, stored: &[u8; 32], prev_seq: i64, prev_hash: &[u8; 32]) -> Option<Fault> {
    if &record.hash() != stored {
        // Intact content with another sequence number means the entries were moved.
        for written_at in [record.seq - 1, record.seq + 1, prev_seq + 1] {
            let mut moved = record.clone();
            moved.seq = written_at;
            if written_at != record.seq && &moved.hash() == stored {
                return Some(Fault::Reordered { seq: record.seq, written_at });
            }
        }
        return Some(Fault::Altered { seq: record.seq });
    }
    if record.seq != prev_seq + 1 {
        return Some(Fault::Missing { after: prev_seq, next: record.seq });
    }
    if &*record.prev_hash != prev_hash {
        return Some(Fault::BrokenLink { seq: record.seq });
    }
    None
}
