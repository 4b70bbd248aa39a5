//! Reads' access entries appended together (`audit::group`): each request gets its own
//! entry's place, the chain stays whole, and a request that leaves midway stalls nobody.

use std::time::Duration;

use shelter_server::audit::verify::verify;
use shelter_server::audit::{Actor, NewEntry, Subject};
use shelter_server::clock::Clock;
use shelter_shared::audit::AuditAction;
use sqlx::Connection;
use tokio::task::JoinHandle;

use crate::helpers::TestApp;

/// The chain lock of `audit::CHAIN_LOCK`, held from the owner's connection until dropped.
async fn hold_chain_lock(app: &TestApp) -> sqlx::PgConnection {
    let mut conn = app.owner().await;
    sqlx::raw_sql("begin; select pg_advisory_xact_lock(6001122697604846081)").execute(&mut conn).await.unwrap();
    conn
}

/// Reads case `n`'s access entry through the application's group, on a connection of its own.
fn read(app: &TestApp, n: usize) -> JoinHandle<i64> {
    let (db, reads, now) = (app.db.clone(), app.cases.reads.clone(), app.clock.now());
    tokio::spawn(async move {
        let entry =
            NewEntry::new(Actor::System, AuditAction::CaseRead).subject(Subject { kind: "case", id: format!("c{n}") });
        reads.append(&mut db.acquire().await.unwrap(), entry, now).await.unwrap().seq
    })
}

/// Waits until `n` entries are queued behind a leader.
async fn until_queued(app: &TestApp, n: usize) {
    for _ in 0..500 {
        if app.cases.reads.queued() == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("{} entries queued, not {n}", app.cases.reads.queued());
}

/// Waits until a leader's statement waits for the chain lock in PostgreSQL.
async fn until_leader_waits(app: &TestApp) {
    for _ in 0..500 {
        let waiting: i64 =
            sqlx::query_scalar("select count(*) from pg_locks where locktype = 'advisory' and not granted")
                .fetch_one(&app.db)
                .await
                .unwrap();
        if waiting == 1 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no leader waits for the chain lock");
}

#[tokio::test]
async fn reads_that_arrive_together_are_appended_as_one_group_each_in_its_own_place() {
    let app = TestApp::spawn().await;
    let lock = hold_chain_lock(&app).await;
    let first = read(&app, 0);
    until_leader_waits(&app).await;
    // As many as the test's pool of five connections allows, one left for looking.
    let rest: Vec<_> = (1..=3).map(|n| read(&app, n)).collect();
    until_queued(&app, 3).await;
    lock.close().await.unwrap();

    let mut places = vec![(0, first.await.unwrap())];
    for (n, task) in (1..=3).zip(rest) {
        places.push((n, task.await.unwrap()));
    }
    for (n, seq) in &places {
        let subject: String = sqlx::query_scalar("select subject_id from audit_log where seq = $1")
            .bind(seq)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(subject, format!("c{n}"), "each read is told its own entry's place");
    }
    // One transaction for the leader's own entry, one for the three queued behind it.
    let transactions: i64 =
        sqlx::query_scalar("select count(distinct xmin::text) from audit_log").fetch_one(&app.db).await.unwrap();
    assert_eq!(transactions, 2, "the three waiting reads were appended together");
    let report = verify(&app.db, None).await.unwrap();
    assert_eq!((report.fault, report.entries), (None, 4));
}

#[tokio::test]
async fn a_leader_that_leaves_midway_stalls_nobody_and_every_read_is_recorded() {
    let app = TestApp::spawn().await;
    let lock = hold_chain_lock(&app).await;
    let leaver = read(&app, 0);
    until_leader_waits(&app).await;
    let rest: Vec<_> = (1..=3).map(|n| read(&app, n)).collect();
    until_queued(&app, 3).await;
    // Its client went away: the request is dropped while its group waits for the lock.
    leaver.abort();
    assert!(leaver.await.unwrap_err().is_cancelled());
    lock.close().await.unwrap();

    for (n, task) in (1..=3).zip(rest) {
        let seq = tokio::time::timeout(Duration::from_secs(10), task).await.expect("no read is stalled").unwrap();
        let subject: String = sqlx::query_scalar("select subject_id from audit_log where seq = $1")
            .bind(seq)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(subject, format!("c{n}"));
    }
    assert_eq!(verify(&app.db, None).await.unwrap().fault, None);
}

#[tokio::test]
async fn many_concurrent_reads_form_one_whole_chain() {
    let app = TestApp::spawn().await;
    let tasks: Vec<_> = (0..200).map(|n| read(&app, n)).collect();
    let mut seqs = vec![];
    for task in tasks {
        seqs.push(task.await.unwrap());
    }
    seqs.sort_unstable();
    assert_eq!(seqs, (1..=200).collect::<Vec<i64>>(), "every read has a place of its own, without gaps");
    let report = verify(&app.db, None).await.unwrap();
    assert_eq!((report.fault, report.entries), (None, 200));
}
