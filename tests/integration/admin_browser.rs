//! The administrator's and the supervisor's account and audit pages in a real browser
//! (JavaScript off, a laptop's width), in Burmese and in English: an administrator creates
//! an account, disables it and links a partner account to its organisation; a supervisor
//! finds all of it on the audit page by the person's name. No English is left on the
//! Burmese pages except names, e-mails, references and the product's name.

use fantoccini::Locator;
use serde_json::{Value, json};
use shelter_frontend::glossary::{english_in, visible_text};
use shelter_shared::language::Language;
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::staff::Expect as _;
use crate::staff::TestUser;
use reqwest::StatusCode;

async fn name_and_language(app: &TestApp, user: &TestUser, name: &str, language: Language) {
    // Burmese readers on Yangon's clock.
    let offset: i16 = if language == Language::Burmese { 390 } else { 0 };
    sqlx::query(
        "update staff_user set display_name = $2, language = $3, utc_offset_minutes = $4 where staff_user_id = $1",
    )
    .bind(user.id.parse::<Uuid>().unwrap())
    .bind(name)
    .bind(language.tag())
    .bind(offset)
    .execute(&app.db)
    .await
    .unwrap();
}

/// English words on the page shown, other than `data` (names, e-mails, codes, zone labels).
async fn english_on(browser: &Browser, language: Language, data: &[&str]) -> Vec<String> {
    let html = browser.client.source().await.unwrap();
    english_in(language, &visible_text(&html), data)
}

async fn walk(language: Language) {
    let tag = language.tag();
    let app = TestApp::spawn().await;
    let admin = app.staff(&[Role::Admin]).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let lawyer = app.staff(&[Role::Partner]).await;
    let (admin_name, supervisor_name, lawyer_name, new_name) = ("ဒေါ်အေးအေး", "ဦးသန့်ဇင်", "ကိုဇော်ဝင်း", "မခင်နွဲ့");
    name_and_language(&app, &admin, admin_name, language).await;
    name_and_language(&app, &supervisor, supervisor_name, language).await;
    name_and_language(&app, &lawyer, lawyer_name, Language::Burmese).await;
    let token = app.token(&admin).await;
    let body = json!({"name": "Yangon Defence", "kind": "organisation", "countries": ["MM"], "languages": ["my"]});
    let org: Value =
        app.post_json("/api/v1/partners", Some(&token), &body).await.expect_json(StatusCode::CREATED, "partner").await;
    let org = org["id"].as_str().unwrap().to_owned();
    let new_email = format!("khin-{tag}@example.org");
    // Data on the pages: people's names and e-mails, the organisation, the zone's label.
    let mut data: Vec<String> = [admin_name, supervisor_name, lawyer_name, new_name, "Yangon Defence", "UTC"]
        .into_iter()
        .map(str::to_owned)
        .chain([&admin, &supervisor, &lawyer].iter().map(|u| u.email.clone()))
        .chain([new_email.clone(), "/staff/enrol".to_owned()])
        .collect();

    // The administrator: the accounts page, a new account, its code.
    let browser = Browser::start_laptop().await;
    browser.sign_in(&app, &admin).await;
    browser.client.goto(&format!("{}/staff/users", app.address)).await.unwrap();
    browser.full_screenshot(&format!("accounts-{tag}-laptop")).await;
    let ignore: Vec<&str> = data.iter().map(String::as_str).collect();
    assert_eq!(english_on(&browser, language, &ignore).await, Vec::<String>::new(), "{tag} accounts page");
    browser.fill("#email", &new_email).await;
    browser.fill("#name", new_name).await;
    browser.click("input[name=handler]").await;
    browser.click("form[action='/staff/users'] button[type=submit]").await;
    let code = browser.text("code.secret").await;
    data.push(code.clone());
    browser.full_screenshot(&format!("accounts-created-{tag}-laptop")).await;
    let ignore: Vec<&str> = data.iter().map(String::as_str).collect();
    assert_eq!(english_on(&browser, language, &ignore).await, Vec::<String>::new(), "{tag} code issued");
    let created: Uuid = sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
        .bind(&new_email)
        .fetch_one(&app.db)
        .await
        .unwrap();

    // Disabling asks for the box first.
    let form = format!("form[action='/staff/users/{created}/disable']");
    browser.click(&format!("{form} input[name=confirm]")).await;
    browser.click(&format!("{form} button[type=submit]")).await;
    browser.wait_for_url(|url| url.query() == Some("notice=disabled")).await;
    let status: String = sqlx::query_scalar("select status from staff_user where staff_user_id = $1")
        .bind(created)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(status, "disabled");

    // The partner account joins its organisation.
    browser.click(&format!("#org-{} option[value='{org}']", lawyer.id)).await;
    browser.click(&format!("form[action='/staff/users/{}/partner'] button[type=submit]", lawyer.id)).await;
    browser.wait_for_url(|url| url.query() == Some("notice=linked")).await;
    let linked: Option<Uuid> = sqlx::query_scalar("select partner_id from staff_user where staff_user_id = $1")
        .bind(lawyer.id.parse::<Uuid>().unwrap())
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(linked.map(|id| id.to_string()), Some(org.clone()));
    browser.full_screenshot(&format!("accounts-linked-{tag}-laptop")).await;
    let ignore: Vec<&str> = data.iter().map(String::as_str).collect();
    assert_eq!(english_on(&browser, language, &ignore).await, Vec::<String>::new(), "{tag} after disabling, linking");
    browser.client.close().await.unwrap();

    // The supervisor finds the new account's story by its holder's name.
    let browser = Browser::start_laptop().await;
    browser.sign_in(&app, &supervisor).await;
    browser.client.goto(&format!("{}/staff/audit", app.address)).await.unwrap();
    browser.fill("#actor", new_name).await;
    browser.click("form.filters button[type=submit]").await;
    browser.wait_for_url(|url| url.query().is_some_and(|q| q.contains("actor="))).await;
    browser.client.wait().for_element(Locator::Css("td[data-action='user.disabled']")).await.unwrap();
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("data-action=\"user.created\""), "the account's creation is about them");
    assert!(!page.contains("data-action=\"user.partner_linked\""), "not the partner account's link");
    browser.full_screenshot(&format!("audit-by-name-{tag}-laptop")).await;
    let ignore: Vec<&str> = data.iter().map(String::as_str).collect();
    assert_eq!(english_on(&browser, language, &ignore).await, Vec::<String>::new(), "{tag} audit page");
    let filter = browser.client.current_url().await.unwrap();
    browser.client.close().await.unwrap();

    // axe-core on the same pages (its checks need JavaScript; the pages have none).
    for (user, path) in
        [(&admin, "/staff/users".to_owned()), (&supervisor, filter.path().to_owned() + "?" + filter.query().unwrap())]
    {
        let browser = Browser::start_laptop_with_javascript().await;
        browser.sign_in(&app, user).await;
        browser.client.goto(&format!("{}{path}", app.address)).await.unwrap();
        let found = browser.axe().await;
        assert!(found.is_empty(), "{tag} {path}: {found:#?}");
        browser.client.close().await.unwrap();
    }
}

#[tokio::test]
async fn an_administrator_and_a_supervisor_work_in_burmese_on_a_laptop() {
    walk(Language::Burmese).await;
}

#[tokio::test]
async fn an_administrator_and_a_supervisor_work_in_english_on_a_laptop() {
    walk(Language::English).await;
}
