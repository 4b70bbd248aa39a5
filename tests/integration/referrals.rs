//! Legal referral over HTTP: propose → approve → consent in the portal → the partner
//! accepts → outcome; and what partners can never see.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;

struct World {
    handler_user: crate::staff::TestUser,
    partner_a_user: crate::staff::TestUser,
    case_id: Uuid,
    requester: String,
    handler: String,
    supervisor: String,
    partner_a: (Uuid, String),
    partner_b: (Uuid, String),
}

async fn partner_account(app: &TestApp, admin: &str, name: &str) -> (Uuid, String) {
    let (id, _, token) = partner_user(app, admin, name).await;
    (id, token)
}

async fn partner_user(app: &TestApp, admin: &str, name: &str) -> (Uuid, crate::staff::TestUser, String) {
    let body = json!({"name": name, "kind": "lawyer", "countries": ["MM"], "expertise": ["criminal_defence"]});
    let id: Uuid = app
        .post_json("/api/v1/partners", Some(admin), &body)
        .await
        .expect_json(StatusCode::CREATED, "add a partner")
        .await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // The account is created by an administrator, bound to its organisation.
    let email = format!("{}@partner.example.org", Uuid::new_v4().simple());
    let body = json!({"email": email, "name": name, "roles": ["partner"], "partner_id": id});
    let created: Value = app
        .post_json("/api/v1/admin/users", Some(admin), &body)
        .await
        .expect_json(StatusCode::CREATED, "create an account")
        .await;
    let user = app.enrol(&email, created["enrolment_code"].as_str().unwrap()).await;
    let token = app.token(&user).await;
    (id, user, token)
}

/// A referral proposed by the handler and approved by the supervisor; its id.
async fn proposed_and_approved(app: &TestApp, w: &World, body: &Value) -> String {
    let proposed = app.post_json(&format!("/api/v1/cases/{}/referrals", w.case_id), Some(&w.handler), body).await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let referral = proposed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let approved = app
        .post_json(&format!("/api/v1/referrals/{referral}/approve"), Some(&w.supervisor), &json!({"rationale": "fine"}))
        .await;
    assert_eq!(approved.status(), StatusCode::OK);
    referral
}

async fn world(app: &TestApp) -> World {
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "Arrested at the protest unique-narr-2020", "country": "MM",
            "contact": "signal unique-contact-3030", "at_risk": "Ko Aung unique-name-4040", "kind": "arrest_detention"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let requester = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let handler_user = app.staff(&[Role::Handler]).await;
    let handler = app.token(&handler_user).await;
    let supervisor_user = app.staff(&[Role::Supervisor]).await;
    let supervisor = app.token(&supervisor_user).await;
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&handler), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let (partner_a_id, partner_a_user, partner_a_token) = partner_user(app, &admin, "Partner A").await;
    let partner_a = (partner_a_id, partner_a_token);
    let partner_b = partner_account(app, &admin, "Partner B").await;
    World { handler_user, partner_a_user, case_id, requester, handler, supervisor, partner_a, partner_b }
}

