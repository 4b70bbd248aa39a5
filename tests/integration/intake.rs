//! Intake and the requester's side, over HTTP, in the requester's language.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::cases::crypto::CaseKey;

use crate::helpers::{TestApp, test_settings};
use crate::staff::Expect as _;

const NARRATIVE: &str = "ကျွန်ုပ်၏ အစ်ကိုကို ရဲက ဖမ်းသွားသည်။ unique-narrative-7f3a";
const CONTACT: &str = "signal +95 9 000 1111 unique-contact-91c2";

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

async fn file(app: &TestApp, body: Value) -> reqwest::Response {
    app.post_json("/api/v1/intake", None, &body).await
}

async fn cases(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from cases").fetch_one(&app.db).await.unwrap()
}

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in page")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_request_by_api_gives_a_reference_and_a_passphrase() {
    let app = TestApp::spawn().await;
    let response = file(
        &app,
        json!({"narrative": NARRATIVE, "country": "mm", "language": "my", "kind": "arrest_detention",
        "urgency": "immediate", "needs": ["legal", "money", "legal"], "contact": CONTACT}),
    )
    .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let reference = body["reference"].as_str().unwrap();
    assert!(reference.starts_with("SH-") && reference.len() == 12, "{reference}");
    assert_eq!(body["passphrase"].as_str().unwrap().split(' ').count(), 6);
    let row: (String, String, String, Option<String>, Vec<String>, bool) =
        sqlx::query_as("select status, kind, country, severity_hint, needs, contact_allowed from cases")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(
        row,
        (
            "new".into(),
            "arrest_detention".into(),
            "MM".into(),
            Some("critical".into()),
            vec!["legal".into(), "money".into()],
            true
        )
    );
    let (actor, details): (String, Value) =
        sqlx::query_as("select actor_id, details from audit_log where action = 'case.created'")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(actor, reference, "audited by reference only");
    assert_eq!(details["country"], "MM");
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_in_the_requesters_language_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let cases_for = |body: Value| {
        let app = &app;
        async move { file(app, body).await }
    };
    let long = "ก".repeat(10_001);
    let attempts = [
        (json!({"narrative": "", "country": "TH", "language": "th"}), "narrative"),
        (json!({"narrative": long, "country": "TH", "language": "th"}), "narrative"),
        (json!({"narrative": "x", "country": "XX", "language": "th"}), "country"),
        (json!({"narrative": "x", "country": "", "language": "th"}), "country"),
        (json!({"narrative": "x", "country": "TH", "language": "fr"}), "language"),
        (json!({"narrative": "x", "country": "TH", "kind": "war"}), "kind"),
        (json!({"narrative": "x", "country": "TH", "urgency": "yesterday"}), "urgency"),
        (json!({"narrative": "x", "country": "TH", "needs": ["pony"]}), "needs"),
        (json!({"narrative": "x", "country": "TH", "place": "p".repeat(201)}), "place"),
    ];
    for (body, field) in attempts {
        let response = cases_for(body.clone()).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let error: Value = response.json().await.unwrap();
        assert_eq!(error["error"]["code"], "invalid_intake");
        let message = error["error"]["fields"][field].as_str().unwrap_or_else(|| panic!("{field} named: {error}"));
        assert!(!message.is_empty() && !message.contains("error-"), "{message}");
    }
    let thai: Value =
        cases_for(json!({"narrative": "", "country": "TH", "language": "th"})).await.json().await.unwrap();
    assert!(
        thai["error"]["fields"]["narrative"].as_str().unwrap().chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)),
        "in Thai: {thai}"
    );
    for (body, status) in [
        ("{\"narrative\": 5, \"country\": \"TH\"}", StatusCode::UNPROCESSABLE_ENTITY),
        ("{\"narrative\": \"x\", \"country\": \"TH\", \"extra\": 1}", StatusCode::UNPROCESSABLE_ENTITY),
        ("{not json", StatusCode::BAD_REQUEST),
    ] {
        let response = app
            .client
            .post(format!("{}/api/v1/intake", app.address))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{body}");
    }
    let invalid_utf8 = app
        .client
        .post(format!("{}/api/v1/intake", app.address))
        .header("content-type", "application/json")
        .body(b"{\"narrative\": \"\xff\xfe\", \"country\": \"TH\"}".to_vec())
        .send()
        .await
        .unwrap();
    assert!(invalid_utf8.status().is_client_error());
    let huge = json!({"narrative": "x".repeat(70 * 1024), "country": "TH"});
    assert_eq!(file(&app, huge).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(cases(&app).await, 0, "nothing was stored");
}

