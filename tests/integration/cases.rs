//! Triage and case work over HTTP: the queue, claim, triage, the state machine, messages,
//! conflicts, concurrency and SLA clocks.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::TestUser;

struct Filed {
    id: Uuid,
    reference: String,
    passphrase: String,
}

async fn file(app: &TestApp, body: Value) -> Filed {
    let response: Value =
        app.post_json("/api/v1/intake", None, &body).await.expect_json(StatusCode::CREATED, "file a case").await;
    let reference = response["reference"].as_str().unwrap().to_owned();
    let id: Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(&reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    Filed { id, reference, passphrase: response["passphrase"].as_str().unwrap().to_owned() }
}

async fn signed_in(app: &TestApp, role: Role) -> (TestUser, String) {
    let user = app.staff(&[role]).await;
    let token = app.token(&user).await;
    (user, token)
}

fn triage_body(rationale: &str) -> Value {
    json!({"severity": "critical", "kind": "arrest_detention", "rationale": rationale})
}

#[tokio::test]
async fn the_queue_puts_the_nearest_deadline_first_and_shows_only_previews() {
    let app = TestApp::spawn().await;
    let low = file(&app, json!({"narrative": "advice please", "country": "TH", "urgency": "information"})).await;
    let critical = file(&app, json!({"narrative": "taken last night", "country": "MM", "urgency": "immediate", "kind": "arrest_detention", "language": "my"})).await;
    let (_, token) = signed_in(&app, Role::Handler).await;
    let queue: Value = app.get_api("/api/v1/cases", &token).await.expect_json(StatusCode::OK, "read the queue").await;
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["id"], critical.id.to_string(), "critical (2 h) before low (72 h)");
    assert_eq!(items[1]["id"], low.id.to_string());
    assert_eq!(items[0]["preview_only"], true);
    assert!(items[0]["reference"].is_null(), "no reference in a preview");
    assert_eq!(items[0]["language"], "my");
    assert!(!queue.to_string().contains("taken last night"));
    let filtered: Value =
        app.get_api("/api/v1/cases?country=th", &token).await.expect_json(StatusCode::OK, "read the queue").await;
    assert_eq!(filtered["items"].as_array().unwrap().len(), 1);
    let by_severity: Value = app
        .get_api("/api/v1/cases?severity=critical", &token)
        .await
        .expect_json(StatusCode::OK, "read the queue")
        .await;
    assert_eq!(by_severity["items"][0]["id"], critical.id.to_string());
    for bad in ["severity=extreme", "country=XX", "per_page=0", "status=lost", "page=0"] {
        assert_eq!(app.get_api(&format!("/api/v1/cases?{bad}"), &token).await.status(), 422, "{bad}");
    }
    assert_eq!(
        app.get_api(&format!("/api/v1/cases/{}", critical.id), &token).await.status(),
        403,
        "preview only until claimed"
    );
}

#[tokio::test]
async fn finance_partners_and_admins_see_no_cases() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "help", "country": "KH"})).await;
    for role in [Role::Finance, Role::Partner, Role::Admin] {
        let (_, token) = signed_in(&app, role).await;
        assert_eq!(app.get_api("/api/v1/cases", &token).await.status(), 403, "{role} queue");
        assert_eq!(app.get_api(&format!("/api/v1/cases/{}", filed.id), &token).await.status(), 403, "{role} case");
        assert_eq!(
            app.post_json(&format!("/api/v1/cases/{}/claim", filed.id), Some(&token), &json!({})).await.status(),
            403,
            "{role} claim"
        );
    }
}

