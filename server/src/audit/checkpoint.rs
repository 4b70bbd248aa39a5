//! Checkpoints of the chain's head: recorded hourly by the server and on demand, so that
//! cutting off the newest entries is detected; and the head for writing down elsewhere.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;

use crate::clock::Clock;

/// The current head: sequence number and hash.
pub async fn head(pool: &PgPool) -> sqlx::Result<Option<(i64, Vec<u8>)>> {
    let head = sqlx::query!("select seq, hash from audit_log order by seq desc limit 1").fetch_optional(pool).await?;
    Ok(head.map(|row| (row.seq, row.hash)))
}

/// Serialises checkpoints across every server process on the database, so that two
/// instances (or an instance and `shelter audit checkpoint`) never record the same head twice.
const CHECKPOINT_LOCK: i64 = 0x5348_454c_5445_5202;

/// Records the head as a checkpoint unless the last checkpoint already has it.
pub async fn record(pool: &PgPool, clock: &dyn Clock) -> sqlx::Result<Option<i64>> {
    let mut tx = pool.begin().await?;
    sqlx::query!("select pg_advisory_xact_lock($1)", CHECKPOINT_LOCK).execute(&mut *tx).await?;
    let head = sqlx::query!("select seq, hash from audit_log order by seq desc limit 1")
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| (row.seq, row.hash));
    let Some((seq, hash)) = head else { return Ok(None) };
    let inserted = sqlx::query!(
        "insert into audit_checkpoint (seq, hash, created_at)
         select $1, $2, $3
         where not exists (select 1 from audit_checkpoint where seq = $1)",
        seq,
        &hash,
        clock.now()
    )
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((inserted.rows_affected() == 1).then_some(seq))
}

/// Records a checkpoint every `every` until the server stops.
pub fn spawn_hourly(pool: PgPool, clock: Arc<dyn Clock>, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        ticker.tick().await;
        loop {
            ticker.tick().await;
            match record(&pool, clock.as_ref()).await {
                Ok(Some(seq)) => tracing::info!(audit.seq = seq, "audit checkpoint recorded"),
                Ok(None) => {}
                Err(error) => tracing::warn!(%error, "could not record an audit checkpoint"),
            }
        }
    })
}
