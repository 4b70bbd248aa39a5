//! Linking a partner account to its organisation from `/staff/users`: administrators only,
//! with a fresh second factor, audited like any other change to an account; the person an
//! entry is about is found by the audit page's name filter.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::TestUser;

async fn organisation_of(app: &TestApp, user: &TestUser) -> Option<Uuid> {
    sqlx::query_scalar("select partner_id from staff_user where staff_user_id = $1")
        .bind(user.id.parse::<Uuid>().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn add_partner(app: &TestApp, admin: &TestUser, name: &str) -> Uuid {
    let token = app.token(admin).await;
    let body = json!({"name": name, "kind": "organisation", "countries": ["MM"], "languages": ["my"]});
    let created: Value =
        app.post_json("/api/v1/partners", Some(&token), &body).await.expect_json(StatusCode::CREATED, "add").await;
    created["id"].as_str().unwrap().parse().unwrap()
}

async fn link(app: &TestApp, browser: &reqwest::Client, account: &TestUser, partner: &str) -> reqwest::Response {
    let csrf = app.session_csrf(browser).await;
    browser
        .post(format!("{}/staff/users/{}/partner", app.address, account.id))
        .form(&[("csrf", csrf.as_str()), ("partner", partner)])
        .send()
        .await
        .unwrap()
}

async fn users_page(app: &TestApp, browser: &reqwest::Client) -> String {
    browser
        .get(format!("{}/staff/users", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/users")
        .await
}

async fn linked_entries(app: &TestApp, account: &TestUser) -> Vec<(String, Value)> {
    sqlx::query_as("select actor_id, details from audit_log where action = 'user.partner_linked' and subject_id = $1")
        .bind(&account.id)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_administrator_links_a_partner_account_from_the_accounts_page() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let lawyer = app.staff(&[Role::Partner]).await;
    let yangon = add_partner(&app, &admin, "Yangon Defence").await;
    let browser = app.browser(&admin).await;
    let page = users_page(&app, &browser).await;
    assert!(page.contains(&format!("/staff/users/{}/partner", lawyer.id)), "a link form for the partner account");
    assert!(page.contains("Not linked to an organisation yet") && page.contains("Yangon Defence"), "{page}");
    assert!(!page.contains(&format!("/staff/users/{}/partner", admin.id)), "none for other accounts");

    let done = link(&app, &browser, &lawyer, &yangon.to_string()).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(done.headers()["location"], "/staff/users?notice=linked");
    assert_eq!(organisation_of(&app, &lawyer).await, Some(yangon));
    let entries = linked_entries(&app, &lawyer).await;
    assert_eq!(entries.len(), 1, "audited once");
    assert_eq!(entries[0].0, admin.id, "by the administrator");
    assert_eq!(entries[0].1["partner"], json!(yangon.to_string()));
    let page = users_page(&app, &browser).await;
    assert!(page.contains("Organisation: Yangon Defence"), "{page}");

    // The audit page says it in words, with the organisation's name.
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let reader = app.browser(&supervisor).await;
    let audit = reader
        .get(format!("{}/staff/audit?action=user.partner_linked", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open the audit page")
        .await;
    assert!(audit.contains("Linked to the partner organisation Yangon Defence."), "{audit}");
}

#[tokio::test]
async fn a_partner_account_is_created_with_its_organisation_from_the_page() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let bangkok = add_partner(&app, &admin, "Bangkok Rights Desk").await;
    let browser = app.browser(&admin).await;
    let csrf = app.session_csrf(&browser).await;
    let org = bangkok.to_string();
    let post = |email: &'static str, role: &'static str| {
        let form = [
            ("csrf", csrf.clone()),
            ("email", email.into()),
            ("name", "Khun Lawyer".into()),
            (role, "yes".into()),
            ("organisation", org.clone()),
        ];
        let browser = browser.clone();
        let url = format!("{}/staff/users", app.address);
        async move { browser.post(url).form(&form).send().await.unwrap() }
    };
    assert_eq!(post("lawyer@example.org", "partner").await.status(), StatusCode::OK);
    let partner: Option<Uuid> =
        sqlx::query_scalar("select partner_id from staff_user where email = 'lawyer@example.org'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(partner, Some(bangkok));
    // Only partner accounts belong to an organisation.
    let refused = post("handler@example.org", "handler").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let none: i64 = sqlx::query_scalar("select count(*) from staff_user where email = 'handler@example.org'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(none, 0, "nothing created");
}

/// Insiders: a supervisor, the partner account itself, and an administrator whose second
/// factor went stale; then links the policy refuses whoever asks.
#[tokio::test]
async fn only_an_administrator_with_a_fresh_second_factor_links_a_partner_account() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let lawyer = app.staff(&[Role::Partner]).await;
    let handler = app.staff(&[Role::Handler]).await;
    let supervisor = app.staff(&[Role::Supervisor, Role::Partner]).await;
    let yangon = add_partner(&app, &admin, "Yangon Defence").await;
    let bangkok = add_partner(&app, &admin, "Bangkok Rights Desk").await;

    // A supervisor (who also holds a partner account) may not move anyone, themselves included.
    let theirs = app.browser(&supervisor).await;
    assert_eq!(link(&app, &theirs, &lawyer, &yangon.to_string()).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(link(&app, &theirs, &supervisor, &yangon.to_string()).await.status(), StatusCode::FORBIDDEN);
    // The partner account may not pick the organisation whose referrals it would read.
    let own = app.browser(&lawyer).await;
    assert_eq!(link(&app, &own, &lawyer, &bangkok.to_string()).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(organisation_of(&app, &lawyer).await, None, "nothing changed");
    assert_eq!(organisation_of(&app, &supervisor).await, None);

    let browser = app.browser(&admin).await;
    // Not a partner account; not an organisation; not even an id.
    assert_eq!(link(&app, &browser, &handler, &yangon.to_string()).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(organisation_of(&app, &handler).await, None);
    // A supervisor's account that also holds the partner role would sit on both sides of a
    // referral: only a partner-only account belongs to an organisation.
    let both = link(&app, &browser, &supervisor, &yangon.to_string()).await;
    assert_eq!(both.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(organisation_of(&app, &supervisor).await, None);
    let unknown = link(&app, &browser, &lawyer, &Uuid::new_v4().to_string()).await;
    assert_eq!(unknown.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let garbled = link(&app, &browser, &lawyer, "yangon").await;
    assert_eq!(garbled.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(garbled.text().await.unwrap().contains("Choose the partner organisation"), "a clear message");
    assert_eq!(organisation_of(&app, &lawyer).await, None);

    // Past the step-up window, the administrator confirms a code first.
    app.clock.advance(chrono::Duration::minutes(6));
    let stale = link(&app, &browser, &lawyer, &yangon.to_string()).await;
    assert!(!stale.status().is_success() && !stale.status().is_redirection(), "{}", stale.status());
    assert_eq!(organisation_of(&app, &lawyer).await, None);
    assert!(linked_entries(&app, &lawyer).await.is_empty(), "no link recorded");
}
