//! The outbox: written in the change's own transaction, and who is told what.

use chrono::Duration;
use serde_json::json;
use shelter_server::notify::content::NoticeKind;
use shelter_server::notify::{Audience, NewNotice, enqueue};
use shelter_shared::staff::Role;
use sqlx::Connection;

use super::{file, in_app_kinds};
use crate::helpers::TestApp;
use crate::staff::Expect as _;
use reqwest::StatusCode;

async fn notices(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from notice").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_change_that_rolls_back_queues_nothing() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let before = notices(&app).await;
    let mut tx = app.db.begin().await.unwrap();
    let queued = enqueue(
        &mut tx,
        NewNotice::new(NoticeKind::GrantFrozen, Audience::Person(supervisor.id.parse().unwrap())),
        chrono::Utc::now(),
    )
    .await
    .unwrap();
    assert!(queued.is_some());
    tx.rollback().await.unwrap();
    assert_eq!(notices(&app).await, before);

    // A real change whose transaction fails after its notice was written: neither stays.
    let mut owner = app.owner().await;
    sqlx::raw_sql(
        "create function refuse_delivery() returns trigger language plpgsql as $$
         begin raise exception 'delivery refused by the test'; end $$;
         create trigger refuse_delivery before insert on notice_delivery
         for each statement execute function refuse_delivery();",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    let urgent = json!({"narrative": "they came at night", "country": "VN", "urgency": "immediate"});
    let refused = app.post_json("/api/v1/intake", None, &urgent).await;
    assert_eq!(refused.status(), 500);
    let cases: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!((cases, notices(&app).await), (0, before), "the case and its notice rolled back together");
    sqlx::raw_sql("drop trigger refuse_delivery on notice_delivery").execute(&mut owner).await.unwrap();
    owner.close().await.unwrap();
    file(&app, urgent).await;
    assert_eq!(notices(&app).await, before + 1, "a committed change always has its notice");
    assert_eq!(in_app_kinds(&app, &supervisor.id).await, ["urgent_case_arrived"]);
}

#[tokio::test]
async fn the_assignee_hears_of_messages_and_breaches_and_supervisors_of_breaches_and_privileged_accounts() {
    let app = TestApp::spawn().await;
    let handler = app.staff(&[Role::Handler]).await;
    let other_handler = app.staff(&[Role::Handler]).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let response: serde_json::Value = app
        .post_json(
            "/api/v1/intake",
            None,
            &json!({"narrative": "my laptop was seized", "country": "TH", "urgency": "days"}),
        )
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case: uuid::Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(response["reference"].as_str().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap();
    let token = app.token(&handler).await;
    let claim = app.post_json(&format!("/api/v1/cases/{case}/claim"), Some(&token), &json!({})).await;
    assert!(claim.status().is_success());

    let requester = app.requester_token(&response["reference"], &response["passphrase"]).await;
    let sent = app
        .client
        .post(format!("{}/api/v1/requester/messages", app.address))
        .bearer_auth(&requester)
        .json(&json!({"body": "they are outside again"}))
        .send()
        .await
        .unwrap();
    assert!(sent.status().is_success(), "{}", sent.text().await.unwrap());
    assert_eq!(in_app_kinds(&app, &handler.id).await, ["requester_message"]);
    assert!(in_app_kinds(&app, &other_handler.id).await.is_empty());

    // Within the hour of the next deadline: the assignee, once.
    let due: chrono::DateTime<chrono::Utc> = sqlx::query_scalar("select next_due_at from cases where case_id = $1")
        .bind(case)
        .fetch_one(&app.db)
        .await
        .unwrap();
    app.clock.advance(due - shelter_server::clock::Clock::now(&app.clock) - Duration::hours(2));
    assert_eq!(app.notify.remind_due_soon().await.unwrap(), 0, "two hours before");
    app.clock.advance(Duration::minutes(90));
    assert_eq!(app.notify.remind_due_soon().await.unwrap(), 1, "half an hour before");
    assert_eq!(app.notify.remind_due_soon().await.unwrap(), 0, "once");
    assert_eq!(in_app_kinds(&app, &handler.id).await, ["requester_message", "sla_due_soon"]);

    // Past the decision deadline: the assignee and the supervisors, once each.
    app.clock.advance(Duration::days(8));
    assert!(app.cases.detect_breaches().await.unwrap() >= 1);
    assert!(app.cases.detect_breaches().await.unwrap() == 0);
    assert_eq!(in_app_kinds(&app, &handler.id).await, ["requester_message", "sla_due_soon", "sla_breached"]);
    assert_eq!(in_app_kinds(&app, &supervisor.id).await.iter().filter(|k| *k == "sla_breached").count(), 1);

    // A new privileged account: every supervisor but that account hears of it.
    let newcomer = app.staff(&[Role::Supervisor]).await;
    assert!(in_app_kinds(&app, &supervisor.id).await.contains(&"privileged_account_changed".to_owned()));
    assert!(in_app_kinds(&app, &newcomer.id).await.is_empty());
    assert!(!in_app_kinds(&app, &handler.id).await.contains(&"privileged_account_changed".to_owned()));
}
