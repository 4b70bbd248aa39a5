//! Throttling sign-in per sign-in name, in the database (per address: [`super::address_limit`]).
//!
//! Per name: four free failures, then a growing wait (2 s, 4 s, … up to 15 min) after each
//! further one, and a lock after 20 in a row that an administrator or supervisor lifts.
//! Names are tracked whether or not an account exists, so the answers never tell.
//! Reaching the lock takes over an hour of steady guessing, which limits how easily an
//! attacker can lock a defender out; a supervisor can unlock at once.

use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Failures allowed before waits begin.
const FREE_FAILURES: i32 = 4;
/// Longest wait between attempts, in seconds.
const MAX_WAIT_SECS: u64 = 15 * 60;
/// Consecutive failures that lock the name.
pub const LOCK_AFTER: i32 = 20;

/// Whether an attempt may go ahead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Go ahead.
    Open,
    /// Wait this many seconds.
    Wait(u64),
    /// Locked until unlocked by staff.
    Locked,
}

fn wait_after(failures: i32) -> u64 {
    if failures <= FREE_FAILURES {
        return 0;
    }
    let exponent = u32::try_from(failures - FREE_FAILURES).unwrap_or(u32::MAX).min(20);
    (1u64 << exponent).min(MAX_WAIT_SECS)
}

/// The gate that `failures`, the last at `last`, and a lock make at `now`.
fn judge(failures: i32, last: DateTime<Utc>, locked: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Gate {
    if locked.is_some() {
        return Gate::Locked;
    }
    let elapsed = u64::try_from((now - last).num_seconds()).unwrap_or(0);
    let wait = wait_after(failures);
    if elapsed < wait { Gate::Wait(wait - elapsed) } else { Gate::Open }
}

/// The gate for `subject` now.
pub async fn gate(conn: &mut PgConnection, subject: &[u8], now: DateTime<Utc>) -> sqlx::Result<Gate> {
    let row = sqlx::query!(
        "select failures, last_failure_at, locked_at from sign_in_throttle where subject_hash = $1",
        subject
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map_or(Gate::Open, |row| judge(row.failures, row.last_failure_at, row.locked_at, now)))
}

/// Forgets `subject`'s failures in the transaction of a sign-in that may succeed, in one
/// statement, and returns the gate they made. The forgetting stands only if that transaction
/// commits: when the gate is not open, or the sign-in then fails, the caller drops it and the
/// failures are kept (the row stays locked until then, so a failure counted meanwhile waits
/// rather than being lost).
pub async fn clear_returning_gate(conn: &mut PgConnection, subject: &[u8], now: DateTime<Utc>) -> sqlx::Result<Gate> {
    let row = sqlx::query!(
        "delete from sign_in_throttle where subject_hash = $1 returning failures, last_failure_at, locked_at",
        subject
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map_or(Gate::Open, |row| judge(row.failures, row.last_failure_at, row.locked_at, now)))
}

/// Locks `subject`'s throttle row for the rest of the transaction (creating an empty one
/// if needed), so that concurrent attempts on one name are judged one after another.
pub async fn lock(conn: &mut PgConnection, subject: &[u8], now: DateTime<Utc>) -> sqlx::Result<()> {
    sqlx::query!(
        "insert into sign_in_throttle (subject_hash, failures, last_failure_at) values ($1, 0, $2)
         on conflict (subject_hash) do nothing",
        subject,
        now
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("select 1 as one from sign_in_throttle where subject_hash = $1 for update", subject)
        .fetch_optional(conn)
        .await?;
    Ok(())
}

/// Counts a failure; returns the gate that now applies.
pub async fn record_failure(conn: &mut PgConnection, subject: &[u8], now: DateTime<Utc>) -> sqlx::Result<Gate> {
    let row = sqlx::query!(
        "insert into sign_in_throttle (subject_hash, failures, last_failure_at) values ($1, 1, $2)
         on conflict (subject_hash) do update set
             failures = sign_in_throttle.failures + 1,
             last_failure_at = $2,
             locked_at = case when sign_in_throttle.failures + 1 >= $3 then coalesce(sign_in_throttle.locked_at, $2)
                              else sign_in_throttle.locked_at end
         returning failures, locked_at",
        subject,
        now,
        LOCK_AFTER
    )
    .fetch_one(conn)
    .await?;
    let (failures, locked) = (row.failures, row.locked_at);
    Ok(if locked.is_some() {
        Gate::Locked
    } else {
        match wait_after(failures) {
            0 => Gate::Open,
            secs => Gate::Wait(secs),
        }
    })
}

/// Forgets failures: after a success, or when staff unlock.
pub async fn clear(conn: &mut PgConnection, subject: &[u8]) -> sqlx::Result<bool> {
    let done = sqlx::query!("delete from sign_in_throttle where subject_hash = $1", subject).execute(conn).await?;
    Ok(done.rows_affected() > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_are_capped() {
        assert_eq!(wait_after(4), 0);
        assert_eq!(wait_after(5), 2);
        assert_eq!(wait_after(8), 16);
        assert_eq!(wait_after(19), MAX_WAIT_SECS);
    }
}
