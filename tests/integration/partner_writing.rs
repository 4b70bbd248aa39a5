//! The network and a referral's partner write to each other: the partner replies without
//! concluding (the referral keeps its state; audited; the handler is told), and the network
//! is warned before it writes details the requester did not consent to share.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::{TestUser, csrf_in};

struct World {
    case_id: Uuid,
    referral: String,
    handler: TestUser,
    handler_token: String,
    partner: TestUser,
    other_partner: TestUser,
}

async fn partner_account(app: &TestApp, admin: &str, name: &str) -> TestUser {
    let body = json!({"name": name, "kind": "lawyer", "countries": ["KH"]});
    let partner: Value = app
        .post_json("/api/v1/partners", Some(admin), &body)
        .await
        .expect_json(StatusCode::CREATED, "add a partner")
        .await;
    let email = format!("{}@partner.example.org", Uuid::new_v4().simple());
    let body = json!({"email": email, "name": name, "roles": ["partner"], "partner_id": partner["id"]});
    let created: Value = app
        .post_json("/api/v1/admin/users", Some(admin), &body)
        .await
        .expect_json(StatusCode::CREATED, "create a partner account")
        .await;
    app.enrol(&email, created["enrolment_code"].as_str().unwrap()).await
}

/// A case whose referral (the minimal packet: no names, no contact) was sent to a partner.
async fn world(app: &TestApp) -> World {
    let filed: Value = app
        .post_json(
            "/api/v1/intake",
            None,
            &json!({"narrative": "Arrested at the land protest", "country": "KH", "kind": "arrest_detention",
                    "at_risk": "Ko Aung Min, his wife Ma Hla", "contact": "signal @aungmin88"}),
        )
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let requester = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let handler = app.staff(&[Role::Handler]).await;
    let handler_token = app.token(&handler).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let supervisor = app.token(&supervisor).await;
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&handler_token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let partner = partner_account(app, &admin, "Phnom Penh Counsel").await;
    let other_partner = partner_account(app, &admin, "Siem Reap Counsel").await;
    let partner_id: Uuid = sqlx::query_scalar("select partner_id from staff_user where email = $1")
        .bind(&partner.email)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let body = json!({"partner_id": partner_id, "purpose": "Bail hearing", "summary": "Held since Monday"});
    let proposed: Value = app
        .post_json(&format!("/api/v1/cases/{case_id}/referrals"), Some(&handler_token), &body)
        .await
        .expect_json(StatusCode::CREATED, "propose a referral")
        .await;
    let referral = proposed["id"].as_str().unwrap().to_owned();
    app.post_json(&format!("/api/v1/referrals/{referral}/approve"), Some(&supervisor), &json!({"rationale": "fine"}))
        .await
        .expect_status(StatusCode::OK, "approve")
        .await;
    app.post_json(&format!("/api/v1/requester/referrals/{referral}/consent"), Some(&requester), &json!({}))
        .await
        .expect_status(StatusCode::NO_CONTENT, "the requester consents")
        .await;
    World { case_id, referral, handler, handler_token, partner, other_partner }
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_partner_replies_without_concluding_audited_and_the_handler_is_told() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let partner = app.browser(&w.partner).await;
    let home = partner
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    let action = format!("/staff/partner/referrals/{}/messages", w.referral);
    assert!(home.contains(&action) && home.contains("Reply to the network (the referral stays as it is)"));
    let csrf = csrf_in(&home);
    let replied = partner
        .post(format!("{}{action}", app.address))
        .form(&[("csrf", csrf.as_str()), ("text", "Can you send the charge sheet before we accept?")])
        .send()
        .await
        .unwrap();
    assert_eq!(replied.status(), StatusCode::SEE_OTHER);
    let status: String = sqlx::query_scalar("select status from referral").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "sent", "a reply is not an answer: the referral keeps its state");
    assert_eq!(
        count(
            &app,
            "select count(*) from audit_log where action = 'referral.message' and details->>'from_partner' = 'true'"
        )
        .await,
        1,
        "audited"
    );
    let kinds = crate::notify::in_app_kinds(&app, &w.handler.id).await;
    assert!(kinds.iter().any(|k| k == "partner_wrote"), "the handler is told: {kinds:?}");
    let case_page = app
        .browser(&w.handler)
        .await
        .get(format!("{}/staff/cases/{}", app.address, w.case_id))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open the case")
        .await;
    assert!(case_page.contains("Can you send the charge sheet before we accept?"));

    // Another partner cannot post on it, through the page or the API.
    let other = app.browser(&w.other_partner).await;
    let csrf = app.session_csrf(&other).await;
    let refused = other
        .post(format!("{}{action}", app.address))
        .form(&[("csrf", csrf.as_str()), ("text", "Let us take it instead")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    let token = app.token(&w.other_partner).await;
    let api = format!("/api/v1/partner/referrals/{}/messages", w.referral);
    assert_eq!(app.post_json(&api, Some(&token), &json!({"body": "hello"})).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(count(&app, "select count(*) from referral_message").await, 1, "nothing written by the other");
}

#[tokio::test]
async fn writing_to_a_partner_warns_of_unconsented_details_and_sends_only_once_confirmed() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let handler = app.browser(&w.handler).await;
    let csrf = app.session_csrf(&handler).await;
    let path = format!("{}/staff/cases/{}/referrals/{}/messages", app.address, w.case_id, w.referral);
    let risky = "Ko Aung Min can be reached on +855 12 345 678 <b>today</b>";
    let held = handler.post(&path).form(&[("csrf", csrf.as_str()), ("text", risky)]).send().await.unwrap();
    assert_eq!(held.status(), StatusCode::UNPROCESSABLE_ENTITY, "held, not sent");
    let page = held.text().await.unwrap();
    assert!(page.contains("Check before writing to the partner"), "the warning");
    assert!(page.contains("a phone number: +855 12 345 678"), "names the number");
    assert!(page.contains("a name from the case that the packet does not share: Aung Min"), "names the name");
    assert!(
        page.contains("Ko Aung Min can be reached on +855 12 345 678 &lt;b&gt;today&lt;/b&gt;"),
        "filled in, escaped"
    );
    assert!(page.contains("name=\"send_anyway\" value=\"yes\""), "a send-anyway confirmation");
    assert_eq!(count(&app, "select count(*) from referral_message").await, 0, "nothing is sent without it");

    // Words that hold nothing of the kind go at once; the risky ones once confirmed.
    let plain = handler
        .post(&path)
        .form(&[("csrf", csrf.as_str()), ("text", "The hearing is on Friday; please confirm.")])
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), StatusCode::SEE_OTHER);
    let anyway = handler
        .post(&path)
        .form(&[("csrf", csrf.as_str()), ("text", risky), ("send_anyway", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(anyway.status(), StatusCode::SEE_OTHER, "sent once confirmed");
    assert_eq!(count(&app, "select count(*) from referral_message").await, 2);
    assert_eq!(
        count(&app, "select count(*) from audit_log where action = 'referral.message' and details ? 'sent_anyway'")
            .await,
        1,
        "the confirmation is audited"
    );

    // The API holds it the same way, with its own code, until send_anyway.
    let api = format!("/api/v1/referrals/{}/messages", w.referral);
    let refused = app.post_json(&api, Some(&w.handler_token), &json!({"body": "Write to aung@example.org"})).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unconsented_details");
    assert!(!body.to_string().contains("aung@example.org"), "the refusal does not repeat the detail");
    let sent = app
        .post_json(&api, Some(&w.handler_token), &json!({"body": "Write to aung@example.org", "send_anyway": true}))
        .await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    assert_eq!(count(&app, "select count(*) from referral_message").await, 3);
}

#[tokio::test]
async fn the_warning_in_chromium_at_laptop_width_keeps_the_message_and_sends_it_once_confirmed() {
    use fantoccini::Locator;

    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let browser = crate::browser::Browser::start_laptop().await;
    browser.sign_in(&app, &w.handler).await;
    browser.client.goto(&format!("{}/staff/cases/{}", app.address, w.case_id)).await.unwrap();
    let form = format!("form[action='/staff/cases/{}/referrals/{}/messages']", w.case_id, w.referral);
    browser.fill(&format!("{form} textarea"), "Ko Aung Min is on 012 345 678").await;
    browser.click(&format!("{form} button[type=submit]")).await;
    assert_eq!(browser.text("h1").await, "Check before writing to the partner");
    let kept = browser.client.find(Locator::Css("#warned-text")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kept.as_deref(), Some("Ko Aung Min is on 012 345 678"), "the message is kept as typed");
    browser.screenshot("partner-warning-laptop").await;
    assert_eq!(count(&app, "select count(*) from referral_message").await, 0);
    browser.click("button[name=send_anyway]").await;
    browser.wait_for_url(|url| url.path() == format!("/staff/cases/{}", w.case_id)).await;
    assert_eq!(count(&app, "select count(*) from referral_message").await, 1, "sent once confirmed");
    browser.client.close().await.unwrap();
}
