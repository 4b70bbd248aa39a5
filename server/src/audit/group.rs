//! Access entries appended together.
//!
//! Every read of confidential content appends an access entry, and reads are the most
//! frequent requests. Appended one by one, concurrent reads queue for the chain lock, each
//! holding it through its own statement and commit. Here a read's entry joins a queue
//! instead, and the first request to find no group being appended leads: on its own
//! connection it appends every entry queued so far in one statement (`audit_append_many`,
//! migration 0030) under one lock, then hands each request its place in the chain. A request
//! that does not lead waits with its own connection idle and may lead the next group, so no
//! request ever uses a second connection, and the queue never holds more entries than the
//! pool has connections. Each request returns only after its own entry is in the chain.
//!
//! The entries of a group commit in a transaction of their own whose commit does not wait
//! for the disk: a crash can lose at most the last fraction of a second of read entries,
//! never leave a gap, and the next change committed normally makes them durable too.

use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use tokio::sync::{Notify, oneshot};
use uuid::Uuid;

use super::{Appended, AuditError, NewEntry, chain};

/// Reads' access entries waiting to be appended together: one per server, shared by every
/// service that records reads.
#[derive(Default)]
pub struct ReadGroup {
    state: Mutex<State>,
    /// Woken whenever a leader finishes (or gives up): a request whose entry is still
    /// queued may then lead the next group.
    turn: Notify,
}

impl std::fmt::Debug for ReadGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadGroup").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    queue: Vec<Queued>,
    /// A request is appending a group now.
    leading: bool,
    next_ticket: u64,
}

struct Queued {
    ticket: u64,
    record: chain::Record,
    encoded: chain::Encoded,
    reply: oneshot::Sender<Appended>,
}

impl ReadGroup {
    /// Appends a read's access entry, with whatever other reads' entries are waiting, and
    /// returns its place in the chain. `conn` must hold no open transaction.
    pub async fn append(
        &self,
        conn: &mut PgConnection,
        entry: NewEntry,
        now: DateTime<Utc>,
    ) -> Result<Appended, AuditError> {
        let record = super::unplaced(entry, now)?;
        loop {
            let (ticket, mut reply) = self.enqueue(record.clone());
            let _queued = Dequeue { group: self, ticket };
            loop {
                // Registered before looking, so a leader finishing meanwhile still wakes it.
                let turn = self.turn.notified();
                tokio::pin!(turn);
                turn.as_mut().enable();
                match reply.try_recv() {
                    Ok(appended) => return Ok(appended),
                    // The leader of its group failed or stopped before answering (its request
                    // was dropped): the entry may or may not be in the chain, so it queues
                    // again. A read recorded twice is harmless; one not recorded is not.
                    Err(oneshot::error::TryRecvError::Closed) => break,
                    Err(oneshot::error::TryRecvError::Empty) => {}
                }
                if let Some(group) = self.lead() {
                    let _leading = Leading(self);
                    if let Err(error) = write(conn, group).await {
                        return Err(error.into());
                    }
                    continue;
                }
                turn.await;
            }
        }
    }

    /// How many entries wait for a group to take them.
    pub fn queued(&self) -> usize {
        self.state().queue.len()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        // Nothing panics while holding the lock; if something did, the queue is still whole.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn enqueue(&self, record: chain::Record) -> (u64, oneshot::Receiver<Appended>) {
        let (reply, answer) = oneshot::channel();
        let encoded = record.encoded();
        let mut state = self.state();
        state.next_ticket += 1;
        let ticket = state.next_ticket;
        state.queue.push(Queued { ticket, record, encoded, reply });
        (ticket, answer)
    }

    /// Everything queued, if nobody is appending and something waits.
    fn lead(&self) -> Option<Vec<Queued>> {
        let mut state = self.state();
        if state.leading || state.queue.is_empty() {
            return None;
        }
        state.leading = true;
        Some(std::mem::take(&mut state.queue))
    }
}

/// Takes a request's entry out of the queue if it leaves before any group took it.
struct Dequeue<'a> {
    group: &'a ReadGroup,
    ticket: u64,
}

impl Drop for Dequeue<'_> {
    fn drop(&mut self) {
        self.group.state().queue.retain(|q| q.ticket != self.ticket);
    }
}

/// Ends a lead, whether the group was appended, failed, or its request was dropped.
struct Leading<'a>(&'a ReadGroup);

impl Drop for Leading<'_> {
    fn drop(&mut self) {
        self.0.state().leading = false;
        self.0.turn.notify_waiters();
    }
}

/// Appends `group` in one statement and answers every request in it.
async fn write(conn: &mut PgConnection, group: Vec<Queued>) -> Result<(), sqlx::Error> {
    let started = std::time::Instant::now();
    let rows = insert(conn, &group).await.and_then(|rows| {
        if rows.len() == group.len() {
            Ok(rows)
        } else {
            Err(sqlx::Error::Protocol(format!("{} entries appended of {}", rows.len(), group.len())))
        }
    });
    metrics::histogram!("shelter_audit_append_seconds").record(started.elapsed().as_secs_f64());
    metrics::histogram!("shelter_audit_group_entries").record(group.len() as f64);
    match rows {
        Ok(rows) => {
            for (queued, appended) in group.into_iter().zip(rows) {
                // A request that left meanwhile no longer listens.
                let _ = queued.reply.send(appended);
            }
            Ok(())
        }
        // The others' replies are dropped unanswered: each queues again and may lead a group
        // on its own connection, so one broken connection fails one request, not a group.
        Err(error) => Err(error),
    }
}

async fn insert(conn: &mut PgConnection, group: &[Queued]) -> Result<Vec<Appended>, sqlx::Error> {
    let records = || group.iter().map(|q| &q.record);
    let rows = sqlx::query!(
        r#"select appended_seq as "seq!", appended_hash as "hash!"
           from audit_append_many($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, true)"#,
        &group.iter().map(|q| q.encoded.before.clone()).collect::<Vec<_>>(),
        &group.iter().map(|q| q.encoded.after.clone()).collect::<Vec<_>>(),
        &records().map(|r| r.occurred_at).collect::<Vec<_>>(),
        &records().map(|r| r.actor_kind.clone()).collect::<Vec<_>>(),
        // Nullable elements go as arrays of options, which the macro's type check does not
        // cover: each cast names the array type the function declares.
        &records().map(|r| r.actor_id.clone()).collect::<Vec<_>>() as &[Option<String>],
        &records().map(|r| r.action.clone()).collect::<Vec<_>>(),
        &records().map(|r| r.subject_kind.clone()).collect::<Vec<_>>() as &[Option<String>],
        &records().map(|r| r.subject_id.clone()).collect::<Vec<_>>() as &[Option<String>],
        &records().map(|r| r.rationale_sealed.clone()).collect::<Vec<_>>() as &[Option<Vec<u8>>],
        &records().map(|r| r.rationale_case).collect::<Vec<_>>() as &[Option<Uuid>],
        &records().map(|r| r.details.clone()).collect::<Vec<_>>(),
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|row| Appended { seq: row.seq, hash: chain::to_hash(&row.hash) }).collect())
}
