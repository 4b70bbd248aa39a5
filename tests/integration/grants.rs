//! Emergency grants over HTTP: the full path, four eyes, exactly-once payment, a fund that
//! never goes below zero, who sees what, bad input, provisional approvals, the register.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::clock::Clock;
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::TestUser;

/// A signed-in staff member.
pub(crate) struct Member {
    pub(crate) user: TestUser,
    pub(crate) token: String,
}

pub(crate) struct World {
    pub(crate) handler: Member,
    pub(crate) supervisors: Vec<Member>,
    pub(crate) finance: Vec<Member>,
    pub(crate) admin: Member,
    pub(crate) case_id: Uuid,
    pub(crate) reference: String,
    /// The requester's passphrase, to sign in to the portal in a browser.
    pub(crate) passphrase: String,
    pub(crate) requester: String,
    pub(crate) fund_id: String,
}

pub(crate) async fn member(app: &TestApp, role: Role) -> Member {
    let user = app.staff(&[role]).await;
    let token = app.token(&user).await;
    Member { user, token }
}

/// A fresh second factor for the member's session (approving, paying, payee details, export).
pub(crate) async fn step_up(app: &TestApp, member: &Member) {
    let code = app.next_totp(&member.user);
    let response = app.post_json("/api/v1/auth/step-up", Some(&member.token), &json!({"totp": code})).await;
    let status = response.status();
    assert_eq!(status, StatusCode::NO_CONTENT, "step-up: {}", response.text().await.unwrap());
}

