//! The insider's attacks on money and access, each refused with a clear message and an
//! audit entry, beside the legitimate paths small teams need.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::identity::totp;
use shelter_shared::staff::Role;

use crate::grants::{
    Member, World, act, grant_as, member, payment, proposal, propose, propose_as, put_payee, step_up, world,
};
use crate::helpers::{TestApp, test_settings};
use crate::staff::Expect as _;
use crate::staff::csrf_in;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

async fn message(response: reqwest::Response) -> String {
    let body: Value = response.json().await.unwrap();
    body["error"]["message"].as_str().unwrap_or_default().to_owned()
}

/// A world whose case is critical, with two people holding supervisor and finance both.
async fn dual_world(app: &TestApp) -> (World, Member, Member) {
    let w = world(app, "critical").await;
    let a = member(app, Role::Supervisor).await;
    let b = member(app, Role::Finance).await;
    // Give each both roles, as `shelter user add --role supervisor --role finance` does.
    let (a, b) = (both(app, a).await, both(app, b).await);
    (w, a, b)
}

async fn both(app: &TestApp, _: Member) -> Member {
    member_with(app, &[Role::Supervisor, Role::Finance]).await
}

async fn member_with(app: &TestApp, roles: &[Role]) -> Member {
    let user = app.staff(roles).await;
    let token = app.token(&user).await;
    Member { user, token }
}