#[tokio::test]
async fn claim_triage_work_and_close_a_case() {
    let app = TestApp::spawn().await;
    let filed = file(
        &app,
        json!({"narrative": "My brother was arrested unique-n-4411", "country": "MM", "contact": "signal 123"}),
    )
    .await;
    let (handler, token) = signed_in(&app, Role::Handler).await;
    let (_, other) = signed_in(&app, Role::Handler).await;
    let path = |action: &str| format!("/api/v1/cases/{}/{action}", filed.id);

    let claimed = app
        .post_json(&path("claim"), Some(&token), &json!({}))
        .await
        .expect_json(StatusCode::OK, "claim the case")
        .await;
    assert_eq!(claimed["status"], "acknowledged");
    assert_eq!(claimed["assignee"], handler.id.as_str());
    assert_eq!(app.post_json(&path("claim"), Some(&other), &json!({})).await.status(), StatusCode::CONFLICT);

    assert_eq!(
        app.post_json(&path("triage"), Some(&token), &triage_body("  ")).await.status(),
        422,
        "rationale required"
    );
    assert_eq!(
        app.post_json(&path("triage"), Some(&other), &triage_body("mine now")).await.status(),
        403,
        "not the assignee"
    );
    let triaged = app.post_json(&path("triage"), Some(&token), &triage_body("Detained in Insein; lawyer needed")).await;
    assert_eq!(triaged.status(), 200);
    let triaged: Value = triaged.json().await.unwrap();
    assert_eq!(triaged["status"], "active");
    assert_eq!(triaged["severity"], "critical");

    let case: Value = app
        .get_api(&format!("/api/v1/cases/{}", filed.id), &token)
        .await
        .expect_json(StatusCode::OK, "read the case")
        .await;
    assert_eq!(case["fields"][0]["name"], "narrative");
    assert!(case["fields"][0]["value"].as_str().unwrap().contains("unique-n-4411"));
    assert_eq!(case["playbook_version"], 1);
    assert_eq!(case["tasks"].as_array().unwrap().len(), 9, "the arrest playbook's checklist");
    assert!(
        case["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "case.triaged" && e["rationale"] == "Detained in Insein; lawyer needed")
    );
    let reads: Vec<(String, Value)> =
        sqlx::query_as("select actor_id, details from audit_log where action = 'case.read'")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(reads.len(), 1, "one access entry per read");
    assert_eq!(reads[0].0, handler.id);
    assert!(!reads[0].1.to_string().contains("unique-n-4411"));
    let again: Value = app
        .get_api(&format!("/api/v1/cases/{}", filed.id), &token)
        .await
        .expect_json(StatusCode::OK, "read the case again")
        .await;
    let actions: Vec<&str> =
        again["timeline"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert!(
        actions.contains(&"case.triaged") && !actions.contains(&"case.read"),
        "reads stay off the timeline: {actions:?}"
    );

    // Messages both ways, through the portal API.
    assert_eq!(
        app.post_json(&path("messages"), Some(&token), &json!({"body": "We have found a lawyer."})).await.status(),
        201
    );
    let requester = app.requester_token(&json!(filed.reference), &json!(filed.passphrase)).await;
    let seen: Value = app
        .get_api("/api/v1/requester/case", &requester)
        .await
        .expect_json(StatusCode::OK, "read the requester's case")
        .await;
    assert_eq!(seen["status"], "being_handled");
    assert_eq!(seen["messages"][0]["from"], "network");
    assert_eq!(seen["messages"][0]["body"], "We have found a lawyer.");
    assert!(!seen.to_string().contains("Test Person"), "no staff names for the requester");
    app.post_json("/api/v1/requester/messages", Some(&requester), &json!({"body": "Thank you"}))
        .await
        .expect_status(StatusCode::CREATED, "the requester messages")
        .await;
    let case: Value = app
        .get_api(&format!("/api/v1/cases/{}", filed.id), &token)
        .await
        .expect_json(StatusCode::OK, "read the case")
        .await;
    assert_eq!(case["messages"][1]["author_kind"], "requester");

    // Notes and the checklist.
    assert_eq!(
        app.post_json(&path("notes"), Some(&token), &json!({"body": "Family not yet told: consent pending"}))
            .await
            .status(),
        201
    );
    let task = case["tasks"][0]["task_id"].as_str().unwrap().to_owned();
    assert_eq!(
        app.post_json(&format!("/api/v1/cases/{}/tasks/{task}/done", filed.id), Some(&token), &json!({}))
            .await
            .status(),
        204
    );
    assert_eq!(
        app.post_json(&format!("/api/v1/cases/{}/tasks/{task}/done", filed.id), Some(&token), &json!({}))
            .await
            .status(),
        409
    );

    // Hold, resume, close with an outcome; only a supervisor reopens.
    assert_eq!(
        app.post_json(&path("hold"), Some(&token), &json!({"rationale": "requester unreachable"})).await.status(),
        200
    );
    assert_eq!(
        app.post_json(&path("close"), Some(&token), &json!({"outcome": "resolved", "rationale": ""})).await.status(),
        422
    );
    assert_eq!(
        app.post_json(&path("close"), Some(&token), &json!({"outcome": "won", "rationale": "x"})).await.status(),
        422
    );
    assert_eq!(
        app.post_json(&path("resume"), Some(&token), &json!({"rationale": "back in touch"})).await.status(),
        200
    );
    assert_eq!(
        app.post_json(&path("close"), Some(&token), &json!({"outcome": "resolved", "rationale": "Released on bail"}))
            .await
            .status(),
        200
    );
    assert_eq!(
        app.post_json(&path("hold"), Some(&token), &json!({"rationale": "x"})).await.status(),
        409,
        "closed cases cannot be held"
    );
    assert_eq!(app.post_json(&path("reopen"), Some(&token), &json!({"rationale": "new charges"})).await.status(), 403);
    let (_, supervisor) = signed_in(&app, Role::Supervisor).await;
    assert_eq!(
        app.post_json(&path("reopen"), Some(&supervisor), &json!({"rationale": "New charges filed"})).await.status(),
        200
    );
    let verify = shelter_server::audit::verify::verify(&app.db, None).await.unwrap();
    assert_eq!(verify.fault, None);
}

#[tokio::test]
async fn two_concurrent_triages_one_wins_the_other_is_told() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "help", "country": "VN"})).await;
    let (_, first) = signed_in(&app, Role::Supervisor).await;
    let (_, second) = signed_in(&app, Role::Supervisor).await;
    let (handler, _) = signed_in(&app, Role::Handler).await;
    let path = format!("/api/v1/cases/{}/triage", filed.id);
    let body = |severity: &str| json!({"severity": severity, "kind": "digital_attack", "rationale": "phishing", "assignee": handler.id, "version": 1});
    let (high, low) = (body("high"), body("low"));
    let (a, b) = tokio::join!(app.post_json(&path, Some(&first), &high), app.post_json(&path, Some(&second), &low));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let loser = if a.status() == 409 { a } else { b };
    let message: Value = loser.json().await.unwrap();
    assert!(message["error"]["message"].as_str().unwrap().contains("changed meanwhile"));
    let triages: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'case.triaged'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(triages, 1, "nothing lost, nothing doubled");
}

