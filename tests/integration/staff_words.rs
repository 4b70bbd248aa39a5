//! Staff and partner pages in the reader's language: a handler and a partner lawyer walk a
//! case in Burmese (and in English) in Chromium with JavaScript off, no English left beyond
//! names, references and the product; the language and time zone are switched from the pages.

use chrono::{DateTime, Utc};
use fantoccini::Locator;
use reqwest::StatusCode;
use serde_json::{Value, json};
use shelter_frontend::glossary::{english_in, visible_text};
use shelter_frontend::i18n::Translator;
use shelter_frontend::reader::Reader;
use shelter_shared::language::Language;
use shelter_shared::staff::Role;
use uuid::Uuid;

use crate::browser::Browser;
use crate::helpers::TestApp;
use crate::staff::{Expect as _, TestUser};

/// A case filed by a requester, and the accounts that work it.
struct Walk {
    case_id: Uuid,
    handler: TestUser,
    supervisor: String,
    partner: TestUser,
    partner_id: Uuid,
}

const NARRATIVE: &str = "Taken from the river camp at night walk-narr-5151";
const PURPOSE: &str = "Bail hearing walk-purpose-6161";
const SUMMARY: &str = "Held at the district station walk-summary-7171";

async fn read_in(app: &TestApp, user: &TestUser, language: Language, offset: i16) {
    let id: Uuid = user.id.parse().unwrap();
    sqlx::query("update staff_user set language = $2, utc_offset_minutes = $3 where staff_user_id = $1")
        .bind(id)
        .bind(language.tag())
        .bind(offset)
        .execute(&app.db)
        .await
        .unwrap();
}

