//! Two instances on one database, as behind the proxy: what one process would hold in
//! memory holds across both (throttles, limits), and background jobs do their work once.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;

use crate::helpers::{TestApp, test_settings};
use crate::notify::file;

async fn sign_in(app: &TestApp, email: &str, password: &str, totp: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/token", None, &json!({"email": email, "password": password, "totp": totp})).await
}

#[tokio::test]
async fn wrong_sign_ins_spread_over_two_instances_lock_as_on_one() {
    let one = TestApp::spawn().await;
    let two = one.spawn_beside(test_settings()).await;
    let user = one.staff(&[Role::Handler]).await;
    let at = |n: usize| if n.is_multiple_of(2) { &one } else { &two };
    // Five failures, alternating: the waits start as they would on one instance.
    for n in 0..5 {
        assert_eq!(sign_in(at(n), &user.email, "wrong password here", "123456").await.status(), 401, "failure {n}");
    }
    let throttled = sign_in(&two, &user.email, &user.password, "123456").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS, "the sixth try waits, on the other instance too");
    // Twenty in all lock the name, whichever instance saw them.
    for n in 5..20 {
        one.clock.advance(Duration::minutes(16));
        assert_eq!(sign_in(at(n), &user.email, "wrong password here", "123456").await.status(), 401);
    }
    one.clock.advance(Duration::minutes(16));
    for app in [&one, &two] {
        let code = app.next_totp(&user);
        let locked = sign_in(app, &user.email, &user.password, &code).await;
        assert_eq!(locked.status(), 401, "locked on both instances");
        let body: Value = locked.json().await.unwrap();
        assert!(body["error"]["message"].as_str().unwrap().contains("locked"), "{body}");
    }
}

async fn intake(app: &TestApp) -> reqwest::Response {
    app.post_json("/api/v1/intake", None, &json!({"narrative": "x", "country": "TH"})).await
}

#[tokio::test]
async fn the_per_address_limits_are_one_allowance_across_instances() {
    let mut settings = test_settings();
    settings.sign_in_per_minute = 3;
    settings.intake_per_hour = 2;
    settings.intake_burst = 2;
    let one = TestApp::spawn_with(settings.clone()).await;
    let two = one.spawn_beside(settings).await;
    // Sign-in: three attempts a minute from this address, wherever they land.
    assert_eq!(sign_in(&one, "a@example.org", "x", "1").await.status(), 401);
    assert_eq!(sign_in(&two, "b@example.org", "x", "1").await.status(), 401);
    assert_eq!(sign_in(&one, "c@example.org", "x", "1").await.status(), 401);
    let refused = sign_in(&two, "d@example.org", "x", "1").await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=20).contains(&wait), "one attempt's worth of waiting (20 s at 3 a minute), not {wait}");
    // Intake: two an hour, one on each instance, then none on either.
    assert_eq!(intake(&one).await.status(), 201);
    assert_eq!(intake(&two).await.status(), 201);
    assert_eq!(intake(&one).await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(intake(&two).await.status(), StatusCode::TOO_MANY_REQUESTS);
    // The address is kept only as a keyed hash.
    let stored: Vec<Vec<u8>> =
        sqlx::query_scalar("select address_hash from address_limit").fetch_all(&one.db).await.unwrap();
    assert_eq!(stored.len(), 2, "one row per limit for 127.0.0.1");
    assert!(stored.iter().all(|hash| hash.len() == 32 && !hash.windows(9).any(|w| w == b"127.0.0.1")));
}

#[tokio::test]
async fn sla_breaches_checkpoints_and_escalations_happen_once_on_two_instances() {
    let one = TestApp::spawn().await;
    let two = one.spawn_beside(test_settings()).await;
    one.staff(&[Role::Supervisor]).await;
    let urgent = json!({"narrative": "they came at night", "country": "KH", "urgency": "immediate"});
    for _ in 0..5 {
        file(&one, urgent.clone()).await;
    }
    // Past every acknowledge and decide deadline: both instances run their clocks at once, often.
    one.clock.advance(Duration::days(30));
    for _ in 0..5 {
        let (a, b, c, d) = tokio::join!(
            one.cases.detect_breaches(),
            two.cases.detect_breaches(),
            one.notify.escalate(),
            two.notify.escalate()
        );
        a.unwrap();
        b.unwrap();
        c.unwrap();
        d.unwrap();
    }
    let count = |sql: &'static str| async { sqlx::query_scalar::<_, i64>(sql).fetch_one(&one.db).await.unwrap() };
    assert_eq!(count("select count(*) from sla_breach").await, 10, "acknowledge and decide, for each of 5 cases");
    assert_eq!(count("select count(*) from audit_log where action = 'case.sla_breached'").await, 10);
    assert_eq!(count("select count(*) from notice where kind = 'urgent_case_unacknowledged'").await, 5);

    // Checkpoints: many at once from both instances record each head once.
    for _ in 0..3 {
        let clock = one.clock.clone();
        let (pool_one, pool_two) = (one.db.clone(), two.db.clone());
        let racers = (0..8u32).map(|i| {
            let pool = if i.is_multiple_of(2) { pool_one.clone() } else { pool_two.clone() };
            let clock = clock.clone();
            tokio::spawn(async move { shelter_server::audit::checkpoint::record(&pool, &clock).await.unwrap() })
        });
        let recorded: Vec<Option<i64>> =
            futures_util::future::join_all(racers).await.into_iter().map(|r| r.unwrap()).collect();
        assert_eq!(recorded.iter().flatten().count(), 1, "one of eight records the head: {recorded:?}");
        one.staff(&[Role::Handler]).await; // moves the head on
    }
    assert_eq!(count("select count(distinct seq) - count(*) from audit_checkpoint").await, 0, "no head twice");
    assert_eq!(count("select count(*) from audit_checkpoint").await, 3);
}
