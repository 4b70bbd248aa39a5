//! `shelter keys rotate` over 100,000 case keys, beside its floor measured in the same run:
//! opening and re-sealing the same number of keys in memory, with no database at all.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "a benchmark fails loudly")]

use std::str::FromStr;
use std::time::{Duration, Instant};

use secrecy::SecretBox;
use shelter_server::cases::crypto::{CaseKey, key_context};
use shelter_server::clock::SystemClock;
use shelter_server::db::embedded::EmbeddedCluster;
use shelter_server::keys::{self, Keys};
use shelter_server::rotation::{self, Outcome, Pace};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection};
use uuid::Uuid;

const CASES: usize = 100_000;
const INSERT_BATCH: usize = 10_000;

async fn admin_options() -> PgConnectOptions {
    match std::env::var("DATABASE_URL") {
        Ok(url) => PgConnectOptions::from_str(&url).expect("DATABASE_URL"),
        Err(_) => {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench-postgres");
            EmbeddedCluster::start(&dir).await.expect("embedded cluster").connect_options("postgres")
        }
    }
}

/// 100,000 cases, each with its data key sealed as intake seals it.
async fn seed(db: &sqlx::PgPool, keys: &Keys) {
    for start in (0..CASES).step_by(INSERT_BATCH) {
        let ids: Vec<Uuid> = (start..(start + INSERT_BATCH).min(CASES)).map(|_| Uuid::new_v4()).collect();
        let sealed: Vec<Vec<u8>> = ids.iter().map(|id| CaseKey::generate(keys, *id).unwrap().1).collect();
        sqlx::query(
            "insert into cases (case_id, reference, passphrase_hash, kind, country, language, contact_allowed,
                                sealed_key, created_at, updated_at)
             select id, id::text, 'x', 'other', 'MM', 'en', false, key, now(), now()
             from unnest($1::uuid[], $2::bytea[]) as t(id, key)",
        )
        .bind(&ids)
        .bind(&sealed)
        .execute(db)
        .await
        .unwrap();
    }
}

/// The floor: open every key with the old wrapping key and seal it under a new one.
fn floor(rows: &[(Uuid, Vec<u8>)], old: &Keys) -> Duration {
    let new = SecretBox::new(Box::new(keys::random_bytes::<32>()));
    let started = Instant::now();
    let mut resealed = 0usize;
    for (id, sealed) in rows {
        let context = key_context(*id);
        let plain = keys::open(&old.case_keys, sealed, &context).unwrap();
        resealed += keys::seal(&new, &plain, &context).unwrap().len();
    }
    let took = started.elapsed();
    assert!(resealed > 0);
    took
}

#[tokio::main]
async fn main() {
    let admin = admin_options().await;
    let name = format!("shelter_bench_keys_{}", Uuid::new_v4().simple());
    let mut conn = admin.connect().await.unwrap();
    sqlx::query(&format!("create database \"{name}\"")).execute(&mut conn).await.unwrap();
    let options = admin.clone().database(&name);
    shelter_server::db::migrate(&options).await.unwrap();
    let pool = shelter_server::db::pool(options.clone(), 4);
    let dir = tempfile::tempdir().unwrap();
    let key_path = dir.path().join("master.key");
    let old = keys::load(&key_path, &pool).await.unwrap();
    seed(&pool, &old).await;
    let rows: Vec<(Uuid, Vec<u8>)> =
        sqlx::query_as("select case_id, sealed_key from cases").fetch_all(&pool).await.unwrap();
    assert_eq!(rows.len(), CASES);

    let floor = floor(&rows, &old);
    let started = Instant::now();
    let pace = Pace { batch: 1000, pause: Duration::ZERO };
    // When the last batch was done: what follows is the switch (one transaction) and the rename.
    let mut batches_done = Duration::ZERO;
    let mut progress = |_: &str, _: u64| batches_done = started.elapsed();
    let outcome = rotation::rotate(&options, &pool, &key_path, pace, &SystemClock, &mut progress).await.unwrap();
    let rotated = started.elapsed();
    assert!(matches!(outcome, Outcome::Rotated { resealed, .. } if resealed as usize == CASES), "{outcome:?}");

    println!(
        "keys rotate over {CASES} case keys (batches of 1000, online, resumable): {:>9.1} ms",
        rotated.as_secs_f64() * 1e3
    );
    println!(
        "floor: re-sealing {CASES} keys in memory:                                 {:>9.1} ms",
        floor.as_secs_f64() * 1e3
    );
    println!(
        "  of which: batches {:.1} ms, switch and key file {:.1} ms",
        batches_done.as_secs_f64() * 1e3,
        (rotated - batches_done).as_secs_f64() * 1e3
    );
    println!("ratio: {:.1}x", rotated.as_secs_f64() / floor.as_secs_f64().max(1e-9));

    pool.close().await;
    sqlx::query(&format!("drop database if exists \"{name}\" with (force)")).execute(&mut conn).await.ok();
    conn.close().await.ok();
}
