//! Vouching in a real browser with JavaScript off: a voucher answers on a phone, in Burmese
//! and in English; a handler asks at a laptop's width and a supervisor reads the answers on
//! the grant page. axe-core (in a browser with JavaScript on, which it needs) checks each
//! state; every page stays under the 30 KB budget.

use std::time::Duration;

use fantoccini::Locator;
use reqwest::StatusCode;
use shelter_frontend::i18n::Translator;
use shelter_shared::language::Language;

use crate::browser::Browser;
use crate::grants::{propose, world};
use crate::helpers::TestApp;
use crate::notify::SmtpSink;
use crate::vouching::{QUESTION, add_member, answer, app, ask, link_to};

/// The budget of any page, HTML and stylesheet together.
const PAGE_BUDGET: usize = 30 * 1024;

/// The page shown: under budget, and not wider than the screen.
async fn check_page(browser: &Browser, what: &str) -> String {
    let source = browser.client.source().await.unwrap();
    let size = source.len() + shelter_frontend::STYLESHEET.len();
    assert!(size < PAGE_BUDGET, "{what}: {size} bytes with the stylesheet");
    let width = browser
        .client
        .execute("return [document.documentElement.scrollWidth, window.innerWidth];", vec![])
        .await
        .unwrap();
    assert!(width[0].as_u64() <= width[1].as_u64(), "{what} scrolls sideways: {width}");
    source
}

/// Waits until the page has an element matching `css` (a form post's answer may still be
/// loading when a click returns).
async fn wait_for(browser: &Browser, css: &str) {
    browser.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css(css)).await.unwrap();
}

/// No serious or critical axe-core finding on the page shown (`browser` runs JavaScript).
async fn assert_axe(browser: &Browser, what: &str) {
    let found = browser.axe().await;
    assert!(found.is_empty(), "{what}: {found:#?}");
}

/// The value of the field at `css`.
async fn value(browser: &Browser, css: &str) -> String {
    browser.client.find(Locator::Css(css)).await.unwrap().prop("value").await.unwrap().unwrap_or_default()
}

