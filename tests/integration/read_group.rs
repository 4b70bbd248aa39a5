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
    let attempt = try_read(app, n);
    tokio::spawn(async move { attempt.await.unwrap().unwrap() })
}

/// [`read`], which may fail.
fn try_read(app: &TestApp, n: usize) -> JoinHandle<Result<i64, String>> {
    let (db, reads, now) = (app.db.clone(), app.cases.reads.clone(), app.clock.now());
    tokio::spawn(async move {
        let entry =
            NewEntry::new(Actor::System, AuditAction::CaseRead).subject(Subject { kind: "case", id: format!("c{n}") });
        let mut conn = db.acquire().await.map_err(|e| e.to_string())?;
        reads.append(&mut conn, entry, now).await.map(|a| a.seq).map_err(|e| e.to_string())
    })
}

/// The chain lock waits of this test's database (other tests' databases share the server).
const WAITING: &str = "select pid from pg_locks where locktype = 'advisory' and not granted
                       and database = (select oid from pg_database where datname = current_database())";

/// The subject of the entry at `seq`.
async fn subject_at(app: &TestApp, seq: i64) -> String {
    sqlx::query_scalar("select subject_id from audit_log where seq = $1").bind(seq).fetch_one(&app.db).await.unwrap()
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

/// Waits until a leader's statement waits for the chain lock in PostgreSQL; its backend.
async fn until_leader_waits(app: &TestApp) -> i32 {
    for _ in 0..500 {
        let waiting: Vec<i32> = sqlx::query_scalar(WAITING).fetch_all(&app.db).await.unwrap();
        if let [leader] = waiting[..] {
            return leader;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no leader waits for the chain lock");
}

/// Ends backend `pid`'s session, as a database restart or a dropped connection would, and
/// waits until it is gone.
async fn terminate(app: &TestApp, pid: i32) {
    let mut owner = app.owner().await;
    sqlx::query("select pg_terminate_backend($1)").bind(pid).execute(&mut owner).await.unwrap();
    for _ in 0..500 {
        let alive: i64 = sqlx::query_scalar("select count(*) from pg_stat_activity where pid = $1")
            .bind(pid)
            .fetch_one(&mut owner)
            .await
            .unwrap();
        if alive == 0 {
            return owner.close().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("backend {pid} outlived its termination");
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
        let subject = subject_at(&app, *seq).await;
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
        let subject = subject_at(&app, seq).await;
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

#[tokio::test]
async fn when_a_groups_append_fails_the_others_in_it_queue_again_and_are_recorded() {
    let app = TestApp::spawn().await;
    let lock = hold_chain_lock(&app).await;
    let first = try_read(&app, 0);
    let first_backend = until_leader_waits(&app).await;
    let rest: Vec<_> = (1..=3).map(|n| try_read(&app, n)).collect();
    until_queued(&app, 3).await;
    // The first leader's connection breaks: the three queued behind it form the next group.
    terminate(&app, first_backend).await;
    assert!(first.await.unwrap().is_err(), "the read whose connection broke fails");
    let second_backend = until_leader_waits(&app).await;
    until_queued(&app, 0).await;
    // That group's leader's connection breaks too, with the two others inside its group.
    terminate(&app, second_backend).await;
    until_leader_waits(&app).await;
    lock.close().await.unwrap();

    let mut outcomes = vec![];
    for task in rest {
        outcomes.push(tokio::time::timeout(Duration::from_secs(10), task).await.expect("no read is stalled").unwrap());
    }
    assert_eq!(outcomes.iter().filter(|o| o.is_err()).count(), 1, "only the second leader fails: {outcomes:?}");
    for (n, outcome) in (1..=3).zip(&outcomes) {
        let Ok(seq) = outcome else { continue };
        let subject = subject_at(&app, *seq).await;
        assert_eq!(subject, format!("c{n}"), "a read recorded after its group failed has its own place");
    }
    assert_eq!(verify(&app.db, None).await.unwrap().fault, None);
}
