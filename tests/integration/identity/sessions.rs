//! Sessions: cookie flags, idle and absolute expiry, sign-out, disable, reset, bearer rules.

use chrono::Duration;
use serde_json::{Value, json};
use shelter_shared::staff::Role;

use crate::helpers::{TestApp, test_settings};

#[tokio::test]
async fn an_idle_session_ends_after_15_minutes() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let token = app.token(&user).await;
    app.clock.advance(Duration::minutes(14));
    assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 200, "still alive at 14 min");
    app.clock.advance(Duration::minutes(15));
    assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 401, "idle 15 min");
}

#[tokio::test]
async fn an_active_session_still_ends_after_12_hours() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let token = app.token(&user).await;
    for _ in 0..(12 * 6 - 1) {
        app.clock.advance(Duration::minutes(10));
        assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 200);
    }
    app.clock.advance(Duration::minutes(10));
    assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 401, "12 h absolute");
}

#[tokio::test]
async fn sign_out_ends_the_session_on_the_server() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let token = app.token(&user).await;
    assert_eq!(app.post_json("/api/v1/auth/sign-out", Some(&token), &json!({})).await.status(), 204);
    assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 401);
    let ended: i64 = sqlx::query_scalar("select count(*) from staff_session where ended_at is not null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(ended, 1);
}

#[tokio::test]
async fn disabling_or_resetting_2fa_ends_sessions_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let admin_token = app.token(&admin).await;
    let first = app.staff(&[Role::Handler]).await;
    let second = app.staff(&[Role::Handler]).await;
    let first_token = app.token(&first).await;
    let second_token = app.token(&second).await;
    let response =
        app.post_json(&format!("/api/v1/admin/users/{}/disable", first.id), Some(&admin_token), &json!({})).await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.get_api("/api/v1/auth/me", &first_token).await.status(), 401);

    let response =
        app.post_json(&format!("/api/v1/admin/users/{}/reset-2fa", second.id), Some(&admin_token), &json!({})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["enrolment_code"].as_str().unwrap().len(), 24);
    assert_eq!(app.get_api("/api/v1/auth/me", &second_token).await.status(), 401);
    let code = app.next_totp(&second);
    let response = app
        .post_json(
            "/api/v1/auth/token",
            None,
            &json!({"email": second.email, "password": second.password, "totp": code}),
        )
        .await;
    assert_eq!(response.status(), 401, "the old factor no longer works");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_strict() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cookies = sign_in_cookies(&app, &client, &user).await;
    let session = cookies.iter().find(|c| c.starts_with("shelter_session=")).expect("session cookie");
    assert!(
        session.contains("HttpOnly") && session.contains("SameSite=Strict") && session.contains("Path=/"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "plain http in tests");
}

#[tokio::test]
async fn behind_https_the_cookie_is_host_prefixed_and_secure() {
    let mut settings = test_settings();
    settings.public_url = Some("https://shelter.example.org".into());
    let app = TestApp::spawn_with(settings).await;
    let user = app.staff(&[Role::Handler]).await;
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let cookies = sign_in_cookies(&app, &client, &user).await;
    let session = cookies.iter().find(|c| c.starts_with("__Host-shelter_session=")).expect("__Host- cookie");
    assert!(session.contains("Secure") && session.contains("HttpOnly") && session.contains("SameSite=Strict"));
}

/// Runs the browser sign-in by hand and returns every Set-Cookie seen.
async fn sign_in_cookies(app: &TestApp, client: &reqwest::Client, user: &crate::staff::TestUser) -> Vec<String> {
    let origin = app.address.clone();
    let set_cookies = |r: &reqwest::Response| -> Vec<String> {
        r.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect()
    };
    let mut seen = Vec::new();
    let page = client.get(format!("{origin}/staff")).send().await.unwrap();
    seen.extend(set_cookies(&page));
    let form_cookie = seen.iter().find(|c| c.contains("shelter_form=")).unwrap().split(';').next().unwrap().to_owned();
    let csrf = crate::staff::csrf_in(&page.text().await.unwrap());
    let response = client
        .post(format!("{origin}/staff/sign-in"))
        .header("cookie", &form_cookie)
        .form(&[("csrf", csrf.as_str()), ("email", &user.email), ("password", &user.password)])
        .send()
        .await
        .unwrap();
    seen.extend(set_cookies(&response));
    let challenge =
        seen.iter().find(|c| c.contains("shelter_challenge=")).unwrap().split(';').next().unwrap().to_owned();
    let code = app.next_totp(user);
    let response = client
        .post(format!("{origin}/staff/sign-in/totp"))
        .header("cookie", format!("{form_cookie}; {challenge}"))
        .form(&[("csrf", csrf.as_str()), ("code", &code)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    seen.extend(set_cookies(&response));
    seen
}

#[tokio::test]
async fn the_api_never_accepts_a_session_cookie() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&user).await;
    assert_eq!(browser.get(format!("{}/staff/account", app.address)).send().await.unwrap().status(), 200);
    let response = browser.get(format!("{}/api/v1/auth/me", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_bearer_token_does_not_open_the_browser_pages() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let token = app.token(&user).await;
    let response = app.client.get(format!("{}/staff/account", app.address)).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 303, "sent to sign in");
}

#[tokio::test]
async fn sign_out_everywhere_ends_every_session() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let token = app.token(&user).await;
    let browser = app.browser(&user).await;
    let csrf = app.session_csrf(&browser).await;
    let response = browser
        .post(format!("{}/staff/account/sessions/end-all", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 401);
    assert_eq!(browser.get(format!("{}/staff/account", app.address)).send().await.unwrap().status(), 303);
}

#[tokio::test]
async fn step_up_is_needed_for_new_recovery_codes_and_lasts_five_minutes() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&user).await;
    // Signing in counts as a fresh second factor; let it go stale.
    app.clock.advance(Duration::minutes(6));
    let csrf = app.session_csrf(&browser).await;
    let regenerate = || {
        browser.post(format!("{}/staff/account/recovery-codes", app.address)).form(&[("csrf", csrf.as_str())]).send()
    };
    assert_eq!(regenerate().await.unwrap().status(), 403, "stale second factor");
    let code = app.next_totp(&user);
    let response = browser
        .post(format!("{}/staff/step-up", app.address))
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    let page = regenerate().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Your recovery codes"));
    // The old codes no longer work.
    let body = json!({"email": user.email, "password": user.password, "recovery_code": user.recovery_codes[0]});
    assert_eq!(app.post_json("/api/v1/auth/token", None, &body).await.status(), 401);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let token = app.token(&user).await;
    let browser = app.browser(&user).await;
    let csrf = app.session_csrf(&browser).await;
    let change = |current: &str, new: &str| {
        browser
            .post(format!("{}/staff/account/password", app.address))
            .form(&[("csrf", csrf.as_str()), ("current", current), ("new", new)])
            .send()
    };
    assert_eq!(change("wrong current password", "a brand new phrase of words").await.unwrap().status(), 401);
    assert_eq!(change(&user.password, "short").await.unwrap().status(), 422);
    assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 200, "nothing changed yet");
    assert_eq!(change(&user.password, "a brand new phrase of words").await.unwrap().status(), 303);
    assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 401, "other session ended");
    assert_eq!(browser.get(format!("{}/staff/account", app.address)).send().await.unwrap().status(), 200);
}