#[tokio::test]
async fn the_full_path_with_approval_consent_and_outcome() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let proposed = app
        .post_json(&format!("/api/v1/cases/{}/referrals", w.case_id), Some(&w.handler),
            &json!({"partner_id": w.partner_a.0, "purpose": "Defence at the bail hearing", "summary": "Detained since Monday"}))
        .await;
    assert_eq!(proposed.status(), StatusCode::CREATED);
    let referral = proposed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    // The arrest playbook needs a supervisor's approval first; nothing reaches the partner yet.
    let partner_view: Value = app
        .get_api("/api/v1/partner/referrals", &w.partner_a.1)
        .await
        .expect_json(StatusCode::OK, "read the partner's referrals")
        .await;
    assert!(partner_view.as_array().unwrap().is_empty());
    let requester_view: Value = app
        .get_api("/api/v1/requester/referrals", &w.requester)
        .await
        .expect_json(StatusCode::OK, "read the requester's referrals")
        .await;
    assert!(requester_view.as_array().unwrap().is_empty(), "not shown for consent before approval");
    assert_eq!(
        app.post_json(&format!("/api/v1/referrals/{referral}/approve"), Some(&w.handler), &json!({"rationale": "ok"}))
            .await
            .status(),
        403
    );
    let approved = app
        .post_json(
            &format!("/api/v1/referrals/{referral}/approve"),
            Some(&w.supervisor),
            &json!({"rationale": "Partner A has capacity"}),
        )
        .await;
    assert_eq!(approved.status(), 200);
    assert_eq!(approved.json::<Value>().await.unwrap()["status"], "awaiting_consent");

    // The requester sees exactly what will be shared, and with whom.
    let asked: Value = app
        .get_api("/api/v1/requester/referrals", &w.requester)
        .await
        .expect_json(StatusCode::OK, "read the requester's referrals")
        .await;
    assert_eq!(asked[0]["partner_name"], "Partner A");
    assert_eq!(asked[0]["fields"], json!(["kind", "country", "legal_help", "summary"]));
    assert_eq!(asked[0]["packet"]["summary"], "Detained since Monday");
    assert!(
        app.get_api("/api/v1/partner/referrals", &w.partner_a.1)
            .await
            .expect_json(StatusCode::OK, "read the partner's referrals")
            .await
            .as_array()
            .unwrap()
            .is_empty(),
        "no packet before consent"
    );
    assert_eq!(
        app.post_json(&format!("/api/v1/requester/referrals/{referral}/consent"), Some(&w.requester), &json!({}))
            .await
            .status(),
        204
    );

    // The partner sees the minimal packet only, accepts, reports the outcome.
    let packets: Value = app
        .get_api("/api/v1/partner/referrals", &w.partner_a.1)
        .await
        .expect_json(StatusCode::OK, "read the partner's referrals")
        .await;
    assert_eq!(packets.as_array().unwrap().len(), 1);
    assert_eq!(packets[0]["unanswered"], false);
    let text = packets.to_string();
    for secret in ["unique-narr-2020", "unique-contact-3030", "unique-name-4040"] {
        assert!(!text.contains(secret), "fields not chosen never appear: {secret}");
    }
    let path = |action: &str| format!("/api/v1/partner/referrals/{referral}/{action}");
    assert_eq!(
        app.post_json(&path("conclude"), Some(&w.partner_a.1), &json!({"text": "too early"})).await.status(),
        409
    );
    assert_eq!(app.post_json(&path("accept"), Some(&w.partner_a.1), &json!({})).await.status(), 204);
    assert_eq!(app.post_json(&path("conclude"), Some(&w.partner_a.1), &json!({"text": ""})).await.status(), 422);
    assert_eq!(
        app.post_json(&path("conclude"), Some(&w.partner_a.1), &json!({"text": "Released on bail"})).await.status(),
        204
    );
    let handler_view: Value = app
        .get_api(&format!("/api/v1/cases/{}/referrals", w.case_id), &w.handler)
        .await
        .expect_json(StatusCode::OK, "read the case's referrals")
        .await;
    assert_eq!(handler_view[0]["status"], "concluded");
    assert_eq!(handler_view[0]["answer"], "Released on bail");
    let actions: Vec<String> =
        sqlx::query_scalar("select action from audit_log where action like 'referral.%' order by seq")
            .fetch_all(&app.db)
            .await
            .unwrap();
    for expected in [
        "referral.proposed",
        "referral.approved",
        "referral.consented",
        "referral.read",
        "referral.accepted",
        "referral.concluded",
    ] {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

#[tokio::test]
async fn partners_reach_nothing_else_and_lose_access_on_withdrawal() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let body = json!({"partner_id": w.partner_a.0, "purpose": "Defence", "summary": "Summary", "fields": ["narrative", "names"]});
    let referral = proposed_and_approved(&app, &w, &body).await;
    // Consent recorded by the handler, asked by phone.
    assert_eq!(
        app.post_json(&format!("/api/v1/referrals/{referral}/consent"), Some(&w.handler), &json!({})).await.status(),
        422,
        "needs a rationale"
    );
    assert_eq!(
        app.post_json(
            &format!("/api/v1/referrals/{referral}/consent"),
            Some(&w.handler),
            &json!({"rationale": "Agreed on a Signal call"})
        )
        .await
        .status(),
        200
    );
    let packets: Value = app
        .get_api("/api/v1/partner/referrals", &w.partner_a.1)
        .await
        .expect_json(StatusCode::OK, "read the partner's referrals")
        .await;
    assert!(
        packets.to_string().contains("unique-narr-2020") && packets.to_string().contains("unique-name-4040"),
        "chosen fields are there"
    );
    assert!(!packets.to_string().contains("unique-contact-3030"), "the contact was not chosen");

    // Partner B sees nothing of it, by any route.
    assert!(
        app.get_api("/api/v1/partner/referrals", &w.partner_b.1)
            .await
            .expect_json(StatusCode::OK, "read the partner's referrals")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.post_json(&format!("/api/v1/partner/referrals/{referral}/accept"), Some(&w.partner_b.1), &json!({}))
            .await
            .status(),
        404
    );
    for path in [
        format!("/api/v1/cases/{}", w.case_id),
        "/api/v1/cases".to_owned(),
        format!("/api/v1/cases/{}/referrals", w.case_id),
    ] {
        assert_eq!(app.get_api(&path, &w.partner_a.1).await.status(), 403, "{path}");
    }

    // The partner and the handler talk about the referral; nobody else can join.
    let to_handler = json!({"body": "We need the charge sheet"});
    assert_eq!(
        app.post_json(&format!("/api/v1/partner/referrals/{referral}/messages"), Some(&w.partner_a.1), &to_handler)
            .await
            .status(),
        201
    );
    assert_eq!(
        app.post_json(&format!("/api/v1/partner/referrals/{referral}/messages"), Some(&w.partner_b.1), &to_handler)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.post_json(
            &format!("/api/v1/referrals/{referral}/messages"),
            Some(&w.handler),
            &json!({"body": "Sending it today"})
        )
        .await
        .status(),
        201
    );
    let thread: Value = app
        .get_api(&format!("/api/v1/cases/{}/referrals", w.case_id), &w.handler)
        .await
        .expect_json(StatusCode::OK, "read the case's referrals")
        .await;
    assert_eq!(thread[0]["messages"].as_array().unwrap().len(), 2);
    assert_eq!(thread[0]["messages"][0]["from_partner"], true);
    let requester_sees: Value = app
        .get_api("/api/v1/requester/referrals", &w.requester)
        .await
        .expect_json(StatusCode::OK, "read the requester's referrals")
        .await;
    assert!(requester_sees[0]["messages"].as_array().unwrap().is_empty());

    // The requester withdraws: the partner's access ends at once.
    assert_eq!(
        app.post_json(&format!("/api/v1/requester/referrals/{referral}/withdraw"), Some(&w.requester), &json!({}))
            .await
            .status(),
        204
    );
    assert!(
        app.get_api("/api/v1/partner/referrals", &w.partner_a.1)
            .await
            .expect_json(StatusCode::OK, "read the partner's referrals")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        app.post_json(&format!("/api/v1/partner/referrals/{referral}/accept"), Some(&w.partner_a.1), &json!({}))
            .await
            .status(),
        404
    );
    let late = app
        .post_json(&format!("/api/v1/partner/referrals/{referral}/messages"), Some(&w.partner_a.1), &to_handler)
        .await;
    assert_eq!(late.status(), 404, "no messages after withdrawal");
    let sealed: Vec<u8> = sqlx::query_scalar("select packet_sealed from referral").fetch_one(&app.db).await.unwrap();
    assert!(!sealed.windows(10).any(|w| w == b"unique-nar"), "the packet stays sealed for the record");
}

