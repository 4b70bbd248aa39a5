//! The purge of 10,000 closed cases (their key destroyed, every ciphertext deleted, one
//! audit entry each, the purge log synced per batch) beside its floor measured in the same
//! run: a plain `DELETE` of the same rows (the cases and, by cascade, their fields,
//! messages and notes) from an identical second set.
#![allow(missing_docs)]
#![expect(clippy::unwrap_used, reason = "a benchmark fails loudly")]

mod common;

use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, Utc};
use shelter_server::clock::ManualClock;
use shelter_server::config::RetentionSettings;
use shelter_server::retention::Retention;

const CASES: i64 = 10_000;

/// `CASES` cases closed as declined a year ago, each with two sealed fields, two messages
/// and a note, labelled `set` in their language column (to tell the two sets apart).
async fn seed(db: &sqlx::PgPool, set: &str) {
    let mut conn = db.acquire().await.unwrap();
    sqlx::raw_sql(&format!(
        "insert into cases (case_id, reference, passphrase_hash, status, kind, country, language, needs, contact_allowed,
                            sealed_key, outcome, closed_at, created_at, updated_at)
         select gen_random_uuid(), 'SH-' || upper(lpad(to_hex(i), 4, '0')) || '-{set}', 'x', 'closed', 'threat_attack',
                'TH', '{set}', '{{}}', true, '\\x00', 'declined', now() - interval '365 days', now() - interval '400 days', now()
         from generate_series(1, {CASES}) as i;
         insert into case_field (case_id, field, ciphertext)
         select case_id, f, '\\x0102030405060708' from cases cross join (values ('narrative'), ('contact')) as v(f)
         where language = '{set}';
         insert into case_message (message_id, case_id, author_kind, ciphertext, created_at)
         select gen_random_uuid(), case_id, 'requester', '\\x0102030405060708', now() from cases cross join generate_series(1, 2)
         where language = '{set}';
         insert into case_note (note_id, case_id, author, ciphertext, created_at)
         select gen_random_uuid(), case_id, (select staff_user_id from staff_user limit 1), '\\x0102', now() from cases
         where language = '{set}';"
    ))
    .execute(&mut *conn)
    .await
    .unwrap();
}

#[tokio::main]
async fn main() {
    let bench = common::start("retention").await;
    // The notes need an author.
    bench
        .identity
        .add_user_for(
            &shelter_server::identity::admin::Admin::Operator,
            &shelter_shared::staff::Email::parse("bench@example.org").unwrap(),
            "Bench",
            &[shelter_shared::staff::Role::Handler],
            None,
        )
        .await
        .unwrap();
    seed(&bench.db, "PPPP").await;
    seed(&bench.db, "FFFF").await;

    // The floor: the same rows of the second set, deleted plainly.
    let mut conn = bench.db.acquire().await.unwrap();
    sqlx::query("analyze").execute(&mut *conn).await.ok();
    let started = Instant::now();
    let deleted = sqlx::query("delete from cases where language = 'FFFF'").execute(&mut *conn).await.unwrap();
    let floor = started.elapsed();
    assert_eq!(deleted.rows_affected(), u64::try_from(CASES).unwrap());

    // The purge: the first set only is due (the second is gone).
    let clock = ManualClock::starting_at(Utc::now() + Duration::days(1));
    let key = bench._dir.path().join("master.key");
    let retention = Retention::new(bench.db.clone(), Arc::new(clock), &RetentionSettings::default(), &key);
    let started = Instant::now();
    let report = retention.run().await.unwrap();
    let purge = started.elapsed();
    assert_eq!(report.purged, usize::try_from(CASES).unwrap());
    let left: i64 = sqlx::query_scalar(
        "select (select count(*) from case_field) + (select count(*) from case_message) + (select count(*) from case_note)",
    )
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(left, 0);

    println!("retention purge of {CASES} cases (2 fields, 2 messages, 1 note each)");
    println!("  floor, plain DELETE of the same rows: {:>9.1} ms", floor.as_secs_f64() * 1000.0);
    println!(
        "  purge (key, ciphertexts, audit entry, purge log): {:>9.1} ms  ({:.2} ms per 1,000 cases)",
        purge.as_secs_f64() * 1000.0,
        purge.as_secs_f64() * 1000.0 / (CASES as f64 / 1000.0)
    );
    println!("  ratio purge / floor: {:.1}x", purge.as_secs_f64() / floor.as_secs_f64());
}