/// A fund of `budget` US dollars running around today; its id.
async fn fund(app: &TestApp, admin: &Member, name: &str, budget: &str) -> String {
    let today = app.clock.now().date_naive();
    let body = json!({"name": name, "currency": "USD", "budget": budget,
                      "period_start": (today - chrono::Days::new(30)).to_string(),
                      "period_end": (today + chrono::Days::new(300)).to_string()});
    let response = app.post_json("/api/v1/funds", Some(&admin.token), &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "fund");
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

/// A triaged, active arrest case assigned to the handler, three supervisors, two finance
/// officers, an administrator and a US$20,000 fund.
pub(crate) async fn world(app: &TestApp, severity: &str) -> World {
    let filed: Value = app
        .post_json(
            "/api/v1/intake",
            None,
            &json!({"narrative": "Detained after the dam protest grant-narrative-7171",
            "country": "MM", "contact": "signal grant-contact-8181", "kind": "arrest_detention"}),
        )
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let reference = filed["reference"].as_str().unwrap().to_owned();
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let requester = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    let handler = member(app, Role::Handler).await;
    let mut supervisors = vec![];
    for _ in 0..3 {
        supervisors.push(member(app, Role::Supervisor).await);
    }
    let finance = vec![member(app, Role::Finance).await, member(app, Role::Finance).await];
    let admin = member(app, Role::Admin).await;
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&handler.token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let triage = json!({"severity": severity, "kind": "arrest_detention", "rationale": "detained, lawyer needed"});
    let triaged = app.post_json(&format!("/api/v1/cases/{case_id}/triage"), Some(&handler.token), &triage).await;
    assert_eq!(triaged.status(), StatusCode::OK, "triage");
    let fund_id = fund(app, &admin, "Urgent action fund", "20,000.00").await;
    let passphrase = filed["passphrase"].as_str().unwrap().to_owned();
    World { handler, supervisors, finance, admin, case_id, reference, passphrase, requester, fund_id }
}

/// New payee details from `by` (after a step-up); the response.
pub(crate) async fn put_payee(app: &TestApp, by: &Member, grant: &str, details: &str) -> reqwest::Response {
    step_up(app, by).await;
    app.client
        .put(format!("{}/api/v1/grants/{grant}/payee", app.address))
        .bearer_auth(&by.token)
        .json(&json!({"payee_details": details}))
        .send()
        .await
        .unwrap()
}

pub(crate) fn proposal(w: &World, amount: &str) -> Value {
    json!({"fund_id": w.fund_id, "category": "legal_fees", "amount": amount, "currency": "USD",
           "payee_alias": "Lawyer K", "payee_details": "KBZ account 0042-secret-acct-5151", "purpose": "Defence at the bail hearing",
           "rationale": "Hearing on Friday; the family cannot pay"})
}

/// Proposes as `by` (after a step-up); the response.
pub(crate) async fn propose_as(app: &TestApp, w: &World, by: &Member, body: &Value) -> reqwest::Response {
    step_up(app, by).await;
    app.post_json(&format!("/api/v1/cases/{}/grants", w.case_id), Some(&by.token), body).await
}

pub(crate) async fn propose(app: &TestApp, w: &World, amount: &str) -> String {
    let response = propose_as(app, w, &w.handler, &proposal(w, amount)).await;
    assert_eq!(response.status(), StatusCode::CREATED, "propose");
    response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
}

pub(crate) async fn act(app: &TestApp, by: &Member, grant: &str, action: &str, body: Value) -> reqwest::Response {
    step_up(app, by).await;
    app.post_json(&format!("/api/v1/grants/{grant}/{action}"), Some(&by.token), &body).await
}

pub(crate) fn payment(reference: &str) -> Value {
    json!({"method": "bank_transfer", "paid": "3,000.00", "fees": "12.50", "external_reference": reference,
           "paid_on": chrono::Utc::now().date_naive().to_string()})
}

pub(crate) async fn grant_as(app: &TestApp, by: &Member, grant: &str) -> Value {
    let response = app.get_api(&format!("/api/v1/grants/{grant}"), &by.token).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

async fn fund_balance(app: &TestApp, w: &World) -> Value {
    let funds: Value =
        app.get_api("/api/v1/funds", &w.admin.token).await.expect_json(StatusCode::OK, "read the funds").await;
    funds.as_array().unwrap().iter().find(|f| f["fund_id"] == w.fund_id.as_str()).unwrap().clone()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(&app.db).await.unwrap()
}

#[tokio::test]
async fn the_full_path_over_http_with_two_supervisors_for_tier_b() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "3,000.00").await;
    let view = grant_as(&app, &w.handler, &grant).await;
    assert_eq!(
        (view["status"].as_str(), view["tier"].as_str(), view["approvals_needed"].as_i64()),
        (Some("proposed"), Some("b"), Some(2))
    );

    let first =
        act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "Verified with two vouchers"})).await;
    assert_eq!(first.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        grant_as(&app, &w.handler, &grant).await["status"],
        "proposed",
        "tier B with one approval is not approved"
    );
    let early = act(&app, &w.finance[0], &grant, "disburse", payment("INV-7781")).await;
    assert_eq!(early.status(), StatusCode::CONFLICT, "not payable before the second approval");
    assert_eq!(fund_balance(&app, &w).await["committed_minor"], 0, "nothing reserved yet");

    let second =
        act(&app, &w.supervisors[1], &grant, "approve", json!({"rationale": "Hearing is real; amount fits"})).await;
    assert_eq!(second.status(), StatusCode::NO_CONTENT);
    assert_eq!(grant_as(&app, &w.handler, &grant).await["status"], "approved");
    let balance = fund_balance(&app, &w).await;
    assert_eq!(
        (balance["committed_minor"].as_i64(), balance["available_minor"].as_i64()),
        (Some(300_000), Some(1_700_000))
    );

    let paid = act(&app, &w.finance[0], &grant, "disburse", payment("INV-7781")).await;
    assert_eq!(paid.status(), StatusCode::CREATED);
    let balance = fund_balance(&app, &w).await;
    assert_eq!(
        (balance["committed_minor"].as_i64(), balance["disbursed_minor"].as_i64(), balance["available_minor"].as_i64()),
        (Some(0), Some(301_250), Some(1_698_750)),
        "the payment and its fees leave the fund; the reservation is released"
    );

    // The requester sees the grant in plain words and confirms and reports it.
    let mine: Value = app
        .get_api("/api/v1/requester/grants", &w.requester)
        .await
        .expect_json(StatusCode::OK, "read the requester's grants")
        .await;
    assert_eq!(mine[0]["status"], "disbursed");
    assert_eq!(mine[0]["can_confirm"], true);
    assert!(!mine.to_string().contains("secret-acct"), "no payment details for the requester");
    let receipt =
        app.post_json(&format!("/api/v1/requester/grants/{grant}/receipt"), Some(&w.requester), &json!({})).await;
    assert_eq!(receipt.status(), StatusCode::NO_CONTENT);
    let report = json!({"report": "Paid the lawyer; the hearing was postponed once."});
    let reported =
        app.post_json(&format!("/api/v1/requester/grants/{grant}/report"), Some(&w.requester), &report).await;
    assert_eq!(reported.status(), StatusCode::NO_CONTENT);
    let view = grant_as(&app, &w.handler, &grant).await;
    assert_eq!(view["status"], "reported");
    assert_eq!(view["report"], "Paid the lawyer; the hearing was postponed once.");

    // The audit trail shows every step, with the rationale of each decision.
    // Rationales are stored sealed; the case's timeline opens them for its handler.
    let case: Value = app
        .get_api(&format!("/api/v1/cases/{}", w.case_id), &w.handler.token)
        .await
        .expect_json(StatusCode::OK, "read the case")
        .await;
    let trail: Vec<(String, Option<String>)> = case["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("grant."))
        .map(|e| (e["action"].as_str().unwrap().to_owned(), e["rationale"].as_str().map(str::to_owned)))
        .collect();
    let actions: Vec<&str> = trail.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        [
            "grant.proposed",
            "grant.approved",
            "grant.approved",
            "grant.disbursed",
            "grant.receipt_confirmed",
            "grant.reported"
        ]
    );
    assert_eq!(trail[1].1.as_deref(), Some("Verified with two vouchers"));
    let mut owner = app.owner().await;
    let stored: Vec<String> =
        sqlx::query_scalar("select d::text from grant_decision d union all select a::text from audit_log a")
            .fetch_all(&mut owner)
            .await
            .unwrap();
    assert!(!stored.concat().contains("two vouchers"), "decision rationales are stored sealed");
    let view = grant_as(&app, &w.handler, &grant).await;
    assert_eq!(view["decisions"][0]["rationale"], "Verified with two vouchers", "and opened for the handler");
    // One stored in plain text by an older version is sealed at the next start.
    sqlx::query("update grant_decision set rationale = 'Older words', rationale_sealed = null where decided_at = (select min(decided_at) from grant_decision)")
        .execute(&mut owner)
        .await
        .unwrap();
    assert_eq!(app.cases.seal_legacy_decisions().await.unwrap(), 1);
    let view = grant_as(&app, &w.handler, &grant).await;
    assert_eq!(view["decisions"][0]["rationale"], "Older words");
    assert_eq!(trail[2].1.as_deref(), Some("Hearing is real; amount fits"));
    assert!(trail[0].1.is_some(), "the proposal's rationale");
    let ledger: Vec<String> =
        sqlx::query_scalar("select kind from fund_entry order by entry_id").fetch_all(&app.db).await.unwrap();
    assert_eq!(ledger, ["reservation", "release", "payment"]);
}