#[tokio::test]
async fn a_referral_not_accepted_within_48_hours_is_flagged() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let body = json!({"partner_id": w.partner_a.0, "purpose": "Defence", "summary": "Summary"});
    let referral = proposed_and_approved(&app, &w, &body).await;
    app.post_json(&format!("/api/v1/requester/referrals/{referral}/consent"), Some(&w.requester), &json!({}))
        .await
        .expect_status(StatusCode::NO_CONTENT, "the requester consents")
        .await;
    // Sent: the partner organisation's accounts are told.
    let kinds = |email: String| crate::notify::in_app_kinds_by_email(&app, email);
    assert_eq!(kinds(w.partner_a_user.email.clone()).await, ["referral_received"]);
    let fresh: Value = app
        .get_api(&format!("/api/v1/cases/{}/referrals", w.case_id), &w.handler)
        .await
        .expect_json(StatusCode::OK, "read the case's referrals")
        .await;
    assert_eq!(fresh[0]["unanswered"], false);
    app.clock.advance(chrono::Duration::hours(49));
    let handler = app.token(&w.handler_user).await;
    let later: Value = app
        .get_api(&format!("/api/v1/cases/{}/referrals", w.case_id), &handler)
        .await
        .expect_json(StatusCode::OK, "read the case's referrals")
        .await;
    assert_eq!(later[0]["unanswered"], true, "flagged so the handler can refer elsewhere");
    assert_eq!(app.notify.remind_unanswered_referrals().await.unwrap(), 1, "and told");
    assert_eq!(app.notify.remind_unanswered_referrals().await.unwrap(), 0, "once");
    assert!(kinds(w.handler_user.email.clone()).await.contains(&"referral_unanswered".to_owned()));
}