#[tokio::test]
async fn a_declared_conflict_hides_the_case_and_blocks_assignment() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "help", "country": "LA"})).await;
    let (handler, token) = signed_in(&app, Role::Handler).await;
    let (_, supervisor) = signed_in(&app, Role::Supervisor).await;
    app.post_json(&format!("/api/v1/cases/{}/claim", filed.id), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    assert_eq!(
        app.post_json(&format!("/api/v1/cases/{}/conflict", filed.id), Some(&token), &json!({})).await.status(),
        204
    );
    let queue: Value = app.get_api("/api/v1/cases", &token).await.expect_json(StatusCode::OK, "read the queue").await;
    assert!(queue["items"].as_array().unwrap().is_empty(), "gone from their queue");
    assert_eq!(app.get_api(&format!("/api/v1/cases/{}", filed.id), &token).await.status(), 404);
    let body = json!({"severity": "medium", "kind": "relocation", "rationale": "assign", "assignee": handler.id});
    let refused = app.post_json(&format!("/api/v1/cases/{}/triage", filed.id), Some(&supervisor), &body).await;
    assert_eq!(refused.status(), 422);
    let assignee: Option<Uuid> = sqlx::query_scalar("select assignee from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(assignee, None, "unassigned by the declaration");
}

#[tokio::test]
async fn a_breached_deadline_is_recorded_exactly_once() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "help", "country": "TH", "urgency": "immediate"})).await;
    file(&app, json!({"narrative": "later", "country": "TH", "urgency": "information"})).await;
    assert_eq!(app.cases.detect_breaches().await.unwrap(), 0);
    app.clock.advance(Duration::hours(3));
    assert_eq!(app.cases.detect_breaches().await.unwrap(), 1, "the 2-hour acknowledgement of the critical case");
    assert_eq!(app.cases.detect_breaches().await.unwrap(), 0, "never twice");
    let (_, token) = signed_in(&app, Role::Handler).await;
    let queue: Value = app.get_api("/api/v1/cases", &token).await.expect_json(StatusCode::OK, "read the queue").await;
    assert_eq!(queue["items"][0]["id"], filed.id.to_string());
    assert_eq!(queue["items"][0]["breached"], true);
    let (_, supervisor) = signed_in(&app, Role::Supervisor).await;
    let breaches: Value =
        app.get_api("/api/v1/sla/breaches", &supervisor).await.expect_json(StatusCode::OK, "read the breaches").await;
    assert_eq!(breaches.as_array().unwrap().len(), 1);
    app.clock.advance(Duration::hours(22));
    assert_eq!(app.cases.detect_breaches().await.unwrap(), 1, "then the 24-hour decision");
    let entries: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'case.sla_breached'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(entries, 2);
}

