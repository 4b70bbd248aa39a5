//! Grants through the pages alone (plain forms, no JavaScript): an administrator creates a
//! fund, the handler proposes from the case page, two supervisors approve, finance pays
//! with the memo guidance in view, the requester confirms receipt in the portal.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_server::clock::Clock;
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::{TestUser, csrf_in};

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let response = client.get(format!("{}{path}", app.address)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.unwrap()
}

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client.post(format!("{}{path}", app.address)).form(form).send().await.unwrap()
}

/// Confirms a fresh code through the page form, returning to `next`.
async fn step_up(client: &reqwest::Client, app: &TestApp, user: &TestUser, csrf: &str, next: &str) {
    let code = app.next_totp(user);
    let response = post(client, app, "/staff/step-up", &[("csrf", csrf), ("code", &code), ("next", next)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], next, "back where the step-up was asked");
}

fn weight(html: &str, css: usize, what: &str) {
    println!("page weight: {what}: {} bytes of HTML + {css} of CSS", html.len());
    assert!(html.len() + css < 30 * 1024, "{what} weighs {} bytes with its stylesheet", html.len() + css);
}

#[tokio::test]
async fn a_grant_from_proposal_to_receipt_through_the_pages() {
    let app = TestApp::spawn().await;
    let css = app.get("/assets/style.css").await.expect_text(StatusCode::OK, "open /assets/style.css").await.len();
    let filed: Value = app
        .post_json("/api/v1/intake", None, &json!({"narrative": "Charged for filming the mine page-narr-6262", "country": "MM", "kind": "criminal_charges"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();

    // An administrator creates the fund.
    let admin_user = app.staff(&[Role::Admin]).await;
    let admin = app.browser(&admin_user).await;
    let page = get(&admin, &app, "/staff/funds").await;
    let csrf = csrf_in(&page);
    let today = app.clock.now().date_naive();
    let (start, end) = ((today - chrono::Days::new(1)).to_string(), (today + chrono::Days::new(365)).to_string());
    let bad = post(
        &admin,
        &app,
        "/staff/funds",
        &[
            ("csrf", &csrf),
            ("name", "Defence fund"),
            ("currency", "USD"),
            ("budget", "12.345"),
            ("period_start", &start),
            ("period_end", &end),
            ("usd_rate", "1"),
        ],
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY, "a budget with three decimals");
    let created = post(
        &admin,
        &app,
        "/staff/funds",
        &[
            ("csrf", &csrf),
            ("name", "Defence fund"),
            ("currency", "USD"),
            ("budget", "25,000.00"),
            ("period_start", &start),
            ("period_end", &end),
            ("usd_rate", "1"),
            ("categories", "legal_fees"),
            ("categories", "bail"),
            ("countries", "MM, TH"),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let funds = get(&admin, &app, "/staff/funds?created=1").await;
    assert!(funds.contains("Defence fund") && funds.contains("25,000.00 USD") && funds.contains("legal fees, bail"));
    weight(&funds, css, "the funds page");

    // The handler claims and triages the case, then proposes from the case page after a step-up.
    let handler_user = app.staff(&[Role::Handler]).await;
    let handler = app.browser(&handler_user).await;
    let csrf = app.session_csrf(&handler).await;
    assert_eq!(
        post(&handler, &app, &format!("/staff/cases/{case_id}/claim"), &[("csrf", &csrf)]).await.status(),
        StatusCode::SEE_OTHER
    );
    let claimed = get(&handler, &app, &format!("/staff/cases/{case_id}")).await;
    let version = claimed.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let triage = [
        ("csrf", csrf.as_str()),
        ("version", version.as_str()),
        ("severity", "high"),
        ("kind", "criminal_charges"),
        ("rationale", "SLAPP suit"),
    ];
    assert_eq!(
        post(&handler, &app, &format!("/staff/cases/{case_id}/triage"), &triage).await.status(),
        StatusCode::SEE_OTHER
    );
    // Signing in counts as a fresh second factor for five minutes; after that, a new code.
    app.clock.advance(chrono::Duration::minutes(6));
    let case_page = get(&handler, &app, &format!("/staff/cases/{case_id}")).await;
    assert!(case_page.contains("Grants") && case_page.contains("/staff/step-up"), "asks for a fresh code first");
    assert!(!case_page.contains("Propose grant"));
    step_up(&handler, &app, &handler_user, &csrf, &format!("/staff/cases/{case_id}")).await;
    let case_page = get(&handler, &app, &format!("/staff/cases/{case_id}")).await;
    assert!(case_page.contains("Propose grant") && case_page.contains("Defence fund"));
    assert!(
        case_page.contains("This case&#x27;s playbook caps: ") || case_page.contains("This case's playbook caps: "),
        "the caps beside the amount"
    );
    assert!(case_page.contains("legal fees (playbook cap 5,000.00 USD)"), "the cap in the category choice");
    weight(&case_page, css, "the case page with its propose form");
    let fund_id: Uuid = sqlx::query_scalar("select fund_id from fund").fetch_one(&app.db).await.unwrap();
    let fund_id = fund_id.to_string();
    let proposal = [
        ("csrf", csrf.as_str()),
        ("fund_id", fund_id.as_str()),
        ("category", "legal_fees"),
        ("amount", "2,400.00"),
        ("currency", "USD"),
        ("rate", ""),
        ("payee_alias", "Advocate T"),
        ("payee_details", "AYA bank 7788-page-acct-9191"),
        ("purpose", "Retainer for the defamation suit"),
        ("rationale", "Hearing in ten days"),
    ];
    let proposed = post(&handler, &app, &format!("/staff/cases/{case_id}/grants"), &proposal).await;
    assert_eq!(proposed.status(), StatusCode::SEE_OTHER);
    let grant_path = proposed.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_owned();
    let grant_page = get(&handler, &app, &grant_path).await;
    assert!(grant_page.contains("Retainer for the defamation suit") && grant_page.contains("0 of 2 approvals"));
    let reference = filed["reference"].as_str().unwrap();
    assert!(grant_page.contains(&format!("Grant: {reference} · legal fees")), "named by case and category");
    let case_page = get(&handler, &app, &format!("/staff/cases/{case_id}")).await;
    assert!(case_page.contains(">legal fees</a>"), "the case lists it by category, not an id fragment");
    assert!(!grant_page.contains("page-acct-9191"), "the handler does not see payment details back");

    // Two supervisors approve; each steps up first, and the first alone does not approve.
    for (n, rationale) in ["Vouchers confirmed", "Suit is a SLAPP; amount fits"].iter().enumerate() {
        let user = app.staff(&[Role::Supervisor]).await;
        let supervisor = app.browser(&user).await;
        let csrf = app.session_csrf(&supervisor).await;
        let home = get(&supervisor, &app, "/staff").await;
        assert!(home.contains("a grant awaits your decision"), "supervisors are told what waits");
        app.clock.advance(chrono::Duration::minutes(6));
        let page = get(&supervisor, &app, &grant_path).await;
        assert!(page.contains("step-up") && !page.contains("value=\"approve\""), "no decision without a fresh code");
        assert!(
            page.contains("Playbook cap for this category") && page.contains("5,000.00 USD"),
            "the cap beside the amount"
        );
        step_up(&supervisor, &app, &user, &csrf, &grant_path).await;
        let decided = post(
            &supervisor,
            &app,
            &format!("{grant_path}/decide"),
            &[("csrf", &csrf), ("decision", "approve"), ("rationale", rationale)],
        )
        .await;
        assert_eq!(decided.status(), StatusCode::SEE_OTHER);
        let page = get(&supervisor, &app, &grant_path).await;
        assert!(page.contains(&format!("{} of 2 approvals", n + 1)));
        assert!(page.contains(rationale), "supervisors read the rationales");
        let register = get(&supervisor, &app, "/staff/grants").await;
        assert!(register.contains(&format!("{reference} · legal fees")), "supervisors see which case");
        weight(&page, css, "the grant page");
    }

    // Finance sees the payee and the memo guidance for Myanmar, never the case; pays once.
    let finance_user = app.staff(&[Role::Finance]).await;
    let finance = app.browser(&finance_user).await;
    let csrf = app.session_csrf(&finance).await;
    let home = get(&finance, &app, "/staff").await;
    assert!(home.contains("an approved grant awaits your payment"), "finance is told what waits");
    step_up(&finance, &app, &finance_user, &csrf, &grant_path).await;
    let page = get(&finance, &app, &grant_path).await;
    assert!(page.contains("AYA bank 7788-page-acct-9191") && page.contains("Myanmar"));
    assert!(
        !page.contains("page-narr-6262") && !page.contains("Retainer for the defamation") && !page.contains("Ma Thida")
    );
    assert!(!page.contains(filed["reference"].as_str().unwrap()));
    assert!(page.contains("Grant: legal fees · Advocate T"), "finance: category and alias");
    assert_eq!(page.matches("Rationale hidden").count(), 2, "each decision says its rationale is hidden");
    assert!(!page.contains("Suit is a SLAPP"));
    let payment = [
        ("csrf", csrf.as_str()),
        ("method", "bank_transfer"),
        ("paid", "2,400.00"),
        ("fees", "0"),
        ("external_reference", "INV-2026-0042"),
        ("paid_on", &today.to_string()),
    ];
    let risky = [
        ("csrf", csrf.as_str()),
        ("method", "bank_transfer"),
        ("paid", "2,400.00"),
        ("fees", "0"),
        ("external_reference", "Legal aid for the defender"),
        ("paid_on", &today.to_string()),
    ];
    let refused = post(&finance, &app, &format!("{grant_path}/disburse"), &risky).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("bland reference"));
    assert_eq!(post(&finance, &app, &format!("{grant_path}/disburse"), &payment).await.status(), StatusCode::SEE_OTHER);
    let twice = post(&finance, &app, &format!("{grant_path}/disburse"), &payment).await;
    assert_eq!(twice.status(), StatusCode::CONFLICT, "a double click pays nothing more");
    let register = get(&finance, &app, "/staff/grants").await;
    assert!(register.contains("Advocate T") && register.contains("2,400.00 USD") && register.contains("By category"));
    assert!(register.contains("legal fees · Advocate T") && !register.contains(reference));
    assert!(register.contains("1 USD = 1 USD"), "the funds table reads as a rate");
    weight(&register, css, "the register");
    let csv = post(&finance, &app, "/staff/grants/export", &[("csrf", &csrf)]).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let csv = csv.text().await.unwrap();
    assert!(csv.contains("Advocate T") && csv.contains(",bank_transfer,0.00,INV-2026-0042"), "{csv}");
    assert!(!csv.contains(reference), "finance's CSV names no case");

    // The requester confirms receipt in the portal.
    let portal =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap();
    let signed_in =
        app.portal_form(&portal, filed["reference"].as_str().unwrap(), filed["passphrase"].as_str().unwrap()).await;
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let status = get(&portal, &app, "/status/case?lang=my").await;
    assert!(status.contains("2,400.00 USD"));
    assert!(!status.contains("page-acct-9191") && !status.contains("Advocate T"), "no payee details in the portal");
    let csrf = csrf_in(&status);
    let grant_id = grant_path.rsplit('/').next().unwrap();
    let forged =
        post(&portal, &app, &format!("/status/grants/{grant_id}/receipt?lang=my"), &[("csrf", "forged")]).await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let confirmed =
        post(&portal, &app, &format!("/status/grants/{grant_id}/receipt?lang=my"), &[("csrf", &csrf)]).await;
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let status = get(&portal, &app, "/status/case?lang=my&received=1").await;
    weight(&status, css, "the portal with a grant");
    let state: String = sqlx::query_scalar("select status from grants").fetch_one(&app.db).await.unwrap();
    assert_eq!(state, "receipt_confirmed");
}