#[tokio::test]
async fn four_eyes_self_conflict_repeat_and_the_payee_editor() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    // A supervisor who proposes cannot approve their own proposal.
    let own = propose_as(&app, &w, &w.supervisors[0], &proposal(&w, "500.00")).await;
    assert_eq!(own.status(), StatusCode::CREATED);
    let own = own.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let refused = act(&app, &w.supervisors[0], &own, "approve", json!({"rationale": "mine"})).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "self-approval");
    assert_eq!(grant_as(&app, &w.handler, &own).await["status"], "proposed");

    // A supervisor with a declared conflict cannot decide.
    let grant = propose(&app, &w, "3,000.00").await;
    let declared = app
        .post_json(
            &format!("/api/v1/cases/{}/conflict", w.case_id),
            Some(&w.supervisors[2].token),
            &json!({"rationale": "my cousin"}),
        )
        .await;
    assert!(declared.status().is_success(), "conflict declared: {}", declared.status());
    let conflicted = act(&app, &w.supervisors[2], &grant, "approve", json!({"rationale": "fine"})).await;
    // A conflict hides the grant altogether: the supervisor is told nothing about it.
    assert_eq!(conflicted.status(), StatusCode::NOT_FOUND, "conflicted supervisor");

    // The same supervisor twice does not make two approvals.
    assert_eq!(
        act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(),
        StatusCode::NO_CONTENT
    );
    let again = act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok again"})).await;
    assert_eq!(again.status(), StatusCode::CONFLICT, "approvals come from distinct supervisors");
    assert_eq!(grant_as(&app, &w.handler, &grant).await["status"], "proposed");
    // Rationale required, and a handler may never decide.
    assert_eq!(act(&app, &w.supervisors[1], &grant, "approve", json!({"rationale": " "})).await.status(), 422);
    assert_eq!(act(&app, &w.handler, &grant, "approve", json!({"rationale": "I trust it"})).await.status(), 403);
    assert_eq!(
        act(&app, &w.supervisors[1], &grant, "approve", json!({"rationale": "ok"})).await.status(),
        StatusCode::NO_CONTENT
    );

    // A finance officer who changes the payee's details cannot release the payment.
    step_up(&app, &w.finance[0]).await;
    let change = json!({"payee_details": "Wave money 09-555-0101"});
    let changed = app
        .client
        .put(format!("{}/api/v1/grants/{grant}/payee", app.address))
        .bearer_auth(&w.finance[0].token)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::NO_CONTENT);
    // New details after approval send the grant back to its supervisors.
    assert_eq!(grant_as(&app, &w.handler, &grant).await["status"], "proposed");
    for supervisor in &w.supervisors[..2] {
        let again = act(&app, supervisor, &grant, "approve", json!({"rationale": "new details checked"})).await;
        assert_eq!(again.status(), StatusCode::NO_CONTENT, "{}", again.text().await.unwrap());
    }
    assert_eq!(grant_as(&app, &w.finance[0], &grant).await["may_release"], false);
    let editor = act(&app, &w.finance[0], &grant, "disburse", payment("INV-1")).await;
    assert_eq!(editor.status(), StatusCode::FORBIDDEN, "payee editor cannot release");
    assert_eq!(count(&app, "select count(*) from disbursement").await, 0);
    let other = act(&app, &w.finance[1], &grant, "disburse", payment("INV-1")).await;
    assert_eq!(other.status(), StatusCode::CREATED, "another finance officer can");
    assert_eq!(grant_as(&app, &w.finance[1], &grant).await["payee_details"], "Wave money 09-555-0101");
}

#[tokio::test]
async fn twenty_concurrent_disbursements_make_exactly_one_payment() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "1,500.00").await;
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    step_up(&app, &w.finance[0]).await;
    step_up(&app, &w.finance[1]).await;
    let body = json!({"method": "mobile_money", "paid": "1,500.00", "external_reference": "TX-88120",
                      "paid_on": chrono::Utc::now().date_naive().to_string()});
    let attempts = (0..20).map(|i| {
        let token = w.finance[i % 2].token.clone();
        let body = body.clone();
        let path = format!("/api/v1/grants/{grant}/disburse");
        let app = &app;
        async move { app.post_json(&path, Some(&token), &body).await.status() }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT), "{statuses:?}");
    assert_eq!(count(&app, "select count(*) from disbursement").await, 1);
    assert_eq!(count(&app, "select count(*) from fund_entry where kind = 'payment'").await, 1);
    assert_eq!(
        count(&app, "select count(*) from audit_log where action = 'grant.disbursed'").await,
        1,
        "one payment, one entry"
    );

    // The database itself refuses a second payment row and a second ledger payment, and
    // never lets the ledger or the payment be edited or removed.
    let (grant_id, fund_id): (Uuid, Uuid) =
        sqlx::query_as("select grant_id, fund_id from grants").fetch_one(&app.db).await.unwrap();
    let second = sqlx::query(
        "insert into disbursement (disbursement_id, grant_id, method, paid_minor, fees_minor, currency, fund_amount_minor,
                                   external_reference, paid_on, released_by, created_at)
         select gen_random_uuid(), grant_id, 'bank_transfer', 1, 0, 'USD', 1, 'again', current_date, released_by, now()
         from disbursement",
    )
    .execute(&app.db)
    .await
    .unwrap_err();
    assert!(second.to_string().contains("disbursement_grant_id_key"), "{second}");
    let ledger = sqlx::query(
        "insert into fund_entry (fund_id, grant_id, kind, amount_minor, created_at) values ($1, $2, 'payment', 1, now())",
    )
    .bind(fund_id)
    .bind(grant_id)
    .execute(&app.db)
    .await
    .unwrap_err();
    assert!(ledger.to_string().contains("fund_entry_once"), "{ledger}");
    for tamper in
        ["update fund_entry set amount_minor = 1", "delete from fund_entry", "update disbursement set paid_minor = 1"]
    {
        assert!(sqlx::query(tamper).execute(&app.db).await.is_err(), "{tamper}");
        let mut owner = app.owner().await;
        assert!(sqlx::query(tamper).execute(&mut owner).await.is_err(), "even the owner: {tamper}");
    }
}

