//! Forms never lose typed work: a form refused for a mistake, a change made meanwhile or an
//! expired step-up comes back filled in with what was typed (payment details included, to
//! the person who typed them). One test per form of the case page.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;

use crate::grants::{World, world};
use crate::helpers::TestApp;
use crate::staff::Expect as _;

/// A handler's browser on the world's case page: (client, csrf).
async fn handler_page(app: &TestApp, w: &World) -> (reqwest::Client, String) {
    let browser = app.browser(&w.handler.user).await;
    let csrf = app.session_csrf(&browser).await;
    (browser, csrf)
}

async fn post(
    app: &TestApp,
    browser: &reqwest::Client,
    w: &World,
    action: &str,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let response =
        browser.post(format!("{}/staff/cases/{}/{action}", app.address, w.case_id)).form(form).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_triage_refused_for_a_change_made_meanwhile_comes_back_filled_in() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let (browser, csrf) = handler_page(&app, &w).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("version", "1"),
        ("severity", "critical"),
        ("kind", "relocation"),
        ("rationale", "typed-triage-7001: moved to a safe house"),
    ];
    let (status, page) = post(&app, &browser, &w, "triage", &form).await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale version");
    assert!(page.contains("typed-triage-7001: moved to a safe house</textarea>"), "the rationale is back");
    assert!(page.contains(r#"<option value="relocation" selected"#), "the kind chosen is kept");
    assert!(page.contains(r#"<option value="critical" selected"#), "the severity chosen is kept");
}

#[tokio::test]
async fn a_refused_close_comes_back_filled_in() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let (browser, csrf) = handler_page(&app, &w).await;
    let form =
        [("csrf", csrf.as_str()), ("version", "1"), ("outcome", "referred_out"), ("rationale", "typed-close-7002")];
    let (status, page) = post(&app, &browser, &w, "close", &form).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("typed-close-7002</textarea>"));
    assert!(page.contains(r#"<option value="referred_out" selected"#));
}

#[tokio::test]
async fn a_message_too_long_comes_back_to_be_shortened() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let (browser, csrf) = handler_page(&app, &w).await;
    let body = format!("typed-message-7003 {}", "x".repeat(5000));
    let (status, page) = post(&app, &browser, &w, "messages", &[("csrf", &csrf), ("body", &body)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains(&format!("{body}</textarea>")), "the whole message is back");
}

#[tokio::test]
async fn a_note_too_long_comes_back_and_cannot_close_its_textarea() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let (browser, csrf) = handler_page(&app, &w).await;
    let body = format!("typed-note-7004 </textarea><h1>x</h1> {}", "y".repeat(5000));
    let (status, page) = post(&app, &browser, &w, "notes", &[("csrf", &csrf), ("body", &body)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("typed-note-7004 &lt;/textarea&gt;&lt;h1&gt;x&lt;/h1&gt; yyy"), "escaped, all there");
    assert!(!page.contains("<h1>x</h1>"));
}

#[tokio::test]
async fn a_refused_referral_comes_back_filled_in() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let partner = json!({"name": "Yangon Defence", "kind": "lawyer", "countries": ["MM"]});
    let created: Value = app
        .post_json("/api/v1/partners", Some(&w.admin.token), &partner)
        .await
        .expect_json(StatusCode::CREATED, "add a partner")
        .await;
    let partner_id = created["id"].as_str().unwrap().to_owned();
    let (browser, csrf) = handler_page(&app, &w).await;
    let form = [
        ("csrf", csrf.as_str()),
        ("partner_id", partner_id.as_str()),
        ("purpose", "typed-purpose-7005"),
        ("summary", "typed-summary-7005 detained since Monday"),
        ("fields", "names"),
        ("fields", "nonsense"),
    ];
    let (status, page) = post(&app, &browser, &w, "referrals", &form).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown packet field");
    assert!(page.contains(r#"value="typed-purpose-7005""#));
    assert!(page.contains("typed-summary-7005 detained since Monday</textarea>"));
    assert!(page.contains(&format!(r#"<option value="{partner_id}" selected"#)));
    assert!(page.contains(r#"value="names" checked"#), "the ticked box stays ticked");
}

#[tokio::test]
async fn a_grant_proposal_after_the_step_up_expired_comes_back_filled_in_and_takes_the_code() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let (browser, csrf) = handler_page(&app, &w).await;
    app.clock.advance(chrono::Duration::minutes(6));
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("fund_id", w.fund_id.clone()),
        ("category", "legal_fees".to_owned()),
        ("amount", "1,200.00".to_owned()),
        ("currency", "USD".to_owned()),
        ("rate", String::new()),
        ("payee_alias", "Lawyer K".to_owned()),
        ("payee_details", "KBZ 0042-typed-acct-7006".to_owned()),
        ("purpose", "typed-purpose-7006".to_owned()),
        ("rationale", "typed-rationale-7006".to_owned()),
    ];
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, page) = post(&app, &browser, &w, "grants", &pairs).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the step-up had expired");
    assert!(page.contains("KBZ 0042-typed-acct-7006</textarea>"), "payment details back to who typed them");
    assert!(page.contains("typed-purpose-7006</textarea>") && page.contains("typed-rationale-7006</textarea>"));
    assert!(page.contains(r#"value="1,200.00""#) && page.contains(r#"value="Lawyer K""#));
    assert!(page.contains(r#"name="code""#), "the code is asked in the same form");
    let grants: i64 = sqlx::query_scalar("select count(*) from grants").fetch_one(&app.db).await.unwrap();
    assert_eq!(grants, 0);

    // A wrong code: still filled in. The right one: proposed in one go.
    form.push(("code", "000000".to_owned()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, page) = post(&app, &browser, &w, "grants", &pairs).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("KBZ 0042-typed-acct-7006</textarea>"));
    let code = app.next_totp(&w.handler.user);
    form.pop();
    form.push(("code", code));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let response =
        browser.post(format!("{}/staff/cases/{}/grants", app.address, w.case_id)).form(&pairs).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let grants: i64 = sqlx::query_scalar("select count(*) from grants").fetch_one(&app.db).await.unwrap();
    assert_eq!(grants, 1);

    // Another person never sees those details refilled: a supervisor's case page is empty.
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let other = app.browser(&supervisor).await;
    let page = other
        .get(format!("{}/staff/cases/{}", app.address, w.case_id))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/cases/{}")
        .await;
    assert!(page.contains("Propose grant") && !page.contains("typed-acct-7006"));
}

/// An untriaged case's triage form starts at "Choose…" rather than a preselected kind and
/// severity; sent without a choice, it is refused and keeps the rationale.
#[tokio::test]
async fn triage_starts_at_choose_and_a_missing_choice_keeps_the_rationale() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json(
            "/api/v1/intake",
            None,
            &json!({"narrative": "followed home", "country": "TH", "kind": "threat_attack"}),
        )
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: uuid::Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(filed["reference"].as_str().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap();
    let handler = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&handler).await;
    let csrf = app.session_csrf(&browser).await;
    let path = format!("{}/staff/cases/{case_id}", app.address);
    browser
        .post(format!("{path}/claim"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
        .expect_status(StatusCode::SEE_OTHER, "claim the case")
        .await;
    let page = browser.get(&path).send().await.unwrap().expect_text(StatusCode::OK, "open the page").await;
    let chosen = page.matches(r#"<option value="" selected>Choose…</option>"#).count();
    assert_eq!(chosen, 2, "severity and kind both start at Choose…");
    assert!(!page.contains(r#"<option value="threat_attack" selected"#), "the requester's guess is not preselected");
    let version = page.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let form = [
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("severity", ""),
        ("kind", "threat_attack"),
        ("rationale", "typed-triage-7008"),
    ];
    let response = browser.post(format!("{path}/triage")).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text().await.unwrap();
    assert!(page.contains("Choose a severity.") && page.contains("typed-triage-7008</textarea>"));
    assert!(page.contains(r#"<option value="threat_attack" selected"#), "the kind chosen is kept");
}
