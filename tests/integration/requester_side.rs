//! The requester's side as a frightened person on a borrowed phone lives it: Chromium with
//! JavaScript off on a 360 px screen, in every language (issue 21).

use fantoccini::Locator;
use serde_json::{Value, json};
use shelter_frontend::i18n::Translator;
use shelter_shared::language::Language;
use shelter_shared::staff::Role;

use crate::browser::Browser;
use crate::helpers::{TestApp, test_settings};
use crate::staff::Expect as _;
use reqwest::StatusCode;

/// A neutral site on this machine for the quick exit to leave to.
async fn neutral_site() -> String {
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(|| async { axum::response::Html("<!DOCTYPE html><title>Weather</title><h1>Weather</h1>") }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    address
}

/// An application whose quick exit leaves for [`neutral_site`].
async fn app_with_exit() -> (TestApp, String) {
    let neutral = neutral_site().await;
    let mut settings = test_settings();
    settings.quick_exit_url = neutral.clone();
    (TestApp::spawn_with(settings).await, neutral)
}

const STORY: &str = "They took my brother from the market this morning";

#[tokio::test]
async fn after_a_quick_exit_back_shows_nothing_typed() {
    let (app, neutral) = app_with_exit().await;
    let browser = Browser::start().await;
    for lang in ["en", "my"] {
        browser.client.goto(&format!("{}/request?lang={lang}", app.address)).await.unwrap();
        browser.fill("textarea[name=narrative]", STORY).await;
        browser.fill("input[name=place]", "Hpakant market").await;
        browser.click("a.exit").await;
        browser.wait_for_url(|url| url.as_str() == neutral).await;
        browser.client.back().await.unwrap();
        browser.wait_for_url(|url| url.path() == "/request").await;
        browser.client.wait().for_element(Locator::Css("textarea[name=narrative]")).await.unwrap();
        let narrative = browser.client.find(Locator::Css("textarea[name=narrative]")).await.unwrap();
        assert_eq!(narrative.prop("value").await.unwrap().as_deref(), Some(""), "{lang}: the story came back");
        let place = browser.client.find(Locator::Css("input[name=place]")).await.unwrap();
        assert_eq!(place.prop("value").await.unwrap().as_deref(), Some(""), "{lang}: the place came back");
        let source = browser.client.source().await.unwrap();
        assert!(!source.contains("brother") && !source.contains("Hpakant"), "{lang}: typed text in the DOM");
    }
    browser.client.close().await.unwrap();
}

/// The burmese (and other) numerals a phone keyboard types, for a passphrase of ASCII digits.
fn in_native_digits(passphrase: &str, zero: char) -> String {
    passphrase
        .chars()
        .filter(char::is_ascii_digit)
        .filter_map(|d| char::from_u32(u32::from(zero) + d.to_digit(10)?))
        .collect()
}

/// Staff who propose and approve a referral for the requester to answer.
struct Staff {
    supervisor: String,
    partner: String,
}

async fn staff(app: &TestApp) -> Staff {
    let admin = app.staff(&[Role::Admin]).await;
    let admin = app.token(&admin).await;
    let supervisor = app.staff(&[Role::Supervisor]).await;
    let supervisor = app.token(&supervisor).await;
    let body = json!({"name": "Mekong Defence Lawyers", "kind": "lawyer", "countries": ["MM"], "expertise": ["criminal_defence"]});
    let created: Value = app
        .post_json("/api/v1/partners", Some(&admin), &body)
        .await
        .expect_json(StatusCode::CREATED, "add a partner")
        .await;
    Staff { supervisor, partner: created["id"].as_str().unwrap().to_owned() }
}

/// A referral awaiting the requester's consent, its summary written in English; proposed
/// and approved by `pair` (the staff's supervisor, then a second one, when `None`).
async fn ask_consent(app: &TestApp, staff: &Staff, reference: &str, pair: Option<(&str, &str)>) {
    let case_id: uuid::Uuid = sqlx::query_scalar("select case_id from cases where reference = $1")
        .bind(reference)
        .fetch_one(&app.db)
        .await
        .unwrap();
    let body = json!({"partner_id": staff.partner, "purpose": "Defence at the first hearing",
                      "summary": "Detained at the township police station since this morning; family not allowed to visit."});
    // Nobody approves their own proposal: without a pair, a second supervisor approves.
    let second = match pair {
        Some(_) => String::new(),
        None => app.token(&app.staff(&[Role::Supervisor]).await).await,
    };
    let (by, approver) = pair.unwrap_or((&staff.supervisor, &second));
    let proposed = app.post_json(&format!("/api/v1/cases/{case_id}/referrals"), Some(by), &body).await;
    assert_eq!(proposed.status(), 201, "propose");
    let referral = proposed.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let approved = app
        .post_json(&format!("/api/v1/referrals/{referral}/approve"), Some(approver), &json!({"rationale": "ok"}))
        .await;
    let status = approved.status();
    assert!(status.is_success(), "approve: {status} {}", approved.text().await.unwrap());
}

/// `[scrollWidth, innerWidth]` of the page: nothing may scroll sideways.
async fn assert_no_sideways_scroll(browser: &Browser, what: &str) {
    let sizes = browser
        .client
        .execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![])
        .await
        .unwrap();
    let (scroll, inner) = (sizes[0].as_i64().unwrap(), sizes[1].as_i64().unwrap());
    assert!(inner <= 360, "{what}: the window is {inner} px wide");
    assert!(scroll <= inner, "{what}: {scroll} px wide on a {inner} px screen");
}