#[tokio::test]
async fn concurrent_approvals_never_take_a_small_fund_below_zero() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let small = fund(&app, &w.admin, "Small fund", "5,000.00").await;
    let mut grants = vec![];
    for _ in 0..5 {
        let mut body = proposal(&w, "1,500.00");
        body["fund_id"] = json!(small);
        let response = propose_as(&app, &w, &w.handler, &body).await;
        assert_eq!(response.status(), StatusCode::CREATED);
        grants.push(response.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned());
    }
    for supervisor in &w.supervisors {
        step_up(&app, supervisor).await;
    }
    let attempts = grants.iter().enumerate().map(|(i, grant)| {
        let token = w.supervisors[i % 3].token.clone();
        let path = format!("/api/v1/grants/{grant}/approve");
        let app = &app;
        async move { app.post_json(&path, Some(&token), &json!({"rationale": "urgent"})).await.status() }
    });
    let statuses = futures_util::future::join_all(attempts).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::NO_CONTENT).count(), 3, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 2, "{statuses:?}");
    let funds: Value =
        app.get_api("/api/v1/funds", &w.admin.token).await.expect_json(StatusCode::OK, "read the funds").await;
    let small = funds.as_array().unwrap().iter().find(|f| f["name"] == "Small fund").unwrap();
    assert_eq!((small["committed_minor"].as_i64(), small["available_minor"].as_i64()), (Some(450_000), Some(50_000)));
    assert_eq!(count(&app, "select count(*) from grants where status = 'approved'").await, 3);
    // The balance trigger refuses on its own, whatever the service checked before.
    let over = sqlx::query(
        "insert into fund_entry (fund_id, grant_id, kind, amount_minor, created_at)
         select fund_id, grant_id, 'payment', 50001, now() from grants where status = 'proposed' limit 1",
    )
    .execute(&app.db)
    .await
    .unwrap_err();
    assert!(over.to_string().contains("below zero"), "{over}");
    let exact = sqlx::query(
        "insert into fund_entry (fund_id, grant_id, kind, amount_minor, created_at)
         select fund_id, grant_id, 'payment', 50000, now() from grants where status = 'proposed' limit 1",
    )
    .execute(&app.db)
    .await;
    assert!(exact.is_ok(), "down to exactly zero is allowed: {exact:?}");
}

#[tokio::test]
async fn finance_sees_grants_and_payees_never_case_content_and_handlers_never_pay() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "1,000.00").await;
    let finance = &w.finance[0];
    for path in
        [format!("/api/v1/cases/{}", w.case_id), format!("/api/v1/cases/{}/grants", w.case_id), "/api/v1/cases".into()]
    {
        let status = app.get_api(&path, &finance.token).await.status();
        assert!(status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND, "{path}: {status}");
    }
    let message = app
        .post_json(&format!("/api/v1/cases/{}/messages", w.case_id), Some(&finance.token), &json!({"body": "hi"}))
        .await;
    assert!(matches!(message.status().as_u16(), 403 | 404));
    let seen = grant_as(&app, finance, &grant).await;
    assert_eq!(seen["payee_details"], "KBZ account 0042-secret-acct-5151");
    let text = seen.to_string();
    for secret in ["grant-narrative-7171", "grant-contact-8181", "Defence at the bail hearing", "Daw Hla", &w.reference]
    {
        assert!(!text.contains(secret), "finance must not see {secret:?}");
    }
    assert!(seen["case_id"].is_null());
    assert_eq!(
        count(&app, "select count(*) from audit_log where action = 'grant.payee_read'").await,
        1,
        "payee reads are audited"
    );
    // The handler and supervisors see the purpose but never the payment details.
    let handler_view = grant_as(&app, &w.handler, &grant).await;
    assert_eq!(handler_view["purpose"], "Defence at the bail hearing");
    assert!(handler_view["payee_details"].is_null());
    assert!(!handler_view.to_string().contains("secret-acct"));
    // Handlers never pay or decide; administrators and partners see no grant.
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    assert_eq!(act(&app, &w.handler, &grant, "disburse", payment("INV-2")).await.status(), 403);
    assert_eq!(act(&app, &w.supervisors[1], &grant, "disburse", payment("INV-2")).await.status(), 403);
    assert_eq!(app.get_api(&format!("/api/v1/grants/{grant}"), &w.admin.token).await.status(), 403);
    assert_eq!(app.get_api("/api/v1/grants", &w.handler.token).await.status(), 403);
    let partner = member(&app, Role::Partner).await;
    for path in [format!("/api/v1/grants/{grant}"), "/api/v1/grants".into(), "/api/v1/funds".into()] {
        assert_eq!(app.get_api(&path, &partner.token).await.status(), 403, "{path}");
    }
    // Without a fresh step-up, nobody approves, pays or proposes.
    app.clock.advance(chrono::Duration::minutes(6));
    let stale =
        app.post_json(&format!("/api/v1/grants/{grant}/disburse"), Some(&finance.token), &payment("INV-2")).await;
    assert_eq!(stale.status(), StatusCode::FORBIDDEN, "step-up expired");
    let stale = app
        .post_json(&format!("/api/v1/cases/{}/grants", w.case_id), Some(&w.handler.token), &proposal(&w, "10.00"))
        .await;
    assert_eq!(stale.status(), StatusCode::FORBIDDEN);
    assert_eq!(count(&app, "select count(*) from disbursement").await, 0);
    // Unknown actions are not routes.
    assert_eq!(act(&app, &w.supervisors[1], &grant, "approve-all", json!({})).await.status(), 404);
}

