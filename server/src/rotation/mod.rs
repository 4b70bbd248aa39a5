//! `shelter keys rotate`: a new master key, online, in batches, resumable.
//!
//! 1. **Start** (one transaction): a new random master key is written beside the old file
//!    (`master.key.next`, fsynced), a new generation of the TOTP, case-key, directory and
//!    audit keys is made, and the whole new ring (pepper, lookup and earlier audit keys
//!    carried over) is stored sealed under the new master, with the rotation recorded in
//!    `key_rotation` and the audit trail.
//! 2. **Re-seal** in batches: each value sealed under a replaced key (see [`columns`]) gets
//!    a copy sealed under the new generation in its `_next` column. The original stays in
//!    place, so every running server keeps reading and writing with the old key; a value a
//!    server rewrites meanwhile loses its copy (trigger) and is sealed again. Killed at any
//!    point, the next run resumes from the rows without a copy.
//! 3. **Switch** (one transaction, writers of the sealed tables wait a moment): rows written
//!    since are re-sealed, every copy takes its original's place, the old master's ring is
//!    deleted, the installation's key check changes, the other sessions of this database
//!    are ended, and the trail records it. Servers still holding the old key cannot connect
//!    again (see [`crate::db::pool_guarded`]) and stop themselves to be restarted with the
//!    new key file.
//! 4. **Replace the file**: `master.key.next` is renamed over `master.key` (atomic, then the
//!    directory is fsynced). A crash between 3 and 4 is finished by the next start
//!    ([`crate::keys::load`]) or the next run of the rotation.

pub mod columns;

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, bail};
use secrecy::SecretBox;
use serde_json::json;
use shelter_shared::audit::AuditAction;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};
use uuid::Uuid;

use crate::audit::{self, Actor, NewEntry};
use crate::clock::Clock;
use crate::keyring::{self, Purpose, RingKey};
use crate::keys::{self, Keys, Secret32};
use columns::{COLUMNS, SealedColumn};

/// Held (session advisory lock) by the one rotation that may run at a time.
const ROTATION_LOCK: i64 = 0x5348_454c_5445_5202;

/// How gently to go.
#[derive(Debug, Clone, Copy)]
pub struct Pace {
    /// Rows re-sealed per transaction.
    pub batch: i64,
    /// Pause after each batch (to spare a busy database).
    pub pause: Duration,
}

/// What a rotation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The new master key is in place.
    Rotated {
        /// The ring's new generation.
        generation: i32,
        /// Values re-sealed in this run.
        resealed: u64,
    },
    /// An earlier run had switched the database; this one only moved the key file.
    FinishedEarlier,
}

/// What the operator sees as the rotation goes.
pub trait Progress {
    /// `done` values of `what` re-sealed so far in this run.
    fn batch(&mut self, what: &str, done: u64);
}

impl<F: FnMut(&str, u64)> Progress for F {
    fn batch(&mut self, what: &str, done: u64) {
        self(what, done)
    }
}

fn key_for(keys: &Keys, purpose: Purpose) -> &Secret32 {
    match purpose {
        Purpose::Pepper => &keys.pepper,
        Purpose::Lookup => &keys.lookup,
        Purpose::Totp => &keys.totp,
        Purpose::CaseKeys => &keys.case_keys,
        Purpose::Directory => &keys.directory,
        Purpose::Audit => &keys.audit,
    }
}

