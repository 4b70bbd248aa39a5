//! The requester's words over HTTP: every requester page the running server gives, in every
//! language, with no English outside the catalogues and no word the glossary keeps off.

use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_frontend::glossary::{english_in, kept_off_in, visible_text};
use shelter_shared::language::Language;
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::csrf_in;

/// What the partner and the handler wrote: data, not the page's words.
pub const PARTNER: &str = "Ko Aung Legal";
const SUMMARY: &str = "1234";
const PURPOSE: &str = "Defence";

/// A cookie-keeping client that does not follow redirects, as a browser's one tab.
pub fn tab() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).cookie_store(true).build().unwrap()
}

/// A request filed through the form in `lang`: where its one-time receipt is.
pub async fn file_by_form(app: &TestApp, tab: &reqwest::Client, lang: &str) -> String {
    let form = tab
        .get(format!("{}/request?lang={lang}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /request?lang={}")
        .await;
    let token = form.split("name=\"token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let sent = tab
        .post(format!("{}/request?lang={lang}", app.address))
        .form(&[("token", token.as_str()), ("csrf", csrf_in(&form).as_str()), ("narrative", "1234"), ("country", "MM")])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER, "{lang}");
    sent.headers()["location"].to_str().unwrap().to_owned()
}

/// The reference and passphrase on a receipt page.
pub fn credentials(receipt: &str) -> (String, String) {
    let codes: Vec<String> =
        receipt.split("<code class=\"secret\">").skip(1).map(|s| s.split('<').next().unwrap().to_owned()).collect();
    (codes[0].clone(), codes[1].clone())
}

/// Posts the portal's sign-in form in `lang`, as the page in that language would.
pub async fn sign_in(
    app: &TestApp,
    tab: &reqwest::Client,
    lang: &str,
    reference: &str,
    passphrase: &str,
) -> reqwest::Response {
    let page = tab
        .get(format!("{}/status?lang={lang}", app.address))
        .send()
        .await
        .unwrap()
        .expect_text(StatusCode::OK, "open /status?lang={}")
        .await;
    tab.post(format!("{}/status?lang={lang}", app.address))
        .form(&[("csrf", csrf_in(&page).as_str()), ("reference", reference), ("passphrase", passphrase)])
        .send()
        .await
        .unwrap()
}

/// Staff who refer cases: a supervisor (who may also approve) and a partner organisation.
pub struct Staff {
    supervisor: String,
    partner: Uuid,
}

impl Staff {
    /// Creates them.
    pub async fn new(app: &TestApp) -> Staff {
        let admin = app.staff(&[Role::Admin]).await;
        let admin = app.token(&admin).await;
        let body =
            json!({"name": PARTNER, "kind": "organisation", "countries": ["MM"], "expertise": ["criminal_defence"]});
        let created: Value = app
            .post_json("/api/v1/partners", Some(&admin), &body)
            .await
            .expect_json(StatusCode::CREATED, "add a partner")
            .await;
        let partner = created["id"].as_str().unwrap().parse().unwrap();
        let supervisor = app.staff(&[Role::Supervisor, Role::Handler]).await;
        Staff { supervisor: app.token(&supervisor).await, partner }
    }

    /// Asks the requester of `reference` to consent to a referral, and writes them a message.
    pub async fn ask_consent(&self, app: &TestApp, reference: &str) {
        let case_id: Uuid = sqlx::query_scalar("select case_id from cases where upper(reference) = upper($1)")
            .bind(reference)
            .fetch_one(&app.db)
            .await
            .unwrap();
        let token = Some(self.supervisor.as_str());
        app.post_json(&format!("/api/v1/cases/{case_id}/claim"), token, &json!({}))
            .await
            .expect_status(StatusCode::OK, "claim the case")
            .await;
        let body = json!({"partner_id": self.partner, "purpose": PURPOSE, "summary": SUMMARY});
        let proposed = app.post_json(&format!("/api/v1/cases/{case_id}/referrals"), token, &body).await;
        assert_eq!(proposed.status(), StatusCode::CREATED);
        let referral = proposed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
        // Nobody approves their own proposal: a second supervisor does.
        let approver = app.token(&app.staff(&[Role::Supervisor]).await).await;
        let approved = app
            .post_json(&format!("/api/v1/referrals/{referral}/approve"), Some(&approver), &json!({"rationale": "ok"}))
            .await;
        assert_eq!(approved.status(), StatusCode::OK);
        let sent = app.post_json(&format!("/api/v1/cases/{case_id}/messages"), token, &json!({"body": "5678"})).await;
        assert!(sent.status().is_success(), "{}", sent.status());
    }
}

/// The problems of one page: English that escaped, and words kept off.
fn problems(language: Language, name: &str, html: &str, data: &[&str]) -> Vec<String> {
    let text = visible_text(html);
    let mut found = vec![];
    let english = english_in(language, &text, data);
    if !english.is_empty() {
        found.push(format!("{} {name}: English {english:?}", language.tag()));
    }
    let kept_off = kept_off_in(language, &text);
    if !kept_off.is_empty() {
        found.push(format!("{} {name}: kept-off words {kept_off:?}", language.tag()));
    }
    found
}

#[tokio::test]
async fn every_requester_page_from_the_server_speaks_only_its_language() {
    let app = TestApp::spawn().await;
    let staff = Staff::new(&app).await;
    let mut found = vec![];
    for language in Language::ALL {
        let lang = language.tag();
        let tab = tab();
        let get = |path: String| {
            let tab = tab.clone();
            let address = app.address.clone();
            async move { tab.get(format!("{address}{path}")).send().await.unwrap() }
        };
        let mut pages = vec![];
        for path in ["/", "/request", "/status", "/safety", "/no-such-page"] {
            let response = get(format!("{path}?lang={lang}")).await;
            pages.push((path.to_owned(), response.text().await.unwrap()));
        }
        // The form refused: the errors are in the language too.
        let form = get(format!("/request?lang={lang}")).await.text().await.unwrap();
        let refused = tab
            .post(format!("{}/request?lang={lang}", app.address))
            .form(&[("csrf", csrf_in(&form).as_str()), ("narrative", ""), ("country", "XX")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lang}");
        pages.push(("refused form".to_owned(), refused.text().await.unwrap()));

        let receipt_path = file_by_form(&app, &tab, lang).await;
        let receipt = get(receipt_path.clone()).await.text().await.unwrap();
        let (reference, passphrase) = credentials(&receipt);
        pages.push(("receipt".to_owned(), receipt));
        pages.push(("receipt again".to_owned(), get(receipt_path).await.text().await.unwrap()));
        let wrong = sign_in(&app, &tab, lang, &reference, "wrong").await;
        pages.push(("sign-in refused".to_owned(), wrong.text().await.unwrap()));

        staff.ask_consent(&app, &reference).await;
        assert_eq!(sign_in(&app, &tab, lang, &reference, &passphrase).await.status(), StatusCode::SEE_OTHER);
        let case = get(format!("/status/case?lang={lang}")).await.text().await.unwrap();
        assert!(case.contains(PARTNER), "{lang}: the consent is asked");
        pages.push(("case and consent".to_owned(), case));

        let data = [passphrase.as_str(), PARTNER, PURPOSE];
        for (name, html) in &pages {
            found.extend(problems(language, name, html, &data));
        }
    }
    assert!(found.is_empty(), "requester pages with words out of place:\n{}", found.join("\n"));
}

#[tokio::test]
async fn browsers_are_told_not_to_keep_the_passphrase() {
    let app = TestApp::spawn().await;
    for language in Language::ALL {
        let html = app
            .get(&format!("/status?lang={}", language.tag()))
            .await
            .expect_text(StatusCode::OK, "open /status")
            .await;
        assert!(html.contains(r#"autocomplete="off""#), "{}: the form is not to be filled in", language.tag());
        let field = html.split(r#"id="passphrase""#).nth(1).unwrap().split('>').next().unwrap();
        assert!(field.contains(r#"autocomplete="one-time-code""#), "{}: {field}", language.tag());
        let safety = app
            .get(&format!("/safety?lang={}", language.tag()))
            .await
            .expect_text(StatusCode::OK, "open /safety")
            .await;
        let never = shelter_frontend::i18n::Translator::new(language).t("safety-save-never");
        assert!(visible_text(&safety).contains(&never), "{}: the safety page says to choose Never", language.tag());
    }
}

#[tokio::test]
async fn an_error_page_is_in_the_requesters_language_with_a_quick_exit() {
    let app = TestApp::spawn().await;
    let page = app.get("/no-such-page?lang=km").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"km\"") && html.contains("href=\"/exit\""), "{html}");
    assert!(!html.contains("Reference for support") && html.contains("លេខកូដបច្ចេកទេស"), "{html}");
    // Staff pages keep their English error page.
    let staff = app.get("/staff/no-such-page").await.text().await.unwrap();
    assert!(staff.contains("Reference for support") && !staff.contains("href=\"/exit\""), "{staff}");
}
