//! The audit trail: append-only, hash-chained, faults named, filtered, reviewed, exported.

use serde_json::{Value, json};
use shelter_server::audit::verify::{Anchor, Fault, verify};
use shelter_server::audit::{self, Actor, NewEntry, Subject, checkpoint};
use shelter_server::clock::Clock;
use shelter_shared::audit::AuditAction;
use shelter_shared::staff::Role;
use sqlx::Connection;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use reqwest::StatusCode;

/// Appends `n` plain entries by the system.
async fn append(app: &TestApp, n: usize) {
    for i in 0..n {
        let entry = NewEntry::new(Actor::System, AuditAction::UserUnlocked)
            .details(json!({"n": i, "nested": {"b": 1, "a": 2}}));
        audit::record_alone(&app.db, entry, app.clock.now()).await.unwrap();
    }
}

/// Runs SQL as the database superuser with triggers off, as an attacker with full access would.
async fn tamper(app: &TestApp, sql: &str) {
    let mut conn = app.owner().await;
    sqlx::raw_sql(&format!("set session_replication_role = replica; {sql}")).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
}

async fn fault(app: &TestApp) -> Option<Fault> {
    verify(&app.db, None).await.unwrap().fault
}

#[tokio::test]
async fn an_untouched_chain_verifies() {
    let app = TestApp::spawn().await;
    append(&app, 10).await;
    let report = verify(&app.db, None).await.unwrap();
    assert_eq!(report.fault, None);
    assert_eq!(report.entries, 10);
    assert_eq!(report.head.unwrap().0, 10);
}

#[tokio::test]
async fn an_altered_entry_is_named() {
    let app = TestApp::spawn().await;
    append(&app, 6).await;
    tamper(&app, "update audit_log set details = '{\"n\": 99}' where seq = 3").await;
    assert_eq!(fault(&app).await, Some(Fault::Altered { seq: 3 }));
}

#[tokio::test]
async fn a_deleted_entry_is_named() {
    let app = TestApp::spawn().await;
    append(&app, 6).await;
    tamper(&app, "delete from audit_log where seq = 4").await;
    assert_eq!(fault(&app).await, Some(Fault::Missing { after: 3, next: 5 }));
}

#[tokio::test]
async fn two_swapped_entries_are_named() {
    let app = TestApp::spawn().await;
    append(&app, 6).await;
    tamper(&app, "update audit_log set seq = 1000 where seq = 2; update audit_log set seq = 2 where seq = 3; update audit_log set seq = 3 where seq = 1000").await;
    assert_eq!(fault(&app).await, Some(Fault::Reordered { seq: 2, written_at: 3 }));
}

