//! A person's notice preferences over the API: a sealed address and handle, a language,
//! a digest of non-urgent notices; refused input changes nothing; every change is audited.

use chrono::Duration;
use serde_json::{Value, json};
use shelter_server::notify::content::NoticeKind;
use shelter_server::notify::{Audience, NewNotice, enqueue};
use shelter_shared::staff::Role;

use super::{SmtpSink, app_with};
use crate::helpers::TestApp;

async fn put(app: &TestApp, token: &str, body: &Value) -> reqwest::Response {
    reqwest::Client::new()
        .put(format!("{}/api/v1/notices/preferences", app.address))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn get(app: &TestApp, token: &str, path: &str) -> Value {
    let response =
        reqwest::Client::new().get(format!("{}{path}", app.address)).bearer_auth(token).send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn queue(app: &TestApp, kind: NoticeKind, user: &str) {
    let mut tx = app.db.begin().await.unwrap();
    let notice = NewNotice::new(kind, Audience::Person(user.parse().unwrap()));
    let now = shelter_server::clock::Clock::now(&app.clock);
    enqueue(&mut tx, notice, now).await.unwrap();
    tx.commit().await.unwrap();
}

fn chosen() -> Value {
    json!({
        "email_urgent": true, "email_normal": true, "webhook_urgent": false, "webhook_normal": false,
        "quiet_from": null, "quiet_until": null, "utc_offset": "+07:00", "digest": "hourly", "language": "vi",
        "address": "alerts@private.example.net", "handle": "@duty:matrix.example.net",
    })
}

#[tokio::test]
async fn preferences_seal_the_address_refuse_bad_input_and_are_audited() {
    let smtp = SmtpSink::start(0);
    let (app, _secret) = app_with(&smtp, None).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&supervisor).await;
    assert_eq!(get(&app, &token, "/api/v1/notices/preferences").await["digest"], "none");

    let saved = put(&app, &token, &chosen()).await;
    assert_eq!(saved.status(), 200);
    assert_eq!(get(&app, &token, "/api/v1/notices/preferences").await, chosen());
    let (address, handle): (Vec<u8>, Vec<u8>) =
        sqlx::query_as("select address_sealed, handle_sealed from notice_preference where staff_user_id = $1::uuid")
            .bind(supervisor.id.as_str())
            .fetch_one(&app.db)
            .await
            .unwrap();
    for sealed in [address, handle] {
        let text = String::from_utf8_lossy(&sealed);
        assert!(!text.contains("private.example") && !text.contains("matrix"), "sealed at rest");
    }

    for (field, bad) in [
        ("address", json!("not an address")),
        ("handle", json!("bad;handle")),
        ("language", json!("fr")),
        ("utc_offset", json!("Asia/Yangon")),
        ("quiet_from", json!("25:00")),
        ("digest", json!("weekly")),
    ] {
        let mut body = chosen();
        body[field] = bad;
        body["email_urgent"] = json!(false);
        let refused = put(&app, &token, &body).await;
        assert_eq!(refused.status(), 422, "{field}");
        let error: Value = refused.json().await.unwrap();
        assert!(error["error"]["code"].is_string(), "{field}: {error}");
    }
    assert_eq!(get(&app, &token, "/api/v1/notices/preferences").await, chosen(), "refusals changed nothing");
    let audited: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action = 'notice.preferences_changed' and subject_id = $1",
    )
    .bind(supervisor.id.as_str())
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn non_urgent_notices_wait_for_the_hourly_digest_and_go_as_one_message_to_the_sealed_address() {
    let smtp = SmtpSink::start(0);
    let (app, _secret) = app_with(&smtp, None).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&supervisor).await;
    assert_eq!(put(&app, &token, &chosen()).await.status(), 200);
    app.notify.drain(10).await.unwrap();
    let before = smtp.mails().len();

    queue(&app, NoticeKind::GrantAwaitsApproval, &supervisor.id).await;
    queue(&app, NoticeKind::RequesterMessage, &supervisor.id).await;
    queue(&app, NoticeKind::SlaBreached, &supervisor.id).await; // urgent: at once
    app.notify.drain(10).await.unwrap();
    let mails = smtp.mails()[before..].to_vec();
    assert_eq!(mails.len(), 1, "only the urgent one goes now: {mails:?}");
    assert_eq!(mails[0]["to"][0], "alerts@private.example.net", "to the sealed address, not the sign-in one");
    let vietnamese = shelter_server::notify::content::render(
        shelter_server::notify::content::Urgency::Urgent,
        "https://shelter.example.org/staff",
        shelter_shared::language::Language::Vietnamese,
    );
    assert_eq!(mails[0]["subject"], vietnamese.subject.as_str());

    app.clock.advance(Duration::minutes(61));
    let token = app.token(&supervisor).await; // the earlier session timed out meanwhile
    app.notify.drain(10).await.unwrap();
    let mails = smtp.mails()[before..].to_vec();
    assert_eq!(mails.len(), 2, "the two others went as one digest: {mails:?}");
    assert!(mails[1]["subject"].as_str().unwrap().contains('2'), "{}", mails[1]);
    let sent: Vec<String> = sqlx::query_scalar(
        "select status from notice_delivery where staff_user_id = $1::uuid and channel = 'email' and digest",
    )
    .bind(supervisor.id.as_str())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(sent, ["sent", "sent"], "each delivery is recorded as sent");

    let list = get(&app, &token, "/api/v1/notices").await;
    assert_eq!(list["unread"], 3);
    let kinds: Vec<&str> = list["notices"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"grant_awaits_approval") && kinds.contains(&"sla_breached"), "{kinds:?}");
    let read = reqwest::Client::new()
        .post(format!("{}/api/v1/notices/read", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(read.status(), 204);
    assert_eq!(get(&app, &token, "/api/v1/notices").await["unread"], 0);
}

#[tokio::test]
async fn a_new_address_for_notices_needs_a_fresh_step_up_and_the_trail_says_what_changed() {
    let smtp = SmtpSink::start(0);
    let (app, _secret) = app_with(&smtp, None).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&supervisor).await;
    assert_eq!(put(&app, &token, &chosen()).await.status(), 200, "the sign-in's second factor is fresh");
    app.clock.advance(Duration::minutes(6));
    // A stolen session cannot quietly send someone's notices elsewhere.
    let mut elsewhere = chosen();
    elsewhere["address"] = json!("thief@attacker.example.net");
    let refused = put(&app, &token, &elsewhere).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(get(&app, &token, "/api/v1/notices/preferences").await, chosen(), "nothing changed");
    // Other choices still change without one.
    let mut daily = chosen();
    daily["digest"] = json!("daily");
    assert_eq!(put(&app, &token, &daily).await.status(), 200);
    let code = app.next_totp(&supervisor);
    assert_eq!(app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": code})).await.status(), 204);
    elsewhere["digest"] = json!("daily");
    assert_eq!(put(&app, &token, &elsewhere).await.status(), 200);
    let details: Vec<Value> = sqlx::query_scalar(
        "select details from audit_log where action = 'notice.preferences_changed' and subject_id = $1 order by seq",
    )
    .bind(supervisor.id.as_str())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(details.len(), 3);
    assert_eq!(details[1]["address_changed"], false);
    assert_eq!(details[2]["address_changed"], true);
    assert!(!details[2].to_string().contains("attacker"), "never the address itself");
}