/// The quick exit is inside the screen at the top, middle and bottom of the page.
async fn assert_exit_always_in_view(browser: &Browser, what: &str) -> i64 {
    let mut height = 0;
    for fraction in ["0", "0.5", "1"] {
        let script = format!(
            "window.scrollTo(0, (document.documentElement.scrollHeight - window.innerHeight) * {fraction});
             const r = document.querySelector('a.exit').getBoundingClientRect();
             return [r.top, r.bottom, window.innerHeight, document.documentElement.scrollHeight];"
        );
        let v = browser.client.execute(&script, vec![]).await.unwrap();
        let (top, bottom, inner) = (v[0].as_f64().unwrap(), v[1].as_f64().unwrap(), v[2].as_f64().unwrap());
        height = v[3].as_i64().unwrap();
        assert!(
            top >= 0.0 && bottom <= inner && bottom > top,
            "{what} at {fraction} of {height} px: exit at {top}..{bottom}"
        );
    }
    browser.client.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
    height
}

async fn value_of(browser: &Browser, css: &str) -> String {
    browser.client.find(Locator::Css(css)).await.unwrap().prop("value").await.unwrap().unwrap_or_default()
}

async fn wait_for_text(browser: &Browser, css: &str, text: &str) {
    for _ in 0..100 {
        if let Ok(element) = browser.client.find(Locator::Css(css)).await
            && element.text().await.is_ok_and(|t| t == text)
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{css} never read {text:?}");
}

const ZEROS: [(&str, char); 4] = [("my", '\u{1040}'), ("th", '\u{0E50}'), ("km", '\u{17E0}'), ("lo", '\u{0ED0}')];

#[tokio::test]
async fn every_requester_page_in_every_language_on_a_phone_with_javascript_off() {
    let (app, neutral) = app_with_exit().await;
    let staff = staff(&app).await;
    let browser = Browser::start().await;
    let mut heights = vec![];
    for language in Language::ALL {
        let (lang, t) = (language.tag(), Translator::new(language));
        browser.client.goto(&format!("{}/request?lang={lang}", app.address)).await.unwrap();
        assert_no_sideways_scroll(&browser, &format!("form {lang}")).await;
        heights.push((lang, assert_exit_always_in_view(&browser, &format!("form {lang}")).await));
        browser.screenshot(&format!("r21-form-{lang}")).await;
        browser.client.execute("window.scrollTo(0, document.documentElement.scrollHeight / 2);", vec![]).await.unwrap();
        browser.screenshot(&format!("r21-form-{lang}-middle")).await;
        browser.client.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
        // Switching language keeps what was typed, and switching back too.
        browser.fill("input[name=place]", "Hpakant").await;
        browser.fill("textarea[name=narrative]", "   ").await;
        let other = if language == Language::English { Language::Burmese } else { Language::English };
        // As a person would: back at the top, where the language buttons are (the driver's
        // own scrolling would leave them under the quick-exit bar).
        browser.client.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
        browser.click(&format!("button[name=switch_language][value='{}']", other.tag())).await;
        wait_for_text(&browser, "h1", &Translator::new(other).t("intake-title")).await;
        assert_eq!(value_of(&browser, "input[name=place]").await, "Hpakant", "{lang}: kept across the switch");
        browser.client.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
        browser.click(&format!("button[name=switch_language][value='{lang}']")).await;
        wait_for_text(&browser, "h1", &t.t("intake-title")).await;
        assert_eq!(value_of(&browser, "input[name=place]").await, "Hpakant", "{lang}: kept across the switch back");
        // A refused form says so at the top, linking to the field, and keeps what was typed.
        browser.client.find(Locator::Css("select[name=country]")).await.unwrap().select_by_value("MM").await.unwrap();
        browser.click("input[name=urgency][value=immediate]").await;
        browser.click("form#intake button[type=submit].primary").await;
        let summary = browser.client.wait().for_element(Locator::Css(".error-summary")).await.unwrap();
        assert_eq!(browser.text(".error-summary h2").await, t.t("intake-error-summary"));
        let link = summary.find(Locator::Css("a")).await.unwrap();
        assert_eq!(link.attr("href").await.unwrap().as_deref(), Some("#narrative"), "{lang}");
        let top = browser
            .client
            .execute(
                "return document.querySelector('.error-summary').getBoundingClientRect().bottom <= window.innerHeight;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(top, json!(true), "{lang}: the summary is on the first screen");
        assert_eq!(value_of(&browser, "input[name=place]").await, "Hpakant", "{lang}: kept after the error");
        assert_no_sideways_scroll(&browser, &format!("error {lang}")).await;
        browser.screenshot(&format!("r21-error-{lang}")).await;
        // Sent: the receipt names the target time for "right now" from the SLA (2 hours).
        browser.fill("textarea[name=narrative]", STORY).await;
        browser.click("form#intake button[type=submit].primary").await;
        browser.wait_for_url(|url| url.path() == "/request/received").await;
        let intro = browser.text("main p.notice").await;
        assert_eq!(intro, t.t_num("received-reply-hours", "hours", 2), "{lang}");
        assert_no_sideways_scroll(&browser, &format!("receipt {lang}")).await;
        assert_exit_always_in_view(&browser, &format!("receipt {lang}")).await;
        browser.screenshot(&format!("r21-receipt-{lang}")).await;
        let codes = browser.client.find_all(Locator::Css("dl.credentials code")).await.unwrap();
        let reference = codes[0].text().await.unwrap();
        let passphrase = codes[1].text().await.unwrap();
        let groups: Vec<&str> = passphrase.split(' ').collect();
        assert_eq!(groups.len(), 6, "{lang}: {passphrase}");
        let digits = groups.iter().all(|g| g.len() == 4 && g.chars().all(|c| c.is_ascii_digit()));
        assert_eq!(digits, !matches!(language, Language::English | Language::Vietnamese), "{lang}: {passphrase}");
        // The portal, signed in with the digits as the phone's own keyboard types them.
        ask_consent(&app, &staff, &reference, None).await;
        let typed = match ZEROS.iter().find(|(l, _)| *l == lang) {
            Some((_, zero)) => in_native_digits(&passphrase, *zero),
            None => passphrase.clone(),
        };
        browser.client.goto(&format!("{}/status?lang={lang}", app.address)).await.unwrap();
        assert_no_sideways_scroll(&browser, &format!("sign-in {lang}")).await;
        browser.screenshot(&format!("r21-sign-in-{lang}")).await;
        browser.fill("input[name=reference]", &reference).await;
        browser.fill("input[name=passphrase]", &typed).await;
        browser.click("form button[type=submit].primary").await;
        browser.wait_for_url(|url| url.path() == "/status/case").await;
        assert_eq!(browser.text(".session-bar button").await, t.t("portal-sign-out"), "{lang}");
        // Withdrawing: the portal's request to delete (the purge comes with retention).
        browser.client.find(Locator::Css("form[action^='/status/deletion'] button")).await.unwrap();
        assert_no_sideways_scroll(&browser, &format!("portal {lang}")).await;
        assert_exit_always_in_view(&browser, &format!("portal {lang}")).await;
        browser.screenshot(&format!("r21-portal-{lang}")).await;
        // Consent: every field in words, in the language, saying when staff wrote in another.
        let facts = browser.text(".referral dl.facts").await;
        assert!(facts.contains(&t.t("kind-not-sure")) && !facts.contains("not_sure"), "{lang}: {facts}");
        let myanmar = shelter_frontend::countries::name(t, "MM");
        assert!(facts.contains(&myanmar) && !facts.lines().any(|l| l.trim() == "MM"), "{lang}: {facts}");
        let flagged = browser.client.find_all(Locator::Css(".referral .other-language")).await.unwrap().len();
        assert_eq!(flagged, if language == Language::English { 0 } else { 2 }, "{lang}: summary and purpose flagged");
        browser.client.execute("document.querySelector('.referral').scrollIntoView();", vec![]).await.unwrap();
        assert_no_sideways_scroll(&browser, &format!("consent {lang}")).await;
        browser.screenshot(&format!("r21-consent-{lang}")).await;
        // Quick exit, then Back: the portal asks for the passphrase again, showing nothing.
        browser.click("a.exit").await;
        browser.wait_for_url(|url| url.as_str() == neutral).await;
        browser.client.back().await.unwrap();
        browser.wait_for_url(|url| url.path().starts_with("/status")).await;
        let source = browser.client.source().await.unwrap();
        assert!(!source.contains(&reference) && !source.contains("Mekong Defence"), "{lang}: the case is still shown");
    }
    println!("form heights (px): {heights:?}");
    browser.client.close().await.unwrap();
}

/// The hidden inputs `name` of the page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker).map(|i| i + marker.len()).unwrap_or_else(|| panic!("no {name} in the page"));
    html[start..].split('"').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_language_button_shows_the_form_again_in_that_language_with_what_was_typed() {
    let app = TestApp::spawn().await;
    let page = app.get("/request?lang=en").await.expect_text(StatusCode::OK, "open /request?lang=en").await;
    let (csrf, token) = (hidden(&page, "csrf"), hidden(&page, "token"));
    let form = [
        ("csrf", csrf.as_str()),
        ("token", token.as_str()),
        ("narrative", STORY),
        ("place", "Hpakant"),
        ("country", ""),
        ("switch_language", "my"),
    ];
    let response = app.client.post(format!("{}/request?lang=my", app.address)).form(&form).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    let burmese = Translator::new(Language::Burmese);
    assert!(html.contains(&burmese.t("intake-title")), "in Burmese");
    assert!(html.contains(STORY) && html.contains(r#"value="Hpakant""#), "what was typed is kept");
    assert!(!html.contains("error-summary"), "switching is not a refusal");
    let cases: i64 = sqlx::query_scalar("select count(*) from cases").fetch_one(&app.db).await.unwrap();
    assert_eq!(cases, 0, "nothing is filed");
}

/// Runs axe-core on the page as it is; fails on any serious or critical violation.
async fn assert_accessible(browser: &Browser, what: &str) {
    let found = browser.axe_violations().await;
    let bad = crate::browser::serious(&found);
    assert!(bad.is_empty(), "{what}: {bad:?}");
    println!("axe {what}: {} minor or moderate: {found}", found.as_array().map_or(0, Vec::len));
}

#[tokio::test]
async fn money_paid_to_a_lawyer_says_so_in_words_and_every_page_passes_axe() {
    let app = TestApp::spawn().await;
    // First, while it is the only case: `grants::world` finds its case as the only one.
    let w = crate::grants::world(&app, "high").await;
    let pair = (w.supervisors[1].token.as_str(), w.supervisors[2].token.as_str());
    ask_consent(&app, &staff(&app).await, &w.reference, Some(pair)).await;
    let grant = crate::grants::propose(&app, &w, "1,500.00").await;
    let approved =
        crate::grants::act(&app, &w.supervisors[0], &grant, "approve", json!({"rationale": "Verified"})).await;
    let status = approved.status();
    assert!(status.is_success(), "approve: {status} {}", approved.text().await.unwrap());
    let payment = json!({"method": "direct_to_provider", "paid": "1,500.00", "fees": "0.00", "external_reference": "INV-2201",
                         "paid_on": chrono::Utc::now().date_naive().to_string()});
    let paid = crate::grants::act(&app, &w.finance[0], &grant, "disburse", payment).await;
    let status = paid.status();
    assert_eq!(status, 201, "disburse: {}", paid.text().await.unwrap());

    // axe-core needs timers: this one browser runs with JavaScript on (the pages have none).
    let browser = Browser::start_with_javascript().await;
    for path in
        ["/request?lang=en", "/request?lang=my", "/safety?lang=km", "/status?lang=zh-Hans", "/request/received?lang=th"]
    {
        browser.client.goto(&format!("{}{path}", app.address)).await.unwrap();
        assert_accessible(&browser, path).await;
    }
    // The check can fail: an image without words is a critical violation.
    browser.client.execute("document.body.appendChild(document.createElement('img'));", vec![]).await.unwrap();
    let found = browser.axe_violations().await;
    assert!(found.as_array().unwrap().iter().any(|v| v[0] == "image-alt" && v[1] == "critical"), "{found}");
    // A refused form and a receipt with its passphrase.
    browser.client.goto(&format!("{}/request?lang=lo", app.address)).await.unwrap();
    browser.client.find(Locator::Css("select[name=country]")).await.unwrap().select_by_value("LA").await.unwrap();
    browser.fill("textarea[name=narrative]", "   ").await;
    browser.click("form#intake button[type=submit].primary").await;
    browser.client.wait().for_element(Locator::Css(".error-summary")).await.unwrap();
    assert_accessible(&browser, "refused form (lo)").await;
    browser.fill("textarea[name=narrative]", STORY).await;
    browser.click("form#intake button[type=submit].primary").await;
    browser.wait_for_url(|url| url.path() == "/request/received").await;
    assert_accessible(&browser, "receipt (lo)").await;
    // The grant as the requester reads it, JavaScript off.
    let axe_browser = browser;
    let browser = Browser::start().await;
    browser.client.goto(&format!("{}/status?lang=en", app.address)).await.unwrap();
    browser.fill("input[name=reference]", &w.reference).await;
    browser.fill("input[name=passphrase]", &w.passphrase).await;
    browser.click("form button[type=submit].primary").await;
    browser.wait_for_url(|url| url.path() == "/status/case").await;
    let en = Translator::new(Language::English);
    let page = browser.client.source().await.unwrap();
    assert!(page.contains("class=\"grant\""), "no grant on the portal: {}", &page[page.len().saturating_sub(3000)..]);
    let grant_text = browser.text(".grant").await;
    for expected in [&en.t("grant-method-direct_to_provider"), &en.t("grant-provider-confirm-note")] {
        assert!(grant_text.contains(expected), "{expected:?} in {grant_text}");
    }
    assert!(!grant_text.contains("INV-2201") && !grant_text.contains("0042"), "no payment reference, no account");
    assert!(!grant_text.contains("Lawyer K"), "no payee's name on a phone that may be seized");
    // The month it was paid, never the day (with amount and method it would match bank records).
    let today = chrono::Utc::now().date_naive();
    let month = shelter_frontend::dates::month_year(Language::English, today);
    assert!(grant_text.contains(&month), "{month} in {grant_text}");
    assert!(!grant_text.contains(&shelter_frontend::dates::long_date(Language::English, today)), "{grant_text}");
    assert!(!grant_text.contains(&today.to_string()), "{grant_text}");
    assert_no_sideways_scroll(&browser, "grant").await;
    browser.client.execute("document.querySelector('.grant').scrollIntoView();", vec![]).await.unwrap();
    browser.screenshot("r21-grant-en").await;
    browser.client.close().await.unwrap();

    // The signed-in portal through axe-core too, in two scripts.
    let browser = axe_browser;
    browser.client.goto(&format!("{}/status?lang=en", app.address)).await.unwrap();
    browser.fill("input[name=reference]", &w.reference).await;
    browser.fill("input[name=passphrase]", &w.passphrase).await;
    browser.click("form button[type=submit].primary").await;
    browser.wait_for_url(|url| url.path() == "/status/case").await;
    assert_accessible(&browser, "portal with a grant").await;
    browser.client.goto(&format!("{}/status/case?lang=my", app.address)).await.unwrap();
    assert_accessible(&browser, "portal in Burmese").await;
    browser.client.close().await.unwrap();
}
