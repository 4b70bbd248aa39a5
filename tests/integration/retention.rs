//! Retention and purge on the manual clock: what a purge destroys (every table checked by
//! listing its columns), what it keeps (statistics, the audit trail), legal holds and
//! their second supervisor, the requester's own deletion, preview, parallel runs, the
//! purge log and its re-application to a restored database.

use std::sync::Arc;

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::config::RetentionSettings;
use shelter_server::retention::{Retention, reapply_purge_log};
use shelter_shared::staff::Role;
use sqlx::{ConnectOptions, Connection, PgConnection};
use uuid::Uuid;

use crate::grants::{Member, act, member, payment, propose, step_up, world};
use crate::helpers::{TestApp, fresh_database};
use crate::staff::Expect as _;

/// Tables are named by the catalogue, never by a list here that could go stale: every
/// `bytea` column of every table tied to the case (by `case_id`, or through its grants or
/// referrals) that still holds a value for it. The audit trail is not tied by `case_id`:
/// its entries are never rewritten (checked separately: their rationales no longer open).
async fn ciphertexts_left(conn: &mut PgConnection, case_id: Uuid) -> Vec<String> {
    let columns: Vec<(String, String)> = sqlx::query_as(
        "select c.table_name::text, c.column_name::text from information_schema.columns c
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
         where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.data_type = 'bytea'
         order by 1, 2",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut left = vec![];
    for (table, column) in columns {
        let links: Vec<String> = sqlx::query_scalar(
            "select column_name::text from information_schema.columns
             where table_schema = 'public' and table_name = $1 and column_name in ('case_id', 'grant_id', 'referral_id')",
        )
        .bind(&table)
        .fetch_all(&mut *conn)
        .await
        .unwrap();
        let link = if links.iter().any(|l| l == "case_id") {
            "case_id = $1"
        } else if links.iter().any(|l| l == "grant_id") {
            "grant_id in (select grant_id from grants where case_id = $1)"
        } else if links.iter().any(|l| l == "referral_id") {
            "referral_id in (select referral_id from referral where case_id = $1)"
        } else {
            continue;
        };
        let sql = format!("select count(*) from \"{table}\" where {link} and \"{column}\" is not null");
        let count: i64 = sqlx::query_scalar(&sql).bind(case_id).fetch_one(&mut *conn).await.unwrap();
        if count > 0 {
            left.push(format!("{table}.{column}"));
        }
    }
    left
}

/// Tables (by the catalogue) whose rows, as text, contain `needle`.
async fn tables_containing(conn: &mut PgConnection, needle: &str) -> Vec<String> {
    let tables: Vec<String> = sqlx::query_scalar(
        "select table_name::text from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap();
    let mut found = vec![];
    for table in tables {
        let sql = format!("select count(*) from \"{table}\" t where t::text like '%' || $1 || '%'");
        let count: i64 = sqlx::query_scalar(&sql).bind(needle).fetch_one(&mut *conn).await.unwrap();
        if count > 0 {
            found.push(table);
        }
    }
    found
}

async fn verify_trail(app: &TestApp) {
    let report = shelter_server::audit::verify::verify(&app.db, None).await.unwrap();
    assert!(report.fault.is_none(), "audit verify: {:?}", report.fault);
}

async fn purged_entries(app: &TestApp, case_id: Uuid) -> i64 {
    sqlx::query_scalar("select count(*) from audit_log where action = 'case.purged' and subject_id = $1")
        .bind(case_id.to_string())
        .fetch_one(&app.db)
        .await
        .unwrap()
}

async fn is_purged(app: &TestApp, case_id: Uuid) -> bool {
    sqlx::query_scalar("select purged_at is not null from cases where case_id = $1")
        .bind(case_id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// A fresh API session for `member` (the clock moved past the old one's lifetime).
async fn again(app: &TestApp, member: &mut Member) {
    member.token = app.token(&member.user).await;
}

/// Files a request and closes it with `outcome` as a claiming handler; (case id, reference, passphrase).
async fn closed_case(app: &TestApp, handler: &Member, outcome: &str) -> (Uuid, String, String) {
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "retention-narrative-4242", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let reference = filed["reference"].as_str().unwrap().to_owned();
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(&reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    // An address for news, as a requester leaves one where news is offered: the purge must take it.
    sqlx::query(
        "insert into requester_notice_contact (case_id, channel, address_sealed, language, created_at)
         values ($1, 'email', '\\x0102030405', 'th', now())",
    )
    .bind(case_id)
    .execute(&app.db)
    .await
    .unwrap();
    let path = |action: &str| format!("/api/v1/cases/{case_id}/{action}");
    assert_eq!(app.post_json(&path("claim"), Some(&handler.token), &json!({})).await.status(), StatusCode::OK);
    let triage = json!({"severity": "medium", "kind": "threat_attack", "rationale": "threats by phone"});
    assert_eq!(app.post_json(&path("triage"), Some(&handler.token), &triage).await.status(), StatusCode::OK);
    let close = json!({"outcome": outcome, "rationale": "closing for the test"});
    assert_eq!(app.post_json(&path("close"), Some(&handler.token), &close).await.status(), StatusCode::OK);
    (case_id, reference, filed["passphrase"].as_str().unwrap().to_owned())
}

async fn hold(app: &TestApp, by: &Member, case_id: Uuid, action: &str) -> reqwest::Response {
    let path = format!("/api/v1/cases/{case_id}/legal-hold{action}");
    app.post_json(&path, Some(&by.token), &json!({"rationale": "a court ordered the records kept"})).await
}

/// The portal's answer (status, error code and message) to a sign-in.
async fn portal_answer(app: &TestApp, reference: &str, passphrase: &str) -> (StatusCode, Value) {
    let body = json!({"reference": reference, "passphrase": passphrase});
    let response = app.post_json("/api/v1/requester/token", None, &body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    (status, json!({"code": body["error"]["code"], "message": body["error"]["message"], "token": body["token"]}))
}

fn stats(register: &Value) -> Value {
    json!({"by_fund": register["by_fund"], "by_category": register["by_category"],
           "by_country": register["by_country"], "by_month": register["by_month"], "funds": register["funds"]})
}

#[tokio::test]
async fn a_purged_case_keeps_only_its_skeleton_statistics_and_a_trail_that_verifies() {
    let app = TestApp::spawn().await;
    let mut w = world(&app, "high").await;
    let grant = propose(&app, &w, "3,000.00").await;
    for supervisor in &w.supervisors[..2] {
        let approved = act(&app, supervisor, &grant, "approve", json!({"rationale": "verified by vouchers"})).await;
        assert_eq!(approved.status(), StatusCode::NO_CONTENT);
    }
    assert_eq!(act(&app, &w.finance[0], &grant, "disburse", payment("INV-7781")).await.status(), StatusCode::CREATED);
    let case_path = |action: &str| format!("/api/v1/cases/{}/{action}", w.case_id);
    let note = json!({"body": "retention-note-5151"});
    assert_eq!(app.post_json(&case_path("notes"), Some(&w.handler.token), &note).await.status(), StatusCode::CREATED);
    let message = json!({"body": "retention-message-6161"});
    app.post_json(&case_path("messages"), Some(&w.handler.token), &message)
        .await
        .expect_status(StatusCode::CREATED, "message the requester")
        .await;
    app.post_json("/api/v1/requester/messages", Some(&w.requester), &json!({"body": "thank you"}))
        .await
        .expect_status(StatusCode::CREATED, "the requester messages")
        .await;
    let uploaded = crate::attachments::upload(&app, &w.requester, "photo.jpg", crate::attachments::jpeg_with_exif());
    assert_eq!(uploaded.await.status(), StatusCode::CREATED);
    let close = json!({"outcome": "resolved", "rationale": "released; fees paid"});
    assert_eq!(app.post_json(&case_path("close"), Some(&w.handler.token), &close).await.status(), StatusCode::OK);
    let supervisor = &w.supervisors[2];
    let register_before: Value = app
        .get_api("/api/v1/grants", &supervisor.token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    let reference: String = sqlx::query_scalar("select reference from cases").fetch_one(&app.db).await.unwrap();
    let passphrase_row: Option<String> =
        sqlx::query_scalar("select passphrase_hash from cases").fetch_one(&app.db).await.unwrap();
    assert!(passphrase_row.is_some());

    let mut owner = app.owner().await;
    let before = ciphertexts_left(&mut owner, w.case_id).await;
    for expected in [
        "cases.sealed_key",
        "case_field.ciphertext",
        "case_message.ciphertext",
        "case_note.ciphertext",
        "case_attachment.content_sealed",
        "grants.payee_sealed",
        "grant_decision.rationale_sealed",
    ] {
        assert!(before.contains(&expected.to_owned()), "the check sees {expected} before the purge: {before:?}");
    }
    assert!(!tables_containing(&mut owner, "Lawyer K").await.is_empty(), "the payee alias is stored in plain");

    // Not before the schedule: resolved cases keep their data 24 months after closing.
    app.clock.advance(Duration::days(365));
    assert_eq!(app.retention.run().await.unwrap().purged, 0);
    assert!(!is_purged(&app, w.case_id).await);
    app.clock.advance(Duration::days(366));
    let report = app.retention.run().await.unwrap();
    assert_eq!((report.purged, report.payment_references_erased), (1, 0));

    assert_eq!(ciphertexts_left(&mut owner, w.case_id).await, Vec::<String>::new(), "every ciphertext is gone");
    assert_eq!(tables_containing(&mut owner, "Lawyer K").await, Vec::<String>::new(), "no payee alias left");
    let sealed_rationales: i64 =
        sqlx::query_scalar("select count(*) from audit_log where rationale_case = $1 and rationale_sealed is not null")
            .bind(w.case_id)
            .fetch_one(&mut owner)
            .await
            .unwrap();
    assert!(sealed_rationales > 0, "the trail keeps its entries as they were");
    verify_trail(&app).await;
    assert_eq!(purged_entries(&app, w.case_id).await, 1, "the purge is audited once");

    // Statistics: the register's totals and the funds are the same; the skeleton stays.
    let mut supervisor = Member { user: w.supervisors.remove(2).user, token: String::new() };
    again(&app, &mut supervisor).await;
    let register_after: Value = app
        .get_api("/api/v1/grants", &supervisor.token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert_eq!(stats(&register_after), stats(&register_before));
    let line = register_after["grants"].as_array().unwrap().iter().find(|g| g["grant_id"] == grant.as_str()).unwrap();
    assert_eq!((line["amount_minor"].as_i64(), line["category"].as_str()), (Some(300_000), Some("legal_fees")));
    assert_eq!(line["status"], "disbursed", "the paid grant's accounting record stays");
    let case: Value = app
        .get_api(&format!("/api/v1/cases/{}", w.case_id), &supervisor.token)
        .await
        .expect_json(StatusCode::OK, "read the case")
        .await;
    assert_eq!((case["kind"].as_str(), case["country"].as_str()), (Some("arrest_detention"), Some("MM")));
    assert_eq!((case["outcome"].as_str(), case["severity"].as_str()), (Some("resolved"), Some("high")));
    assert!(case["purged_at"].is_string());
    assert_eq!(case["fields"], json!([]));
    assert_eq!(case["messages"], json!([]));
    let shredded =
        case["timeline"].as_array().unwrap().iter().filter(|e| e["rationale"] == "(shredded with its case)").count();
    assert!(shredded > 0, "rationales sealed with the case key no longer open");
    let browser = app.browser(&supervisor.user).await;
    let page = browser.get(format!("{}/staff/cases/{}", app.address, w.case_id)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    let today = shelter_server::clock::Clock::now(&app.clock).format("%Y-%m-%d").to_string();
    assert!(page.contains(&format!("purged on {today}")), "{page}");
    assert!(page.contains("legal_fees") && !page.contains("Lawyer K"));
    // Nothing more can be done to it.
    let reopen = json!({"rationale": "new facts"});
    assert_eq!(
        app.post_json(&format!("/api/v1/cases/{}/reopen", w.case_id), Some(&supervisor.token), &reopen).await.status(),
        StatusCode::CONFLICT
    );

    // The portal answers the purged reference exactly as an unknown one.
    let passphrase = "unused words for the unknown reference";
    let unknown = portal_answer(&app, "SH-ZZZZ-ZZZZ", passphrase).await;
    assert_eq!(unknown.0, StatusCode::UNAUTHORIZED);
    assert_eq!(portal_answer(&app, &reference, passphrase).await, unknown);
    assert_eq!(app.get_api("/api/v1/requester/case", &w.requester).await.status(), StatusCode::UNAUTHORIZED);
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build();
    let client = client.unwrap();
    let for_unknown = app.portal_form(&client, "SH-ZZZZ-ZZZZ", passphrase).await;
    let (status, html) = (for_unknown.status(), for_unknown.text().await.unwrap());
    let for_purged = app.portal_form(&client, &reference, passphrase).await;
    assert_eq!(for_purged.status(), status);
    assert_eq!(for_purged.text().await.unwrap(), html, "the same page, word for word");

    // After the accounting period the payment's external reference goes; the amounts stay.
    assert!(!tables_containing(&mut owner, "INV-7781").await.is_empty());
    app.clock.advance(Duration::days(7 * 366));
    let report = app.retention.run().await.unwrap();
    assert_eq!((report.purged, report.payment_references_erased), (0, 1));
    assert_eq!(tables_containing(&mut owner, "INV-7781").await, Vec::<String>::new());
    again(&app, &mut supervisor).await;
    let register_late: Value = app
        .get_api("/api/v1/grants", &supervisor.token)
        .await
        .expect_json(StatusCode::OK, "read the grant register")
        .await;
    assert_eq!(stats(&register_late), stats(&register_before), "amounts stay as statistics");
    verify_trail(&app).await;
    // A payment's other columns stay append-only, even for the owner's role in the app.
    let changed = sqlx::query("update disbursement set paid_minor = 1").execute(&app.db).await;
    assert!(changed.is_err(), "payments never change");
}

#[tokio::test]
async fn a_purge_takes_the_case_s_link_to_its_member_and_what_it_wrote_on_the_member_s_timeline() {
    let app = TestApp::spawn().await;
    let mut w = world(&app, "high").await;
    let member = json!({"names": ["Daw Hla"], "country": "MM", "cohort_year": 2019,
                        "status": {"status": "detained", "date": "2026-02-01", "source": "registry-source", "note": "registry-note"}});
    let added: Value = app
        .post_json("/api/v1/alumni", Some(&w.admin.token), &member)
        .await
        .expect_json(StatusCode::CREATED, "add an alumni member")
        .await;
    let member_id = added["id"].as_str().unwrap().to_owned();
    let case_path = |action: &str| format!("/api/v1/cases/{}/{action}", w.case_id);
    let link = json!({"member_id": member_id, "rationale": "the requester named the 2019 cohort"});
    assert_eq!(app.post_json(&case_path("alumni"), Some(&w.supervisors[0].token), &link).await.status(), 204);
    let bail =
        json!({"status": "active", "date": "2026-03-05", "source": "lawyer-source-7373", "note": "bail-note-7373"});
    assert_eq!(app.post_json(&case_path("alumni/status"), Some(&w.handler.token), &bail).await.status(), 204);
    let close = json!({"outcome": "resolved", "rationale": "released on bail"});
    assert_eq!(app.post_json(&case_path("close"), Some(&w.handler.token), &close).await.status(), StatusCode::OK);
    let mut owner = app.owner().await;
    let before = ciphertexts_left(&mut owner, w.case_id).await;
    for expected in ["alumni_status.note_sealed", "alumni_status.source_sealed"] {
        assert!(before.contains(&expected.to_owned()), "the check sees {expected} before the purge: {before:?}");
    }

    app.clock.advance(Duration::days(731));
    assert_eq!(app.retention.run().await.unwrap().purged, 1);
    assert_eq!(ciphertexts_left(&mut owner, w.case_id).await, Vec::<String>::new(), "every ciphertext is gone");
    let links: i64 = sqlx::query_scalar("select count(*) from alumni_case_link where case_id = $1")
        .bind(w.case_id)
        .fetch_one(&mut owner)
        .await
        .unwrap();
    assert_eq!(links, 0, "nothing says any more whom the case concerned");
    // The member's history stays: the status and its date; what the case said went with it.
    let entries: Vec<(String, chrono::NaiveDate, bool, Option<Uuid>)> = sqlx::query_as(
        "select status, status_date, source_sealed is null and note_sealed is null, case_id from alumni_status
         where member_id = $1::uuid order by status_date",
    )
    .bind(&member_id)
    .fetch_all(&mut owner)
    .await
    .unwrap();
    let day = |d: &str| d.parse::<chrono::NaiveDate>().unwrap();
    assert_eq!(
        entries,
        [("detained".into(), day("2026-02-01"), false, None), ("active".into(), day("2026-03-05"), true, None)]
    );
    again(&app, &mut w.supervisors[1]).await;
    let seen: Value = app
        .get_api(&format!("/api/v1/alumni/{member_id}"), &w.supervisors[1].token)
        .await
        .expect_json(StatusCode::OK, "read the member")
        .await;
    assert_eq!(
        seen["details"]["timeline"],
        json!([{"status": "active", "date": "2026-03-05", "source": "", "note": "", "case_id": null},
               {"status": "detained", "date": "2026-02-01", "source": "registry-source", "note": "registry-note", "case_id": null}])
    );
    assert_eq!(seen["details"]["cases"], json!([]));
    verify_trail(&app).await;
}

#[tokio::test]
async fn a_held_case_survives_and_only_a_second_supervisor_lifts_the_hold() {
    let app = TestApp::spawn().await;
    let handler = member(&app, Role::Handler).await;
    let mut first = member(&app, Role::Supervisor).await;
    let mut second = member(&app, Role::Supervisor).await;
    let (case_id, reference, passphrase) = closed_case(&app, &handler, "declined").await;
    assert_eq!(hold(&app, &handler, case_id, "").await.status(), StatusCode::FORBIDDEN, "handlers do not hold");
    let empty = json!({"rationale": "  "});
    let path = format!("/api/v1/cases/{case_id}/legal-hold");
    assert_eq!(app.post_json(&path, Some(&first.token), &empty).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Placed with the case page's own form (JavaScript off, CSRF token from the page).
    let placer = app.browser(&first.user).await;
    let case_page = format!("{}/staff/cases/{case_id}", app.address);
    let page = placer.get(&case_page).send().await.unwrap().expect_text(StatusCode::OK, "open the page").await;
    assert!(page.contains(&format!(r#"action="/staff/cases/{case_id}/legal-hold""#)), "the place form is drawn");
    let csrf = crate::staff::csrf_in(&page);
    let form = [("csrf", csrf.as_str()), ("rationale", "a court ordered the records kept")];
    let placed = placer.post(format!("{case_page}/legal-hold")).form(&form).send().await.unwrap();
    assert_eq!(placed.status(), StatusCode::SEE_OTHER);
    let page = placer.get(&case_page).send().await.unwrap().expect_text(StatusCode::OK, "open the page").await;
    assert!(page.contains("Under a legal hold placed by") && !page.contains("/legal-hold/lift"), "{page}");
    assert_eq!(hold(&app, &second, case_id, "").await.status(), StatusCode::CONFLICT, "one hold at a time");
    step_up(&app, &first).await;
    let own = hold(&app, &first, case_id, "/lift").await;
    assert_eq!(own.status(), StatusCode::FORBIDDEN, "the supervisor who placed it cannot lift it");
    let text = own.text().await.unwrap();
    assert!(text.contains("second supervisor"), "{text}");

    app.clock.advance(Duration::days(91));
    let preview = app.retention.preview(100).await.unwrap();
    assert!(preview.iter().all(|d| d.case.case_id != case_id), "a held case is not due");
    assert_eq!(app.retention.run().await.unwrap().purged, 0);
    assert!(!is_purged(&app, case_id).await, "held: it survives its schedule");
    again(&app, &mut first).await;
    again(&app, &mut second).await;
    let overview: Value = app
        .get_api("/api/v1/retention", &second.token)
        .await
        .expect_json(StatusCode::OK, "read the retention overview")
        .await;
    assert_eq!(overview["holds"][0]["case_id"], case_id.to_string(), "held cases are listed for supervisors");
    assert_eq!(overview["schedule"]["declined_days"], 90);
    let browser = app.browser(&second.user).await;
    let page = browser
        .get(format!("{}/staff/retention", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/retention")
        .await;
    assert!(page.contains(&format!("/staff/cases/{case_id}/legal-hold/lift")), "the lift form is drawn: {page}");
    let page = browser.get(&case_page).send().await.unwrap().expect_text(StatusCode::OK, "open the page").await;
    assert!(page.contains(&format!("/staff/cases/{case_id}/legal-hold/lift")), "and on the case page");
    let admin = app.browser(&app.staff(&[Role::Admin]).await).await;
    let page = admin
        .get(format!("{}/staff/retention", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/retention")
        .await;
    assert!(page.contains(&reference), "administrators see the held cases");
    assert!(!page.contains(&format!("/staff/cases/{case_id}")), "but no link to a case they may not open, no lift");
    let placer = app.browser(&first.user).await;
    let page = placer
        .get(format!("{}/staff/retention", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/retention")
        .await;
    assert!(!page.contains("/legal-hold/lift"), "not for the one who placed it");

    // A sign-in's second factor counts as fresh for five minutes; past them it must be confirmed again.
    app.clock.advance(Duration::minutes(6));
    let unstepped = hold(&app, &second, case_id, "/lift").await;
    assert_eq!(unstepped.status(), StatusCode::FORBIDDEN, "lifting needs a step-up");
    step_up(&app, &second).await;
    assert_eq!(hold(&app, &second, case_id, "/lift").await.status(), StatusCode::NO_CONTENT);
    let entries: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where subject_id = $1 and action like 'case.legal_hold%' order by seq",
    )
    .bind(case_id.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(entries, ["case.legal_hold_placed", "case.legal_hold_lifted"]);
    assert_eq!(app.retention.run().await.unwrap().purged, 1, "a lifted hold lets it go");
    assert!(is_purged(&app, case_id).await);
    assert_eq!(hold(&app, &first, case_id, "").await.status(), StatusCode::CONFLICT, "nothing left to hold");
    // Its own passphrase opens nothing: the answer is the unknown reference's.
    let unknown = portal_answer(&app, "SH-ZZZZ-ZZZZ", &passphrase).await;
    assert_eq!(portal_answer(&app, &reference, &passphrase).await, unknown);
    assert_eq!(unknown.0, StatusCode::UNAUTHORIZED);
    verify_trail(&app).await;
}

#[tokio::test]
async fn the_requester_deletes_their_request_after_the_cooling_off_and_may_cancel_meanwhile() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "please forget me", "country": "LA"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let token = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let deletion = format!("{}/api/v1/requester/deletion", app.address);
    let asked = app.client.post(&deletion).bearer_auth(&token).send().await.unwrap();
    assert_eq!(asked.status(), StatusCode::ACCEPTED);
    let due = asked.json::<Value>().await.unwrap()["purge_after"].as_str().unwrap().to_owned();
    let status = app
        .client
        .get(&deletion)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .expect_json(StatusCode::OK, "read the deletion request")
        .await;
    assert_eq!(status["purge_after"].as_str(), Some(due.as_str()));

    app.clock.advance(Duration::days(6));
    assert_eq!(app.retention.run().await.unwrap().purged, 0, "still cooling off");
    let token = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    let cancelled = app.client.post(format!("{deletion}/cancel")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(cancelled.status(), StatusCode::NO_CONTENT);
    let again = app.client.post(format!("{deletion}/cancel")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT, "nothing left to cancel");
    app.clock.advance(Duration::days(2));
    assert_eq!(app.retention.run().await.unwrap().purged, 0, "cancelled: kept");

    // Asked again, with JavaScript off: the portal's plain forms.
    let browser =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    let signed_in =
        app.portal_form(&browser, filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap());
    assert_eq!(signed_in.await.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(format!("{}/status/case?lang=vi", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=vi")
        .await;
    assert!(page.contains("Xóa yêu cầu của tôi"), "in the requester's language");
    let csrf = crate::staff::csrf_in(&page);
    let posted = browser
        .post(format!("{}/status/deletion?lang=vi", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(format!("{}/status/case?lang=vi", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=vi")
        .await;
    assert!(page.contains("/status/deletion/cancel?lang=vi") && page.contains("Giữ lại yêu cầu của tôi"), "{page}");

    app.clock.advance(Duration::days(7) - Duration::minutes(1));
    assert_eq!(app.retention.run().await.unwrap().purged, 0);
    app.clock.advance(Duration::minutes(2));
    let preview = app.retention.preview(10).await.unwrap();
    assert_eq!(preview.len(), 1);
    assert_eq!(preview[0].reason.as_str(), "requested");
    assert_eq!(app.retention.run().await.unwrap().purged, 1, "purged after the cooling-off, though never closed");
    assert!(is_purged(&app, case_id).await);
    let outcome: Option<String> = sqlx::query_scalar("select outcome from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(outcome.as_deref(), Some("withdrawn"));
    let sessions: i64 = sqlx::query_scalar("select count(*) from requester_session where case_id = $1")
        .bind(case_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(sessions, 0, "its portal sessions went with it");
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'case.deletion%' order by seq")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(actions, ["case.deletion_requested", "case.deletion_cancelled", "case.deletion_requested"]);
    verify_trail(&app).await;
}

#[tokio::test]
async fn preview_changes_nothing_and_two_runs_at_once_purge_each_case_once() {
    let app = TestApp::spawn().await;
    let handler = member(&app, Role::Handler).await;
    let mut cases = vec![];
    for outcome in ["declined", "duplicate", "withdrawn", "declined", "resolved"] {
        cases.push(closed_case(&app, &handler, outcome).await.0);
    }
    app.clock.advance(Duration::days(91));
    let mut owner = app.owner().await;
    let snapshot = async |conn: &mut PgConnection| -> (String, i64) {
        let cases: String = sqlx::query_scalar("select string_agg(c::text, ',' order by case_id) from cases c")
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        let entries: i64 = sqlx::query_scalar("select count(*) from audit_log").fetch_one(&mut *conn).await.unwrap();
        (cases, entries)
    };
    let before = snapshot(&mut owner).await;
    let preview = app.retention.preview(100).await.unwrap();
    let mut listed: Vec<Uuid> = preview.iter().map(|d| d.case.case_id).collect();
    listed.sort();
    let mut short: Vec<Uuid> = cases[..4].to_vec();
    short.sort();
    assert_eq!(listed, short, "the four short outcomes, not the resolved case");
    let overview = app.retention.overview(Uuid::new_v4()).await.unwrap();
    assert_eq!((overview.due.len(), overview.due_total), (4, 4));
    assert_eq!(snapshot(&mut owner).await, before, "a preview changes nothing");

    // Two processes: two services on their own connections, one purge log.
    let settings = RetentionSettings::default();
    let key = app._data_dir.path().join("master.key");
    let clock: Arc<dyn shelter_server::clock::Clock> = Arc::new(app.clock.clone());
    let one = Retention::new(app.db.clone(), clock.clone(), &settings, &key);
    let two = Retention::new(app.db.clone(), clock, &settings, &key);
    let (a, b) = tokio::join!(one.run(), two.run());
    assert_eq!(a.unwrap().purged + b.unwrap().purged, 4);
    for case in &cases[..4] {
        assert_eq!(purged_entries(&app, *case).await, 1, "one purge, one entry");
    }
    assert!(!is_purged(&app, cases[4]).await);
    let log = app.retention.log.read().unwrap();
    assert_eq!(log.len(), 4, "each purged case in the log");
    assert!(cases[..4].iter().all(|c| log.contains_key(c)));
    verify_trail(&app).await;
}

#[tokio::test]
async fn a_restored_backup_from_before_a_purge_loses_the_case_again_when_the_log_is_reapplied() {
    let app = TestApp::spawn().await;
    let handler = member(&app, Role::Handler).await;
    let (purged, _, _) = closed_case(&app, &handler, "declined").await;
    let (kept, _, _) = closed_case(&app, &handler, "resolved").await;
    // The backup, with the real pg_dump, before the purge.
    let options = &app.owner_options;
    let database = options.get_database().unwrap().to_owned();
    let dump = std::process::Command::new("pg_dump")
        .args(["--no-owner", "--host", options.get_host(), "--port", &options.get_port().to_string()])
        .args(["--username", options.get_username(), &database])
        .output()
        .expect("run pg_dump");
    assert!(dump.status.success(), "{}", String::from_utf8_lossy(&dump.stderr));

    app.clock.advance(Duration::days(91));
    assert_eq!(app.retention.run().await.unwrap().purged, 1);
    let log = app.retention.log.path().to_path_buf();
    assert_eq!(log.file_name().and_then(|n| n.to_str()), Some("purged.log"));
    assert_eq!(log.parent(), Some(app._data_dir.path()), "beside the master key");
    assert!(std::fs::read_to_string(&log).unwrap().contains(&purged.to_string()));

    // Restore into an empty database: the purged case is back, until the log is applied.
    let (restored, _db) = fresh_database().await;
    let mut psql = std::process::Command::new("psql")
        .args(["--quiet", "--set", "ON_ERROR_STOP=1", "--host", options.get_host()])
        .args(["--port", &options.get_port().to_string(), "--username", options.get_username()])
        .arg(database_name(&restored))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("run psql");
    std::io::Write::write_all(&mut psql.stdin.take().unwrap(), &dump.stdout).unwrap();
    assert!(psql.wait().unwrap().success());
    let pool = shelter_server::db::pool(restored.clone(), 2);
    let present = |id: Uuid| {
        let pool = pool.clone();
        async move {
            sqlx::query_scalar::<_, bool>(
                "select purged_at is null and sealed_key is not null from cases where case_id = $1",
            )
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap()
        }
    };
    assert!(present(purged).await, "the backup brings the case back");
    let now = shelter_server::clock::Clock::now(&app.clock);
    assert_eq!(reapply_purge_log(&pool, &log, now).await.unwrap(), 1);
    assert!(!present(purged).await, "purged again");
    assert!(present(kept).await, "what the log does not list stays");
    assert_eq!(reapply_purge_log(&pool, &log, now).await.unwrap(), 0, "applying it twice changes nothing");
    let mut conn = restored.connect().await.unwrap();
    assert_eq!(ciphertexts_left(&mut conn, purged).await, Vec::<String>::new());
    let entries: Vec<Value> = sqlx::query_scalar(
        "select details from audit_log where action = 'case.purged' and subject_id = $1 order by seq",
    )
    .bind(purged.to_string())
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["reason"], "reapplied");
    let report = shelter_server::audit::verify::verify(&pool, None).await.unwrap();
    assert!(report.fault.is_none(), "{:?}", report.fault);
    pool.close().await;
    let _ = conn.close().await;
}

fn database_name(options: &sqlx::postgres::PgConnectOptions) -> String {
    options.get_database().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn shelter_retention_preview_lists_and_run_purges_from_the_command_line() {
    let app = TestApp::spawn().await;
    let handler = member(&app, Role::Handler).await;
    let (case_id, reference, _) = closed_case(&app, &handler, "duplicate").await;
    // The command line reads the real clock, which the test's clock (moved on by every
    // TOTP code) is ahead of: the case closed a day ago in real time.
    let mut owner = app.owner().await;
    sqlx::query("update cases set closed_at = now() - interval '1 day'").execute(&mut owner).await.unwrap();
    let url = crate::cli::url_of(&app.owner_options, app.owner_options.get_database().unwrap());
    // A zero-day schedule makes it due now.
    let command = |args: &[&str]| {
        let mut command = crate::cli::shelter();
        command
            .args(args)
            .env("DATABASE_URL", &url)
            .env("SHELTER_DATA_DIR", app._data_dir.path())
            .env("SHELTER_RETAIN_DECLINED_DAYS", "0");
        command
    };
    let preview = command(&["retention", "preview"]).output().await.unwrap();
    let text = String::from_utf8_lossy(&preview.stdout);
    assert!(preview.status.success(), "{}", String::from_utf8_lossy(&preview.stderr));
    assert!(text.contains(&reference) && text.contains("1 case(s) would be purged"), "{text}");
    let json = command(&["retention", "preview", "--json"]).output().await.unwrap();
    let listed: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(listed[0]["case_id"], case_id.to_string());
    assert_eq!(listed[0]["reason"], "schedule");
    assert!(!is_purged(&app, case_id).await, "a preview purges nothing");
    let run = command(&["retention", "run"]).output().await.unwrap();
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success() && text.contains("purged 1 case(s)"), "{text}");
    assert!(is_purged(&app, case_id).await);
    let log = std::fs::read_to_string(app._data_dir.path().join("purged.log")).unwrap();
    assert!(log.starts_with(&case_id.to_string()), "{log}");
    verify_trail(&app).await;
}