#[tokio::test]
async fn the_same_idempotency_key_never_makes_a_second_case() {
    let app = TestApp::spawn().await;
    let send = || {
        app.client
            .post(format!("{}/api/v1/intake", app.address))
            .header("idempotency-key", "relay-message-123")
            .json(&json!({"narrative": "help", "country": "KH"}))
            .send()
    };
    assert_eq!(send().await.unwrap().status(), StatusCode::CREATED);
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(!again.text().await.unwrap().contains("SH-"), "a replayed key learns no reference");
    assert_eq!(cases(&app).await, 1);
}

#[tokio::test]
async fn a_burmese_request_in_the_browser_the_portal_and_a_message() {
    let app = TestApp::spawn().await;
    let browser = client();
    let form = browser.get(format!("{}/request?lang=my", app.address)).send().await.unwrap();
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(html.contains("<html lang=\"my\""), "Burmese page");
    assert!(html.contains("href=\"/exit\""), "quick exit");
    assert!(!html.contains("<script"));
    let token = hidden(&html, "token");
    let csrf = hidden(&html, "csrf");
    let submit = |narrative: &'static str| {
        browser
            .post(format!("{}/request?lang=my", app.address))
            .form(&[
                ("token", token.as_str()),
                ("csrf", csrf.as_str()),
                ("narrative", narrative),
                ("country", "MM"),
                ("needs", "legal"),
                ("needs", "relocation"),
                ("contact", CONTACT),
            ])
            .send()
    };
    let response = submit(NARRATIVE).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/request/received?lang=my&receipt="), "{location}");
    let receipt = browser
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open the page")
        .await;
    let codes: Vec<String> =
        receipt.split("<code class=\"secret\">").skip(1).map(|s| s.split('<').next().unwrap().to_owned()).collect();
    let (reference, passphrase) = (codes[0].clone(), codes[1].clone());
    assert!(reference.starts_with("SH-"));
    // Reloading the receipt shows no passphrase; resending the form makes no second case.
    let reload = browser
        .get(format!("{}{location}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open the page")
        .await;
    assert!(!reload.contains(&passphrase));
    assert_eq!(submit(NARRATIVE).await.unwrap().status(), StatusCode::SEE_OTHER);
    assert_eq!(cases(&app).await, 1);
    let needs: Vec<String> = sqlx::query_scalar("select needs from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(needs, vec!["legal", "relocation"]);

    // The portal: wrong passphrase refused, right one opens the case.
    let portal = client();
    let wrong = app.portal_form(&portal, &reference, "wrong words here").await;
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let typed = reference.to_lowercase().replace('-', " ");
    let opened = app.portal_form(&portal, &typed, &passphrase).await;
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let cookie = opened.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    let page = portal
        .get(format!("{}/status/case?lang=my", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=my")
        .await;
    assert!(page.contains(&reference));
    let csrf = hidden(&page, "csrf");
    let sent = portal
        .post(format!("{}/status/messages?lang=my", app.address))
        .form(&[("csrf", csrf.as_str()), ("body", "<script>alert('x')</script> ကျေးဇူးတင်ပါသည်")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let page = portal
        .get(format!("{}/status/case?lang=my", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=my")
        .await;
    assert!(page.contains("&lt;script&gt;alert"), "shown escaped");
    assert!(!page.contains("<script>alert"));
    let forged = portal
        .post(format!("{}/status/messages?lang=my", app.address))
        .form(&[("csrf", "forged"), ("body", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let messages: i64 = sqlx::query_scalar("select count(*) from case_message").fetch_one(&app.db).await.unwrap();
    assert_eq!(messages, 1);
}

#[tokio::test]
async fn the_portal_api_shows_status_and_takes_messages() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "help", "country": "LA", "language": "lo"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let response = app
        .post_json(
            "/api/v1/requester/token",
            None,
            &json!({"reference": filed["reference"], "passphrase": filed["passphrase"]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let token = response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    let sent = app.post_json("/api/v1/requester/messages", Some(&token), &json!({"body": "Any news?"})).await;
    assert_eq!(sent.status(), StatusCode::CREATED);
    assert_eq!(app.post_json("/api/v1/requester/messages", Some(&token), &json!({"body": "  "})).await.status(), 422);
    let case: Value = app
        .get_api("/api/v1/requester/case", &token)
        .await
        .expect_json(StatusCode::OK, "read the requester's case")
        .await;
    assert_eq!(case["status"], "received");
    assert!(!case["status_text"].as_str().unwrap().is_empty());
    assert_eq!(case["messages"][0]["from"], "you");
    assert_eq!(case["messages"][0]["body"], "Any news?");
    // A staff token is not a requester token, and the other way round.
    assert_eq!(app.get_api("/api/v1/auth/me", &token).await.status(), 401);
}

#[tokio::test]
async fn wrong_passphrases_are_throttled_the_same_for_unknown_references() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "help", "country": "VN"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let app = &app;
    let attempt = |reference: Value, passphrase: &str| {
        let body = json!({"reference": reference, "passphrase": passphrase});
        async move { app.post_json("/api/v1/requester/token", None, &body).await }
    };
    let wrong = attempt(filed["reference"].clone(), "not the words").await;
    let unknown = attempt(json!("SH-0000-0000"), "not the words").await;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (mut a, mut b): (Value, Value) = (wrong.json().await.unwrap(), unknown.json().await.unwrap());
    a["error"]["request_id"] = Value::Null;
    b["error"]["request_id"] = Value::Null;
    assert_eq!(a, b, "no difference between a wrong passphrase and an unknown reference");
    for _ in 0..4 {
        attempt(filed["reference"].clone(), "not the words").await;
        attempt(json!("SH-0000-0000"), "not the words").await;
    }
    let locked = attempt(filed["reference"].clone(), filed["passphrase"].as_str().unwrap()).await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS, "paused even with the right passphrase");
    assert_eq!(attempt(json!("SH-0000-0000"), "x").await.status(), StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(chrono::Duration::minutes(2));
    assert_eq!(attempt(filed["reference"].clone(), filed["passphrase"].as_str().unwrap()).await.status(), 200);
}

#[tokio::test]
async fn portal_sessions_end_after_15_minutes_idle_and_2_hours_in_all() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "help", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let token = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    app.clock.advance(chrono::Duration::minutes(16));
    assert_eq!(app.get_api("/api/v1/requester/case", &token).await.status(), 401, "idle");
    let token = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    for _ in 0..11 {
        app.clock.advance(chrono::Duration::minutes(10));
        assert_eq!(app.get_api("/api/v1/requester/case", &token).await.status(), 200);
    }
    app.clock.advance(chrono::Duration::minutes(10));
    assert_eq!(app.get_api("/api/v1/requester/case", &token).await.status(), 401, "2 hours");
}

#[tokio::test]
async fn no_table_holds_a_narrative_contact_or_passphrase_in_plain() {
    let app = TestApp::spawn().await;
    let filed =
        file(&app, json!({"narrative": NARRATIVE, "country": "MM", "contact": CONTACT, "place": "unique-place-55aa"}))
            .await
            .expect_json(StatusCode::CREATED, "file a case")
            .await;
    let token = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    app.post_json("/api/v1/requester/messages", Some(&token), &json!({"body": "unique-message-c0ffee"}))
        .await
        .expect_status(StatusCode::CREATED, "the requester messages")
        .await;
    let mut conn = app.owner().await;
    let tables: Vec<String> = sqlx::query_scalar("select tablename::text from pg_tables where schemaname = 'public'")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    let passphrase = filed["passphrase"].as_str().unwrap();
    for table in tables {
        let dump: Option<String> = sqlx::query_scalar(&format!("select string_agg(t::text, ' ') from \"{table}\" t"))
            .fetch_one(&mut conn)
            .await
            .unwrap();
        let dump = dump.unwrap_or_default();
        for secret in
            ["unique-narrative-7f3a", "unique-contact-91c2", "unique-place-55aa", "unique-message-c0ffee", passphrase]
        {
            assert!(!dump.contains(secret), "{table} holds {secret} in plain");
        }
    }
}

#[tokio::test]
async fn ciphertexts_swapped_between_cases_do_not_open() {
    let app = TestApp::spawn().await;
    for narrative in ["first", "second"] {
        file(&app, json!({"narrative": narrative, "country": "TH"}))
            .await
            .expect_status(StatusCode::CREATED, "file a case")
            .await;
    }
    let rows: Vec<(uuid::Uuid, Vec<u8>, Vec<u8>)> = sqlx::query_as(
        "select c.case_id, c.sealed_key, f.ciphertext from cases c join case_field f using (case_id) where f.field = 'narrative' order by c.created_at",
    )
    .fetch_all(&app.db)
    .await
    .unwrap();
    let keys = &app.identity.keys;
    let (a, b) = (&rows[0], &rows[1]);
    let key_a = CaseKey::open(keys, a.0, &a.1).unwrap();
    assert_eq!(key_a.open_text("narrative", &a.2).unwrap(), "first");
    assert!(key_a.open_field("narrative", &b.2).is_err(), "b's narrative under a's key");
    assert!(key_a.open_field("contact", &a.2).is_err(), "a's narrative as another field");
    assert!(CaseKey::open(keys, b.0, &a.1).is_err(), "a's sealed key under b's id");
}

#[tokio::test]
async fn quick_exit_ends_the_session_and_leaves() {
    let app = TestApp::spawn().await;
    let filed = file(&app, json!({"narrative": "help", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let portal = client();
    app.portal_form(&portal, filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap())
        .await
        .expect_status(StatusCode::SEE_OTHER, "portal sign-in")
        .await;
    assert_eq!(portal.get(format!("{}/status/case", app.address)).send().await.unwrap().status(), 200);
    let exit = portal.get(format!("{}/exit", app.address)).send().await.unwrap();
    assert_eq!(exit.status(), StatusCode::SEE_OTHER);
    assert_eq!(exit.headers()["location"], "https://www.wikipedia.org/");
    assert!(exit.headers()["clear-site-data"].to_str().unwrap().contains("cookies"));
    let ended: i64 = sqlx::query_scalar("select count(*) from requester_session where ended_at is not null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(ended, 1);
    assert_eq!(
        portal.get(format!("{}/status/case", app.address)).send().await.unwrap().status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn every_requester_page_in_every_language_weighs_under_30_kb() {
    let app = TestApp::spawn().await;
    let css = app.get("/assets/style.css").await.expect_text(StatusCode::OK, "open /assets/style.css").await.len();
    let mut report = vec![];
    for lang in ["en", "my", "th", "km", "lo", "vi", "zh-Hans"] {
        for path in ["/request", "/status", "/safety", "/request/received"] {
            let response = app.get(&format!("{path}?lang={lang}")).await;
            assert_eq!(response.status(), 200, "{path} {lang}");
            let html = response.text().await.unwrap();
            assert!(!html.contains("<script") && !html.contains("http://"), "{path} {lang}");
            assert!(html.contains("href=\"/exit\""), "{path} {lang} has a quick exit");
            let weight = html.len() + css;
            report.push(format!("{path}?lang={lang}: {weight} B"));
            assert!(weight < 30 * 1024, "{path}?lang={lang} weighs {weight} bytes");
        }
    }
    println!("page weights (HTML + CSS):\n{}", report.join("\n"));
}

#[tokio::test]
async fn too_many_requests_from_one_address_are_refused_in_the_language() {
    let mut settings = test_settings();
    settings.intake_per_hour = 2;
    settings.intake_burst = 2;
    let app = TestApp::spawn_with(settings).await;
    for _ in 0..2 {
        assert_eq!(file(&app, json!({"narrative": "x", "country": "TH"})).await.status(), 201);
    }
    let refused = file(&app, json!({"narrative": "x", "country": "TH", "language": "vi"})).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = app.get("/request?lang=km").await.expect_text(StatusCode::OK, "open /request?lang=km").await;
    let csrf = hidden(&page, "csrf");
    let form = app
        .client
        .post(format!("{}/request?lang=km", app.address))
        .form(&[("csrf", csrf.as_str()), ("narrative", "x"), ("country", "KH")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(cases(&app).await, 2);
}