/// Rotates the master key at `key_path` of the database at `options` (as its login role;
/// `pool` is the application's). Resumes a rotation left unfinished.
pub async fn rotate(
    options: &PgConnectOptions,
    pool: &PgPool,
    key_path: &Path,
    pace: Pace,
    clock: &dyn Clock,
    progress: &mut dyn Progress,
) -> anyhow::Result<Outcome> {
    let next_path = keys::next_key_path(key_path);
    let had_next = next_path.exists();
    let mut admin = options.connect().await.context("Failed to connect to PostgreSQL")?;
    let locked: bool = sqlx::query_scalar!(r#"select pg_try_advisory_lock($1) as "locked!""#, ROTATION_LOCK)
        .fetch_one(&mut admin)
        .await?;
    if !locked {
        bail!("another `shelter keys rotate` is running on this database");
    }
    // Refuses a wrong key as a start would, and finishes a rename an earlier run left undone.
    let old_keys = keys::load(key_path, pool).await?;
    let old_master = keys::read_key_file(key_path)?;
    let started = sqlx::query!("select new_master_check, generation from key_rotation")
        .fetch_optional(&mut admin)
        .await?
        .map(|row| (row.new_master_check, row.generation));
    if started.is_none() && had_next && !next_path.exists() {
        return Ok(Outcome::FinishedEarlier);
    }
    let old_ring = keyring::read(&mut admin, &old_master).await?;
    let (new_master, generation) = match started {
        Some((check, generation)) => (resume_key(&next_path, &check)?, generation),
        None => start(&mut admin, &old_ring, &next_path, clock).await?,
    };
    let new_keys = keyring::keys_from(keyring::read(&mut admin, &new_master).await?, keys::master_check(&new_master))?;

    let mut resealed = 0;
    for column in COLUMNS {
        let (mut done, mut after) = (0, Uuid::nil());
        loop {
            let mut conn = pool.acquire().await?;
            let mut tx = conn.begin().await?;
            let n = reseal_batch(&mut tx, column, &old_keys, &new_keys, pace.batch, &mut after).await?;
            tx.commit().await?;
            if n == 0 {
                break;
            }
            done += n;
            progress.batch(column.what, done);
            if !pace.pause.is_zero() {
                tokio::time::sleep(pace.pause).await;
            }
        }
        resealed += done;
    }
    resealed += switch(&mut admin, &old_keys, &new_keys, &old_master, &new_master, generation, clock).await?;
    keys::replace_key_file(&next_path, key_path)?;
    let _ = admin.close().await;
    Ok(Outcome::Rotated { generation, resealed })
}

/// Reads the new key file of a rotation in progress, which must be the one it started with.
fn resume_key(next_path: &Path, check: &[u8]) -> anyhow::Result<Secret32> {
    if !next_path.exists() {
        bail!(
            "a key rotation is in progress but its new key file {} is missing: restore it, or run \
             `shelter keys rotate --abandon` to drop the rotation (the current key keeps working)",
            next_path.display()
        );
    }
    let key = keys::read_key_file(next_path)?;
    if keys::master_check(&key).as_slice() != check {
        bail!(
            "{} is not the key the rotation in progress started with: restore the right file, or run \
             `shelter keys rotate --abandon`",
            next_path.display()
        );
    }
    Ok(key)
}

/// Makes the new master and ring and records the rotation; returns the key and generation.
async fn start(
    admin: &mut PgConnection,
    old_ring: &[RingKey],
    next_path: &Path,
    clock: &dyn Clock,
) -> anyhow::Result<(Secret32, i32)> {
    let generation = keyring::generation_of(old_ring) + 1;
    let new_master: Secret32 = SecretBox::new(Box::new(keys::random_bytes::<32>()));
    // Written (and fsynced) before the database knows of it: a crash here leaves a file
    // the next run simply overwrites.
    keys::write_key_file(next_path, &new_master)?;
    let mut ring: Vec<RingKey> = old_ring
        .iter()
        .filter(|k| !k.purpose.renewed_by_rotation() || k.purpose == Purpose::Audit)
        .map(|k| RingKey { purpose: k.purpose, generation: k.generation, key: keys::copy_secret(&k.key) })
        .collect();
    ring.extend(Purpose::ALL.into_iter().filter(|p| p.renewed_by_rotation()).map(|purpose| RingKey {
        purpose,
        generation,
        key: SecretBox::new(Box::new(keys::random_bytes::<32>())),
    }));
    let mut tx = admin.begin().await?;
    keyring::store(&mut tx, &new_master, &ring).await?;
    let new_check = keys::master_check(&new_master);
    sqlx::query!(
        "insert into key_rotation (new_master_check, generation, started_at) values ($1, $2, $3)",
        new_check.as_slice(),
        generation,
        clock.now()
    )
    .execute(&mut *tx)
    .await?;
    let entry =
        NewEntry::new(Actor::System, AuditAction::KeyRotationStarted).details(json!({"generation": generation}));
    audit::record(&mut tx, entry, clock.now()).await?;
    tx.commit().await?;
    Ok((new_master, generation))
}

/// Re-seals up to `limit` values of `column` without a copy, after id `after` (moved on to
/// the last id seen: each batch starts where the one before stopped); returns how many.
/// Values rewritten behind the cursor lose their copy and are caught by the switch.
async fn reseal_batch(
    conn: &mut PgConnection,
    column: &SealedColumn,
    old: &Keys,
    new: &Keys,
    limit: i64,
    after: &mut Uuid,
) -> anyhow::Result<u64> {
    let rows: Vec<(Uuid, Vec<u8>)> = column
        .statements
        .pending(&mut *conn, limit, *after)
        .await?
        .into_iter()
        .map(|row| (row.id, row.sealed))
        .collect();
    if let Some((last, _)) = rows.last() {
        *after = *last;
    }
    if rows.is_empty() {
        return Ok(0);
    }
    let mut copies = Vec::with_capacity(rows.len());
    for (id, sealed) in &rows {
        let context = (column.context)(*id);
        let plain = keys::open(key_for(old, column.purpose), sealed, &context)
            .with_context(|| format!("one of the {} ({id}) does not open with the current key", column.what))?;
        copies.push(keys::seal(key_for(new, column.purpose), &plain, &context)?);
    }
    let (ids, originals): (Vec<Uuid>, Vec<Vec<u8>>) = rows.into_iter().unzip();
    column.statements.write_copy(&mut *conn, &ids, &copies, &originals).await?;
    Ok(ids.len() as u64)
}

/// Puts the new generation in place in one transaction; returns the values re-sealed in it.
async fn switch(
    admin: &mut PgConnection,
    old: &Keys,
    new: &Keys,
    old_master: &Secret32,
    new_master: &Secret32,
    generation: i32,
    clock: &dyn Clock,
) -> anyhow::Result<u64> {
    let mut tx = admin.begin().await?;
    // New connections of servers holding the old key wait on this row, then find it changed.
    sqlx::query!(r#"select 1 as "one!" from installation for update"#).fetch_optional(&mut *tx).await?;
    let mut late = 0;
    for column in COLUMNS {
        column.statements.lock(&mut tx).await?;
        let mut after = Uuid::nil();
        loop {
            let n = reseal_batch(&mut tx, column, old, new, 1000, &mut after).await?;
            if n == 0 {
                break;
            }
            late += n;
        }
        column.statements.switch(&mut tx).await?;
    }
    let (old_check, new_check) = (keys::master_check(old_master), keys::master_check(new_master));
    sqlx::query!("delete from keyring where master_check = $1", old_check.as_slice()).execute(&mut *tx).await?;
    sqlx::query!("update installation set master_key_check = $1", new_check.as_slice()).execute(&mut *tx).await?;
    sqlx::query!("delete from key_rotation").execute(&mut *tx).await?;
    let entry = NewEntry::new(Actor::System, AuditAction::KeysRotated).details(json!({"generation": generation}));
    audit::record(&mut tx, entry, clock.now()).await?;
    // Sessions of servers still holding the old key end before anything they send could
    // commit under it; they may only come back with the new key.
    sqlx::query_scalar!(
        r#"select pg_terminate_backend(pid, 5000) as "ended!" from pg_stat_activity
         where datname = current_database() and pid <> pg_backend_pid() and usename = current_user"#
    )
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(late)
}

/// Drops an unfinished rotation: copies, the new ring, the record, the new key file. The
/// current key goes on working as before.
pub async fn abandon(
    options: &PgConnectOptions,
    pool: &PgPool,
    key_path: &Path,
    clock: &dyn Clock,
) -> anyhow::Result<bool> {
    let mut admin = options.connect().await.context("Failed to connect to PostgreSQL")?;
    let locked: bool = sqlx::query_scalar!(r#"select pg_try_advisory_lock($1) as "locked!""#, ROTATION_LOCK)
        .fetch_one(&mut admin)
        .await?;
    if !locked {
        bail!("a `shelter keys rotate` is running on this database: stop it first");
    }
    let current = keys::load(key_path, pool).await?;
    let mut tx = admin.begin().await?;
    let started: Option<i32> =
        sqlx::query_scalar!("delete from key_rotation returning generation").fetch_optional(&mut *tx).await?;
    let Some(generation) = started else { return Ok(false) };
    for column in COLUMNS {
        column.statements.abandon(&mut tx).await?;
    }
    let current_check = current.check();
    sqlx::query!("delete from keyring where master_check <> $1", current_check.as_slice()).execute(&mut *tx).await?;
    let entry =
        NewEntry::new(Actor::System, AuditAction::KeyRotationAbandoned).details(json!({"generation": generation}));
    audit::record(&mut tx, entry, clock.now()).await?;
    tx.commit().await?;
    let next = keys::next_key_path(key_path);
    if next.exists() {
        std::fs::remove_file(&next).with_context(|| format!("cannot remove {}", next.display()))?;
    }
    let _ = admin.close().await;
    Ok(true)
}
