//! Attempts per client address (sign-in, enrolment, intake), counted in PostgreSQL so that
//! every instance behind the proxy shares one allowance: two processes allow what one does.
//!
//! The limit is a generic cell rate (GCRA): each attempt pushes the address's `ready_at`
//! one interval further; an attempt is refused while `ready_at` would run more than one
//! burst ahead of now. Time is the database's clock, the one all instances share. The
//! address is stored only as a keyed hash.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use crate::keys::Keys;

/// One named limit: a sustained rate with a burst.
#[derive(Clone)]
pub struct AddressLimiter {
    db: PgPool,
    keys: Arc<Keys>,
    bucket: &'static str,
    /// Time one attempt costs.
    interval: Duration,
    /// Attempts allowed at once.
    burst: u32,
}

impl AddressLimiter {
    /// `per_minute` sustained attempts with a burst of the same size.
    pub fn per_minute(db: PgPool, keys: Arc<Keys>, bucket: &'static str, per_minute: u32) -> Self {
        let per_minute = per_minute.max(1);
        let interval = Duration::from_secs(60) / per_minute;
        AddressLimiter { db, keys, bucket, interval, burst: per_minute }
    }

    /// `per_hour` sustained requests with bursts of `burst` (a shared office connection
    /// may send several at once).
    pub fn per_hour(db: PgPool, keys: Arc<Keys>, bucket: &'static str, per_hour: u32, burst: u32) -> Self {
        let interval = Duration::from_secs(3600) / per_hour.max(1);
        AddressLimiter { db, keys, bucket, interval, burst: burst.max(1) }
    }

    /// Whether `address` may try now (counting the attempt); if not, roughly how many
    /// seconds to wait.
    pub async fn check(&self, address: IpAddr) -> sqlx::Result<Result<(), u64>> {
        let hash = self.keys.lookup_hash("address-limit", address.to_string().as_bytes());
        let interval = chrono::Duration::from_std(self.interval).unwrap_or(chrono::Duration::seconds(1));
        let window = interval * i32::try_from(self.burst).unwrap_or(i32::MAX);
        let (interval, window) = (crate::db::interval(interval)?, crate::db::interval(window)?);
        // One statement: take the attempt if it fits, else leave the row as it is.
        let taken: Option<DateTime<Utc>> = sqlx::query_scalar!(
            "insert into address_limit (bucket, address_hash, ready_at) values ($1, $2, clock_timestamp() + $3)
             on conflict (bucket, address_hash) do update
                 set ready_at = greatest(address_limit.ready_at, clock_timestamp()) + $3
                 where greatest(address_limit.ready_at, clock_timestamp()) + $3 <= clock_timestamp() + $4
             returning ready_at",
            self.bucket,
            &hash,
            interval,
            window
        )
        .fetch_optional(&self.db)
        .await?;
        if taken.is_some() {
            return Ok(Ok(()));
        }
        let wait: f64 = sqlx::query_scalar!(
            r#"select coalesce(
                        extract(epoch from (ready_at + $3::interval - $4::interval - clock_timestamp()))::float8, 1
                    ) as "wait!"
             from address_limit where bucket = $1 and address_hash = $2"#,
            self.bucket,
            &hash,
            interval,
            window
        )
        .fetch_optional(&self.db)
        .await?
        .unwrap_or(1.0);
        Ok(Err((wait.ceil() as u64).max(1)))
    }
}

/// Deletes rows whose time has passed (they allow a full burst, as no row does).
pub async fn sweep(db: &PgPool) -> sqlx::Result<u64> {
    let done = sqlx::query!("delete from address_limit where ready_at < clock_timestamp()").execute(db).await?;
    Ok(done.rows_affected())
}

/// Sweeps every `every` until aborted.
pub fn spawn_sweeper(db: PgPool, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(every);
        loop {
            ticker.tick().await;
            if let Err(error) = sweep(&db).await {
                tracing::warn!(%error, "could not sweep address limits");
            }
        }
    })
}
