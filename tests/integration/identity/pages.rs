//! The staff pages in a browser-like client: first run, enrolment, sign-in, errors.

use reqwest::StatusCode;
use shelter_server::identity::totp;
use shelter_shared::staff::{Email, Role};

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::{PASSWORD, csrf_in};

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

#[tokio::test]
async fn the_first_run_sign_in_page_says_how_to_create_the_first_administrator() {
    let app = TestApp::spawn().await;
    let html = app.get("/staff").await.expect_text(StatusCode::OK, "open /staff").await;
    assert!(html.contains("shelter user add"), "{html}");
    assert!(html.contains("--role admin"));
    app.staff(&[Role::Admin]).await;
    let html = app.get("/staff").await.expect_text(StatusCode::OK, "open /staff").await;
    assert!(!html.contains("shelter user add"));
}

#[tokio::test]
async fn enrolment_in_the_browser_shows_a_server_drawn_qr_code_and_recovery_codes() {
    let app = TestApp::spawn().await;
    let email = Email::parse("soe@example.org").unwrap();
    let code = app
        .identity
        .add_user(&shelter_server::identity::admin::Admin::Operator, &email, "Soe Win", &[Role::Handler])
        .await
        .unwrap()
        .enrolment_code;
    let browser = client();
    let page = browser
        .get(format!("{}/staff/enrol", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/enrol")
        .await;
    let csrf = csrf_in(&page);
    let weak = browser
        .post(format!("{}/staff/enrol", app.address))
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str()), ("password", "password1234")])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.unwrap().contains("too easy to guess"));

    let page = browser
        .post(format!("{}/staff/enrol", app.address))
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("<svg"), "QR code drawn inline");
    assert!(!html.contains("<script"));
    let secret_b32 = html.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap();
    let secret = crate::staff::secret_of(&format!("otpauth://totp/Shelter:x?secret={secret_b32}&issuer=Shelter"));

    let bad = browser
        .post(format!("{}/staff/enrol/confirm", app.address))
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str()), ("totp", "000000")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("<svg"), "the QR code is shown again");

    app.clock.advance(chrono::Duration::seconds(30));
    let totp_code = totp::code_at(&secret, app.clock.now_unix()).unwrap();
    let done = browser
        .post(format!("{}/staff/enrol/confirm", app.address))
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str()), ("totp", totp_code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    assert_eq!(done.headers()["cache-control"], "no-store");
    let html = done.text().await.unwrap();
    assert_eq!(html.matches("<li><code>").count(), 10, "ten recovery codes");
}

#[tokio::test]
async fn a_wrong_password_in_the_browser_shows_the_form_again_without_saying_why() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let browser = client();
    let csrf = csrf_in(
        &browser
            .get(format!("{}/staff", app.address))
            .send()
            .await
            .unwrap()
            .expect_text(StatusCode::OK, "open /staff")
            .await,
    );
    let attempt = |email: String| {
        browser
            .post(format!("{}/staff/sign-in", app.address))
            .form(&[("csrf", csrf.clone()), ("email", email), ("password", "not the right one".into())])
            .send()
    };
    let known = attempt(user.email.clone()).await.unwrap();
    let unknown = attempt("nobody@example.org".into()).await.unwrap();
    assert_eq!(known.status(), 401);
    assert_eq!(unknown.status(), 401);
    let known = known.text().await.unwrap().replace(&user.email, "");
    let unknown = unknown.text().await.unwrap().replace("nobody@example.org", "");
    assert_eq!(known, unknown, "the pages differ only by the e-mail typed");
}

#[tokio::test]
async fn the_recovery_code_step_signs_in_once() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    for attempt in 0..2 {
        let browser = client();
        let csrf = csrf_in(
            &browser
                .get(format!("{}/staff", app.address))
                .send()
                .await
                .unwrap()
                .expect_text(StatusCode::OK, "open /staff")
                .await,
        );
        let response = browser
            .post(format!("{}/staff/sign-in", app.address))
            .form(&[("csrf", csrf.as_str()), ("email", user.email.as_str()), ("password", user.password.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 303);
        let response = browser
            .post(format!("{}/staff/sign-in/recovery", app.address))
            .form(&[("csrf", csrf.as_str()), ("code", user.recovery_codes[0].as_str())])
            .send()
            .await
            .unwrap();
        let expected = if attempt == 0 { StatusCode::SEE_OTHER } else { StatusCode::UNAUTHORIZED };
        assert_eq!(response.status(), expected, "attempt {attempt}");
    }
}

#[tokio::test]
async fn an_admin_creates_an_account_and_sees_its_code_once() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let browser = app.browser(&admin).await;
    let csrf = app.session_csrf(&browser).await;
    let response = browser
        .post(format!("{}/staff/users", app.address))
        .form(&[("csrf", csrf.as_str()), ("email", "Thida@Example.org"), ("name", "Thida"), ("finance", "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("thida@example.org"));
    assert!(html.contains("One-time enrolment code"));
    let roles: Vec<String> = sqlx::query_scalar("select roles from staff_user where email = 'thida@example.org'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(roles, vec!["finance"]);
    let list = browser
        .get(format!("{}/staff/users", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/users")
        .await;
    assert!(!list.contains("One-time enrolment code"), "the code is shown only once");
    // No role ticked: a clear error, nothing created.
    let response = browser
        .post(format!("{}/staff/users", app.address))
        .form(&[("csrf", csrf.as_str()), ("email", "x@example.org"), ("name", "X")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("at least one role"));
}
