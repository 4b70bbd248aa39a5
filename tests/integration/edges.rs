//! Issue 13's edges: what leaked, what answered 500, what broke; each fixed behaviour here.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} in page")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// The narrative of the only case, as its handler reads it.
async fn narrative_of_the_case(app: &TestApp) -> String {
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let handler = app.staff(&[Role::Handler]).await;
    let token = app.token(&handler).await;
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let case: Value = app
        .get_api(&format!("/api/v1/cases/{case_id}"), &token)
        .await
        .expect_json(StatusCode::OK, "read the case")
        .await;
    let fields = case["fields"].as_array().unwrap();
    let narrative = fields.iter().find(|f| f["name"] == "narrative").unwrap();
    narrative["value"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_narrative_reshown_in_the_intake_form_cannot_close_its_textarea() {
    let app = TestApp::spawn().await;
    let html = app.get("/request").await.expect_text(StatusCode::OK, "open /request").await;
    let (token, csrf) = (hidden(&html, "token"), hidden(&html, "csrf"));
    let attack = "</textarea><h1 id=\"injected\">x</h1>";
    // No country: the form comes back with the narrative in its textarea.
    let response = app
        .client
        .post(format!("{}/request", app.address))
        .form(&[("token", token.as_str()), ("csrf", csrf.as_str()), ("narrative", attack), ("country", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(!html.contains("<h1 id=\"injected\">"), "the narrative became markup");
    assert!(html.contains("&lt;/textarea&gt;&lt;h1 id=\"injected\"&gt;x&lt;/h1&gt;</textarea>"), "shown as typed");
}

#[tokio::test]
async fn bidi_controls_are_stripped_from_json_text() {
    let app = TestApp::spawn().await;
    let narrative = "Fined \u{202E}000,01\u{202C} kyat by \u{2066}the court\u{2069}";
    let filed = app.post_json("/api/v1/intake", None, &json!({"narrative": narrative, "country": "MM"})).await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    assert_eq!(narrative_of_the_case(&app).await, "Fined 000,01 kyat by the court");
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let partner = json!({"name": "Law \u{202E}mriF", "kind": "lawyer", "countries": ["MM"], "expertise": []});
    assert_eq!(app.post_json("/api/v1/partners", Some(&admin), &partner).await.status(), StatusCode::CREATED);
    let listed = app.get_api("/api/v1/partners", &admin).await.expect_text(StatusCode::OK, "read the partners").await;
    assert!(listed.contains("Law mriF") && !listed.contains('\u{202E}'), "{listed}");
}

#[tokio::test]
async fn bidi_controls_are_stripped_from_form_text() {
    let app = TestApp::spawn().await;
    let html = app.get("/request").await.expect_text(StatusCode::OK, "open /request").await;
    let (token, csrf) = (hidden(&html, "token"), hidden(&html, "csrf"));
    let response = app
        .client
        .post(format!("{}/request", app.address))
        .form(&[
            ("token", token.as_str()),
            ("csrf", csrf.as_str()),
            ("narrative", "Owes \u{202E}0001\u{202C} baht"),
            ("country", "TH"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(narrative_of_the_case(&app).await, "Owes 0001 baht");
}

#[tokio::test]
async fn anyone_who_knows_a_reference_can_pause_its_portal_for_minutes_not_hours() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "x", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let attempt = |passphrase: &str| {
        let body = json!({"reference": filed["reference"], "passphrase": passphrase});
        let app = &app;
        async move { app.post_json("/api/v1/requester/token", None, &body).await.status() }
    };
    // An attacker keeps failing, every time the pause ends, for an hour and more.
    for _ in 0..15 {
        while attempt("wrong words").await != StatusCode::TOO_MANY_REQUESTS {}
        app.clock.advance(chrono::Duration::seconds(5 * 60 + 1));
    }
    while attempt("wrong words").await != StatusCode::TOO_MANY_REQUESTS {}
    assert_eq!(attempt(filed["passphrase"].as_str().unwrap()).await, StatusCode::TOO_MANY_REQUESTS);
    app.clock.advance(chrono::Duration::seconds(5 * 60 + 1));
    assert_eq!(attempt(filed["passphrase"].as_str().unwrap()).await, StatusCode::OK, "five minutes at most");
}

#[tokio::test]
async fn pre_sign_in_forms_need_their_double_submit_token_whatever_the_origin_says() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "x", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let (reference, passphrase) = (filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap());
    // An older phone browser: `Origin: null`, no Fetch Metadata. Without the token, refused.
    let forged = |path: &str, form: Vec<(&'static str, String)>| {
        app.client.post(format!("{}{path}", app.address)).header("origin", "null").form(&form).send()
    };
    let sign_in = vec![("reference", reference.to_owned()), ("passphrase", passphrase.to_owned())];
    let refused = forged("/status", sign_in.clone()).await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN, "portal sign-in without its token");
    assert!(refused.headers().get("set-cookie").is_none_or(|c| !c.to_str().unwrap().contains("shelter_requester")));
    let before: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&app.db).await.unwrap();
    let intake = vec![("narrative", "filed by another site".to_owned()), ("country", "TH".to_owned())];
    assert_eq!(forged("/request", intake).await.unwrap().status(), StatusCode::FORBIDDEN, "intake without its token");
    let after: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(before, after, "nothing filed");
    // The same browser with the page's token (and its cookie) gets through.
    let page = app.get("/status").await.expect_text(StatusCode::OK, "open /status").await;
    let mut with_token = sign_in.clone();
    with_token.push(("csrf", hidden(&page, "csrf")));
    assert_eq!(forged("/status", with_token).await.unwrap().status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn twenty_concurrent_writes_through_a_pool_of_two_all_succeed() {
    let mut settings = crate::helpers::test_settings();
    settings.db_pool_size = 2;
    let app = TestApp::spawn_with(settings).await;
    app.post_json("/api/v1/intake", None, &json!({"narrative": "x", "country": "TH"}))
        .await
        .expect_status(StatusCode::CREATED, "file a case")
        .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let handler = app.staff(&[Role::Handler]).await;
    let token = app.token(&handler).await;
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    // Each write seals with the case key inside its transaction; a second connection taken
    // there would leave every request waiting on the pool until the acquire timeout.
    let writes = (0..20).map(|i| {
        let (app, token) = (&app, &token);
        async move {
            let path = if i % 2 == 0 { "messages" } else { "notes" };
            let body = json!({"body": format!("update {i}")});
            app.post_json(&format!("/api/v1/cases/{case_id}/{path}"), Some(token), &body).await.status()
        }
    });
    let reads = (0..5).map(|_| {
        let (app, token) = (&app, &token);
        async move { app.get_api(&format!("/api/v1/cases/{case_id}"), token).await.status() }
    });
    let (written, read) = tokio::join!(futures_util::future::join_all(writes), futures_util::future::join_all(reads));
    assert!(written.iter().all(|s| *s == StatusCode::CREATED), "{written:?}");
    assert!(read.iter().all(|s| *s == StatusCode::OK), "{read:?}");
}

#[tokio::test]
async fn page_numbers_beyond_any_offset_are_refused_not_overflowed() {
    let app = TestApp::spawn().await;
    let handler = app.staff(&[Role::Handler]).await;
    let token = app.token(&handler).await;
    for page in ["9223372036854775807", "10001", "0"] {
        let response = app.get_api(&format!("/api/v1/cases?page={page}"), &token).await;
        assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "page {page}");
    }
    assert_eq!(app.get_api("/api/v1/cases?page=10000", &token).await.status(), StatusCode::OK);
    let browser = app.browser(&handler).await;
    let page = browser.get(format!("{}/staff?page=9223372036854775807", app.address)).send().await.unwrap();
    assert!(page.status().is_client_error() || page.status().is_success(), "{}", page.status());
    assert!(page.text().await.unwrap().contains("page must be between 1 and 10000"));
}

#[tokio::test]
async fn an_error_body_never_claims_a_compression_it_does_not_have() {
    let app = TestApp::spawn().await;
    // A supervisor may read both the queue and the trail: the policy is asked before the
    // query is read, so a handler would get 403 on the trail before any 400.
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&supervisor).await;
    for path in ["/api/v1/cases/not-a-uuid", "/api/v1/cases?per_page=many", "/api/v1/audit?limit=x"] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .bearer_auth(&token)
            .header("accept-encoding", "gzip")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        assert!(response.headers().get("content-encoding").is_none(), "{path}");
        let body: Value = serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
        assert!(body["error"]["message"].is_string(), "{path}");
    }
}

#[tokio::test]
async fn the_audit_trail_is_filtered_by_a_case_reference_as_by_its_id() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "x", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let token = app.token(&supervisor).await;
    let reference = filed["reference"].as_str().unwrap();
    let actions = |query: String| {
        let (app, token) = (&app, &token);
        async move {
            let page: Value = app
                .get_api(&format!("/api/v1/audit?case={query}"), token)
                .await
                .expect_json(StatusCode::OK, "read the audit log")
                .await;
            page["entries"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["action"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    let by_id = actions(case_id.to_string()).await;
    assert!(by_id.contains(&"case.created".to_owned()), "{by_id:?}");
    assert_eq!(actions(reference.to_owned()).await, by_id, "the reference finds the same entries");
    assert_eq!(actions(reference.to_lowercase().replace('-', "%20")).await, by_id, "typed as a requester would");
    assert!(actions("SH-0000-0000".into()).await.is_empty());
    let browser = app.browser(&supervisor).await;
    let page = browser
        .get(format!("{}/staff/audit?case={reference}", app.address))
        .send()
        .await
        .unwrap()
        .expect_status(StatusCode::OK, "open /staff/audit?case=")
        .await;
    let named = format!("case {reference}");
    assert!(page.text().await.unwrap().contains(&named), "the staff page filters the same way, naming the case");
    let other = browser
        .get(format!("{}/staff/audit?case=SH-0000-0000", app.address))
        .send()
        .await
        .unwrap()
        .expect_status(StatusCode::OK, "open /staff/audit?case=SH-0000-0000")
        .await;
    assert!(!other.text().await.unwrap().contains(&named));
}

#[tokio::test]
async fn no_browser_form_is_taken_with_origin_null_and_no_fetch_metadata_without_its_token() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "x", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let everyone = app.staff(&[Role::Admin, Role::Supervisor, Role::Handler, Role::Finance]).await;
    let staff = app.browser(&everyone).await;
    let portal =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    let signed_in =
        app.portal_form(&portal, filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap()).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let id = "00000000-0000-0000-0000-000000000000";
    let staff_paths = [
        "/staff/sign-out",
        "/staff/step-up",
        "/staff/account/password",
        "/staff/account/recovery-codes",
        "/staff/account/sessions/end-all",
        &format!("/staff/account/sessions/{id}/end"),
        "/staff/audit/1/review",
        "/staff/audit/export",
        &format!("/staff/cases/{id}/claim"),
        &format!("/staff/cases/{id}/conflict"),
        &format!("/staff/cases/{id}/messages"),
        &format!("/staff/cases/{id}/notes"),
        &format!("/staff/cases/{id}/tasks/{id}/done"),
        &format!("/staff/cases/{id}/hold"),
        "/staff/funds",
        "/staff/grants/export",
        &format!("/staff/grants/{id}/approve"),
        &format!("/staff/cases/{id}/grants"),
        "/staff/partners",
        &format!("/staff/partners/{id}/capacity"),
        &format!("/staff/cases/{id}/referrals"),
        &format!("/staff/cases/{id}/referrals/{id}/withdraw"),
        &format!("/staff/partner/referrals/{id}/accept"),
        &format!("/staff/cases/{id}/referrals/{id}/messages"),
        &format!("/staff/partner/referrals/{id}/messages"),
        "/staff/users",
        &format!("/staff/users/{id}/disable"),
        &format!("/staff/users/{id}/unlock"),
        &format!("/staff/users/{id}/reset-2fa"),
        "/staff/sign-in",
        "/staff/sign-in/totp",
        "/staff/sign-in/recovery",
        "/staff/enrol",
        "/staff/enrol/confirm",
    ]
    .map(str::to_owned);
    let portal_paths = [
        "/status/messages".to_owned(),
        "/status/sign-out".to_owned(),
        "/status/attachments".to_owned(),
        format!("/status/referrals/{id}/consent"),
        format!("/status/grants/{id}/receipt"),
        "/status".to_owned(),
        "/request".to_owned(),
    ];
    let form = [
        ("csrf", "forged"),
        ("body", "x"),
        ("rationale", "x"),
        ("code", "123456"),
        ("narrative", "x"),
        ("country", "TH"),
    ];
    for (client, paths) in [(&staff, &staff_paths[..]), (&portal, &portal_paths[..])] {
        for path in paths {
            let response = client
                .post(format!("{}{path}", app.address))
                .header("origin", "null")
                .form(&form)
                .send()
                .await
                .unwrap();
            let status = response.status();
            assert!(status.is_client_error(), "{path}: {status}");
        }
    }
    // Both sessions still work: nothing above signed anyone out.
    assert_eq!(staff.get(format!("{}/staff/account", app.address)).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(portal.get(format!("{}/status/case", app.address)).send().await.unwrap().status(), StatusCode::OK);
}
