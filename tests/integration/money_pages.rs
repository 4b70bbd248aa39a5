//! Grants, the register and the funds in the reader's language (issue 22): a supervisor
//! approves and a finance officer pays in Burmese and in English, in Chromium with
//! JavaScript off at laptop width, and no English is left on those pages but names,
//! references and currency codes. A payment form refused for a mistake, an expired step-up
//! or a change made meanwhile comes back filled in, to the person who typed it only.

use fantoccini::Locator;
use reqwest::StatusCode;
use shelter_frontend::glossary::{english_in, visible_text};
use shelter_frontend::i18n::Translator;
use shelter_shared::language::Language;

use crate::browser::Browser;
use crate::grants::{World, act, propose, world};
use crate::helpers::TestApp;
use crate::staff::TestUser;

/// Data shown as typed or named (people, the fund, the payee, the transfer), product and
/// format names, and the time zone's code ("UTC+6:30"): not English left untranslated.
async fn data(app: &TestApp) -> Vec<String> {
    let mut data: Vec<String> =
        sqlx::query_scalar("select display_name from staff_user").fetch_all(&app.db).await.unwrap();
    data.extend(
        [
            "Urgent action fund",
            "Lawyer K",
            "KBZ account 0042-secret-acct-5151",
            "Defence at the bail hearing",
            "Verified by phone with the voucher",
            "INV-2026-114",
            "KBZPay",
            "WavePay",
            "CSV",
            "UTC",
        ]
        .map(str::to_owned),
    );
    data
}

/// Every staff member of the world reads in `language`, on Yangon's clock.
async fn read_in(app: &TestApp, language: Language) {
    sqlx::query("update staff_user set language = $1, utc_offset_minutes = 390")
        .bind(language.tag())
        .execute(&app.db)
        .await
        .unwrap();
}

/// The page shown, checked: no English left, a screenshot to look at.
async fn looked_at(browser: &Browser, language: Language, data: &[String], name: &str) -> String {
    let html = browser.client.source().await.unwrap();
    let ignore: Vec<&str> = data.iter().map(String::as_str).collect();
    let english = english_in(language, &visible_text(&html), &ignore);
    assert!(english.is_empty(), "{name}: English left on a {} page: {english:?}", language.tag());
    browser.full_screenshot(&format!("money-{name}-{}-laptop", language.tag())).await;
    html
}

async fn signed_in(app: &TestApp, user: &TestUser) -> Browser {
    let browser = Browser::start_laptop().await;
    browser.sign_in(app, user).await;
    browser
}

async fn approve_pay_and_read(language: Language) {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let grant = propose(&app, &w, "1,500.00").await;
    read_in(&app, language).await;
    let data = data(&app).await;
    let t = Translator::new(language);
    let grant_page = format!("{}/staff/grants/{grant}", app.address);

    // The supervisor decides with the playbook's cap beside the amount.
    let browser = signed_in(&app, &w.supervisors[0].user).await;
    browser.client.goto(&grant_page).await.unwrap();
    browser.client.wait().for_element(Locator::Css("button[value=approve]")).await.unwrap();
    let page = looked_at(&browser, language, &data, "decide").await;
    assert!(page.contains(&t.t("grant-fact-cap")), "the playbook cap is beside the amount");
    assert!(page.contains(&format!("<h1>{}", t.t_text("grant-title", "name", ""))), "named in words");
    assert!(page.contains(&w.reference), "the grant is named by its case reference");
    browser.fill("textarea[name=rationale]", "Verified by phone with the voucher").await;
    browser.click("button[value=approve]").await;
    browser.wait_for_url(|url| url.query() == Some("done=1")).await;
    let page = looked_at(&browser, language, &data, "approved").await;
    assert!(page.contains(&t.t("mword-state-approved")) && page.contains(&t.t("grant-done")));
    assert!(page.contains("UTC+6:30"), "times on the reader's clock");
    browser.client.close().await.unwrap();
    let status: String = sqlx::query_scalar("select status from grants").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "approved");

    // Finance pays (the day is today on their clock), then reads the register and the funds.
    let browser = signed_in(&app, &w.finance[0].user).await;
    browser.client.goto(&grant_page).await.unwrap();
    browser.client.wait().for_element(Locator::Css("input[name=paid]")).await.unwrap();
    let page = looked_at(&browser, language, &data, "pay").await;
    assert!(page.contains(&t.t("grant-rationale-hidden")), "finance reads that the rationale is hidden");
    assert!(page.contains(&t.t("grant-memo-MM")), "the memo guidance in the reader's words");
    browser.fill("input[name=paid]", "1,500.00").await;
    browser.fill("input[name=external_reference]", "INV-2026-114").await;
    browser.click("form[action$='/disburse'] button[type=submit]").await;
    browser.wait_for_url(|url| url.query() == Some("done=1")).await;
    looked_at(&browser, language, &data, "paid").await;
    let status: String = sqlx::query_scalar("select status from grants").fetch_one(&app.db).await.unwrap();
    assert_eq!(status, "disbursed");

    browser.client.goto(&format!("{}/staff/grants", app.address)).await.unwrap();
    let page = looked_at(&browser, language, &data, "register").await;
    for shown in [&t.t("mword-method-bank_transfer"), "INV-2026-114", "0.00 USD", &t.t("grant-col-reference")] {
        assert!(page.contains(shown), "the register carries {shown:?} for reconciliation");
    }
    browser.client.goto(&format!("{}/staff/funds", app.address)).await.unwrap();
    let page = looked_at(&browser, language, &data, "funds").await;
    assert!(page.contains("1 USD = 1 USD"), "the rate as people read it");
    browser.client.close().await.unwrap();

    // axe-core on the same pages (JavaScript on for axe only): nothing serious or critical.
    let browser = Browser::start_laptop_with_javascript().await;
    browser.sign_in(&app, &w.finance[0].user).await;
    for path in [format!("/staff/grants/{grant}"), "/staff/grants".to_owned(), "/staff/funds".to_owned()] {
        browser.client.goto(&format!("{}{path}", app.address)).await.unwrap();
        let found = browser.axe().await;
        assert!(found.is_empty(), "{path} in {}: {found:#?}", language.tag());
    }
    browser.client.close().await.unwrap();
}