/// After an outage thousands of deadlines may pass at once: they are recorded in short
/// transactions of at most 100 (each holds the audit chain's lock while it writes), all of
/// them, once.
#[tokio::test]
async fn a_backlog_of_breaches_is_recorded_in_short_transactions() {
    let app = TestApp::spawn().await;
    sqlx::query(
        "insert into cases (case_id, reference, passphrase_hash, status, kind, severity, country, language,
                            contact_allowed, sealed_key, created_at, updated_at, acknowledge_due_at, decide_due_at,
                            disburse_due_at)
         select gen_random_uuid(), 'BACKLOG-' || i, 'x', 'new', 'arrest_detention', 'critical', 'MM', 'en', false,
                '\\x00', $1 - interval '3 hours', $1, $1 - interval '1 hour', $1 + interval '1 day', $1 + interval '7 days'
         from generate_series(1, 250) as i",
    )
    .bind(shelter_server::clock::Clock::now(&app.clock))
    .execute(&app.db)
    .await
    .unwrap();
    // The server's own ticker may be working off part of the backlog at the same time:
    // together, all of it, once.
    let recorded =
        || async { sqlx::query_scalar::<_, i64>("select count(*) from sla_breach").fetch_one(&app.db).await.unwrap() };
    for _ in 0..100 {
        app.cases.detect_breaches().await.unwrap();
        if recorded().await == 250 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(recorded().await, 250);
    assert_eq!(app.cases.detect_breaches().await.unwrap(), 0, "never twice");
    let per_transaction: Vec<i64> =
        sqlx::query_scalar("select count(*) from sla_breach group by xmin::text").fetch_all(&app.db).await.unwrap();
    assert!(per_transaction.iter().all(|n| *n <= 100), "at most 100 a transaction: {per_transaction:?}");
    let entries: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'case.sla_breached'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(entries, 250);
}

#[tokio::test]
async fn a_handler_works_a_case_in_the_browser() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "Police took my laptop <b>unique-p-77</b>", "country": "KH", "urgency": "days", "kind": "digital_attack"})).await;
    let handler = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&handler).await;
    let home = browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    assert!(home.contains("Triage queue") && home.contains("digital_attack"));
    assert!(!home.contains("unique-p-77") && !home.contains(&filed.reference), "preview only");
    let csrf = crate::staff::csrf_in(&home);
    let claimed = browser
        .post(format!("{}/staff/cases/{}/claim", app.address, filed.id))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(claimed.status(), StatusCode::SEE_OTHER);
    let page = browser.get(format!("{}/staff/cases/{}", app.address, filed.id)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let css = app.get("/assets/style.css").await.expect_text(StatusCode::OK, "open /assets/style.css").await.len();
    let html = page.text().await.unwrap();
    assert!(html.contains("&lt;b&gt;unique-p-77&lt;/b&gt;"), "the narrative, escaped");
    assert!(html.len() + css < 30 * 1024, "case page weighs {}", html.len() + css);
    let version = html.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let no_rationale = browser
        .post(format!("{}/staff/cases/{}/triage", app.address, filed.id))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("severity", "high"),
            ("kind", "digital_attack"),
            ("rationale", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(no_rationale.status(), 422);
    assert!(no_rationale.text().await.unwrap().contains("rationale"));
    let triaged = browser
        .post(format!("{}/staff/cases/{}/triage", app.address, filed.id))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("severity", "high"),
            ("kind", "digital_attack"),
            ("rationale", "Accounts taken over"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(triaged.status(), StatusCode::SEE_OTHER);
    let stale = browser
        .post(format!("{}/staff/cases/{}/hold", app.address, filed.id))
        .form(&[("csrf", csrf.as_str()), ("version", version.as_str()), ("rationale", "waiting")])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT, "a form from before the triage is stale");
    assert!(stale.text().await.unwrap().contains("changed meanwhile"));
    let sent = browser
        .post(format!("{}/staff/cases/{}/messages", app.address, filed.id))
        .form(&[("csrf", csrf.as_str()), ("body", "Please use Signal.")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(format!("{}/staff/cases/{}", app.address, filed.id))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/cases/{}")
        .await;
    assert!(
        page.contains("Please use Signal.")
            && page.contains("Accounts taken over")
            && page.contains("triaged the case and chose its playbook."),
        "the timeline says it in words"
    );
}