async fn walk(app: &TestApp, language: Language) -> Walk {
    app.post_json(
        "/api/v1/intake",
        None,
        &json!({"narrative": NARRATIVE, "country": "MM", "language": "my", "kind": "arrest_detention",
                "contact": "signal walk-contact-8181", "needs": ["legal"]}),
    )
    .await
    .expect_json(StatusCode::CREATED, "file a case")
    .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let handler = app.staff(&[Role::Handler]).await;
    read_in(app, &handler, language, 390).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let supervisor = app.token(&supervisor).await;
    let body = json!({"name": "Yangon Defence", "kind": "lawyer", "countries": ["MM"], "languages": ["my"]});
    let partner_id: Uuid = app
        .post_json("/api/v1/partners", Some(&admin), &body)
        .await
        .expect_json(StatusCode::CREATED, "add a partner")
        .await["id"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let email = format!("{}@partner.example.org", Uuid::new_v4().simple());
    let body = json!({"email": email, "name": "Daw Khin", "roles": ["partner"], "partner_id": partner_id});
    let created: Value = app
        .post_json("/api/v1/admin/users", Some(&admin), &body)
        .await
        .expect_json(StatusCode::CREATED, "create the partner's account")
        .await;
    let mut partner = app.enrol(&email, created["enrolment_code"].as_str().unwrap()).await;
    partner.id = created["id"].as_str().unwrap().to_owned();
    read_in(app, &partner, language, 390).await;
    Walk { case_id, handler, supervisor, partner, partner_id }
}

/// What a page may show in Latin letters besides the glossary's words: what people typed,
/// names, the playbook's task text (its own catalogue, not the pages'), the zone's "UTC".
async fn data(app: &TestApp) -> Vec<String> {
    let mut data: Vec<String> = [NARRATIVE, PURPOSE, SUMMARY, "signal walk-contact-8181", "Test Person", "Daw Khin"]
        .into_iter()
        .chain(["Yangon Defence", "Consent by phone walk-consent-9191", "Agreed walk-rationale-1212"])
        .chain(["Accepted walk-answer-1313", "Approved walk-approval-1414", "UTC"])
        .map(str::to_owned)
        .collect();
    let tasks: Vec<(String, String)> =
        sqlx::query_as("select title, guidance from case_task").fetch_all(&app.db).await.unwrap();
    for (title, guidance) in tasks {
        data.push(title);
        data.push(guidance);
    }
    // Longest first, so a phrase goes before the words inside it.
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    data
}

/// The visible text of the page shown, without the sections other areas translate in their
/// own catalogues (`money.ftl`, `admin.ftl`): from such a section's heading, while it is still
/// in English, to the next heading.
async fn page_text(browser: &Browser) -> String {
    let script = "const others = ['Grants', 'Retention', 'Verification', 'Network member'];
        const main = document.querySelector('main').cloneNode(true);
        let dropping = false;
        for (const e of Array.from(main.children)) {
            if (e.tagName === 'H2') { dropping = others.includes(e.textContent.trim()); }
            if (dropping) { e.remove(); }
        }
        return main.outerHTML;";
    let html = browser.client.execute(script, vec![]).await.unwrap();
    visible_text(html.as_str().unwrap_or_default())
}

/// English left on the page shown, beyond `data`.
async fn english_left(browser: &Browser, language: Language, data: &[String]) -> Vec<String> {
    let text = page_text(browser).await;
    let data: Vec<&str> = data.iter().map(String::as_str).collect();
    english_in(language, &text, &data)
}

async fn wait_for_text(browser: &Browser, text: &str) {
    for _ in 0..100 {
        if browser.client.source().await.unwrap().contains(text) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{text:?} never showed");
}

/// The walk in `language`: sign-in → queue → claim → triage → case page → referral, then
/// the partner opens the packet and answers it. Screenshots at each step.
async fn walk_in(language: Language) {
    let app = TestApp::spawn().await;
    let w = walk(&app, language).await;
    let tag = language.tag();
    let r = Reader::new(language, 390);
    let t = Translator::new(language);
    let mut found = vec![];
    let browser = Browser::start_laptop().await;
    let base = &app.address;

    // Sign-in in the chosen language, kept across the steps.
    browser.client.goto(&format!("{base}/staff?lang={tag}")).await.unwrap();
    browser.screenshot(&format!("words-{tag}-1-sign-in")).await;
    let data = data(&app).await;
    found.extend(english_left(&browser, language, &data).await.into_iter().map(|e| format!("sign-in: {e}")));
    assert!(browser.client.source().await.unwrap().contains(&t.t("signin-title")));
    browser.fill("input[name=email]", &w.handler.email).await;
    browser.fill("input[name=password]", &w.handler.password).await;
    browser.click("form[action^='/staff/sign-in'] button[type=submit]").await;
    browser.wait_for_url(|url| url.path() == "/staff/sign-in/totp").await;
    browser.screenshot(&format!("words-{tag}-2-second-step")).await;
    found.extend(english_left(&browser, language, &data).await.into_iter().map(|e| format!("second step: {e}")));
    browser.fill("input[name=code]", &app.next_totp(&w.handler)).await;
    browser.click("form[action^='/staff/sign-in/totp'] button[type=submit]").await;
    browser.wait_for_url(|url| url.path() == "/staff").await;

    // The queue: the case in words, then claimed.
    wait_for_text(&browser, &t.t("queue-title")).await;
    browser.screenshot(&format!("words-{tag}-3-queue")).await;
    let queue = browser.client.source().await.unwrap();
    assert!(queue.contains(&format!("<html lang=\"{tag}\"")), "the page says its language");
    assert!(queue.contains(&t.t("word-kind-arrest-detention")) && queue.contains(&t.t("country-MM")));
    assert!(!queue.contains(">arrest_detention<") && !queue.contains(">MM<"), "codes are shown in words");
    found.extend(english_left(&browser, language, &data).await.into_iter().map(|e| format!("queue: {e}")));
    browser.click("form[action$='/claim'] button").await;
    browser.wait_for_url(|url| url.path().starts_with("/staff/cases/")).await;

    // Triage on the case page.
    let triage = "form[action$='/triage']";
    browser
        .client
        .find(Locator::Css(&format!("{triage} select[name=severity] option[value=high]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .client
        .find(Locator::Css(&format!("{triage} select[name=kind] option[value=arrest_detention]")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.fill(&format!("{triage} textarea[name=rationale]"), "Agreed walk-rationale-1212").await;
    browser.screenshot(&format!("words-{tag}-4-triage")).await;
    browser.click(&format!("{triage} button[type=submit]")).await;
    // The checklist's forms appear once the triage is done (its words are in the form too).
    wait_for_text(&browser, "/tasks/").await;
    // Triage made the playbook's checklist: its text is the playbook's, not the pages'.
    let data = self::data(&app).await;
    browser.full_screenshot(&format!("words-{tag}-5-case")).await;
    let case = browser.client.source().await.unwrap();
    assert!(
        case.contains(&r.t_text("word-hint", "value", &t.t("word-severity-high")))
            || case.contains(&t.t("word-severity-high"))
    );
    assert!(case.contains("UTC+6:30"), "times on the reader's clock");
    found.extend(english_left(&browser, language, &data).await.into_iter().map(|e| format!("case: {e}")));

    // The referral: proposed on the page, approved by a supervisor, consent recorded.
    let propose = "form[action$='/referrals']";
    let option = format!("{propose} select[name=partner_id] option[value='{}']", w.partner_id);
    browser.client.find(Locator::Css(&option)).await.unwrap().click().await.unwrap();
    browser.fill(&format!("{propose} input[name=purpose]"), PURPOSE).await;
    browser.fill(&format!("{propose} textarea[name=summary]"), SUMMARY).await;
    browser.click(&format!("{propose} button[type=submit]")).await;
    wait_for_text(&browser, &t.t("word-referral-awaiting-approval")).await;
    let referral: Uuid = sqlx::query_scalar("select referral_id from referral").fetch_one(&app.db).await.unwrap();
    app.post_json(
        &format!("/api/v1/referrals/{referral}/approve"),
        Some(&w.supervisor),
        &json!({"rationale": "Approved walk-approval-1414"}),
    )
    .await
    .expect_status(StatusCode::OK, "approve the referral")
    .await;
    browser.client.goto(&format!("{base}/staff/cases/{}", w.case_id)).await.unwrap();
    let consent = format!("form[action$='/referrals/{referral}/consent']");
    browser.fill(&format!("{consent} textarea"), "Consent by phone walk-consent-9191").await;
    browser.click(&format!("{consent} button[type=submit]")).await;
    wait_for_text(&browser, &t.t("word-referral-sent")).await;
    let scroll = "document.querySelector('.referral').scrollIntoView(); return true;";
    browser.client.execute(scroll, vec![]).await.unwrap();
    browser.screenshot(&format!("words-{tag}-6-referral")).await;
    found.extend(english_left(&browser, language, &data).await.into_iter().map(|e| format!("referral: {e}")));
    browser.client.close().await.unwrap();

    // The partner lawyer opens the packet and answers it.
    let browser = Browser::start_laptop().await;
    browser.sign_in(&app, &w.partner).await;
    wait_for_text(&browser, &t.t("ref-partner-title")).await;
    browser.screenshot(&format!("words-{tag}-7-partner")).await;
    let home = browser.client.source().await.unwrap();
    assert!(home.contains(PURPOSE) && home.contains(&t.t("word-kind-arrest-detention")));
    assert!(!home.contains(NARRATIVE), "not chosen, not shown");
    found.extend(english_left(&browser, language, &data).await.into_iter().map(|e| format!("partner: {e}")));
    browser.click(&format!("form[action$='/partner/referrals/{referral}/accept'] button")).await;
    wait_for_text(&browser, &t.t("word-referral-accepted")).await;
    let conclude = format!("form[action$='/partner/referrals/{referral}/conclude']");
    browser.fill(&format!("{conclude} textarea"), "Accepted walk-answer-1313").await;
    browser.click(&format!("{conclude} button[type=submit]")).await;
    wait_for_text(&browser, &t.t("word-referral-concluded")).await;
    browser.screenshot(&format!("words-{tag}-8-partner-answered")).await;
    found.extend(english_left(&browser, language, &data).await.into_iter().map(|e| format!("answered: {e}")));
    browser.client.close().await.unwrap();

    // axe-core (which needs JavaScript) on the same pages, as each reader sees them.
    let mut violations = vec![];
    for (user, paths) in [
        (&w.handler, vec!["/staff".to_owned(), format!("/staff/cases/{}", w.case_id), "/staff/account".to_owned()]),
        (&w.partner, vec!["/staff".to_owned()]),
    ] {
        let browser = Browser::start_laptop_with_javascript().await;
        browser.sign_in(&app, user).await;
        for path in paths {
            browser.client.goto(&format!("{base}{path}")).await.unwrap();
            let serious = browser.axe().await;
            if !serious.is_empty() {
                violations.push(format!("{path}: {serious:?}"));
            }
        }
        browser.client.close().await.unwrap();
    }
    assert!(violations.is_empty(), "{violations:#?}");
    assert!(found.is_empty(), "English left on the {tag} pages: {found:#?}");
}

#[tokio::test]
async fn a_burmese_handler_and_partner_walk_a_case_with_no_english_left() {
    walk_in(Language::Burmese).await;
}

#[tokio::test]
async fn an_english_handler_and_partner_walk_the_same_case() {
    walk_in(Language::English).await;
}

fn account_language(html: &str) -> Option<&str> {
    html.split("<html lang=\"").nth(1)?.split('"').next()
}

#[tokio::test]
async fn the_nav_switches_language_and_zone_back_to_the_same_page_and_refuses_what_is_not_offered() {
    let app = TestApp::spawn().await;
    let user = app.staff(&[Role::Handler]).await;
    let id: Uuid = user.id.parse().unwrap();
    let client = app.browser(&user).await;
    let get = |path: String| {
        let client = client.clone();
        async move { client.get(path).send().await.unwrap() }
    };
    let page = get(format!("{}/staff/account", app.address)).await.expect_text(StatusCode::OK, "account").await;
    assert_eq!(account_language(&page), Some("en"));
    let csrf = crate::staff::csrf_in(&page);
    let post = |path: &str, form: Vec<(&'static str, String)>| {
        let client = client.clone();
        let url = format!("{}{path}", app.address);
        let mut form = form;
        form.push(("csrf", csrf.clone()));
        async move { client.post(url).form(&form).send().await.unwrap() }
    };
    let stored = || async {
        sqlx::query_as::<_, (String, i16)>(
            "select language, utc_offset_minutes from staff_user where staff_user_id = $1",
        )
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
    };

    // The switcher returns to the page it was on, now in Burmese.
    let switched =
        post("/staff/account/language", vec![("language", "my".into()), ("next", "/staff/account".into())]).await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(switched.headers()["location"], "/staff/account");
    let page = get(format!("{}/staff/account", app.address)).await.expect_text(StatusCode::OK, "account").await;
    let my = Translator::new(Language::Burmese);
    assert_eq!(account_language(&page), Some("my"));
    assert!(page.contains(&my.t("nav-account")) && page.contains(&my.t("acct-reading")), "the page is in Burmese");
    assert!(!page.contains("Account security"));

    // A language or zone not offered: a clear refusal in the reader's words, nothing changed.
    for bad in ["xx", "", "en-US"] {
        let refused = post("/staff/account/language", vec![("language", bad.into())]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(refused.text().await.unwrap().contains(&my.t("acct-bad-language")), "{bad:?}");
    }
    for bad in ["17", "-9999", "abc", "", "390.5"] {
        let refused = post("/staff/account/time-zone", vec![("utc_offset_minutes", bad.into())]).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(refused.text().await.unwrap().contains(&my.t("acct-bad-zone")), "{bad:?}");
    }
    assert_eq!(stored().await, ("my".to_owned(), 0), "nothing changed");
    // Only staff pages are returned to.
    let away =
        post("/staff/account/language", vec![("language", "th".into()), ("next", "https://evil.example/".into())])
            .await;
    assert_eq!(away.headers()["location"], "/staff");

    // Times move with the chosen zone: the session's start, on the reader's clock.
    let created: DateTime<Utc> = sqlx::query_scalar(
        "select created_at from staff_session where staff_user_id = $1 and kind = 'browser' and ended_at is null",
    )
    .bind(id)
    .fetch_one(&app.db)
    .await
    .unwrap();
    let page = get(format!("{}/staff/account", app.address)).await.expect_text(StatusCode::OK, "account").await;
    assert!(page.contains(&Reader::new(Language::Thai, 0).time(created)));
    let moved = post("/staff/account/time-zone", vec![("utc_offset_minutes", "390".into())]).await;
    assert_eq!(moved.status(), StatusCode::SEE_OTHER);
    assert_eq!(stored().await, ("th".to_owned(), 390));
    let page = get(format!("{}/staff/account", app.address)).await.expect_text(StatusCode::OK, "account").await;
    let yangon = Reader::new(Language::Thai, 390);
    assert!(page.contains(&yangon.time(created)), "{}", yangon.time(created));
    assert!(!page.contains(&Reader::new(Language::Thai, 0).time(created)));
    assert!(page.contains("<option value=\"390\" selected"), "the zone chosen is shown chosen");

    // A refusal on a staff form speaks the reader's language; the API keeps its English.
    app.post_json("/api/v1/intake", None, &json!({"narrative": "Threatened at home", "country": "TH"}))
        .await
        .expect_json(StatusCode::CREATED, "file a case")
        .await;
    let case_id: Uuid = sqlx::query_scalar("select case_id from cases").fetch_one(&app.db).await.unwrap();
    let token = app.token(&user).await;
    app.post_json(&format!("/api/v1/cases/{case_id}/claim"), Some(&token), &json!({}))
        .await
        .expect_status(StatusCode::OK, "claim the case")
        .await;
    let refused = post(&format!("/staff/cases/{case_id}/triage"), vec![("rationale", "why".into())]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let th = Translator::new(Language::Thai);
    assert!(refused.text().await.unwrap().contains(&th.t("err-invalid_triage")), "the refusal in Thai");
    let api =
        app.post_json(&format!("/api/v1/cases/{case_id}/triage"), Some(&token), &json!({"rationale": "why"})).await;
    assert!(api.status().is_client_error());
    let body: Value = api.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().is_ascii(), "the API answers in English: {body}");
}