#[tokio::test]
async fn bad_proposals_and_payments_are_refused_and_change_nothing() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let cases: Vec<(Value, &str)> = vec![
        (proposal(&w, "12.345"), "three decimals for USD"),
        (proposal(&w, "-5"), "negative"),
        (proposal(&w, "6,000.00"), "above the playbook's legal fees cap of 5,000"),
        (
            json!({"vouchers": ["A"]})
                .as_object()
                .map(|extra| {
                    let mut body = proposal(&w, "500.00");
                    body.as_object_mut().unwrap().extend(extra.clone());
                    body
                })
                .unwrap(),
            "vouchers are attestations now, never named in a proposal",
        ),
        (
            proposal(&w, "500.00")
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("category".into(), json!("relocation"));
                    Value::Object(o)
                })
                .unwrap(),
            "arrest playbook does not fund relocation",
        ),
        (
            {
                let mut b = proposal(&w, "500.00");
                b["currency"] = json!("THB");
                b
            },
            "another currency without a rate",
        ),
        (
            {
                let mut b = proposal(&w, "500.00");
                b["currency"] = json!("XXX");
                b
            },
            "unknown currency",
        ),
        (
            {
                let mut b = proposal(&w, "500.00");
                b["category"] = json!("yacht");
                b
            },
            "unknown category",
        ),
        (
            {
                let mut b = proposal(&w, "500.00");
                b["fund_id"] = json!(Uuid::new_v4());
                b
            },
            "unknown fund",
        ),
        (
            {
                let mut b = proposal(&w, "500.00");
                b["payee_details"] = json!(" ");
                b
            },
            "no payment details",
        ),
        (
            {
                let mut b = proposal(&w, "500.00");
                b["rationale"] = json!("");
                b
            },
            "no rationale",
        ),
        (
            {
                let mut b = proposal(&w, "500.00");
                b["extra"] = json!(1);
                b
            },
            "unknown field",
        ),
    ];
    for (body, why) in &cases {
        let response = propose_as(&app, &w, &w.handler, body).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
        let error: Value = response.json().await.unwrap();
        assert!(!error["error"]["message"].as_str().unwrap_or_default().is_empty(), "{why}: a clear message");
    }
    assert_eq!(count(&app, "select count(*) from grants").await, 0, "nothing stored");

    // Above the hard cap, whatever the playbook says: bail is capped at 10,000 by the playbook too.
    let mut bail = proposal(&w, "10,000.01");
    bail["category"] = json!("bail");
    assert_eq!(propose_as(&app, &w, &w.handler, &bail).await.status(), 422);

    let grant = propose(&app, &w, "500.00").await;
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    let today = chrono::Utc::now().date_naive();
    let bad_payments = [
        (
            json!({"method": "bank_transfer", "paid": "500.00", "external_reference": w.reference, "paid_on": today.to_string()}),
            "names the case",
        ),
        (
            json!({"method": "bank_transfer", "paid": "500.00", "external_reference": "Bail for defender", "paid_on": today.to_string()}),
            "says what it is for",
        ),
        (
            json!({"method": "bank_transfer", "paid": "500.01", "external_reference": "INV-3", "paid_on": today.to_string()}),
            "more than approved",
        ),
        (
            json!({"method": "pigeon", "paid": "500.00", "external_reference": "INV-3", "paid_on": today.to_string()}),
            "unknown method",
        ),
        (
            json!({"method": "bank_transfer", "paid": "500.00", "external_reference": "INV-3", "paid_on": (today + chrono::Days::new(30)).to_string()}),
            "in the future",
        ),
    ];
    for (body, why) in bad_payments {
        let response = act(&app, &w.finance[0], &grant, "disburse", body).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{why}");
    }
    assert_eq!(count(&app, "select count(*) from disbursement").await, 0, "nothing paid");
    assert_eq!(count(&app, "select count(*) from fund_entry").await, 1, "only the reservation");
}

#[tokio::test]
async fn cancelling_releases_and_reversing_adds_an_entry() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let cancelled = propose(&app, &w, "1,000.00").await;
    assert_eq!(act(&app, &w.supervisors[0], &cancelled, "approve", json!({"rationale": "ok"})).await.status(), 204);
    assert_eq!(fund_balance(&app, &w).await["available_minor"], 1_900_000);
    assert_eq!(act(&app, &w.handler, &cancelled, "cancel", json!({})).await.status(), 422, "rationale required");
    assert_eq!(
        act(&app, &w.handler, &cancelled, "cancel", json!({"rationale": "Released on bail by the court"}))
            .await
            .status(),
        204
    );
    assert_eq!(fund_balance(&app, &w).await["available_minor"], 2_000_000, "reservation released");

    let paid = propose(&app, &w, "1,000.00").await;
    assert_eq!(act(&app, &w.supervisors[0], &paid, "approve", json!({"rationale": "ok"})).await.status(), 204);
    let body = json!({"method": "bank_transfer", "paid": "1,000.00", "external_reference": "INV-9", "paid_on": chrono::Utc::now().date_naive().to_string()});
    assert_eq!(act(&app, &w.finance[0], &paid, "disburse", body).await.status(), 201);
    assert_eq!(
        act(&app, &w.handler, &paid, "cancel", json!({"rationale": "x"})).await.status(),
        409,
        "a paid grant is never cancelled"
    );
    assert_eq!(
        act(&app, &w.finance[0], &paid, "reverse", json!({"rationale": "Bank returned the transfer"})).await.status(),
        204
    );
    let balance = fund_balance(&app, &w).await;
    assert_eq!((balance["disbursed_minor"].as_i64(), balance["available_minor"].as_i64()), (Some(0), Some(2_000_000)));
    let kinds: Vec<String> = sqlx::query_scalar("select kind from fund_entry where grant_id = $1 order by entry_id")
        .bind(paid.parse::<Uuid>().unwrap())
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(kinds, ["reservation", "release", "payment", "reversal"], "nothing edited, one entry added");
    assert_eq!(act(&app, &w.finance[0], &paid, "reverse", json!({"rationale": "again"})).await.status(), 409);
}