#[tokio::test]
async fn a_rewritten_entry_with_a_recomputed_hash_breaks_the_next_link() {
    let app = TestApp::spawn().await;
    append(&app, 5).await;
    // The attacker knows the algorithm and rehashes entry 2; entry 3 no longer follows it.
    let mut conn = app.owner().await;
    let mut record: shelter_server::audit::chain::Record = sqlx::query_as(
        "select seq, occurred_at, actor_kind, actor_id, action, subject_kind, subject_id, rationale, rationale_sealed,
                rationale_case, details, prev_hash
         from audit_log where seq = 2",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    record.details = json!({"n": 1000});
    let hash = record.hash();
    sqlx::raw_sql("set session_replication_role = replica").execute(&mut conn).await.unwrap();
    sqlx::query("update audit_log set details = $1, hash = $2 where seq = 2")
        .bind(&record.details)
        .bind(hash.as_slice())
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    assert_eq!(fault(&app).await, Some(Fault::BrokenLink { seq: 3 }));
}

#[tokio::test]
async fn a_truncated_tail_is_found_by_a_checkpoint_and_by_an_anchor() {
    let app = TestApp::spawn().await;
    append(&app, 5).await;
    let (seq, hash) = checkpoint::head(&app.db).await.unwrap().unwrap();
    let anchor: Anchor = format!("{seq}:{}", hex_of(&hash)).parse().unwrap();
    assert_eq!(verify(&app.db, Some(&anchor)).await.unwrap().fault, None, "the anchor is found");
    tamper(&app, "delete from audit_log where seq = 5").await;
    assert_eq!(
        verify(&app.db, Some(&anchor)).await.unwrap().fault,
        Some(Fault::Truncated { checkpoint_seq: 5, last_seq: 4 })
    );

    let app = TestApp::spawn().await;
    append(&app, 5).await;
    checkpoint::record(&app.db, &app.clock).await.unwrap();
    tamper(&app, "delete from audit_log where seq = 5").await;
    assert_eq!(fault(&app).await, Some(Fault::Truncated { checkpoint_seq: 5, last_seq: 4 }));
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn the_application_role_cannot_change_history() {
    let app = TestApp::spawn().await;
    append(&app, 2).await;
    for sql in [
        "update audit_log set action = 'x'",
        "delete from audit_log",
        "truncate audit_log",
        "delete from audit_checkpoint",
    ] {
        let error = sqlx::query(sql).execute(&app.db).await.expect_err(sql).to_string();
        assert!(error.contains("permission denied") || error.contains("append-only"), "{sql}: {error}");
    }
    let mut conn = app.owner().await;
    let privileges: (bool, bool, bool, bool) = sqlx::query_as(
        "select has_table_privilege('shelter_app', 'audit_log', 'SELECT'), has_table_privilege('shelter_app', 'audit_log', 'INSERT'),
                has_table_privilege('shelter_app', 'audit_log', 'UPDATE'), has_table_privilege('shelter_app', 'audit_log', 'DELETE')",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(privileges, (true, true, false, false));
    // Even the owner is stopped by the trigger unless it switches triggers off.
    let error = sqlx::query("delete from audit_log").execute(&mut conn).await.unwrap_err().to_string();
    assert!(error.contains("append-only"), "{error}");
    let current_user: String = sqlx::query_scalar("select current_user").fetch_one(&app.db).await.unwrap();
    assert_eq!(current_user, "shelter_app", "pooled connections run as the application role");
}

#[tokio::test]
async fn a_failed_transaction_leaves_neither_change_nor_entry() {
    let app = TestApp::spawn().await;
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("insert into audit_checkpoint (seq, hash, created_at) values (1, '\\x00', now())")
        .execute(&mut *tx)
        .await
        .unwrap();
    // A decision without a rationale is refused, and the caller's transaction goes with it.
    let refused =
        audit::record(&mut tx, NewEntry::new(Actor::System, AuditAction::AuditReviewed), app.clock.now()).await;
    assert!(refused.is_err());
    drop(tx);
    let counts: (i64, i64) =
        sqlx::query_as("select (select count(*) from audit_log), (select count(*) from audit_checkpoint)")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(counts, (0, 0));

    // The same through a service: a duplicate account is refused and leaves no entry.
    let email = shelter_shared::staff::Email::parse("dup@example.org").unwrap();
    app.identity
        .add_user(&shelter_server::identity::admin::Admin::Operator, &email, "A", &[Role::Handler])
        .await
        .unwrap();
    assert!(
        app.identity
            .add_user(&shelter_server::identity::admin::Admin::Operator, &email, "B", &[Role::Handler])
            .await
            .is_err()
    );
    let created: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'user.created'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(created, 1);
}

#[tokio::test]
async fn concurrent_writers_make_one_unbroken_chain() {
    let app = TestApp::spawn().await;
    let tasks: Vec<_> = (0..8)
        .map(|w| {
            let (db, now) = (app.db.clone(), app.clock.now());
            tokio::spawn(async move {
                for i in 0..25 {
                    let entry =
                        NewEntry::new(Actor::System, AuditAction::UserUnlocked).details(json!({"writer": w, "i": i}));
                    audit::record_alone(&db, entry, now).await.unwrap();
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let report = verify(&app.db, None).await.unwrap();
    assert_eq!(report.fault, None);
    assert_eq!(report.entries, 200);
    assert_eq!(report.head.unwrap().0, 200);
}

#[tokio::test]
async fn sign_ins_and_their_failures_are_audited_without_secrets() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    app.token(&user).await;
    app.post_json(
        "/api/v1/auth/token",
        None,
        &json!({"email": user.email, "password": "wrong wrong wrong", "totp": "123456"}),
    )
    .await
    .expect_status(StatusCode::UNAUTHORIZED, "a sign-in with a wrong password")
    .await;
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log order by seq").fetch_all(&app.db).await.unwrap();
    for expected in ["user.created", "auth.enrolment_started", "auth.enrolled", "auth.sign_in", "auth.sign_in_failed"] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
    let dump: String = sqlx::query_scalar("select string_agg(row_to_json(a)::text, ' ') from audit_log a")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(
        !dump.contains(&user.password) && !dump.contains("wrong wrong wrong") && !dump.contains(&user.email),
        "{dump}"
    );
    assert_eq!(verify(&app.db, None).await.unwrap().fault, None);
}

#[tokio::test]
async fn a_refused_authorisation_is_audited() {
    let app = TestApp::spawn().await;
    let handler = app.staff(&[Role::Handler]).await;
    let token = app.token(&handler).await;
    assert_eq!(app.get_api("/api/v1/audit", &token).await.status(), 403);
    let refused: Vec<Value> = sqlx::query_scalar("select details from audit_log where action = 'auth.refused'")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(refused, vec![json!({"action": "ReadAudit"})]);
}

#[tokio::test]
async fn supervisors_filter_the_trail() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let handler = app.staff(&[Role::Handler]).await;
    app.token(&handler).await;
    let token = app.token(&supervisor).await;
    let page: Value = app
        .get_api(&format!("/api/v1/audit?action=auth.sign_in&actor={}", handler.id), &token)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["actor_id"], handler.id.as_str());
    let today = app.clock.now().format("%Y-%m-%d").to_string();
    let page: Value = app
        .get_api(&format!("/api/v1/audit?from={today}&to={today}&limit=2"), &token)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    assert_eq!(page["entries"].as_array().unwrap().len(), 2);
    let before = page["next_before"].as_i64().unwrap();
    let older: Value = app
        .get_api(&format!("/api/v1/audit?before={before}&limit=500"), &token)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    assert!(older["entries"].as_array().unwrap().iter().all(|e| e["seq"].as_i64().unwrap() < before));
    for bad in ["action=auth.nonsense", "from=yesterday", "limit=0", "limit=501"] {
        let response = app.get_api(&format!("/api/v1/audit?{bad}"), &token).await;
        assert_eq!(response.status(), 422, "{bad}");
    }
}

#[tokio::test]
async fn decisions_are_reviewed_by_another_supervisor() {
    let app = TestApp::spawn().await;
    let first = app.staff(&[Role::Supervisor]).await;
    let second = app.staff(&[Role::Supervisor]).await;
    let first_id: uuid::Uuid = first.id.parse().unwrap();
    let decision = NewEntry::new(Actor::Staff(first_id), AuditAction::UserDisabled)
        .subject(Subject::staff_user(first_id))
        .rationale(audit::SealedRationale::general(&app.cases.keys, "Left the organisation").unwrap());
    let seq = audit::record_alone(&app.db, decision, app.clock.now()).await.unwrap().seq;
    let own = app.token(&first).await;
    let other = app.token(&second).await;
    let path = format!("/api/v1/audit/{seq}/review");
    assert_eq!(app.post_json(&path, Some(&own), &json!({"verdict": "reviewed", "comment": "ok"})).await.status(), 403);
    assert_eq!(app.post_json(&path, Some(&other), &json!({"verdict": "concern", "comment": " "})).await.status(), 422);
    assert_eq!(app.post_json(&path, Some(&other), &json!({"verdict": "maybe", "comment": "x"})).await.status(), 422);
    assert_eq!(
        app.post_json(&path, Some(&other), &json!({"verdict": "concern", "comment": "Check the handover"}))
            .await
            .status(),
        201
    );
    assert_eq!(
        app.post_json("/api/v1/audit/1/review", Some(&other), &json!({"verdict": "reviewed", "comment": "x"}))
            .await
            .status(),
        422,
        "not a decision"
    );
    let review: Value = app
        .get_api("/api/v1/audit?action=audit.reviewed", &other)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await["entries"][0]
        .clone();
    assert_eq!(review["subject_id"], seq.to_string());
    assert_eq!(review["rationale"], "Check the handover", "supervisors read the comment, opened");
    assert_eq!(review["details"]["verdict"], "concern");
}

#[tokio::test]
async fn an_export_needs_a_fresh_second_factor_and_is_audited() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&supervisor).await;
    app.clock.advance(chrono::Duration::minutes(6));
    assert_eq!(app.get_api("/api/v1/audit/export", &token).await.status(), 403, "sign-in was too long ago");
    let code = app.next_totp(&supervisor);
    assert_eq!(app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": code})).await.status(), 204);
    let response = app.get_api("/api/v1/audit/export?action=auth.sign_in", &token).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"].to_str().unwrap().contains("attachment"));
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("seq,occurred_at,actor_kind"));
    assert_eq!(csv.lines().count(), 2, "header and the one sign-in: {csv}");
    let exported: Value = sqlx::query_scalar("select details from audit_log where action = 'audit.exported'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(exported["rows"], 1);
    assert_eq!(exported["filter"]["action"], "auth.sign_in");
}

#[tokio::test]
async fn the_audit_page_is_for_supervisors() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let handler = app.staff(&[Role::Handler]).await;
    let browser = app.browser(&supervisor).await;
    let response = browser.get(format!("{}/staff/audit?action=auth.sign_in", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Audit trail") && html.contains("auth.sign_in"));
    let bad = browser.get(format!("{}/staff/audit?from=someday", app.address)).send().await.unwrap();
    assert_eq!(bad.status(), 422);
    let handler_browser = app.browser(&handler).await;
    assert_eq!(handler_browser.get(format!("{}/staff/audit", app.address)).send().await.unwrap().status(), 403);
}

#[tokio::test]
async fn entries_appended_together_chain_like_entries_appended_one_by_one() {
    let app = TestApp::spawn().await;
    append(&app, 2).await;
    let entries: Vec<NewEntry> = (0..3)
        .map(|i| {
            NewEntry::new(Actor::System, AuditAction::CasePurged)
                .subject(Subject { kind: "case", id: format!("case-{i}") })
                .details(json!({"reason": "schedule", "nested": {"b": i, "a": [1, 2]}}))
        })
        .collect();
    let mut tx = app.db.begin().await.unwrap();
    let appended = audit::record_all(&mut tx, entries, app.clock.now()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(appended.iter().map(|a| a.seq).collect::<Vec<_>>(), [3, 4, 5]);
    append(&app, 1).await;
    assert_eq!(fault(&app).await, None, "one unbroken chain, before and after");
    let decision = NewEntry::new(Actor::System, AuditAction::LegalHoldPlaced);
    let mut tx = app.db.begin().await.unwrap();
    assert!(audit::record_all(&mut tx, vec![decision], app.clock.now()).await.is_err(), "a decision needs a rationale");
    drop(tx);
    tamper(&app, "update audit_log set details = '{\"reason\": \"requested\"}' where seq = 4").await;
    assert_eq!(fault(&app).await, Some(Fault::Altered { seq: 4 }), "and tampering with one is named");
}

/// The page names people and cases, finds entries by name, e-mail or reference, lists the
/// decisions waiting for a review, and after a review comes back to the same filters.
#[tokio::test]
async fn the_audit_page_names_people_finds_them_and_keeps_its_filters_after_a_review() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let handler = app.staff(&[Role::Handler]).await;
    for (user, name) in [(&supervisor, "Thida Win"), (&handler, "Aung Handler")] {
        sqlx::query("update staff_user set display_name = $2 where staff_user_id = $1")
            .bind(user.id.parse::<uuid::Uuid>().unwrap())
            .bind(name)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "help", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let reference = filed["reference"].as_str().unwrap().to_owned();
    let case_id: uuid::Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let token = app.token(&handler).await;
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let triage = json!({"severity": "high", "kind": "relocation", "rationale": "Threats at home"});
    assert_eq!(app.post_json(&format!("/api/v1/cases/{case_id}/triage"), Some(&token), &triage).await.status(), 200);

    let browser = app.browser(&supervisor).await;
    let get = |query: &str| {
        let url = format!("{}/staff/audit?{query}", app.address);
        let browser = browser.clone();
        async move { browser.get(url).send().await.unwrap() }
    };
    let page = get("actor=aung").await.text().await.unwrap();
    assert!(page.contains("Aung Handler") && page.contains(&format!("case {reference}")), "names, not ids");
    assert!(page.contains("data-action=\"case.triaged\"") && !page.contains(&format!("staff {}", handler.id)));
    let by_email = get(&format!("actor={}", handler.email.to_uppercase())).await.text().await.unwrap();
    assert!(by_email.contains("data-action=\"case.triaged\""), "found by e-mail");
    let by_reference = get(&format!("case={}", reference.to_lowercase())).await.text().await.unwrap();
    assert!(by_reference.contains("data-action=\"case.triaged\""), "found by reference, however typed");

    let waiting = get("actor=aung&unreviewed=true").await.text().await.unwrap();
    assert!(
        waiting.contains("data-action=\"case.triaged\"") && !waiting.contains("data-action=\"auth.sign_in\""),
        "only decisions"
    );
    let seq: i64 =
        sqlx::query_scalar("select seq from audit_log where action = 'case.triaged'").fetch_one(&app.db).await.unwrap();
    assert!(waiting.contains(&format!("/staff/audit/{seq}/review")));
    let csrf = crate::staff::csrf_in(&waiting);
    let back = "actor=aung&unreviewed=true";
    let reviewed = browser
        .post(format!("{}/staff/audit/{seq}/review", app.address))
        .form(&[("csrf", csrf.as_str()), ("verdict", "reviewed"), ("comment", "Fits the playbook"), ("back", back)])
        .send()
        .await
        .unwrap();
    assert_eq!(reviewed.status(), 303);
    let location = reviewed.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(location, format!("/staff/audit?actor=aung&unreviewed=true&reviewed={seq}"), "the filters kept");
    let after = browser
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open the page")
        .await;
    assert!(after.contains(&format!("Your review of entry {seq} is recorded")));
    assert!(after.contains(r#"value="aung""#) && after.contains("checked"), "the form keeps the filters");
    assert!(after.contains("No entries match these filters."), "nothing else waits");
    let all = get("actor=aung").await.text().await.unwrap();
    assert!(all.contains("Reviewed") && all.contains("Thida Win: reviewed"), "shown as reviewed");
    assert!(!all.contains(&format!("/staff/audit/{seq}/review")), "no second review form");

    let nothing = get("actor=nobody-at-all").await;
    assert_eq!(nothing.status(), 200);
    assert!(nothing.text().await.unwrap().contains("No entries match these filters."));
    for bad in ["unreviewed=maybe", "action=auth.nonsense", "from=someday"] {
        let response = get(bad).await;
        assert_eq!(response.status(), 422, "{bad}");
        assert!(response.text().await.unwrap().contains("Nothing is shown until the filters are corrected"), "{bad}");
    }
    for odd in ["before=abc", "actor=%27%3B%20drop%20table%20audit_log%3B--", "case=%00", "limit=-5"] {
        assert!(get(odd).await.status().as_u16() < 500, "{odd}");
    }
}

/// Details read as sentences with people's names (the raw JSON stays in the API, with the
/// words beside it), the case filter finds a case by reference and refuses what cannot be
/// one with a message, and "unreviewed" keeps only decisions nobody has reviewed.
#[tokio::test]
async fn the_audit_page_tells_details_in_words_and_refuses_a_case_filter_that_cannot_match() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let other_supervisor = app.staff(&[Role::Supervisor]).await;
    let handler = app.staff(&[Role::Handler]).await;
    let second_handler = app.staff(&[Role::Handler]).await;
    let names = [
        (&supervisor, "Thida Win"),
        (&other_supervisor, "Mya Lead"),
        (&handler, "Aung Handler"),
        (&second_handler, "Ko Second"),
    ];
    for (user, name) in names {
        sqlx::query("update staff_user set display_name = $2 where staff_user_id = $1")
            .bind(user.id.parse::<uuid::Uuid>().unwrap())
            .bind(name)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "help", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let reference = filed["reference"].as_str().unwrap().to_owned();
    let case_id: uuid::Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let token = app.token(&handler).await;
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let triage = json!({"severity": "high", "kind": "relocation", "rationale": "Threats at home"});
    assert_eq!(app.post_json(&format!("/api/v1/cases/{case_id}/triage"), Some(&token), &triage).await.status(), 200);
    // A reassignment as the case page records it: staff ids in the details.
    let by: uuid::Uuid = other_supervisor.id.parse().unwrap();
    let reassigned = NewEntry::new(Actor::Staff(by), AuditAction::CaseReassigned)
        .subject(Subject { kind: "case", id: case_id.to_string() })
        .details(json!({"from": handler.id, "to": second_handler.id, "state": "active"}))
        .rationale(audit::SealedRationale::general(&app.cases.keys, "Handler on leave").unwrap());
    audit::record_alone(&app.db, reassigned, app.clock.now()).await.unwrap();

    let browser = app.browser(&supervisor).await;
    let get = |query: String| {
        let url = format!("{}/staff/audit?{query}", app.address);
        let browser = browser.clone();
        async move { browser.get(url).send().await.unwrap() }
    };
    let page =
        get(format!("case={}", reference.to_lowercase())).await.expect_text(StatusCode::OK, "open the page").await;
    assert!(page.contains("Reassigned the case from Aung Handler to Ko Second."), "names in the details");
    assert!(page.contains("Triaged: high severity, relocation"), "a sentence for a triage");
    assert!(page.contains("Handler on leave"), "the rationale, opened for a supervisor");
    assert!(page.contains(&format!("case {reference}")) && page.contains("Mya Lead"));
    for id in [&handler.id, &second_handler.id, &other_supervisor.id] {
        assert!(!page.contains(id.as_str()), "no staff ids on the page");
    }
    assert!(!page.contains("{&quot;") && !page.contains("{\""), "no raw JSON");

    let waiting = get(format!("case={reference}&unreviewed=true")).await.expect_text(StatusCode::OK, "open").await;
    // Actions read in words; each cell keeps the dotted name in `data-action`.
    assert!(waiting.contains("data-action=\"case.reassigned\"") && waiting.contains("data-action=\"case.triaged\""));
    assert!(waiting.contains(">Case reassigned<") && waiting.contains(">Case triaged<"), "the actions in words");
    assert!(
        !waiting.contains("data-action=\"case.created\"") && !waiting.contains("data-action=\"case.claimed\""),
        "decisions only"
    );

    let bad = get("case=not%20a%20case!".to_owned()).await;
    assert_eq!(bad.status(), 422);
    let bad = bad.text().await.unwrap();
    assert!(
        bad.contains("is not a case reference") && bad.contains("Nothing is shown until the filters are corrected")
    );
    let unknown = get("case=SH-0000-0000".to_owned()).await.expect_text(StatusCode::OK, "open").await;
    assert!(unknown.contains("No entries match these filters."), "a well-formed reference of no case");

    // The API keeps its fields and adds the words.
    let api = app.token(&supervisor).await;
    let listed: Value = app
        .get_api(&format!("/api/v1/audit?case={reference}&action=case.reassigned"), &api)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    let entry = &listed["entries"][0];
    assert_eq!(entry["details"]["to"], json!(second_handler.id), "the raw details unchanged");
    assert_eq!(entry["subject_id"], json!(case_id.to_string()));
    assert_eq!(entry["summary"], json!("Reassigned the case from Aung Handler to Ko Second."));
    assert_eq!(entry["subject_label"], json!(reference));
}

/// The verify hashes batches of entries on several threads: a fault deep in a later batch,
/// and a sealed rationale and a read's access entry appended in PostgreSQL, are seen alike.
#[tokio::test]
async fn verify_names_a_fault_past_its_first_batches_and_the_appends_hash_as_the_chain_does() {
    let app = TestApp::spawn().await;
    let sealed = audit::SealedRationale::general(&app.cases.keys, "bail hearing tomorrow").unwrap();
    let decision = NewEntry::new(Actor::System, AuditAction::LegalHoldPlaced).rationale(sealed);
    let mut tx = app.db.begin().await.unwrap();
    let first = audit::record(&mut tx, decision, app.clock.now()).await.unwrap();
    tx.commit().await.unwrap();
    let read = NewEntry::new(Actor::System, AuditAction::CaseRead).subject(Subject { kind: "case", id: "c".into() });
    let second = app.cases.reads.append(&mut app.db.acquire().await.unwrap(), read, app.clock.now()).await.unwrap();
    assert_eq!((first.seq, second.seq), (1, 2));
    let entries: Vec<NewEntry> = (0..5_000)
        .map(|i| {
            NewEntry::new(Actor::System, AuditAction::UserUnlocked).details(json!({"n": i, "z": {"b": 1, "a": 2}}))
        })
        .collect();
    let mut tx = app.db.begin().await.unwrap();
    audit::record_all(&mut tx, entries, app.clock.now()).await.unwrap();
    tx.commit().await.unwrap();
    append(&app, 1).await;
    let report = verify(&app.db, None).await.unwrap();
    assert_eq!((report.fault, report.entries), (None, 5_003));
    tamper(&app, "update audit_log set details = '{\"n\": -1}' where seq = 4500").await;
    assert_eq!(fault(&app).await, Some(Fault::Altered { seq: 4500 }));
}

/// The name filter finds what a person did and what was done about them: their account
/// disabled by an administrator, a case reassigned to them; not what concerns others.
#[tokio::test]
async fn the_name_filter_also_finds_entries_about_the_person() {
    let app = TestApp::spawn().await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let admin = app.staff(&[Role::Admin]).await;
    let target = app.staff(&[Role::Handler]).await;
    let other = app.staff(&[Role::Handler]).await;
    for (user, name) in [(&admin, "Daw Admin"), (&target, "Ko Target"), (&other, "Ma Other")] {
        sqlx::query("update staff_user set display_name = $2 where staff_user_id = $1")
            .bind(user.id.parse::<uuid::Uuid>().unwrap())
            .bind(name)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let case_id = uuid::Uuid::new_v4();
    let by: uuid::Uuid = supervisor.id.parse().unwrap();
    for (from, to) in [(&other.id, &target.id), (&target.id, &other.id)] {
        let entry = NewEntry::new(Actor::Staff(by), AuditAction::CaseReassigned)
            .subject(Subject { kind: "case", id: case_id.to_string() })
            .details(json!({"from": from, "to": to, "state": "active"}))
            .rationale(audit::SealedRationale::general(&app.cases.keys, "Workload").unwrap());
        audit::record_alone(&app.db, entry, app.clock.now()).await.unwrap();
    }
    // Unrelated to Ko Target: a reassignment between nobody and Ma Other.
    let entry = NewEntry::new(Actor::Staff(by), AuditAction::CaseReassigned)
        .subject(Subject { kind: "case", id: case_id.to_string() })
        .details(json!({"from": null, "to": other.id, "state": "active"}))
        .rationale(audit::SealedRationale::general(&app.cases.keys, "First assignment").unwrap());
    audit::record_alone(&app.db, entry, app.clock.now()).await.unwrap();
    let token = app.token(&admin).await;
    let code = app.next_totp(&admin);
    app.post_json("/api/v1/auth/step-up", Some(&token), &json!({"totp": code}))
        .await
        .expect_status(StatusCode::NO_CONTENT, "step up")
        .await;
    app.post_json(&format!("/api/v1/admin/users/{}/disable", target.id), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::NO_CONTENT, "disable Ko Target")
        .await;

    let browser = app.browser(&supervisor).await;
    for who in ["Ko Target", "ko targ", target.email.as_str()] {
        let url = format!(
            "{}/staff/audit?actor={}",
            app.address,
            url::form_urlencoded::byte_serialize(who.as_bytes()).collect::<String>()
        );
        let page = browser.get(url).send().await.unwrap().expect_text(StatusCode::OK, "filter by name").await;
        assert!(
            page.contains("data-action=\"user.disabled\"") && page.contains("Daw Admin"),
            "{who}: the account disabled"
        );
        assert!(page.contains("Reassigned the case from Ma Other to Ko Target."), "{who}: a case reassigned to them");
        assert!(page.contains("Reassigned the case from Ko Target to Ma Other."), "{who}: and away from them");
        assert!(!page.contains("Reassigned the case from nobody to Ma Other."), "{who}: not others' entries");
    }
    // The API answers the same question.
    let api = app.token(&supervisor).await;
    let listed: Value = app
        .get_api(&format!("/api/v1/audit?actor={}&action=user.disabled", target.email), &api)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    assert_eq!(listed["entries"].as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed["entries"][0]["actor_id"], json!(admin.id));
    let other_only: Value = app
        .get_api(&format!("/api/v1/audit?actor={}&action=user.disabled", other.email), &api)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    assert_eq!(other_only["entries"].as_array().map(Vec::len), Some(0), "Ma Other's account was never touched");
}