#[tokio::test]
async fn partner_accounts_belong_to_a_known_partner() {
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let body =
        json!({"email": "x@partner.example.org", "name": "X", "roles": ["partner"], "partner_id": Uuid::new_v4()});
    assert_eq!(app.post_json("/api/v1/admin/users", Some(&admin), &body).await.status(), 422, "unknown partner");
    let body =
        json!({"email": "y@partner.example.org", "name": "Y", "roles": ["handler"], "partner_id": Uuid::new_v4()});
    assert_eq!(app.post_json("/api/v1/admin/users", Some(&admin), &body).await.status(), 422, "only partner accounts");
    // A partner account without an organisation sees no packets at all.
    let loose = app.staff(&[Role::Partner]).await;
    let token = app.token(&loose).await;
    assert_eq!(app.get_api("/api/v1/partner/referrals", &token).await.status(), 403);
}

#[tokio::test]
async fn the_requester_may_refuse() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let body = json!({"partner_id": w.partner_b.0, "purpose": "Defence", "summary": "Summary"});
    let referral = proposed_and_approved(&app, &w, &body).await;
    assert_eq!(
        app.post_json(&format!("/api/v1/requester/referrals/{referral}/refuse"), Some(&w.requester), &json!({}))
            .await
            .status(),
        204
    );
    assert_eq!(
        app.post_json(&format!("/api/v1/requester/referrals/{referral}/consent"), Some(&w.requester), &json!({}))
            .await
            .status(),
        409,
        "refused is final"
    );
    assert!(
        app.get_api("/api/v1/partner/referrals", &w.partner_b.1)
            .await
            .expect_json(StatusCode::OK, "read the partner's referrals")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    let refused: i64 = sqlx::query_scalar("select count(*) from audit_log where action = 'referral.refused'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(refused, 1);
}

#[tokio::test]
async fn the_requester_consents_in_the_portal_page_seeing_exactly_what_is_shared() {
    let app = TestApp::spawn().await;
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "Charged for a protest", "country": "TH", "language": "th", "kind": "criminal_charges"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let (partner, partner_token) = partner_account(&app, &admin, "Bangkok Rights Lawyers").await;
    let handler = app.staff(&[Role::Supervisor]).await;
    let handler = app.token(&handler).await;
    let body =
        json!({"partner_id": partner, "purpose": "Defence against the charge", "summary": "Charged under section 116"});
    let referral = app
        .post_json(&format!("/api/v1/cases/{case_id}/referrals"), Some(&handler), &body)
        .await
        .expect_json(StatusCode::CREATED, "propose a referral")
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // Another supervisor approves: nobody approves their own proposal.
    let approver = app.staff(&[Role::Supervisor]).await;
    let approver = app.token(&approver).await;
    app.post_json(&format!("/api/v1/referrals/{referral}/approve"), Some(&approver), &json!({"rationale": "ok"}))
        .await
        .expect_status(StatusCode::OK, "approve the referral")
        .await;

    let portal =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    app.portal_form(&portal, filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap())
        .await
        .expect_status(StatusCode::SEE_OTHER, "portal sign-in")
        .await;
    let page = portal
        .get(format!("{}/status/case?lang=th", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status/case?lang=th")
        .await;
    assert!(
        page.contains("Bangkok Rights Lawyers") && page.contains("Charged under section 116"),
        "exactly what, and with whom"
    );
    assert!(!page.contains("Charged for a protest"), "the narrative was not chosen, so it is not listed as shared");
    let csrf = crate::staff::csrf_in(&page);
    let consented = portal
        .post(format!("{}/status/referrals/{referral}/consent?lang=th", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(consented.status(), StatusCode::SEE_OTHER);
    let seen: Value = app
        .get_api("/api/v1/partner/referrals", &partner_token)
        .await
        .expect_json(StatusCode::OK, "read the partner's referrals")
        .await;
    assert_eq!(seen.as_array().unwrap().len(), 1);
    let requester = app.requester_token(&filed["reference"], &filed["passphrase"]).await;
    let case: Value = app
        .get_api("/api/v1/requester/case", &requester)
        .await
        .expect_json(StatusCode::OK, "read the requester's case")
        .await;
    assert_eq!(case["status"], "referred");
}

#[tokio::test]
async fn handler_and_partner_work_a_referral_in_their_pages() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let handler = app.browser(&w.handler_user).await;
    let page = handler
        .get(format!("{}/staff/cases/{}", app.address, w.case_id))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/cases/{}")
        .await;
    assert!(page.contains("Refer to a partner") && page.contains("Partner A"));
    let csrf = crate::staff::csrf_in(&page);
    let partner_id = w.partner_a.0.to_string();
    let proposed = handler
        .post(format!("{}/staff/cases/{}/referrals", app.address, w.case_id))
        .form(&[
            ("csrf", csrf.as_str()),
            ("partner_id", partner_id.as_str()),
            ("purpose", "Bail hearing"),
            ("summary", "Held since Monday"),
            ("fields", "contact"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(proposed.status(), StatusCode::SEE_OTHER);
    let fields: Vec<String> = sqlx::query_scalar("select fields from referral").fetch_one(&app.db).await.unwrap();
    assert_eq!(fields, vec!["kind", "country", "legal_help", "summary", "contact"]);
    let referral: Uuid = sqlx::query_scalar("select referral_id from referral").fetch_one(&app.db).await.unwrap();
    app.post_json(&format!("/api/v1/referrals/{referral}/approve"), Some(&w.supervisor), &json!({"rationale": "ok"}))
        .await
        .expect_status(StatusCode::OK, "approve the referral")
        .await;
    let consent = handler
        .post(format!("{}/staff/cases/{}/referrals/{referral}/consent", app.address, w.case_id))
        .form(&[("csrf", csrf.as_str()), ("text", "Agreed by phone on Tuesday")])
        .send()
        .await
        .unwrap();
    assert_eq!(consent.status(), StatusCode::SEE_OTHER);

    // The partner sees the packet, with the contact that was chosen and nothing else.
    let page = app
        .get_api("/api/v1/partner/referrals", &w.partner_a.1)
        .await
        .expect_json(StatusCode::OK, "read the partner's referrals")
        .await;
    assert_eq!(page[0]["packet"]["contact"], "signal unique-contact-3030");
    assert!(page.to_string().contains("Held since Monday"));
    let partner_browser = app.browser(&w.partner_a_user).await;
    let home = partner_browser
        .get(format!("{}/staff", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff")
        .await;
    assert!(home.contains("Referrals to your organisation") && home.contains("unique-contact-3030"));
    for secret in ["unique-narr-2020", "unique-name-4040"] {
        assert!(!home.contains(secret), "not chosen, not in the partner's HTML: {secret}");
    }
    let csrf = crate::staff::csrf_in(&home);
    let accepted = partner_browser
        .post(format!("{}/staff/partner/referrals/{referral}/accept", app.address))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    let asked = partner_browser
        .post(format!("{}/staff/partner/referrals/{referral}/messages", app.address))
        .form(&[("csrf", csrf.as_str()), ("text", "Please send the summons")])
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::SEE_OTHER);
    let case_page = handler
        .get(format!("{}/staff/cases/{}", app.address, w.case_id))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /staff/cases/{}")
        .await;
    assert!(case_page.contains("Please send the summons") && case_page.contains("accepted"));
}

/// Everything in the tables as text, as `pg_dump --data-only` would show it.
async fn dump(app: &TestApp, table: &str) -> String {
    let mut owner = app.owner().await;
    let rows: Vec<String> = match table {
        "audit_log" => sqlx::query_scalar("select a::text from audit_log a").fetch_all(&mut owner).await.unwrap(),
        _ => sqlx::query_scalar("select r::text from referral r").fetch_all(&mut owner).await.unwrap(),
    };
    rows.join("\n")
}

#[tokio::test]
async fn rationales_and_purposes_are_stored_sealed_and_the_chain_verifies_without_keys() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let body =
        json!({"partner_id": w.partner_a.0, "purpose": "Bail hearing tomorrow unique-purpose-6060", "summary": "S"});
    let proposed = app
        .post_json(&format!("/api/v1/cases/{}/referrals", w.case_id), Some(&w.handler), &body)
        .await
        .expect_status(StatusCode::CREATED, "propose a referral")
        .await;
    let referral = proposed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let approved = app
        .post_json(
            &format!("/api/v1/referrals/{referral}/approve"),
            Some(&w.supervisor),
            &json!({"rationale": "Judge known to us unique-rationale-5150"}),
        )
        .await;
    assert_eq!(approved.status(), StatusCode::OK);
    let (trail, referrals) = (dump(&app, "audit_log").await, dump(&app, "referral").await);
    assert!(!trail.contains("unique-rationale-5150"), "no rationale in plain text: {trail}");
    assert!(!referrals.contains("unique-purpose-6060"), "no purpose in plain text");
    // The chain covers the sealed bytes: it verifies with no key at all.
    let report = shelter_server::audit::verify::verify(&app.db, None).await.unwrap();
    assert_eq!(report.fault, None);
    // Readers open them: the handler's view, the case's timeline, the supervisors' trail.
    let views: Value = app
        .get_api(&format!("/api/v1/cases/{}/referrals", w.case_id), &w.handler)
        .await
        .expect_json(StatusCode::OK, "read the case's referrals")
        .await;
    assert_eq!(views[0]["purpose"], "Bail hearing tomorrow unique-purpose-6060");
    let case: Value = app
        .get_api(&format!("/api/v1/cases/{}", w.case_id), &w.handler)
        .await
        .expect_json(StatusCode::OK, "read the case")
        .await;
    assert!(case["timeline"].to_string().contains("unique-rationale-5150"));
    let entries: Value = app
        .get_api(&format!("/api/v1/audit?case={}&action=referral.approved", w.case_id), &w.supervisor)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    assert_eq!(entries["entries"][0]["rationale"], "Judge known to us unique-rationale-5150");
    // Tampering with the sealed bytes is caught like any other edit.
    let mut owner = app.owner().await;
    sqlx::raw_sql(
        "set session_replication_role = replica;
         update audit_log set rationale_sealed = rationale_sealed || '\\x00'::bytea where action = 'referral.approved'",
    )
    .execute(&mut owner)
    .await
    .unwrap();
    let report = shelter_server::audit::verify::verify(&app.db, None).await.unwrap();
    assert!(matches!(report.fault, Some(shelter_server::audit::verify::Fault::Altered { .. })));
}

#[tokio::test]
async fn purposes_stored_in_plain_text_by_an_older_version_are_sealed_at_start() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let body = json!({"partner_id": w.partner_a.0, "purpose": "Old purpose", "summary": "S"});
    app.post_json(&format!("/api/v1/cases/{}/referrals", w.case_id), Some(&w.handler), &body)
        .await
        .expect_status(StatusCode::CREATED, "propose a referral")
        .await;
    let mut owner = app.owner().await;
    sqlx::query("update referral set purpose = 'Old purpose unique-7070', purpose_sealed = null")
        .execute(&mut owner)
        .await
        .unwrap();
    assert_eq!(app.cases.seal_legacy_purposes().await.unwrap(), 1);
    assert!(!dump(&app, "referral").await.contains("unique-7070"));
    let views: Value = app
        .get_api(&format!("/api/v1/cases/{}/referrals", w.case_id), &w.handler)
        .await
        .expect_json(StatusCode::OK, "read the case's referrals")
        .await;
    assert_eq!(views[0]["purpose"], "Old purpose unique-7070");
    assert_eq!(app.cases.seal_legacy_purposes().await.unwrap(), 0, "once only");
}

/// A referral sent to partner A (consent recorded by the handler); its id.
async fn sent(app: &TestApp, w: &World) -> String {
    let body = json!({"partner_id": w.partner_a.0, "purpose": "Defence", "summary": "Summary"});
    let referral = proposed_and_approved(app, w, &body).await;
    let consent = json!({"rationale": "Agreed on a call"});
    let consented = app.post_json(&format!("/api/v1/referrals/{referral}/consent"), Some(&w.handler), &consent).await;
    assert_eq!(consented.status(), StatusCode::OK);
    referral
}

async fn packets(app: &TestApp, w: &World) -> usize {
    packets_as(app, &w.partner_a.1).await
}

async fn packets_as(app: &TestApp, token: &str) -> usize {
    let packets: Value = app
        .get_api("/api/v1/partner/referrals", token)
        .await
        .expect_json(StatusCode::OK, "read the partner's referrals")
        .await;
    packets.as_array().unwrap().len()
}

#[tokio::test]
async fn a_declined_packet_is_gone_at_once_and_a_concluded_one_after_the_set_time() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let declined = sent(&app, &w).await;
    let path = |id: &str, action: &str| format!("/api/v1/partner/referrals/{id}/{action}");
    assert_eq!(packets(&app, &w).await, 1);
    let no = json!({"text": "No capacity"});
    assert_eq!(app.post_json(&path(&declined, "decline"), Some(&w.partner_a.1), &no).await.status(), 204);
    assert_eq!(packets(&app, &w).await, 0, "declining ends access");
    let hello = json!({"body": "one more thing"});
    assert_eq!(app.post_json(&path(&declined, "messages"), Some(&w.partner_a.1), &hello).await.status(), 404);

    let concluded = sent(&app, &w).await;
    assert_eq!(app.post_json(&path(&concluded, "accept"), Some(&w.partner_a.1), &json!({})).await.status(), 204);
    let done = json!({"text": "Released"});
    assert_eq!(app.post_json(&path(&concluded, "conclude"), Some(&w.partner_a.1), &done).await.status(), 204);
    app.clock.advance(chrono::Duration::days(29));
    let token = app.token(&w.partner_a_user).await;
    assert_eq!(packets_as(&app, &token).await, 1, "kept for the set time after concluding");
    app.clock.advance(chrono::Duration::days(2));
    let token = app.token(&w.partner_a_user).await;
    assert_eq!(packets_as(&app, &token).await, 0, "then gone");
    assert_eq!(app.post_json(&path(&concluded, "messages"), Some(&token), &hello).await.status(), 404);
}

#[tokio::test]
async fn concluded_and_declined_referrals_can_still_be_withdrawn() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let referral = sent(&app, &w).await;
    let path = |action: &str| format!("/api/v1/partner/referrals/{referral}/{action}");
    assert_eq!(app.post_json(&path("accept"), Some(&w.partner_a.1), &json!({})).await.status(), 204);
    assert_eq!(app.post_json(&path("conclude"), Some(&w.partner_a.1), &json!({"text": "Done"})).await.status(), 204);
    let withdraw = app
        .post_json(&format!("/api/v1/requester/referrals/{referral}/withdraw"), Some(&w.requester), &json!({}))
        .await;
    assert_eq!(withdraw.status(), 204, "the requester withdraws after the outcome");
    assert_eq!(packets(&app, &w).await, 0);

    let declined = sent(&app, &w).await;
    let no = json!({"text": "No"});
    let answered =
        app.post_json(&format!("/api/v1/partner/referrals/{declined}/decline"), Some(&w.partner_a.1), &no).await;
    assert_eq!(answered.status(), 204);
    let withdraw = app
        .post_json(&format!("/api/v1/referrals/{declined}/withdraw"), Some(&w.handler), &json!({"rationale": "Closed"}))
        .await;
    assert_eq!(withdraw.status(), 200, "staff withdraw a declined one too");
}

#[tokio::test]
async fn every_packet_a_partner_reads_is_in_its_case_trail() {
    let app = TestApp::spawn().await;
    let w = world(&app).await;
    let referral = sent(&app, &w).await;
    assert_eq!(packets(&app, &w).await, 1);
    let trail: Value = app
        .get_api(&format!("/api/v1/audit?case={}&action=referral.read", w.case_id), &w.supervisor)
        .await
        .expect_json(StatusCode::OK, "read the audit log")
        .await;
    let entries = trail["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{trail}");
    assert_eq!(entries[0]["actor_kind"], "staff");
    assert_eq!(entries[0]["details"]["referral"], referral);
}