#[tokio::test]
async fn a_provisional_approval_freezes_unless_ratified_within_72_hours() {
    let app = TestApp::spawn().await;
    let w = world(&app, "critical").await;
    let grant = propose(&app, &w, "3,000.00").await;
    let provisional = json!({"rationale": "Bail hearing tomorrow", "provisional": true});
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", provisional).await.status(), 204);
    assert_eq!(grant_as(&app, &w.handler, &grant).await["status"], "provisionally_approved");
    assert_eq!(fund_balance(&app, &w).await["committed_minor"], 300_000, "reserved at once");

    app.clock.advance(chrono::Duration::hours(73));
    app.grants.tick().await.unwrap();
    app.cases.detect_breaches().await.unwrap();
    app.cases.detect_breaches().await.unwrap();
    let breach: Vec<String> =
        sqlx::query_scalar("select clock from sla_breach where clock = 'disburse'").fetch_all(&app.db).await.unwrap();
    assert_eq!(breach, ["disburse"], "unpaid past the critical 48 h disbursement target, recorded once");
    let status: String = sqlx::query_scalar("select status from grants").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "frozen");
    assert_eq!(
        count(&app, "select count(*) from audit_log where action = 'grant.frozen'").await,
        1,
        "supervisors alerted"
    );
    app.grants.tick().await.unwrap();
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'grant.frozen'").await, 1, "once");

    // Sessions expired with the jump; sign in again.
    let finance = Member { token: app.token(&w.finance[0].user).await, user: w.finance[0].user.clone() };
    let frozen = act(&app, &finance, &grant, "disburse", payment("INV-5")).await;
    assert_eq!(frozen.status(), StatusCode::CONFLICT, "payment freezes");
    let second = Member { token: app.token(&w.supervisors[1].user).await, user: w.supervisors[1].user.clone() };
    assert_eq!(
        act(&app, &second, &grant, "approve", json!({"rationale": "Ratified after the call"})).await.status(),
        204
    );
    assert_eq!(
        sqlx::query_scalar::<_, String>("select status from grants").fetch_one(&app.db).await.unwrap(),
        "approved"
    );
    assert_eq!(act(&app, &finance, &grant, "disburse", payment("INV-5")).await.status(), 201);

    // A provisional approval is refused for a case that is not critical.
    let plain = TestApp::spawn().await;
    let w = world(&plain, "high").await;
    let grant = propose(&plain, &w, "3,000.00").await;
    let refused =
        act(&plain, &w.supervisors[0], &grant, "approve", json!({"rationale": "x", "provisional": true})).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT, "the grant's case does not allow a provisional approval");
}

#[tokio::test]
async fn the_register_totals_and_its_export_need_a_step_up() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "1,234.56").await;
    propose(&app, &w, "100.00").await;
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    let register: Value = app
        .get_api("/api/v1/grants", &w.finance[0].token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert_eq!(register["grants"].as_array().unwrap().len(), 2);
    assert_eq!(register["by_category"][0]["key"], "legal_fees");
    assert_eq!(register["by_category"][0]["count"], 2);
    assert_eq!(register["by_category"][0]["committed_minor"], 123_456);
    assert_eq!(register["by_country"][0]["key"], "MM");
    let filtered: Value = app
        .get_api("/api/v1/grants?status=approved", &w.finance[0].token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert_eq!(filtered["grants"].as_array().unwrap().len(), 1);
    assert_eq!(app.get_api("/api/v1/grants?status=lost", &w.finance[0].token).await.status(), 422);
    assert!(!register.to_string().contains("grant-narrative-7171"));

    let refused = app.get_api("/api/v1/grants/export", &w.supervisors[1].token).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "export needs a step-up");
    step_up(&app, &w.supervisors[1]).await;
    let csv = app.get_api("/api/v1/grants/export", &w.supervisors[1].token).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert!(csv.lines().next().unwrap().starts_with("grant_id,proposed_at,fund"));
    assert!(
        csv.lines().next().unwrap().ends_with("case_reference,method,fees,payment_reference"),
        "reconciliation columns: {csv}"
    );
    assert!(csv.contains("1234.56,USD"), "{csv}");
    assert!(csv.contains(&w.reference), "a supervisor sees which case: {csv}");
    assert_eq!(csv.lines().count(), 3);
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'grant.exported'").await, 1);

    // Finance reconciles by method, fees and payment reference, never by the case.
    step_up(&app, &w.finance[0]).await;
    let payment = json!({"method": "mobile_money", "paid": "1,234.56", "fees": "3.50",
                         "external_reference": "WAVE-88123", "paid_on": chrono::Utc::now().date_naive().to_string()});
    let paid = act(&app, &w.finance[0], &grant, "disburse", payment).await;
    assert_eq!(paid.status(), StatusCode::CREATED);
    let csv = app
        .get_api("/api/v1/grants/export", &w.finance[0].token)
        .await
        .expect_text(StatusCode::OK, "export the grants")
        .await;
    let line = csv.lines().find(|l| l.contains("WAVE-88123")).expect("the paid grant");
    assert!(line.ends_with(",mobile_money,3.50,WAVE-88123"), "{line}");
    assert!(!csv.contains(&w.reference), "finance never sees the case reference: {csv}");
    let register: Value = app
        .get_api("/api/v1/grants", &w.finance[0].token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert!(register["grants"].as_array().unwrap().iter().all(|g| g["case_reference"].is_null()));
}

#[tokio::test]
async fn reminders_come_once_when_a_receipt_or_a_report_is_due() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "800.00").await;
    assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
    let body = json!({"method": "cash_intermediary", "paid": "800.00", "external_reference": "family support 11", "paid_on": chrono::Utc::now().date_naive().to_string()});
    assert_eq!(act(&app, &w.finance[0], &grant, "disburse", body).await.status(), 201);
    app.clock.advance(chrono::Duration::days(15));
    app.cases.detect_breaches().await.unwrap();
    let disburse_breaches = count(&app, "select count(*) from sla_breach where clock = 'disburse'").await;
    assert_eq!(disburse_breaches, 0, "paid before the disbursement target");
    app.grants.tick().await.unwrap();
    app.grants.tick().await.unwrap();
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'grant.receipt_due'").await, 1);
    // The handler's home says so.
    let browser = app.browser(&w.handler.user).await;
    let home = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    assert!(home.contains("unconfirmed for two weeks") && home.contains(&grant), "the reminder links the grant");
    // The handler records the receipt (the requester told them by phone); the use window runs.
    let handler = Member { token: app.token(&w.handler.user).await, user: w.handler.user.clone() };
    let receipt = app
        .post_json(
            &format!("/api/v1/grants/{grant}/receipt"),
            Some(&handler.token),
            &json!({"note": "confirmed by phone"}),
        )
        .await;
    assert_eq!(receipt.status(), StatusCode::NO_CONTENT);
    let home = app
        .browser(&w.handler.user)
        .await
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    assert!(!home.contains(&grant), "nothing due while the use window runs");
    app.clock.advance(chrono::Duration::days(91));
    app.grants.tick().await.unwrap();
    app.grants.tick().await.unwrap();
    assert_eq!(count(&app, "select count(*) from audit_log where action = 'grant.report_due'").await, 1);
    let home = app
        .browser(&w.handler.user)
        .await
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    assert!(home.contains("report on its use is due") && home.contains(&grant));
}

