//! When the requester is in danger (issue 16): the second (duress) passphrase, custody mode,
//! check-ins on the manual clock, and `Onion-Location`; the real binary over HTTP.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use shelter_server::clock::Clock;

use crate::helpers::{TestApp, test_settings};
use crate::notify::in_app_kinds;
use crate::staff::Expect as _;
use crate::staff::csrf_in;

/// The second passphrase the tests choose.
const SECOND: &str = "Blue River Song";
const STAFF_WORDS: &str = "We found a lawyer for your brother.";

struct Filed {
    id: Uuid,
    reference: String,
    passphrase: String,
}

async fn file(app: &TestApp, duress: Option<&str>) -> Filed {
    let mut body = json!({"narrative": "They searched our house", "country": "MM", "kind": "arrest_detention"});
    if let Some(duress) = duress {
        body["duress_passphrase"] = json!(duress);
    }
    let response = app.post_json("/api/v1/intake", None, &body).await;
    assert_eq!(response.status(), StatusCode::CREATED, "intake");
    let answer: Value = response.json().await.unwrap();
    let reference = answer["reference"].as_str().unwrap().to_owned();
    let id = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(&reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    Filed { id, reference, passphrase: answer["passphrase"].as_str().unwrap().to_owned() }
}

/// A handler who claimed the case (with their token), and a supervisor's token.
async fn staff_on(app: &TestApp, case: Uuid) -> (crate::staff::TestUser, String, crate::staff::TestUser, String) {
    let handler = app.staff(&[Role::Handler]).await;
    let handler_token = app.token(&handler).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let supervisor_token = app.token(&supervisor).await;
    let claimed = app.post_json(&format!("/api/v1/cases/{case}/claim"), Some(&handler_token), &json!({})).await;
    assert!(claimed.status().is_success(), "claim");
    (handler, handler_token, supervisor, supervisor_token)
}

async fn token_response(app: &TestApp, reference: &str, passphrase: &str) -> reqwest::Response {
    app.post_json("/api/v1/requester/token", None, &json!({"reference": reference, "passphrase": passphrase})).await
}

async fn requester_token(app: &TestApp, reference: &str, passphrase: &str) -> String {
    let response = token_response(app, reference, passphrase).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
}

async fn requester_case(app: &TestApp, token: &str) -> Value {
    let response = app.get_api("/api/v1/requester/case", token).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

/// The response headers that may differ between any two answers (their values only).
const PER_RESPONSE: [&str; 3] = ["x-request-id", "date", "set-cookie"];

/// Status, header names and values (but per-response ones), cookie shapes and body length.
async fn shape(response: reqwest::Response) -> (StatusCode, Vec<(String, String)>, Vec<String>, usize) {
    let status = response.status();
    let mut headers: Vec<(String, String)> = response
        .headers()
        .iter()
        .map(|(name, value)| {
            let value =
                if PER_RESPONSE.contains(&name.as_str()) { String::new() } else { value.to_str().unwrap().to_owned() };
            (name.as_str().to_owned(), value)
        })
        .collect();
    headers.sort();
    // A cookie's value is random: its name, length and attributes must match.
    let cookies = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|c| {
            let text = c.to_str().unwrap();
            let (pair, attributes) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            format!("{name}={}chars;{attributes}", value.len())
        })
        .collect();
    let body = response.bytes().await.unwrap().len();
    (status, headers, cookies, body)
}

#[tokio::test]
async fn the_second_passphrase_looks_the_same_from_outside_and_raises_a_silent_alert() {
    let app = TestApp::spawn().await;
    let case = file(&app, Some(SECOND)).await;
    let (handler, handler_token, supervisor, _) = staff_on(&app, case.id).await;
    let wrote = app
        .post_json(&format!("/api/v1/cases/{}/messages", case.id), Some(&handler_token), &json!({"body": STAFF_WORDS}))
        .await;
    assert!(wrote.status().is_success());
    let other = file(&app, None).await;

    // The same two argon2 verifications on every path: own, second, wrong, unknown, none set.
    let hasher = &app.cases.passwords;
    for (reference, typed, status) in [
        (&case.reference, case.passphrase.as_str(), StatusCode::OK),
        (&case.reference, SECOND, StatusCode::OK),
        (&case.reference, "not the one at all", StatusCode::UNAUTHORIZED),
        (&"SH-2222-2222".to_owned(), SECOND, StatusCode::UNAUTHORIZED),
        (&other.reference, SECOND, StatusCode::UNAUTHORIZED),
        (&other.reference, other.passphrase.as_str(), StatusCode::OK),
    ] {
        let before = hasher.verifications();
        assert_eq!(token_response(&app, reference, typed).await.status(), status, "{typed}");
        assert_eq!(hasher.verifications() - before, 2, "{typed}: both hashes, every time");
    }

    // From outside the two answers are one: API and browser form alike.
    let own = shape(token_response(&app, &case.reference, &case.passphrase).await).await;
    let second = shape(token_response(&app, &case.reference, SECOND).await).await;
    assert_eq!(own, second, "the API token answer");
    let (own_browser, second_browser) = (client(), client());
    let own = shape(portal_form(&app, &own_browser, &case.reference, &case.passphrase).await).await;
    let second = shape(portal_form(&app, &second_browser, &case.reference, SECOND).await).await;
    assert_eq!(own.0, StatusCode::SEE_OTHER);
    assert_eq!(own, second, "the portal's sign-in answer");

    // The calm view: closed, nothing real on it; the real view keeps everything.
    let real = requester_token(&app, &case.reference, &case.passphrase).await;
    let calm = requester_token(&app, &case.reference, SECOND).await;
    assert_eq!(real.len(), calm.len());
    let real_view = requester_case(&app, &real).await;
    let calm_view = requester_case(&app, &calm).await;
    assert_eq!(real_view["status"], "being_handled");
    assert_eq!(real_view["messages"][0]["body"], STAFF_WORDS);
    assert_eq!(calm_view["status"], "closed");
    assert_eq!(calm_view["messages"], json!([]), "{calm_view}");
    let page = second_browser.get(format!("{}/status/case?lang=en", app.address)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(!page.contains(STAFF_WORDS) && !page.contains("Blue River"), "{page}");
    let closed = shelter_frontend::i18n::Translator::new(shelter_shared::language::Language::English).t("state-closed");
    assert!(page.contains(&closed), "the request reads as closed");
    let own_page = own_browser
        .get(format!("{}/status/case?lang=en", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=en")
        .await;
    assert!(own_page.contains(STAFF_WORDS));

    // Inside: the flag, the audit entries and a content-free notice to the handler and on call.
    wait_for_signals(&app, case.id, 4).await;
    assert_eq!(app.cases.raise_owed_duress().await.unwrap(), 0, "each alert once, none owed");
    let flagged: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select duress_alert_at from cases where case_id = $1")
            .bind(case.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(flagged.is_some());
    assert!(in_app_kinds(&app, &handler.id).await.contains(&"duress_signal".to_owned()));
    assert!(
        in_app_kinds(&app, &supervisor.id).await.contains(&"duress_signal".to_owned()),
        "nobody on call: supervisors"
    );
    let other_flag: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select duress_alert_at from cases where case_id = $1")
            .bind(other.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(other_flag.is_none(), "a second passphrase typed at another case is just wrong");

    // A message from the calm session is kept apart and marked.
    let sent = app.post_json("/api/v1/requester/messages", Some(&calm), &json!({"body": "all fine, close it"})).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    assert_eq!(requester_case(&app, &calm).await["messages"][0]["body"], "all fine, close it");
    let real_view = requester_case(&app, &real).await;
    assert!(!real_view.to_string().contains("close it"), "kept apart from the requester's own thread");
    let staff_view: Value = app
        .get_api(&format!("/api/v1/cases/{}", case.id), &handler_token)
        .await
        .expect_json(StatusCode::OK, "read the case")
        .await;
    let marked: Vec<&Value> =
        staff_view["messages"].as_array().unwrap().iter().filter(|m| m["portal_mark"] == "duress").collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0]["body"], "all fine, close it");

    // A calm session cannot learn the real passphrase by trying to set it as the second one,
    // and changes nothing.
    let tries = app.client.put(format!("{}/api/v1/requester/duress-passphrase", app.address));
    let answer = tries.bearer_auth(&calm).json(&json!({"passphrase": case.passphrase})).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    assert_eq!(token_response(&app, &case.reference, SECOND).await.status(), StatusCode::OK, "unchanged");
    let own_try = app.client.put(format!("{}/api/v1/requester/duress-passphrase", app.address));
    let refused = own_try.bearer_auth(&real).json(&json!({"passphrase": case.passphrase})).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "the requester is told: not the same one");
    // Typing the passphrase one signed in with is refused alike in both sessions: that answer
    // tells neither which one it was.
    let calm_own = app.client.put(format!("{}/api/v1/requester/duress-passphrase", app.address));
    let calm_refused = calm_own.bearer_auth(&calm).json(&json!({"passphrase": SECOND})).send().await.unwrap();
    assert_eq!(calm_refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        calm_refused.json::<Value>().await.unwrap()["error"]["code"],
        refused.json::<Value>().await.unwrap()["error"]["code"]
    );

    // Staff clear the alert with a rationale; a partner or finance cannot.
    let finance = app.staff(&[Role::Finance]).await;
    let finance = app.token(&finance).await;
    let clear = format!("/api/v1/cases/{}/duress/clear", case.id);
    assert_eq!(app.post_json(&clear, Some(&finance), &json!({"rationale": "x"})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.post_json(&clear, Some(&handler_token), &json!({"rationale": " "})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let cleared = app.post_json(&clear, Some(&handler_token), &json!({"rationale": "Spoke on Signal: safe"})).await;
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
}

/// Waits until `count` duress signals of `case` are recorded: a sign-in's alert is raised
/// beside its answer, by a task of the server's own.
async fn wait_for_signals(app: &TestApp, case: Uuid, count: i64) {
    for _ in 0..100 {
        let signals: i64 = sqlx::query_scalar(
            "select count(*) from audit_log where action = 'case.duress_signal' and subject_id = $1",
        )
        .bind(case.to_string())
        .fetch_one(&app.db)
        .await
        .unwrap();
        if signals == count {
            return;
        }
        assert!(signals < count, "{signals} duress signals, more than {count}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the duress alerts of {case} never came");
}

/// Posts the portal sign-in form from `client` as a browser would.
async fn portal_form(app: &TestApp, client: &reqwest::Client, reference: &str, passphrase: &str) -> reqwest::Response {
    app.portal_form(client, reference, passphrase).await
}

#[tokio::test]
async fn a_second_passphrase_is_set_in_the_portal_and_refused_when_bad() {
    let app = TestApp::spawn().await;
    let case = file(&app, None).await;
    let browser = client();
    assert_eq!(portal_form(&app, &browser, &case.reference, &case.passphrase).await.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(format!("{}/status/case?lang=en", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=en")
        .await;
    let csrf = csrf_in(&page);
    let post = |passphrase: &str| {
        browser
            .post(format!("{}/status/duress?lang=en", app.address))
            .form(&[("csrf", csrf.as_str()), ("passphrase", passphrase)])
            .send()
    };
    assert_eq!(post("short").await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(post(&case.passphrase).await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(post(SECOND).await.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(token_response(&app, &case.reference, SECOND).await.status(), StatusCode::OK);
    let set: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'requester.duress_passphrase_set'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(set, 1);
    // At intake, a second passphrase too short is refused with the field named.
    let response = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "x", "country": "TH", "duress_passphrase": "abc"}))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert!(body["error"]["fields"]["duress_passphrase"].is_string(), "{body}");
}

/// A referral awaiting the requester's consent on `case`.
async fn referral_awaiting_consent(app: &TestApp, case: Uuid, supervisor: &str) -> String {
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let body = json!({"name": "Mekong Defence Lawyers", "kind": "lawyer", "countries": ["MM"], "expertise": ["criminal_defence"]});
    let partner: Value = app
        .post_json("/api/v1/partners", Some(&admin), &body)
        .await
        .expect_json(StatusCode::CREATED, "add a partner")
        .await;
    let body = json!({"partner_id": partner["id"], "purpose": "Defence", "summary": "Detained since Monday."});
    let proposed = app.post_json(&format!("/api/v1/cases/{case}/referrals"), Some(supervisor), &body).await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let id = proposed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    // Another supervisor approves: nobody approves their own proposal.
    let approver = app.staff(&[Role::Supervisor]).await;
    let approver = app.token(&approver).await;
    let approved =
        app.post_json(&format!("/api/v1/referrals/{id}/approve"), Some(&approver), &json!({"rationale": "ok"})).await;
    assert!(approved.status().is_success());
    id
}

async fn custody_notices(app: &TestApp, user: &str) -> usize {
    in_app_kinds(app, user).await.iter().filter(|k| *k == "custody_sign_in").count()
}

#[tokio::test]
async fn custody_mode_on_and_off_with_each_of_its_effects() {
    let app = TestApp::spawn().await;
    let case = file(&app, None).await;
    let (handler, handler_token, _, supervisor_token) = staff_on(&app, case.id).await;
    let referral = referral_awaiting_consent(&app, case.id, &supervisor_token).await;
    app.post_json(&format!("/api/v1/cases/{}/messages", case.id), Some(&handler_token), &json!({"body": STAFF_WORDS}))
        .await
        .expect_status(StatusCode::CREATED, "message the requester")
        .await;
    let set = format!("/api/v1/cases/{}/custody", case.id);
    let lift = format!("/api/v1/cases/{}/custody/lift", case.id);

    // Who: the handler sets it with a rationale; a handler cannot lift it, a supervisor can.
    assert_eq!(
        app.post_json(&set, Some(&handler_token), &json!({"rationale": ""})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let other_handler = app.staff(&[Role::Handler]).await;
    let other_handler = app.token(&other_handler).await;
    assert_eq!(
        app.post_json(&set, Some(&other_handler), &json!({"rationale": "x"})).await.status(),
        StatusCode::FORBIDDEN,
        "a handler who does not hold the case"
    );
    let rationale = json!({"rationale": "Family says police took him and his phone"});
    assert_eq!(app.post_json(&set, Some(&handler_token), &rationale).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.post_json(&set, Some(&handler_token), &rationale).await.status(), StatusCode::CONFLICT);
    assert_eq!(app.post_json(&lift, Some(&handler_token), &rationale).await.status(), StatusCode::FORBIDDEN);

    // Every sign-in sees the calm view, and every attempt alerts the handler.
    let before = custody_notices(&app, &handler.id).await;
    let token = requester_token(&app, &case.reference, &case.passphrase).await;
    assert_eq!(token_response(&app, &case.reference, "wrong words here").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(custody_notices(&app, &handler.id).await, before + 2, "a sign-in and a failed attempt");
    let view = requester_case(&app, &token).await;
    assert_eq!(view["status"], "closed");
    assert_eq!(view["messages"], json!([]));

    // A message is marked "may not be from the requester"; a file is held back unopened.
    app.post_json("/api/v1/requester/messages", Some(&token), &json!({"body": "I am fine"}))
        .await
        .expect_status(StatusCode::CREATED, "the requester messages")
        .await;
    let uploaded = crate::attachments::upload(&app, &token, "photo.jpg", crate::attachments::jpeg_with_exif()).await;
    assert_eq!(uploaded.status(), StatusCode::CREATED);
    let file_id = uploaded.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let staff_view: Value = app
        .get_api(&format!("/api/v1/cases/{}", case.id), &handler_token)
        .await
        .expect_json(StatusCode::OK, "read the case")
        .await;
    let mark =
        staff_view["messages"].as_array().unwrap().iter().find(|m| m["body"] == "I am fine").unwrap()["portal_mark"]
            .clone();
    assert_eq!(mark, "custody");
    assert_eq!(staff_view["attachments"][0]["held"], "custody");
    let handler_browser = app.browser(&handler).await;
    let download = handler_browser
        .get(format!("{}/staff/cases/{}/attachments/{file_id}", app.address, case.id))
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::CONFLICT, "held back, never opened");

    // Consent cannot be given from the portal.
    let browser = client();
    portal_form(&app, &browser, &case.reference, &case.passphrase)
        .await
        .expect_status(StatusCode::SEE_OTHER, "portal sign-in")
        .await;
    let page = browser
        .get(format!("{}/status/case?lang=en", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=en")
        .await;
    assert!(!page.contains("/status/referrals/"), "no consent form in the calm view");
    let consent = browser
        .post(format!("{}/status/referrals/{referral}/consent?lang=en", app.address))
        .form(&[("csrf", csrf_in(&page).as_str())])
        .send()
        .await
        .unwrap();
    // Answered as an id the case does not have: no status tells a calm session apart.
    assert_eq!(consent.status(), StatusCode::NOT_FOUND);
    let status: String = sqlx::query_scalar("select status from referral where referral_id = $1::uuid")
        .bind(&referral)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "awaiting_consent");

    // The requester's news stops: a reply queues no news while custody lasts.
    sqlx::query(
        "insert into requester_notice_contact (case_id, channel, address_sealed, language, created_at)
         values ($1, 'email', '\\x00', 'en', now())",
    )
    .bind(case.id)
    .execute(&mut app.owner().await)
    .await
    .unwrap();
    let news = || async {
        sqlx::query_scalar::<_, i64>("select count(*) from notice where kind = 'requester_news' and case_id = $1")
            .bind(case.id)
            .fetch_one(&app.db)
            .await
            .unwrap()
    };
    app.post_json(&format!("/api/v1/cases/{}/messages", case.id), Some(&handler_token), &json!({"body": "reply"}))
        .await
        .expect_status(StatusCode::CREATED, "message the requester")
        .await;
    assert_eq!(news().await, 0, "no news while in custody mode");

    // A supervisor who also holds the case, or who set it, does not lift it alone.
    let both = app.staff(&[Role::Supervisor, Role::Handler]).await;
    let both_token = app.token(&both).await;
    sqlx::query("update cases set assignee = $2::uuid where case_id = $1")
        .bind(case.id)
        .bind(&both.id)
        .execute(&mut app.owner().await)
        .await
        .unwrap();
    let alone = app.post_json(&lift, Some(&both_token), &json!({"rationale": "I hold it"})).await;
    assert_eq!(alone.status(), StatusCode::FORBIDDEN, "the assignee who is also a supervisor");
    sqlx::query("update cases set assignee = $2::uuid where case_id = $1")
        .bind(case.id)
        .bind(&handler.id)
        .execute(&mut app.owner().await)
        .await
        .unwrap();

    // A supervisor lifts it: the requester's own view is back, news flows again.
    assert_eq!(
        app.post_json(&lift, Some(&supervisor_token), &json!({"rationale": " "})).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let lifted =
        app.post_json(&lift, Some(&supervisor_token), &json!({"rationale": "Released; has a new phone"})).await;
    assert_eq!(lifted.status(), StatusCode::NO_CONTENT);
    let stale = app.get_api("/api/v1/requester/case", &token).await;
    assert_eq!(stale.status(), StatusCode::UNAUTHORIZED, "a session from custody never turns into the real view");
    let before = custody_notices(&app, &handler.id).await;
    let token = requester_token(&app, &case.reference, &case.passphrase).await;
    assert_eq!(custody_notices(&app, &handler.id).await, before, "no alert once lifted");
    let view = requester_case(&app, &token).await;
    assert_eq!(view["status"], "being_handled");
    assert!(view.to_string().contains(STAFF_WORDS) && !view.to_string().contains("I am fine"));
    app.clock.advance(Duration::hours(2));
    let handler_token = app.token(&handler).await;
    let again = app
        .post_json(&format!("/api/v1/cases/{}/messages", case.id), Some(&handler_token), &json!({"body": "again"}))
        .await;
    assert!(again.status().is_success());
    assert_eq!(news().await, 1);
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where subject_id = $1 and action like 'case.custody%' order by seq",
    )
    .bind(case.id.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(actions, ["case.custody_set", "case.custody_lifted"]);
}

async fn check_in(app: &TestApp, token: &str, safe_word: Option<&str>) -> reqwest::Response {
    app.post_json("/api/v1/requester/check-in", Some(token), &json!({"safe_word": safe_word})).await
}

async fn check_in_rows(app: &TestApp, case: Uuid) -> Vec<(String, bool)> {
    sqlx::query_as("select standing, duress from check_in where case_id = $1 order by at")
        .bind(case)
        .fetch_all(&app.db)
        .await
        .unwrap()
}

fn count(kinds: &[String], kind: &str) -> usize {
    kinds.iter().filter(|k| *k == kind).count()
}

#[tokio::test]
async fn check_ins_on_the_manual_clock_on_time_late_missed_once_and_a_wrong_safe_word() {
    let app = TestApp::spawn().await;
    let case = file(&app, None).await;
    let (handler, handler_token, supervisor, _) = staff_on(&app, case.id).await;
    let until = (app.clock.now() + Duration::days(10)).format("%Y-%m-%d").to_string();
    let schedule = format!("/api/v1/cases/{}/check-ins", case.id);
    let bad = json!({"every_hours": 0, "grace_hours": 6, "until": until});
    assert_eq!(app.post_json(&schedule, Some(&handler_token), &bad).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let plan = json!({"every_hours": 24, "grace_hours": 6, "until": until, "safe_word": "Green Tea"});
    assert_eq!(app.post_json(&schedule, Some(&handler_token), &plan).await.status(), StatusCode::CREATED);
    let token = requester_token(&app, &case.reference, &case.passphrase).await;
    assert!(requester_case(&app, &token).await["check_in_due_at"].is_string());

    // On time, then late within grace; the safe word is typed as people type.
    app.clock.advance(Duration::hours(23));
    let token = requester_token(&app, &case.reference, &case.passphrase).await;
    let first = check_in(&app, &token, Some("green  TEA")).await;
    assert_eq!(first.status(), StatusCode::OK);
    app.clock.advance(Duration::hours(25));
    let token = requester_token(&app, &case.reference, &case.passphrase).await;
    let second = check_in(&app, &token, Some("green tea")).await;
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(check_in_rows(&app, case.id).await, [("on_time".to_owned(), false), ("late".to_owned(), false)]);
    assert_eq!(app.cases.detect_missed_check_ins().await.unwrap(), 0);

    // Missed: due in 24 h, missed past 30 h; the handler hears once, then supervisors once.
    app.clock.advance(Duration::hours(30));
    assert_eq!(app.cases.detect_missed_check_ins().await.unwrap(), 0, "still within grace");
    app.clock.advance(Duration::minutes(2));
    assert_eq!(app.cases.detect_missed_check_ins().await.unwrap(), 1);
    assert_eq!(app.cases.detect_missed_check_ins().await.unwrap(), 0, "exactly once");
    assert_eq!(count(&in_app_kinds(&app, &handler.id).await, "check_in_missed"), 1);
    assert_eq!(count(&in_app_kinds(&app, &supervisor.id).await, "check_in_missed"), 0, "not yet");
    let handler_token = app.token(&handler).await;
    let queue: Value = app
        .get_api("/api/v1/cases?mine=true", &handler_token)
        .await
        .expect_json(StatusCode::OK, "read the queue")
        .await;
    assert_eq!(queue["items"][0]["alerts"], json!(["check_in_missed"]), "{queue}");
    app.clock.advance(Duration::hours(6));
    assert_eq!(app.cases.detect_missed_check_ins().await.unwrap(), 0);
    assert_eq!(app.cases.detect_missed_check_ins().await.unwrap(), 0);
    assert_eq!(count(&in_app_kinds(&app, &supervisor.id).await, "check_in_missed"), 1, "a grace period later, once");
    assert_eq!(count(&in_app_kinds(&app, &handler.id).await, "check_in_missed"), 1);

    // A wrong safe word answers like a right one and raises a duress alert.
    let token = requester_token(&app, &case.reference, &case.passphrase).await;
    let wrong = check_in(&app, &token, Some("black coffee")).await;
    assert_eq!(wrong.status(), StatusCode::OK);
    assert!(wrong.json::<Value>().await.unwrap()["next_due_at"].is_string());
    let rows = check_in_rows(&app, case.id).await;
    assert_eq!(rows.last(), Some(&("after_miss".to_owned(), true)));
    wait_for_signals(&app, case.id, 1).await;
    assert_eq!(app.cases.raise_owed_duress().await.unwrap(), 0, "raised once, beside the answer");
    assert!(in_app_kinds(&app, &handler.id).await.contains(&"duress_signal".to_owned()));
    let handler_token = app.token(&handler).await;
    let danger: Value = app
        .get_api(&format!("/api/v1/cases/{}/danger", case.id), &handler_token)
        .await
        .expect_json(StatusCode::OK, "read the danger view")
        .await;
    assert!(danger["duress_alert_at"].is_string());
    assert_eq!(danger["check_ins"].as_array().unwrap().len(), 3);
    assert!(danger["misses"][0]["answered_at"].is_string() && danger["misses"][0]["supervisors_told_at"].is_string());
    assert_eq!(danger["schedule"]["safe_word"], true);
    let page = app.browser(&handler).await;
    let html = page
        .get(format!("{}/staff/cases/{}", app.address, case.id))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/cases/{}")
        .await;
    assert!(html.contains("duress-alert") && html.contains("Missed the check-in due"), "the case page shows it");

    // Check-ins end when the case closes.
    let triage = json!({"severity": "high", "kind": "arrest_detention", "rationale": "Detained"});
    let triaged = app.post_json(&format!("/api/v1/cases/{}/triage", case.id), Some(&handler_token), &triage).await;
    assert!(triaged.status().is_success(), "{}", triaged.text().await.unwrap());
    let closed = app
        .post_json(
            &format!("/api/v1/cases/{}/close", case.id),
            Some(&handler_token),
            &json!({"outcome": "resolved", "rationale": "Safe abroad"}),
        )
        .await;
    assert!(closed.status().is_success(), "{}", closed.text().await.unwrap());
    assert_eq!(check_in(&app, &token, Some("green tea")).await.status(), StatusCode::CONFLICT);
    app.clock.advance(Duration::days(3));
    assert_eq!(app.cases.detect_missed_check_ins().await.unwrap(), 0, "nothing more is missed");
}

#[tokio::test]
async fn onion_location_only_when_configured_and_only_on_requester_pages() {
    let onion = format!("http://{}.onion", "a".repeat(56));
    let plain = TestApp::spawn().await;
    assert!(plain.get("/").await.headers().get("onion-location").is_none());
    let mut settings = test_settings();
    settings.onion_url = Some(format!("{onion}/"));
    let app = TestApp::spawn_with(settings).await;
    // The page's path and language only: a query may carry a receipt token.
    let shown = [
        ("/", "/"),
        ("/request?lang=my", "/request?lang=my"),
        ("/status", "/status"),
        ("/safety?country=MM&lang=th&receipt=secret", "/safety?lang=th"),
    ];
    for (path, said) in shown {
        let response = app.get(path).await;
        let header = response.headers().get("onion-location").and_then(|v| v.to_str().ok()).map(str::to_owned);
        assert_eq!(header, Some(format!("{onion}{said}")), "{path}");
    }
    assert!(app.get("/exit").await.headers().get("onion-location").is_none(), "not on a redirect");
    for path in ["/staff", "/api/v1/openapi.json", "/healthz", "/no-such-page", "/assets/style.css"] {
        assert!(app.get(path).await.headers().get("onion-location").is_none(), "{path}");
    }
    for path in ["/?lang=km", "/safety?lang=zh-Hans"] {
        assert!(app.get(path).await.text().await.unwrap().contains(&onion), "{path} names the onion address");
    }
    let mut bad = test_settings();
    for wrong in ["http://example.org", "http://short.onion", &format!("{onion}/path"), "ftp://x.onion"] {
        bad.onion_url = Some(wrong.to_owned());
        assert!(bad.onion_origin().is_err(), "{wrong}");
    }
}

#[tokio::test]
async fn in_chromium_with_javascript_off_check_in_and_sign_in_with_each_passphrase() {
    use shelter_frontend::i18n::Translator;
    use shelter_shared::language::Language;
    let app = TestApp::spawn().await;
    let case = file(&app, Some(SECOND)).await;
    let (handler, handler_token, _, _) = staff_on(&app, case.id).await;
    app.post_json(&format!("/api/v1/cases/{}/messages", case.id), Some(&handler_token), &json!({"body": STAFF_WORDS}))
        .await
        .expect_status(StatusCode::CREATED, "message the requester")
        .await;
    let until = (app.clock.now() + Duration::days(5)).format("%Y-%m-%d").to_string();
    let plan = json!({"every_hours": 24, "grace_hours": 6, "until": until, "safe_word": "green tea"});
    let scheduled = app.post_json(&format!("/api/v1/cases/{}/check-ins", case.id), Some(&handler_token), &plan).await;
    assert_eq!(scheduled.status(), StatusCode::CREATED);
    let t = Translator::new(Language::English);
    let browser = crate::browser::Browser::start().await;
    let sign_in = |passphrase: &'static str| {
        let (browser, app, reference) = (&browser, &app, case.reference.clone());
        async move {
            browser.client.goto(&format!("{}/status?lang=en", app.address)).await.unwrap();
            browser.fill("input[name=reference]", &reference).await;
            browser.fill("input[name=passphrase]", passphrase).await;
            browser.click("form button.primary").await;
            browser.wait_for_url(|url| url.path() == "/status/case").await;
        }
    };

    // The requester's own passphrase: the real view, and a check-in with the safe word.
    let own: &'static str = Box::leak(case.passphrase.clone().into_boxed_str());
    sign_in(own).await;
    let source = browser.client.source().await.unwrap();
    assert!(source.contains(STAFF_WORDS) && source.contains(&t.t("check-in-heading")));
    browser.fill("input[name=safe_word]", "Green Tea").await;
    browser.click("form[action^='/status/check-in'] button").await;
    browser.wait_for_url(|url| url.query().is_some_and(|q| q.contains("checked=1"))).await;
    assert!(browser.client.source().await.unwrap().contains(&t.t("check-in-done")));
    browser.screenshot("r16-checked-in").await;
    let rows = check_in_rows(&app, case.id).await;
    assert_eq!(rows, [("on_time".to_owned(), false)]);
    browser.click("form[action^='/status/sign-out'] button").await;
    browser.wait_for_url(|url| url.path() == "/status").await;

    // The second passphrase: the calm view, a closed request with nothing on it.
    sign_in(SECOND).await;
    let source = browser.client.source().await.unwrap();
    browser.screenshot("r16-calm-view").await;
    assert!(source.contains(&t.t("state-closed")), "the request reads as closed");
    assert!(!source.contains(STAFF_WORDS), "no real message");
    assert!(!source.contains("/status/check-in"), "a closed request asks for no check-ins");
    assert!(source.contains(&t.t("duress-heading")), "the same second-passphrase form as the real view");
    wait_for_signals(&app, case.id, 1).await;
    let flagged: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select duress_alert_at from cases where case_id = $1")
            .bind(case.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(flagged.is_some(), "the silent alert");
    browser.client.close().await.unwrap();

    // axe-core (which needs JavaScript to run) finds nothing serious on either view, nor on
    // the staff side's safety section.
    let axe = crate::browser::Browser::start_with_javascript().await;
    let signed_in = |passphrase: &'static str| {
        let (axe, app, reference) = (&axe, &app, case.reference.clone());
        async move {
            axe.client.goto(&format!("{}/status?lang=my", app.address)).await.unwrap();
            axe.fill("input[name=reference]", &reference).await;
            axe.fill("input[name=passphrase]", passphrase).await;
            axe.click("form button.primary").await;
            axe.wait_for_url(|url| url.path() == "/status/case").await;
            axe.axe().await
        }
    };
    assert_eq!(signed_in(own).await, Vec::<Value>::new(), "the real view with its check-in");
    axe.client.delete_all_cookies().await.unwrap();
    assert_eq!(signed_in(SECOND).await, Vec::<Value>::new(), "the calm view");
    axe.client.delete_all_cookies().await.unwrap();
    axe.sign_in(&app, &handler).await;
    axe.client.goto(&format!("{}/staff/cases/{}", app.address, case.id)).await.unwrap();
    assert!(axe.client.source().await.unwrap().contains("duress-alert"));
    assert_eq!(axe.axe().await, Vec::<Value>::new(), "the case page's safety section");
    axe.client.close().await.unwrap();
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in page")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn the_intake_form_takes_a_second_passphrase_and_never_echoes_it() {
    let app = TestApp::spawn().await;
    let browser = client();
    let html = browser
        .get(format!("{}/request?lang=th", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /request?lang=th")
        .await;
    assert!(html.contains("name=\"duress_passphrase\""));
    let (token, csrf) = (hidden(&html, "token"), hidden(&html, "csrf"));
    let submit = |duress: &'static str| {
        browser
            .post(format!("{}/request?lang=th", app.address))
            .form(&[
                ("token", token.as_str()),
                ("csrf", csrf.as_str()),
                ("narrative", "ตำรวจมาที่บ้าน"),
                ("country", "TH"),
                ("duress_passphrase", duress),
            ])
            .send()
    };
    let refused = submit("สั้น").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    let t = shelter_frontend::i18n::Translator::new(shelter_shared::language::Language::Thai);
    assert!(page.contains(&t.t("error-duress-short")) && page.contains("href=\"#duress_passphrase\""));
    let cases: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(cases, 0, "a refused form stores nothing");
    let filed = submit("แม่น้ำสีฟ้า ยามเย็น").await.unwrap();
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let receipt = filed.headers()["location"].to_str().unwrap().to_owned();
    let receipt = browser
        .get(format!("{}{receipt}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open the page")
        .await;
    assert!(!receipt.contains("แม่น้ำสีฟ้า"), "the second passphrase is never shown back");
    let reference = receipt.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert_eq!(token_response(&app, &reference, "แม่น้ำสีฟ้า  ยามเย็น").await.status(), StatusCode::OK);
    let id: Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(&reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    wait_for_signals(&app, id, 1).await;
    let flagged: i64 = sqlx::query_scalar("select count(*) from cases where duress_alert_at is not null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(flagged, 1);
}

#[tokio::test]
async fn only_those_who_hold_the_case_watch_over_its_requester() {
    let app = TestApp::spawn().await;
    let case = file(&app, None).await;
    let (_, _, _, supervisor_token) = staff_on(&app, case.id).await;
    let paths = [
        ("get", format!("/api/v1/cases/{}/danger", case.id)),
        ("post", format!("/api/v1/cases/{}/custody", case.id)),
        ("post", format!("/api/v1/cases/{}/custody/lift", case.id)),
        ("post", format!("/api/v1/cases/{}/duress/clear", case.id)),
        ("post", format!("/api/v1/cases/{}/check-ins/end", case.id)),
    ];
    let call = |token: String, method: &'static str, path: String| {
        let app = &app;
        async move {
            match method {
                "get" => app.get_api(&path, &token).await.status(),
                _ => app.post_json(&path, Some(&token), &json!({"rationale": "because"})).await.status(),
            }
        }
    };
    // Administrators manage accounts, finance pays, partners answer referrals: none of them,
    // even holding two of those roles, sees or changes a requester's safety.
    for roles in [vec![Role::Admin], vec![Role::Finance], vec![Role::Partner], vec![Role::Admin, Role::Finance]] {
        let user = app.staff(&roles).await;
        let token = app.token(&user).await;
        for (method, path) in &paths {
            assert_eq!(call(token.clone(), method, path.clone()).await, StatusCode::FORBIDDEN, "{roles:?} {path}");
        }
    }
    // A handler who does not hold the case sees a preview only.
    let stranger = app.staff(&[Role::Handler]).await;
    let stranger = app.token(&stranger).await;
    assert_eq!(call(stranger.clone(), "get", paths[0].1.clone()).await, StatusCode::FORBIDDEN);
    assert_eq!(call(stranger, "post", paths[1].1.clone()).await, StatusCode::FORBIDDEN);
    // A supervisor who declared a conflict no longer knows the case exists.
    let conflicted = app.staff(&[Role::Supervisor]).await;
    let conflicted = app.token(&conflicted).await;
    let declared = app.post_json(&format!("/api/v1/cases/{}/conflict", case.id), Some(&conflicted), &json!({})).await;
    assert!(declared.status().is_success());
    assert_eq!(call(conflicted, "post", paths[1].1.clone()).await, StatusCode::NOT_FOUND);
    // The holding supervisor may: nothing was in custody to lift, no alert to clear.
    assert_eq!(call(supervisor_token.clone(), "post", paths[2].1.clone()).await, StatusCode::CONFLICT);
    assert_eq!(call(supervisor_token, "post", paths[3].1.clone()).await, StatusCode::CONFLICT);
    let changes: i64 = sqlx::query_scalar(
        "select count(*) from audit_log where action like 'case.custody%' or action = 'case.duress_cleared'",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(changes, 0);
}

#[tokio::test]
async fn a_calm_session_asks_for_deletion_and_news_and_nothing_happens() {
    // News by e-mail is offered (nothing is sent in this test: the relay is never reached).
    let mut settings = crate::helpers::test_settings();
    settings.notify.smtp_url = Some("smtp://127.0.0.1:9".into());
    settings.notify.mail_from = Some("Shelter <notices@shelter.example.org>".into());
    settings.notify.neutral_from = Some("Mai <mai@quiet.example.net>".into());
    let app = TestApp::spawn_with(settings).await;
    let case = file(&app, Some(SECOND)).await;
    let calm = client();
    assert_eq!(portal_form(&app, &calm, &case.reference, SECOND).await.status(), StatusCode::SEE_OTHER);
    let page = calm
        .get(format!("{}/status/case?lang=en", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=en")
        .await;
    let csrf = csrf_in(&page);
    assert!(page.contains("action=\"/status/deletion?lang=en\""), "the same deletion form as a real closed request");
    let asked = calm
        .post(format!("{}/status/deletion?lang=en", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let page = calm
        .get(format!("{}/status/case?lang=en", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=en")
        .await;
    assert!(page.contains("action=\"/status/deletion/cancel?lang=en\""), "the calm view stays consistent");
    let news = calm
        .post(format!("{}/status/news?lang=en", app.address))
        .form(&[("csrf", csrf.as_str()), ("news_channel", "email"), ("news_address", "watcher@example.org")])
        .send()
        .await
        .unwrap();
    assert_eq!(news.status(), StatusCode::SEE_OTHER);
    assert!(news.headers()["location"].to_str().unwrap().ends_with("news=on"), "answered as the requester is");
    let page = calm
        .get(format!("{}/status/case?lang=en", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=en")
        .await;
    assert!(
        page.contains("name=\"news_channel\" value=\"none\""),
        "the calm view shows news as on, with the stop button"
    );
    let (deletion, contacts): (Option<chrono::DateTime<chrono::Utc>>, i64) = sqlx::query_as(
        "select deletion_requested_at, (select count(*) from requester_notice_contact where case_id = $1)
         from cases where case_id = $1",
    )
    .bind(case.id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!((deletion, contacts), (None, 0), "the real request is neither deleted nor told anything");
    let own = client();
    portal_form(&app, &own, &case.reference, &case.passphrase)
        .await
        .expect_status(StatusCode::SEE_OTHER, "portal sign-in")
        .await;
    let page = own
        .get(format!("{}/status/case?lang=en", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=en")
        .await;
    assert!(page.contains("action=\"/status/deletion?lang=en\""), "the requester's own view shows no deletion");
    let recorded: Vec<Value> =
        sqlx::query_scalar("select details from audit_log where action = 'requester.calm_session_action' order by seq")
            .fetch_all(&app.db)
            .await
            .unwrap();
    let asked: Vec<&Value> = recorded.iter().map(|d| &d["asked"]).collect();
    assert_eq!(asked, [&json!("deletion"), &json!("news")]);
}

#[tokio::test]
async fn the_new_endpoints_are_in_the_openapi_description() {
    let app = TestApp::spawn().await;
    let document: Value =
        app.get("/api/v1/openapi.json").await.expect_json(StatusCode::OK, "read the OpenAPI document").await;
    let paths = &document["paths"];
    for (path, method) in [
        ("/api/v1/requester/check-in", "post"),
        ("/api/v1/requester/duress-passphrase", "put"),
        ("/api/v1/cases/{case_id}/danger", "get"),
        ("/api/v1/cases/{case_id}/custody", "post"),
        ("/api/v1/cases/{case_id}/custody/lift", "post"),
        ("/api/v1/cases/{case_id}/duress/clear", "post"),
        ("/api/v1/cases/{case_id}/check-ins", "post"),
        ("/api/v1/cases/{case_id}/check-ins/end", "post"),
    ] {
        assert!(paths[path][method].is_object(), "{method} {path} is not described");
    }
    let intake = &document["components"]["schemas"]["IntakeRequest"]["properties"];
    assert!(intake["duress_passphrase"].is_object(), "the intake's second passphrase is described");
    let case = &document["components"]["schemas"]["RequesterCase"]["properties"];
    assert!(case["check_in_due_at"].is_object());
}

#[tokio::test]
async fn a_duress_alert_owed_when_the_server_stopped_is_raised_by_the_clock_once() {
    let app = TestApp::spawn().await;
    let case = file(&app, Some(SECOND)).await;
    requester_token(&app, &case.reference, SECOND).await;
    wait_for_signals(&app, case.id, 1).await;
    // As if the process had stopped between the answer and the alert: owed again.
    let mut owner = app.owner().await;
    sqlx::query("update requester_session set duress_alerted_at = null where case_id = $1")
        .bind(case.id)
        .execute(&mut owner)
        .await
        .unwrap();
    sqlx::query("update cases set duress_alert_at = null where case_id = $1")
        .bind(case.id)
        .execute(&mut owner)
        .await
        .unwrap();
    assert_eq!(app.cases.raise_owed_duress().await.unwrap(), 1);
    assert_eq!(app.cases.raise_owed_duress().await.unwrap(), 0, "once");
    wait_for_signals(&app, case.id, 2).await;
    let flagged: Option<chrono::DateTime<chrono::Utc>> =
        sqlx::query_scalar("select duress_alert_at from cases where case_id = $1")
            .bind(case.id)
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert!(flagged.is_some());
}

#[tokio::test]
async fn the_deletion_api_answers_a_calm_session_as_it_answers_the_requester() {
    let app = TestApp::spawn().await;
    let case = file(&app, Some("7777 1111 2222 3333 4444 5555")).await;
    let real = requester_token(&app, &case.reference, &case.passphrase).await;
    let calm = requester_token(&app, &case.reference, "7777 1111 2222 3333 4444 5555").await;
    for token in [&real, &calm] {
        let status = app.get_api("/api/v1/requester/deletion", token).await;
        assert_eq!(status.status(), StatusCode::OK);
        assert!(status.json::<Value>().await.unwrap()["purge_after"].is_null());
        let cancel = app.post_json("/api/v1/requester/deletion/cancel", Some(token), &json!({})).await;
        assert_eq!(cancel.status(), StatusCode::CONFLICT, "nothing to cancel yet");
        let asked = app.post_json("/api/v1/requester/deletion", Some(token), &json!({})).await;
        assert_eq!(asked.status(), StatusCode::ACCEPTED);
        assert!(asked.json::<Value>().await.unwrap()["purge_after"].is_string());
        let status = app
            .get_api("/api/v1/requester/deletion", token)
            .await
            .expect_status(StatusCode::OK, "read the deletion request")
            .await;
        assert!(status.json::<Value>().await.unwrap()["purge_after"].is_string(), "each reads what it asked");
        let cancel = app.post_json("/api/v1/requester/deletion/cancel", Some(token), &json!({})).await;
        assert_eq!(cancel.status(), StatusCode::NO_CONTENT);
    }
    // Only the requester's own request ever counted.
    let actions: Vec<String> = sqlx::query_scalar(
        "select action from audit_log where subject_id = $1 and action like 'case.deletion%' order by seq",
    )
    .bind(case.id.to_string())
    .fetch_all(&app.db)
    .await
    .unwrap();
    assert_eq!(actions, ["case.deletion_requested", "case.deletion_cancelled"]);
}

#[tokio::test]
async fn a_calm_session_s_files_count_apart_from_the_requester_s() {
    let app = TestApp::spawn().await; // three files a case
    let case = file(&app, Some(SECOND)).await;
    let real = requester_token(&app, &case.reference, &case.passphrase).await;
    let calm = requester_token(&app, &case.reference, SECOND).await;
    let jpeg = crate::attachments::jpeg_with_exif;
    for _ in 0..3 {
        assert_eq!(crate::attachments::upload(&app, &calm, "a.jpg", jpeg()).await.status(), StatusCode::CREATED);
    }
    let fourth = crate::attachments::upload(&app, &calm, "a.jpg", jpeg()).await;
    assert_eq!(fourth.status(), StatusCode::UNPROCESSABLE_ENTITY, "the calm session's own allowance");
    // The requester's allowance is untouched, and a calm session learns nothing of it.
    for _ in 0..3 {
        assert_eq!(crate::attachments::upload(&app, &real, "b.jpg", jpeg()).await.status(), StatusCode::CREATED);
    }
    let held: i64 = sqlx::query_scalar("select count(*) from case_attachment where case_id = $1 and held is not null")
        .bind(case.id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(held, 3);
}

#[tokio::test]
async fn news_queued_before_custody_mode_never_reaches_the_phone() {
    let smtp = crate::notify::SmtpSink::start(0);
    let mut settings = crate::helpers::test_settings();
    settings.notify.smtp_url = Some(smtp.url());
    settings.notify.mail_from = Some("Shelter <notices@shelter.example.org>".into());
    settings.notify.neutral_from = Some("Mai <mai@quiet.example.net>".into());
    let app = TestApp::spawn_with(settings).await;
    let body = json!({"narrative": "They took my brother", "country": "MM", "news_channel": "email",
                      "news_address": "watched@mail.example.net"});
    let (case_id, _) = crate::notify::file(&app, body).await;
    let (_, handler_token, _, _) = staff_on(&app, case_id).await; // news queued: the request moved on
    let queued: i64 = sqlx::query_scalar("select count(*) from notice where kind = 'requester_news' and case_id = $1")
        .bind(case_id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(queued, 1);
    let set = format!("/api/v1/cases/{case_id}/custody");
    let custody =
        app.post_json(&set, Some(&handler_token), &json!({"rationale": "Phone taken at the checkpoint"})).await;
    assert!(custody.status().is_success(), "{}", custody.status());
    app.notify.drain(10).await.unwrap();
    let to_phone = smtp.mails().into_iter().filter(|m| m["to"][0] == "watched@mail.example.net").count();
    assert_eq!(to_phone, 0, "the news queued before custody mode stays unsent");
}

#[tokio::test]
async fn a_handler_who_ends_check_ins_after_a_miss_does_not_keep_it_from_the_supervisors() {
    let app = TestApp::spawn().await;
    let case = file(&app, None).await;
    let (handler, handler_token, supervisor, _) = staff_on(&app, case.id).await;
    let until = (app.clock.now() + Duration::days(10)).format("%Y-%m-%d").to_string();
    let schedule = format!("/api/v1/cases/{}/check-ins", case.id);
    let plan = json!({"every_hours": 24, "grace_hours": 6, "until": until});
    assert_eq!(app.post_json(&schedule, Some(&handler_token), &plan).await.status(), StatusCode::CREATED);
    app.clock.advance(Duration::hours(30) + Duration::minutes(2));
    assert_eq!(app.cases.detect_missed_check_ins().await.unwrap(), 1);
    assert_eq!(count(&in_app_kinds(&app, &handler.id).await, "check_in_missed"), 1);
    let handler_token = app.token(&handler).await;
    let end = format!("/api/v1/cases/{}/check-ins/end", case.id);
    let ended = app.post_json(&end, Some(&handler_token), &json!({})).await;
    assert!(ended.status().is_success(), "{}", ended.status());
    app.clock.advance(Duration::hours(6) + Duration::minutes(1));
    app.cases.detect_missed_check_ins().await.unwrap();
    assert_eq!(
        count(&in_app_kinds(&app, &supervisor.id).await, "check_in_missed"),
        1,
        "the silence still reaches the supervisors"
    );
}
