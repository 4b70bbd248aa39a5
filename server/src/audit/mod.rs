//! The tamper-evident audit trail.
//!
//! Every domain service calls [`record`] inside its own transaction, as its last write:
//! the change and its entry commit together or not at all. Entries form a SHA-256 hash
//! chain (see [`chain`]); `shelter audit verify` walks it ([`verify`]).

pub mod chain;
pub mod checkpoint;
pub mod copy_binary;
pub mod group;
pub mod query;
pub mod review;
pub mod sealed;
pub mod verify;
pub mod words;

pub use sealed::SealedRationale;

use chrono::{DateTime, Utc};
use serde_json::Value;
use shelter_shared::audit::AuditAction;
use sqlx::PgConnection;
use uuid::Uuid;

/// Serialises appends across all server processes for the rest of the transaction. The
/// value is repeated in `audit_append` (migration 0028): change both or neither.
const CHAIN_LOCK: i64 = 0x5348_454c_5445_5201;

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A staff member.
    Staff(Uuid),
    /// A requester, named by their case reference only.
    Requester(String),
    /// Shelter itself or an operator at the command line.
    System,
    /// Someone outside the staff who answered a question through their link, named by
    /// the invite (which says who was asked).
    Voucher(Uuid),
    /// An operator at the command line, named by their operating-system account (see
    /// [`crate::cli::os_user`]): stored as a `system` actor with the id `os:NAME`.
    Operator(String),
}

impl Actor {
    /// `(kind, id)` as stored.
    pub fn parts(&self) -> (&'static str, Option<String>) {
        match self {
            Actor::Staff(id) => ("staff", Some(id.to_string())),
            Actor::Requester(reference) => ("requester", Some(reference.clone())),
            Actor::System => ("system", None),
            Actor::Voucher(invite) => ("voucher", Some(invite.to_string())),
            Actor::Operator(name) => ("system", Some(format!("os:{name}"))),
        }
    }
}

/// What it was done to: a kind and an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// `staff_user`, `case`, `grant`, …
    pub kind: &'static str,
    /// The id.
    pub id: String,
}

impl Subject {
    /// A staff account.
    pub fn staff_user(id: Uuid) -> Self {
        Subject { kind: "staff_user", id: id.to_string() }
    }
}

/// An entry about to be appended.
#[derive(Debug, Clone)]
pub struct NewEntry {
    /// Who.
    pub actor: Actor,
    /// What.
    pub action: AuditAction,
    /// To what.
    pub subject: Option<Subject>,
    /// Why (required for decisions), sealed.
    pub rationale: Option<SealedRationale>,
    /// Ids, states, amounts; never personal content.
    pub details: Value,
}

impl NewEntry {
    /// An entry with no subject, rationale or details yet.
    pub fn new(actor: Actor, action: AuditAction) -> Self {
        NewEntry { actor, action, subject: None, rationale: None, details: Value::Object(Default::default()) }
    }

    /// Names the subject.
    pub fn subject(mut self, subject: Subject) -> Self {
        self.subject = Some(subject);
        self
    }

    /// Gives the rationale, sealed (see [`SealedRationale`]); a blank one is none.
    pub fn rationale(mut self, rationale: Option<SealedRationale>) -> Self {
        self.rationale = rationale;
        self
    }

    /// Adds details.
    pub fn details(mut self, details: Value) -> Self {
        self.details = details;
        self
    }
}

/// Why an entry could not be appended.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// A decision without a written rationale.
    #[error("a decision needs a written rationale")]
    RationaleRequired,
    /// The database refused.
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// An appended entry's place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appended {
    /// Sequence number.
    pub seq: i64,
    /// Its hash.
    pub hash: [u8; 32],
}

/// Appends `entry` in `conn`'s transaction. Call it last before committing: the chain lock
/// it takes is held until the transaction ends.
pub async fn record(conn: &mut PgConnection, entry: NewEntry, now: DateTime<Utc>) -> Result<Appended, AuditError> {
    let record = unplaced(entry, now)?;
    // One statement (`audit_append`, migration 0028) takes the chain lock, reads the head and
    // inserts the entry, hashing the encoding made here around the head's two parts.
    let encoded = record.encoded();
    // Waiting for the chain lock included: that is what grows when appends contend.
    let started = std::time::Instant::now();
    let row = sqlx::query!(
        r#"select appended_seq as "seq!", appended_hash as "hash!"
           from audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"#,
        encoded.before,
        encoded.after,
        record.occurred_at,
        record.actor_kind,
        record.actor_id.as_deref(),
        record.action,
        record.subject_kind.as_deref(),
        record.subject_id.as_deref(),
        record.rationale_sealed.as_deref(),
        record.rationale_case,
        &record.details,
        false,
    )
    .fetch_one(&mut *conn)
    .await?;
    metrics::histogram!("shelter_audit_append_seconds").record(started.elapsed().as_secs_f64());
    Ok(Appended { seq: row.seq, hash: chain::to_hash(&row.hash) })
}

