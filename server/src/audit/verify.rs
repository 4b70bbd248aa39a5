//! `shelter audit verify`: walks the whole chain and names the first fault.
//!
//! The trail streams out in PostgreSQL's binary COPY format; batches of rows are decoded and
//! hashed on all cores while the links are checked in order, here, as results come back.

use std::collections::HashMap;
use std::fmt;

use futures_util::TryStreamExt;
use sqlx::PgPool;

use super::chain::{GENESIS, Record, to_hash};
use super::copy_binary::{Batches, Rows};

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

/// Rows per batch handed to a core: large enough that handing over costs little, small
/// enough that the batches in flight stay a few megabytes whatever the trail's size.
const BATCH_ROWS: usize = 2048;

/// One entry as a worker left it: what the in-order walk needs.
struct Checked {
    seq: i64,
    stored: [u8; 32],
    prev_hash: [u8; 32],
    /// The entry itself, kept only when its content does not match its hash (to name the fault).
    altered: Option<Box<Record>>,
}

/// Walks the chain in order, checking each link; the entries' hashes are recomputed on all
/// cores from PostgreSQL's binary COPY stream, in batches, a bounded number at a time, so
/// memory stays flat at any size. Then checks the recorded checkpoints and the anchor, if given.
pub async fn verify(pool: &PgPool, anchor: Option<&Anchor>) -> Result<Report, sqlx::Error> {
    let checkpoints: HashMap<i64, Vec<u8>> = sqlx::query!("select seq, hash from audit_checkpoint")
        .fetch_all(pool)
        .await?
        .into_iter()
        .map(|row| (row.seq, row.hash))
        .collect();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let mut conn = pool.acquire().await?;
    // The columns in `decode`'s order. The action stays the text stored: the chain hashes
    // exactly what was written.
    let copy = conn
        .copy_out_raw(
            "copy (select seq, occurred_at, actor_kind, actor_id, action, subject_kind, subject_id, rationale,
                          rationale_sealed, rationale_case, details, prev_hash, hash
                   from audit_log order by seq) to stdout with (format binary)",
        )
        .await?;
    let batches = futures_util::stream::try_unfold(Batches::new(copy, BATCH_ROWS), |mut batches| async move {
        Ok(batches.next().await?.map(|batch| (batch, batches)))
    });
    let mut checked = std::pin::pin!(
        batches
            .map_ok(|batch| async move {
                tokio::task::spawn_blocking(move || check_batch(batch))
                    .await
                    .map_err(|e| sqlx::Error::Protocol(format!("a hashing worker failed: {e}")))?
            })
            .try_buffered(cores * 2)
    );
    let mut report = Report { entries: 0, head: None, fault: None };
    let (mut prev_seq, mut prev_hash) = (0i64, GENESIS);
    let mut anchor_found = false;
    while let Some(batch) = checked.try_next().await? {
        for entry in batch {
            report.entries += 1;
            if report.fault.is_none() {
                report.fault = match &entry.altered {
                    Some(record) => check_entry(record, &entry.stored, prev_seq, &prev_hash),
                    None => check_link(entry.seq, &entry.prev_hash, prev_seq, &prev_hash),
                }
                .or_else(|| {
                    checkpoints
                        .get(&entry.seq)
                        .filter(|h| h.as_slice() != entry.stored)
                        .map(|_| Fault::CheckpointMismatch { seq: entry.seq })
                });
            }
            if let Some(anchor) = anchor {
                anchor_found |= anchor.hash == entry.stored && anchor.seq.is_none_or(|s| s == entry.seq);
            }
            prev_seq = entry.seq;
            prev_hash = entry.stored;
            report.head = Some((entry.seq, entry.stored));
        }
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

/// Decodes a batch of rows and recomputes each entry's hash (on a blocking thread).
fn check_batch(batch: bytes::Bytes) -> Result<Vec<Checked>, sqlx::Error> {
    let mut rows = Rows::new(batch);
    let mut fields = Vec::with_capacity(13);
    let mut checked = Vec::with_capacity(BATCH_ROWS);
    while rows.next_row(&mut fields)? {
        let (record, stored) = decode(&fields)?;
        let stored = to_hash(&stored);
        let (seq, prev_hash) = (record.seq, record.prev_hash.0);
        let altered = if record.hash() == stored { None } else { Some(Box::new(record)) };
        checked.push(Checked { seq, stored, prev_hash, altered });
    }
    Ok(checked)
}

/// PostgreSQL's epoch (2000-01-01) in Unix microseconds.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// One row's fields, in the COPY's column order, as a record and its stored hash.
fn decode(fields: &[Option<bytes::Bytes>]) -> Result<(Record, Vec<u8>), sqlx::Error> {
    let bad = |what: &str| sqlx::Error::Protocol(format!("audit_log row: {what}"));
    let [seq, at, actor_kind, actor_id, action, subject_kind, subject_id, rationale, sealed, case, details, prev, hash] =
        fields
    else {
        return Err(bad("wrong number of columns"));
    };
    let int8 = |f: &Option<bytes::Bytes>, what: &str| -> Result<i64, sqlx::Error> {
        let raw = f.as_deref().ok_or_else(|| bad(what))?;
        Ok(i64::from_be_bytes(raw.try_into().map_err(|_| bad(what))?))
    };
    let text = |f: &Option<bytes::Bytes>| -> Result<Option<String>, sqlx::Error> {
        f.as_deref().map(|b| String::from_utf8(b.to_vec()).map_err(|_| bad("text is not UTF-8"))).transpose()
    };
    let required = |f: &Option<bytes::Bytes>, what: &str| text(f)?.ok_or_else(|| bad(what));
    let blob = |f: &Option<bytes::Bytes>| f.as_deref().map(<[u8]>::to_vec);
    let occurred_at = chrono::DateTime::from_timestamp_micros(int8(at, "occurred_at")? + PG_EPOCH_MICROS)
        .ok_or_else(|| bad("occurred_at out of range"))?;
    let rationale_case = case
        .as_deref()
        .map(|b| uuid::Uuid::from_slice(b).map_err(|_| bad("rationale_case is not a uuid")))
        .transpose()?;
    // jsonb's binary form: a version byte (1), then the JSON text.
    let details = match details.as_deref() {
        Some([1, json @ ..]) => serde_json::from_slice(json).map_err(|_| bad("details are not JSON"))?,
        _ => return Err(bad("details")),
    };
    let record = Record {
        seq: int8(seq, "seq")?,
        occurred_at,
        actor_kind: required(actor_kind, "actor_kind")?,
        actor_id: text(actor_id)?,
        action: required(action, "action")?,
        subject_kind: text(subject_kind)?,
        subject_id: text(subject_id)?,
        rationale: text(rationale)?,
        rationale_sealed: blob(sealed),
        rationale_case,
        details,
        prev_hash: blob(prev).unwrap_or_default().into(),
    };
    Ok((record, blob(hash).unwrap_or_default()))
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
    check_link(record.seq, &record.prev_hash, prev_seq, prev_hash)
}

/// Whether an intact entry follows the one before it.
fn check_link(seq: i64, its_prev: &[u8; 32], prev_seq: i64, prev_hash: &[u8; 32]) -> Option<Fault> {
    if seq != prev_seq + 1 {
        return Some(Fault::Missing { after: prev_seq, next: seq });
    }
    if its_prev != prev_hash {
        return Some(Fault::BrokenLink { seq });
    }
    None
}
