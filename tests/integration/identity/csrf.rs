//! Forms refuse missing or forged CSRF tokens and other sites' origins, changing nothing.

use shelter_shared::staff::Role;

use crate::helpers::TestApp;

async fn live_sessions(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from staff_session where ended_at is null").fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_missing_or_forged_csrf_token_is_refused_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&user).await;
    let before = live_sessions(&app).await;
    let url = format!("{}/staff/account/sessions/end-all", app.address);
    let missing = browser.post(&url).form(&[("other", "x")]).send().await.unwrap();
    assert_eq!(missing.status(), 403);
    let forged = browser.post(&url).form(&[("csrf", "forged-token-value")]).send().await.unwrap();
    assert_eq!(forged.status(), 403);
    assert!(forged.text().await.unwrap().contains("did not come from Shelter"));
    assert_eq!(live_sessions(&app).await, before, "no session was ended");
}

#[tokio::test]
async fn a_form_from_another_origin_is_refused() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&user).await;
    let csrf = app.session_csrf(&browser).await;
    let before = live_sessions(&app).await;
    let url = format!("{}/staff/account/sessions/end-all", app.address);
    let response = browser
        .post(&url)
        .header("origin", "https://evil.example")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let response = browser
        .post(&url)
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    // A page with no-referrer sends `Origin: null`; Fetch Metadata still tells a foreign site.
    let response = browser
        .post(&url)
        .header("origin", "null")
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(live_sessions(&app).await, before);
    // The same form from Shelter's own origin works.
    let response = browser
        .post(&url)
        .header("origin", app.address.as_str())
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(live_sessions(&app).await, before - 1);
}

#[tokio::test]
async fn the_sign_in_form_needs_its_token_too() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let response = app
        .client
        .post(format!("{}/staff/sign-in", app.address))
        .form(&[("csrf", "made-up"), ("email", user.email.as_str()), ("password", user.password.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    let challenges: i64 =
        sqlx::query_scalar("select count(*) from staff_sign_in_challenge").fetch_one(&app.db).await.unwrap();
    assert_eq!(challenges, 0);
}