#[tokio::test]
async fn a_supervisor_approves_and_finance_pays_in_burmese_with_javascript_off() {
    approve_pay_and_read(Language::Burmese).await;
}

#[tokio::test]
async fn a_supervisor_approves_and_finance_pays_in_english_with_javascript_off() {
    approve_pay_and_read(Language::English).await;
}

/// Finance's browser on an approved grant: (client, csrf, grant id).
async fn approved_for_finance(app: &TestApp, w: &World) -> (reqwest::Client, String, String) {
    let grant = propose(app, w, "1,500.00").await;
    let approved = act(app, &w.supervisors[0], &grant, "approve", serde_json::json!({"rationale": "fits"})).await;
    assert_eq!(approved.status(), StatusCode::NO_CONTENT);
    let browser = app.browser(&w.finance[0].user).await;
    let csrf = app.session_csrf(&browser).await;
    (browser, csrf, grant)
}

async fn pay(app: &TestApp, browser: &reqwest::Client, grant: &str, form: &[(&str, String)]) -> (StatusCode, String) {
    let response =
        browser.post(format!("{}/staff/grants/{grant}/disburse", app.address)).form(form).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

fn refilled(page: &str) {
    assert!(page.contains(r#"value="typed-ref-7201""#), "the transfer reference is back");
    assert!(page.contains(r#"value="2026-11-29""#), "the day is back");
    assert!(page.contains(r#"value="mobile_money" selected"#), "the method stays chosen");
}

#[tokio::test]
async fn a_payment_refused_for_a_mistake_or_a_change_meanwhile_comes_back_filled_in() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let (browser, csrf, grant) = approved_for_finance(&app, &w).await;
    let form = |paid: &str, version: &str| {
        vec![
            ("csrf", csrf.clone()),
            ("method", "mobile_money".to_owned()),
            ("paid", paid.to_owned()),
            ("fees", "2.50".to_owned()),
            ("external_reference", "typed-ref-7201".to_owned()),
            ("paid_on", "2026-11-29".to_owned()),
            ("grant_version", version.to_owned()),
        ]
    };
    let version: i32 = sqlx::query_scalar("select version from grants").fetch_one(&app.db).await.unwrap();
    let version = version.to_string();

    // A mistake in the amount: refused, everything typed is back, the amount too.
    let (status, page) = pay(&app, &browser, &grant, &form("1,5x0", &version)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");
    refilled(&page);
    assert!(page.contains(r#"value="1,5x0""#) && page.contains(r#"value="2.50""#));

    // The grant changed since the form was shown: refused as a conflict, still filled in,
    // with the version as it is now so that a second look can pay.
    let (status, page) = pay(&app, &browser, &grant, &form("1,500.00", "0")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{page}");
    refilled(&page);
    assert!(page.contains(&format!(r#"name="grant_version" value="{version}""#)));
    let paid: i64 =
        sqlx::query_scalar("select count(*) from grants where status = 'disbursed'").fetch_one(&app.db).await.unwrap();
    assert_eq!(paid, 0, "nothing paid by a refused form");

    // Another finance officer opening the grant sees an empty form.
    let other = app.browser(&w.finance[1].user).await;
    let page = other.get(format!("{}/staff/grants/{grant}", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"name="paid""#) && !page.contains("typed-ref-7201"));
}

#[tokio::test]
async fn a_payment_after_the_step_up_expired_comes_back_filled_in_and_takes_the_code() {
    let app = TestApp::spawn().await;
    let w = world(&app, "high").await;
    let (browser, csrf, grant) = approved_for_finance(&app, &w).await;
    app.clock.advance(chrono::Duration::minutes(6));
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("method", "mobile_money".to_owned()),
        ("paid", "1,500.00".to_owned()),
        ("fees", "0".to_owned()),
        ("external_reference", "typed-ref-7201".to_owned()),
        ("paid_on", "2026-11-29".to_owned()),
    ];
    let (status, page) = pay(&app, &browser, &grant, &form).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the step-up had expired: {page}");
    refilled(&page);
    assert!(page.contains(r#"id="grant-code" name="code""#), "the code is asked in the same form");
    assert!(!page.contains(r#"action="/staff/step-up""#), "not in a separate form that would lose the payment");

    // A wrong code: still filled in, nothing paid. The right one: paid in one go.
    form.push(("code", "000000".to_owned()));
    let (status, page) = pay(&app, &browser, &grant, &form).await;
    assert!(status.is_client_error(), "{status}");
    refilled(&page);
    form.pop();
    form.push(("code", app.next_totp(&w.finance[0].user)));
    let (status, _) = pay(&app, &browser, &grant, &form).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, reference): (String, String) =
        sqlx::query_as("select g.status, d.external_reference from grants g join disbursement d using (grant_id)")
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!((status.as_str(), reference.as_str()), ("disbursed", "typed-ref-7201"));
}