/// One voucher's whole visit through `link`, in `lang`: the question, a refused answer that
/// keeps the comment, the thanks, the "already answered" page. With `axe`, each state is
/// checked by axe-core; without, each is photographed as `vouch-*-{lang}-360`.
async fn visit(app: &TestApp, browser: &Browser, link: &str, language: Language, comment: &str, axe: bool) {
    let lang = language.tag();
    let t = Translator::new(language);
    let shot = |state: &str| format!("vouch-{state}-{lang}-360");
    browser.client.goto(&format!("{}{link}?lang={lang}", app.address)).await.unwrap();
    assert_eq!(browser.text("h1").await, t.t("vouch-title"), "{lang}");
    let page = check_page(browser, "the question").await;
    assert!(page.contains(QUESTION), "{lang}: the question is shown");
    assert!(page.contains(&format!("lang=\"{lang}\"")), "{lang}: the page says its language");
    if axe {
        assert_axe(browser, &format!("the question in {lang}")).await;
    } else {
        browser.full_screenshot(&shot("open")).await;
    }

    // Sent without an answer: the browser's `required` holds the form back, typed work and all.
    browser.fill("#vouch-comment", comment).await;
    browser.click("form button.primary").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(browser.client.find(Locator::Css("p.error")).await.is_err(), "{lang}: the browser held the form");
    assert_eq!(value(browser, "#vouch-comment").await, comment, "{lang}: nothing typed is lost");
    let missing = browser
        .client
        .execute("return document.querySelector('input[name=answer]').validity.valueMissing;", vec![])
        .await
        .unwrap();
    assert_eq!(missing, true, "{lang}: the browser says an answer is missing");

    // Another language, then back: the choice and the comment come along, nothing is answered.
    let other = if language == Language::English { Language::Burmese } else { Language::English };
    browser.click("input[name=answer][value=cannot_confirm]").await;
    for (going, to) in [(other, Translator::new(other)), (language, t)] {
        // The languages are at the top: the voucher scrolls up to them (a driver's own
        // scrolling would leave them under the sticky quick-exit bar).
        browser.client.execute("window.scrollTo(0, 0);", vec![]).await.unwrap();
        browser.click(&format!("nav.languages-bar button[value='{}']", going.tag())).await;
        browser.wait_for_url(|url| url.query() == Some(&format!("lang={}", going.tag()))).await;
        wait_for(browser, &format!("html[lang='{}']", going.tag())).await;
        assert_eq!(browser.text("h1").await, to.t("vouch-title"), "{lang} to {}", going.tag());
        assert_eq!(
            value(browser, "#vouch-comment").await,
            comment,
            "{lang} to {}: the comment came along",
            going.tag()
        );
        let chosen = browser.client.find(Locator::Css("input[name=answer]:checked")).await.unwrap();
        assert_eq!(chosen.attr("value").await.unwrap().as_deref(), Some("cannot_confirm"), "the choice came along");
    }
    let answered: i64 = sqlx::query_scalar("select count(*) from vouch_invite where answer = 'cannot_confirm'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(answered, 0, "{lang}: switching language answers nothing");
    browser
        .client
        .execute("document.querySelectorAll('input[name=answer]').forEach(e => e.checked = false);", vec![])
        .await
        .unwrap();

    // A browser that ignores `required`: the server refuses, says why, keeps the comment.
    browser
        .client
        .execute("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'));", vec![])
        .await
        .unwrap();
    browser.click("form button.primary").await;
    wait_for(browser, "p.error[role=alert]").await;
    assert_eq!(browser.text("p.error[role=alert]").await, t.t("vouch-error-answer"), "{lang}");
    assert_eq!(value(browser, "#vouch-comment").await, comment, "{lang}: the comment is kept");
    let page = check_page(browser, "the refused answer").await;
    assert!(page.contains(QUESTION), "{lang}: the question is still shown");
    // The error is on the first screen, where the voucher looks after sending.
    let top = browser
        .client
        .execute("return document.querySelector('p.error').getBoundingClientRect().top;", vec![])
        .await
        .unwrap();
    let top = top.as_f64().unwrap();
    if axe {
        assert_axe(browser, &format!("the refused answer in {lang}")).await;
    } else {
        browser.screenshot(&format!("vouch-error-first-screen-{lang}-360")).await;
        browser.full_screenshot(&shot("error")).await;
    }
    assert!((0.0..800.0).contains(&top), "{lang}: the error is on the first screen (at {top} px)");

    // Answered: the thanks, then the link works no more.
    browser.click("input[name=answer][value=confirm]").await;
    browser.click("form button.primary").await;
    browser.client.wait().for_element(Locator::Css("p.notice[role=status]")).await.unwrap();
    assert_eq!(browser.text("h1").await, t.t("vouch-thanks-title"), "{lang}");
    assert_eq!(browser.text("p.notice").await, t.t("vouch-thanks"), "{lang}");
    check_page(browser, "the thanks").await;
    if axe {
        assert_axe(browser, &format!("the thanks in {lang}")).await;
    } else {
        browser.full_screenshot(&shot("thanks")).await;
    }
    browser.client.goto(&format!("{}{link}?lang={lang}", app.address)).await.unwrap();
    assert_eq!(browser.text("p.notice").await, t.t("vouch-answered"), "{lang}");
    assert!(browser.client.find(Locator::Css("form[method=post]")).await.is_err(), "{lang}: no second answer");
    check_page(browser, "already answered").await;
    if axe {
        assert_axe(browser, &format!("already answered in {lang}")).await;
    } else {
        browser.full_screenshot(&shot("answered")).await;
    }
}

#[tokio::test]
async fn a_voucher_answers_once_on_a_phone_in_burmese_and_english_with_javascript_off() {
    let smtp = SmtpSink::start(0);
    let app = app(&smtp).await;
    let w = world(&app, "high").await;
    let addresses = ["khin@mail.example.net", "aung@mail.example.net", "su@mail.example.net", "mya@mail.example.net"];
    let mut members = vec![];
    for (i, address) in addresses.iter().enumerate() {
        members.push(add_member(&app, &w.admin, &format!("Voucher {i}"), address).await);
    }
    let ids: Vec<&str> = members.iter().map(String::as_str).collect();
    assert_eq!(ask(&app, &w, &w.handler, &ids, &[]).await.status(), StatusCode::CREATED);
    app.notify.drain(10).await.unwrap();
    // Each link as mailed (it names the member's language), without its query: the
    // visit chooses the language.
    let links: Vec<String> =
        addresses.iter().map(|a| link_to(&smtp, a).split('?').next().unwrap().to_owned()).collect();

    let burmese_comment = "၂၀၁၄ သင်တန်းတွင် အတူ တက်ခဲ့သည်";
    let phone = Browser::start().await;
    visit(&app, &phone, &links[0], Language::Burmese, burmese_comment, false).await;
    visit(&app, &phone, &links[1], Language::English, "We trained together in 2014", false).await;
    phone.client.close().await.unwrap();
    let axe = Browser::start_with_javascript().await;
    visit(&app, &axe, &links[2], Language::Burmese, burmese_comment, true).await;
    visit(&app, &axe, &links[3], Language::English, "We trained together in 2014", true).await;
    axe.client.close().await.unwrap();

    // Each link took exactly one answer, the one chosen after the refusal.
    let answers: Vec<String> = sqlx::query_scalar("select answer from vouch_invite").fetch_all(&app.db).await.unwrap();
    assert_eq!(answers, ["confirm"; 4]);
    // The comment typed before the refusal is the one recorded.
    let view = crate::grants::grant_as(&app, &w.supervisors[0], &propose(&app, &w, "500.00").await).await;
    let comments: Vec<&str> = view["verification"]["requests"][0]["vouchers"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["comment"].as_str())
        .collect();
    assert_eq!(comments.iter().filter(|c| **c == burmese_comment).count(), 2, "{view}");
}

#[tokio::test]
async fn a_handler_asks_two_members_at_a_laptop_and_the_grant_page_counts_their_answers() {
    let smtp = SmtpSink::start(0);
    let app = app(&smtp).await;
    let w = world(&app, "high").await;
    add_member(&app, &w.admin, "Daw Khin Nwe", "khin@mail.example.net").await;
    add_member(&app, &w.admin, "Daw Khin Aye", "khinaye@mail.example.net").await;
    add_member(&app, &w.admin, "U Aung Naing", "aung@mail.example.net").await;
    let case_path = format!("/staff/cases/{}", w.case_id);
    let ask_path = format!("{case_path}/vouch");

    let browser = Browser::start_laptop().await;
    browser.sign_in(&app, &w.handler.user).await;
    browser.client.goto(&format!("{}{case_path}", app.address)).await.unwrap();
    assert!(browser.client.source().await.unwrap().contains("Nobody has been asked to vouch yet."));
    browser.click(&format!("a[href='{ask_path}']")).await;
    browser.wait_for_url(|url| url.path() == ask_path).await;
    check_page(&browser, "the ask page").await;
    browser.full_screenshot("vouch-ask-laptop").await;

    // The question leaves the network: a sign-in minutes ago is a fresh second factor;
    // later the page asks for a code first (on the page itself).
    assert!(browser.client.find(Locator::Css("#step-up-code")).await.is_err(), "just signed in: no code asked");
    app.clock.advance(chrono::Duration::minutes(6)); // past the step-up window, within the idle limit
    browser.client.refresh().await.unwrap();
    browser.fill("#step-up-code", &app.next_totp(&w.handler.user)).await;
    browser.click("form[action='/staff/step-up'] button[type=submit]").await;
    for _ in 0..100 {
        if browser.client.find(Locator::Css("#step-up-code")).await.is_err() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(browser.client.find(Locator::Css("#step-up-code")).await.is_err(), "stepped up");
    assert_eq!(browser.client.current_url().await.unwrap().path(), ask_path, "back on the ask page");

    // The question is typed first; finding members keeps it.
    browser.fill("#vouch-question", QUESTION).await;
    browser.fill("#vouch-name", "Khin").await;
    browser.click("button[name=intent][value=find]").await;
    wait_for(&browser, "input[name=member]").await;
    assert_eq!(value(&browser, "#vouch-question").await, QUESTION, "the question is kept across Find");
    let page = check_page(&browser, "the ask page with members found").await;
    assert!(page.contains("Daw Khin Nwe") && page.contains("Daw Khin Aye") && !page.contains("U Aung Naing"));
    assert!(browser.client.find(Locator::Css("p.notice[role=status]")).await.is_err(), "found: nothing to say");
    let khin = "//label[contains(., 'Daw Khin Nwe')]/input[@name='member']";
    browser.client.find(Locator::XPath(khin)).await.unwrap().click().await.unwrap();

    // A search that finds nobody says so, and keeps the choice and the question.
    browser.client.find(Locator::Css("#vouch-name")).await.unwrap().clear().await.unwrap();
    browser.fill("#vouch-name", "Nobody Such").await;
    browser.click("button[name=intent][value=find]").await;
    wait_for(&browser, "p.notice[role=status]").await;
    let said = browser.text("p.notice[role=status]").await;
    assert!(said.starts_with("No member found for “Nobody Such”"), "{said}");
    let chosen = browser.client.find(Locator::XPath(khin)).await.unwrap();
    assert_eq!(chosen.prop("checked").await.unwrap().as_deref(), Some("true"), "the choice is kept");
    assert_eq!(value(&browser, "#vouch-question").await, QUESTION);

    // A second search keeps the first choice and the question.
    browser.client.find(Locator::Css("#vouch-name")).await.unwrap().clear().await.unwrap();
    browser.fill("#vouch-name", "Aung").await;
    browser.click("button[name=intent][value=find]").await;
    wait_for(&browser, "input[name=member]:not(:checked)").await;
    let chosen = browser.client.find(Locator::XPath(khin)).await.unwrap();
    assert_eq!(chosen.prop("checked").await.unwrap().as_deref(), Some("true"), "the first choice is kept");
    assert_eq!(value(&browser, "#vouch-question").await, QUESTION, "the question is kept across a second Find");
    let aung = "//label[contains(., 'U Aung Naing')]/input[@name='member']";
    browser.client.find(Locator::XPath(aung)).await.unwrap().click().await.unwrap();
    browser.full_screenshot("vouch-ask-chosen-laptop").await;

    // A question too short to send: refused beside the form, with the choices kept.
    browser.client.find(Locator::Css("#vouch-question")).await.unwrap().clear().await.unwrap();
    browser.fill("#vouch-question", "Know her?").await;
    browser.click("button[name=intent][value=ask]").await;
    wait_for(&browser, "p.error").await;
    assert_eq!(value(&browser, "#vouch-question").await, "Know her?", "the refused question is kept");
    for who in [khin, aung] {
        let chosen = browser.client.find(Locator::XPath(who)).await.unwrap();
        assert_eq!(chosen.prop("checked").await.unwrap().as_deref(), Some("true"), "{who} stays chosen");
    }
    check_page(&browser, "the refused ask").await;
    browser.screenshot("vouch-ask-refused-laptop").await;
    let asked: i64 = sqlx::query_scalar("select count(*) from vouch_request").fetch_one(&app.db).await.unwrap();
    assert_eq!(asked, 0, "a refused question asks nobody");

    browser.client.find(Locator::Css("#vouch-question")).await.unwrap().clear().await.unwrap();
    browser.fill("#vouch-question", QUESTION).await;
    browser.click("button[name=intent][value=ask]").await;
    browser.wait_for_url(|url| url.path() == case_path).await;
    wait_for(&browser, "table tbody tr").await;
    let rows = verification_rows(&browser).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    for name in ["Daw Khin Nwe", "U Aung Naing"] {
        assert!(rows.iter().any(|r| r.contains(name) && r.contains("Waiting")), "{name} is waiting: {rows:?}");
    }
    let page = check_page(&browser, "the case page").await;
    assert!(page.contains("Confirmed: 0 · Concerned: 0"));
    browser.full_screenshot("vouch-case-waiting-laptop").await;

    // They answer: one confirms, one is concerned.
    app.notify.drain(10).await.unwrap();
    let (status, _) = answer(&app, &link_to(&smtp, "khin@mail.example.net"), "confirm", "Same cohort as me").await;
    assert_eq!(status, StatusCode::OK);
    let concern = "She moved to Mae Sot last year";
    let (status, _) = answer(&app, &link_to(&smtp, "aung@mail.example.net"), "concerned", concern).await;
    assert_eq!(status, StatusCode::OK);
    browser.client.refresh().await.unwrap();
    wait_for(&browser, "table tbody tr").await;
    let rows = verification_rows(&browser).await;
    assert!(rows.iter().any(|r| r.contains("Daw Khin Nwe") && r.contains("Confirms")), "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("U Aung Naing") && r.contains("Concerned") && r.contains(concern)));
    assert!(browser.client.source().await.unwrap().contains("Confirmed: 1 · Concerned: 1"));
    browser.full_screenshot("vouch-case-answered-laptop").await;
    browser
        .client
        .execute("document.evaluate(\"//h2[.='Verification']\", document).iterateNext().scrollIntoView();", vec![])
        .await
        .unwrap();
    browser.screenshot("vouch-case-verification-laptop").await;
    browser.client.close().await.unwrap();

    // A handler on a phone reads the same section without the page scrolling sideways.
    let phone = Browser::start().await;
    phone.sign_in(&app, &w.handler.user).await;
    phone.client.goto(&format!("{}{case_path}", app.address)).await.unwrap();
    check_page(&phone, "the case page on a phone").await;
    phone
        .client
        .execute("document.evaluate(\"//h2[.='Verification']\", document).iterateNext().scrollIntoView();", vec![])
        .await
        .unwrap();
    phone.screenshot("vouch-case-verification-360").await;
    phone.client.close().await.unwrap();

    // The supervisor's grant page: the count against what the tier needs, and the concern.
    let grant = propose(&app, &w, "3,000.00").await; // tier B: two confirmations
    let supervisor = &w.supervisors[0];
    let grant_path = format!("/staff/grants/{grant}");
    let browser = Browser::start_laptop().await;
    browser.sign_in(&app, &supervisor.user).await;
    browser.client.goto(&format!("{}{grant_path}", app.address)).await.unwrap();
    let page = check_page(&browser, "the grant page").await;
    assert!(
        page.contains("0 of the 2 confirmations this grant needs before approval"),
        "a concern cancels a confirmation"
    );
    let warning = browser.text("p.notice.warning").await;
    assert!(warning.contains("1 voucher(s) answered that they are concerned"), "{warning}");
    assert!(page.contains(concern), "the approver reads the concern");
    assert!(browser.client.find(Locator::Css("button[value=approve]")).await.is_err(), "not approvable yet");
    assert!(page.contains("Approval is offered once enough people have confirmed"), "the decision form says why");
    browser.full_screenshot("vouch-grant-laptop").await;
    browser.client.close().await.unwrap();

    // axe-core on each page, as the handler and the supervisor.
    let axe = Browser::start_laptop_with_javascript().await;
    axe.sign_in(&app, &w.handler.user).await;
    axe.client.goto(&format!("{}{ask_path}", app.address)).await.unwrap();
    assert_axe(&axe, "the ask page").await;
    axe.fill("#vouch-name", "Khin").await;
    axe.click("button[name=intent][value=find]").await;
    wait_for(&axe, "input[name=member]").await;
    assert_axe(&axe, "the ask page with members found").await;
    axe.click("button[name=intent][value=ask]").await;
    wait_for(&axe, "p.error").await;
    assert_axe(&axe, "the refused ask").await;
    axe.client.goto(&format!("{}{case_path}", app.address)).await.unwrap();
    assert_axe(&axe, "the case page").await;
    axe.client.close().await.unwrap();
    let axe = Browser::start_laptop_with_javascript().await;
    axe.sign_in(&app, &supervisor.user).await;
    axe.client.goto(&format!("{}{grant_path}", app.address)).await.unwrap();
    assert_axe(&axe, "the grant page").await;
    axe.client.close().await.unwrap();
}

/// The rows of the first table after the Verification heading, as text.
async fn verification_rows(browser: &Browser) -> Vec<String> {
    let xpath = "//h2[.='Verification']/following::table[1]/tbody/tr";
    let mut rows = vec![];
    for row in browser.client.find_all(Locator::XPath(xpath)).await.unwrap() {
        rows.push(row.text().await.unwrap());
    }
    rows
}
