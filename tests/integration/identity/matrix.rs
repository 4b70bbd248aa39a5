//! Every role (and no one) against every staff route: allowed or refused as the policy says.
//!
//! The expectations are written out here, independently of the policy module, so a change
//! to the policy that is not also made here fails this test.

use reqwest::{Method, StatusCode};
use shelter_shared::staff::Role;

use crate::helpers::TestApp;

/// Who may use a route.
#[derive(Clone, Copy)]
enum Allowed {
    AnyStaff,
    Only(&'static [Role]),
}

impl Allowed {
    fn admits(self, roles: &[Role]) -> bool {
        match self {
            Allowed::AnyStaff => !roles.is_empty(),
            Allowed::Only(allowed) => roles.iter().any(|r| allowed.contains(r)),
        }
    }
}

const ADMIN: &[Role] = &[Role::Admin];
const ADMIN_OR_SUPERVISOR: &[Role] = &[Role::Admin, Role::Supervisor];
const SUPERVISOR: &[Role] = &[Role::Supervisor];
const HANDLER: &[Role] = &[Role::Handler];
const CASE_WORKERS: &[Role] = &[Role::Handler, Role::Supervisor];
const FINANCE: &[Role] = &[Role::Finance];
const REGISTER_READERS: &[Role] = &[Role::Supervisor, Role::Finance];
const GRANT_READERS: &[Role] = &[Role::Handler, Role::Supervisor, Role::Finance];
const FUND_READERS: &[Role] = &[Role::Admin, Role::Supervisor, Role::Finance, Role::Handler];
const ALUMNI_READERS: &[Role] = &[Role::Handler, Role::Supervisor, Role::Admin];
/// A user id that does not exist: allowed callers get 404, refused ones 403.
const NOBODY: &str = "00000000-0000-4000-8000-000000000000";

fn api_routes() -> Vec<(Method, String, Allowed)> {
    vec![
        (Method::GET, "/api/v1/auth/me".into(), Allowed::AnyStaff),
        (Method::GET, "/api/v1/auth/sessions".into(), Allowed::AnyStaff),
        (Method::GET, "/api/v1/admin/users".into(), Allowed::Only(ADMIN_OR_SUPERVISOR)),
        (Method::POST, "/api/v1/admin/users".into(), Allowed::Only(ADMIN)),
        (Method::POST, format!("/api/v1/admin/users/{NOBODY}/disable"), Allowed::Only(ADMIN)),
        (Method::POST, format!("/api/v1/admin/users/{NOBODY}/unlock"), Allowed::Only(ADMIN_OR_SUPERVISOR)),
        (Method::POST, format!("/api/v1/admin/users/{NOBODY}/reset-2fa"), Allowed::Only(ADMIN)),
        (Method::POST, format!("/api/v1/admin/users/{NOBODY}/confirm"), Allowed::Only(SUPERVISOR)),
        (Method::GET, "/api/v1/audit".into(), Allowed::Only(SUPERVISOR)),
        (Method::GET, "/api/v1/audit/export".into(), Allowed::Only(SUPERVISOR)),
        (Method::POST, "/api/v1/audit/1/review".into(), Allowed::Only(SUPERVISOR)),
        (Method::GET, "/api/v1/cases".into(), Allowed::Only(CASE_WORKERS)),
        (Method::GET, format!("/api/v1/cases/{NOBODY}"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/claim"), Allowed::Only(HANDLER)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/triage"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/close"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/messages"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/unclaim"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/reassign"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/tasks/{NOBODY}/undo"), Allowed::Only(CASE_WORKERS)),
        (Method::GET, "/api/v1/sla/breaches".into(), Allowed::Only(SUPERVISOR)),
        (Method::GET, "/api/v1/partners".into(), Allowed::Only(&[Role::Handler, Role::Supervisor, Role::Admin])),
        (Method::POST, "/api/v1/partners".into(), Allowed::Only(ADMIN)),
        (Method::POST, format!("/api/v1/partners/{NOBODY}/capacity"), Allowed::Only(ADMIN)),
        (Method::GET, format!("/api/v1/cases/{NOBODY}/referrals"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/referrals"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/referrals/{NOBODY}/approve"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/partner/referrals/{NOBODY}/accept"), Allowed::Only(&[Role::Partner])),
        (Method::GET, "/api/v1/funds".into(), Allowed::Only(FUND_READERS)),
        (Method::POST, "/api/v1/funds".into(), Allowed::Only(ADMIN)),
        (Method::GET, format!("/api/v1/cases/{NOBODY}/grants"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/grants"), Allowed::Only(CASE_WORKERS)),
        (Method::GET, "/api/v1/grants".into(), Allowed::Only(REGISTER_READERS)),
        (Method::GET, "/api/v1/grants/export".into(), Allowed::Only(REGISTER_READERS)),
        (Method::GET, format!("/api/v1/grants/{NOBODY}"), Allowed::Only(GRANT_READERS)),
        (Method::PUT, format!("/api/v1/grants/{NOBODY}/payee"), Allowed::Only(&[Role::Handler, Role::Finance])),
        (Method::POST, format!("/api/v1/grants/{NOBODY}/disburse"), Allowed::Only(FINANCE)),
        (Method::POST, format!("/api/v1/grants/{NOBODY}/conflict"), Allowed::Only(REGISTER_READERS)),
        (Method::POST, format!("/api/v1/grants/{NOBODY}/approve"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/api/v1/grants/{NOBODY}/reject"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/api/v1/grants/{NOBODY}/reverse"), Allowed::Only(FINANCE)),
        (Method::POST, format!("/api/v1/grants/{NOBODY}/receipt"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/grants/{NOBODY}/report"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/grants/{NOBODY}/cancel"), Allowed::Only(CASE_WORKERS)),
        (Method::GET, "/api/v1/retention".into(), Allowed::Only(ADMIN_OR_SUPERVISOR)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/legal-hold"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/legal-hold/lift"), Allowed::Only(SUPERVISOR)),
        (Method::GET, "/api/v1/alumni".into(), Allowed::Only(ALUMNI_READERS)),
        (Method::POST, "/api/v1/alumni".into(), Allowed::Only(ADMIN)),
        (Method::GET, format!("/api/v1/alumni/{NOBODY}"), Allowed::Only(ALUMNI_READERS)),
        (Method::POST, format!("/api/v1/alumni/{NOBODY}/status"), Allowed::Only(ADMIN)),
        (Method::GET, "/api/v1/alumni/export.csv".into(), Allowed::Only(ADMIN)),
        (Method::GET, format!("/api/v1/cases/{NOBODY}/alumni"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/alumni"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/api/v1/cases/{NOBODY}/alumni/status"), Allowed::Only(CASE_WORKERS)),
    ]
}

fn page_routes() -> Vec<(Method, String, Allowed)> {
    vec![
        (Method::GET, "/staff/account".into(), Allowed::AnyStaff),
        (Method::GET, "/staff/users".into(), Allowed::Only(ADMIN_OR_SUPERVISOR)),
        (Method::POST, "/staff/users".into(), Allowed::Only(ADMIN)),
        (Method::POST, format!("/staff/users/{NOBODY}/disable"), Allowed::Only(ADMIN)),
        (Method::POST, format!("/staff/users/{NOBODY}/unlock"), Allowed::Only(ADMIN_OR_SUPERVISOR)),
        (Method::POST, format!("/staff/users/{NOBODY}/reset-2fa"), Allowed::Only(ADMIN)),
        (Method::POST, format!("/staff/users/{NOBODY}/confirm"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/staff/users/{NOBODY}/partner"), Allowed::Only(ADMIN)),
        (Method::GET, "/staff/audit".into(), Allowed::Only(SUPERVISOR)),
        (Method::GET, format!("/staff/cases/{NOBODY}"), Allowed::Only(CASE_WORKERS)),
        // Any staff member may ask for a summary; what (if anything) it holds is per case.
        (Method::GET, format!("/staff/cases/{NOBODY}/summary"), Allowed::AnyStaff),
        (Method::POST, format!("/staff/cases/{NOBODY}/claim"), Allowed::Only(HANDLER)),
        (Method::POST, format!("/staff/cases/{NOBODY}/triage"), Allowed::Only(CASE_WORKERS)),
        (Method::GET, "/staff/partners".into(), Allowed::Only(ADMIN)),
        (Method::GET, "/staff/funds".into(), Allowed::Only(FUND_READERS)),
        (Method::POST, "/staff/funds".into(), Allowed::Only(ADMIN)),
        (Method::GET, "/staff/grants".into(), Allowed::Only(REGISTER_READERS)),
        (Method::POST, "/staff/grants/export".into(), Allowed::Only(REGISTER_READERS)),
        (Method::GET, format!("/staff/grants/{NOBODY}"), Allowed::Only(GRANT_READERS)),
        (Method::POST, format!("/staff/grants/{NOBODY}/decide"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/staff/grants/{NOBODY}/disburse"), Allowed::Only(FINANCE)),
        (Method::POST, format!("/staff/grants/{NOBODY}/payee"), Allowed::Only(&[Role::Handler, Role::Finance])),
        (Method::POST, format!("/staff/grants/{NOBODY}/cancel"), Allowed::Only(CASE_WORKERS)),
        (Method::POST, format!("/staff/cases/{NOBODY}/grants"), Allowed::Only(CASE_WORKERS)),
        (Method::GET, "/staff/notices".into(), Allowed::AnyStaff),
        (Method::POST, "/staff/notices/rota".into(), Allowed::Only(ADMIN)),
        (Method::POST, format!("/staff/notices/rota/{NOBODY}/remove"), Allowed::Only(ADMIN)),
        (Method::POST, format!("/staff/notices/{NOBODY}/retry"), Allowed::Only(ADMIN)),
        (Method::GET, "/staff/retention".into(), Allowed::Only(ADMIN_OR_SUPERVISOR)),
        (Method::POST, format!("/staff/cases/{NOBODY}/legal-hold"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/staff/cases/{NOBODY}/legal-hold/lift"), Allowed::Only(SUPERVISOR)),
        (Method::GET, "/staff/alumni".into(), Allowed::Only(ALUMNI_READERS)),
        (Method::POST, "/staff/alumni".into(), Allowed::Only(ADMIN)),
        (Method::POST, "/staff/alumni/export".into(), Allowed::Only(ADMIN)),
        (Method::GET, format!("/staff/alumni/{NOBODY}"), Allowed::Only(ALUMNI_READERS)),
        (Method::POST, format!("/staff/alumni/{NOBODY}/status"), Allowed::Only(ADMIN)),
        (Method::GET, format!("/staff/cases/{NOBODY}/alumni"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/staff/cases/{NOBODY}/alumni"), Allowed::Only(SUPERVISOR)),
        (Method::POST, format!("/staff/cases/{NOBODY}/alumni/status"), Allowed::Only(CASE_WORKERS)),
    ]
}

fn refused(status: StatusCode) -> bool {
    status == StatusCode::FORBIDDEN || status == StatusCode::UNAUTHORIZED
}

#[tokio::test]
async fn every_role_against_every_api_route() {
    let app = TestApp::spawn().await;
    let mut callers: Vec<(Vec<Role>, Option<String>)> = vec![(vec![], None)];
    let mut users = vec![];
    for role in Role::ALL {
        let user = app.staff(&[role]).await;
        callers.push((vec![role], Some(app.token(&user).await)));
        users.push(user);
    }
    // Everyone has a fresh second factor, so only the policy decides the step-up routes.
    for (user, (_, token)) in users.iter().zip(callers.iter().skip(1)) {
        let code = app.next_totp(user);
        let body = serde_json::json!({"totp": code});
        assert_eq!(app.post_json("/api/v1/auth/step-up", token.as_deref(), &body).await.status(), 204);
    }
    for (method, path, allowed) in api_routes() {
        for (roles, token) in &callers {
            let mut request = app.client.request(method.clone(), format!("{}{path}", app.address));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if method == Method::POST {
                // A body that passes parsing, so only the policy decides.
                request =
                    request.json(&serde_json::json!({"email": "new@example.org", "name": "N", "roles": ["handler"]}));
            }
            let status = request.send().await.unwrap().status();
            let expected = allowed.admits(roles);
            if token.is_none() {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "anonymous {method} {path}");
            } else if expected {
                assert!(!refused(status), "{roles:?} should be allowed {method} {path}, got {status}");
                assert!(!status.is_server_error(), "{roles:?} {method} {path} answered {status}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{roles:?} should be refused {method} {path}");
            }
        }
        // Reset the created account so the next caller's create is not a conflict.
        sqlx::query("delete from staff_user where email = 'new@example.org'").execute(&app.db).await.unwrap();
    }
}

#[tokio::test]
async fn every_role_against_every_staff_page() {
    let app = TestApp::spawn().await;
    let mut callers: Vec<(Vec<Role>, reqwest::Client, String)> = vec![];
    let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut users = vec![];
    for role in Role::ALL {
        let user = app.staff(&[role]).await;
        let browser = app.browser(&user).await;
        let csrf = app.session_csrf(&browser).await;
        callers.push((vec![role], browser, csrf));
        users.push(user);
    }
    for (user, (_, browser, csrf)) in users.iter().zip(&callers) {
        let code = app.next_totp(user);
        let form = [("csrf", csrf.as_str()), ("code", code.as_str())];
        let stepped = browser.post(format!("{}/staff/step-up", app.address)).form(&form).send().await.unwrap();
        assert_eq!(stepped.status(), StatusCode::SEE_OTHER, "step-up");
    }
    for (method, path, allowed) in page_routes() {
        let status = anonymous
            .request(method.clone(), format!("{}{path}", app.address))
            .form(&[("csrf", "x")])
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, StatusCode::SEE_OTHER, "anonymous {method} {path} is sent to sign in");
        for (roles, browser, csrf) in &callers {
            let mut request = browser.request(method.clone(), format!("{}{path}", app.address));
            if method == Method::POST {
                request = request.form(&[
                    ("csrf", csrf.as_str()),
                    ("email", "page@example.org"),
                    ("name", "N"),
                    ("handler", "on"),
                ]);
            }
            let status = request.send().await.unwrap().status();
            if allowed.admits(roles) {
                assert!(!refused(status), "{roles:?} should be allowed {method} {path}, got {status}");
                assert!(!status.is_server_error(), "{roles:?} {method} {path} answered {status}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{roles:?} should be refused {method} {path}");
            }
        }
        sqlx::query("delete from staff_user where email = 'page@example.org'").execute(&app.db).await.unwrap();
    }
}