#[tokio::test]
async fn a_fund_in_baht_applies_dollar_tiers_and_caps_through_its_rate() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let today = app.clock.now().date_naive();
    let fund = |name: &str, currency: &str, rate: Option<&str>, start: chrono::NaiveDate, end: chrono::NaiveDate| {
        json!({"name": name, "currency": currency, "budget": "1,000,000.00", "usd_rate": rate,
               "period_start": start.to_string(), "period_end": end.to_string(), "allowed_countries": ["MM", "TH"]})
    };
    let later = today + chrono::Days::new(100);
    for (body, status, why) in [
        (fund("Baht fund", "THB", None, today, later), 422, "a baht fund needs its dollar rate"),
        (fund("Baht fund", "THB", Some("35"), later, today), 422, "ends before it starts"),
        (fund("Baht fund", "THB", Some("abc"), today, later), 422, "not a rate"),
        (fund("Baht fund", "USD", Some("35"), today, later), 422, "a dollar fund's rate is 1"),
        (
            {
                let mut b = fund("Baht fund", "THB", Some("35"), today, later);
                b["allowed_countries"] = json!(["XX"]);
                b
            },
            422,
            "unknown country",
        ),
        (fund("Baht fund", "THB", Some("35"), today, later), 201, "fine"),
        (fund("Baht fund", "THB", Some("35"), today, later), 409, "the name is taken"),
    ] {
        let response = app.post_json("/api/v1/funds", Some(&w.admin.token), &body).await;
        assert_eq!(response.status().as_u16(), status, "{why}");
    }
    assert_eq!(
        count(&app, "select count(*) from audit_log where action = 'fund.created'").await,
        2,
        "one for each fund made"
    );
    // The funds table reads as a rate, thousands grouped.
    let kyat = fund("Kyat fund", "MMK", Some("2100"), today, later);
    assert_eq!(app.post_json("/api/v1/funds", Some(&w.admin.token), &kyat).await.status(), 201);
    let browser = app.browser(&w.admin.user).await;
    let funds = browser
        .get(format!("{}/staff/funds", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/funds")
        .await;
    assert!(funds.contains("1 USD = 2,100 MMK") && funds.contains("1 USD = 35 THB"), "{funds}");
    assert!(!funds.contains("MMK MMK"));
    let baht: String = sqlx::query_scalar::<_, Uuid>("select fund_id from fund where currency = 'THB'")
        .fetch_one(&app.db)
        .await
        .unwrap()
        .to_string();
    let in_baht = |amount: &str| {
        let mut body = proposal(&w, amount);
        body["fund_id"] = json!(baht);
        body["currency"] = json!("THB");
        body
    };
    // 70,000 baht at 35 a dollar is exactly US$2,000: tier A.
    let tier_a = propose_as(&app, &w, &w.handler, &in_baht("70,000.00")).await;
    assert_eq!(tier_a.status(), StatusCode::CREATED);
    let id = tier_a.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(grant_as(&app, &w.handler, &id).await["tier"], "a");
    let tier_b = propose_as(&app, &w, &w.handler, &in_baht("70,000.01")).await;
    assert_eq!(tier_b.status(), StatusCode::CREATED, "one satang above US$2,000");
    let id = tier_b.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(grant_as(&app, &w.handler, &id).await["tier"], "b");
    assert_eq!(propose_as(&app, &w, &w.handler, &in_baht("175,001.00")).await.status(), 422, "over the US$5,000 cap");
    // Dollars paid from the baht fund record the rate used.
    let mut dollars = proposal(&w, "100.00");
    dollars["fund_id"] = json!(baht);
    dollars["rate"] = json!("35.5");
    let created = propose_as(&app, &w, &w.handler, &dollars).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let view = grant_as(&app, &w.handler, created.json::<Value>().await.unwrap()["id"].as_str().unwrap()).await;
    assert_eq!((view["fund_amount_minor"].as_i64(), view["rate"].as_str()), (Some(355_000), Some("35.5")));
}

/// `n` copies of a grant (same fund, case and amounts), to hang more ledger entries on.
async fn copies_of(app: &TestApp, grant: Uuid, n: i32) -> Vec<Uuid> {
    sqlx::query_scalar(
        "insert into grants
         select (jsonb_populate_record(null::grants, to_jsonb(g) || jsonb_build_object('grant_id', gen_random_uuid()))).*
         from grants g cross join generate_series(1, $2) where g.grant_id = $1 returning grant_id",
    )
    .bind(grant)
    .bind(n)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// One ledger entry, as its own statement (the trigger runs for it alone).
async fn entry(app: &TestApp, fund: Uuid, grant: Uuid, kind: &str, amount: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into fund_entry (fund_id, grant_id, kind, amount_minor, created_at) values ($1, $2, $3, $4, now())",
    )
    .bind(fund)
    .bind(grant)
    .bind(kind)
    .bind(amount)
    .execute(&app.db)
    .await
    .map(|_| ())
}

/// What the ledger sums to for a fund: (committed, disbursed).
async fn ledger_sums(app: &TestApp, fund: Uuid) -> (i64, i64) {
    sqlx::query_as(
        "select (coalesce(sum(amount_minor) filter (where kind = 'reservation'), 0)
                  - coalesce(sum(amount_minor) filter (where kind = 'release'), 0))::bigint,
                (coalesce(sum(amount_minor) filter (where kind = 'payment'), 0)
                  - coalesce(sum(amount_minor) filter (where kind = 'reversal'), 0))::bigint
         from fund_entry where fund_id = $1",
    )
    .bind(fund)
    .fetch_one(&app.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_running_balance_equals_the_ledger_after_many_entries_of_every_kind() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let fund: Uuid = w.fund_id.parse().unwrap();
    // Through the service: a cancelled reservation, a paid grant and a reversed payment.
    let cancelled = propose(&app, &w, "1,000.00").await;
    assert_eq!(act(&app, &w.supervisors[0], &cancelled, "approve", json!({"rationale": "ok"})).await.status(), 204);
    assert_eq!(act(&app, &w.handler, &cancelled, "cancel", json!({"rationale": "Released"})).await.status(), 204);
    let mut paid = vec![];
    for reference in ["INV-1", "INV-2"] {
        let grant = propose(&app, &w, "1,000.00").await;
        assert_eq!(act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "ok"})).await.status(), 204);
        let body = json!({"method": "bank_transfer", "paid": "1,000.00", "external_reference": reference,
                          "paid_on": chrono::Utc::now().date_naive().to_string()});
        assert_eq!(act(&app, &w.finance[0], &grant, "disburse", body).await.status(), 201);
        paid.push(grant);
    }
    assert_eq!(act(&app, &w.finance[0], &paid[1], "reverse", json!({"rationale": "Returned"})).await.status(), 204);

    // Many more straight into the ledger: 90 reservations at once, then a third released,
    // a third paid, and half of those payments reversed.
    let copies = copies_of(&app, paid[0].parse().unwrap(), 90).await;
    let reserved = futures_util::future::join_all(
        copies.iter().enumerate().map(|(i, grant)| entry(&app, fund, *grant, "reservation", 1_000 + i as i64)),
    )
    .await;
    assert!(reserved.iter().all(Result::is_ok), "{reserved:?}");
    for (i, grant) in copies.iter().enumerate() {
        let amount = 1_000 + i as i64;
        match i % 6 {
            0 | 3 => entry(&app, fund, *grant, "release", amount).await.unwrap(),
            1 => entry(&app, fund, *grant, "payment", amount + 7).await.unwrap(),
            4 => {
                entry(&app, fund, *grant, "payment", amount).await.unwrap();
                entry(&app, fund, *grant, "reversal", amount).await.unwrap();
            }
            _ => {}
        }
    }
    // A refused entry moves nothing.
    let available = fund_balance(&app, &w).await["available_minor"].as_i64().unwrap();
    let over = entry(&app, fund, copies[2], "payment", available + 1).await.unwrap_err();
    assert!(over.to_string().contains("below zero"), "{over}");

    let (committed, disbursed) = ledger_sums(&app, fund).await;
    let balance = fund_balance(&app, &w).await;
    assert_eq!(
        (balance["committed_minor"].as_i64(), balance["disbursed_minor"].as_i64(), balance["available_minor"].as_i64()),
        (Some(committed), Some(disbursed), Some(2_000_000 - committed - disbursed)),
        "the balances read from the running totals are the ledger's sums"
    );
    assert_eq!(available, 2_000_000 - committed - disbursed, "the refused entry changed nothing");
    assert!(committed > 0 && disbursed > 0, "{committed} {disbursed}");
    assert_eq!(count(&app, "select count(*) from fund_ledger_mismatch()").await, 0);
    assert_eq!(count(&app, "select count(*) from grant_hold_mismatch()").await, 0, "each grant's hold is its ledger's");

    // Twenty entries racing on a fund that holds ten: the row update takes them one at a time.
    let tight = fund_id_of(&app, &w, "Tight fund", "100.00").await;
    let racers = copies_of(&app, paid[0].parse().unwrap(), 20).await;
    let raced =
        futures_util::future::join_all(racers.iter().map(|grant| entry(&app, tight, *grant, "reservation", 1_000)))
            .await;
    assert_eq!(raced.iter().filter(|r| r.is_ok()).count(), 10, "{raced:?}");
    assert_eq!(ledger_sums(&app, tight).await, (10_000, 0));
    assert_eq!(count(&app, "select count(*) from fund_ledger_mismatch()").await, 0);
    assert_eq!(count(&app, "select count(*) from grant_hold_mismatch()").await, 0, "each grant's hold is its ledger's");
}

async fn fund_id_of(app: &TestApp, w: &World, name: &str, budget: &str) -> Uuid {
    fund(app, &w.admin, name, budget).await.parse().unwrap()
}
