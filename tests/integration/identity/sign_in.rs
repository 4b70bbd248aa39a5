//! Signing in: the second factor, replays, recovery codes, throttling, lockout.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::identity::totp;
use shelter_shared::staff::Role;

use crate::helpers::TestApp;
use crate::staff::Expect as _;

async fn sign_in(app: &TestApp, email: &str, password: &str, totp: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/token", None, &json!({"email": email, "password": password, "totp": totp})).await
}

#[tokio::test]
async fn a_signed_in_token_says_who_it_belongs_to() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler, Role::Supervisor]).await;
    let token = app.token(&user).await;
    let me: Value = app.get_api("/api/v1/auth/me", &token).await.expect_json(StatusCode::OK, "read my account").await;
    assert_eq!(me["email"], user.email.as_str());
    assert_eq!(me["roles"], json!(["handler", "supervisor"]));
}

#[tokio::test]
async fn there_is_no_sign_in_without_the_second_factor() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let response =
        app.post_json("/api/v1/auth/token", None, &json!({"email": user.email, "password": user.password})).await;
    assert_eq!(response.status(), 422);
    let response = sign_in(&app, &user.email, &user.password, "000000").await;
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn a_replayed_totp_code_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let code = app.next_totp(&user);
    assert_eq!(sign_in(&app, &user.email, &user.password, &code).await.status(), 200);
    assert_eq!(sign_in(&app, &user.email, &user.password, &code).await.status(), 401, "same code again");
}

#[tokio::test]
async fn a_code_two_steps_old_is_refused_and_one_step_is_accepted() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    app.clock.advance(Duration::seconds(60));
    let now = app.clock.now_unix();
    let old = totp::code_at(&user.secret, now - 60).unwrap();
    assert_eq!(sign_in(&app, &user.email, &user.password, &old).await.status(), 401);
    let one_step = totp::code_at(&user.secret, now - 30).unwrap();
    let response = sign_in(&app, &user.email, &user.password, &one_step).await;
    // The two-steps-old code may coincide with a valid one only by chance (1 in 10^6).
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn a_recovery_code_works_once() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let code = user.recovery_codes[0].to_lowercase();
    let body = json!({"email": user.email, "password": user.password, "recovery_code": code});
    assert_eq!(app.post_json("/api/v1/auth/token", None, &body).await.status(), 200);
    assert_eq!(app.post_json("/api/v1/auth/token", None, &body).await.status(), 401, "used already");
}

#[tokio::test]
async fn unknown_accounts_and_wrong_passwords_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let code = app.next_totp(&user);
    let wrong_password = sign_in(&app, &user.email, "not the password at all", &code).await;
    let unknown = sign_in(&app, "nobody@example.org", "not the password at all", &code).await;
    assert_eq!(wrong_password.status(), 401);
    assert_eq!(unknown.status(), 401);
    let mut a: Value = wrong_password.json().await.unwrap();
    let mut b: Value = unknown.json().await.unwrap();
    a["error"]["request_id"] = Value::Null;
    b["error"]["request_id"] = Value::Null;
    assert_eq!(a, b);
}

#[tokio::test]
async fn repeated_failures_slow_down_then_lock_until_a_supervisor_unlocks() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    for attempt in 1..=4 {
        assert_eq!(
            sign_in(&app, &user.email, "wrong password here", "123456").await.status(),
            401,
            "attempt {attempt}"
        );
    }
    // The fifth failure starts the waits: the next try at once is throttled.
    assert_eq!(sign_in(&app, &user.email, "wrong password here", "123456").await.status(), 401);
    let throttled = sign_in(&app, &user.email, &user.password, "123456").await;
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(throttled.headers().contains_key("retry-after"));
    // Unknown names are throttled exactly the same way.
    for _ in 0..5 {
        sign_in(&app, "ghost@example.org", "wrong password here", "123456")
            .await
            .expect_status(StatusCode::UNAUTHORIZED, "an unknown name")
            .await;
    }
    assert_eq!(sign_in(&app, "ghost@example.org", "x", "1").await.status(), StatusCode::TOO_MANY_REQUESTS);

    for _ in 6..=20 {
        app.clock.advance(Duration::minutes(16));
        sign_in(&app, &user.email, "wrong password here", "123456")
            .await
            .expect_status(StatusCode::UNAUTHORIZED, "a wrong password, after the wait")
            .await;
    }
    app.clock.advance(Duration::minutes(16));
    let code = app.next_totp(&user);
    let locked = sign_in(&app, &user.email, &user.password, &code).await;
    assert_eq!(locked.status(), 401, "locked even with the right password");
    let body: Value = locked.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("locked"));

    let supervisor_token = app.token(&supervisor).await;
    let unlock =
        app.post_json(&format!("/api/v1/admin/users/{}/unlock", user.id), Some(&supervisor_token), &json!({})).await;
    assert_eq!(unlock.status(), 204);
    let code = app.next_totp(&user);
    assert_eq!(sign_in(&app, &user.email, &user.password, &code).await.status(), 200);
}