/// `entry` as it will be hashed, but for its place in the chain (sequence number and
/// previous hash), which the head decides under the lock.
fn unplaced(entry: NewEntry, now: DateTime<Utc>) -> Result<chain::Record, AuditError> {
    let rationale = entry.rationale;
    if entry.action.is_decision() && rationale.is_none() {
        return Err(AuditError::RationaleRequired);
    }
    let (actor_kind, actor_id) = entry.actor.parts();
    Ok(chain::Record {
        seq: 0,
        prev_hash: chain::GENESIS.into(),
        occurred_at: chain::to_micros(now),
        actor_kind: actor_kind.to_owned(),
        actor_id,
        action: entry.action.as_str().to_owned(),
        subject_kind: entry.subject.as_ref().map(|s| s.kind.to_owned()),
        subject_id: entry.subject.map(|s| s.id),
        rationale: None,
        rationale_case: rationale.as_ref().and_then(|r| r.case),
        rationale_sealed: rationale.map(|r| r.bytes),
        details: entry.details,
    })
}

/// Appends `entries`, in order, in `conn`'s transaction, with one chain lock, one read of
/// the head and one insert: for a job that changes many records at once (the purge), whose
/// entries would otherwise each cost three round trips under the lock. Same rules as
/// [`record`]: call it last before committing.
pub async fn record_all(
    conn: &mut PgConnection,
    entries: Vec<NewEntry>,
    now: DateTime<Utc>,
) -> Result<Vec<Appended>, AuditError> {
    if entries.iter().any(|e| e.action.is_decision() && e.rationale.is_none()) {
        return Err(AuditError::RationaleRequired);
    }
    if entries.is_empty() {
        return Ok(vec![]);
    }
    sqlx::query!("select pg_advisory_xact_lock($1)", CHAIN_LOCK).execute(&mut *conn).await?;
    let head = sqlx::query!("select seq, hash from audit_log order by seq desc limit 1")
        .fetch_optional(&mut *conn)
        .await?
        .map(|row| (row.seq, row.hash));
    let (mut seq, mut prev_hash) = head.map(|(s, h)| (s, chain::to_hash(&h))).unwrap_or((0, chain::GENESIS));
    let mut records = Vec::with_capacity(entries.len());
    let mut actions = Vec::with_capacity(entries.len());
    let mut appended = Vec::with_capacity(entries.len());
    for entry in entries {
        actions.push(entry.action);
        seq += 1;
        let record = chain::Record { seq, prev_hash: prev_hash.into(), ..unplaced(entry, now)? };
        prev_hash = record.hash();
        appended.push(Appended { seq, hash: prev_hash });
        records.push(record);
    }
    let column = |f: &dyn Fn(&chain::Record) -> Option<String>| records.iter().map(f).collect::<Vec<_>>();
    sqlx::query!(
        "insert into audit_log (seq, occurred_at, actor_kind, actor_id, action, subject_kind, subject_id, rationale_sealed,
                                rationale_case, details, prev_hash, hash)
         select * from unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                              $8::bytea[], $9::uuid[], $10::jsonb[], $11::bytea[], $12::bytea[])",
        // Nullable columns go as arrays of options, which the macro's type check does not
        // cover: each cast names the array type the SQL declares.
        &records.iter().map(|r| r.seq).collect::<Vec<_>>(),
        &records.iter().map(|r| r.occurred_at).collect::<Vec<_>>(),
        &records.iter().map(|r| r.actor_kind.clone()).collect::<Vec<_>>(),
        &column(&|r| r.actor_id.clone()) as &[Option<String>],
        &actions as &[AuditAction],
        &column(&|r| r.subject_kind.clone()) as &[Option<String>],
        &column(&|r| r.subject_id.clone()) as &[Option<String>],
        &records.iter().map(|r| r.rationale_sealed.clone()).collect::<Vec<_>>() as &[Option<Vec<u8>>],
        &records.iter().map(|r| r.rationale_case).collect::<Vec<_>>() as &[Option<Uuid>],
        &records.iter().map(|r| r.details.clone()).collect::<Vec<_>>(),
        &records.iter().map(|r| r.prev_hash.to_vec()).collect::<Vec<_>>(),
        &appended.iter().map(|a| a.hash.to_vec()).collect::<Vec<_>>()
    )
    .execute(&mut *conn)
    .await?;
    Ok(appended)
}

/// Appends `entry` in a transaction of its own (for events that are not part of another
/// change: a refused authorisation, a failed sign-in): one statement, committed alone.
pub async fn record_alone(pool: &sqlx::PgPool, entry: NewEntry, now: DateTime<Utc>) -> Result<Appended, AuditError> {
    record(&mut *pool.acquire().await?, entry, now).await
}