#[tokio::test]
async fn one_person_with_supervisor_and_finance_never_approves_and_pays_the_same_grant() {
    let app = TestApp::spawn().await;
    let (w, a, b) = dual_world(&app).await;
    let grant = propose(&app, &w, "500.00").await;
    assert_eq!(act(&app, &a, &grant, "approve", json!({"rationale": "needed"})).await.status(), StatusCode::NO_CONTENT);
    let view = grant_as(&app, &a, &grant).await;
    assert!(!view["may"].as_array().unwrap().iter().any(|m| m == "disburse"), "the approver is offered no payment");
    let paid = act(&app, &a, &grant, "disburse", payment("INV-1")).await;
    assert_eq!(paid.status(), StatusCode::FORBIDDEN);
    assert!(message(paid).await.contains("You approved this grant"));
    let refusals = "select count(*) from audit_log where action = 'auth.refused' and details->>'move' = 'disburse'";
    assert_eq!(count(&app, refusals).await, 1, "the attempt is on the record, under the case");
    // The other person holding both roles pays it: small teams keep working.
    let paid = act(
        &app,
        &b,
        &grant,
        "disburse",
        json!({"method": "bank_transfer", "paid": "500.00",
        "external_reference": "INV-2", "paid_on": chrono::Utc::now().date_naive().to_string()}),
    )
    .await;
    assert_eq!(paid.status(), StatusCode::CREATED, "{}", paid.text().await.unwrap());
    // Whoever paid may not then approve or ratify anything of this grant.
    assert_eq!(count(&app, "select count(*) from disbursement").await, 1);
    // And the reverse: b approves a second grant, a pays it.
    let second = propose(&app, &w, "400.00").await;
    assert_eq!(act(&app, &b, &second, "approve", json!({"rationale": "ok"})).await.status(), StatusCode::NO_CONTENT);
    let paid = act(
        &app,
        &a,
        &second,
        "disburse",
        json!({"method": "bank_transfer", "paid": "400.00",
        "external_reference": "INV-3", "paid_on": chrono::Utc::now().date_naive().to_string()}),
    )
    .await;
    assert_eq!(paid.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_provisional_approver_cannot_pay_a_grant_that_needs_more_approvals() {
    let app = TestApp::spawn().await;
    let (w, a, b) = dual_world(&app).await;
    let grant = propose(&app, &w, "3,000.00").await;
    let provisional = json!({"rationale": "detained tonight", "provisional": true});
    assert_eq!(act(&app, &a, &grant, "approve", provisional).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(grant_as(&app, &a, &grant).await["status"], "provisionally_approved");
    let big = json!({"method": "bank_transfer", "paid": "3,000.00", "external_reference": "INV-9",
                     "paid_on": chrono::Utc::now().date_naive().to_string()});
    let refused = act(&app, &a, &grant, "disburse", big.clone()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "select count(*) from disbursement").await, 0);
    // Someone else may pay on the provisional approval, as the design allows for critical cases.
    assert_eq!(act(&app, &b, &grant, "disburse", big).await.status(), StatusCode::CREATED);
    // The payer may not ratify.
    let ratify = act(&app, &b, &grant, "approve", json!({"rationale": "ratify"})).await;
    assert_eq!(ratify.status(), StatusCode::FORBIDDEN);
    assert!(message(ratify).await.contains("You released this grant's payment"));
}

#[tokio::test]
async fn new_payee_details_after_approval_send_the_grant_back_and_the_payer_sees_who_changed_them() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "1,500.00").await;
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    let reserved_before = count(&app, "select count(*) from fund_entry where kind = 'reservation'").await;
    let seen = grant_as(&app, &w.finance[0], &grant).await["version"].clone();
    let changed = put_payee(&app, &w.handler, &grant, "Another bank 9999-attacker").await;
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    let view = grant_as(&app, &w.finance[0], &grant).await;
    assert_eq!(view["status"], "proposed", "back for approval");
    assert_eq!(view["approvals_given"], 0);
    assert!(view["payee_changed_at"].is_string() && view["payee_changed_by"].is_string());
    assert_eq!(count(&app, "select count(*) from grant_decision_voided").await, 1, "the approval is kept, void");
    assert_eq!(count(&app, "select count(*) from fund_entry where kind = 'reservation'").await, reserved_before);
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'grant.approvals_voided'").await, 1);
    let register: Value = app
        .get_api("/api/v1/grants", &w.supervisors[1].token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert_eq!(register["by_fund"][0]["committed_minor"], 150_000, "the register still counts the reservation");
    let requester: Value = app
        .get_api("/api/v1/requester/grants", &w.requester)
        .await
        .expect_json(StatusCode::OK, "read the requester's grants")
        .await;
    assert_eq!(requester.as_array().unwrap().len(), 1, "the requester still sees the grant");
    let refused = act(&app, &w.finance[0], &grant, "disburse", payment("INV-7")).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT, "not approved any more");
    // Approved again, it is paid once, and the reservation was not taken twice.
    assert_eq!(act(&app, &w.supervisors[1], &grant, "approve", json!({"rationale": "checked"})).await.status(), 204);
    // A payer who opened the grant before the change cannot pay the details they never saw.
    let mut pay = json!({"method": "bank_transfer", "paid": "1,500.00", "external_reference": "INV-8",
                         "paid_on": chrono::Utc::now().date_naive().to_string(), "grant_version": seen});
    assert_eq!(act(&app, &w.finance[0], &grant, "disburse", pay.clone()).await.status(), StatusCode::CONFLICT);
    pay["grant_version"] = grant_as(&app, &w.finance[0], &grant).await["version"].clone();
    assert_eq!(act(&app, &w.finance[0], &grant, "disburse", pay).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn when_every_finance_officer_touched_the_payee_the_page_says_nobody_can_pay() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "1,000.00").await;
    for officer in &w.finance {
        let response = put_payee(&app, officer, &grant, "KBZ 0042").await;
        assert_eq!(response.status(), StatusCode::NO_CONTENT);
    }
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    let view = grant_as(&app, &w.supervisors[1], &grant).await;
    assert_eq!(view["payers"], json!([]), "nobody may pay");
    let browser = app.browser(&w.supervisors[1].user).await;
    let page = browser
        .get(format!("{}/staff/grants/{grant}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/grants/{}")
        .await;
    assert!(page.contains("Nobody can release this payment"), "the page says so plainly");
    assert!(page.contains("A supervisor should ask an administrator"), "and what to do");
}

/// The page form that carries `step`.
fn form_of(step: &str) -> &str {
    match step {
        "approve" | "reject" | "approve_provisionally" => "decide",
        "change_payee" => "payee",
        "confirm_receipt" => "receipt",
        other => other,
    }
}

/// Tries `step` on the grant through the API as `by`; the status.
async fn try_move(app: &TestApp, by: &Member, grant: &str, step: &str) -> StatusCode {
    let today = chrono::Utc::now().date_naive().to_string();
    match step {
        "change_payee" => put_payee(app, by, grant, "KBZ 0042").await.status(),
        "disburse" => {
            let body =
                json!({"method": "bank_transfer", "paid": "1.00", "external_reference": "T-1", "paid_on": today});
            act(app, by, grant, "disburse", body).await.status()
        }
        "approve_provisionally" => {
            act(app, by, grant, "approve", json!({"rationale": "r", "provisional": true})).await.status()
        }
        "confirm_receipt" => act(app, by, grant, "receipt", json!({})).await.status(),
        "report" => act(app, by, grant, "report", json!({"report": "used for the lawyer"})).await.status(),
        other => act(app, by, grant, other, json!({"rationale": "r"})).await.status(),
    }
}

#[tokio::test]
async fn grant_page_buttons_are_exactly_the_moves_the_api_accepts() {
    let app = TestApp::spawn().await;
    let w = world(&app, "critical").await;
    let grant = propose(&app, &w, "3,000.00").await;
    let members: Vec<&Member> =
        std::iter::once(&w.handler).chain(w.supervisors.iter()).chain(w.finance.iter()).collect();
    let all = [
        "approve",
        "approve_provisionally",
        "reject",
        "disburse",
        "change_payee",
        "confirm_receipt",
        "report",
        "cancel",
        "reverse",
    ];
    // Proposed, then one approval of two, then approved, then paid.
    for stage in 0..4 {
        let changes = "select count(*) from audit_log where action like 'grant.%' and action <> 'grant.payee_read'";
        let before = count(&app, changes).await;
        for m in &members {
            // Each try moves the clock (a fresh code each time): a new session per member.
            let m = &renew(&app, m).await;
            let view = grant_as(&app, m, &grant).await;
            let may: Vec<String> =
                view["may"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect();
            let browser = app.browser(&m.user).await;
            let page = browser
                .get(format!("{}/staff/grants/{grant}", app.address))
                .send()
                .await
                .unwrap()
                .expect_text(StatusCode::OK, "open /staff/grants/{}")
                .await;
            for step in all {
                let offered = may.iter().any(|s| s == step);
                let form = page.contains(&format!("action=\"/staff/grants/{grant}/{}\"", form_of(step)));
                if offered {
                    assert!(form, "stage {stage}: {step} offered to {} but no form", m.user.email);
                }
                if step == "approve" || step == "reject" {
                    let button = page.contains(&format!("value=\"{step}\""));
                    assert_eq!(button, offered, "stage {stage}: {step} button for {}", m.user.email);
                }
                if !offered {
                    // What the page does not offer, the API refuses, and nothing changes.
                    let status = try_move(&app, m, &grant, step).await;
                    assert!(status.is_client_error(), "stage {stage}: {step} by {} answered {status}", m.user.email);
                }
            }
        }
        assert_eq!(count(&app, changes).await, before, "stage {stage}: a refused move changed something");
        let state = grant_as(&app, &renew(&app, &w.supervisors[0]).await, &grant).await["status"].clone();
        let next = match stage {
            0 => try_move(&app, &renew(&app, &w.supervisors[0]).await, &grant, "approve").await,
            1 => try_move(&app, &renew(&app, &w.supervisors[1]).await, &grant, "approve").await,
            2 => {
                let body = json!({"method": "bank_transfer", "paid": "3,000.00", "external_reference": "T-2",
                                  "paid_on": chrono::Utc::now().date_naive().to_string()});
                act(&app, &renew(&app, &w.finance[0]).await, &grant, "disburse", body).await.status()
            }
            _ => StatusCode::NO_CONTENT,
        };
        assert!(next.is_success(), "stage {stage} from {state}: the offered move is accepted ({next})");
    }
}

#[tokio::test]
async fn fifty_wrong_step_up_codes_end_the_session_and_pause_the_account() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&user).await;
    let mut statuses = vec![];
    for _ in 0..50 {
        let r = app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": "000000"})).await;
        statuses.push(r.status().as_u16());
    }
    assert!(statuses[..4].iter().all(|s| *s == 422), "a few free failures: {statuses:?}");
    assert!(statuses.contains(&429), "then waits: {statuses:?}");
    let ended_at = statuses.iter().position(|s| *s == 401).expect("the session ends");
    assert!(ended_at <= 10, "within ten tries: {statuses:?}");
    assert!(statuses[ended_at..].iter().all(|s| *s == 401));
    let failures = count(&app, "select count(*) from audit_log where action = 'auth.step_up_failed'").await;
    assert_eq!(failures, 10, "each failure audited");
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'auth.step_up_session_ended'").await, 1);
    // The same throttle as sign-in: even the right code (the next step, within the allowed
    // drift) waits until the pause passes.
    let code = totp::code_at(&user.secret, app.clock.now_unix() + 30).unwrap();
    let body = json!({"email": user.email, "password": user.password, "totp": code});
    let early = app.post_json("/api/v1/auth/token", None, &body).await;
    assert_eq!(early.status(), StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(chrono::Duration::seconds(5));
    let later = app.post_json("/api/v1/auth/token", None, &body).await;
    assert_eq!(later.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_page_step_up_shares_the_limiter_and_ends_the_session() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Supervisor]).await;
    let browser = app.browser(&user).await;
    let page = browser
        .get(format!("{}/staff/account", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/account")
        .await;
    let csrf = csrf_in(&page);
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = browser
            .post(format!("{}/staff/step-up", app.address))
            .form(&[("csrf", csrf.as_str()), ("code", "000000")])
            .send()
            .await
            .unwrap()
            .status();
    }
    assert_eq!(last, StatusCode::SEE_OTHER, "the ended session is sent to sign in");
    let home = browser.get(format!("{}/staff/account", app.address)).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::SEE_OTHER, "signed out");
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'auth.step_up_session_ended'").await, 1);
}