#[tokio::test]
async fn too_many_attempts_from_one_address_get_429() {
    let mut settings = crate::helpers::test_settings();
    settings.sign_in_per_minute = 3;
    let app = TestApp::spawn_with(settings).await;
    for _ in 0..3 {
        assert_eq!(sign_in(&app, "a@example.org", "x", "1").await.status(), 401);
    }
    let response = sign_in(&app, "b@example.org", "x", "1").await;
    assert_eq!(response.status(), 429);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "too_many_requests");
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    app.identity
        .disable_user(&shelter_server::identity::admin::Admin::Operator, user.id.parse().unwrap())
        .await
        .unwrap();
    let code = app.next_totp(&user);
    assert_eq!(sign_in(&app, &user.email, &user.password, &code).await.status(), 401);
}

/// The name locks between the password step and the second factor (another guesser, or the
/// browser's two steps minutes apart): the second factor is refused, and the failures that
/// locked it stay counted rather than being cleared by the refused success.
#[tokio::test]
async fn failures_counted_after_the_password_step_refuse_the_second_and_stay() {
    use shelter_server::identity::IdentityError;
    use shelter_server::identity::sessions::SessionKind;
    use shelter_server::identity::sign_in::SecondFactor;

    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let password = secrecy::SecretString::from(user.password.clone());
    let id = app.identity.check_password(&user.email, &password).await.unwrap();
    for _ in 0..20 {
        app.clock.advance(Duration::minutes(16));
        sign_in(&app, &user.email, "wrong password here", "123456")
            .await
            .expect_status(StatusCode::UNAUTHORIZED, "a guess at the password")
            .await;
    }
    let sessions = || async {
        let count: i64 = sqlx::query_scalar("select count(*) from staff_session where staff_user_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
        count
    };
    let before = sessions().await;
    let code = app.next_totp(&user);
    let refused = app.identity.finish_sign_in(id, SecondFactor::Totp(&code), SessionKind::Api).await;
    assert!(matches!(refused, Err(IdentityError::Locked)), "{refused:?}");
    assert_eq!(sessions().await, before, "no session began");
    let code = app.next_totp(&user);
    let locked = sign_in(&app, &user.email, &user.password, &code).await;
    assert_eq!(locked.status(), 401, "still locked");
    let body: Value = locked.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().contains("locked"));
}

/// The right password with a wrong code is a failure like any other: the sign-in's
/// transaction, which had begun forgetting the earlier failures, is dropped, and all of them
/// stay counted with the new one.
#[tokio::test]
async fn a_wrong_code_after_the_right_password_counts_and_forgets_nothing() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    for _ in 0..3 {
        sign_in(&app, &user.email, "wrong password here", "123456")
            .await
            .expect_status(StatusCode::UNAUTHORIZED, "a wrong password")
            .await;
    }
    for _ in 0..2 {
        // Not the code of this step nor of either step beside it (those are accepted).
        let now = app.clock.now_unix();
        let valid: Vec<String> =
            [now - 30, now, now + 30].iter().map(|t| totp::code_at(&user.secret, *t).unwrap()).collect();
        let wrong = (0..1_000_000).map(|n| format!("{n:06}")).find(|c| !valid.contains(c)).unwrap();
        sign_in(&app, &user.email, &user.password, &wrong)
            .await
            .expect_status(StatusCode::UNAUTHORIZED, "the right password with a wrong code")
            .await;
    }
    let failures: Vec<i32> =
        sqlx::query_scalar("select failures from sign_in_throttle").fetch_all(&app.db).await.unwrap();
    assert_eq!(failures, vec![5]);
    // The current step's code (the next one would move the clock past the wait).
    let code = totp::code_at(&user.secret, app.clock.now_unix()).unwrap();
    let waiting = sign_in(&app, &user.email, &user.password, &code).await;
    let status = waiting.status();
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the fifth failure starts the waits: {}",
        waiting.text().await.unwrap()
    );
}
