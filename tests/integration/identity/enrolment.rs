//! Enrolment: code, password rules, TOTP, recovery codes, what is stored.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::{Email, Role};

use crate::helpers::TestApp;
use crate::staff::{PASSWORD, secret_of};

async fn new_code(app: &TestApp) -> String {
    let email = Email::parse(&format!("{}@example.org", uuid::Uuid::new_v4().simple())).unwrap();
    app.identity
        .add_user(&shelter_server::identity::admin::Admin::Operator, &email, "Mya Thandar", &[Role::Handler])
        .await
        .unwrap()
        .enrolment_code
}

#[tokio::test]
async fn enrolment_gives_an_rfc_6238_secret_and_ten_recovery_codes() {
    let app = TestApp::spawn().await;
    let code = new_code(&app).await;
    let response = app.post_json("/api/v1/auth/enrol", None, &json!({"code": code, "password": PASSWORD})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let uri = body["otpauth_uri"].as_str().unwrap();
    assert!(uri.starts_with("otpauth://totp/Shelter:"), "{uri}");
    // Key URI defaults are SHA-1, 6 digits, 30 s; when named they must be those.
    for (key, value) in [("algorithm", "SHA1"), ("digits", "6"), ("period", "30")] {
        assert!(!uri.contains(&format!("{key}=")) || uri.contains(&format!("{key}={value}")), "{uri}");
    }
    assert_eq!(secret_of(uri).len(), 20, "160-bit secret");

    let user = crate::staff::TestUser {
        id: String::new(),
        email: String::new(),
        password: PASSWORD.into(),
        secret: secret_of(uri),
        recovery_codes: vec![],
    };
    let wrong = app.post_json("/api/v1/auth/enrol/confirm", None, &json!({"code": code, "totp": "000000"})).await;
    assert_eq!(wrong.status(), 422);
    let totp = app.next_totp(&user);
    let response = app.post_json("/api/v1/auth/enrol/confirm", None, &json!({"code": code, "totp": totp})).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    let codes = body["recovery_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);

    // The code is single-use.
    let again = app.post_json("/api/v1/auth/enrol", None, &json!({"code": code, "password": PASSWORD})).await;
    assert_eq!(again.status(), 422);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_enrolment_code");
}

#[tokio::test]
async fn a_weak_password_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let code = new_code(&app).await;
    for weak in ["short", "password1234", "mya thandar1", &"x".repeat(129)] {
        let response = app.post_json("/api/v1/auth/enrol", None, &json!({"code": code, "password": weak})).await;
        assert_eq!(response.status(), 422, "{weak}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "weak_password");
    }
    let stored: (String, Option<String>) =
        sqlx::query_as("select status, password_hash from staff_user").fetch_one(&app.db).await.unwrap();
    assert_eq!(stored, ("enrolling".to_owned(), None));
}

#[tokio::test]
async fn an_enrolment_code_expires_after_24_hours() {
    let app = TestApp::spawn().await;
    let code = new_code(&app).await;
    app.clock.advance(Duration::hours(24) + Duration::seconds(1));
    let response = app.post_json("/api/v1/auth/enrol", None, &json!({"code": code, "password": PASSWORD})).await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn malformed_enrolment_requests_get_clear_errors() {
    let app = TestApp::spawn().await;
    let response = app.post_json("/api/v1/auth/enrol", None, &json!({"code": 5})).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().len() > 5);
    let response = app
        .client
        .post(format!("{}/api/v1/auth/enrol", app.address))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let response = app.client.post(format!("{}/api/v1/auth/enrol", app.address)).body("code=x").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn stored_passwords_are_argon2id_with_strong_parameters_and_totp_secrets_are_sealed() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let (hash, sealed): (String, Vec<u8>) =
        sqlx::query_as("select password_hash, totp_secret_sealed from staff_user").fetch_one(&app.db).await.unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    let params: Vec<(String, u32)> = hash
        .split('$')
        .nth(3)
        .unwrap()
        .split(',')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_owned(), v.parse().unwrap())
        })
        .collect();
    let get = |name: &str| params.iter().find(|(k, _)| k == name).unwrap().1;
    assert!(get("m") >= 19456 && get("t") >= 2 && get("p") >= 1, "{hash}");
    assert!(!hash.contains(PASSWORD));
    // The secret is nowhere in plain: not its bytes, not its base32.
    let dump: String =
        sqlx::query_scalar("select row_to_json(u)::text from staff_user u").fetch_one(&app.db).await.unwrap();
    let hex_secret = user.secret.iter().map(|b| format!("{b:02x}")).collect::<String>();
    assert!(!dump.contains(&hex_secret));
    assert!(!sealed.windows(user.secret.len()).any(|w| w == user.secret.as_slice()));
    // Recovery codes are stored hashed.
    let stored: Vec<Vec<u8>> =
        sqlx::query_scalar("select code_hash from staff_recovery_code").fetch_all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 10);
    for code in &user.recovery_codes {
        assert!(!stored.iter().any(|h| h.windows(code.len()).any(|w| w == code.as_bytes())));
    }
}
