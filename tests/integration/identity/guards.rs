//! Guards on irreversible acts: disabling an account and declaring a conflict ask for a
//! ticked "I understand"; nobody disables themselves or the last active administrator.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::identity::admin::Admin;
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::TestUser;

async fn status_of(app: &TestApp, user: &TestUser) -> String {
    sqlx::query_scalar("select status from staff_user where staff_user_id = $1")
        .bind(user.id.parse::<Uuid>().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn disable_form(app: &TestApp, browser: &reqwest::Client, target: &TestUser, confirm: bool) -> reqwest::Response {
    let csrf = app.session_csrf(browser).await;
    let mut form = vec![("csrf", csrf)];
    if confirm {
        form.push(("confirm", "yes".to_owned()));
    }
    browser.post(format!("{}/staff/users/{}/disable", app.address, target.id)).form(&form).send().await.unwrap()
}

#[tokio::test]
async fn disabling_an_account_needs_the_box_ticked() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let handler = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&admin).await;
    let page = browser
        .get(format!("{}/staff/users", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/users")
        .await;
    assert!(page.contains(r#"name="confirm" value="yes" required"#), "the form asks: {page}");
    let refused = disable_form(&app, &browser, &handler, false).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("Nothing was changed"));
    assert_eq!(status_of(&app, &handler).await, "active", "no tick, no change");
    let done = disable_form(&app, &browser, &handler, true).await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &handler).await, "disabled");
}

/// The insider: an administrator disables the only other administrator, then tries to
/// disable themselves (which would leave nobody to manage accounts), by page and by API.
#[tokio::test]
async fn an_admin_cannot_disable_themselves_nor_the_last_administrator() {
    let app = TestApp::spawn().await;
    let first = app.staff(&[Role::Admin]).await;
    let second = app.staff(&[Role::Admin, Role::Handler]).await;
    let browser = app.browser(&first).await;
    let page = browser
        .get(format!("{}/staff/users", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/users")
        .await;
    assert!(page.contains(&format!("/staff/users/{}/disable", second.id)), "the other admin may go");
    assert!(!page.contains(&format!("/staff/users/{}/disable", first.id)), "no button for oneself");
    assert!(page.contains("You cannot disable your own account"));

    assert_eq!(disable_form(&app, &browser, &second, true).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, &second).await, "disabled");

    let page = browser
        .get(format!("{}/staff/users", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/users")
        .await;
    assert!(!page.contains(&format!("/staff/users/{}/disable", first.id)));
    let myself = disable_form(&app, &browser, &first, true).await;
    assert_eq!(myself.status(), StatusCode::FORBIDDEN);
    assert!(myself.text().await.unwrap().contains("another administrator must"));
    let token = app.token(&first).await;
    let by_api = app.post_json(&format!("/api/v1/admin/users/{}/disable", first.id), Some(&token), &json!({})).await;
    assert_eq!(by_api.status(), StatusCode::FORBIDDEN);
    assert_eq!(status_of(&app, &first).await, "active");
    let refusals: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'auth.refused' and subject_id = $1")
            .bind(&first.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(refusals, 2, "each attempt is on the record");

    // Not even the operator at the shell takes the last administrator away.
    let last = app.identity.disable_user(&Admin::Operator, first.id.parse().unwrap()).await;
    assert!(matches!(last, Err(shelter_server::identity::IdentityError::Conflict(_))), "{last:?}");
    assert_eq!(status_of(&app, &first).await, "active");
}

/// Two administrators disabling each other at the same moment: one of them stays.
#[tokio::test]
async fn two_administrators_disabling_each_other_at_once_leave_one() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.staff(&[Role::Admin]).await, app.staff(&[Role::Admin]).await);
    let (token_a, token_b) = (app.token(&a).await, app.token(&b).await);
    let (path_a, path_b) =
        (format!("/api/v1/admin/users/{}/disable", b.id), format!("/api/v1/admin/users/{}/disable", a.id));
    let empty = json!({});
    let (first, second) =
        tokio::join!(app.post_json(&path_a, Some(&token_a), &empty), app.post_json(&path_b, Some(&token_b), &empty));
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses[0], 204, "one succeeds");
    assert_ne!(statuses[1], 204, "the other is refused");
    let active: i64 =
        sqlx::query_scalar("select count(*) from staff_user where status = 'active' and 'admin' = any(roles)")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(active, 1);
}

#[tokio::test]
async fn declaring_a_conflict_needs_the_box_ticked() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "my cousin is the judge", "country": "KH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(filed["reference"].as_str().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap();
    let handler = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&handler).await;
    let csrf = app.session_csrf(&browser).await;
    let claim = browser
        .post(format!("{}/staff/cases/{case_id}/claim", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(claim.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(format!("{}/staff/cases/{case_id}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/cases/{}")
        .await;
    assert!(page.contains("I understand: I will be unassigned"));
    let conflict = format!("{}/staff/cases/{case_id}/conflict", app.address);
    let refused = browser.post(&conflict).form(&[("csrf", csrf.as_str()), ("version", "2")]).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Nothing was changed") && html.contains("my cousin is the judge"), "the case page again");
    let declared = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from case_conflict where case_id = $1")
            .bind(case_id)
            .fetch_one(&app.db)
            .await
            .unwrap()
    };
    assert_eq!(declared().await, 0);
    let done = browser
        .post(&conflict)
        .form(&[("csrf", csrf.as_str()), ("version", "2"), ("confirm", "yes")])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(declared().await, 1);
    let assignee: Option<Uuid> = sqlx::query_scalar("select assignee from cases where case_id = $1")
        .bind(case_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(assignee, None);
}