/// A new session for a member whose token expired.
async fn renew(app: &TestApp, m: &Member) -> Member {
    Member { token: app.token(&m.user).await, user: m.user.clone() }
}

#[tokio::test]
async fn an_administrator_cannot_manufacture_approvers() {
    let mut settings = test_settings();
    settings.new_approver_wait_hours = 72;
    let app = TestApp::spawn_with(settings).await;
    let w = world(&app, "high").await;
    // The world's staff are made seasoned: three days pass (tokens renewed).
    app.clock.advance(chrono::Duration::hours(73));
    let admin = renew(&app, &w.admin).await;
    let old_supervisor = renew(&app, &w.supervisors[0]).await;
    let handler = renew(&app, &w.handler).await;

    // Creating an account needs a step-up (the one sign-in gave has gone stale).
    app.clock.advance(chrono::Duration::minutes(6));
    let body = json!({"email": "alias@example.org", "name": "Alias", "roles": ["supervisor"]});
    let refused = app.post_json("/api/v1/admin/users", Some(&admin.token), &body).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    step_up(&app, &admin).await;
    let created = app.post_json("/api/v1/admin/users", Some(&admin.token), &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.unwrap();
    let alias = app.enrol("alias@example.org", created["enrolment_code"].as_str().unwrap()).await;
    // Pending: the alias cannot sign in.
    let code = app.next_totp(&alias);
    let sign_in = json!({"email": alias.email, "password": alias.password, "totp": code});
    let response = app.post_json("/api/v1/auth/token", None, &sign_in).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(message(response).await.contains("confirmation"));
    // Resetting a second factor needs a step-up too; the admin's own reset of a supervisor
    // leaves it pending.
    let id = created["id"].as_str().unwrap();
    let confirm = format!("/api/v1/admin/users/{id}/confirm");
    step_up(&app, &old_supervisor).await;
    assert_eq!(app.post_json(&confirm, Some(&old_supervisor.token), &json!({})).await.status(), 204);
    // An alias created an hour ago does not count toward tier B.
    app.clock.advance(chrono::Duration::hours(1));
    let alias = Member { token: app.token(&alias).await, user: alias };
    let (old_supervisor, handler) = (renew(&app, &old_supervisor).await, renew(&app, &handler).await);
    let grant = {
        let r = propose_as(&app, &w, &handler, &proposal(&w, "3,000.00")).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    };
    let fresh_vote = act(&app, &alias, &grant, "approve", json!({"rationale": "sure"})).await;
    assert_eq!(fresh_vote.status(), StatusCode::FORBIDDEN);
    let refused = "select count(*) from audit_log where action = 'auth.refused' and details->>'move' = 'approve'";
    assert_eq!(count(&app, refused).await, 1);
    let pending = "select count(*) from audit_log where action = 'auth.sign_in_failed' and details->>'step' = 'awaiting_confirmation'";
    assert_eq!(count(&app, pending).await, 1, "the pending sign-in is on the record");
    assert!(message(fresh_vote).await.contains("too recently"));
    assert_eq!(act(&app, &old_supervisor, &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    assert_eq!(grant_as(&app, &old_supervisor, &grant).await["status"], "proposed", "one real approval of two");
    let trail = count(&app, "select count(*) from audit_log where action in ('user.created', 'user.confirmed')").await;
    assert!(trail >= 2);
}

#[tokio::test]
async fn a_declared_conflict_hides_the_case_audit_and_register() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "800.00").await;
    assert_eq!(
        act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "bail hearing"})).await.status(),
        204
    );
    let conflicted = &w.supervisors[2];
    let declared =
        app.post_json(&format!("/api/v1/cases/{}/conflict", w.case_id), Some(&conflicted.token), &json!({})).await;
    assert!(declared.status().is_success());
    let audit: Value = app
        .get_api(&format!("/api/v1/audit?case={}", w.case_id), &conflicted.token)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    assert_eq!(audit["entries"], json!([]), "no entries of the case");
    let all: Value = app
        .get_api("/api/v1/audit?limit=500", &conflicted.token)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    assert!(!all.to_string().contains("bail hearing"), "no rationale of the case anywhere");
    let register: Value = app
        .get_api("/api/v1/grants", &conflicted.token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert_eq!(register["grants"], json!([]), "not in the register");
    let decision = count(&app, "select seq from audit_log where action = 'grant.approved'").await;
    let review = json!({"verdict": "concern", "comment": "looks odd"});
    let reviewed = app.post_json(&format!("/api/v1/audit/{decision}/review"), Some(&conflicted.token), &review).await;
    assert_eq!(reviewed.status(), StatusCode::NOT_FOUND, "nor can they review its decisions");
    // Another supervisor still sees it all.
    let register: Value = app
        .get_api("/api/v1/grants", &w.supervisors[1].token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert_eq!(register["grants"].as_array().unwrap().len(), 1);
    // A finance officer declares a conflict through the grant, and loses sight of it.
    let officer = &w.finance[0];
    let r = app.post_json(&format!("/api/v1/grants/{grant}/conflict"), Some(&officer.token), &json!({})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get_api(&format!("/api/v1/grants/{grant}"), &officer.token).await.status(), 404);
    let register: Value = app
        .get_api("/api/v1/grants", &officer.token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert_eq!(register["grants"], json!([]));
    assert_eq!(act(&app, officer, &grant, "disburse", payment("INV-1")).await.status(), 404);
}

#[tokio::test]
async fn a_supervisors_second_factor_reset_needs_another_supervisor() {
    let app = TestApp::spawn().await;
    let admin = member(&app, Role::Admin).await;
    let target = member(&app, Role::Supervisor).await;
    let other = member(&app, Role::Supervisor).await;
    step_up(&app, &admin).await;
    let reset = app
        .post_json(&format!("/api/v1/admin/users/{}/reset-2fa", target.user.id), Some(&admin.token), &json!({}))
        .await;
    assert_eq!(reset.status(), StatusCode::OK);
    let code: Value = reset.json().await.unwrap();
    let again = app.enrol(&target.user.email, code["enrolment_code"].as_str().unwrap()).await;
    let users: Value =
        app.get_api("/api/v1/admin/users", &other.token).await.expect_json(StatusCode::OK, "list the accounts").await;
    let listed = users.as_array().unwrap().iter().find(|u| u["id"] == target.user.id.as_str()).unwrap().clone();
    assert_eq!(listed["pending_confirmation"], true);
    // Whoever holds the new second factor cannot sign in until a second person confirms.
    let totp = app.next_totp(&again);
    let body = json!({"email": again.email, "password": again.password, "totp": totp});
    assert_eq!(app.post_json("/api/v1/auth/token", None, &body).await.status(), StatusCode::FORBIDDEN);
    // The supervisors' home page lists the change.
    let browser = app.browser(&other.user).await;
    let home = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    assert!(home.contains("second factor was reset; it waits for your confirmation"), "listed for supervisors");
    step_up(&app, &other).await;
    let confirm = format!("/api/v1/admin/users/{}/confirm", target.user.id);
    assert_eq!(app.post_json(&confirm, Some(&other.token), &json!({})).await.status(), StatusCode::NO_CONTENT);
    assert!(!app.token(&again).await.is_empty(), "signs in once confirmed");
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'user.confirmed'").await, 1);
}

#[tokio::test]
async fn grant_notices_reach_the_people_who_may_act_and_nobody_with_a_hand_on_it() {
    use crate::notify::in_app_kinds;
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "1,000.00").await;
    let awaits = |kinds: Vec<String>, kind: &str| kinds.iter().filter(|k| *k == kind).count();
    for supervisor in &w.supervisors {
        assert_eq!(awaits(in_app_kinds(&app, &supervisor.user.id).await, "grant_awaits_approval"), 1);
    }
    assert_eq!(awaits(in_app_kinds(&app, &w.handler.user.id).await, "grant_awaits_approval"), 0, "not the proposer");
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    for officer in &w.finance {
        assert_eq!(awaits(in_app_kinds(&app, &officer.user.id).await, "grant_awaits_payment"), 1);
    }
    // New payment details send it back: the supervisors are told again, the editor is not.
    assert_eq!(put_payee(&app, &w.finance[0], &grant, "Wave 09-555").await.status(), StatusCode::NO_CONTENT);
    assert_eq!(awaits(in_app_kinds(&app, &w.supervisors[1].user.id).await, "grant_awaits_approval"), 2);
    assert_eq!(act(&app, &w.supervisors[1], &grant, "approve", json!({"rationale": "checked"})).await.status(), 204);
    let editor = awaits(in_app_kinds(&app, &w.finance[0].user.id).await, "grant_awaits_payment");
    let other = awaits(in_app_kinds(&app, &w.finance[1].user.id).await, "grant_awaits_payment");
    assert_eq!((editor, other), (1, 2), "the officer who changed the details is not asked to pay");
}

/// Tries case transition `step` through the API as `by`; the status.
async fn try_case_move(app: &TestApp, by: &Member, case: uuid::Uuid, step: &str) -> StatusCode {
    let body = match step {
        "triage" => json!({"severity": "high", "kind": "arrest_detention", "rationale": "r"}),
        "close" => json!({"outcome": "resolved", "rationale": "r"}),
        "acknowledge" => json!({}),
        _ => json!({"rationale": "r"}),
    };
    app.post_json(&format!("/api/v1/cases/{case}/{step}"), Some(&by.token), &body).await.status()
}

#[tokio::test]
async fn case_page_buttons_are_exactly_the_transitions_the_api_accepts() {
    let app = TestApp::spawn().await;
    let body = json!({"narrative": "Threatened at the river site", "country": "LA"});
    assert_eq!(app.post_json("/api/v1/intake", None, &body).await.status(), StatusCode::CREATED);
    let case: uuid::Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let handler = member(&app, Role::Handler).await;
    let supervisor = member(&app, Role::Supervisor).await;
    let claimed = app.post_json(&format!("/api/v1/cases/{case}/claim"), Some(&handler.token), &json!({})).await;
    assert!(claimed.status().is_success());
    let steps = ["acknowledge", "triage", "hold", "resume", "close", "reopen"];
    // acknowledged → active → on hold → active → closed → active
    for (stage, next) in ["triage", "hold", "resume", "close", "reopen", ""].into_iter().enumerate() {
        let status_before: String = sqlx::query_scalar("select status from cases").fetch_one(&app.db).await.unwrap();
        for m in [&handler, &supervisor] {
            let m = &renew(&app, m).await;
            let browser = app.browser(&m.user).await;
            let page = browser
                .get(format!("{}/staff/cases/{case}", app.address))
                .send()
                .await
                .unwrap()
                .expect_text(StatusCode::OK, "open /staff/cases/{}")
                .await;
            for step in steps {
                if page.contains(&format!("action=\"/staff/cases/{case}/{step}\"")) {
                    continue;
                }
                // Not offered: the API refuses it and the case stays as it was.
                let status = try_case_move(&app, m, case, step).await;
                assert!(status.is_client_error(), "{status_before}: {step} by {} answered {status}", m.user.email);
                let now: String = sqlx::query_scalar("select status from cases").fetch_one(&app.db).await.unwrap();
                assert_eq!(now, status_before, "stage {stage}: a refused {step} changed the case");
            }
            let mover = if next == "reopen" { &supervisor.user.email } else { &handler.user.email };
            if !next.is_empty() && &m.user.email == mover {
                assert!(
                    page.contains(&format!("action=\"/staff/cases/{case}/{next}\"")),
                    "{status_before}: {next} offered"
                );
            }
        }
        if !next.is_empty() {
            let by = if next == "reopen" { &supervisor } else { &handler };
            let status = try_case_move(&app, &renew(&app, by).await, case, next).await;
            assert!(status.is_success(), "stage {stage}: the offered {next} is accepted ({status})");
        }
    }
}
