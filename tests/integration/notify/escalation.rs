//! Escalation on the manual clock: an urgent case nobody acknowledged reaches every
//! supervisor at half its acknowledge target, exactly once; pending accounts hear nothing.

use chrono::Duration;
use serde_json::json;
use shelter_shared::staff::Role;

use super::{file, in_app_kinds, on_call_always};
use crate::helpers::TestApp;

#[tokio::test]
async fn an_unacknowledged_urgent_case_reaches_every_supervisor_at_half_its_target_exactly_once() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let on_call = app.staff(&[Role::Handler]).await;
    let first = app.staff(&[Role::Supervisor]).await;
    let second = app.staff(&[Role::Supervisor]).await;
    let pending = app.staff(&[Role::Supervisor]).await;
    sqlx::query("update staff_user set pending_confirmation = true where staff_user_id = $1::uuid")
        .bind(&pending.id)
        .execute(&app.db)
        .await
        .unwrap();
    on_call_always(&app, &admin, &on_call.email).await;

    let urgent =
        json!({"narrative": "they came at night", "country": "KH", "urgency": "immediate", "kind": "arrest_detention"});
    let (ignored, _) = file(&app, urgent.clone()).await;
    let (claimed, _) = file(&app, urgent).await;
    let (_routine, _) = file(&app, json!({"narrative": "a question", "country": "TH", "urgency": "weeks"})).await;
    let token = app.token(&on_call).await;
    let claim = app.post_json(&format!("/api/v1/cases/{claimed}/claim"), Some(&token), &json!({})).await;
    assert!(claim.status().is_success(), "{}", claim.text().await.unwrap());

    // Critical: acknowledge within 2 hours, so supervisors hear at 1 hour.
    app.clock.advance(Duration::minutes(59));
    assert_eq!(app.notify.escalate().await.unwrap(), 0, "not yet half the target");
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.notify.escalate().await.unwrap(), 1, "the unclaimed case only");
    assert_eq!(app.notify.escalate().await.unwrap(), 0, "exactly once");
    app.clock.advance(Duration::hours(3));
    assert_eq!(app.notify.escalate().await.unwrap(), 0, "still once, past the whole target");

    let escalations = |kinds: Vec<String>| kinds.iter().filter(|k| *k == "urgent_case_unacknowledged").count();
    assert_eq!(escalations(in_app_kinds(&app, &first.id).await), 1);
    assert_eq!(escalations(in_app_kinds(&app, &second.id).await), 1);
    assert!(in_app_kinds(&app, &pending.id).await.is_empty(), "a pending account gets no notices at all");
    let handler = in_app_kinds(&app, &on_call.id).await;
    assert_eq!(handler, ["urgent_case_arrived", "urgent_case_arrived"], "the on-call handler, for both urgent cases");
    let about: Vec<uuid::Uuid> =
        sqlx::query_scalar("select case_id from notice where kind = 'urgent_case_unacknowledged'")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(about, [ignored]);
}

#[tokio::test]
async fn with_nobody_on_call_an_urgent_case_goes_to_every_supervisor_at_once() {
    let app = TestApp::spawn().await;
    let handler = app.staff(&[Role::Handler]).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    file(&app, json!({"narrative": "threats", "country": "LA", "urgency": "immediate"})).await;
    assert_eq!(in_app_kinds(&app, &supervisor.id).await, ["urgent_case_arrived"]);
    assert!(in_app_kinds(&app, &handler.id).await.is_empty());
}
